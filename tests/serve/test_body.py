"""The body as the reader shows it: blocks to HTML (one renderer, shared with `warta extract --format html`),
and the sanitiser as the last gate."""

from __future__ import annotations

from warta.models import Article, Block, BlockKind
from warta.render import blocks_html, to_html
from warta.serve.body import body_html, sanitise
from warta.serve.links import web_url

BLOCKS = (
    Block(BlockKind.PARAGRAPH, "Satu <b>dua</b>"),
    Block(BlockKind.HEADING, "Subjudul", 2),
    Block(BlockKind.LIST_ITEM, "a", 1),
    Block(BlockKind.LIST_ITEM, "b", 1),
    Block(BlockKind.QUOTE, "Kutipan"),
    Block(BlockKind.TABLE_ROW, "Nama | Nilai"),
    Block(BlockKind.TABLE_ROW, "Ana | 9"),
    Block(BlockKind.PREFORMATTED, "x = 1"),
)


def test_blocks_become_structure_and_their_text_stays_text() -> None:
    assert body_html(BLOCKS) == (
        "<p>Satu &lt;b&gt;dua&lt;/b&gt;</p>\n<h3>Subjudul</h3>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        "<blockquote><p>Kutipan</p></blockquote>\n<table><tbody>\n<tr><td>Nama</td><td>Nilai</td></tr>\n"
        "<tr><td>Ana</td><td>9</td></tr>\n</tbody></table>\n<pre>x = 1</pre>"
    )


def test_one_renderer_for_the_reader_and_the_command_line() -> None:
    # Headings sit below the page's one <h1>: a level-1 heading (or one without a level) becomes <h2>, and
    # nothing goes past <h6>.
    headings = [Block(BlockKind.HEADING, "a", 1), Block(BlockKind.HEADING, "b", 0), Block(BlockKind.HEADING, "c", 6)]
    assert blocks_html(headings) == "<h2>a</h2>\n<h2>b</h2>\n<h6>c</h6>"
    # Each run of list items or table rows is wrapped on its own.
    runs = [Block(BlockKind.LIST_ITEM, "a"), Block(BlockKind.PARAGRAPH, "p"), Block(BlockKind.LIST_ITEM, "b")]
    assert blocks_html(runs) == "<ul>\n<li>a</li>\n</ul>\n<p>p</p>\n<ul>\n<li>b</li>\n</ul>"
    assert blocks_html([]) == ""
    # The command line's document holds the same body HTML as the reader's page (which only sanitises it).
    document = to_html(Article(title="Judul <i>", body=BLOCKS))
    assert blocks_html(BLOCKS) in document
    assert blocks_html(BLOCKS) == body_html(BLOCKS)
    assert "<h1>Judul &lt;i&gt;</h1>" in document
    assert "<script" not in document


def test_the_sanitiser_drops_scripts_handlers_and_script_urls() -> None:
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(2)">b</a>'
        '<img src="data:text/html,x" onerror="y()"><a href="https://ok.example/">c</a><iframe src="/x"></iframe></p>'
    )
    clean = sanitise(dirty)
    for bad in ("onclick", "<script", "alert(1)", "javascript:", "data:", "onerror", "<iframe"):
        assert bad not in clean, bad
    assert '<a href="https://ok.example/" rel="noopener noreferrer nofollow">c</a>' in clean


def test_only_web_urls_reach_the_page() -> None:
    assert web_url("https://rmol.id/a.jpg") == "https://rmol.id/a.jpg"
    assert web_url("JavaScript:alert(1)") is None
    assert web_url("data:image/png;base64,AAAA") is None
    assert web_url("/relative.jpg") is None
    assert web_url(None) is None
