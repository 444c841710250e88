"""Officers and admins: /thongke (totals and a chart), /xuat (XLSX or CSV), /chuatraloi (inbox).

Authorisation is checked here on every call against the store; an officer sees only their scope, and every
officer action goes into the audit log.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from bot import reports, texts
from bot.app import App
from bot.auth import OFFICER, Actor, actor_of
from bot.content import Audience
from bot.core import Attachment, Button, Incoming, Reply
from bot.store import DialogState
from scheduler import audience as audiences
from scheduler import broadcast


async def _officer(app: App, inc: Incoming, command: str) -> tuple[Actor | None, list[Reply]]:
    who = await actor_of(app, inc)
    if not who.at_least(OFFICER) or not who.unit_code:
        return None, [Reply(texts.NOT_ALLOWED.format(command=command, role=texts.ROLE_NAMES[OFFICER]))]
    return who, []


async def on_stats(app: App, inc: Incoming, args: str) -> list[Reply]:
    who, refusal = await _officer(app, inc, "/thongke")
    if who is None:
        return refusal
    try:
        period = reports.period_of(args, app.today())
    except reports.PeriodError as exc:
        return [Reply(str(exc))]
    stats = await reports.compute(app, period, who.unit_code or "")
    await app.store.audit(who.key, "report.stats", {"period": period.key, "scope": stats.scope_code})
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
    who, refusal = await _officer(app, inc, "/xuat")
    if who is None:
        return refusal
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
    await app.store.audit(
        who.key,
        "report.export",
        {"period": period.key, "scope": stats.scope_code, "format": "csv" if as_csv else "xlsx"},
    )
    caption = texts.EXPORT_CAPTION.format(
        period=period.label, scope=stats.scope_label, sessions=stats.sessions, attendees=stats.attendees
    )
    return [Reply(caption, attachment=Attachment(name, content, "document", caption=caption))]


async def on_unanswered(app: App, inc: Incoming, args: str) -> list[Reply]:
    who, refusal = await _officer(app, inc, "/chuatraloi")
    if who is None:
        return refusal
    try:
        period = reports.period_of(args or "quy", app.today())
    except reports.PeriodError as exc:
        return [Reply(str(exc))]
    since = period.start.isoformat()
    rows = [
        r
        for r in await app.store.unanswered(since)
        if r["last_asked"][:10] <= (period.end + timedelta(days=1)).isoformat()
    ]
    await app.store.audit(who.key, "questions.unanswered", {"period": period.key})
    if not rows:
        return [Reply(texts.UNANSWERED_EMPTY.format(period=period.label))]
    lines = [texts.UNANSWERED_HEADER.format(period=period.label)]
    lines += [
        texts.UNANSWERED_LINE.format(i=i, example=r["example"], times=r["times"])
        for i, r in enumerate(rows, 1)
    ]
    return [Reply("\n".join(lines))]


# -- /phatthanh ---------------------------------------------------------------------------------------------
BROADCAST_FLOW = "broadcast"
_AT_RE = re.compile(r"^(\d{1,2})[:h](\d{2})(?:\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)?\s+(.+)$", re.DOTALL)


def _audience(app: App, who: Actor) -> Audience:
    unit = app.units.get(who.unit_code)
    if unit is None or unit.level == "province":
        return Audience(everyone=True)
    return Audience(units=[unit.code])


async def on_broadcast(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/phatthanh [giờ [ngày]] nội dung — an officer's message to their scope, after a confirmation tap."""
    who, refusal = await _officer(app, inc, "/phatthanh")
    if who is None:
        return refusal
    if not args.strip():
        rows = await broadcast.status(app, limit=5)
        if not rows:
            return [Reply(texts.BROADCAST_NONE_YET)]
        lines = [texts.BROADCAST_STATUS_HEADER] + [texts.BROADCAST_STATUS_LINE.format(**r) for r in rows]
        return [Reply("\n".join(lines))]
    now = app.clock()
    at = now
    text = args.strip()
    m = _AT_RE.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        day = int(m.group(3) or now.day)
        month = int(m.group(4) or now.month)
        year = int(m.group(5) or now.year)
        try:
            at = now.replace(
                year=year, month=month, day=day, hour=hour, minute=minute, second=0, microsecond=0
            )
        except ValueError:
            return [Reply(texts.BROADCAST_USAGE)]
        text = m.group(6).strip()
        if at < now:
            at = now
    if len(text) < 5:
        return [Reply(texts.BROADCAST_USAGE)]
    audience = _audience(app, who)
    count = len(await audiences.select(app, audience))
    if count == 0:
        return [Reply(texts.BROADCAST_NOBODY)]
    data = {"text": text[:3500], "at": at.isoformat(), "units": audience.units, "everyone": audience.everyone}
    await app.store.set_dialog(
        inc.channel, inc.chat_id, inc.user_id, DialogState(BROADCAST_FLOW, "confirm", data)
    )
    when = texts.BROADCAST_WHEN.format(at=at.strftime("%H:%M %d/%m/%Y")) if at > now else ""
    scope = app.units.get(who.unit_code)
    button = texts.BUTTON_BROADCAST_SCHEDULE if at > now else texts.BUTTON_BROADCAST_SEND
    return [
        Reply(
            texts.BROADCAST_CONFIRM.format(
                count=count, scope=scope.name if scope else "", when=when, text=text
            ),
            buttons=[[Button(button, "bc:send"), Button(texts.BUTTON_CANCEL, "bc:cancel")]],
        )
    ]


async def on_broadcast_button(app: App, inc: Incoming, arg: str) -> list[Reply]:
    who, refusal = await _officer(app, inc, "/phatthanh")
    if who is None:
        return refusal
    state = await app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
    if state is None or state.flow != BROADCAST_FLOW:
        return [Reply(texts.BROADCAST_EXPIRED)]
    if arg == "cancel":
        await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
        return [Reply(texts.BROADCAST_CANCELLED)]
    data = state.data
    audience = Audience(everyone=data["everyone"], units=data["units"])
    at = datetime.fromisoformat(data["at"])
    key = f"adhoc:{who.key}:{uuid.uuid4().hex[:12]}"
    broadcast_id, _ = await broadcast.create(app, key, "adhoc", data["text"], audience, at, who.key)
    await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
    total = await broadcast.recipients(app, broadcast_id)
    await app.store.audit(
        who.key,
        "broadcast.create",
        {"id": broadcast_id, "at": data["at"], "recipients": total, "units": data["units"]},
    )
    return [Reply(texts.BROADCAST_QUEUED.format(count=total, id=broadcast_id))]
