"""Labelled tables from anywhere: a user's own ``text``, ``target``, ``stance`` rows, checked.

:func:`labelled_table` makes any DataFrame with ``text``, ``target`` and
``stance`` columns (``lang`` optional: detected where absent) into what
:func:`positions.stance.training.train` learns from; :func:`read_table`
reads one from a ``.csv``, ``.xlsx`` or ``.jsonl`` file.  Stance labels are
favor, against, neutral or none, in any case; ``none`` (no stance, as in
SemEval-2016) is learnt as ``neutral`` (:data:`positions.stance.learner.LABELS`).
A ``target`` of ``none`` marks a statement that addresses no target, as in the
standoff annotations; those rows teach no stance.
"""

from __future__ import annotations

import os

import pandas as pd

from ..base.errors import InputError
from .codebook import Codebook
from .features import languages
from .learner import LABELS

__all__ = ["TABLE_FORMATS", "labelled_table", "read_table"]

TABLE_FORMATS = (".csv", ".xlsx", ".jsonl")


def labelled_table(table: pd.DataFrame, codebook: Codebook | None = None, source: str = "table") -> pd.DataFrame:
    """The table checked, with ``lang`` filled in and stances as the model learns them.

    Parameters
    ----------
    table : DataFrame
        ``text``, ``target``, ``stance``, and optionally ``lang`` and any
        other columns (``doc_id``, ``session``, ... are kept for grouping).
    codebook : Codebook, optional
        When given, every target (other than ``none``) must be one of its.
    source : str
        The name errors give (a file name).

    Raises
    ------
    InputError
        A missing column, an empty table, a row without text or target, an
        unknown stance label, or a target outside the codebook; one line
        naming the source and the problem.

    Examples
    --------
    >>> t = pd.DataFrame({"text": ["We back the plan.", "我们反对该计划。"], "target": "plan",
    ...                   "stance": ["FAVOR", "Against"]})
    >>> labelled_table(t)[["lang", "stance"]].values.tolist()
    [['en', 'favor'], ['zh', 'against']]
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(source, f"a labelled table must be a DataFrame, not {type(table).__name__}")
    missing = [c for c in ("text", "target", "stance") if c not in table.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)}; a labelled table needs text, target, "
                                 f"stance (and optionally lang)")
    if table.empty:
        raise InputError(source, "no rows: nothing to learn from")
    out = table.reset_index(drop=True).copy()
    for column in ("text", "target"):
        empty = out[column].isna() | (out[column].astype(str).str.strip() == "")
        if empty.any():
            raise InputError(source, f"row {int(empty.idxmax()) + 1}: no {column}")
    out["target"] = out["target"].astype(str).str.strip()
    addressed = out["target"] != "none"
    stance = out["stance"].map(lambda v: str(v).strip().lower() if isinstance(v, str) else v)
    bad = addressed & ~stance.isin(list(LABELS))
    if bad.any():
        row = int(bad.idxmax())
        raise InputError(source, f"row {row + 1}: unknown stance label {out['stance'][row]!r}; "
                                 "allowed: favor, against, neutral, none (any case)")
    out["stance"] = stance.map(LABELS).where(addressed, None)
    if codebook is not None:
        unknown = sorted(set(out.loc[addressed, "target"]) - set(codebook.target_ids))
        if unknown:
            raise InputError(source, f"target(s) {', '.join(unknown)} not in the codebook {codebook.id!r} "
                                     f"({', '.join(codebook.target_ids)})")
    if "lang" in out.columns:
        out["lang"] = languages(out)
    else:
        out.insert(len(out.columns), "lang", languages(out))
    return out


def read_table(path: str | os.PathLike, codebook: Codebook | None = None) -> pd.DataFrame:
    """A labelled table from a ``.csv``, ``.xlsx`` or ``.jsonl`` file, checked by :func:`labelled_table`.

    Examples
    --------
    >>> import tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.csv")
    >>> _ = pd.DataFrame({"text": ["We back the plan."], "target": "plan", "stance": "favor"}).to_csv(path)
    >>> read_table(path)[["target", "stance", "lang"]].values.tolist()
    [['plan', 'favor', 'en']]
    """
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in TABLE_FORMATS:
        raise InputError(name, f"a labelled table must be {', '.join(TABLE_FORMATS)}, not {suffix or 'no suffix'}")
    if not os.path.isfile(name):
        raise InputError(name, "no such file")
    try:
        if suffix == ".csv":
            table = pd.read_csv(name, dtype=str, keep_default_na=False, na_values=[""])
        elif suffix == ".xlsx":
            table = pd.read_excel(name, dtype=str)
        else:
            table = pd.read_json(name, lines=True, dtype=False)
    except Exception as err:  # pandas and openpyxl raise many kinds for a damaged file
        first = (str(err).splitlines() or [type(err).__name__])[0]
        raise InputError(name, f"cannot read the table ({first})") from None
    return labelled_table(table, codebook, source=name)
