"""Story assignment over a batch of reports, as if they arrived one by one in the order of their days."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

import numpy as np

from warta.jsonlines import json_object
from warta.stories.assign import JOIN_PROBABILITY, Assignment, StoryIndex
from warta.stories.copies import Copies
from warta.stories.embed import Embedder
from warta.stories.pairs import PairModel
from warta.stories.profile import Profile, Report, profile

# Reports with no day at all come after the dated ones: by then their stories have formed.
_UNDATED = date.max
# The embedding of a report not embedded yet.
UNREAD = np.zeros(0, dtype=np.float32)
# Leads embedded per step between progress reports.
EMBED_STEP = 64


def profiles(reports: Sequence[Report], embedder: Embedder) -> list[Profile]:
    """Each report read into a `Profile`, the leads embedded in batches."""
    embeddings = embedder([report.lead for report in reports])
    return [profile(report, embedding) for report, embedding in zip(reports, embeddings, strict=True)]


def cluster(
    reports: Sequence[Report],
    embedder: Embedder,
    *,
    model: PairModel | None = None,
    copies: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Assignment]:
    """The story of each report, by id. Reports are assigned in the order of their day (the publication
    day, else a day the text names), undated ones last, so each joins the stories as they stood when it
    would have arrived.

    Embedding is nearly all the cost, so copies are found first and only the texts that are not copies
    are embedded, each distinct lead once: a copy joins its original's story whatever its embedding says,
    and stands in the story with the original's. `progress` is told (leads embedded, leads to embed).
    """
    unread = [profile(report, UNREAD) for report in reports]
    copy_of = find_copies(unread) if copies else {}
    read = embedded(unread, copy_of, embedder, progress)
    assigned = in_order(read, model=model, copy_of=copy_of)
    return {member.report.id: assignment for member, assignment in zip(read, assigned, strict=True)}


def day_order(read: Sequence[Profile]) -> list[int]:
    """Positions in `read` in the order reports would have arrived: by day, undated last, else as given."""
    return sorted(range(len(read)), key=lambda i: (read[i].day or _UNDATED, i))


def find_copies(read: Sequence[Profile]) -> dict[str, str]:
    """The original of each report that copies an earlier one (in `day_order`), by id."""
    return copies_among(Copies(), [read[i] for i in day_order(read)])


def copies_among(seen: Copies, arriving: Iterable[Profile]) -> dict[str, str]:
    """The original of each report in `arriving` (in the order given) that copies a text `seen` holds or an
    earlier one of them, by id; `seen` is told of each."""
    out = {}
    for member in arriving:
        original = seen.add(member.report.id, member.report.text or "")
        if original is not None:
            out[member.report.id] = original
    return out


def in_order(
    read: Sequence[Profile],
    *,
    model: PairModel | None = None,
    copy_of: Mapping[str, str] | None = None,
    join: float = JOIN_PROBABILITY,
) -> list[Assignment]:
    """The assignment of each profile, in the order given, made in `day_order`. `copy_of` names the copies
    and their originals (`find_copies`, which runs when it is not given; `{}` for none)."""
    if copy_of is None:
        copy_of = find_copies(read)
    index = StoryIndex(model, join=join)
    out: list[Assignment | None] = [None] * len(read)
    for i in day_order(read):
        out[i] = index.add(read[i], copy_of=copy_of.get(read[i].report.id))
    return [assignment for assignment in out if assignment is not None]


def embedded(
    unread: Sequence[Profile],
    copy_of: Mapping[str, str],
    embedder: Embedder,
    progress: Callable[[int, int], None] | None = None,
    known: Callable[[str], np.ndarray | None] = lambda report: None,
) -> list[Profile]:
    """The profiles with their embeddings: each distinct lead of a report that is not a copy embedded once,
    a copy given its original's. An original that is not in `unread` is asked of `known`; when that does
    not know it either, the copy is embedded itself."""
    by_id = {member.report.id: member for member in unread}

    def source(member: Profile) -> Profile | np.ndarray:
        # A copy's original may copy a still earlier text (copying is not transitive): the chain ends at the
        # first text.
        while (original := copy_of.get(member.report.id)) is not None:
            if original not in by_id:
                found = known(original)
                return member if found is None else found
            member = by_id[original]
        return member

    sources = [source(member) for member in unread]
    leads = list(dict.fromkeys(found.report.lead for found in sources if isinstance(found, Profile)))
    rows: dict[str, np.ndarray] = {}
    for start in range(0, len(leads), EMBED_STEP):
        step = leads[start : start + EMBED_STEP]
        rows.update(zip(step, embedder(step), strict=True))
        if progress is not None:
            progress(start + len(step), len(leads))
    return [
        replace(member, embedding=rows[found.report.lead] if isinstance(found, Profile) else found)
        for member, found in zip(unread, sources, strict=True)
    ]


def read_report(line: str, number: int) -> Report | str:
    """A report from one JSON Lines record ({"id", "url", "title", "text", "lang", "published"}, any of them
    null), or the reason it is not one. A record without an id is named by its line number."""
    record = json_object(line)
    if isinstance(record, str):
        return record
    fields = {name: record.get(name) for name in ("title", "text", "lang", "url")}
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        return "bad field"
    key = record.get("id")
    return Report(
        id=str(key) if key is not None else f"line-{number}",
        title=fields["title"],
        text=fields["text"],
        language=fields["lang"],
        published=_moment(record.get("published")),
        url=fields["url"],
    )


def _moment(value: object) -> date | datetime | None:
    """An ISO 8601 day or time; anything else is no date."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value.strip() else date.fromisoformat(value)
    except ValueError:
        return None
