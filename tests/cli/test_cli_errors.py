"""Bad input through the command line: exit status, one stderr line, whole output files.

The command line runs in a child process (the ``cli`` fixture, ``python -m
positions.cli``) because that is what a user sees: in-process, pytest's logging
capture would swallow what libraries log to stderr (pypdf does), and the
one-line contract would look kept when it is not.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import zlib
from pathlib import Path

import pandas as pd
import pytest
from support import assert_one_error_line

import positions

# --------------------------------------------------------------------------- helpers


def png_bytes() -> bytes:
    """A real 4x4 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([40 * y, 10, 200]) * 4 for y in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    """A small English report as a PDF with a text layer."""
    pytest.importorskip("fpdf", reason="fpdf2 is in the test extra: pip install -e .[test]")
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2022, 6, 20, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    lines = [
        "Report of the Ad Hoc Committee on its second session,",
        "held in New York from 13 to 17 June 2022",
        "",
        "1. The Ad Hoc Committee held its second session in New York.",
        "2. Many speakers stressed the importance of technical assistance.",
        "3. The representative of Brazil made a statement.",
    ]
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


GOOD_HTML = (
    "<html><body><h1>Report of the Ad Hoc Committee on its second session, held in New York "
    "from 13 to 17 June 2022</h1><p>1. The Committee met.</p><p>2. Many speakers stressed the "
    "importance of <b>technical assistance</b>.</p><p>3. The Committee adopted its report.</p>"
    "</body></html>"
)

# name (relative to tmp_path, as the user types it) -> what the one line must say
BAD = {
    "missing.txt": r"no such file",
    "empty.txt": r"empty",
    "blank.txt": r"empty",
    "picture.txt": r"binary",
    "truncated.pdf": r"PDF",
    "report.docx": r"docx",
    "nothing": r"no readable document",
    "report.xyz": r"cannot read \.xyz",
    "reports-*.txt": r"matches no file",
}


def write_bad_inputs(folder: Path) -> None:
    """Every file of BAD that should exist (the missing file and the glob do not)."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("\n   \n\t\n", encoding="utf-8")
    (folder / "picture.txt").write_bytes(png_bytes())
    whole = pdf_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    (folder / "report.docx").write_bytes(b"1. This is plain text saved with a .docx name.\n")
    (folder / "nothing").mkdir()
    (folder / "nothing" / "picture.png").write_bytes(png_bytes())
    (folder / "nothing" / "notes.md").write_text("# notes\n", encoding="utf-8")
    (folder / "report.xyz").write_text("1. Many speakers agreed.\n2. Some did not.\n3. End.\n",
                                       encoding="utf-8")
    (folder / "reports-2022.md").write_text("not a match for reports-*.txt\n", encoding="utf-8")


def write_good_inputs(folder: Path) -> list[str]:
    (folder / "good-web.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "good-print.pdf").write_bytes(pdf_bytes())
    return ["good-web.html", "good-print.pdf", positions.demo_files()[0]]


def comparable(frame: pd.DataFrame, csv: bool = False) -> pd.DataFrame:
    """Text columns with one kind of missing value (None), whatever dtype pandas chose.

    CSV writes a null and an empty string alike, so for CSV both read as "".
    """
    out = frame.reset_index(drop=True)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype(object).where(out[column].notna(), None)
            out[column] = values.fillna("") if csv else values
    return out


def no_partial_files(folder: Path) -> None:
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    assert leftovers == []


# --------------------------------------------------------------------------- one bad input


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_one_line(tmp_path, name, cli):
    write_bad_inputs(tmp_path)
    result = cli("statements", name, cwd=tmp_path)
    assert_one_error_line(result, name, BAD[name])


@pytest.mark.parametrize("command", ["info", "participants"])
@pytest.mark.parametrize("name", ["missing.txt", "picture.txt", "truncated.pdf"])
def test_bad_input_is_one_line_for_every_command(tmp_path, command, name, cli):
    write_bad_inputs(tmp_path)
    result = cli(command, name, cwd=tmp_path)
    assert_one_error_line(result, name, BAD[name])


def test_truncated_pdf_is_an_input_error(tmp_path):
    """The library side of the truncated PDF: an InputError naming the file."""
    write_bad_inputs(tmp_path)
    path = tmp_path / "truncated.pdf"
    with pytest.raises(positions.InputError) as caught:
        positions.read_document(path)
    assert caught.value.path == str(path)
    assert "PDF" in caught.value.problem


# --------------------------------------------------------------------------- --on-error skip


def test_skip_reports_each_bad_input_and_keeps_the_good(tmp_path, cli):
    write_bad_inputs(tmp_path)
    good = write_good_inputs(tmp_path)
    bad = list(BAD)
    inputs = [bad[0], good[0], *bad[1:5], good[1], *bad[5:], good[2]]
    result = cli("statements", *inputs, "--on-error", "skip", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("skipped: ") for line in lines), lines
    assert len(lines) == len(bad)
    for name in bad:
        named = [line for line in lines if line.startswith(f"skipped: {name}: ")]
        assert len(named) == 1, (name, lines)
        assert re.search(BAD[name], named[0], re.IGNORECASE), named[0]

    table = pd.read_csv(io.StringIO(result.stdout))
    expected = positions.statements([str(tmp_path / g) for g in good])
    assert sorted(table.doc_id.unique()) == sorted(expected.doc_id.unique()) == sorted(
        [Path(g).stem for g in good])
    columns = ["doc_id", "para", "sent", "char_start", "char_end", "text"]
    pd.testing.assert_frame_equal(table[columns].reset_index(drop=True),
                                  expected[columns].reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("command", ["statements", "info", "participants"])
def test_skip_with_every_input_bad_fails(tmp_path, command, cli):
    write_bad_inputs(tmp_path)
    bad = ["missing.txt", "empty.txt", "picture.txt", "report.xyz"]
    args = [command, *bad, "--on-error", "skip"]
    if command != "info":
        args += ["--out", "out.csv"]
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    skipped = [line for line in lines if line.startswith("skipped: ")]
    assert len(skipped) == len(bad)
    for name in bad:
        assert sum(line.startswith(f"skipped: {name}: ") for line in skipped) == 1
    others = [line for line in lines if not line.startswith("skipped: ")]
    assert len(others) == 1 and "no readable document" in others[0]
    assert not (tmp_path / "out.csv").exists()
    no_partial_files(tmp_path)


# --------------------------------------------------------------------------- output files


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_failed_run_leaves_existing_output_unchanged(tmp_path, suffix, cli):
    write_bad_inputs(tmp_path)
    demo = positions.demo_files()
    earlier = positions.statements(demo[0])
    out = tmp_path / f"existing{suffix}"
    if suffix == ".csv":
        earlier.to_csv(out, index=False)
    elif suffix == ".jsonl":
        earlier.to_json(out, orient="records", lines=True, force_ascii=False)
    else:
        earlier.to_parquet(out)
    before = out.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())

    result = cli("statements", demo[1], "empty.txt", "--out", out.name, cwd=tmp_path)
    assert_one_error_line(result, "empty.txt", "empty")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
    no_partial_files(tmp_path)


def _ungdc_201(ungdc: Path) -> list[str]:
    """Session 74 (195 speeches) and five of session 73: a first batch of exactly 200 documents."""
    earlier = sorted((ungdc / "Session 73 - 2018").glob("*.txt"))[:5]
    return [str(ungdc / "Session 74 - 2019"), *map(str, earlier)]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_failure_after_a_written_batch_leaves_output_unchanged(tmp_path, ungdc, suffix, cli):
    """The bad file is in the second batch: the first is already in the temporary file."""
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / f"existing{suffix}"
    out.write_bytes(b"earlier results\n")
    result = cli("statements", *_ungdc_201(ungdc), "empty.txt", "--out", out.name, cwd=tmp_path)
    assert_one_error_line(result, "empty.txt", "empty")
    assert out.read_bytes() == b"earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", out.name]


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_parquet(path)


NO_SESSION = "1. Many speakers agreed.\n2. Some speakers did not.\n3. The meeting closed.\n"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_output_round_trip(tmp_path, suffix, cli):
    # demo reports, and a note without session, dates or sections (nulls in typed columns)
    (tmp_path / "note.en.txt").write_text(NO_SESSION, encoding="utf-8")
    inputs = [*positions.demo_files(), str(tmp_path / "note.en.txt")]
    expected = positions.statements(inputs)
    assert expected.session.isna().sum() == 3 and expected.session.notna().any()

    result = cli("statements", *inputs, "--out", f"x{suffix}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""
    back = _read(tmp_path / f"x{suffix}")
    assert list(back.columns) == positions.STATEMENT_COLUMNS
    assert len(back) == len(expected)
    pd.testing.assert_frame_equal(comparable(back, csv=suffix == ".csv"),
                                  comparable(expected, csv=suffix == ".csv"), check_dtype=False)
    no_partial_files(tmp_path)


def test_parquet_keeps_dtypes(tmp_path, cli):
    """Nullable Int64 columns (session, para) come back as Int64, with their nulls."""
    (tmp_path / "note.en.txt").write_text(NO_SESSION, encoding="utf-8")
    inputs = [positions.demo_files()[0], str(tmp_path / "note.en.txt")]
    expected = positions.statements(inputs)
    assert expected.session.isna().sum() == 3 and expected.session.notna().any()
    result = cli("statements", *inputs, "--out", "x.parquet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "x.parquet"), expected)


def test_parquet_round_trip_across_batches(tmp_path, ungdc, cli):
    """Two batches; columns all null in the first (quantifier, on_behalf_of) hold text in the second."""
    inputs = [*_ungdc_201(ungdc), positions.demo_files()[0]]
    result = cli("statements", *inputs, "--out", "x.parquet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    back = pd.read_parquet(tmp_path / "x.parquet")
    expected = positions.statements(inputs)
    assert back.doc_id.nunique() == 201
    assert back.quantifier.notna().any() and back.on_behalf_of.notna().any()
    pd.testing.assert_frame_equal(comparable(back), comparable(expected), check_dtype=False)
    no_partial_files(tmp_path)


def test_csv_on_stdout(tmp_path, cli):
    demo = positions.demo_files()[0]
    result = cli("statements", demo, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    back = pd.read_csv(io.StringIO(result.stdout))
    pd.testing.assert_frame_equal(comparable(back, csv=True), comparable(positions.statements(demo), csv=True),
                                  check_dtype=False)


# --------------------------------------------------------------------------- usage errors


def test_unknown_output_format_is_a_usage_error(tmp_path, cli):
    result = cli("statements", positions.demo_files()[0], "--out", "x.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "x.xlsx" in result.stderr and ".xlsx" in result.stderr.splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


def test_no_input_is_a_usage_error(tmp_path, cli):
    result = cli("statements", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "INPUT" in result.stderr


# --------------------------------------------------------------------------- info --json and warnings


def test_info_json_for_the_demo(tmp_path, cli):
    files = positions.demo_files()
    result = cli("info", *files, "--json", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    documents = json.loads(result.stdout)
    assert [d["doc_id"] for d in documents] == [Path(f).name[:-4] for f in files]
    found = {d["doc_id"]: (d["session"], d["start_date"], d["venue"]) for d in documents}
    # the demo corpus (data/demo, written by the project) dates its sessions so
    assert found == {
        "ahc-2022-session1.en": (1, "2022-03-07", "Vienna"),
        "ahc-2022-session1.zh": (1, "2022-03-07", "Vienna"),
        "ahc-2022-session2.en": (2, "2022-06-13", "New York"),
        "ahc-2022-session2.zh": (2, "2022-06-13", "New York"),
        "ahc-2023-session3.en": (3, "2023-01-09", "Vienna"),
        "ahc-2023-session3.zh": (3, "2023-01-09", "Vienna"),
    }
    for doc in documents:
        assert doc["lang"] == doc["doc_id"][-2:]
        assert doc["body"] == "Ad Hoc Committee on Cybercrime"
    assert json.loads(cli("info", "--demo", "--json", cwd=tmp_path).stdout) == documents


def test_ungdc_extra_files_warn_on_one_line_each(tmp_path, ungdc, cli):
    folder = tmp_path / "Session 74 - 2019"
    folder.mkdir()
    for name in ("FRA_74_2019.txt", "RUS_74_2019.txt"):
        (folder / name).write_bytes((ungdc / "Session 74 - 2019" / name).read_bytes())
    (folder / "notes.txt").write_text("My notes.\n", encoding="utf-8")
    (folder / "README.md").write_text("# Session 74\n", encoding="utf-8")
    result = cli("statements", folder.name, "--out", "s.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("warning: ") for line in lines), lines
    assert any("notes.txt" in line for line in lines) and any("README.md" in line for line in lines)
    assert sorted(pd.read_csv(tmp_path / "s.csv").speaker.unique()) == ["FRA", "RUS"]
