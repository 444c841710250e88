"""Administrative units: look-ups by code and fuzzy, accent-free search by name ("na tam" → Bản Nà Tăm)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content import Units
from bot.textnorm import plain_key

# Words that say what kind of unit a name is; people often leave them out ("Nà Tăm" for "Bản Nà Tăm").
_KIND_WORDS = re.compile(r"^(tinh|xa|phuong|thi tran|thon|ban|to dan pho|to|khu|khoi|xom|doi)\s+")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str  # "province" | "commune" | "village"
    commune_code: str  # the commune a village belongs to; a commune's own code; "" for the province
    commune_name: str

    @property
    def label(self) -> str:
        """ "Bản Nà Tăm, Xã Bản Hon" for a village, the name otherwise."""
        return f"{self.name}, {self.commune_name}" if self.level == "village" else self.name


def core_name(name: str) -> str:
    """A unit name without its kind word, accent-free: "Bản Nà Tăm" → "na tam"."""
    return _KIND_WORDS.sub("", plain_key(name))


class UnitIndex:
    """Every unit by code, and a name index for fuzzy search."""

    def __init__(self, units: Units | None):
        self.units: dict[str, Unit] = {}
        self.sample = bool(units and units.sample)
        if units is None:
            return
        p = units.province
        self.province = Unit(p.code, p.name, "province", "", "")
        self.units[p.code] = self.province
        for c in units.communes:
            self.units[c.code] = Unit(c.code, c.name, "commune", c.code, c.name)
            for v in c.villages:
                self.units[v.code] = Unit(v.code, v.name, "village", c.code, c.name)
        self._codes = [u.code for u in self.units.values() if u.level != "province"]
        self._keys = [core_name(self.units[c].name) for c in self._codes]
        self._full_keys = [plain_key(self.units[c].name) for c in self._codes]
        self._names = [
            (name, code)
            for code, core, full in zip(self._codes, self._keys, self._full_keys, strict=True)
            for name in {core, full}
            if len(name) >= 3
        ]

    def get(self, code: str | None) -> Unit | None:
        return self.units.get(code or "")

    def is_province(self, code: str | None) -> bool:
        """Whether ``code`` is the province's own (an officer of the whole province)."""
        unit = self.get(code)
        return unit is not None and unit.level == "province"

    def communes(self) -> list[Unit]:
        return [u for u in self.units.values() if u.level == "commune"]

    def villages(self, commune_code: str) -> list[Unit]:
        return [u for u in self.units.values() if u.level == "village" and u.commune_code == commune_code]

    def in_scope(self, code: str | None, scope: str | None) -> bool:
        """Whether unit ``code`` lies within ``scope`` (the province, a commune, or the unit itself)."""
        unit, area = self.get(code), self.get(scope)
        if unit is None or area is None:
            return False
        if area.level == "province":
            return True
        return unit.code == area.code or unit.commune_code == area.code

    def named_in(self, text: str) -> Unit | None:
        """The unit named word for word in ``text`` (with or without "bản", "xã"); the longest name wins."""
        key = f" {plain_key(text)} "
        hits = [(len(name), code) for name, code in self._names if f" {name} " in key]
        return self.units[max(hits)[1]] if hits else None

    def find(self, text: str, within: str | None = None, limit: int = 3, cutoff: float = 70) -> list[Unit]:
        """Units whose name matches ``text``, best first, accent-free and forgiving of typos."""
        query = core_name(text)
        if not query:
            return []
        hits: dict[str, float] = {}
        for keys in (self._keys, self._full_keys):
            for _, score, i in process.extract(
                query, keys, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=cutoff
            ):
                code = self._codes[i]
                if within is None or self.in_scope(code, within):
                    # An exact core name beats a partial one ("nà tăm" vs "nà tăm 2").
                    bonus = 5 if keys[i] == query else 0
                    hits[code] = max(hits.get(code, 0), score + bonus)
        ranked = sorted(hits, key=lambda c: -hits[c])
        return [self.units[c] for c in ranked[:limit]]
