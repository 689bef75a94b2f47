"""The documented thresholds behind every word of the brief: when a position is "mostly", "divided" or unclear, and
how many independent paragraphs a session needs before a shift may be called more than the sampling noise.

They live here, in one place: :func:`verdict` applies them, the brief's
methods section lists them (:mod:`positions.present.words` has the phrases
in English and Chinese), and :func:`positions.shift_table` uses
:data:`MIN_UNITS`.
"""

from __future__ import annotations

import math

__all__ = ["MAJORITY", "MARGIN", "MIN_UNITS", "VERDICTS", "verdict"]

MAJORITY = 0.5
"""A stance is "mostly" the position (以…为主) only when its share of the weight is strictly above this."""
MARGIN = 0.10
"""Without a majority, favour and against must differ by at least this share for "more in favour than against";
closer than this, the position is "divided", or "no clear position" when the neutral share is the largest."""
MIN_UNITS = 5
"""A shift is more than the sampling noise only when both sessions have at least this many independent units
(paragraphs, a paragraph and its translations counting once) and the 95% interval of the change leaves out 0."""
VERDICTS = ("mostly_favor", "mostly_against", "mostly_neutral", "more_favor", "more_against", "divided", "unclear")
"""The keys :func:`verdict` returns, one phrase each in :data:`positions.present.words.WORDS`."""


def verdict(favor: float, against: float, neutral: float) -> str:
    """What the stance shares of one position may be called: one of :data:`VERDICTS`.

    Shares are compared after rounding to 9 decimals, so ``0.35 - 0.25`` is
    the margin 0.10 and not just under it.

    Examples
    --------
    >>> verdict(0.51, 0.09, 0.40), verdict(0.50, 0.0, 0.50), verdict(0.49, 0.09, 0.42)
    ('mostly_favor', 'more_favor', 'more_favor')
    >>> verdict(0.38, 0.40, 0.22), verdict(0.30, 0.25, 0.45), verdict(0.35, 0.25, 0.40)
    ('divided', 'unclear', 'more_favor')
    """
    shares = {"favor": favor, "against": against, "neutral": neutral}
    shares = {k: 0.0 if v is None or math.isnan(v) else round(float(v), 9) for k, v in shares.items()}
    top = max(shares, key=shares.get)
    if shares[top] > MAJORITY:
        return f"mostly_{top}"
    lead = round(shares["favor"] - shares["against"], 9)
    if abs(lead) >= MARGIN:
        return "more_favor" if lead > 0 else "more_against"
    return "unclear" if shares["neutral"] >= max(shares["favor"], shares["against"]) else "divided"
