"""The welcome and its menu: shown by /start, by a greeting typed as a question, and as a way back."""

from __future__ import annotations

from bot import texts
from bot.buttons import ButtonData, Choice
from bot.core import Incoming, Reply

# Pressed, these go to /chude, /thongdiep or /trogiup (``handlers/help.py`` declares what they do).
MENU_BUTTON = ButtonData("menu", [Choice("topics", "messages", "help")])
MENU = [
    [
        MENU_BUTTON.button(texts.BUTTON_TOPICS, "topics"),
        MENU_BUTTON.button(texts.BUTTON_KEY_MESSAGES, "messages"),
    ],
    [MENU_BUTTON.button(texts.BUTTON_HELP, "help")],
]


def welcome(inc: Incoming) -> list[Reply]:
    """The welcome by name, with the menu."""
    name = f" {inc.display_name}" if inc.display_name else ""
    return [Reply(texts.WELCOME.format(name=name), buttons=MENU)]
