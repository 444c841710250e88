"""Reminders that respect people (RapidPro's rule: remind only those who have not acted).

- Before a quarter ends (days in content/reminders.yaml), the propagandists with no report in the quarter so
  far get one reminder — never those who reported; an officer can send it now to the non-reporters of their
  scope (/nhacbaocao) after seeing how many.
- Each week (Monday morning by default) every officer gets a digest of their scope — the week's reports by
  commune, who has been silent 30 days, the questions waiting in the inbox — unless they said /huynhan.

Everything goes through the broadcast engine with an idempotency key per quarter, day or week, so a restart,
a second worker or a second press never sends twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from bot import inbox, outbox, texts
from bot.app import App
from bot.clock import utc_stamp
from bot.reports import Period, period_of
from bot.store.people import User

# -- what it says --------------------------------------------------------------------------------------------
DIGEST_HEADER = "🗞 Bản tin tuần của {scope} ({start}–{end}):"
DIGEST_COMMUNE = "• {name}: {sessions} buổi, {attendees} người dự"
DIGEST_NO_REPORTS = "• Tuần qua chưa có báo cáo nào."
DIGEST_SILENT = "Im lặng {days} ngày ({count}): {names}"
DIGEST_NONE_SILENT = "Không ai im lặng quá {days} ngày."
SAY_DIGEST_QUESTIONS = "Câu hỏi đang chờ trả lời (/chuatraloi):"
DIGEST_QUESTION = "• «{question}» — {count} lần"
DIGEST_SUMMARY = "(bản tin tuần {week})"

DIGEST_QUESTIONS = 3


def quarter_of(day: date) -> Period:
    return period_of(f"{day.year}Q{(day.month - 1) // 3 + 1}", day)


async def non_reporters(app: App, period: Period, scope: str) -> list[User]:
    """Propagandists of the scope with no report (withdrawn ones aside) dated in the period."""
    return await _quiet(app, scope, period.start, period.end)


async def _quiet(app: App, scope: str, start: date, end: date) -> list[User]:
    rows = await app.db.reports.listing(start.isoformat(), end.isoformat())
    reported = {r.user_id for r in rows if r.state != "withdrawn"}
    return [
        u
        for u in await app.db.people.propagandists()
        if u.id not in reported and u.unit_code and app.units.in_scope(u.unit_code, scope)
    ]


async def remind(app: App, people: list[User], key: str, by: str, period: Period) -> tuple[int, int]:
    """The quarter-end reminder to ``people``'s private chats, once per ``key``; (broadcast, chats)."""
    text = app.content.reminders.quarter_end.text or texts.REMIND_DEFAULT
    text = text.format(quarter=period.label, last_day=period.end.strftime("%d/%m/%Y"))
    chats = await app.db.people.private_chat_ids([u.id for u in people])
    broadcast_id, _ = await app.db.broadcasts.create(
        key, "adhoc", text, {"reminder": period.key}, utc_stamp(app.clock()), by, chats
    )
    return broadcast_id, await app.db.broadcasts.recipients(broadcast_id)


def _at(app: App, day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=app.settings.zone)


async def quarter_end(app: App) -> int | None:
    """Today's quarter-end reminder if one is due (and past its time); how many chats, or None."""
    now = app.clock()
    today = now.date()
    rule = app.content.reminders.quarter_end
    period = quarter_of(today)
    days_left = (period.end - today).days
    if days_left not in rule.days_before or now < _at(app, today, rule.send_time):
        return None
    top = getattr(app.units, "province", None)
    province = top.code if top is not None else ""
    people = await non_reporters(app, period, province)
    _, count = await remind(app, people, f"remind:{period.key}:{days_left}", "scheduler", period)
    detail = {"period": period.key, "days_left": days_left, "recipients": count}
    await app.db.audit.add("scheduler", "remind.quarter", detail)
    return count


async def digest_text(app: App, officer: User, today: date) -> str:
    """One officer's week, of their scope."""
    scope = officer.unit_code or ""
    unit = app.units.get(scope)
    week_start = today - timedelta(days=7)
    rows = await app.db.reports.listing(week_start.isoformat(), (today - timedelta(days=1)).isoformat())
    rows = [
        r for r in rows if r.state != "withdrawn" and app.units.in_scope(r.commune_code or r.unit_code, scope)
    ]
    sessions: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for r in rows:
        sessions[r.commune_code] += 1
        people[r.commune_code] += r.attendees
    last = today - timedelta(days=1)
    header = DIGEST_HEADER.format(
        scope=unit.name if unit else scope, start=week_start.strftime("%d/%m"), end=last.strftime("%d/%m")
    )
    lines = [header]
    if rows:
        for code, n in sessions.most_common():
            commune = app.units.get(code)
            name = commune.name if commune else code
            lines.append(DIGEST_COMMUNE.format(name=name, sessions=n, attendees=people[code]))
    else:
        lines.append(DIGEST_NO_REPORTS)
    days = app.content.reminders.weekly_digest.silent_days
    quiet = await _quiet(app, scope, today - timedelta(days=days), today)
    lines.append("")
    lines.append(
        DIGEST_SILENT.format(days=days, count=len(quiet), names=", ".join(u.name for u in quiet[:15]))
        if quiet
        else DIGEST_NONE_SILENT.format(days=days)
    )
    groups = (await inbox.open_groups(app, scope, shown=DIGEST_QUESTIONS))[:DIGEST_QUESTIONS]
    if groups:
        lines.append("")
        lines.append(SAY_DIGEST_QUESTIONS)
        lines += [DIGEST_QUESTION.format(question=g.questions[0], count=g.count) for g in groups]
    return "\n".join(lines)


async def weekly_digest(app: App) -> int | None:
    """This week's digest to every officer who wants it, if today is its day and its time has come."""
    now = app.clock()
    rule = app.content.reminders.weekly_digest
    today = now.date()
    if today.weekday() != rule.weekday or now < _at(app, today, rule.send_time):
        return None
    year, week, _ = today.isocalendar()
    notices: dict[tuple[str, str], str] = {}
    for officer in await app.db.people.digest_readers():
        chat = await app.db.people.private_chat_of(officer.channel, officer.external_id)
        notices[(officer.channel, chat)] = await digest_text(app, officer, today)
    _, count = await outbox.notify(
        app, f"digest:{year}W{week:02d}", notices, "scheduler", DIGEST_SUMMARY.format(week=week)
    )
    return count
