"""``loa run`` with messengers: every configured channel side by side, and one scheduler sending through them.

Each channel reports when it is up, with the sender (and the limits) the broadcast engine should use for it;
when all are up the scheduler starts — on SQLite at once (one `loa run` per file), on PostgreSQL on the one
worker holding the leader lock (an advisory lock; the others stand by and take over within
``LEADER_POLL_SECONDS`` of the leader's death). On Ctrl-C / SIGTERM every channel stops taking updates; the
updates already taken are answered and the scheduler finishes the sends in flight while the channels'
connections are still open; then all close.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app import App, long_lived
from bot.channels import Channel, ChannelStartError, available
from bot.errors import LoaError
from bot.live import ContentWatcher
from bot.sending import Limits
from scheduler.delivery import Engine

# -- what it says --------------------------------------------------------------------------------------------
RUN_ALREADY_RUNNING = (
    "Đã có một «loa run» khác đang chạy với cơ sở dữ liệu {db}; hai tiến trình sẽ gửi mọi tin hai lần. "
    "Dừng tiến trình kia trước."
)

log = logging.getLogger(__name__)

LEADER_POLL_SECONDS = 5.0  # a standby asks for the leader lock this often; the leader checks it holds it


def configured(app: App) -> list[Channel]:
    """The channels the settings configure (a token set)."""
    return [ch for ch in available() if ch.configured(app.settings)]


class _Scheduling:
    """Starts the scheduler once every channel has given its sender; shuts it down once, for all."""

    def __init__(self, app: App, channels: list[str]):
        self.app = app
        self.expected = set(channels)
        self.senders: dict[str, Any] = {}
        self.limits: dict[str, Limits] = {}
        self.service: Any = None
        self._shutdown: asyncio.Task[None] | None = None
        self._leading: asyncio.Task[None] | None = None
        self._held: Any = None  # the leader lock, kept until the scheduler has stopped

    async def ready(self, channel: str, sender: Any, limits: Limits) -> Callable[[], Awaitable[None]]:
        """A channel is up: ``sender`` delivers broadcasts on it within its messenger's ``limits``."""
        self.senders[channel] = sender
        self.limits[channel] = limits
        idle = self.service is None and self._leading is None and self._shutdown is None
        if set(self.senders) == self.expected and idle:
            if self.app.db.shared:
                self._leading = asyncio.create_task(self._lead())
            else:
                await self._start_service()
        return self.shutdown

    async def _start_service(self) -> None:
        from scheduler.service import Service

        engine = Engine(self.app, self.senders, self.limits)
        self.service = Service(self.app, engine, timedelta(hours=self.app.settings.schedule_grace_hours))
        await self.service.start()

    async def _lead(self) -> None:
        """Stand by for the leader lock; holding it, run the scheduler; losing it, stop the scheduler."""
        while self._shutdown is None:
            lock = None
            try:
                lock = await self.app.db.try_lock()  # type: ignore[attr-defined]
                if lock is not None:
                    log.info("this worker leads: the scheduler and the broadcast engine run here")
                    await self._start_service()
                    while self._shutdown is None and await lock.alive():
                        await asyncio.sleep(LEADER_POLL_SECONDS)
                    if self._shutdown is None:
                        log.warning("the leader lock was lost: the scheduler stops here, standing by")
                        await self._stop_service()
                        self.service = None
            except Exception as exc:  # the database away for a moment: stand by and try again
                log.warning("leader lock: %s; trying again", type(exc).__name__)
            finally:
                if lock is not None and self._shutdown is None:
                    await lock.release()
                elif lock is not None:
                    self._held = lock  # released after the scheduler's shutdown
            await asyncio.sleep(LEADER_POLL_SECONDS)

    async def tell_admins(self, text: str) -> None:
        """One line to every admin, in a private chat on each channel that is up (best effort)."""
        for actor in sorted(self.app.settings.admin_ids):
            channel, _, user_id = actor.partition(":")
            sender = self.senders.get(channel)
            if sender is None:
                continue
            try:
                await sender.deliver(user_id, text)
            except Exception as exc:  # an admin who blocked the bot must not stop the others
                log.warning("could not tell an admin on %s: %s", channel, type(exc).__name__)

    async def shutdown(self) -> None:
        """Every channel awaits the same shutdown, so none closes its connection while sends are in flight."""
        if self._shutdown is None:
            self._shutdown = asyncio.ensure_future(self._stop_service())
        await asyncio.shield(self._shutdown)

    async def _stop_service(self) -> None:
        if self.service is not None:
            await self.service.shutdown()
        if self._leading is not None and asyncio.current_task() is not self._leading:
            self._leading.cancel()
            await asyncio.gather(self._leading, return_exceptions=True)
        if self._held is not None:
            await self._held.release()


class AlreadyRunning(ChannelStartError):
    """Another `loa run` serves this database; the message is one line."""


@contextlib.contextmanager
def single_instance(db: Path) -> Iterator[None]:
    """An exclusive lock beside the database, held for the process's life: on SQLite, one `loa run` only.

    Two would send every broadcast twice. The kernel releases the lock when the process dies, kill -9
    included, so a crash never leaves it stale.
    """
    lock_path = db.with_name(db.name + ".lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(RUN_ALREADY_RUNNING.format(db=db)) from None
        yield
    finally:
        os.close(fd)


async def serve(app: App, stop: asyncio.Event | None = None) -> None:
    """Run the configured channels and the scheduler until a signal (or ``stop``); raise ChannelStartError."""
    with long_lived():
        if app.db.shared:  # several workers share PostgreSQL: the leader lock and row claims keep them apart
            await _serve(app, stop)
            return
        with single_instance(Path(app.settings.db)):
            await _serve(app, stop)


async def _serve(app: App, stop: asyncio.Event | None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible off the main thread (tests): then `stop` alone ends it.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    channels = configured(app)
    scheduling = _Scheduling(app, [ch.name for ch in channels])
    runs = {ch.name: ch.run(app, stop, scheduling.ready) for ch in channels}
    if app.settings.web_port:
        from bot import web

        runs["web"] = web.serve(app, stop)  # a console that cannot listen stops `loa run` like a channel

    errors: list[str] = []

    async def guarded(coro: Awaitable[None]) -> None:
        try:
            await coro
        except LoaError as exc:  # a channel or the console that cannot start, said in one line
            errors.append(exc.message)
        except Exception as exc:
            log.exception("a channel stopped on an error")
            errors.append(type(exc).__name__)
        else:
            return
        stop.set()  # one channel down stops the others: run as configured or not at all

    watcher = ContentWatcher(app, scheduling.tell_admins)
    watching = asyncio.create_task(watcher.run(stop))
    side = [watching]
    try:
        await asyncio.gather(*(guarded(r) for r in runs.values()))
        await scheduling.shutdown()
    finally:
        stop.set()
        await asyncio.gather(*side, return_exceptions=True)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    if errors:
        raise ChannelStartError(errors[0])
