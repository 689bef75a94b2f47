"""Which statements to annotate next: the candidate (statement, target) pairs and how the picks are spread.

:meth:`positions.stance.learner.StanceClassifier.suggest` ranks the
candidates by the model's uncertainty; these helpers find the candidates and
spread the picks over paragraphs, targets and documents.
"""

from __future__ import annotations

import pandas as pd

from ..base.schema import statement_hash
from .codebook import Codebook
from .targets import detect_targets

__all__ = ["SUGGESTED", "candidate_pairs", "spread_picks"]

SUGGESTED = ["doc_id", "para", "sent", "hash", "lang", "speaker", "target", "predicted", "confidence",
             "uncertainty", "text", "stance", "annotator"]
"""The columns of a suggestion table, in order."""


def candidate_pairs(statements: pd.DataFrame, book: Codebook, exclude: pd.DataFrame | None) -> pd.DataFrame:
    """The (statement, target) pairs the codebook detects, less those already annotated.

    Examples
    --------
    >>> import positions as pos
    >>> from positions.stance.codebook import load_codebook
    >>> statements = pos.statements(pos.demo_files()[:1])
    >>> pairs = candidate_pairs(statements, load_codebook(), None)
    >>> done = pairs.head(2)[["doc_id", "para", "sent"]]
    >>> len(candidate_pairs(statements, load_codebook(), done)) < len(pairs)
    True
    """
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
    return candidates


def spread_picks(ranked: pd.DataFrame, n: int) -> list:
    """Up to ``n`` of the ranked candidates: a new paragraph first, then the target and document seen least.

    Examples
    --------
    >>> ranked = pd.DataFrame({"doc_id": ["a", "a", "b"], "para": [1, 1, 2], "target": ["t", "t", "t"],
    ...                        "uncertainty": [0.9, 0.8, 0.7]})
    >>> spread_picks(ranked, 2)  # the second pick comes from another paragraph
    [0, 2]
    """
    picked: list = []
    seen_paragraphs: set = set()
    counts: dict = {}
    pool = list(ranked.index)
    while pool and len(picked) < n:
        def cost(i) -> tuple:
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
    return picked
