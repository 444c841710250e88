"""Vietnamese text normalisation, the one place every part of Loa folds text.

Phones send NFC or NFD, old (hoà, thuỷ) or new (hòa, thủy) tone placement, with or without accents,
with punctuation anywhere and with chat abbreviations (kt-xh, ubnd, ko, dc). Everything that compares
text (the matcher, unit names, commands) goes through :func:`normalize` so both sides fold alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Combining marks for the five Vietnamese tones (huyền, sắc, ngã, hỏi, nặng).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")  # vowels carrying a quality mark, which take the tone first
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_THOUSANDS_RE = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_LETTER_DIGIT_RE = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
# Controls, zero-width and direction marks, and the non-characters XML refuses (no DOCX or XLSX holds them).
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff\ufffe\uffff\ud800-\udfff]")


@functools.lru_cache(maxsize=1 << 16)
def _canonical_tone(word: str) -> str:
    """Move the tone mark of one syllable to a single canonical vowel (traditional placement).

    hoà → hòa, thuỷ → thủy, uý → úy, khoẻ → khỏe. Words that are not one Vietnamese syllable
    (tiktok, covid) or carry no tone are returned unchanged.
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    positions = [i for i, ch in enumerate(bare) if ch in _VOWELS]
    if not positions:
        return word
    start = positions[0]
    # "qu" and "gi" (before another vowel) are consonants: quý, già.
    if start > 0 and len(positions) > 1 and bare[start - 1 : start + 1] in ("qu", "gi"):
        start = positions[1]
    end = start
    while end + 1 < len(bare) and bare[end + 1] in _VOWELS:
        end += 1
    cluster = list(range(start, end + 1))
    if any(p not in cluster for p in positions if p > end):
        return word  # a second vowel group: not a single syllable
    marked = [p for p in cluster if bare[p] in _MARKED]
    if marked:
        target = marked[-1]  # ươ takes the tone on ơ
    elif len(cluster) == 1:
        target = cluster[0]
    elif end + 1 < len(bare):  # closed syllable: hoàng, toán, huỳnh
        target = cluster[-1]
    elif len(cluster) == 3:  # oai, uyu, oay
        target = cluster[1]
    else:  # open two-vowel syllable: hòa, thủy, múa
        target = cluster[0]
    ch = unicodedata.normalize("NFC", unicodedata.normalize("NFD", bare[target]) + tones[0])
    return bare[:target] + ch + bare[target + 1 :]


def _has_marks(word: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", word))


_FINAL_Y_RE = re.compile(r"^([bcdghklmnpqrstvx]+)y$")


# Roman numerals that are not also Vietnamese words (vi, xi, v, x, i are left alone): khóa XIII = khóa 13.
_ROMAN = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "xii": "12",
    "xiii": "13",
    "xiv": "14",
    "xv": "15",
    "xvi": "16",
    "xvii": "17",
    "xviii": "18",
    "xix": "19",
    "xx": "20",
}


@functools.lru_cache(maxsize=1 << 16)
def _plain_word(word: str) -> str:
    """Accent-free word; i/y spellings joined (tỷ = tỉ, kỹ = kĩ), Roman numerals as digits."""
    plain = strip_accents(word)
    if plain in _ROMAN:
        return _ROMAN[plain]
    if not plain.startswith("qu"):
        plain = _FINAL_Y_RE.sub(r"\1i", plain)
    return plain


@functools.lru_cache(maxsize=1 << 13)
def strip_accents(text: str) -> str:
    """Accent-free form: drops every diacritic and maps đ to d (Unicode does not decompose đ).

    Cached: it is mostly asked of single words, and a province's vocabulary is small.
    """
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


def clean(text: str) -> str:
    """NFC, control characters removed, whitespace collapsed; case and punctuation kept (for display)."""
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL_RE.sub(" ", text)
    return " ".join(text.split())


def fold_words(text: str) -> list[str]:
    """Lowercase NFC words with tone placement unified; punctuation and spaces folded away.

    Thousands separators are dropped (2.000 → 2000) and leading zeros of numbers removed (09 → 9),
    so that numbers compare as numbers.
    """
    text = unicodedata.normalize("NFC", clean(text)).lower()
    text = _THOUSANDS_RE.sub("", text).replace("%", " phần trăm ")  # "8,6%" is said "8,6 phần trăm"
    words = []
    # Letters and digits are split (cop26 = cop 26, qh15 = qh 15) so either spelling matches.
    for word in _LETTER_DIGIT_RE.sub(" ", " ".join(_WORD_RE.findall(text))).split():
        words.append((word.lstrip("0") or "0") if word.isdigit() else _canonical_tone(word))
    return words


@dataclass(frozen=True)
class Normalized:
    """A text folded for comparison: accented words and their accent-free twins, abbreviations expanded."""

    words: tuple[str, ...]
    plain: tuple[str, ...]
    # Per word: typed words / expanded words of the abbreviation it came from (ubnd → 4 words: 0.25 each),
    # 1.0 for a word as typed. An abbreviation is one idea however many words it stands for.
    share: tuple[float, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def plain_text(self) -> str:
        return " ".join(self.plain)


@dataclass
class Abbreviations:
    """Whole-token abbreviation expansion, keyed on accent-free token sequences (longest match wins)."""

    table: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    longest: int = 1
    # The longest key starting with each word: most words start none, and are passed over at once.
    starts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.starts:
            for key in self.table:
                self.starts[key[0]] = max(self.starts.get(key[0], 0), len(key))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable[str]]) -> Abbreviations:
        """Build from ``{expansion: [abbreviation, ...]}``."""
        table: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for expansion, abbrs in mapping.items():
            words = tuple(fold_words(expansion))
            plain = tuple(_plain_word(w) for w in words)
            for abbr in abbrs:
                key = tuple(_plain_word(w) for w in fold_words(abbr))
                if key:
                    table[key] = (words, plain)
        longest = max((len(k) for k in table), default=1)
        return cls(table=table, longest=longest)

    def merged(self, other: Abbreviations) -> Abbreviations:
        """These expansions and ``other``'s (``other`` wins where both know a form)."""
        return Abbreviations({**self.table, **other.table}, max(self.longest, other.longest))

    def expand(self, words: list[str], plain: list[str]) -> tuple[list[str], list[str], list[float]]:
        """Words with abbreviations expanded, and each word's share (see :class:`Normalized`)."""
        out_w: list[str] = []
        out_p: list[str] = []
        share: list[float] = []
        i = 0
        starts = self.starts
        while i < len(plain):
            longest = starts.get(plain[i], 0)
            if not longest:
                out_w.append(words[i])
                out_p.append(plain[i])
                share.append(1.0)
                i += 1
                continue
            for n in range(min(longest, len(plain) - i), 0, -1):
                hit = self.table.get(tuple(plain[i : i + n]))
                # An accented word that folds onto an abbreviation is a real word ("bán" is not "bn").
                if hit and (n > 1 or not _has_marks(words[i])):
                    if not hit[1]:  # a form of address, dropped
                        i += n
                        break
                    out_w.extend(hit[0])
                    out_p.extend(hit[1])
                    share.extend([min(1.0, n / len(hit[1]))] * len(hit[1]))
                    i += n
                    break
            else:
                out_w.append(words[i])
                out_p.append(plain[i])
                share.append(1.0)
                i += 1
        return out_w, out_p, share


_NO_ABBREVIATIONS = Abbreviations()


def normalize(text: str, abbreviations: Abbreviations | None = None) -> Normalized:
    """Fold ``text`` for comparison; see the module docstring."""
    words = fold_words(text)
    plain = [_plain_word(w) for w in words]
    words, plain, share = (abbreviations or _NO_ABBREVIATIONS).expand(words, plain)
    return Normalized(tuple(words), tuple(plain), tuple(share))


def plain_key(text: str) -> str:
    """Accent-free, folded single string: the key for names (units, topics, commands)."""
    return " ".join(_plain_word(w) for w in fold_words(text))


_ANY_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def unify_tones(text: str) -> str:
    """``text`` (NFC) with one tone placement in every word (hoà → hòa, HOÀ → HÒA); all else as written."""

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        lower = word.lower()
        fixed = _canonical_tone(lower)
        if fixed == lower or len(fixed) != len(word):
            return word
        return "".join(f.upper() if w.isupper() else f for f, w in zip(fixed, word, strict=True))

    return _ANY_WORD_RE.sub(fix, unicodedata.normalize("NFC", text))


ELLIPSIS = "…"
_DANGLING = " ,;:-–—/(«\"'"


def cut(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters, else cut after the last whole word that fits, «…».

    The one place text is shortened for showing (button labels, the questions «loa ask» suggests, list rows):
    a cut never falls inside a word, unless the first word alone is longer than the limit.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]  # one more: a cut just before a space keeps the whole word
    head = room.rsplit(" ", 1)[0] if " " in room else room[:-1]
    head = head.rstrip(_DANGLING + ELLIPSIS) or text[: limit - len(ELLIPSIS)]
    return head + ELLIPSIS
