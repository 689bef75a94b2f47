"""Which texts are numbered reports: two numbered paragraphs are enough, a speech never is.

A report of only two numbered paragraphs reads as numbered, exactly like the
same report with a third; a numbered list inside a UN General Debate speech is
not taken for a report's paragraphs (it once made everything before it a
"title", and the statements lost that text).  The short reports are written
for this test; the speech is read from the real corpus.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import pandas as pd
import pytest

import positions as pos

# title, heading, numbered paragraph lines (label included), as a report writes them
REPORTS = {
    "en": (
        "Report of the Expert Group on its fifth meeting, held in Vienna from 3 to 5 May 2021",
        "I. Deliberations",
        ["1. Several speakers welcomed the draft and asked for more time to study it. "
         "They also hoped that the secretariat would circulate a revised text.",
         "2. The representative of Norway said that the text needed clearer safeguards.",
         "3. The Group adopted the report of the meeting."],
    ),
    "zh": (
        "专家组 2021 年 5 月 3 日至 5 日在维也纳举行的第五次会议的报告",
        "一、审议情况",
        ["1．一些发言者欢迎草案，并要求有更多时间研究。他们还希望秘书处分发修订案文。",
         "2．挪威代表说，案文需要更明确的保障措施。",
         "3．专家组通过了会议报告。"],
    ),
}
# What the first two paragraphs must give: (number, section, text without its label)
PARAGRAPHS = {
    "en": [(1, "I. Deliberations", "Several speakers welcomed the draft and asked for more time to study it. "
                                   "They also hoped that the secretariat would circulate a revised text."),
           (2, "I. Deliberations", "The representative of Norway said that the text needed clearer safeguards.")],
    "zh": [(1, "一、审议情况", "一些发言者欢迎草案，并要求有更多时间研究。他们还希望秘书处分发修订案文。"),
           (2, "一、审议情况", "挪威代表说，案文需要更明确的保障措施。")],
}
# (para, sent, speaker_kind, speaker, quantifier) of the first two paragraphs' statements
SPEAKERS = {
    "en": [(1, 1, "quantified", None, "several"), (1, 2, "quantified", None, "several"),
           (2, 1, "delegation", "NOR", None)],
    "zh": [(1, 1, "quantified", None, "some"), (1, 2, "quantified", None, "some"),
           (2, 1, "delegation", "NOR", None)],
}
STATEMENT_KEYS = ["section", "para", "sent", "char_start", "char_end", "text",
                  "speaker_kind", "speaker", "on_behalf_of", "quantifier", "weight", "speaker_cue"]


def write_report(path: Path, lang: str, count: int) -> Path:
    title, heading, lines = REPORTS[lang]
    path.write_text("\n\n".join([title, heading, "\n".join(lines[:count])]) + "\n", encoding="utf-8")
    return path


def paragraphs(doc: pos.Document) -> list[tuple[int | None, str, str]]:
    return [(p.number, p.section, doc.text[p.start:p.end]) for p in doc.paragraphs]


def _value(value):
    return None if pd.isna(value) else value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_report_of_two_numbered_paragraphs_reads_like_one_of_three(tmp_path, lang):
    two = write_report(tmp_path / f"two.{lang}.txt", lang, 2)
    three = write_report(tmp_path / f"three.{lang}.txt", lang, 3)
    doc2, doc3 = pos.read_document(two), pos.read_document(three)

    assert paragraphs(doc2) == PARAGRAPHS[lang]  # numbered 1 and 2, labels not in the text
    assert paragraphs(doc3)[:2] == PARAGRAPHS[lang] and paragraphs(doc3)[2][0] == 3
    assert doc2.meta == doc3.meta
    assert doc2.meta["title"] == REPORTS[lang][0] and doc2.meta["session"] == 5
    assert (doc2.meta["start_date"], doc2.meta["venue"], doc2.meta["lang"]) == ("2021-05-03", "Vienna", lang)

    table2, table3 = pos.statements(two), pos.statements(three)
    assert [(r.para, r.sent, r.speaker_kind, _value(r.speaker), _value(r.quantifier))
            for r in table2.itertuples(index=False)] == SPEAKERS[lang]
    assert not table2.text.str.match(r"\s*\d+\s*[.．]").any()
    pd.testing.assert_frame_equal(table2[STATEMENT_KEYS],
                                  table3[table3.para <= 2][STATEMENT_KEYS].reset_index(drop=True))


# --------------------------------------------------------------------------- a speech with a numbered list


def test_a_numbered_list_inside_a_speech_keeps_the_text_before_it(ungdc):
    # The speech numbers eight quotations 1. to 8. some 44,000 characters in; they are not its paragraphs.
    path = ungdc / "Session 02 - 1947" / "RUS_02_1947.txt"
    raw = path.read_text(encoding="utf-8")
    doc = pos.read_document(path)
    table = pos.statements(path)

    # the document keeps every word of the file, and its paragraphs cover its text
    assert "".join(doc.text.split()) == "".join(raw.split())
    assert doc.meta["title"] == "Statement by RUS in the general debate of the General Assembly, session 2 (1947)"
    assert [p.number for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    position = 0
    for paragraph in doc.paragraphs:
        assert not doc.text[position:paragraph.start].strip(), "text outside the paragraphs"
        position = paragraph.end
    assert not doc.text[position:].strip(), "text after the last paragraph"

    # the first statement starts where the speech starts
    first_line = raw.strip().splitlines()[0].strip()
    assert doc.paragraphs[0].start == 0 and doc.text.startswith(first_line)
    first = table.iloc[0]
    assert (first.para, first.sent, first.char_start) == (1, 1, 0)
    assert first_line.startswith(first.text)

    # the statements' text covers every paragraph, in order, whole
    assert set(zip(table.speaker_kind, table.speaker)) == {("delegation", "RUS")}
    starts = [p.start for p in doc.paragraphs]
    spans: dict[int, list[tuple[int, int]]] = {}
    for row in table.itertuples(index=False):
        assert doc.text[row.char_start:row.char_end] == row.text
        k = bisect_right(starts, row.char_start) - 1
        assert row.para == doc.paragraphs[k].number and row.char_end <= doc.paragraphs[k].end
        spans.setdefault(k, []).append((row.char_start, row.char_end))
    assert sorted(spans) == list(range(len(doc.paragraphs))), "a paragraph without statements"
    for k, paragraph in enumerate(doc.paragraphs):
        position = paragraph.start
        for start, end in spans[k]:
            assert position <= start < end, (paragraph, start, end)
            assert not doc.text[position:start].strip(), f"text lost in paragraph {paragraph.number}"
            position = end
        assert not doc.text[position:paragraph.end].strip(), f"text lost at the end of paragraph {paragraph.number}"
