"""`datong-nlp check-rules` runs a folder's examples: a wrong one fails, named, with exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from datong_nlp.examples import Failure, run_examples

ROOT = Path(__file__).resolve().parent.parent


def _check_rules(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from datong_nlp.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "check-rules", *args],
                          capture_output=True, text=True, timeout=300)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_one_wrong_example_fails_and_is_named(rules_dir: Path) -> None:
    _edit(rules_dir / "comparators.yaml", '{text: 不足5%, span: 5%, comparator: "<"}',
          '{text: 不足5%, span: 5%, comparator: ">"}')
    _edit(rules_dir / "numerals.yaml", '{text: "二十三", value: 23}', '{text: "二十三", value: 32}')
    _edit(rules_dir / "non_claims.yaml", "negatives: [这3个省份]", "negatives: [这3个省份, 投资3亿元]")
    proc = _check_rules(str(rules_dir))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        "numerals.yaml: entry numerals: '二十三': expected value=32, got value=23.0",
        "comparators.yaml: entry less-than: '不足5%': expected comparator='>', got comparator='<'",
        "non_claims.yaml: entry set-reference: '投资3亿元': expected no claim, got ['3亿元']",
    ]
    assert proc.stderr.strip().startswith("error: rules: 3 of ") and proc.stderr.strip().endswith(" examples fail")


def test_structure_errors_still_exit_2(rules_dir: Path) -> None:
    _edit(rules_dir / "modality.yaml", "cues:", "cues: [")
    proc = _check_rules(str(rules_dir))
    assert proc.returncode == 2
    assert "modality.yaml: malformed YAML" in proc.stderr


def test_structure_only_does_not_run_examples(rules_dir: Path) -> None:
    _edit(rules_dir / "numerals.yaml", '{text: "二十三", value: 23}', '{text: "二十三", value: 32}')
    proc = _check_rules(str(rules_dir), "--structure-only")
    assert proc.returncode == 0
    assert proc.stdout.startswith("rules OK:") and "not run" in proc.stdout


def test_the_shipped_examples_all_pass() -> None:
    assert run_examples() == []


def test_failure_line() -> None:
    assert str(Failure("units.yaml", "percent-cheng", "三成", "value 40", "value 30.0")) == \
        "units.yaml: entry percent-cheng: '三成': expected value 40, got value 30.0"
