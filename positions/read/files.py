"""Read files into text (PDF, Word and HTML opened), expand inputs into the files to read, find the demo corpus.

Every failure is an :class:`~positions.base.errors.InputError` naming the file.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..base.config import DEFAULT_CONFIG, Config, data_path
from ..base.errors import InputError
from .encoding import decode
from .layout import is_header_line

__all__ = ["READABLE", "UNGDC_FILE", "Source", "demo_annotations", "demo_dir", "demo_files", "iter_sources", "read_text"]

READABLE = (".txt", ".pdf", ".docx", ".html", ".htm")
UNGDC_FILE = re.compile(r"^(?P<code>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
UNGDC_DIR = re.compile(r"^Session (?P<session>\d{1,3}) - (?P<year>\d{4})$")


@dataclass(frozen=True)
class Source:
    """One input file, and what its place in a speech collection says about it.

    ``ungdc`` holds ``code``, ``session`` and ``year`` for a file of the UN
    General Debate Corpus layout, and is None for any other document.

    Examples
    --------
    >>> Source("ungdc/Session 76 - 2021/RUS_76_2021.txt", {"code": "RUS", "session": 76, "year": 2021}).ungdc["code"]
    'RUS'
    """

    path: str
    ungdc: dict | None = None


def read_text(path: str | os.PathLike, config: Config = DEFAULT_CONFIG) -> str:
    """Read one document's raw text, whatever its format.

    ``.txt`` is decoded (see :func:`decode`); ``.pdf`` is read through its
    text layer, pages separated by form feeds; ``.docx`` and ``.html`` give
    one line per paragraph, separated by blank lines.  A file larger than
    ``config.max_file_mb``, or a ``.docx`` that would unpack to more, is
    refused unread.

    Parameters
    ----------
    path : str or os.PathLike
    config : Config
        Its ``max_file_mb`` is the size limit.

    Returns
    -------
    str

    Raises
    ------
    InputError
        Missing, unreadable, damaged, or of an unknown type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.html"
    >>> _ = p.write_text("<p>One <b>speaker</b> agreed.</p><p>Others did not.</p>")
    >>> read_text(p)
    'One speaker agreed.\\n\\nOthers did not.'
    """
    name = str(path)
    suffix = Path(name).suffix.lower()
    if not os.path.exists(name):
        raise InputError(name, "no such file or folder")
    if suffix not in READABLE:
        raise InputError(name, f"cannot read {suffix or 'files without an extension'}; "
                               f"give {', '.join(READABLE)} files")
    limit = int(config.max_file_mb * 1e6)
    try:
        status = os.stat(name)
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device would never end
            raise InputError(name, "not a regular file (a pipe or a device?)")
        if status.st_size > limit:
            raise InputError(name, f"{_mb(status.st_size)}, over the {_mb(limit)} limit for one file; "
                                   f"raise it with --max-file-mb or Config(max_file_mb=...) if this is a report")
        if suffix == ".pdf":
            return _read_pdf(name)
        data = Path(name).read_bytes()
    except OSError as err:
        raise InputError(name, f"cannot open ({err.strerror})") from None
    if suffix == ".docx":
        return _read_docx(name, data, limit)
    text = decode(data, name)
    if suffix in (".html", ".htm"):
        text = _html_text(text)
        if not text.strip():
            raise InputError(name, "no text in this HTML page")
    return text


def _read_pdf(path: str) -> str:
    from pypdf import PdfReader

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its children log through this level
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):  # an owner password alone still opens
                raise InputError(path, "the PDF is protected by a password; save an unprotected copy first")
            pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf fails on a damaged file in any way it likes
        raise InputError(path, "not a readable PDF (truncated or damaged?)") from None
    finally:
        logger.setLevel(level)
    if not pages:
        raise InputError(path, "not a readable PDF (no pages; truncated?)")
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise InputError(path, "no text layer (scanned PDF?); run OCR first")
    return text


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size < 1e9 else f"{size / 1e9:,.1f} GB"


_DAMAGED_DOCX = "not a readable .docx (damaged, or not a Word document inside); open it in Word and save it again"


def _read_docx(path: str, data: bytes, limit: int) -> str:
    import io

    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(path, "not a .docx file (not a zip archive; an old .doc? save as .docx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError(path, _DAMAGED_DOCX) from None
    if unpacked > limit:  # Python's zipfile stops at each member's declared size: the declarations are the bound
        raise InputError(path, f"unpacks to {_mb(unpacked)}, over the {_mb(limit)} limit (a zip bomb?); "
                               f"raise it with --max-file-mb or Config(max_file_mb=...) if this is a report")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx fails on a hostile package in any way it likes (KeyError, XML errors, ...)
        raise InputError(path, _DAMAGED_DOCX) from None
    header = [p.text for section in document.sections[:1] for p in section.header.paragraphs]
    lines = [line for line in header if is_header_line(line)] + [p.text for p in document.paragraphs]
    text = "\n\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise InputError(path, "empty document")
    return text


_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "table", "section", "article", "header", "footer", "blockquote", "pre", "title",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip = 0

    def _flush(self) -> None:
        block = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if block:
            self.blocks.append(block)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)


def _html_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks)


def iter_sources(inputs: list[str] | str) -> Iterator[Source]:
    """Expand files, folders and glob patterns into the documents to read.

    A folder of the UN General Debate Corpus (``Session NN - YYYY/ISO_NN_YYYY.txt``,
    or one session folder of it) gives one source per speech; files in it
    that do not match the layout are skipped with a warning.  Any other folder
    gives its readable files, recursively, in sorted order.

    Parameters
    ----------
    inputs : list of str, or str

    Yields
    ------
    Source

    Raises
    ------
    InputError
        A path that does not exist, a pattern that matches nothing, or a
        folder with nothing readable.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = os.path.join(tempfile.mkdtemp(), "Session 74 - 2019")
    >>> os.mkdir(folder)
    >>> _ = open(os.path.join(folder, "RUS_74_2019.txt"), "w").write("We spoke.")
    >>> [s.ungdc for s in iter_sources([folder])]
    [{'code': 'RUS', 'session': 74, 'year': 2019}]
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    for item in map(str, inputs):
        if os.path.isdir(item):
            yield from _folder_sources(item)
        elif os.path.exists(item):
            yield _file_source(item)
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(item, "the pattern matches no file")
            for match in matches:
                if os.path.isdir(match):
                    yield from _folder_sources(match)
                else:
                    yield _file_source(match)
        else:
            raise InputError(item, "no such file or folder")


def _file_source(path: str) -> Source:
    match = UNGDC_FILE.match(os.path.basename(path))
    parent = UNGDC_DIR.match(os.path.basename(os.path.dirname(os.path.abspath(path))))
    if match and parent:
        return Source(path, _ungdc_info(match))
    return Source(path)


def _ungdc_info(match: re.Match) -> dict:
    return {"code": match["code"], "session": int(match["session"]), "year": int(match["year"])}


def _folder_sources(folder: str) -> Iterator[Source]:
    entries = sorted(os.listdir(folder))
    session_dirs = [e for e in entries if UNGDC_DIR.match(e) and os.path.isdir(os.path.join(folder, e))]
    if UNGDC_DIR.match(os.path.basename(os.path.abspath(folder))):
        found = list(_ungdc_session(folder))
    elif session_dirs:
        for extra in sorted(set(entries) - set(session_dirs)):
            warnings.warn(f"{os.path.join(folder, extra)}: not in the UN General Debate "
                          "Corpus layout (Session NN - YYYY/ISO_NN_YYYY.txt); ignored")
        found = [s for d in session_dirs for s in _ungdc_session(os.path.join(folder, d))]
    else:
        found = [_file_source(path) for path in sorted(glob.glob(os.path.join(glob.escape(folder), "**", "*"),
                                                          recursive=True))
                 if path.lower().endswith(READABLE) and os.path.isfile(path)]
    if not found:
        raise InputError(folder, f"no readable document in this folder ({', '.join(READABLE)})")
    yield from found


def _ungdc_session(folder: str) -> Iterator[Source]:
    session = UNGDC_DIR.match(os.path.basename(os.path.abspath(folder)))
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        match = UNGDC_FILE.match(name)
        if match and int(match["session"]) == int(session["session"]):
            yield Source(path, _ungdc_info(match))
        else:
            warnings.warn(f"{path}: not in the UN General Debate Corpus layout "
                          "(ISO_NN_YYYY.txt in Session NN - YYYY); ignored")


def demo_dir() -> Path:
    """The folder of the demo corpus (``data/demo`` of the project).

    Found beside the package in a checkout or an editable install, else where
    ``pip install`` puts the project's data files (``<prefix>/share/positions/demo``).

    Examples
    --------
    >>> (demo_dir() / "README.md").exists()
    True
    """
    found = data_path("data", "demo")
    if found is not None:
        return found
    raise FileNotFoundError("the demo corpus is missing; reinstall positions (pip install .)")


def demo_files() -> list[str]:
    """The demo reports, English and Chinese, in session order.

    Examples
    --------
    >>> [Path(p).name for p in demo_files()][:2]
    ['ahc-2022-session1.en.txt', 'ahc-2022-session1.zh.txt']
    """
    return [str(p) for p in sorted(demo_dir().glob("*.txt"))]


def demo_annotations() -> str:
    """The project's annotations of the demo corpus (``data/annotations/demo.csv``).

    Examples
    --------
    >>> Path(demo_annotations()).name
    'demo.csv'
    """
    found = data_path("data", "annotations", "demo.csv")
    if found is not None:
        return str(found)
    raise FileNotFoundError("the demo annotations are missing; reinstall positions (pip install .)")
