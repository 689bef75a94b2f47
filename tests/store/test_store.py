"""The corpus store: partitions by body and session, replace-not-duplicate, nothing half-written, one writer at a time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import positions as pos
from positions.stance.learner import model_id

KEYS = ["doc_id", "para", "sent", "speaker"]
MODEL_ID = r"model-[0-9a-f]{12}/cybercrime@[0-9a-f]{8}"


def _files(store: pos.Store) -> dict[Path, tuple[int, int]]:
    return {p.relative_to(store.path): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in store.path.rglob("*.parquet")}


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(KEYS, kind="stable", na_position="first").reset_index(drop=True)


def _of(statements: pd.DataFrame, files) -> pd.DataFrame:
    """The rows of the shared demo table read from ``files`` (a new table: the fixture is not changed)."""
    return statements[statements["source"].isin([str(f) for f in files])].reset_index(drop=True)


@pytest.fixture
def store(tmp_path) -> pos.Store:
    store = pos.Store(tmp_path / "store")
    store.add(pos.demo_files()[:4], model="rules")  # sessions 1 and 2, both languages
    return store


def test_the_store_gives_back_the_statements_table_row_for_row(store, demo_statements):
    expected = _of(demo_statements, pos.demo_files()[:4])
    assert expected.doc_id.nunique() == 4
    pd.testing.assert_frame_equal(_sorted(store.statements()), _sorted(expected))
    assert store.statements(session=2).doc_id.unique().tolist() == ["ahc-2022-session2.en", "ahc-2022-session2.zh"]
    classified = store.classified()
    pd.testing.assert_frame_equal(_sorted(classified.drop(columns="model_id")),
                                  _sorted(pos.classify(expected, model="rules")))
    assert set(classified.model) == {model_id("rules")}
    assert re.fullmatch(r"rules/cybercrime@[0-9a-f]{8}", model_id("rules"))
    assert classified.model_id.tolist() == classified.model.tolist()  # kept under its old name too


def test_any_parquet_reader_opens_it_as_it_is(store):
    import pyarrow.dataset as ds

    table = pd.read_parquet(store.path / "statements")
    assert len(table) == len(store.statements()) and {"body", "session"} <= set(table.columns)
    dataset = ds.dataset(store.path / "classified", format="parquet", partitioning="hive")
    assert dataset.to_table(filter=ds.field("session") == 2).num_rows == len(store.classified(session=2))


def test_a_new_session_writes_only_its_partitions(store):
    before = _files(store)
    added = store.add(pos.demo_files()[4:], model="rules")
    assert added.doc_id.tolist() == ["ahc-2023-session3.en", "ahc-2023-session3.zh"]
    after = _files(store)
    assert {k: v for k, v in after.items() if k in before} == before  # untouched: same inode, same mtime
    assert sorted(str(p) for p in set(after) - set(before)) == [
        "classified/body=Ad%20Hoc%20Committee%20on%20Cybercrime/session=3/part-0.parquet",
        "statements/body=Ad%20Hoc%20Committee%20on%20Cybercrime/session=3/part-0.parquet"]


def test_adding_a_document_again_replaces_it(store, demo_statements):
    rows = len(store.statements())
    store.add(pos.demo_files()[0], model="rules")
    assert len(store.statements()) == rows and store.documents().doc_id.nunique() == 4
    moved = _of(demo_statements, pos.demo_files()[:1]).assign(session=7)  # its metadata corrected: another session
    store.add(moved, model="rules")
    assert store.statements(session=1).doc_id.unique().tolist() == ["ahc-2022-session1.zh"]
    assert store.statements(session=7).doc_id.unique().tolist() == ["ahc-2022-session1.en"]
    assert len(store.statements()) == rows


def test_reclassifying_records_the_model_of_every_row(store):
    written = store.reclassify()  # the shipped model
    classified = store.classified()
    shipped = model_id(pos.load_model())
    assert written == len(classified) and set(classified.model) == {shipped}
    assert classified.model_id.tolist() == classified.model.tolist()
    assert re.fullmatch(MODEL_ID, shipped) and shipped != model_id("rules")


def test_a_crash_while_writing_leaves_the_store_as_it_was(store, monkeypatch):
    before = {p: p.read_bytes() for p in store.path.rglob("*.parquet")}
    real = pd.DataFrame.to_parquet
    calls = []

    def crash_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        store.add(pos.demo_files(), model="rules")
    assert {p: p.read_bytes() for p in store.path.rglob("*.parquet")} == before
    assert not [p for p in store.path.rglob("*") if p.name.endswith(".tmp")]


def test_two_processes_adding_at_once_do_not_corrupt_the_store(tmp_path, demo_statements):
    script = ("import sys, positions as pos\n"
              "pos.Store(sys.argv[1]).add(sys.argv[2:], model='rules')\n")
    files = pos.demo_files()
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "s"), *part])
            for part in (files[:3], files[3:], files[1:5])]
    assert [run.wait(timeout=300) for run in runs] == [0, 0, 0]
    store = pos.Store(tmp_path / "s")
    pd.testing.assert_frame_equal(_sorted(store.statements()), _sorted(demo_statements))


def test_nothing_to_add_is_one_line(tmp_path, demo_statements):
    empty = demo_statements.iloc[0:0].copy()
    with pytest.raises(pos.InputError, match="nothing to add"):
        pos.Store(tmp_path / "s").add(empty)
