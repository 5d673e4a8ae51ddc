"""Story assignment over a batch of reports, as if they arrived one by one in the order of their days."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from warta.jsonlines import json_object
from warta.stories.assign import JOIN_PROBABILITY, Assignment, StoryIndex
from warta.stories.copies import Copies
from warta.stories.embed import Embedder
from warta.stories.pairs import PairModel
from warta.stories.profile import Profile, Report, profile

# Reports with no day at all come after the dated ones: by then their stories have formed.
_UNDATED = date.max


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
    progress: Callable[[int], None] | None = None,
) -> dict[str, Assignment]:
    """The story of each report, by id. Reports are assigned in the order of their day (the publication
    day, else a day the text names), undated ones last, so each joins the stories as they stood when it
    would have arrived."""
    read = profiles(reports, embedder)
    assigned = in_order(read, model=model, copies=copies, progress=progress)
    return {member.report.id: assignment for member, assignment in zip(read, assigned, strict=True)}


def in_order(
    read: Sequence[Profile],
    *,
    model: PairModel | None = None,
    copies: bool = True,
    join: float = JOIN_PROBABILITY,
    progress: Callable[[int], None] | None = None,
) -> list[Assignment]:
    """The assignment of each profile, in the order given, made in the order of their days."""
    order = sorted(range(len(read)), key=lambda i: (read[i].day or _UNDATED, i))
    index = StoryIndex(model, copies=Copies() if copies else None, join=join)
    out: list[Assignment | None] = [None] * len(read)
    for done, i in enumerate(order, start=1):
        out[i] = index.add(read[i])
        if progress is not None:
            progress(done)
    return [assignment for assignment in out if assignment is not None]


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
