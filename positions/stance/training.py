"""Train stance models on standoff annotations, and measure them on text they have not seen.

:func:`train` fits a model and attaches its card: what it learnt from and how
well it does.  Cross-validation never tests on a document it trained on:
folds are grouped by document (or by session), and every model compared in
one run sees the same folds.  :func:`cross_validate` gives out-of-fold
predictions, :func:`compare_models` and :func:`compare_with_new` score
several models on one set of folds, and :func:`evaluate` gives everything
``positions evaluate`` prints.  The metrics are those of
:mod:`positions.stance.evaluation`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import GroupKFold

from ..base.config import progress
from .annotations import annotated_statements, read_annotations
from .backoff import RuleStance
from .card import model_card
from .codebook import Codebook, as_codebook, load_codebook
from .evaluation import confusion, detection_metrics, stance_metrics
from .learner import StanceClassifier, model_codebook
from .tables import labelled_table

__all__ = ["FEATURES", "compare_models", "compare_with_new", "cross_validate", "default_groups", "evaluate",
           "folds_of", "group_keys", "train", "training_data"]

FEATURES = ["text", "target", "lang"]


def training_data(annotations, corpus, codebook: Codebook | None = None) -> pd.DataFrame:
    """Annotated statements with their text: one row per annotation (``none`` rows included).

    Parameters
    ----------
    annotations : DataFrame or path(s)
        From :func:`positions.annotations.read_annotations`, or the files to read.
    corpus : folder(s) or DataFrame
        Where the annotated documents are (see
        :func:`positions.annotations.annotated_statements`).
    codebook : Codebook, optional

    Examples
    --------
    >>> import positions as pos
    >>> data = training_data(pos.demo_annotations(), pos.demo_dir())
    >>> sorted(data.lang.unique()), "none" in set(data.target)
    (['en', 'zh'], True)
    """
    book = codebook or load_codebook()
    if not isinstance(annotations, pd.DataFrame):
        annotations = read_annotations(annotations, book)
    return annotated_statements(annotations, corpus, book)


def train(data: pd.DataFrame, codebook=None, cv_groups: str | None = None, n_splits: int = 5,
          **params) -> StanceClassifier:
    """Fit the stance model on any labelled table and attach its model card.

    Parameters
    ----------
    data : DataFrame
        ``text``, ``target``, ``stance`` (favor, against, neutral or none, any
        case; ``none`` is learnt as neutral), optionally ``lang`` (detected
        when absent) and grouping columns; or the output of
        :func:`training_data`.  Rows whose ``target`` is ``none`` teach no stance.
    codebook : Codebook, str or path, optional
        A :class:`Codebook`, its JSON or a YAML file.  When given, every
        target must be one of its; when not, any target may be learnt.
    cv_groups : {"session", "doc_id"}, optional
        What no fold of the card's cross-validation (and of the model's inner
        one) may split; by default ``session`` where the table has
        ``session``, else ``doc_id`` where it has that, else single rows.
    n_splits : int
        Folds of that cross-validation (fewer when there are fewer groups).
    **params
        Parameters of :class:`positions.stance.StanceClassifier`.

    Returns
    -------
    StanceClassifier
        Fitted, with ``card_``: codebook, annotation digest, documents and
        sessions covered, label counts by target and language,
        cross-validated metrics and reliability, versions.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"text": ["Solar power is the future.", "Solar power is a waste of money.",
    ...                                "We need more wind farms.", "Wind farms ruin the landscape."] * 4,
    ...                       "target": ["solar", "solar", "wind", "wind"] * 4,
    ...                       "stance": ["FAVOR", "AGAINST"] * 8})
    >>> model = train(table, n_splits=2)
    >>> model.predict(pd.DataFrame({"text": ["Wind farms ruin the view."], "target": ["wind"]})).tolist()
    ['against']
    """
    book = as_codebook(codebook) if codebook is not None else None
    data = labelled_table(data, book)
    labelled = data[data["target"] != "none"].reset_index(drop=True)
    if labelled.empty:
        raise ValueError("no annotated statement addresses a target; nothing to learn from")
    groups = cv_groups or default_groups(labelled)
    estimator = StanceClassifier(codebook=book.to_json() if book is not None else None, **params)
    folds = cross_validate({"model": estimator}, labelled, groups=groups, n_splits=n_splits)
    keys = group_keys(labelled, groups) if groups else None
    model = clone(estimator).fit(labelled[FEATURES], labelled["stance"].astype(str).to_numpy(), groups=keys)
    model.card_ = model_card(model, book or load_codebook(), data, folds, groups or "row")
    return model


def default_groups(data: pd.DataFrame) -> str | None:
    """``session`` where the table has sessions, else ``doc_id`` where it has documents, else None (single rows).

    Examples
    --------
    >>> default_groups(pd.DataFrame({"doc_id": ["a"]})), default_groups(pd.DataFrame({"text": ["x"]}))
    ('doc_id', None)
    """
    for column in ("session", "doc_id"):
        if column in data.columns and data[column].notna().any():
            return column
    return None


def cross_validate(estimators: dict, data: pd.DataFrame, groups: str = "doc_id", n_splits: int = 5) -> pd.DataFrame:
    """Grouped cross-validated predictions of several estimators on the same folds.

    Parameters
    ----------
    estimators : dict
        Name to an unfitted estimator taking ``text``, ``target``, ``lang``.
    data : DataFrame
        Annotated statements addressing a target (``none`` rows are dropped).
    groups : str, optional
        The column no fold may split: ``doc_id`` (default) or ``session``
        (a body's session: Expert Group 3 and Ad Hoc Committee 3 differ);
        None for folds of single rows, stratified by stance.
    n_splits : int
        At most this many folds; fewer when there are fewer groups.

    Returns
    -------
    DataFrame
        One row per estimator and statement: ``model``, ``fold``, the
        statement's keys (those the table has), ``target``, ``lang``,
        ``stance`` (gold), ``predicted`` and ``confidence`` (the stance
        model's probability that its prediction is right; NaN for others).

    Examples
    --------
    >>> import positions as pos
    >>> data = pos.training_data(pos.demo_annotations(), pos.demo_dir())
    >>> folds = cross_validate({"model": StanceClassifier()}, data, n_splits=3)
    >>> folds.groupby("fold").doc_id.nunique().tolist()
    [2, 2, 2]
    """
    data = data[data["target"] != "none"].reset_index(drop=True)
    keys, splits = folds_of(data, groups, n_splits)
    frames = []
    runs = [(name, estimator, fold, part) for name, estimator in estimators.items() for fold, part in enumerate(splits)]
    for name, estimator, fold, (train_index, test_index) in progress(runs, desc="cross-validating", unit="fold"):
        train_part, test_part = data.iloc[train_index], data.iloc[test_index]
        fitted = _fitted(estimator, train_part, keys[train_index])
        if isinstance(fitted, StanceClassifier):
            predicted, confidence = fitted.predict_with_confidence(test_part[FEATURES])
        else:
            predicted, confidence = fitted.predict(test_part[FEATURES]), np.full(len(test_part), np.nan)
        kept = [c for c in ("doc_id", "para", "sent", "body", "session") if c in test_part.columns]
        frames.append(test_part[kept + ["target", "lang", "stance"]].assign(
            model=name, fold=fold, predicted=predicted, confidence=confidence))
    return pd.concat(frames, ignore_index=True)


def folds_of(data: pd.DataFrame, groups: str | None, n_splits: int) -> tuple[np.ndarray, list]:
    """Group keys and folds: grouped by ``groups``, or stratified over single rows when it is None.

    Examples
    --------
    >>> keys, splits = folds_of(pd.DataFrame({"doc_id": list("aabbc"), "stance": ["favor"] * 5}), "doc_id", 5)
    >>> len(splits)
    3
    """
    if groups is None:
        from sklearn.model_selection import StratifiedKFold

        stance = data["stance"].astype(str).to_numpy()
        n = max(2, min(n_splits, int(pd.Series(stance).value_counts().min())))
        return np.arange(len(data)).astype(str), list(StratifiedKFold(n, shuffle=True, random_state=0).split(
            np.zeros(len(data)), stance))
    keys = group_keys(data, groups)
    n = min(n_splits, len(set(keys)))
    if n < 2:
        raise ValueError(f"cross-validation needs at least 2 distinct {groups}; the annotations have {len(set(keys))}")
    return keys, list(GroupKFold(n_splits=n).split(data, groups=keys))


def _fitted(estimator, part: pd.DataFrame, keys: np.ndarray):
    """A clone of ``estimator`` fitted on ``part``; the stance model keeps the groups whole in its own inner folds.

    A training part with one stance only teaches nothing else: the fold is
    scored as the rules' answer where the stance model would back off to
    them (:mod:`positions.stance.backoff`), else as a constant prediction of
    that stance, as a model trained on those labels alone would answer.
    """
    model = clone(estimator)
    y = part["stance"].astype(str).to_numpy()
    if len(set(y)) < 2 and isinstance(model, StanceClassifier) and model.backoff:
        return RuleStance(codebook=model.codebook).fit(part[FEATURES], y)
    if len(set(y)) < 2:
        return DummyClassifier(strategy="most_frequent").fit(part[FEATURES], y)
    if isinstance(model, StanceClassifier):
        return model.fit(part[FEATURES], y, groups=keys)
    return model.fit(part[FEATURES], y)


def group_keys(data: pd.DataFrame, groups: str) -> np.ndarray:
    """What no fold may split: a column's values; ``session`` means the body's session (EG 3 is not AHC 3).

    Examples
    --------
    >>> group_keys(pd.DataFrame({"body": ["EG", "AHC"], "session": [3, 3]}), "session").tolist()
    ['EG 3', 'AHC 3']
    """
    if groups == "session" and "body" in data.columns:
        return (data["body"].astype(str) + " " + data["session"].astype(str)).to_numpy()
    return data[groups].astype(str).to_numpy()


def compare_models(estimators: dict, data: pd.DataFrame, groups: str = "doc_id", n_splits: int = 5,
                   train_mask: dict | None = None) -> pd.DataFrame:
    """Cross-validated F_avg of several models on the same folds, side by side.

    Parameters
    ----------
    estimators : dict
        Name to unfitted estimator (for a fitted model pass ``clone(model)``).
    data : DataFrame
        Annotated statements (from :func:`training_data`).
    groups, n_splits :
        As in :func:`cross_validate`.
    train_mask : dict, optional
        Name to a boolean Series over ``data``: that model trains only on the
        rows where it is True (for "the old model, without the new session's
        labels"); every model is tested on the same full folds.

    Returns
    -------
    DataFrame
        The summary of :func:`stance_metrics` with a ``model`` column.

    Examples
    --------
    >>> import positions as pos
    >>> from sklearn.dummy import DummyClassifier
    >>> data = pos.training_data(pos.demo_annotations(), pos.demo_dir())
    >>> table = compare_models({"model": StanceClassifier(), "majority": DummyClassifier()}, data, n_splits=3)
    >>> overall = table.query("target == 'all' and lang == 'all'").set_index("model").f_avg
    >>> bool(overall["model"] > overall["majority"])
    True
    """
    data = data[data["target"] != "none"].reset_index(drop=True)
    masks = {name: (train_mask or {}).get(name) for name in estimators}
    keys, splits = folds_of(data, groups, n_splits)
    frames = []
    for name, estimator in estimators.items():
        mask = masks[name]
        if mask is None:
            allowed = np.ones(len(data), dtype=bool)
        else:
            allowed = np.asarray(mask.reindex(data.index, fill_value=False) if isinstance(mask, pd.Series) else mask,
                                 dtype=bool)
        for fold, (train_index, test_index) in enumerate(splits):
            train_index = train_index[allowed[train_index]]
            train_part, test_part = data.iloc[train_index], data.iloc[test_index]
            fitted = _fitted(estimator, train_part, keys[train_index])
            frames.append(test_part[["target", "lang", "stance"]].assign(model=name, fold=fold,
                                                                         predicted=fitted.predict(test_part[FEATURES])))
    folds = pd.concat(frames, ignore_index=True)
    tables = []
    for name, group in folds.groupby("model", sort=False):
        tables.append(stance_metrics(group)["summary"].assign(model=name))
    return pd.concat(tables, ignore_index=True)


def compare_with_new(data: pd.DataFrame, new: pd.DataFrame, groups: str = "doc_id", n_splits: int = 5,
                     codebook: Codebook | None = None, **params) -> pd.DataFrame:
    """The model without the new annotations against the model with them, on the same folds.

    Parameters
    ----------
    data : DataFrame
        Old and new annotated statements together (:func:`training_data`).
    new : DataFrame
        The new annotations (``doc_id``, ``para``, ``sent``): the ``old``
        model never trains on them; the ``new`` model does, where its fold allows.
    groups, n_splits :
        As in :func:`cross_validate`; both models are tested on every fold.
    codebook : Codebook, optional
    **params
        Parameters of :class:`positions.stance.StanceClassifier`.

    Returns
    -------
    DataFrame
        :func:`stance_metrics` summaries with ``model`` ``old`` and ``new``.

    Examples
    --------
    >>> import positions as pos
    >>> data = pos.training_data(pos.demo_annotations(), pos.demo_dir())
    >>> new = data[data.doc_id.str.contains("session3")]
    >>> table = compare_with_new(data, new, n_splits=3)
    >>> sorted(table.model.unique())
    ['new', 'old']
    """
    book = codebook or load_codebook()
    labelled = data[data["target"] != "none"].reset_index(drop=True)
    keys = set(zip(new["doc_id"].astype(str), new["para"].astype(int), new["sent"].astype(int)))
    is_new = pd.Series([(d, int(p), int(s)) in keys for d, p, s in
                        zip(labelled["doc_id"].astype(str), labelled["para"], labelled["sent"])], index=labelled.index)
    estimator = StanceClassifier(codebook=book.to_json(), **params)
    return compare_models({"old": estimator, "new": estimator}, labelled, groups=groups, n_splits=n_splits,
                          train_mask={"old": ~is_new})


def evaluate(data: pd.DataFrame, model: StanceClassifier | None = None, groups: str = "doc_id",
             n_splits: int = 5, statements: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Everything ``positions evaluate`` prints, as tables.

    Parameters
    ----------
    data : DataFrame
        From :func:`training_data`.
    model : StanceClassifier, optional
        Its parameters are cross-validated (it is cloned; the file's own
        fit is not tested on its training data).  The default parameters
        when not given.
    groups, n_splits :
        As in :func:`cross_validate`.
    statements : DataFrame, optional
        The statements of the annotated documents, for target detection in
        context.

    Returns
    -------
    dict
        ``summary`` and ``by_stance`` (from :func:`stance_metrics`, grouped by
        target and language), ``by_session``, ``confusion``, ``detection``
        and the out-of-fold predictions, ``folds``.

    Examples
    --------
    >>> import positions as pos
    >>> tables = evaluate(pos.training_data(pos.demo_annotations(), pos.demo_dir()), n_splits=3)
    >>> int(tables["confusion"].to_numpy().sum()) == len(tables["folds"])
    True
    """
    book = model_codebook(model)
    data = labelled_table(data)
    estimator = clone(model) if model is not None else StanceClassifier()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        folds = cross_validate({"model": estimator}, data, groups=groups, n_splits=n_splits)
    metrics = stance_metrics(folds)
    if "session" in folds.columns:
        labelled = folds.assign(session=group_keys(folds, "session"))
        session = stance_metrics(labelled, by=("session", "target"))["summary"]
    else:
        session = pd.DataFrame(columns=["session", "target", "n", "accuracy", "f_avg", "macro_f1"])
    return {"summary": metrics["summary"], "by_stance": metrics["by_stance"], "by_session": session,
            "confusion": confusion(folds), "detection": (detection_metrics(data, statements, book) if {"doc_id", "para", "sent"} <= set(data.columns)
                          else pd.DataFrame()),
            "folds": folds}
