"""``loa run`` with messengers: every configured channel side by side, and one scheduler sending through them.

Each channel reports when it is up, with the sender the broadcast engine should use for it; when all are up
the scheduler starts. On Ctrl-C / SIGTERM every channel stops taking updates and answers those it has, the
scheduler finishes the sends in flight (while the channels' connections are still open), then all close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.app import App

log = logging.getLogger(__name__)


class ChannelStartError(Exception):
    """A channel could not start; the message is one line without secrets."""


class _Scheduling:
    """Starts the scheduler once every channel has given its sender; shuts it down once, for all."""

    def __init__(self, app: App, channels: list[str]):
        self.app = app
        self.expected = set(channels)
        self.senders: dict[str, Any] = {}
        self.service: Any = None
        self._shutdown: asyncio.Task[None] | None = None

    async def ready(self, channel: str, sender: Any) -> Callable[[], Awaitable[None]]:
        from scheduler.broadcast import Engine, Limits
        from scheduler.service import Service

        self.senders[channel] = sender
        if set(self.senders) == self.expected and self.service is None and self._shutdown is None:
            limits: dict[str, Limits] = {}
            if "zalo" in self.senders:
                from bot.channels.zalo import LIMITS

                limits["zalo"] = LIMITS
            engine = Engine(self.app, self.senders, limits)
            self.service = Service(self.app, engine, timedelta(hours=self.app.settings.schedule_grace_hours))
            await self.service.start()
        return self.shutdown

    async def shutdown(self) -> None:
        """Every channel awaits the same shutdown, so none closes its connection while sends are in flight."""
        if self._shutdown is None:
            self._shutdown = asyncio.ensure_future(self._stop_service())
        await asyncio.shield(self._shutdown)

    async def _stop_service(self) -> None:
        if self.service is not None:
            await self.service.shutdown()


async def serve(app: App, stop: asyncio.Event | None = None) -> None:
    """Run the configured channels and the scheduler until a signal (or ``stop``); raise ChannelStartError."""
    settings = app.settings
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Not possible off the main thread (tests): then `stop` alone ends it.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    runs: dict[str, Awaitable[None]] = {}
    tokens = {"telegram": settings.telegram_token, "zalo": settings.zalo_token}
    names = [name for name, token in tokens.items() if token is not None]
    scheduling = _Scheduling(app, names)
    if settings.telegram_token is not None:
        from bot.channels import telegram

        async def telegram_ready(application):
            return await scheduling.ready("telegram", telegram.TelegramSender(application.bot))

        runs["telegram"] = telegram.run(app, stop, on_ready=telegram_ready)
    if settings.zalo_token is not None:
        from bot.channels import zalo

        async def zalo_ready(client):
            return await scheduling.ready("zalo", zalo.ZaloSender(client))

        runs["zalo"] = zalo.run(app, stop, on_ready=zalo_ready)

    errors: list[str] = []

    async def guarded(coro: Awaitable[None]) -> None:
        try:
            await coro
        except Exception as exc:
            if type(exc).__name__.endswith("StartError"):
                errors.append(str(exc))
            else:
                log.exception("a channel stopped on an error")
                errors.append(f"{type(exc).__name__}")
            stop.set()  # one channel down stops the others: run as configured or not at all

    try:
        await asyncio.gather(*(guarded(r) for r in runs.values()))
        await scheduling.shutdown()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    if errors:
        raise ChannelStartError(errors[0])
