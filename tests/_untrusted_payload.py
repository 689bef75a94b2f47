"""Code a hostile model file could ask to run: every entry point leaves a trace.

Importing this module, building a :class:`Trap` or calling :func:`trap` appends a
line to the file named by ``$POSITIONS_TEST_MARKER`` (when it is set), so a test
can prove that loading a refused model file ran none of it.
"""

from __future__ import annotations

import collections
import os

MARKER_VARIABLE = "POSITIONS_TEST_MARKER"


def _touch(why: str) -> None:
    path = os.environ.get(MARKER_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(why + "\n")


_touch("import")


class Trap(collections.OrderedDict):
    """A dict that leaves a trace whenever an item is set (skops sets them on load)."""

    def __setitem__(self, key, value):
        _touch("setitem")
        super().__setitem__(key, value)

    def __setstate__(self, state):
        _touch("setstate")


def trap(X):
    """A FunctionTransformer's function that leaves a trace when called."""
    _touch("call")
    return X
