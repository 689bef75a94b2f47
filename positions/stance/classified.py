"""The classified table: one row per statement, speaker and addressed target, with a stance and its evidence."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..base.config import progress
from ..base.schema import CLASSIFIED_COLUMNS, STATEMENT_COLUMNS, STATEMENT_DTYPES, empty, is_dask, require, typed
from ..read.metadata import detect_lang
from .codebook import Codebook, load_codebook
from .learner import StanceClassifier, model_codebook, model_id
from .model import load_model
from .rules import cached_cues, cues_json, stance_label
from .targets import detect_targets

__all__ = ["classify", "complete_statements", "suggest"]

_log = logging.getLogger("positions")
_CHUNK_ROWS = 200_000  # statements per step of target detection in a large table (one progress-bar step)
_KEYS = ["doc_id", "para", "sent"]


def classify(statements: pd.DataFrame, model: StanceClassifier | str | None = None,
             codebook: Codebook | None = None) -> pd.DataFrame:
    """Which targets each statement addresses, and its stance on each, with the evidence.

    Parameters
    ----------
    statements : DataFrame
        The statements table (:func:`positions.statements`), or any table
        with a ``text`` column (see :func:`complete_statements`); a Dask
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
        ``against`` | ``neutral``), ``confidence`` (the model's probability of
        that stance; for the rules, 1 when the cues agree and less when they
        conflict) and the evidence: ``mention_start`` and ``mention_end`` (the
        target's mention in the document's text), ``cues`` (the stance cues as
        JSON, :func:`positions.stance.rules.cues_json`) and ``model`` (the id
        of the model and codebook, :func:`positions.stance.learner.model_id`).
        One row per (statement, speaker, target); statements that address no
        target have no row.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.classify(pos.statements(pos.demo_files()[:1]))
    >>> row = table[(table.para == 5) & (table.sent == 1)].iloc[0]
    >>> row.quantifier, row.target, row.stance
    ('many', 'new_treaty', 'against')
    >>> text = pos.read_document(pos.demo_files()[0]).text
    >>> text[row.mention_start:row.mention_end]
    'new international legal instrument on cybercrime'
    """
    if is_dask(statements):  # each partition holds whole documents: classify them one by one, lazily
        require(statements, STATEMENT_COLUMNS, "statements", "pass the table from statements()")
        rules = isinstance(model, str) and model == "rules"
        fitted = model if rules or isinstance(model, StanceClassifier) else load_model(model, codebook)
        if isinstance(fitted, StanceClassifier):
            from dask import delayed

            fitted = delayed(fitted)  # one key: each worker receives the model once, not with every partition
        return statements.map_partitions(classify, model=fitted, codebook=codebook,
                                         meta=_empty(statements._meta))
    statements = complete_statements(statements)
    if isinstance(model, str) and model == "rules":
        book, fitted = codebook or load_codebook(), None
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
    book_json = book.to_json()
    cues = [cached_cues(text, target, "zh" if lang == "zh" else "en", book_json)
            for text, target, lang in zip(X["text"], X["target"], X["lang"])]
    stance, confidence = _stances(X, cues, fitted)
    start = first["char_start"].to_numpy()
    keyed = pd.DataFrame({
        "doc_id": first["doc_id"].to_numpy(), "para": first["para"].to_numpy(), "sent": first["sent"].to_numpy(),
        "target": X["target"].to_numpy(), "stance": stance, "confidence": confidence,
        "mention_start": start + found["start"].to_numpy(), "mention_end": start + found["end"].to_numpy(),
        "cues": [cues_json(found_cues, int(offset)) for found_cues, offset in zip(cues, start)],
        "model": model_id(fitted, book),
    })
    addressed = statements[statements["doc_id"].isin(pd.unique(keyed["doc_id"]))]  # most documents address none
    table = addressed.merge(keyed, on=_KEYS, how="inner", sort=False)
    order = pd.Categorical(table["target"], categories=list(book.target_ids))
    documents = {doc: i for i, doc in enumerate(pd.unique(statements["doc_id"]))}  # the statements' own order
    table = table.assign(_doc=table["doc_id"].map(documents), _order=order.codes)
    table = table.sort_values(["_doc", "para", "sent", "_order"], kind="stable")
    table = table.drop(columns=["_doc", "_order"])[CLASSIFIED_COLUMNS].reset_index(drop=True)
    _log.info("%d of %d statements address a target (%d statement-target rows; stance by %s)",
              len(keyed[_KEYS].drop_duplicates()), len(statements), len(table),
              "the rules" if fitted is None else "the model")
    return typed(table, "classified")  # merge keys would otherwise come back as object


def complete_statements(table: pd.DataFrame) -> pd.DataFrame:
    """A table with a ``text`` column completed into a statements table, filling what it cannot know.

    A statements table is returned as it is.  In any other table each row
    becomes a statement of its own paragraph (``doc_id`` "table", ``para``
    the row's number from 1, ``sent`` 1), ``lang`` is detected where it is
    missing, ``weight`` is 1, and columns it does not have are empty.  Its
    other columns are dropped.

    Examples
    --------
    >>> table = complete_statements(pd.DataFrame({"text": ["We support a new convention on cybercrime.", "我们支持。"]}))
    >>> table[["doc_id", "para", "lang", "weight"]].values.tolist()
    [['table', 1, 'en', 1.0], ['table', 2, 'zh', 1.0]]
    """
    if all(c in table.columns for c in STATEMENT_COLUMNS):
        return table
    require(table, ["text"], "the table", "classify needs at least the statements' text")
    table = table.reset_index(drop=True)
    text = table["text"].astype("string").fillna("")
    filled = {
        "doc_id": "table", "para": np.arange(1, len(table) + 1), "sent": 1, "char_start": 0,
        "char_end": text.str.len().to_numpy(), "text": text.to_numpy(), "weight": 1.0,
        "lang": [detect_lang(t) for t in text],
    }
    out = pd.DataFrame({c: table[c].astype(object) if c in table.columns else pd.NA for c in STATEMENT_COLUMNS},
                       index=table.index)
    for column, value in filled.items():  # what the table gives wins; the rest is filled
        out[column] = out[column].where(out[column].notna(), pd.Series(value, index=table.index, dtype=object))
    return out.astype(STATEMENT_DTYPES)


def _detect(statements: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """Targets of a large table in chunks of whole documents, with a progress bar; small ones at once."""
    if len(statements) <= _CHUNK_ROWS:
        return detect_targets(statements, book)
    sizes = statements.groupby("doc_id", sort=False, dropna=False).size()
    chunk_of_doc = (sizes.cumsum() - 1) // _CHUNK_ROWS  # whole documents: references stay inside a paragraph
    chunk_ids = statements["doc_id"].map(chunk_of_doc).to_numpy()
    if (np.diff(chunk_ids) >= 0).all():  # documents one after the other: each chunk a slice, not a copy
        bounds = np.flatnonzero(np.diff(chunk_ids)) + 1
        chunks = [statements.iloc[a:b] for a, b in zip([0, *bounds], [*bounds, len(statements)])]
    else:
        chunks = [statements[chunk_ids == k] for k in np.unique(chunk_ids)]
    parts = [detect_targets(chunk, book) for chunk in progress(chunks, desc="finding targets", unit="chunk")]
    return pd.concat(parts, ignore_index=True)


def _stances(X: pd.DataFrame, cues: list, model: StanceClassifier | None) -> tuple[np.ndarray, np.ndarray]:
    if model is None:
        scores = [sum(c.score for c in found) for found in cues]
        stance = np.array([stance_label(score) for score in scores], dtype=object)
        confidence = np.array([min(1.0, 0.5 + abs(score) / 4) for score in scores])
        return stance, confidence
    stance, confidence = model.predict_with_confidence(X)
    return stance.astype(object), confidence


def _empty(statements: pd.DataFrame) -> pd.DataFrame:
    """No rows, with the statements' own columns and dtypes and the classified ones."""
    return pd.concat([statements.iloc[0:0], empty("classified", CLASSIFIED_COLUMNS[len(STATEMENT_COLUMNS):])],
                     axis=1)[CLASSIFIED_COLUMNS]


def suggest(statements: pd.DataFrame, n: int = 20, model: StanceClassifier | str | None = None,
            exclude: pd.DataFrame | None = None) -> pd.DataFrame:
    """The statements most worth annotating next, by a model: :meth:`StanceClassifier.suggest` of ``model``.

    ``model`` is a fitted model, a model file, or None for the shipped model;
    the other parameters and the table returned are the method's.

    Examples
    --------
    >>> import positions as pos
    >>> picks = pos.suggest(pos.statements(pos.demo_files()), n=5)
    >>> len(picks), picks.para.notna().all(), picks.stance.isna().all()
    (5, np.True_, np.True_)
    """
    fitted = model if isinstance(model, StanceClassifier) else load_model(model)
    return fitted.suggest(statements, n=n, exclude=exclude)
