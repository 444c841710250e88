"""The dialog engine with every dialog the features declare (see :mod:`bot.dialog`), and /huy."""

from __future__ import annotations

import functools

from bot.app import App
from bot.core import Incoming, Reply
from bot.dialog import Engine
from bot.feature import Command, Feature
from handlers import features

# -- what it says --------------------------------------------------------------------------------------------
HELP_HUY = "• /huy — bỏ việc đang làm dở."


@functools.cache
def engine() -> Engine:
    """Every feature's dialog, run by one engine (features are collected at the first call, not at import)."""
    return Engine([f.dialog for f in features() if f.dialog is not None])


async def on_cancel(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/huy (and «hủy», «thôi», «hủy bỏ» typed alone): drop what is half done."""
    return await engine().cancel(app, inc)


FEATURE = Feature(
    name="dialogs",
    order=70,
    commands=(Command("huy", on_cancel, bare=("huy", "thoi", "huybo"), help=HELP_HUY),),
)
