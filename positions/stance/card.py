"""The model card of a trained stance model: what it learnt from, how well it does, and how far to trust it.

:func:`model_card` is what :func:`positions.stance.training.train` attaches
as ``card_``: the codebook, the annotations' digest, the labelled counts by
target, language and stance, the cross-validated metrics (grouped, so never
in-sample), the reliability of its probabilities (:func:`reliability`), the
peer-benchmark scores of the same learner where ``models/peer-benchmarks.json``
holds them for these settings (:func:`learner_digest`), and the versions.
"""

from __future__ import annotations

import hashlib
import json
import platform

import numpy as np
import pandas as pd

from ..base.config import data_path
from ..base.schema import statement_hash
from ..base.version import __version__
from .codebook import Codebook
from .evaluation import stance_metrics
from .learner import StanceClassifier
from .model import MODEL_FORMAT
from .rules import lexicon_digest

__all__ = ["LEARNER", "PEER_BENCHMARKS", "learner_digest", "model_card", "peer_scores", "reliability"]

LEARNER = ("StanceClassifier 3: linear SVM over word 1-3 grams, character n-grams and rule scores, shared and "
           "crossed with the target; C by inner cross-validation; multinomial logistic calibration; the codebook's "
           "rules answer for a target where they beat it in the inner cross-validation, and in a language it never saw")
PEER_BENCHMARKS = "peer-benchmarks.json"
_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def learner_digest(model: StanceClassifier) -> str:
    """A digest of the learner and its settings (not of its codebook or data): the key of its benchmark scores.

    Examples
    --------
    >>> learner_digest(StanceClassifier()) == learner_digest(StanceClassifier(codebook="x.yaml"))
    True
    """
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(model.get_params().items())
              if k != "codebook"}
    return hashlib.sha256(json.dumps([LEARNER, params], sort_keys=True).encode("utf-8")).hexdigest()[:16]


def peer_scores(model: StanceClassifier) -> dict | None:
    """The peer-benchmark scores recorded for this learner's settings (``models/peer-benchmarks.json``), or None.

    Examples
    --------
    >>> sorted(peer_scores(StanceClassifier()))
    ['commit', 'machine', 'nlpcc2016_4a', 'semeval2016_6a']
    """
    path = data_path("models", PEER_BENCHMARKS)
    if path is None:
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(learner_digest(model))


def reliability(folds: pd.DataFrame) -> pd.DataFrame:
    """How often the predicted stance is right, by its predicted probability (out-of-fold).

    Examples
    --------
    >>> folds = pd.DataFrame({"stance": ["favor", "against", "favor"], "predicted": ["favor", "favor", "favor"],
    ...                       "confidence": [0.95, 0.55, 0.92]})
    >>> reliability(folds)[["confidence", "n", "mean_confidence", "accuracy"]].values.tolist()
    [['0.5-0.6', 1, 0.55, 0.0], ['0.9-1.0', 2, 0.935, 1.0]]
    """
    known = folds[folds["confidence"].notna()]
    bins = pd.cut(known["confidence"], _BINS, include_lowest=True,
                  labels=[f"{a:.1f}-{b:.1f}" for a, b in zip(_BINS, _BINS[1:])])
    right = known["stance"].astype(str) == known["predicted"].astype(str)
    table = pd.DataFrame({"bin": bins, "confidence": known["confidence"], "right": right})
    rows = [{"confidence": str(label), "n": len(part), "mean_confidence": round(float(part["confidence"].mean()), 4),
             "accuracy": round(float(part["right"].mean()), 4)}
            for label, part in table.groupby("bin", observed=True)]
    return pd.DataFrame(rows, columns=["confidence", "n", "mean_confidence", "accuracy"])


def _plain(value):
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else round(float(value), 4)
    return int(value) if isinstance(value, np.integer) else value


def model_card(model: StanceClassifier, book: Codebook, data: pd.DataFrame, folds: pd.DataFrame, groups: str) -> dict:
    """The card of a model fitted on ``data`` (all rows, ``none`` targets included) and cross-validated in ``folds``.

    Examples
    --------
    >>> import positions as pos
    >>> card = pos.load_model().card_
    >>> card["metrics"]["cross_validation"], card["reliability"][0]["confidence"]
    ('grouped by session, 5 folds', '0.0-0.5')
    """
    import scipy
    import sklearn
    import skops

    columns = [c for c in ("doc_id", "para", "sent", "hash") if c in data.columns]
    keys = data[columns].astype(str) if columns else pd.DataFrame(index=data.index)
    if "hash" not in keys.columns:
        keys = keys.assign(hash=data["text"].astype(str).map(statement_hash))
    keys = keys.assign(target=data["target"].astype(str), stance=data["stance"].astype(object).fillna("").astype(str))
    files = data["file"].astype(str) if "file" in data.columns else pd.Series("table", index=data.index)

    def digest(rows: pd.DataFrame) -> str:
        text = "\n".join(sorted(",".join(r) for r in rows.itertuples(index=False)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    labelled = data[data["target"] != "none"]
    counts = labelled.groupby(["target", "lang", "stance"]).size()
    summary = stance_metrics(folds)["summary"]
    sessions = {}
    if "session" in data.columns:
        body = data["body"].astype(str) if "body" in data.columns else pd.Series("", index=data.index)
        sessions = {name: sorted({int(n) for n in group["session"].dropna()})
                    for name, group in data.groupby(body)}
    return {
        "format": MODEL_FORMAT,
        "model": LEARNER,
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.get_params().items()
                   if k != "codebook"},
        "chosen": {"C": model.C_, "rules_answer_for": list(model.rules_for_)},
        "learner_digest": learner_digest(model),
        "tokenizer": model.tokenizer_,
        "codebook": {"id": book.id, "version": book.version, "digest": book.digest,
                     "targets": list(book.target_ids)},
        "stance_cues": lexicon_digest(),
        "annotations": {"digest": digest(keys), "rows": len(data),
                        "files": {name: {"rows": int((files == name).sum()), "digest": digest(keys[files == name])}
                                  for name in sorted(set(files))}},
        "training": {
            "statements": len(labelled),
            "targets": list(model.targets_),
            "documents": sorted(set(data["doc_id"].astype(str))) if "doc_id" in data.columns else [],
            "sessions": sessions,
            "labels": {f"{t} {s}": int(n) for (t, s), n in labelled.groupby(["target", "stance"]).size().items()},
            "labels_by_lang": [{"target": t, "lang": lang, "stance": s, "n": int(n)}
                               for (t, lang, s), n in counts.items()],
            "languages": {str(k): int(v) for k, v in labelled["lang"].value_counts().sort_index().items()},
        },
        "metrics": {
            "cross_validation": f"grouped by {groups}, {folds.fold.nunique()} folds",
            "summary": [{k: _plain(v) for k, v in row.items()} for row in summary.to_dict("records")],
        },
        "reliability": [{k: _plain(v) for k, v in row.items()} for row in reliability(folds).to_dict("records")],
        "peer_benchmarks": peer_scores(model),
        "versions": {"positions": __version__, "python": platform.python_version(),
                     "scikit-learn": sklearn.__version__, "skops": skops.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__},
    }
