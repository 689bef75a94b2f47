"""Where the codebook's rules answer instead of the learner: chosen per target on the training data.

A learner that has seen a few dozen statements of a target, or none in a
language, reads a new session worse than the codebook's rules do: held out by
session on the real documents, the learner alone scored F_avg 0.37 where the
rules scored 0.73 (README, "Annotations and the shipped model").  So, when it
is fitted, :class:`positions.stance.learner.StanceClassifier` compares, for
each target of its training data, its own out-of-fold predictions (those of
the inner cross-validation that chose ``C``) with the rules' on the same
statements.  Where the rules score a higher F_avg, they answer for that target
in every language, so that a paragraph and its translation are read alike; they
also answer for a target of the codebook in a language the learner has no
labelled statement of.  Targets without rules (any target outside the
codebook) are always read by the learner.

The rules' confidence is how often they were right on the training
statements where they gave the same stance, counted per target and language
and smoothed (right + 1) / (seen + 2); pooled over all targets where the
training data has none of that target and language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score

from .codebook import as_codebook, load_codebook
from .features import RULE_FEATURES, languages
from .rules import rule_stance

__all__ = ["RuleStance", "pair_keys", "rule_confidence", "rule_keys", "rule_labels"]

_FAVOR, _AGAINST = RULE_FEATURES.index("rule_favor"), RULE_FEATURES.index("rule_against")


def pair_keys(targets, langs) -> np.ndarray:
    """One ``target|lang`` key per row.

    Examples
    --------
    >>> pair_keys(["new_treaty"], ["zh"]).tolist()
    ['new_treaty|zh']
    """
    return np.array([f"{target}|{lang}" for target, lang in zip(targets, langs)], dtype=object)


def rule_labels(rules: np.ndarray) -> np.ndarray:
    """The rules' stance of each row, read from the rule features (:data:`~positions.stance.features.RULE_FEATURES`).

    Examples
    --------
    >>> from positions.stance.codebook import load_codebook
    >>> from positions.stance.features import row_texts
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["We support a new treaty on cybercrime.", "A treaty was discussed."],
    ...                   "target": "new_treaty", "lang": "en"})
    >>> rule_labels(row_texts(X, load_codebook(), "default")[3]).tolist()
    ['favor', 'neutral']
    """
    return np.where(rules[:, _FAVOR] > 0, "favor", np.where(rules[:, _AGAINST] > 0, "against", "neutral")).astype(object)


def rule_keys(targets: np.ndarray, y: np.ndarray, learned: np.ndarray, ruled: np.ndarray, ruled_targets) -> list[str]:
    """The targets on which the rules beat the learner's out-of-fold predictions (F_avg over both languages).

    Parameters
    ----------
    targets : array of str
        The target of each training row.
    y, learned, ruled : arrays of str
        The labels, the learner's out-of-fold predictions and the rules' stances.
    ruled_targets : collection of str
        Targets the rules know (the codebook's); no other target is given to them.

    Examples
    --------
    >>> targets = np.array(["new_treaty"] * 4)
    >>> y = np.array(["favor", "against", "favor", "neutral"])
    >>> rule_keys(targets, y, np.array(["favor"] * 4), y, {"new_treaty"})
    ['new_treaty']
    >>> rule_keys(targets, y, y, y, {"new_treaty"})  # a tie: the learner keeps it
    []
    """
    chosen = []
    for target in sorted(set(targets)):
        if target not in ruled_targets:
            continue
        rows = targets == target
        polar = [s for s in ("favor", "against") if s in set(y[rows])]
        if not polar:
            continue
        learner_f = f1_score(y[rows], learned[rows], labels=polar, average="macro", zero_division=0)
        rules_f = f1_score(y[rows], ruled[rows], labels=polar, average="macro", zero_division=0)
        if rules_f > learner_f + 1e-12:
            chosen.append(str(target))
    return chosen


def rule_confidence(keys: np.ndarray, y: np.ndarray, ruled: np.ndarray) -> dict[str, float]:
    """How often the rules were right when they gave a stance: per ``target|lang|stance``, and per stance pooled.

    Examples
    --------
    >>> keys = pair_keys(["new_treaty"] * 3, ["en"] * 3)
    >>> confidence = rule_confidence(keys, np.array(["favor", "favor", "against"]), np.array(["favor"] * 3))
    >>> round(confidence["new_treaty|en|favor"], 2), round(confidence["favor"], 2), confidence["against"]
    (0.6, 0.6, 0.5)
    """
    right = y == ruled
    table = {}
    for stance in ("favor", "against", "neutral"):
        given = ruled == stance
        table[stance] = float((right[given].sum() + 1) / (given.sum() + 2))
        for key in sorted(set(keys[given])):
            rows = given & (keys == key)
            table[f"{key}|{stance}"] = float((right[rows].sum() + 1) / (rows.sum() + 2))
    return table


class RuleStance(ClassifierMixin, BaseEstimator):
    """The codebook's rules as an estimator: ``fit`` learns nothing, ``predict`` gives the rules' stance.

    What cross-validation scores where a training fold holds one stance only
    and the learner would back off to the rules everywhere.

    Parameters
    ----------
    codebook : str, Codebook or path, optional
        As for :class:`positions.stance.learner.StanceClassifier`; the default cybercrime codebook when ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["We oppose a new treaty on cybercrime."], "target": ["new_treaty"], "lang": ["en"]})
    >>> RuleStance().fit(X, ["favor"]).predict(X).tolist()
    ['against']
    """

    def __init__(self, codebook=None) -> None:
        self.codebook = codebook

    def fit(self, X: pd.DataFrame, y=None) -> RuleStance:
        """Nothing to learn: the rules are the codebook's."""
        self.classes_ = np.array(["against", "favor", "neutral"], dtype=object)
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The rules' stance of each (statement, target) row."""
        book = as_codebook(self.codebook) if self.codebook is not None else load_codebook()
        langs = languages(X)
        return np.array([rule_stance(text, target, lang, book)[0] for text, target, lang
                         in zip(X["text"].astype(str), X["target"].astype(str), langs)], dtype=object)
