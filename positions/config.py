"""Tunable settings in one frozen, documented object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_CONFIG", "Config"]

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
        :func:`positions.tables.attributed`.
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
