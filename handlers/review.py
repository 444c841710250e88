"""/duyet: an officer reviews the submitted reports of their scope — «Nhận», or «Trả lại» with a reason the
reporter is told at once (:mod:`bot.review`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import review, texts
from bot.app import App
from bot.auth import OFFICER, actor_of
from bot.core import Incoming, Reply
from bot.dialog import Dialog, Finish, Step, Turn
from bot.feature import Buttons, Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_DUYET = "• /duyet — duyệt báo cáo chờ duyệt: nhận, hoặc trả lại kèm lý do."
REVIEW_EMPTY = "Không có báo cáo nào chờ duyệt trong phạm vi của đồng chí."
REVIEW_HEADER = "🗂 {count} báo cáo chờ duyệt (trang {page}/{pages}), buổi cũ nhất trước:"
REVIEW_LINE = "#{id} · {what} · {reporter}"
REVIEW_ASK_REASON = (
    "↩️ Trả lại báo cáo số {id} ({what}). Gõ lý do để người báo cáo sửa (ví dụ: số người dự chưa đúng)."
)
REVIEW_TITLE = "trả lại báo cáo"
REVIEW_CANCELLED = "Đã thôi, báo cáo vẫn chờ duyệt."
REVIEW_STEP_REASON = "Gõ lý do trả lại."

PAGE = 5
BUTTON = review.REVIEW_BUTTON


async def on_review(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/duyet: the first page of reports waiting for review."""
    return await _page(app, inc, 1, edit=False)


async def _page(app: App, inc: Incoming, page: int, edit: bool) -> list[Reply]:
    who = await actor_of(app, inc)
    reports = await review.waiting(app, who.unit_code)
    if not reports:
        return [Reply(REVIEW_EMPTY, edit=edit)]
    pages = -(-len(reports) // PAGE)
    page = min(max(1, page), pages)
    shown = reports[(page - 1) * PAGE : page * PAGE]
    lines = [REVIEW_HEADER.format(count=len(reports), page=page, pages=pages)]
    lines += [REVIEW_LINE.format(id=r.id, what=review.describe(app, r), reporter=r.reporter) for r in shown]
    rows = [
        [
            BUTTON.button(texts.BUTTON_REVIEW_ACCEPT.format(id=r.id), "ok", r.id),
            BUTTON.button(texts.BUTTON_REVIEW_RETURN.format(id=r.id), "back", r.id),
        ]
        for r in shown
    ]
    if page < pages:
        rows.append([BUTTON.button(texts.BUTTON_MORE, "page", page + 1)])
    return [Reply("\n".join(lines), buttons=rows, edit=edit)]


async def on_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """«Nhận», «Trả lại» (asks the reason) and the next page."""
    from handlers.dialogs import engine

    action, number = str(values[0]), int(values[1])
    if action == "page":
        return await _page(app, inc, number, edit=True)
    who = await actor_of(app, inc)
    if action == "ok":
        try:
            await review.accept(app, number, who.key, who.unit_code)
        except review.ReviewError as exc:
            return [Reply(str(exc))]
        return [Reply(texts.REVIEW_ACCEPTED.format(id=number))]
    report = await app.db.reports.with_reporter(number)
    if report is None or not review.in_scope(app, report, who.unit_code) or report.state != "submitted":
        return [Reply(texts.REVIEW_NO_REPORT.format(id=number))]
    draft = ReturnDraft(report=number, what=review.describe(app, report))
    return await engine().start(app, inc, RETURN_DIALOG, draft, "reason", who=who)


@dataclass
class ReturnDraft:
    report: int = 0
    what: str = ""


def _prompt_reason(turn: Turn[ReturnDraft]) -> list[Reply]:
    d = turn.draft
    return [Reply(REVIEW_ASK_REASON.format(id=d.report, what=d.what))]


async def _typed_reason(turn: Turn[ReturnDraft], text: str) -> Finish:
    who = turn.who
    try:
        await review.send_back(turn.app, turn.draft.report, text, who.key, who.unit_code)
    except review.ReviewError as exc:
        return Finish([Reply(str(exc))])
    return Finish([Reply(texts.REVIEW_SENT_BACK.format(id=turn.draft.report))])


RETURN_DIALOG: Dialog[ReturnDraft] = Dialog(
    name="review",
    prefix="rvd",
    draft=ReturnDraft,
    title=REVIEW_TITLE,
    command="duyet",
    cancelled=REVIEW_CANCELLED,
    role=OFFICER,
    steps={"reason": Step(_prompt_reason, REVIEW_STEP_REASON, text=_typed_reason, awaits="answer")},
)

FEATURE = Feature(
    name="review",
    order=81,
    commands=(Command("duyet", on_review, role=OFFICER, private=True, bare=("duyet",), help=HELP_DUYET),),
    buttons=(Buttons(BUTTON, on_button, role=OFFICER, private=True),),
    dialog=RETURN_DIALOG,
)
