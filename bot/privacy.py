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
    "mế", "bố", "mẹ", "vợ", "chồng", "cu", "mí", "lão", "thầy", "ô",
}  # fmt: skip
_PLAIN_HONORIFICS_SAFE = {"ong", "anh", "thim", "cau", "me"}
# "duong" is "đường" (a road) as often as "dượng": counted only as typed, like the others here.
_PLAIN_HONORIFICS_AMBIGUOUS = {"ba", "chi", "co", "chu", "bac", "cu", "em", "chau", "di", "mo", "bo", "duong"}
# Words that follow an honorific but begin a title, a job or a group of people, capitalised or not:
# "ông Chủ tịch xã", "bà con", "anh em", "cô giáo", "đồng chí Bí thư". Never a name.
_TITLES = {
    "chu", "bi", "truong", "pho", "can", "cong", "giao", "thay", "dai", "dong", "bac", "y", "giam", "hieu",
    "gia", "nguoi", "con", "em", "chi", "anh", "ong", "ba", "chau", "ay", "ta", "no", "nay", "do", "kia",
    "cac", "nhung", "ca", "deu", "doi", "tu", "ke", "toan", "uy", "chinh", "quan", "cuu", "tinh", "xa",
    "huyen", "thon", "ban", "to", "khu", "hoi", "nong", "phu", "dan", "moi", "mot", "hai",
}  # fmt: skip
# ... as typed with accents: "Hải" is a name though "hai" (two) begins "hai vợ chồng".
_TITLES_ACCENTED = {
    "chủ", "bí", "trưởng", "phó", "cán", "công", "giáo", "thầy", "đại", "đồng", "bác", "y", "giám", "hiệu",
    "già", "người", "con", "em", "chị", "anh", "ông", "bà", "cháu", "ấy", "ta", "nó", "này", "đó", "kia",
    "các", "những", "cả", "đều", "đội", "tự", "từ", "kẻ", "toàn", "ủy", "uỷ", "chính", "quân", "cựu", "tỉnh",
    "xã", "huyện", "thôn", "bản", "tổ", "khu", "hội", "nông", "phụ", "dân", "mới", "mọi", "một", "hai",
}  # fmt: skip
# Words that begin a place name: a run of capitalised words stops there ("anh Hùng Bản Nà Tăm").
_PLACE_WORDS = {"tinh", "xa", "phuong", "huyen", "thon", "ban", "to", "khu", "xom", "doi"}
# ... as typed with accents: "Phương", "Xá", "Xôm" are given names, not "phường", "xã", "xóm".
_PLACE_WORDS_ACCENTED = {"tỉnh", "xã", "phường", "huyện", "thôn", "bản", "tổ", "khu", "xóm", "đội"}
# Words a name follows when it names a place or an institution, not a person: "đường Trần Phú", "Trường THCS
# Lê Quý Đôn", "cửa khẩu Ma Lù Thàng", "cầu Nậm Tăm", "tượng đài Quang Trung", "đền thờ Lê Lai".
# (Not "bản", "xã": a village named like a person, "bản Lò Văn Tám", is masked unless the content names it.)
_NAMED_AFTER = {
    "đường", "phố", "ngõ", "hẻm", "trường", "thcs", "thpt", "học", "cầu", "chợ", "khẩu", "đài", "thờ", "đền",
    "bến", "sân", "suối", "núi", "đèo", "sông", "viện", "đình", "chùa",
}  # fmt: skip
_NAMED_AFTER_PLAIN = {"duong", "pho", "ngo", "truong", "cau", "cho", "thcs", "thpt"}  # typed without accents
# A title before a name: "cô giáo Lan", "bác sĩ Hùng", "trưởng bản Páo", "già làng Vàng A Chư".
_TITLED = {
    ("co", "giao"), ("thay", "giao"), ("bac", "si"), ("y", "ta"), ("y", "si"), ("truong", "ban"),
    ("truong", "thon"), ("gia", "lang"), ("chu", "ho"),
}  # fmt: skip
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
    "lau", "hu", "chu", "sen", "pau", "deo", "mao",
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
PUBLIC_NAMES = {
    "bac ho", "ho chi minh", "chu tich ho chi minh", "vo nguyen giap", "hoang lien son",
    # Heroes whose names streets, schools and monuments carry ("phố Hai Bà Trưng", "trường Kim Đồng").
    "hai ba trung", "ba trieu", "tran hung dao", "ly thuong kiet", "vo thi sau", "kim dong", "vua hung",
    "hung vuong", "nguyen van troi", "ly tu trong", "be van dan", "to vinh dien", "phan dinh giot",
}  # fmt: skip

_WORD_RE = re.compile(r"[^\W\d_]+")
# An ID card number: 12 digits (căn cước), or 9 after the words that name one (chứng minh nhân dân).
_ID_RE = re.compile(r"(?<!\d)\d{12}(?!\d)|(?i:(?<=cmnd )|(?<=chứng minh )|(?<=chung minh ))\d{9}(?!\d)")
# A household's house number: "số nhà 25", "nhà số 12" (the road and the village stay).
# A long number however it is spaced (an ID card «012 345 678 901», a bank account «1903 4567 8901 23»), an
# e-mail address, a link to someone's profile; but not a sum grouped in thousands («15.000.000.000 đồng»).
_LONG_NUMBER_RE = re.compile(r"(?<![\d.,])\d(?:[ .\-]?\d){8,}(?![\d])")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_CONTACT_RE = re.compile(
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+|(?i:(?:https?://)?(?:www\.|m\.)?(?:facebook\.com|fb\.com|fb\.me|"
    r"zalo\.me|tiktok\.com)/[^\s,;]+)"
)
_HOUSE_RE = re.compile(r"(?i)\b(s[ốo] nh[àa] \d+[a-z]?|(?<=nh[àa] )s[ốo] \d+[a-z]?)\b")


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
    found += [Found(m.start(), m.end(), "id", m.group()) for m in _ID_RE.finditer(text)]
    found += [
        Found(m.start(), m.end(), "number", m.group())
        for m in _LONG_NUMBER_RE.finditer(text)
        if not _THOUSANDS_RE.fullmatch(m.group())
    ]
    found += [Found(m.start(), m.end(), "contact", m.group()) for m in _CONTACT_RE.finditer(text)]
    found += [Found(m.start(1), m.end(1), "address", m.group(1)) for m in _HOUSE_RE.finditer(text)]
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
    titled_at: set[int] = set()  # names after a title: "trưởng bản Páo" is a person though "bản" precedes
    i = 0
    while i < len(words):
        titled = _after_title(folded, letters, i, caps_blind)
        if titled:
            spans.append(titled)
            titled_at.add(titled[0])
            i = titled[1]
            continue
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
        place = a not in titled_at and _names_a_place(letters, folded, a)
        if place or _within_public(folded, a, b, public):
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


def _place(letters: list[str], folded: list[str], j: int) -> bool:
    """Whether word ``j`` begins a place name ("bản", "xã"; typed without accents, "ban", "xa")."""
    word = letters[j].lower()
    return word in _PLACE_WORDS_ACCENTED or (word == folded[j] and folded[j] in _PLACE_WORDS)


def _names_a_place(letters: list[str], folded: list[str], a: int) -> bool:
    """Whether the name at ``a`` follows a word that makes it a place's or an institution's name."""
    if a == 0:
        return False
    word = letters[a - 1].lower()
    return word in _NAMED_AFTER or (word == folded[a - 1] and folded[a - 1] in _NAMED_AFTER_PLAIN)


def _full_name(folded: list[str], letters: list[str], i: int, caps_blind: bool) -> int:
    """How many words of a full name start at ``i`` ("Lò Văn Pằng", "nguyen thi hoa"), or 0."""
    if folded[i] not in _SURNAMES or i + 1 >= len(folded):
        return 0
    if letters[i].lower() in _NAMED_AFTER and folded[i + 1] not in _MIDDLES:
        return 0  # "Đường Trần Phú" is a road; "Đèo Thị Loan" a person
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
        if _place(letters, folded, i + run) and run > 0:
            break
        run += 1
    return run if run >= 3 else 0


def _introducer(folded: list[str], letters: list[str], i: int) -> int:
    """How many words at ``i`` introduce a person ("ông", "hộ", "gia đình ông", "hộ gia đình bà"), or 0."""
    n = 0
    while i + n < len(folded) and n < 4:
        word, plain = letters[i + n].lower(), folded[i + n]
        if plain == "nha" and folded[i + n + 1 : i + n + 3] == ["van", "hoa"]:
            break  # «nhà văn hóa», the village's hall: not «nhà» of someone
        if plain == "gia" and i + n + 1 < len(folded) and folded[i + n + 1] == "dinh":
            n += 2
        elif n and letters[i + n][:1].isupper() and not letters[i + n].isupper():
            break  # after an honorific, a capitalised word is the name ("ông Chu Á Pớ"), not another
        elif (
            word in _HONORIFICS
            or word in ("hộ", "nhà")
            or (plain in _PLAIN_HONORIFICS_SAFE and (word == plain or word in _HONORIFICS))
            or (word == plain and plain in _PLAIN_HONORIFICS_AMBIGUOUS)  # typed without accents
            or letters[i + n] == "a"  # «a Pằng»: anh, as chats shorten it (a name's «A» is capitalised)
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
    typed = letters[first].lower()
    if typed in _NAMED_AFTER:  # "nhà … đường Lê Lợi": a place follows, not a person
        return None
    title = typed in _TITLES_ACCENTED if typed != plain else plain in _TITLES
    if title and not (plain in _SURNAMES and _name_follows(folded, letters, first, caps_blind)):
        return None
    if _cap(letters, first, caps_blind):
        return first, _capitalised_end(folded, letters, first, caps_blind)
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


def _after_title(folded: list[str], letters: list[str], i: int, caps_blind: bool) -> tuple[int, int] | None:
    """The capitalised name a title at ``i`` introduces ("cô giáo Lan", "trưởng bản Giàng A Páo"), or None."""
    if i + 1 >= len(folded) or (folded[i], folded[i + 1]) not in _TITLED:
        return None
    first = i + 2
    if first >= len(letters) or not _cap(letters, first, caps_blind):
        return None
    return first, _capitalised_end(folded, letters, first, caps_blind)


def _capitalised_end(folded: list[str], letters: list[str], first: int, caps_blind: bool) -> int:
    """Where the run of capitalised words of a name at ``first`` ends: at most four, before a place word."""
    end = first + 1
    while end < len(letters) and end - first < 4 and _cap(letters, end, caps_blind):
        if _place(letters, folded, end):
            break
        end += 1
    return end


def _name_follows(folded: list[str], letters: list[str], i: int, caps_blind: bool) -> bool:
    """After a surname at ``i``: a middle name or a given name, so the pair is a name and not a word."""
    if i + 1 >= len(folded):
        return False
    nxt = folded[i + 1]
    return nxt in _MIDDLES or (nxt in _GIVEN and nxt not in _COMMON) or _cap(letters, i + 1, caps_blind)
