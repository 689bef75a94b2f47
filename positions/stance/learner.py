"""The learned stance model: a target-aware linear model with calibrated probabilities.

:class:`StanceClassifier` reads each (statement, target) pair through
:mod:`positions.stance.features`: word 1-3 grams with the target's mention
replaced by a marker, character n-grams (English 2-5, Chinese 1-4), the
rules' scores, each both shared and crossed with the target, so a word can
mean favor for one target and against for another.  A linear SVM with
balanced class weights learns from them.  Its regularisation ``C`` is chosen
by cross-validation inside the training data (grouped when ``fit`` is given
``groups``), and the same out-of-fold scores fit a multinomial logistic
calibrator, so that ``predict_proba`` (and the classified table's
``confidence``) is a probability measured on text the SVM had not seen.

It follows scikit-learn's estimator contract, so ``clone``,
``cross_val_score`` and ``GridSearchCV`` work on it.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..base.errors import InputError
from ..base.schema import STANCES
from .codebook import Codebook, as_codebook, load_codebook
from .backoff import pair_keys, rule_confidence, rule_keys, rule_labels
from .evaluation import card_html
from .features import VocabularyArrays, fit_vectorizers, row_texts, transform
from .suggestions import SUGGESTED, candidate_pairs, spread_picks
from .tokenize import default_backend

__all__ = ["LABELS", "StanceClassifier", "card_html", "model_codebook", "model_id", "stance_labels"]

LABELS = {"favor": "favor", "against": "against", "neutral": "neutral", "none": "neutral"}
"""Stance labels a table may hold, in any case, and what each is learnt as: ``none`` (no stance, as in
SemEval's NONE) is ``neutral``, since the codebook knows three stances."""
DEFAULT_CS = (0.1, 0.3, 1.0)


class StanceClassifier(ClassifierMixin, VocabularyArrays, BaseEstimator):
    """Stance on a target: a target-aware linear SVM over n-grams and rule scores, with calibrated probabilities.

    Parameters
    ----------
    codebook : str, Codebook or path, optional
        The codebook as JSON (:meth:`Codebook.to_json`), a :class:`Codebook`
        or a YAML file; the default cybercrime codebook when ``None``.  With
        a codebook given, every target must be one of its targets; without
        one, any target may be learnt (those of the default codebook get its
        rules and mention markers).  :func:`positions.train` stores it as
        JSON, which keeps the model file free of code.
    C : float, optional
        Inverse regularisation strength of the SVM; ``None`` chooses it from
        ``Cs`` by cross-validated F_avg on the training data.
    Cs : tuple of float
        The values of ``C`` tried when ``C`` is None.
    cv : int
        Folds of the inner cross-validation (choosing ``C`` and fitting the
        calibrator); grouped when ``fit`` is given ``groups``.
    rule_weight : float
        Scale of the rule features against the n-gram features.
    shared_weight : float
        Scale of the features shared by all targets against those crossed
        with the target (0 would be one model per target).
    ngram_range : tuple of int
        Word n-grams of the statement (Chinese words by the segmenter).
    min_df : int
        Minimum document frequency of a word or character n-gram.
    class_weight : {"balanced", None}
    random_state : int
    backoff : bool
        Let the codebook's rules answer for a target where they beat the
        learner in its inner cross-validation (``rules_for_``), and for a
        target of the codebook in a language it has no labelled statement of
        (:mod:`positions.stance.backoff`).
    tokenizer : {"default", "spacy", "hanlp"}, optional
        The word segmenter; ``None`` takes the session's
        (:func:`~positions.stance.tokenize.set_backend`) when fitting.  The
        model keeps the one it was fitted with (``tokenizer_``).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["We support a new treaty on cybercrime.", "There is no need for a new treaty on cybercrime.",
    ...                            "The Budapest Convention is effective.", "The Budapest Convention is outdated."] * 3,
    ...                   "target": ["new_treaty", "new_treaty", "budapest_convention", "budapest_convention"] * 3})
    >>> model = StanceClassifier().fit(X, ["favor", "against", "FAVOR", "Against"] * 3)
    >>> model.predict(X.head(4)).tolist(), model.tokenizer_
    (['favor', 'against', 'favor', 'against'], 'default')
    """

    backoff = False  # what a model fitted before there was a back-off does (a file of an earlier version)

    def __init__(self, codebook=None, C: float | None = None, Cs: tuple[float, ...] = DEFAULT_CS, cv: int = 3,
                 rule_weight: float = 3.0, shared_weight: float = 0.5, ngram_range: tuple[int, int] = (1, 3),
                 min_df: int = 1, class_weight: str | None = "balanced", random_state: int = 0, backoff: bool = True,
                 tokenizer: str | None = None) -> None:
        self.codebook = codebook
        self.C = C
        self.Cs = Cs
        self.cv = cv
        self.rule_weight = rule_weight
        self.shared_weight = shared_weight
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.class_weight = class_weight
        self.random_state = random_state
        self.backoff = backoff
        self.tokenizer = tokenizer

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """In Jupyter: the model card's summary for a trained model, scikit-learn's diagram otherwise."""
        if not isinstance(getattr(self, "card_", None), dict):
            return super()._repr_mimebundle_(**kwargs)
        return {"text/plain": repr(self), "text/html": card_html(self.card_)}

    def fit(self, X: pd.DataFrame, y, groups=None) -> StanceClassifier:
        """Learn from statements ``X`` (``text``, ``target``, optional ``lang``) and stances ``y``.

        ``groups`` (one key per row, e.g. the session) keeps each group whole
        in the inner cross-validation that chooses ``C`` and calibrates.
        """
        X = _checked_input(X)
        y = stance_labels(y)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        book = model_codebook(self)
        targets = X["target"].astype(str)
        if self.codebook is not None:
            unknown_targets = sorted(set(targets) - set(book.target_ids))
            if unknown_targets:
                raise ValueError(f"unknown target(s) {unknown_targets}; the codebook {book.id!r} has "
                                 f"{', '.join(book.target_ids)}")
        self.codebook_id_ = book.id
        seen = set(targets)
        self.targets_ = [t for t in book.target_ids if t in seen] + sorted(seen - set(book.target_ids))
        self.tokenizer_ = self.tokenizer or default_backend()
        langs, words, texts, rules = row_texts(X, book, self.tokenizer_)
        self.vectorizers_ = fit_vectorizers(langs, words, texts, self.ngram_range, self.min_df)
        matrix = transform(self.vectorizers_, langs, words, texts, rules, targets.tolist(), self.targets_,
                           self.rule_weight, self.shared_weight)
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        with threadpool_limits(limits=1, user_api="blas"):  # same bytes on any core count; no thrashing under load
            self.C_, scores = self._choose_c(matrix, y, groups)
            self.classifier_ = self._svm(self.C_).fit(matrix, y)
            self.calibrator_ = LogisticRegression(C=1.0, max_iter=1000).fit(scores, y)
        keys, ruled = pair_keys(targets, langs), rule_labels(rules)
        self.pairs_ = sorted(set(keys))
        self.rules_for_ = (rule_keys(targets.to_numpy(dtype=object), y, self.classes_[scores.argmax(axis=1)], ruled,
                                     book.targets) if self.backoff else [])
        self.rule_confidence_ = rule_confidence(keys, y, ruled)
        self.n_features_in_ = X.shape[1]
        return self

    def _svm(self, C: float) -> LinearSVC:
        return LinearSVC(C=C, class_weight=self.class_weight, random_state=self.random_state, max_iter=5000)

    def _choose_c(self, matrix, y: np.ndarray, groups) -> tuple[float, np.ndarray]:
        """The C of the best out-of-fold F_avg, and that C's out-of-fold decision scores."""
        from sklearn.metrics import f1_score

        candidates = [float(self.C)] if self.C is not None else [float(c) for c in self.Cs]
        splits = _inner_folds(y, groups, self.cv, self.random_state)
        best = None
        for C in candidates:
            scores = np.zeros((len(y), len(self.classes_)))
            for train_index, test_index in splits:
                if len(set(y[train_index])) < len(self.classes_):  # a fold without some stance: no model to score
                    scores[test_index] = _one_hot(y[train_index], self.classes_).mean(axis=0)
                    continue
                scores[test_index] = _decision(self._svm(C).fit(matrix[train_index], y[train_index]),
                                               matrix[test_index], self.classes_)
            predicted = self.classes_[scores.argmax(axis=1)]
            polar = [s for s in ("favor", "against") if s in self.classes_]
            quality = f1_score(y, predicted, labels=polar or list(self.classes_), average="macro", zero_division=0)
            if best is None or quality > best[0] + 1e-12:
                best = (quality, C, scores)
        return best[1], best[2]

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """The SVM's score of each stance in :attr:`classes_`, one row per statement (the rules never enter)."""
        return self._read(X)[0]

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of each stance in :attr:`classes_`, one row per statement.

        Where the rules answer (``rules_for_``), their stance has the rules'
        measured confidence and the other stances share the rest.
        """
        scores, ruled, confidence = self._read(X)
        if len(scores) == 0:
            return scores
        proba = _aligned(self.calibrator_.predict_proba(scores), self.calibrator_.classes_, self.classes_)
        rows = np.flatnonzero(ruled != "")
        proba[rows] = ((1.0 - confidence[rows]) / (len(self.classes_) - 1))[:, None]
        proba[rows, np.searchsorted(self.classes_, ruled[rows])] = confidence[rows]  # classes_ are sorted
        return proba

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The stance of each statement: the SVM's highest score (class weights included), or the rules' (``rules_for_``)."""
        return self.predict_with_confidence(X)[0]

    def predict_with_confidence(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The predicted stance of each statement and its calibrated probability of being right."""
        scores, ruled, confidence = self._read(X)
        if len(scores) == 0:
            return np.array([], dtype=object), np.zeros(0)
        best = scores.argmax(axis=1)
        proba = _aligned(self.calibrator_.predict_proba(scores), self.calibrator_.classes_, self.classes_)
        stance, sure = self.classes_[best].astype(object), proba[np.arange(len(best)), best]
        by_rules = ruled != ""
        return np.where(by_rules, ruled, stance), np.where(by_rules, confidence, sure)

    def _read(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The SVM's scores; the rules' stance where they answer ("" where not) and its confidence."""
        check_is_fitted(self, "classifier_")
        X = _checked_input(X)
        if len(X) == 0:
            return np.zeros((0, len(self.classes_))), np.array([], dtype=object), np.zeros(0)
        targets = X["target"].astype(str).tolist()
        langs, words, texts, rules = row_texts(X, model_codebook(self), getattr(self, "tokenizer_", "default"))
        matrix = transform(self.vectorizers_, langs, words, texts, rules, targets, self.targets_, self.rule_weight,
                           self.shared_weight)
        keys, ruled = pair_keys(targets, langs), rule_labels(rules)
        answer = np.isin(np.asarray(targets, dtype=object), list(getattr(self, "rules_for_", [])))
        if hasattr(self, "pairs_") and self.backoff:  # a codebook target never seen in this language
            known = set(model_codebook(self).targets)
            answer |= np.array([k not in self.pairs_ and t in known for k, t in zip(keys, targets)], dtype=bool)
        answer &= np.isin(ruled, self.classes_)  # a stance the model does not know is not given
        table = getattr(self, "rule_confidence_", {})
        confidence = np.array([table.get(f"{k}|{s}", table.get(s, 0.5)) for k, s in zip(keys, ruled)])
        return _decision(self.classifier_, matrix, self.classes_), np.where(answer, ruled, ""), confidence

    def suggest(self, statements: pd.DataFrame, n: int = 20, exclude: pd.DataFrame | None = None) -> pd.DataFrame:
        """The statements most worth annotating next: uncertain ones, spread over documents and targets.

        Candidates are the (statement, target) pairs the model's codebook
        detects.  They are ranked by uncertainty (1 minus the margin between
        the two most probable stances), then picked greedily so that no
        paragraph gives two suggestions before every paragraph has given one,
        and targets and documents alternate.

        Parameters
        ----------
        statements : DataFrame
            The statements table of the new documents.
        n : int
            How many to suggest.
        exclude : DataFrame, optional
            Annotations already made (``doc_id``, ``para``, ``sent``); these
            are not suggested again.

        Returns
        -------
        DataFrame
            ``doc_id``, ``para``, ``sent``, ``hash``, ``lang``, ``speaker``,
            ``target``, ``predicted``, ``confidence``, ``uncertainty``,
            ``text``, and empty ``stance`` and ``annotator`` columns for the
            annotator.

        Examples
        --------
        >>> import positions as pos
        >>> picks = pos.load_model().suggest(pos.statements(pos.demo_files()), n=5)
        >>> len(picks), picks.para.notna().all(), picks.stance.isna().all()
        (5, np.True_, np.True_)
        """
        candidates = candidate_pairs(statements, model_codebook(self), exclude)
        if candidates.empty:
            return candidates.assign(predicted=pd.Series(dtype=str), confidence=pd.Series(dtype=float),
                                     uncertainty=pd.Series(dtype=float), stance=pd.Series(dtype=object),
                                     annotator=pd.Series(dtype=object))[SUGGESTED]
        proba = self.predict_proba(candidates[["text", "target", "lang"]])
        ordered = np.sort(proba, axis=1)
        candidates["predicted"], candidates["confidence"] = self.predict_with_confidence(candidates)
        candidates["uncertainty"] = 1.0 - (ordered[:, -1] - ordered[:, -2])
        ranked = candidates.sort_values(["uncertainty", "doc_id", "para", "sent"],
                                        ascending=[False, True, True, True], kind="stable")
        chosen = ranked.loc[spread_picks(ranked, n)].reset_index(drop=True)
        chosen["stance"] = pd.Series([None] * len(chosen), dtype=object)
        chosen["annotator"] = pd.Series([None] * len(chosen), dtype=object)
        return chosen[SUGGESTED]



def stance_labels(y) -> np.ndarray:
    """Stance labels as the model learns them: lower case, ``none`` read as ``neutral`` (see :data:`LABELS`).

    Examples
    --------
    >>> stance_labels(["FAVOR", "Against", "none", " neutral "]).tolist()
    ['favor', 'against', 'neutral', 'neutral']
    """
    raw = pd.Series(np.asarray(y, dtype=object).ravel() if not isinstance(y, pd.Series) else y.to_numpy(dtype=object))
    folded = raw.map(lambda v: str(v).strip().lower() if isinstance(v, str) else v)
    unknown = sorted({str(v) for v, f in zip(raw, folded) if f not in LABELS})
    if unknown:
        raise ValueError(f"unknown stance label(s) {unknown}; allowed: favor, against, neutral, none (any case)")
    labels = folded.map(LABELS).to_numpy(dtype=object)
    if len(labels) and len(set(labels)) < 2:
        raise ValueError(f"only one stance ({labels[0]}) in the labels; a model needs at least two")
    return labels


def model_codebook(model=None) -> Codebook:
    """The codebook a model was built for; the default codebook for the rules (``"rules"``) or no model.

    Examples
    --------
    >>> model_codebook("rules").id
    'cybercrime'
    """
    if isinstance(model, StanceClassifier) and model.codebook is not None:
        return as_codebook(model.codebook)
    return load_codebook()


def model_id(model, codebook: Codebook | None = None) -> str:
    """The id of a model and its codebook, as the classified table's ``model`` column holds it.

    ``rules/<codebook>@<digest>`` for the rules, ``model-<12 hex>/<codebook>@<digest>``
    for a fitted model: the hex digits are a SHA-256 of what it learnt
    (vocabularies, coefficients and calibrator), so the same model has the
    same id however it was loaded.

    Examples
    --------
    >>> model_id("rules")
    'rules/cybercrime@c1512e52'
    """
    book = codebook or model_codebook(model)
    if not isinstance(model, StanceClassifier):
        return f"rules/{book.id}@{book.digest[:8]}"
    check_is_fitted(model, "classifier_")
    learnt = hashlib.sha256()
    for name in sorted(model.vectorizers_):
        learnt.update(name.encode("utf-8") + b"\n")
        learnt.update("\n".join(sorted(model.vectorizers_[name].vocabulary_)).encode("utf-8"))
    learnt.update("\n".join(model.targets_).encode("utf-8"))
    for array in (model.classifier_.coef_, model.classifier_.intercept_, model.calibrator_.coef_,
                  model.calibrator_.intercept_):
        learnt.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return f"model-{learnt.hexdigest()[:12]}/{book.id}@{book.digest[:8]}"


def _checked_input(X) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a DataFrame with columns text and target (and lang); got {type(X).__name__}")
    missing = [c for c in ("text", "target") if c not in X.columns]
    if missing:
        raise ValueError(f"X is missing column(s) {missing}; it needs text and target (lang is detected if absent)")
    return X


def _inner_folds(y: np.ndarray, groups, n_splits: int, seed: int) -> list:
    """Folds of the inner cross-validation: grouped when there are groups enough, else stratified."""
    if groups is not None:
        keys = np.asarray(groups).astype(str)
        if len(set(keys)) >= 2:
            return list(GroupKFold(n_splits=min(n_splits, len(set(keys)))).split(y, y, groups=keys))
    smallest = int(pd.Series(y).value_counts().min())
    folds = StratifiedKFold(n_splits=max(2, min(n_splits, smallest)), shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(y)), y if smallest >= 2 else np.zeros(len(y))))


def _decision(svm: LinearSVC, matrix, classes: np.ndarray) -> np.ndarray:
    """The SVM's decision scores as one column per class of ``classes`` (two classes: -s and s)."""
    raw = svm.decision_function(matrix)
    if raw.ndim == 1:
        raw = np.column_stack([-raw, raw])
    return _aligned(raw, svm.classes_, classes, fill=-10.0)


def _aligned(values: np.ndarray, have: np.ndarray, want: np.ndarray, fill: float = 0.0) -> np.ndarray:
    out = np.full((len(values), len(want)), fill)
    position = {c: i for i, c in enumerate(want)}
    for j, c in enumerate(have):
        out[:, position[c]] = values[:, j]
    return out


def _one_hot(y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return (y[:, None] == classes[None, :]).astype(np.float64)
