"""The annotation round trip: suggestions out to annotators, their labels back in.

:func:`export_suggestions` writes the table of :func:`positions.suggest` as
CSV or as an Excel workbook whose ``stance`` and ``target`` cells offer the
allowed labels as a drop-down; :func:`import_labels` reads the file back,
checks every label and that every statement still exists, and returns
standoff annotations ready for :func:`positions.annotations.write_annotations`.
"""

from __future__ import annotations

import os

import pandas as pd

from ..base.errors import InputError
from ..base.output import atomic_path
from ..base.schema import STANCES, statement_hash
from .annotations import ANNOTATION_COLUMNS
from .codebook import Codebook, load_codebook
from .tools import TOOLS, read_tool, tool_of, write_tool

__all__ = ["SUGGESTION_COLUMNS", "export_suggestions", "import_labels"]

SUGGESTION_COLUMNS = ["doc_id", "para", "sent", "hash", "lang", "speaker", "target", "predicted", "confidence",
                      "text", "stance", "annotator"]
_INSTRUCTIONS = ("Fill in 'stance' (favor, against, neutral) for the statement's stance on 'target'. "
                 "If the statement does not address that target, set 'target' to none and leave 'stance' empty; "
                 "to add a target, copy the row and change 'target'. Rows left without a stance are skipped.")


def export_suggestions(suggestions: pd.DataFrame, path: str | os.PathLike, codebook: Codebook | None = None,
                       format: str | None = None) -> None:
    """Write suggestions for annotators: ``.csv``, ``.xlsx`` (with drop-down labels), or an annotation tool's tasks.

    Parameters
    ----------
    suggestions : DataFrame
        From :func:`positions.suggest`.
    path : str or path-like
        Ends in ``.csv`` or ``.xlsx``; written whole or not at all.
    codebook : Codebook, optional
        Its target ids are the choices of the ``target`` column.
    format : {"label-studio", "doccano", "prodigy"}, optional
        Tasks for an annotation tool (:mod:`positions.stance.tools`); without
        it the file's suffix decides (``.json`` is Label Studio's).

    Examples
    --------
    >>> import os, tempfile, positions as pos
    >>> picks = pos.suggest(pos.statements(pos.demo_files()), n=3)
    >>> path = os.path.join(tempfile.mkdtemp(), "next.xlsx")
    >>> export_suggestions(picks, path)
    >>> len(pd.read_excel(path, sheet_name="statements"))
    3
    """
    book = codebook or load_codebook()
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    tool = tool_of(path, format)
    if tool is None and suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{path}: suggestions are written as .csv, .xlsx or .json (Label Studio), or with "
                         f"format= {', '.join(TOOLS)}; not {suffix or '(none)'!r}")
    table = suggestions.reindex(columns=SUGGESTION_COLUMNS)
    with atomic_path(path) as part:
        if tool is not None:
            write_tool(table, part, tool, book)
        elif suffix == ".csv":
            table.to_csv(part, index=False, encoding="utf-8")
        else:
            _write_xlsx(table, part, book)


def _write_xlsx(table: pd.DataFrame, path: str, book: Codebook) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "statements"
    sheet.append(SUGGESTION_COLUMNS)
    for row in table.astype(object).where(table.notna(), None).itertuples(index=False):
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"text": 80, "doc_id": 24, "target": 22, "stance": 12, "hash": 14}
    for i, column in enumerate(SUGGESTION_COLUMNS, 1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 10)
        if column == "text":
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = max(2, len(table) + 1)
    choices = {"stance": list(STANCES), "target": list(book.target_ids) + ["none"]}
    for column, allowed in choices.items():
        letter = sheet.cell(row=1, column=SUGGESTION_COLUMNS.index(column) + 1).column_letter
        check = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                               showErrorMessage=True, error=f"Choose one of: {', '.join(allowed)}")
        check.add(f"{letter}2:{letter}{last + 500}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("instructions")
    notes.append([_INSTRUCTIONS])
    notes.append([f"codebook: {book.id} (version {book.version})"])
    for target in book.target_ids:
        notes.append([target, book.label(target, "en"), book.targets[target]["description"].get("en", "")])
    workbook.save(path)


def import_labels(path: str | os.PathLike, statements: pd.DataFrame, codebook: Codebook | None = None,
                  annotator: str | None = None, format: str | None = None) -> pd.DataFrame:
    """Read an annotated suggestions file back as standoff annotations, checked.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` or ``.xlsx`` from :func:`export_suggestions`, filled in, or
        an annotation tool's export of its tasks (``.json`` Label Studio,
        ``.jsonl`` doccano or Prodigy, told apart by their content).
    statements : DataFrame
        The statements table of the documents the suggestions came from; every
        labelled statement must still be in it (same ``doc_id``, ``para`` and
        text hash).
    codebook : Codebook, optional
    annotator : str, optional
        Fills empty ``annotator`` cells.
    format : {"label-studio", "doccano", "prodigy"}, optional
        The tool whose export ``path`` is (default: from the file).

    Returns
    -------
    DataFrame
        :data:`positions.annotations.ANNOTATION_COLUMNS`; rows left without a
        stance (and not set to ``none``) are skipped.

    Raises
    ------
    InputError
        Unknown target ids or stance labels, a missing column, or a statement
        that no longer exists; the message names the file and the row.

    Examples
    --------
    >>> import os, tempfile, positions as pos
    >>> table = pos.statements(pos.demo_files())
    >>> picks = pos.suggest(table, n=2).assign(stance="favor", annotator="me")
    >>> path = os.path.join(tempfile.mkdtemp(), "done.csv")
    >>> export_suggestions(picks, path)
    >>> import_labels(path, table).stance.tolist()
    ['favor', 'favor']
    """
    book = codebook or load_codebook()
    path = os.fspath(path)
    table = _read_filled(path, format)
    missing = [c for c in ("doc_id", "para", "sent", "hash", "target", "stance") if c not in table.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}; export the file with export_suggestions")
    table = table.fillna("")
    for column in ("doc_id", "hash", "target", "stance", "annotator"):
        if column in table.columns:
            table[column] = table[column].astype(str).str.strip()
    table["target"] = table["target"].str.lower()
    table["stance"] = table["stance"].str.lower()
    labelled = table[(table["stance"] != "") | (table["target"] == "none")]
    targets = set(book.target_ids) | {"none"}
    hashes = {(str(d), int(p), statement_hash(str(t)))
              for d, p, t in zip(statements["doc_id"], statements["para"], statements["text"]) if pd.notna(p)}
    rows = []
    for index, row in labelled.iterrows():
        where = row["where"] if "where" in row else f"row {index + 2}"
        if row["target"] not in targets:
            raise InputError(path, f"{where}: unknown target {row['target']!r}; allowed: {', '.join(sorted(targets))}")
        if row["target"] == "none":
            row["stance"] = ""
        elif row["stance"] not in STANCES:
            raise InputError(path, f"{where}: unknown stance {row['stance']!r}; allowed: {', '.join(STANCES)}")
        try:
            para, sent = int(float(row["para"])), int(float(row["sent"]))
        except ValueError:
            raise InputError(path, f"{where}: para and sent must be numbers") from None
        if (row["doc_id"], para, row["hash"]) not in hashes:
            raise InputError(path, f"{where}: {row['doc_id']} paragraph {para} sentence {sent} no longer exists "
                                   "in the documents (text changed?); re-suggest from the current documents")
        rows.append({"doc_id": row["doc_id"], "para": para, "sent": sent, "hash": row["hash"], "target": row["target"],
                     "stance": row["stance"] or None,
                     "annotator": row.get("annotator") or annotator or "unknown"})
    out = pd.DataFrame(rows, columns=ANNOTATION_COLUMNS)
    out = out.drop_duplicates(["doc_id", "para", "sent", "target", "stance"])
    duplicated = out.duplicated(["doc_id", "para", "sent", "target"], keep="first")
    if duplicated.any():
        second = out[duplicated].iloc[0]
        raise InputError(path, f"{second.doc_id} paragraph {second.para} sentence {second.sent} has target "
                               f"{second.target!r} twice with different stances")
    return out


def _read_filled(path: str, tool: str | None) -> pd.DataFrame:
    if not os.path.isfile(path):
        raise InputError(path, "no such file")
    suffix = os.path.splitext(path)[1].lower()
    if tool or suffix in (".json", ".jsonl"):
        return read_tool(path, tool_of(path, tool))
    try:
        if suffix == ".xlsx":
            return pd.read_excel(path, sheet_name="statements", dtype=str)
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, KeyError, OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"not a readable suggestions file ({str(err).splitlines()[0]})") from None
    except Exception as err:  # openpyxl raises zipfile and XML errors on damaged workbooks
        raise InputError(path, f"not a readable workbook ({type(err).__name__})") from None
    raise InputError(path, f"labels are read from .csv or .xlsx, or a tool's .json or .jsonl export; "
                           f"not {suffix or '(none)'!r}")
