"""The notebooks run top to bottom (their code cells, in one namespace)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    namespace: dict = {}
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert cells
    for number, cell in enumerate(cells, 1):
        source = "".join(cell["source"])
        exec(compile(source, f"{path.name}, cell {number}", "exec"), namespace)  # noqa: S102
