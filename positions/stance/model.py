"""Stance models on disk: skops files with a model card, loaded only from trusted types.

A model file is untrusted input (users e-mail them to each other).  It is a
skops archive; :func:`load_model` lists the types the file would create and
refuses the file, without running anything from it, unless every one of them
is in :data:`TRUSTED_TYPES`.  Pickle and joblib are never used.

Files are byte-for-byte reproducible: the same annotations, corpus, codebook,
parameters and library versions give the same file hash (the zip entries carry
a fixed date).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
import zipfile
from pathlib import Path

from ..base.config import data_path
from ..base.errors import InputError
from ..base.output import atomic_path
from .codebook import Codebook
from .learner import StanceClassifier
from .rules import lexicon_digest
from .tokenize import default_backend

__all__ = ["MODEL_FORMAT", "MODEL_MAX_BYTES", "TRUSTED_TYPES", "load_model", "save_model", "shipped_model_path"]

MODEL_FORMAT = 3  # 2: the target-aware learner (issue 16); 3: its vocabularies as arrays (issue 17), loads faster
READ_FORMATS = (2, 3)  # files of format 1 are refused: retrain them
SHIPPED_MODEL = "stance-cybercrime.skops"
MODEL_MAX_BYTES = 1_000_000_000  # a model file unpacking to more is refused unread (the shipped one: 1.2 MB)

# Types a positions model file may create beyond the plain ones skops always trusts
# (numbers, strings, lists, dicts, NumPy arrays).  Nothing else is ever loaded.
TRUSTED_TYPES = [
    "positions.stance.learner.StanceClassifier",
    "positions.stance.StanceClassifier",  # its name before version 0.2 (the package positions.stance finds it)
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.svm._classes.LinearSVC",
]


def save_model(model: StanceClassifier, path: str | os.PathLike) -> str:
    """Write a fitted model as a skops file, whole or not at all; returns its SHA-256.

    Examples
    --------
    >>> import os, tempfile, pandas as pd
    >>> X = pd.DataFrame({"text": ["We support it.", "We oppose it."], "target": "new_treaty", "lang": "en"})
    >>> model = StanceClassifier().fit(X, ["favor", "against"])
    >>> model.card_ = {"format": MODEL_FORMAT}
    >>> path = os.path.join(tempfile.mkdtemp(), "m.skops")
    >>> len(save_model(model, path)), load_model(path).predict(X).tolist()
    (64, ['favor', 'against'])
    """
    import skops.io

    for vectorizer in getattr(model, "vectorizers_", {}).values():  # a cache holding a memory address,
        vectorizer.__dict__.pop("_stop_words_id", None)                # set again by every transform
    data = _canonical(skops.io.dumps(model))
    with atomic_path(path) as part:
        Path(part).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _canonical(data: bytes) -> bytes:
    """The same skops archive, made independent of the process that wrote it.

    skops names objects by their memory address (``"__id__"`` in the schema,
    array file names); these become 1, 2, 3... in order of first appearance,
    and every zip entry gets a fixed date, so equal models give equal bytes.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    schema = source.read("schema.json").decode("utf-8")
    numbers: dict[str, str] = {}
    for match in re.finditer(r'"__id__": (\d+)|"file": "(\d+)\.npy"', schema):
        numbers.setdefault(match.group(1) or match.group(2), str(len(numbers) + 1))
    schema = re.sub(r'("__id__": )(\d+)', lambda m: m.group(1) + numbers[m.group(2)], schema)
    schema = re.sub(r'("file": ")(\d+)(\.npy")', lambda m: m.group(1) + numbers[m.group(2)] + m.group(3), schema)
    entries = {"schema.json": schema.encode("utf-8")}
    for name in source.namelist():
        if name.endswith(".npy"):
            entries[f"{numbers[name[:-4]]}.npy"] = source.read(name)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(entries):
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, entries[name], compresslevel=9)
    return out.getvalue()


def load_model(path: str | os.PathLike | None = None, codebook: Codebook | None = None) -> StanceClassifier:
    """Load a stance model safely; the shipped model when ``path`` is None.

    Parameters
    ----------
    path : str or path-like, optional
    codebook : Codebook, optional
        When given, the model must have been built for it (same digest).

    Raises
    ------
    InputError
        The file is missing, is not a skops archive (a pickle renamed
        ``.skops`` is refused unread), unpacks to more than
        :data:`MODEL_MAX_BYTES` (a zip bomb), would create a type outside
        :data:`TRUSTED_TYPES`, is not a positions stance model, was built by an
        incompatible version, or for another codebook.

    Examples
    --------
    >>> model = load_model()
    >>> model.card_["codebook"]["id"]
    'cybercrime'
    """
    import skops.io

    path = os.fspath(path) if path is not None else str(shipped_model_path())
    if not os.path.isfile(path):
        raise InputError(path, "no such model file")
    if not zipfile.is_zipfile(path):
        raise InputError(path, "not a skops model file (positions never loads pickle or joblib files)")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > MODEL_MAX_BYTES:
        raise InputError(path, f"unpacks to {unpacked / 1e6:,.0f} MB, more than any stance model "
                               f"({MODEL_MAX_BYTES / 1e6:,.0f} MB; a zip bomb?)")
    try:
        untrusted = skops.io.get_untrusted_types(file=path)
    except Exception as err:  # a damaged or foreign archive: skops raises many kinds
        raise InputError(path, f"not a valid skops model file ({type(err).__name__})") from None
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if refused:
        raise InputError(path, f"refused: the file would create untrusted type(s) {', '.join(refused[:5])}")
    try:
        model = skops.io.load(path, trusted=TRUSTED_TYPES)
    except Exception as err:
        raise InputError(path, f"not a valid skops model file ({type(err).__name__})") from None
    if not isinstance(model, StanceClassifier) or not isinstance(getattr(model, "card_", None), dict):
        raise InputError(path, "not a positions stance model")
    card = model.card_
    if card.get("format") not in READ_FORMATS:
        raise InputError(path, f"model format {card.get('format')!r} is not {MODEL_FORMAT}; "
                               "retrain it with this version (positions train)")
    import sklearn

    built_with = card.get("versions", {}).get("scikit-learn", "")
    if built_with and built_with.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        warnings.warn(f"{path}: built with scikit-learn {built_with}, running {sklearn.__version__}; "
                      "if predictions look wrong, retrain it (positions train)")
    trained_with = card.get("tokenizer", "default")
    if trained_with != default_backend():
        warnings.warn(f"{path}: trained with the {trained_with!r} word segmenter, and keeps using it; "
                      f"this session's default is {default_backend()!r}")
    if card.get("stance_cues", lexicon_digest()) != lexicon_digest():
        warnings.warn(f"{path}: the shared stance cues (resources/stance.yaml) changed since this model was built; "
                      "retrain it (positions train)")
    if codebook is not None:
        built = card.get("codebook", {})
        if built.get("digest") != codebook.digest:
            raise InputError(path, f"built for codebook {built.get('id')!r} ({built.get('digest')}), "
                                   f"not {codebook.id!r} ({codebook.digest}); retrain it for this codebook")
    return model


def shipped_model_path() -> Path:
    """Where the shipped model is: ``models/`` of the project, or ``<prefix>/share/positions/models``.

    Examples
    --------
    >>> shipped_model_path().name
    'stance-cybercrime.skops'
    """
    found = data_path("models", SHIPPED_MODEL)
    if found is None:
        raise InputError(SHIPPED_MODEL, "the shipped model is missing; rebuild it (see models/README.md) "
                                        "or pass a model file")
    return found
