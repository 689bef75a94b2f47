"""Work on the second core: done in a forked child where it can be, and in the caller where the child fails or hangs."""

from __future__ import annotations

import os
import time

import pytest

import positions.base.background as background
from positions.base.background import Background, can_fork

PARENT = os.getpid()


def where(x: int) -> tuple[int, int]:
    return x * 2, os.getpid()


def fails_in_child(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        raise RuntimeError("only the caller can do this")
    return x * 2, os.getpid()


def hangs_in_child(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        time.sleep(60)
    return x * 2, os.getpid()


needs_fork = pytest.mark.skipif(not can_fork(), reason="needs Linux and two CPUs")


@needs_fork
def test_the_work_runs_in_a_child_and_its_result_comes_back():
    job = Background(where)
    job.start(21)
    value, pid = job.result()
    assert value == 42 and pid != PARENT


@needs_fork
def test_a_child_that_fails_leaves_the_work_to_the_caller():
    job = Background(fails_in_child)
    job.start(21)
    assert job.result() == (42, PARENT)


@needs_fork
def test_a_child_that_does_not_answer_in_time_is_stopped_and_the_caller_does_the_work(monkeypatch):
    monkeypatch.setattr(background, "WAIT_S", 0.5)
    job = Background(hangs_in_child)
    job.start(21)
    started = time.monotonic()
    assert job.result() == (42, PARENT)
    assert time.monotonic() - started < 30 and job.process is None


def test_without_a_child_the_caller_does_the_work(monkeypatch):
    monkeypatch.setattr(background, "can_fork", lambda: False)
    prepared = []
    job = Background(where, prepare=lambda: prepared.append(True))
    job.start(21)
    assert job.process is None and job.result() == (42, PARENT) and prepared == [True]
