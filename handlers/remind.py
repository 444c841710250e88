"""/nhacbaocao: an officer reminds the propagandists of their scope who have not reported this quarter, after
seeing how many (:mod:`bot.reminders`); pressing twice in a day sends once."""

from __future__ import annotations

from typing import Any

from bot import reminders, texts
from bot.app import App
from bot.auth import OFFICER, actor_of
from bot.buttons import ButtonData, Choice
from bot.core import Incoming, Reply
from bot.feature import Buttons, Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_NHACBAOCAO = "• /nhacbaocao — nhắc những tuyên truyền viên chưa báo cáo quý này."
REMIND_NOBODY = "Mọi tuyên truyền viên trong phạm vi của đồng chí đã báo cáo {quarter}."
REMIND_CONFIRM = "Gửi lời nhắc báo cáo cho {count} tuyên truyền viên chưa báo cáo {quarter}?\n\n«{text}»"
BUTTON_REMIND_SEND = "📨 Gửi nhắc {count} người"
REMIND_QUEUED = "Đã xếp gửi lời nhắc tới {count} nơi; Loa gửi dần theo giới hạn của ứng dụng."
REMIND_ALREADY = "Hôm nay đồng chí đã gửi lời nhắc này rồi ({count} nơi); không gửi lần hai."

REMIND_BUTTON = ButtonData("nb", [Choice("go")])


async def on_remind(app: App, inc: Incoming, args: str) -> list[Reply]:
    who = await actor_of(app, inc)
    period = reminders.quarter_of(app.today())
    people = await reminders.non_reporters(app, period, who.unit_code or "")
    if not people:
        return [Reply(REMIND_NOBODY.format(quarter=period.label))]
    text = (app.content.reminders.quarter_end.text or texts.REMIND_DEFAULT).format(
        quarter=period.label, last_day=period.end.strftime("%d/%m/%Y")
    )
    button = REMIND_BUTTON.button(BUTTON_REMIND_SEND.format(count=len(people)), "go")
    return [Reply(REMIND_CONFIRM.format(count=len(people), quarter=period.label, text=text), [[button]])]


async def on_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    who = await actor_of(app, inc)
    period = reminders.quarter_of(app.today())
    key = f"remind:{period.key}:by:{who.key}:{app.today().isoformat()}"
    sent = await app.db.broadcasts.find(key)
    if sent is not None:
        return [Reply(REMIND_ALREADY.format(count=await app.db.broadcasts.recipients(sent)))]
    people = await reminders.non_reporters(app, period, who.unit_code or "")  # as it stands at the tap
    if not people:
        return [Reply(REMIND_NOBODY.format(quarter=period.label))]
    _, count = await reminders.remind(app, people, key, who.key, period)
    await app.db.audit.add(who.key, "remind.now", {"period": period.key, "recipients": count})
    return [Reply(REMIND_QUEUED.format(count=count), edit=True)]


FEATURE = Feature(
    name="remind",
    order=83,
    commands=(
        Command("nhacbaocao", on_remind, role=OFFICER, private=True, bare=("nhacbaocao",),
                help=HELP_NHACBAOCAO),
    ),
    buttons=(Buttons(REMIND_BUTTON, on_button, role=OFFICER, private=True),),
)  # fmt: skip
