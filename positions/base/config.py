"""Settings: the numbers that change the tables (one frozen, documented object), where the project's data is,
and progress bars, off with one switch.

Progress bars come from ``tqdm.auto`` (a widget in Jupyter, text in a terminal)
and appear only once a step has run for two seconds.  Switch them off with
:func:`set_progress` or the environment variable ``POSITIONS_PROGRESS=0``;
the command line shows them only on a terminal, and never with ``--quiet``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = ["DEFAULT_CONFIG", "Config", "data_path", "progress", "set_progress"]

_FIXED_WEIGHTS = {"one": 1.0, "several": 3.0, "some": 5.0, "many": 10.0, "unspecified": 2.0}
_SHARE_WEIGHTS = {"most": 0.6, "general": 0.8}


@dataclass(frozen=True)
class Config:
    """Settings that change numbers in the tables, with the codebook's defaults, and the reading limit.

    Parameters
    ----------
    fixed_weights : Mapping[str, float]
        How many delegations a quantifier stands for (CODEBOOK.md):
        ``one`` 1, ``several`` 3, ``some`` 5, ``many`` 10, ``unspecified`` 2.
    share_weights : Mapping[str, float]
        Quantifiers that stand for a share of the participants:
        ``most`` 0.6 and ``general`` 0.8 of them.
    participants_fallback : int
        Participants assumed when a report states neither a list of the
        States that spoke nor an attendance count (40: the order of the
        number of States that speak at an Expert Group or Ad Hoc Committee
        session).  Reports that name the States that took the floor use
        their number, else the member States that attended; see
        :func:`positions.parse.table.attributed`.
    named_weight : float
        Weight of a statement by one named delegation, group or officer.
    meeting_weight : float
        Weight of a statement with no speaker (procedure, background): it
        stands for no delegation.
    max_file_mb : float
        Largest input file read, in MB (10**6 bytes), and the most a
        ``.docx`` may unpack to: a guard against zip bombs and files that
        are not reports.  A UN report is a few MB; raise it for larger
        files (``Config(max_file_mb=500)``, ``--max-file-mb 500``).
    hanlp_model : str, optional
        A HanLP tokenizer model saved in a local directory, for the ``hanlp``
        word segmenter (``set_backend("hanlp", config=...)``); the
        environment variable ``POSITIONS_HANLP_MODEL`` gives it when this is
        None.  Nothing is ever downloaded.

    Examples
    --------
    >>> Config().weight("many", participants=59)
    10.0
    >>> round(Config().weight("most", participants=59), 1)
    35.4
    """

    fixed_weights: Mapping[str, float] = field(default_factory=lambda: dict(_FIXED_WEIGHTS))
    share_weights: Mapping[str, float] = field(default_factory=lambda: dict(_SHARE_WEIGHTS))
    participants_fallback: int = 40
    named_weight: float = 1.0
    meeting_weight: float = 0.0
    max_file_mb: float = 100.0
    hanlp_model: str | None = None

    def weight(self, quantifier: str, participants: int | None = None) -> float:
        """Weight of a quantified statement.

        Parameters
        ----------
        quantifier : str
            A codebook quantifier (``one``, ``several``, ``some``, ``many``,
            ``most``, ``general``, ``unspecified``).
        participants : int, optional
            Participants the report states; ``participants_fallback`` if None.

        Returns
        -------
        float

        Examples
        --------
        >>> Config().weight("general")
        32.0
        """
        if quantifier in self.fixed_weights:
            return float(self.fixed_weights[quantifier])
        if quantifier in self.share_weights:
            n = participants if participants else self.participants_fallback
            return float(self.share_weights[quantifier] * n)
        allowed = sorted({*self.fixed_weights, *self.share_weights})
        raise ValueError(f"quantifier must be one of {allowed}; got {quantifier!r}")


DEFAULT_CONFIG = Config()


def data_path(*parts: str) -> Path | None:
    """Where the project's data (``data/demo``, ``models/...``) is, or None.

    Looked for beside the package in a checkout or an editable install, then
    where ``pip install`` puts the project's data files, ``<prefix>/share/positions``
    (``data/`` is dropped there: ``share/positions/demo``).

    Examples
    --------
    >>> data_path("models", "stance-cybercrime.skops").name
    'stance-cybercrime.skops'
    """
    checkout = Path(__file__).resolve().parents[2].joinpath(*parts)
    installed = Path(sys.prefix, "share", "positions").joinpath(*(parts[1:] if parts[0] == "data" else parts))
    return next((p for p in (checkout, installed) if p.exists()), None)


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
