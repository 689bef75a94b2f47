"""The report: tables, charts and a cited brief in one folder, for a policy brief.

:func:`write_report` runs the whole data flow on a statements table and
writes::

    DIR/brief.md, DIR/brief.html     the brief (positions, shifts, delegations, methods)
    DIR/tables/NAME.csv, NAME.xlsx   statements, classified, positions, shifts, delegation_shifts
    DIR/charts/NAME.png, .svg, .pdf  stance shares, net position, delegation heatmaps, small multiples

Everything is written into a hidden folder beside ``DIR`` first and moved
into place at the end, so a failed or interrupted run leaves an earlier
report in ``DIR`` as it was.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from ._dask import to_pandas
from ._output import write_text, write_xlsx
from ._version import __version__
from .aggregate import (
    delegation_matrix,
    delegation_shifts,
    position_table,
    relabel_sessions,
    sessions,
    shift_table,
)
from .brief import (
    _ordered_targets,
    brief_html,
    brief_markdown,
    brief_sentences,
    model_codebook_of,
)
from .classified import classify
from .config import DEFAULT_CONFIG, Config
from .errors import InputError

__all__ = ["REPORT_TABLES", "XLSX_MAX_ROWS", "check_report_folder", "load_report_model", "write_report"]

_log = logging.getLogger("positions")
REPORT_TABLES = ("statements", "classified", "positions", "shifts", "delegation_shifts")
XLSX_MAX_ROWS = 100_000
_OURS = ("brief.md", "brief.html", "tables", "charts")
_CAPTIONS = {
    "en": {"net": "Net position on every target, by session, with 95% intervals",
           "shares": "{target}: stance shares by session (weighted, n = statements)",
           "delegations": "{target}: named delegations by session (grey: no statement)"},
    "zh": {"net": "各议题按会议的净立场（95% 区间）", "shares": "{target}：各届会议的立场占比（加权，n = 发言条数）",
           "delegations": "{target}：具名代表团按会议的立场（灰色：未发言）"},
}


def write_report(statements: pd.DataFrame, out: str | os.PathLike, *, model=None, model_name: str | None = None,
                 lang: str = "en",
                 sessions_file: str | os.PathLike | pd.DataFrame | None = None, weighted: bool = True,
                 formats: tuple[str, ...] = ("png", "svg", "pdf"), xlsx_max_rows: int = XLSX_MAX_ROWS,
                 n_boot: int = 1000, seed: int = 0, config: Config = DEFAULT_CONFIG) -> list[Path]:
    """Classify statements and write the tables, charts and brief of a report into ``out``.

    Parameters
    ----------
    statements : DataFrame
        From :func:`positions.statements`.
    out : path
        The report folder: new, empty, or an earlier report (which is replaced
        whole: stale charts do not survive).  Any other non-empty folder is
        refused, so no one's files are overwritten.
    model : path, StanceClassifier or "rules", optional
        The stance model (default: the shipped model).
    model_name : str, optional
        How the methods note names a model given as an object (a file is
        named by its name and sha256).
    lang : {"en", "zh"}
        Language of the brief and the charts.
    sessions_file : path or DataFrame, optional
        Merge, rename or re-date sessions (:func:`positions.relabel_sessions`).
    weighted : bool
        Count statements by their weight (default) or once each.
    formats : tuple of str
        Chart formats, among ``png`` (300 dpi), ``svg`` and ``pdf``.
    xlsx_max_rows : int
        Tables longer than this are written as CSV only (writing a sheet takes
        about 30 s per 100,000 rows, and Excel holds 1,048,576); the brief says
        which.
    n_boot, seed : int
        Bootstrap of the intervals.
    config : Config
        The weights the statements were built with, for the methods note.

    Returns
    -------
    list of Path
        The files written, relative to ``out``.

    Examples
    --------
    >>> import tempfile, positions as pos
    >>> folder = tempfile.mkdtemp()
    >>> written = write_report(pos.statements(pos.demo_files()), folder, formats=("png",))
    >>> [str(p) for p in written[:4]]
    ['brief.md', 'brief.html', 'tables/statements.csv', 'tables/statements.xlsx']
    """
    import matplotlib.pyplot as plt

    target = Path(out)
    check_report_folder(target)
    statements = to_pandas(statements)  # a report writes the whole statements table: a Dask one is computed
    fitted, model_file = load_report_model(model)
    model_file = model_name or model_file
    if sessions_file is not None:
        statements = relabel_sessions(statements, sessions_file)
    classified = classify(statements, model=fitted)
    if sessions_file is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same rows were reported on the statements above
            classified = relabel_sessions(classified, sessions_file)
    if classified.empty:
        sources = list(dict.fromkeys(statements["source"].astype(str)))
        named = ", ".join(sources[:3]) + (", ..." if len(sources) > 3 else "")
        raise InputError(named or str(target), "no statement addresses a target of the codebook; nothing to report")
    book = model_codebook_of(fitted if fitted != "rules" else None)
    tables = {"statements": statements, "classified": classified,
              "positions": position_table(classified, weighted=weighted, n_boot=n_boot, seed=seed),
              "shifts": shift_table(classified, weighted=weighted, n_boot=n_boot, seed=seed),
              "delegation_shifts": delegation_shifts(classified)}
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        written, notes = _write_tables(tables, staging, xlsx_max_rows, lang)
        charts = _write_charts(classified, tables["positions"], staging, book, lang, formats, plt)
        written += charts
        sentences = brief_sentences(classified, statements=statements, model=fitted, model_file=model_file, lang=lang,
                          weighted=weighted, n_boot=n_boot, seed=seed, config=config)
        shown = [(str(p), caption) for p, caption in _shown(charts, classified, book, lang)]
        order = sessions(classified)["session"]
        title = _title(book, order, lang)
        subtitle = _subtitle(lang)
        write_text(staging / "brief.md", brief_markdown(sentences, lang=lang, title=title, charts=shown,
                                                         notes=notes, subtitle=subtitle))
        write_text(staging / "brief.html", brief_html(sentences, lang=lang, title=title, charts=shown,
                                                       notes=notes, subtitle=subtitle))
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _log.info("report in %s: %d sentences in the brief, %d table files, %d chart files", target, len(sentences),
              sum(p.parts[0] == "tables" for p in written), sum(p.parts[0] == "charts" for p in written))
    return [Path("brief.md"), Path("brief.html"), *written]


def check_report_folder(target: Path) -> None:
    """Refuse a file, or a folder holding anything but an earlier report, with one line naming it.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> check_report_folder(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    positions.errors.InputError: ...: is a folder with other files in it; write the report to a new or empty folder (an earlier report there is replaced)
    """
    if target.exists() and not target.is_dir():
        raise InputError(str(target), "is a file; the report needs a folder")
    if target.is_dir():
        present = {p.name for p in target.iterdir() if not p.name.startswith(".")}
        if present and not present <= set(_OURS):
            raise InputError(str(target), "is a folder with other files in it; write the report to a new or "
                                          "empty folder (an earlier report there is replaced)")


def load_report_model(model=None):
    """The model to classify with (None: the shipped one), and how the brief names it: file and sha256.

    Examples
    --------
    >>> fitted, name = load_report_model()
    >>> name.startswith("stance-cybercrime.skops (sha256 ")
    True
    """
    from .model import load_model, shipped_model_path

    if isinstance(model, str) and model == "rules":
        return "rules", None
    if model is None or isinstance(model, (str, os.PathLike)):
        path = Path(model) if model is not None else shipped_model_path()
        fitted = load_model(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return fitted, f"{path.name} (sha256 {digest[:12]})"
    return model, None


def _write_tables(tables: dict, staging: Path, xlsx_max_rows: int, lang: str) -> tuple[list[Path], list[str]]:
    written, notes = [], []
    for name in REPORT_TABLES:
        table = tables[name]
        csv_path = Path("tables") / f"{name}.csv"
        (staging / "tables").mkdir(exist_ok=True)
        table.to_csv(staging / csv_path, index=False)
        written.append(csv_path)
        if len(table) <= xlsx_max_rows:
            write_xlsx(table, staging / "tables" / f"{name}.xlsx", sheet=name)
            written.append(Path("tables") / f"{name}.xlsx")
        else:
            notes.append(f"tables/{name}.xlsx 未写出：{len(table):,} 行超过 {xlsx_max_rows:,} 行的上限；请用 CSV。"
                         if lang == "zh" else
                         f"tables/{name}.xlsx is not written: {len(table):,} rows are more than the "
                         f"{xlsx_max_rows:,}-row limit for sheets; use the CSV.")
    return written, notes


def _write_charts(classified, positions, staging: Path, book, lang: str, formats, plt) -> list[Path]:
    from .charts import (
        plot_delegation_heatmap,
        plot_net_position,
        plot_small_multiples,
        plot_stance_shares,
        save_chart,
    )

    folder = staging / "charts"
    written: list[Path] = []

    def save(chart, name: str) -> None:
        paths = save_chart(chart, folder / name, formats=tuple(formats))
        written.extend(p.relative_to(staging) for p in paths)
        plt.close(chart if hasattr(chart, "savefig") else chart.figure)

    targets = _ordered_targets(positions["target"].unique(), book)
    if len(targets) > 1:
        save(plot_small_multiples(positions, targets, lang=lang), "all-targets-net")
    for name in targets:
        save(plot_stance_shares(positions, name, lang=lang), f"{name}-shares")
        save(plot_net_position(positions, name, lang=lang), f"{name}-net")
        matrix = delegation_matrix(classified, target=name)
        if not matrix.empty:
            save(plot_delegation_heatmap(matrix, lang=lang), f"{name}-delegations")
    return written


def _shown(charts: list[Path], classified, book, lang: str):
    """The charts the brief shows (PNG): small multiples, then shares and delegations per target."""
    words = _CAPTIONS[lang]
    pngs = {p.stem: p for p in charts if p.suffix == ".png"}
    if "all-targets-net" in pngs:
        yield pngs["all-targets-net"], words["net"]
    for name in _ordered_targets(classified["target"].unique(), book):
        label = book.label(name, lang) if name in book.targets else name
        if f"{name}-shares" in pngs:
            yield pngs[f"{name}-shares"], words["shares"].format(target=label)
        if f"{name}-delegations" in pngs:
            yield pngs[f"{name}-delegations"], words["delegations"].format(target=label)


def _title(book, order: pd.Series, lang: str) -> str:
    from ._formatting import session_name

    first, last = session_name(order.iloc[0], lang), session_name(order.iloc[-1], lang)
    span = first if first == last else (f"{first} 至 {last}" if lang == "zh" else f"{first} to {last}")
    topic = book.title.get(lang) or book.id
    return f"{topic}：各届会议立场（{span}）" if lang == "zh" else f"{topic}: positions by session, {span}"


def _subtitle(lang: str) -> str:
    from .brief import _WORDS

    return _WORDS[lang]["subtitle"].format(version=__version__)


def _swap(staging: Path, target: Path) -> None:
    """Move the finished report into ``target``, replacing an earlier report's folders and files.

    Interrupted half-way, the moves made so far are undone: the earlier report stays whole.
    """
    target.mkdir(parents=True, exist_ok=True)
    old = staging / ".old"
    old.mkdir()
    done: list[tuple[Path, Path]] = []
    try:
        for name in ("tables", "charts", "brief.md", "brief.html"):
            for source, destination in ((target / name, old / name), (staging / name, target / name)):
                if source.exists():
                    os.replace(source, destination)
                    done.append((source, destination))
    except BaseException:
        for source, destination in reversed(done):
            os.replace(destination, source)
        raise
