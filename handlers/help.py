"""/start and /trogiup."""

from __future__ import annotations

from bot import texts
from bot.app import App
from bot.core import Button, Incoming, Reply

MENU = [
    [Button(texts.BUTTON_TOPICS, "menu:topics"), Button(texts.BUTTON_KEY_MESSAGES, "menu:messages")],
    [Button(texts.BUTTON_HELP, "menu:help")],
]


async def start(app: App, inc: Incoming, args: str) -> list[Reply]:
    name = f" {inc.display_name}" if inc.display_name else ""
    return [Reply(texts.WELCOME.format(name=name), buttons=MENU)]


async def help_text(app: App, inc: Incoming, args: str) -> list[Reply]:
    return [Reply(texts.HELP, buttons=MENU[:1])]
