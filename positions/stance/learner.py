"""The learned stance model: a scikit-learn estimator on top of the rules.

:class:`StanceClassifier` is a logistic regression over the rules' scores
(:mod:`positions.stance.rules`) and word n-grams of the statement (Chinese
segmented by :func:`positions.stance.tokenize.tokenize`), with the target's
mention replaced by a marker so that the words around it carry the signal.
It follows scikit-learn's estimator contract, so ``clone``,
``cross_val_score`` and ``GridSearchCV`` work on it.
"""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ..base.schema import STANCES, statement_hash
from .codebook import Codebook, load_codebook
from .rules import cached_cues, stance_label
from .targets import detect_targets, find_mentions
from .tokenize import default_backend, tokenize

__all__ = ["StanceClassifier", "card_html", "model_codebook", "model_id"]

_RULE_FEATURES = ["score", "favor", "against", "neutral", "negated", "rule_favor", "rule_against", "rule_neutral"]
_SUGGESTED = ["doc_id", "para", "sent", "hash", "lang", "speaker", "target", "predicted", "confidence",
                      "uncertainty", "text", "stance", "annotator"]


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Stance on a target: logistic regression over rule scores and word n-grams.

    Parameters
    ----------
    codebook : str, optional
        The codebook as JSON (:meth:`Codebook.to_json`); the default
        cybercrime codebook when ``None``.  A string keeps the estimator
        cloneable and its file free of code.
    C : float
        Inverse regularisation strength of the logistic regression.
    rule_weight : float
        Scale of the rule features against the n-gram features.
    ngram_range : tuple of int
        Word n-grams of the statement (Chinese words by jieba).
    min_df : int
        Minimum document frequency of an n-gram.
    class_weight : {"balanced", None}
    random_state : int
    tokenizer : {"default", "spacy", "hanlp"}, optional
        The word segmenter; ``None`` takes the session's
        (:func:`~positions.stance.tokenize.set_backend`) when fitting.  The
        model keeps the one it was fitted with (``tokenizer_``).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["We support a new treaty on cybercrime.", "There is no need for a new treaty on cybercrime.",
    ...                            "The Budapest Convention is effective.", "The Budapest Convention is outdated."],
    ...                   "target": ["new_treaty", "new_treaty", "budapest_convention", "budapest_convention"],
    ...                   "lang": "en"})
    >>> model = StanceClassifier().fit(X, ["favor", "against", "favor", "against"])
    >>> model.predict(X).tolist(), model.tokenizer_
    (['favor', 'against', 'favor', 'against'], 'default')
    """

    def __init__(self, codebook: str | None = None, C: float = 1.0, rule_weight: float = 6.0,
                 ngram_range: tuple[int, int] = (1, 1), min_df: int = 1,
                 class_weight: str | None = "balanced", random_state: int = 0, tokenizer: str | None = None) -> None:
        self.codebook = codebook
        self.C = C
        self.rule_weight = rule_weight
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.class_weight = class_weight
        self.random_state = random_state
        self.tokenizer = tokenizer

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """In Jupyter: the model card's summary for a trained model, scikit-learn's diagram otherwise."""
        if not isinstance(getattr(self, "card_", None), dict):
            return super()._repr_mimebundle_(**kwargs)
        return {"text/plain": repr(self), "text/html": card_html(self.card_)}

    def fit(self, X: pd.DataFrame, y) -> StanceClassifier:
        """Learn from statements ``X`` (``text``, ``target``, ``lang``) and stances ``y``."""
        X = _checked_input(X)
        y = np.asarray(y, dtype=object)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        unknown = sorted(set(y) - set(STANCES))
        if unknown:
            raise ValueError(f"unknown stance label(s) {unknown}; allowed: {list(STANCES)}")
        book = model_codebook(self)
        unknown_targets = sorted(set(X["target"].astype(str)) - set(book.target_ids))
        if unknown_targets:
            raise ValueError(f"unknown target(s) {unknown_targets}; the codebook {book.id!r} has "
                             f"{', '.join(book.target_ids)}")
        self.codebook_id_ = book.id
        self.targets_ = list(book.target_ids)
        self.tokenizer_ = self.tokenizer or default_backend()
        documents, rules = _features(X, book, self.tokenizer_)
        self.vectorizer_ = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", lowercase=True,
                                           ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                           sublinear_tf=True, dtype=np.float64)
        words = self.vectorizer_.fit_transform(documents)
        self.vectorizer_.__dict__.pop("_stop_words_id", None)  # a memory address: files would differ by run
        self.classifier_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000,
                                              random_state=self.random_state)
        with threadpool_limits(limits=1, user_api="blas"):  # same bytes on any core count; no thrashing under load
            self.classifier_.fit(_stack(words, rules, self.rule_weight), y)
        self.classes_ = self.classifier_.classes_
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of each stance in :attr:`classes_`, one row per statement."""
        check_is_fitted(self, "classifier_")
        X = _checked_input(X)
        if len(X) == 0:
            return np.zeros((0, len(self.classes_)))
        documents, rules = _features(X, model_codebook(self), getattr(self, "tokenizer_", "default"))
        return self.classifier_.predict_proba(_stack(self.vectorizer_.transform(documents), rules, self.rule_weight))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The most probable stance of each statement."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=object)

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
        candidates = _candidates(statements, model_codebook(self), exclude)
        if candidates.empty:
            return candidates.assign(predicted=pd.Series(dtype=str), confidence=pd.Series(dtype=float),
                                     uncertainty=pd.Series(dtype=float), stance=pd.Series(dtype=object),
                                     annotator=pd.Series(dtype=object))[_SUGGESTED]
        proba = self.predict_proba(candidates[["text", "target", "lang"]])
        ordered = np.sort(proba, axis=1)
        candidates["predicted"] = self.classes_[proba.argmax(axis=1)]
        candidates["confidence"] = ordered[:, -1]
        candidates["uncertainty"] = 1.0 - (ordered[:, -1] - ordered[:, -2])
        ranked = candidates.sort_values(["uncertainty", "doc_id", "para", "sent"],
                                        ascending=[False, True, True, True], kind="stable")
        chosen = ranked.loc[_spread(ranked, n)].reset_index(drop=True)
        chosen["stance"] = pd.Series([None] * len(chosen), dtype=object)
        chosen["annotator"] = pd.Series([None] * len(chosen), dtype=object)
        return chosen[_SUGGESTED]


def model_codebook(model=None) -> Codebook:
    """The codebook a model was built for; the default codebook for the rules (``"rules"``) or no model.

    Examples
    --------
    >>> model_codebook("rules").id
    'cybercrime'
    """
    if isinstance(model, StanceClassifier) and model.codebook:
        return Codebook.from_json(model.codebook)
    return load_codebook()


def model_id(model, codebook: Codebook | None = None) -> str:
    """The id of a model and its codebook, as the classified table's ``model`` column holds it.

    ``rules/<codebook>@<digest>`` for the rules, ``model-<12 hex>/<codebook>@<digest>``
    for a fitted model: the hex digits are a SHA-256 of what it learnt
    (vocabulary and coefficients), so the same model has the same id however
    it was loaded.

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
    learnt.update("\n".join(sorted(model.vectorizer_.vocabulary_)).encode("utf-8"))
    for array in (model.classifier_.coef_, model.classifier_.intercept_):
        learnt.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return f"model-{learnt.hexdigest()[:12]}/{book.id}@{book.digest[:8]}"


def _checked_input(X) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a DataFrame with columns text, target and lang; got {type(X).__name__}")
    missing = [c for c in ("text", "target", "lang") if c not in X.columns]
    if missing:
        raise ValueError(f"X is missing column(s) {missing}; it needs text, target and lang")
    return X


def _features(X: pd.DataFrame, book: Codebook, tokenizer: str) -> tuple[list[str], np.ndarray]:
    book_json = book.to_json()
    pairs = [_row_features(text, target, "zh" if lang == "zh" else "en", book_json, tokenizer)
             for text, target, lang in zip(X["text"].astype(str), X["target"].astype(str), X["lang"].astype(str))]
    documents = [document for document, _ in pairs]
    rows = np.asarray([row for _, row in pairs], dtype=np.float64).reshape(len(pairs), len(_RULE_FEATURES))
    return documents, rows


@lru_cache(maxsize=100_000)
def _row_features(text: str, target: str, lang: str, book_json: str,
                  tokenizer: str) -> tuple[str, tuple[float, ...]]:
    """Words and rule scores of one statement about one target (cached: folds share them)."""
    cues = cached_cues(text, target, lang, book_json)  # a target outside the codebook: no rule scores
    score = sum(c.score for c in cues)
    label = stance_label(score)
    row = (
        max(-3.0, min(3.0, score)) / 3.0,
        min(3.0, sum(c.score for c in cues if c.score > 0)) / 3.0,
        min(3.0, -sum(c.score for c in cues if c.score < 0)) / 3.0,
        min(3.0, sum(1 for c in cues if c.polarity == 0)) / 3.0,
        float(any(c.why in ("negated", "rebutted", "governed") for c in cues)),
        float(label == "favor"), float(label == "against"), float(label == "neutral"),
    )
    marked = _marked(text, target, lang, Codebook.from_json(book_json))
    return " ".join(tokenize(marked, lang, tokenizer)), row


def _marked(text: str, target: str, lang: str, book: Codebook) -> str:
    """The statement with the target's mentions replaced by TGT and other targets' by OTHER."""
    if target not in book.targets:
        return text
    out, last = [], 0
    for mention in find_mentions(text, lang, book, named_before={target: 0}):
        if mention.start < last:
            continue
        out.append(text[last:mention.start])
        out.append(" TGT " if mention.target == target else " OTHER ")
        last = mention.end
    out.append(text[last:])
    return "".join(out)


def _stack(words, rules: np.ndarray, rule_weight: float):
    from scipy import sparse

    return sparse.hstack([words, sparse.csr_matrix(rules * rule_weight)], format="csr")


def _candidates(statements: pd.DataFrame, book: Codebook, exclude: pd.DataFrame | None) -> pd.DataFrame:
    """The (statement, target) pairs the codebook detects, less those already annotated."""
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


def _spread(ranked: pd.DataFrame, n: int) -> list:
    """Up to ``n`` of the ranked candidates: a new paragraph first, then the target and document seen least."""
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


def card_html(card: dict) -> str:
    """A model card's summary as HTML: what the model is, what it learnt from, how well it does.

    Examples
    --------
    >>> import positions as pos
    >>> "new_treaty" in card_html(pos.load_model().card_)
    True
    """
    esc = html.escape
    training = card["training"]
    summary = pd.DataFrame(card["metrics"]["summary"])
    overall = summary[summary["lang"] == "all"][["target", "n", "f_avg", "macro_f1", "accuracy"]]
    table = overall.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="–", border=0)
    sessions = "; ".join(f"{body} {', '.join(map(str, numbers[:3]))}{'…' if len(numbers) > 3 else ''}"
                         for body, numbers in training["sessions"].items())
    return (f"<div><strong>{esc(card['model'])}</strong><br>"
            f"<small>codebook {esc(card['codebook']['id'])} v{card['codebook']['version']}; trained on "
            f"{training['statements']} annotated statement-target pairs from {len(training['documents'])} documents "
            f"({esc(', '.join(f'{k} {v}' for k, v in training['languages'].items()))}); sessions: {esc(sessions)}"
            f"</small><br>Cross-validated ({esc(card['metrics']['cross_validation'])}):{table}</div>")
