"""Online story assignment: each report joins the story it tells of, or starts one, as it arrives.

Nothing is re-clustered: a new report is compared with the stories that could hold it, and the stories
already made stay as they are. A story could hold a report when
- it is not too far in time: a report dated more than WINDOW_DAYS outside the dated span of a story's
  reports is another happening (the next rate decision, the appeal, the eruption a year later);
- its centroid is among the CANDIDATES nearest the report's embedding (the rest share nothing of its
  topic, and skipping them keeps assignment fast in a large store).
The report joins the candidate whose reports it matches best on average (the pair model's probability of
one happening, `warta.stories.pairs`), when that average reaches JOIN_PROBABILITY. Averaging over the
story, not taking its closest report, keeps a look-alike from joining through one near neighbour.

A copy of a text already seen joins the story of its original, whatever the model says, and is marked as a
copy. Copies are found by the caller (`warta.stories.copies`) before the index is asked, so that they need
not be embedded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from warta.stories.pairs import PairModel, features, shipped
from warta.stories.profile import Profile

# How far outside a story's dated span a dated report may fall: a developing story is reported over days.
WINDOW_DAYS = 7
# Stories compared in full with a new report, nearest centroids first.
CANDIDATES = 8
# The average probability of one happening, over a story's reports, at which a report joins it. Chosen on
# the labelled story set with pair models that never saw the story judged (benchmarks/stories.py): scores
# are flat from 0.5 to 0.6 and fall above it, so the middle of the plateau's upper half.
JOIN_PROBABILITY = 0.6
# A story's newest reports compared with a new one: enough to judge it, bounded however large it grows.
MAX_COMPARED = 24


@dataclass(slots=True)
class Story:
    """The newest reports of one happening, in the order they joined, and what places it in time and topic."""

    id: int
    key: int | None = None  # the story's id in a store, once it has one
    members: list[Profile] = field(default_factory=list)
    first: date | None = None
    last: date | None = None

    def add(self, member: Profile) -> None:
        # Only the newest reports are compared with a new one (MAX_COMPARED), and without their text.
        self.members.append(replace(member, report=replace(member.report, title=None, text=None)))
        if len(self.members) > MAX_COMPARED:
            del self.members[0]
        if member.day is not None:
            self.first = min(self.first or member.day, member.day)
            self.last = max(self.last or member.day, member.day)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where a report went: its story (the index's number for it, and its key in a store when it has one),
    and the report it copies when it is a copy."""

    story: int
    copy_of: str | None = None
    key: int | None = None


# The span of a story with no dated report: every day is inside it.
_EARLIEST, _LATEST = date.min.toordinal() - 10 * WINDOW_DAYS, date.max.toordinal() + 10 * WINDOW_DAYS


class StoryIndex:
    """The stories made so far; `add` assigns one report."""

    def __init__(self, model: PairModel | None = None, *, join: float = JOIN_PROBABILITY) -> None:
        self.model = model or shipped()
        self.join = join
        self.stories: list[Story] = []
        self._story_of: dict[str, int] = {}
        # The sum of each story's embeddings, one row per story, in an array that doubles when full (growing
        # it a row at a time would copy it for every new story), and the rows' lengths: a centroid is a row
        # over its length.
        self._sums = np.zeros((0, 0), dtype=np.float32)
        self._lengths = np.zeros(0, dtype=np.float32)
        # Each story's dated span as day ordinals, an undated story's as wide as the calendar.
        self._first = np.zeros(0, dtype=np.int64)
        self._last = np.zeros(0, dtype=np.int64)

    def add(self, member: Profile, *, copy_of: str | None = None) -> Assignment:
        """Assign `member`; `copy_of` names the report whose text it copies, if it copies one."""
        if copy_of is not None and copy_of in self._story_of:
            story = self.stories[self._story_of[copy_of]]
            self._join(story, member)
            return Assignment(story.id, copy_of=copy_of, key=story.key)
        best, probability = self._best(member)
        if best is None or probability < self.join:
            best = Story(len(self.stories))
            self.stories.append(best)
        self._join(best, member)
        return Assignment(best.id, key=best.key)

    def load(self, key: int, members: list[Profile]) -> None:
        """Add a story a store holds, with its reports, oldest first."""
        story = Story(len(self.stories), key=key)
        self.stories.append(story)
        for member in members:
            self._join(story, member)

    def embedding(self, report: str) -> np.ndarray | None:
        """The embedding of a report the index holds, while its story still compares it (the newest
        MAX_COMPARED of each story)."""
        story = self._story_of.get(report)
        if story is None:
            return None
        return next((m.embedding for m in self.stories[story].members if m.report.id == report), None)

    def _best(self, member: Profile) -> tuple[Story | None, float]:
        best: Story | None = None
        best_probability = 0.0
        for index in self._nearest(member):
            compared = self.stories[index].members
            probability = sum(self.model.probability(features(member, other)) for other in compared) / len(compared)
            if probability > best_probability:
                best, best_probability = self.stories[index], probability
        return best, best_probability

    def _nearest(self, member: Profile) -> list[int]:
        """The CANDIDATES stories nearest `member` by centroid among those whose window holds its day. The
        window is checked first, on arrays of every story's dated span: in a large store a dated report is
        compared with the few stories of its days, not with all of them."""
        count = len(self.stories)
        if not count:
            return []
        if member.day is None:
            rows = None
            similarity = (self._sums[:count] @ member.embedding) / self._lengths[:count]
        else:
            day = member.day.toordinal()
            inside = (self._first[:count] - WINDOW_DAYS <= day) & (day <= self._last[:count] + WINDOW_DAYS)
            rows = np.flatnonzero(inside)
            if not len(rows):
                return []
            similarity = (self._sums[rows] @ member.embedding) / self._lengths[rows]
        shortlist = min(CANDIDATES, len(similarity))
        head = np.argpartition(-similarity, shortlist - 1)[:shortlist]
        ranked = head[np.argsort(-similarity[head])]
        return [int(i) for i in (ranked if rows is None else rows[ranked])]

    def _join(self, story: Story, member: Profile) -> None:
        story.add(member)
        self._story_of[member.report.id] = story.id
        if story.id >= len(self._sums):
            size = max(16, 2 * len(self._sums))
            grown = np.zeros((size, len(member.embedding)), dtype=np.float32)
            if len(self._sums):
                grown[: len(self._sums)] = self._sums
            self._sums = grown
            self._lengths = np.concatenate([self._lengths, np.ones(size - len(self._lengths), dtype=np.float32)])
            self._first = np.concatenate([self._first, np.full(size - len(self._first), _EARLIEST)])
            self._last = np.concatenate([self._last, np.full(size - len(self._last), _LATEST)])
        self._sums[story.id] += member.embedding
        self._lengths[story.id] = np.linalg.norm(self._sums[story.id]) or 1.0
        if story.first is not None and story.last is not None:
            self._first[story.id], self._last[story.id] = story.first.toordinal(), story.last.toordinal()
