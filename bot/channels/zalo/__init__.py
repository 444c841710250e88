"""Zalo, through the Zalo Bot API: the adapter (``adapter.py``), our client of the API (``api.py``) and the
settings (``settings.py``)."""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.channels import Capabilities, Channel, Ready
from bot.channels.render import choose
from bot.channels.zalo.adapter import (
    LIMITS,
    ZaloChannel,
    ZaloMessage,
    ZaloSender,
    ZaloStartError,
    render,
    run,
    unwrap,
)
from bot.channels.zalo.api import MAX_TEXT, ZaloClient
from bot.store.dialogs import HANDLED_KEEP

__all__ = [
    "CHANNEL",
    "HANDLED_KEEP",
    "LIMITS",
    "ZaloChannel",
    "ZaloClient",
    "ZaloMessage",
    "ZaloSender",
    "ZaloStartError",
    "choose",
    "render",
    "run",
    "unwrap",
]


async def _serve(app: App, stop: asyncio.Event, ready: Ready) -> None:
    async def on_ready(client: ZaloClient):  # the broadcast engine sends through this client
        return await ready("zalo", ZaloSender(client, app), LIMITS)

    await run(app, stop, on_ready=on_ready)


CHANNEL = Channel(
    name="zalo",
    # Zalo bots have no buttons and send no files: numbered choices, and a note instead of a file.
    capabilities=Capabilities(buttons=False, files=False, max_text=MAX_TEXT),
    configured=lambda settings: settings.channel("zalo").configured,
    run=_serve,
)
