"""The flattened-text path: the article in page text that a crawl dump delivers with its furniture.

The lines are weighed as prose or against it (see `lines.weigh`) and the article is the stretch of lines
that weighs most, or, when the page shows its headline plainly (a line the URL's slug spells, or one printed
twice), the heaviest stretch starting soon after it; a short box of related links inside the article is
stepped over. Around that stretch the header is read: the headline (the headline-shaped line nearest above
the article, preferring one the page prints twice or that the slug spells), then the bylines, datelines
and a captioned photo credit between the headline and the first paragraph, or just after the last.
The stretch itself becomes blocks with the HTML path's rules (`blocks.blocks_from_runs`): related-articles
headers end it, "Baca juga:" lines and copyright lines go, repeated lines go. Dates, people and sources go
through the same parsers and the same choice as on the HTML path.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from warta.errors import EmptyInputError
from warta.extract import line_features, phrases
from warta.extract import lines as ln
from warta.extract.blocks import blocks_from_runs
from warta.extract.credits import sources_in, split_credit
from warta.extract.decode import decode
from warta.extract.language import resolve_language
from warta.extract.learned import Models, Scorer
from warta.extract.limits import check_lines, check_size
from warta.extract.lines import Line, Reason, Role
from warta.extract.metadata import Metadata, choose, read_dateline, read_url_date
from warta.extract.people import clean_name, opens_with_label, people_in
from warta.extract.runs import Run
from warta.extract.urls import site_label, split_url
from warta.models import Article, Block, BlockKind, Image, Person

# How far above the article's first paragraph the headline is looked for, in lines; a recurring headline
# (printed twice) is found anywhere above.
HEADLINE_WINDOW = 25
# A headline has at least this many words and at most this many characters.
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_CHARS = 250
# Bylines and datelines are read this many lines after the article too ("Editor: Heru", "Sumber: ...").
TAIL_WINDOW = 6
# A byline or dateline line is short.
MAX_BYLINE_CHARS = 150
# Scores of the headline cues (see _headline): printed twice, spelled by the URL's slug, nearness.
RECURRING_BONUS = 2.0
SLUG_BONUS = 4.0
DISTANCE_COST = 0.05
# A line with this score is the headline wherever it stands (printed twice, or half the slug's words), and
# the article starts within ARTICLE_WITHIN lines after it.
ANCHOR_SCORE = 2.0
ARTICLE_WITHIN = 40
# A headline holding this share of the slug's words is trusted over the weights; one that only recurs must
# lead to a stretch with ANCHORED_SHARE of the heaviest one's weight.
SLUG_ANCHOR_SHARE = 0.5
ANCHORED_SHARE = 0.5

# A box of links inside the article: at most this many lines, then this many paragraphs of this length
# among the first lines after it (one more line: a subhead may stand between them).
MAX_BOX_LINES = 12
MIN_RESUME_PARAGRAPHS = 2
MIN_RESUME_PARAGRAPH = 100
# With a line model, a line the model takes for article text weighs its size, as prose does in the rules;
# any other line costs its size scaled by how sure the model is (0 at the model's threshold, all of it at
# probability 0), a short line counting as MIN_MODEL_COST characters, so a run of menu entries is a wall
# as in the rules. Inside the stretch, a line the model gives less than
# DROP_SHARE of its threshold is left out (a caption, a teaser or a share prompt between paragraphs).
MIN_MODEL_COST = 40.0
DROP_SHARE = 1.0

# Headers of the readers' comments, in the languages of SECTION_HEADERS.
_COMMENTS = re.compile(r"comment|komment|komentar|réaction|leserbrief|diskussion|discuss|reply|antworten", re.I)

_SLUG_WORD = re.compile(r"[^\W_]+")
# A path segment is the slug when it holds this many words that are not numbers ("/2024/05/", "/12345/",
# "/read/" are not).
MIN_SLUG_WORDS = 3


@dataclass(slots=True)
class TextReading:
    """The article read from page text, and every line with its role and, if it went, the reason."""

    article: Article
    lines: list[Line]
    alt_text_cut: int = 0

    def removed(self) -> Counter[str]:
        """How many lines went, by reason; lines read into the article's fields count as metadata."""
        counts: Counter[str] = Counter()
        for line in self.lines:
            if line.role is Role.BODY:
                continue
            reason = Reason.METADATA if line.role is not Role.FURNITURE else line.reason or Reason.LABEL
            counts[reason.value] += 1
        if self.alt_text_cut:
            counts["image alt text"] += self.alt_text_cut
        return counts


@dataclass(slots=True)
class _Header:
    people: list[Person] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def extract_text(
    data: str | bytes,
    url: str | None = None,
    *,
    now: datetime | None = None,
    recurring: frozenset[str] = frozenset(),
    models: Models | None = None,
) -> Article:
    """Extract an article from flattened page text (a crawl dump's text of a news page).

    `recurring` holds line keys (`lines.line_key`) that the page's site prints on many pages: furniture
    even where they read as prose (`warta clean` gathers them). `now` is as for `warta.extract`. `models`
    are the learned scorers to consult (None: the shipped ones; `Models.none()`: the rules alone).
    """
    return read_text(data, url, now=now, recurring=recurring, models=models).article


def line_rows(
    data: str | bytes, url: str | None = None, *, recurring: frozenset[str] = frozenset()
) -> tuple[list[Line], list[list[float]]]:
    """The page's lines, weighed by the rules, and their feature rows (`line_features.FEATURES`): what the
    line model reads, computed as the extractor computes it (the training code calls this too)."""
    check_size(data)
    text = decode(data)[0] if isinstance(data, bytes) else data
    lines = ln.split_lines(text)
    check_lines(len(lines), len(text))
    if not lines:
        return [], []
    ln.cut_alt_text(lines)
    ln.weigh(lines, recurring)
    return lines, _rows(lines, url, recurring)


def _rows(lines: list[Line], url: str | None, recurring: frozenset[str]) -> list[list[float]]:
    weights = [line.weight for line in lines]
    start, end = _article_span(lines, weights, url, mark=False)
    headline = _headline(lines, start if end > start else len(lines), url)
    slug = _slug_words(url)
    cues = line_features.PageCues((start, end), headline, [_slug_share(line, slug) for line in lines])
    return line_features.rows(lines, cues, recurring)


def read_text(
    data: str | bytes,
    url: str | None = None,
    *,
    now: datetime | None = None,
    recurring: frozenset[str] = frozenset(),
    models: Models | None = None,
) -> TextReading:
    """Like `extract_text`, also returning every line's role and why the lines that went were dropped."""
    check_size(data)
    text = decode(data)[0] if isinstance(data, bytes) else data
    lines = ln.split_lines(text)
    check_lines(len(lines), len(text))
    if not lines:
        raise EmptyInputError("the input holds no text")
    cut = ln.cut_alt_text(lines)
    ln.weigh(lines, recurring)
    scorer = (models if models is not None else Models.shipped()).lines
    dropped: set[int] = set()
    start, end = 0, 0
    if scorer is not None:
        rules = [line.weight for line in lines]
        dropped = _weigh_by_model(lines, scorer, url, recurring)
        start, end = _article_span(lines, [line.weight for line in lines], url)
        if end <= start:
            # No line is article text by the model: the rules' best guess beats an empty article.
            for line, weight in zip(lines, rules, strict=True):
                line.weight = weight
            dropped = set()
    if end <= start:
        start, end = _article_span(lines, [line.weight for line in lines], url)
    title_at = _headline(lines, start if end > start else len(lines), url)
    meta = Metadata()
    # The language first: it decides how an all-numeric dateline reads ("03/04/2024" is day-first but in
    # English), and the stretch's prose says it as well as the final paragraphs do.
    prose = "\n".join(line.text for line in lines[start:end] if line.weight > 0)
    language, language_source = resolve_language(None, prose)
    meta.language = language
    header = _read_header(meta, lines, title_at, start, end, now)
    body_lines = [line for line in lines[start:end] if line.role is Role.FURNITURE]
    body_lines = [line for line in body_lines if id(line) not in dropped]
    title = lines[title_at].text if title_at is not None else None
    blocks = _blocks(body_lines, title)
    _mark_body(lines, start, end, blocks)
    paragraphs = [block.text for block in blocks]
    meta.site_name = _site_name(lines, url, header.people)
    meta.author_candidates.append(("text:byline", header.people, False))
    read_url_date(meta, url)
    choose(meta, url)
    provenance = {"body": "text:lines", "language": language_source}
    if title is not None:
        provenance["title"] = "text:headline"
    if meta.site_name:
        provenance["site_name"] = "text:site"
    provenance.update({key: value for key, value in meta.provenance.items() if key in ("published", "updated")})
    if meta.authors:
        provenance["authors"] = "text:byline"
    article = Article(
        url=url,
        canonical_url=url,
        title=title,
        authors=tuple(meta.authors),
        published=meta.published.value if meta.published else None,
        updated=meta.updated.value if meta.updated else None,
        site_name=meta.site_name,
        language=language,
        images=tuple(header.images),
        body=tuple(blocks),
        sources=tuple(sources_in(paragraphs)),
        provenance=provenance,
    )
    return TextReading(article, lines, cut)


def _weigh_by_model(lines: list[Line], scorer: Scorer, url: str | None, recurring: frozenset[str]) -> set[int]:
    """Replace the rules' weights by the model's (see MIN_MODEL_COST); return the ids of the lines that are
    left out wherever they stand (see DROP_SHARE). One batched prediction for the page."""
    probabilities = scorer.predict(_rows(lines, url, recurring))
    threshold = min(max(scorer.threshold, 1e-6), 1 - 1e-6)
    dropped: set[int] = set()
    for line, probability in zip(lines, probabilities, strict=True):
        cost = max(line.size, MIN_MODEL_COST)
        if probability >= threshold:
            line.weight = line.size
        else:
            line.weight = cost * (probability - threshold) / threshold
        # A related-articles or comments header stays for the block rules to see: it ends the article there
        # or opens a box of links, and never becomes a block itself.
        if probability < DROP_SHARE * threshold and not phrases.is_section_header(line.text):
            dropped.add(id(line))
    return dropped


def _article_span(lines: list[Line], weights: list[float], url: str | None, *, mark: bool = True) -> tuple[int, int]:
    """The lines [start, end) of the article: the stretch that weighs most, or, where the headline stands
    plainly above that stretch, the stretch that weighs most starting soon after the headline.

    A cookie notice or a teaser river at the foot of the page can outweigh a short article; the headline
    says where the article is. But a caption or a teaser can spell the slug too, so a headline below the
    heaviest stretch is no guide, and one that only recurs must lead to a stretch of comparable weight.
    `mark`: say on the lines of a stepped-over box why they go.
    """
    start, end = ln.best_span(weights)
    found = _anchor(lines, url, start)
    if found is not None:
        anchor, by_slug = found
        near = _after(weights, anchor)
        if near is not None and (by_slug or near[2] >= ANCHORED_SHARE * sum(weights[start:end])):
            start, end = near[0], near[1]
    while (box := _box(lines, weights, end, 1)) is not None:
        resumed = _resumes(lines, weights, box, 1)
        if resumed is None:
            break
        for line in lines[end:box] if mark else ():
            line.reason = Reason.BOX
        end = resumed
    while (box := _box(lines, weights, start - 1, -1)) is not None:
        resumed = _resumes(lines, weights, box, -1)
        if resumed is None:
            break
        for line in lines[box + 1 : start] if mark else ():
            line.reason = Reason.BOX
        start = resumed
    return start, end


def _after(weights: list[float], anchor: int) -> tuple[int, int, float] | None:
    """The heaviest stretch that starts within ARTICLE_WITHIN lines after the headline and crosses no wall.

    Not the first: a standfirst and a caption often stand above a share bar, and the article below it.
    """
    best: tuple[int, int, float] | None = None
    for start in range(anchor + 1, min(len(weights), anchor + 1 + ARTICLE_WITHIN)):
        if weights[start] <= 0:
            continue
        end, total = ln.grow(weights, start)
        if best is None or total > best[2]:
            best = (start, end, total)
    return best


def _box(lines: list[Line], weights: list[float], edge: int, step: int) -> int | None:
    """Where the article would go on past a box of related links at its `edge` (the first line beyond it,
    going `step`): the box is at most MAX_BOX_LINES of non-prose and holds a related-articles header. A
    comments header opens no box: what follows it is prose, but readers', not the article's."""
    index, header = edge, False
    while 0 <= index < len(lines) and weights[index] <= 0 and abs(index - edge) < MAX_BOX_LINES:
        if phrases.is_section_header(lines[index].text):
            if _COMMENTS.search(lines[index].text):
                return None
            header = True
        index += step
    if not header or not 0 <= index < len(lines) or weights[index] <= 0:
        return None
    return index


def _resumes(lines: list[Line], weights: list[float], index: int, step: int) -> int | None:
    """The article's new edge when it goes on at `index` past a box: the article's own paragraphs follow
    each other, a subhead at most between them, where teaser cards alternate a summary with a date and a
    headline. None when they do not."""
    near = [lines[i] for i in range(index, index + step * (MIN_RESUME_PARAGRAPHS + 1), step) if 0 <= i < len(lines)]
    if sum(1 for line in near if line.weight >= MIN_RESUME_PARAGRAPH) < MIN_RESUME_PARAGRAPHS:
        return None
    return ln.grow(weights, index, step)[0]


def _anchor(lines: list[Line], url: str | None, before: int) -> tuple[int, bool] | None:
    """Where the headline stands when the page makes it plain, above line `before`: a headline-shaped line
    printed twice, or one the URL's slug spells; and whether the slug spells it. The first copy: later ones
    are share texts and breadcrumbs."""
    counts = Counter(line.key for line in lines)
    slug = _slug_words(url)
    best: tuple[float, int] | None = None
    for index, line in enumerate(lines[:before]):
        recurs = counts[line.key] > 1
        if not (recurs or slug) or not _headline_shaped(line):
            continue
        score = _cue_score(line, recurs, slug)
        if score >= ANCHOR_SCORE and (best is None or score > best[0]):
            best = (score, index)
    if best is None:
        return None
    return best[1], _slug_share(lines[best[1]], slug) >= SLUG_ANCHOR_SHARE


def _cue_score(line: Line, recurs: bool, slug: set[str]) -> float:
    return (RECURRING_BONUS if recurs else 0.0) + SLUG_BONUS * _slug_share(line, slug)


def _slug_share(line: Line, slug: set[str]) -> float:
    """The share of the URL slug's words that the line holds."""
    return len(set(_SLUG_WORD.findall(line.key)) & slug) / len(slug) if slug else 0.0


def _headline(lines: list[Line], start: int, url: str | None) -> int | None:
    """The index of the headline: a headline-shaped line above the article, scored by the cues it has."""
    counts = Counter(line.key for line in lines[:start])
    slug = _slug_words(url)
    best: tuple[float, int] | None = None
    for index in range(start - 1, -1, -1):
        line = lines[index]
        recurs = counts[line.key] > 1
        distance = start - 1 - index
        if distance > HEADLINE_WINDOW and not recurs:
            continue
        if not _headline_shaped(line):
            continue
        score = _cue_score(line, recurs, slug) - DISTANCE_COST * distance
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best else None


def _headline_shaped(line: Line) -> bool:
    text = line.text
    if len(text) > MAX_HEADLINE_CHARS or len(text.split()) < MIN_HEADLINE_WORDS:
        return False
    if text.endswith((".", ",", ";", ":")) or opens_with_label(text):
        return False
    if phrases.is_dateline(text) or phrases.is_section_header(text) or phrases.is_furniture_line(text):
        return False
    return split_credit(text)[1] is None


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    segments = [s for s in split_url(url).path.split("/") if s]
    for segment in reversed(segments):
        words = {w for w in _SLUG_WORD.findall(segment.casefold().rsplit(".", 1)[0]) if not w.isdigit()}
        if len(words) >= MIN_SLUG_WORDS:
            return words
    return set()


def _read_header(
    meta: Metadata, lines: list[Line], title_at: int | None, start: int, end: int, now: datetime | None
) -> _Header:
    """Read bylines, datelines and a photo caption between the headline and the article, and after it."""
    header = _Header()
    if title_at is not None:
        lines[title_at].role = Role.HEADLINE
        # The other copies of the headline are the headline too, not furniture.
        for line in lines:
            if line.key == lines[title_at].key:
                line.role = Role.HEADLINE
    # From the headline's first copy within reach: the seed page prints the headline, the byline and the
    # dateline, then the headline again above the photo.
    first = title_at
    if title_at is not None:
        reach = range(max(0, start - HEADLINE_WINDOW), title_at)
        first = next((i for i in reach if lines[i].key == lines[title_at].key), title_at)
    above = range(first + 1 if first is not None else max(0, start - HEADLINE_WINDOW), start)
    below = range(end, min(len(lines), end + TAIL_WINDOW))
    for index in [*above, *below]:
        line = lines[index]
        if line.role is not Role.FURNITURE or line.size > MAX_BYLINE_CHARS:
            continue
        people = _byline(line)
        if people:
            line.role = Role.BYLINE
            _merge_people(header.people, people)
        elif phrases.is_dateline(line.text) and (index < start or not meta.published_witnesses):
            if read_dateline(meta, line.text, "dateline:text", now):
                line.role = Role.DATELINE
        elif index < start and not header.images:
            caption, credit = split_credit(line.text)
            if credit is not None and caption is not None and len(caption.split()) >= MIN_HEADLINE_WORDS:
                line.role = Role.CAPTION
                header.images.append(Image(None, caption, credit))
    return header


def _byline(line: Line) -> list[Person]:
    if not opens_with_label(line.text):
        return []
    people = people_in(line.text)
    # A link the CMS left as raw HTML gives the person's profile page: <a href='…/reni-erina-1'>RENI ERINA</a>.
    links = {name: href for label, href in line.anchors if (name := clean_name(label)) and href.startswith("http")}
    return [Person(p.name, p.role, links.get(p.name, p.url)) for p in people]


def _merge_people(found: list[Person], people: list[Person]) -> None:
    """Add people not yet named; a second mention fills in the role or profile URL the first lacked."""
    for person in people:
        for index, known in enumerate(found):
            if known.name == person.name:
                found[index] = Person(known.name, known.role or person.role, known.url or person.url)
                break
        else:
            found.append(person)


def _blocks(body_lines: list[Line], title: str | None) -> list[Block]:
    runs: list[Run] = []
    after_header = False
    for line in body_lines:
        kind = BlockKind.LIST_ITEM if line.bulleted and not ln.is_sentence(line) else BlockKind.PARAGRAPH
        # A bulleted headline right under a related-articles header is a link to another article; in the
        # page's HTML it was one, and the HTML path's rules drop runs that are mostly link text.
        linked = kind is BlockKind.LIST_ITEM and after_header and not ln.ends_sentence(line.text)
        if phrases.is_section_header(line.text):
            after_header = True
        elif not linked:
            after_header = False
        dropped = line.reason in (Reason.RECURRING, Reason.BOX)
        runs.append(
            Run(
                line.text,
                len(line.text) if linked else 0,
                kind,
                dropped=dropped,
                size=line.size,
                value=max(line.weight, 0.0),
            )
        )
    return blocks_from_runs(runs, title)


def _mark_body(lines: list[Line], start: int, end: int, blocks: list[Block]) -> None:
    """Give the lines that became blocks the body role; say why the other lines of the stretch went."""
    kept = Counter(ln.line_key(block.text) for block in blocks)
    last_kept = start - 1
    for index in range(start, end):
        line = lines[index]
        if line.role is Role.FURNITURE and kept[line.key] > 0:
            kept[line.key] -= 1
            line.role, line.reason = Role.BODY, None
            last_kept = index
    for index in range(last_kept + 1, end):
        line = lines[index]
        if line.role is Role.FURNITURE and line.reason in (Reason.OUTSIDE, Reason.LABEL):
            line.reason = Reason.AFTER_ARTICLE


def _site_name(lines: list[Line], url: str | None, people: list[Person]) -> str | None:
    """The site's name as the page writes it: its domain's name ("rmol" in rmol.id), in the page's casing."""
    for name in filter(None, map(site_label, [url, *(person.url for person in people)])):
        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?:\.[a-z]{{2,3}})*(?![\w.])", re.IGNORECASE)
        forms = Counter(match.group(0) for line in lines for match in pattern.finditer(line.text))
        # A name written with capitals ("RMOL", "KOMPAS.com") is how the site spells itself; an all
        # lower-case one is usually an address or alt text.
        spelled = [(count, form) for form, count in forms.items() if not form.islower()]
        if spelled:
            return max(spelled)[1]
    return None
