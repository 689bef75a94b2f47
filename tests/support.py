"""Helpers several test modules use: the command line in a child process, and its one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import positions

PACKAGE_ROOT = str(Path(positions.__file__).resolve().parent.parent)


def run_cli(*args, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """``positions ARGS...`` in ``cwd`` with the package under test, progress bars off.

    The command line runs in a child process because that is what a user
    sees: in-process, pytest's logging capture would swallow what libraries log
    to stderr (pypdf does), and the one-line contract would look kept when it
    is not.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")])),
           "POSITIONS_PROGRESS": "0"}
    return subprocess.run([sys.executable, "-m", "positions.cli", *map(str, args)], cwd=cwd, capture_output=True,
                          check=False, text=True, encoding="utf-8", errors="replace", timeout=timeout, env=env)


def assert_one_error_line(result, name: str, problem: str, code: int = 1) -> str:
    """The one-line contract: exit ``code``, no traceback, one stderr line naming ``name`` and matching ``problem``.

    A usage error (``code`` 2) prints argparse's usage line first, then the
    error.  Returns the error line.
    """
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    if code == 2:
        assert lines and lines[0].startswith("usage:"), result.stderr
    else:
        assert len(lines) == 1, result.stderr
    assert name in lines[-1], lines[-1]
    assert re.search(problem, lines[-1], re.IGNORECASE), lines[-1]
    return lines[-1]
