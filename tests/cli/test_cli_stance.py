"""The stance commands from the command line: classify, suggest, import-labels, train, evaluate, compare.

Every command runs in a child process (``support.run_cli``), as a user runs
it.  Each of them imports scikit-learn and skops, which takes seconds, so the
runs this module's selected tests need are started together, as soon as the
first test asks, on a few workers (the ``runs`` fixture); each test then waits
for its own run.

Bad input keeps the contract of ``support.assert_one_error_line``: exit status
1 (2 for a usage error), one line on stderr naming the file, no traceback, and
no output file (nor temporary file) left behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support import assert_one_error_line, run_cli

import positions

STANCES = ("favor", "against", "neutral")
DEMO_DIR = str(positions.demo_dir())
DEMO_ANNOTATIONS = positions.demo_annotations()
GOLD = pd.read_csv(DEMO_ANNOTATIONS, dtype=str, keep_default_na=False)
PAIRS = int((GOLD.target != "none").sum())  # statement-target pairs with a stance


# --------------------------------------------------------------------------- the runs


@dataclass(frozen=True)
class Run:
    args: tuple
    slow: bool = True  # imports scikit-learn: start it early


def _runs() -> dict[str, Run]:
    """Every command line this module runs, by name; ``{in}`` is the folder of prepared inputs."""
    train = ("train", DEMO_ANNOTATIONS, "--corpus", DEMO_DIR, "--folds", "3")
    return {
        "classify": Run(("classify", "--demo", "--out", "x.csv")),
        "classify-rules": Run(("classify", "--demo", "--model", "rules", "--out", "x.csv")),
        "suggest-xlsx": Run(("suggest", "--demo", "-n", "5", "--out", "s.xlsx")),
        "import-labels": Run(("import-labels", "{in}/filled.csv", "--corpus", DEMO_DIR, "--annotator", "ann-cli",
                              "--out", "labels.csv")),
        "train-1": Run((*train, "--out", "models/stance.skops")),
        "train-2": Run((*train, "--out", "models/stance.skops")),
        "evaluate": Run(("evaluate", DEMO_ANNOTATIONS, "--corpus", DEMO_DIR, "--folds", "3")),
        "compare": Run(("compare", "{in}/old.csv", "--new", "{in}/new.csv", "--corpus", DEMO_DIR, "--folds", "3")),
        # bad input
        "missing-model": Run(("classify", "--demo", "--model", "absent.skops", "--out", "x.csv")),
        "pickle-model": Run(("classify", "--demo", "--model", "{in}/pickled.skops", "--out", "x.csv")),
        "unknown-target": Run(("train", "{in}/unknown-target.csv", "--corpus", DEMO_DIR, "--out", "m.skops")),
        "no-csv": Run(("train", "{in}/no-csv", "--corpus", DEMO_DIR, "--out", "m.skops")),
        "wrong-corpus": Run(("train", DEMO_ANNOTATIONS, "--corpus", "{in}/other-corpus", "--out", "m.skops")),
        "suggest-txt": Run(("suggest", "--demo", "--out", "s.txt"), slow=False),
        # a labelled table of one's own
        "train-table": Run(("train", "--table", "{in}/labels.csv", "--folds", "3", "--out", "own.skops")),
        "train-table-xlsx": Run(("train", "--table", "{in}/labels.xlsx", "--folds", "3", "--out", "own.skops")),
        "evaluate-table": Run(("evaluate", "--table", "{in}/labels.jsonl", "--folds", "3")),
        "table-no-stance": Run(("train", "--table", "{in}/no-stance.csv", "--out", "m.skops")),
        "table-bad-label": Run(("train", "--table", "{in}/bad-label.csv", "--out", "m.skops")),
        "table-empty": Run(("evaluate", "--table", "{in}/empty.csv")),
        "table-or-annotations": Run(("train", "--out", "m.skops"), slow=False),
    }


RUNS = _runs()


def uses(*names: str):
    """Mark a test as needing these runs (only the runs of selected tests are started)."""
    unknown = set(names) - set(RUNS)
    assert not unknown, unknown

    def mark(test):
        test.runs = names
        return test

    return mark


@dataclass
class Result:
    name: str
    cwd: Path
    inputs: Path
    returncode: int
    stdout: str
    stderr: str


def prepare_inputs(folder: Path, demo_statements: pd.DataFrame) -> None:
    """The input files the runs read: labels filled in, annotations split by session, bad files."""
    folder.mkdir(parents=True, exist_ok=True)
    gold = GOLD

    # an annotator's filled-in suggestions: rows of the demo annotations, in the suggestions' form
    table = demo_statements.dropna(subset=["para"]).drop_duplicates(["doc_id", "para", "sent"])
    labelled = gold[gold.target != "none"].groupby("doc_id").head(2).reset_index(drop=True)
    rows = labelled.astype({"para": int, "sent": int}).merge(
        table[["doc_id", "para", "sent", "lang", "speaker", "text"]].astype({"para": int}), on=["doc_id", "para", "sent"])
    assert len(rows) == len(labelled) > 2
    suggestions = rows.assign(predicted="neutral", confidence=0.5, stance=None, annotator=None)
    positions.export_suggestions(suggestions, folder / "filled.csv")
    filled = pd.read_csv(folder / "filled.csv", dtype=str, keep_default_na=False)
    filled["stance"] = rows["stance"].to_numpy()
    filled.loc[0, "annotator"] = "ann-a"
    filled.loc[len(filled) - 1, "stance"] = ""  # left unlabelled: skipped
    filled.to_csv(folder / "filled.csv", index=False)

    # the annotations before session 3, and session 3's
    session3 = gold.doc_id.str.contains("session3")
    gold[~session3].to_csv(folder / "old.csv", index=False)
    gold[session3].to_csv(folder / "new.csv", index=False)

    # the demo's labelled statements as a plain table, targets renamed (not the codebook's), stances in capitals
    table = positions.training_data(gold, DEMO_DIR)
    own = pd.DataFrame({"text": table["text"].astype(str), "target": "my_" + table["target"].astype(str),
                        "stance": table["stance"].fillna("").str.upper()})[table["target"] != "none"]
    own.to_csv(folder / "labels.csv", index=False)
    own.to_excel(folder / "labels.xlsx", index=False)
    own.to_json(folder / "labels.jsonl", orient="records", lines=True, force_ascii=False)
    own.drop(columns="stance").to_csv(folder / "no-stance.csv", index=False)
    own.assign(stance=["maybe"] + own["stance"].tolist()[1:]).to_csv(folder / "bad-label.csv", index=False)
    own.iloc[0:0].to_csv(folder / "empty.csv", index=False)

    bad = gold.copy()
    bad.loc[3, "target"] = "new_treatyy"
    bad.to_csv(folder / "unknown-target.csv", index=False)
    (folder / "no-csv").mkdir()
    (folder / "no-csv" / "notes.txt").write_text("the annotations are elsewhere\n", encoding="utf-8")
    (folder / "other-corpus").mkdir()
    (folder / "other-corpus" / "another-meeting.en.txt").write_bytes(Path(positions.demo_files()[0]).read_bytes())
    (folder / "pickled.skops").write_bytes(pickle.dumps(_OpensAFile(folder / "pickle-ran")))


class _OpensAFile:
    """Unpickling this creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


class Runner:
    def __init__(self, root: Path, names: list[str], demo_statements: pd.DataFrame) -> None:
        self.inputs = root / "inputs"
        prepare_inputs(self.inputs, demo_statements)
        self.root = root
        workers = min(6, (os.cpu_count() or 2) + 1)
        self.pool = ThreadPoolExecutor(workers)
        order = sorted(names, key=lambda n: (RUNS[n].slow, list(RUNS).index(n)))  # the quick ones first
        self.futures: dict[str, Future] = {name: self.pool.submit(self._run, name) for name in order}

    def _run(self, name: str) -> Result:
        cwd = self.root / name
        cwd.mkdir()
        args = [str(a).replace("{in}", str(self.inputs)) for a in RUNS[name].args]
        done = run_cli(*args, cwd=cwd)
        return Result(name, cwd, self.inputs, done.returncode, done.stdout, done.stderr)

    def __getitem__(self, name: str) -> Result:
        if name not in self.futures:  # a test not seen at collection (should not happen)
            self.futures[name] = self.pool.submit(self._run, name)
        return self.futures[name].result()


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory, demo_statements):
    """The runs of this module's selected tests, started together; ``runs[name]`` waits for one."""
    module = request.module
    names = sorted({name for item in request.session.items if getattr(item, "module", None) is module
                    for name in getattr(item.function, "runs", ())})
    runner = Runner(tmp_path_factory.mktemp("cli"), names, demo_statements)
    yield runner
    runner.pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- checks


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def succeeded(result: Result) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not [name for name in files(result.cwd) if name.endswith(".part")]


def refused(result: Result, name: str, problem: str, code: int = 1) -> str:
    """The one-line contract (exit ``code``, one line naming ``name``, no traceback), and nothing written."""
    line = assert_one_error_line(result, name, problem, code)
    assert files(result.cwd) == [], files(result.cwd)  # no output file, no temporary file
    return line


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- classify


def _classified_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"doc_id": str, "target": str, "stance": str})


@uses("classify")
def test_classify_with_the_shipped_model(runs, demo_classified):
    result = runs["classify"]
    succeeded(result)
    assert result.stdout == ""
    assert files(result.cwd) == ["x.csv"]
    table = _classified_csv(result.cwd / "x.csv")
    assert list(table.columns) == positions.CLASSIFIED_COLUMNS
    assert len(table) > 0
    assert table.stance.isin(STANCES).all()
    assert table.confidence.between(0, 1).all()
    assert table.target.isin(positions.load_codebook().target_ids).all()
    # the same as the library gives, evidence and model name included
    expected = demo_classified
    columns = ["doc_id", "para", "sent", "speaker", "target", "stance", "mention_start", "mention_end", "cues", "model"]
    pd.testing.assert_frame_equal(table[columns].fillna(""), expected[columns].astype(object).fillna(""),
                                  check_dtype=False)
    np.testing.assert_allclose(table.confidence, expected.confidence, rtol=1e-9)


@uses("classify-rules", "classify")
def test_classify_with_the_rules(runs, demo_statements):
    result = runs["classify-rules"]
    succeeded(result)
    table = _classified_csv(result.cwd / "x.csv")
    assert list(table.columns) == positions.CLASSIFIED_COLUMNS
    assert table.stance.isin(STANCES).all()
    assert table.confidence.between(0.5, 1).all()  # the rules: 1 when the cues agree, less when they conflict
    expected = positions.classify(demo_statements, model="rules")
    assert table.stance.tolist() == expected.stance.tolist()
    # the rules and the model find the same (statement, speaker, target) rows; only the stances may differ
    model = _classified_csv(runs["classify"].cwd / "x.csv")
    key = ["doc_id", "para", "sent", "speaker", "target"]
    assert len(table) == len(model)
    assert sorted(map(tuple, table[key].astype(str).values)) == sorted(map(tuple, model[key].astype(str).values))


# --------------------------------------------------------------------------- suggest


@uses("suggest-xlsx")
def test_suggest_writes_a_workbook(runs):
    openpyxl = pytest.importorskip("openpyxl")
    result = runs["suggest-xlsx"]
    succeeded(result)
    assert files(result.cwd) == ["s.xlsx"]
    assert "5 statements to annotate written to s.xlsx" in result.stderr
    picks = pd.read_excel(result.cwd / "s.xlsx", sheet_name="statements", dtype=str)
    assert len(picks) == 5 and not picks.duplicated(["doc_id", "para", "sent", "target"]).any()
    assert picks.stance.isna().all()
    sheet = openpyxl.load_workbook(result.cwd / "s.xlsx")["statements"]
    assert {v.formula1 for v in sheet.data_validations.dataValidation} >= {'"favor,against,neutral"'}


@uses("suggest-txt")
def test_suggest_with_an_unknown_extension_is_a_usage_error(runs):
    refused(runs["suggest-txt"], "s.txt", r"\.txt", code=2)


# --------------------------------------------------------------------------- import-labels


@uses("import-labels")
def test_import_labels_writes_standoff_annotations(runs):
    result = runs["import-labels"]
    succeeded(result)
    assert files(result.cwd) == ["labels.csv"]
    filled = pd.read_csv(result.inputs / "filled.csv", dtype=str, keep_default_na=False)
    labelled = filled[filled.stance != ""]
    assert len(labelled) == len(filled) - 1  # the row left without a stance is skipped
    assert result.stderr.strip() == f"{len(labelled)} annotations written to labels.csv"
    labels = pd.read_csv(result.cwd / "labels.csv", dtype=str, keep_default_na=False)
    assert list(labels.columns) == ["doc_id", "para", "sent", "hash", "target", "stance", "annotator"]
    assert labels[["doc_id", "para", "sent", "hash", "target", "stance"]].values.tolist() == \
        labelled[["doc_id", "para", "sent", "hash", "target", "stance"]].values.tolist()
    assert labels.annotator.tolist() == ["ann-a"] + ["ann-cli"] * (len(labelled) - 1)
    positions.read_annotations(str(result.cwd / "labels.csv"))  # a valid annotation file


# --------------------------------------------------------------------------- train, evaluate, compare

TRAINED = re.compile(r"^model written to (?P<out>\S+) \(sha256 (?P<sha>[0-9a-f]{64})\); model card (?P<card>\S+)$",
                     re.MULTILINE)


@uses("train-1")
def test_train_writes_a_model_and_its_card(runs, demo_statements):
    result = runs["train-1"]
    succeeded(result)
    assert files(result.cwd) == ["models", "models/stance.md", "models/stance.skops"]
    found = TRAINED.search(result.stdout)
    assert found, result.stdout
    assert found["out"] == "models/stance.skops" and found["card"] == "models/stance.md"
    model_path = result.cwd / "models" / "stance.skops"
    assert found["sha"] == sha256(model_path)
    assert re.search(rf"^all\s+all\s+{PAIRS}\s", result.stdout, re.MULTILINE), result.stdout  # the summary

    model = positions.load_model(model_path)
    card = model.card_
    assert card["codebook"]["id"] == "cybercrime"
    assert list(card["annotations"]["files"]) == ["demo.csv"] and card["annotations"]["rows"] == len(GOLD)
    assert card["training"]["statements"] == PAIRS
    assert card["metrics"]["cross_validation"] == "grouped by session, 3 folds"  # by default, where known
    markdown = (result.cwd / "models" / "stance.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Model card: stance model for the `cybercrime` codebook")
    assert card["annotations"]["digest"] in markdown and "grouped by session, 3 folds" in markdown
    first = demo_statements[demo_statements["doc_id"] == demo_statements["doc_id"].iloc[0]]
    predicted = positions.classify(first, model=model)
    assert predicted.stance.isin(STANCES).all()


@uses("train-1", "train-2")
def test_train_twice_gives_the_same_file(runs):
    first, second = runs["train-1"], runs["train-2"]
    succeeded(first)
    succeeded(second)
    hashes = [TRAINED.search(r.stdout)["sha"] for r in (first, second)]
    cards = [(r.cwd / "models" / "stance.md").read_bytes() for r in (first, second)]
    assert cards[0] == cards[1]
    models = [r.cwd / "models" / "stance.skops" for r in (first, second)]
    assert hashes[0] == hashes[1]
    assert models[0].read_bytes() == models[1].read_bytes()


@uses("evaluate")
def test_evaluate_prints_f_avg_and_a_confusion_matrix(runs):
    result = runs["evaluate"]
    succeeded(result)
    assert files(result.cwd) == []
    out = result.stdout
    pairs = int(re.search(r"3 folds grouped by session .*; (\d+) statement-target pairs", out).group(1))
    assert pairs == PAIRS
    assert "F_avg" in out and re.search(r"^target\s+lang\s+n\s+accuracy\s+f_avg\s+macro_f1$", out, re.MULTILINE)
    overall = re.search(r"^all\s+all\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, re.MULTILINE)
    assert overall and int(overall.group(1)) == pairs and 0 <= float(overall.group(3)) <= 1

    block = out.split("Confusion (rows gold, columns predicted):\n", 1)[1].split("\n\n", 1)[0]
    matrix = pd.read_fwf(io.StringIO(block), index_col=0, skiprows=[1])
    assert list(matrix.columns) == list(STANCES) and list(matrix.index) == list(STANCES), block
    assert int(matrix.to_numpy().sum()) == pairs
    assert np.trace(matrix.to_numpy()) == round(float(overall.group(2)) * pairs)


@uses("compare")
def test_compare_prints_old_and_new(runs):
    result = runs["compare"]
    succeeded(result)
    assert files(result.cwd) == []
    lines = result.stdout.splitlines()
    assert "'old' trains without the new annotations, 'new' with them" in lines[0]
    assert lines[1].split() == ["target", "lang", "f_avg_old", "f_avg_new"]
    rows = [line.split() for line in lines[2:]]
    assert ["all", "all"] == rows[0][:2]
    assert {r[0] for r in rows} == {"all"} | set(GOLD.target) - {"none"}
    for row in rows:
        assert all(v == "-" or 0 <= float(v) <= 1 for v in row[2:]), row


# --------------------------------------------------------------------------- bad input


@uses("missing-model")
def test_a_model_that_does_not_exist(runs):
    refused(runs["missing-model"], "absent.skops", "no such model file")


@uses("pickle-model")
def test_a_pickle_renamed_skops_is_refused_unread(runs):
    result = runs["pickle-model"]
    refused(result, "pickled.skops", r"not a skops model file.*pickle")
    assert not (result.inputs / "pickle-ran").exists()


@uses("unknown-target")
def test_annotations_with_an_unknown_target(runs):
    line = refused(runs["unknown-target"], "unknown-target.csv", r"line 5: unknown target 'new_treatyy'")
    assert line.startswith("error: ")


@uses("no-csv")
def test_an_annotations_folder_without_csv(runs):
    refused(runs["no-csv"], "no-csv", r"no annotation file \(\.csv\)")


@uses("wrong-corpus")
def test_a_corpus_without_the_annotated_documents(runs):
    refused(runs["wrong-corpus"], "other-corpus", "none of the annotated documents")


# --------------------------------------------------------------------------- a labelled table of one's own


@uses("train-table", "train-table-xlsx")
def test_train_on_a_table_of_ones_own_targets(runs):
    """Targets outside the codebook, labels in capitals: a model for those targets, the same from CSV and Excel."""
    result = runs["train-table"]
    succeeded(result)
    model = positions.load_model(result.cwd / "own.skops")
    assert set(model.targets_) == {"my_new_treaty", "my_budapest_convention", "my_capacity_building",
                                   "my_human_rights"}  # the demo has no draft_study
    assert model.card_["metrics"]["cross_validation"] == "grouped by row, 3 folds"
    card = (result.cwd / "own.md").read_text(encoding="utf-8")
    assert "## Reliability of `confidence`" in card and "my_new_treaty" in card
    other = runs["train-table-xlsx"]
    succeeded(other)
    assert sha256(other.cwd / "own.skops") == sha256(result.cwd / "own.skops")


@uses("evaluate-table")
def test_evaluate_a_table(runs):
    result = runs["evaluate-table"]
    succeeded(result)
    assert "Stance, cross-validated: 3 folds grouped by row" in result.stdout
    assert re.search(r"^my_new_treaty\s+en\s", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("name, file, problem", [
    ("table-no-stance", "no-stance.csv", r"missing column\(s\) stance; a labelled table needs text, target, stance"),
    ("table-bad-label", "bad-label.csv", r"row 1: unknown stance label 'maybe'; allowed: favor, against, neutral, "
                                         r"none \(any case\)"),
    ("table-empty", "empty.csv", r"no rows: nothing to learn from"),
])
@uses("table-no-stance", "table-bad-label", "table-empty")
def test_bad_tables_are_one_line(runs, name, file, problem):
    refused(runs[name], file, problem)


@uses("table-or-annotations")
def test_train_needs_annotations_or_a_table(runs):
    refused(runs["table-or-annotations"], "train", r"give ANNOTATIONS with --corpus DIR, or --table FILE", code=2)
