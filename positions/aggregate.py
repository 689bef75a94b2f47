"""Positions over sessions: the classified table summed by session, target and stance.

:func:`sessions` orders a table's sessions by date, and
:func:`relabel_sessions` merges, renames and re-dates them from a sessions
file; :func:`position_table`, :func:`shift_table`, :func:`delegation_shifts`
and :func:`delegation_matrix` sum the classified table over them.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from ._dask import to_pandas
from ._progress import progress
from .errors import InputError
from .tables import CLASSIFIED_COLUMNS

__all__ = ["POSITION_COLUMNS", "SESSION_FILE_COLUMNS", "delegation_matrix", "delegation_shifts", "position_table",
           "read_sessions_file", "relabel_sessions", "sessions", "shift_table"]

POSITION_COLUMNS = ["session", "body", "session_number", "session_date", "target", "stance", "statements",
                    "weight", "share", "net", "net_low", "net_high", "delegations"]
_SIGN = {"favor": 1.0, "against": -1.0, "neutral": 0.0}


def sessions(table: pd.DataFrame) -> pd.DataFrame:
    """The sessions a statements or classified table covers, in order of date.

    A session is a body's session (``Expert Group on Cybercrime 3`` is not
    ``Ad Hoc Committee on Cybercrime 3``); the documents of one session (its
    English and Chinese reports, every speech of a General Assembly session)
    are grouped together.

    Returns
    -------
    DataFrame
        ``session`` (label), ``body``, ``session_number``, ``session_date``
        (the earliest date of its documents) and ``documents``.

    Examples
    --------
    >>> import positions as pos
    >>> sessions(pos.statements(pos.demo_files()))[["session", "documents"]].values.tolist()
    [['Ad Hoc Committee on Cybercrime 1', 2], ['Ad Hoc Committee on Cybercrime 2', 2], ['Ad Hoc Committee on Cybercrime 3', 2]]
    """
    table = to_pandas(table)
    missing = [c for c in ("doc_id", "body", "session", "session_date") if c not in table.columns]
    if missing:
        raise ValueError(f"the table is missing column(s) {missing}; pass the table from statements() or classify()")
    labelled = table[["doc_id", "body", "session", "session_date"]].assign(_label=_labels(table))
    out = (labelled.groupby("_label", dropna=False, sort=False)
           .agg(body=("body", _joined), session_number=("session", _single),
                session_date=("session_date", "min"), documents=("doc_id", "nunique"))
           .reset_index().rename(columns={"_label": "session"}))
    out = out.sort_values(["session_date", "body", "session_number"], kind="stable", na_position="last")
    return out.reset_index(drop=True).astype({"session_number": "Int64"})


def _joined(values: pd.Series) -> str:
    return "; ".join(sorted({str(v) for v in values.dropna()}))


def _single(values: pd.Series):
    distinct = values.dropna().unique()
    return distinct[0] if len(distinct) == 1 else pd.NA


def _labels(table: pd.DataFrame) -> pd.Series:
    body = table["body"].astype(object).where(table["body"].notna(), "unknown body")
    number = table["session"].astype(object).where(table["session"].notna(), "?")
    default = body.astype(str) + " " + number.astype(str)
    if "session_label" in table.columns:
        return table["session_label"].astype(object).where(table["session_label"].notna(), default)
    return default


SESSION_FILE_COLUMNS = ["body", "session", "doc_id", "label", "date"]


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
        replaced where the file gives a date.  Every function of this module
        groups by the label.  Rows of the file that match nothing give a
        warning.

    Examples
    --------
    >>> import pandas as pd, positions as pos
    >>> table = pos.statements(pos.demo_files())
    >>> axis = pd.DataFrame({"body": ["Ad Hoc Committee on Cybercrime"] * 2, "session": [1, 2],
    ...                      "label": ["AHC 2022", "AHC 2022"], "date": ["2022-03-01", None]})
    >>> sessions(relabel_sessions(table, axis))[["session", "session_date", "documents"]].values.tolist()
    [['AHC 2022', '2022-03-01', 4], ['Ad Hoc Committee on Cybercrime 3', '2023-01-09', 2]]
    """
    table = to_pandas(table)
    if isinstance(sessions_file, pd.DataFrame):
        name = sessions_file.attrs.get("source", "the sessions table")
        spec = sessions_file.reindex(columns=SESSION_FILE_COLUMNS).astype({"session": "Int64"})
    else:
        name = str(sessions_file)
        spec = read_sessions_file(sessions_file)
    out = table.copy()
    labels = out["session_label"].astype(object) if "session_label" in out.columns else pd.Series(pd.NA, index=out.index, dtype=object)
    dates = out["session_date"].astype(object)
    rank = spec["doc_id"].notna() * 2 + spec["session"].notna()
    for row in spec.assign(_rank=rank).sort_values("_rank", kind="stable").itertuples(index=False):
        if pd.notna(row.doc_id):
            chosen = out["doc_id"] == row.doc_id
        else:
            chosen = out["body"] == row.body
            if pd.notna(row.session):
                chosen &= out["session"] == row.session
        chosen = chosen.fillna(False).to_numpy(dtype=bool)
        if not chosen.any():
            what = row.doc_id if pd.notna(row.doc_id) else " ".join(str(v) for v in (row.body, row.session) if pd.notna(v))
            warnings.warn(f"{name}: {what!r} matches no statement", stacklevel=2)
            continue
        labels[chosen] = row.label
        if pd.notna(row.date):
            dates[chosen] = row.date
    return out.assign(session_label=pd.array(labels, dtype="string"), session_date=pd.array(dates, dtype="string"))


def position_table(classified: pd.DataFrame, by: str = "session", weighted: bool = True, n_boot: int = 1000,
                   seed: int = 0) -> pd.DataFrame:
    """Stance shares and the net position of each target, by session.

    Parameters
    ----------
    classified : DataFrame
        From :func:`positions.classify`: one row per statement, speaker and target.
    by : {"session", "doc_id"}
        Sum by session (a body's session, documents together) or by document.
    weighted : bool
        Count each row by its ``weight`` (how many delegations a quantified
        statement stands for, CODEBOOK.md); ``False`` counts every row once.
    n_boot : int
        Bootstrap resamples for the interval of the net position.
    seed : int
        Seed of the bootstrap, so the interval is the same on every run.

    Returns
    -------
    DataFrame
        One row per (session, target, stance): ``statements`` (distinct
        statements), ``weight`` (their summed weight, or their row count when
        unweighted), ``share`` of the target's total; and, the same on each
        stance row of a (session, target), ``net`` = (favor - against) / all
        with its 95% bootstrap interval over statement rows (``net_low``,
        ``net_high``), and ``delegations``: the distinct named delegations and
        groups behind the target's statements (quantified speakers are not
        counted; see ``weight``).

    Examples
    --------
    >>> import positions as pos
    >>> table = position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> row = table.query("target == 'new_treaty' and stance == 'favor'").iloc[0]
    >>> row.session, bool(-1 <= row.net_low <= row.net <= row.net_high <= 1)
    ('Ad Hoc Committee on Cybercrime 1', True)
    """
    classified = to_pandas(classified)
    _check(classified)
    if by not in ("session", "doc_id"):
        raise ValueError(f"by must be 'session' or 'doc_id'; got {by!r}")
    table = _prepared(classified, by, weighted)
    order = sessions(classified)
    meta = order.set_index("session") if by == "session" else None
    rng = np.random.default_rng(seed)
    rows = []
    grouped = table.groupby(["_group", "target"], sort=False)
    for (group, target), part in progress(grouped, total=grouped.ngroups, desc="bootstrapping", unit="group"):
        signs = part["stance"].map(_SIGN).to_numpy(dtype=float)
        weights = part["_w"].to_numpy(dtype=float)
        net, low, high = _net_with_interval(signs, weights, n_boot, rng)
        named = part[part["speaker_kind"].isin(["delegation", "group"])]["speaker"].dropna().nunique()
        total = weights.sum()
        for stance in ("favor", "against", "neutral"):
            chosen = part["stance"] == stance
            weight = float(weights[chosen.to_numpy()].sum())
            rows.append({
                "session": group,
                "body": meta.loc[group, "body"] if meta is not None else part["body"].iloc[0],
                "session_number": meta.loc[group, "session_number"] if meta is not None else part["session"].iloc[0],
                "session_date": meta.loc[group, "session_date"] if meta is not None else part["session_date"].min(),
                "target": target, "stance": stance,
                "statements": int(part[chosen][["doc_id", "para", "sent"]].drop_duplicates().shape[0]),
                "weight": weight, "share": weight / total if total else np.nan,
                "net": net, "net_low": low, "net_high": high, "delegations": int(named),
            })
    out = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    out = out.sort_values(["session_date", "session", "target"], kind="stable").reset_index(drop=True)
    return out.astype({"session_number": "Int64", "session_date": "string", "body": "string"})


def _prepared(classified: pd.DataFrame, by: str, weighted: bool) -> pd.DataFrame:
    table = classified.assign(_group=_labels(classified) if by == "session" else classified["doc_id"].astype(str))
    table["_w"] = table["weight"].astype(float).fillna(0.0) if weighted else 1.0
    return table


def _check(classified: pd.DataFrame) -> None:
    missing = [c for c in CLASSIFIED_COLUMNS if c not in classified.columns]
    if missing:
        raise ValueError(f"classified is missing column(s) {missing}; pass the table from classify()")


def shift_table(classified: pd.DataFrame, weighted: bool = True, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """How each target's net position moved from one session to the next.

    Consecutive sessions are those, in date order, in which the target was
    addressed.  The interval of the change comes from resampling each
    session's statement rows independently; a session with a single row on
    the target gives no interval, and its change is never beyond the noise.

    Returns
    -------
    DataFrame
        ``target``, ``from_session``, ``to_session``, ``net_from``,
        ``net_to``, ``change``, ``change_low``, ``change_high`` (95%) and
        ``beyond_noise``: True when the interval leaves out 0.

    Examples
    --------
    >>> import positions as pos
    >>> shifts = shift_table(pos.classify(pos.statements(pos.demo_files())))
    >>> first = shifts.query("target == 'new_treaty'").iloc[0]
    >>> first.from_session, first.to_session, bool(first.change > 0)
    ('Ad Hoc Committee on Cybercrime 1', 'Ad Hoc Committee on Cybercrime 2', True)
    """
    classified = to_pandas(classified)
    _check(classified)
    table = _prepared(classified, "session", weighted)
    order = {name: i for i, name in enumerate(sessions(classified)["session"])}
    rng = np.random.default_rng(seed)
    rows = []
    for target, part in table.groupby("target", sort=False):
        present = sorted(part["_group"].unique(), key=order.get)
        arrays = {g: (part.loc[part["_group"] == g, "stance"].map(_SIGN).to_numpy(dtype=float),
                      part.loc[part["_group"] == g, "_w"].to_numpy(dtype=float)) for g in present}
        for before, after in zip(present, present[1:]):
            net_from, draws_from = _net_draws(*arrays[before], n_boot, rng)
            net_to, draws_to = _net_draws(*arrays[after], n_boot, rng)
            change = net_to - net_from
            measurable = n_boot > 0 and not np.isnan(change) and min(len(arrays[before][0]), len(arrays[after][0])) >= 2
            low, high = np.nanpercentile(draws_to - draws_from, [2.5, 97.5]) if measurable else (np.nan, np.nan)
            rows.append({"target": target, "from_session": before, "to_session": after, "net_from": net_from,
                         "net_to": net_to, "change": change, "change_low": float(low), "change_high": float(high),
                         "beyond_noise": bool(low > 0 or high < 0)})
    columns = ["target", "from_session", "to_session", "net_from", "net_to", "change", "change_low",
               "change_high", "beyond_noise"]
    return pd.DataFrame(rows, columns=columns)


def _net_draws(signs: np.ndarray, weights: np.ndarray, n_boot: int,
               rng: np.random.Generator) -> tuple[float, np.ndarray]:
    total = weights.sum()
    net = float((signs * weights).sum() / total) if total else np.nan
    if n_boot <= 0 or not total:
        return net, np.full(max(n_boot, 0), np.nan)
    picks = rng.integers(0, len(signs), size=(n_boot, len(signs)))
    drawn = weights[picks]
    sums = drawn.sum(axis=1)
    return net, np.divide((signs[picks] * drawn).sum(axis=1), sums, out=np.full(n_boot, np.nan), where=sums > 0)


def delegation_shifts(classified: pd.DataFrame) -> pd.DataFrame:
    """Named delegations and groups whose stance on a target changed between the sessions they spoke in.

    A delegation's stance in a session is the sign of its net position there
    (favor above 0, against below, neutral at 0).

    Returns
    -------
    DataFrame
        ``delegation``, ``target``, ``from_session``, ``from_stance``,
        ``to_session``, ``to_stance``, and the statements behind each side,
        cited as ``doc_id ¶para.sent`` (``from_statements``, ``to_statements``).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [dict(doc_id=d, body="General Assembly", session=s, session_date=f"{y}-09-20", para=p, sent=1,
    ...              speaker_kind="delegation", speaker="XYZ", target="new_treaty", stance=st)
    ...         for d, s, y, p, st in [("XYZ_76_2021", 76, 2021, 4, "against"), ("XYZ_77_2022", 77, 2022, 9, "favor")]]
    >>> delegation_shifts(pd.DataFrame(rows))[["delegation", "from_stance", "to_stance", "to_statements"]].values.tolist()
    [['XYZ', 'against', 'favor', 'XYZ_77_2022 ¶9.1']]
    """
    classified = to_pandas(classified)
    named = classified[classified["speaker_kind"].isin(["delegation", "group"]) & classified["speaker"].notna()]
    if named.empty:
        return pd.DataFrame(columns=["delegation", "target", "from_session", "from_stance", "to_session",
                                     "to_stance", "from_statements", "to_statements"])
    order = {name: i for i, name in enumerate(sessions(classified)["session"])}
    named = named.assign(_group=_labels(named), _sign=named["stance"].map(_SIGN))
    rows = []
    for (delegation, target), part in named.groupby(["speaker", "target"], sort=True):
        spoken = []
        for group, in_session in sorted(part.groupby("_group"), key=lambda item: order.get(item[0])):
            net = in_session["_sign"].mean()
            stance = "favor" if net > 0 else "against" if net < 0 else "neutral"
            cited = "; ".join(f"{r.doc_id} ¶{r.para}.{r.sent}" for r in in_session.itertuples())
            spoken.append((group, stance, cited))
        for (before, stance_before, cited_before), (after, stance_after, cited_after) in zip(spoken, spoken[1:]):
            if stance_before != stance_after:
                rows.append({"delegation": delegation, "target": target, "from_session": before,
                             "from_stance": stance_before, "to_session": after, "to_stance": stance_after,
                             "from_statements": cited_before, "to_statements": cited_after})
    return pd.DataFrame(rows, columns=["delegation", "target", "from_session", "from_stance", "to_session",
                                       "to_stance", "from_statements", "to_statements"])


def delegation_matrix(classified: pd.DataFrame, target: str | None = None) -> pd.DataFrame:
    """Net position of each named delegation or group, by session: rows ``(target, delegation)``, columns sessions.

    Sessions are in date order; a delegation that did not address the target
    in a session has no value there (NaN), which is not the same as 0 (neutral).

    Examples
    --------
    >>> import positions as pos
    >>> matrix = delegation_matrix(pos.classify(pos.statements(pos.demo_files())), target="new_treaty")
    >>> matrix.columns.tolist()[:1], matrix.index.names
    (['Ad Hoc Committee on Cybercrime 2'], FrozenList(['target', 'delegation']))
    """
    classified = to_pandas(classified)
    named = classified[classified["speaker_kind"].isin(["delegation", "group"]) & classified["speaker"].notna()]
    if target is not None:
        named = named[named["target"] == target]
    order = [s for s in sessions(classified)["session"]]
    named = named.assign(session=_labels(named), net=named["stance"].map(_SIGN).astype(float))
    matrix = named.pivot_table(index=["target", "speaker"], columns="session", values="net", aggfunc="mean")
    matrix = matrix.reindex(columns=[s for s in order if s in matrix.columns])
    matrix.index = matrix.index.set_names(["target", "delegation"])
    matrix.columns.name = "session"
    return matrix.astype("float64")


def _net_with_interval(signs: np.ndarray, weights: np.ndarray, n_boot: int,
                       rng: np.random.Generator) -> tuple[float, float, float]:
    net, draws = _net_draws(signs, weights, n_boot, rng)
    if len(signs) < 2 or np.isnan(draws).all():
        return net, np.nan, np.nan
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return net, float(low), float(high)
