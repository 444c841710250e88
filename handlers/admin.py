"""Officers and admins: /thongke (totals and a chart), /xuat (XLSX or CSV), /chuatraloi (inbox).

Authorisation is checked here on every call against the store; an officer sees only their scope, and every
officer action goes into the audit log.
"""

from __future__ import annotations

from datetime import timedelta

from bot import reports, texts
from bot.app import App
from bot.auth import OFFICER, Actor, actor_of
from bot.core import Attachment, Incoming, Reply


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
