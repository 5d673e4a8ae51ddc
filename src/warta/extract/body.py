"""Walk a pruned page once and cut its text into runs, recording the span of runs each element holds.

A run is a stretch of text that a reader sees as one paragraph, heading, list item or quote, with the share
of its characters that sit inside links (see `runs.Run`). The walk also marks the runs of teaser cards
(repeated siblings built around a headline link) and records what the body search and the learned scorer
need of each element: its span of runs, its furniture verdict, its marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from warta.extract import selectors as sel
from warta.extract.runs import MAX_LINK_DENSITY, PageRuns, Run, prose_value, text_size
from warta.models import BlockKind

Node = Any  # selectolax.lexbor.LexborNode, which ships no type stubs

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")

# Teaser cards (see _mark_teasers): at least this many alike siblings, each with a link this long and at
# most this much text outside links. A headline runs to 30 characters and more; a shorter link is a
# username or a tag, and siblings built around one are forum posts or comments, not teasers.
MIN_CARDS = 3
MIN_HEADLINE_CHARS = 30
MAX_CARD_PROSE = 400


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
            value = prose_value(text, link_chars, self.kind, size)
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


class _Walk:
    """What the walk records besides the text: each block element's span of runs, the furniture matches
    among them, and the groups of alike siblings that may be teaser cards."""

    __slots__ = (
        "builder",
        "classes",
        "elements",
        "furniture",
        "hints",
        "marked",
        "open_blocks",
        "siblings",
        "spans",
        "starts",
        "words",
    )

    def __init__(
        self, furniture: dict[int, bool], hints: frozenset[int], classes: dict[int, str], words: dict[int, int]
    ) -> None:
        self.builder = _RunBuilder()
        self.furniture = furniture
        self.hints = hints
        self.classes = classes
        self.words = words
        self.marked: list[tuple[bool, int, int]] = []
        self.spans: dict[int, tuple[int, int]] = {}
        self.elements: dict[int, Node] = {}
        self.starts: dict[int, int] = {}
        # Sibling block elements of one kind: (parent id, tag, class) -> their ids, for _mark_teasers.
        self.siblings: dict[tuple[int, str, str], list[int]] = {}
        self.open_blocks: list[int] = [0]

    def open_block(
        self, node: Node, tag: str, context: tuple[BlockKind, int], ancestry: int
    ) -> tuple[tuple[BlockKind, int], int, int]:
        """Start a block element's span; return its kind and its marks, with its ancestors' and its own."""
        builder = self.builder
        # Whatever text came before the block is a run of its own.
        builder.flush()
        kind = _kind_of(tag, context)
        builder.kind, builder.level = kind
        node_id = node.mem_id
        self.starts[node_id] = len(builder.runs)
        self.elements[node_id] = node
        self.siblings.setdefault((self.open_blocks[-1], tag, self.classes.get(node_id, "")), []).append(node_id)
        self.open_blocks.append(node_id)
        builder.parent = self.open_blocks[-2]
        marks = sel.TAG_MARKS.get(tag, 0) | self.words.get(node_id, 0)
        strong = self.furniture.get(node_id)
        if strong is not None:
            marks |= sel.MARK_STRONG if strong else sel.MARK_WEAK
        if node_id in self.hints:
            marks |= sel.MARK_HINT
        inner = ancestry | marks
        builder.ancestry, builder.own = inner, marks
        builder.depth += 1
        return kind, inner, marks

    def close_block(self, closed: int, context: tuple[BlockKind, int], ancestry: int, own: int) -> None:
        """End a block element's span: the text after it belongs to the enclosing block again."""
        builder = self.builder
        builder.flush()
        builder.kind, builder.level = context
        builder.ancestry, builder.own = ancestry, own
        builder.depth -= 1
        self.open_blocks.pop()
        builder.parent = self.open_blocks[-2] if len(self.open_blocks) > 1 else 0
        span = self.spans[closed] = (self.starts.pop(closed), len(builder.runs))
        strong = self.furniture.get(closed)
        if strong is not None:
            self.marked.append((strong, *span))

    def page_runs(self) -> PageRuns:
        """The runs walked, teaser cards marked and furniture dropped."""
        self.builder.flush()
        runs = self.builder.runs
        _mark_teasers(runs, self.spans, self.siblings)
        hint_spans = tuple(self.spans[node_id] for node_id in self.hints if node_id in self.spans)
        page = PageRuns(runs, self.spans, self.elements, frozenset(self.hints), tuple(self.marked), hint_spans)
        page.drop_furniture()
        return page


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
    walk = _Walk(furniture, hints, classes or {}, words or {})
    builder = walk.builder
    complex_inline = _inline_with_blocks(root)
    complex_cells = _cells_with_blocks(root)
    # One frame per open element: its children still to read (lexbor's own iterator), and what holds inside
    # it (the context kind, inside a link or not, the ancestry and own marks); a block's frame also keeps
    # its id, so that closing it ends its span. Against a stack entry per child (a tuple built, pushed and
    # unpacked for every node), this takes the walk from 4.5 to 3.8 ms a page (wcxb-dev and fundus).
    frames: list[tuple[Iterator[Node], tuple[BlockKind, int], bool, int, int, int | None]] = []
    children: Iterator[Node] = iter((root,))
    context, in_link, ancestry, own = (BlockKind.PARAGRAPH, 0), False, 0, 0
    block_id: int | None = None
    caption_tags, cell_tags, inline_tags = sel.CAPTION_TAGS, sel.CELL_TAGS, sel.INLINE_TAGS
    while True:
        node = next(children, None)
        if node is None:
            closed = block_id
            if not frames:
                break
            children, context, in_link, ancestry, own, block_id = frames.pop()
            if closed is not None:
                walk.close_block(closed, context, ancestry, own)
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
        frames.append((children, context, in_link, ancestry, own, block_id))
        context, ancestry, own = walk.open_block(node, tag, context, ancestry)
        children, block_id = node.iter(include_text=True), node.mem_id
    return walk.page_runs()


def _read_inline(builder: _RunBuilder, node: Node, text: str, in_link: bool) -> None:
    """Add an element read in one call to the run, counting the text of the links inside it."""
    builder.text(text, in_link)
    if not in_link:
        for anchor in node.css("a"):
            builder.link_chars += len(anchor.text(deep=True).strip())


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
