"""Target detection: which targets a statement names or refers back to, cases as data.

``data/target_cases.tsv`` holds one statement per line (``label``, ``lang``,
``text``, ``expected``: the target ids it addresses, comma-separated, empty for
none).  ``context`` names a target already named earlier in the paragraph, for
references back; ``xfail`` gives the reason a case the rules get wrong is kept in.
The tables below are written for these tests; no text comes from the corpus.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import positions as pos

DATA = Path(__file__).resolve().parent.parent / "data"


def _cases(name: str) -> list:
    with (DATA / name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [pytest.param(row, id=row["label"],
                         marks=[pytest.mark.xfail(reason=row["xfail"], strict=True)] if row.get("xfail") else [])
            for row in rows]


CASES = _cases("target_cases.tsv")


@pytest.mark.parametrize("case", CASES)
def test_mentions(case: dict) -> None:
    context = case.get("context") or ""
    named_before = {target: 1 for target in context.split(",")} if context else None
    found = pos.find_mentions(case["text"], case["lang"], named_before=named_before)
    expected = set(filter(None, case["expected"].split(",")))
    assert {m.target for m in found} == expected
    for mention in found:
        assert case["text"][mention.start:mention.end] == mention.cue


def test_cases_cover_every_target_in_both_languages() -> None:
    book = pos.load_codebook()
    named = {(c.values[0]["lang"], t) for c in CASES if not c.values[0]["context"]
             for t in c.values[0]["expected"].split(",") if t}
    assert named == {(lang, t) for lang in ("zh", "en") for t in book.target_ids}
    lookalikes = [c for c in CASES if not c.values[0]["expected"]]
    assert len(lookalikes) >= 20


def test_references_need_a_target_named_before() -> None:
    text = "Such an instrument would take years to negotiate."
    assert pos.find_mentions(text, "en") == []
    assert pos.find_mentions(text, "en", named_before={}) == []
    assert [(m.target, m.via) for m in pos.find_mentions(text, "en", named_before={"new_treaty": 1})] == [
        ("new_treaty", "reference")]


# -- detect_targets on a statements table ------------------------------------------------------

PARAGRAPHS = {
    # (doc_id, lang, para): the sentences of one paragraph
    ("en-doc", "en", 1): ["Several speakers called for a new treaty on cybercrime.",
                          "They said that such an instrument should be universal."],
    ("en-doc", "en", 2): ["Such an instrument would take years to agree, one speaker said."],
    ("en-doc", "en", 3): ["Such an instrument, another speaker said, was premature.",
                          "That speaker preferred a new convention against cybercrime under UN auspices."],
    ("en-doc", "en", 4): ["Developed countries promised capacity-building for climate adaptation.",
                          "Climate finance should double by 2030."],
    ("en-doc", "en", 5): ["Cybercrime affects every region.",
                          "Technical assistance is therefore a priority."],
    ("en-doc", "en", 6): ["Some speakers praised the Budapest Convention.",
                          "Others called for a new convention against cybercrime.",
                          "They said that the convention should be universal."],
    ("en-doc", "en", 7): ["The Budapest Convention and a new treaty on cybercrime were discussed, "
                          "and the Budapest Convention was praised."],
    ("zh-doc", "zh", 1): ["一些发言者呼吁拟订一项关于网络犯罪的新的全球性法律文书。",
                          "他们认为此种文书应当具有普遍性。"],
    ("zh-doc", "zh", 2): ["这样一项文书需要多年才能谈判完成。"],
    ("zh-doc", "zh", 3): ["发达国家承诺为适应气候变化提供能力建设。", "气候资金应当翻番。"],
    ("zh-doc", "zh", 4): ["网络犯罪影响所有区域。", "因此技术援助是优先事项。"],
    ("zh-doc", "zh", 5): ["一些发言者赞扬《布达佩斯公约》。", "他们鼓励更多国家加入该《公约》。"],
    ("zh-doc", "zh", 6): ["更多国家应当加入该《公约》。"],
}


# ``start`` and ``end``: where the mention (``cue``) is in the statement's text
COLUMNS = ["row", "target", "via", "cue", "start", "end"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    rows = [dict(doc_id=doc, lang=lang, para=para, sent=sent, text=text)
            for (doc, lang, para), sentences in PARAGRAPHS.items()
            for sent, text in enumerate(sentences, start=1)]
    # An index that is not 0..n-1, so that ``row`` is seen to be an index label.
    return pd.DataFrame(rows, index=range(100, 100 + len(rows)))


@pytest.fixture(scope="module")
def found(table) -> dict:
    detected = pos.detect_targets(table)
    assert list(detected.columns) == COLUMNS
    keyed: dict = {}
    for row in detected.itertuples():
        statement = table.loc[row.row]
        keyed.setdefault((statement.doc_id, statement.para, statement.sent), []).append((row.target, row.via))
    return keyed


def test_one_row_per_statement_and_target(table, found) -> None:
    detected = pos.detect_targets(table)
    assert not detected.duplicated(["row", "target"]).any()
    assert sorted(found[("en-doc", 7, 1)]) == [("budapest_convention", "name"), ("new_treaty", "name")]
    assert set(detected["row"]) <= set(table.index)


def test_a_statement_with_two_speakers_gives_one_row_per_target(table) -> None:
    doubled = pd.concat([table, table.loc[[100]].assign(speaker="second")]).sort_index(kind="stable")
    detected = pos.detect_targets(doubled)
    assert detected[detected.row == 100][["target", "via"]].values.tolist() == [["new_treaty", "name"]]


@pytest.mark.parametrize("doc", ["en-doc", "zh-doc"])
def test_references_across_sentences_of_one_paragraph(found, doc) -> None:
    assert found[(doc, 1, 1)] == [("new_treaty", "name")]
    assert found[(doc, 1, 2)] == [("new_treaty", "reference")]


@pytest.mark.parametrize("key", [("en-doc", 2, 1), ("zh-doc", 2, 1), ("zh-doc", 6, 1)])
def test_no_reference_across_paragraphs(found, key) -> None:
    assert key not in found


def test_reference_before_the_name_counts_nothing(found) -> None:
    assert ("en-doc", 3, 1) not in found
    assert found[("en-doc", 3, 2)] == [("new_treaty", "name")]


def test_reference_goes_to_the_target_named_last(found) -> None:
    assert found[("en-doc", 6, 3)] == [("new_treaty", "reference")]
    assert found[("zh-doc", 5, 2)] == [("budapest_convention", "reference")]


@pytest.mark.parametrize("doc, climate, cyber", [("en-doc", 4, 5), ("zh-doc", 3, 4)])
def test_capacity_building_needs_a_cybercrime_context(found, doc, climate, cyber) -> None:
    assert (doc, climate, 1) not in found and (doc, climate, 2) not in found
    assert (doc, cyber, 1) not in found  # "cybercrime is a threat" alone addresses nothing
    assert found[(doc, cyber, 2)] == [("capacity_building", "name")]


def test_the_same_sentence_alone_has_no_context() -> None:
    alone = pd.DataFrame([dict(doc_id="d", lang="en", para=1, sent=1,
                               text="Technical assistance is therefore a priority.")])
    assert pos.detect_targets(alone).empty


def test_detect_targets_names_missing_columns(table) -> None:
    with pytest.raises(ValueError, match=r"missing column\(s\) \['lang'\]"):
        pos.detect_targets(table.drop(columns="lang"))


def test_detect_targets_on_an_empty_table(table) -> None:
    empty = pos.detect_targets(table.iloc[0:0])
    assert empty.empty and list(empty.columns) == COLUMNS


def _assert_cues_at_their_offsets(statements: pd.DataFrame, detected: pd.DataFrame) -> None:
    assert list(detected.columns) == COLUMNS
    for row in detected.itertuples():
        text = statements.loc[row.row, "text"]
        assert 0 <= row.start < row.end <= len(text), row
        assert text[row.start:row.end] == row.cue, row


def test_offsets_give_the_cue_in_the_statement(table) -> None:
    detected = pos.detect_targets(table)
    assert len(detected) >= 10 and set(detected.via) == {"name", "reference"}
    _assert_cues_at_their_offsets(table, detected)


def test_offsets_give_the_cue_in_every_statement_of_the_demo(demo_statements) -> None:
    detected = pos.detect_targets(demo_statements)
    assert len(detected) > 50 and set(detected.via) == {"name", "reference"}
    assert set(pd.unique(demo_statements.loc[detected.row, "lang"])) == {"en", "zh"}
    _assert_cues_at_their_offsets(demo_statements, detected)
