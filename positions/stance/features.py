"""What the stance learner sees of a statement: words, characters and the rules' cues, crossed with the target.

Each (statement, target) row becomes one sparse vector in two blocks:

- a shared block: word 1-3 grams of the statement with the target's mention
  replaced by ``TGT`` (Chinese words segmented by
  :func:`positions.stance.tokenize.tokenize`), character n-grams (English
  2-5 within words, Chinese characters 1-4) and the rules' scores
  (:mod:`positions.stance.rules`);
- the same features again in the target's own block, so that a word can mean
  favor for one target and against for another.  A target the model never saw
  in training has an empty block of its own and is read by the shared block.

:func:`fit_vectorizers` learns the vocabularies; :func:`transform` builds the
matrix.  Only scikit-learn's ``TfidfVectorizer`` is kept, so a model file
holds no code.
"""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..read.metadata import detect_lang
from .codebook import Codebook
from .rules import cached_cues, stance_label
from .targets import find_mentions
from .tokenize import tokenize

__all__ = ["RULE_FEATURES", "VocabularyArrays", "fit_vectorizers", "languages", "packed_vocabularies",
           "row_cache_clear", "row_texts", "transform", "unpacked_vocabularies"]

RULE_FEATURES = ["score", "favor", "against", "neutral", "negated", "rule_favor", "rule_against", "rule_neutral"]
_CHARS = {"en": ("char_wb", (2, 5)), "zh": ("char", (1, 4))}


def languages(X: pd.DataFrame) -> list[str]:
    """``zh`` or ``en`` for each row: the ``lang`` column where there is one, detected where not.

    Examples
    --------
    >>> languages(pd.DataFrame({"text": ["我们支持。", "We support it."]}))
    ['zh', 'en']
    """
    if "lang" in X.columns:
        given = X["lang"].astype(object).where(X["lang"].notna(), None).tolist()
    else:
        given = [None] * len(X)
    texts = X["text"].astype(str).tolist()
    return ["zh" if (lang if lang is not None else detect_lang(text)) == "zh" else "en"
            for lang, text in zip(given, texts)]


def row_texts(X: pd.DataFrame, book: Codebook, tokenizer: str) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Languages, segmented words, raw text and rule scores of each row (cached: folds share them).

    Examples
    --------
    >>> from positions.stance.codebook import load_codebook
    >>> X = pd.DataFrame({"text": ["We support a new treaty."], "target": ["new_treaty"], "lang": ["en"]})
    >>> langs, words, texts, rules = row_texts(X, load_codebook(), "default")
    >>> words[0], rules.shape
    ('we support a tgt .', (1, 8))
    """
    langs = languages(X)
    book_json = book.to_json()
    rows = [_row(text, target, lang, book_json, tokenizer)
            for text, target, lang in zip(X["text"].astype(str), X["target"].astype(str), langs)]
    words = [w for w, _, _ in rows]
    texts = [t for _, t, _ in rows]
    rules = np.asarray([r for _, _, r in rows], dtype=np.float64).reshape(len(rows), len(RULE_FEATURES))
    return langs, words, texts, rules


@lru_cache(maxsize=100_000)
def _row(text: str, target: str, lang: str, book_json: str, tokenizer: str) -> tuple[str, str, tuple[float, ...]]:
    cues = cached_cues(text, target, lang, book_json) if target in _targets(book_json) else ()
    score = sum(c.score for c in cues)
    label = stance_label(score)
    rules = (
        max(-3.0, min(3.0, score)) / 3.0,
        min(3.0, sum(c.score for c in cues if c.score > 0)) / 3.0,
        min(3.0, -sum(c.score for c in cues if c.score < 0)) / 3.0,
        min(3.0, sum(1 for c in cues if c.polarity == 0)) / 3.0,
        float(any(c.why in ("negated", "rebutted", "governed") for c in cues)),
        float(label == "favor" and bool(cues)), float(label == "against"), float(label == "neutral" and bool(cues)),
    )
    marked = _marked(text, target, lang, Codebook.from_json(book_json))
    return " ".join(tokenize(marked, lang, tokenizer)).lower(), marked.lower(), rules


def row_cache_clear() -> None:
    """Forget the cached features of every row (benchmarks time them afresh).

    Examples
    --------
    >>> row_cache_clear()
    """
    _row.cache_clear()


@lru_cache(maxsize=16)
def _targets(book_json: str) -> frozenset:
    return frozenset(Codebook.from_json(book_json).target_ids)


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


def fit_vectorizers(langs: list[str], words: list[str], texts: list[str], ngram_range: tuple[int, int],
                    min_df: int) -> dict:
    """The word vectorizer and one character vectorizer per language present, fitted.

    Examples
    --------
    >>> sorted(fit_vectorizers(["en"], ["we support tgt"], ["we support it"], (1, 3), 1))
    ['char_en', 'words']
    """
    vectorizers = {"words": _tfidf("word", tuple(ngram_range), min_df).fit(words)}
    for lang, (analyzer, ngrams) in _CHARS.items():
        own = [t for t, language in zip(texts, langs) if language == lang]
        if own:
            vectorizers[f"char_{lang}"] = _tfidf(analyzer, ngrams, min_df).fit(own)
    for vectorizer in vectorizers.values():
        vectorizer.__dict__.pop("_stop_words_id", None)  # a memory address: files would differ by run
    return vectorizers


def _tfidf(analyzer: str, ngrams: tuple[int, int], min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, token_pattern=r"\S+" if analyzer == "word" else None,
                           lowercase=False, ngram_range=ngrams, min_df=min_df, sublinear_tf=True, dtype=np.float64)


def transform(vectorizers: dict, langs: list[str], words: list[str], texts: list[str], rules: np.ndarray,
              targets: list[str], known: list[str], rule_weight: float,
              shared_weight: float = 1.0) -> sparse.csr_matrix:
    """The shared block (scaled by ``shared_weight``), then one block per known target: the row's features again.

    Examples
    --------
    >>> vectorizers = fit_vectorizers(["en"], ["we support tgt"], ["we support it"], (1, 1), 1)
    >>> m = transform(vectorizers, ["en"], ["we support tgt"], ["we support it"], np.zeros((1, 8)),
    ...               ["a"], ["a", "b"], 1.0)
    >>> m.shape[1] == 3 * (m.shape[1] // 3), m.nnz == 2 * transform(vectorizers, ["en"], ["we support tgt"],
    ...     ["we support it"], np.zeros((1, 8)), ["c"], ["a", "b"], 1.0).nnz
    (True, True)
    """
    blocks = [vectorizers["words"].transform(words)]
    for lang in _CHARS:
        vectorizer = vectorizers.get(f"char_{lang}")
        if vectorizer is not None:
            blocks.append(vectorizer.transform([t if language == lang else "" for t, language in zip(texts, langs)]))
    blocks.append(sparse.csr_matrix(rules * rule_weight))
    shared = sparse.hstack(blocks, format="csr")
    shared.sort_indices()
    index = {target: i for i, target in enumerate(known)}
    which = np.asarray([index.get(t, -1) for t in targets], dtype=np.int64)
    width = shared.shape[1]
    rows = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    keep = which[rows] >= 0
    crossed = sparse.csr_matrix((shared.data[keep], (rows[keep], shared.indices[keep] + width * which[rows][keep])),
                                shape=(shared.shape[0], width * len(known)))
    return sparse.hstack([shared * shared_weight, crossed], format="csr")


def packed_vocabularies(state: dict) -> dict:
    """A model's state with each vectorizer's vocabulary as an array of its terms, in column order (for a file).

    A vocabulary dict of tens of thousands of terms is as many objects in a
    skops file, each listed and checked on loading (a second); one array of
    strings loads at once.  :func:`unpacked_vocabularies` turns it back.

    Examples
    --------
    >>> state = {"vectorizers_": fit_vectorizers(["en"], ["we support tgt"], ["we"], (1, 1), 1)}
    >>> packed = packed_vocabularies(state)
    >>> packed["vocabularies_"]["words"].tolist(), "vocabulary_" in packed["vectorizers_"]["words"].__dict__
    (['support', 'tgt', 'we'], False)
    >>> unpacked_vocabularies(packed)["vectorizers_"]["words"].vocabulary_ == state["vectorizers_"]["words"].vocabulary_
    True
    """
    vectorizers = state.get("vectorizers_")
    if not vectorizers:
        return state
    bare, vocabularies = {}, {}
    for name, vectorizer in vectorizers.items():
        bare[name] = copy.copy(vectorizer)
        vocabulary = bare[name].__dict__.pop("vocabulary_")
        vocabularies[name] = np.array(sorted(vocabulary, key=vocabulary.__getitem__), dtype=str)
    return {**state, "vectorizers_": bare, "vocabularies_": vocabularies}


def unpacked_vocabularies(state: dict) -> dict:
    """The state :func:`packed_vocabularies` made, with the vocabularies as dicts again (others stay as they are).

    Examples
    --------
    >>> packed = packed_vocabularies({"vectorizers_": fit_vectorizers(["en"], ["we support tgt"], ["we"], (1, 1), 1)})
    >>> unpacked_vocabularies(packed)["vectorizers_"]["words"].vocabulary_
    {'support': 0, 'tgt': 1, 'we': 2}
    """
    vocabularies = state.pop("vocabularies_", None)
    for name, terms in (vocabularies or {}).items():
        state["vectorizers_"][name].vocabulary_ = {term: i for i, term in enumerate(terms.tolist())}
    return state


class VocabularyArrays:
    """Mixin of a model with ``vectorizers_``: its state (pickle, skops) holds the vocabularies as arrays.

    Examples
    --------
    >>> from copy import deepcopy
    >>> from sklearn.base import BaseEstimator
    >>> class Model(VocabularyArrays, BaseEstimator):
    ...     pass
    >>> model = Model()
    >>> model.vectorizers_ = fit_vectorizers(["en"], ["we support tgt"], ["we"], (1, 1), 1)
    >>> sorted(model.__getstate__()["vocabularies_"]), deepcopy(model).vectorizers_["words"].vocabulary_
    (['char_en', 'words'], {'support': 0, 'tgt': 1, 'we': 2})
    """

    def __getstate__(self) -> dict:
        return packed_vocabularies(super().__getstate__())

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(unpacked_vocabularies(state))
