"""What the command line promises beyond the tables: an empty classification said so, one shape of ``info``,
a damaged .docx refused in one plain line.

Each command runs in a child process (the ``cli`` fixture), as a user runs it.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from support import assert_one_error_line

from positions.base.schema import CLASSIFIED_COLUMNS
from positions.parse.table import INFO_KEYS

# a meeting report none of whose statements names a target of the cybercrime codebook
NO_TARGET = (
    "1. The Committee met in Vienna.\n\n"
    "2. The meeting was adjourned.\n\n"
    "3. The Chair closed the session.\n"
)
HEADER = ",".join(CLASSIFIED_COLUMNS)
NO_TARGET_SAID = "no statement addresses a target of the codebook 'cybercrime'; {}"


# --------------------------------------------------------------------------- classify: nothing to classify


@pytest.mark.parametrize("out", ["c.csv", None], ids=["out-file", "stdout"])
def test_classify_without_a_target_writes_the_header_and_says_so(tmp_path, cli, out):
    (tmp_path / "no-target.en.txt").write_text(NO_TARGET, encoding="utf-8")
    to = ["--out", out] if out else []

    result = cli("classify", "no-target.en.txt", *to, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = (tmp_path / out).read_text(encoding="utf-8") if out else result.stdout
    assert written.splitlines() == [HEADER]
    if out:
        assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    said = "the output holds only the header" if out else "wrote only the header"
    assert lines[0] == NO_TARGET_SAID.format(said), lines[0]

    quiet = cli("classify", "no-target.en.txt", *(["--out", "quiet.csv"] if out else []), "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert ((tmp_path / "quiet.csv").read_text(encoding="utf-8") if out else quiet.stdout) == written


# --------------------------------------------------------------------------- info --json: one shape


def test_info_json_has_the_same_keys_for_a_speech_and_a_report(tmp_path, cli, ungdc, report_2017):
    speech = ungdc / "Session 74 - 2019" / "FRA_74_2019.txt"

    result = cli("info", speech, report_2017, "--json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    documents = json.loads(result.stdout)
    assert [d["doc_id"] for d in documents] == [speech.stem, report_2017.stem]
    assert all(isinstance(d, dict) for d in documents)
    speech_info, report_info = documents
    assert list(speech_info) == list(report_info) == list(INFO_KEYS)
    assert (speech_info["year"], report_info["year"]) == (2019, 2017)


# --------------------------------------------------------------------------- a damaged .docx


DAMAGED = "not a readable .docx (damaged, or not a Word document inside); open it in Word and save it again"


def damaged_docx() -> bytes:
    """A zip holding only ``[Content_Types].xml``: no ``word/document.xml`` to read."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0" encoding="UTF-8"?><Types/>')
    return out.getvalue()


@pytest.mark.parametrize("command", ["statements", "info"])
def test_a_damaged_docx_is_one_plain_line(tmp_path, cli, command):
    name = "damaged.docx"
    (tmp_path / name).write_bytes(damaged_docx())

    result = cli(command, name, cwd=tmp_path)

    assert "KeyError" not in result.stderr, result.stderr
    line = assert_one_error_line(result, name, r"not a readable \.docx")
    assert line == f"error: {name}: {DAMAGED}"
    assert result.stdout == ""
