"""Positions over sessions: the classified table summed by session, target and stance.

Work in progress for issue 5: :func:`sessions` and :func:`position_table`
are here; shifts, delegation matrices and charts come next.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables import CLASSIFIED_COLUMNS

__all__ = ["POSITION_COLUMNS", "position_table", "sessions"]

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
    missing = [c for c in ("doc_id", "body", "session", "session_date") if c not in table.columns]
    if missing:
        raise ValueError(f"the table is missing column(s) {missing}; pass the table from statements() or classify()")
    labelled = table.assign(session_label=_labels(table))
    out = (labelled.groupby("session_label", dropna=False, sort=False)
           .agg(body=("body", "first"), session_number=("session", "first"),
                session_date=("session_date", "min"), documents=("doc_id", "nunique"))
           .reset_index().rename(columns={"session_label": "session"}))
    out = out.sort_values(["session_date", "body", "session_number"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _labels(table: pd.DataFrame) -> pd.Series:
    body = table["body"].astype(object).where(table["body"].notna(), "unknown body")
    number = table["session"].astype(object).where(table["session"].notna(), "?")
    return body.astype(str) + " " + number.astype(str)


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
    missing = [c for c in CLASSIFIED_COLUMNS if c not in classified.columns]
    if missing:
        raise ValueError(f"classified is missing column(s) {missing}; pass the table from classify()")
    if by not in ("session", "doc_id"):
        raise ValueError(f"by must be 'session' or 'doc_id'; got {by!r}")
    table = classified.assign(_group=_labels(classified) if by == "session" else classified["doc_id"].astype(str))
    table["_w"] = table["weight"].astype(float).fillna(0.0) if weighted else 1.0
    order = sessions(classified)
    meta = order.set_index("session") if by == "session" else None
    rng = np.random.default_rng(seed)
    rows = []
    for (group, target), part in table.groupby(["_group", "target"], sort=False):
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


def _net_with_interval(signs: np.ndarray, weights: np.ndarray, n_boot: int,
                       rng: np.random.Generator) -> tuple[float, float, float]:
    total = weights.sum()
    if not total:
        return np.nan, np.nan, np.nan
    net = float((signs * weights).sum() / total)
    if n_boot <= 0 or len(signs) < 2:
        return net, np.nan, np.nan
    picks = rng.integers(0, len(signs), size=(n_boot, len(signs)))
    drawn = weights[picks]
    sums = drawn.sum(axis=1)
    nets = np.divide((signs[picks] * drawn).sum(axis=1), sums, out=np.full(n_boot, np.nan), where=sums > 0)
    low, high = np.nanpercentile(nets, [2.5, 97.5])
    return net, float(low), float(high)
