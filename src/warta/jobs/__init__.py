"""Jobs: the runs that move many pages through the stages, on every core, counting what they skip.

`files` extracts files to standard output; `corpus` cleans a web-text corpus; `crawl` follows publishers
into the store; `follow` finds a publisher's feeds and sitemaps; `imports` stores web archives and saved
pages and re-extracts archived responses; `export` writes the stored articles out. All share one pool of
worker processes and one summary (`workers`).
"""

from warta.jobs.corpus import clean_corpus
from warta.jobs.crawl import CrawlSettings, crawl, crawl_once
from warta.jobs.export import write as export
from warta.jobs.files import expand_inputs, extract_many, extract_one
from warta.jobs.follow import Discovered, follow, queue_urls
from warta.jobs.imports import import_pages, import_warc, reextract
from warta.jobs.workers import Summary, Workers

__all__ = [
    "CrawlSettings",
    "Discovered",
    "Summary",
    "Workers",
    "clean_corpus",
    "crawl",
    "crawl_once",
    "expand_inputs",
    "export",
    "extract_many",
    "extract_one",
    "follow",
    "import_pages",
    "import_warc",
    "queue_urls",
    "reextract",
]
