"""Read the dates and the byline a page prints in plain elements, from the text around its headline.

Many sites print the date in a plain `<span>` or `<p>` and the byline as a line of text ("By Jane Doe"),
with no mark a selector could find. This reads the visible text of the pruned page, so that the megabytes
of script data heavy pages carry are not searched, and keeps two things the choosers ask for later: a
sample of its sentences (the language, when a time lacks its zone) and the lines around the headline (the
byline window, where a reader sees the authors).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from warta.extract.metadata.author_candidates import add_as_written
from warta.extract.metadata.date_witnesses import UPDATED_LABEL, read_dateline
from warta.extract.metadata.record import Metadata
from warta.extract.people import opens_with_label, people_in
from warta.extract.zones import printed_offsets
from warta.models import Person

Node = Any  # selectolax.lexbor.LexborNode

# Many sites print the date in a plain <span> or <p>: the page's text lines from just above the headline on
# are read too, the first few that are short and hold a date.
MAX_TEXT_DATELINES = 4
MAX_TEXT_DATELINE_CHARS = 60
LINES_ABOVE_HEADLINE = 30  # raw lines, blank ones included
# Characters of visible text kept to name the language of a page that declares none (only needed, and only
# read, when a time lacks its zone).
TEXT_SAMPLE_CHARS = 3000
MIN_SAMPLE_LINE = 60  # characters: a sentence, not a menu entry
MAX_TEXT_DATELINE_WINDOW = 20_000  # characters of text from there on
# A byline printed as plain text ("By Jane Doe") is a short labelled line among the first ones read there.
MAX_TEXT_BYLINE_LINES = 40
MAX_TEXT_BYLINE_CHARS = 80
# The lines around the headline kept for the author chooser (raw lines, blank ones included), and the
# longest kept: a byline with a date and a job title, not a paragraph.
MAX_BYLINE_WINDOW_LINES = 120
# A label printed alone on its line ("Autor", "By", "Auteur(s) :"), its names on the next.
MAX_BARE_LABEL_CHARS = 20
MAX_BYLINE_WINDOW_CHARS = 200
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# A dateline that opens the lead paragraph, press-release and wire style: "27.1.2022 - Bei der ...",
# "BERLIN, 3. März 2024 – Die ...", "01.02.2022 „Der Arbeitsmarkt ...". Only its opening is read.
_LEAD_DATELINE = re.compile(r"^(?P<dateline>[^\n]{6,48}?\d)\s*(?:[-–—|:]\s|[„“\"«])")


def read_visible_text(meta: Metadata, body: Node, now: datetime | None) -> None:
    """Read dates and a byline printed in plain elements: short lines of the text around the headline."""
    text = body.text(deep=True, separator="\n")
    start = 0
    headline = body.css_first("h1")
    first_line = headline.text(deep=True, separator="\n").strip().split("\n")[0].strip() if headline else ""
    if first_line:
        start = max(0, text.find(first_line))
        for _ in range(LINES_ABOVE_HEADLINE):
            start = max(0, text.rfind("\n", 0, max(0, start - 1)))
    found = 0
    previous = ""
    byline: list[Person] = []
    next_line: list[Person] = []
    label_line = -2
    # A bounded window of the text, split and stripped in C; blank lines between elements are dropped, so
    # "the line before" is the previous piece of text.
    meta.printed_zones.update(printed_offsets(text))
    window = text[start : start + MAX_TEXT_DATELINE_WINDOW].split("\n")
    meta.text_sample = " ".join(line for line in map(str.strip, window) if len(line) >= MIN_SAMPLE_LINE)[
        :TEXT_SAMPLE_CHARS
    ]
    lines = list(filter(None, map(str.strip, window[:MAX_BYLINE_WINDOW_LINES])))
    meta.byline_window = "\n".join(line for line in lines if len(line) <= MAX_BYLINE_WINDOW_CHARS).casefold()
    for index, line in enumerate(filter(None, map(str.strip, window))):
        near = index < MAX_TEXT_BYLINE_LINES and len(line) <= MAX_TEXT_BYLINE_CHARS
        if not byline and near and opens_with_label(line):
            byline = people_in(line)  # "By Jane Doe" printed in a plain <p>
            if byline:
                add_as_written(meta, "text:as-written", [line])
            elif len(line) <= MAX_BARE_LABEL_CHARS:
                label_line = index  # "Autor" or "By" alone: the name is on the next line
        elif not next_line and label_line == index - 1 and near:
            next_line = people_in(line)
            meta.author_extras.append(("text:after-label", next_line, False))
        if len(line) > MAX_TEXT_DATELINE_CHARS and (lead := _LEAD_DATELINE.match(line)) is not None:
            line = lead["dateline"]
        if len(line) <= MAX_TEXT_DATELINE_CHARS and _HAS_YEAR.search(line):
            # "Last Updated:" on its own line labels the date on the next.
            labelled = len(previous) <= MAX_TEXT_DATELINE_CHARS and UPDATED_LABEL.search(previous) is not None
            found += read_dateline(meta, line, "dateline:text", now, updated=labelled)
            if found >= MAX_TEXT_DATELINES:
                break
        previous = line
    meta.author_candidates.append(("text:byline", byline, False))
