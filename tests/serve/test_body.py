"""The body as the reader shows it: blocks to HTML, and the sanitiser as the last gate."""

from __future__ import annotations

from warta.serve.body import render, sanitise
from warta.serve.views import web_only


def test_blocks_become_structure_and_their_text_stays_text() -> None:
    html = render(
        [
            {"kind": "paragraph", "text": "Satu <b>dua</b>"},
            {"kind": "heading", "text": "Subjudul", "level": 2},
            {"kind": "list_item", "text": "a"},
            {"kind": "list_item", "text": "b"},
            {"kind": "quote", "text": "Kutipan"},
            {"kind": "table_row", "text": "Nama | Nilai"},
            {"kind": "table_row", "text": "Ana | 9"},
        ]
    )
    assert html == (
        "<p>Satu &lt;b&gt;dua&lt;/b&gt;</p>\n<h3>Subjudul</h3>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        "<blockquote><p>Kutipan</p></blockquote>\n<table><tbody>\n<tr><td>Nama</td><td>Nilai</td></tr>\n"
        "<tr><td>Ana</td><td>9</td></tr>\n</tbody></table>"
    )


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
    assert web_only("https://rmol.id/a.jpg") == "https://rmol.id/a.jpg"
    assert web_only("JavaScript:alert(1)") is None
    assert web_only("data:image/png;base64,AAAA") is None
    assert web_only("/relative.jpg") is None
    assert web_only(None) is None
