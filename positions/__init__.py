"""positions: how delegations' positions shift across sessions of UN negotiations.

Read UN meeting reports (Chinese, English) and speech collections into a
citable statements table, attributed to speakers.

Examples
--------
>>> import positions as pos
>>> table = pos.statements(pos.demo_files())
>>> sorted(table.lang.unique())
['en', 'zh']
"""

from .config import DEFAULT_CONFIG, Config
from .demo import demo_dir, demo_files
from .documents import Document, iter_documents, read_document
from .errors import InputError
from .gazetteer import gazetteer
from .segment import split_sentences
from .speakers import explain
from .tables import STATEMENT_COLUMNS, info, iter_statement_columns, iter_statements, participants, statements

__all__ = [
    "DEFAULT_CONFIG",
    "STATEMENT_COLUMNS",
    "Config",
    "Document",
    "InputError",
    "demo_dir",
    "demo_files",
    "explain",
    "gazetteer",
    "info",
    "iter_documents",
    "iter_statement_columns",
    "iter_statements",
    "participants",
    "read_document",
    "split_sentences",
    "statements",
]
__version__ = "0.1.0"
