"""Telegram, through python-telegram-bot 22: the adapter (``adapter.py``), its settings (``settings.py``)."""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.channels import Capabilities, Channel, Ready
from bot.channels.telegram.adapter import (
    MAX_TEXT,
    ChatOrderedProcessor,
    TelegramChannel,
    TelegramSender,
    TelegramStartError,
    keyboard,
    run,
    sending_bot,
)
from bot.sending import Limits

__all__ = [
    "CHANNEL",
    "MAX_TEXT",
    "ChatOrderedProcessor",
    "TelegramChannel",
    "TelegramSender",
    "TelegramStartError",
    "keyboard",
    "run",
    "sending_bot",
]


async def _serve(app: App, stop: asyncio.Event, ready: Ready) -> None:
    async def on_ready(application):  # the broadcast engine sends through a bot of its own
        bot = await sending_bot(app)
        try:
            stop_engine = await ready("telegram", TelegramSender(bot), Limits())
        except BaseException:
            await bot.shutdown()
            raise

        async def cleanup() -> None:
            try:
                await stop_engine()
            finally:
                await bot.shutdown()

        return cleanup

    await run(app, stop, on_ready=on_ready)


CHANNEL = Channel(
    name="telegram",
    capabilities=Capabilities(buttons=True, files=True, max_text=MAX_TEXT),
    configured=lambda settings: settings.channel("telegram").configured,
    run=_serve,
)
