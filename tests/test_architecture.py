"""The package is laid out as the data flows: imports go one way, no cycles, no private names, small modules."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import positions
from layout_check import import_graph, problems

PACKAGE = Path(positions.__file__).parent


def test_imports_go_one_way_stage_by_stage_without_cycles_or_private_names():
    assert problems(PACKAGE) == []


def test_no_module_is_over_400_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_every_stage_is_a_subpackage_in_the_order_of_the_data_flow():
    stages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert stages == ["aggregate", "base", "parse", "pipeline", "present", "read", "stance"]
    graph = import_graph(PACKAGE)
    assert "positions.base.schema" in graph["positions.parse.table"]
    assert not [t for t in graph["positions.base.schema"] if t.startswith("positions.")]


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_the_checker_finds_a_planted_cycle_even_through_an_import_inside_a_function(tmp_path):
    root = _plant(tmp_path, {
        "__init__.py": "",
        "read/__init__.py": "",
        "read/a.py": "from .b import thing\n",
        "read/b.py": "def thing():\n    from .a import other\n",
    })
    found = problems(root, stages=("read",))
    assert found == ["pkg.read.a -> pkg.read.b -> pkg.read.a is a cycle"]


def test_the_checker_finds_a_planted_upward_import_and_a_private_name(tmp_path):
    root = _plant(tmp_path, {
        "__init__.py": "",
        "read/__init__.py": "",
        "read/early.py": "def f():\n    from ..present import late\n",
        "present/__init__.py": "",
        "present/late.py": "from ..read.early import _hidden\nfrom ..read import early\nx = early._other\n",
    })
    found = problems(root, stages=("read", "present"))
    assert "pkg.read.early:2 imports pkg.present.late, a later stage (present)" in found
    assert "pkg.present.late:1 imports pkg.read.early._hidden" in found
    assert "pkg.present.late:3 uses early._other" in found


def test_a_stage_that_is_not_in_the_order_is_named(tmp_path):
    root = _plant(tmp_path, {"__init__.py": "", "extra/__init__.py": "", "extra/mod.py": "import os\n"})
    assert problems(root, stages=("read",)) == ["pkg.extra: stage 'extra' is not in the order of stages",
                                                "pkg.extra.mod: stage 'extra' is not in the order of stages"]


def test_import_positions_and_a_statements_table_never_load_matplotlib_or_the_presentation_stage():
    script = ("import sys, positions as pos; pos.classify(pos.statements(pos.demo_files()[:2]));"
              "print(sorted(m for m in sys.modules if m.startswith('matplotlib') or m.startswith('positions.present')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("old, name", [("positions.tokenize", "set_backend"), ("positions.tables", "attributed"),
                                       ("positions.reading", "decode"), ("positions._formatting", "session_name")])
def test_an_old_module_path_still_works_with_a_deprecation_warning(old, name):
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} is now positions"):
        module = __import__(old, fromlist=[name])
    assert callable(getattr(module, name))


def test_old_names_in_the_namespace_warn_and_point_to_the_new_ones():
    with pytest.warns(DeprecationWarning, match="positions.evaluation_report is now positions.evaluate"):
        assert positions.evaluation_report is positions.evaluate
