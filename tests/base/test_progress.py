"""Long steps: progress bars that can be switched off, and chunked work that equals the work done at once."""

from __future__ import annotations

import pandas as pd

import positions as pos
from positions.base import config
from positions.stance import classified


def test_progress_bars_switch_off_and_on(capsys):
    previous = pos.set_progress(False)
    try:
        assert list(config.progress(range(3), desc="x")) == [0, 1, 2]
        assert pos.set_progress(True) is False
        assert list(config.progress(range(3), desc="x")) == [0, 1, 2]  # shown only after 2 s: nothing here
    finally:
        pos.set_progress(previous)
    assert capsys.readouterr().err == ""


def test_a_large_table_is_classified_in_chunks_of_whole_documents_with_the_same_result(
        monkeypatch, demo_statements, demo_classified):
    statements = demo_statements
    at_once = demo_classified  # pos.classify(statements), classified at once before the patch
    assert classified._CHUNK_ROWS >= len(statements)
    monkeypatch.setattr(classified, "_CHUNK_ROWS", 60)  # 6 documents of 43-51 statements: several chunks
    chunked = pos.classify(statements.sample(frac=1, random_state=0))  # and documents need not be contiguous

    def ordered(table):
        return table.sort_values(["doc_id", "para", "sent", "speaker", "target"], kind="stable").reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(chunked), ordered(at_once))
