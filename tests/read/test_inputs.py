"""Reading formats: encodings, HTML, Word, PDF, hard-wrapped text, the UN General Debate Corpus.

Every document here is either written by the test (in tmp_path) or read from the
real corpus through the fixtures of conftest.py; no corpus text is copied in.
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import positions

DATA = Path(__file__).resolve().parent.parent / "data"  # tests/data

# --------------------------------------------------------------------------- helpers


def assert_citable(table: pd.DataFrame, docs: dict[str, positions.Document]) -> None:
    """``doc.text[char_start:char_end] == text`` on every row (the DESIGN.md invariant)."""
    assert len(table), "an empty table proves nothing"
    for row in table.itertuples(index=False):
        doc = docs[row.doc_id]
        assert doc.text[row.char_start:row.char_end] == row.text, (row.doc_id, row.para, row.sent)


def citable(path) -> tuple[pd.DataFrame, positions.Document]:
    """The statements table of one file, checked against the document's own text."""
    table = positions.statements(path)
    doc = positions.read_document(path)
    assert set(table.doc_id) == {doc.doc_id}
    assert_citable(table, {doc.doc_id: doc})
    return table, doc


def statement(table: pd.DataFrame, para: int, sent: int) -> pd.Series:
    rows = table[(table.para == para) & (table.sent == sent)]
    assert len(rows) >= 1, (para, sent)
    return rows.iloc[0]


TITLE = "Report of the Ad Hoc Committee on its second session, held in New York from 13 to 17 June 2022"
# The sentence with inline markup, as it must come out: one sentence, no tag text.
INLINE_SENTENCE = ("Many speakers stressed the importance of technical assistance and "
                   "capacity-building for developing countries.")


def check_small_report(path: Path) -> None:
    """The checks shared by the HTML and Word versions of the same small report."""
    table, doc = citable(path)
    assert doc.meta["session"] == 2
    assert doc.meta["start_date"] == "2022-06-13"
    assert doc.meta["end_date"] == "2022-06-17"
    assert doc.meta["venue"] == "New York"
    assert doc.meta["lang"] == "en"
    assert doc.meta["body"] == "Ad Hoc Committee on Cybercrime"
    assert doc.meta["title"] == TITLE

    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4, 5]
    assert [p.section for p in doc.paragraphs] == ["I. Introduction"] * 2 + ["II. General discussion"] * 3
    assert sorted(table.para.unique().tolist()) == [1, 2, 3, 4, 5]
    assert (table.session == 2).all() and (table.session_date == "2022-06-13").all()
    assert (table.lang == "en").all()

    # inline <a>/<b> (or runs and a hyperlink) do not split a sentence
    linked = statement(table, 2, 1)
    assert linked.text == ("The session was opened by the Chair, who recalled resolution 75/282 "
                           "of the General Assembly.")
    assert linked.section == "I. Introduction"
    bold = statement(table, 3, 1)
    assert bold.text == INLINE_SENTENCE
    assert bold.section == "II. General discussion"
    assert (bold.speaker_kind, bold.quantifier) == ("quantified", "many")
    assert statement(table, 3, 2).text == "Some speakers called for caution."
    assert table[table.para == 3].sent.max() == 2

    brazil = statement(table, 4, 1)
    assert (brazil.speaker_kind, brazil.speaker) == ("delegation", "BRA")

    # no markup, no link target, no script in the text
    for junk in ("SCRIPTTEXT", "undocs.org", "<", ">", "&nbsp;", "\xa0"):
        assert junk not in doc.text, junk
        assert not table.text.str.contains(junk, regex=False).any(), junk


# --------------------------------------------------------------------------- encodings


def _utf16le_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


ENCODINGS = [
    pytest.param(lambda t: t.encode("gb18030"), id="gb18030"),
    pytest.param(_utf16le_bom, id="utf-16-le-bom"),
    pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
    pytest.param(lambda t: t.encode("utf-16-be"), id="utf-16-be-no-bom"),
    pytest.param(lambda t: t.encode("utf-16-le"), id="utf-16-le-no-bom"),
]


@pytest.fixture(scope="module")
def original_2017(statements_2017: pd.DataFrame) -> pd.DataFrame:
    """The shared statements table of the 2017 report (never changed here), checked to be worth comparing."""
    assert len(statements_2017) > 100 and (statements_2017.lang == "zh").all()
    return statements_2017


@pytest.mark.parametrize("encode", ENCODINGS)
def test_reencoded_report_gives_the_same_table(report_2017, original_2017, tmp_path, encode):
    # the same file name (so the same doc_id) in another folder, in another encoding
    copy = tmp_path / report_2017.name
    copy.write_bytes(encode(report_2017.read_text(encoding="utf-8")))
    assert copy.read_bytes() != report_2017.read_bytes()

    table = positions.statements(copy)
    pd.testing.assert_frame_equal(table.drop(columns="source"), original_2017.drop(columns="source"))
    assert (table.source == str(copy)).all()
    doc = positions.read_document(copy)
    assert not doc.text.startswith("\ufeff")
    assert_citable(table, {doc.doc_id: doc})


def test_original_report_is_citable(report_2017, original_2017):
    doc = positions.read_document(report_2017)
    assert doc.meta["session"] == 3
    assert doc.meta["start_date"] == "2017-04-10"
    assert doc.meta["venue"] == "Vienna"
    assert_citable(original_2017, {doc.doc_id: doc})


# --------------------------------------------------------------------------- HTML

HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Head title that is not part of the report</title>
  <script>var tracker = "SCRIPTTEXT in the head";</script>
  <style>p { margin: 0 }</style>
</head>
<body>
<h1>Report of the Ad Hoc Committee on its second session,
    held in New York from 13 to 17 June 2022</h1>
<script type="text/javascript">document.write("SCRIPTTEXT in the body");</script>
<h2>I. Introduction</h2>
<p>1.&nbsp;The Ad Hoc Committee held its second session in New York from 13 to 17 June 2022.</p>
<p>2. The session was opened by the Chair, who recalled
   <a href="https://undocs.org/A/RES/75/282">resolution 75/282</a> of the <i>General Assembly</i>.</p>
<h2>II. General discussion</h2>
<p>3. Many speakers stressed the importance of <b>technical assistance</b> and
   capacity-building for developing countries. Some speakers called for caution.</p>
<p><b>4.</b> The representative of Brazil made a statement.</p>
<p>5. The Committee adopted its report.</p>
<script>console.log("SCRIPTTEXT at the end")</script>
</body>
</html>
"""


def test_html_report(tmp_path):
    path = tmp_path / "ahc-session2.en.html"
    path.write_text(HTML, encoding="utf-8")
    check_small_report(path)
    assert "Head title" not in positions.read_document(path).text


# --------------------------------------------------------------------------- Word


def _add_hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "A/AC.291/8"
    document.add_heading(TITLE, level=1)
    document.add_heading("I. Introduction", level=2)
    document.add_paragraph("1. The Ad Hoc Committee held its second session in New York "
                           "from 13 to 17 June 2022.")
    para = document.add_paragraph("2. The session was opened by the Chair, who recalled ")
    _add_hyperlink(para, "https://undocs.org/A/RES/75/282", "resolution 75/282")
    para.add_run(" of the General Assembly.")
    document.add_paragraph("")  # an empty paragraph, as Word users leave them
    document.add_heading("II. General discussion", level=2)
    para = document.add_paragraph("3. Many speakers stressed the importance of ")
    para.add_run("technical assistance").bold = True
    para.add_run(" and capacity-")
    para.add_run("building").italic = True
    para.add_run(" for developing countries. Some speakers called for caution.")
    para = document.add_paragraph()
    para.add_run("4.").bold = True
    para.add_run(" The representative of Brazil made a statement.")
    document.add_paragraph("5. The Committee adopted its report.")
    document.save(path)


def test_docx_report(tmp_path):
    path = tmp_path / "ahc-session2.en.docx"
    write_docx(path)
    check_small_report(path)
    assert positions.read_document(path).meta["symbol"] == "A/AC.291/8"


# --------------------------------------------------------------------------- PDF

SYMBOL = "A/AC.291/4"
JOB = "V.22-01234"
URL = "https://undocs.org/en/A/AC.291/4"
# Body lines of each page, hard-wrapped as a PDF's text layer gives them.
# Paragraph 3 runs from page 1 to page 2 in the middle of its second sentence,
# paragraph 6 from page 2 to page 3 in the middle of its only sentence.
PDF_PAGES = [
    [
        "Report of the Ad Hoc Committee on its first session,",
        "held in Vienna from 28 February to 11 March 2022",
        "",
        "I. Introduction",
        "1. The Ad Hoc Committee held its first session in Vienna.",
        "2. The session was opened by the Chair. The Chair recalled resolution",
        "75/282 of the General Assembly.",
        "3. Many speakers stressed that technical assistance and capacity-building",
        "were essential for developing countries. Some speakers called for a",
    ],
    [
        "careful and balanced approach to the scope of the convention. The",
        "Committee took note of those views.",
        "",
        "II. General discussion",
        "4. The representative of Brazil made a statement.",
        "5. Several speakers underlined the need for safeguards.",
        "6. One speaker proposed that the Committee hold informal consultations",
    ],
    [
        "between its sessions in order to advance the negotiations.",
        "7. The Committee adopted its report.",
    ],
]
CROSSING_1 = ("Some speakers called for a careful and balanced approach to the scope "
              "of the convention.")
CROSSING_2 = ("One speaker proposed that the Committee hold informal consultations between "
              "its sessions in order to advance the negotiations.")


def write_pdf(path: Path, pages: list[list[str]] = PDF_PAGES) -> None:
    pytest.importorskip("fpdf", reason="fpdf2 is in the test extra: pip install -e .[test]")
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, SYMBOL, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-25)
            self.set_font("Helvetica", size=8)
            if self.page_no() == 1:
                self.cell(0, 5, URL, new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 5, JOB, new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")

    pdf = Report(format="A4")
    pdf.set_creation_date(dt.datetime(2022, 3, 14, tzinfo=dt.UTC))
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_pdf_report(tmp_path):
    path = tmp_path / "A_AC.291_4.en.pdf"
    write_pdf(path)
    table, doc = citable(path)

    assert doc.meta["symbol"] == SYMBOL
    assert doc.meta["session"] == 1
    assert (doc.meta["start_date"], doc.meta["end_date"]) == ("2022-02-28", "2022-03-11")
    assert doc.meta["venue"] == "Vienna"
    assert doc.meta["lang"] == "en"
    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.section for p in doc.paragraphs] == ["I. Introduction"] * 3 + ["II. General discussion"] * 4

    # no page header, footer, job number, page number or URL in the text
    for junk in (SYMBOL, JOB, "undocs", "https://", "/3"):
        assert junk not in doc.text, junk
        assert not table.text.str.contains(junk, regex=False).any(), junk
    assert not table.text.str.contains(r"\b[123]/3\b").any()

    # a paragraph across a page break is one paragraph, its sentence whole
    para3 = table[table.para == 3]
    assert para3.text.tolist() == [
        "Many speakers stressed that technical assistance and capacity-building were essential "
        "for developing countries.",
        CROSSING_1,
        "The Committee took note of those views.",
    ]
    assert para3.sent.tolist() == [1, 2, 3]
    assert set(para3.section) == {"I. Introduction"}
    assert statement(table, 3, 2).quantifier == "some"
    assert table[table.para == 6].text.tolist() == [CROSSING_2]
    assert statement(table, 6, 1).section == "II. General discussion"
    # the line that starts with "75/282" is text, not a page number
    assert statement(table, 2, 2).text == "The Chair recalled resolution 75/282 of the General Assembly."


# --------------------------------------------------------------------------- hard-wrapped text

WRAPPED = """Report of the Ad Hoc Committee on its third session, held in Vienna
from 9 to 20 January 2023

I. Introduction

1. Many speakers stressed the importance of international cooperation
in preventing and combating the use of information and communications
technologies for criminal purposes, in particular through inter-
national cooperation on electronic evidence.
2. The Chair informed the Committee that the Secretary-
General had received the views of Member States, and that a
statement had been made on cyber-
security and the work ahead of the Committee.
3. Some speakers expressed the view that capacity-building and
technical assistance were essential for developing countries.
"""


def _check_wrapped(table: pd.DataFrame) -> None:
    first = statement(table, 1, 1).text
    assert "through international cooperation on electronic evidence." in first
    assert "inter-" not in first and "inter national" not in first
    second = statement(table, 2, 1).text
    assert second == ("The Chair informed the Committee that the Secretary-General had received "
                      "the views of Member States, and that a statement had been made on "
                      "cyber-security and the work ahead of the Committee.")
    assert statement(table, 3, 1).text.startswith("Some speakers expressed the view that capacity-building")


def test_hyphenated_line_ends(tmp_path):
    path = tmp_path / "wrapped.en.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    table, doc = citable(path)
    assert doc.meta["session"] == 3
    assert doc.meta["venue"] == "Vienna"
    assert doc.meta["start_date"] == "2023-01-09"
    assert table.para.unique().tolist() == [1, 2, 3]
    # "international" is written whole elsewhere: rejoined; "Secretary-General" is a
    # compound; "cybersecurity" is never written whole: the hyphen stays
    _check_wrapped(table)


@pytest.mark.parametrize("pad", ["", " "], ids=["even-length", "odd-length"])
def test_mostly_english_gb18030(tmp_path, pad):
    """A GB18030 file of English with a few Chinese words is not taken for BOM-less UTF-16."""
    text = WRAPPED.replace("held in Vienna", "held in Vienna (维也纳)") + "（完）" + pad
    path = tmp_path / "wrapped.en.txt"
    path.write_bytes(text.encode("gb18030"))
    assert len(path.read_bytes()) % 2 == (1 if pad else 0)
    table, doc = citable(path)
    assert "维也纳" in doc.text and doc.meta["venue"] == "Vienna"
    _check_wrapped(table)


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le"])
def test_english_utf16_without_bom(tmp_path, encoding):
    path = tmp_path / "wrapped.en.txt"
    path.write_bytes(WRAPPED.replace("\n", "\r\n").encode(encoding))
    table, _ = citable(path)
    _check_wrapped(table)


# --------------------------------------------------------------------------- UN General Debate Corpus


@pytest.fixture(scope="module")
def session_74(ungdc) -> tuple[pd.DataFrame, dict]:
    folder = ungdc / "Session 74 - 2019"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clean session folder warns about nothing
        table = positions.statements(folder)
    docs = {doc.doc_id: doc for doc in positions.iter_documents(folder)}
    return table, docs


def test_ungdc_session_folder(ungdc, session_74):
    table, docs = session_74
    files = sorted(p.stem for p in (ungdc / "Session 74 - 2019").glob("*.txt"))
    assert len(files) == 195
    assert table.doc_id.nunique() == 195
    assert sorted(table.doc_id.unique()) == files
    assert len(docs) == 195
    assert (table.body == "General Assembly").all()
    assert (table.session == 74).all()
    assert (table.session_date == "2019-09-17").all()
    assert_citable(table, docs)


def test_ungdc_speech_speaker(session_74):
    table, docs = session_74
    rus = table[table.doc_id == "RUS_74_2019"]
    assert len(rus) > 20
    assert set(rus.speaker) == {"RUS"}
    assert set(rus.speaker_kind) == {"delegation"}
    assert set(rus.body) == {"General Assembly"}
    assert set(rus.session) == {74}
    assert set(rus.session_date) == {"2019-09-17"}
    assert set(rus.lang) == {"en"}
    assert rus.on_behalf_of.isna().all() and rus.quantifier.isna().all()
    assert docs["RUS_74_2019"].meta["venue"] == "New York"
    eu = table[table.doc_id == "EU_74_2019"]
    assert len(eu) and set(eu.speaker_kind) == {"group"} and set(eu.speaker) == {"EU"}


def test_ungdc_eu_file(ungdc):
    path = ungdc / "Session 73 - 2018" / "EU_73_2018.txt"
    table, doc = citable(path)
    assert set(table.speaker_kind) == {"group"}
    assert set(table.speaker) == {"EU"}
    assert set(table.session) == {73}
    assert set(table.session_date) == {"2018-09-18"}
    assert doc.speaker == {"speaker_kind": "group", "speaker": "EU"}


def test_ungdc_folder_with_extra_files(ungdc, tmp_path):
    folder = tmp_path / "Session 74 - 2019"
    folder.mkdir()
    speeches = ["FRA_74_2019.txt", "RUS_74_2019.txt", "URY_74_2019.txt"]
    for name in speeches:
        shutil.copy(ungdc / "Session 74 - 2019" / name, folder / name)
    (folder / "notes.txt").write_text("My notes on the debate.\n", encoding="utf-8")
    (folder / "README.md").write_text("# Session 74\n", encoding="utf-8")

    with pytest.warns(UserWarning) as caught:
        table = positions.statements(folder)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert len([m for m in messages if "notes.txt" in m]) == 1
    assert len([m for m in messages if "README.md" in m]) == 1
    assert not any(name in m for m in messages for name in speeches)

    assert sorted(table.doc_id.unique()) == [Path(n).stem for n in speeches]
    assert sorted(table.speaker.unique()) == ["FRA", "RUS", "URY"]
    assert (table.session == 74).all() and (table.speaker_kind == "delegation").all()
    with pytest.warns(UserWarning) as again:
        docs = {doc.doc_id: doc for doc in positions.iter_documents(folder)}
    assert sorted(str(w.message) for w in again) == sorted(messages)
    assert_citable(table, docs)
    # the copy reads like the original
    original = positions.statements([ungdc / "Session 74 - 2019" / n for n in speeches])
    pd.testing.assert_frame_equal(table.drop(columns="source"), original.drop(columns="source"))


# --------------------------------------------------------------- text from a UN PDF


def test_english_pdf_text_layout():
    path = DATA / "en_pdf_layout.txt"
    doc = positions.read_document(path)
    assert doc.meta["symbol"] == "CTOC/COP/WG.9/2021/2"
    assert doc.meta["title"].startswith("Conference of the Parties")
    assert "Distr." not in doc.meta["title"] and "Original" not in doc.meta["title"]
    assert (doc.meta["start_date"], doc.meta["end_date"], doc.meta["venue"]) == ("2021-11-08", "2021-11-10", "Vienna")
    paragraphs = {p.number: doc.text[p.start:p.end] for p in doc.paragraphs}
    assert list(paragraphs) == [1, 2, 3, 4]
    assert paragraphs[1].startswith("The Working Group held its third meeting in Vienna.")
    assert "international framework and the Secretary-General's note." in paragraphs[1]
    assert paragraphs[3] == "One speaker said that the international framework was sufficient."
    table = positions.statements(path)
    assert_citable(table, {doc.doc_id: doc})
    assert table[table.para == 2].quantifier.tolist() == ["some", "some"]
    assert not table.text.str.contains("V.21|2/3|undocs|CTOC/COP").any()
    assert positions.info(path)[0]["attendance"] == {"member_states": 64, "intergovernmental_organizations": 3}


def test_a_process_pool_gives_the_same_table(ungdc):
    folder = ungdc / "Session 74 - 2019"
    alone = pd.concat(positions.iter_statements(folder, batch_size=50), ignore_index=True)
    pooled = pd.concat(positions.iter_statements(folder, batch_size=50, workers=2), ignore_index=True)
    pd.testing.assert_frame_equal(alone, pooled)
    assert alone.doc_id.nunique() == 195
