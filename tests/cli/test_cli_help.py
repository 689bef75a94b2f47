"""The command line's help reads like a user's guide; --version, --quiet and --verbose do what they say."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import positions
from positions import cli_help

COMMANDS = sorted(cli_help.GUIDE)


def test_the_overview_shows_the_usual_path_and_every_command(tmp_path, cli):
    done = cli("--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "the usual path:" in done.stdout and "positions report --demo --out demo-report" in done.stdout
    assert "exit status: 0 done, 1 bad input" in done.stdout
    for command in COMMANDS:
        assert f"    {command}" in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_examples(command, tmp_path, cli):
    done = cli(command, "--help", cwd=tmp_path)
    assert done.returncode == 0
    description, examples = cli_help.GUIDE[command]
    assert description.split(":")[0] in " ".join(done.stdout.split())
    assert ("examples:" in done.stdout or "example:" in done.stdout) and f"positions {command}" in done.stdout
    assert "--quiet" in done.stdout and "--verbose" in done.stdout


def test_version(tmp_path, cli):
    done = cli("--version", cwd=tmp_path)
    assert done.stdout == f"positions {positions.__version__}\n"


def test_quiet_prints_nothing_but_errors_and_verbose_says_what_happened(tmp_path, cli):
    missing = tmp_path / "missing.txt"
    loud = cli("statements", "--demo", missing, "--on-error", "skip", "--out", tmp_path / "a.csv", cwd=tmp_path)
    assert loud.returncode == 0 and loud.stderr.startswith(f"skipped: {missing}: ")
    quiet = cli("statements", "--demo", missing, "--on-error", "skip", "--out", tmp_path / "b.csv", "--quiet",
                cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    verbose = cli("classify", "--demo", "--out", tmp_path / "c.csv", "-v", cwd=tmp_path)
    assert verbose.returncode == 0
    said = re.search(r"^\d+ of \d+ statements address a target \((\d+) statement-target rows", verbose.stderr, re.M)
    assert said, verbose.stderr
    assert int(said.group(1)) == len(pd.read_csv(tmp_path / "c.csv"))
    failing = cli("info", missing, "--quiet", cwd=tmp_path)
    assert failing.returncode == 1 and failing.stderr.startswith(f"error: {missing}: ")
