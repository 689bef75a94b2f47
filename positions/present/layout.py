"""Chart text that fits: titles and labels wrapped to the room they have, CJK characters counted as two columns.

:func:`fit_titles` measures each title and axis label of a figure against
its axes before layout, without drawing, and wraps what is too wide;
:func:`wrapped` breaks a text into lines (at spaces, or anywhere in Chinese).
"""

from __future__ import annotations

import re

__all__ = ["fit_titles", "width_of", "wrapped"]


def width_of(text: str) -> int:
    """How many columns ``text`` takes in a monospaced reckoning: a CJK character takes two.

    Examples
    --------
    >>> width_of("EG 3"), width_of("专家组第3次")
    (4, 11)
    """
    return len(text) + sum(ord(c) > 0x2E80 for c in text)


def wrapped(text: str, columns: int) -> str:
    """``text`` in lines of at most ``columns`` (a CJK character counts two), broken at spaces, or anywhere in CJK.

    Examples
    --------
    >>> wrapped("Ad Hoc Committee on Cybercrime, resumed session", 16)
    'Ad Hoc Committee\\non Cybercrime,\\nresumed session'
    >>> wrapped("网络犯罪问题专家组第三次会议", 12)
    '网络犯罪问题\\n专家组第三次\\n会议'
    """
    lines, line = [], ""
    for token in (t for t in _tokens(text) if t):
        if line and width_of(line.rstrip() + token) > columns:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return "\n".join([*lines, line.rstrip()])


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\u2e80-\uffff]|\s*[^\s\u2e80-\uffff]+", text)


def fit_titles(figure) -> None:
    """Wrap any title or axis label wider than the room it has: its axes (or the figure, for a suptitle).

    Measured before layout, without drawing: the axes' place then is the
    smallest the layout gives them, so what fits here fits once laid out.

    Examples
    --------
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> from matplotlib.figure import Figure
    >>> figure = Figure(figsize=(3, 2))
    >>> _ = FigureCanvasAgg(figure)
    >>> ax = figure.add_subplot()
    >>> _ = ax.set_title("Net position on the new UN cybercrime treaty, by session, with 95% intervals")
    >>> fit_titles(figure)
    >>> len(ax.get_title().splitlines()) > 1
    True
    """
    if not hasattr(figure, "canvas"):
        return
    renderer = figure.canvas.get_renderer()
    width = figure.bbox.width
    texts = [(text, 0.95 * width) for text in figure.texts]  # the suptitle
    for ax in figure.axes:
        room = ax.get_position().width * width
        texts += [(ax.title, room), (ax.xaxis.label, room)]
    for text, room in texts:
        for _ in range(3):
            now = text.get_window_extent(renderer).width if text.get_text() else 0.0
            if now <= room:
                break
            longest = max(width_of(line) for line in text.get_text().split("\n"))
            text.set_text(wrapped(text.get_text().replace("\n", " "), max(8, int(longest * room / now) - 1)))
