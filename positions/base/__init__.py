"""The bottom layer every stage may import: table schemas, configuration, errors, output files.

Nothing here imports another part of the package, or matplotlib.
"""

from __future__ import annotations

import importlib


def names_of(package: str, modules: tuple[str, ...]):
    """A module ``__getattr__`` for a stage's package that finds a name in the ``__all__`` of its modules, lazily.

    So ``from positions.stance import StanceClassifier`` works without the
    package importing its modules (and scikit-learn) when it is imported.

    Examples
    --------
    >>> names_of("positions.stance", ("codebook",))("load_codebook").__name__
    'load_codebook'
    """
    def __getattr__(name: str):
        for module in modules:
            found = importlib.import_module(f"{package}.{module}")
            if name in getattr(found, "__all__", ()):
                return getattr(found, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
