"""The library's exceptions (one line that names the file and the problem), and optional imports."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

__all__ = ["ON_ERROR", "InputError", "error_mode", "one_line", "optional_import"]


class InputError(ValueError):
    """A document that cannot be read, with the file and the problem in one line.

    Parameters
    ----------
    path : str
        The file (or folder, or pattern) as the user gave it.
    problem : str
        What is wrong, and where useful what to do about it.

    Examples
    --------
    >>> str(InputError("report.pdf", "no text layer (scanned PDF?); run OCR first"))
    'report.pdf: no text layer (scanned PDF?); run OCR first'
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{one_line(self.path)}: {one_line(problem)}")

    def __reduce__(self):
        return (type(self), (self.path, self.problem))


def one_line(text: str) -> str:
    """Control characters (a newline in a file name) escaped, so that a message stays one line.

    Examples
    --------
    >>> one_line("a\\nb.txt")
    'a\\\\nb.txt'
    """
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def optional_import(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or raise an ImportError that says how to get it.

    Examples
    --------
    >>> optional_import("json", "none").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"the {module!r} back end is optional and not installed; "
                          f"pip install {extra}") from None


ON_ERROR = ("fail", "skip")
"""What to do with an input that cannot be read: stop with its error, or skip it and go on."""


def error_mode(on_error: str) -> str:
    """Check an ``on_error`` argument: ``fail`` or ``skip`` (``raise``, the old word for ``fail``, warns).

    Examples
    --------
    >>> error_mode("skip")
    'skip'
    >>> error_mode("ignore")
    Traceback (most recent call last):
    ...
    ValueError: on_error must be 'fail' or 'skip'; got 'ignore'
    """
    if on_error == "raise":
        import warnings

        warnings.warn("on_error='raise' is now on_error='fail' (the word the command line uses)",
                      DeprecationWarning, stacklevel=3)
        return "fail"
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be 'fail' or 'skip'; got {on_error!r}")
    return on_error
