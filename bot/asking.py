"""What a question asks for, and whether a sentence holds that kind of thing.

A question typed on a phone names what it wants with a few words: «khi nào», «bao giờ», «ngày nào» (a date or
a time), «bao nhiêu», «mấy», «bao lâu» (a number or a duration, often with its unit: «mấy ngày», «bao nhiêu
điểm», «bn %»), «ai», «cơ quan nào», «sở nào» (a person or a body), «ở đâu» (a place), «số mấy», «văn bản
nào», «chỉ thị nào» (a document), «có được … không» (yes or no). Sentences that hold that kind of thing are
preferred; a question asking for a figure the best sentence does not give is answered honestly.

Regular expressions over the accent-free question, written by hand: the cue words are few and fixed, and no
library tags Vietnamese questions this way.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from bot.textnorm import strip_accents

SIGNER = "signer"  # who signed the document
ISSUED = "issued"  # when the document was issued (signed, adopted)
DATE = "date"
NUMBER = "number"
PERSON = "person"
BODY = "body"
PLACE = "place"
DOCUMENT = "document"
YESNO = "yesno"
NAME = "name"

# Cues, accent-free and lower case, whole words.
_CUES: list[tuple[str, re.Pattern[str]]] = [
    (SIGNER, re.compile(r"\b(ai ky|nguoi ky|ky boi ai|do ai ky|ai la nguoi ky|ai da ky)\b")),
    (ISSUED, re.compile(
        r"\b((ban hanh|ky|thong qua|phat hanh) (vao )?(ngay|hom) (nao|may|bao nhieu)|"
        r"ngay (ban hanh|ky|thong qua)|(ban hanh|ky|thong qua) (khi nao|bao gio|luc nao))\b"
    )),
    (DOCUMENT, re.compile(
        r"\b(so hieu|ky hieu|so may|van ban nao|van ban so|(chi thi|nghi quyet|quyet dinh|ke hoach|"
        r"thong tu|nghi dinh|huong dan|cong van|thong bao|ket luan|de an|to trinh|luat|quy dinh|"
        r"qd|nq|kh|hd|ct|tb|cv|tt|nd) (nao|so may|so bao nhieu|so gi|gi)|"
        r"theo (van ban|quyet dinh|nghi quyet|chi thi) (nao|gi))\b"
    )),
    (DATE, re.compile(
        r"\b(khi nao|bao gio|luc nao|ngay nao|ngay may|ngay bao nhieu|thoi gian nao|thoi diem nao|may gio|"
        r"thang nao|thang may|nam nao|nam may|quy nao|tu khi nao|den khi nao|truoc ngay nao|"
        r"cham nhat (la )?ngay|ky ngay|ban hanh ngay|hieu luc tu|co hieu luc|thoi han nao|han chot|"
        r"bat dau tu|ket thuc (vao|khi)|keo dai (den|toi|bao lau)|giai doan nao|thoi ky nao|nam nao)\b"
    )),
    (NUMBER, re.compile(
        r"\b(bao nhieu|bn|bnhieu|may|bao lau|ty le|ti le|so luong|phan tram|muc chi|muc thuong|"
        r"toi da|toi thieu|"
        r"it nhat|nhieu nhat|chiem|dat bao|may phan)\b|%"
    )),
    (PERSON, re.compile(r"\b(ai|nguoi nao|ong nao|ba nao|dong chi nao|ai la|do ai|ai ky|nguoi ky)\b")),
    (BODY, re.compile(
        r"\b(co quan nao|don vi nao|so nao|bo nao|ban nao|vien nao|phong nao|to chuc nao|cap nao|hoi nao|"
        r"nganh nao|ngan hang nao|trung tam nao|uy ban nao|noi nao nhan|gui (ve )?dau|chu tri|phu trach|"
        r"dau moi|co quan gi|don vi gi)\b"
    )),
    (PLACE, re.compile(
        r"\b(o dau|tai dau|noi nao|dia diem nao|cho nao|xa nao|tinh nao|huyen nao|phuong nao)\b"
    )),
    (NAME, re.compile(r"\b(gi|nao|ten gi|la gi|nhung (gi|ai|nao)|gom nhung)\b")),
    (YESNO, re.compile(r"\b(co duoc|duoc khong|co phai|phai khong|co can|can khong|co bat buoc|co cam|"
                       r"duoc phep|co bi)\b|\bco\b.*\bkhong\s*\??$")),
]  # fmt: skip
# The noun after «bao nhiêu», «mấy», «tối đa»: what the figure counts («mấy ngày», «bao nhiêu điểm»).
_COUNTED = re.compile(
    r"\b(?:bao nhieu|bn|bnhieu|may|toi da|toi thieu|it nhat|nhieu nhat)"
    r"(?:\s+(?:bao nhieu|bn|may|la|chi|khoang|duoc))*\s+(?:phan\s+)?([a-z]+(?:\s+[a-z]+)?)"
)
# Words after «bao nhiêu» that are not what is counted («bao nhiêu thì», «mấy cái gì»).
_NOT_COUNTED = set(
    "thi la duoc de cho va voi ma nay do kia vay a nhi nhe khong chua roi the sao o tai trong nam ngay thang "
    "nao gi ai dau con cua moi mot".split()
) - {"nam", "ngay", "thang"}
# Counters any figure of people or things answers («mấy người làm lớp phó» → «01-02 lớp phó»).
_GENERIC = {"nguoi", "cai", "con", "chiec", "lan", "muc", "cap"}
GENERIC_COUNTS = frozenset(_GENERIC | {"", "tien"})
# Nouns a number labels rather than counts: «khu vực 14», «lần thứ XIII», «Dự án 5», «Điều 59», «đợt 02».
_LABELS = (
    r"khu vuc|lan thu|thu|khoa|du an|tieu du an|dieu|khoan|phu luc|mau|chuong|phan|dot|buoc|nhom|"
    r"ky hop|giai doan|chi nhanh|vung|to|doi"
)
_LABELLED = re.compile(rf"\b({_LABELS}) (?:may|bao nhieu)\b")
_LABEL_NUMBER = re.compile(rf"\b(?:{_LABELS})\s+(?:\d+|[ivxl]+)\b|\(\d{{1,2}}\)")
# «bao nhiêu một buổi», «bn 1 kg»: a rate per buổi, per kg («200.000 đồng/buổi»).
_PER = re.compile(r"\b(?:bao nhieu|bn|bnhieu|may)\s+(?:1|mot)\s*([a-z]+)")
PER = "/"
_MONEY_WORDS = {"tien", "dong", "kinh"}  # «bao nhiêu tỷ» asks the scale too: «tỷ», «triệu» stay themselves
# «mức trợ cấp … bao nhiêu», «kinh phí bao nhiêu»: a sum of money is asked.
_MONEY_RATE = re.compile(
    r"\b(muc (chi|tro cap|ho tro|luong|thuong|phi|phu cap|boi duong|dong|thu)|kinh phi|chi phi|le phi|"
    r"hoc phi|tien)\b"
)
_TIME_WORDS = {"ngay", "thang", "nam", "tuan", "gio", "phut", "quy", "buoi", "lau"}


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kinds (most specific first) and, for a figure, what it counts or the
    label it numbers («khu vực mấy» → «khu vực 14», «lần thứ mấy» → «lần thứ XIII»)."""

    kinds: tuple[str, ...] = ()
    counts: str = ""  # «ngày», «điểm», «%», «tiền» (accent-free)
    label: str = ""  # «khu vuc», «lan thu» (accent-free)
    now: bool = False  # it speaks of the present moment («hôm nay», «ngày mai»)
    day: str = ""  # the calendar unit it asks for: «ngay» («ngày nào», «hạn chót»), «thang», «nam»

    @property
    def figure(self) -> bool:
        return NUMBER in self.kinds

    @property
    def main(self) -> str:
        return self.kinds[0] if self.kinds else ""


# Words of the present moment: «hôm nay», «ngày mai», «bây giờ». Guidance documents do not say what happens
# today (the weather, a price, a match): a question with one is answered only by a sentence saying it too.
_NOW = re.compile(
    r"\b(hom nay|ngay mai|hom qua|toi nay|sang nay|chieu nay|dem nay|bay gio|luc nay|tuan nay|tuan sau|"
    r"thang nay|sang mai|toi mai|chieu mai)\b"
)


# A date of the calendar asked, which a sentence answers only by giving one («khi nào» may be answered by
# «sau khi …»).
_DAY = re.compile(
    r"\b(ngay (nao|may|bao nhieu)|thang (nao|may)|nam (nao|may)|han chot|cham nhat (la )?ngay|"
    r"truoc ngay nao)\b"
)


def about_now(text: str) -> bool:
    """Whether ``text`` speaks of the present moment («hôm nay», «ngày mai» …)."""
    return bool(_NOW.search(re.sub(r"[^\w\s]", " ", strip_accents(text.lower()))))


def asked(question: str) -> Asked:
    """The kinds of thing ``question`` asks for (none when it only names a topic)."""
    lower = question.lower()
    # «máy» (a machine), «mây» are not «mấy»: a word typed with other accents is not the cue.
    lower = re.sub(r"\b(?!mấy\b|may\b)(m[aáàảãạâấầẩẫậăắằẳẵặ]y)\b", "maymoc", lower)
    plain = strip_accents(lower)
    plain = re.sub(r"[^\w%\s]", " ", plain)
    kinds = [kind for kind, cue in _CUES if cue.search(plain)]
    found = _asked(plain, kinds, bool(_NOW.search(plain)))
    day = _DAY.search(plain) if found.main == DATE else None
    if day:
        unit = day.group(1).split()[0]
        return replace(found, day=unit if unit in ("thang", "nam") else "ngay")
    return found


def _asked(plain: str, kinds: list[str], now: bool) -> Asked:
    if DOCUMENT in kinds and NUMBER in kinds:
        kinds.remove(NUMBER)  # «số mấy» asks for a document's number, not a count
    if DATE in kinds and NUMBER in kinds and re.search(r"\b(ngay|thang|nam) (may|bao nhieu)\b", plain):
        kinds.remove(NUMBER)  # «ngày mấy» asks for a date
    if NAME in kinds and len(kinds) > 1:
        kinds.remove(NAME)
    if SIGNER in kinds:
        kinds = [SIGNER] + [k for k in kinds if k not in (SIGNER, PERSON)]
    if ISSUED in kinds:
        kinds = [ISSUED] + [k for k in kinds if k not in (ISSUED, DATE, NUMBER)]
    counts = ""
    label = _LABELLED.search(plain)
    if label and NUMBER in kinds:
        return Asked(tuple(kinds), "", label.group(1), now)
    if NUMBER in kinds:
        per = _PER.search(plain)
        if per and per.group(1) not in _NOT_COUNTED:
            return Asked(tuple(kinds), PER + per.group(1), now=now)
        if "%" in plain or re.search(r"\b(phan tram|ty le|ti le)\b", plain):
            counts = "%"
        elif (m := _COUNTED.search(plain)) and m.group(1).split()[0] not in _NOT_COUNTED:
            first = m.group(1).split()[0]
            counts = "tien" if first in _MONEY_WORDS else first
        elif re.search(r"\bbao lau\b", plain):
            counts = "lau"
        elif _MONEY_RATE.search(plain):
            counts = "tien"
    return Asked(tuple(kinds), counts, now=now)


# Words a question uses to say what kind of thing it asks, which are not what it asks about: «ngày» of «ngày
# nào», «cơ quan» of «cơ quan nào». A question of only these and its document's name asks of the document.
CUE_WORDS: dict[str, frozenset[str]] = {
    DATE: frozenset(
        "ngay thang nam gio luc khi thoi gian diem han den tu keo dai giai doan ky bat dau".split()
    ),
    ISSUED: frozenset("ngay thang nam khi".split()),
    BODY: frozenset("co quan don vi to chuc".split()),
    PERSON: frozenset("nguoi".split()),
    PLACE: frozenset("dia diem noi".split()),
    DOCUMENT: frozenset("van ban so hieu ky".split()),
}


# -- what a sentence holds -----------------------------------------------------------------------------------
_DOC_NUMBER = re.compile(r"\b\d{1,5}(?:/\d{4})?[-/][A-ZĐ][\wĐ&-]*(?:/[\wĐ&-]+)*|\bsố\s+\d{1,5}/[A-ZĐ]")
_A_DATE = re.compile(
    r"\bngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}|\s*/\s*\d{1,2})|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?![/-]\w)|\btháng\s+\d{1,2}\b|"
    r"\bnăm\s+\d{4}\b|\bquý\s+[IV1-4]+\b|\bhằng\s+(?:năm|tháng|quý|tuần)\b|\b(?:kể\s+)?từ\s+ngày\b|"
    r"\btrước\s+ngày\b|\bngày\s+ký\b|\bgiai đoạn\s+\d{4}|\b\d{4}\s*[-–]\s*\d{4}\b",
    re.I,
)
# Digits; and a Roman ordinal («lần thứ XIII», «khóa XVI»), which is a figure too. Number words are not
# counted: «năm» is five and a year, «một» is one and «a».
_FIGURE = re.compile(r"(?<![\w/])\d+(?:[.,]\d+)*\s*%?|(?<=thứ )[IVXL]{1,6}\b|(?<=khóa )[IVXL]{1,6}\b")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PROPER = re.compile(r"(?<![.:;!?]\s)(?<!^)\b[A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)+")
# A person's name: a common family name and one to three more words in capitals («Hồ Thị Nguyên Thảo»).
_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương Đinh "
    "Lâm Phùng Mai Tô Hà Tạ Cao Lương Lưu Tống Quách Thái Kiều Chu Châu Đồng Triệu Lò Vi Sùng Giàng Thào Lù "
    "Lường Cầm Tòng Lã Mạc Nông Giáp Khổng Âu Doãn La Lại Lục Ma Nghiêm Ninh Quan Thân Tăng Văn Viên"
).split()
_PERSON = re.compile(r"\b(?:" + "|".join(_SURNAMES) + r")(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){1,3}\b")
_BODY_WORDS = re.compile(
    r"\b(?:Sở|Bộ|Ban|Vụ|Ủy ban|Uỷ ban|Hội đồng|Văn phòng|Viện|Phòng|Cục|Chi cục|Trung tâm|Công an|Ngân hàng|"
    r"Hội|Đoàn|Mặt trận|Tỉnh ủy|Thành ủy|Đảng ủy|Bưu điện|Báo|Đài|Bảo hiểm|Tòa án|Viện kiểm sát|Quân sự|"
    r"Chính phủ|Thủ tướng|Quốc hội|Chủ tịch|Giám đốc|UBND|HĐND|MTTQ)\b"
)
_PLACES = re.compile(r"\b(?:xã|phường|tỉnh|thành phố|huyện|quận|thị trấn|thôn|bản|tại|ở)\s+[A-ZĐÀ-Ỹ]", re.U)
_RULE_WORDS = re.compile(r"\b(?:được|không được|phải|cấm|nghiêm cấm|bắt buộc|có thể|không)\b", re.I)
_CITED_DATE = re.compile(
    _DOC_NUMBER.pattern
    + r"[\w/-]*\s*,?\s*(?:ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\s*/\s*\d{1,2}\s*/\s*\d{2,4})"
    r"|ngày\s+\d{1,2}/\d{1,2}/\d{2,4})"
)
_QUOTED = re.compile(r"[“\"«][^”\"»]{3,}[”\"»]")


def figures(text: str) -> list[str]:
    """The figures of ``text``: numbers that are not years, dates, parts of a document's number, nor labels
    («Dự án 5», «Điều 59», «(3)»)."""
    stripped = _DOC_NUMBER.sub(" ", text)
    plain = strip_accents(stripped.lower())
    if _LABEL_NUMBER.search(plain):  # a label's number goes, the rest of the text stays in place
        spans = [m.span() for m in _LABEL_NUMBER.finditer(plain)]
        for a, b in reversed(spans):
            stripped = stripped[:a] + " " * (b - a) + stripped[b:]
    stripped = re.sub(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", " ", stripped)
    return [f.strip() for f in _FIGURE.findall(stripped) if not _YEAR.match(f.strip())]


def holds(kind: str, text: str, counts: str = "") -> bool:
    """Whether ``text`` holds a thing of ``kind`` (for a figure: of what ``counts``, when given)."""
    if kind == DATE:
        # The date of a document cited («Hướng dẫn số 7886/HD-BNV ngày 14/9/2025») is when it was issued,
        # not the date of what the sentence tells.
        return bool(_A_DATE.search(_CITED_DATE.sub(" ", text)))
    if kind == NUMBER:
        return gives_count(text, counts)
    if kind == DOCUMENT:
        return bool(_DOC_NUMBER.search(text))
    if kind == BODY:
        return bool(_BODY_WORDS.search(text))
    if kind == PERSON:
        return bool(_BODY_WORDS.search(text) or _PERSON.search(text))
    if kind == PLACE:
        return bool(_PLACES.search(text))
    if kind == YESNO:
        return bool(_RULE_WORDS.search(text))
    if kind == NAME:
        return bool(_QUOTED.search(text) or _PROPER.search(text))
    return False


_DAY_MONTH = r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?![/-]\w)"
_DAY_OF = {
    "ngay": re.compile(rf"\b(?i:ngày)\s+\d{{1,2}}\b|{_DAY_MONTH}"),
    # «tháng 6», «tháng Mười», «6/2026»
    "thang": re.compile(rf"\b(?i:tháng)\s+(?:\d{{1,2}}|[A-ZĐ]\w+)\b|{_DAY_MONTH}|\b\d{{1,2}}/\d{{4}}\b"),
    "nam": re.compile(r"\b(?:19|20)\d\d\b"),
}


def gives_day(text: str, unit: str) -> bool:
    """Whether ``text`` gives a date down to ``unit`` («ngay», «thang», «nam»), other than a cited
    document's date."""
    return bool(_DAY_OF[unit].search(_CITED_DATE.sub(" ", text)))


# Both are pure and asked of the same few sentences over and over (every question asking a figure reranks up
# to 60 of them with a dozen regular expressions each): remembered.
@functools.lru_cache(maxsize=1 << 13)
def gives_label(text: str, label: str) -> bool:
    """Whether ``text`` numbers ``label`` («khu vực 14», «lần thứ XIII»)."""
    return bool(re.search(rf"\b{re.escape(label)}\s+(?:\d+|[ivxl]+)\b", strip_accents(text.lower())))


@functools.lru_cache(maxsize=1 << 13)
def gives_count(text: str, counts: str = "") -> bool:
    """Whether ``text`` gives a figure, and when ``counts`` is known, a figure of it («03 ngày», «80%»)."""
    found = figures(text)
    if not found:
        return False
    if not counts:
        return True
    plain = strip_accents(text.lower())
    if counts == "%":
        return "%" in text or "phan tram" in plain
    if counts.startswith(PER):
        noun = re.escape(counts[len(PER) :])
        return bool(re.search(rf"/\s*{noun}\b|\b(?:moi|mot|1)\s+{noun}\b", plain))
    counts_only = [f for f in found if not f.endswith("%")]
    if not counts_only:
        return False  # a rate is not a count: «bao nhiêu người» is not answered by «90% người …»
    if counts in _GENERIC:
        return True
    if counts == "tien":
        return bool(re.search(r"\d[\d.,]*\s*(?:dong|trieu|ty|nghin|ngan)\b", plain))
    if counts == "lau":
        return bool(re.search(r"\d+\s*(?:ngay|thang|nam|tuan|gio|phut|buoi|quy)\b", plain))
    return bool(re.search(rf"\d[\d.,]*\s*(?:[\w%]+\s+)?{re.escape(counts)}\b", plain))
