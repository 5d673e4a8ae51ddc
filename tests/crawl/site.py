"""A small news publisher served on 127.0.0.1 for the crawl tests: a homepage declaring its feed, robots.txt
naming its sitemap index, an RSS feed with conditional GET, a gzipped Google News sitemap, and article pages
(a bundled sample page and generated ones), slow when asked."""

from __future__ import annotations

import gzip
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from time import sleep

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PARAGRAPHS = [
    "Pemerintah kota mengumumkan perluasan jaringan bus ke kawasan utara yang selama ini belum terlayani.",
    "Warga telah lama meminta layanan itu, karena halte terdekat berjarak lebih dari dua kilometer.",
    "Wali kota mengatakan rute baru akan dibuka pada bulan Maret setelah pengemudi baru selesai dilatih.",
    "Anggota dewan mempertanyakan biaya proyek yang diperkirakan mencapai dua belas miliar rupiah.",
    "Para pedagang di jalan utama menyambut rencana itu dan berharap pembeli akan bertambah.",
]
FEED_ETAG = '"feed-v1"'


def article_html(number: int, title: str, offset: timedelta | None = None) -> str:
    """An article page; with `offset`, it prints its local time without a zone and declares none."""
    paragraphs = "".join(f"<p>{PARAGRAPHS[(number + i) % len(PARAGRAPHS)]} (Berita {number}.)</p>" for i in range(4))
    moment = datetime(2024, 5, 1, 8, 0, tzinfo=UTC) + timedelta(hours=number)
    declared = f"<meta property='article:published_time' content='{moment.isoformat()}'>"
    dateline = ""
    if offset is not None:
        declared = ""
        dateline = f"<div class='date'>{moment.astimezone(timezone(offset)):%d/%m/%Y %H:%M}</div>"
    return (
        "<!doctype html><html lang=id><head><meta charset=utf-8>"
        f"<title>{title} - Kabar Kota</title><meta property='og:site_name' content='Kabar Kota'>"
        f"{declared}</head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/kota'>Kota</a></nav>"
        f"<article><h1>{title}</h1>{dateline}<div class='byline'>Penulis: Budi Santoso</div>{paragraphs}</article>"
        "<footer>© 2024 Kabar Kota</footer></body></html>"
    )


def gallery_html(number: int, title: str) -> str:
    """A photo story: one line of text, captioned photos, and a related list with more text than the story.

    Nothing in the page itself says article with authority (no og:type, no JSON-LD, a URL without a date);
    only the feed that announced it does.
    """
    photos = "".join(
        f"<figure><img src='/foto/{number}-{i}.jpg' alt=''><figcaption>Suasana halte baru di kawasan utara, "
        f"foto {i}. (Foto: Dok. Kabar Kota)</figcaption></figure>"
        for i in range(10)
    )
    related = "".join(
        f"<li><a href='/kota/{i}'>Kabar lain dari kota bagian {i} hari ini</a>"
        f"<p>Ringkasan singkat berita kota nomor {i} untuk pembaca setia.</p><span>{i} jam lalu</span></li>"
        for i in range(25)
    )
    return (
        "<!doctype html><html lang=id><head><meta charset=utf-8>"
        f"<title>{title} - Kabar Kota</title></head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/kota'>Kota</a></nav>"
        f"<main><h1>{title}</h1><div class='byline'>Penulis: Budi Santoso</div>{photos}"
        f"<p>{PARAGRAPHS[0]}</p>"
        f"<section class='terkait'><h2>Berita Terkait</h2><ul>{related}</ul></section></main>"
        "<footer>© 2024 Kabar Kota</footer></body></html>"
    )


@dataclass
class Site:
    """The publisher's pages; `hits` counts requests per path, `delay` slows the article pages."""

    articles: int = 12
    delay: float = 0.0
    hits: Counter[str] = field(default_factory=Counter)
    base: str = ""
    changed: set[int] = field(default_factory=set)  # article numbers whose text has been edited
    # The publisher's offset: when set, its feed and sitemap write their dates in it and its pages print local
    # time without a zone (a publisher in Makassar, WITA, +08:00).
    offset: timedelta | None = None
    galleries: set[int] = field(default_factory=set)  # article numbers that are photo stories (gallery_html)

    def title(self, number: int) -> str:
        return f"Perluasan jaringan bus kota bagian {number}"

    def listed(self, number: int) -> datetime:
        """The date the feed and the sitemap give article `number`, in the publisher's offset."""
        moment = datetime(2024, 5, 1, tzinfo=UTC) + timedelta(hours=number)
        return moment.astimezone(timezone(self.offset)) if self.offset is not None else moment

    def page(self, number: int) -> str:
        if number in self.galleries:
            return gallery_html(number, self.title(number))
        html = article_html(number, self.title(number), self.offset)
        if number in self.changed:
            html = html.replace("(Berita", "(Diperbarui: berita")
        return html

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{self.title(n)}</title><link>{self.base}/berita/{n}</link>"
            f"<pubDate>{format_datetime(self.listed(n))}</pubDate></item>"
            for n in range(self.articles // 2)
        )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Kabar Kota</title>"
            f"<link>{self.base}/</link>{items}</channel></rss>"
        )

    def sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.base}/berita/{n}</loc><news:news><news:publication><news:name>Kabar Kota"
            "</news:name><news:language>id</news:language></news:publication><news:publication_date>"
            f"{self.listed(n).isoformat()}</news:publication_date>"
            f"<news:title>{self.title(n)}</news:title></news:news></url>"
            for n in range(self.articles)
        )
        xml = (
            "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>{urls}"
            f"<url><loc>{self.base}/sample/apnews</loc></url></urlset>"
        )
        return gzip.compress(xml.encode())


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.hits[path] += 1
            if path == "/":
                home = (
                    "<!doctype html><html><head><title>Kabar Kota</title>"
                    "<link rel='alternate' type='application/rss+xml' href='/rss.xml'></head>"
                    "<body><h1>Kabar Kota</h1></body></html>"
                )
                self.send(200, home.encode(), "text/html; charset=utf-8")
            elif path == "/robots.txt":
                robots = f"User-agent: *\nDisallow: /admin/\nSitemap: {site.base}/sitemap-index.xml\n"
                self.send(200, robots.encode(), "text/plain")
            elif path == "/rss.xml":
                if self.headers.get("If-None-Match") == FEED_ETAG:
                    self.send(304, b"", "application/rss+xml")
                else:
                    self.send(200, site.feed().encode(), "application/rss+xml", {"ETag": FEED_ETAG})
            elif path == "/sitemap-index.xml":
                index = (
                    "<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/"
                    f"sitemap/0.9'><sitemap><loc>{site.base}/sitemap-news.xml.gz</loc></sitemap></sitemapindex>"
                )
                self.send(200, index.encode(), "application/xml")
            elif path == "/sitemap-news.xml.gz":
                self.send(200, site.sitemap(), "application/gzip")
            elif path.startswith("/berita/") and path.rsplit("/", 1)[1].isdigit():
                sleep(site.delay)
                self.send(200, site.page(int(path.rsplit("/", 1)[1])).encode(), "text/html; charset=utf-8")
            elif path == "/sample/apnews":
                self.send(200, gzip.decompress((SAMPLES / "APNews_2024_09_03.html.gz").read_bytes()), "text/html")
            else:
                self.send(404, b"not found", "text/plain")

    return Handler


def serve(site: Site, host: str = "127.0.0.1") -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer((host, 0), handler_for(site))
    server.daemon_threads = True
    site.base = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
