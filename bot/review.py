"""Review of reports (ODK Central's review states are the model): submitted → accepted, or returned with a
reason → submitted again when its reporter edits it. The reporter is told of a return at once, with a «Sửa»
choice that opens the edit flow; the officer who returned it is told when it comes back. Notices go through
the broadcast engine (paced, once, blocked chats skipped), so a running `loa run` delivers those made from the
command line too.
"""

from __future__ import annotations

from datetime import date

from bot import outbox, texts
from bot.app import App
from bot.buttons import ButtonData, Choice, Int
from bot.core import Reply
from bot.errors import LoaError
from bot.store.reports import Report

# -- what it says --------------------------------------------------------------------------------------------
REVIEW_NOT_WAITING = "Báo cáo số {id} không chờ duyệt (đang: {state})"
REVIEW_REASON_SHORT = "Lý do trả lại cần ít nhất {count} ký tự"
REVIEW_REASON_LONG = "Lý do trả lại dài quá {count} ký tự; xin viết gọn"
REVIEW_DESCRIBE = "{date}, {form}, {attendees} người, {place}"
REVIEW_RETURNED_NOTICE = (
    "↩️ Báo cáo số {id} ({what}) được trả lại để sửa.\nLý do: {reason}\n\nBấm «Sửa» để sửa rồi gửi lại."
)
REVIEW_RESUBMITTED_NOTICE = "🔁 Báo cáo số {id} của {reporter} ({what}) đã được sửa và gửi lại."
REVIEW_NOTICE_SUMMARY = "(thông báo về báo cáo số {id})"
BUTTON_FIX_REPORT = "✏️ Sửa"

# The buttons a notice carries: the reporter's «Sửa» (the /baocaocuatoi edit) and the officer's review.
EDIT_BUTTON = ButtonData("rm", [Choice("edit", "wd", "wdy"), Int(1, 10**12)])
REVIEW_BUTTON = ButtonData("rv", [Choice("ok", "back", "page"), Int(0, 10**12)])
MIN_REASON = 5
MAX_REASON = 500


class ReviewError(LoaError):
    """A review that cannot be done; the message is one line."""


def in_scope(app: App, report: Report, scope: str | None) -> bool:
    """Whether an officer of ``scope`` (None: the command line, everything) reviews this report."""
    return scope is None or app.units.in_scope(report.commune_code or report.unit_code, scope)


async def waiting(app: App, scope: str | None) -> list[Report]:
    """Submitted reports of the scope, the oldest first (by the day held, as /duyet says)."""
    return [r for r in await app.db.reports.submitted() if in_scope(app, r, scope)]


async def _reviewable(app: App, report_id: int, scope: str | None) -> Report:
    report = await app.db.reports.with_reporter(report_id)
    if report is None or not in_scope(app, report, scope):
        raise ReviewError(texts.REVIEW_NO_REPORT.format(id=report_id))
    if report.state != "submitted":
        raise _not_waiting(report_id, report.state)
    return report


def _not_waiting(report_id: int, state: str) -> ReviewError:
    return ReviewError(REVIEW_NOT_WAITING.format(id=report_id, state=texts.REVIEW_STATES[state]))


async def accept(app: App, report_id: int, by: str, scope: str | None) -> Report:
    report = await _reviewable(app, report_id, scope)
    if not await app.db.reports.review_as(report_id, "accepted", by):
        raise _not_waiting(report_id, "accepted")
    await app.db.audit.add(by, "report.accept", {"id": report_id})
    return report


async def send_back(app: App, report_id: int, reason: str, by: str, scope: str | None) -> Report:
    """Return a report with a reason; its reporter is told, with a «Sửa» choice."""
    reason = " ".join(reason.replace("\ufffd", " ").split())
    if len(reason) < MIN_REASON or not any(c.isalpha() for c in reason):
        raise ReviewError(REVIEW_REASON_SHORT.format(count=MIN_REASON))
    if len(reason) > MAX_REASON:
        raise ReviewError(REVIEW_REASON_LONG.format(count=MAX_REASON))
    report = await _reviewable(app, report_id, scope)
    if not await app.db.reports.review_as(report_id, "returned", by, reason):
        raise _not_waiting(report_id, "returned")
    await app.db.audit.add(by, "report.return", {"id": report_id, "reason": reason})
    notice = Reply(
        REVIEW_RETURNED_NOTICE.format(id=report_id, what=describe(app, report), reason=reason),
        buttons=[[EDIT_BUTTON.button(BUTTON_FIX_REPORT, "edit", report_id)]],
    )
    stamp = app.db.clock.stamp()
    chat = await app.db.people.private_chat_of(report.reporter_channel, report.reporter_id)
    await outbox.notify(
        app,
        f"review:return:{report_id}:{stamp}",
        {(report.reporter_channel, chat): notice},
        by,
        REVIEW_NOTICE_SUMMARY.format(id=report_id),
    )
    return report


async def resubmitted(app: App, report_id: int) -> None:
    """A returned report edited by its reporter: the officer who returned it is told."""
    report = await app.db.reports.with_reporter(report_id)
    if report is None or not report.returned_by or ":" not in report.returned_by:
        return
    channel, _, officer = report.returned_by.partition(":")
    notice = Reply(
        REVIEW_RESUBMITTED_NOTICE.format(id=report_id, what=describe(app, report), reporter=report.reporter),
        buttons=[
            [
                REVIEW_BUTTON.button(texts.BUTTON_REVIEW_ACCEPT.format(id=report_id), "ok", report_id),
                REVIEW_BUTTON.button(texts.BUTTON_REVIEW_RETURN.format(id=report_id), "back", report_id),
            ]
        ],
    )
    reporter = f"{report.reporter_channel}:{report.reporter_id}"
    await app.db.audit.add(reporter, "report.resubmit", {"id": report_id})
    chat = await app.db.people.private_chat_of(channel, officer)
    await outbox.notify(
        app,
        f"review:resubmit:{report_id}:{app.db.clock.stamp()}",
        {(channel, chat): notice},
        "loa",
        REVIEW_NOTICE_SUMMARY.format(id=report_id),
    )


def describe(app: App, report: Report) -> str:
    """ "14/03/2024, Họp thôn, bản, 45 người, Bản Nà Tăm" — a report in one line."""
    forms = {f.id: f.label for f in app.content.report_forms}
    day = date.fromisoformat(report.activity_date).strftime("%d/%m/%Y")
    return REVIEW_DESCRIBE.format(
        date=day, form=forms.get(report.form, report.form), attendees=report.attendees, place=report.place
    )
