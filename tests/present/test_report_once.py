"""A report computes each table once, records its run in run.json, and is the same from a Dask statements table."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import re
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import positions as pos  # noqa: E402
from positions.base.config import DEFAULT_CONFIG, Config  # noqa: E402
from positions.base.version import __version__  # noqa: E402
from positions.present.report import run_record, write_report  # noqa: E402
from positions.stance.learner import model_id  # noqa: E402
from positions.stance.model import shipped_model_path  # noqa: E402
from positions.stance.tokenize import default_backend  # noqa: E402

# settings of the reports below: not all defaults, so that run.json is seen to record what was asked
SETTINGS = {"lang": "en", "weighted": True, "formats": ["png"], "n_boot": 200, "seed": 7}
COUNTED = ("position_table", "shift_table")
# where a report may reach the two tables: the report, the brief, and the stage that defines them
PATCHED = ("positions.present.report", "positions.present.brief", "positions.aggregate.positions")


def _report(statements, out: Path) -> list[Path]:
    return write_report(statements, out, lang=SETTINGS["lang"], weighted=SETTINGS["weighted"],
                        formats=tuple(SETTINGS["formats"]), n_boot=SETTINGS["n_boot"], seed=SETTINGS["seed"])


@pytest.fixture(scope="module")
def counted_report(demo_statements, tmp_path_factory) -> tuple[Path, Counter]:
    """The demo report, written with counting wrappers around position_table and shift_table."""
    stage = importlib.import_module("positions.aggregate.positions")

    calls: Counter = Counter()

    def counting(name: str):
        real = getattr(stage, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    out = tmp_path_factory.mktemp("once") / "report"
    with pytest.MonkeyPatch.context() as patch:
        for module in PATCHED:
            importlib.import_module(module)
            for name in COUNTED:
                patch.setattr(f"{module}.{name}", counting(name))
        written = _report(demo_statements, out)
    assert [str(p) for p in written[:3]] == ["brief.md", "brief.html", "run.json"]
    return out, calls


@pytest.fixture(scope="module")
def run(counted_report) -> dict:
    out, _ = counted_report
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_a_report_computes_the_position_and_shift_tables_once(counted_report):
    out, calls = counted_report
    assert dict(calls) == {"position_table": 1, "shift_table": 1}
    assert (out / "tables" / "positions.csv").is_file() and (out / "tables" / "shifts.csv").is_file()
    assert "too few statements to tell" in (out / "brief.md").read_text(encoding="utf-8")  # the brief used them


def test_run_json_records_the_version_and_the_report_settings(run):
    assert run["positions"] == __version__ == pos.__version__
    assert {key: run["report"][key] for key in SETTINGS} == SETTINGS


def test_run_json_records_the_whole_config(run, demo_statements):
    names = {field.name for field in dataclasses.fields(Config)}
    assert set(run["config"]) == names
    assert Config(**run["config"]) == DEFAULT_CONFIG  # every field, the weights included, read back
    assert run["config"]["fixed_weights"]["many"] == 10.0 and run["config"]["share_weights"]["general"] == 0.8
    changed = Config(fixed_weights={**DEFAULT_CONFIG.fixed_weights, "many": 12.0}, named_weight=2.0)
    recorded = run_record(demo_statements, "rules", None, {}, changed)["config"]
    assert Config(**json.loads(json.dumps(recorded))) == changed  # the Config given, not the default


def test_run_json_records_the_model_its_card_and_its_tokenizer(run, counted_report):
    out, _ = counted_report
    classified = pd.read_csv(out / "tables" / "classified.csv")
    model = pos.load_model()
    assert set(classified["model"]) == {run["model"]["id"]}
    assert run["model"]["id"] == model_id(model)
    assert re.fullmatch(r"model-[0-9a-f]{12}/cybercrime@[0-9a-f]{8}", run["model"]["id"])
    card = json.dumps(model.card_, sort_keys=True, ensure_ascii=False, default=str)  # the card as canonical JSON
    assert run["model"]["card_sha256"] == hashlib.sha256(card.encode("utf-8")).hexdigest()
    assert run["model"]["tokenizer"] == model.tokenizer_ == model.card_["tokenizer"]
    assert run["model"]["session_tokenizer"] == default_backend()
    file_digest = hashlib.sha256(shipped_model_path().read_bytes()).hexdigest()
    assert run["model"]["file"] == f"{shipped_model_path().name} (sha256 {file_digest[:12]})"


def test_run_json_records_each_demo_file_with_its_sha256(run):
    inputs = [(entry["path"], entry["sha256"]) for entry in run["inputs"]]
    expected = [(str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()) for path in pos.demo_files()]
    assert len(expected) == 6 and sorted(inputs) == sorted(expected)


def test_a_dask_statements_table_gives_the_same_report_tables(counted_report, tmp_path):
    out, _ = counted_report
    lazy = pos.statements(pos.demo_files(), backend="dask")
    assert type(lazy).__module__.split(".")[0] in ("dask", "dask_expr")  # a Dask table, not pandas
    _report(lazy, tmp_path / "dask")
    for name in ("positions", "classified"):
        with_dask = (tmp_path / "dask" / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        with_pandas = (out / "tables" / f"{name}.csv").read_text(encoding="utf-8")
        assert with_dask == with_pandas, name
