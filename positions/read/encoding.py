"""Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16, GB18030, with bad bytes reported.

Every failure is an :class:`~positions.base.errors.InputError` naming the file.
"""

from __future__ import annotations

import codecs
import re
import warnings

from ..base.errors import InputError

__all__ = ["decode"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


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
