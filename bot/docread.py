"""A document's text out of its file (DOCX, PDF with a text layer, TXT, Markdown) as blocks in reading order.

A block is a paragraph, or one row of a data table with its cells. What comes out is only text in order; what
the text means (header, headings, attached parts, signature) is :mod:`bot.doclayout`'s.

- DOCX (python-docx): body paragraphs and tables in document order, the numbers Word draws for automatic lists
  read from numbering.xml. A table that lays out the page rather than holding data (the header block: issuer
  and number on the left, motto and date on the right; «Nơi nhận» beside the signature) is read column by
  column, so each column's lines stay together; a data table gives one block per row.
- PDF (pypdf: a 51-page guidance in 0.18 s against 1.0 s for pdfminer.six, bench/documents.py): lines joined
  where a sentence was wrapped, page numbers and running headers dropped.
- TXT/MD: lines; «a | b | c» (or tab-separated) lines are table rows, as departments paste tables into text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot import texts
from bot.errors import BadInput
from bot.textnorm import clean, plain_key, unify_tones

# -- what it says --------------------------------------------------------------------------------------------
IMPORT_LIMIT = "Tệp có {count} {what}, quá giới hạn {limit} của một văn bản; xin kiểm tra lại tệp"
IMPORT_LIMIT_WHAT = {
    "xml": "byte XML khi giải nén (một phần của tệp DOCX)",
    "paragraphs": "đoạn",
    "cells": "ô bảng",
    "pages": "trang",
    "chars": "ký tự",
    "line": "ký tự trong một đoạn liền",
    "sections": "mục",
    "passages": "đoạn trích",
}
IMPORT_BAD_DOCX = (
    "Tệp DOCX bị hỏng hoặc không phải tệp Word (.docx); hãy lưu lại bằng Word/LibreOffice rồi gửi lại"
)
IMPORT_BAD_PDF = "Tệp PDF bị hỏng, không đọc được"
IMPORT_ENCRYPTED = "Tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu"
IMPORT_SCANNED = (
    "Tệp PDF không có lớp chữ (bản quét/ảnh chụp); Loa chưa hỗ trợ nhận dạng chữ (OCR): "
    "hãy gửi bản DOCX hoặc PDF xuất từ Word"
)
IMPORT_NOT_UTF8 = "Tệp văn bản không phải mã UTF-8; hãy lưu lại với mã UTF-8"
IMPORT_WARN_EMPTY_PAGES = "{count} trang không có chữ (ảnh quét?) đã bỏ qua"


class ImportFailed(BadInput):
    """The file cannot be imported; the message is one line for the person who sent it."""


# What no real document reaches (a 50-page guidance: ~1,500 paragraphs, ~150,000 characters, 1-3 MB of
# DOCX XML), checked as early and cheaply as each can be: a crafted file is refused in one line at once.
LIMITS = {
    "xml": 30 * 1024 * 1024,  # bytes of one XML part of a DOCX, unzipped
    "paragraphs": 40_000,  # paragraphs and lines
    "cells": 60_000,  # table cells of a DOCX
    "pages": 600,  # PDF pages
    "chars": 4_000_000,  # characters of text
    "line": 30_000,  # characters of one line or paragraph as the file gives it
    "sections": 5_000,  # sections of the document read (a 50-page guidance: ~650)
    "passages": 20_000,  # passages (~1,000)
}


def over_limit(what: str, count: int) -> None:
    """ImportFailed naming the limit when ``count`` is past the limit of ``what``."""
    limit = LIMITS[what]
    if count > limit:
        raise ImportFailed(
            IMPORT_LIMIT.format(count=f"{count:,}".replace(",", "."),
                                      what=IMPORT_LIMIT_WHAT[what],
                                      limit=f"{limit:,}".replace(",", "."))
        )  # fmt: skip


@dataclass(frozen=True)
class Block:
    """A paragraph (``cells`` empty) or a data table's row (``table`` numbers the table)."""

    text: str
    cells: tuple[str, ...] = ()
    table: int = -1


MIN_CHARS_PER_PAGE = 25  # below this a PDF page has no text layer (a scan)


def read(data: bytes, ext: str) -> tuple[list[Block], list[str]]:
    """The blocks of a file's bytes, and warnings; ImportFailed with one line when it cannot be read."""
    warnings: list[str] = []
    if ext == ".docx":
        blocks = _docx_blocks(data)
    elif ext == ".pdf":
        blocks, warnings = _pdf_blocks(data)
    else:
        blocks = _text_blocks(data, markdown=ext == ".md")
    over_limit("paragraphs", len(blocks))
    over_limit("chars", sum(len(b.text) for b in blocks))
    over_limit("line", max((len(b.text) for b in blocks), default=0))
    blocks = _join_broken([_tidy_block(b) for b in blocks])
    if not any(b.text for b in blocks):
        raise ImportFailed(texts.IMPORT_NO_TEXT)
    return blocks, warnings


def _tidy(line: str) -> str:
    """NFC, one tone placement, control characters and repeated spaces gone; case and punctuation kept."""
    return unify_tones(clean(line))


def _tidy_block(block: Block) -> Block:
    if not block.cells:
        return Block(_tidy(block.text))
    cells = tuple(_tidy(c) for c in block.cells)
    return Block(" | ".join(cells), cells, block.table)


# -- DOCX ----------------------------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A table holding these is part of the page's layout (header block, signature), not data.
_LAYOUT_MARKS = re.compile(
    r"cong hoa xa hoi|doc lap|dang cong san viet nam|\bso\s*:|noi nhan|\b(tm|kt|tl|tuq)\s*[./]|"
    r"chu tich\b|bi thu\b|truong ban\b|giam doc\b|\bngay\b.{0,12}\bthang\b"
)


def _docx_blocks(data: bytes) -> list[Block]:
    from docx import Document as open_docx

    _check_docx(data)
    try:
        doc = open_docx(io.BytesIO(data))
        numbering = _ListNumbers(doc)
        blocks: list[Block] = []
        tables = 0
        for child in _content_of(doc.element.body):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                text = _paragraph_text(child, doc)
                label = numbering.label(child)
                blocks.extend(Block(ln) for ln in (f"{label} {text}" if label else text).split("\n"))
            elif tag == "tbl":
                rows = _table_rows(child, doc)
                if _is_layout(rows):
                    blocks.extend(_columns(rows))
                else:
                    blocks.extend(Block(" | ".join(r), tuple(r), tables) for r in rows)
                    tables += 1
    except ImportFailed:
        raise
    except MemoryError:
        raise
    except Exception:  # python-docx raises zip, XML and key errors alike on a broken file
        raise ImportFailed(IMPORT_BAD_DOCX) from None
    return blocks


def _check_docx(data: bytes) -> None:
    """The limits of a DOCX before it is parsed: each XML part's unzipped size as the zip declares it (which
    is all zipfile ever unzips of it), then the paragraphs and cells counted while streaming the body."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                over_limit("xml", info.file_size)
        body = next((i for i in infos if i.filename == "word/document.xml"), None)
        if body is None:
            raise ImportFailed(IMPORT_BAD_DOCX)
        paragraphs = cells = 0
        tail = b""
        with archive.open(body) as stream:
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                paragraphs += window.count(b"<w:p>") + window.count(b"<w:p ")
                cells += window.count(b"<w:tc>") + window.count(b"<w:tc ")
                tail = window[-5:]  # a tag cut between two chunks is counted once, in the next window
                paragraphs -= tail.count(b"<w:p>") + tail.count(b"<w:p ")
                cells -= tail.count(b"<w:tc>") + tail.count(b"<w:tc ")
        paragraphs += tail.count(b"<w:p>") + tail.count(b"<w:p ")
        cells += tail.count(b"<w:tc>") + tail.count(b"<w:tc ")
        over_limit("paragraphs", paragraphs)  # counted whole (the XML is bounded above): the answer is exact
        over_limit("cells", cells)
    except ImportFailed:
        raise
    except MemoryError:
        raise
    except Exception:  # not a zip, a damaged member, a bad CRC
        raise ImportFailed(IMPORT_BAD_DOCX) from None


_MAX_COLUMNS = 64  # a grid wider than a page holds: a crafted «gridSpan» is cut here
_MAX_NESTING = 4  # tables in cells of tables: deeper ones are not read
# Runs under these are not the paragraph's text: deleted (tracked changes), a text box's own paragraphs, and
# the older drawing Word repeats a text box in.
_NOT_TEXT = {
    f"{_W}del",
    f"{_W}txbxContent",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}


def _content_of(node: Any) -> Any:
    """Paragraphs and tables under ``node`` in order, also inside content controls («w:sdt»)."""
    for child in node.iterchildren():
        tag = child.tag
        if tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _content_of(child)


def _paragraph_text(p: Any, doc: Any) -> str:
    """A paragraph's text with its tracked insertions, hyperlinks and fields (python-docx's ``text`` reads
    only the runs right under the paragraph)."""
    from docx.text.run import Run

    out = []
    for r in p.iter(f"{_W}r"):
        node = r.getparent()
        while node is not None and node is not p and node.tag not in _NOT_TEXT:
            node = node.getparent()
        if node is p:
            out.append(Run(r, doc).text)
    return "".join(out)


def _cell_text(tc: Any, doc: Any, depth: int) -> str:
    """A cell's paragraphs, and the rows of a table inside it («a | b»), one a line."""
    lines: list[str] = []
    for child in _content_of(tc):
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child, doc))
        elif depth < _MAX_NESTING:
            lines.extend(" | ".join(c for c in row if c) for row in _table_rows(child, doc, depth + 1))
    return "\n".join(lines).strip()


def _table_rows(table: Any, doc: Any, depth: int = 0) -> list[list[str]]:
    """A table's rows as cell texts, as the grid shows them: a cell merged across columns repeats in each,
    one merged down a column repeats its text below. Read from the XML in one pass (python-docx looks each
    merged cell up from the top of the table, which a crafted table makes quadratic)."""

    def number(node: Any, path: str, default: int) -> int:
        found = node.find(path)
        try:
            return int(found.get(f"{_W}val")) if found is not None else default
        except (TypeError, ValueError):
            return default

    rows: list[list[str]] = []
    above: dict[int, str] = {}  # the text of the cell that begins a vertical merge, by grid column
    for tr in table.iterchildren(f"{_W}tr"):
        col = min(number(tr, f"{_W}trPr/{_W}gridBefore", 0), _MAX_COLUMNS)
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            span = max(1, min(number(tc, f"{_W}tcPr/{_W}gridSpan", 1), _MAX_COLUMNS - col))
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val", "continue") != "restart":
                text = above.get(col, "")
            else:
                text = _cell_text(tc, doc, depth)
                above[col] = text
            cells.extend([text] * span)
            col += span
            if col >= _MAX_COLUMNS:
                break
        if any(cells):
            rows.append(cells)
    return rows


def _is_layout(rows: list[list[str]]) -> bool:
    """A small table whose text is a document's header or signature block."""
    if len(rows) > 6:
        return False
    text = plain_key(" ".join(c for r in rows for c in r))
    return bool(_LAYOUT_MARKS.search(text))


def _columns(rows: list[list[str]]) -> list[Block]:
    """A layout table read column by column (each merged cell once), each cell's lines in order."""
    out: list[Block] = []
    seen: set[str] = set()
    width = max(len(r) for r in rows)
    for col in range(width):
        for r in rows:
            if col >= len(r) or not r[col]:
                continue
            key = f"{col}:{r[col]}" if col == 0 or r[col] != r[col - 1] else ""
            if not key or key in seen:
                continue
            seen.add(key)
            out.extend(Block(ln) for ln in r[col].split("\n"))
        out.append(Block(""))
    return out


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
    """1 → I, 14 → XIV (up to 399; a larger number, which no list reaches, in figures)."""
    if not 0 < value < 400:
        return str(value)
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


# -- PDF -----------------------------------------------------------------------------------------------------
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.I)


def _pdf_blocks(data: bytes) -> tuple[list[Block], list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    # The largest page count the file states, found in its bytes before pypdf reads its objects (which for
    # 75,000 pages takes seconds); the page tree read below is the check that counts.
    over_limit("pages", max((int(n) for n in _PAGE_COUNTS.findall(data[:MAX_SCAN])), default=0))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password (printing, editing) still opens with an empty user password.
            try:
                if not reader.decrypt(""):
                    raise ImportFailed(IMPORT_ENCRYPTED)
            except (FileNotDecryptedError, NotImplementedError):
                raise ImportFailed(IMPORT_ENCRYPTED) from None
        over_limit("pages", _page_count(reader))
        pages = [page.extract_text() or "" for page in reader.pages]
        layouts = {
            i: reader.pages[i].extract_text(extraction_mode="layout") or ""
            for i, text in enumerate(pages)
            if _looks_tabular(text)
        }
    except ImportFailed:
        raise
    except (PdfReadError, FileNotDecryptedError):
        raise ImportFailed(IMPORT_BAD_PDF) from None
    except MemoryError:
        raise
    except Exception:  # a damaged stream fails deep inside the parser with any error
        raise ImportFailed(IMPORT_BAD_PDF) from None
    if not pages:
        raise ImportFailed(IMPORT_BAD_PDF)
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < MIN_CHARS_PER_PAGE * len(pages):
        raise ImportFailed(IMPORT_SCANNED)
    warnings: list[str] = []
    empty = sum(1 for p in pages if len("".join(p.split())) < MIN_CHARS_PER_PAGE)
    if empty:
        warnings.append(IMPORT_WARN_EMPTY_PAGES.format(count=empty))
    page_items: list[list[str | tuple[str, ...]]] = []
    for i, text in enumerate(pages):
        items = _layout_items(layouts[i]) if i in layouts else None
        if items is None or not any(isinstance(it, tuple) for it in items):
            items = [ln for ln in text.splitlines()]
        page_items.append(
            [it if isinstance(it, tuple) else unicodedata.normalize("NFC", it).strip() for it in items]
        )
    page_items = _drop_running_lines(page_items)
    return _blocks_of(page_items), warnings


_PAGE_COUNTS = re.compile(rb"/Count\s+(\d{1,9})\b")
MAX_SCAN = 16 * 1024 * 1024


def _page_count(reader: Any) -> int:
    """The pages a PDF says it has (its page tree's /Count), read before any page is: a crafted file of
    75,000 blank pages is refused at once."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        return len(reader.pages)


def _blocks_of(pages: list[list[str | tuple[str, ...]]]) -> list[Block]:
    """Lines joined where wrapped, rows of one table numbered alike (a table goes on over a page break)."""
    out: list[Block] = []
    run: list[str] = []
    table = -1
    last_row = False
    for items in pages:
        for item in items:
            if isinstance(item, tuple):
                if run:
                    out.extend(Block(ln) for ln in _join_wrapped(run))
                    run = []
                if not last_row:
                    table += 1
                cells = tuple(unicodedata.normalize("NFC", c) for c in item)
                out.append(Block(" | ".join(cells), cells, table))
                last_row = True
            else:
                if item:
                    last_row = False
                run.append(item)
    out.extend(Block(ln) for ln in _join_wrapped(run))
    return out


# -- PDF tables, from pypdf's layout mode (text placed by its position on the page) --------------------------
_SEGMENT = re.compile(r"\S+(?: \S+)*")


def _looks_tabular(text: str) -> bool:
    """A page with a run of short lines (cells of a table wrapped in narrow columns): half of eight lines in a
    row. A false alarm costs only the time of reading the page again by position."""
    short = [len(ln.strip()) < 28 for ln in text.splitlines() if ln.strip()]
    return any(sum(short[i : i + 8]) >= 5 for i in range(max(1, len(short) - 7)))


def _layout_items(layout: str) -> list[str | tuple[str, ...]] | None:
    """The page's lines, with the rows of a table (columns found from where its text begins) as cells."""
    lines = layout.splitlines()
    segs = [[(m.start(), m.group()) for m in _SEGMENT.finditer(ln)] for ln in lines]
    out: list[str | tuple[str, ...]] = []
    i = 0
    while i < len(lines):
        if len(segs[i]) >= 3:
            end, rows = _table_at(lines, segs, i)
            if rows and len(rows) >= 2:
                out.extend(rows)
                i = end
                continue
        out.append(lines[i].strip())
        i += 1
    return out


def _table_at(
    lines: list[str], segs: list[list[tuple[int, str]]], start: int
) -> tuple[int, list[tuple[str, ...]]]:
    """The rows of a table whose header line is ``start``: (the line after it, rows of cells)."""
    columns = [pos for pos, _ in segs[start]]
    width = max(len(ln) for ln in lines) or 1
    rows: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    blank = True
    blanks = 0
    i = start
    while i < len(lines):
        line_segs = segs[i]
        if not line_segs:
            blank = True
            blanks += 1
            i += 1
            continue
        if len(line_segs) == 1 and blanks >= 2 and _PAGE_NUMBER.match(line_segs[0][1]):
            break  # the page's number under the table
        blanks = 0
        if len(line_segs) == 1 and line_segs[0][0] <= 2 and len(line_segs[0][1]) > 0.6 * width:
            break  # a line of running text across the page: the table has ended
        if current is None or blank:
            current = [[] for _ in columns]
            rows.append(current)
        blank = False
        for pos, text in line_segs:
            col = max((k for k, c in enumerate(columns) if c <= pos + 2), default=0)
            current[col].append(text)
        i += 1
    merged: list[list[list[str]]] = []
    for row in rows:  # lines apart from their row's first cell (a paragraph break inside a cell) join it
        if merged and not row[0] and len(rows[0]) > 2:
            for k, parts in enumerate(row):
                merged[-1][k].extend(parts)
        else:
            merged.append(row)
    return i, [tuple(_glue_cell(parts) for parts in row) for row in merged]


def _glue_cell(parts: list[str]) -> str:
    """A cell's lines as one text; a word broken by a narrow column («Thàn» / «h») made whole."""
    out = ""
    for part in parts:
        if not out:
            out = part
            continue
        last, first = out.rsplit(" ", 1)[-1], part.split(" ", 1)[0]
        if _broken(last, first):
            out += part
        else:
            out += " " + part
    return out


_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)


def _broken(last: str, first: str) -> bool:
    """«Thàn» + «h», «Trưở» + «ng»: the second is no word, the two make one."""
    a, b = plain_key(last), plain_key(first)
    if not a.isalpha() or not b.isalpha() or not first[:1].islower():
        return False
    return not _SYLLABLE.match(b) and bool(_SYLLABLE.match(a + b))


def _drop_running_lines(pages: list[list[str | tuple[str, ...]]]) -> list[list[str | tuple[str, ...]]]:
    """Page numbers, and headers or footers repeated at the top or bottom of most pages, dropped."""
    edges: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if isinstance(ln, str) and ln]
        for ln in set(body[:2] + body[-2:]):
            edges[ln] += 1
    least = max(2, (len(pages) + 1) // 2)
    running = {ln for ln, n in edges.items() if len(pages) >= 2 and n >= least}
    out = []
    for lines in pages:
        out.append(
            [
                ln
                for ln in lines
                if not isinstance(ln, str) or (ln not in running and not _PAGE_NUMBER.match(ln))
            ]
        )
    return out


# Words a Vietnamese sentence does not end on: a line ending on one was wrapped.
_CONNECTIVES = frozenset(
    "và của các những với trong cho để là từ đến theo về tại có hoặc như được bị mà thì số ngày".split()
)
SENTENCE_END = re.compile(r"[.:;!?…)\]\"”]$|\./$")
# A line that starts a new paragraph: a numbered or lettered item, a bullet, «Điều 5.», «Chương II».
NEW_ITEM = re.compile(
    r"^(?:[IVXLC]+\s*[.\-–)]\s|\d{1,2}(?:\.\d{1,2})*\s*[.)\-–]\s|[a-zđ]\s*[).]\s|[-+•–*]\s?|"
    r"(?:Điều|Chương|Mục|Phần|Phụ lục|PHỤ LỤC|CHƯƠNG|ĐIỀU|Mẫu)\s+\S)"
)


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
        wrapped = (
            bool(last_raw)
            and len(last_raw) >= 0.7 * full
            and not NEW_ITEM.match(line)
            and not is_upper_line(last_raw)
            and not is_upper_line(line)
            and (
                line[:1].islower()
                or last_raw.rsplit(" ", 1)[-1].lower() in _CONNECTIVES
                or (len(last_raw) >= 0.85 * full and not ends_sentence(last_raw))
            )
        )
        if wrapped:
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
        last_raw = line
    return out


def _glue(left: str, right: str) -> str:
    """Two pieces of a wrapped line: «…/QĐ-» + «TTg» and «- CT/TW» joins are kept whole."""
    if left.endswith(("-", "/")) and re.search(r"[\dA-ZĐ][-/]$", left) and right[:1].isupper():
        return left + right
    if right.startswith(("-", "/")) and re.match(r"^[-/]\s*[A-ZĐ]{1,6}\b", right) and re.search(r"\d$", left):
        return left + right.replace(" ", "", 1) if right[1:2] == " " else left + right
    return f"{left} {right}"


def is_upper_line(line: str) -> bool:
    """A short line all in capitals: a header line, a heading, a kind of document."""
    if len(line) >= 260:
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends as a sentence or a list item does (looking at its end only)."""
    return bool(SENTENCE_END.search(text[-2:]))


def _join_broken(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break (blank lines, then the sentence goes on in lower case) made whole.

    Pieces are joined once at the end and only the last piece's end is looked at: linear in the text.
    """
    out: list[Block | list[str]] = []  # a list: the pieces of a paragraph being joined
    last = -1  # the index in ``out`` of the last paragraph with text
    for block in blocks:
        line = block.text
        if not block.cells and line and line[:1].islower() and last >= 0 and not NEW_ITEM.match(line):
            prev = out[last]
            joinable = (
                prev.append  # a paragraph already joined ends as its last piece does
                if isinstance(prev, list) and not ends_sentence(prev[-1])
                else None
            )
            if (
                isinstance(prev, Block)
                and not prev.cells
                and not ends_sentence(prev.text)
                and not is_upper_line(prev.text)
            ):
                out[last] = prev = [prev.text]
                joinable = prev.append
            if joinable is not None:
                joinable(line)
                del out[last + 1 :]
                continue
        out.append(block)
        if line:
            last = len(out) - 1
    return [Block(" ".join(b)) if isinstance(b, list) else b for b in out]


# -- TXT and Markdown ----------------------------------------------------------------------------------------
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
# Emphasis spans a few words: bounded, so a line of stars is not searched for its pair over and over.
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.{1,200}?)(?<=\S)\1")
_RULE_CHARS = frozenset("|:- \t")


def _md_rule(line: str) -> bool:
    """A Markdown table's rule («|---|:--:|») or a horizontal rule: only these characters, with «--»."""
    return "--" in line and set(line) <= _RULE_CHARS


def _text_blocks(data: bytes, markdown: bool) -> list[Block]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(IMPORT_NOT_UTF8) from None
    if "\x00" in text:
        raise ImportFailed(IMPORT_NOT_UTF8)
    over_limit("chars", len(text))
    lines = text.splitlines()
    over_limit("paragraphs", len(lines))
    over_limit("line", max((len(ln) for ln in lines), default=0))
    if markdown:
        lines = [_strip_markdown(ln) for ln in lines if not _md_rule(ln)]
    blocks: list[Block] = []
    rows: list[list[str]] = []
    tables = 0
    for line in [*lines, ""]:
        cells = _cells(line)
        if cells:
            rows.append(list(cells))
            continue
        if rows:
            if _is_layout(rows):
                blocks.extend(_columns(rows))
            else:
                blocks.extend(Block(" | ".join(r), tuple(r), tables) for r in rows)
                tables += 1
            rows = []
        blocks.append(Block(line))
    return blocks


def _cells(line: str) -> tuple[str, ...]:
    """The cells of a table row typed as text: «a | b | c» or tab-separated; () for a plain line."""
    sep = (
        "|" if line.count("|") >= 1 and " | " in f" {line.strip()} " else "\t" if "\t" in line.strip() else ""
    )
    if not sep:
        return ()
    parts = [p.strip() for p in line.strip().strip("|").split(sep)]
    return tuple(parts) if len(parts) >= 2 else ()


def _strip_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = re.sub(r"^\s*[*]\s+", "- ", line)  # "* item" is a bullet
    return _MD_EMPHASIS.sub(r"\2", line)
