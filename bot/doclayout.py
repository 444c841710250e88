"""The administrative layout of a Vietnamese document, read from its blocks (:mod:`bot.docread`).

Written by hand because no library knows it (Nghị định 30/2020/NĐ-CP sets it out; departments follow it
loosely): the header block in any order and line layout (issuer hierarchy, «Số:», place and date, the national
motto glued anywhere), the kind line and the title under it; the body's own numbering (Phần, Chương, Mục,
Điều and its clauses «1.», «a)», Roman and Arabic numbers, «1.1.», letters, Mẫu); «Nơi nhận» and the signature
(office and name) wherever a PDF puts them; and what follows the signature — attached rules, regulations,
appendices and forms, each a part of its own with its own title. Tables become one passage per row that
repeats the column headers. Decorative lines, page numbers and the kind's bare «QUYẾT ĐỊNH:» never become
passages.

Linear in the number of blocks: every block is looked at a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from bot.docread import Block, is_upper_line
from bot.textnorm import plain_key, strip_accents

# -- what a person reads about it (kept beside the reader that says it) --------------------------------------
PREAMBLE_TITLE = "Phần mở đầu"
RECIPIENTS_TITLE = "Nơi nhận"
WARN_NO_NUMBER = "không thấy số văn bản (dòng «Số: …»); dùng --number"
WARN_NO_DATE = "không thấy ngày ban hành (dòng «…, ngày … tháng … năm …»); dùng --issued"
WARN_BAD_DATE = "ngày không có thật: «{text}»"
WARN_NO_KIND = "không thấy loại văn bản (HƯỚNG DẪN, KẾ HOẠCH, …)"
WARN_NO_TITLE = "không thấy tiêu đề; dùng --title"
WARN_NO_SECTIONS = "không thấy mục đánh số (I., 1., Điều 1., Chương I …): cả văn bản là một mục"
WARN_NO_SIGNER = "không thấy người ký"

# The kind line of a document (upper case in the original) and its short form in a citation.
KINDS: dict[str, str] = {
    "HƯỚNG DẪN": "HD",
    "KẾ HOẠCH": "KH",
    "ĐỊNH HƯỚNG": "ĐH",
    "ĐỀ CƯƠNG": "ĐC",
    "CÔNG VĂN": "CV",
    "THÔNG BÁO": "TB",
    "NGHỊ QUYẾT": "NQ",
    "CHỈ THỊ": "CT",
    "KẾT LUẬN": "KL",
    "QUYẾT ĐỊNH": "QĐ",
    "BÁO CÁO": "BC",
    "CHƯƠNG TRÌNH": "CTr",
    "TÀI LIỆU": "TL",
    "THÔNG TRI": "TT",
    "BẢN TIN": "BT",
    "QUY ĐỊNH": "QĐi",
    "QUY CHẾ": "QC",
    "THÔNG TƯ": "TT",
    "NGHỊ ĐỊNH": "NĐ",
    "LUẬT": "L",
    "ĐỀ ÁN": "ĐA",
    "TỜ TRÌNH": "TTr",
}
_KIND_PLAIN = sorted(((plain_key(k), k) for k in KINDS), key=lambda kv: -len(kv[0]))
# The kinds of part attached after the signature.
_PART_KINDS = (
    "quy dinh", "quy che", "phu luc", "danh muc", "huong dan", "de cuong", "dieu le", "noi quy",
    "chuong trinh", "ke hoach", "bieu mau", "mau", "tieu chi", "thang diem", "de an", "bang",
)  # fmt: skip


class Para(NamedTuple):
    """A passage as read: its text, the table group it sits under (a row's lead), whether a table row."""

    text: str
    lead: str = ""
    row: bool = False


@dataclass
class ParsedSection:
    id: str
    label: str  # how a citation names it: «Điều 5», «khoản 1 Điều 5», «mục II.1», «Phụ lục I»
    title: str
    path: list[str]  # the titles from the top of the document (the attached part's first) down to this one
    part: str = ""  # the attached part it belongs to («Quy định», «Phụ lục I»); "" in the document itself
    passages: list[Para] = field(default_factory=list)


@dataclass
class Parsed:
    """What the layout of a document says: its metadata, sections and warnings."""

    kind: str = ""
    number: str = ""
    issued: date | None = None
    issued_text: str = ""  # the date as the header writes it: «ngày 05 tháng 3 năm 2025»
    place: str = ""
    issuer: str = ""
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    tables: int = 0
    warnings: list[str] = field(default_factory=list)


# -- patterns ----------------------------------------------------------------------------------------------
_DECORATIVE = re.compile(r"^[\s\-–—_*=.~•·…⁕※+o0]{2,}$|^[\s\-–—_*=]+$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.I)
_NUMBER = re.compile(
    r"\bS[ốố]\s*(?:hiệu\s*)?[:.]?\s*(\d{1,5}(?:\s*[/\-–]\s*[\dA-ZĐa-zđ&.]+)+)(?=\s|$|[,;)])", re.U
)
_NUMBER_CHARS = 40  # «82/2025/NQ-HĐND» has 15: a longer «number» is not one
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_SLASH = re.compile(r"ngày\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.I)
_PLACE = re.compile(r"([^,|]{2,40}?),\s*ngày\s+\d", re.I)
_MOTTO = re.compile(
    r"C\s*Ộ\s*N\s*G\s+H\s*[ÒO]\s*À?\s*A?\s+X\s*Ã\s+H\s*Ộ\s*I(?:\s+C\s*H\s*Ủ\s+N\s*G\s*H\s*Ĩ\s*A)?"
    r"(?:\s+V\s*I\s*Ệ\s*T\s+N\s*A\s*M)?"
    r"|CHỦ\s+NGHĨA\s+VIỆT\s+NAM"
    r"|Đ\s*Ả\s*N\s*G\s+C\s*Ộ\s*N\s*G\s+S\s*Ả\s*N(?:\s+V\s*I\s*Ệ\s*T\s+N\s*A\s*M)?"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do(?:\s*[-–]\s*Hạnh\s+phúc)?"
    r"|[-–]?\s*Hạnh\s+phúc",
    re.I,
)
_RECIPIENTS = re.compile(r"^\s*(?:\*\*)?\s*nơi\s+nhận\s*:?\s*(.*)$", re.I)
# An office over a signature: «TM. ỦY BAN NHÂN DÂN», «KT. CHỦ TỊCH», «PHÓ BÍ THƯ», «(đã ký)».
_OFFICE_START = re.compile(r"^(?:TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[./]?\s+\S")
_OFFICE_WORDS = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|BÍ\s+THƯ|TRƯỞNG\s+BAN|GIÁM\s+ĐỐC|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG|CHÁNH\s+VĂN\s+PHÒNG|"
    r"TRƯỞNG\s+PHÒNG|CỤC\s+TRƯỞNG|VIỆN\s+TRƯỞNG|TỔNG\s+GIÁM\s+ĐỐC|THỨ\s+TRƯỞNG|TRƯỞNG\s+ĐOÀN|"
    r"CHÁNH\s+ÁN|VIỆN\s+TRƯỞNG|HIỆU\s+TRƯỞNG|TỔNG\s+BÍ\s+THƯ|THƯỜNG\s+TRỰC|CHỦ\s+NHIỆM)\b"
)
_OFFICE_TITLES = r"(?:CHỦ TỊCH|BÍ THƯ|TRƯỞNG BAN|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|TRƯỞNG PHÒNG)\b"
_SIGNED = re.compile(r"\(\s*(?:đã\s+ký|ký(?:\s*,[^)]*)?|ký\s+và\s+ghi\s+rõ[^)]*)\s*\)", re.I)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$|^[A-ZĐÀ-Ỹ]+$")
_BODY_OPENERS = ("thực hiện", "căn cứ", "để ", "nhằm", "thi hành", "triển khai", "theo ", "ngày ", "kính gửi",
                 "xét ", "trong ", "qua ", "trên cơ sở", "do ", "năm ")  # fmt: skip
_ENACTS = re.compile(r"\b(QUYẾT ĐỊNH|QUYẾT NGHỊ|BAN HÀNH|CHỈ THỊ)\s*:?\s*$")
_ORGAN_START = re.compile(
    r"^(ỦY BAN|UỶ BAN|HỘI ĐỒNG|CHÍNH PHỦ|BAN |BỘ |SỞ |TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|ĐẢNG ỦY|THỦ TƯỚNG|"
    r"CHỦ TỊCH|TRƯỞNG BAN|GIÁM ĐỐC|BỘ TRƯỞNG|QUỐC HỘI|VĂN PHÒNG|TRUNG ƯƠNG|BÍ THƯ)"
)
_ATTACHED = re.compile(r"^\(?\s*(?:ban hành\s+)?kèm theo\b", re.I)
_PART_NUMBER = re.compile(r"^(?:số\s+)?([IVXLC]+|\d{1,3}[a-z]?)\b[.:\s\-–]*", re.I)
_TITLE_LINES = 6  # lines in capitals a part's title takes at most (its label and a title wrapped)

_ROMAN = r"[IVXLC]{1,7}"
_REST = r"\b\s*[.:\-–]?\s*(?P<rest>.*)$"
_HEADINGS: list[tuple[str, int, re.Pattern[str]]] = [
    ("phan", 0, re.compile(rf"^(?:PHẦN|Phần)\s+(?:THỨ\s+|thứ\s+)?(?P<n>{_ROMAN}|\d{{1,2}}){_REST}")),
    ("chuong", 1, re.compile(rf"^(?:CHƯƠNG|Chương)\s+(?P<n>{_ROMAN}|\d{{1,2}}){_REST}")),
    ("mau", 1, re.compile(rf"^(?:MẪU|Mẫu)(?:\s+(?:số|SỐ))?\s+(?P<n>\d{{1,2}}(?:\.\d{{1,2}})?){_REST}")),
    ("muc", 2, re.compile(
        rf"^(?:MỤC|Mục)\s+(?P<n>{_ROMAN}|\d{{1,2}})\s*[.:\-–]\s*(?P<rest>.*)$"
        rf"|^(?:MỤC|Mục)\s+(?P<n2>{_ROMAN}|\d{{1,2}})$"
    )),
    ("dieu", 3, re.compile(r"^(?:ĐIỀU|Điều)\s+(?P<n>\d{1,3})\s*(?:[.:]\s*|\s+(?=[A-ZĐÀ-Ỹ]))(?P<rest>.*)$")),
    ("upper", 4, re.compile(r"^(?P<n>[A-H])\s*[.)]\s+(?P<rest>[A-ZĐÀ-Ỹ].*)$")),
    ("roman", 5, re.compile(rf"^(?P<n>{_ROMAN})\s*[.\-–)]\s*(?P<rest>\S.*)$")),
    ("num", 6, re.compile(
        r"^(?P<n>\d{1,2})\s*[.)]\s*(?P<rest>[^\d\s].*)$|^(?P<n2>\d{1,2})\s*[-–]\s+(?P<rest2>[A-ZĐÀ-Ỹ].*)$"
    )),
    ("dec", 7, re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<rest>\S.*)$")),
    ("letter", 8, re.compile(r"^(?P<n>[a-zđ])\s*[).]\s+(?P<rest>\S.*)$")),
]  # fmt: skip
_LETTERS = "abcdđeghiklmnopqrstuvxy"


def roman_value(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


def _value(kind: str, n: str) -> int:
    if kind in ("phan", "chuong", "muc", "roman") and not n.isdigit():
        return roman_value(n.upper())
    if kind == "letter":
        return _LETTERS.find(n) + 1
    if kind == "upper":
        return ord(n) - ord("A") + 1
    if kind in ("dec", "mau"):
        return int(n.split(".")[-1])
    return int(n)


def is_decorative(line: str) -> bool:
    return bool(_DECORATIVE.match(line)) or bool(_PAGE_NUMBER.match(line))


# -- the whole document ------------------------------------------------------------------------------------
def parse(blocks: list[Block]) -> Parsed:
    """Metadata from the header block and the signature, sections from the document's own numbering."""
    out = Parsed()
    casing = Casing(blocks)
    body_start = _header(blocks, out, casing)
    _Sections(out, casing).run(blocks[body_start:])
    if not out.number:
        out.warnings.append(WARN_NO_NUMBER)
    if out.issued is None:
        out.warnings.append(WARN_NO_DATE)
    if not out.kind:
        out.warnings.append(WARN_NO_KIND)
    if not out.title:
        out.warnings.append(WARN_NO_TITLE)
    if not out.signer:
        out.warnings.append(WARN_NO_SIGNER)
    return out


# -- the header ----------------------------------------------------------------------------------------------
def kind_of(line: str) -> tuple[str, str]:
    """(kind, the rest of the line) of a kind line in capitals («KẾ HOẠCH», «NGHỊ QUYẾT VỀ …»)."""
    text = line.strip().strip("*").strip()
    if not is_upper_line(text):
        return "", ""
    key = plain_key(text)
    for plain, kind in _KIND_PLAIN:
        if key == plain or key.startswith(plain + " "):
            words = len(kind.split())
            rest = " ".join(text.split()[words:]).strip(" :-–")
            return kind, rest
    return "", ""


def _header(blocks: list[Block], out: Parsed, casing: Casing) -> int:
    """Read the header block into ``out``; the index of the first block of the body.

    Header lines are those in capitals, decorative lines, «Số: …», the place-and-date line and the motto, in
    any order; the kind line ends them and the title follows it. Any other line ends the header: a text with
    no header begins its body at once.
    """
    limit = min(len(blocks), 80)
    fragments: list[str] = []  # what is left of the header lines once number, date and motto are taken out
    kind_at, first, end = -1, "", 0
    for i in range(limit):
        line = blocks[i].text.strip().strip("*").strip()
        if not line or is_decorative(line):
            continue
        kind, rest = kind_of(line)
        if kind and (i > 0 or len(line.split()) <= 3):
            out.kind, kind_at, first = kind, i, rest
            break
        if re.match(r"^(?:V/v|Về việc)\b", line, re.I) and (out.number or fragments):
            out.kind, out.title, kind_at = "CÔNG VĂN", line, i
            break
        left = _take_number_and_date(line, out)
        rest = _MOTTO.sub(" ", left).strip(" |-–,.")
        if rest and not is_upper_line(rest.replace("|", " ")) and not _MOTTO.search(left):
            break
        fragments.append(left)
        end = i + 1
    out.issuer = _issuer(fragments, casing)
    if kind_at < 0:
        return end if (out.number or out.issued) else 0
    if out.title:
        return kind_at + 1
    return _title(blocks, kind_at, first, out, casing)


def _starts_body(line: str) -> bool:
    low = line.lower()
    return low.startswith(_BODY_OPENERS) or bool(_heading_kind(line)) or len(line) > 250


def _take_number_and_date(line: str, out: Parsed) -> str:
    """The header line with its «Số: …», place and date taken out (and read into ``out`` the first time)."""
    if not out.number and (m := _NUMBER.search(line)):
        number = re.sub(r"\s+", "", m.group(1)).replace("–", "-").rstrip(".")
        if re.search(r"[A-Za-zĐđ]", number) and len(number) <= _NUMBER_CHARS:
            out.number = number
            line = line[: m.start()] + " " + line[m.end() :]
    if out.issued is None:
        m = _DATE.search(line) or _DATE_SLASH.search(line)
        if m:
            try:
                out.issued = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                out.issued_text = " ".join(m.group(0).split())
            except ValueError:
                out.warnings.append(WARN_BAD_DATE.format(text=m.group(0)))
            p = _PLACE.search(line[: m.end()])
            if p:
                place = _MOTTO.sub(" ", p.group(1)).strip(" |:-–")
                out.place = " ".join(place.split()) or out.place
            line = line[: p.start() if p else m.start()] + " " + line[m.end() :]
    return line


def _issuer(fragments: list[str], casing: Casing) -> str:
    """The issuing body, its hierarchy in order («Ban Chấp hành Trung ương – Ban Tuyên giáo và Dân vận»)."""
    text = _MOTTO.sub(" ", " ".join(" ".join(fragments).split("|")))
    words = [w for w in text.split() if not is_decorative(w) and w not in ("-", "–")]
    name = " ".join(w for w in words if is_upper_line(w) or not any(c.isalpha() for c in w)).strip(" ,.;:-–")
    if not name:
        return ""
    return " – ".join(casing.proper(level) for level in _levels(name))[:160]


_ORGAN = re.compile(r"^(BAN|SỞ|BỘ|CỤC|TRUNG TÂM|ỦY BAN|UỶ BAN|HỘI ĐỒNG|ĐẢNG ỦY|PHÒNG|VĂN PHÒNG|CHI CỤC)$")
_NOT_AFTER = {"ỦY", "UỶ", "TRƯỞNG", "VĂN", "ĐẢNG", "CÁN", "CHI", "PHÓ", "CÁC", "VÀ", "VỤ", "NHÂN"}


def _levels(name: str) -> list[str]:
    """«BAN CHẤP HÀNH TRUNG ƯƠNG BAN TUYÊN GIÁO VÀ DÂN VẬN» → its two levels, in order."""
    starts = [0]
    words = name.split()
    for i in range(1, len(words)):
        if not (_ORGAN.match(words[i]) or _ORGAN.match(" ".join(words[i : i + 2]))):
            continue
        if words[i - 1] not in _NOT_AFTER and i - starts[-1] >= 2 and len(words) - i >= 2:
            starts.append(i)
    return [" ".join(words[a:b]) for a, b in zip(starts, [*starts[1:], len(words)], strict=True)]


_WORD = re.compile(r"[^\W\d_]+", re.U)
_ROMAN_WORD = re.compile(r"^[IVXLC]{2,7}$")
_NUMBERED = {"lục", "chương", "mục", "phần", "khóa", "khoá", "thứ", "điều", "loại"}
# An accent-free Vietnamese syllable; a word in capitals that is not one is an acronym.
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnptk])?$"
)
_SENTENCE_START = re.compile(r"[.:;!?(\"“]\s*$")


class Casing:
    """How the document itself writes its words in running text, to write a line in capitals as it would.

    «ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ» becomes «Ủy ban nhân dân thành phố Cần Thơ» because the body says
    «… của Ủy ban nhân dân thành phố Cần Thơ»: each word takes the form the body gives it after the same word,
    or else the form it usually has in mid-sentence; Roman numerals stay in capitals; a word the body never
    writes is lower case.
    """

    def __init__(self, blocks: list[Block]):
        self.pairs: dict[tuple[str, str], dict[str, int]] = {}
        self.before: dict[tuple[str, str], dict[str, int]] = {}  # a word's forms by the word after it
        self.words: dict[str, dict[str, int]] = {}
        for block in blocks[:3000]:
            text = block.text
            if not text or is_upper_line(text):
                continue
            prev = ""
            last: tuple[str, str] | None = None  # the previous word, when counted, and its form
            for m in _WORD.finditer(text):
                word, low = m.group(0), m.group(0).lower()
                mid = prev and not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()])
                if last is not None:
                    _count(self.before, (last[0], low), last[1])
                last = None
                if mid and not word.isupper():
                    _count(self.pairs, (prev, low), word)
                    _count(self.words, low, word)
                    last = (low, word)
                prev = low

    def word(self, word: str, prev: str, following: str = "", in_place: bool = False) -> str:
        """A word in capitals as the text writes it after ``prev`` (and before ``following``); ``in_place``:
        within a place's name («TỈNH NGHỆ AN»), where a word the text never writes is a name too."""
        if _ROMAN_WORD.match(word) or (prev in _NUMBERED and re.fullmatch(r"[IVXLC]+", word)):
            return word
        low = word.lower()
        if word.isupper() and not _SYLLABLE.match(strip_accents(low)):
            return word  # HĐND, UBND, KT, CP: an acronym stays in capitals
        for forms in (self.pairs.get((prev, low)), self.before.get((low, following)), self.words.get(low)):
            if forms:
                return max(forms.items(), key=lambda kv: kv[1])[0]
        # A word the text never writes, after «tỉnh», «xã», «Tỉnh ủy»: the name of a place.
        return low[:1].upper() + low[1:] if in_place or prev in _PLACE_WORDS else low

    def proper(self, text: str) -> str:
        """A line in capitals written the way the document writes its words, the first letter up."""
        if not text or not is_upper_line(text):
            return text
        out: list[str] = []
        prev = ""
        last = 0
        in_place = False
        found = list(_WORD.finditer(text))
        for k, m in enumerate(found):
            following = found[k + 1].group(0).lower() if k + 1 < len(found) else ""
            out.append(text[last : m.start()])
            word = self.word(m.group(0), prev, following, in_place)
            out.append(word)
            # A place's name goes on over its words («Đắk Lắk», «Lai Châu»).
            in_place = (in_place or prev in _PLACE_WORDS) and word[:1].isupper()
            prev = m.group(0).lower()
            last = m.end()
        out.append(text[last:])
        joined = "".join(out)
        return joined[:1].upper() + joined[1:]


_PLACE_WORDS = {"tỉnh", "phố", "huyện", "xã", "phường", "quận", "trấn", "ủy", "uỷ"}


def _count(table: dict, key: object, form: str) -> None:
    forms = table.setdefault(key, {})
    forms[form] = forms.get(form, 0) + 1


_NO_CASING = Casing([])


def _title(blocks: list[Block], kind_at: int, first: str, out: Parsed, casing: Casing) -> int:
    """The title lines under the kind line (a kind line with more words carries the title's start)."""
    title: list[str] = [first] if first else []
    i = kind_at + 1
    while i < len(blocks) and len(title) < 6:
        line = blocks[i].text.strip().strip("*").strip()
        if blocks[i].cells:
            break
        i += 1
        if not line or is_decorative(line):
            if title and not line:
                break
            continue
        upper = is_upper_line(line)
        opens = _heading_kind(line) if upper else _starts_body(line.lstrip("-–+• "))
        if opens or _RECIPIENTS.match(line) or _ATTACHED.match(line):
            i -= 1
            break
        if title and upper and is_enactor(line, out.issuer):
            i -= 1
            break
        if title and not upper and is_upper_line(" ".join(title)):
            i -= 1  # a line in running text after a title in capitals is the body
            break
        title.append(line)
        if not upper and line.endswith((".", ";")):
            break
    out.title = _with_kind(out.kind, casing.proper(" ".join(title)))
    return i


def is_enactor(line: str, issuer: str) -> bool:
    """«ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ», «TRƯỞNG BAN … QUYẾT ĐỊNH»: who enacts, under a title."""
    if _ENACTS.search(line) or _ORGAN_START.match(line):
        return True
    key, own = set(plain_key(line).split()), set(plain_key(issuer).split())
    return bool(own) and len(key & own) >= 0.85 * max(len(key), len(own))


def _with_kind(kind: str, title: str) -> str:
    """ "Kế hoạch tuyên truyền …": the kind leads the title, as documents are named."""
    if not title:
        return ""
    if plain_key(title).startswith(plain_key(kind)):
        return title
    if title[:1].isupper() and title.split()[0].lower() == title.split()[0].lower():
        words = title.split()
        if len(words) > 1 and not words[0].isupper():
            title = title[:1].lower() + title[1:]
    return f"{kind[:1]}{kind[1:].lower()} {title}"


def _heading_kind(line: str) -> tuple[str, int, str, str] | None:
    """(kind, rank, number, rest) of a heading line, or None."""
    for kind, rank, pattern in _HEADINGS:
        m = pattern.match(line)
        if m:
            groups = m.groupdict()
            n = groups.get("n") or groups.get("n2") or ""
            rest = groups.get("rest") or groups.get("rest2") or ""
            roman_like = kind in ("roman", "phan", "chuong", "muc") and not n.isdigit()
            if roman_like and (not re.fullmatch(_ROMAN_CANON, n) or roman_value(n) > 40):
                continue
            return kind, rank, n, rest.strip()
    return None


_ROMAN_CANON = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"


# -- the body, the signature and the attached parts ----------------------------------------------------------
@dataclass
class _Level:
    kind: str
    rank: int
    value: int
    key: str  # its piece of the section id
    title: str
    label: str


class _Sections:
    """Walks the body: sections by numbering, «Nơi nhận» and the signature, then the attached parts."""

    def __init__(self, out: Parsed, casing: Casing):
        self.out = out
        self.casing = casing
        self.stack: list[_Level] = []
        self.last: dict[int, int] = {}  # the last number accepted at each rank, under the current parent
        self.part = ""  # the attached part's label («Phụ lục II»)
        self.part_key = ""
        self.part_title = ""
        self.title_open = False  # the lines in capitals under a part's first line are its title
        self.part_lines: list[str] = []
        self.ids: dict[str, int] = {}
        self.zone = "body"  # body | tail («Nơi nhận» and the signature)
        self.signature: list[str] = []
        self.named = False  # the signer's name has been read
        self.table_rows: list[tuple[str, ...]] = []
        self.table_id = -2
        self.pending: ParsedSection | None = None  # a heading whose title is on the next line
        self.wrapped: tuple[ParsedSection, str] | None = None  # a heading whose title may go on
        self.recipients: ParsedSection | None = None
        self.current = self._new("preamble", "phần mở đầu", PREAMBLE_TITLE)

    def _new(self, key: str, label: str, title: str) -> ParsedSection:
        sid = ".".join(k for k in (self.part_key, key) if k)
        if sid in self.ids:
            self.ids[sid] += 1
            sid = f"{sid}_{self.ids[sid]}"
        else:
            self.ids[sid] = 1
        path = [self.part_title] if self.part_title else []
        path += [lv.title for lv in self.stack[:-1] if lv.title]
        if title and title not in path:
            path.append(title)
        section = ParsedSection(sid, label, title, path, self.part)
        self.out.sections.append(section)
        return section

    def run(self, blocks: list[Block]) -> None:
        for block in blocks:
            if block.cells:
                self._row(block)
                continue
            self._flush_table()
            line = block.text.strip()
            if line.startswith("**") and line.endswith("**"):
                line = line.strip("*").strip()
            if line and not is_decorative(line):
                self._line(line)
        self._flush_table()
        sections = self.out.sections
        self.out.sections = [s for s in sections if s.passages or (s.id != "preamble" and s.title)]
        if not any(s.id not in ("preamble", "recipients") for s in self.out.sections):
            self.out.warnings.append(WARN_NO_SECTIONS)

    def _line(self, line: str) -> None:
        if self.pending is not None and self._title_line(line):
            return
        if self.wrapped is not None and self._title_goes_on(line):
            return
        if self.title_open:
            only_label = len(self.part_lines) == 1 and _is_label(self.part_lines[0])
            short = len(line) < 160 and not line.endswith((".", ";", ":")) and not line.startswith(("-", "+"))
            if (
                len(self.part_lines) < _TITLE_LINES
                and not _heading_kind(line)
                and not _is_appendix(line)
                and (is_upper_line(line) or (only_label and short))
            ):
                self.part_lines.append(line)
                self._title_part()
                return
            self.title_open = False
        if self.zone == "tail" and self._tail(line):
            return
        if self.zone == "body":
            m = _RECIPIENTS.match(line)
            if m and (self.stack or self.current.passages):
                self.zone = "tail"
                if m.group(1).strip():
                    self._tail(m.group(1).strip())
                return
            if self._signature_start(line):
                self.zone = "tail"
                self._tail(line)
                return
        if self._part_start(line) or self._heading(line):
            return
        if _ATTACHED.match(line) and self.part and not self.current.passages:
            return  # «(Kèm theo Quyết định số …)» under an attached part's title: the citation says it
        if re.fullmatch(r"(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ)\s*:?", line):
            return
        if not self.stack and not self.part and is_upper_line(line) and is_enactor(line, self.out.issuer):
            return  # «ỦY BAN THƯỜNG VỤ QUỐC HỘI» over the preamble: who enacts, said in the header
        self.current.passages.append(Para(line))

    def _title_goes_on(self, line: str) -> bool:
        """«II. NỘI DUNG, NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU CỦA» / «KẾ HOẠCH»: a heading in capitals wrapped over
        two lines is one title, never a passage of its second line."""
        assert self.wrapped is not None
        (section, first), self.wrapped = self.wrapped, None
        if section is not self.current or section.passages or not is_upper_line(line) or len(line) > 120:
            return False
        if _heading_kind(line) or _is_appendix(line) or _is_part(line):
            return False
        section.title = _sentence_case(f"{first} {line}".rstrip(" .:"), self.casing)
        section.path[-1:] = [section.title]
        self.stack[-1].title = section.title
        return True

    def _title_line(self, line: str) -> bool:
        """«Chương I» / «NHỮNG QUY ĐỊNH CHUNG»: the title of a heading that had none on its own line."""
        section, self.pending = self.pending, None
        assert section is not None
        if not (is_upper_line(line) or (len(line) < 120 and not line.endswith((".", ";", ":")))):
            return False
        if _heading_kind(line) or _is_appendix(line):
            return False
        section.title = _sentence_case(line.rstrip(" .:"), self.casing)
        section.path[-1:] = [section.title]
        self.stack[-1].title = section.title
        return True

    def _signature_start(self, line: str) -> bool:
        """The signature where no «Nơi nhận» precedes it: an office line in capitals after the body's text."""
        if not is_upper_line(line) or not (self.stack or self.current.passages):
            return False
        return bool(_OFFICE_START.match(line)) or (bool(_OFFICE_WORDS.match(line)) and len(line.split()) <= 6)

    # -- the tail: Nơi nhận and the signature ---------------------------------------------------------------
    def _tail(self, line: str) -> bool:
        """Take a line of the tail; False when it starts what follows the tail (an attached part)."""
        if m := _RECIPIENTS.match(line):
            line = m.group(1).strip()
        clean = _SIGNED.sub("", line).strip()
        if not clean:
            return True
        upper = is_upper_line(clean)
        if upper and not self.named and (_OFFICE_START.match(clean) or _OFFICE_WORDS.match(clean)):
            self.signature.append(clean)
            return True
        if upper and not self.named and self.signature and len(clean.split()) <= 2 and not _is_part(clean):
            self.signature[-1] += " " + clean  # «TM. ỦY BAN NHÂN» / «DÂN»
            return True
        office = _OFFICE_WORDS.match(clean) if not self.named else None
        if office and _is_name(clean[office.end() :].strip()):
            self.signature.append(clean[: office.end()])
            clean = clean[office.end() :].strip()
        if self.signature and not self.named and _is_name(clean):
            self.out.signer = " ".join(w.title() if w.isupper() else w for w in clean.split())
            self.out.signer_title = _office(self.signature)
            self.named = True
            return True
        if upper and (self.named or _is_part(clean)):
            self.zone = "body"
            return False
        if clean.startswith(("-", "+", "•")) or self._continues_recipient(clean):
            self._recipient(clean)
            return True
        if self.named or len(clean) > 160:
            self.zone = "body"
            return False
        self._recipient(clean)
        return True

    def _continues_recipient(self, line: str) -> bool:
        last = self.recipients.passages[-1].text if self.recipients and self.recipients.passages else ""
        return bool(last) and (line[:1].islower() or not last.rstrip().endswith((";", ".", ",")))

    def _recipient(self, line: str) -> None:
        if self.recipients is None:
            saved = (self.part_key, self.part_title, self.part, self.stack)
            self.part_key, self.part_title, self.part, self.stack = "", "", "", []
            self.recipients = self._new("recipients", "phần nơi nhận", RECIPIENTS_TITLE)
            self.part_key, self.part_title, self.part, self.stack = saved
        text = line.lstrip("-+• ").strip()
        passages = self.recipients.passages
        if passages and not line.startswith(("-", "+", "•")) and self._continues_recipient(line):
            passages[-1] = Para(f"{passages[-1].text} {text}")
        elif text:
            passages.append(Para(text))

    # -- attached parts ----------------------------------------------------------------------------------
    def _part_start(self, line: str) -> bool:
        """An attached part («QUY ĐỊNH …», «PHỤ LỤC II», «QUY CHẾ …») after the signature, or a Phụ lục."""
        if not is_upper_line(line):
            return False
        after_signature = bool(self.signature or self.named or self.recipients)
        if not (_is_appendix(line) or (after_signature and not self.part and _is_part(line))):
            return False
        self.part_key = f"A{len(self.out.parts) + 1}"
        self.part, _ = _part_kind(line)
        self.part_lines = [line]
        self.stack, self.last = [], {}
        self.part_title = ""
        self.current = self._new("", self.part, "")
        self.out.parts.append("")
        self._title_part()
        self.title_open = True
        return True

    def _title_part(self) -> None:
        """The part's title from its lines in capitals: «Phụ lục I: Danh mục …», «Quy chế bồi dưỡng …»."""
        first, *rest = self.part_lines
        label = self.casing.proper(first)
        numbered = _is_label(first)
        if rest:
            more = self.casing.proper(" ".join(rest))
            label = f"{label}: {more}" if numbered else self.casing.proper(" ".join(self.part_lines))
        self.part_title = label
        self.current.title = label
        self.current.path = [label]
        self.out.parts[-1] = label

    # -- headings ------------------------------------------------------------------------------------------
    def _heading(self, line: str) -> bool:
        found = _heading_kind(line)
        if found is None:
            return False
        kind, rank, n, rest = found
        if kind == "roman" and not _title_like(rest):
            return False
        value = _value(kind, n)
        if not self._accepts(rank, value, kind):
            return False
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        for deeper in [r for r in self.last if r > rank]:
            del self.last[deeper]
        self.last[rank] = value
        key = _key(kind, n, self.stack)
        title, body = _split_heading(rest, self.casing)
        if not body and kind in _ITEMS and _says_something(rest):
            body = rest  # «a) Thời gian thi đua chia thành 02 đợt:» is a title and says something too
        label = self._label(kind, n, n if kind == "letter" else key)
        self.stack.append(_Level(kind, rank, value, key, title, label))
        self.current = self._new(".".join(lv.key for lv in self.stack), label, title)
        if body:
            self.current.passages.append(Para(body))
        elif not rest:
            self.pending = self.current
        elif is_upper_line(rest):
            self.wrapped = (self.current, rest)  # its title may go on, in capitals, on the next line
        return True

    def _accepts(self, rank: int, value: int, kind: str) -> bool:
        last = self.last.get(rank, 0)
        if value == last + 1 or (value == 1 and last != 1) or (last and value == last + 2):
            return True
        if last == 0:  # the first at its level: a document may begin at II, an extract at Điều 5
            return value <= (200 if kind == "dieu" else 4)
        return False

    def _label(self, kind: str, n: str, key: str) -> str:
        named = {"dieu": "Điều", "chuong": "Chương", "phan": "Phần", "muc": "Mục", "mau": "Mẫu"}
        if kind in named:
            return f"{named[kind]} {n}"
        article = next((lv.label for lv in reversed(self.stack) if lv.kind == "dieu"), "")
        if article and kind in ("num", "dec"):
            return f"khoản {key} {article}"
        if article and kind == "letter":
            return f"điểm {n} {self.stack[-1].label}"
        keys = [_shown(lv) for lv in self.stack if lv.kind in ("roman", "num", "dec", "letter", "upper")]
        return "mục " + ".".join([*keys, key])

    # -- tables --------------------------------------------------------------------------------------------
    def _row(self, block: Block) -> None:
        if block.table != self.table_id:
            self._flush_table()
            self.table_id = block.table
        self.table_rows.append(block.cells)

    def _flush_table(self) -> None:
        if not self.table_rows:
            return
        rows, self.table_rows = self.table_rows, []
        self.table_id = -2
        self.out.tables += 1
        self.title_open = False
        self.current.passages.extend(table_passages(rows))


def _is_label(line: str) -> bool:
    """«PHỤ LỤC II», «MẪU SỐ 03»: a part's first line that is only its label, its title below it."""
    return bool(re.match(r"^(?:PHỤ LỤC|MẪU|BIỂU MẪU)(?:\s+SỐ)?(?:\s+[IVXLC\d]+[A-Z]?)?$", line.strip()))


def _is_appendix(line: str) -> bool:
    """«PHỤ LỤC», «PHỤ LỤC II», «PHỤ LỤC SỐ 03: …» in capitals: an appendix begins, wherever it is."""
    key = plain_key(line)
    return is_upper_line(line) and (
        key == "phu luc" or bool(re.match(r"^phu luc (so )?([ivxlc]+|\d{1,3})\b", key))
    )


def _sentence_case(text: str, casing: Casing | None = None) -> str:
    """A heading in capitals written as the document writes its words; other headings as written."""
    if not (text and is_upper_line(text)):
        return text
    return (casing or _NO_CASING).proper(text)


def _is_part(line: str) -> bool:
    key = plain_key(line)
    return any(key == k or key.startswith(k + " ") for k in _PART_KINDS) and len(key.split()) <= 40


def _part_kind(line: str) -> tuple[str, str]:
    """(«Phụ lục II», the rest) of an attached part's first line."""
    key = plain_key(line)
    for k in _PART_KINDS:
        if key == k or key.startswith(k + " "):
            words = line.split()[len(k.split()) :]
            rest = " ".join(words)
            name = " ".join(line.split()[: len(k.split())]).capitalize()
            if k in ("phu luc", "mau", "bieu mau") and (m := _PART_NUMBER.match(rest)):
                return f"{name} {m.group(1).upper()}", rest[m.end() :]
            return name, rest
    return line.capitalize(), ""


def _is_name(line: str) -> bool:
    """A person's name under a signature: two to six capitalised words, no digits."""
    words = line.split()
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words) and not _is_part(line)


def _office(lines: list[str]) -> str:
    """«TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH» from the office lines over a signature."""
    text = " ".join(lines)
    pieces = re.split(r"\s+(?=(?:TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[./]\s)|\s+(?=PHÓ\s)", text)
    out: list[str] = []
    for piece in (p.strip() for p in pieces if p.strip()):
        # «TM. ỦY BAN NHÂN DÂN CHỦ TỊCH»: on behalf of the body, then the signer's own office
        m = re.match(r"^(?:TM|T/M)\s*[./]?\s*(.+?)\s+(?=(?:PHÓ\s+)?" + _OFFICE_TITLES + r")", piece)
        if m:
            out += [piece[: m.end()].strip(), piece[m.end() :].strip()]
        else:
            out.append(piece)
    return " / ".join(out)


def _shown(level: _Level) -> str:
    """A level's number as the document writes it (the id's «dd» is «đ»)."""
    return "đ" if level.kind == "letter" and level.key == "dd" else level.key


def _key(kind: str, n: str, stack: list[_Level]) -> str:
    if kind == "dieu":
        return f"D{n}"
    if kind == "chuong":
        return f"C{n}"
    if kind == "phan":
        return f"P{n}"
    if kind == "muc":
        return f"M{n}"
    if kind == "mau":
        return f"F{n}"
    if kind == "letter":
        return "dd" if n == "đ" else n  # ids are ASCII (they travel in buttons)
    if kind == "dec":
        parts = n.split(".")
        if stack and stack[-1].kind == "num" and stack[-1].key == parts[0]:
            return ".".join(parts[1:])
        return n
    return n


_ITEMS = ("num", "dec", "letter", "upper")


def _says_something(text: str) -> bool:
    """An item's text that is more than a label: a figure in it, or a clause of six words or more."""
    return not is_upper_line(text) and (bool(re.search(r"\d", text)) or len(text.split()) >= 6)


def _title_like(text: str) -> bool:
    """A Roman-numbered heading's text: mostly capitals («MỤC ĐÍCH, YÊU CẦU») or a short line."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (sum(c.isupper() for c in letters) / len(letters) > 0.6 or len(text) < 120)


def _split_heading(rest: str, casing: Casing) -> tuple[str, str]:
    """(title, body) of a heading line: "Thời gian tuyên truyền: Thực hiện ..." has both."""
    rest = rest.strip()
    if not rest:
        return "", ""
    if len(rest) <= 100 and not re.search(r"[:.]\s+\S", rest):
        # An item that is a sentence ("Tuyên truyền miệng qua …, họp thôn, bản.") is also its own text.
        return _sentence_case(rest.rstrip(" .:;"), casing), rest if rest.endswith((".", ";")) else ""
    m = re.match(r"^(.{3,100}?)[:.]\s+(\S.*)$", rest)
    if m and len(m.group(1).split()) <= 14:
        return _sentence_case(m.group(1).strip(), casing), rest
    words = rest.split()
    short = " ".join(words[:10]).rstrip(",;:.") + ("…" if len(words) > 10 else "")
    return short, rest


# -- tables -------------------------------------------------------------------------------------------------
_INDEX_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu", "muc"}
_PLACEHOLDER = re.compile(r"^[\s.…_\-–:/()]*$")


def table_passages(rows: list[tuple[str, ...]]) -> list[Para]:
    """One passage per data row, «Header: value; …», with the group row it sits under as its lead."""
    width = max(len(r) for r in rows)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    n_head = _header_rows(grid)
    headers = _headers(grid[:n_head], width) if n_head else [""] * width
    index_col = next((i for i, h in enumerate(headers) if plain_key(h) in _INDEX_HEADERS), -1)
    out: list[Para] = []
    lead = ""
    for row in grid[n_head:]:
        cells = [c.replace("\n", " ").strip() for c in row]
        if all(_PLACEHOLDER.match(c) for c in cells):
            continue
        unique = _dedupe_merged(cells)
        filled = [i for i, c in enumerate(unique) if c and not _PLACEHOLDER.match(c)]
        label = unique[index_col] if index_col >= 0 else ""
        fields = [f"{headers[i]}: {unique[i]}" if headers[i] else unique[i] for i in filled if i != index_col]
        if not fields:
            continue
        text = ("; ".join(fields)).strip()
        if label and not _PLACEHOLDER.match(label):
            text = f"{label}. {text}"
        group = width >= 3 and len([i for i in filled if i != index_col]) == 1 and len(fields[0]) < 200
        out.append(Para(text, lead, True))
        if group:
            lead = re.sub(r"^[^:]{1,40}:\s*", "", fields[0]) if headers[filled[-1]] else fields[0]
    return out


def _dedupe_merged(cells: list[str]) -> list[str]:
    """A cell merged across columns is given once (the grid repeats it in every column it spans)."""
    out = list(cells)
    for i in range(1, len(out)):
        if out[i] and out[i] == cells[i - 1]:
            out[i] = ""
    return out


def _header_rows(grid: list[list[str]]) -> int:
    """How many rows at the top are column headers (short labels; a merged heading repeats above)."""
    first = grid[0]
    if not _labels(first) or len(grid) < 2:
        return 0
    n = 1
    while n < min(3, len(grid) - 1):
        row = grid[n]
        merged = any(row[i] and row[i] == grid[n - 1][i] for i in range(len(row)))
        if _labels(row) and (
            merged or any(a != b and b == "" for a, b in zip(row, grid[n - 1], strict=True))
        ):
            n += 1
        else:
            break
    return n


def _labels(row: list[str]) -> bool:
    """A row of column labels: short cells without figures («STT», «Nội dung», «Mức chi»)."""
    filled = [c for c in row if c.strip()]
    if len(filled) < 2:
        return False
    return all(len(c) <= 60 and not re.search(r"\d", c) for c in filled)


def _headers(rows: list[list[str]], width: int) -> list[str]:
    out = []
    for col in range(width):
        names: list[str] = []
        for row in rows:
            cell = " ".join(row[col].split())
            if cell and cell not in names:
                names.append(cell)
        out.append(" – ".join(names))
    return out
