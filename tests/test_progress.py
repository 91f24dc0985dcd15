"""`extract` progress: a bar on a terminal (documents n/N, bytes per second, ETA), plain lines otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("全市电力总装机达到1755万千瓦。", encoding="utf-8")
    (root / "b.txt").write_text("今年增长5%。", encoding="utf-8")
    (root / "bad.txt").write_bytes(b"\x00\x01binary\xff" * 10)
    return root


def test_a_bar_on_a_terminal(tmp_path: Path) -> None:
    master, slave = pty.openpty()  # a bare pty reports no window size: the bar assumes 100 x 24
    proc = subprocess.Popen([str(BIN / "extract"), str(_corpus(tmp_path)), "-o", str(tmp_path / "out"), "-j", "1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(timeout=120) == 1
    text = out.decode()
    assert "extract 0/3 docs" in text and "extract 3/3 docs 100%|" in text
    assert "B/s]" in text and "<00:00" in text  # rate and ETA
    assert "error: " in text and "bad.txt: binary data" in text  # errors still printed, above the bar
    assert "ok: a" not in text  # the bar replaces the per-document lines


def test_plain_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    r = subprocess.run([str(BIN / "extract"), str(_corpus(tmp_path)), "-o", str(tmp_path / "out"), "-j", "1"],
                       capture_output=True, text=True, timeout=120)
    lines = r.stderr.splitlines()
    assert lines[:2] == ["ok: a (1 claims, 0 entities)", "ok: b (1 claims, 0 entities)"]
    assert lines[2].startswith("error: ") and "\r" not in r.stderr and "docs" not in r.stderr
