"""Find the article body in a pruned page and return its blocks in reading order.

One walk over the page turns it into *runs*: stretches of text that a reader sees as one paragraph, heading,
list item or quote, each with the share of its characters that sit inside links. Each run gets a weight:
prose counts for itself, link lists (menus, related headlines, tag clouds) count against. Every element then
scores the weights of the runs inside it, and the element with the highest score is the body container,
the way a maximum-sum window finds the densest stretch of a series. Prefix sums make every element's score
O(1) after the walk, so the whole step is linear in the size of the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any

from warta.extract import phrases
from warta.extract import selectors as sel
from warta.models import Block, BlockKind

Node = Any  # selectolax.lexbor.LexborNode, which ships no type stubs

# Share of a run's characters inside links from which it counts as navigation rather than prose.
MAX_LINK_DENSITY = 0.5
# How much a character of navigation counts against a container, relative to a character of prose. Above 1
# so that a wrapper around the article and a same-sized menu loses to the article alone.
LINK_PENALTY = 1.5
# Runs shorter than this without sentence punctuation ("Home", "Share", "12 comments") weigh nothing.
MIN_PROSE_CHARS = 40

# Scripts that pack a word into one to three characters, without spaces: a character of Chinese or Japanese
# says about as much as three Latin ones, a Hangul syllable about two. Sizes and thresholds are in Latin
# characters so that one set of numbers serves every script.
_IDEOGRAPHIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
IDEOGRAPH_WEIGHT = 3
HANGUL_WEIGHT = 2


def text_size(text: str) -> float:
    """The length of `text` in Latin-script characters."""
    if text.isascii():
        return len(text)
    extra = (IDEOGRAPH_WEIGHT - 1) * len(_IDEOGRAPHIC.findall(text)) + (HANGUL_WEIGHT - 1) * len(_HANGUL.findall(text))
    return len(text) + extra


_SENTENCE_END = re.compile(r"[.!?。！？…\"”»)]\s*$")
_SENTENCE_PUNCT = re.compile(r"[.!?。！？…:;,]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")


@dataclass(slots=True)
class Run:
    """A stretch of text a reader sees as one block."""

    text: str
    link_chars: int
    kind: BlockKind
    level: int = 0
    dropped: bool = False
    teaser: bool = False  # part of a repeated card that links elsewhere (see _mark_teasers)
    size: float = 0.0  # the text's length in Latin-script characters (see text_size)
    # What the run is worth as article text, dropped or not: its prose characters, negative for links.
    # Computed once by the builder (the container search sums it several times per page).
    value: float = 0.0
    # The element around the run's own block: paragraphs of one article body share it, a box between
    # them does not (see _resumes).
    parent: int = 0
    # Where the run sits, for the learned scorer (see runfeatures.py): how many block elements enclose it,
    # the marks of all of them (tags, class words, furniture verdicts) and those of its own block.
    depth: int = 0
    ancestry: int = 0
    own: int = 0
    # The body scorer's verdict: article text or not; None where no model judged the run.
    learned: bool | None = None

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def weight(self) -> float:
        return 0.0 if self.dropped else self.value


def _prose_value(text: str, link_chars: int, kind: BlockKind, size: float) -> float:
    density = link_chars / len(text)
    if density >= MAX_LINK_DENSITY:
        return -LINK_PENALTY * size
    if kind is BlockKind.HEADING:
        return 0.0
    # A short line without punctuation is a label; a table row of short cells is data.
    if size < MIN_PROSE_CHARS and kind is not BlockKind.TABLE_ROW and not _SENTENCE_PUNCT.search(text):
        return 0.0
    return size * (1.0 - density)


# At the edges of the article, a run shorter than this that does not end like a sentence is a label.
MAX_EDGE_LABEL_CHARS = 50

# Teaser cards (see _mark_teasers): at least this many alike siblings, each with a link this long and at
# most this much text outside links. A headline runs to 30 characters and more; a shorter link is a
# username or a tag, and siblings built around one are forum posts or comments, not teasers.
MIN_CARDS = 3
MIN_HEADLINE_CHARS = 30
MAX_CARD_PROSE = 400

# A line up to this long that the container prints more than once is printed once: articles do not repeat
# their sentences, widgets and pitches do (a marketing list twice, a description for mobile and desktop).
# A repeated short label ("Article content", "Box aufklappen") is not printed at all.
MAX_REPEATED_CHARS = 200

# A related-articles or comments header ends the article once this share of the container's prose is
# behind it; earlier, it is only a box inside the article and just the header goes.
TAIL_SHARE = 0.5

# A related-articles header over links is a box in the middle of the article, not its end, when at least
# this many paragraphs of at least this much prose follow it, in the same element as the paragraphs before
# it, ahead of the next header. Teaser summaries and widget text after a real tail sit elsewhere.
MIN_RESUME_PARAGRAPHS = 2
MIN_RESUME_PARAGRAPH = 100

# How much a dropped character counts against a listing container (see PageRuns.listing_container).
LISTING_FURNITURE_PENALTY = 0.5

# A container the page marks as the article body (selectors.CONTENT_HINTS) scores this much more, so that
# it wins over a wrapper that adds a little prose from around the article (a standfirst box, comments).
HINT_BONUS = 1.6


@dataclass(slots=True)
class PageRuns:
    """The runs of a page, and for each element the slice of runs it holds."""

    runs: list[Run]
    spans: dict[int, tuple[int, int]]
    elements: dict[int, Node]
    hints: frozenset[int] = frozenset()
    # The furniture matches as (strong, first run, end run), and the run spans of the content hints.
    marked: tuple[tuple[bool, int, int], ...] = ()
    hint_spans: tuple[tuple[int, int], ...] = ()

    def drop_furniture(self, strong: bool = True) -> None:
        """Mark dropped the runs of furniture matches that really are furniture (see selectors.py).

        With `strong=False` every match is weighed like a landmark (dropped only when link-dense or tiny):
        the second opinion for pages where the class words themselves mislead (see html._article_container).
        """
        runs = self.runs
        chars = [0]
        links = [0]
        for run in runs:
            run.dropped = False
            chars.append(chars[-1] + len(run.text))
            links.append(links[-1] + run.link_chars)
        total = chars[-1] or 1
        # A difference array turns the overlapping dropped spans into one pass over the runs.
        delta = [0] * (len(runs) + 1)
        for is_strong, start, end in self.marked:
            size = chars[end] - chars[start]
            # A match holding most of the page is a wrapper of everything ("has-sidebar" on the page shell).
            if size == 0 or size > sel.MAX_FURNITURE_SHARE * total:
                continue
            # A match that is or holds the marked article body wraps it ("box article modal-enabled"); the
            # furniture inside it has marks of its own.
            if self._wraps_hint(start, end):
                continue
            if is_strong and strong:
                drop = True
            else:
                density = (links[end] - links[start]) / size
                drop = density >= sel.WEAK_MIN_LINK_DENSITY or size <= sel.WEAK_MAX_CHARS
            if drop:
                delta[start] += 1
                delta[end] -= 1
        depth = 0
        for index, run in enumerate(runs):
            depth += delta[index]
            if depth > 0:
                run.dropped = True

    def _wraps_hint(self, start: int, end: int) -> bool:
        return any(start <= h_start and h_end <= end for h_start, h_end in self.hint_spans if h_end > h_start)

    def dropped_prose(self) -> float:
        """The prose the dropped runs would have been worth."""
        return sum(max(run.value, 0.0) for run in self.runs if run.dropped)

    def best_container(self) -> tuple[Node | None, float]:
        """Return the element whose runs weigh most (the deepest one on a tie), and its score."""
        return self._heaviest([run.weight for run in self.runs], self.hints)

    def hinted_prose(self) -> tuple[Node | None, float]:
        """The marked body (selectors.CONTENT_HINTS) holding the most prose, and that prose.

        Links do not count against it here: the caller weighs the page's own mark against the scores.
        """
        best_id, best = None, 0.0
        for node_id in self.hints:
            span = self.spans.get(node_id)
            if span is None:
                continue
            prose = sum(max(run.weight, 0.0) for run in self.runs[span[0] : span[1]] if not run.teaser)
            if prose > best:
                best_id, best = node_id, prose
        return (self.elements[best_id] if best_id is not None else None), best

    def listing_container(self) -> Node | None:
        """Return the element that holds most of the page's visible text, links included, and little furniture.

        On a listing or home page the content is the list of teasers: headlines are links, so the article
        weights would count them against. Here every kept character counts for the container and every
        dropped one (menus, header, footer) half against, so the pick is the main column without its chrome.
        """
        weights = [-LISTING_FURNITURE_PENALTY * run.size if run.dropped else run.size for run in self.runs]
        return self._heaviest(weights, frozenset())[0]

    def _heaviest(self, weights: list[float], favoured: frozenset[int]) -> tuple[Node | None, float]:
        """The element whose runs' `weights` sum highest, `favoured` ones scoring HINT_BONUS times more."""
        prefix = [0.0]
        for weight in weights:
            prefix.append(prefix[-1] + weight)
        best_id, best_score = None, 0.0
        # Elements were recorded parent first, so `>=` lets a descendant with the same score win.
        for node_id, (start, end) in self.spans.items():
            score = prefix[end] - prefix[start]
            if node_id in favoured:
                score *= HINT_BONUS
            if score >= best_score and score > 0:
                best_id, best_score = node_id, score
        return (self.elements[best_id] if best_id is not None else None), best_score

    def closest_to(self, reference: str) -> tuple[Node | None, float, dict[int, float]]:
        """Return the element whose kept text agrees best with `reference` (word F1), that F1, and every F1.

        The reference is a declared body (JSON-LD `articleBody`): often complete, sometimes truncated or
        stale, so the caller weighs the agreement rather than trusting the declaration.
        """
        vocabulary = _words(reference)
        reference_total = len(vocabulary)
        known = set(vocabulary)
        hits = [0]
        totals = [0]
        for run in self.runs:
            words = _words(run.text) if _kept(run) else []
            hits.append(hits[-1] + sum(1 for word in words if word in known))
            totals.append(totals[-1] + len(words))
        scores: dict[int, float] = {}
        best_id, best_f1 = None, 0.0
        for node_id, (start, end) in self.spans.items():
            hit = hits[end] - hits[start]
            if not hit:
                continue
            precision = hit / (totals[end] - totals[start])
            recall = min(1.0, hit / reference_total)
            f1 = scores[node_id] = 2 * precision * recall / (precision + recall)
            if f1 >= best_f1:
                best_id, best_f1 = node_id, f1
        return (self.elements[best_id] if best_id is not None else None), best_f1, scores

    def apply_scores(self, probabilities: list[float], threshold: float) -> Node | None:
        """Record the body scorer's verdict on each run; return the smallest element holding every run it keeps.

        The verdicts are taken page-wide rather than inside one best container: measured out-of-fold on the
        shared sets, a container pick (a maximum-sum window over the probabilities) lost what it cut off
        (forum replies, product specifications, a standfirst outside the body element) more often than it
        saved from stray runs. None, with every verdict forgotten, when the model keeps nothing.
        """
        first = last = -1
        for index, (run, probability) in enumerate(zip(self.runs, probabilities, strict=True)):
            run.learned = probability >= threshold
            if run.learned:
                last = index
                if first < 0:
                    first = index
        if first < 0:
            self.forget_scores()
            return None
        best_id, best_size = None, len(self.runs) + 1
        for node_id, (start, end) in self.spans.items():
            if start <= first and last < end and end - start <= best_size:
                best_id, best_size = node_id, end - start
        return self.elements[best_id] if best_id is not None else None

    def forget_scores(self) -> None:
        """Let the rules alone judge the runs again (a listing keeps what the body model refuses)."""
        for run in self.runs:
            run.learned = None

    def runs_in(self, node: Node) -> list[Run]:
        start, end = self.spans[node.mem_id]
        return self.runs[start:end]


class _RunBuilder:
    """Collects the text of the block being walked and cuts it into runs at block and double-break edges."""

    __slots__ = ("ancestry", "breaks", "depth", "kind", "level", "link_chars", "own", "parent", "parts", "runs")

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.breaks = 0
        self.kind = BlockKind.PARAGRAPH
        self.level = 0
        self.parent = 0
        self.depth = 0
        self.ancestry = 0
        self.own = 0

    def text(self, value: str, link: bool) -> None:
        if not value.strip():
            if self.parts and not self.breaks:
                self.parts.append(" ")
            return
        if self.breaks >= 2:
            self.flush()
        elif self.breaks == 1 and self.parts:
            self.parts.append("\n")
        self.breaks = 0
        # Newlines in the source are layout, not line breaks: only <br> puts a "\n" into a run.
        self.parts.append(value if self.kind is BlockKind.PREFORMATTED else value.replace("\n", " "))
        if link:
            self.link_chars += len(value.strip())

    def line_break(self) -> None:
        self.breaks += 1

    def flush(self) -> None:
        self.breaks = 0
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts = []
        link_chars, self.link_chars = self.link_chars, 0
        if self.kind is BlockKind.PREFORMATTED:
            text = raw.strip("\n")
        elif "\n" not in raw:
            text = _SPACES.sub(" ", raw).strip()
        else:
            lines = (_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
            text = "\n".join(line for line in lines if line)
        if text:
            link_chars = min(link_chars, len(text))
            size = text_size(text)
            value = _prose_value(text, link_chars, self.kind, size)
            self.runs.append(
                Run(
                    text,
                    link_chars,
                    self.kind,
                    self.level,
                    size=size,
                    value=value,
                    parent=self.parent,
                    depth=self.depth,
                    ancestry=self.ancestry,
                    own=self.own,
                )
            )


def _inline_with_blocks(root: Node) -> set[int]:
    """The ids of inline elements that hold a block element or a break (a card wrapped in a link).

    One selector query finds every non-inline element whose parent is inline; walking up from each through
    inline parents only marks the inline chain above it, so the pass stays linear on deep pages.
    """
    marked: set[int] = set()
    for block in root.css(sel.BLOCKS_IN_INLINE):
        parent = block.parent
        while parent is not None and parent.tag in sel.INLINE_TAGS:
            marked.add(parent.mem_id)
            parent = parent.parent
    return marked


def _cells_with_blocks(root: Node) -> set[int]:
    """The ids of table cells that hold a block element or a break, and so are not read as one line.

    Walking up stops at the first element already seen, so nested layout tables cost one pass.
    """
    marked: set[int] = set()
    seen: set[int] = set()
    for block in root.css(sel.BLOCKS_IN_CELL):
        node = block.parent
        while node is not None and node.mem_id not in seen:
            seen.add(node.mem_id)
            if node.tag in sel.CELL_TAGS:
                marked.add(node.mem_id)
                break
            node = node.parent
    return marked


def _kind_of(tag: str, inherited: tuple[BlockKind, int]) -> tuple[BlockKind, int]:
    if tag in sel.ROW_TAGS:
        return BlockKind.TABLE_ROW, 0
    if tag in sel.CELL_TAGS:
        return BlockKind.PARAGRAPH, 0  # a cell walked as a container: a layout table's column
    level = sel.HEADING_TAGS.get(tag)
    if level is not None:
        return BlockKind.HEADING, level
    if tag in sel.QUOTE_TAGS:
        return BlockKind.QUOTE, 0
    if tag in sel.LIST_ITEM_TAGS:
        return BlockKind.LIST_ITEM, inherited[1] + 1 if inherited[0] is BlockKind.LIST_ITEM else 1
    if tag in sel.PREFORMATTED_TAGS:
        return BlockKind.PREFORMATTED, 0
    return inherited


def collect_runs(
    root: Node,
    furniture: dict[int, bool],
    hints: frozenset[int] = frozenset(),
    classes: dict[int, str] | None = None,
    words: dict[int, int] | None = None,
) -> PageRuns:
    """Walk `root` once, in document order, and cut its text into runs.

    `furniture` maps the ids of elements matched by furniture selectors to True for strong matches and
    False for weak ones; their runs are marked dropped afterwards by `PageRuns.drop_furniture`. `hints` are the ids
    of elements marked as the article body; `classes` the class attributes read while pruning, which tell
    repeated cards apart (see `_mark_teasers`); `words` the class-word marks of elements (see
    `selectors.class_marks`), which go into each run's ancestry with its tags. The walk is iterative (an
    explicit stack) so that pathologically deep pages cannot exhaust Python's recursion limit. Inline
    elements without block or break descendants are read with one C call.
    """
    marked: list[tuple[bool, int, int]] = []
    builder = _RunBuilder()
    spans: dict[int, tuple[int, int]] = {}
    elements: dict[int, Node] = {}
    starts: dict[int, int] = {}
    classes = classes or {}
    words = words or {}
    # Sibling block elements of one kind: (parent id, tag, class) -> their ids, for _mark_teasers.
    siblings: dict[tuple[int, str, str], list[int]] = {}
    open_blocks: list[int] = [0]
    complex_inline = _inline_with_blocks(root)
    complex_cells = _cells_with_blocks(root)
    # One frame per open element: its children still to read (lexbor's own iterator), and what holds inside
    # it (the context kind, inside a link or not, the ancestry and own marks); a block's frame also keeps
    # its id, so that closing it ends its span. Against a stack entry per child (a tuple built, pushed and
    # unpacked for every node), this takes the walk from 4.5 to 3.8 ms a page (wcxb-dev and fundus).
    paragraph = (BlockKind.PARAGRAPH, 0)
    frames: list[tuple[Iterator[Node], tuple[BlockKind, int], bool, int, int, int | None]] = []
    children: Iterator[Node] = iter((root,))
    context, in_link, ancestry, own = paragraph, False, 0, 0
    block_id: int | None = None
    caption_tags, cell_tags, inline_tags = sel.CAPTION_TAGS, sel.CELL_TAGS, sel.INLINE_TAGS
    tag_marks = sel.TAG_MARKS
    while True:
        node = next(children, None)
        if node is None:
            closed = block_id
            if not frames:
                break
            children, context, in_link, ancestry, own, block_id = frames.pop()
            if closed is not None:
                # The block ends: the text after it belongs to the enclosing block again.
                builder.flush()
                builder.kind, builder.level = context
                builder.ancestry, builder.own = ancestry, own
                builder.depth -= 1
                open_blocks.pop()
                builder.parent = open_blocks[-2] if len(open_blocks) > 1 else 0
                span = spans[closed] = (starts.pop(closed), len(builder.runs))
                strong = furniture.get(closed)
                if strong is not None:
                    marked.append((strong, *span))
            continue
        tag = node.tag
        if tag == "-text":
            builder.text(node.text_content or "", in_link)
            continue
        if tag == "br":
            builder.line_break()
            continue
        if tag in caption_tags or tag == "-comment":
            continue
        if tag in cell_tags and node.mem_id not in complex_cells:
            if node.mem_id not in furniture:
                text = node.text(deep=True)
                if text.strip():
                    if builder.parts:
                        builder.text(sel.CELL_SEPARATOR, False)
                    _read_inline(builder, node, text, in_link)
            continue
        if tag in inline_tags:
            node_id = node.mem_id
            if node_id in furniture:
                continue
            is_link = in_link or tag == "a"
            if node_id not in complex_inline:
                _read_inline(builder, node, node.text(deep=True), is_link)
                continue
            frames.append((children, context, in_link, ancestry, own, block_id))
            children, in_link, block_id = node.iter(include_text=True), is_link, None
            continue
        # A block element: whatever text came before it is a run of its own.
        builder.flush()
        kind = _kind_of(tag, context)
        builder.kind, builder.level = kind
        node_id = node.mem_id
        starts[node_id] = len(builder.runs)
        elements[node_id] = node
        siblings.setdefault((open_blocks[-1], tag, classes.get(node_id, "")), []).append(node_id)
        open_blocks.append(node_id)
        builder.parent = open_blocks[-2]
        marks = tag_marks.get(tag, 0) | words.get(node_id, 0)
        strong = furniture.get(node_id)
        if strong is not None:
            marks |= sel.MARK_STRONG if strong else sel.MARK_WEAK
        if node_id in hints:
            marks |= sel.MARK_HINT
        inner = ancestry | marks
        builder.ancestry, builder.own = inner, marks
        builder.depth += 1
        frames.append((children, context, in_link, ancestry, own, block_id))
        children, context, ancestry, own, block_id = node.iter(include_text=True), kind, inner, marks, node_id
    builder.flush()
    _mark_teasers(builder.runs, spans, siblings)
    hint_spans = tuple(spans[node_id] for node_id in hints if node_id in spans)
    page = PageRuns(builder.runs, spans, elements, frozenset(hints), tuple(marked), hint_spans)
    page.drop_furniture()
    return page


def _read_inline(builder: _RunBuilder, node: Node, text: str, in_link: bool) -> None:
    """Add an element read in one call to the run, counting the text of the links inside it."""
    builder.text(text, in_link)
    if not in_link:
        for anchor in node.css("a"):
            builder.link_chars += len(anchor.text(deep=True).strip())


def _kept(run: Run) -> bool:
    if run.learned is not None:
        return run.learned
    return not run.dropped and not run.teaser and run.link_density < MAX_LINK_DENSITY


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _mark_teasers(
    runs: list[Run], spans: dict[int, tuple[int, int]], siblings: dict[tuple[int, str, str], list[int]]
) -> None:
    """Mark the runs of teaser cards: sibling elements of one tag and class, each a headline link and a line.

    A river of "latest stories" under an article, or the cards of a listing, are prose-like text (each
    teaser has a sentence or two) and would pull the body container wide. What gives them away is the
    repetition: several siblings built alike, each holding a link of headline length and little prose.
    """
    for members in siblings.values():
        if len(members) < MIN_CARDS:
            continue
        cards = [span for span in (spans[member] for member in members) if _is_card(runs[span[0] : span[1]])]
        if len(cards) < MIN_CARDS or 2 * len(cards) < len(members):
            continue
        for start, end in cards:
            for run in runs[start:end]:
                run.teaser = True
                run.value = min(run.value, 0.0)  # a teaser's prose is not the article's; its links still count


def _is_card(runs: list[Run]) -> bool:
    headline = any(run.link_density >= MAX_LINK_DENSITY and len(run.text) >= MIN_HEADLINE_CHARS for run in runs)
    if not headline:
        return False
    prose = sum(len(run.text) - run.link_chars for run in runs)
    return prose <= MAX_CARD_PROSE


def blocks_from_runs(runs: list[Run], title: str | None) -> list[Block]:
    """Turn the runs of the body container into blocks.

    Drops link lists, a repeated headline, furniture lines ("Baca juga: ...", credits, copyright), short
    lines printed more than once (widget labels, duplicated subscription pitches), and everything after a
    related-articles or comments header met once most of the article's prose is read, unless that header
    only heads a box of links that the article's paragraphs continue after (see _resumes).
    """
    title_key = _key(title) if title else None
    # A related-articles header the body model refuses still marks where the article ends.
    candidates = [run for run in runs if _kept(run) or (run.learned is False and _is_marker(run))]
    # Headers that stand over links the body does not keep (related headlines, teaser cards): a box.
    over_links = {id(run) for run, after in pairwise(runs) if not _kept(after) and _kept(run)}
    counts = Counter(_key(run.text) for run in candidates if len(run.text) <= MAX_REPEATED_CHARS)
    printed: set[str] = set()
    kept = []
    for run in candidates:
        key = _key(run.text)
        if run.kind is BlockKind.HEADING and key == title_key:
            continue
        if len(run.text) <= MAX_REPEATED_CHARS and counts[key] > 1:
            # The copies go; a label goes altogether.
            if key in printed or _is_label(run.text):
                continue
            printed.add(key)
        kept.append(run)
    kept = _trim_edges(kept)
    total = sum(max(run.value, 0.0) for run in kept)
    blocks: list[Block] = []
    seen = 0.0
    flow: int | None = None  # the element around the last paragraph read (see _resumes)
    for index, run in enumerate(kept):
        if phrases.is_section_header(run.text):
            boxed = id(run) in over_links and _resumes(flow, islice(kept, index + 1, None))
            if seen >= TAIL_SHARE * total and not boxed:
                break
            continue
        seen += max(run.value, 0.0)
        if run.kind is BlockKind.PARAGRAPH and run.value > 0:
            flow = run.parent
        if phrases.is_furniture_line(_line(run)):
            continue
        blocks.append(Block(run.kind, run.text, run.level))
    return blocks


def _is_marker(run: Run) -> bool:
    return not run.dropped and phrases.is_section_header(run.text)


def _resumes(flow: int | None, rest: Iterable[Run]) -> bool:
    """Whether the article goes on after a box of links: paragraphs in the article's `flow` element follow
    before the next header. The scan stops at that header, so all the scans of a page cost one pass."""
    paragraphs = 0
    for run in rest:
        if phrases.is_section_header(run.text):
            break
        if run.kind is BlockKind.PARAGRAPH and run.value >= MIN_RESUME_PARAGRAPH and run.parent == flow:
            paragraphs += 1
    return paragraphs >= MIN_RESUME_PARAGRAPHS


def _line(run: Run) -> str:
    """The run as a line of text: a table row's cells joined by spaces ("Penulis | : Ferril" reads as a byline)."""
    return run.text.replace(sel.CELL_SEPARATOR, " ") if run.kind is BlockKind.TABLE_ROW else run.text


def _is_edge_furniture(run: Run) -> bool:
    """A run that means nothing on its own: a dateline, a name, "Audio", a photo credit."""
    if run.kind is BlockKind.HEADING or (run.kind is BlockKind.TABLE_ROW and run.value > 0):
        return False
    text = run.text
    if run.value <= 0 or phrases.is_dateline(text):
        return True
    return _is_label(text)


def _is_label(text: str) -> bool:
    """A label or a name ("Editor", ": Ervan Hardoko", "Article content") rather than a sentence."""
    return len(text) < MAX_EDGE_LABEL_CHARS and not _SENTENCE_END.search(text)


def _trim_edges(runs: list[Run]) -> list[Run]:
    """Drop the non-prose runs before the article's first and after its last piece of prose.

    Datelines, bylines, reading times and credits gather at the edges of the body container; inside the
    article the same short runs are list items or table cells and stay.
    """
    start, end = 0, len(runs)
    while start < end and _is_edge_furniture(runs[start]):
        start += 1
    while end > start and _is_edge_furniture(runs[end - 1]):
        end -= 1
    return runs[start:end]


def listing_blocks(runs: list[Run]) -> list[Block]:
    """The blocks of a listing: every kept run, teaser headlines (links) included."""
    return [
        Block(run.kind, run.text, run.level)
        for run in runs
        if not run.dropped and not phrases.is_section_header(run.text) and not phrases.is_furniture_line(_line(run))
    ]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
