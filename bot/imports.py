"""A document sent by an officer (in chat, or uploaded to the console) waits for a confirmation, then goes in.

The file is read once, when it arrives; what was read waits in a private folder beside the database (0600,
removed after the import or an hour), with who sent it: a confirmation by anyone else, or after the hour,
imports nothing. Only officers of the province and
admins import; the import is audit-logged and live at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from bot import documents
from bot.app import App
from bot.auth import Actor
from bot.content import ContentError
from bot.errors import Conflict

# -- what it says --------------------------------------------------------------------------------------------
IMPORT_PREVIEW = "📄 Loa đọc được:\n{title}"

log = logging.getLogger(__name__)
STAGED_FOR = 3600  # seconds a file waits for its confirmation


class Stale(Conflict):
    """The staged file is gone: confirmed or cancelled already, expired, or not this person's."""


def province_officer(app: App, who: Actor) -> bool:
    return app.units.is_province(who.unit_code)


def known(app: App) -> set[str]:
    return {p.stem for p in (Path(app.settings.content_dir) / "documents").glob("*.yaml")}


def read(data: bytes, name: str) -> documents.Imported:
    """The document of a file, read in a child process bounded in time and memory."""
    return documents.read_guarded(data, name)


@dataclass
class Staged:
    token: str
    imported: documents.Imported
    replaces: bool  # a document with its id is there already


def _folder(app: App) -> Path:
    """Beside the SQLite file; with PostgreSQL beside the content folder, which every worker shares (the
    confirming tap may reach another worker)."""
    return app.settings.data_folder(".loa-imports")


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _sweep(folder: Path) -> None:
    cutoff = time.time() - STAGED_FOR
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


async def stage(app: App, data: bytes, name: str, actor: str) -> Staged:
    """Read the file (ImportFailed in one line) and keep it for ``actor``'s confirmation."""
    name = os.path.basename(name or "van-ban")
    documents.check_file(name, len(data))
    imported = await asyncio.to_thread(read, data, name)
    replaces = imported.id in known(app)
    token = secrets.token_urlsafe(12)
    folder = _folder(app)
    _sweep(folder)
    # What was read is kept, not the file: the confirming tap (on any worker) writes it without reading again.
    _write_private(folder / f"{token}.doc.json", json.dumps(dataclasses.asdict(imported)).encode())
    meta = {"actor": actor, "name": name, "replace": replaces}
    _write_private(folder / f"{token}.json", json.dumps(meta).encode())
    return Staged(token, imported, replaces)


def _take(app: App, token: str, actor: str) -> tuple[dict[str, str], Path]:
    folder = _folder(app)
    meta_path = folder / f"{token}.json"
    try:
        fresh = time.time() - meta_path.stat().st_mtime <= STAGED_FOR
        if not token.replace("-", "").replace("_", "").isalnum() or not fresh:
            raise Stale
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        raise Stale from None
    if meta.get("actor") != actor:
        raise Stale
    return meta, folder / f"{token}.doc.json"


def cancel(app: App, token: str, actor: str) -> None:
    _meta, file = _take(app, token, actor)
    _drop(app, token, file)


def _drop(app: App, token: str, file: Path) -> None:
    for path in (_folder(app) / f"{token}.json", file):
        with contextlib.suppress(OSError):
            path.unlink()


async def confirm(app: App, token: str, who: Actor) -> tuple[documents.Imported, list[ContentError]]:
    """Import the staged file: (the document, the content folder's errors when it could not go live)."""
    from bot.live import rebuild

    meta, file = _take(app, token, who.key)
    try:
        kept = json.loads(file.read_bytes())
        imported = documents.Imported(**{**kept, "parts": tuple(kept.get("parts", ()))})
        root = Path(app.settings.content_dir)
        await asyncio.to_thread(documents.write, root, imported, bool(meta.get("replace")), known(app))
    except (OSError, ValueError, TypeError):
        raise Stale from None
    finally:
        _drop(app, token, file)
    detail = {"id": imported.id, "number": imported.data.get("number"), "replace": bool(meta.get("replace"))}
    await app.db.audit.add(who.key, "content.import", detail)
    errors = await rebuild(app)
    if errors:  # another file of the folder is broken: the import stands, the old knowledge serves
        log.error("imported document %s, but the content folder has errors", imported.id)
    return imported, errors


def summary(imported: documents.Imported) -> str:
    """What Loa read, for the person to confirm."""
    return "\n".join([IMPORT_PREVIEW.format(**imported.shown()), *imported.read_lines()])
