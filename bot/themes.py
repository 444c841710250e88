"""What residents said, given a theme (``content/themes.yaml``) and grouped with what others said alike.

A theme is the one whose words (longer phrases weigh more) the text holds most; ties go to the one listed
first, no word at all to «Khác». Accented text is matched accented (unaccented «mua» is both "rain" and
"buy"), unaccented text on accent-free words, where a lone word that folds from several («bao», «gia», «dat»)
counts only inside a phrase. Words that merely contain a theme's («điện thoại», «môi trường», «lãnh đạo»)
are left out first. Alike items of one theme are one issue: a greedy pass keeps each item with the first issue
holding a wording alike (:func:`alike`, over the folded content words; rapidfuzz for the spelling), so thirty
wordings of «bao giờ bản có điện lưới» are one issue with thirty mentions.
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
SIMILAR = 86  # character likeness (0-100) of two folded wordings of one issue
SHARED = 0.6  # ... or the share of the shorter one's words the other has (two words at least)
COMPARED = 6  # an item is compared with an issue's first wording and its latest ones

# Words that say how something was asked, not what about: left out when items are compared (phrases first,
# so that «phân» of «phân bón» stays while «phản ánh» goes).
_FILLER_PHRASES = re.compile(
    r"\b(ba con|nguoi dan|nhan dan|phan anh|kien nghi|de nghi|ban khoan|thac mac|lo lang|muon biet|bao gio|"
    r"khi nao|luc nao|nhu the nao|the nao|ra sao|tai sao|vi sao|bao nhieu|co phai|hay khong|duoc khong|"
    r"quoc gia)\b"
)
_FILLER = frozenset(
    "dan hoi co khong chua gi nao dau duoc va voi cua ve viec nay do thi ma se da dang rat qua nhieu it "
    "cac nhung mot la a u oi nhi nhe hay cho".split()
)

# Words that contain a theme's word but are not about it.
_NOT_THEMES_WORDS = ("điện thoại", "môi trường", "lãnh đạo", "chỉ đạo", "yêu cầu", "đạo đức", "cầu mong",
                     "cầu thủ", "sóng điện thoại", "thường xuyên", "trường hợp")  # fmt: skip
_NOT_THEMES = re.compile(
    r"(?<!\w)(" + "|".join(" ".join(fold_words(w)) for w in _NOT_THEMES_WORDS) + r")(?!\w)"
)
_NOT_THEMES_PLAIN = re.compile(r"\b(" + "|".join(plain_key(w) for w in _NOT_THEMES_WORDS) + r")\b")
# Without accents these fold from several words (bão/bao, giá/già/gia, đất/đạt, cưới/cuối, Đảng/đang,
# mưa/mua, lũ/lu, cầu/câu, đạo/đào, tang/tăng): alone they say nothing of a theme.
_AMBIGUOUS = frozenset({"bao", "gia", "dat", "cuoi", "dang", "mua", "lu", "cau", "dao", "tang"})

T = TypeVar("T")


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...], accented: bool) -> re.Pattern[str]:
    """A theme's words as one pattern, folded the way the text is (made once a list of words)."""
    forms = {" ".join(fold_words(w)) if accented else plain_key(w) for w in words}
    alternatives = sorted((f for f in forms if f), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in alternatives) + r")(?!\w)")


def theme_of(themes: list[Theme], text: str) -> Theme:
    """The theme of one item (``OTHER`` when none of the themes' words is in it)."""
    folded = " ".join(fold_words(text))
    accented = strip_accents(folded) != folded
    if accented:
        target = _NOT_THEMES.sub(" ", folded)
    else:
        target = _FILLER_PHRASES.sub(" ", _NOT_THEMES_PLAIN.sub(" ", plain_key(text)))
    best, best_score = OTHER, 0
    for theme in themes:
        if theme.id == OTHER.id or not theme.words:
            continue
        found = _pattern(tuple(theme.words), accented).findall(target)
        score = sum(len(f.split()) for f in found if accented or f not in _AMBIGUOUS)
        if score > best_score:
            best, best_score = theme, score
    return best


def content_words(text: str) -> str:
    """The folded words that say what an item is about (accent-free, question and reporting words out)."""
    plain = _FILLER_PHRASES.sub(" ", plain_key(text))
    words = [w for w in plain.split() if w not in _FILLER and not w.isdigit()]
    return " ".join(words) or plain_key(text)


def alike(a: str, b: str) -> bool:
    """Two folded wordings of the same thing: most of the shorter one's words (two at least) in the other
    ("phan bon nam nay" and "phan bon bao gio"), or the same words typed a little differently. One shared
    word is not enough: «điện» alone is not «giá điện tăng»."""
    wa, wb = set(a.split()), set(b.split())
    shared = len(wa & wb)
    if shared >= 2 and shared >= SHARED * min(len(wa), len(wb)):
        return True
    return fuzz.ratio(a, b) >= SIMILAR


@dataclass
class Issue(Generic[T]):
    """Alike items: the first one's words lead, every item a mention."""

    lead: str
    items: list[T] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the content words of each item


def group(items: Iterable[T], text: Callable[[T], str]) -> list[Issue[T]]:
    """Alike items together (each compared with an issue's first and latest wordings), the issues with most
    mentions first, then in order of first mention."""
    issues: list[Issue[T]] = []
    for item in items:
        words = content_words(text(item))
        home = next((i for i in issues if any(alike(words, w) for w in _compared(i.words))), None)
        if home is None:
            home = Issue(words)
            issues.append(home)
        home.items.append(item)
        home.words.append(words)
    return sorted(issues, key=lambda i: -len(i.items))


def _compared(words: list[str]) -> list[str]:
    return words[:1] + words[1:][-COMPARED:]
