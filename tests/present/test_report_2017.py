"""What must hold on the real 2017 Expert Group report (Chinese, from its PDF)."""

from __future__ import annotations

import re

import pytest

import positions as pos
from positions.parse.speakers import SpeakerContext, attribute, explain
from positions.read.files import read_text
from positions.read.layout import parse_layout


@pytest.fixture(scope="module")
def doc(report_2017):
    return pos.read_document(report_2017)


@pytest.fixture(scope="module")
def table(statements_2017):
    return statements_2017


def first(table, para: int, starts: str):
    rows = table[(table.para == para) & table.text.str.startswith(starts)]
    assert len(rows) == 1, f"paragraph {para}: {len(rows)} statements start with {starts!r}"
    return rows.iloc[0]


def test_sixty_numbered_paragraphs_in_order(doc, table):
    assert [p.number for p in doc.paragraphs] == list(range(1, 61))
    assert sorted(table.para.unique()) == list(range(1, 61))


def test_no_url_or_heading_inside_statements(doc, table, report_2017):
    assert not table.text.str.contains("http|undocs").any()
    headings = [line.strip() for line in read_text(report_2017).splitlines()
                if re.match(r"\s*(?:[一二三四五六七八九十]+|[A-F])\.\s", line)]
    assert len(headings) >= 12
    for paragraph in doc.paragraphs:
        body = doc.text[paragraph.start:paragraph.end]
        assert not any(h in body for h in headings if len(h) > 6), paragraph.number
    assert "C. 审议网络犯罪问题全面研究报告草稿" not in "".join(table.text)


def test_section_paths(doc):
    sections = {p.number: p.section for p in doc.paragraphs}
    assert sections[1] == "一. 导言"
    assert sections[23].startswith("三. 审议情况概要 > C. 审议网络犯罪问题全面研究报告草稿")
    assert sections[23].endswith("并审议今后在研究报告草稿方面的工作")
    assert sections[53] == "三. 会议安排 > B. 发言"


def test_paragraph_32_reads_through_the_url_block(table):
    para = table[table.para == 32].text.tolist()
    assert "一些发言者指出，其本国政府发出的一些司法协助请求没有得到答复。" in para


def test_metadata(doc):
    meta = doc.meta
    assert (meta["lang"], meta["start_date"], meta["end_date"], meta["venue"], meta["session"]) == (
        "zh", "2017-04-10", "2017-04-13", "Vienna", 3)
    assert meta["body"] == "Expert Group on Cybercrime"


def test_every_row_is_citable(doc, table):
    assert len(table) > 190
    for row in table.itertuples():
        assert doc.text[row.char_start:row.char_end] == row.text


def test_agenda_numbers_inside_paragraph_56_are_not_paragraphs(table):
    para56 = table[table.para == 56].text.tolist()
    assert "8. 通过报告。" in para56
    assert para56[0].startswith("专家组在 2017 年 3 月 15 日的扩大主席团会议上通过了临时议程")


def test_paragraph_53_lists_59_states(table):
    rows = table[table.para == 53]
    assert len(rows) == 59
    assert rows.speaker.iloc[0] == "DZA" and rows.speaker.iloc[-1] == "VNM"
    assert set(rows.speaker_kind) == {"delegation"}
    assert {"IRN", "GBR", "USA", "KOR", "MDA", "CIV", "CZE"} <= set(rows.speaker)


def test_named_speakers_54_55(table):
    row = table[table.para == 54].iloc[0]
    assert (row.speaker_kind, row.speaker, row.on_behalf_of) == ("delegation", "MLT", "EU")
    assert table[table.para == 55].speaker.tolist() == ["EU", "COE"]


@pytest.mark.parametrize("para, starts, quantifier", [
    (41, "许多发言者认为不需要", "many"),
    (41, "一些发言者认为，现行的国际法律文书", "some"),
    (44, "一名发言者说，因为存在一项区域条约", "one"),
    (27, "会上普遍认为通过研究报告草稿是行不通的", "general"),
    (26, "多数发言者指出", "most"),
    (16, "有几名发言者分享了", "several"),
    (16, "他们强调", "several"),
    (16, "其他一些发言者指出", "some"),
    (24, "而另有些代表团则反对", "some"),
    (13, "代表一捐助国的发言者指出", "one"),
])
def test_quantified_speakers(table, para, starts, quantifier):
    assert first(table, para, starts).quantifier == quantifier


def test_sentence_order_in_paragraph_41(table):
    rows = table[table.para == 41]
    assert rows.sent.tolist()[:2] == [1, 2]
    assert rows.quantifier.tolist()[:2] == ["many", "some"]


def test_weights_use_the_stated_participants(table):
    assert first(table, 26, "多数发言者指出").weight == pytest.approx(0.6 * 59)
    assert first(table, 27, "会上普遍认为").weight == pytest.approx(0.8 * 59)
    assert first(table, 41, "许多发言者认为").weight == 10


def test_officers(table):
    assert (first(table, 19, "专家组报告员").speaker_kind, first(table, 19, "专家组报告员").speaker) == ("officer", "CAN")
    assert first(table, 19, "他指出").speaker == "CAN"
    assert first(table, 11, "秘书处口头介绍").speaker == "Secretariat"
    assert first(table, 21, "主席对报告员").speaker == "Chair"


def test_every_row_is_attributed(table):
    assert table.speaker_kind.notna().all() and table.weight.notna().all()
    assert set(table.speaker_kind) <= {"delegation", "group", "quantified", "officer", "meeting", "unknown"}


def test_attendance_and_participants(report_2017):
    info = pos.info(report_2017)[0]
    assert info["attendance"] == {"member_states": 87, "intergovernmental_organizations": 4,
                                  "academic_institutions": 2, "private_sector": 1}
    assert (info["participants"], info["speaking_delegations"]) == (59, 59)
    table = pos.participants(report_2017)
    para53 = table[table.para == 53]
    assert len(para53) == 59 and para53.speaker.iloc[-1] == "VNM"
    assert table[(table.para == 54)][["speaker", "on_behalf_of"]].values.tolist() == [["MLT", "EU"]]
    assert table[table.para == 55].speaker.tolist() == ["EU", "COE"]
    assert ("CAN", "officer") in set(zip(table.speaker, table.role))


def test_explanations_replay(report_2017, doc):
    context = SpeakerContext("zh", participants=59)
    sentence = "许多发言者认为不需要就网络犯罪问题制定新的法律文书。"
    decision, cue = explain(sentence, None, context)
    assert (decision, cue) == ("many", "许多发言者")
    assert attribute(cue + "认为。", None, context)[0].quantifier == decision


def test_layout_keeps_characters(report_2017):
    raw = read_text(report_2017)
    layout = parse_layout(raw)
    squeeze = lambda s: re.sub(r"\s+", "", s)
    kept = squeeze(layout.text)
    raw_lines = [line for line in raw.splitlines() if not line.strip().startswith("http")]
    assert kept == squeeze("".join(raw_lines))
