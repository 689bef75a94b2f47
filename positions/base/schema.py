"""Every table's columns and dtypes in one place, and where a Dask table becomes pandas.

The statements and classified tables are the contract of DESIGN.md; the
others are the library's own.  Text columns have pandas' ``string`` dtype
(missing values are ``<NA>``), counts and numbers ``Int64`` where they may be
missing.  :func:`typed` gives a table its schema's dtypes, :func:`empty` an
empty table of a schema, :func:`require` names the columns a table lacks.

pandas is imported only when a function needs it, so that the command line
can write CSV without it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CLASSIFIED_COLUMNS", "CLASSIFIED_DTYPES", "PARTICIPANT_COLUMNS", "PARTICIPANT_DTYPES", "SCHEMAS", "STANCES",
    "STATEMENT_COLUMNS", "STATEMENT_DTYPES", "empty", "is_dask", "require", "statement_hash", "to_pandas", "typed",
]

STANCES = ("favor", "against", "neutral")
"""The stance labels of CODEBOOK.md, in the order every table and chart uses."""

_TEXT = "string"

STATEMENT_DTYPES: dict[str, str] = {
    "doc_id": _TEXT, "source": _TEXT, "body": _TEXT, "session": "Int64", "session_date": _TEXT, "lang": _TEXT,
    "section": _TEXT, "para": "Int64", "sent": "int64", "char_start": "int64", "char_end": "int64", "text": _TEXT,
    "speaker_kind": _TEXT, "speaker": _TEXT, "on_behalf_of": _TEXT, "quantifier": _TEXT, "weight": "float64",
    "speaker_cue": _TEXT,
}
STATEMENT_COLUMNS = list(STATEMENT_DTYPES)
"""One row per statement and speaker; ``document.text[char_start:char_end] == text``.

``speaker_cue`` holds the words of the statement that name its speaker
(许多发言者, "the representative of Malta", ``file name`` for a speech), empty
when the speaker carries over from the statement before (这些发言者, "they",
or no subject of its own).
"""

CLASSIFIED_DTYPES: dict[str, str] = {
    "target": _TEXT, "stance": _TEXT, "confidence": "float64", "mention_start": "Int64", "mention_end": "Int64",
    "cues": _TEXT, "model": _TEXT,
}
CLASSIFIED_COLUMNS = STATEMENT_COLUMNS + list(CLASSIFIED_DTYPES)
"""Every statements column, plus the target, its stance and the evidence for both.

``mention_start``/``mention_end`` are document offsets of the target's mention
(``<NA>`` when the target is implied), ``cues`` the stance cues as JSON and
``model`` the id of the model and codebook that made the row.
"""

PARTICIPANT_DTYPES: dict[str, str] = {
    "doc_id": _TEXT, "para": "Int64", "speaker": _TEXT, "speaker_kind": _TEXT, "on_behalf_of": _TEXT, "role": _TEXT,
}
PARTICIPANT_COLUMNS = list(PARTICIPANT_DTYPES)

SCHEMAS: dict[str, dict[str, str]] = {
    "statements": STATEMENT_DTYPES,
    "classified": {**STATEMENT_DTYPES, **CLASSIFIED_DTYPES},
    "participants": PARTICIPANT_DTYPES,
    "targets": {"row": "int64", "target": _TEXT, "via": _TEXT, "cue": _TEXT, "start": "int64", "end": "int64"},
    "sessions": {"session_label": _TEXT, "body": _TEXT, "session": "Int64", "session_date": _TEXT,
                 "documents": "int64"},
    "positions": {"session_label": _TEXT, "body": _TEXT, "session": "Int64", "session_date": _TEXT, "target": _TEXT,
                  "statements": "int64", "units": "int64", "weight": "float64", "favor_share": "float64", "against_share": "float64",
                  "neutral_share": "float64", "net": "float64", "net_low": "float64", "net_high": "float64",
                  "delegations": "int64"},
    "shifts": {"target": _TEXT, "from_session_label": _TEXT, "to_session_label": _TEXT, "net_from": "float64",
               "net_to": "float64", "change": "float64", "change_low": "float64", "change_high": "float64",
               "units_from": "int64", "units_to": "int64", "beyond_noise": "bool"},
    "delegation_shifts": {"delegation": _TEXT, "target": _TEXT, "from_session_label": _TEXT, "from_stance": _TEXT,
                          "to_session_label": _TEXT, "to_stance": _TEXT, "from_statements": _TEXT,
                          "to_statements": _TEXT},
    "annotations": {"doc_id": _TEXT, "para": "int64", "sent": "int64", "hash": _TEXT, "target": _TEXT,
                    "stance": _TEXT, "annotator": _TEXT},
    "brief": {"section": _TEXT, "target": _TEXT, "session_label": _TEXT, "text": _TEXT, "sources": _TEXT},
}
"""Each table's columns, in order, with their dtypes."""


def typed(table: pd.DataFrame, schema: str) -> pd.DataFrame:
    """``table`` with the dtypes its schema gives to the columns it has.

    Examples
    --------
    >>> import pandas as pd
    >>> [str(t) for t in typed(pd.DataFrame({"doc_id": ["a"], "para": [None], "extra": [1]}), "participants").dtypes]
    ['string', 'Int64', 'int64']
    """
    dtypes = SCHEMAS[schema]
    return table.astype({c: t for c, t in dtypes.items() if c in table.columns})


def empty(schema: str, columns: list[str] | None = None) -> pd.DataFrame:
    """An empty table of a schema (or of some of its ``columns``), with its dtypes.

    Examples
    --------
    >>> empty("shifts").columns.tolist()[:3]
    ['target', 'from_session_label', 'to_session_label']
    """
    import pandas as pd

    dtypes = SCHEMAS[schema]
    return pd.DataFrame({c: pd.Series(dtype=dtypes[c]) for c in (columns or list(dtypes))})


def require(table, columns, what: str, hint: str) -> None:
    """Raise a ValueError naming the ``columns`` that ``table`` lacks.

    Examples
    --------
    >>> import pandas as pd
    >>> require(pd.DataFrame({"text": []}), ["text", "char_end"], "statements", "pass the table from statements()")
    Traceback (most recent call last):
    ...
    ValueError: statements is missing column(s) ['char_end']; pass the table from statements()
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}; {hint}")


def is_dask(table) -> bool:
    """Whether ``table`` is a Dask collection (without importing Dask).

    Examples
    --------
    >>> import pandas as pd
    >>> is_dask(pd.DataFrame())
    False
    """
    return type(table).__module__.split(".")[0] in ("dask", "dask_expr")


def to_pandas(table) -> pd.DataFrame:
    """A Dask collection computed into one pandas DataFrame (index 0..n-1); a pandas one as it is.

    The public functions after classification call it on their way in, and
    nothing inside the library calls a public function again, so a Dask table
    is computed once per call (and once per report).

    Examples
    --------
    >>> import pandas as pd
    >>> to_pandas(pd.DataFrame({"a": [1]})).a.tolist()
    [1]
    """
    if not is_dask(table):
        return table
    import dask
    import pandas as pd

    # one task a partition (optimized: reading and classifying fuse), each result sent straight to the caller
    # and joined here; a plain compute also gathers them onto one worker first and joins them there
    parts = table.to_delayed(optimize_graph=True)
    client = _distributed_client()
    if client is None:
        return pd.concat(dask.compute(*parts), ignore_index=True)
    from distributed import as_completed

    # on a cluster each part is fetched as soon as it is done, and forgotten on its worker once no future holds
    # it: the workers keep no finished parts, so their memory stays flat however many partitions a corpus has
    futures = client.compute(parts)
    where = {future.key: i for i, future in enumerate(futures)}
    results: list = [None] * len(futures)
    done = as_completed(futures, with_results=True)
    del futures
    for batch in done.batches():
        for future, result in batch:
            results[where[future.key]] = result
    return pd.concat(results, ignore_index=True)


def _distributed_client():
    """The Dask ``distributed`` client ``dask.compute`` would use, or None (no client, or a local scheduler set)."""
    import dask

    chosen = dask.config.get("scheduler", None)
    if chosen is not None and chosen not in ("dask.distributed", "distributed"):
        return None
    try:
        from distributed import default_client
    except ImportError:  # dask without distributed
        return None
    try:
        return default_client()
    except ValueError:  # no client has been started
        return None


def statement_hash(text: str) -> str:
    """The key of a statement's text: SHA-1 of the text without white space, 12 hex digits.

    White space is dropped so that re-flowing a PDF's lines does not change it.

    Examples
    --------
    >>> statement_hash("Many speakers agreed.") == statement_hash("Many  speakers\\nagreed.")
    True
    >>> len(statement_hash("许多发言者认为"))
    12
    """
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()[:12]
