"""Hostile input: each case once crashed extraction or took minutes. Now an Article or an ExtractionError.

A generous alarm stops a test that hangs instead of the whole run; no test asserts a duration.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import warta
from warta.errors import ExtractionError, TooLargeError
from warta.extract import limits
from warta.extract.credits import split_credit
from warta.extract.datelines import parse_dateline
from warta.extract.decode import codec_for, decode
from warta.extract.feed import looks_like_feed
from warta.extract.hydration import embedded_html
from warta.extract.limits import bound_markup
from warta.extract.people import people_in
from warta.extract.urls import web_url

PROSE = "<p>The council met on Tuesday to discuss the budget for the new school year.</p>"
PAGE = f"<html><head><title>Budget talks</title></head><body>{PROSE}</body></html>"
# Seconds after which a case counts as hung: far above what any of them takes.
HANG_SECONDS = 60


@pytest.fixture(autouse=True)
def _hang_stopper() -> Iterator[None]:
    def hung(_signum: int, _frame: object) -> None:
        raise AssertionError(f"still running after {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "label", ["hex", "base64", "rot13", "zlib", "bz2", "uu", "quopri", "undefined", "idna", "punycode"]
)
def test_a_python_codec_that_is_no_text_encoding_is_ignored(label: str) -> None:
    assert codec_for(label) is None
    data = f"<html><head><meta charset={label}></head><body>{PROSE}</body></html>".encode()
    assert "council" in warta.extract(data).text
    assert "council" in warta.extract(PAGE.encode(), content_type=f"text/html; charset={label}").text


def test_whatwg_labels_name_their_encodings() -> None:
    assert codec_for("x-sjis") == "cp932"
    assert codec_for(" Latin1 ") == "cp1252"
    assert codec_for("iso-8859-8-i") == "iso8859-8"
    assert codec_for("replacement") is None
    text, codec = decode(b"<meta charset=koi8-r><p>" + "Привет".encode("koi8-r"))
    assert codec == "koi8-r"
    assert "Привет" in text


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_ld_nested_thousands_deep_gives_no_metadata(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    script = '<script type="application/ld+json">' + opener * 5000 + "1" + closer * 5000 + "</script>"
    article = warta.extract(PAGE.replace("</head>", script + "</head>"))
    assert "council" in article.text


def test_absurd_dates_are_no_dates() -> None:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_dateline("99999999 hari yang lalu", now=now) is None
    assert parse_dateline("99999999999999 days ago", now=now) is None
    meta = '<meta property="article:published_time" content="99999999999999">'
    assert warta.extract(PAGE.replace("</head>", meta + "</head>")).published is None


def test_malformed_urls_are_skipped() -> None:
    assert web_url("https://example.org/a", "http://[::1") is None
    page = PAGE.replace("</head>", '<link rel="canonical" href="http://[bad"><meta property="og:image" content="//[x">')
    page = page.replace("<body>", '<body><nav class="breadcrumb"><a href="http://[x">Home</a></nav>')
    assert "council" in warta.extract(page, "http://[broken/").text


def test_comments_before_the_root_do_not_backtrack() -> None:
    assert not looks_like_feed("<!--a-->" * 40 + "<html>")
    assert looks_like_feed("<?xml version='1.0'?><!-- a --- b --><rss version='2.0'>")
    assert "council" in warta.extract("<!--a-->" * 40 + PAGE).text


def test_a_long_word_ending_a_line_does_not_backtrack() -> None:
    article = warta.extract_text(
        "Intro line here.\nThe council met on Tuesday to discuss the budget. " + "a" * 100 + "!"
    )
    assert isinstance(article, warta.Article)


def test_a_long_line_without_a_slash_credit_is_linear() -> None:
    line = "a" * 200_000
    assert split_credit(line) == (line, None)
    assert split_credit("Pasukan CSTO di Almaty/Net") == ("Pasukan CSTO di Almaty", "Net")


def test_labels_in_a_row_are_read_once() -> None:
    assert people_in("by " * 50_000 + "Jane Doe")[-1].name == "Jane Doe"


def test_page_html_fed_as_text_is_read() -> None:
    text = PAGE + "\n" + "<a href=" + "x" * 3000 + "\n" + " - ".join(["word"] * 20_000)
    assert isinstance(warta.extract_text(text), warta.Article)


def test_many_unclosed_scripts_are_scanned_once() -> None:
    source = "<html><body>" + '<script>var a = "<p>hello</p>";' * 100_000
    assert embedded_html(source) is None


def test_deep_nesting_is_flattened() -> None:
    depth = 40_000
    page = "<html><body>" + "<div>" * depth + PROSE + "</div>" * depth + "</body></html>"
    bounded = bound_markup(page)
    assert bounded.count("<div>") == limits.MAX_DEPTH
    assert bounded.count("</div>") == limits.MAX_DEPTH
    assert "council" in warta.extract(page).text


def test_an_element_keeps_its_first_attributes() -> None:
    tag = "<div " + " ".join(f'a{i}="{i}"' for i in range(100_000)) + ">"
    bounded = bound_markup(f"<html><body>{tag}{PROSE}</div></body></html>")
    assert f'a{limits.MAX_ATTRIBUTES - 1}="' in bounded
    assert f'a{limits.MAX_ATTRIBUTES}="' not in bounded
    assert "council" in warta.extract(f"<html><body>{tag}{PROSE}</div></body></html>").text


def test_a_page_within_the_limits_is_left_as_it_is() -> None:
    page = PAGE.replace("<body>", "<body><svg>" + '<path d="M 0 0"/>' * 2000 + "</svg>")
    assert bound_markup(page) is page


@pytest.mark.parametrize(
    "data",
    [
        b"<p>" + b"x" * (limits.MAX_INPUT_BYTES + 1),
        "<p>" + "x" * (limits.MAX_INPUT_BYTES + 1),
        "<html><body>" + "<b></b>" * (limits.MAX_TAGS // 2 + 1),
    ],
)
def test_too_large_pages_are_refused(data: str | bytes) -> None:
    with pytest.raises(TooLargeError) as raised:
        warta.extract(data)
    assert raised.value.reason == "too-large"
    assert isinstance(raised.value, ExtractionError)


def test_too_many_lines_of_text_are_refused() -> None:
    with pytest.raises(TooLargeError):
        warta.extract_text("A line of text.\n" * (limits.MAX_TEXT_LINES + 1))


def test_too_much_text_is_refused() -> None:
    with pytest.raises(TooLargeError):
        warta.extract_text("A line of text that goes on. " * (limits.MAX_TEXT_CHARS // 20))
