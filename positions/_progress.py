"""Progress bars for the steps that can take more than a couple of seconds, off with one switch.

Bars come from ``tqdm.auto`` (a widget in Jupyter, text in a terminal) and
appear only once a step has run for two seconds.  Switch them off with
:func:`set_progress` or the environment variable ``POSITIONS_PROGRESS=0``;
the command line shows them only on a terminal, and never with ``--quiet``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress", "set_progress"]

T = TypeVar("T")
_OFF = ("0", "false", "no", "off")
_state = {"enabled": os.environ.get("POSITIONS_PROGRESS", "1").strip().lower() not in _OFF}


def set_progress(enabled: bool) -> bool:
    """Switch progress bars on or off for the whole session; returns the previous setting.

    Examples
    --------
    >>> previous = set_progress(False)
    >>> set_progress(previous)
    False
    """
    previous = _state["enabled"]
    _state["enabled"] = bool(enabled)
    return previous


def progress(iterable: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "it") -> Iterator[T]:
    """Iterate with a progress bar (when switched on), shown after two seconds.

    Examples
    --------
    >>> sum(progress(range(3), desc="counting"))
    3
    """
    if not _state["enabled"]:
        yield from iterable
        return
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")  # no ipywidgets: a text bar is fine
        from tqdm.auto import tqdm

        bar = tqdm(iterable, total=total, desc=desc, unit=unit, delay=2.0, leave=False, dynamic_ncols=True)
    with bar:
        yield from bar
