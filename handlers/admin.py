"""Officers and admins: /thongke (totals and a chart), /xuat (XLSX or CSV), /phatthanh.

The router checks the role each command declares, on every call, against the store; here an officer sees
only their scope, and every officer action goes into the audit log.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import audience as audiences
from bot import outbox, reports, texts
from bot.app import App
from bot.auth import OFFICER, Actor, actor_of
from bot.buttons import ButtonData, Int
from bot.core import Attachment, Incoming, Reply
from bot.dialog import Dialog, Finish, Step, Turn
from bot.errors import LoaError
from bot.feature import Buttons, Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_THONGKE = "• /thongke [quy|thang|nam] — thống kê trong phạm vi phụ trách, biểu đồ, ai chưa báo cáo."
HELP_XUAT = "• /xuat [quy N/NNNN] [csv] — tệp báo cáo XLSX hoặc CSV."
HELP_PHATTHANH = "• /phatthanh nội dung — phát tin tới phạm vi phụ trách (gõ riêng /phatthanh: tiến độ)."
EXPORT_CAPTION = "Báo cáo tuyên truyền {period}, {scope}: {sessions} buổi, {attendees} người dự."
BROADCAST_USAGE = "Cách dùng: /phatthanh nội dung, hoặc /phatthanh 19:30 25/12 nội dung (gửi vào giờ đã hẹn)."
BROADCAST_CONFIRM = "Gửi tin này tới {count} nơi nhận ({scope}){when}?\n\n{text}"
BROADCAST_WHEN = " vào {at}"
BROADCAST_STATUS_HEADER = "Tin đã phát gần đây:"
BUTTON_BROADCAST_TAKE_BACK = "🚫 Hủy tin #{id}"
CANCEL_BUTTON = ButtonData("bx", [Int(1, 10**12)])
BUTTON_BROADCAST_SEND = "📣 Gửi ngay"
BUTTON_BROADCAST_SCHEDULE = "📣 Hẹn giờ gửi"
BROADCAST_CANCELLED = "Đã hủy, không gửi gì."
BROADCAST_TITLE = "phát tin"
BROADCAST_STEP_CONFIRM = "Gửi tin đã soạn?"

UNANSWERED_SHOWN = 10


async def on_stats(app: App, inc: Incoming, args: str) -> list[Reply]:
    who = await actor_of(app, inc)
    try:
        period = reports.period_of(args, app.today())
    except reports.PeriodError as exc:
        return [Reply(str(exc))]
    stats = await reports.stats_for(app, who, period)
    replies = [Reply(reports.as_text(stats))]
    if stats.reports:
        chart = Attachment(
            reports.file_name(stats, "png"),
            reports.chart_png(stats),
            "photo",
            caption=texts.CHART_TITLE.format(period=period.label),
        )
        replies.append(Reply("", attachment=chart))
    return replies


async def on_export(app: App, inc: Incoming, args: str) -> list[Reply]:
    who = await actor_of(app, inc)
    words = args.split()
    as_csv = "csv" in (w.lower() for w in words)
    try:
        period = reports.period_of(
            " ".join(w for w in words if w.lower() not in ("csv", "xlsx")), app.today()
        )
    except reports.PeriodError:
        return [Reply(texts.EXPORT_USAGE)]
    made = await reports.export(app, who, period, "csv" if as_csv else "xlsx")
    stats = made.stats
    caption = EXPORT_CAPTION.format(
        period=period.label, scope=stats.scope_label, sessions=stats.sessions, attendees=stats.attendees
    )
    return [Reply(caption, attachment=Attachment(made.name, made.content, "document", caption=caption))]


# -- /phatthanh ---------------------------------------------------------------------------------------------
BROADCAST_FLOW = "broadcast"
_AT_RE = re.compile(r"^(\d{1,2})[:h](\d{2})(?:\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)?\s+(.+)$", re.DOTALL)


@dataclass
class BroadcastDraft:
    text: str = ""
    at: str = ""
    count: int = 0  # recipients when the officer asked; the queued message says how many it went to


def _prompt_confirm(turn: Turn[BroadcastDraft]) -> list[Reply]:
    app, d = turn.app, turn.draft
    at = datetime.fromisoformat(d.at)
    later = at > app.clock()
    when = BROADCAST_WHEN.format(at=at.strftime("%H:%M %d/%m/%Y")) if later else ""
    scope = app.units.get(turn.who.unit_code)
    text = BROADCAST_CONFIRM.format(count=d.count, scope=scope.name if scope else "", when=when, text=d.text)
    label = BUTTON_BROADCAST_SCHEDULE if later else BUTTON_BROADCAST_SEND
    return [Reply(text, buttons=[[turn.button(label, "send"), turn.button(texts.BUTTON_CANCEL, "cancel")]])]


async def _send_pressed(turn: Turn[BroadcastDraft], value: str) -> Finish:
    key = f"adhoc:{turn.who.key}:{uuid.uuid4().hex[:12]}"
    try:
        queued = await outbox.queue(
            turn.app, turn.who, turn.draft.text, key, datetime.fromisoformat(turn.draft.at)
        )
    except LoaError as exc:
        return Finish([Reply(exc.message)])
    return Finish([Reply(texts.BROADCAST_QUEUED.format(count=queued.count, id=queued.id))])


async def _cancel_pressed(turn: Turn[BroadcastDraft], value: str) -> Finish:
    return Finish([Reply(BROADCAST_CANCELLED)])


BROADCAST_DIALOG: Dialog[BroadcastDraft] = Dialog(
    name=BROADCAST_FLOW,
    prefix="bc",
    draft=BroadcastDraft,
    title=BROADCAST_TITLE,
    command="phatthanh",
    cancelled=BROADCAST_CANCELLED,
    role=OFFICER,
    steps={
        "confirm": Step(
            _prompt_confirm,
            BROADCAST_STEP_CONFIRM,
            buttons={"send": _send_pressed, "cancel": _cancel_pressed},
        )
    },
)


async def _status(app: App, who: Actor) -> list[Reply]:
    rows = await audiences.followed(app, who, 5)
    if not rows:
        return [Reply(texts.BROADCAST_NONE_YET)]
    lines = [BROADCAST_STATUS_HEADER] + [outbox.line(app, r) for r in rows]
    buttons = [[CANCEL_BUTTON.button(BUTTON_BROADCAST_TAKE_BACK.format(id=r.id), r.id)]
               for r in rows if await outbox.may_cancel(app, who, r)]  # fmt: skip
    return [Reply("\n".join(lines), buttons=buttons)]


async def on_cancel_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """«Hủy tin #N»: what has not gone is withdrawn, what went is told."""
    who = await actor_of(app, inc)
    try:
        done = await outbox.cancel(app, who, int(values[0]))
    except LoaError as exc:
        return [Reply(exc.message)]
    return [Reply(done.said)]


def _when(text: str, now: datetime) -> tuple[datetime, str] | None:
    """(send time, message) of "[HH:MM [dd/mm[/yyyy]]] message"; None when the time cannot be."""
    m = _AT_RE.match(text)
    if not m:
        return now, text
    try:
        at = now.replace(
            year=int(m.group(5) or now.year),
            month=int(m.group(4) or now.month),
            day=int(m.group(3) or now.day),
            hour=int(m.group(1)),
            minute=int(m.group(2)),
            second=0,
            microsecond=0,
        )
    except ValueError:
        return None
    return max(at, now), m.group(6).strip()


async def on_broadcast(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/phatthanh [giờ [ngày]] nội dung — an officer's message to their scope, after a confirmation tap."""
    from handlers.dialogs import engine

    who = await actor_of(app, inc)
    if not args.strip():
        return await _status(app, who)
    now = app.clock()
    parsed = _when(args.strip(), now)
    if parsed is None:
        return [Reply(BROADCAST_USAGE)]
    at, text = parsed
    try:
        ok = await outbox.check(app, who, text, at)
    except LoaError as exc:
        return [Reply(exc.message)]
    draft = BroadcastDraft(text=ok.text, at=ok.at.isoformat(), count=ok.count)
    return await engine().start(app, inc, BROADCAST_DIALOG, draft, "confirm", who=who)


FEATURE = Feature(
    name="admin",
    order=80,
    commands=(
        Command("thongke", on_stats, role=OFFICER, private=True, bare=("thongke",), help=HELP_THONGKE),
        Command("xuat", on_export, role=OFFICER, private=True, bare=("xuat",), help=HELP_XUAT),
        Command("phatthanh", on_broadcast, role=OFFICER, private=True, help=HELP_PHATTHANH),
    ),
    buttons=(Buttons(CANCEL_BUTTON, on_cancel_button, role=OFFICER, private=True),),
    dialog=BROADCAST_DIALOG,
)  # fmt: skip
