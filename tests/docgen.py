"""Test documents laid out the way departments lay them out: a header table in DOCX, wrapped lines, running
headers and page numbers in PDF. Built from a plain-text source (tests/data/*.txt) whose first block (up to
the first blank line) is the header: organisation lines and "Số:" on the left, motto and date on the right.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import matplotlib

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_RIGHT = re.compile(r"^(ĐẢNG CỘNG SẢN|CỘNG HÒA|Độc lập|.*, ngày \d)")
_HEADING = re.compile(r"^([IVX]+\.|\d+\.|\d+\.\d+\.|[a-z]\))\s")


def split_header(text: str) -> tuple[list[str], list[str], list[str]]:
    """(left header lines, right header lines, body lines)."""
    head, _, body = text.partition("\n\n")
    left = [ln for ln in head.splitlines() if not _RIGHT.match(ln)]
    right = [ln for ln in head.splitlines() if _RIGHT.match(ln)]
    return left, right, body.splitlines()


def docx_bytes(text: str, repeat: int = 1) -> bytes:
    """A DOCX of ``text`` (its body repeated ``repeat`` times, for size)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    left, right, body = split_header(text)
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(left)
    table.cell(0, 1).text = "\n".join(right)
    for n in range(repeat):
        for line in body:
            if n and _is_front(line):
                continue
            para = doc.add_paragraph()
            run = para.add_run(line)
            if line.isupper() or _HEADING.match(line):
                run.bold = True
            if line.isupper() and not _HEADING.match(line):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _is_front(line: str) -> bool:
    return line.startswith(("HƯỚNG DẪN", "tuyên truyền", "và mục", "-----", "Căn cứ"))


def _new_pdf(running: str = "") -> Any:
    """An A4 PDF begun with DejaVu (Vietnamese), page numbers at the foot and ``running`` at the head."""
    from fpdf import FPDF

    class Doc(FPDF):
        def header(self) -> None:
            if running:
                self.set_font("dv", size=8)
                self.cell(0, 5, running, align="C")
                self.ln(8)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("dv", size=9)
            self.cell(0, 5, str(self.page_no()), align="C")

    pdf = Doc(format="A4")
    pdf.add_font("dv", "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font("dv", "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("dv", size=11)
    return pdf


def pdf_bytes(text: str, repeat: int = 1, width: float = 120) -> bytes:
    """A PDF with a text layer: lines wrapped at ``width`` mm, a running header and page numbers."""

    left, right, body = split_header(text)
    pdf = _new_pdf("Hướng dẫn tuyên truyền - bản thử nghiệm")
    y = pdf.get_y()
    pdf.multi_cell(85, 6, "\n".join(left), align="C")
    pdf.set_xy(105, y)
    pdf.multi_cell(90, 6, "\n".join(right), align="C")
    pdf.ln(6)
    for n in range(repeat):
        for line in body:
            if n and _is_front(line):
                continue
            bold = line.isupper() or bool(_HEADING.match(line))
            pdf.set_font("dv", "B" if bold else "", 11)
            pdf.set_x(20)
            pdf.multi_cell(width, 6, line or " ", align="L")
    return bytes(pdf.output())


def scanned_pdf_bytes(pages: int = 2) -> bytes:
    """A PDF of pages with pictures only, as a scanner makes them: no text layer."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        img = Image.new("L", (200, 280), color=230)
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        pdf.image(buf, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf_bytes(text: str) -> bytes:
    """The PDF of ``text`` locked with a password to open it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    os.chmod(path, 0o644)
    return path


_AUTO_LEVELS = (("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"))


def docx_auto_numbered_bytes(header: list[str], items: list[tuple[int, str]]) -> bytes:
    """A DOCX whose headings Word numbers itself (a multilevel list: I. / 1. / a)): the numbers are not in
    the text. ``items``: (level, text), level -1 for a plain paragraph."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = Document()
    numbering = doc.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(_AUTO_LEVELS)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for line in header:
        doc.add_paragraph(line)
    for level, text in items:
        para = doc.add_paragraph(text)
        if level >= 0:
            ppr = para._p.get_or_add_pPr()
            ppr.append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- documents with tables, a signature block and attached parts (tests/data/qd-12-2025.txt) -----------------
# A source's body lines: "| a | b" is a table row; the lines from "[[nơi nhận]]" to "[[ký]]" and from there to
# "[[hết]]" are the two columns of the signature block («Nơi nhận» on the left, the signature on the right).
Item = tuple[str, list[str]]


def spec_items(body: list[str]) -> list[Item]:
    """The body as items: ("p", [line]), ("row", cells), ("sign", ...) with the left and right lines."""
    out: list[Item] = []
    left: list[str] | None = None
    right: list[str] | None = None
    for line in body:
        if line == "[[nơi nhận]]":
            left = []
        elif line == "[[ký]]":
            right = []
        elif line == "[[hết]]":
            out.append(("sign", [*(left or []), "\x00", *(right or [])]))
            left = right = None
        elif right is not None:
            right.append(line)
        elif left is not None:
            left.append(line)
        elif line.startswith("| "):
            out.append(("row", [c.strip() for c in line[2:].split(" | ")]))
        else:
            out.append(("p", [line]))
    return out


def _sides(item: Item) -> tuple[list[str], list[str]]:
    cut = item[1].index("\x00")
    return item[1][:cut], item[1][cut + 1 :]


def spec_docx(text: str) -> bytes:
    """A DOCX as a department makes it: header and signature in two-column tables, data tables as tables."""
    from docx import Document

    left, right, body = split_header(text)
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(left)
    table.cell(0, 1).text = "\n".join(right)
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            grid = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    grid.cell(r, c).text = cell
            rows.clear()

    for kind, lines in spec_items(body):
        if kind == "row":
            rows.append(lines)
            continue
        flush()
        if kind == "sign":
            a, b = _sides((kind, lines))
            sign = doc.add_table(rows=1, cols=2)
            sign.cell(0, 0).text = "\n".join(a)
            sign.cell(0, 1).text = "\n".join(b)
        else:
            doc.add_paragraph(lines[0])
    flush()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def spec_txt(text: str) -> str:
    """The same document as plain text: tables as «a | b» lines, the signature block's columns one after
    the other."""
    left, right, body = split_header(text)
    lines = [*left, *right, ""]
    for kind, item in spec_items(body):
        if kind == "row":
            lines.append(" | ".join(item))
        elif kind == "sign":
            a, b = _sides((kind, item))
            lines += [*a, *b]
        else:
            lines.append(item[0])
    return "\n".join(lines) + "\n"


def spec_pdf(text: str, one_line_header: bool = False) -> bytes:
    """The same document as a PDF: tables drawn with borders, the signature block in two columns, page
    numbers; ``one_line_header`` puts «Số: …» and the place and date on one line, as many PDFs have it."""

    left, right, body = split_header(text)
    pdf = _new_pdf()
    y = pdf.get_y()
    if one_line_header:
        number = next(ln for ln in left if ln.startswith("Số"))
        dated = next(ln for ln in right if ", ngày" in ln)
        left = [ln for ln in left if ln != number]
        right = [ln for ln in right if ln != dated]
    pdf.multi_cell(85, 6, "\n".join(left), align="C")
    end = pdf.get_y()
    pdf.set_xy(105, y)
    pdf.multi_cell(90, 6, "\n".join(right), align="C")
    pdf.set_y(max(end, pdf.get_y()))
    if one_line_header:
        pdf.cell(85, 6, number, align="C")
        pdf.cell(90, 6, dated, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            with pdf.table(col_widths=(10, 70, 40, 50), text_align="LEFT") as grid:
                for cells in rows:
                    row = grid.row()
                    for cell in cells:
                        row.cell(cell)
            rows.clear()

    for kind, item in spec_items(body):
        if kind == "row":
            rows.append(item)
            continue
        flush()
        if kind == "sign":
            a, b = _sides((kind, item))
            y = pdf.get_y()
            pdf.multi_cell(90, 6, "\n".join(a), align="L")
            pdf.set_xy(110, y)
            pdf.multi_cell(80, 6, "\n".join(b), align="C")
            pdf.ln(10)
        else:
            line = item[0]
            bold = line.isupper() or bool(_HEADING.match(line))
            pdf.set_font("dv", "B" if bold else "", 11)
            pdf.set_x(20)
            pdf.multi_cell(170, 6, line or " ", align="L")
    flush()
    return bytes(pdf.output())


# -- crafted files: what no department sends, to be refused in one line at once ----------------------------
def numbered_lines_txt(megabytes: float) -> bytes:
    """«1. Dân.» lines, ``megabytes`` of them: a section each if nothing stopped it."""
    line = "1. Dân.\n".encode()
    return line * int(megabytes * 1024 * 1024 / len(line))


def one_line_txt(megabytes: float) -> bytes:
    """One line of words with no end, ``megabytes`` long."""
    return "dân ".encode() * int(megabytes * 1024 * 1024 / len("dân ".encode()))


_DOCX_BODY_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)


def docx_with_body(write_body) -> bytes:  # type: ignore[no-untyped-def]
    """A real DOCX (python-docx's own package) whose body is written by ``write_body(stream)``."""
    import zipfile

    from docx import Document

    template = io.BytesIO()
    Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(_DOCX_BODY_START)
            write_body(stream)
            stream.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_paragraphs_bytes(count: int, text: str = "Tuyên truyền viên họp bản.") -> bytes:
    """A DOCX of ``count`` short paragraphs."""
    para = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()

    def body(stream) -> None:  # type: ignore[no-untyped-def]
        for _ in range(count // 1000):
            stream.write(para * 1000)
        stream.write(para * (count % 1000))

    return docx_with_body(body)


def docx_bomb_bytes(unzipped_megabytes: int) -> bytes:
    """A small DOCX whose body unzips to ``unzipped_megabytes`` of empty paragraphs."""
    chunk = b"<w:p/>" * (1024 * 1024 // 6)

    def body(stream) -> None:  # type: ignore[no-untyped-def]
        for _ in range(unzipped_megabytes):
            stream.write(chunk)

    return docx_with_body(body)


def blank_pdf_bytes(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages, written by hand (pypdf takes seconds to make as many)."""
    out = io.BytesIO()
    offsets: list[int] = []

    def obj(body: str) -> None:
        offsets.append(out.tell())
        out.write(f"{len(offsets)} 0 obj {body} endobj\n".encode())

    out.write(b"%PDF-1.4\n")
    obj("<</Type/Catalog/Pages 2 0 R>>")
    kids = " ".join(f"{n} 0 R" for n in range(3, pages + 3))
    obj(f"<</Type/Pages/Kids[{kids}]/Count {pages}>>")
    for _ in range(pages):
        obj("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>")
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer <</Size {len(offsets) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
