"""Sentence splitting: cases as data, Chinese and English."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from positions import split_sentences

DATA = Path(__file__).resolve().parent.parent / "data"  # tests/data
CASES = list(csv.DictReader((DATA / "segment_cases.tsv").open(encoding="utf-8"),
                            delimiter="\t"))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_sentences(case: dict) -> None:
    text = case["text"]
    spans = split_sentences(text, lang=case["lang"])
    assert [text[s:e] for s, e in spans] == case["expected"].split("|")


def test_spans_index_into_the_document() -> None:
    text = "Preamble.\n\n1. Many speakers agreed.  They said so."
    start = text.index("Many")
    spans = split_sentences(text, start, len(text), lang="en")
    assert [text[s:e] for s, e in spans] == ["Many speakers agreed.", "They said so."]
    assert spans[0][0] == start
