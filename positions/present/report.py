"""The report: tables, charts and a cited brief in one folder, for a policy brief, with a record of the run.

:func:`write_report` runs the whole data flow on a statements table and
writes::

    DIR/brief.md, DIR/brief.html     the brief (positions, shifts, delegations, methods)
    DIR/explanations.html            each cited paragraph's statements: mention, speaker, cues (brief.html links)
    DIR/tables/NAME.csv, NAME.xlsx   statements, classified, positions, shifts, delegation_shifts, and
                                     language-agreement where two language versions of a report are read
    DIR/charts/NAME.png, .svg, .pdf  stance shares, net position, delegation heatmaps, small multiples
    DIR/run.json                     the version, settings, model and input files (SHA-256) of the run

Each table is computed once and handed to the tables, the charts and the
brief.  Everything is written into a hidden folder beside ``DIR`` first and
moved into place at the end, so a failed or interrupted run leaves an
earlier report in ``DIR`` as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import platform
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import pandas as pd

from ..aggregate.languages import language_agreement
from ..aggregate.positions import delegation_shifts, position_table, shift_table
from ..aggregate.sessions import ordered_sessions, relabel_sessions
from ..base.background import Background
from ..base.config import DEFAULT_CONFIG, Config
from ..base.errors import InputError
from ..base.output import write_text, write_xlsx
from ..base.schema import to_pandas
from ..base.version import __version__
from ..stance.classified import classify
from ..stance.learner import StanceClassifier, model_codebook, model_id
from ..stance.model import load_model, shipped_model_path
from ..pipeline.explain import explanations_page
from ..stance.tokenize import default_backend
from .brief import brief_sentences
from .render import brief_html, brief_markdown, cited_paragraphs
from .words import ordered_targets, session_name, target_label, words

__all__ = ["REPORT_TABLES", "XLSX_MAX_ROWS", "check_report_folder", "load_report_model", "run_record", "write_report"]

_log = logging.getLogger("positions")
REPORT_TABLES = ("statements", "classified", "positions", "shifts", "delegation_shifts", "language-agreement")
"""The report's tables, in order; ``language-agreement`` only where a report is read in two languages."""
XLSX_MAX_ROWS = 100_000
_CHART_PROCESSES = 2
"""Processes that draw a report's charts (forked where possible: :class:`positions.base.background.Background`)."""
_OURS = ("brief.md", "brief.html", "explanations.html", "tables", "charts", "run.json")


def write_report(statements: pd.DataFrame, out: str | os.PathLike, *, model=None, model_name: str | None = None,
                 lang: str = "en", sessions_file: str | os.PathLike | pd.DataFrame | None = None,
                 weighted: bool = True, formats: tuple[str, ...] = ("png", "svg", "pdf"),
                 xlsx_max_rows: int = XLSX_MAX_ROWS, n_boot: int = 1000, seed: int = 0,
                 config: Config = DEFAULT_CONFIG) -> list[Path]:
    """Classify statements and write the tables, charts and brief of a report into ``out``.

    Parameters
    ----------
    statements : DataFrame
        From :func:`positions.statements` (a Dask table is computed once).
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
    >>> import json, tempfile, positions as pos
    >>> folder = tempfile.mkdtemp()
    >>> written = write_report(pos.statements(pos.demo_files()), folder, formats=("png",))
    >>> [str(p) for p in written[:5]]
    ['brief.md', 'brief.html', 'run.json', 'explanations.html', 'tables/statements.csv']
    >>> json.load(open(f"{folder}/run.json"))["report"]["seed"]
    0
    """
    words(lang)
    target = Path(out)
    check_report_folder(target)
    statements = to_pandas(statements)  # the one boundary: from here on every table is pandas
    fitted, model_file = load_report_model(model)
    model_file = model_name or model_file
    # the charts take the longest: two children forked now import matplotlib while this process classifies, then
    # draw and save half of them each while this one writes the tables, the brief and the explanations
    drawings = [Background(partial(_write_charts, share=(k, _CHART_PROCESSES)), prepare=_chart_setup)
                for k in range(_CHART_PROCESSES)]
    staging = None
    try:
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
        book = model_codebook(fitted)
        tables = {"statements": statements, "classified": classified,
                  "positions": position_table(classified, weighted=weighted, n_boot=n_boot, seed=seed),
                  "shifts": shift_table(classified, weighted=weighted, n_boot=n_boot, seed=seed),
                  "delegation_shifts": delegation_shifts(classified)}
        agreement = language_agreement(classified)
        if not agreement.empty:
            tables["language-agreement"] = agreement
        settings = {"lang": lang, "weighted": weighted, "formats": list(formats), "n_boot": n_boot, "seed": seed,
                    "xlsx_max_rows": xlsx_max_rows}
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
        for drawing in drawings:
            drawing.start(classified, tables["positions"], staging, book, lang, formats)
        written, notes = _write_tables(tables, staging, xlsx_max_rows, lang)
        sentences = brief_sentences(classified, statements=statements, model=fitted, model_file=model_file,
                                    lang=lang, weighted=weighted, n_boot=n_boot, seed=seed, config=config,
                                    positions=tables["positions"], shifts=tables["shifts"], agreement=agreement)
        title = _title(book, ordered_sessions(classified)["session_label"], lang)
        subtitle = words(lang)["subtitle"].format(version=__version__)
        cited = cited_paragraphs(sentences)
        write_text(staging / "explanations.html", explanations_page(classified, cited, title, lang))
        write_text(staging / "run.json", json.dumps(run_record(statements, fitted, model_file, settings, config,
                                                               sessions_file), ensure_ascii=False, indent=2) + "\n")
        charts = sorted(path for drawing in drawings for path in drawing.result())
        written += charts
        shown = [(str(p), caption) for p, caption in _shown(charts, tables["positions"], book, lang)]
        for name, render, extra in (("brief.md", brief_markdown, {}),
                                    ("brief.html", brief_html, {"explanations": ("explanations.html", set(cited))})):
            write_text(staging / name, render(sentences, lang=lang, title=title, charts=shown, notes=notes,
                                              subtitle=subtitle, **extra))
        _swap(staging, target)
    finally:
        for drawing in drawings:  # before the staging folder goes: a child still writing into it is stopped first
            drawing.cancel()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    _log.info("report in %s: %d sentences in the brief, %d table files, %d chart files", target, len(sentences),
              sum(p.parts[0] == "tables" for p in written), sum(p.parts[0] == "charts" for p in written))
    return [Path("brief.md"), Path("brief.html"), Path("run.json"), Path("explanations.html"), *written]


def run_record(statements: pd.DataFrame, model, model_file: str | None, settings: dict, config: Config,
               sessions_file=None) -> dict:
    """What ``run.json`` holds: the version, the settings, the model and its card, the input files with SHA-256.

    Examples
    --------
    >>> import positions as pos
    >>> record = run_record(pos.statements(pos.demo_files()[:1]), "rules", None, {"seed": 0}, pos.DEFAULT_CONFIG)
    >>> record["model"]["id"], len(record["inputs"][0]["sha256"])
    ('rules/cybercrime@c1512e52', 64)
    """
    book = model_codebook(model)
    card = getattr(model, "card_", None) if isinstance(model, StanceClassifier) else None
    card_json = json.dumps(card, sort_keys=True, ensure_ascii=False, default=str) if card else None
    sessions = (str(sessions_file) if isinstance(sessions_file, (str, os.PathLike))
                else "a table" if sessions_file is not None else None)
    return {
        "positions": __version__,
        "report": settings,
        "config": {field.name: _plain(getattr(config, field.name)) for field in dataclasses.fields(config)},
        "model": {"id": model_id(model, book), "file": model_file,
                  "card_sha256": hashlib.sha256(card_json.encode("utf-8")).hexdigest() if card_json else None,
                  "tokenizer": getattr(model, "tokenizer_", None), "session_tokenizer": default_backend(),
                  "codebook": {"id": book.id, "version": book.version, "digest": book.digest}},
        "sessions_file": sessions,
        "inputs": [{"path": path, "sha256": _sha256(path)} for path in dict.fromkeys(statements["source"].dropna())],
        "versions": {"python": platform.python_version(), **_versions()},
    }


def _plain(value):
    return dict(value) if isinstance(value, Mapping) else value


def _sha256(path: str) -> str | None:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:  # a document given in memory, or a file gone since it was read
        return None


def _versions() -> dict:
    import matplotlib
    import numpy
    import sklearn

    return {"pandas": pd.__version__, "numpy": numpy.__version__, "scikit-learn": sklearn.__version__,
            "matplotlib": matplotlib.__version__}


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
    positions.base.errors.InputError: ...: is a folder with other files in it; write the report to a new or empty folder (an earlier report there is replaced)
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
    (staging / "tables").mkdir(exist_ok=True)
    for name in (name for name in REPORT_TABLES if name in tables):
        table = tables[name]
        csv_path = Path("tables") / f"{name}.csv"
        table.to_csv(staging / csv_path, index=False)
        written.append(csv_path)
        if len(table) <= xlsx_max_rows:
            write_xlsx(table, staging / "tables" / f"{name}.xlsx", sheet=name)
            written.append(Path("tables") / f"{name}.xlsx")
        else:
            notes.append(words(lang)["xlsx_skipped"].format(name=name, rows=len(table), limit=xlsx_max_rows))
    return written, notes


def _chart_setup() -> None:
    """What every chart needs: matplotlib and the CJK font (imported in the child while the parent classifies)."""
    import matplotlib.pyplot  # noqa: F401

    from .charts import use_cjk_font

    use_cjk_font()


def _write_charts(classified, positions, staging: Path, book, lang: str, formats,
                  share: tuple[int, int] = (0, 1)) -> list[Path]:
    """Draw and save the report's charts of ``share`` (:func:`report_charts`); the files written."""
    import matplotlib.pyplot as plt

    from .charts import report_charts, save_chart

    written: list[Path] = []
    for name, figure in report_charts(classified, positions, book, lang, share=share):
        paths = save_chart(figure, staging / "charts" / name, formats=tuple(formats))
        written += [p.relative_to(staging) for p in paths]
        plt.close(figure)
    return written


def _shown(charts: list[Path], positions, book, lang: str):
    """The charts the brief shows (PNG): small multiples, then shares and delegations per target."""
    phrases = words(lang)
    pngs = {p.stem: p for p in charts if p.suffix == ".png"}
    if "all-targets-net" in pngs:
        yield pngs["all-targets-net"], phrases["caption_net"]
    for name in ordered_targets(positions["target"].unique(), book):
        label = target_label(name, lang, book)
        if f"{name}-shares" in pngs:
            yield pngs[f"{name}-shares"], phrases["caption_shares"].format(target=label)
        if f"{name}-delegations" in pngs:
            yield pngs[f"{name}-delegations"], phrases["caption_delegations"].format(target=label)


def _title(book, order: pd.Series, lang: str) -> str:
    first, last = session_name(order.iloc[0], lang), session_name(order.iloc[-1], lang)
    span = first if first == last else (f"{first} 至 {last}" if lang == "zh" else f"{first} to {last}")
    topic = book.title.get(lang) or book.id
    return f"{topic}：各届会议立场（{span}）" if lang == "zh" else f"{topic}: positions by session, {span}"


def _swap(staging: Path, target: Path) -> None:
    """Move the finished report into ``target``, replacing an earlier report's folders and files.

    Interrupted half-way, the moves made so far are undone: the earlier report stays whole.
    """
    target.mkdir(parents=True, exist_ok=True)
    old = staging / ".old"
    old.mkdir()
    done: list[tuple[Path, Path]] = []
    try:
        for name in _OURS:
            for source, destination in ((target / name, old / name), (staging / name, target / name)):
                if source.exists():
                    os.replace(source, destination)
                    done.append((source, destination))
    except BaseException:
        for source, destination in reversed(done):
            os.replace(destination, source)
        raise
