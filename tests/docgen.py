"""Test documents laid out the way departments lay them out: a header table in DOCX, wrapped lines, running
headers and page numbers in PDF. Built from a plain-text source (tests/data/*.txt) whose first block (up to
the first blank line) is the header: organisation lines and "Số:" on the left, motto and date on the right.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

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


def pdf_bytes(text: str, repeat: int = 1, width: float = 120) -> bytes:
    """A PDF with a text layer: lines wrapped at ``width`` mm, a running header and page numbers."""
    from fpdf import FPDF

    left, right, body = split_header(text)

    class Doc(FPDF):
        def header(self) -> None:
            self.set_font("dv", size=8)
            self.cell(0, 5, "Hướng dẫn tuyên truyền - bản thử nghiệm", align="C")
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
