"""Shared fixtures: where the real corpus is, and the 2017 Expert Group report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _corpus_dir() -> Path:
    return Path(os.environ.get("POSITIONS_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real corpus (../shared/corpus or $POSITIONS_CORPUS); required under CI."""
    path = _corpus_dir()
    if not path.is_dir():
        message = f"the real corpus is missing at {path}; set POSITIONS_CORPUS"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def report_2017(corpus_dir: Path) -> Path:
    """The 2017 Expert Group report in Chinese, as extracted from its PDF."""
    return corpus_dir / "expert-group" / "2017-third-meeting.zh.txt"


@pytest.fixture(scope="session")
def ungdc(corpus_dir: Path) -> Path:
    """The UN General Debate Corpus folder."""
    return corpus_dir / "ungdc"
