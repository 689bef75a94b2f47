"""Hostile files: each is refused in one line or read with a warning, and never costs earlier results.

``HOSTILE`` is a catalogue of files a user might download or be sent: broken
encodings, binary data under a text name, zip bombs, XML entity tricks inside
a ``.docx``, password-protected and scanned PDFs, a named pipe, pages nested
a hundred thousand deep.  Each goes through the command line in a child
process (what a user sees), into an output file that already holds an earlier
result: a refusal must leave that file as it was, with one ``error:`` line
naming the file and the problem, and no traceback.
"""

from __future__ import annotations

import io
import os
import random
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from test_cli_errors import pdf_bytes, png_bytes  # this test folder is on sys.path

import positions as pos
from positions.base.config import Config
from positions.base.errors import InputError
from positions.read.encoding import decode
from positions.read.files import read_text

REPORT = (
    "Report on the meeting of the Expert Group, held in Vienna from 10 to 13 April 2017\n\n"
    "1. Many speakers supported a new international instrument on cybercrime.\n\n"
    "2. Some speakers said that the Budapest Convention was sufficient.\n\n"
    "3. The representative of Brazil made a statement.\n"
)
REPORT_ZH = "1. 许多发言者支持制定新的国际法律文书。\n\n2. 一些发言者认为《布达佩斯公约》已经足够。\n\n3. 巴西代表发了言。\n"


# --------------------------------------------------------------------------- the hostile files


def with_bad_byte(text: str, marker: str, bad: bytes) -> bytes:
    """``text`` in UTF-8 with ``bad`` bytes in place of ``marker``."""
    head, tail = text.split(marker, 1)
    return head.encode("utf-8") + bad + tail.encode("utf-8")


def docx_bytes(document_xml: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx made with python-docx; optionally its body replaced, or members added."""
    import docx

    document = docx.Document()
    for line in REPORT.split("\n\n"):
        document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    if document_xml is None and not extra:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml" and document_xml is not None:
                data = document_xml.encode("utf-8")
            target.writestr(member, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A valid .docx carrying a member that unpacks to 300 MB of zeros (about 300 KB on disk)."""
    return docx_bytes(extra={"word/media/image1.bin": bytes(300_000_000)})


def encrypted_zip_docx() -> bytes:
    """A .docx whose members claim to be encrypted (flag bit 0 set in every header)."""
    data = bytearray(docx_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + flag_at] |= 0x01
    return bytes(data)


BODY = '<w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body>'
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def xxe_docx() -> bytes:
    """A .docx whose body asks for /etc/passwd through an external entity."""
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document {W}>{BODY.format("1. Many speakers agreed. &x;")}</w:document>')
    return docx_bytes(xml)


def billion_laughs_docx() -> bytes:
    """A .docx whose body is an entity-expansion bomb (10**9 'lol's if expanded)."""
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
           f'<w:document {W}>{BODY.format("1. Many speakers agreed. &l9;")}</w:document>')
    return docx_bytes(xml)


def scanned_pdf() -> bytes:
    """A PDF page that is only an image: no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(png_bytes()), x=10, y=10, w=180)
    return bytes(pdf.output())


def password_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "1. Many speakers supported a new treaty.")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


def nested_html(depth: int) -> bytes:
    body = "<div>" * depth + "<p>1. Many speakers supported a new treaty.</p>" + "</div>" * depth
    return f"<html><body>{body}</body></html>".encode()


def random_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def sparse(size: int) -> Callable[[Path], None]:
    """A file of ``size`` bytes that takes no room on disk."""
    def write(path: Path) -> None:
        path.write_bytes(b"1. ")
        os.truncate(path, size)
    return write


def data(make_bytes: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(make_bytes())


# name -> (what writes it, what must happen, the message):
#   "read": read, with that warning (a regex, or None for no warning); "error": refused with that one line;
#   "either": refused cleanly or read small (what the XML parser does with it is its own choice)
HOSTILE: dict[str, tuple[Callable[[Path], None], str, str | None]] = {
    # text: encodings and bytes
    "stray-byte.txt": (data(lambda: with_bad_byte(REPORT, "a new", b"a \xff new")), "read",
                       r"invalid UTF-8 at byte 113"),
    "truncated-character.txt": (data(lambda: with_bad_byte(REPORT_ZH, "国际", "国".encode()[:2] + "际".encode())), "read",
                                r"invalid UTF-8 at byte 36"),
    "encoded-surrogate.txt": (data(lambda: with_bad_byte(REPORT, "Budapest", b"\xed\xa0\x80Budapest")), "read",
                              r"invalid UTF-8 at byte 189 and 2 more place\(s\)"),
    "bom-then-bad-bytes.txt": (data(lambda: b"\xef\xbb\xbf" + with_bad_byte(REPORT, "Brazil", b"\xc0\xafBrazil")),
                               "read", r"invalid UTF-8 at byte \d+ and 1 more place\(s\)"),
    "control-characters.txt": (data(lambda: REPORT.replace("Some", "\x1b[31mSome\x1b[0m").encode()), "read", None),
    "bidi-and-zero-width.txt": (data(lambda: REPORT.replace("Brazil", "\u202eBra\u200dzil\u202c").encode()),
                                "read", None),
    "form-feeds-and-cr.txt": (data(lambda: REPORT.replace("\n\n", "\r\f\r").encode()), "read", None),
    "empty.txt": (data(lambda: b""), "error", r"empty file"),
    "bom-only.txt": (data(lambda: b"\xef\xbb\xbf"), "error", r"empty"),
    "nul-bytes.txt": (data(lambda: bytes(4096)), "error", r"binary data"),
    "random-bytes.txt": (data(lambda: random_bytes(65536, 1)), "error", r"binary data|not UTF-8"),
    "picture.html": (data(png_bytes), "error", r"binary data"),
    "gzip.txt": (data(lambda: zlib.compress(REPORT.encode() * 50)), "error", r"binary data|not UTF-8"),
    "truncated-utf16.txt": (data(lambda: ("\ufeff" + REPORT).encode("utf-16-le")[:-1]), "error",
                            r"not valid UTF-16"),
    "oversized.txt": (sparse(100_000_001), "error", r"100\.0 MB, over the 100\.0 MB limit.*--max-file-mb"),
    "pipe.txt": (os.mkfifo, "error", r"not a regular file"),
    "empty\nname.txt": (data(lambda: b""), "error", r"empty file"),
    # HTML
    "nested-100000.html": (data(lambda: nested_html(100_000)), "read", None),
    "unclosed-script.html": (data(lambda: b"<html><script>var x = 1;</html><p>1. Many speakers agreed.</p>"),
                             "error", r"no text in this HTML page"),
    "nul-in-html.html": (data(lambda: b"<p>1. Many speakers agreed.</p>" + bytes(2048)), "error", r"binary data"),
    # Word
    "zip-bomb.docx": (data(zip_bomb_docx), "error", r"unpacks to 300\.\d MB, over the 100\.0 MB limit \(a zip bomb\?\)"),
    "text-named.docx": (data(lambda: REPORT.encode()), "error", r"not a \.docx file"),
    "truncated.docx": (data(lambda: docx_bytes()[:3000]), "error", r"not a \.docx file|not a readable \.docx"),
    "no-body.docx": (data(lambda: _zip({"[Content_Types].xml": b"<Types/>"})), "error", r"not a readable \.docx"),
    "malformed-xml.docx": (data(lambda: docx_bytes("<w:document><unclosed>")), "error", r"not a readable \.docx"),
    "encrypted-members.docx": (data(encrypted_zip_docx), "error", r"not a readable \.docx"),
    "external-entity.docx": (data(xxe_docx), "read", None),
    "billion-laughs.docx": (data(billion_laughs_docx), "either", None),
    # PDF
    "scanned.pdf": (data(scanned_pdf), "error", r"no text layer \(scanned PDF\?\); run OCR first"),
    "password.pdf": (data(password_pdf), "error", r"protected by a password"),
    "truncated.pdf": (data(lambda: pdf_bytes()[:900]), "error", r"not a readable PDF"),
    "header-then-zeros.pdf": (data(lambda: b"%PDF-1.7\n" + bytes(10000)), "error", r"not a readable PDF"),
    "text-named.pdf": (data(lambda: REPORT.encode()), "error", r"not a readable PDF"),
}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make(folder: Path, name: str) -> Path:
    path = folder / name
    HOSTILE[name][0](path)
    return path


TIMEOUT = 300  # seconds: a hostile file must not hang the command line


# --------------------------------------------------------------------------- through the command line


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_in_one_line_or_read_and_loses_nothing(tmp_path, name, cli):
    pytest.importorskip("fpdf", reason="fpdf2 is in the test extra: pip install -e .[test]")
    path = make(tmp_path, name)
    earlier = tmp_path / "statements.csv"
    assert cli("statements", pos.demo_files()[0], "--out", earlier, cwd=tmp_path, timeout=TIMEOUT).returncode == 0
    before = earlier.read_bytes()

    result = cli("statements", path.name, "--out", earlier, cwd=tmp_path, timeout=TIMEOUT)

    _, outcome, expected = HOSTILE[name]
    assert "Traceback" not in result.stderr
    assert all(line.startswith(("error: ", "warning: ")) for line in result.stderr.splitlines()), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "statements.csv"])  # no partial file
    if outcome == "either":
        outcome = "read" if result.returncode == 0 else "error"
    if outcome == "error":
        assert result.returncode == 1, result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        line = result.stderr.splitlines()[0]
        assert line.startswith("error: ") and name.encode("unicode_escape").decode() in line, line
        if expected:
            assert re.search(expected, line), line
        assert earlier.read_bytes() == before
        return
    assert result.returncode == 0, result.stderr
    written = earlier.read_text(encoding="utf-8").splitlines()
    assert {line.split(",")[0] for line in written[1:]} == {path.stem}  # the new document's rows, whole
    if expected:
        assert re.search(rf"^warning: {re.escape(name)}: {expected}; replaced with U\+FFFD$", result.stderr, re.M), \
            result.stderr


def test_a_docx_reads_no_local_file_through_an_external_entity(tmp_path):
    text = read_text(make(tmp_path, "external-entity.docx"))
    assert "Many speakers agreed." in text
    assert "root:" not in text


def test_entity_expansion_in_a_docx_stays_small(tmp_path):
    try:
        text = read_text(make(tmp_path, "billion-laughs.docx"))
    except InputError as err:
        assert "not a readable .docx" in str(err)
    else:
        assert len(text) < 10_000


# --------------------------------------------------------------------------- in the library


def test_invalid_utf8_is_replaced_where_it_was_and_offsets_still_cite(tmp_path):
    raw = with_bad_byte(REPORT, "a new", b"a \xff new")
    at = raw.index(b"\xff")
    path = tmp_path / "stray.txt"
    path.write_bytes(raw)
    with pytest.warns(UserWarning, match=rf"stray\.txt: invalid UTF-8 at byte {at};"):
        doc = pos.read_document(path)
    table = pos.statements([doc])
    row = table[table["text"].str.contains("\ufffd")].iloc[0]
    assert row.text == "Many speakers supported a \ufffd new international instrument on cybercrime."
    assert row.quantifier == "many"
    assert all(doc.text[r.char_start:r.char_end] == r.text for r in table.itertuples())


def test_invalid_utf8_in_chinese_keeps_the_rest_of_the_paragraph(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes(with_bad_byte(REPORT_ZH, "国际", "国".encode()[:2] + "际".encode()))
    with pytest.warns(UserWarning, match=r"invalid UTF-8 at byte 36;"):
        doc = pos.read_document(path)
    assert "新的\ufffd际法律文书" in doc.text
    table = pos.statements([doc])
    assert table.loc[table["para"] == 1, "quantifier"].tolist()[-1] == "many"


def test_gb18030_is_still_gb18030_not_utf8_with_replacements():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode(REPORT_ZH.encode("gb18030")) == REPORT_ZH


def test_mostly_garbage_is_refused_not_replaced():
    data = REPORT.encode() + random_bytes(4000, 2).replace(b"\x00", b"")
    with pytest.raises(InputError, match="binary data|not UTF-8"):
        decode(data, "garbage.txt")


def test_the_size_limit_is_a_setting(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(InputError, match=r"report\.txt: 0\.0 MB, over the 0\.0 MB limit"):
        pos.read_document(path, Config(max_file_mb=0.0001))
    assert len(pos.statements(path, config=Config(max_file_mb=0.001))) > 0
    bomb = make(tmp_path, "zip-bomb.docx")
    assert "Many speakers" in read_text(bomb, Config(max_file_mb=400))


def test_the_size_limit_on_the_command_line(tmp_path, cli):
    make(tmp_path, "zip-bomb.docx")
    result = cli("statements", "zip-bomb.docx", "--max-file-mb", "400", cwd=tmp_path, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "Many speakers supported a new international instrument" in result.stdout


def test_warnings_from_worker_processes_reach_the_caller(tmp_path):
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_bytes(with_bad_byte(REPORT, "a new", b"a \xff new"))
    with pytest.warns(UserWarning) as caught:
        table = pos.statements(sorted(tmp_path.glob("*.txt")), workers=2)
    said = sorted(str(w.message) for w in caught if "invalid UTF-8" in str(w.message))
    assert said == [f"{tmp_path / f'r{i}.txt'}: invalid UTF-8 at byte 113; replaced with U+FFFD" for i in range(3)]
    assert table["doc_id"].nunique() == 3


# --------------------------------------------------------------------------- nothing lost: every writer


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def interrupt_rename(monkeypatch, into: Path, at: int) -> list[str]:
    """A KeyboardInterrupt on the ``at``-th rename into ``into``: the moment an output is swapped in."""
    real, seen = os.replace, []

    def replace(source, destination, **kwargs):
        if str(destination).startswith(str(into)):
            seen.append(str(destination))
            if len(seen) == at:
                raise KeyboardInterrupt
        return real(source, destination, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return seen


def _table(out: Path, table) -> None:
    from positions.base.output import write_table
    from positions.base.schema import STATEMENT_COLUMNS, STATEMENT_DTYPES

    columns = {c: table[c].astype(object).where(table[c].notna(), None).tolist() for c in STATEMENT_COLUMNS}
    write_table([columns], STATEMENT_COLUMNS, str(out), STATEMENT_DTYPES)


def _chart(out: Path, table) -> None:
    import matplotlib.pyplot as plt

    positions = pos.position_table(pos.classify(table), n_boot=50)
    pos.save_chart(pos.plot_net_position(positions, "new_treaty"), out, formats=("png", "svg"))
    plt.close("all")


def _model(out: Path, table) -> None:
    from positions.stance.model import save_model

    save_model(pos.load_model(), out)


def _suggestions(out: Path, table) -> None:
    from positions.stance.labelling import export_suggestions

    export_suggestions(pos.suggest(table, n=5), out)


def _annotations(out: Path, table) -> None:
    from positions.base.schema import statement_hash
    from positions.stance.annotations import write_annotations

    first = table.iloc[:5]
    write_annotations(first.assign(hash=first["text"].map(statement_hash), target="none", stance=None,
                                   annotator="test"), str(out))


def _report(out: Path, table) -> None:
    pos.write_report(table, out, formats=("svg",), n_boot=50)


def _store(out: Path, table) -> None:
    pos.Store(out).add(table)


# writer -> (output name, the renames into it that a second run makes; each is interrupted in turn where cheap)
WRITERS = {
    "statements.csv": (_table, [1]),
    "statements.parquet": (_table, [1]),
    "model.skops": (_model, [1]),
    "next.xlsx": (_suggestions, [1]),
    "labels.csv": (_annotations, [1]),
    "chart": (_chart, [1, 2]),
    "report": (_report, [1, 2, 3, 4, 5]),  # brief.md, brief.html, tables, charts, run.json
    "store": (_store, [1, 2, 3]),
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_interrupted_writer_leaves_the_earlier_output_whole(tmp_path, monkeypatch, demo_statements, name):
    write, points = WRITERS[name]
    out = tmp_path / name
    first = demo_statements[demo_statements["doc_id"] == demo_statements["doc_id"].iloc[0]]
    write(out, first)
    before = files_under(tmp_path)
    for at in points:
        interrupt_rename(monkeypatch, out, at)
        with pytest.raises(KeyboardInterrupt):
            write(out, demo_statements)
        monkeypatch.undo()
        after = files_under(tmp_path)
        assert after.keys() == before.keys(), f"interrupted at rename {at}"
        changed = [p for p in after if after[p] != before[p] and p.split("/")[0] != ".lock"]
        if name == "chart":  # one chart in two formats: each file is whole, the one renamed before may be new
            changed = [p for p in changed if at == 1 or not p.endswith(".png")]
        assert changed == [], f"interrupted at rename {at}"
    write(out, demo_statements)  # and the output can be written again
    assert files_under(tmp_path).keys() >= before.keys()
