"""The reference of a fixed sample of tables, to check that speed work changes no result.

Run it with the code whose tables are the reference (it was last made at commit
``2bd01f4`` with the shipped model rebuilt on it: the rules' back-off of issue 16, before this
session's speed cuts of issue 17)::

    python tests/make_reference.py [CORPUS_DIR]

It writes ``tests/data/reference/NAME.tsv``: the statements, classified
(shipped model and rules), positions, shifts and delegation shifts tables of the 2017 report, the demo
and 18 UN General Debate speeches.  No text of the corpus is stored:
text columns are replaced by a short SHA-256 of the text; offsets, speakers,
targets and stances are kept as they are, and floats are rounded.
``test_reference.py`` builds the same tables with the current code and
compares them row for row.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd

import positions as pos

REFERENCE_DIR = Path(__file__).resolve().parent / "data" / "reference"
UNGDC_SAMPLE = [
    "Session 01 - 1946/USA_01_1946.txt", "Session 30 - 1975/CHN_30_1975.txt", "Session 50 - 1995/FRA_50_1995.txt",
    "Session 68 - 2013/KOR_68_2013.txt", "Session 70 - 2015/NGA_70_2015.txt", "Session 72 - 2017/EST_72_2017.txt",
    "Session 72 - 2017/RUS_72_2017.txt", "Session 73 - 2018/RUS_73_2018.txt", "Session 74 - 2019/EST_74_2019.txt",
    "Session 74 - 2019/RUS_74_2019.txt", "Session 76 - 2021/CHE_76_2021.txt", "Session 77 - 2022/CHN_77_2022.txt",
    "Session 65 - 2010/MMR_65_2010.txt", "Session 66 - 2011/LTU_66_2011.txt", "Session 67 - 2012/EST_67_2012.txt",
    "Session 72 - 2017/NLD_72_2017.txt", "Session 72 - 2017/QAT_72_2017.txt", "Session 76 - 2021/EST_76_2021.txt",
]
"""Speeches of the sample, under the corpus's ``ungdc`` folder: old ones without targets, recent ones on cybercrime."""
_HASHED = ("text", "speaker_cue", "section", "cues", "title")
_DIGITS = 6


def sample_inputs(corpus_dir: Path) -> dict[str, list]:
    """The sample's inputs by name: the 2017 report, the demo, the UNGDC speeches."""
    return {"report2017": [corpus_dir / "expert-group" / "2017-third-meeting.zh.txt"],
            "demo": pos.demo_files(),
            "ungdc": [corpus_dir / "ungdc" / name for name in UNGDC_SAMPLE]}


def sample_tables(corpus_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of the sample by ``SAMPLE-TABLE`` name, built by the code as it is."""
    tables = {}
    for name, inputs in sample_inputs(corpus_dir).items():
        statements = pos.statements(inputs)
        classified = pos.classify(statements)
        tables[f"{name}-statements"] = statements
        tables[f"{name}-classified"] = classified
        tables[f"{name}-classified-rules"] = pos.classify(statements, model="rules")
        tables[f"{name}-positions"] = pos.position_table(classified)
        tables[f"{name}-shifts"] = pos.shift_table(classified)
        tables[f"{name}-delegation-shifts"] = pos.delegation_shifts(classified)
    return tables


def digest(table: pd.DataFrame) -> pd.DataFrame:
    """A table without the corpus's text: text columns hashed, sources by file name, floats rounded, all as str."""
    out = {}
    for column in table.columns:
        values = table[column]
        if column in _HASHED:
            out[column] = [None if pd.isna(v) else hashlib.sha256(str(v).encode("utf-8")).hexdigest()[:16]
                           for v in values]
        elif column == "source":
            out[column] = [None if pd.isna(v) else Path(str(v)).name for v in values]
        elif pd.api.types.is_float_dtype(values.dtype):
            out[column] = [None if pd.isna(v) else f"{float(v):.{_DIGITS}f}" for v in values]
        else:
            out[column] = [None if pd.isna(v) else str(v) for v in values]
    return pd.DataFrame(out, columns=list(table.columns)).fillna("<NA>").astype(str)


def read_reference(name: str) -> pd.DataFrame:
    """A stored reference table, every cell as str."""
    return pd.read_csv(REFERENCE_DIR / f"{name}.tsv", sep="\t", dtype=str, keep_default_na=False)


def main(argv: list[str]) -> None:
    corpus_dir = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    for name, table in sample_tables(corpus_dir).items():
        digest(table).to_csv(REFERENCE_DIR / f"{name}.tsv", sep="\t", index=False)
        print(f"{name}: {len(table)} rows")


if __name__ == "__main__":
    main(sys.argv[1:])
