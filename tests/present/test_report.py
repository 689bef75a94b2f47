"""The report: tables, charts and a brief whose every sentence cites paragraphs that exist and say so."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import positions as pos
from positions.present.brief import brief_sentences
from positions.present.render import brief_markdown
from positions.present.report import REPORT_TABLES, write_report

CITED = re.compile(r"([^\s;\[\]]+) ((?:¶\d+(?:, )?)+)")


def citations(sources: str) -> list[tuple[str, int]]:
    """``doc ¶5, ¶6; doc2 ¶5`` -> [(doc, 5), (doc, 6), (doc2, 5)]."""
    return [(doc, int(p)) for doc, paras in CITED.findall(sources) for p in re.findall(r"¶(\d+)", paras)]


def assert_every_citation_is_on_its_target(sentences: pd.DataFrame, classified: pd.DataFrame) -> int:
    """Each cited paragraph exists and, for a sentence about a target, has a statement on that target."""
    on_target = set(zip(classified.doc_id, classified.para.astype(int), classified.target))
    paragraphs = {(d, p) for d, p, _ in on_target}
    checked = 0
    for row in sentences.itertuples(index=False):
        cited = citations(row.sources or "")
        for doc, para in cited:
            assert (doc, para) in paragraphs, (row.text, doc, para)
            if row.section in ("positions", "shifts", "delegations") and pd.notna(row.target):
                assert (doc, para, row.target) in on_target, (row.text, doc, para)
        checked += len(cited)
    return checked


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory, cli) -> Path:
    """The README's main command, run as a user runs it."""
    out = tmp_path_factory.mktemp("demo") / "report"
    done = cli("report", "--demo", "--out", out, cwd=out.parent)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"report written to {out}: brief.md, brief.html, 12 table files")
    return out


def test_the_demo_report_writes_every_table_as_csv_and_xlsx(demo_report, demo_statements):
    for name in REPORT_TABLES:
        csv = pd.read_csv(demo_report / "tables" / f"{name}.csv")
        sheet = pd.read_excel(demo_report / "tables" / f"{name}.xlsx", sheet_name=name)
        assert list(csv.columns) == list(sheet.columns) and len(csv) == len(sheet)
    statements = pd.read_csv(demo_report / "tables" / "statements.csv")
    assert len(statements) == len(demo_statements) and statements.doc_id.nunique() == 6
    positions = pd.read_csv(demo_report / "tables" / "positions.csv")
    first = positions.query("target == 'new_treaty' and session_label == 'Ad Hoc Committee on Cybercrime 1'")
    assert len(first) == 1 and first.session.tolist() == [1]  # one row per session and target
    assert first.net.round(2).tolist() == [-0.67]  # many speakers against, some in favour


def test_the_demo_report_has_each_chart_in_three_formats(demo_report):
    charts = {p.name for p in (demo_report / "charts").iterdir()}
    for name in ["all-targets-net", "new_treaty-shares", "new_treaty-net", "new_treaty-delegations",
                 "budapest_convention-shares", "budapest_convention-delegations"]:
        assert {f"{name}.png", f"{name}.svg", f"{name}.pdf"} <= charts
    brief_md = (demo_report / "brief.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", brief_md)
    assert shown and all((demo_report / path).is_file() for path in shown)
    assert 'src="charts/all-targets-net.png"' in (demo_report / "brief.html").read_text(encoding="utf-8")


def test_the_demo_brief_cites_paragraphs_that_hold_statements_on_its_targets(demo_report):
    classified = pd.read_csv(demo_report / "tables" / "classified.csv")
    text = (demo_report / "brief.md").read_text(encoding="utf-8").replace("\\_", "_")
    lines = [line for line in text.splitlines() if line.startswith("- ") and line.endswith("]")]
    assert len(lines) >= 20
    paragraphs = set(zip(classified.doc_id, classified.para))
    for line in lines:
        sources = line[line.rindex(" [") + 2:-1]
        assert citations(sources) and set(citations(sources)) <= paragraphs, line
    # session 1 has 3 paragraphs on the treaty: too few to call the shift, whatever its interval
    assert any(line.startswith("- New UN cybercrime treaty: from Ad Hoc Committee on Cybercrime 1 to Ad Hoc Committee "
                               "on Cybercrime 2 the net position went from −0.67 to ") and "too few statements" in line
               for line in lines)
    assert "Its cross-validated F_avg" in text and "many, weight 10" in text


def test_the_demo_report_checks_the_languages_against_each_other(demo_report, demo_classified):
    written = pd.read_csv(demo_report / "tables" / "language-agreement.csv", dtype={"para": "Int64"})
    expected = pos.language_agreement(demo_classified)
    keys = ["doc_id_a", "doc_id_b", "para", "target", "stance_a", "stance_b", "agree", "used"]
    assert written[keys].fillna("").astype(str).values.tolist() == expected[keys].fillna("").astype(str).values.tolist()
    assert set(written.doc_id_a) == {"ahc-2022-session1.en", "ahc-2022-session2.en", "ahc-2023-session3.en"}
    assert set(written.agree) == {"yes"}  # every paragraph of the demo: the same target and stance in both languages
    text = (demo_report / "brief.md").read_text(encoding="utf-8")
    agree = int((written.agree == "yes").sum())
    assert (f"they give the same stance on {agree} of {len(written)} paragraph-target pairs "
            f"({100 * agree / len(written):.0f}%)") in text
    section = text.split("## Language versions")[1].split("## ")[0]
    for row in written[written.agree == "no"].itertuples():  # each disagreement, cited in both versions
        assert f"[{row.doc_id_a} ¶{row.para}; {row.doc_id_b} ¶{row.para}]" in section
    assert section.count(" call (confidence ") == (written.agree == "no").sum()
    assert "the disagreements follow" not in section  # there are none to follow
    assert "doubled" not in text


def test_a_disagreement_between_the_languages_is_listed_with_both_citations(demo_classified):
    flipped = demo_classified.copy()
    row = flipped.index[(flipped.doc_id == "ahc-2022-session2.zh") & (flipped.para == 8)
                        & (flipped.target == "new_treaty")][0]
    flipped.loc[row, "stance"] = "against" if flipped.loc[row, "stance"] != "against" else "favor"
    sentences = pos.brief_sentences(flipped, model="rules", n_boot=50).query("section == 'languages'")
    assert sentences.text.iloc[0].endswith("the same stance on 39 of 40 paragraph-target pairs (98%). Where they "
                                           "disagree the positions count the call of the version the classifier is "
                                           "more confident of; the disagreements follow.")
    listed = sentences[sentences.sources == "ahc-2022-session2.en ¶8; ahc-2022-session2.zh ¶8"].text.tolist()
    assert listed == [f"New UN cybercrime treaty, ¶8: English in favour, Chinese {flipped.loc[row, 'stance']}; the "
                      "positions count the English call (confidence 0.84 and 0.75)."]


@pytest.fixture(scope="module")
def report_2017_tables(statements_2017, classified_2017):
    return statements_2017, classified_2017


def test_the_2017_brief_names_the_weighted_quantifiers_and_cites_existing_paragraphs(report_2017_tables):
    statements, classified = report_2017_tables
    sentences = brief_sentences(classified, statements=statements, model=pos.load_model(), lang="zh")
    assert assert_every_citation_is_on_its_target(sentences, classified) > 50
    methods = sentences[sentences.section == "methods"].text.tolist()
    assert "许多，权重 10（“许多发言者”" in " ".join(methods)
    assert any(t.startswith("普遍，权重 0.8 × 59 名与会者 = 47.2") for t in methods)  # 59 States took the floor
    about = sentences.target.fillna("") == "new_treaty"
    against = sentences[sentences.text.str.contains("权重最高的反对发言") & about].iloc[0]
    assert "“许多发言者”（许多，权重 10）" in against.text and against.sources == "2017-third-meeting.zh ¶41"
    assert sentences.text.str.contains("网络犯罪问题专家组第3次会议").any()
    assert (sentences[sentences.section == "delegations"].text.tolist()
            == ["没有具名代表团或集团就任何议题表明立场（只有带数量词的发言者）。"])


def test_ungdc_brief_shows_which_delegations_spoke_for_a_new_treaty_in_which_session(ungdc):
    statements = pos.statements([ungdc / "Session 76 - 2021", ungdc / "Session 77 - 2022"], workers=2)
    classified = pos.classify(statements)
    sentences = brief_sentences(classified, statements=statements, model=pos.load_model())
    assert assert_every_citation_is_on_its_target(sentences, classified) > 5
    lines = sentences[(sentences.section == "delegations") & (sentences.target.fillna("") == "new_treaty")]
    assert lines.text.tolist()[:2] == [
        "New UN cybercrime treaty, General Assembly 76: Mauritius (MUS), Russian Federation (RUS), Samoa (WSM) "
        "spoke in favour of it.",
        "New UN cybercrime treaty, General Assembly 77: Bangladesh (BGD), Jamaica (JAM), Mauritius (MUS), "
        "Russian Federation (RUS), Togo (TGO) spoke in favour of it."]  # RUS ¶22: "drafting a universal convention"
    assert lines.sources.iloc[0] == "MUS_76_2021 ¶36; RUS_76_2021 ¶22; WSM_76_2021 ¶24"


def _report(tmp_path, text: str) -> Path:
    doc = tmp_path / "ahc-2022-session1.en.txt"
    doc.write_text("Report of the Ad Hoc Committee on Cybercrime on its first session\n\n" + text, encoding="utf-8")
    return doc


def test_markup_in_a_document_stays_text_in_the_html_brief(tmp_path):
    doc = _report(tmp_path, "5. Many speakers supported a new convention on cybercrime "
                            "<script>alert('x')</script> and <b>said</b> so.\n")
    write_report(pos.statements(doc), tmp_path / "out", formats=("png",))
    page = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>said" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; and &lt;b&gt;said&lt;/b&gt;" in page
    markdown = (tmp_path / "out" / "brief.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown


def test_a_failed_run_leaves_the_earlier_report_whole(tmp_path, monkeypatch):
    statements = pos.statements(pos.demo_files()[0])
    out = tmp_path / "report"
    write_report(statements, out, formats=("png",))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("positions.present.report.brief_html", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(statements, out, lang="zh", formats=("png", "svg"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # nothing half-written beside it


def test_a_new_report_replaces_the_earlier_one_whole(tmp_path):
    statements = pos.statements(pos.demo_files()[0])
    out = tmp_path / "report"
    write_report(statements, out, formats=("png", "svg"))
    write_report(statements, out, formats=("png",), xlsx_max_rows=40)
    charts = {p.suffix for p in (out / "charts").iterdir()}
    assert charts == {".png"}  # no stale SVG from the first run
    assert not (out / "tables" / "statements.xlsx").exists() and (out / "tables" / "positions.xlsx").exists()
    assert "tables/statements.xlsx is not written: 44 rows are more than the 40-row limit" in (
        out / "brief.md").read_text(encoding="utf-8")


def test_a_folder_with_someone_elses_files_is_refused(tmp_path, cli):
    (tmp_path / "notes.docx").write_bytes(b"mine")
    done = cli("report", "--demo", "--out", tmp_path, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"error: {tmp_path}: is a folder with other files in it; write the report to a new or " \
                          "empty folder (an earlier report there is replaced)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.docx"]


def test_a_sessions_file_and_unweighted_counts_reach_the_report(tmp_path, cli):
    axis = tmp_path / "sessions.csv"
    axis.write_text("body,session,label,date\nAd Hoc Committee on Cybercrime,1,AHC 2022,\n"
                    "Ad Hoc Committee on Cybercrime,2,AHC 2022,\n", encoding="utf-8")
    first, second = pos.demo_files()[0], pos.demo_files()[2]  # sessions 1 and 2, in English
    done = cli("report", first, second, "--out", tmp_path / "r", "--sessions", axis, "--unweighted", "--formats",
               "png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    positions = pd.read_csv(tmp_path / "r" / "tables" / "positions.csv")
    assert positions.session_label.unique().tolist() == ["AHC 2022"]
    assert (positions.weight == positions.weight.round()).all()  # every statement counted once
    assert "(unweighted; net position" in (tmp_path / "r" / "brief.md").read_text(encoding="utf-8")


def test_the_brief_renders_in_chinese_with_chinese_session_names(demo_classified):
    text = brief_markdown(brief_sentences(demo_classified, lang="zh"), lang="zh", title="简报")
    assert "## 主要立场" in text and "特设委员会第1届会议" in text and "Ad Hoc Committee" not in text


@pytest.mark.parametrize("option, content, problem", [
    ("--sessions", "body,session,label,date\nGeneral Assembly,72,2017,19.09.2017\n",
     "row 2: date '19.09.2017' is not YYYY-MM-DD"),
    ("--model", "not a model", "not a skops model file"),
])
def test_a_bad_sessions_file_or_model_is_one_line_and_writes_nothing(tmp_path, cli, option, content, problem):
    given = tmp_path / ("sessions.csv" if option == "--sessions" else "model.skops")
    given.write_text(content, encoding="utf-8")
    done = cli("report", "--demo", "--out", tmp_path / "r", option, given, cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {given}: ") and problem in done.stderr
    assert not (tmp_path / "r").exists()


def test_documents_that_address_no_target_are_named(tmp_path):
    doc = tmp_path / "agenda.en.txt"
    doc.write_text("Organization of work\n\n1. The meeting adopted its agenda.\n", encoding="utf-8")
    with pytest.raises(pos.InputError, match=r"agenda.en.txt: no statement addresses a target"):
        write_report(pos.statements(doc), tmp_path / "out")
    assert not (tmp_path / "out").exists()
