"""Stance on a target: rules that explain themselves, and a model that learns on top of them.

The rules (:func:`stance_cues`) read a statement clause by clause, keep the
clauses that speak of the target (and those that speak of no target), and
score each stance cue of ``resources/stance.yaml`` and of the codebook:

- a negator just before a cue turns it round (不支持, "do not support");
- a verb of opposing, or 不需要 / "no need", absorbs the cues after it in its
  clause ("objected to the idea that a new instrument was needed" is against);
- a rebuttal turns its clause round (反对制定全球文书是不合理的 is favour);
- a clause after 但 / "but" weighs double, one opened by 尽管 / "although" half.

:class:`StanceClassifier` is a scikit-learn estimator: a logistic regression
over the rules' scores and word n-grams of the statement (Chinese segmented
with :func:`positions.tokenize.tokenize`), with the target's mention replaced
by a marker so that the words around it carry the signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .codebook import STANCES, Codebook, load_codebook
from .targets import find_mentions
from .tokenize import tokenize

__all__ = ["Cue", "StanceClassifier", "explain_stance", "rule_stance", "stance_cues"]

_KINDS = ("favor", "against", "weak_favor", "negators", "governors", "rebuttals", "contrast", "concession", "neutral")
_CLAUSE_END = {"zh": r"[，,；;：:。！？!?]", "en": r"[,;:.!?](?=\s|$)|\s[–—-]\s"}


@dataclass(frozen=True)
class Cue:
    """A stance cue found in a statement, with the weight the rules gave it.

    ``polarity`` is +1 (favour), -1 (against) or 0 (a neutral, reporting cue);
    ``why`` says how the rules read it: ``cue``, ``negated``, ``governed``
    (absorbed by a verb of opposing: weight 0), ``rebutted``.

    Examples
    --------
    >>> stance_cues("There is no need for a new treaty on cybercrime.", "new_treaty", "en")
    [Cue(start=9, end=16, text='no need', polarity=-1, weight=1.0, why='cue')]
    """

    start: int
    end: int
    text: str
    polarity: int
    weight: float
    why: str

    @property
    def score(self) -> float:
        """Signed contribution to the statement's stance."""
        return self.polarity * self.weight


class _Lexicon:
    def __init__(self, book: Codebook, lang: str) -> None:
        shared = _shared_lexicon()[lang]
        self.patterns = {kind: _union(shared.get(kind, [])) for kind in _KINDS}
        self.targets = {
            target: {kind: _union(book.cues(target, kind, lang)) for kind in ("favor", "against")}
            for target in book.target_ids
        }
        self.clause_end = re.compile(_CLAUSE_END[lang])


@lru_cache(maxsize=1)
def _shared_lexicon() -> dict:
    import yaml

    return yaml.safe_load(_lexicon_text())


def _lexicon_text() -> str:
    return resources.files("positions").joinpath("resources/stance.yaml").read_text(encoding="utf-8")


def lexicon_digest() -> str:
    """SHA-256 (16 hex digits) of the shared stance cues; model cards record it.

    Examples
    --------
    >>> len(lexicon_digest())
    16
    """
    import hashlib

    return hashlib.sha256(_lexicon_text().encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=32)
def _lexicon(book_json: str, lang: str) -> _Lexicon:
    return _Lexicon(Codebook.from_json(book_json), lang)


def _union(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _clauses(text: str, lexicon: _Lexicon) -> list[tuple[int, int, float]]:
    """Clause spans with their weights.

    A clause opened by a contrast word (但, "but") weighs 2, and so do the
    clauses after it up to the next semicolon or full stop; a clause opened
    by a concession word (尽管, "although", "while") weighs 0.5; others 1.
    """
    cuts = {0, len(text)}
    cuts.update(m.end() for m in lexicon.clause_end.finditer(text))
    for kind in ("contrast", "concession"):
        if lexicon.patterns[kind]:
            cuts.update(m.start() for m in lexicon.patterns[kind].finditer(text))
    bounds = sorted(cuts)
    spans = []
    in_contrast = False
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        opening = piece.lstrip(" ，,；;：:、")
        if re.search(r"[；;。.!?！？]\s*$", text[:start]):
            in_contrast = False
        if lexicon.patterns["contrast"] and lexicon.patterns["contrast"].match(opening):
            in_contrast = True
        conceding = bool(lexicon.patterns["concession"] and lexicon.patterns["concession"].match(opening))
        weight = 0.5 if conceding else 2.0 if in_contrast else 1.0
        if piece.strip():
            spans.append((start, end, weight))
    return spans


def stance_cues(text: str, target: str, lang: str, codebook: Codebook | None = None) -> list[Cue]:
    """The stance cues the rules read in a statement about ``target``.

    Parameters
    ----------
    text : str
        The statement.
    target : str
        A target id of the codebook.
    lang : {"zh", "en"}
    codebook : Codebook, optional

    Returns
    -------
    list of Cue
        In order of position; their scores sum to the rules' stance score.

    Examples
    --------
    >>> [(c.text, c.polarity, c.why) for c in stance_cues(
    ...     "一名发言者说，因为存在一项区域条约而反对制定全球文书是不合理的。", "new_treaty", "zh")]
    [('反对', 1, 'rebutted')]
    >>> [(c.text, c.why) for c in stance_cues("They did not support a new treaty on cybercrime.", "new_treaty", "en")]
    [('support', 'negated')]
    """
    book = codebook or load_codebook()
    if target not in book.targets:
        raise ValueError(f"unknown target {target!r}; the codebook {book.id!r} has {', '.join(book.target_ids)}")
    lang = "zh" if lang == "zh" else "en"
    lexicon = _lexicon(book.to_json(), lang)
    mentions = find_mentions(text, lang, book, named_before={target: 0})
    mine = [(m.start, m.end) for m in mentions if m.target == target]
    others = [(m.start, m.end) for m in mentions if m.target != target]
    cues: list[Cue] = []
    for start, end, weight in _clauses(text, lexicon):
        speaks_of_mine = any(s < end and start < e for s, e in mine)
        speaks_of_other = any(s < end and start < e for s, e in others)
        if speaks_of_other and not speaks_of_mine:
            continue
        cues.extend(c for c in _clause_cues(text, start, end, weight, target, lexicon, lang)
                    if not any(c.start < e and s < c.end for s, e in mine))
    rebuttals = lexicon.patterns["rebuttals"]
    last = max((m.end() for m in rebuttals.finditer(text)), default=None) if rebuttals else None
    if last is not None:
        cues = [Cue(c.start, c.end, c.text, -c.polarity, c.weight, "rebutted")
                if c.polarity and c.weight and c.start < last + _WINDOW[lang] else c for c in cues]
    return cues


_WINDOW = {"zh": 12, "en": 40}
_SOURCES = (("governors", -1), ("against", -1), ("favor", 1), ("weak_favor", 1), ("neutral", 0))


def _clause_cues(text: str, start: int, end: int, weight: float, target: str, lexicon: _Lexicon,
                 lang: str) -> list[Cue]:
    clause = text[start:end]
    found: list[tuple[int, int, int, str, int]] = []
    for kind, polarity in _SOURCES:
        for priority, pattern in enumerate((lexicon.targets[target].get(kind), lexicon.patterns.get(kind))):
            if pattern is None:
                continue
            for m in pattern.finditer(clause):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), priority, kind, polarity))
    chosen: list[tuple[int, int, int, str, int]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[2], f[0])):
        if not any(item[0] < c[1] and c[0] < item[1] for c in chosen):
            chosen.append(item)
    chosen.sort()
    rebuttals = [m.span() for m in lexicon.patterns["rebuttals"].finditer(clause)] if lexicon.patterns["rebuttals"] else []
    negators = [m.span() for m in lexicon.patterns["negators"].finditer(clause)] if lexicon.patterns["negators"] else []
    negators = [(ns, ne) for ns, ne in negators  # a negator inside a cue or a rebuttal is part of it
                if not any(ns < c[1] and c[0] < ne for c in chosen) and not any(ns < e and s < ne for s, e in rebuttals)]
    window = _WINDOW[lang]
    cues: list[Cue] = []
    governed_until = -1
    for s, e, _, kind, polarity in chosen:
        why = "cue"
        strength = weight * (0.5 if kind == "weak_favor" else 1.0)
        if polarity and s < governed_until:
            why, strength = "governed", 0.0
        elif polarity:
            open_negators = [ne for ns, ne in negators if ne <= s and s - ne <= window
                             and not any(ne <= c.start - start < s for c in cues if c.polarity)]
            if open_negators:
                polarity, why = -polarity, "negated"
        if kind == "governors" and why != "governed":
            governed_until = e + window * 2
        cues.append(Cue(start + s, start + e, clause[s:e], polarity, strength, why))
    return cues


def rule_stance(text: str, target: str, lang: str, codebook: Codebook | None = None) -> tuple[str, float]:
    """The rules' stance and score (favour positive) for one statement and target.

    Examples
    --------
    >>> rule_stance("许多发言者认为不需要就网络犯罪问题制定新的法律文书。", "new_treaty", "zh")
    ('against', -1.0)
    >>> rule_stance("Several speakers said that the Budapest Convention was outdated, but others praised it.",
    ...             "budapest_convention", "en")
    ('favor', 1.0)
    """
    score = sum(c.score for c in stance_cues(text, target, lang, codebook))
    return _label(score), float(score)


def _label(score: float) -> str:
    return "favor" if score >= 0.75 else "against" if score <= -0.75 else "neutral"


def explain_stance(text: str, target: str, lang: str, codebook: Codebook | None = None) -> dict:
    """Why the rules gave their stance: the cues, how each was read, and the sum.

    Returns
    -------
    dict
        ``stance``, ``score`` and ``cues``: a list of ``(text, label, why,
        score)`` where label is the cue's stance after negation, opposition
        and rebuttal, and the cues' scores sum to ``score``.

    Examples
    --------
    >>> explain_stance("另有发言者则表示倾向于不改动也不删除主要结论和备选案文。", "draft_study", "zh")["cues"]
    [('倾向于', 'favor', 'cue', 1.0), ('不改动也不删除', 'favor', 'cue', 1.0)]
    """
    cues = stance_cues(text, target, lang, codebook)
    score = sum(c.score for c in cues)
    labels = {1: "favor", -1: "against", 0: "neutral"}
    return {"stance": _label(score), "score": float(score),
            "cues": [(c.text, labels[c.polarity], c.why, c.score) for c in cues]}


# -- the learned model ---------------------------------------------------------------------------

_RULE_FEATURES = ["score", "favor", "against", "neutral", "negated", "rule_favor", "rule_against", "rule_neutral"]


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

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"text": ["We support a new treaty on cybercrime.", "There is no need for a new treaty on cybercrime.",
    ...                            "The Budapest Convention is effective.", "The Budapest Convention is outdated."],
    ...                   "target": ["new_treaty", "new_treaty", "budapest_convention", "budapest_convention"],
    ...                   "lang": "en"})
    >>> model = StanceClassifier().fit(X, ["favor", "against", "favor", "against"])
    >>> model.predict(X).tolist()
    ['favor', 'against', 'favor', 'against']
    """

    def __init__(self, codebook: str | None = None, C: float = 1.0, rule_weight: float = 6.0,
                 ngram_range: tuple[int, int] = (1, 1), min_df: int = 1,
                 class_weight: str | None = "balanced", random_state: int = 0) -> None:
        self.codebook = codebook
        self.C = C
        self.rule_weight = rule_weight
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.class_weight = class_weight
        self.random_state = random_state

    def _book(self) -> Codebook:
        return Codebook.from_json(self.codebook) if self.codebook else load_codebook()

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """In Jupyter: the model card's summary for a trained model, scikit-learn's diagram otherwise."""
        if not isinstance(getattr(self, "card_", None), dict):
            return super()._repr_mimebundle_(**kwargs)
        from .display import card_html

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
        book = self._book()
        unknown_targets = sorted(set(X["target"].astype(str)) - set(book.target_ids))
        if unknown_targets:
            raise ValueError(f"unknown target(s) {unknown_targets}; the codebook {book.id!r} has "
                             f"{', '.join(book.target_ids)}")
        self.codebook_id_ = book.id
        self.targets_ = list(book.target_ids)
        documents, rules = _features(X, book)
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
        documents, rules = _features(X, self._book())
        return self.classifier_.predict_proba(_stack(self.vectorizer_.transform(documents), rules, self.rule_weight))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The most probable stance of each statement."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=object)

    def suggest(self, statements: pd.DataFrame, n: int = 20, exclude: pd.DataFrame | None = None) -> pd.DataFrame:
        """The statements most worth annotating next; see :func:`positions.classified.suggest`."""
        from .classified import suggest

        return suggest(statements, n=n, model=self, exclude=exclude)


def _checked_input(X) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a DataFrame with columns text, target and lang; got {type(X).__name__}")
    missing = [c for c in ("text", "target", "lang") if c not in X.columns]
    if missing:
        raise ValueError(f"X is missing column(s) {missing}; it needs text, target and lang")
    return X


def _features(X: pd.DataFrame, book: Codebook) -> tuple[list[str], np.ndarray]:
    book_json = book.to_json()
    pairs = [_row_features(text, target, "zh" if lang == "zh" else "en", book_json)
             for text, target, lang in zip(X["text"].astype(str), X["target"].astype(str), X["lang"].astype(str))]
    documents = [document for document, _ in pairs]
    rows = np.asarray([row for _, row in pairs], dtype=np.float64).reshape(len(pairs), len(_RULE_FEATURES))
    return documents, rows


@lru_cache(maxsize=100_000)
def _row_features(text: str, target: str, lang: str, book_json: str) -> tuple[str, tuple[float, ...]]:
    """Words and rule scores of one statement about one target (cached: folds share them)."""
    book = Codebook.from_json(book_json)
    cues = stance_cues(text, target, lang, book) if target in book.targets else []  # unknown: no rule scores
    score = sum(c.score for c in cues)
    label = _label(score)
    row = (
        max(-3.0, min(3.0, score)) / 3.0,
        min(3.0, sum(c.score for c in cues if c.score > 0)) / 3.0,
        min(3.0, -sum(c.score for c in cues if c.score < 0)) / 3.0,
        min(3.0, sum(1 for c in cues if c.polarity == 0)) / 3.0,
        float(any(c.why in ("negated", "rebutted", "governed") for c in cues)),
        float(label == "favor"), float(label == "against"), float(label == "neutral"),
    )
    return " ".join(tokenize(_marked(text, target, lang, book), lang)), row


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
