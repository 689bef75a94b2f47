"""The library's exceptions: one line that names the file and the problem."""

from __future__ import annotations

import re

__all__ = ["InputError"]


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
        super().__init__(f"{_printable(self.path)}: {_printable(problem)}")

    def __reduce__(self):
        return (type(self), (self.path, self.problem))


def _printable(text: str) -> str:
    """Control characters (a newline in a file name) escaped, so that the message stays one line."""
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
