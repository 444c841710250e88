"""Questions: /hoi, plain text, and the "did you mean" buttons."""

from __future__ import annotations

import contextlib
from typing import Any

from bot import texts
from bot.answers import Outcome, ask, button_label, reads_as_question
from bot.app import App
from bot.buttons import ButtonData, ButtonDataError, Int, Token
from bot.content import Source
from bot.core import Incoming, Reply
from bot.feature import Buttons, Command, Feature
from bot.matcher import ANSWER, PASSAGE, SUGGEST
from handlers.menu import welcome

# -- what it says --------------------------------------------------------------------------------------------
HELP_HOI = "• /hoi <câu hỏi> — hỏi (trong nhóm hãy dùng lệnh này)."
SOURCE = "📄 Nguồn: {cite}"
RELATED = "Câu hỏi liên quan:"
MORE = "Xem thêm:"
SUGGEST_OTHERS = "Nếu chưa đúng ý, chọn câu hỏi bên dưới:"
# Telegram's command menus (private chats, groups), declared with each command.
MENU_HOI = "Hỏi về hướng dẫn tuyên truyền"
GROUP_MENU_HOI = "Hỏi Loa (gõ /hoi rồi câu hỏi)"
BUTTON_WHOLE_SECTION = "📖 Xem cả mục"
WHOLE_SECTION = "📖 {path}\n\n{text}"

FAQ_BUTTON = ButtonData("faq", [Token()])
SECTION_BUTTON = ButtonData("sec", [Token(max_len=40), Token(max_len=20)])
# «Xem thêm»: another passage the same question found (document, passage's index in it).
MORE_BUTTON = ButtonData("psg", [Token(max_len=40), Int(0, 99_999)])


async def escape(app: App, inc: Incoming, text: str, awaits: str) -> list[Reply] | None:
    """A question typed inside a dialog, answered (and logged) as one; None when the text is not one."""
    if not reads_as_question(app.kb, text, awaits):
        return None
    unit = await app.db.people.unit_of(inc.channel, inc.user_id)
    out = await ask(app, inc.channel, text, unit, inc.chat_id)
    # No buttons: the dialog's step follows with its own (on Zalo they would be numbered together).
    return [render(out, buttons=False)]


def render(out: Outcome, buttons: bool = True) -> Reply:
    """The chat reply for an outcome: text with its source, and buttons for the suggestions."""
    if not buttons:
        parts = [out.text] + ([SOURCE.format(cite=out.source)] if out.source else [])
        return Reply("\n\n".join(parts))
    if out.more:
        # Three choices at most on a phone: the whole section and two more passages.
        more = out.more[: 2 if out.section else 3]
        rows = [[MORE_BUTTON.button(button_label(text), doc, index)] for doc, index, text, _ in more]
    else:
        rows = [[FAQ_BUTTON.button(button_label(s["question"]), s["id"])] for s in out.suggestions]
    if out.section is not None:
        with contextlib.suppress(ButtonDataError):  # a section id too long for a button: no button
            rows.insert(0, [SECTION_BUTTON.button(BUTTON_WHOLE_SECTION, *out.section)])
    if out.status == SUGGEST and not out.source and rows:
        # Choices only: the question's lead, then the choices as buttons (not listed twice).
        return Reply(out.text.split("\n", 1)[0], buttons=rows)
    parts = [out.text]
    if out.source:
        parts.append(SOURCE.format(cite=out.source))
    if out.more:
        parts.append(MORE)
    elif rows and out.suggestions:
        parts.append(RELATED if out.status in (ANSWER, PASSAGE) else SUGGEST_OTHERS)
    return Reply("\n\n".join(parts), buttons=rows)


async def on_text(app: App, inc: Incoming, args: str) -> list[Reply]:
    """Plain text and /hoi: answer the question (a greeting gets the welcome, thanks a short word)."""
    unit = await app.db.people.unit_of(inc.channel, inc.user_id)
    out = await ask(app, inc.channel, args, unit, inc.chat_id)
    if out.small_talk == "greeting":
        return welcome(inc)
    return [render(out)]


async def on_entry_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """A "did you mean" or topic button: show that FAQ entry."""
    entry = app.content.entry(str(values[0]))
    if entry is None:
        return [Reply(texts.STALE_BUTTON)]
    out = Outcome(
        query=entry.questions[0],
        status=ANSWER,
        id=entry.id,
        score=1.0,
        text=f"❓ {entry.questions[0]}\n\n{entry.answer}",
        source=app.content.cite_entry(entry, app.today()),
    )
    return [render(out)]


async def on_more_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """«Xem thêm»: another passage the question found, whole, with its source."""
    doc = app.content.documents.get(str(values[0]))
    index = int(values[1])
    if doc is None or index >= len(doc.passages):
        return [Reply(texts.STALE_BUTTON)]
    passage = doc.passages[index]
    source = app.content.cite(Source(document=doc.id, section=passage.section), app.today())
    text = f"{passage.lead} — {passage.text}" if passage.lead else passage.text
    return [Reply(f"{text}\n\n{SOURCE.format(cite=source)}")]


async def on_section_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """ "Xem cả mục": the whole section a passage answer came from, with its place in the document."""
    doc = app.content.documents.get(str(values[0]))
    section = next((s for s in doc.sections if s.id == values[1]), None) if doc else None
    if doc is None or section is None:
        return [Reply(texts.STALE_BUTTON)]
    body = "\n\n".join(p.text for p in doc.passages if p.section == section.id)
    path = " › ".join(section.path or [section.title])
    text = WHOLE_SECTION.format(path=path, text=body or section.title)
    source = app.content.cite(Source(document=doc.id, section=section.id), app.today())
    return [Reply(f"{text}\n\n{SOURCE.format(cite=source)}")]


FEATURE = Feature(
    name="ask",
    order=10,
    commands=(Command("hoi", on_text, help=HELP_HOI, menu=MENU_HOI, group_menu=GROUP_MENU_HOI),),
    buttons=(
        Buttons(FAQ_BUTTON, on_entry_button),
        Buttons(SECTION_BUTTON, on_section_button),
        Buttons(MORE_BUTTON, on_more_button),
    ),
)
