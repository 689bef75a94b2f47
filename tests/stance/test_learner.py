"""The stance model: scikit-learn's estimator contract, clear errors, and one check on real data.

``data/stance_model_rows.tsv`` is a small table written for these tests: five
made-up documents (``group``), English and Chinese statements, each with its
target and stance.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score
from sklearn.utils.estimator_checks import parametrize_with_checks

import positions as pos
from positions.stance.learner import StanceClassifier
from positions.stance.tokenize import tokenize

DATA = Path(__file__).resolve().parent.parent / "data"
ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "annotations"
FEATURES = ["text", "target", "lang"]
STANCES = ["against", "favor", "neutral"]


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return pd.read_csv(DATA / "stance_model_rows.tsv", sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def X(rows) -> pd.DataFrame:
    return rows[FEATURES]


@pytest.fixture(scope="module")
def y(rows) -> np.ndarray:
    return rows["stance"].to_numpy()


@pytest.fixture(scope="module")
def fitted(X, y) -> StanceClassifier:
    return StanceClassifier().fit(X, y)


def test_table_has_both_languages_and_every_stance_in_every_group(rows):
    assert set(rows.lang) == {"en", "zh"}
    assert rows.groupby("group").stance.nunique().eq(3).all()


# -- the contract -------------------------------------------------------------------------------

def test_get_params_set_params_clone_round_trip():
    book = pos.load_codebook().to_json()
    model = StanceClassifier(codebook=book, C=0.5, ngram_range=(1, 1), min_df=2, class_weight=None,
                             tokenizer="default")
    params = model.get_params()
    assert set(params) == {"codebook", "C", "Cs", "cv", "rule_weight", "shared_weight", "ngram_range", "min_df", "backoff",
                           "class_weight", "random_state", "tokenizer"}
    assert params["C"] == 0.5 and params["codebook"] == book and params["ngram_range"] == (1, 1)
    assert params["tokenizer"] == "default" and StanceClassifier().get_params()["tokenizer"] is None
    assert StanceClassifier(**params).get_params() == params
    copy = clone(model)
    assert copy is not model and copy.get_params() == params
    assert model.set_params(C=2.0, rule_weight=1.0) is model
    assert (model.C, model.rule_weight) == (2.0, 1.0)
    assert copy.C == 0.5
    with pytest.raises(ValueError, match="Invalid parameter"):
        model.set_params(penalty="l1")


def test_fit_returns_self_with_learned_state(X, y):
    model = StanceClassifier()
    assert model.fit(X, y) is model
    assert model.classes_.tolist() == STANCES
    assert model.n_features_in_ == 3
    assert model.targets_ == list(pos.load_codebook().target_ids)
    assert model.tokenizer is None and model.tokenizer_ == "default"  # the session's segmenter at fit
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (model.predict(X) == y).mean() >= 0.9


def test_the_segmenter_is_chosen_at_fit_and_kept(X, y, monkeypatch):
    """``tokenizer=None`` takes the session's segmenter when fitting; the model keeps it when the session changes.

    Another back end is faked (spaCy need not be installed): the session's
    default says "spacy", and a stand-in segmenter records the back end it is
    asked for.
    """
    asked = []

    def recording(text, lang, backend=None):
        asked.append(backend)
        return tokenize(text, lang, "default")

    monkeypatch.setattr("positions.stance.features.tokenize", recording)
    monkeypatch.setattr("positions.stance.learner.default_backend", lambda: "spacy")
    model = StanceClassifier().fit(X, y)
    assert model.tokenizer is None and model.tokenizer_ == "spacy"
    assert asked and set(asked) == {"spacy"}

    asked.clear()
    monkeypatch.setattr("positions.stance.learner.default_backend", lambda: "default")
    unseen = X.assign(text=X["text"] + " (unseen)")  # statements whose words are not cached yet
    model.predict(unseen)
    assert asked and set(asked) == {"spacy"}  # its own segmenter, not the session's

    monkeypatch.setattr("positions.stance.learner.default_backend", lambda: "spacy")
    pinned = StanceClassifier(tokenizer="default").fit(X, y)
    assert pinned.tokenizer_ == "default" and clone(pinned).get_params()["tokenizer"] == "default"


def test_clone_of_a_fitted_model_is_unfitted(fitted, X):
    copy = clone(fitted)
    assert not hasattr(copy, "classes_")
    with pytest.raises(NotFittedError):
        copy.predict(X)


def test_predict_before_fit_raises_not_fitted(X):
    for method in ("predict", "predict_proba"):
        with pytest.raises(NotFittedError):
            getattr(StanceClassifier(), method)(X)


def test_predict_on_no_rows(fitted, X):
    assert fitted.predict(X.iloc[0:0]).shape == (0,)
    assert fitted.predict_proba(X.iloc[0:0]).shape == (0, 3)


def test_cross_val_score_with_group_k_fold(rows, X, y):
    scores = cross_val_score(StanceClassifier(), X, y, groups=rows["group"], cv=GroupKFold(n_splits=5))
    assert scores.shape == (5,)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores.mean() > 1 / 3  # better than guessing among three stances


def test_grid_search_over_c(rows, X, y):
    grid = [0.1, 1.0, 10.0]
    search = GridSearchCV(StanceClassifier(), {"C": grid}, cv=GroupKFold(n_splits=3))
    search.fit(X, y, groups=rows["group"])
    assert search.best_params_["C"] in grid
    assert len(search.cv_results_["params"]) == 3
    assert search.best_estimator_.C == search.best_params_["C"]
    assert set(search.predict(X)) <= set(STANCES)


# -- clear errors -------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, given", [
    (["We support a new treaty on cybercrime."], "list"),
    (np.array([["We support a new treaty on cybercrime.", "new_treaty", "en"]]), "ndarray"),
    (pd.Series(["We support a new treaty on cybercrime."]), "Series"),
])
def test_x_must_be_a_dataframe(bad, given):
    with pytest.raises(TypeError, match=rf"X must be a DataFrame with columns text and target \(and lang\); got {given}"):
        StanceClassifier().fit(bad, ["favor"])


def test_predict_also_checks_x(fitted, X):
    with pytest.raises(TypeError, match="got list"):
        fitted.predict(X["text"].tolist())
    with pytest.raises(ValueError, match=r"missing column\(s\) \['target'\]"):
        fitted.predict(X.drop(columns="target"))


@pytest.mark.parametrize("drop", [["target"], ["text", "target"]])
def test_missing_columns_are_named(X, y, drop):
    with pytest.raises(ValueError, match=re.escape(f"X is missing column(s) {drop}; it needs text and target "
                                                   "(lang is detected if absent)")):
        StanceClassifier().fit(X.drop(columns=drop), y)


def test_lang_is_detected_when_absent(X, y, fitted):
    """Without a ``lang`` column every row's language is detected: the same predictions as with it."""
    assert StanceClassifier().fit(X.drop(columns="lang"), y).predict(X.drop(columns="lang")).tolist() == \
        fitted.predict(X).tolist()


def test_labels_in_any_case_and_none_as_neutral(X, y):
    shouted = np.array([label.upper() if i % 2 else label.title() for i, label in enumerate(y)], dtype=object)
    as_none = np.where(y == "neutral", "NONE", y)
    expected = StanceClassifier().fit(X, y).predict(X).tolist()
    assert StanceClassifier().fit(X, shouted).predict(X).tolist() == expected
    assert StanceClassifier().fit(X, as_none).predict(X).tolist() == expected


def test_targets_outside_the_codebook_only_without_one(X, y):
    renamed = X.assign(target=X["target"].map(lambda t: f"my_{t}"))
    model = StanceClassifier().fit(renamed, y)
    assert set(model.targets_) == {f"my_{t}" for t in X["target"]}
    assert (model.predict(renamed) == y).mean() >= 0.9
    with pytest.raises(ValueError, match=r"unknown target\(s\) \['my_"):
        StanceClassifier(codebook=pos.load_codebook()).fit(renamed, y)


def test_unknown_stance_labels_are_named(X, y):
    bad = y.copy()
    bad[0], bad[1] = "support", "oppose"
    with pytest.raises(ValueError, match=r"unknown stance label\(s\) \['oppose', 'support'\]; "
                                         r"allowed: favor, against, neutral, none \(any case\)"):
        StanceClassifier().fit(X, bad)


def test_y_of_another_length(X, y):
    with pytest.raises(ValueError, match=f"X has {len(X)} rows but y has {len(y) - 1}"):
        StanceClassifier().fit(X, y[:-1])


# -- scikit-learn's common checks ----------------------------------------------------------------

_ARRAY = "X is a DataFrame of statements (text, target, lang); the check passes a numeric array"
EXPECTED_FAILED = {
    "check_fit_score_takes_y": _ARRAY,
    "check_estimators_overwrite_params": _ARRAY,
    "check_dont_overwrite_parameters": _ARRAY,
    "check_estimators_fit_returns_self": _ARRAY + " (fit returning self is tested on text above)",
    "check_readonly_memmap_input": "X is a DataFrame of statements; the check passes a read-only memmap",
    "check_n_features_in_after_fitting": _ARRAY,
    "check_positive_only_tag_during_fit": _ARRAY + " (negative numbers)",
    "check_estimators_dtypes": _ARRAY + " of each numeric dtype",
    "check_complex_data": _ARRAY + " of complex numbers",
    "check_dtype_object": _ARRAY + " of objects",
    "check_estimators_empty_data_messages": _ARRAY + " with no rows and expects a ValueError, not a TypeError",
    "check_pipeline_consistency": _ARRAY,
    "check_estimators_nan_inf": _ARRAY + " with NaN and inf and expects a ValueError",
    "check_estimator_sparse_tag": "X is a DataFrame of statements; the check passes a sparse matrix",
    "check_estimator_sparse_array": "X is a DataFrame of statements; the check passes a sparse array",
    "check_estimator_sparse_matrix": "X is a DataFrame of statements; the check passes a sparse matrix",
    "check_estimators_pickle": _ARRAY,
    "check_f_contiguous_array_estimator": _ARRAY + " in Fortran order",
    "check_classifier_data_not_an_array": "X is a DataFrame of statements; the check passes an array-like wrapper",
    "check_classifiers_one_label": _ARRAY + " (with one class)",
    "check_classifiers_classes": _ARRAY + " (classes are tested on text above)",
    "check_classifiers_train": _ARRAY + " (and expects ValueError for malformed arrays)",
    "check_classifiers_regression_target": _ARRAY + " (a continuous y is refused by the stance-label check)",
    "check_supervised_y_no_nan": _ARRAY + " (with NaN or inf in y)",
    "check_supervised_y_2d": _ARRAY + " (with a 2-D y)",
    "check_class_weight_classifiers": _ARRAY,
    "check_methods_sample_order_invariance": _ARRAY,
    "check_methods_subset_invariance": _ARRAY,
    "check_fit2d_1sample": _ARRAY + " with one sample",
    "check_fit2d_1feature": _ARRAY + " with one feature",
    "check_dict_unchanged": _ARRAY,
    "check_fit_idempotent": _ARRAY,
    "check_fit_check_is_fitted": _ARRAY,
    "check_n_features_in": _ARRAY,
    "check_fit1d": _ARRAY + " (1-D)",
    "check_fit2d_predict1d": _ARRAY,
    "check_requires_y_none": _ARRAY + " with y=None",
    "check_decision_proba_consistency": _ARRAY + " (decision_function and predict_proba)",
}


def _expected_failed_checks(estimator) -> dict[str, str]:
    return EXPECTED_FAILED


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


@parametrize_with_checks([StanceClassifier()], expected_failed_checks=_expected_failed_checks, xfail_strict=True)
def test_sklearn_common_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if _check_name(check) not in EXPECTED_FAILED:
            check(estimator)
            return
        try:
            check(estimator)
        except Exception as err:  # an expected failure: a one-line error, so pytest need not parse sklearn's source
            first = (str(err).splitlines() or [""])[0]
            raise AssertionError(f"{_check_name(check)}: {type(err).__name__}: {first}") from None


def test_expected_failures_are_checks_of_this_scikit_learn():
    import sklearn.utils.estimator_checks as checks

    assert [name for name in EXPECTED_FAILED if not hasattr(checks, name)] == []


# -- real data ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained_without_2017(ungdc) -> StanceClassifier:
    """The model trained on every annotation of the project except those of the 2017 report."""
    files = sorted(p for p in ANNOTATIONS.glob("*.csv") if p.name != "expert-group-2017.csv")
    assert {p.name for p in files} >= {"demo.csv", "ungdc-2016-2022.csv"}
    annotations = pos.read_annotations([str(p) for p in files])
    assert not annotations.doc_id.str.startswith("2017-third-meeting").any()
    # Only statements addressing a target teach stance; reading just their documents keeps this fast.
    labelled = annotations[annotations.target != "none"]
    data = pos.training_data(labelled, [pos.demo_dir(), ungdc])
    assert data.attrs["missing"] == []
    assert set(data.lang) == {"en", "zh"} and len(data) == len(labelled)
    return StanceClassifier().fit(data[FEATURES], data["stance"].astype(str).to_numpy())


@pytest.mark.parametrize("para, sent, target, expected", [
    (41, 1, "new_treaty", "against"),
    (44, 6, "new_treaty", "favor"),
])
def test_model_on_the_2017_report(trained_without_2017, statements_2017, para, sent, target, expected):
    report_table = statements_2017
    statement = report_table[(report_table.para == para) & (report_table.sent == sent)].iloc[0]
    gold = pos.read_annotations(str(ANNOTATIONS / "expert-group-2017.csv"))
    gold = gold[(gold.para == para) & (gold.sent == sent) & (gold.target == target)]
    assert gold.hash.tolist() == [pos.statement_hash(statement.text)]  # the annotated statement, unchanged
    assert gold.stance.tolist() == [expected]
    found = pos.detect_targets(report_table)
    assert target in set(found[found.row == report_table.index[(report_table.para == para)
                                                                & (report_table.sent == sent)][0]].target)
    X = pd.DataFrame({"text": [statement.text], "target": [target], "lang": [statement.lang]})
    assert trained_without_2017.predict(X).tolist() == [expected]


def test_folds_by_session_keep_each_bodys_session_whole():
    """Expert Group session 3 and Ad Hoc Committee session 3 are different sessions."""
    from positions.stance.training import group_keys

    data = pd.DataFrame({"body": ["Expert Group on Cybercrime", "Ad Hoc Committee on Cybercrime"] * 2,
                         "session": [3, 3, 3, 3], "doc_id": ["a", "b", "c", "d"]})
    keys = group_keys(data, "session")
    assert len(set(keys)) == 2 and keys[0] == keys[2] and keys[0] != keys[1]
