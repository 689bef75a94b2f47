"""The bundled demo corpus: short illustrative reports written by the project."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["demo_annotations", "demo_dir", "demo_files"]


def demo_dir() -> Path:
    """The folder of the demo corpus (``data/demo`` of the project).

    Found beside the package in a checkout or an editable install, else where
    ``pip install`` puts the project's data files (``<prefix>/share/positions/demo``).

    Examples
    --------
    >>> (demo_dir() / "README.md").exists()
    True
    """
    for candidate in (Path(__file__).resolve().parent.parent / "data" / "demo",
                      Path(sys.prefix) / "share" / "positions" / "demo"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the demo corpus is missing; reinstall positions (pip install .)")


def demo_files() -> list[str]:
    """The demo reports, English and Chinese, in session order.

    Examples
    --------
    >>> [Path(p).name for p in demo_files()][:2]
    ['ahc-2022-session1.en.txt', 'ahc-2022-session1.zh.txt']
    """
    return [str(p) for p in sorted(demo_dir().glob("*.txt"))]


def demo_annotations() -> str:
    """The project's annotations of the demo corpus (``data/annotations/demo.csv``).

    Examples
    --------
    >>> Path(demo_annotations()).name
    'demo.csv'
    """
    for candidate in (Path(__file__).resolve().parent.parent / "data" / "annotations" / "demo.csv",
                      Path(sys.prefix) / "share" / "positions" / "annotations" / "demo.csv"):
        if candidate.is_file():
            return str(candidate)
    raise FileNotFoundError("the demo annotations are missing; reinstall positions (pip install .)")
