"""Render an `Article` as JSON, Markdown, plain text or a small HTML document."""

from __future__ import annotations

import json
from html import escape

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


_HTML_TAGS = {
    BlockKind.PARAGRAPH: "p",
    BlockKind.QUOTE: "blockquote",
    BlockKind.LIST_ITEM: "li",
    BlockKind.PREFORMATTED: "pre",
    BlockKind.TABLE_ROW: "p",
}


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
    for block in article.body:
        tag = f"h{min(max(block.level, 2), 6)}" if block.kind is BlockKind.HEADING else _HTML_TAGS[block.kind]
        out.append(f"<{tag}>{escape(block.text)}</{tag}>")
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
