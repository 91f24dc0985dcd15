"""Shared fixtures: one extractor per test session (rules, OpenCC and jieba load once)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from datong_nlp import Extractor

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    """A copy of the shipped rules folder, to edit."""
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target
