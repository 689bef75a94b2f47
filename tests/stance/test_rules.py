"""Stance rules: cases as data, and explanations that reproduce the result.

``data/stance_cases.tsv`` holds one statement per line with the target it
addresses and the stance the codebook gives it (``label``, ``lang``, ``target``,
``text``, ``expected``).  Expectations follow CODEBOOK.md and the annotation
guidelines, not the rules: a case the rules get wrong stays in, marked by the
reason in its ``xfail`` column.  The statements are written for these tests.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import positions as pos
from positions.stance.rules import stance_cues

DATA = Path(__file__).resolve().parent.parent / "data"

with (DATA / "stance_cases.tsv").open(encoding="utf-8") as _handle:
    ROWS = list(csv.DictReader(_handle, delimiter="\t"))

CASES = [pytest.param(row, id=row["label"],
                      marks=[pytest.mark.xfail(reason=row["xfail"], strict=True)] if row["xfail"] else [])
         for row in ROWS]


@pytest.mark.parametrize("case", CASES)
def test_rule_stance(case: dict) -> None:
    stance, score = pos.rule_stance(case["text"], case["target"], case["lang"])
    assert stance == case["expected"], pos.explain_stance(case["text"], case["target"], case["lang"])["cues"]


@pytest.mark.parametrize("row", ROWS, ids=[r["label"] for r in ROWS])
def test_explanation_reproduces_the_result(row: dict) -> None:
    """Known failures included: the explanation must reproduce whatever the rules decide."""
    text, target, lang = row["text"], row["target"], row["lang"]
    stance, score = pos.rule_stance(text, target, lang)
    explained = pos.explain_stance(text, target, lang)
    cues = stance_cues(text, target, lang)
    assert explained["stance"] == stance
    assert explained["score"] == pytest.approx(score)
    assert sum(c.score for c in cues) == pytest.approx(score)
    labels = {1: "favor", -1: "against", 0: "neutral"}
    assert explained["cues"] == [(c.text, labels[c.polarity], c.why, c.score) for c in cues]
    assert sum(cue[3] for cue in explained["cues"]) == pytest.approx(explained["score"])
    for cue in cues:
        assert text[cue.start:cue.end] == cue.text


def test_every_case_addresses_its_target() -> None:
    book = pos.load_codebook()
    for row in ROWS:
        assert row["target"] in book.target_ids, row["label"]
        assert row["expected"] in ("favor", "against", "neutral"), row["label"]
        found = {m.target for m in pos.find_mentions(row["text"], row["lang"], named_before={})}
        assert row["target"] in found, row["label"]


def test_cases_cover_both_languages_and_all_stances() -> None:
    seen = {(r["lang"], r["expected"]) for r in ROWS}
    assert seen == {(lang, s) for lang in ("zh", "en") for s in ("favor", "against", "neutral")}


def test_negated_cue_is_explained_as_negated() -> None:
    explained = pos.explain_stance("We do not support a new convention against cybercrime.", "new_treaty", "en")
    assert explained["cues"] == [("support", "against", "negated", -1.0)]


def test_rebutted_cue_is_explained_as_rebutted() -> None:
    text = "一位代表指出，仅以现有区域公约为理由反对新的全球文书是不合理的。"
    explained = pos.explain_stance(text, "new_treaty", "zh")
    assert explained["stance"] == "favor"
    assert ("反对", "favor", "rebutted", 1.0) in explained["cues"]


def test_governed_cue_weighs_nothing() -> None:
    text = "Several speakers objected to the idea that a new instrument on cybercrime was needed."
    cues = stance_cues(text, "new_treaty", "en")
    governed = [c for c in cues if c.why == "governed"]
    assert governed and all(c.score == 0 for c in governed)
