"""Filing a report: the one place its rules are checked — the period open for reports, the place within the
reporter's commune (or confirmed), a registered reporter, the same report twice in a day, and who may still
change or withdraw one. The report dialog (``handlers/report.py``) asks; this decides and writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from bot import review, texts, voices
from bot.app import App
from bot.auth import Actor
from bot.clock import parse_stamp, utc_stamp
from bot.errors import LoaError, NotAllowed, NotFound
from bot.store.reports import Report, ReportFields
from bot.units import Unit

# -- what it says --------------------------------------------------------------------------------------------
REPORT_FUTURE_DATE = "Ngày {date} chưa đến. Xin chọn ngày đã tổ chức."
REPORT_OLD_DATE = "Ngày {date} đã quá hạn báo cáo (chỉ nhận từ {start}). Xin liên hệ cán bộ nếu cần bổ sung."
REPORT_NOT_YOURS = "Không tìm thấy báo cáo này trong các báo cáo của đồng chí."
REPORT_ALREADY_WITHDRAWN = "Báo cáo số {id} đã rút, không sửa được nữa."
REPORT_TOO_OLD_TO_CHANGE = "Báo cáo số {id} đã quá 7 ngày, không sửa hay rút được nữa."

CHANGE_DAYS = 7


# -- the period open for reports -----------------------------------------------------------------------------
def quarter_start(day: date, back: int = 0) -> date:
    q = (day.month - 1) // 3 - back
    year = day.year + q // 4
    return date(year, (q % 4) * 3 + 1, 1)


def open_from(app: App) -> date:
    """The first day a report may be filed for: the start of the open period."""
    return quarter_start(app.today(), app.settings.report_open_quarters)


def check_date(app: App, day: date) -> str | None:
    """Why a report may not be filed for ``day`` (in the future, or before the open period), or None."""
    if day > app.today():
        return REPORT_FUTURE_DATE.format(date=day.strftime("%d/%m/%Y"))
    start = open_from(app)
    if day < start:
        return REPORT_OLD_DATE.format(date=day.strftime("%d/%m/%Y"), start=start.strftime("%d/%m/%Y"))
    return None


# -- the place ---------------------------------------------------------------------------------------------
def home_commune(app: App, who: Actor) -> str | None:
    """The commune a reporter belongs to; None for the province's officers and admins."""
    home = app.units.get(who.unit_code)
    if home is None or home.level == "province":
        return None
    return home.commune_code or home.code


def outside(app: App, who: Actor, place: Unit) -> bool:
    """Whether ``place`` lies outside the reporter's commune."""
    commune = home_commune(app, who)
    return commune is not None and (place.commune_code or place.code) != commune


# -- filing ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filing:
    """What the reporter says, as the dialog gathered it."""

    date: str
    form: str
    unit: str
    attendees: int
    topics: list[str]
    concerns: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    report_id: int | None = None  # an edit of this report
    outside_ok: bool = False  # the reporter confirmed a place outside their commune


class Outcome(StrEnum):
    SAVED = "saved"
    UPDATED = "updated"
    DUPLICATE = "duplicate"  # the same report today: asked first
    PLACE_GONE = "place_gone"  # the place is no longer a unit
    PLACE_OUTSIDE = "place_outside"  # outside the reporter's commune: to be confirmed
    BAD_DATE = "bad_date"  # the open period moved on meanwhile (``problem`` says how)


@dataclass(frozen=True)
class Filed:
    outcome: Outcome
    id: int | None = None  # the report saved, updated, or the one it duplicates
    problem: str = ""
    heard: list[voices.Heard] = field(default_factory=list)  # the residents' items, with Loa's answers


async def file_report(app: App, who: Actor, f: Filing, confirmed_duplicate: bool = False) -> Filed:
    """Check every rule as it stands now and save (or update) the report; NotAllowed when ``who`` may not."""
    unit = app.units.get(f.unit)
    if unit is None or unit.level == "province":
        return Filed(Outcome.PLACE_GONE)
    if outside(app, who, unit) and not f.outside_ok:
        return Filed(Outcome.PLACE_OUTSIDE)
    problem = check_date(app, date.fromisoformat(f.date))
    if problem:
        return Filed(Outcome.BAD_DATE, problem=problem)
    if who.user_id is None:
        raise NotAllowed(texts.NOT_REGISTERED)
    fields = ReportFields(
        activity_date=f.date,
        form=f.form,
        unit_code=unit.code,
        # A report counts for the reporter's own commune, wherever it took place.
        commune_code=home_commune(app, who) or unit.commune_code or unit.code,
        place=unit.label,
        attendees=f.attendees,
        topics=list(f.topics),
        concerns=f.concerns,
        extra=dict(f.extra),
    )
    if f.report_id is not None:
        report = await changeable(app, who, f.report_id)
        await app.db.reports.update(f.report_id, fields)
        if report.review == "returned":
            await review.resubmitted(app, f.report_id)
        moved = (report.unit_code, report.activity_date) != (fields.unit_code, fields.activity_date)
        heard = await _heard(
            app, who, fields, f.report_id, changed=moved or report.concerns != fields.concerns
        )
        return Filed(Outcome.UPDATED, f.report_id, heard=heard)
    if not confirmed_duplicate:
        since = utc_stamp(app.clock() - timedelta(days=1))
        twin = await app.db.reports.same(who.user_id, f.date, unit.code, f.form, since)
        if twin is not None:
            return Filed(Outcome.DUPLICATE, twin.id)
    report_id = await app.db.reports.add(who.user_id, fields)
    return Filed(Outcome.SAVED, report_id, heard=await _heard(app, who, fields, report_id))


async def _heard(
    app: App, who: Actor, fields: ReportFields, report_id: int, changed: bool = True
) -> list[voices.Heard]:
    """The report's residents' step, captured as residents' voice (again when an edit changed it, the place or
    the date; an edit that left them alone: nothing)."""
    if not changed:
        return []
    day = date.fromisoformat(fields.activity_date)
    return await voices.capture(app, who, fields.concerns, "report", fields.unit_code, day, report_id)


# -- changing one's report ---------------------------------------------------------------------------------
def change_refusal(app: App, who: Actor, report: Report | None) -> LoaError | None:
    """Why ``who`` may not edit or withdraw ``report`` now, or None."""
    if report is None or report.user_id != who.user_id:
        return NotFound(REPORT_NOT_YOURS)
    if report.status == "withdrawn":
        return NotAllowed(REPORT_ALREADY_WITHDRAWN.format(id=report.id))
    created = parse_stamp(report.created_at)
    # A returned report is open to correction however old it is: it was returned to be corrected.
    if report.review != "returned" and app.clock() - created > timedelta(days=CHANGE_DAYS):
        return NotAllowed(REPORT_TOO_OLD_TO_CHANGE.format(id=report.id))
    return None


async def changeable(app: App, who: Actor, report_id: int) -> Report:
    """``who``'s report ``report_id`` if they may still change it; NotFound or NotAllowed with the line."""
    report = await app.db.reports.get(report_id)
    refusal = change_refusal(app, who, report)
    if refusal is not None or report is None:
        raise refusal or NotFound(REPORT_NOT_YOURS)
    return report


async def withdraw(app: App, who: Actor, report_id: int) -> None:
    """Withdraw ``who``'s report (no longer counted); audited."""
    await changeable(app, who, report_id)
    await app.db.reports.withdraw(report_id)
    await app.db.voices.withdraw_report(report_id)
    await app.db.audit.add(who.key, "report.withdraw", {"id": report_id})
