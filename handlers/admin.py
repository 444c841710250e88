"""Officers and admins: /thongke (totals and a chart), /xuat (XLSX or CSV), /phatthanh.

The router checks the role each command declares, on every call, against the store; here an officer sees
only their scope, and every officer action goes into the audit log.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from bot import reports, texts
from bot.app import App
from bot.auth import OFFICER, Actor, actor_of
from bot.content import Audience
from bot.core import Attachment, Incoming, Reply
from bot.dialog import Dialog, Finish, Step, Turn
from bot.feature import Command, Feature
from scheduler import audience as audiences
from scheduler import broadcast

UNANSWERED_SHOWN = 10
MAX_BROADCAST = 3500  # characters: one Telegram message (4,096) with room for the header it goes out with


async def on_stats(app: App, inc: Incoming, args: str) -> list[Reply]:
    who = await actor_of(app, inc)
    try:
        period = reports.period_of(args, app.today())
    except reports.PeriodError as exc:
        return [Reply(str(exc))]
    stats = await reports.compute(app, period, who.unit_code or "")
    await app.db.audit.add(who.key, "report.stats", {"period": period.key, "scope": stats.scope_code})
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
    stats = await reports.compute(app, period, who.unit_code or "")
    content = reports.csv_bytes(app, stats) if as_csv else reports.xlsx_bytes(app, stats)
    name = reports.file_name(stats, "csv" if as_csv else "xlsx")
    await app.db.audit.add(
        who.key,
        "report.export",
        {"period": period.key, "scope": stats.scope_code, "format": "csv" if as_csv else "xlsx"},
    )
    caption = texts.EXPORT_CAPTION.format(
        period=period.label, scope=stats.scope_label, sessions=stats.sessions, attendees=stats.attendees
    )
    return [Reply(caption, attachment=Attachment(name, content, "document", caption=caption))]


# -- /phatthanh ---------------------------------------------------------------------------------------------
BROADCAST_FLOW = "broadcast"
_AT_RE = re.compile(r"^(\d{1,2})[:h](\d{2})(?:\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)?\s+(.+)$", re.DOTALL)


@dataclass
class BroadcastDraft:
    text: str = ""
    at: str = ""
    units: list[str] = field(default_factory=list)
    everyone: bool = False
    count: int = 0  # recipients when the officer asked; the queued message says how many it went to


def _prompt_confirm(turn: Turn[BroadcastDraft]) -> list[Reply]:
    app, d = turn.app, turn.draft
    at = datetime.fromisoformat(d.at)
    later = at > app.clock()
    when = texts.BROADCAST_WHEN.format(at=at.strftime("%H:%M %d/%m/%Y")) if later else ""
    scope = app.units.get(turn.who.unit_code)
    text = texts.BROADCAST_CONFIRM.format(
        count=d.count, scope=scope.name if scope else "", when=when, text=d.text
    )
    label = texts.BUTTON_BROADCAST_SCHEDULE if later else texts.BUTTON_BROADCAST_SEND
    return [Reply(text, buttons=[[turn.button(label, "send"), turn.button(texts.BUTTON_CANCEL, "cancel")]])]


async def _send_pressed(turn: Turn[BroadcastDraft], value: str) -> Finish:
    app, who, d = turn.app, turn.who, turn.draft
    audience = Audience(everyone=d.everyone, units=d.units, vetted=True)
    key = f"adhoc:{who.key}:{uuid.uuid4().hex[:12]}"
    broadcast_id, _ = await broadcast.create(
        app, key, "adhoc", d.text, audience, datetime.fromisoformat(d.at), who.key
    )
    total = await app.db.broadcasts.recipients(broadcast_id)
    await app.db.audit.add(
        who.key, "broadcast.create", {"id": broadcast_id, "at": d.at, "recipients": total, "units": d.units}
    )
    return Finish([Reply(texts.BROADCAST_QUEUED.format(count=total, id=broadcast_id))])


async def _cancel_pressed(turn: Turn[BroadcastDraft], value: str) -> Finish:
    return Finish([Reply(texts.BROADCAST_CANCELLED)])


BROADCAST_DIALOG: Dialog[BroadcastDraft] = Dialog(
    name=BROADCAST_FLOW,
    prefix="bc",
    draft=BroadcastDraft,
    title=texts.BROADCAST_TITLE,
    command="phatthanh",
    cancelled=texts.BROADCAST_CANCELLED,
    role=OFFICER,
    steps={
        "confirm": Step(
            _prompt_confirm,
            texts.BROADCAST_STEP_CONFIRM,
            buttons={"send": _send_pressed, "cancel": _cancel_pressed},
        )
    },
)


async def _status(app: App, who: Actor) -> list[Reply]:
    rows = await audiences.followed(app, who, 5)
    if not rows:
        return [Reply(texts.BROADCAST_NONE_YET)]
    lines = [texts.BROADCAST_STATUS_HEADER] + [texts.BROADCAST_STATUS_LINE.format(**vars(r)) for r in rows]
    return [Reply("\n".join(lines))]


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
        return [Reply(texts.BROADCAST_USAGE)]
    at, text = parsed
    if len(text) < 5:
        return [Reply(texts.BROADCAST_USAGE)]
    if len(text) > MAX_BROADCAST:
        return [Reply(texts.BROADCAST_TOO_LONG.format(length=len(text), limit=MAX_BROADCAST))]
    audience = audiences.of_officer(app, who)
    count = len(await audiences.select(app, audience))
    if count == 0:
        return [Reply(texts.BROADCAST_NOBODY)]
    draft = BroadcastDraft(
        text=text, at=at.isoformat(), units=audience.units, everyone=audience.everyone, count=count
    )
    return await engine().start(app, inc, BROADCAST_DIALOG, draft, "confirm", who=who)


FEATURE = Feature(
    name="admin",
    order=80,
    commands=(
        Command("thongke", on_stats, role=OFFICER, private=True, bare=("thongke",), help=texts.HELP_THONGKE),
        Command("xuat", on_export, role=OFFICER, private=True, bare=("xuat",), help=texts.HELP_XUAT),
        Command("phatthanh", on_broadcast, role=OFFICER, private=True, help=texts.HELP_PHATTHANH),
    ),
    dialog=BROADCAST_DIALOG,
)  # fmt: skip
