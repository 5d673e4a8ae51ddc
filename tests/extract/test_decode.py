from __future__ import annotations

import pytest

from warta.errors import BinaryInputError, EmptyInputError
from warta.extract.decode import charset_from_content_type, codec_for, decode

TEXT = "Berita café — naïve “quotes”"


def test_bom_wins_over_meta() -> None:
    data = b"\xef\xbb\xbf<meta charset=windows-1252><p>" + TEXT.encode("utf-8")
    text, codec = decode(data)
    assert codec == "utf-8"
    assert TEXT in text


def test_http_charset_wins_over_meta() -> None:
    data = b"<meta charset=utf-8><p>" + TEXT.encode("cp1252")
    text, codec = decode(data, declared="windows-1252")
    assert codec == "cp1252"
    assert TEXT in text


def test_meta_charset_is_used() -> None:
    data = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><p>'
    data += "Привет мир".encode("koi8-r")
    text, codec = decode(data)
    assert codec == "koi8-r"
    assert "Привет мир" in text


def test_latin1_label_means_windows_1252() -> None:
    assert codec_for("ISO-8859-1") == "cp1252"
    assert codec_for("no-such-charset") is None


@pytest.mark.parametrize(
    ("meta", "sample"),
    [
        (b"<meta charset=iso-8859-1>", TEXT),
        (b'<meta http-equiv="content-type" content="text/html;charset=GB2312">', "促进航天技术更好惠及人民"),
    ],
)
def test_mislabelled_utf8_is_read_as_utf8(meta: bytes, sample: str) -> None:
    text, codec = decode(meta + b"<p>" + sample.encode("utf-8"))
    assert codec == "utf-8"
    assert sample in text


def test_real_gb2312_is_still_read_as_declared() -> None:
    title = "促进航天技术更好惠及人民"
    text, _codec = decode(b"<meta charset=GB2312><p>" + title.encode("gb2312"))
    assert title in text


def test_undeclared_legacy_encoding_is_detected() -> None:
    sentence = "Les élèves français étudient l'économie et la société à l'université. " * 20
    text, _codec = decode(("<p>" + sentence).encode("cp1252"))
    assert "élèves français" in text


def test_content_type_charset_parameter() -> None:
    assert charset_from_content_type('text/html; charset="Shift_JIS"') == "Shift_JIS"
    assert charset_from_content_type("text/html") is None


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"%PDF-1.7\n%\xe2\xe3", bytes(range(256)) * 8],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode(data)


def test_empty_is_refused() -> None:
    with pytest.raises(EmptyInputError):
        decode(b"  \n\t ")
