"""Codebooks: the targets a statement can address, with their cues, in a YAML file.

The default codebook, ``cybercrime``, ships with the package
(``positions/resources/cybercrime.yaml``) and holds the five targets of
CODEBOOK.md.  A codebook of your own (another treaty, another process) is a
YAML file of the same form; every function that takes a codebook takes yours.

A target has a ``label`` and ``description`` in each language and cue lists
per language (Python regular expressions, case-insensitive): ``names`` (the
statement names the target), ``refers`` (a reference back, counted only after
the target was named earlier in the paragraph), ``excludes`` (look-alikes),
``context`` (optional: the paragraph or document must match one of these),
and ``favor``/``against`` (stance cues for this target only).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from ..base.errors import InputError
from ..base.schema import STANCES

__all__ = ["LANGS", "STANCES", "Codebook", "as_codebook", "load_codebook"]

LANGS = ("en", "zh")
_CUE_KINDS = ("names", "refers", "excludes", "context", "favor", "against")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Codebook:
    """A validated codebook.

    Parameters
    ----------
    id : str
        Short name of the codebook (``cybercrime``); models record it.
    version : int
        Bumped when cues change meaning; models record it.
    title : dict
        Title by language.
    targets : dict
        Target id to its definition (``label``, ``description``, cue lists).

    Examples
    --------
    >>> book = load_codebook()
    >>> book.id, book.target_ids
    ('cybercrime', ('new_treaty', 'budapest_convention', 'capacity_building', 'draft_study', 'human_rights'))
    >>> book.label("budapest_convention", "zh")
    '《布达佩斯公约》'
    """

    id: str
    version: int
    title: dict
    targets: dict

    @property
    def target_ids(self) -> tuple[str, ...]:
        """Target ids in the order of the file."""
        return tuple(self.targets)

    def label(self, target: str, lang: str = "en") -> str:
        """A target's label in ``lang`` (English when that language has none)."""
        labels = self.targets[target]["label"]
        return labels.get(lang) or labels.get("en") or target

    def cues(self, target: str, kind: str, lang: str) -> list[str]:
        """A target's cue patterns of one kind (``names``, ``refers``, ...) in one language."""
        return list(self.targets[target].get(kind, {}).get(lang, []))

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the YAML file (a copy: changing it changes nothing here)."""
        return copy.deepcopy({"id": self.id, "version": self.version, "title": self.title, "targets": self.targets})

    def to_json(self) -> str:
        """Canonical JSON (targets and cues in the file's order): the form models store and compare."""
        return self._json

    @cached_property
    def _json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON, first 16 hex digits.

        Two codebooks with the same digest detect the same targets the same way.
        """
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:16]

    @classmethod
    def from_json(cls, text: str, source: str = "<model>") -> Codebook:
        """Rebuild a codebook from :meth:`to_json` (checked like a file; cached)."""
        return _from_json(text, source)


@lru_cache(maxsize=16)
def _from_json(text: str, source: str) -> Codebook:
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(source, "the stored codebook is not valid JSON") from None
    return _validated(data, source)


def load_codebook(path: str | os.PathLike | None = None) -> Codebook:
    """Read and check a codebook file; the shipped ``cybercrime`` codebook by default.

    Parameters
    ----------
    path : str or path-like, optional
        A YAML file.  ``None`` loads the default codebook.

    Returns
    -------
    Codebook

    Raises
    ------
    InputError
        The file cannot be read, is not YAML, or breaks the schema (a target
        without names, an invalid regular expression, ...).  The message
        names the file and the problem.

    Examples
    --------
    >>> load_codebook().targets["new_treaty"]["label"]["en"]
    'New UN cybercrime treaty'
    """
    if path is None:
        return _default()
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the codebook ({getattr(err, 'strerror', None) or err})") from None
    return _parsed(text, path)


def as_codebook(value) -> Codebook:
    """A codebook from what a user may hand over: a :class:`Codebook`, its JSON, or a YAML file's path.

    ``None`` gives the default codebook.

    Examples
    --------
    >>> book = load_codebook()
    >>> as_codebook(book) is book, as_codebook(book.to_json()).digest == book.digest, as_codebook(None).id
    (True, True, 'cybercrime')
    """
    if value is None or isinstance(value, Codebook):
        return value if value is not None else load_codebook()
    if isinstance(value, str) and value.lstrip().startswith("{"):
        return Codebook.from_json(value)
    return load_codebook(value)


@lru_cache(maxsize=1)
def _default() -> Codebook:
    text = resources.files("positions").joinpath("resources/cybercrime.yaml").read_text(encoding="utf-8")
    return _parsed(text, "cybercrime.yaml")


def _parsed(text: str, source: str) -> Codebook:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(source, f"not valid YAML{where}") from None
    return _validated(data, source)


def _validated(data: Any, source: str) -> Codebook:
    def fail(problem: str) -> InputError:
        return InputError(source, problem)

    if not isinstance(data, dict):
        raise fail("a codebook is a mapping with 'id', 'version' and 'targets'")
    missing = [key for key in ("id", "targets") if key not in data]
    if missing:
        raise fail(f"the codebook has no {', '.join(repr(m) for m in missing)}")
    if not isinstance(data["id"], str) or not _ID.match(data["id"]):
        raise fail(f"codebook id {data['id']!r} must be lower-case letters, digits and _")
    targets = data["targets"]
    if not isinstance(targets, dict) or not targets:
        raise fail("'targets' must map target ids to their definitions")
    clean: dict[str, dict] = {}
    for target, spec in targets.items():
        if not isinstance(target, str) or not _ID.match(target) or target == "none":
            raise fail(f"target id {target!r} must be lower-case letters, digits and _ (and not 'none')")
        if not isinstance(spec, dict):
            raise fail(f"target {target!r}: its definition must be a mapping")
        entry: dict[str, Any] = {
            "label": _texts(spec.get("label", {}), f"target {target!r}: label", fail) or {"en": target},
            "description": _texts(spec.get("description", {}), f"target {target!r}: description", fail),
        }
        for kind in _CUE_KINDS:
            entry[kind] = _cue_lists(spec.get(kind) or {}, f"target {target!r}: {kind}", fail)
        if not any(entry["names"].values()):
            raise fail(f"target {target!r} has no names in any language")
        clean[target] = entry
    version = data.get("version", 1)
    if not isinstance(version, int):
        raise fail(f"version must be an integer, not {version!r}")
    title = _texts(data.get("title", {}), "title", fail)
    return Codebook(data["id"], version, title, clean)


def _texts(value: Any, where: str, fail) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value.strip()}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise fail(f"{where} must be text, or text by language")
    return {str(lang): text.strip() for lang, text in value.items()}


def _cue_lists(value: Any, where: str, fail) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise fail(f"{where} must map languages to lists of patterns")
    out = {}
    for lang, patterns in value.items():
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise fail(f"{where}.{lang} must be a list of patterns")
        for pattern in patterns:
            if "(?P<" in pattern:
                raise fail(f"{where}.{lang}: named groups are not allowed in cues ({pattern!r}); use (?:...)")
            try:
                re.compile(pattern)
            except re.error as err:
                raise fail(f"{where}.{lang}: invalid pattern {pattern!r} ({err})") from None
        out[str(lang)] = [p for p in patterns if p]
        try:  # the library joins each list into one pattern: inline flags or named groups break that
            re.compile("|".join(f"(?:{p})" for p in out[str(lang)]))
        except re.error as err:
            raise fail(f"{where}.{lang}: the patterns cannot be combined ({err}); "
                       "avoid inline flags such as (?i) and named groups") from None
    return out
