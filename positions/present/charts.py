"""Charts of positions for notebooks and briefs, in Chinese or English.

Each function takes a tidy table (from :mod:`positions.aggregate`), draws on
the given Axes (or a new one) and returns it; nothing is shown.
:func:`save_chart` writes one for a brief: PNG at 300 dpi, SVG and PDF.
Stance colours are fixed across every chart and readable by colour-blind
readers (Okabe and Ito's palette).  Chinese text is set in Noto Sans CJK SC,
which the ``mplfonts`` dependency installs, so it renders with real glyphs on
a fresh machine.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from ..aggregate.positions import delegation_matrix
from ..base.output import atomic_path
from ..base.schema import STANCES
from .layout import fit_titles, width_of, wrapped
from .words import STANCE_COLORS, abbreviations, ordered_targets, session_name, target_label, words

__all__ = ["CHART_FORMATS", "STANCE_COLORS", "plot_delegation_heatmap", "plot_net_position", "plot_small_multiples",
           "plot_stance_shares", "report_charts", "save_chart", "use_cjk_font"]

CHART_FORMATS = ("png", "svg", "pdf")
_SESSION_COLUMNS = 16
"""Session names on an axis longer than this many columns (a CJK character counts two) are wrapped."""

@lru_cache(maxsize=1)
def use_cjk_font() -> str:
    """Register the bundled CJK font with matplotlib as the fallback of the default family; returns its name.

    Latin text keeps matplotlib's default font; any glyph it lacks (Chinese)
    comes from Noto Sans CJK SC.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("Chinese chart labels need the 'mplfonts' package (a dependency of positions); "
                          "pip install mplfonts")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    families = list(mpl.rcParams["font.family"])
    if name not in families:
        mpl.rcParams["font.family"] = [*families, name]
    return name


def _axes(ax, size: tuple[float, float] = (7, 3.5)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _fonts(ax, fit: bool = True):
    """Give every text of an Axes or Figure the CJK fallback family (those made before it was set lack it); fit titles."""
    import matplotlib as mpl
    from matplotlib.figure import FigureBase
    from matplotlib.text import Text

    families = list(mpl.rcParams["font.family"])
    figure = ax if isinstance(ax, FigureBase) else ax.figure
    for axes in figure.axes if ax is figure else [ax]:
        if list(axes.title.get_fontfamily()) != families:  # made before the family was set: its texts lack it
            for text in axes.findobj(Text):
                text.set_fontfamily(families)
    if fit:  # a chart drawn on the caller's Axes is fitted by the caller (small multiples fit the whole figure)
        fit_titles(figure)
    return ax


def _words(lang: str) -> dict:
    found = words(lang)
    use_cjk_font()
    return found


def _target_rows(positions: pd.DataFrame, target: str) -> pd.DataFrame:
    """The rows of one target, or a ValueError that lists the targets the table has."""
    part = positions[positions["target"] == target]
    if part.empty:
        have = ", ".join(repr(t) for t in ordered_targets(positions["target"].dropna().unique())) or "none"
        raise ValueError(f"no rows for target {target!r} in the positions table; it has {have}")
    return part


def _session_axis(ax, x, sessions: list[str], lang: str) -> None:
    """Sessions on the x axis by their short names, long ones wrapped (slanted when they would collide), and
    what the abbreviations stand for under them."""
    names = [wrapped(session_name(s, lang, short=True), _SESSION_COLUMNS) for s in sessions]
    widest = max(width_of(line) for n in names for line in n.split("\n"))
    slanted = len(names) * widest > 40
    ax.set_xticks(x, names, rotation=30 if slanted else 0, ha="right" if slanted else "center", fontsize=8)
    spelled = abbreviations(sessions, lang)
    session = words(lang)["chart_session"]
    ax.set_xlabel(f"{session} ({spelled})" if spelled and lang != "zh" else f"{session}（{spelled}）" if spelled
                  else session, fontsize=8, labelpad=6)


def plot_stance_shares(positions: pd.DataFrame, target: str, *, ax=None, lang: str = "en", label: str | None = None):
    """Stance shares of one target per session, stacked to 100%, with the number of statements.

    Parameters
    ----------
    positions : DataFrame
        From :func:`positions.position_table`.
    target : str
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
        Language of titles, axes and legend.
    label : str, optional
        The target's name in the title (default: the codebook's label).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> ax = plot_stance_shares(table, "new_treaty", lang="zh")
    >>> [round(float(p.get_height()), 2) for p in ax.patches[:3]]
    [0.17, 0.67, 0.42]
    """
    phrases = _words(lang)
    part = _target_rows(positions, target).sort_values("session_date", kind="stable")
    order = list(part["session_label"])
    fit, ax = ax is None, _axes(ax)
    x = np.arange(len(order))
    bottom = np.zeros(len(order))
    for stance in STANCES:
        values = part[f"{stance}_share"].fillna(0).to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, color=STANCE_COLORS[stance], label=phrases[f"chart_{stance}"], width=0.7)
        bottom += values
    for i, n in enumerate(part["statements"]):  # many sessions: the bare number, so that neighbours do not collide
        ax.text(i, 1.02, phrases["chart_n"].format(int(n)) if len(order) <= 6 else str(int(n)), ha="center",
                va="bottom", fontsize=8)
    _session_axis(ax, x, order, lang)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel(phrases["chart_share"])
    ax.set_title(phrases["chart_shares_title"].format(label or target_label(target, lang)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _fonts(ax, fit)


def plot_net_position(positions: pd.DataFrame, target: str, *, ax=None, lang: str = "en", label: str | None = None):
    """Net position of one target over sessions, with its 95% interval as a bar (and a band between sessions).

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> ax = plot_net_position(table, "new_treaty")
    >>> [round(float(v), 2) for v in ax.lines[1].get_ydata()]
    [-0.67, 0.53, 0.36]
    """
    phrases = _words(lang)
    part = _target_rows(positions, target).sort_values("session_date", kind="stable")
    fit, ax = ax is None, _axes(ax)
    x = np.arange(len(part))
    ax.axhline(0, color="#444444", linewidth=0.8)
    net, low, high = (part[c].astype(float).to_numpy() for c in ("net", "net_low", "net_high"))
    ax.fill_between(x, low, high, color=STANCE_COLORS["favor"], alpha=0.2, linewidth=0)
    ax.plot(x, net, marker="o", color=STANCE_COLORS["favor"])
    shown = ~np.isnan(low)  # a bar for every session with an interval, a single one too (a band needs two)
    ax.errorbar(x[shown], net[shown], yerr=[net[shown] - low[shown], high[shown] - net[shown]], fmt="none",
                ecolor=STANCE_COLORS["favor"], elinewidth=1.2, capsize=4)
    _session_axis(ax, x, list(part["session_label"]), lang)
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel(phrases["chart_net"])
    ax.set_title(phrases["chart_net_title"].format(label or target_label(target, lang)))
    return _fonts(ax, fit)


def plot_delegation_heatmap(matrix: pd.DataFrame, *, ax=None, lang: str = "en", label: str | None = None):
    """Delegation x session net position of one target, in diverging stance colours; no statement stays grey.

    Parameters
    ----------
    matrix : DataFrame
        From :func:`positions.delegation_matrix` with ``target=...`` (rows
        delegations, columns sessions, values -1..1 or NaN); a matrix of
        ``(target, delegation)`` rows works too if it holds one target.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    label : str, optional
        The target's name in the title (default: the codebook's label).

    Examples
    --------
    >>> import positions as pos
    >>> classified = pos.classify(pos.statements(pos.demo_files()))
    >>> ax = plot_delegation_heatmap(pos.delegation_matrix(classified, target="budapest_convention"))
    >>> ax.images[0].get_array().shape[1] == len(ax.get_xticks())
    True
    """
    from matplotlib.colors import LinearSegmentedColormap

    phrases = _words(lang)
    if "target" in (matrix.index.names or []):
        targets = matrix.index.get_level_values("target").unique()
        if len(targets) != 1:
            raise ValueError(f"pass the matrix of one target (delegation_matrix(..., target=...)); "
                             f"got {list(targets)}")
        matrix = matrix.droplevel("target")
        matrix.attrs["target"] = targets[0]
    target = matrix.attrs.get("target", "")
    fit, ax = ax is None, _axes(ax, (max(6.0, 2.5 + 0.45 * matrix.shape[1]), max(2.5, 1.5 + 0.28 * matrix.shape[0])))
    colours = LinearSegmentedColormap.from_list(
        "stance", [STANCE_COLORS["against"], "#FFFFFF", STANCE_COLORS["favor"]]).with_extremes(bad="#DDDDDD")
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    image = ax.imshow(values, cmap=colours, vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    _session_axis(ax, np.arange(matrix.shape[1]), list(matrix.columns), lang)
    ax.set_yticks(np.arange(matrix.shape[0]), list(matrix.index), fontsize=8)
    ax.set_ylabel(phrases["chart_delegation"])
    ax.figure.colorbar(image, ax=ax, ticks=[-1, 0, 1], label=phrases["chart_no_data"]).ax.set_yticklabels(
        [phrases["chart_against"], phrases["chart_neutral"], phrases["chart_favor"]])
    ax.set_title(phrases["chart_heatmap_title"].format(label or target_label(target, lang)))
    return _fonts(ax, fit)


def plot_small_multiples(positions: pd.DataFrame, targets: list[str] | None = None, *, kind: str = "net",
                         lang: str = "en"):
    """One small chart per target, side by side: ``kind`` ``net`` or ``shares``; returns the Figure.

    Examples
    --------
    >>> import positions as pos
    >>> figure = plot_small_multiples(pos.position_table(pos.classify(pos.statements(pos.demo_files()))))
    >>> len(figure.axes)
    4
    """
    import matplotlib.pyplot as plt

    if kind not in ("net", "shares"):
        raise ValueError(f"kind must be 'net' or 'shares'; got {kind!r}")
    chosen = targets or ordered_targets(positions["target"].unique())
    columns = min(len(chosen), 2 if len(chosen) <= 4 else 3)  # 2 x 2 for four targets: fits a page
    rows = -(-len(chosen) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.7 * columns, 3.0 * rows), layout="constrained",
                                squeeze=False, sharey=True)
    plot = plot_net_position if kind == "net" else plot_stance_shares
    phrases = _words(lang)
    for ax, target in zip(axes.flat, chosen):
        plot(positions, target, ax=ax, lang=lang)
        ax.set_title(target_label(target, lang), fontsize=10)
        if kind == "shares":
            ax.get_legend().remove()
        if ax not in axes[:, 0]:
            ax.set_ylabel("")
    for ax in list(axes.flat)[len(chosen):]:
        ax.remove()
    if kind == "shares":
        figure.legend(*axes.flat[0].get_legend_handles_labels(), loc="outside right upper", frameon=False)
    figure.suptitle(phrases["chart_net" if kind == "net" else "chart_share"])
    return _fonts(figure)


def report_charts(classified: pd.DataFrame, positions: pd.DataFrame, codebook=None, lang: str = "en",
                  share: tuple[int, int] = (0, 1)):
    """The charts of a report, one at a time: ``(name, Figure)``, each to be saved and closed before the next.

    Small multiples of every target's net position (when there are several
    targets), then for each target its stance shares, its net position and,
    where named delegations spoke on it, their heatmap.  ``share=(k, n)``
    draws the ``k``-th (0-based) of ``n`` shares only, so that ``n``
    processes can draw a report's charts between them: the charts are dealt
    out heaviest first (the small multiples weigh one per target, any other
    chart one), each to the lightest share so far, and each share draws its
    own in report order.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, positions as pos
    >>> classified = pos.classify(pos.statements(pos.demo_files()))
    >>> names = []
    >>> for name, figure in report_charts(classified, pos.position_table(classified)):
    ...     names.append(name)
    ...     plt.close(figure)
    >>> names[:4]
    ['all-targets-net', 'new_treaty-shares', 'new_treaty-net', 'new_treaty-delegations']
    """
    targets = ordered_targets(positions["target"].unique(), codebook)
    charts = []  # (name, what draws it, its weight): drawn only when its turn comes
    if len(targets) > 1:
        charts.append(("all-targets-net", partial(plot_small_multiples, positions, targets, lang=lang), len(targets)))
    for name in targets:
        charts.append((f"{name}-shares", lambda name=name: plot_stance_shares(positions, name, lang=lang).figure, 1))
        charts.append((f"{name}-net", lambda name=name: plot_net_position(positions, name, lang=lang).figure, 1))
        matrix = delegation_matrix(classified, target=name)
        if not matrix.empty:
            charts.append((f"{name}-delegations", lambda m=matrix: plot_delegation_heatmap(m, lang=lang).figure, 1))
    mine, every = share
    loads, owner = [0] * every, {}
    for i in sorted(range(len(charts)), key=lambda i: -charts[i][2]):  # stable: report order among equals
        owner[i] = loads.index(min(loads))
        loads[owner[i]] += charts[i][2]
    for i, (name, draw, _) in enumerate(charts):
        if owner[i] == mine:
            yield name, draw()


def save_chart(chart, path: str | Path, formats: tuple[str, ...] | None = None, dpi: int = 300) -> list[Path]:
    """Write a chart for a brief: PNG at ``dpi``, SVG and PDF, each whole or not at all.

    Parameters
    ----------
    chart : matplotlib Axes or Figure
    path : str or Path
        ``charts/new_treaty-net`` writes ``.png``, ``.svg`` and ``.pdf``
        beside each other; a path ending in one of them writes that one.
    formats : tuple of str, optional
        Some of ``("png", "svg", "pdf")``; overrides the path's extension.
    dpi : int
        Resolution of the PNG (300 by default, print quality).

    Returns
    -------
    list of Path
        The files written.  The same chart gives the same SVG and PDF bytes
        on every run (no dates, fixed SVG ids).

    Examples
    --------
    >>> import os, tempfile, positions as pos
    >>> table = pos.position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> paths = save_chart(plot_net_position(table, "new_treaty"), os.path.join(tempfile.mkdtemp(), "net"))
    >>> [p.name for p in paths]
    ['net.png', 'net.svg', 'net.pdf']
    """
    import matplotlib as mpl

    figure = chart.get_figure() if hasattr(chart, "get_figure") and chart.get_figure() is not None else chart
    base = Path(path)
    if formats is None:
        suffix = base.suffix.lower().lstrip(".")
        formats = (suffix,) if suffix in CHART_FORMATS else CHART_FORMATS
    unknown = [f for f in formats if f not in CHART_FORMATS]
    if unknown:
        raise ValueError(f"formats must be among {list(CHART_FORMATS)}; got {unknown}")
    stem = base.with_suffix("") if base.suffix.lower().lstrip(".") in CHART_FORMATS else base
    # no dates; PNG compressed by zlib's fastest level: a third larger than the default, 0.05 s less per chart
    options = {"png": {"metadata": {"Software": None}, "pil_kwargs": {"compress_level": 1}},
               "svg": {"metadata": {"Date": None}}, "pdf": {"metadata": {"CreationDate": None}}}
    written = []
    engine = figure.get_layout_engine()
    try:
        with mpl.rc_context({"svg.hashsalt": "positions"}):
            for fmt in formats:
                out = stem.parent / f"{stem.name}.{fmt}"
                with atomic_path(out) as temporary:
                    figure.savefig(temporary, format=fmt, dpi=dpi, **options[fmt])
                written.append(out)
                if figure.get_layout_engine() is not None:  # laid out by the first format's drawing: kept for the rest
                    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
                        figure.set_layout_engine(None)
    finally:
        if engine is not None:
            figure.set_layout_engine(engine)
    return written
