"""At home in Jupyter: rich display of documents, models and position tables; a runnable example on every public function."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import positions as pos


def test_a_document_displays_its_metadata_and_first_paragraphs_escaped(tmp_path):
    doc_path = tmp_path / "ahc-2022-session1.en.txt"
    doc_path.write_text("Report of the Ad Hoc Committee on Cybercrime on its first session\n\n"
                        "1. Many speakers said <b>this</b> & that.\n\n2. Second.\n\n3. Third.\n\n4. Fourth.\n",
                        encoding="utf-8")
    page = pos.read_document(doc_path)._repr_html_()
    assert "<th>body</th><td>Ad Hoc Committee on Cybercrime</td>" in page
    assert "said &lt;b&gt;this&lt;/b&gt; &amp; that." in page and "<b>this" not in page
    assert "… 1 more paragraphs" in page or "more paragraphs" in page


def test_a_trained_model_displays_its_card():
    bundle = pos.load_model()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("StanceClassifier(")
    page = bundle["text/html"]
    assert "codebook cybercrime v1" in page and "new_treaty" in page and "grouped by session" in page
    assert "text/html" in pos.StanceClassifier()._repr_mimebundle_()  # unfitted: scikit-learn's own diagram


def test_a_position_table_is_styled_in_the_stance_colours(demo_positions):
    page = pos.style_positions(demo_positions, lang="zh").to_html()
    for stance, colour in (("favor", "#0072B2"), ("against", "#D55E00"), ("neutral", "#999999")):
        [column] = re.findall(rf'<th id="[^"]*" class="col_heading level0 col(\d+)" >{stance}_share</th>', page)
        assert re.search(rf"th\.col_heading\.col{column} \{{\s*background-color: {colour};", page), stance
    assert "特设委员会第1届会议" in page and "−0.67" in page


def _public_callables():
    for name in pos.__all__:
        value = getattr(pos, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            yield name, value


@pytest.mark.parametrize("name, value", list(_public_callables()), ids=[n for n, _ in _public_callables()])
def test_every_public_function_has_a_numpydoc_example(name, value):
    doc = inspect.getdoc(value) or ""
    assert "Examples\n--------\n>>> " in doc, f"{name}: no runnable Examples section"


def test_a_data_problem_is_a_warning_naming_the_document_and_paragraph(tmp_path):
    doc = tmp_path / "eg-2017.en.txt"
    doc.write_text("Report of the Expert Group on Cybercrime on its third meeting\n\n"
                   "1. The meeting was opened.\n\n"
                   "2. Statements were made by experts from the following Member States: Algeria, Freedonia "
                   "and Brazil.\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"^eg-2017.en ¶2: speaker 'Freedonia' is not in the gazetteer; kept as written$"):
        table = pos.statements(doc)
    with pytest.warns(UserWarning, match="Freedonia"):
        assert "Freedonia" in set(pos.participants(doc).speaker)
    assert len(table[table.para == 2]) >= 1


def _raise(name: str):
    raise ImportError(f"cannot import {name} to look for its public functions")


def _public_modules() -> list[str]:
    """Every module of every subpackage of positions, private ones (``_name``) left out."""
    return [info.name for info in pkgutil.walk_packages(pos.__path__, prefix="positions.", onerror=_raise)
            if not any(part.startswith("_") for part in info.name.split("."))]


def _module_callables():
    for module in _public_modules():
        loaded = importlib.import_module(module)
        names = getattr(loaded, "__all__", None)
        if names is None:  # no __all__: its public names are those without a leading underscore
            names = [name for name in vars(loaded) if not name.startswith("_")]
        for name in names:
            value = getattr(loaded, name)
            if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == loaded.__name__:
                yield f"{module.removeprefix('positions.')}.{name}", value


def test_the_walk_finds_every_module_of_every_subpackage():
    root = Path(pos.__file__).resolve().parent
    on_disk = {".".join(("positions", *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
               for path in root.rglob("*.py")}
    expected = {name for name in on_disk if not any(part.startswith("_") for part in name.split("."))} - {"positions"}
    assert set(_public_modules()) == expected
    found = {name for name, _ in _module_callables()}
    assert {"aggregate.positions.position_table", "present.report.write_report", "stance.learner.StanceClassifier",
            "cli.main"} <= found


@pytest.mark.parametrize("name, value", list(_module_callables()), ids=[n for n, _ in _module_callables()])
def test_every_public_function_of_every_module_has_a_numpydoc_example(name, value):
    assert "Examples\n--------\n>>> " in (inspect.getdoc(value) or ""), f"{name}: no runnable Examples section"
