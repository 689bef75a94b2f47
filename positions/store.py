"""A corpus store: the statements and classified tables as a Parquet dataset, partitioned by body and session.

The store is a folder any Parquet reader can open as it is (pandas, Dask,
DuckDB, Spark, with hive partitioning)::

    STORE/statements/body=General%20Assembly/session=76/part-0.parquet
    STORE/classified/body=General%20Assembly/session=76/part-0.parquet

``body`` and ``session`` live in the folder names (a document without a
session number goes to ``session=none``); every other column is in the
files, and classified rows carry the ``model`` that made them (also as
``model_id``, its name before version 0.2).  Adding a new session's documents rewrites only that session's
partitions; adding a document again replaces it.  Every partition is
written beside its old file and renamed over it once all are written, and
writers take a lock on the store, so a crash or a second process never
leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd

from .base.errors import InputError, error_mode
from .base.schema import CLASSIFIED_COLUMNS, STATEMENT_COLUMNS, SCHEMAS, require
from .stance.classified import classify
from .stance.model import load_model
from .parse.table import statements

__all__ = ["Store"]

_TABLES = ("statements", "classified")
_PART = "part-0.parquet"
_NO_SESSION = "none"


class Store:
    """The statements and classified tables of a growing corpus, on disk, one partition per body and session.

    Parameters
    ----------
    path : str or Path
        The store's folder (created on the first :meth:`add`).

    Examples
    --------
    >>> import tempfile, positions as pos
    >>> store = Store(tempfile.mkdtemp())
    >>> store.add(pos.demo_files()[:2], model="rules")[["doc_id", "statements"]].values.tolist()
    [['ahc-2022-session1.en', 44], ['ahc-2022-session1.zh', 43]]
    >>> sorted(p.name for p in (store.path / "statements").iterdir())
    ['body=Ad%20Hoc%20Committee%20on%20Cybercrime']
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def add(self, inputs, *, model=None, on_error: str = "fail", workers: int = 1) -> pd.DataFrame:
        """Read documents (or take a statements table), classify them, and write their partitions.

        Parameters
        ----------
        inputs : files, folders, globs, or a statements DataFrame
        model : path, StanceClassifier or "rules", optional
            The stance model (default: the shipped model); its id is kept on
            every classified row.
        on_error, workers
            As for :func:`positions.statements`.

        Returns
        -------
        DataFrame
            The documents written: ``doc_id``, ``body``, ``session``,
            ``statements``, ``classified`` (rows).
        """
        on_error = error_mode(on_error)
        table = inputs if isinstance(inputs, pd.DataFrame) else statements(inputs, on_error=on_error, workers=workers)
        require(table, STATEMENT_COLUMNS, "statements", "pass the table from statements()")
        if table.empty:
            raise InputError(str(self.path), "nothing to add: the inputs hold no statement")
        classified = _classified(table, _loaded(model))
        with self._locked():
            self._write({"statements": table[STATEMENT_COLUMNS], "classified": classified},
                        replacing=set(table["doc_id"].astype(str)))
        counts = classified.drop_duplicates(["doc_id", "para", "sent", "target"]).groupby("doc_id").size()
        added = (table.groupby("doc_id", sort=False)
                 .agg(body=("body", "first"), session=("session", "first"), statements=("sent", "size"))
                 .reset_index())
        return added.assign(classified=added["doc_id"].map(counts).fillna(0).astype(int))

    def reclassify(self, model=None) -> int:
        """Classify every stored statement again with ``model``; returns the classified rows written."""
        fitted = _loaded(model)
        written = 0
        with self._locked():
            for body, session in self._partitions("statements"):
                part = self._read_partition("statements", body, session)
                classified = _classified(part, fitted)
                self._commit({self._file("classified", body, session): classified})
                written += len(classified)
        return written

    def statements(self, body: str | None = None, session: int | None = None) -> pd.DataFrame:
        """The stored statements table, all of it or one body's (session's) part."""
        return self._read("statements", body, session)

    def classified(self, body: str | None = None, session: int | None = None) -> pd.DataFrame:
        """The stored classified table (with ``model_id``), all of it or one body's (session's) part."""
        return self._read("classified", body, session)

    def documents(self) -> pd.DataFrame:
        """The stored documents: ``doc_id``, ``body``, ``session``, ``statements``."""
        table = self._read("statements", None, None)
        return (table.groupby("doc_id", sort=False).agg(body=("body", "first"), session=("session", "first"),
                                                       statements=("sent", "size")).reset_index())

    # ------------------------------------------------------------------ files

    def _file(self, table: str, body: str, session) -> Path:
        key = _NO_SESSION if pd.isna(session) else str(int(session))
        return self.path / table / f"body={quote(str(body), safe='')}" / f"session={key}" / _PART

    def _partitions(self, table: str) -> Iterator[tuple[str, int | None]]:
        for file in sorted((self.path / table).glob(f"body=*/session=*/{_PART}")):
            body = unquote(file.parent.parent.name.split("=", 1)[1])
            key = file.parent.name.split("=", 1)[1]
            yield body, None if key == _NO_SESSION else int(key)

    def _read_partition(self, table: str, body: str, session) -> pd.DataFrame:
        file = self._file(table, body, session)
        if not file.exists():
            columns = STATEMENT_COLUMNS if table == "statements" else [*CLASSIFIED_COLUMNS, "model_id"]
            return _typed(pd.DataFrame(columns=columns))
        part = pd.read_parquet(file).assign(body=body, session=session)
        return _typed(part)

    def _read(self, table: str, body: str | None, session: int | None) -> pd.DataFrame:
        parts = [self._read_partition(table, b, s) for b, s in self._partitions(table)
                 if (body is None or b == body) and (session is None or s == session)]
        if not parts:
            return self._read_partition(table, "", None)
        columns = STATEMENT_COLUMNS if table == "statements" else [*CLASSIFIED_COLUMNS, "model_id"]
        return _typed(pd.concat(parts, ignore_index=True))[columns]

    def _write(self, tables: dict[str, pd.DataFrame], replacing: set[str]) -> None:
        """Rewrite every partition that gets rows or loses re-added documents, all or none."""
        files: dict[Path, pd.DataFrame] = {}
        for name in _TABLES:
            new = tables[name]
            touched = {(b, None if pd.isna(s) else int(s))
                       for b, s in zip(_bodies(new), new["session"])}
            for body, session in self._partitions(name):
                file = self._file(name, body, session)
                if (body, session) not in touched and replacing & _doc_ids(file):
                    touched.add((body, session))
            for body, session in touched:
                old = self._read_partition(name, body, session)
                old = old[~old["doc_id"].astype(str).isin(replacing)]
                mine = new[(_bodies(new) == body).to_numpy()
                           & (new["session"].isna() if session is None else new["session"] == session)
                           .fillna(False).to_numpy(dtype=bool)]
                files[self._file(name, body, session)] = pd.concat([old, mine], ignore_index=True)
        self._commit(files)

    def _commit(self, files: dict[Path, pd.DataFrame]) -> None:
        """Write each table beside its partition file, then rename them all into place."""
        staged: list[tuple[str, Path]] = []
        try:
            for file, table in files.items():
                file.parent.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".part-", suffix=".tmp")
                os.close(handle)
                staged.append((temporary, file))
                stored = table.drop(columns=["body", "session"]).reset_index(drop=True)
                stored.to_parquet(temporary, index=False)
            _replace_all(staged)
        finally:
            for temporary, _ in staged:
                if os.path.exists(temporary):
                    os.unlink(temporary)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across processes (an advisory lock on ``STORE/.lock``)."""
        import fcntl

        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _replace_all(staged: list[tuple[str, Path]]) -> None:
    """Rename each staged file over its partition; interrupted half-way, the partitions renamed so far go back."""
    kept: list[tuple[str | None, Path]] = []  # (a hard link to the old partition file, or None: there was none)
    try:
        for temporary, file in staged:
            backup = None
            if file.exists():
                backup = f"{temporary}.old"
                os.link(file, backup)
            kept.append((backup, file))
            os.replace(temporary, file)
    except BaseException:
        for backup, file in reversed(kept):
            if backup:
                os.replace(backup, file)  # does nothing if the rename it undoes never happened: the same file
            elif file.exists():
                file.unlink()
        raise
    finally:
        for backup, _ in kept:
            if backup and os.path.exists(backup):
                os.unlink(backup)


def _classified(table: pd.DataFrame, model) -> pd.DataFrame:
    classified = classify(table, model=model)
    return classified.assign(model_id=classified["model"])


def _loaded(model):
    if isinstance(model, str) and model == "rules":
        return "rules"
    if model is None or isinstance(model, (str, os.PathLike)):
        return load_model(model)
    return model


def _bodies(table: pd.DataFrame) -> pd.Series:
    return table["body"].astype(object).where(table["body"].notna(), "unknown body").astype(str)


def _doc_ids(file: Path) -> set[str]:
    import pyarrow.parquet as pq

    return set(pq.read_table(file, columns=["doc_id"]).column("doc_id").to_pylist())


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    dtypes = {**SCHEMAS["classified"], "model_id": "string"}
    return table.astype({c: t for c, t in dtypes.items() if c in table.columns})
