"""Language versions of one report: paired, checked against each other, and counted once.

UN reports number their paragraphs identically in every language, so a
paragraph and its translations are one unit of evidence.  Documents are
language versions of one another when they share a body and session and
differ in ``lang``: the only document of each language in that session, or
documents whose ``doc_id`` differs only by the language tag
(``ahc-2022-session1.en`` and ``ahc-2022-session1.zh``).

:func:`language_agreement` compares the stance each version gives a
paragraph on a target; :func:`one_vote` keeps, for each paragraph and
target, the rows of one version only (the more confident call), which is
what positions, shares, weights and the bootstrap count.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from ..base.schema import require, to_pandas

__all__ = ["AGREEMENT_COLUMNS", "language_agreement", "language_units", "one_vote"]

AGREEMENT_COLUMNS = ["doc_id_a", "lang_a", "doc_id_b", "lang_b", "para", "target", "stance_a", "stance_b",
                     "confidence_a", "confidence_b", "agree", "used"]
"""The columns of :func:`language_agreement` (``tables/language-agreement.csv``)."""
_SIGN = {"favor": 1.0, "against": -1.0, "neutral": 0.0}


def _stem(doc_id: str, lang: str) -> str:
    return re.sub(rf"(?:[._-]{re.escape(str(lang))})(?=$|[._-])", "", str(doc_id), count=1, flags=re.IGNORECASE)


def language_units(table: pd.DataFrame) -> pd.Series:
    """The report each row belongs to, whatever its language: one id shared by the language versions of a document.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files())
    >>> sorted(set(zip(table.doc_id, language_units(table))))[:2]
    [('ahc-2022-session1.en', 'ahc-2022-session1'), ('ahc-2022-session1.zh', 'ahc-2022-session1')]
    """
    if "lang" not in table.columns:  # one language: every document is its own report
        return table["doc_id"].astype(object)
    docs = table[["doc_id", "lang", "body", "session"]].drop_duplicates("doc_id")
    key = docs["body"].astype(object).fillna("?").astype(str) + "|" + docs["session"].astype(object).fillna("?").astype(str)
    units = {}
    for _, part in docs.groupby(key, sort=False):
        counts = part["lang"].value_counts()
        single = len(counts) > 1 and (counts == 1).all()
        stems = {d: _stem(d, lang) for d, lang in zip(part["doc_id"], part["lang"])}
        shared = part.assign(_stem=part["doc_id"].map(stems)).groupby("_stem")["lang"].nunique()
        for doc_id in part["doc_id"]:
            if single:
                units[doc_id] = min(stems.values())
            else:
                units[doc_id] = stems[doc_id] if shared[stems[doc_id]] > 1 else str(doc_id)
    return table["doc_id"].map(units).astype(object)


def _calls(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per document, paragraph and target: the paragraph's stance in that version and its confidence."""
    table = classified.assign(_unit=language_units(classified), _sign=classified["stance"].map(_SIGN).astype(float),
                              _w=classified["weight"].astype(float).fillna(0.0),
                              _conf=classified["confidence"].astype(float) if "confidence" in classified else np.nan)
    table = table.assign(_ws=table["_sign"] * table["_w"])
    calls = (table.groupby(["_unit", "doc_id", "lang", "para", "target"], sort=True, dropna=False)
             .agg(_ws=("_ws", "sum"), _w=("_w", "sum"), _mean=("_sign", "mean"), confidence=("_conf", "mean"))
             .reset_index())
    net = np.where(calls["_w"] > 0, calls["_ws"] / calls["_w"].where(calls["_w"] > 0, 1.0), calls["_mean"])
    return calls.assign(stance=np.select([net > 0, net < 0], ["favor", "against"], "neutral"))


def language_agreement(classified: pd.DataFrame) -> pd.DataFrame:
    """Where two language versions of a report are read: the stance each gives each paragraph on each target.

    A paragraph's stance in one version is the sign of the weighted net
    position of its statements on the target there (unweighted when their
    weight is 0).  A paragraph that addresses the target in one version only
    has no stance in the other and does not agree.

    Returns
    -------
    DataFrame
        :data:`AGREEMENT_COLUMNS`: the two versions (``doc_id_a``,
        ``lang_a``, ``doc_id_b``, ``lang_b``, languages in alphabetical
        order), ``para``, ``target``, ``stance_a`` and ``stance_b`` (missing
        where the version does not address the target), the mean
        classifier ``confidence`` of each, ``agree`` (``yes``/``no``) and
        ``used``: the ``doc_id`` whose call the positions count
        (:func:`one_vote`).

    Examples
    --------
    >>> import positions as pos
    >>> table = language_agreement(pos.classify(pos.statements(pos.demo_files())))
    >>> table.columns.tolist()[:4], sorted(table.agree.unique())
    (['doc_id_a', 'lang_a', 'doc_id_b', 'lang_b'], ['yes'])
    """
    classified = to_pandas(classified)
    require(classified, ["doc_id", "lang", "body", "session", "para", "target", "stance", "weight"], "classified",
            "pass the table from classify()")
    calls = _calls(classified)
    used = set(_chosen(calls)[["doc_id", "para", "target"]].itertuples(index=False, name=None))
    rows = []
    for _, part in calls.groupby("_unit", sort=True):
        versions = part[["doc_id", "lang"]].drop_duplicates().sort_values(["lang", "doc_id"]).values.tolist()
        for (doc_a, lang_a), (doc_b, lang_b) in itertools.combinations(versions, 2):
            if lang_a == lang_b:
                continue
            a = part[part["doc_id"] == doc_a].set_index(["para", "target"])
            b = part[part["doc_id"] == doc_b].set_index(["para", "target"])
            for para, target in sorted(set(a.index) | set(b.index), key=lambda k: (k[0], str(k[1]))):
                sa = a["stance"].get((para, target))
                sb = b["stance"].get((para, target))
                pick = doc_a if (doc_a, para, target) in used else doc_b if (doc_b, para, target) in used else None
                rows.append((doc_a, lang_a, doc_b, lang_b, para, target, sa, sb, a["confidence"].get((para, target)),
                             b["confidence"].get((para, target)), "yes" if sa is not None and sa == sb else "no",
                             pick))
    out = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    return out.astype({"para": "Int64", "confidence_a": "float64", "confidence_b": "float64"})


def _chosen(calls: pd.DataFrame) -> pd.DataFrame:
    """Of each report's paragraph and target, the call of the most confident version (ties: the first doc_id)."""
    ranked = calls.assign(_c=calls["confidence"].fillna(-1.0)).sort_values(
        ["_unit", "para", "target", "_c", "doc_id"], ascending=[True, True, True, False, True], kind="stable")
    return ranked.drop_duplicates(["_unit", "para", "target"])


def one_vote(classified: pd.DataFrame) -> pd.DataFrame:
    """The classified rows that count: of each paragraph and target, one language version's rows.

    Where language versions of a report both address a paragraph's target,
    the rows of the version with the higher mean confidence are kept (the
    first ``doc_id`` on a tie), so a paragraph is one unit of evidence
    whatever the number of languages read.  Adds ``_unit``: the report a row
    belongs to (:func:`language_units`), with ``para`` the independent unit
    that the bootstrap resamples.

    Examples
    --------
    >>> import positions as pos
    >>> classified = pos.classify(pos.statements(pos.demo_files()))
    >>> kept = one_vote(classified)
    >>> len(kept) < len(classified), bool(kept.duplicated(["_unit", "para", "sent", "target"]).any())
    (True, False)
    """
    classified = to_pandas(classified)
    units = language_units(classified)
    if units.nunique() == classified["doc_id"].nunique():
        return classified.assign(_unit=units)
    calls = _calls(classified)
    keep = _chosen(calls)[["doc_id", "para", "target"]].assign(_keep=True)
    marked = classified.merge(keep, on=["doc_id", "para", "target"], how="left")
    marked.index = classified.index
    return classified[marked["_keep"].fillna(False).astype(bool)].assign(_unit=units)
