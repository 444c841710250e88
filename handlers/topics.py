"""/chude: browse the FAQ by topic with buttons."""

from __future__ import annotations

from bot import texts
from bot.app import App
from bot.core import Button, Incoming, Reply
from handlers.ask import FAQ_PREFIX, button_label

PAGE_SIZE = 6
TOPIC_PREFIX = "topic:"


async def list_topics(app: App, inc: Incoming, args: str) -> list[Reply]:
    buttons = [[Button(t.title, f"{TOPIC_PREFIX}{t.id}:1")] for t in app.content.topics]
    return [Reply(texts.TOPICS_HEADER, buttons=buttons, edit=inc.data is not None)]


async def show_topic(app: App, inc: Incoming, arg: str) -> list[Reply]:
    topic_id, _, page_s = arg.partition(":")
    topic = app.content.topic(topic_id)
    if topic is None:
        return [Reply(texts.STALE_BUTTON)]
    entries = [e for e in app.content.faq if e.topic == topic.id]
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(int(page_s) if page_s.isdecimal() and len(page_s) <= 3 else 1, 1), pages)
    chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    buttons = [[Button(button_label(e.questions[0]), FAQ_PREFIX + e.id)] for e in chunk]
    nav = []
    if page < pages:
        nav.append(Button(texts.BUTTON_MORE, f"{TOPIC_PREFIX}{topic.id}:{page + 1}"))
    nav.append(Button(texts.BUTTON_BACK_TOPICS, "menu:topics"))
    buttons.append(nav)
    header = texts.TOPIC_HEADER.format(title=topic.title)
    if pages > 1:
        header += " " + texts.TOPIC_PAGE.format(page=page, pages=pages)
    if topic.description:
        header += f"\n{topic.description}"
    return [Reply(header, buttons=buttons, edit=True)]
