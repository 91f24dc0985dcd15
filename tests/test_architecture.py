"""The shape of the source: no import circle, no module over 400 lines, a pure number parser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from datong_nlp.numerals import parse_number

SRC = Path(__file__).resolve().parent.parent / "src" / "datong_nlp"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The datong_nlp modules `path` imports at module level or in functions (not under TYPE_CHECKING)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        out.update(c for c in candidates if c.startswith("datong_nlp") and _exists(c))
    return out - {module}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` outside `if TYPE_CHECKING:` blocks (imports there never run)."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return out


def _exists(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (SRC / rel).with_suffix(".py").is_file() or (SRC / rel / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in SRC.rglob("*.py")}


def _find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """A chain of imports that comes back to its start, if there is one (a package's `__init__`
    importing its own submodules is no circle: they are loaded after it)."""
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, set())):
            if node.startswith(nxt + "."):
                continue  # a submodule importing its own package's siblings through it
            if state.get(nxt) == 1:
                return [*stack, node, nxt]
            if nxt not in state and (found := visit(nxt, [*stack, node])):
                return found
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name, [])):
            return found
    return None


def test_the_circle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _find_circle(graph) == ["a", "b", "c", "a"]
    assert _find_circle({"p": {"p.x"}, "p.x": {"q"}, "q": set()}) is None


def test_no_import_circle() -> None:
    assert _find_circle(_graph()) is None


def test_numerals_imports_nothing_of_the_package() -> None:
    assert _imports(SRC / "numerals.py") == set()


def test_no_module_over_400_lines() -> None:
    long = {p.name: n for p in SRC.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_parse_number_needs_a_table() -> None:
    with pytest.raises(TypeError):
        parse_number("1.6亿")  # type: ignore[call-arg]


def test_a_users_numeral_table_is_used(tmp_path: Path) -> None:
    """A user's numerals.yaml reaches the parser: here 〸 is made a magnitude of ten."""
    from datong_nlp.rules import default_rules_dir, load_rules

    folder = tmp_path / "rules"
    folder.mkdir()
    for f in default_rules_dir().glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "numerals.yaml":
            text = text.replace('magnitudes:\n', 'magnitudes:\n  "〸": 10\n', 1)
        (folder / f.name).write_text(text, encoding="utf-8")
    table = load_rules(folder).numerals
    assert table is not None
    parsed = parse_number("三〸", table)
    assert parsed is not None and parsed.value == 30


def test_decode_imports_neither_jieba_nor_opencc() -> None:
    code = ("import sys, datong_nlp.decode as d; d.decode_bytes('中文'.encode('gb18030'));"
            "print(sorted(m for m in ('jieba', 'opencc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
