"""What residents said, given a theme (``content/themes.yaml``) and grouped with what others said alike.

A theme is the one whose words (longer phrases weigh more) the text holds most; ties go to the one listed
first, no word at all to «Khác». Accented text is matched accented (unaccented «mua» is both "rain" and
"buy"), unaccented text on accent-free words. Alike items of one theme are one issue: a greedy pass keeps
each item with the first issue whose lead it resembles (rapidfuzz's token set ratio over the folded content
words), so thirty wordings of «bao giờ bản có điện lưới» are one issue with thirty mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from bot.content import Theme
from bot.textnorm import fold_words, plain_key, strip_accents

OTHER = Theme(id="khac", name="Khác")
ALIKE = 80  # token set ratio (0-100) of two items' content words for one issue

# Words that say how something was asked, not what about: left out when items are compared (phrases first,
# so that «phân» of «phân bón» stays while «phản ánh» goes).
_FILLER_PHRASES = re.compile(
    r"\b(ba con|nguoi dan|nhan dan|phan anh|kien nghi|de nghi|ban khoan|thac mac|lo lang|muon biet|bao gio|"
    r"khi nao|luc nao|nhu the nao|the nao|ra sao|tai sao|vi sao|bao nhieu|co phai|hay khong|duoc khong)\b"
)
_FILLER = frozenset(
    "dan hoi co khong chua gi nao dau duoc va voi cua ve viec nay do thi ma se da dang rat qua nhieu it "
    "cac nhung mot la a u oi nhi nhe hay cho".split()
)

T = TypeVar("T")


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)")


def _forms(theme: Theme, accented: bool) -> tuple[str, ...]:
    folded = (" ".join(fold_words(w)) for w in theme.words)
    return tuple(folded) if accented else tuple(plain_key(w) for w in theme.words)


def theme_of(themes: list[Theme], text: str) -> Theme:
    """The theme of one item (``OTHER`` when none of the themes' words is in it)."""
    folded = " ".join(fold_words(text))
    accented = strip_accents(folded) != folded
    target = folded if accented else plain_key(text)
    best, best_score = OTHER, 0
    for theme in themes:
        if theme.id == OTHER.id or not theme.words:
            continue
        found = _pattern(_forms(theme, accented)).findall(target)
        score = sum(len(f.split()) for f in found)
        if score > best_score:
            best, best_score = theme, score
    return best


def content_words(text: str) -> str:
    """The folded words that say what an item is about (accent-free, question and reporting words out)."""
    plain = _FILLER_PHRASES.sub(" ", plain_key(text))
    words = [w for w in plain.split() if w not in _FILLER and not w.isdigit()]
    return " ".join(words) or plain_key(text)


@dataclass
class Issue(Generic[T]):
    """Alike items: the first one's words lead, every item a mention."""

    lead: str
    items: list[T] = field(default_factory=list)


def group(items: Iterable[T], text: Callable[[T], str], alike: int = ALIKE) -> list[Issue[T]]:
    """Alike items together, the issues with most mentions first (then in order of first mention)."""
    issues: list[Issue[T]] = []
    for item in items:
        words = content_words(text(item))
        home = next((i for i in issues if fuzz.token_set_ratio(words, i.lead) >= alike), None)
        if home is None:
            home = Issue(words)
            issues.append(home)
        home.items.append(item)
    return sorted(issues, key=lambda i: -len(i.items))
