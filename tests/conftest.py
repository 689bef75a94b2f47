"""Shared fixtures, built once per test session: where the real corpus is, the demo tables, a command-line runner.

Test modules sit in a folder per stage (``read/``, ``parse/``, ``stance/``,
``aggregate/``, ``present/``, ``cli/``); helpers that several of them use are
in ``support.py``, never copied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import positions as pos
from support import run_cli

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


@pytest.fixture(scope="session")
def demo_statements():
    """The statements table of the bundled demo corpus (do not change it: copy it first)."""
    return pos.statements(pos.demo_files())


@pytest.fixture(scope="session")
def demo_classified(demo_statements):
    """The demo's classified table, by the shipped model."""
    return pos.classify(demo_statements)


@pytest.fixture(scope="session")
def demo_positions(demo_classified):
    """The demo's position table (weighted, seed 0)."""
    return pos.position_table(demo_classified)


@pytest.fixture(scope="session")
def statements_2017(report_2017):
    """The statements table of the 2017 report."""
    return pos.statements(report_2017)


@pytest.fixture(scope="session")
def classified_2017(statements_2017):
    """The 2017 report's classified table, by the shipped model."""
    return pos.classify(statements_2017)


@pytest.fixture(scope="session")
def cli():
    """``cli(*args, cwd=folder)``: run ``positions ARGS...`` in a child process, as a user would."""
    return run_cli
