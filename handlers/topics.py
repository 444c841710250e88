"""/chude: browse the FAQ by topic with buttons."""

from __future__ import annotations

from typing import Any

from bot import texts
from bot.answers import button_label
from bot.app import App
from bot.buttons import ButtonData, Int, Token
from bot.core import Incoming, Reply
from bot.feature import Buttons, Command, Feature
from handlers.ask import FAQ_BUTTON
from handlers.menu import MENU_BUTTON

# -- what it says --------------------------------------------------------------------------------------------
HELP_CHUDE = "• /chude — xem câu hỏi theo chủ đề."
BUTTON_BACK_TOPICS = "◂ Các chủ đề"
TOPICS_HEADER = "Chọn chủ đề:"
TOPIC_HEADER = "Chủ đề «{title}» — chọn câu hỏi:"
TOPIC_PAGE = "(trang {page}/{pages})"
MENU_CHUDE = "Xem câu hỏi theo chủ đề"

PAGE_SIZE = 6
TOPIC_BUTTON = ButtonData("topic", [Token(), Int(1, 999)])


async def list_topics(app: App, inc: Incoming, args: str) -> list[Reply]:
    used = {e.topic for e in app.content.faq}  # a topic with no entry yet is not offered
    buttons = [[TOPIC_BUTTON.button(t.title, t.id, 1)] for t in app.content.topics if t.id in used]
    return [Reply(TOPICS_HEADER, buttons=buttons, edit=inc.data is not None)]


async def show_topic(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    topic_id, page = values
    topic = app.content.topic(str(topic_id))
    if topic is None:
        return [Reply(texts.STALE_BUTTON)]
    entries = [e for e in app.content.faq if e.topic == topic.id]
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(int(page), 1), pages)
    chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    buttons = [[FAQ_BUTTON.button(button_label(e.questions[0]), e.id)] for e in chunk]
    nav = []
    if page < pages:
        nav.append(TOPIC_BUTTON.button(texts.BUTTON_MORE, topic.id, page + 1))
    nav.append(MENU_BUTTON.button(BUTTON_BACK_TOPICS, "topics"))
    buttons.append(nav)
    header = TOPIC_HEADER.format(title=topic.title)
    if pages > 1:
        header += " " + TOPIC_PAGE.format(page=page, pages=pages)
    if topic.description:
        header += f"\n{topic.description}"
    return [Reply(header, buttons=buttons, edit=True)]


FEATURE = Feature(
    name="topics",
    order=20,
    commands=(
        Command("chude", list_topics, bare=("chude",), help=HELP_CHUDE, menu=MENU_CHUDE,
                group_menu=MENU_CHUDE),
    ),
    buttons=(Buttons(TOPIC_BUTTON, show_topic),),
)  # fmt: skip
