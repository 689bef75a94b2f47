"""Sessions: which session each statement belongs to, in order of date, and a file to merge or rename them.

A session is a body's session (``Expert Group on Cybercrime 3`` is not
``Ad Hoc Committee on Cybercrime 3``): ``session`` is its number, and
``session_label`` the name the tables and charts group by, ``<body> <number>``
unless a sessions file (:func:`relabel_sessions`) gives another.
"""

from __future__ import annotations

import os
import warnings

import pandas as pd

from ..base.errors import InputError
from ..base.schema import require, to_pandas, typed

__all__ = ["SESSION_FILE_COLUMNS", "ordered_sessions", "read_sessions_file", "relabel_sessions", "session_labels",
           "sessions"]

SESSION_FILE_COLUMNS = ["body", "session", "doc_id", "label", "date"]


def session_labels(table: pd.DataFrame) -> pd.Series:
    """The session label of each row: its ``session_label`` where a sessions file gave one, else body and number.

    Examples
    --------
    >>> table = pd.DataFrame({"body": ["General Assembly", None], "session": pd.array([76, None], dtype="Int64")})
    >>> session_labels(table).tolist()
    ['General Assembly 76', 'unknown body ?']
    """
    body = table["body"].astype(object).where(table["body"].notna(), "unknown body")
    number = table["session"].astype(object).where(table["session"].notna(), "?")
    default = body.astype(str) + " " + number.astype(str)
    if "session_label" in table.columns:
        return table["session_label"].astype(object).where(table["session_label"].notna(), default)
    return default


def sessions(table: pd.DataFrame) -> pd.DataFrame:
    """The sessions a statements or classified table covers, in order of date.

    The documents of one session (its English and Chinese reports, every
    speech of a General Assembly session) are grouped together.

    Returns
    -------
    DataFrame
        ``session_label``, ``body``, ``session`` (number), ``session_date``
        (the earliest date of its documents) and ``documents``.

    Examples
    --------
    >>> import positions as pos
    >>> sessions(pos.statements(pos.demo_files()))[["session_label", "documents"]].values.tolist()
    [['Ad Hoc Committee on Cybercrime 1', 2], ['Ad Hoc Committee on Cybercrime 2', 2], ['Ad Hoc Committee on Cybercrime 3', 2]]
    """
    table = to_pandas(table)
    require(table, ["doc_id", "body", "session", "session_date"], "the table",
            "pass the table from statements() or classify()")
    return ordered_sessions(table)


def ordered_sessions(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`sessions` of a pandas table (what the other functions of this stage call).

    Examples
    --------
    >>> import positions as pos
    >>> ordered_sessions(pos.statements(pos.demo_files())).session.tolist()
    [1, 2, 3]
    """
    labelled = table[["doc_id", "body", "session", "session_date"]].assign(session_label=session_labels(table))
    out = (labelled.groupby("session_label", dropna=False, sort=False)
           .agg(body=("body", _joined), session=("session", _single),
                session_date=("session_date", "min"), documents=("doc_id", "nunique"))
           .reset_index())
    out = out.sort_values(["session_date", "body", "session"], kind="stable", na_position="last")
    return typed(out.reset_index(drop=True), "sessions")


def _joined(values: pd.Series) -> str:
    return "; ".join(sorted({str(v) for v in values.dropna()}))


def _single(values: pd.Series):
    distinct = values.dropna().unique()
    return distinct[0] if len(distinct) == 1 else pd.NA


def read_sessions_file(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check a sessions file (.csv or .xlsx) for :func:`relabel_sessions`.

    Each row picks statements by ``doc_id``, or by ``body`` and ``session``
    (number), or by ``body`` alone (all its sessions), and gives them the
    session ``label``, and optionally a new ``date`` (ISO, YYYY-MM-DD) that
    places them on the time axis.  Rows with the same label are merged into
    one session.

    Raises
    ------
    InputError
        One line naming the file and the problem: unreadable, a missing
        column, a row with no label or nothing to match, a session that is
        not a number, a date that is not YYYY-MM-DD, or one session given two
        labels.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "sessions.csv")
    >>> _ = open(path, "w").write("body,session,label,date\\nGeneral Assembly,72,2017,2017-09-19\\n")
    >>> read_sessions_file(path)[["body", "session", "label"]].values.tolist()
    [['General Assembly', 72, '2017']]
    """
    name = str(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(name, f"a sessions file is .csv or .xlsx, not {suffix or '(no extension)'!r}")
    try:
        raw = pd.read_csv(name, dtype=str) if suffix == ".csv" else pd.read_excel(name, dtype=str)
    except FileNotFoundError:
        raise InputError(name, "no such sessions file") from None
    except Exception as err:  # pandas and openpyxl raise parser, zip and XML errors on damaged files
        raise InputError(name, f"cannot read the sessions file ({type(err).__name__}: {err})") from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if "label" not in raw.columns or not ({"body", "doc_id"} & set(raw.columns)):
        raise InputError(name, f"a sessions file needs a 'label' column and 'body' (with 'session') or 'doc_id'; "
                               f"it has {list(raw.columns)}")
    table = raw.reindex(columns=SESSION_FILE_COLUMNS).astype("string").apply(lambda c: c.str.strip())
    for i, row in enumerate(table.itertuples(index=False), start=2):
        where = f"row {i}"
        if pd.isna(row.label) or not row.label:
            raise InputError(name, f"{where} has no label")
        if pd.isna(row.doc_id) and pd.isna(row.body):
            raise InputError(name, f"{where} names neither a doc_id nor a body")
        if pd.notna(row.session) and not row.session.isdigit():
            raise InputError(name, f"{where}: session {row.session!r} is not a session number")
        if pd.notna(row.date) and pd.isna(pd.to_datetime(row.date, format="%Y-%m-%d", errors="coerce")):
            raise InputError(name, f"{where}: date {row.date!r} is not YYYY-MM-DD")
    keys = table["doc_id"].fillna("") + "|" + table["body"].fillna("") + "|" + table["session"].fillna("")
    clash = table.assign(_key=keys).groupby("_key")["label"].nunique()
    if (clash > 1).any():
        raise InputError(name, f"{clash[clash > 1].index[0].strip('|')!r} is given two different labels")
    table = table.astype({"session": "Int64"})
    table.attrs["source"] = name  # how relabel_sessions names the file in its warnings
    return table


def relabel_sessions(table: pd.DataFrame, sessions_file: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """Merge, rename or re-date sessions, to put several bodies on one time axis.

    Parameters
    ----------
    table : DataFrame
        A statements or classified table.
    sessions_file : path or DataFrame
        A sessions file (see :func:`read_sessions_file`) or a DataFrame with
        its columns.  Rows naming a ``doc_id`` win over rows naming a body's
        session, which win over rows naming a whole body.

    Returns
    -------
    DataFrame
        The table with a ``session_label`` column (missing where no row
        matched: those keep their body's session) and ``session_date``
        replaced where the file gives a date.  Every function of this stage
        groups by the label.  Rows of the file that match nothing give a
        warning.

    Examples
    --------
    >>> import positions as pos
    >>> table = pos.statements(pos.demo_files())
    >>> axis = pd.DataFrame({"body": ["Ad Hoc Committee on Cybercrime"] * 2, "session": [1, 2],
    ...                      "label": ["AHC 2022", "AHC 2022"], "date": ["2022-03-01", None]})
    >>> sessions(relabel_sessions(table, axis))[["session_label", "session_date", "documents"]].values.tolist()
    [['AHC 2022', '2022-03-01', 4], ['Ad Hoc Committee on Cybercrime 3', '2023-01-09', 2]]
    """
    table = to_pandas(table)
    if isinstance(sessions_file, pd.DataFrame):
        name = sessions_file.attrs.get("source", "the sessions table")
        spec = sessions_file.reindex(columns=SESSION_FILE_COLUMNS).astype({"session": "Int64"})
    else:
        name = str(sessions_file)
        spec = read_sessions_file(sessions_file)
    labels = (table["session_label"].astype(object) if "session_label" in table.columns
              else pd.Series(pd.NA, index=table.index, dtype=object))
    dates = table["session_date"].astype(object)
    rank = spec["doc_id"].notna() * 2 + spec["session"].notna()
    for row in spec.assign(_rank=rank).sort_values("_rank", kind="stable").itertuples(index=False):
        if pd.notna(row.doc_id):
            chosen = table["doc_id"] == row.doc_id
        else:
            chosen = table["body"] == row.body
            if pd.notna(row.session):
                chosen &= table["session"] == row.session
        chosen = chosen.fillna(False).to_numpy(dtype=bool)
        if not chosen.any():
            what = row.doc_id if pd.notna(row.doc_id) else " ".join(str(v) for v in (row.body, row.session) if pd.notna(v))
            warnings.warn(f"{name}: {what!r} matches no statement", stacklevel=2)
            continue
        labels[chosen] = row.label
        if pd.notna(row.date):
            dates[chosen] = row.date
    return table.assign(session_label=pd.array(labels, dtype="string"), session_date=pd.array(dates, dtype="string"))
