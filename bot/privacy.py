"""Residents' names and phone numbers, found and masked before anything people typed is stored.

Reports record what residents asked in aggregate, and the question log keeps what people asked Loa;
neither may keep a resident's name or phone number. Phone numbers are found with ``phonenumbers`` (Google's
libphonenumber, Vietnamese numbering plan). Names are found by hand: the Vietnamese NER models (underthesea)
are hundreds of megabytes, need a download and still miss the accent-free, lower-case way people type on a
phone, while the way a name is *introduced* in Vietnamese is regular:

- after a person's honorific or kinship word ("ông", "bà", "chị", "cụ" …), a household word ("hộ", "gia đình",
  "nhà") or both ("hộ ông …"): a capitalised word, a surname, or a given name;
- anywhere: a full name, surname + middle name + given name ("Lò Văn Pằng", "giang a pao", "Thào Thị Mỷ").

What follows an honorific but is a title or a common word ("ông Chủ tịch xã", "bà con", "anh em", "cô giáo")
is not a name. Names the knowledge base itself uses (Bác Hồ, Hồ Chí Minh, place names) are public, not masked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from dataclasses import dataclass

import phonenumbers

from bot.textnorm import strip_accents

MASK = "***"
_PHONE_DIGITS = 8  # the fewest digits of a Vietnamese phone number written without its leading 0

# Honorifics and kinship words that introduce a person. Accent-free twins that are also common words
# ("có", "ba", "chỉ", "chữ", "cũ", "bắc") only count when typed with their accent.
_HONORIFICS = {
    "ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu", "thím", "mợ", "dì", "dượng", "cậu",
    "mế", "bố", "mẹ", "vợ", "chồng", "cu", "mí", "lão",
}  # fmt: skip
_PLAIN_HONORIFICS_SAFE = {"ong", "anh", "thim", "duong", "cau", "me"}
_PLAIN_HONORIFICS_AMBIGUOUS = {"ba", "chi", "co", "chu", "bac", "cu", "em", "chau", "di", "mo", "bo"}
# Words that follow an honorific but begin a title, a job or a group of people, capitalised or not:
# "ông Chủ tịch xã", "bà con", "anh em", "cô giáo", "đồng chí Bí thư". Never a name.
_TITLES = {
    "chu", "bi", "truong", "pho", "can", "cong", "giao", "thay", "dai", "dong", "bac", "y", "giam", "hieu",
    "gia", "nguoi", "con", "em", "chi", "anh", "ong", "ba", "chau", "ay", "ta", "no", "nay", "do", "kia",
    "cac", "nhung", "ca", "deu", "doi", "tu", "ke", "toan", "uy", "chinh", "quan", "cuu", "tinh", "xa",
    "huyen", "thon", "ban", "to", "khu", "hoi", "nong", "phu", "dan", "moi", "mot", "hai",
}  # fmt: skip
# Words that begin a place name: a run of capitalised words stops there ("anh Hùng Bản Nà Tăm").
_PLACE_WORDS = {"tinh", "xa", "phuong", "huyen", "thon", "ban", "to", "khu", "xom", "doi"}
# Lower-case words after an honorific that are verbs or particles, never a given name ("ông hỏi", "bà lo").
_COMMON = {
    "hoi", "noi", "co", "la", "cho", "bao", "de", "nghi", "muon", "lo", "hieu", "biet", "ve", "o", "va",
    "hay", "thi", "da", "dang", "se", "khong", "chua", "cung", "van", "lai", "nua", "roi", "ho", "an",
    "lam", "di", "den", "phan", "anh", "ay", "thac", "mac", "quan", "tam", "kien", "dong", "y",
}  # fmt: skip
# Family names common in Vietnam and among Lai Châu's peoples (accent-free). "Lại" is left out: Lai Châu.
_SURNAMES = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
    "duong", "ly", "dinh", "dao", "mai", "cao", "ha", "ta", "trinh", "lam", "luong", "luu", "to", "trieu",
    "vuong", "kieu", "quach", "tong", "thai", "khong", "lo", "lu", "quang", "cam", "dieu", "giang", "thao",
    "sung", "vang", "hang", "tan", "chao", "po", "ma", "chang", "mua", "cu", "vi", "tao", "lai", "lien",
    "lau", "hu", "chu", "sen", "pau",
}  # fmt: skip
_SURNAMES.discard("lai")
# Middle names that mark a full name: "Lò Văn …", "Thào Thị …", "Giàng A …", "Sùng Seo …".
_MIDDLES = {"van", "thi", "seo", "a", "huu", "duc", "dinh", "cong", "ngoc", "xuan", "quoc", "kim", "thanh"}
# Common given names (accent-free), for names typed in lower case after an honorific: "anh tuan hoi …".
_GIVEN = {
    "an", "binh", "cuong", "dung", "dat", "duc", "giang", "hai", "hanh", "hieu", "hoa", "hong", "hung",
    "huong", "huy", "khanh", "lan", "linh", "long", "mai", "minh", "nam", "nga", "ngoc", "nhung", "phuong",
    "quang", "son", "tam", "thanh", "thao", "thu", "thuy", "tien", "trang", "trung", "tuan", "tung", "viet",
    "vinh", "xuan", "yen", "pao", "pang", "chinh", "sua", "dinh", "lu", "pha", "chan", "khoa", "loan", "hue",
    "dao", "phong", "thang", "toan", "tuyet", "hien", "diep", "nhan", "quynh", "vy", "my",
}  # fmt: skip
# Names that are public, whoever mentions them (the content adds its own: places, leaders it quotes).
# Given names that begin a common word: "thanh niên", "hòa bình", "an toàn".
_COMPOUNDS = {("thanh", "nien"), ("hoa", "binh"), ("an", "toan"), ("tam", "ly"), ("binh", "thuong")}
PUBLIC_NAMES = {"bac ho", "ho chi minh", "chu tich ho chi minh", "vo nguyen giap", "hoang lien son"}

_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Found:
    """A span of personal data in the text: ``kind`` is "name" or "phone"."""

    start: int
    end: int
    kind: str
    text: str


def _fold(word: str) -> str:
    return strip_accents(word.lower())


def find_personal(text: str, public: Collection[str] = ()) -> list[Found]:
    """Names and phone numbers in ``text``, in order; ``public`` holds folded names never to mask.

    Remembered for a frozen ``public`` (the App's): every question is looked at, and many are asked again.
    """
    if isinstance(public, frozenset):
        return list(_find_personal_remembered(text, public))
    return _find_personal(text, public)


@functools.lru_cache(maxsize=1024)
def _find_personal_remembered(text: str, public: frozenset[str]) -> tuple[Found, ...]:
    return tuple(_find_personal(text, public))


def _find_personal(text: str, public: Collection[str]) -> list[Found]:
    found = []
    if sum(map(str.isdigit, text)) >= _PHONE_DIGITS:  # libphonenumber is thorough, and costs its time
        found = [
            Found(m.start, m.end, "phone", m.raw_string)
            for m in phonenumbers.PhoneNumberMatcher(text, "VN", leniency=phonenumbers.Leniency.POSSIBLE)
        ]
    found += _find_names(text, public)
    found.sort(key=lambda f: f.start)
    merged: list[Found] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            continue  # overlapping finds: the first one covers it
        merged.append(f)
    return merged


def mask(text: str, public: Collection[str] = ()) -> str:
    """``text`` with every name and phone number found replaced by ***."""
    out, last = [], 0
    for f in find_personal(text, public):
        out.append(text[last : f.start])
        out.append(MASK)
        last = f.end
    out.append(text[last:])
    return "".join(out)


def _find_names(text: str, public: Collection[str]) -> list[Found]:
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    letters = [w for _, _, w in words]
    long_words = [w for w in letters if len(w) > 1]
    upper = sum(1 for w in long_words if w[:1].isupper())
    # ALL CAPS or Every Word Capitalised: capitals say nothing about names then.
    caps_blind = bool(long_words) and (
        all(w.isupper() for w in long_words) or (len(long_words) >= 6 and upper >= 0.8 * len(long_words))
    )
    folded = [_fold(w) for w in letters]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        length = _full_name(folded, letters, i, caps_blind)
        if length:
            spans.append((i, i + length))
            i += length
            continue
        after = _after_introducer(folded, letters, i, caps_blind)
        if after:
            spans.append(after)
            i = after[1]
            continue
        i += 1
    out = []
    for a, b in spans:
        if _within_public(folded, a, b, public):
            continue
        out.append(Found(words[a][0], words[b - 1][1], "name", text[words[a][0] : words[b - 1][1]]))
    return out


def _within_public(folded: list[str], a: int, b: int, public: Collection[str]) -> bool:
    """Whether words a..b are, or lie inside, a public name ("Bác Hồ", "Chủ tịch Hồ Chí Minh"): ``public``
    or ``PUBLIC_NAMES`` (looked up in both, not merged: the content's names are not copied per message)."""
    for lo in range(max(0, a - 3), a + 1):
        for hi in range(b, min(len(folded), b + 3) + 1):
            name = " ".join(folded[lo:hi])
            if name in public or name in PUBLIC_NAMES:
                return True
    return False


def _cap(letters: list[str], j: int, caps_blind: bool) -> bool:
    return not caps_blind and letters[j][:1].isupper()


def _full_name(folded: list[str], letters: list[str], i: int, caps_blind: bool) -> int:
    """How many words of a full name start at ``i`` ("Lò Văn Pằng", "nguyen thi hoa"), or 0."""
    if folded[i] not in _SURNAMES or i + 2 >= len(folded) + 1 or i + 1 >= len(folded):
        return 0
    if folded[i + 1] in _MIDDLES and i + 2 < len(folded) and folded[i + 2] not in _COMMON | _TITLES:
        end = i + 3
        # A two-word given name: "Nguyễn Thị Thu Hà" (capitalised), "nguyen thi thu ha" (two given names).
        if end < len(folded) and (
            (_cap(letters, end, caps_blind) and _cap(letters, i + 2, caps_blind))
            or (folded[end] in _GIVEN and folded[i + 2] in _GIVEN)
        ):
            end += 1
        return end - i
    run = 0
    while i + run < len(letters) and run < 4 and _cap(letters, i + run, caps_blind):
        if folded[i + run] in _PLACE_WORDS and run > 0:
            break
        run += 1
    return run if run >= 3 else 0


def _introducer(folded: list[str], letters: list[str], i: int) -> int:
    """How many words at ``i`` introduce a person ("ông", "hộ", "gia đình ông", "hộ gia đình bà"), or 0."""
    n = 0
    while i + n < len(folded) and n < 4:
        word, plain = letters[i + n].lower(), folded[i + n]
        if plain == "gia" and i + n + 1 < len(folded) and folded[i + n + 1] == "dinh":
            n += 2
        elif (
            word in _HONORIFICS
            or word in ("hộ", "nhà")
            or plain in _PLAIN_HONORIFICS_SAFE
            or (word == plain and plain in _PLAIN_HONORIFICS_AMBIGUOUS)  # typed without accents
        ):
            n += 1
        else:
            break
    return n


def _after_introducer(
    folded: list[str], letters: list[str], i: int, caps_blind: bool
) -> tuple[int, int] | None:
    """The name an honorific or household word at ``i`` introduces: (first word, end), or None."""
    n = _introducer(folded, letters, i)
    first = i + n
    if not n or first >= len(folded):
        return None
    plain = folded[first]
    if plain in _TITLES and not (plain in _SURNAMES and _name_follows(folded, letters, first, caps_blind)):
        return None
    if _cap(letters, first, caps_blind):
        end = first + 1
        while end < len(letters) and end - first < 4 and _cap(letters, end, caps_blind):
            if folded[end] in _PLACE_WORDS:
                break
            end += 1
        return first, end
    if plain in _SURNAMES and _name_follows(folded, letters, first, caps_blind):
        end = first + 2
        if end < len(folded) and folded[end] not in _COMMON | _TITLES:
            end += 1
        return first, end
    accented = letters[i].lower() != folded[i] or folded[i] in _PLAIN_HONORIFICS_SAFE
    compound = first + 1 < len(folded) and (plain, folded[first + 1]) in _COMPOUNDS
    if plain in _GIVEN and plain not in _COMMON and accented and not compound:
        return first, first + 1
    return None


def _name_follows(folded: list[str], letters: list[str], i: int, caps_blind: bool) -> bool:
    """After a surname at ``i``: a middle name or a given name, so the pair is a name and not a word."""
    if i + 1 >= len(folded):
        return False
    nxt = folded[i + 1]
    return nxt in _MIDDLES or (nxt in _GIVEN and nxt not in _COMMON) or _cap(letters, i + 1, caps_blind)
