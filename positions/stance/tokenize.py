"""Words of a statement: jieba for Chinese, a regular expression for English.

One named, importable function (:func:`tokenize`) so that models reload it by
name.  Optional back ends, a spaCy pipeline or HanLP, are chosen per model
(``StanceClassifier(tokenizer="spacy")``, recorded in its card) or for the
session with :func:`set_backend`; they are imported lazily through
:func:`~positions.base.errors.optional_import`, which fails with an actionable
message.  HanLP (``pip install "positions[hanlp]"``) loads its tokenizer from a
local directory (:func:`hanlp_model_dir`), never from the internet.
"""

from __future__ import annotations

import importlib
import logging
import os
import re

from ..base.config import DEFAULT_CONFIG, Config
from ..base.errors import optional_import

__all__ = ["BACKENDS", "HANLP_HOWTO", "default_backend", "hanlp_model_dir", "set_backend", "tokenize"]

BACKENDS = ("default", "spacy", "hanlp")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]", re.UNICODE)
_state = {"backend": "default", "spacy_model": None, "nlp": None}
HANLP_HOWTO = ("on a machine with internet, pip install \"positions[hanlp]\" and run python -c \"import hanlp; "
               "hanlp.load(hanlp.pretrained.tok.COARSE_ELECTRA_SMALL_ZH)\", copy the folder it saved under "
               "~/.hanlp/tok/ to this machine and set POSITIONS_HANLP_MODEL (or Config(hanlp_model=...)) to it")
"""How to get a HanLP tokenizer onto an offline machine: the end of the error when none is configured."""


def hanlp_model_dir(model: str | None = None, config: Config = DEFAULT_CONFIG) -> str:
    """The local directory of the HanLP tokenizer: ``model``, else ``config.hanlp_model``, else ``$POSITIONS_HANLP_MODEL``.

    Raises
    ------
    ValueError
        None is configured, or the directory does not exist; one line that
        says how to get a model onto an offline machine (:data:`HANLP_HOWTO`).

    Examples
    --------
    >>> hanlp_model_dir("/nowhere/hanlp-tok")
    Traceback (most recent call last):
    ...
    ValueError: HanLP model directory /nowhere/hanlp-tok does not exist; on a machine with internet, ...
    """
    directory = model or config.hanlp_model or os.environ.get("POSITIONS_HANLP_MODEL")
    if not directory:
        raise ValueError(f"the hanlp word segmenter needs a model directory, and none is configured; {HANLP_HOWTO}")
    if not os.path.isdir(directory):
        raise ValueError(f"HanLP model directory {directory} does not exist; {HANLP_HOWTO}")
    return directory


def set_backend(name: str = "default", model: str | None = None, config: Config = DEFAULT_CONFIG) -> None:
    """Choose the session's word segmenter: ``default`` (jieba / regex), ``spacy`` or ``hanlp``.

    Models trained from now on use it (and record it in their card); a model
    keeps the segmenter it was trained with.

    Parameters
    ----------
    name : {"default", "spacy", "hanlp"}
    model : str, optional
        For ``spacy``: an installed pipeline name (``zh_core_web_sm``); without
        it a blank pipeline of the statement's language is used.  For
        ``hanlp``: the directory of a saved HanLP tokenizer
        (:func:`hanlp_model_dir`).
    config : Config
        For ``hanlp``: its ``hanlp_model`` when ``model`` is not given.

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
        model = hanlp_model_dir(model, config)
        optional_import("hanlp", '"positions[hanlp]"')
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
        directory = hanlp_model_dir(_state["spacy_model"])
        hanlp = optional_import("hanlp", '"positions[hanlp]"')
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a transformer inside the model is read from the disk too
        _state["nlp"] = hanlp.load(directory)
    return _state["nlp"]
