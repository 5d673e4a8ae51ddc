"""Render an `Article` as JSON, Markdown, plain text or a small HTML document.

`blocks_html` is the one place body blocks become HTML: the command line's `--format html` and the web
reader (which sanitises its result once more, see `warta.serve.body`) both use it, so they cannot drift.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape

from warta.extract.selectors import CELL_SEPARATOR
from warta.models import Article, Block, BlockKind

FORMATS = ("json", "markdown", "text", "html")


def to_json(article: Article, pretty: bool = False) -> str:
    """One article as JSON; one line unless `pretty`."""
    if pretty:
        return json.dumps(article.to_dict(), ensure_ascii=False, indent=2)
    return json.dumps(article.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _byline(article: Article) -> str:
    names = ", ".join(p.name + (f" ({p.role})" if p.role else "") for p in article.authors)
    parts = [names] if names else []
    if article.published:
        parts.append(article.published.isoformat())
    if article.site_name:
        parts.append(article.site_name)
    return " · ".join(parts)


def _markdown_block(block: Block) -> str:
    if block.kind is BlockKind.HEADING:
        return "#" * min(max(block.level, 2), 6) + " " + block.text
    if block.kind is BlockKind.QUOTE:
        return "\n".join("> " + line for line in block.text.splitlines())
    if block.kind is BlockKind.LIST_ITEM:
        return "  " * max(block.level - 1, 0) + "- " + block.text
    if block.kind is BlockKind.PREFORMATTED:
        return "```\n" + block.text + "\n```"
    return block.text


def to_markdown(article: Article) -> str:
    """The article as Markdown: headline, byline, body."""
    out = []
    if article.title:
        out.append("# " + article.title)
    byline = _byline(article)
    if byline:
        out.append("*" + byline + "*")
    out.extend(_markdown_block(block) for block in article.body)
    return "\n\n".join(out) + "\n"


def to_text(article: Article) -> str:
    """The article as plain text: headline, then the body."""
    parts = [article.title] if article.title else []
    if article.body:
        parts.append(article.text)
    return "\n\n".join(parts) + "\n"


# Runs of these kinds share one wrapping element: list items one <ul>, table rows one <table>.
_WRAPPERS = {
    BlockKind.LIST_ITEM: ("<ul>", "</ul>"),
    BlockKind.TABLE_ROW: ("<table><tbody>", "</tbody></table>"),
}


def _heading_tag(level: int) -> str:
    # The page's headline is its one <h1>, so the body's headings start one level below it; a heading
    # without a level counts as level 1.
    return f"h{min(max(level, 1) + 1, 6)}"


def _cells(text: str) -> str:
    # Split on the bar alone: the extractor trims each line of a run after joining the cells, so a line break
    # in a cell can take the space off the separator next to it ("a\n| b").
    return "".join(f"<td>{cell.strip()}</td>" for cell in text.split(CELL_SEPARATOR.strip()))


def _block_html(block: Block) -> str:
    text = escape(block.text)
    if block.kind is BlockKind.HEADING:
        tag = _heading_tag(block.level)
        return f"<{tag}>{text}</{tag}>"
    if block.kind is BlockKind.QUOTE:
        return f"<blockquote><p>{text}</p></blockquote>"
    if block.kind is BlockKind.LIST_ITEM:
        return f"<li>{text}</li>"
    if block.kind is BlockKind.PREFORMATTED:
        return f"<pre>{text}</pre>"
    if block.kind is BlockKind.TABLE_ROW:
        return f"<tr>{_cells(text)}</tr>"
    return f"<p>{text}</p>"


def blocks_html(blocks: Iterable[Block]) -> str:
    """The body as HTML, one element a line, every text escaped.

    >>> blocks_html([Block(BlockKind.HEADING, "Lagi", 2), Block(BlockKind.LIST_ITEM, "a & b")])
    '<h3>Lagi</h3>\\n<ul>\\n<li>a &amp; b</li>\\n</ul>'
    """
    out: list[str] = []
    wrapper: BlockKind | None = None
    for block in blocks:
        if block.kind is not wrapper:
            if wrapper is not None:
                out.append(_WRAPPERS[wrapper][1])
            wrapper = block.kind if block.kind in _WRAPPERS else None
            if wrapper is not None:
                out.append(_WRAPPERS[wrapper][0])
        out.append(_block_html(block))
    if wrapper is not None:
        out.append(_WRAPPERS[wrapper][1])
    return "\n".join(out)


def to_html(article: Article) -> str:
    """The article as a minimal, script-free HTML document; every value is escaped."""
    lang = f' lang="{escape(article.language)}"' if article.language else ""
    out = [f"<!doctype html>\n<html{lang}><head><meta charset=utf-8>"]
    out.append(f"<title>{escape(article.title or '')}</title></head><body><article>")
    if article.title:
        out.append(f"<h1>{escape(article.title)}</h1>")
    byline = _byline(article)
    if byline:
        out.append(f"<p class=byline>{escape(byline)}</p>")
    if article.body:
        out.append(blocks_html(article.body))
    out.append("</article></body></html>")
    return "\n".join(out) + "\n"


def render(article: Article, fmt: str, single: bool) -> str:
    """Render in `fmt`; JSON is pretty for a single article and one line per article in a batch."""
    if fmt == "json":
        return to_json(article, pretty=single) + "\n"
    if fmt == "markdown":
        return to_markdown(article)
    if fmt == "text":
        return to_text(article)
    if fmt == "html":
        return to_html(article)
    raise ValueError(f"unknown format {fmt!r}")
