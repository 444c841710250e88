"""FAQ entries edited from the console: written back into their own file with ruamel.yaml, which keeps the
department's comments, order and layout (PyYAML would drop them), atomically, after validation; live at once,
audit-logged. An entry is retired (kept, marked, no longer answered) rather than deleted.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from bot import texts
from bot.app import App
from bot.content import INBOX_FAQ_FILE, FaqEntry
from bot.errors import BadInput, said
from bot.files import write_atomically
from bot.textnorm import clean


class EditRefused(BadInput):
    """The edit cannot be saved; ``errors`` maps a field to its message (shown beside it)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 110
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def fields_of(form: dict[str, str]) -> dict[str, Any]:
    """The entry's fields from the console's form: phrasings one per line, source as DOC:SECTION."""
    data: dict[str, Any] = {
        "answer": clean(form.get("answer", "")),
        "questions": [clean(q) for q in form.get("questions", "").splitlines() if clean(q)],
    }
    doc, _, section = form.get("source", "").strip().partition(":")
    data["source"] = {"document": doc.strip(), "section": section.strip()} if doc.strip() else None
    return data


def _check(app: App, data: dict[str, Any]) -> None:
    try:
        FaqEntry.model_validate(data)
    except ValidationError as exc:
        raise EditRefused(
            {str(e["loc"][0]) if e["loc"] else "answer": said(dict(e)) for e in exc.errors()}
        ) from None
    source = data.get("source")
    if source:
        doc = app.content.documents.get(source["document"])
        if doc is None or not any(s.id == source["section"] for s in doc.sections):
            raise EditRefused(
                {"source": texts.INBOX_BAD_SOURCE.format(source=f"{source['document']}:{source['section']}")}
            )


async def save(app: App, entry_id: str, form: dict[str, str], by: str) -> None:
    """Save an edited entry into its file."""
    rel = app.content.entry_files.get(entry_id)
    entry = app.content.entry(entry_id)
    if rel is None or entry is None:
        raise EditRefused({"id": texts.INBOX_NO_ENTRY.format(entry=entry_id)})
    changes = fields_of(form)
    current = entry.model_dump(mode="json", exclude_defaults=True)
    _check(app, {**current, **{k: v for k, v in changes.items() if v is not None or k == "source"}})
    await _rewrite(app, rel, entry_id, changes)
    await app.db.audit.add(by, "faq.edit", {"entry": entry_id, "file": rel})
    await _live(app)


async def retire(app: App, entry_id: str, by: str) -> None:
    rel = app.content.entry_files.get(entry_id)
    if rel is None:
        raise EditRefused({"id": texts.INBOX_NO_ENTRY.format(entry=entry_id)})
    await _rewrite(app, rel, entry_id, {"retired": True})
    await app.db.audit.add(by, "faq.retire", {"entry": entry_id, "file": rel})
    await _live(app)


async def add(app: App, form: dict[str, str], by: str) -> str:
    """A new entry (the rules of hand-written ones: four phrasings, a source), in the officers' own file."""
    data = {"id": "", "topic": "hoi-dap-bo-sung", **fields_of(form)}
    n = len(app.content.faq) + 1
    while app.content.entry(f"them-{n}") is not None:
        n += 1
    data["id"] = f"them-{n}"
    _check(app, data)
    path = Path(app.settings.content_dir) / INBOX_FAQ_FILE
    y = _yaml()
    items = y.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    items = items if items is not None else []
    items.append({k: v for k, v in data.items() if v is not None})
    _write(path, y, items, texts.INBOX_FAQ_HEADER if not path.is_file() else "")
    await app.db.audit.add(by, "faq.add", {"entry": data["id"]})
    await _live(app)
    return str(data["id"])


async def _rewrite(app: App, rel: str, entry_id: str, changes: dict[str, Any]) -> None:
    path = Path(app.settings.content_dir) / rel
    y = _yaml()
    items = y.load(path.read_text(encoding="utf-8"))
    item = next((i for i in items if isinstance(i, dict) and i.get("id") == entry_id), None)
    if item is None:
        raise EditRefused({"id": texts.INBOX_NO_ENTRY.format(entry=entry_id)})
    for key, value in changes.items():
        if value is None:
            item.pop(key, None)
        elif _plain(item.get(key)) != value:  # an unchanged field keeps its layout (a flow {…} stays one)
            item[key] = value
    _write(path, y, items, "")


def _plain(value: Any) -> Any:
    """ruamel's commented containers and strings as plain Python, for comparing."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _write(path: Path, y: YAML, items: Any, header: str) -> None:
    out = io.StringIO()
    y.dump(items, out)
    try:
        write_atomically(path, (header + _root_at_column_0(out.getvalue())).encode("utf-8"), 0o644)
    except OSError as exc:
        raise EditRefused(
            {"id": texts.INBOX_WRITE_FAILED.format(file=path, reason=exc.strerror or exc)}
        ) from None


def _root_at_column_0(text: str) -> str:
    """The department's layout: the list of entries at column 0, nested lists indented four ("    - ").

    ruamel.yaml indents every sequence alike, so its output is the department's shifted right by two: shift
    it back (a uniform shift, so nothing else changes)."""
    lines = text.split("\n")
    if not any(line.startswith("  - ") for line in lines):
        return text
    return "\n".join(line[2:] if line.startswith("  ") else line for line in lines)


async def _live(app: App) -> None:
    from bot.live import rebuild

    errors = await rebuild(app)
    if errors:
        raise EditRefused({"id": str(errors[0])})


async def set_validity(app: App, doc_id: str, valid_until: str, replaced_by: str, by: str) -> None:
    """A document's validity (``valid_until``, YYYY-MM-DD or empty) and the newer document replacing it
    (written as the newer one's ``supersedes``); checked with the whole content, undone when it breaks it."""
    from datetime import date as day

    root = Path(app.settings.content_dir) / "documents"
    if doc_id not in app.content.documents:
        raise EditRefused({"id": texts.CONTENT_NO_NEWER.format(document=doc_id)})
    if valid_until:
        try:
            day.fromisoformat(valid_until)
        except ValueError:
            raise EditRefused(
                {"valid_until": texts.IMPORT_BAD_FLAG_DATE.format(flag="", value=valid_until)}
            ) from None
    if replaced_by and (replaced_by == doc_id or replaced_by not in app.content.documents):
        raise EditRefused({"replaced_by": texts.CONTENT_NO_NEWER.format(document=replaced_by)})
    y = _yaml()
    y.indent(mapping=2, sequence=2, offset=0)  # documents are written with their lists at the key's column
    saved: dict[Path, str] = {}

    def change(path: Path, edit: Any) -> None:
        text = path.read_text(encoding="utf-8")
        saved.setdefault(path, text)
        data = y.load(text)
        edit(data)
        out = io.StringIO()
        y.dump(data, out)
        write_atomically(path, out.getvalue().encode("utf-8"), 0o644)

    def validity(data: Any) -> None:
        if valid_until:
            data["valid_until"] = valid_until
        else:
            data.pop("valid_until", None)

    def supersede(data: Any) -> None:
        data["supersedes"] = sorted({*(_plain(data.get("supersedes")) or []), doc_id})

    try:
        change(root / f"{doc_id}.yaml", validity)
        if replaced_by:
            change(root / f"{replaced_by}.yaml", supersede)
    except OSError as exc:
        raise EditRefused(
            {"id": texts.INBOX_WRITE_FAILED.format(file=root, reason=exc.strerror or exc)}
        ) from None
    try:
        await _live(app)
    except EditRefused:
        for path, text in saved.items():  # never leave the content broken
            write_atomically(path, text.encode("utf-8"), 0o644)
        await _live(app)
        raise
    await app.db.audit.add(by, "document.validity", {"id": doc_id, "valid_until": valid_until or None,
                                                    "replaced_by": replaced_by or None})  # fmt: skip
