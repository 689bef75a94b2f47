"""Words of a statement: jieba for Chinese, a regular expression for English.

One named, importable function (:func:`tokenize`) so that models reload it by
name.  Optional back ends, a spaCy pipeline or HanLP, are chosen per model
(``StanceClassifier(tokenizer="spacy")``, recorded in its card) or for the
session with :func:`set_backend`; they are imported lazily through
:func:`~positions.base.errors.optional_import`, which fails with an actionable
message.
"""

from __future__ import annotations

import importlib
import logging
import re

from ..base.errors import optional_import

__all__ = ["BACKENDS", "default_backend", "set_backend", "tokenize"]

BACKENDS = ("default", "spacy", "hanlp")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]", re.UNICODE)
_state = {"backend": "default", "spacy_model": None, "nlp": None}


def set_backend(name: str = "default", model: str | None = None) -> None:
    """Choose the session's word segmenter: ``default`` (jieba / regex), ``spacy`` or ``hanlp``.

    Models trained from now on use it (and record it in their card); a model
    keeps the segmenter it was trained with.

    Parameters
    ----------
    name : {"default", "spacy", "hanlp"}
    model : str, optional
        For ``spacy``: an installed pipeline name (``zh_core_web_sm``); without
        it a blank pipeline of the statement's language is used.  For
        ``hanlp``: a pretrained tokenizer identifier available offline.

    Examples
    --------
    >>> set_backend("default")
    >>> tokenize("We support it.", "en")
    ['we', 'support', 'it', '.']
    """
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {name!r}")
    if name == "spacy":
        optional_import("spacy", "spacy")
    elif name == "hanlp":
        optional_import("hanlp", "hanlp")
    _state.update(backend=name, spacy_model=model, nlp=None)


def default_backend() -> str:
    """The session's segmenter, as :func:`set_backend` left it (``default`` unless changed).

    Examples
    --------
    >>> default_backend()
    'default'
    """
    return _state["backend"]


def tokenize(text: str, lang: str, backend: str | None = None) -> list[str]:
    """Lower-cased words and punctuation of ``text``.

    Chinese is segmented by jieba's bundled dictionary (no download); other
    languages by a Unicode word pattern.  ``backend`` (default: the
    session's, :func:`default_backend`) picks another segmenter.

    Examples
    --------
    >>> tokenize("许多发言者认为不需要新的法律文书", "zh")[:4]
    ['许多', '发言者', '认为', '不']
    >>> tokenize("No need for a U.N. treaty", "en")
    ['no', 'need', 'for', 'a', 'u', '.', 'n', '.', 'treaty']
    """
    backend = backend or _state["backend"]
    if backend == "spacy":
        return [t.lower_ for t in _spacy(lang)(text) if not t.is_space]
    if backend == "hanlp" and lang == "zh":
        return [w.lower() for w in _hanlp()(text)]
    if lang == "zh":
        return [w.lower() for w in _jieba().lcut(text, HMM=False) if w.strip()]
    return [w.lower() for w in _WORD.findall(text)]


def _jieba():
    jieba = importlib.import_module("jieba")
    if not getattr(jieba, "_positions_quiet", False):
        jieba.setLogLevel(logging.WARNING)
        jieba._positions_quiet = True
    return jieba


def _spacy(lang: str):
    spacy = optional_import("spacy", "spacy")
    if _state["nlp"] is None or _state["nlp"].lang != (lang if not _state["spacy_model"] else _state["nlp"].lang):
        _state["nlp"] = spacy.load(_state["spacy_model"]) if _state["spacy_model"] else spacy.blank(lang)
    return _state["nlp"]


def _hanlp():
    if _state["nlp"] is None:
        hanlp = optional_import("hanlp", "hanlp")
        _state["nlp"] = hanlp.load(_state["spacy_model"] or hanlp.pretrained.tok.COARSE_ELECTRA_SMALL_ZH)
    return _state["nlp"]
