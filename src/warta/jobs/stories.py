"""Story assignment over the store: the articles without a story join one, in the order they were published.

Runs after a crawl, an import or a re-extraction, and as `warta stories`. It goes on from the stories the
store holds (their reports' profiles are kept, so nothing is embedded twice) and never re-clusters them: each
new article joins a story or starts one, as it would have on arrival.
"""

from __future__ import annotations

from warta.extras import missing
from warta.jobs.workers import Progress, Summary
from warta.store import Store
from warta.stories.assign import StoryIndex
from warta.stories.batch import UNREAD, copies_among, embedded
from warta.stories.copies import Copies
from warta.stories.embed import E5, Embedder
from warta.stories.profile import Report, profile

# Articles read and embedded at a time.
BATCH = 256


def assign_stories(store: Store, embedder: Embedder | None = None, progress: Progress | None = None) -> Summary:
    """Assign every article without a story; the summary counts reports that joined a story, started one,
    or were copies."""
    summary = Summary("stories")
    store.drop_empty_stories()
    pending = store.unassigned(BATCH)
    if not pending:
        return summary
    embedder = embedder or E5()
    index: StoryIndex | None = None
    copies = Copies()
    while pending:
        reports = [Report(a.id, a.title, a.article.text, a.language, a.published, a.url) for a in pending]
        unread = [profile(report, UNREAD) for report in reports]
        if index is None:
            index = StoryIndex()
            days = [member.day for member in unread if member.day is not None]
            for key, (members, sketches) in store.story_profiles(min(days) if days else None).items():
                index.load(key, members)
                for report, values in sketches.items():
                    copies.load(report, values)
        # Copies first, in the order the articles are assigned (the order they were published), so that only
        # the others are embedded.
        copy_of = copies_among(copies, unread)
        read = embedded(unread, copy_of, embedder, known=index.embedding)
        for article, member in zip(pending, read, strict=True):
            assignment = index.add(member, copy_of=copy_of.get(article.id))
            story = index.stories[assignment.story]
            minhash = copies.values(article.id)
            story.key = store.assign_story(article, member, story.key, assignment.copy_of, minhash)
            outcome = "copies" if assignment.copy_of else "joined" if assignment.key is not None else "started"
            summary.counts[outcome] += 1
        if progress is not None:
            progress("stories", len(pending))
        pending = store.unassigned(BATCH)
    return summary


def assign_if_installed(store: Store, progress: Progress | None = None) -> Summary | None:
    """`assign_stories` when the `stories` extra is installed; None when it is not (the articles wait, and
    the next run with it assigns them)."""
    if missing("stories"):
        return None
    return assign_stories(store, progress=progress)
