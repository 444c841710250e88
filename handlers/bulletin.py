"""/bantin (or «bản tin»): the loudspeaker bulletin of a coming event or a key message, as a script to read
aloud and a voice message (where the channel carries audio)."""

from __future__ import annotations

import logging
from typing import Any

from bot import bulletin
from bot.app import App
from bot.buttons import ButtonData, Choice, Token
from bot.core import Attachment, Incoming, Reply
from bot.errors import LoaError, Unavailable
from bot.feature import Buttons, Command, Feature

log = logging.getLogger(__name__)

# -- what it says --------------------------------------------------------------------------------------------
HELP_BANTIN = "• /bantin [câu hỏi] — bản tin đọc trên loa (chữ, âm thanh): sự kiện, thông điệp, câu trả lời."
MENU_BANTIN = "Bản tin cho loa truyền thanh"
BULLETIN_PICK = "📻 Bản tin cho loa truyền thanh cơ sở: chọn sự kiện sắp tới hoặc một thông điệp."
BULLETIN_NOTHING = "Chưa có sự kiện sắp tới hay thông điệp nào để làm bản tin."
BULLETIN_EVENT = "📅 {title} ({date})"
BULLETIN_MESSAGE = "📌 {title}"
BULLETIN_SCRIPT = "📻 Bản tin «{title}» — đọc khoảng {duration}:\n\n{script}"
BULLETIN_CAPTION = "🔊 Bản tin «{title}» ({duration})"
BULLETIN_NO_AUDIO = "(Chưa làm được tệp âm thanh: {reason} Bản tin ở trên vẫn đọc được.)"

PICK = ButtonData("bt", [Choice("ev", "km"), Token(32)])
SHOWN = 6  # choices of each kind


async def on_bulletin(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/bantin CÂU HỎI: the bulletin of Loa's answer; alone: the coming events and key messages to pick."""
    if args.strip():
        try:
            return await _spoken(app, bulletin.from_source(app, question=args))
        except LoaError as exc:
            return [Reply(exc.message)]
    events = bulletin.for_residents(app)[:SHOWN]
    rows = [[PICK.button(BULLETIN_EVENT.format(title=e.title, date=d.strftime("%d/%m")), "ev", e.id)]
            for e, d in events]  # fmt: skip
    messages = [m for m in app.content.key_messages if _in_force(app, m.source.document)]
    rows += [[PICK.button(BULLETIN_MESSAGE.format(title=m.title), "km", m.id)]
             for m in messages[:SHOWN]]  # fmt: skip
    if not rows:
        return [Reply(BULLETIN_NOTHING)]
    return [Reply(BULLETIN_PICK, buttons=rows)]


def _in_force(app: App, doc_id: str) -> bool:
    """A key message is news only while its document holds."""
    doc = app.content.documents.get(doc_id)
    return doc is not None and doc.state(app.today()) == "current"


async def on_pick(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """One bulletin: its script, and its voice message."""
    kind, chosen = str(values[0]), str(values[1])
    try:
        if kind == "ev":
            events = bulletin.for_residents(app, 366)
            on = next((d for e, d in events if e.id == chosen), app.today())
            made = bulletin.of_event(app.content, chosen, on)
        else:
            made = bulletin.of_key_message(app.content, chosen, app.today())
    except LoaError as exc:
        return [Reply(exc.message)]
    return await _spoken(app, made)


async def _spoken(app: App, made: bulletin.Bulletin) -> list[Reply]:
    """The script, and its voice message (or a line saying why there is none)."""
    text = BULLETIN_SCRIPT.format(title=made.title, duration=made.duration, script=made.script)
    try:
        path = await bulletin.audio(app, made, "ogg")
    except Unavailable as exc:
        log.warning("bulletin audio could not be made")
        return [Reply(f"{text}\n\n{BULLETIN_NO_AUDIO.format(reason=exc.message)}")]
    caption = BULLETIN_CAPTION.format(title=made.title, duration=made.duration)
    voice = Attachment("ban-tin.ogg", path.read_bytes(), kind="voice", caption=caption)
    return [Reply(text), Reply("", attachment=voice)]


FEATURE = Feature(
    name="bulletin",
    order=32,
    commands=(
        Command("bantin", on_bulletin, bare=("bantin",), help=HELP_BANTIN, menu=MENU_BANTIN,
                group_menu=MENU_BANTIN),
    ),
    buttons=(Buttons(PICK, on_pick),),
)  # fmt: skip
