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
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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


def _exists(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (SRC / rel).with_suffix(".py").is_file() or (SRC / rel / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in SRC.rglob("*.py")}


def test_no_import_circle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(nxt_pkg, set()) for nxt_pkg in [node])[0]:
            if state.get(nxt) == 1 and not _is_package_parent(nxt, node):
                pytest.fail("import circle: " + " -> ".join([*stack, node, nxt]))
            if nxt not in state:
                visit(nxt, [*stack, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def _is_package_parent(parent: str, child: str) -> bool:
    """A package's `__init__` re-exporting its own submodules is no circle."""
    return child.startswith(parent + ".")


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
