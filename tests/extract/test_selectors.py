import re

import pytest

from warta.extract import selectors as sel


def _marks_by_group(class_attr: str | None, id_attr: str | None) -> int:
    """The definition class_marks must keep: one substring search per group of words."""
    value = f"{class_attr or ''} {id_attr or ''}".lower()
    marks = 0
    for index, (_name, words) in enumerate(sel.CLASS_WORD_GROUPS):
        if re.search("|".join(words), value):
            marks |= 1 << (sel.FIRST_WORD_MARK + index)
    return marks


@pytest.mark.parametrize(
    ("class_attr", "id_attr"),
    [
        ("post-content entry", None),
        ("navbar", "main-menu"),
        # Words that overlap or nest: one group's word inside another's, or sharing letters at a seam.
        ("tagline", None),
        ("nextext", None),
        ("related-posts-widget", "sidebar"),
        ("dateline timestamp", "author-info"),
        ("PROMOTED-Story", None),
        ("", ""),
        (None, None),
    ],
)
def test_class_marks_match_one_search_per_group(class_attr: str | None, id_attr: str | None) -> None:
    assert sel.class_marks(class_attr, id_attr) == _marks_by_group(class_attr, id_attr)


def test_class_marks_on_every_word_and_pair_of_words() -> None:
    words = [word for _name, group in sel.CLASS_WORD_GROUPS for word in group]
    for first in words:
        for second in words:
            for joined in (first + second, f"{first} {second}", first[1:] + second[:-1]):
                assert sel.class_marks(joined, None) == _marks_by_group(joined, None), joined
