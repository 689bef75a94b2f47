"""The rules' back-off: where they answer instead of the learner, on real documents held out by session.

The 2017 Expert Group report (Chinese) is the only real report in the corpus;
a learner trained on English alone has never seen Chinese, so the codebook's
rules must answer for it.  Named sentences are cited by paragraph and
sentence; their text is read from the shared corpus, never copied here.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import positions as pos
from positions.stance.backoff import RuleStance
from positions.stance.learner import StanceClassifier
from positions.stance.rules import rule_stance
from positions.stance.training import cross_validate, training_data

ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "annotations"
FEATURES = ["text", "target", "lang"]
REPORT = "2017-third-meeting.zh"


@pytest.fixture(scope="module")
def real(corpus_dir) -> pd.DataFrame:
    """The labelled statement-target pairs of the real documents (the demo's are not in the shared corpus)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the demo's annotations have no document here
        data = training_data([ANNOTATIONS], [corpus_dir])
    return data[data["target"] != "none"].reset_index(drop=True)


@pytest.fixture(scope="module")
def demo_english() -> pd.DataFrame:
    data = training_data(pos.demo_annotations(), pos.demo_dir())
    return data[(data["target"] != "none") & (data["lang"] == "en")].reset_index(drop=True)


def _rows(real: pd.DataFrame, para: int, sent: int, target: str) -> pd.DataFrame:
    rows = real[(real.doc_id == REPORT) & (real.para == para) & (real.sent == sent) & (real.target == target)]
    assert len(rows) == 1
    return rows[FEATURES]


@pytest.mark.parametrize(("para", "sent", "target", "stance"), [
    (38, 3, "new_treaty", "against"),   # others see no added value in a new instrument and oppose it
    (41, 1, "new_treaty", "against"),   # many speakers: no new legal instrument on cybercrime is needed
    (42, 2, "new_treaty", "against"),   # negotiating one would take time and resources from current efforts
    (17, 2, "draft_study", "against"),  # the 2013 draft study will soon be out of date
])
def test_a_language_the_learner_never_saw_is_read_by_the_rules(demo_english, real, para, sent, target, stance):
    model = StanceClassifier().fit(demo_english[FEATURES], demo_english["stance"].astype(str))
    assert not any(key.endswith("|zh") for key in model.pairs_)
    X = _rows(real, para, sent, target)
    predicted, confidence = model.predict_with_confidence(X)
    assert predicted.tolist() == [stance] == [rule_stance(X.text.iloc[0], target, "zh")[0]]
    assert 0.5 < confidence[0] < 1.0  # the rules' measured rate of being right, smoothed
    proba = model.predict_proba(X)[0]
    assert model.classes_[proba.argmax()] == stance and proba.sum() == pytest.approx(1.0)


def test_without_backoff_the_learner_answers_alone(demo_english, real):
    model = StanceClassifier(backoff=False).fit(demo_english[FEATURES], demo_english["stance"].astype(str))
    X = real[(real.doc_id == REPORT) & (real.target == "new_treaty")][FEATURES]
    scores = model.decision_function(X)
    assert model.rules_for_ == []
    assert model.predict(X).tolist() == model.classes_[scores.argmax(axis=1)].tolist()


def test_the_rules_answer_only_where_they_beat_the_learner_in_its_own_cross_validation(real):
    model = StanceClassifier().fit(real[FEATURES], real["stance"].astype(str), groups=real["session"].astype(str))
    assert set(model.rules_for_) <= {pair.split("|")[0] for pair in model.pairs_}
    confidence = model.rule_confidence_
    assert all(0.0 < value < 1.0 for value in confidence.values())
    assert {"favor", "against", "neutral"} <= set(confidence)


def test_targets_without_rules_are_never_given_to_them():
    table = pd.DataFrame({"text": ["Solar power is the future.", "Solar power is a waste of money.",
                                   "We need more wind farms.", "Wind farms ruin the landscape."] * 4,
                          "target": ["solar", "solar", "wind", "wind"] * 4, "stance": ["favor", "against"] * 8})
    model = pos.train(table, n_splits=2)
    assert model.rules_for_ == []
    unseen = pd.DataFrame({"text": ["Tidal power is clean."], "target": ["tidal"], "lang": ["en"]})
    assert model.predict(unseen).tolist() == model.classes_[model.decision_function(unseen).argmax(axis=1)].tolist()


def test_a_training_fold_of_one_stance_is_scored_as_the_rules(real):
    folds = cross_validate({"model": StanceClassifier()}, real, groups="session", n_splits=5)
    held_2017 = folds[folds.doc_id == REPORT]
    assert len(held_2017) == (real.doc_id == REPORT).sum() == 122
    texts = real.set_index(["doc_id", "para", "sent", "target"])["text"]
    expected = [rule_stance(texts.loc[(d, p, s, t)], t, "zh")[0]
                for d, p, s, t in zip(held_2017.doc_id, held_2017.para, held_2017.sent, held_2017.target)]
    assert held_2017.predicted.tolist() == expected


def test_rule_stance_estimator_follows_the_contract(real):
    X = _rows(real, 41, 1, "new_treaty")
    estimator = RuleStance().fit(X, ["against"])
    assert estimator.get_params() == {"codebook": None} and estimator.predict(X).tolist() == ["against"]
    assert np.array_equal(estimator.classes_, ["against", "favor", "neutral"])


def test_real_documents_held_out_by_session_reach_the_issue_floors(real):
    """Grouped by session, real documents only: the figure the README quotes (issue 16's floors)."""
    from positions.stance.evaluation import stance_metrics

    folds = cross_validate({"model": StanceClassifier()}, real, groups="session", n_splits=5)
    summary = stance_metrics(folds)["summary"]
    f_avg = summary[summary.lang == "all"].set_index("target")["f_avg"]
    assert f_avg["new_treaty"] >= 0.75 and f_avg["budapest_convention"] >= 0.75
    assert f_avg["capacity_building"] >= 0.60 and f_avg["draft_study"] >= 0.60
