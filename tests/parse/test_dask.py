"""The same public functions on Dask: equal to the pandas path row for row, on a cluster of 2 worker processes."""

from __future__ import annotations

import pandas as pd
import pytest

import positions as pos

dask = pytest.importorskip("dask")  # an extra (positions[dask]); the test extras install it, so CI runs this


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def test_statements_classify_and_positions_on_a_cluster_equal_the_pandas_path(client, ungdc):
    sessions = [ungdc / "Session 76 - 2021", ungdc / "Session 77 - 2022"]
    lazy = pos.statements(sessions, backend="dask")
    assert lazy.npartitions == 2  # 390 speeches, whole documents, 200 a partition: one for each worker
    expected = pos.statements(sessions)
    pd.testing.assert_frame_equal(lazy.compute().reset_index(drop=True), expected)
    classified = pos.classify(lazy)
    expected_classified = pos.classify(expected)
    pd.testing.assert_frame_equal(classified.compute().reset_index(drop=True), expected_classified)
    pd.testing.assert_frame_equal(pos.position_table(classified), pos.position_table(expected_classified))
    workers = client.run(lambda: 1)
    assert len(workers) == 2


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend must be 'pandas' or 'dask'"):
        pos.statements(pos.demo_files(), backend="spark")


def test_on_a_cluster_each_part_comes_back_when_done_and_no_worker_keeps_finished_parts(client):
    import dask.dataframe as dd

    from positions.base.schema import to_pandas

    def part(i):  # a slow partition, that notes how many finished parts its worker holds when it starts
        import time

        from distributed import get_worker

        held = len(get_worker().data)
        time.sleep(0.3)
        return pd.DataFrame({"part": [i], "held": [held]})

    lazy = dd.from_map(part, list(range(12)), meta=pd.DataFrame({"part": pd.Series(dtype=int),
                                                                  "held": pd.Series(dtype=int)}))
    table = to_pandas(lazy)
    assert table["part"].tolist() == list(range(12))  # in the order of the partitions, whatever order they ended in
    assert table["held"].max() <= 2  # a plain compute leaves every finished part on its worker: up to 5 here
