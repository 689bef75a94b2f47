"""Language versions of a report: paired, compared paragraph by paragraph, and counted once."""

import pandas as pd
import pytest

import positions as pos
from positions.aggregate.languages import language_agreement, language_units, one_vote


def _row(doc, lang, para, sent, stance, confidence, target="new_treaty", weight=5.0, session=2):
    return {c: None for c in pos.CLASSIFIED_COLUMNS} | {
        "doc_id": doc, "body": "Ad Hoc Committee on Cybercrime", "session": session, "session_date": "2022-05-30",
        "lang": lang, "para": para, "sent": sent, "text": f"{lang} {para}.{sent}", "speaker_kind": "quantified",
        "weight": weight, "target": target, "stance": stance, "confidence": confidence}


@pytest.fixture
def pair():
    return pd.DataFrame([
        _row("s2.en", "en", 4, 1, "favor", 0.9), _row("s2.zh", "zh", 4, 1, "favor", 0.8),      # agree
        _row("s2.en", "en", 6, 1, "favor", 0.4), _row("s2.zh", "zh", 6, 1, "neutral", 0.7),    # zh more confident
        _row("s2.zh", "zh", 6, 2, "neutral", 0.7),
        _row("s2.en", "en", 7, 1, "against", 0.8), _row("s2.zh", "zh", 7, 1, "neutral", 0.5),  # en more confident
        _row("s2.en", "en", 9, 1, "neutral", 0.6),                                              # en alone
    ])


def test_the_versions_are_compared_paragraph_by_paragraph(pair):
    table = language_agreement(pair)
    assert table[["para", "stance_a", "stance_b", "agree", "used"]].fillna("–").values.tolist() == [
        [4, "favor", "favor", "yes", "s2.en"],
        [6, "favor", "neutral", "no", "s2.zh"],
        [7, "against", "neutral", "no", "s2.en"],
        [9, "neutral", "–", "no", "s2.en"]]
    assert set(table.doc_id_a) == {"s2.en"} and set(table.doc_id_b) == {"s2.zh"}
    assert table.confidence_b.iloc[1] == pytest.approx(0.7)


def test_a_paragraph_counts_once_with_the_more_confident_call(pair):
    kept = one_vote(pair)
    assert sorted(zip(kept.doc_id, kept.para, kept.sent)) == [
        ("s2.en", 4, 1), ("s2.en", 7, 1), ("s2.en", 9, 1), ("s2.zh", 6, 1), ("s2.zh", 6, 2)]
    row = pos.position_table(pair).iloc[0]
    assert (row.statements, row.units, row.weight) == (5, 4, 25.0)
    assert row.favor_share == pytest.approx(5 / 25) and row.against_share == pytest.approx(5 / 25)


def test_one_language_or_unpaired_documents_are_left_alone(ungdc):
    speeches = sorted((ungdc / "Session 77 - 2022").glob("*.txt"))[:3]
    table = pos.statements(speeches)
    assert language_units(table).tolist() == table.doc_id.tolist()  # three delegations' speeches, three units
    assert language_agreement(pos.classify(table, model="rules")).empty


def test_the_demo_counts_each_paragraph_once_whatever_the_languages_read(demo_classified):
    english = demo_classified[demo_classified.lang == "en"]
    french = english.assign(doc_id=english.doc_id.str.replace(".en", ".fr"), lang="fr")  # a third, same-worded version
    with_french = pd.concat([demo_classified, french], ignore_index=True)
    pd.testing.assert_frame_equal(pos.position_table(with_french), pos.position_table(demo_classified))
    pd.testing.assert_frame_equal(pos.shift_table(with_french), pos.shift_table(demo_classified))
    positions = pos.position_table(demo_classified)
    # a paragraph is one unit: never more units than paragraphs of the session's report on the target
    paragraphs = (demo_classified.assign(report=language_units(demo_classified))
                  .groupby(["session", "target"])[["report", "para"]].apply(lambda t: len(t.drop_duplicates())))
    assert (positions.set_index(["session", "target"]).units == paragraphs.reindex(
        positions.set_index(["session", "target"]).index)).all()
    statements = one_vote(demo_classified).groupby(["session", "target"]).apply(
        lambda t: len(t[["doc_id", "para", "sent"]].drop_duplicates()), include_groups=False)
    assert (positions.set_index(["session", "target"]).statements == statements.reindex(
        positions.set_index(["session", "target"]).index)).all()
    assert positions.statements.sum() < len(demo_classified.drop_duplicates(["doc_id", "para", "sent", "target"]))
