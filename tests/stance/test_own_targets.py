"""Training on a labelled table of one's own: the README's example as written, and tables of every kind."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest

import positions as pos
from positions.base.errors import InputError
from positions.stance.tables import labelled_table, read_table

README = Path(__file__).resolve().parents[2] / "README.md"
ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "annotations"


def _readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Train on your own targets", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_example_runs_as_written(tmp_path, monkeypatch):
    """The example prints what its comment says, and the file it saves loads back to the same predictions."""
    code = _readme_example()
    printed = re.search(r"print\(.*\)\s+# (.*)", code).group(1)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), namespace)
    assert out.getvalue().strip() == printed == "['against', 'favor']"
    loaded = pos.load_model(tmp_path / "my-model.skops")
    assert loaded.predict(namespace["new"]).tolist() == ["against", "favor"]
    assert set(loaded.targets_) == {"carbon_price", "nuclear"}


@pytest.fixture(scope="module")
def real_table(ungdc) -> pd.DataFrame:
    """The General Debate's labelled statements as a plain table: text, target, stance, no lang, no keys."""
    annotations = pos.read_annotations([str(p) for p in sorted(ANNOTATIONS.glob("ungdc-*.csv"))])
    data = pos.training_data(annotations[annotations.target != "none"], [ungdc])
    return pd.DataFrame({"text": data["text"].astype(str), "target": data["target"].astype(str),
                         "stance": data["stance"].astype(str)})


def test_a_plain_table_of_real_statements_gets_english_and_its_labels(real_table):
    checked = labelled_table(real_table.assign(stance=real_table["stance"].str.upper()))
    assert set(checked["lang"]) == {"en"}  # General Debate speeches, detected
    assert checked["stance"].tolist() == real_table["stance"].tolist()


@pytest.mark.parametrize("codebook", ["object", "yaml", "json"])
def test_a_codebook_as_object_yaml_path_or_json(real_table, codebook, tmp_path):
    book = pos.load_codebook()
    given = {"object": book, "json": book.to_json(),
             "yaml": str(Path(pos.__file__).parent / "resources" / "cybercrime.yaml")}[codebook]
    labelled = real_table[real_table.target == "new_treaty"].head(6)
    table = pd.concat([labelled, labelled.assign(text="We oppose any new treaty on cybercrime.", stance="against")])
    model = pos.StanceClassifier(codebook=given).fit(table, table["stance"])
    assert pos.stance.model_codebook(model).digest == book.digest
    with pytest.raises(ValueError, match=r"unknown target\(s\) \['my_target'\]"):
        pos.StanceClassifier(codebook=given).fit(table.assign(target="my_target"), table["stance"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_read_table_of_each_format(real_table, tmp_path, suffix):
    path = tmp_path / f"labels{suffix}"
    {".csv": lambda p: real_table.to_csv(p, index=False), ".xlsx": lambda p: real_table.to_excel(p, index=False),
     ".jsonl": lambda p: real_table.to_json(p, orient="records", lines=True, force_ascii=False)}[suffix](path)
    table = read_table(path)
    assert table[["text", "target", "stance"]].values.tolist() == real_table.values.tolist()


@pytest.mark.parametrize("change, problem", [
    (lambda t: t.drop(columns=["stance"]), r"labels.csv: missing column\(s\) stance"),
    (lambda t: t.iloc[0:0], r"labels.csv: no rows: nothing to learn from"),
    (lambda t: t.assign(stance=["maybe"] + t["stance"].tolist()[1:]), r"labels.csv: row 1: unknown stance label "
                                                                      r"'maybe'; allowed: favor, against"),
    (lambda t: t.assign(text=[""] + t["text"].tolist()[1:]), r"labels.csv: row 1: no text"),
])
def test_bad_tables_name_the_file_and_the_problem(real_table, tmp_path, change, problem):
    path = tmp_path / "labels.csv"
    change(real_table).to_csv(path, index=False)
    with pytest.raises(InputError, match=problem):
        read_table(path)


def test_a_table_of_another_format_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"labels.txt: a labelled table must be .csv, .xlsx, .jsonl, not .txt"):
        read_table(tmp_path / "labels.txt")
