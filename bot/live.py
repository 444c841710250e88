"""Live content: `loa run` takes up a changed content folder without a restart.

A cheap poll (file names, sizes and modification times, every ``interval`` seconds) rather than watchfiles:
the folder holds a few dozen files, a poll costs well under a millisecond, and it behaves the same on every
file system (network mounts and containers included, where inotify is not always delivered). A change
waits until the folder has been still for one poll (an import writes two files), then the content is loaded
and the knowledge base built in a worker thread and swapped in at once; questions already being answered
finish on the knowledge base they started with. A broken edit keeps the last good content serving: the log
gets one line naming file, entry and field, and the admins get it in chat once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from bot.app import App, public_names
from bot.content import Content, ContentError, load_content
from bot.matcher import KnowledgeBase
from bot.units import UnitIndex

# -- what it says --------------------------------------------------------------------------------------------
CONTENT_RELOAD_BROKEN = "⚠️ Nội dung vừa sửa có {count} lỗi nên Loa vẫn dùng bản cũ. Lỗi đầu tiên: {error}"

log = logging.getLogger(__name__)

Notify = Callable[[str], Awaitable[None]]
Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """(modification time, size) of every content file, by its path in the folder."""
    out: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name.endswith((".tmp", "~")):
                continue  # editors' and the importer's temporary files
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):  # removed between the listing and the stat
                st = os.stat(path)
                out[os.path.relpath(path, root)] = (st.st_mtime_ns, st.st_size)
    return out


def build(root: Path, today_ordinal: int) -> tuple[Content, KnowledgeBase | None, Snapshot]:
    """The content, its knowledge base (None when the content has errors) and the folder as it was read;
    run off the event loop."""
    seen = snapshot(root)  # before reading: a file changed meanwhile is read again at the next poll
    content = load_content(root)
    if content.errors:
        return content, None, seen
    return content, KnowledgeBase(content, today=date.fromordinal(today_ordinal)), seen


async def rebuild(app: App) -> list[ContentError]:
    """Load the content folder off the event loop and swap it in; its errors (nothing swapped) if broken."""
    content, kb, seen = await asyncio.to_thread(
        build, Path(app.settings.content_dir), app.today().toordinal()
    )
    if kb is None:
        return content.errors
    names = await asyncio.to_thread(public_names, content)
    app.swap(content, kb, UnitIndex(content.units), names, seen)
    return []


class ContentWatcher:
    """Polls the content folder of ``app`` and swaps a new knowledge base in when it changes."""

    def __init__(self, app: App, notify: Notify | None = None, interval: float = 2.0):
        self.app = app
        self.root = Path(app.settings.content_dir)
        self.notify = notify
        self.interval = interval
        self.seen = snapshot(self.root)
        if app.content_seen is None:
            app.content_seen = self.seen
        self.reported: str | None = None  # the last broken-content line sent to the admins
        self.swaps = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set."""
        pending: Snapshot | None = None
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)
            if stop.is_set():
                return
            now = await asyncio.to_thread(snapshot, self.root)
            # A folder already swapped in (an import or an edit rebuilt it at once) is not built twice.
            if now == self.seen or now == self.app.content_seen:
                self.seen, pending = now, None
                continue
            if now != pending:  # still being written: wait for one still poll
                pending = now
                continue
            self.seen, pending = now, None
            try:
                await self.reload()
            except Exception:  # never take the bot down over content
                log.exception("content reload failed")

    async def reload(self) -> bool:
        """Load and swap in the content now; False (and one line reported) when it is broken."""
        started = time.perf_counter()
        errors = await rebuild(self.app)
        if errors:
            first = errors[0]
            line = CONTENT_RELOAD_BROKEN.format(count=len(errors), error=first)
            log.error(
                "content not reloaded: %d error(s), first in %s, entry %s, field %s",
                len(errors),
                first.file,
                first.entry,
                first.field,
            )
            if line != self.reported:
                self.reported = line
                if self.notify is not None:
                    await self.notify(line)
            return False
        self.reported = None
        self.swaps += 1
        content = self.app.content
        log.info(
            "content reloaded in %.0f ms: %d documents, %d FAQ entries",
            (time.perf_counter() - started) * 1000,
            len(content.documents),
            len(content.faq),
        )
        return True
