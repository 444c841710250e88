"""Guidance documents in: DOCX, PDF (with a text layer), TXT and Markdown become documents of the content.

Text comes out with python-docx (body paragraphs and tables in reading order: Vietnamese documents put
the issuer block and the number in a two-column table) and pypdf (bench/documents.py: a 51-page guidance
read in 0.18 s against 1.0 s for pdfminer.six, pure Python, no further dependencies). What no library does
is written here, by hand: the administrative layout of a Vietnamese document (issuer block, "Số:", the
place-and-date line, the kind and the title under it) and its own numbering (I./II., 1./2., 1.1./1.2.,
a)/b)) into sections and passages; PDF lines wrapped mid-sentence are joined and page numbers and running
headers dropped.

Nothing is written until the whole document has been read and checked; then the extracted text and the
document's YAML are written atomically (a temporary file renamed into place), text first, YAML last.
"""

from __future__ import annotations

import errno
import io
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot import texts
from bot.content import Content, Document
from bot.files import write_atomically
from bot.textnorm import clean, plain_key, unify_tones

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".docx", ".pdf", ".txt", ".md")
MAX_PASSAGE = 900  # characters: longer paragraphs are cut at sentence ends
_MIN_CHARS_PER_PAGE = 25  # below this a PDF page has no text layer (a scan)


class ImportFailed(Exception):
    """The file cannot be imported; the message is one line for the person who sent it."""


# -- kinds of document ---------------------------------------------------------------------------------------
# The kind line of the document (upper case in the original) and its short form in a citation.
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
}
_KIND_PLAIN = {plain_key(k): k for k in KINDS}


# -- extraction ----------------------------------------------------------------------------------------------
def check_file(name: str, size: int) -> str:
    """The extension of a file that may be imported, before reading it; ImportFailed otherwise."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS:
        raise ImportFailed(
            texts.IMPORT_BAD_EXTENSION.format(ext=ext or "(không có)", allowed=", ".join(EXTENSIONS))
        )
    if size > MAX_BYTES:
        raise ImportFailed(
            texts.IMPORT_TOO_BIG.format(size=size / 1024 / 1024, limit=MAX_BYTES // 1024 // 1024)
        )
    if size == 0:
        raise ImportFailed(texts.IMPORT_EMPTY.format(name=name))
    return ext


def read_file(path: Path) -> tuple[list[str], list[str]]:
    """Lines (paragraphs) of a file, and warnings; ImportFailed with one line when it cannot be read."""
    check_file(path.name, 1)  # the kind first: a .doc is refused as such, whatever else is wrong
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(
            texts.IMPORT_UNREADABLE.format(name=path.name, reason=exc.strerror or exc)
        ) from None
    if not path.is_file():
        raise ImportFailed(texts.IMPORT_NOT_A_FILE.format(name=path.name))
    check_file(path.name, size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            texts.IMPORT_UNREADABLE.format(name=path.name, reason=exc.strerror or exc)
        ) from None
    return read_bytes(data, path.name)


def read_bytes(data: bytes, name: str) -> tuple[list[str], list[str]]:
    """:func:`read_file` for bytes already in memory (a file sent through a messenger)."""
    ext = check_file(name, len(data))
    if ext == ".docx":
        lines, warnings = _docx_lines(data), []
    elif ext == ".pdf":
        lines, warnings = _pdf_lines(data)
    else:
        lines, warnings = _text_lines(data, markdown=ext == ".md"), []
    lines = _join_broken([_tidy(line) for line in lines])
    if not any(lines):
        raise ImportFailed(texts.IMPORT_NO_TEXT)
    return lines, warnings


def _join_broken(lines: list[str]) -> list[str]:
    """A paragraph cut by a page break (blank lines, then the sentence goes on in lower case) made whole."""
    out: list[str] = []
    last = -1  # the index in ``out`` of the last line with text
    for line in lines:
        if line and line[:1].islower() and last >= 0 and not _HEADING_START.match(line):
            prev = out[last]
            if not _SENTENCE_END.search(prev) and not _is_header_line(prev):
                out[last] = f"{prev} {line}"
                del out[last + 1 :]
                continue
        out.append(line)
        if line:
            last = len(out) - 1
    return out


def _tidy(line: str) -> str:
    """NFC, one tone placement, control characters and repeated spaces gone; case and punctuation kept."""
    return unify_tones(clean(line))


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document as open_docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = open_docx(io.BytesIO(data))
        body = doc.element.body
        numbering = _ListNumbers(doc)
        lines: list[str] = []
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                text = Paragraph(child, doc).text
                label = numbering.label(child)
                lines.extend((f"{label} {text}" if label else text).split("\n"))
            elif tag == "tbl":
                for row in Table(child, doc).rows:
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                            continue
                        seen.add(id(cell._tc))
                        lines.extend(ln for p in cell.paragraphs for ln in p.text.split("\n"))
                        lines.append("")
    except Exception:  # python-docx raises zip, XML and key errors alike on a broken file
        raise ImportFailed(texts.IMPORT_BAD_DOCX) from None
    return lines


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _ListNumbers:
    """The numbers Word draws for its automatic lists ("I.", "1.", "a)"), which are not in the paragraph text.

    Counters per list and level, as Word keeps them: a level restarts when a higher level moves on.
    """

    def __init__(self, doc: Any):
        # numId -> level -> (format, text, start)
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val", ""), {})

    def label(self, paragraph: Any) -> str:
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            return ""
        num_id_node, ilvl_node = num_pr.find(f"{_W}numId"), num_pr.find(f"{_W}ilvl")
        num_id = num_id_node.get(f"{_W}val", "") if num_id_node is not None else ""
        level = int(ilvl_node.get(f"{_W}val", "0")) if ilvl_node is not None else 0
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counts = self.counts.setdefault(num_id, {})
        counts[level] = counts.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        fmt, text, _ = levels[level]
        if fmt == "bullet":
            return "-"
        out = text
        for k in range(level + 1):
            value = counts.get(k, levels.get(k, ("decimal", "", 1))[2])
            out = out.replace(f"%{k + 1}", _format_number(value, levels.get(k, ("decimal", "", 1))[0]))
        return out


def roman(value: int) -> str:
    """1 → I, 14 → XIV (up to 399)."""
    out = ""
    for amount, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= amount:
            out, value = out + letters, value - amount
    return out


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        return roman(value) if fmt == "upperRoman" else roman(value).lower()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(value - 1) % 26]  # what Word draws
        return letter if fmt == "lowerLetter" else letter.upper()
    return str(value)


_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.I)


def _pdf_lines(data: bytes) -> tuple[list[str], list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password (printing, editing) still opens with an empty user password.
            try:
                if not reader.decrypt(""):
                    raise ImportFailed(texts.IMPORT_ENCRYPTED)
            except (FileNotDecryptedError, NotImplementedError):
                raise ImportFailed(texts.IMPORT_ENCRYPTED) from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportFailed:
        raise
    except (PdfReadError, FileNotDecryptedError):
        raise ImportFailed(texts.IMPORT_BAD_PDF) from None
    except Exception:  # a damaged stream fails deep inside the parser with any error
        raise ImportFailed(texts.IMPORT_BAD_PDF) from None
    if not pages:
        raise ImportFailed(texts.IMPORT_BAD_PDF)
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < _MIN_CHARS_PER_PAGE * len(pages):
        raise ImportFailed(texts.IMPORT_SCANNED)
    warnings: list[str] = []
    empty = sum(1 for p in pages if len("".join(p.split())) < _MIN_CHARS_PER_PAGE)
    if empty:
        warnings.append(texts.IMPORT_WARN_EMPTY_PAGES.format(count=empty))
    page_lines = [[unicodedata.normalize("NFC", ln).strip() for ln in p.splitlines()] for p in pages]
    page_lines = _drop_running_lines(page_lines)
    return _join_wrapped([ln for lines in page_lines for ln in lines]), warnings


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Page numbers, and headers or footers repeated at the top or bottom of most pages, dropped."""
    edges: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln]
        for ln in set(body[:2] + body[-2:]):
            edges[ln] += 1
    least = max(2, (len(pages) + 1) // 2)
    running = {ln for ln, n in edges.items() if len(pages) >= 2 and n >= least}
    out = []
    for lines in pages:
        out.append([ln for ln in lines if ln not in running and not _PAGE_NUMBER.match(ln)])
    return out


# Words a Vietnamese sentence does not end on: a line ending on one was wrapped.
_CONNECTIVES = frozenset(
    "và của các những với trong cho để là từ đến theo về tại có hoặc như được bị mà thì".split()
)
_SENTENCE_END = re.compile(r"[.:;!?…)\]\"”]$|\./$")


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF lines wrapped mid-sentence joined into paragraphs; a number, bullet or blank line starts anew.

    A line was wrapped when it is about as long as the page's full lines (a short line ends its paragraph)
    and the sentence goes on: no end punctuation, or the next line starts in lower case.
    """
    lengths = sorted(len(ln) for ln in lines if ln)
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    last_raw = ""
    for line in lines:
        if not line:
            out.append("")
            last_raw = ""
            continue
        starts_new = bool(_HEADING_START.match(line)) or line[:1] in "-+•–*"
        wrapped = (
            bool(last_raw)
            and len(last_raw) >= 0.7 * full
            and not starts_new
            and not _is_header_line(last_raw)
            and (
                line[:1].islower()
                or last_raw.rsplit(" ", 1)[-1].lower() in _CONNECTIVES
                or (len(last_raw) >= 0.85 * full and not _SENTENCE_END.search(last_raw))
            )
        )
        if wrapped:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        last_raw = line
    return out


def _is_header_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and len(line) < 90 and all(c.isupper() for c in letters)


def _text_lines(data: bytes, markdown: bool) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(texts.IMPORT_NOT_UTF8) from None
    if "\x00" in text:
        raise ImportFailed(texts.IMPORT_NOT_UTF8)
    lines = text.splitlines()
    if markdown:
        lines = [_strip_markdown(ln) for ln in lines]
    return lines


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def _strip_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = re.sub(r"^\s*[*]\s+", "- ", line)  # "* item" is a bullet
    return _MD_EMPHASIS.sub(r"\2", line)


# -- layout: metadata and sections ---------------------------------------------------------------------------
_NUMBER = re.compile(r"\bSố\s*[:.]?\s*(\d{1,5}\s*[-–]\s*[A-ZĐa-zđ0-9/.\-–]+|\d{1,5}/[A-ZĐa-zđ0-9/.\-–]+)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_PLACE = re.compile(r"^([^,]{2,60}),\s*ngày\s+\d", re.I)
_MOTTO = re.compile(
    r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    r"|ĐỘC LẬP\s*[-–]\s*TỰ DO\s*[-–]\s*HẠNH PHÚC)$",
    re.I,
)
_SUBORDINATE = ("BAN ", "PHÒNG ", "VĂN PHÒNG", "SỞ ", "TRUNG TÂM", "ĐẢNG ỦY", "ỦY BAN", "HỘI ĐỒNG")
_BODY_OPENERS = ("thực hiện", "căn cứ", "để ", "nhằm", "thi hành", "triển khai", "theo ", "năm ", "ngày ")
_ROMAN_RE = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_HEADING_START = re.compile(
    rf"^(?:(?P<roman>{_ROMAN_RE})\s*[.\-–)]\s*|(?P<dec>\d{{1,2}}(?:\.\d{{1,2}})+)\.?\s+|(?P<num>\d{{1,2}})\s*[.\-–)]\s+"
    r"|(?P<letter>[a-zđ])[).]\s+)(?P<rest>\S.*)$"
)
_RECIPIENTS = re.compile(r"^\s*nơi nhận\s*:?", re.I)
_SIGNATURE = re.compile(r"^(?:\*\*)?\s*(K/?T|T/?M|TL|TUQ|Q\.)\b[^a-zà-ỹ]*$")


def _roman_value(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


@dataclass
class ParsedSection:
    id: str
    title: str
    path: list[str]
    lines: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    """What the layout of a document says: its metadata, sections and warnings."""

    kind: str = ""
    number: str = ""
    issued: date | None = None
    place: str = ""
    issuer: str = ""
    title: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(lines: list[str]) -> Parsed:
    """Metadata from the header block and sections from the document's own numbering."""
    out = Parsed()
    body_start = _header(lines, out)
    _sections(lines[body_start:], out)
    if not out.number:
        out.warnings.append(texts.IMPORT_WARN_NO_NUMBER)
    if out.issued is None:
        out.warnings.append(texts.IMPORT_WARN_NO_DATE)
    if not out.kind:
        out.warnings.append(texts.IMPORT_WARN_NO_KIND)
    if not out.title:
        out.warnings.append(texts.IMPORT_WARN_NO_TITLE)
    return out


def _header(lines: list[str], out: Parsed) -> int:
    """Read the header block; the index of the first line of the body."""
    limit = min(len(lines), 60)
    org: list[str] = []
    kind_at = -1
    for i in range(limit):
        line = lines[i].strip().strip("*").strip()
        if not line or set(line) <= set("-–—_*=. "):
            continue
        if not out.number and (m := _NUMBER.search(line)):
            out.number = re.sub(r"\s+", "", m.group(1)).replace("–", "-").rstrip(".")
            continue
        if out.issued is None and (m := _DATE.search(line)):
            try:
                out.issued = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                out.warnings.append(texts.IMPORT_WARN_BAD_DATE.format(text=m.group(0)))
            if p := _PLACE.match(line):
                out.place = p.group(1).strip()
            continue
        kind = _kind_of(line)
        if kind:
            out.kind = kind
            kind_at = i
            break
        if _HEADING_START.match(line) and not _is_header_line(line):
            break
        if _MOTTO.match(line):
            continue
        if _is_header_line(line) and not out.number:
            org.append(line)
    out.issuer = _issuer(org)
    if kind_at < 0:
        return _first_body_line(lines)
    return _title(lines, kind_at, out)


def _kind_of(line: str) -> str:
    if not _is_header_line(line):
        return ""
    key = plain_key(line)
    for plain, kind in _KIND_PLAIN.items():
        if key == plain or (key.startswith(plain + " ") and len(key) <= len(plain) + 30):
            return kind
    return ""


def _issuer(org: list[str]) -> str:
    org = [o for o in org if not _MOTTO.match(o)]
    if len(org) > 1 and org[-1].upper().startswith(_SUBORDINATE):
        org = [org[-1], *org[:-1]]
    return " ".join(org)[:120]


def _title(lines: list[str], kind_at: int, out: Parsed) -> int:
    """The title lines under the kind line (a kind line with more words carries the title itself)."""
    kind_line = lines[kind_at].strip().strip("*").strip()
    rest = kind_line[len(out.kind) :].strip(" :-–")
    title: list[str] = [rest] if rest else []
    i = kind_at + 1
    while i < len(lines) and len(title) < 4:
        line = lines[i].strip().strip("*").strip()
        i += 1
        if not line:
            if title:
                break
            continue
        if set(line) <= set("-–—_*=. "):
            if title:
                break
            continue
        low = line.lower()
        if _HEADING_START.match(line) or low.startswith(_BODY_OPENERS) or len(line) > 300:
            i -= 1
            break
        title.append(line)
    out.title = _with_kind(out.kind, _sentence_case(" ".join(title)))
    return i


def _with_kind(kind: str, title: str) -> str:
    """ "Hướng dẫn tuyên truyền …": the kind leads the title, as documents are named."""
    if not title:
        return ""
    words = title.split()
    if len(words) > 1 and words[1][:1].islower():  # "Tuyên truyền …": a common word, not a name
        title = title[:1].lower() + title[1:]
    return f"{kind[:1]}{kind[1:].lower()} {title}"


def _sentence_case(text: str) -> str:
    """An all-capital title as a sentence (the first letter capital); other titles as written."""
    if text and _is_header_line(text[:89]) and text.upper() == text:
        return text[:1] + text[1:].lower()
    return text


def _first_body_line(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if _HEADING_START.match(line.strip()):
            return i
    return 0


def _sections(lines: list[str], out: Parsed) -> None:
    preamble = ParsedSection("preamble", texts.IMPORT_PREAMBLE_TITLE, [texts.IMPORT_PREAMBLE_TITLE])
    sections: list[ParsedSection] = [preamble]
    roman = ""  # the current numbers, by level
    num = ""
    dec = ""
    last = {"roman": 0, "num": 0}
    titles: dict[str, str] = {}
    current = preamble
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if _RECIPIENTS.match(line) or _SIGNATURE.match(line):
            break
        m = _HEADING_START.match(line)
        heading = None
        if m:
            rest = m.group("rest")
            if m.group("roman") and _is_title_like(rest):
                value = _roman_value(m.group("roman"))
                if value == last["roman"] + 1:
                    last["roman"], last["num"] = value, 0
                    roman, num, dec = m.group("roman"), "", ""
                    heading = (roman, rest, [])
            elif m.group("dec"):
                parts = m.group("dec").split(".")
                base = roman + "." if roman else ""
                sid = base + ".".join(parts)
                parent = base + parts[0]
                if num == parts[0] or not num:
                    dec = sid
                    heading = (sid, rest, [titles.get(roman, ""), titles.get(parent, "")])
            elif m.group("num"):
                value = int(m.group("num"))
                if value in (last["num"] + 1, 1) and value <= 40:
                    last["num"] = value
                    num, dec = m.group("num"), ""
                    sid = f"{roman}.{num}" if roman else num
                    heading = (sid, rest, [titles.get(roman, "")])
            elif m.group("letter") and (dec or num or roman):
                parent = dec or (f"{roman}.{num}" if roman and num else roman or num)
                sid = f"{parent}.{m.group('letter')}"
                heading = (sid, rest, [titles.get(roman, ""), titles.get(parent, "")])
        if heading is None:
            current.lines.append(line)
            continue
        sid, rest, parents = heading
        title, body = _split_heading(rest)
        titles[sid] = title
        path = [p for p in dict.fromkeys(parents) if p] + [title]
        current = ParsedSection(sid, title, path, [body] if body else [])
        sections.append(current)
    ids = Counter(s.id for s in sections)
    for sid, n in ids.items():
        if n > 1:
            out.warnings.append(texts.IMPORT_WARN_REPEATED_SECTION.format(section=sid))
            seen = 0
            for s in sections:
                if s.id == sid:
                    seen += 1
                    if seen > 1:
                        s.id = f"{sid}_{seen}"
    if len(sections) == 1:
        out.warnings.append(texts.IMPORT_WARN_NO_SECTIONS)
    out.sections = [s for s in sections if s.lines or s.id != "preamble"]


def _is_title_like(text: str) -> bool:
    """A Roman-numbered heading's text: mostly capitals ("MỤC ĐÍCH, YÊU CẦU") or a short line."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (sum(c.isupper() for c in letters) / len(letters) > 0.6 or len(text) < 80)


def _split_heading(rest: str) -> tuple[str, str]:
    """(title, body) of a heading line: "Thời gian tuyên truyền: Thực hiện ..." has both."""
    rest = rest.strip()
    if len(rest) <= 100 and not re.search(r"[:.]\s+\S", rest):
        # An item that is a sentence ("Tuyên truyền miệng qua …, họp thôn, bản.") is also its own text.
        return _sentence_case(rest.rstrip(" .:;")), rest if rest.endswith((".", ";")) else ""
    m = re.match(r"^(.{3,100}?)[:.]\s+(\S.*)$", rest)
    if m and len(m.group(1).split()) <= 14:
        return _sentence_case(m.group(1).strip()), rest
    words = rest.split()
    short = " ".join(words[:10]).rstrip(",;:.") + ("…" if len(words) > 10 else "")
    return short, rest


# -- passages ------------------------------------------------------------------------------------------------
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…;])\s+(?=[-+•–]?\s*[A-ZĐÀ-Ỹ0-9\"“(])")


def passages_of(section: ParsedSection) -> list[str]:
    """The section's paragraphs as passages (bullets stay in their section), long ones cut at sentences."""
    out: list[str] = []
    for line in section.lines:
        if len(line) <= MAX_PASSAGE:
            out.append(line)
            continue
        chunk = ""
        for sentence in _SENTENCE_SPLIT.split(line):
            if chunk and len(chunk) + len(sentence) + 1 > MAX_PASSAGE:
                out.append(chunk)
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            out.append(chunk)
    return out


# -- the document -------------------------------------------------------------------------------------------
@dataclass
class Imported:
    """A document read and checked, ready to be written (or shown for confirmation)."""

    id: str
    data: dict[str, Any]
    text: str
    warnings: list[str]

    def shown(self) -> dict[str, Any]:
        """The summary's fields for a person to read: what the document does not say is «không rõ»."""
        return {k: (texts.IMPORT_UNKNOWN if v is None else v) for k, v in self.summary().items()}

    def summary(self) -> dict[str, Any]:
        """The `loa content import --json` object."""
        return {
            "id": self.id,
            "title": self.data["title"],
            "number": self.data.get("number") or None,
            "issued": self.data.get("issued") or None,
            "issuer": self.data.get("issuer") or None,
            "sections": len(self.data["sections"]),
            "passages": len(self.data["passages"]),
            "warnings": self.warnings,
        }


@dataclass
class Overrides:
    """Flags that override what the document says of itself."""

    id: str | None = None
    title: str | None = None
    number: str | None = None
    issued: date | None = None
    issuer: str | None = None
    valid_until: date | None = None
    supersedes: str | None = None


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def slug(text: str, limit: int = 40) -> str:
    """An id made of the words of ``text``: accent-free, lower case, hyphens."""
    words = re.findall(r"[a-z0-9]+", plain_key(text))
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}-{w}" if out else w
    return out


def build(lines: list[str], warnings: list[str], over: Overrides, filename: str) -> Imported:
    """The document of these lines: metadata from the layout unless overridden, passages by section."""
    parsed = parse(lines)
    warnings = [*warnings, *parsed.warnings]
    title = clean(over.title or parsed.title or Path(filename).stem)
    number = clean(over.number or parsed.number)
    issued = over.issued or parsed.issued
    kind = parsed.kind
    doc_id = over.id or slug(number) or slug(f"{title} {issued.year if issued else ''}")
    if not _ID_RE.match(doc_id or ""):
        raise ImportFailed(texts.IMPORT_BAD_ID.format(id=doc_id))
    sections: list[dict[str, Any]] = []
    passages: list[dict[str, Any]] = []
    for section in parsed.sections:
        parts = passages_of(section)
        sections.append({"id": section.id, "title": section.title, "path": section.path})
        for k, text in enumerate(parts, 1):
            passages.append({"id": f"{section.id}-{k}", "section": section.id, "text": text})
    if not passages:
        raise ImportFailed(texts.IMPORT_NO_TEXT)
    data: dict[str, Any] = {
        "id": doc_id,
        "kind": KINDS.get(kind, ""),
        "title": title,
        "number": number,
        "issued": issued.isoformat() if issued else None,
        "issuer": clean(over.issuer or parsed.issuer),
        "place": parsed.place,
        "valid_until": over.valid_until.isoformat() if over.valid_until else None,
        "supersedes": [over.supersedes] if over.supersedes else [],
        "file": f"{doc_id}.txt",
        "sections": sections,
        "passages": passages,
    }
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    try:
        Document.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ImportFailed(texts.IMPORT_INVALID.format(field=where, message=err["msg"])) from None
    return Imported(doc_id, data, "\n".join(lines).strip() + "\n", warnings)


def check_target(root: Path, imported: Imported, replace: bool, known: set[str]) -> Path:
    """The documents folder to write into; ImportFailed when the id exists or the folder is not writable."""
    folder = root / "documents"
    if (folder / f"{imported.id}.yaml").exists() and not replace:
        raise ImportFailed(texts.IMPORT_EXISTS.format(id=imported.id))
    for old in imported.data.get("supersedes", []):
        if old not in known:
            raise ImportFailed(texts.IMPORT_NO_SUPERSEDED.format(id=old))
        if old == imported.id:
            raise ImportFailed(texts.IMPORT_SUPERSEDES_ITSELF)
    target = folder if folder.is_dir() else root
    # The content packed inside an installed wheel is the package's own: never written, even by root.
    packaged = root.resolve() == (Path(__file__).resolve().parent / "_content")
    if packaged or not os.access(target, os.W_OK):
        raise ImportFailed(texts.IMPORT_READ_ONLY.format(folder=root))
    return folder


def write(root: Path, imported: Imported, replace: bool, known: set[str]) -> Path:
    """Write the extracted text and the document's YAML atomically; the YAML's path."""
    folder = check_target(root, imported, replace, known)
    try:
        folder.mkdir(exist_ok=True)
        write_atomically(folder / f"{imported.id}.txt", imported.text.encode("utf-8"), 0o644)
        header = texts.IMPORT_YAML_HEADER.format(title=imported.data["title"])
        body = yaml.safe_dump(imported.data, allow_unicode=True, sort_keys=False, width=110)
        path = folder / f"{imported.id}.yaml"
        write_atomically(path, (header + body).encode("utf-8"), 0o644)
    except PermissionError:
        raise ImportFailed(texts.IMPORT_READ_ONLY.format(folder=root)) from None
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise ImportFailed(texts.IMPORT_READ_ONLY.format(folder=root)) from None
        raise ImportFailed(
            texts.IMPORT_WRITE_FAILED.format(folder=folder, reason=exc.strerror or exc)
        ) from None
    return path


def import_file(path: Path, root: Path, over: Overrides, replace: bool, known: set[str]) -> Imported:
    """Read, lay out and write one file into the content folder ``root``."""
    lines, warnings = read_file(path)
    imported = build(lines, warnings, over, path.name)
    write(root, imported, replace, known)
    return imported


def listing(content: Content, today: date) -> list[dict[str, Any]]:
    """The documents of the content, newest first: number, dates, validity and counts (`loa content list`)."""
    faq = Counter(e.source.document for e in content.faq if e.source is not None)
    docs = sorted(content.documents.values(), key=lambda d: (d.issued or date.min, d.id), reverse=True)
    return [
        {
            "id": d.id,
            "kind": d.kind or None,
            "number": d.number or None,
            "title": d.title,
            "issued": d.issued.isoformat() if d.issued else None,
            "issuer": d.issuer or None,
            "valid_until": d.valid_until.isoformat() if d.valid_until else None,
            "superseded_by": d.superseded_by,
            "state": d.state(today),
            "sections": len(d.sections),
            "passages": len(d.passages),
            "faq_entries": faq.get(d.id, 0),
        }
        for d in docs
    ]
