"""Stage 4, aggregate: the classified table summed by session.

``sessions`` orders sessions and relabels them from a sessions file, and
``positions`` gives each session's position on each target, the shifts
between sessions, and where each named delegation stood.
Every public function here takes a Dask table as it takes a pandas one and
computes it once on the way in.
"""

import importlib

_MODULES = ("sessions", "positions")


def __getattr__(name: str):
    """``from positions.aggregate import position_table``, as before this was a package, still works."""
    for module in _MODULES:
        found = importlib.import_module(f"{__name__}.{module}")
        if name in getattr(found, "__all__", ()):
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
