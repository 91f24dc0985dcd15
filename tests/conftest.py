"""Shared fixtures: one extractor per test session (rules, OpenCC and jieba load once)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from datong_nlp import Extractor

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _load_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The session's own load cache (`loadcache.py`), inherited by the subprocesses: never the user's."""
    before = os.environ.get("DATONG_NLP_CACHE")
    os.environ["DATONG_NLP_CACHE"] = str(tmp_path_factory.mktemp("load-cache"))
    yield
    if before is None:
        del os.environ["DATONG_NLP_CACHE"]
    else:
        os.environ["DATONG_NLP_CACHE"] = before


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
