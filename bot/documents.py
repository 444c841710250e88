"""Guidance documents in: DOCX, PDF (with a text layer), TXT and Markdown become documents of the content.

The file is read into blocks by :mod:`bot.docread` and its layout (header, numbering, signature, attached
parts, tables) by :mod:`bot.doclayout`; this module makes the document of it and writes it. Nothing is
written until the whole document has been read and checked; then its record (YAML) and extracted text go in
all or nothing (:func:`write`, :func:`recover`).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import signal
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot import texts
from bot.content import Content, Document, cache_document, document_cache
from bot.doclayout import KINDS, PREAMBLE_TITLE, Para, Parsed, ParsedSection, parse
from bot.docread import Block, ImportFailed, over_limit, read, roman
from bot.docstage import LOCK, STAGING, recover
from bot.files import reason
from bot.textnorm import clean, plain_key

# -- what it says --------------------------------------------------------------------------------------------
IMPORT_BAD_EXTENSION = "Không nhận tệp {ext}: chỉ nhận {allowed}"
IMPORT_UNREADABLE = "Không đọc được {name}: {reason}"
IMPORT_NOT_A_FILE = "{name} không phải là một tệp"
IMPORT_EMPTY = "{name} là tệp rỗng"
IMPORT_BAD_FILE = "Tệp bị hỏng hoặc có cấu trúc lạ, Loa không đọc được"
IMPORT_TOO_SLOW = "Đọc tệp quá {seconds} giây: tệp quá lớn hoặc bị làm hỏng, không nhập"
IMPORT_TOO_MUCH_MEMORY = "Đọc tệp cần quá {megabytes} MB bộ nhớ: tệp quá lớn hoặc bị làm hỏng, không nhập"
IMPORT_BAD_ID = (
    "Mã văn bản «{id}» không hợp lệ: chỉ gồm chữ thường không dấu, số và gạch ngang, tối đa 40 ký tự"
)
IMPORT_EXISTS = "Đã có văn bản mã «{id}»; thêm --replace để thay, hoặc --id để đặt mã khác"
IMPORT_NO_SUPERSEDED = "Không có văn bản mã «{id}» để thay thế (--supersedes)"
IMPORT_SUPERSEDES_ITSELF = "Một văn bản không thể thay thế chính nó"
IMPORT_READ_ONLY = (
    "Thư mục nội dung {folder} không ghi được (bản cài đặt chỉ đọc); chép nó ra chỗ khác rồi đặt "
    "LOA_CONTENT_DIR trỏ tới bản chép"
)
IMPORT_WRITE_FAILED = "Không ghi được vào {folder}: {reason}"
IMPORT_YAML_HEADER = "# {title}\n# Nhập bằng 'loa content import'; sửa được bằng tay, Loa tự nạp lại.\n"
# What Loa read of a document, line by line (the command line, the chat's preview, the console's page).
IMPORT_READ_LINES = (
    "Số: {number} · {issued_text} · tại {place}",
    "Cơ quan ban hành: {issuer}",
    "Người ký: {signer} ({signer_title})",
    "{sections} mục · {tables} bảng ({table_rows} dòng) · {passages} đoạn",
)
IMPORT_DATE_UNKNOWN = "ngày ban hành không rõ"
IMPORT_READ_PARTS = "Phần kèm theo sau chữ ký: {parts}"
IMPORT_WARNING_LINE = "  ⚠️ {warning}"
IMPORT_INVALID = "Văn bản không hợp lệ ở trường {field}: {message}"


__all__ = [
    "KINDS",
    "LOCK",
    "STAGING",
    "Block",
    "ImportFailed",
    "Imported",
    "Overrides",
    "build",
    "import_file",
    "recover",
    "roman",
]

log = logging.getLogger(__name__)
MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".docx", ".pdf", ".txt", ".md")
MAX_PASSAGE = 900  # characters: longer paragraphs are cut at sentence ends


def check_file(name: str, size: int) -> str:
    """The extension of a file that may be imported, before reading it; ImportFailed otherwise."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS:
        raise ImportFailed(
            IMPORT_BAD_EXTENSION.format(ext=ext or "(không có)", allowed=", ".join(EXTENSIONS))
        )
    if size > MAX_BYTES:
        raise ImportFailed(
            texts.IMPORT_TOO_BIG.format(size=size / 1024 / 1024, limit=MAX_BYTES // 1024 // 1024)
        )
    if size == 0:
        raise ImportFailed(IMPORT_EMPTY.format(name=name))
    return ext


def read_file(path: Path) -> tuple[list[Block], list[str]]:
    """Blocks (paragraphs, table rows) of a file, and warnings; ImportFailed with one line when unreadable."""
    return read_bytes(_file_bytes(path), path.name)


def _file_bytes(path: Path) -> bytes:
    """The bytes of a file that may be imported (its kind and size checked first); ImportFailed otherwise."""
    check_file(path.name, 1)  # the kind first: a .doc is refused as such, whatever else is wrong
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(IMPORT_UNREADABLE.format(name=path.name, reason=reason(exc))) from None
    if not path.is_file():
        raise ImportFailed(IMPORT_NOT_A_FILE.format(name=path.name))
    check_file(path.name, size)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(IMPORT_UNREADABLE.format(name=path.name, reason=reason(exc))) from None


IMPORT_SECONDS = 8  # a child reading a file is stopped after this (its answer comes within 10 s in all)
IMPORT_MEMORY = 1536 * 1024 * 1024  # the child's address space: beside a running bot on a small machine


def read_guarded(
    data: bytes,
    name: str,
    over: Overrides | None = None,
    seconds: float = IMPORT_SECONDS,
    memory: int = IMPORT_MEMORY,
) -> Imported:
    """Read and lay out a file in a child process bounded in time and memory; ImportFailed in one line.

    The limits of :mod:`bot.docread` refuse what is plainly too big at once; this bounds what slips past them
    (a crafted file that is slow in a library's parser): the child is killed after ``IMPORT_SECONDS`` and
    cannot grow past ``IMPORT_MEMORY``, and the bot beside it never waits or swells.
    """
    import multiprocessing

    # A fork server: a small clean process, started once, forks each child with the readers loaded (the bot's
    # own threads and event loop are never forked).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.documents", "docx", "pypdf"])
    receive, send = context.Pipe(duplex=False)
    args = (send, data, name, over or Overrides(), seconds, memory)
    child = context.Process(target=_read_in_child, args=args, daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds + 2):  # the fork server's first start (~1 s) counts too
            raise ImportFailed(_too_slow(seconds))
        outcome, value = receive.recv()
    except EOFError:  # the child ended without a word: stopped by its clock, or it could not start
        child.join(1)
        if child.exitcode == -signal.SIGALRM:
            raise ImportFailed(_too_slow(seconds)) from None
        log.error("the child reading a document ended with %s", child.exitcode)
        raise ImportFailed(IMPORT_BAD_FILE) from None
    finally:
        child.kill()
        child.join(1)
        receive.close()
    if outcome == "failed":
        raise ImportFailed(value)
    if outcome == "error":
        log.error("reading a document failed: %s", value)  # the error's kind only: no text of the file
        raise ImportFailed(IMPORT_BAD_FILE)
    return value


def _too_slow(seconds: float) -> str:
    return IMPORT_TOO_SLOW.format(seconds=f"{seconds:g}")


def _read_in_child(send: Any, data: bytes, name: str, over: Overrides, seconds: float, memory: int) -> None:
    import resource

    logging.disable(logging.CRITICAL)  # the parsers' warnings are about the file: the answer says it all
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.setitimer(signal.ITIMER_REAL, seconds)  # SIGALRM ends the child, even if the parent is gone
    try:
        blocks, warnings = read_bytes(data, name)
        send.send(("ok", build(blocks, warnings, over, name)))
    except ImportFailed as exc:
        send.send(("failed", str(exc)))
    except MemoryError:
        send.send(("failed", IMPORT_TOO_MUCH_MEMORY.format(megabytes=memory // 1024 // 1024)))
    except Exception as exc:  # a bug of ours or a library's on a crafted file: one line, never a traceback
        send.send(("error", type(exc).__name__))


def read_bytes(data: bytes, name: str) -> tuple[list[Block], list[str]]:
    """:func:`read_file` for bytes already in memory (a file sent through a messenger)."""
    return read(data, check_file(name, len(data)))


# -- passages ------------------------------------------------------------------------------------------------
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…;])\s+(?=[-+•–]?\s*[A-ZĐÀ-Ỹ0-9\"“(])")


def passages_of(section: ParsedSection) -> list[Para]:
    """The section's paragraphs and table rows as passages, long ones cut at sentence ends."""
    out: list[Para] = []
    for para in section.passages:
        if len(para.text) <= MAX_PASSAGE:
            out.append(para)
            continue
        chunk = ""
        for sentence in (piece for s in _SENTENCE_SPLIT.split(para.text) for piece in _pieces(s)):
            if chunk and len(chunk) + len(sentence) + 1 > MAX_PASSAGE:
                out.append(para._replace(text=chunk))
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            out.append(para._replace(text=chunk))
    return out


def _pieces(sentence: str) -> list[str]:
    """A sentence longer than a passage, cut at the last space before each ``MAX_PASSAGE`` characters."""
    out: list[str] = []
    while len(sentence) > MAX_PASSAGE:
        cut = sentence.rfind(" ", 0, MAX_PASSAGE)
        cut = cut if cut > MAX_PASSAGE // 2 else MAX_PASSAGE
        out.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*out, sentence] if sentence else out


# -- the document -------------------------------------------------------------------------------------------
@dataclass
class Imported:
    """A document read and checked, ready to be written (or shown for confirmation)."""

    id: str
    data: dict[str, Any]
    text: str
    warnings: list[str]
    parts: tuple[str, ...] = ()  # the titles of the parts attached after the signature
    tables: int = 0

    def shown(self) -> dict[str, Any]:
        """The summary's fields for a person to read: what the document does not say is «không rõ»."""
        return {k: (texts.IMPORT_UNKNOWN if v is None else v) for k, v in self.summary().items()}

    def issued_shown(self) -> str:
        """The issue date for a person: as the header writes it, or day/month/year when set by a flag."""
        if self.data.get("issued_text"):
            return str(self.data["issued_text"])
        if self.data.get("issued"):
            d = date.fromisoformat(self.data["issued"])
            return f"ngày {d.day}/{d.month}/{d.year}"
        return IMPORT_DATE_UNKNOWN

    def read_lines(self) -> list[str]:
        """What Loa read, line by line: number, date, issuer, signer, counts, attached parts, warnings."""
        shown = self.shown()
        shown["issued_text"] = self.issued_shown()
        lines = [line.format(**shown) for line in IMPORT_READ_LINES]
        if self.parts:
            lines.append(IMPORT_READ_PARTS.format(parts="; ".join(self.parts)))
        return lines + [IMPORT_WARNING_LINE.format(warning=w) for w in self.warnings]

    def summary(self) -> dict[str, Any]:
        """The `loa content import --json` object: what was read, so an officer sees nothing was lost."""
        passages = self.data["passages"]
        return {
            "id": self.id,
            "kind": self.data.get("kind") or None,
            "title": self.data["title"],
            "number": self.data.get("number") or None,
            "issued": self.data.get("issued") or None,
            "place": self.data.get("place") or None,
            "issuer": self.data.get("issuer") or None,
            "signer": self.data.get("signer") or None,
            "signer_title": self.data.get("signer_title") or None,
            "sections": len(self.data["sections"]),
            "parts": list(self.parts),
            "tables": self.tables,
            "table_rows": sum(1 for p in passages if p.get("row")),
            "passages": len(passages),
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


def build(blocks: list[Block], warnings: list[str], over: Overrides, filename: str) -> Imported:
    """The document of these blocks: metadata from the layout unless overridden, passages by section."""
    parsed = parse(blocks)
    warnings = [*warnings, *parsed.warnings]
    title = clean(over.title or parsed.title or Path(filename).stem)
    number = clean(over.number or parsed.number)
    issued = over.issued or parsed.issued
    doc_id = over.id or slug(number) or slug(f"{title} {issued.year if issued else ''}")
    if not _ID_RE.match(doc_id or ""):
        raise ImportFailed(IMPORT_BAD_ID.format(id=doc_id))
    sections, passages = _sections_and_passages(parsed)
    if not passages and _says(parsed.title):
        # A notice this short («THÔNG BÁO / Lịch họp …») is all title: the title is what it says.
        if not sections:
            sections = [{"id": "preamble", "title": PREAMBLE_TITLE, "path": [PREAMBLE_TITLE]}]
        passages = [{"id": f"{sections[0]['id']}-1", "section": sections[0]["id"], "text": parsed.title}]
    over_limit("sections", len(sections))
    over_limit("passages", len(passages))
    if not passages:
        raise ImportFailed(texts.IMPORT_NO_TEXT)
    data: dict[str, Any] = {
        "id": doc_id,
        "kind": KINDS.get(parsed.kind, ""),
        "title": title,
        "number": number,
        "issued": issued.isoformat() if issued else None,
        "issued_text": parsed.issued_text if issued == parsed.issued else None,
        "issuer": clean(over.issuer or parsed.issuer),
        "place": parsed.place,
        "signer": parsed.signer,
        "signer_title": parsed.signer_title,
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
        raise ImportFailed(IMPORT_INVALID.format(field=where, message=err["msg"])) from None
    text = "\n".join(b.text for b in blocks).strip() + "\n"
    return Imported(doc_id, data, text, warnings, tuple(parsed.parts), parsed.tables)


def _sections_and_passages(parsed: Parsed) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sections: list[dict[str, Any]] = []
    passages: list[dict[str, Any]] = []
    for section in parsed.sections:
        title = section.title if _says(section.title) else ""
        entry: dict[str, Any] = {"id": section.id, "title": title, "path": section.path}
        if section.label:
            entry["label"] = section.label
        if section.part:
            entry["part"] = section.part
        sections.append(entry)
        # A line of dots to fill in a form («1.1 ……»), a lone «;» or «|||»: no words, no passage.
        for k, para in enumerate((p for p in passages_of(section) if _says(p.text)), 1):
            passage: dict[str, Any] = {"id": f"{section.id}-{k}", "section": section.id, "text": para.text}
            if para.lead:
                passage["lead"] = para.lead
            if para.row:
                passage["row"] = True
            passages.append(passage)
    return sections, passages


def _says(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def check_target(root: Path, imported: Imported, replace: bool, known: set[str]) -> Path:
    """The documents folder to write into; ImportFailed when the id exists or the folder is not writable."""
    folder = root / "documents"
    if (folder / f"{imported.id}.yaml").exists() and not replace:
        raise ImportFailed(IMPORT_EXISTS.format(id=imported.id))
    for old in imported.data.get("supersedes", []):
        if old not in known:
            raise ImportFailed(IMPORT_NO_SUPERSEDED.format(id=old))
        if old == imported.id:
            raise ImportFailed(IMPORT_SUPERSEDES_ITSELF)
    target = folder if folder.is_dir() else root
    # The content packed inside an installed wheel is the package's own: never written, even by root.
    packaged = root.resolve() == (Path(__file__).resolve().parent / "_content")
    if packaged or not os.access(target, os.W_OK):
        raise ImportFailed(IMPORT_READ_ONLY.format(folder=root))
    return folder


def write(root: Path, imported: Imported, replace: bool, known: set[str]) -> Path:
    """Write the document's record (YAML) and extracted text, all or nothing; the record's path.

    Both files are written whole into a hidden staging folder beside the documents, held under a lock while
    this runs; then the record is moved into place (the moment the document exists) and its text after it.
    A crash or a kill at any point leaves either the folder as it was or, once the record has moved, a
    staging folder that :func:`recover` finishes on the next start.
    """
    folder = check_target(root, imported, replace, known)
    name = imported.id
    try:
        folder.mkdir(exist_ok=True)
        recover(root)
        stage = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
        with (stage / LOCK).open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            header = IMPORT_YAML_HEADER.format(title=imported.data["title"])
            body = yaml.safe_dump(imported.data, allow_unicode=True, sort_keys=False, width=110)
            _write_synced(stage / f"{name}.txt", imported.text.encode("utf-8"))
            _write_synced(stage / f"{name}.yaml", (header + body).encode("utf-8"))
            cache_document(stage / f"{name}.yaml", imported.data)  # its time and size move with it
            os.replace(document_cache(stage / f"{name}.yaml"), document_cache(folder / f"{name}.yaml"))
            os.replace(stage / f"{name}.yaml", folder / f"{name}.yaml")
            os.replace(stage / f"{name}.txt", folder / f"{name}.txt")
        shutil.rmtree(stage, ignore_errors=True)
    except PermissionError:
        raise ImportFailed(IMPORT_READ_ONLY.format(folder=root)) from None
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise ImportFailed(IMPORT_READ_ONLY.format(folder=root)) from None
        raise ImportFailed(IMPORT_WRITE_FAILED.format(folder=folder, reason=reason(exc))) from None
    return folder / f"{name}.yaml"


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def import_file(path: Path, root: Path, over: Overrides, replace: bool, known: set[str]) -> Imported:
    """Read and lay out one file (in a bounded child process), then write it into the content folder."""
    imported = read_guarded(_file_bytes(path), path.name, over)
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
