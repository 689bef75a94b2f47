"""The module paths of positions before version 0.2, kept working with a DeprecationWarning.

Version 0.2 laid the package out by stage (``positions.read``,
``positions.parse``, ``positions.stance``, ``positions.aggregate``,
``positions.present``).  Code that imports an old path (``positions.tokenize``,
``from positions.tables import attributed``) gets a stand-in module that finds
each name in the module that holds it now, and a warning naming it.  Two old
paths are packages now and find their old names themselves:
``positions.stance`` (model files saved before 0.2 name
``positions.stance.StanceClassifier``) and ``positions.aggregate``.  The names
in ``positions`` itself never moved.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

__all__ = ["MOVED", "install"]

MOVED = {
    "positions._version": ("base.version",),
    "positions.errors": ("base.errors",),
    "positions.config": ("base.config",),
    "positions._progress": ("base.config",),
    "positions._output": ("base.output",),
    "positions.reading": ("read.files", "read.encoding"),
    "positions.layout": ("read.layout",),
    "positions.metadata": ("read.metadata",),
    "positions.documents": ("read.documents",),
    "positions.demo": ("read.files",),
    "positions.segment": ("parse.sentences",),
    "positions.gazetteer": ("parse.gazetteer",),
    "positions.speakers": ("parse.speakers",),
    "positions.tables": ("parse.table", "parse.build", "base.schema"),
    "positions._dask": ("parse.table", "base.schema"),
    "positions.codebook": ("stance.codebook",),
    "positions.targets": ("stance.targets",),
    "positions.tokenize": ("stance.tokenize", "base.errors"),
    "positions.model": ("stance.model", "stance.learner"),
    "positions.classified": ("stance.classified", "base.schema"),
    "positions.annotations": ("stance.annotations", "base.schema"),
    "positions.training": ("stance.training", "stance.evaluation"),
    "positions.labelling": ("stance.labelling", "base.schema"),
    "positions.charts": ("present.charts", "present.words"),
    "positions.brief": ("present.brief", "present.render", "present.words"),
    "positions.report": ("present.report",),
    "positions.display": ("present.render", "read.documents", "stance.learner"),
    "positions._formatting": ("present.words", "stance.evaluation", "base.output"),
    "positions._help": ("cli_help",),
}
"""Old module path -> the modules (below ``positions``) that hold its names now, searched in order."""


class _Moved(types.ModuleType):
    """A stand-in for an old module path: each name is looked up where it lives now."""

    def __init__(self, name: str, homes: tuple[str, ...]) -> None:
        super().__init__(name, f"Moved in positions 0.2 to {', '.join('positions.' + h for h in homes)}.")
        self._homes = homes

    def __getattr__(self, attribute: str):
        for home in self._homes:
            module = importlib.import_module(f"positions.{home}")
            if hasattr(module, attribute):
                return getattr(module, attribute)
        raise AttributeError(f"module {self.__name__!r} (moved to {', '.join(self._homes)}) has no {attribute!r}")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        warnings.warn(f"{spec.name} is now {' and '.join('positions.' + h for h in MOVED[spec.name])} "
                      "(the package is laid out by stage since 0.2); import from positions or the new path",
                      DeprecationWarning, stacklevel=2)
        return _Moved(spec.name, MOVED[spec.name])

    def exec_module(self, module) -> None:
        """Nothing to run: the stand-in finds its names on use."""


def install() -> None:
    """Put the finder of old module paths on ``sys.meta_path`` (once).

    Examples
    --------
    >>> install()
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     from positions.tokenize import set_backend
    >>> set_backend.__module__
    'positions.stance.tokenize'
    """
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())  # before the path finders: an old install's stale files never answer
