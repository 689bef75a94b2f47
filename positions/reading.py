"""Read files into text: encodings detected, PDF/Word/HTML opened, inputs expanded.

Every failure is an :class:`~positions.errors.InputError` naming the file.
"""

from __future__ import annotations

import codecs
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

from .config import DEFAULT_CONFIG, Config
from .errors import InputError
from .layout import is_header_line

__all__ = ["UNGDC_FILE", "Source", "decode", "iter_sources", "read_text"]

READABLE = (".txt", ".pdf", ".docx", ".html", ".htm")
UNGDC_FILE = re.compile(r"^(?P<code>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
UNGDC_DIR = re.compile(r"^Session (?P<session>\d{1,3}) - (?P<year>\d{4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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


def decode(data: bytes, path: str = "<bytes>") -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16, GB18030.

    A few invalid bytes in UTF-8 text become U+FFFD, with a warning that
    names the first one's byte offset; the rest of the text is kept as it was.

    Parameters
    ----------
    data : bytes
        The file's content.
    path : str
        Named in the error message.

    Returns
    -------
    str
        The text, without a byte-order mark.

    Raises
    ------
    InputError
        Empty, binary, or in none of those encodings.

    Examples
    --------
    >>> decode("发言者".encode("gb18030"))
    '发言者'
    >>> decode("\\ufeffMany speakers".encode("utf-16-le"))
    'Many speakers'
    """
    if not data.strip():
        raise InputError(path, "empty file")
    text = _decode_bytes(data, path)
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(3, len(sample) // 200):
        raise InputError(path, "binary data, not text (wrong file extension?)")
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def _decode_bytes(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):  # marked UTF-8: bad bytes are replaced, with a warning
        try:
            return data[3:].decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            return _utf8_replaced(data, path).lstrip("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path)
    if b"\x00" in data[:4000]:
        text = _utf16(data)
        if text is None:
            raise InputError(path, "binary data, not text (wrong file extension?)")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _utf8_replaced(data, path)
    try:
        return _utf16(data) or data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    most = max(3, len(data) // 1000)
    if len(_bad_utf8(data, most)) <= most:  # plain text with a stray byte or two
        return _utf8_replaced(data, path)
    raise InputError(path, "not UTF-8, UTF-16 or GB18030 text; re-save it as UTF-8")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                            rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
                            rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few bad bytes: nine in ten bytes above ASCII form valid UTF-8 sequences.

    GB18030 Chinese read as UTF-8 forms valid sequences only by chance.
    """
    high = len(_HIGH_BYTE.findall(data))
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    return valid > 0 and valid >= 0.9 * high


def _bad_utf8(data: bytes, most: int | None = None) -> list[int]:
    """Byte offsets where UTF-8 decoding fails (the first ``most + 1`` of them, when ``most`` is given)."""
    bad, at, view = [], 0, memoryview(data)
    while most is None or len(bad) <= most:
        try:
            codecs.utf_8_decode(view[at:], "strict", True)  # a view: each byte is decoded about once
            break
        except UnicodeDecodeError as err:
            bad.append(at + err.start)
            at += err.end
    return bad


def _utf8_replaced(data: bytes, path: str) -> str:
    bad = _bad_utf8(data)
    more = f" and {len(bad) - 1} more place(s)" if len(bad) > 1 else ""
    warnings.warn(f"{path}: invalid UTF-8 at byte {bad[0]}{more}; replaced with U+FFFD", stacklevel=4)
    return data.decode("utf-8", errors="replace")


def _utf16(data: bytes) -> str | None:
    """The text of UTF-16 bytes without a byte-order mark, if they read as text."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text
    return None


_PLAUSIBLE = re.compile(r"[\s!-~\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _plausible(text: str) -> bool:
    """Text, not bytes read in the wrong encoding: letters, CJK, punctuation, space."""
    sample = text[:4000]
    return len(_PLAUSIBLE.findall(sample)) >= 0.97 * len(sample)


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputError(path, f"not valid {encoding.upper()} text") from None


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


def _read_docx(path: str, data: bytes, limit: int) -> str:
    import io

    import docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(path, "not a .docx file (not a zip archive; an old .doc? save as .docx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise InputError(path, f"not a readable .docx ({err})") from None
    if unpacked > limit:  # Python's zipfile stops at each member's declared size: the declarations are the bound
        raise InputError(path, f"unpacks to {_mb(unpacked)}, over the {_mb(limit)} limit (a zip bomb?); "
                               f"raise it with --max-file-mb or Config(max_file_mb=...) if this is a report")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx fails on a hostile package in any way it likes
        detail = (str(err).splitlines() or [""])[0]
        raise InputError(path, f"not a readable .docx ({type(err).__name__}: {detail})") from None
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
