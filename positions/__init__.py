"""positions: how delegations' positions shift across sessions of UN negotiations.

Read UN meeting reports (Chinese, English) and speech collections into a
citable statements table, attributed to speakers; find the targets each
statement addresses and its stance on each.

Examples
--------
>>> import positions as pos
>>> table = pos.statements(pos.demo_files())
>>> sorted(table.lang.unique())
['en', 'zh']
"""


from ._progress import set_progress
from ._version import __version__ as __version__
from .config import DEFAULT_CONFIG, Config
from .demo import demo_annotations, demo_dir, demo_files
from .documents import Document, iter_documents, read_document
from .errors import InputError
from .gazetteer import gazetteer
from .segment import split_sentences
from .speakers import explain
from .tables import (
    CLASSIFIED_COLUMNS,
    STATEMENT_COLUMNS,
    info,
    iter_statement_columns,
    iter_statements,
    participants,
    statements,
)

# Names whose modules import scikit-learn, SciPy or skops load on first use, so that
# ``import positions`` and the reading commands start fast.
_LAZY = {
    "agreement": "annotations", "annotated_statements": "annotations", "read_annotations": "annotations", "statement_hash": "annotations",
    "write_annotations": "annotations", "classify": "classified", "suggest": "classified", "Codebook": "codebook",
    "load_codebook": "codebook", "export_suggestions": "labelling", "import_labels": "labelling",
    "load_model": "model", "save_model": "model", "StanceClassifier": "stance", "explain_stance": "stance",
    "rule_stance": "stance", "detect_targets": "targets", "find_mentions": "targets",
    "position_table": "aggregate", "read_sessions_file": "aggregate", "relabel_sessions": "aggregate", "sessions": "aggregate", "shift_table": "aggregate",
    "delegation_shifts": "aggregate", "delegation_matrix": "aggregate", "brief_sentences": "brief",
    "brief_html": "brief", "brief_markdown": "brief", "write_report": "report",
    "style_positions": "display", "Store": "store",
    "plot_net_position": "charts", "plot_stance_shares": "charts", "plot_delegation_heatmap": "charts",
    "plot_small_multiples": "charts", "save_chart": "charts", "compare_models": "training", "compare_with_new": "training", "cross_validate": "training",
    "evaluation_report": "training", "train": "training", "training_data": "training",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'positions' has no attribute {name!r}")


__all__ = [
    "CLASSIFIED_COLUMNS",
    "DEFAULT_CONFIG",
    "STATEMENT_COLUMNS",
    "Codebook",
    "Config",
    "Document",
    "InputError",
    "StanceClassifier",
    "Store",
    "agreement",
    "annotated_statements",
    "brief_html",
    "brief_markdown",
    "brief_sentences",
    "classify",
    "compare_models",
    "compare_with_new",
    "cross_validate",
    "delegation_matrix",
    "delegation_shifts",
    "demo_annotations",
    "demo_dir",
    "demo_files",
    "detect_targets",
    "evaluation_report",
    "explain",
    "explain_stance",
    "export_suggestions",
    "find_mentions",
    "gazetteer",
    "import_labels",
    "info",
    "iter_documents",
    "iter_statement_columns",
    "iter_statements",
    "load_codebook",
    "load_model",
    "participants",
    "plot_delegation_heatmap",
    "plot_net_position",
    "plot_small_multiples",
    "plot_stance_shares",
    "position_table",
    "read_annotations",
    "read_document",
    "read_sessions_file",
    "relabel_sessions",
    "rule_stance",
    "save_chart",
    "save_model",
    "sessions",
    "set_progress",
    "shift_table",
    "split_sentences",
    "statement_hash",
    "statements",
    "style_positions",
    "suggest",
    "train",
    "training_data",
    "write_annotations",
    "write_report",
]
