"""Positions by session: each session's position on each target, its shifts, and where named delegations stood.

:func:`position_table` gives one row per session and target: the weighted
shares of favour, against and neutral, and the net position with its 95%
bootstrap interval.  :func:`shift_table` gives how the net position moved
from one session to the next, with the interval of the change.
:func:`delegation_matrix` and :func:`delegation_shifts` do the same for each
named delegation or group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..base.config import progress
from ..base.schema import SCHEMAS, STANCES, require, to_pandas, typed
from .languages import one_vote
from .sessions import ordered_sessions, session_labels
from .thresholds import MIN_UNITS

__all__ = ["NEEDED", "POSITION_COLUMNS", "SIGN", "delegation_matrix", "delegation_shifts", "held", "position_table", "prepared",
           "shift_table"]

POSITION_COLUMNS = list(SCHEMAS["positions"])
SIGN = {"favor": 1.0, "against": -1.0, "neutral": 0.0}
"""A stance as a number: the net position is the weighted mean of these."""
NEEDED = ["doc_id", "body", "session", "session_date", "para", "sent", "speaker_kind", "speaker", "weight", "target",
          "stance"]
"""The columns of a classified table that aggregation reads (a table of annotations with these will do too)."""


def position_table(classified: pd.DataFrame, by: str = "session", weighted: bool = True, n_boot: int = 1000,
                   seed: int = 0) -> pd.DataFrame:
    """Each session's position on each target: stance shares and the net position with its interval.

    Parameters
    ----------
    classified : DataFrame
        From :func:`positions.stance`: one row per statement, speaker and target.
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
        One row per session and target, in order of date (the tidy shape: a
        row is one position), with the columns :data:`POSITION_COLUMNS`:
        ``session_label``, ``body``, ``session`` (number), ``session_date``,
        ``target``; ``statements`` (distinct statements addressing the
        target, a paragraph's language versions counted once: see
        :func:`positions.aggregate.languages.one_vote`), ``units`` (the
        independent paragraphs they stand in), ``weight`` (their summed
        weight, or their row count when unweighted); ``favor_share``,
        ``against_share``, ``neutral_share`` of that weight; ``net`` =
        (favor - against) / all, with its 95% bootstrap interval, resampling
        paragraphs with their statements (``net_low``, ``net_high``; missing
        for a single paragraph); and ``delegations``: the distinct named
        delegations and groups behind the statements (quantified speakers are
        not counted; see ``weight``).  With ``by="doc_id"`` the first column
        is ``doc_id`` instead of ``session_label``.  For one row per stance,
        ``table.melt(id_vars=["session_label", "target"], value_vars=[...])``.

    Examples
    --------
    >>> import positions as pos
    >>> table = position_table(pos.classify(pos.statements(pos.demo_files())))
    >>> row = table.query("target == 'new_treaty'").iloc[0]
    >>> row.session_label, bool(-1 <= row.net_low <= row.net <= row.net_high <= 1)
    ('Ad Hoc Committee on Cybercrime 1', True)
    >>> float(round(row.favor_share + row.against_share + row.neutral_share, 6))
    1.0
    """
    classified = to_pandas(classified)
    require(classified, NEEDED, "classified", "pass the table from classify()")
    if by not in ("session", "doc_id"):
        raise ValueError(f"by must be 'session' or 'doc_id'; got {by!r}")
    table = prepared(classified, weighted, by)
    meta = ordered_sessions(classified).set_index("session_label") if by == "session" else None
    rng = np.random.default_rng(seed)
    rows = []
    grouped = table.groupby(["_group", "target"], sort=False)
    for (group, target), part in progress(grouped, total=grouped.ngroups, desc="bootstrapping", unit="group"):
        signs, weights, clusters = _arrays(part)
        net, low, high = _net_with_interval(signs, weights, clusters, n_boot, rng)
        total = weights.sum()
        shares = {stance: float(weights[(part["stance"] == stance).to_numpy()].sum()) / total if total else np.nan
                  for stance in STANCES}
        rows.append({
            "session_label": group,
            "body": meta.loc[group, "body"] if meta is not None else part["body"].iloc[0],
            "session": meta.loc[group, "session"] if meta is not None else part["session"].iloc[0],
            "session_date": meta.loc[group, "session_date"] if meta is not None else part["session_date"].min(),
            "target": target, "statements": len(part[["doc_id", "para", "sent"]].drop_duplicates()),
            "weight": float(total), **{f"{stance}_share": shares[stance] for stance in STANCES},
            "net": net, "net_low": low, "net_high": high, "units": int(clusters.max()) + 1,
            "delegations": part[part["speaker_kind"].isin(["delegation", "group"])]["speaker"].dropna().nunique(),
        })
    out = typed(pd.DataFrame(rows, columns=POSITION_COLUMNS), "positions")
    out = out.sort_values(["session_date", "session_label", "target"], kind="stable").reset_index(drop=True)
    return out.rename(columns={"session_label": "doc_id"}) if by == "doc_id" else out


def prepared(classified: pd.DataFrame, weighted: bool, by: str = "session") -> pd.DataFrame:
    """The rows that count, with their group (``_group``: the session label), weight (``_w``) and unit (``_para``).

    By session, language versions of a report count once
    (:func:`positions.aggregate.languages.one_vote`): of each paragraph and
    target, the rows of the more confident version; by document, each
    document counts its own rows.
    ``_para`` names the independent unit the bootstrap resamples: the
    report (whatever its language) and the paragraph.

    Examples
    --------
    >>> import positions as pos
    >>> prepared(pos.classify(pos.statements(pos.demo_files()[:1])), weighted=False)["_w"].unique().tolist()
    [1.0]
    """
    table = one_vote(classified) if by == "session" else classified.assign(_unit=classified["doc_id"].astype(str))
    table = table.assign(_group=session_labels(table) if by == "session" else table["doc_id"].astype(str),
                         _para=table["_unit"].astype(str) + " ¶" + table["para"].astype(object).fillna("?").astype(str))
    return table.assign(_w=table["weight"].astype(float).fillna(0.0) if weighted else 1.0)


def _arrays(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signs, weights and the independent unit (0..k-1) of each row of one position."""
    clusters = pd.factorize(part["_para"])[0]
    return part["stance"].map(SIGN).to_numpy(dtype=float), part["_w"].to_numpy(dtype=float), clusters


def shift_table(classified: pd.DataFrame, weighted: bool = True, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """How each target's net position moved from one session to the next.

    Consecutive sessions are those, in date order, in which the target was
    addressed.  The interval of the change comes from resampling each
    session's independent units (paragraphs, with their statements; a
    paragraph's language versions count once) independently; a session
    with a single paragraph on the target gives no interval.

    Returns
    -------
    DataFrame
        ``target``, ``from_session_label``, ``to_session_label``, ``net_from``,
        ``net_to``, ``change``, ``change_low``, ``change_high`` (95%),
        ``units_from`` and ``units_to`` (independent paragraphs) and
        ``beyond_noise``: True when the interval leaves out 0 and both
        sessions have at least
        :data:`~positions.aggregate.thresholds.MIN_UNITS` paragraphs.

    Examples
    --------
    >>> import positions as pos
    >>> shifts = shift_table(pos.classify(pos.statements(pos.demo_files())))
    >>> first = shifts.query("target == 'new_treaty'").iloc[0]
    >>> first.from_session_label, first.to_session_label, bool(first.change > 0)
    ('Ad Hoc Committee on Cybercrime 1', 'Ad Hoc Committee on Cybercrime 2', True)
    """
    classified = to_pandas(classified)
    require(classified, NEEDED, "classified", "pass the table from classify()")
    table = prepared(classified, weighted)
    order = {name: i for i, name in enumerate(ordered_sessions(classified)["session_label"])}
    rng = np.random.default_rng(seed)
    rows = []
    for target, part in table.groupby("target", sort=False):
        present = sorted(part["_group"].unique(), key=order.get)
        arrays = {g: _arrays(part[part["_group"] == g]) for g in present}
        for before, after in zip(present, present[1:]):
            net_from, draws_from = _net_draws(*arrays[before], n_boot, rng)
            net_to, draws_to = _net_draws(*arrays[after], n_boot, rng)
            change = net_to - net_from
            units = (int(arrays[before][2].max()) + 1, int(arrays[after][2].max()) + 1)
            measurable = n_boot > 0 and not np.isnan(change) and min(units) >= 2
            low, high = np.nanpercentile(draws_to - draws_from, [2.5, 97.5]) if measurable else (np.nan, np.nan)
            rows.append({"target": target, "from_session_label": before, "to_session_label": after,
                         "net_from": net_from, "net_to": net_to, "change": change, "change_low": float(low),
                         "change_high": float(high), "units_from": units[0], "units_to": units[1],
                         "beyond_noise": bool((low > 0 or high < 0) and min(units) >= MIN_UNITS)})
    return typed(pd.DataFrame(rows, columns=list(SCHEMAS["shifts"])), "shifts")


def _net_draws(signs: np.ndarray, weights: np.ndarray, clusters: np.ndarray, n_boot: int,
               rng: np.random.Generator) -> tuple[float, np.ndarray]:
    """The net position and its bootstrap draws, resampling the independent units (``clusters``) with their rows."""
    total = weights.sum()
    net = float((signs * weights).sum() / total) if total else np.nan
    if n_boot <= 0 or not total:
        return net, np.full(max(n_boot, 0), np.nan)
    k = int(clusters.max()) + 1
    unit_sum = np.bincount(clusters, weights=signs * weights, minlength=k)
    unit_weight = np.bincount(clusters, weights=weights, minlength=k)
    picks = rng.integers(0, k, size=(n_boot, k))
    sums = unit_weight[picks].sum(axis=1)
    return net, np.divide(unit_sum[picks].sum(axis=1), sums, out=np.full(n_boot, np.nan), where=sums > 0)


def _net_with_interval(signs: np.ndarray, weights: np.ndarray, clusters: np.ndarray, n_boot: int,
                       rng: np.random.Generator) -> tuple[float, float, float]:
    net, draws = _net_draws(signs, weights, clusters, n_boot, rng)
    if clusters.max() < 1 or np.isnan(draws).all():
        return net, np.nan, np.nan
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return net, float(low), float(high)


def _named(classified: pd.DataFrame) -> pd.DataFrame:
    """Rows spoken by a named delegation or group, with their session label and stance as a number."""
    classified = one_vote(classified)  # a paragraph and its translations count once
    named = classified[classified["speaker_kind"].isin(["delegation", "group"]) & classified["speaker"].notna()]
    return named.assign(_session=session_labels(named), _sign=named["stance"].map(SIGN).astype(float))


def held(net: float) -> str:
    """A delegation's stance from its mean: favour above 0, against below, neutral at 0.

    Examples
    --------
    >>> held(0.5), held(0.0)
    ('favor', 'neutral')
    """
    return "favor" if net > 0 else "against" if net < 0 else "neutral"


def delegation_shifts(classified: pd.DataFrame) -> pd.DataFrame:
    """Named delegations and groups whose stance on a target changed between the sessions they spoke in.

    A delegation's stance in a session is the sign of its net position there
    (:func:`held`).

    Returns
    -------
    DataFrame
        ``delegation``, ``target``, ``from_session_label``, ``from_stance``,
        ``to_session_label``, ``to_stance``, and the statements behind each
        side, cited as ``doc_id ¶para.sent`` (``from_statements``,
        ``to_statements``).

    Examples
    --------
    >>> rows = [dict(doc_id=d, body="General Assembly", session=s, session_date=f"{y}-09-20", para=p, sent=1,
    ...              speaker_kind="delegation", speaker="XYZ", target="new_treaty", stance=st)
    ...         for d, s, y, p, st in [("XYZ_76_2021", 76, 2021, 4, "against"), ("XYZ_77_2022", 77, 2022, 9, "favor")]]
    >>> delegation_shifts(pd.DataFrame(rows))[["delegation", "from_stance", "to_stance", "to_statements"]].values.tolist()
    [['XYZ', 'against', 'favor', 'XYZ_77_2022 ¶9.1']]
    """
    classified = to_pandas(classified)
    columns = list(SCHEMAS["delegation_shifts"])
    named = _named(classified)
    order = {name: i for i, name in enumerate(ordered_sessions(classified)["session_label"])}
    rows = []
    for (delegation, target), part in named.groupby(["speaker", "target"], sort=True):
        spoken = []
        for session, in_session in sorted(part.groupby("_session"), key=lambda item: order.get(item[0])):
            cited = "; ".join(f"{r.doc_id} ¶{r.para}.{r.sent}" for r in in_session.itertuples())
            spoken.append((session, held(in_session["_sign"].mean()), cited))
        for (before, stance_before, cited_before), (after, stance_after, cited_after) in zip(spoken, spoken[1:]):
            if stance_before != stance_after:
                rows.append((delegation, target, before, stance_before, after, stance_after, cited_before,
                             cited_after))
    return typed(pd.DataFrame(rows, columns=columns), "delegation_shifts")


def delegation_matrix(classified: pd.DataFrame, target: str | None = None) -> pd.DataFrame:
    """Net position of each named delegation or group, by session (columns, in date order).

    Parameters
    ----------
    classified : DataFrame
        From :func:`positions.stance`.
    target : str, optional
        One target: rows are then delegations alone (``index`` named
        ``delegation``) and ``matrix.attrs["target"]`` names the target.
        Without it, rows are ``(target, delegation)``.

    Returns
    -------
    DataFrame
        Values -1..1; a delegation that did not address the target in a
        session has no value there (NaN), which is not the same as 0 (neutral).

    Examples
    --------
    >>> import positions as pos
    >>> matrix = delegation_matrix(pos.classify(pos.statements(pos.demo_files())), target="new_treaty")
    >>> matrix.columns.tolist()[:1], matrix.index.name, matrix.attrs["target"]
    (['Ad Hoc Committee on Cybercrime 2'], 'delegation', 'new_treaty')
    """
    classified = to_pandas(classified)
    named = _named(classified)
    if target is not None:
        named = named[named["target"] == target]
    order = list(ordered_sessions(classified)["session_label"])
    matrix = named.pivot_table(index=["target", "speaker"], columns="_session", values="_sign", aggfunc="mean")
    matrix = matrix.reindex(columns=[s for s in order if s in matrix.columns])
    matrix.index = matrix.index.set_names(["target", "delegation"])
    matrix.columns.name = "session_label"
    matrix = matrix.astype("float64")
    if target is not None:
        matrix = matrix.droplevel("target")
        matrix.attrs["target"] = target
    return matrix
