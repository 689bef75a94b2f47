"""Tables of a fixed sample are the same, row for row, as the reference made before the speed work (issue 17).

The reference (``tests/data/reference``) was written by ``tests/make_reference.py``
at commit ``d0811b7``; it holds hashes of the text, offsets, speakers,
targets, stances and rounded floats, never the corpus's text.  A change
meant to alter results (a new model, new rules) makes the reference again
with that script, and says so.
"""

from __future__ import annotations

import pandas as pd
import pytest

from make_reference import REFERENCE_DIR, digest, read_reference, sample_tables

NAMES = sorted(p.stem for p in REFERENCE_DIR.glob("*.tsv"))


@pytest.fixture(scope="module")
def tables(corpus_dir):
    return sample_tables(corpus_dir)


def test_the_reference_covers_every_table_of_the_sample(tables):
    assert len(NAMES) == 18
    assert sorted(tables) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_table_is_the_reference_row_for_row(tables, name):
    expected = read_reference(name)
    got = digest(tables[name])
    assert got.columns.tolist() == expected.columns.tolist()
    assert len(got) == len(expected), f"{name}: {len(got)} rows, the reference has {len(expected)}"
    differ = (got != expected).any(axis=1).to_numpy()
    if differ.any():
        first = differ.argmax()
        pytest.fail(f"{name}: {int(differ.sum())} rows differ; first at row {first}:\n"
                    f"{pd.DataFrame({'got': got.iloc[first], 'reference': expected.iloc[first]})}")
