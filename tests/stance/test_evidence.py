"""The classified table's evidence: where the target is mentioned, which cues gave the stance, which model decided.

Every row of the classified table carries ``mention_start``/``mention_end``
(document offsets of the target's mention), ``cues`` (the stance cues as JSON,
with document offsets and signed weights) and ``model`` (the id of the model
and codebook).  These tests read the offsets back in the documents themselves,
on the demo and on the 2017 report, for the shipped model and for the rules.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import positions as pos
from positions.base.schema import CLASSIFIED_COLUMNS
from positions.stance.learner import model_id
from positions.stance.rules import rule_stance

TABLES = {"demo": ("demo_statements", "demo_classified"), "2017": ("statements_2017", "classified_2017")}
MODEL_ID = re.compile(r"model-[0-9a-f]{12}/cybercrime@[0-9a-f]{8}")
RULES_ID = re.compile(r"rules/cybercrime@[0-9a-f]{8}")


def _texts(classified: pd.DataFrame) -> dict[str, str]:
    """Each document's text, read again from its file: the text every offset points into."""
    pairs = classified[["doc_id", "source"]].drop_duplicates().astype(str).itertuples(index=False)
    return {doc_id: pos.read_document(source).text for doc_id, source in pairs}


def _detected(statements: pd.DataFrame) -> dict[tuple, tuple[str, int, int]]:
    """(doc_id, para, sent, target) -> the cue target detection found, and its offsets in the statement."""
    found = pos.detect_targets(statements)
    first = statements.loc[found["row"].to_numpy()]
    return {(d, int(p), int(s), t): (c, int(a), int(b))
            for d, p, s, t, c, a, b in zip(first["doc_id"], first["para"], first["sent"], found["target"],
                                           found["cue"], found["start"], found["end"])}


def _assert_evidence(classified: pd.DataFrame, statements: pd.DataFrame) -> None:
    """Mentions and cues are where the table says, in the document, and the cues add up to the rules' score."""
    assert len(classified) and list(classified.columns) == CLASSIFIED_COLUMNS
    texts = _texts(classified)
    detected = _detected(statements)
    assert classified.mention_start.notna().all() and classified.mention_end.notna().all()
    for row in classified.itertuples():
        document = texts[row.doc_id]
        assert document[row.char_start:row.char_end] == row.text  # the statement's own offsets, as a control
        start, end = int(row.mention_start), int(row.mention_end)
        assert row.char_start <= start < end <= row.char_end, row
        cue, cue_start, cue_end = detected[(row.doc_id, int(row.para), int(row.sent), row.target)]
        assert document[start:end] == cue, row
        assert (start - row.char_start, end - row.char_start) == (cue_start, cue_end), row
        # and it is a mention of this target in the statement (a reference counts once the target is named)
        mentions = pos.find_mentions(row.text, row.lang, named_before={row.target: 0})
        assert (row.target, start - row.char_start, end - row.char_start) in {
            (m.target, m.start, m.end) for m in mentions}, row

        cues = json.loads(row.cues)
        assert isinstance(cues, list)
        for found in cues:
            assert set(found) == {"text", "start", "end", "stance", "weight", "why"}, found
            assert row.char_start <= found["start"] < found["end"] <= row.char_end, (row, found)
            assert document[found["start"]:found["end"]] == found["text"], (row, found)
            assert found["stance"] in ("favor", "against", "neutral")
        _, score = rule_stance(row.text, row.target, row.lang)
        assert sum(found["weight"] for found in cues) == pytest.approx(score), row


@pytest.mark.parametrize("corpus", list(TABLES))
def test_evidence_of_the_shipped_model_is_in_the_documents(request, corpus):
    statements, classified = (request.getfixturevalue(name) for name in TABLES[corpus])
    _assert_evidence(classified, statements)
    assert any(json.loads(c) for c in classified.cues)  # some rows have cues: the loop above checked something


@pytest.mark.parametrize("corpus", list(TABLES))
def test_every_row_names_the_shipped_model(request, corpus):
    classified = request.getfixturevalue(TABLES[corpus][1])
    ids = set(classified.model)
    assert len(ids) == 1
    (only,) = ids
    assert only == model_id(pos.load_model())
    assert MODEL_ID.fullmatch(only), only
    assert only.endswith("@" + pos.load_codebook().digest[:8])


@pytest.fixture(scope="module", params=list(TABLES))
def by_rules(request):
    """(statements, the table classified by the rules alone)."""
    statements = request.getfixturevalue(TABLES[request.param][0])
    return statements, pos.classify(statements, model="rules")


def test_evidence_of_the_rules_is_in_the_documents(by_rules):
    _assert_evidence(by_rules[1], by_rules[0])


def test_the_rules_name_themselves_and_give_their_own_stance(by_rules):
    classified = by_rules[1]
    assert set(classified.model) == {model_id("rules")}
    assert RULES_ID.fullmatch(classified.model.iloc[0]), classified.model.iloc[0]
    assert classified.model.iloc[0] == "rules/cybercrime@" + pos.load_codebook().digest[:8]
    for row in classified.itertuples():
        assert row.stance == rule_stance(row.text, row.target, row.lang)[0], row
    assert set(classified.stance) == {"favor", "against", "neutral"}


# -- a table that has only text ---------------------------------------------------------------

ONLY_TEXT = [
    "Our delegation strongly supports the negotiation of a new international treaty on cybercrime.",
    "The meeting was adjourned at six o'clock in the evening.",
    "我国代表团反对拟订一项新的网络犯罪公约，认为没有必要。",
]


def test_a_table_of_text_alone_is_classified():
    classified = pos.classify(pd.DataFrame({"text": ONLY_TEXT}))
    assert list(classified.columns) == CLASSIFIED_COLUMNS
    got = {(r.para, r.sent, r.lang, r.target, r.stance) for r in classified.itertuples()}
    assert got == {(1, 1, "en", "new_treaty", "favor"), (3, 1, "zh", "new_treaty", "against")}
    assert (classified.doc_id == "table").all()
    for row in classified.itertuples():  # each statement is its own document: offsets are in its text
        text = ONLY_TEXT[row.para - 1]
        assert row.text == text and (row.char_start, row.char_end) == (0, len(text))
        mentions = {(m.target, m.start, m.end, m.cue)
                    for m in pos.find_mentions(text, row.lang, named_before={row.target: 0})}
        start, end = int(row.mention_start), int(row.mention_end)
        assert (row.target, start, end, text[start:end]) in mentions, row
        for found in json.loads(row.cues):
            assert text[found["start"]:found["end"]] == found["text"]
    assert set(classified.model) == {model_id(pos.load_model())}
