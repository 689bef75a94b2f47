"""The classified table: one row per statement, speaker and addressed target, with a stance."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ._dask import is_dask
from ._progress import progress
from .codebook import Codebook
from .model import load_model, model_codebook
from .stance import StanceClassifier, rule_stance
from .tables import (
    CLASSIFIED_COLUMNS,
    CLASSIFIED_DTYPES,
    STATEMENT_COLUMNS,
    STATEMENT_DTYPES,
)
from .targets import detect_targets

__all__ = ["CLASSIFIED_COLUMNS", "CLASSIFIED_DTYPES", "classify", "suggest"]

_log = logging.getLogger("positions")
_CHUNK_ROWS = 200_000  # statements per step of target detection in a large table (one progress-bar step)



def classify(statements: pd.DataFrame, model: StanceClassifier | str | None = None,
             codebook: Codebook | None = None) -> pd.DataFrame:
    """Which targets each statement addresses, and its stance on each.

    Parameters
    ----------
    statements : DataFrame
        The statements table (:func:`positions.statements`); a Dask
        DataFrame (``backend="dask"``) gives a lazy Dask DataFrame back.
    model : StanceClassifier, path, ``"rules"`` or None
        A fitted model, a model file (loaded safely), ``"rules"`` for the
        rules alone (any codebook, no training), or None for the shipped model.
    codebook : Codebook, optional
        With ``"rules"``: the codebook to use (default: cybercrime).  With a
        model: must be the model's own codebook.

    Returns
    -------
    DataFrame
        Every statements column plus ``target``, ``stance`` (``favor`` |
        ``against`` | ``neutral``) and ``confidence`` (the model's probability
        of that stance; for the rules, 1 when the cues agree and less when
        they conflict).  One row per (statement, speaker, target); statements
        that address no target have no row.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.classify(pos.statements(pos.demo_files()[:1]))
    >>> row = table[(table.para == 5) & (table.sent == 1)].iloc[0]
    >>> row.quantifier, row.target, row.stance
    ('many', 'new_treaty', 'against')
    """
    missing = [c for c in STATEMENT_COLUMNS if c not in statements.columns]
    if missing:
        raise ValueError(f"statements is missing column(s) {missing}; pass the table from statements()")
    if is_dask(statements):  # each partition holds whole documents: classify them one by one, lazily
        rules = isinstance(model, str) and model == "rules"
        fitted = model if rules or isinstance(model, StanceClassifier) else load_model(model, codebook)
        if isinstance(fitted, StanceClassifier):
            from dask import delayed

            fitted = delayed(fitted)  # one key: each worker receives the model once, not with every partition
        return statements.map_partitions(classify, model=fitted, codebook=codebook,
                                         meta=_empty(statements._meta))
    if isinstance(model, str) and model == "rules":
        from .codebook import load_codebook

        book = codebook or load_codebook()
        fitted = None
    else:
        fitted = model if isinstance(model, StanceClassifier) else load_model(model, codebook)
        book = model_codebook(fitted)
        if codebook is not None and codebook.digest != book.digest:
            raise ValueError(f"the model was built for codebook {book.id!r}, not {codebook.id!r}; retrain it")
    found = _detect(statements, book)
    if found.empty:
        return _empty(statements)
    first = statements.loc[found["row"].to_numpy()]
    X = pd.DataFrame({"text": first["text"].astype(str).to_numpy(), "target": found["target"].astype(str).to_numpy(),
                      "lang": first["lang"].astype(str).to_numpy()})
    stance, confidence = _stances(X, fitted, book)
    keyed = pd.DataFrame({"doc_id": first["doc_id"].to_numpy(), "para": first["para"].to_numpy(),
                          "sent": first["sent"].to_numpy(), "target": X["target"].to_numpy(),
                          "stance": stance, "confidence": confidence})
    addressed = statements[statements["doc_id"].isin(pd.unique(keyed["doc_id"]))]  # most documents address none
    table = addressed.merge(keyed, on=["doc_id", "para", "sent"], how="inner", sort=False)
    order = pd.Categorical(table["target"], categories=list(book.target_ids))
    documents = {doc: i for i, doc in enumerate(pd.unique(statements["doc_id"]))}  # the statements' own order
    table = table.assign(_doc=table["doc_id"].map(documents), _order=order.codes)
    table = table.sort_values(["_doc", "para", "sent", "_order"], kind="stable")
    table = table.drop(columns=["_doc", "_order"])[CLASSIFIED_COLUMNS].reset_index(drop=True)
    _log.info("%d of %d statements address a target (%d statement-target rows; stance by %s)",
              len(keyed[["doc_id", "para", "sent"]].drop_duplicates()), len(statements), len(table),
              "the rules" if fitted is None else "the model")
    return table.astype({**STATEMENT_DTYPES, **CLASSIFIED_DTYPES})  # merge keys would otherwise come back as object


def _detect(statements: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """Targets of a large table in chunks of whole documents, with a progress bar; small ones at once."""
    if len(statements) <= _CHUNK_ROWS:
        return detect_targets(statements, book)
    sizes = statements.groupby("doc_id", sort=False, dropna=False).size()
    chunk_of_doc = (sizes.cumsum() - 1) // _CHUNK_ROWS  # whole documents: references stay inside a paragraph
    chunk_ids = statements["doc_id"].map(chunk_of_doc).to_numpy()
    chunks = [statements[chunk_ids == k] for k in np.unique(chunk_ids)]
    parts = [detect_targets(chunk, book) for chunk in progress(chunks, desc="finding targets", unit="chunk")]
    return pd.concat(parts, ignore_index=True)


def _stances(X: pd.DataFrame, model: StanceClassifier | None, book: Codebook) -> tuple[np.ndarray, np.ndarray]:
    if model is None:
        results = [rule_stance(t, g, lang, book) for t, g, lang in zip(X["text"], X["target"], X["lang"])]
        stance = np.array([label for label, _ in results], dtype=object)
        confidence = np.array([min(1.0, 0.5 + abs(score) / 4) for _, score in results])
        return stance, confidence
    proba = model.predict_proba(X)
    best = proba.argmax(axis=1)
    return model.classes_[best].astype(object), proba[np.arange(len(best)), best]


def _empty(statements: pd.DataFrame) -> pd.DataFrame:
    table = statements.iloc[0:0].copy()
    for column, dtype in CLASSIFIED_DTYPES.items():
        table[column] = pd.Series(dtype=dtype)
    return table[CLASSIFIED_COLUMNS]


def suggest(statements: pd.DataFrame, n: int = 20, model: StanceClassifier | str | None = None,
            exclude: pd.DataFrame | None = None) -> pd.DataFrame:
    """The statements most worth annotating next: uncertain ones, spread over documents and targets.

    Candidates are the (statement, target) pairs the model's codebook
    detects.  They are ranked by uncertainty (1 minus the margin between the
    two most probable stances), then picked greedily so that no paragraph
    gives two suggestions before every paragraph has given one, and targets
    and documents alternate.

    Parameters
    ----------
    statements : DataFrame
        The statements table of the new documents.
    n : int
        How many to suggest.
    model : StanceClassifier, path or None
        The model to ask (the shipped model by default).
    exclude : DataFrame, optional
        Annotations already made (``doc_id``, ``para``, ``sent``); these are
        not suggested again.

    Returns
    -------
    DataFrame
        ``doc_id``, ``para``, ``sent``, ``hash``, ``lang``, ``speaker``,
        ``target``, ``predicted``, ``confidence``, ``uncertainty``, ``text``,
        and empty ``stance`` and ``annotator`` columns for the annotator.

    Examples
    --------
    >>> import positions as pos
    >>> picks = pos.suggest(pos.statements(pos.demo_files()), n=5)
    >>> len(picks), picks.para.notna().all(), picks.stance.isna().all()
    (5, np.True_, np.True_)
    """
    from .annotations import statement_hash

    fitted = model if isinstance(model, StanceClassifier) else load_model(model)
    book = model_codebook(fitted)
    found = detect_targets(statements, book)
    first = statements.loc[found["row"].to_numpy()].reset_index(drop=True)
    candidates = pd.DataFrame({
        "doc_id": first["doc_id"].astype(str), "para": first["para"], "sent": first["sent"],
        "hash": first["text"].astype(str).map(statement_hash), "lang": first["lang"].astype(str),
        "speaker": first["speaker"], "target": found["target"].astype(str).to_numpy(), "text": first["text"],
    })
    if exclude is not None and len(candidates):
        done = set(zip(exclude["doc_id"].astype(str), exclude["para"].astype(int), exclude["sent"].astype(int)))
        keep = [(d, int(p), int(s)) not in done for d, p, s in zip(candidates.doc_id, candidates.para, candidates.sent)]
        candidates = candidates[keep].reset_index(drop=True)
    if candidates.empty:
        return candidates.assign(predicted=pd.Series(dtype=str), confidence=pd.Series(dtype=float),
                                 uncertainty=pd.Series(dtype=float), stance=pd.Series(dtype=object),
                                 annotator=pd.Series(dtype=object))
    proba = fitted.predict_proba(candidates[["text", "target", "lang"]])
    ordered = np.sort(proba, axis=1)
    candidates["predicted"] = fitted.classes_[proba.argmax(axis=1)]
    candidates["confidence"] = ordered[:, -1]
    candidates["uncertainty"] = 1.0 - (ordered[:, -1] - ordered[:, -2])
    ranked = candidates.sort_values(["uncertainty", "doc_id", "para", "sent"], ascending=[False, True, True, True],
                                    kind="stable")
    picked: list[int] = []
    seen_paragraphs: set = set()
    counts: dict = {}
    pool = list(ranked.index)
    while pool and len(picked) < n:
        def cost(i: int) -> tuple:
            row = ranked.loc[i]
            return ((row.doc_id, row.para) in seen_paragraphs,
                    counts.get(("target", row.target), 0) + counts.get(("doc", row.doc_id), 0),
                    -row.uncertainty)
        best = min(pool[: 5 * n], key=cost)
        pool.remove(best)
        row = ranked.loc[best]
        picked.append(best)
        seen_paragraphs.add((row.doc_id, row.para))
        counts[("target", row.target)] = counts.get(("target", row.target), 0) + 1
        counts[("doc", row.doc_id)] = counts.get(("doc", row.doc_id), 0) + 1
    chosen = ranked.loc[picked].reset_index(drop=True)
    chosen["stance"] = pd.Series([None] * len(chosen), dtype=object)
    chosen["annotator"] = pd.Series([None] * len(chosen), dtype=object)
    return chosen[["doc_id", "para", "sent", "hash", "lang", "speaker", "target", "predicted", "confidence",
                   "uncertainty", "text", "stance", "annotator"]]
