"""The shape of the package: stages import only the stages below them, no module imports itself back through
others, every package says what it exports, and modules and functions stay small enough to read.

Read from the source with `ast`, not by importing it: a cycle that Python tolerates today (because one
import happens to come first) is still found.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "warta"

# The order an article travels, bottom first: a package may import the packages of lower layers only.
# Packages on one layer are independent of each other (the fetcher knows no feed, the reader no crawl).
LAYERS: dict[str, int] = {
    "_version": 0,
    "errors": 0,
    "extras": 1,
    "jsonlines": 1,
    "models": 1,
    "extract": 2,
    "fetch": 3,
    "render": 3,
    "search": 3,
    "sources": 3,
    "stories": 3,
    "store": 4,
    "jobs": 5,
    "serve": 5,
    "cli": 6,
    "warta": 7,  # the package face, `import warta`
}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# A function may be longer when the comment line right above it (or above its decorators) says why.
LONG_MARK = re.compile(r"#\s*long:", re.IGNORECASE)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """The warta modules `name` imports, anywhere in it (a function-level import is a dependency too), with
    the line: `from p import x` is an import of `p.x` when that is a module, else of `p`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "warta":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "warta":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if full in known else base), node.lineno


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: {target for target, _ in imports(name, path, known)} for name, path in found.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "warta"


def test_every_package_and_top_level_module_has_a_layer() -> None:
    assert {stage(name) for name in modules()} == set(LAYERS)


def test_no_stage_imports_a_stage_above_it_or_beside_it() -> None:
    found = modules()
    known = set(found)
    wrong = []
    for name, path in found.items():
        for target, line in imports(name, path, known):
            own, other = stage(name), stage(target)
            if own != other and LAYERS[other] >= LAYERS[own]:
                wrong.append(f"{path.relative_to(SRC)}:{line} ({own}) imports {target} ({other})")
    assert not wrong, "\n".join(wrong)


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    # Tarjan's strongly connected components: any component of more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_the_checks_find_a_cycle_and_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The two tests above on a package made to fail them: they would pass on anything if they found nothing.
    root = tmp_path / "warta"
    (root / "store").mkdir(parents=True)
    (root / "extract").mkdir()
    (root / "__init__.py").write_text("")
    (root / "store" / "__init__.py").write_text("")
    (root / "store" / "a.py").write_text("from warta.store import b\n")
    (root / "store" / "b.py").write_text("from warta.store.a import thing\n")
    (root / "extract" / "__init__.py").write_text("")
    (root / "extract" / "c.py").write_text("def f():\n    from warta.store.a import thing\n")
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", root)
    with pytest.raises(AssertionError, match=r"warta\.store\.a"):
        test_the_import_graph_has_no_cycle()
    with pytest.raises(AssertionError, match=r"\(extract\) imports warta\.store\.a \(store\)"):
        test_no_stage_imports_a_stage_above_it_or_beside_it()


def ruff_order(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps `__all__` in: CONSTANTS, then Classes, then the rest."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name


def public_names(tree: ast.Module) -> set[str]:
    """The names a package's `__init__` binds for others: what it imports and defines, minus private ones."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return {name for name in names if not name.startswith("_") or name == "__version__"} - {"annotations"}


def declared_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            return list(value)
    return None


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: module_name(p) or "warta")
def test_each_package_exports_all_it_binds_in_order(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exported = declared_all(tree)
    bound = public_names(tree)
    if exported is None:
        assert not bound, f"{module_name(path)} binds {sorted(bound)} but has no __all__"
        return
    assert sorted(exported, key=ruff_order) == exported, "__all__ is not sorted"
    assert len(set(exported)) == len(exported), "__all__ names a name twice"
    assert set(exported) == bound, f"missing from __all__: {bound - set(exported)}; not bound: {set(exported) - bound}"


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(path.relative_to(SRC)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, long


def test_no_function_is_longer_than_the_limit_without_a_reason() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            said_why = first >= 2 and LONG_MARK.search(source[first - 2]) is not None
            if length > MAX_FUNCTION_LINES and not said_why:
                long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "\n".join(long)
