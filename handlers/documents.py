"""/nhapvanban: an officer of the province sends a guidance document (DOCX, PDF, TXT, MD); Loa shows what it
read (title, number, date, sections, warnings) and imports it after a confirmation tap, answerable at once.

The file waits between the two taps in a private folder beside the database (0600, removed after the import
or an hour), with who sent it: a tap by anyone else, or after the hour, imports nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from bot import documents, texts
from bot.app import App
from bot.auth import OFFICER, Actor, actor_of
from bot.buttons import ButtonData, Choice, Token
from bot.channels import capabilities
from bot.core import Button, Incoming, Reply
from bot.feature import Buttons, Command, Feature
from bot.live import rebuild

log = logging.getLogger(__name__)

IMPORT_BUTTON = ButtonData("imp", [Choice("ok", "no"), Token(max_len=24)])
STAGED_FOR = 3600  # seconds a file waits for its confirmation


def _province_officer(app: App, who: Actor) -> bool:
    unit = app.units.get(who.unit_code) if who.unit_code else None
    return unit is not None and unit.level == "province"


def _staging(app: App) -> Path:
    folder = Path(app.settings.db).resolve().parent / ".loa-imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _known(app: App) -> set[str]:
    return {p.stem for p in (Path(app.settings.content_dir) / "documents").glob("*.yaml")}


async def on_import(app: App, inc: Incoming, args: str) -> list[Reply]:
    """The command (or a file sent alone): read the file and ask for confirmation."""
    who = await actor_of(app, inc)
    if not _province_officer(app, who):
        return [Reply(texts.IMPORT_PROVINCE_ONLY)]
    caps = capabilities(inc.channel)
    if caps is None or not caps.receives_files:
        return [Reply(texts.IMPORT_NO_FILES_HERE)]
    if inc.file is None:
        return [Reply(texts.IMPORT_SEND_FILE.format(limit=documents.MAX_BYTES // 1024 // 1024))]
    name = os.path.basename(inc.file.name or "van-ban")
    try:
        ext = documents.check_file(name, inc.file.size or 1)  # before the download: kind and size
        data = await inc.file.fetch()
        imported = await asyncio.to_thread(_read, data, name)
    except documents.ImportFailed as exc:
        return [Reply(texts.IMPORT_FAILED.format(reason=exc))]
    exists = imported.id in _known(app)
    token = secrets.token_urlsafe(12)
    folder = _staging(app)
    _sweep(folder)
    _write_private(folder / f"{token}{ext}", data)
    meta = {"actor": inc.actor, "name": name, "ext": ext, "replace": exists}
    _write_private(folder / f"{token}.json", json.dumps(meta).encode())
    summary = _summary(imported)
    if exists:
        summary += "\n\n" + texts.IMPORT_WILL_REPLACE.format(id=imported.id)
    buttons = [
        [
            Button(texts.IMPORT_CONFIRM, IMPORT_BUTTON.pack("ok", token)),
            Button(texts.IMPORT_CANCEL, IMPORT_BUTTON.pack("no", token)),
        ]
    ]
    return [Reply(summary, buttons=buttons)]


def _read(data: bytes, name: str) -> documents.Imported:
    lines, warnings = documents.read_bytes(data, name)
    return documents.build(lines, warnings, documents.Overrides(), name)


def _summary(imported: documents.Imported) -> str:
    shown = imported.shown()
    lines = [texts.IMPORT_PREVIEW.format(**shown)]
    lines += [texts.IMPORT_WARNING_LINE.format(warning=w) for w in imported.warnings]
    return "\n".join(lines)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _sweep(folder: Path) -> None:
    """Files left waiting longer than an hour are removed."""
    cutoff = time.time() - STAGED_FOR
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _staged(app: App, token: str) -> tuple[dict[str, Any], Path] | None:
    folder = _staging(app)
    meta_path = folder / f"{token}.json"
    try:
        if time.time() - meta_path.stat().st_mtime > STAGED_FOR:
            return None
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return None
    return meta, folder / f"{token}{meta.get('ext', '')}"


def _drop(app: App, token: str, file: Path | None) -> None:
    for path in (_staging(app) / f"{token}.json", file):
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


async def on_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """ "Nhập" or "Hủy" under the summary."""
    choice, token = str(values[0]), str(values[1])
    staged = _staged(app, token)
    if staged is None:
        return [Reply(texts.IMPORT_STALE)]
    meta, file = staged
    who = await actor_of(app, inc)
    if meta.get("actor") != inc.actor or not _province_officer(app, who):
        return [Reply(texts.STALE_BUTTON)]
    if choice == "no":
        _drop(app, token, file)
        return [Reply(texts.IMPORT_CANCELLED, edit=True)]
    root = Path(app.settings.content_dir)
    try:
        data = file.read_bytes()
        imported = await asyncio.to_thread(_read, data, meta["name"])
        await asyncio.to_thread(documents.write, root, imported, bool(meta.get("replace")), _known(app))
    except documents.ImportFailed as exc:
        return [Reply(texts.IMPORT_FAILED.format(reason=exc))]
    except OSError:
        return [Reply(texts.IMPORT_STALE)]
    finally:
        _drop(app, token, file)
    detail = {"id": imported.id, "number": imported.data.get("number"), "replace": bool(meta.get("replace"))}
    await app.db.audit.add(who.key, "content.import", detail)
    errors = await rebuild(app)
    if errors:  # another file of the folder is broken: the import stands, the old knowledge serves
        log.error("imported document %s, but the content folder has errors", imported.id)
        return [Reply(texts.IMPORT_DONE_NOT_LIVE.format(id=imported.id, error=errors[0]))]
    return [Reply(texts.IMPORT_DONE.format(id=imported.id, title=imported.data["title"]), edit=True)]


FEATURE = Feature(
    name="documents",
    order=95,
    commands=(
        Command(
            "nhapvanban",
            on_import,
            role=OFFICER,
            private=True,
            help=texts.HELP_NHAPVANBAN,
            files=True,
        ),
    ),
    buttons=(Buttons(IMPORT_BUTTON, on_button, role=OFFICER, private=True),),
)
