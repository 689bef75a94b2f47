"""Names of UN member and observer States, groups and organisations (zh, en).

The table is package data (``resources/gazetteer.csv``): ISO 3166-1 alpha-3
codes for States, short ids for groups (``EU``, ``G77``, ``COE``, ...), UN
official names and common short names in both languages.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Entity", "Gazetteer", "gazetteer"]

_SPEAKER_KIND = {"member": "delegation", "observer": "delegation", "historical": "delegation",
                 "group": "group", "organisation": "group"}
# What may stand between the names of a list: 、 ， , ; and / 和 / 及 / the / and its member States.
_SEPARATORS = re.compile(
    r"^(?:[\s、，,;；：:（）().]|and its member states|及其成员国|(?:by )?(?:the )?(?:representatives?|observers?|experts?)"
    r" (?:of|for|from)|by|and|the|和|及|与|以及|也|的代表|的观察员)*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Entity:
    """A State, group or organisation that can speak in a meeting.

    Examples
    --------
    >>> entity = gazetteer().entities["MLT"]
    >>> entity.name_en, entity.name_zh, entity.speaker_kind
    ('Malta', '马耳他', 'delegation')
    """

    code: str
    kind: str
    name_en: str
    name_zh: str

    @property
    def speaker_kind(self) -> str:
        """``delegation`` for a State, ``group`` for a group or organisation."""
        return _SPEAKER_KIND[self.kind]


class Gazetteer:
    """Look up and find speaker names.

    Examples
    --------
    >>> g = gazetteer()
    >>> g.lookup("伊朗").code, g.lookup("Iran (Islamic Republic of)").code
    ('IRN', 'IRN')
    >>> [(e.code if e else name) for name, e in g.parse_list("阿尔及利亚、大不列颠及北爱尔兰联合王国和越南")]
    ['DZA', 'GBR', 'VNM']
    """

    def __init__(self, rows: list[dict]) -> None:
        self.entities: dict[str, Entity] = {}
        self._names: dict[str, Entity] = {}
        for row in rows:
            entity = Entity(row["code"], row["kind"], row["name_en"], row["name_zh"])
            self.entities[entity.code] = entity
            names = [row["name_en"], row["name_zh"], *row["aliases_en"].split("|"),
                     *row["aliases_zh"].split("|")]
            for name in filter(None, (n.strip() for n in names)):
                self._names.setdefault(_key(name), entity)
        alternatives = sorted(self._names, key=len, reverse=True)
        self._pattern = re.compile(
            "|".join(_name_pattern(n) for n in alternatives), re.IGNORECASE
        )

    def lookup(self, name: str) -> Entity | None:
        """The entity a name (official, short, either language) stands for."""
        return self._names.get(_key(name))

    def find(self, text: str) -> list[tuple[int, int, Entity]]:
        """Every name in ``text``, longest first, left to right, not overlapping."""
        return [(m.start(), m.end(), self._matched(m.group(0))) for m in self._pattern.finditer(text)]

    def _matched(self, written: str) -> Entity:
        """The entity of a name :meth:`find` matched as ``written``.

        Unicode case-insensitive matching is wider than case folding: İ (dotted
        capital I) matches i, but folds to i and a combining dot.
        """
        entity = self._names.get(_key(written))
        if entity is None:
            entity = next(e for name, e in self._names.items()
                          if re.fullmatch(_name_pattern(name), written, re.IGNORECASE))
        return entity

    def parse_list(self, text: str) -> list[tuple[str, Entity | None]]:
        """Split a list of names (``A、B和C``; ``A, B and C``) into entities.

        A stretch between known names that is more than separators is kept as
        written, with None for its entity.
        """
        out: list[tuple[str, Entity | None]] = []
        for item in re.split(r"[、，,;；]", text):
            entity = self.lookup(item.strip(" .。：:"))
            if entity is not None:
                out.append((item.strip(" .。：:"), entity))
            else:
                out.extend(self._scan(item))
        return out

    def _scan(self, text: str) -> list[tuple[str, Entity | None]]:
        out: list[tuple[str, Entity | None]] = []
        position = 0
        for start, end, entity in [*self.find(text), (len(text), len(text), None)]:
            gap = text[position:start]
            if not _SEPARATORS.match(gap):
                for piece in re.split(r"\band\b|和", gap):
                    piece = piece.strip(" 、，,;；.。：:").removeprefix("the ").strip()
                    if piece:
                        out.append((piece, None))
            if entity is not None:
                out.append((text[start:end], entity))
            position = end
        return out


def _key(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip())
    name = re.sub(r"^the ", "", name, flags=re.IGNORECASE)
    return name.casefold()


def _name_pattern(key: str) -> str:
    escaped = re.escape(key).replace(r"\ ", r"\s+")
    if key[:1].isascii() and key[:1].isalnum():
        escaped = r"(?<![\w])" + escaped
    if key[-1:].isascii() and key[-1:].isalnum():
        escaped += r"(?![\w])"
    return escaped


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The package's gazetteer, read once.

    Examples
    --------
    >>> sum(e.kind == "member" for e in gazetteer().entities.values())
    193
    """
    path = resources.files("positions") / "resources" / "gazetteer.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return Gazetteer(list(csv.DictReader(handle)))
