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

import hashlib
import platform
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from ..base.config import progress
from ..base.version import __version__
from .annotations import annotated_statements, read_annotations
from .codebook import Codebook, load_codebook
from .evaluation import confusion, detection_metrics, stance_metrics
from .learner import StanceClassifier, model_codebook
from .model import MODEL_FORMAT
from .rules import lexicon_digest

__all__ = ["FEATURES", "compare_models", "compare_with_new", "cross_validate", "evaluate", "group_keys", "train",
           "training_data"]

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


def train(data: pd.DataFrame, codebook: Codebook | None = None, cv_groups: str = "doc_id",
          n_splits: int = 5, **params) -> StanceClassifier:
    """Fit the stance model on annotated statements and attach its model card.

    Parameters
    ----------
    data : DataFrame
        From :func:`training_data`.
    codebook : Codebook, optional
    cv_groups : {"doc_id", "session"}
        How the card's cross-validated metrics are grouped.
    n_splits : int
        Folds of that cross-validation (fewer when there are fewer groups).
    **params
        Parameters of :class:`positions.stance.StanceClassifier`.

    Returns
    -------
    StanceClassifier
        Fitted, with ``card_``: codebook, annotation digest, documents and
        sessions covered, label counts, cross-validated metrics, versions.

    Examples
    --------
    >>> import positions as pos
    >>> model = train(training_data(pos.demo_annotations(), pos.demo_dir()), n_splits=3)
    >>> model.card_["codebook"]["id"], model.card_["training"]["statements"] > 50
    ('cybercrime', True)
    """
    book = codebook or load_codebook()
    labelled = data[data["target"] != "none"].reset_index(drop=True)
    if labelled.empty:
        raise ValueError("no annotated statement addresses a target; nothing to learn from")
    estimator = StanceClassifier(codebook=book.to_json(), **params)
    folds = cross_validate({"model": estimator}, labelled, groups=cv_groups, n_splits=n_splits)
    model = clone(estimator).fit(labelled[FEATURES], labelled["stance"].astype(str).to_numpy())
    model.card_ = _card(model, book, data, folds, cv_groups)
    return model


def _card(model: StanceClassifier, book: Codebook, data: pd.DataFrame, folds: pd.DataFrame, groups: str) -> dict:
    import scipy
    import sklearn
    import skops

    keys = data[["doc_id", "para", "sent", "hash", "target"]].astype(str)
    keys = keys.assign(stance=data["stance"].astype(object).fillna("").astype(str))
    files = data["file"].astype(str) if "file" in data.columns else pd.Series("annotations", index=data.index)

    def digest(rows: pd.DataFrame) -> str:
        text = "\n".join(sorted(",".join(r) for r in rows.itertuples(index=False)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    labelled = data[data["target"] != "none"]
    summary = stance_metrics(folds[folds.model == "model"])["summary"]
    return {
        "format": MODEL_FORMAT,
        "model": "StanceClassifier: logistic regression over rule scores and word n-grams",
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.get_params().items()
                   if k != "codebook"},
        "tokenizer": model.tokenizer_,
        "codebook": {"id": book.id, "version": book.version, "digest": book.digest,
                     "targets": list(book.target_ids)},
        "stance_cues": lexicon_digest(),
        "annotations": {"digest": digest(keys), "rows": len(data),
                        "files": {name: {"rows": int((files == name).sum()), "digest": digest(keys[files == name])}
                                  for name in sorted(set(files))}},
        "training": {
            "statements": len(labelled),
            "documents": sorted(set(data["doc_id"].astype(str))),
            "sessions": {body: sorted({int(n) for n in group["session"].dropna()})
                         for body, group in data.groupby(data["body"].astype(str))},
            "labels": {f"{t} {s}": int(n) for (t, s), n in
                       labelled.groupby(["target", "stance"]).size().items()},
            "languages": {str(k): int(v) for k, v in labelled["lang"].value_counts().sort_index().items()},
        },
        "metrics": {
            "cross_validation": f"grouped by {groups}, {folds.fold.nunique()} folds",
            "summary": [{k: (None if isinstance(v, float) and np.isnan(v) else
                             round(float(v), 4) if isinstance(v, (float, np.floating)) else
                             int(v) if isinstance(v, (np.integer,)) else v)
                         for k, v in row.items()} for row in summary.to_dict("records")],
        },
        "versions": {"positions": __version__, "python": platform.python_version(),
                     "scikit-learn": sklearn.__version__, "skops": skops.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__},
    }


def cross_validate(estimators: dict, data: pd.DataFrame, groups: str = "doc_id", n_splits: int = 5) -> pd.DataFrame:
    """Grouped cross-validated predictions of several estimators on the same folds.

    Parameters
    ----------
    estimators : dict
        Name to an unfitted estimator taking ``text``, ``target``, ``lang``.
    data : DataFrame
        Annotated statements addressing a target (``none`` rows are dropped).
    groups : str
        The column no fold may split: ``doc_id`` (default) or ``session``
        (a body's session: Expert Group 3 and Ad Hoc Committee 3 differ).
    n_splits : int
        At most this many folds; fewer when there are fewer groups.

    Returns
    -------
    DataFrame
        One row per estimator and statement: ``model``, ``fold``, the
        statement's keys, ``target``, ``lang``, ``stance`` (gold) and
        ``predicted``.

    Examples
    --------
    >>> import positions as pos
    >>> data = pos.training_data(pos.demo_annotations(), pos.demo_dir())
    >>> folds = cross_validate({"model": StanceClassifier()}, data, n_splits=3)
    >>> folds.groupby("fold").doc_id.nunique().tolist()
    [2, 2, 2]
    """
    data = data[data["target"] != "none"].reset_index(drop=True)
    keys = group_keys(data, groups)
    n = min(n_splits, len(set(keys)))
    if n < 2:
        raise ValueError(f"cross-validation needs at least 2 distinct {groups}; the annotations have {len(set(keys))}")
    splits = list(GroupKFold(n_splits=n).split(data, groups=keys))
    frames = []
    runs = [(name, estimator, fold, part) for name, estimator in estimators.items() for fold, part in enumerate(splits)]
    for name, estimator, fold, (train_index, test_index) in progress(runs, desc="cross-validating", unit="fold"):
        train_part, test_part = data.iloc[train_index], data.iloc[test_index]
        fitted = clone(estimator).fit(train_part[FEATURES], train_part["stance"].astype(str).to_numpy())
        frames.append(test_part[["doc_id", "para", "sent", "body", "session", "target", "lang", "stance"]].assign(
            model=name, fold=fold, predicted=fitted.predict(test_part[FEATURES])))
    return pd.concat(frames, ignore_index=True)


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
    keys = group_keys(data, groups)
    n = min(n_splits, len(set(keys)))
    splits = list(GroupKFold(n_splits=n).split(data, groups=keys))
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
            fitted = clone(estimator).fit(train_part[FEATURES], train_part["stance"].astype(str).to_numpy())
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
    estimator = clone(model) if model is not None else StanceClassifier(codebook=book.to_json())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        folds = cross_validate({"model": estimator}, data, groups=groups, n_splits=n_splits)
    metrics = stance_metrics(folds)
    labelled = folds.assign(session=folds["body"].astype(str) + " " + folds["session"].astype(str))
    session = stance_metrics(labelled, by=("session", "target"))["summary"]
    return {"summary": metrics["summary"], "by_stance": metrics["by_stance"], "by_session": session,
            "confusion": confusion(folds), "detection": detection_metrics(data, statements, book),
            "folds": folds}
