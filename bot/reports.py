"""Report statistics and the files officers take away: text totals, a PNG chart, XLSX and CSV.

One computation (:func:`compute`) feeds the chat reply, the chart, the spreadsheet and `loa report stats`,
so the numbers agree everywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot import report_fields, texts
from bot.app import App
from bot.auth import Actor
from bot.errors import BadInput, NotAllowed, NotFound
from bot.store.reports import Report

# -- what it says --------------------------------------------------------------------------------------------
PERIOD_BAD_YEAR = "Năm {year} không hợp lệ: chỉ từ {first} đến {last}"
PERIOD_BAD_QUARTER = "Quý phải từ 1 đến 4, không phải {q}"
PERIOD_BAD_MONTH = "Tháng phải từ 1 đến 12, không phải {month}"
PERIOD_NAMES = {"quy": "Quý {q}/{y}", "thang": "Tháng {m}/{y}", "nam": "Năm {y}"}
STATS_HEADER = "Thống kê tuyên truyền — {period} — {scope}"
STATS_TOTALS = "Tổng: {sessions} buổi, {attendees} lượt người dự, {reporters} người báo cáo."
STATS_BY_COMMUNE = "Theo xã/phường:"
STATS_BY_FORM = "Theo hình thức:"
STATS_BY_TOPIC = "Theo chủ đề:"
STATS_LINE = "• {name}: {sessions} buổi, {attendees} người"
STATS_TOPIC_LINE = "• {name}: {sessions} buổi"
STATS_SILENT = "Chưa báo cáo trong {period} ({count}): {names}"
STATS_ALL_REPORTED = "Mọi tuyên truyền viên trong phạm vi đã báo cáo trong {period}."
STATS_EMPTY = "Chưa có báo cáo nào trong {period} thuộc {scope}."
STATS_USAGE = "Cách dùng: /thongke [quy|thang|nam] hoặc /thongke quy 1/2024"
STATS_OUT_OF_SCOPE = "«{unit}» ngoài phạm vi phụ trách của đồng chí."
CHART_SESSIONS = "Số buổi"
CHART_ATTENDEES = "Người dự (trăm)"
XLSX_SUMMARY_SHEET = "Tổng hợp"
XLSX_REPORTS_SHEET = "Báo cáo"
XLSX_SUMMARY_HEADERS = ["Xã/phường", "Hình thức", "Số buổi", "Số người dự"]
XLSX_REPORT_NUMBER = "Số"
XLSX_REPORTER = "Người báo cáo"
XLSX_STATE = "Trạng thái"
XLSX_TOTAL = "Tổng cộng"
STATS_REVIEW = (
    "Đã nhận {accepted}, chờ duyệt {waiting}; {returned} báo cáo bị trả lại chưa gửi lại (không tính)."
)
XLSX_REVIEW_NOTE = (
    "Tính cả báo cáo đã nhận ({accepted}) và đang chờ duyệt ({waiting}); không tính {returned} báo cáo"
    " bị trả lại chưa gửi lại."
)


class PeriodError(BadInput, ValueError):
    """A period the user typed that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    key: str  # 2024Q1, 2024-03, 2024


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(PERIOD_BAD_YEAR.format(year=year, first=FIRST_YEAR, last=LAST_YEAR))


def quarter(year: int, q: int) -> Period:
    _check_year(year)
    if not 1 <= q <= 4:
        raise PeriodError(PERIOD_BAD_QUARTER.format(q=q))
    start = date(year, 3 * q - 2, 1)
    end = (date(year + (q == 4), (3 * q) % 12 + 1, 1)) - timedelta(days=1)
    return Period(start, end, PERIOD_NAMES["quy"].format(q=q, y=year), f"{year}Q{q}")


def month(year: int, m: int) -> Period:
    _check_year(year)
    if not 1 <= m <= 12:
        raise PeriodError(PERIOD_BAD_MONTH.format(month=m))
    start = date(year, m, 1)
    end = date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end, PERIOD_NAMES["thang"].format(m=m, y=year), f"{year}-{m:02d}")


def previous(period: Period) -> Period | None:
    """The period of the same kind just before (quarter, month or year); None before the first year."""
    before = period.start - timedelta(days=1)
    try:
        if "Q" in period.key:
            return quarter(before.year, (before.month - 1) // 3 + 1)
        if "-" in period.key:
            return month(before.year, before.month)
        return period_of(f"nam {before.year}", before)
    except PeriodError:
        return None


def period_of(arg: str, today: date) -> Period:
    """'quy' / 'thang' / 'nam' (the current one), 'quy 1/2024', '2024Q1', 'thang 3/2024', '2024-03',
    'nam 2023'."""
    text = arg.strip().lower()
    text = text.replace("quý", "quy").replace("tháng", "thang").replace("năm", "nam")
    if m := re.fullmatch(r"(\d{4})\s*q([1-4])", text):
        return quarter(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):  # a month's key, as the console's pickers send it
        return month(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"quy\s*([1-4])\s*[/-]\s*(\d{4})", text):
        return quarter(int(m.group(2)), int(m.group(1)))
    if text in ("", "quy"):
        return quarter(today.year, (today.month - 1) // 3 + 1)
    if text == "thang" or (m := re.fullmatch(r"thang\s*(\d{1,2})\s*[/-]\s*(\d{4})", text)):
        return month(int(m.group(2)), int(m.group(1))) if m else month(today.year, today.month)
    if text == "nam" or (m := re.fullmatch(r"nam\s*(\d{4})", text)):
        year = int(m.group(1)) if m else today.year
        _check_year(year)
        return Period(date(year, 1, 1), date(year, 12, 31), PERIOD_NAMES["nam"].format(y=year), str(year))
    raise PeriodError(STATS_USAGE)


@dataclass
class Stats:
    period: Period
    scope_code: str
    scope_label: str
    reports: list[Report] = field(default_factory=list)
    by_commune: list[tuple[str, str, int, int]] = field(default_factory=list)  # code, name, sessions, people
    by_form: list[tuple[str, int, int]] = field(default_factory=list)  # label, sessions, people
    by_topic: list[tuple[str, int]] = field(default_factory=list)  # title, sessions
    by_commune_form: list[tuple[str, str, int, int]] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    returned: int = 0  # returned reports in the period and scope, not counted until submitted again

    @property
    def accepted(self) -> int:
        return sum(1 for r in self.reports if r.review == "accepted")

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.reports if r.review == "submitted")

    @property
    def sessions(self) -> int:
        return len(self.reports)

    @property
    def attendees(self) -> int:
        return sum(r.attendees for r in self.reports)

    @property
    def reporters(self) -> int:
        return len({r.user_id for r in self.reports})

    @property
    def totals(self) -> dict[str, int]:
        """The sums of the declared fields that are added up (bot/report_fields.py)."""
        return report_fields.totals(self.reports)

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "scope": self.scope_code,
            "sessions": self.sessions,
            "attendees": self.attendees,
            "reporters": self.reporters,
            "by_commune": [
                {"code": c, "name": n, "sessions": s, "attendees": a} for c, n, s, a in self.by_commune
            ],
            "by_form": [{"form": f, "sessions": s, "attendees": a} for f, s, a in self.by_form],
            "by_topic": [{"topic": t, "sessions": s} for t, s in self.by_topic],
            "not_reported": self.silent,
            "accepted": self.accepted,
            "submitted": self.waiting,
            "returned": self.returned,
            "totals": self.totals,
        }


async def compute(app: App, period: Period, scope_code: str) -> Stats:
    """Totals of active reports in ``period`` within ``scope_code`` (the province or a commune)."""
    scope = app.units.get(scope_code)
    stats = Stats(period, scope_code, scope.name if scope else scope_code)
    rows = await app.db.reports.between(period.start.isoformat(), period.end.isoformat())
    stats.reports = [r for r in rows if app.units.in_scope(r.commune_code or r.unit_code, scope_code)]
    everything = await app.db.reports.listing(period.start.isoformat(), period.end.isoformat())
    stats.returned = sum(
        1
        for r in everything
        if r.state == "returned" and app.units.in_scope(r.commune_code or r.unit_code, scope_code)
    )
    forms = {f.id: f.label for f in app.content.report_forms}
    topics = {t.id: t.title for t in app.content.topics}
    sessions: Counter[str] = Counter()
    people: Counter[str] = Counter()
    f_sessions: Counter[str] = Counter()
    f_people: Counter[str] = Counter()
    cf_sessions: Counter[tuple[str, str]] = Counter()
    cf_people: Counter[tuple[str, str]] = Counter()
    t_sessions: Counter[str] = Counter()
    for r in stats.reports:
        c = r.commune_code
        sessions[c] += 1
        people[c] += r.attendees
        f_sessions[r.form] += 1
        f_people[r.form] += r.attendees
        cf_sessions[(c, r.form)] += 1
        cf_people[(c, r.form)] += r.attendees
        for t in r.topics:
            t_sessions[t] += 1

    def commune_name(code: str) -> str:
        unit = app.units.get(code)
        return unit.name if unit else code

    stats.by_commune = sorted(
        ((c, commune_name(c), sessions[c], people[c]) for c in sessions), key=lambda row: (-row[2], row[1])
    )
    stats.by_form = sorted(
        ((forms.get(f, f), f_sessions[f], f_people[f]) for f in f_sessions), key=lambda row: (-row[1], row[0])
    )
    stats.by_topic = sorted(
        ((topics.get(t, t), n) for t, n in t_sessions.items()), key=lambda row: (-row[1], row[0])
    )
    stats.by_commune_form = sorted(
        ((commune_name(c), forms.get(f, f), cf_sessions[(c, f)], cf_people[(c, f)]) for c, f in cf_sessions),
    )
    reported = {r.user_id for r in stats.reports}
    stats.silent = [
        u.name
        for u in await app.db.people.propagandists()
        if u.id not in reported and app.units.in_scope(u.unit_code, scope_code)
    ]
    return stats


def as_text(stats: Stats) -> str:
    p = stats.period.label
    if not stats.reports:
        lines = [STATS_EMPTY.format(period=p, scope=stats.scope_label)]
        if stats.returned:
            lines.append(STATS_REVIEW.format(accepted=0, waiting=0, returned=stats.returned))
    else:
        lines = [
            STATS_HEADER.format(period=p, scope=stats.scope_label),
            STATS_TOTALS.format(
                sessions=stats.sessions, attendees=stats.attendees, reporters=stats.reporters
            ),
            *report_fields.total_lines(stats.totals),
            STATS_REVIEW.format(accepted=stats.accepted, waiting=stats.waiting, returned=stats.returned),
            "",
            STATS_BY_COMMUNE,
            *(STATS_LINE.format(name=n, sessions=s, attendees=a) for _, n, s, a in stats.by_commune),
            "",
            STATS_BY_FORM,
            *(STATS_LINE.format(name=f, sessions=s, attendees=a) for f, s, a in stats.by_form),
            "",
            STATS_BY_TOPIC,
            *(STATS_TOPIC_LINE.format(name=t, sessions=s) for t, s in stats.by_topic),
        ]
    lines.append("")
    if stats.silent:
        lines.append(STATS_SILENT.format(period=p, count=len(stats.silent), names=", ".join(stats.silent)))
    else:
        lines.append(STATS_ALL_REPORTED.format(period=p))
    return "\n".join(lines)


def chart_png(stats: Stats) -> bytes:
    """A bar chart of sessions (and attendees, in hundreds) per commune, with Vietnamese labels."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    names = [n for _, n, _, _ in stats.by_commune][::-1]
    sessions = [s for _, _, s, _ in stats.by_commune][::-1]
    people = [a / 100 for _, _, _, a in stats.by_commune][::-1]
    height = max(2.5, 0.45 * len(names) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height), dpi=100)
    ys = range(len(names))
    ax.barh([y + 0.2 for y in ys], sessions, height=0.4, label=CHART_SESSIONS, color="#c0392b")
    ax.barh([y - 0.2 for y in ys], people, height=0.4, label=CHART_ATTENDEES, color="#e5a50a")
    ax.set_yticks(list(ys), names)
    ax.set_title(texts.CHART_TITLE.format(period=stats.period.label), fontsize=11)
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _report_headers() -> list[str]:
    return [XLSX_REPORT_NUMBER, *(f.label for f in report_fields.FIELDS), XLSX_REPORTER, XLSX_STATE]


def _report_widths() -> list[int]:
    return [7, *(f.width for f in report_fields.FIELDS), 24, 14]


def _report_rows(app: App, stats: Stats) -> list[list[Any]]:
    """One row a report: its number, each declared field's cell (the date a real date), who and its state."""
    return [
        [
            r.id,
            *(f.exported(app, r) for f in report_fields.FIELDS),
            r.reporter,
            texts.REVIEW_STATES.get(r.state, r.state),
        ]
        for r in stats.reports
    ]


# What a spreadsheet program takes for the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text people typed, neutralised for CSV: a leading formula character gets a ' before it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def append_text_safe(sheet: Any, row: list[Any]) -> None:
    """Append a row whose text is always text: never a formula, whatever it starts with."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            if cell.value.startswith(_FORMULA_START):
                cell.quotePrefix = True  # and the spreadsheet program keeps it text when edited


def xlsx_bytes(app: App, stats: Stats) -> bytes:
    """Two sheets: totals by commune and form, and every report; Vietnamese headers, real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    summary = wb.create_sheet()
    wb.remove(wb.worksheets[0])
    summary.title = XLSX_SUMMARY_SHEET
    summary.append(XLSX_SUMMARY_HEADERS)
    for row in stats.by_commune_form:
        append_text_safe(summary, list(row))
    summary.append([XLSX_TOTAL, "", stats.sessions, stats.attendees])
    summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
    summary.append([])
    summary.append([XLSX_REVIEW_NOTE.format(accepted=stats.accepted, waiting=stats.waiting,
                                                  returned=stats.returned)])  # fmt: skip
    detail = wb.create_sheet(XLSX_REPORTS_SHEET)
    detail.append(_report_headers())
    for report_row in _report_rows(app, stats):
        append_text_safe(detail, report_row)
        for cell in detail[detail.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for sheet, widths in ((summary, [26, 34, 10, 14]), (detail, _report_widths())):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(app: App, stats: Stats) -> bytes:
    """Every report as CSV (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(_report_headers())
    for row in _report_rows(app, stats):
        writer.writerow([csv_safe(v.strftime("%d/%m/%Y") if isinstance(v, date) else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def file_name(stats: Stats, ext: str) -> str:
    return f"bao-cao-tuyen-truyen-{stats.period.key}-{stats.scope_code}.{ext}"


# -- the officer's totals and export: the same from chat, console and command line --------------------------
@dataclass(frozen=True)
class Export:
    stats: Stats
    name: str
    content: bytes
    media_type: str


MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def scope_of(app: App, who: Actor, unit: str | None = None) -> str:
    """The unit an officer's totals cover: their own scope, or ``unit`` within it (else refused)."""
    own = who.unit_code or ""
    if unit is None:
        return own
    if app.units.get(unit) is None:
        raise NotFound(texts.INVITE_BAD_UNIT.format(unit=unit[:20]))
    if not app.units.in_scope(unit, own):
        raise NotAllowed(STATS_OUT_OF_SCOPE.format(unit=unit[:20]))
    return unit


async def stats_for(app: App, who: Actor, period: Period, unit: str | None = None) -> Stats:
    """Totals of the officer's scope (or ``unit`` within it) for ``period``; audited."""
    stats = await compute(app, period, scope_of(app, who, unit))
    await app.db.audit.add(who.key, "report.stats", {"period": period.key, "scope": stats.scope_code})
    return stats


async def export(
    app: App, who: Actor, period: Period, fmt: str, unit: str | None = None, via: str | None = None
) -> Export:
    """The reports of the officer's scope as XLSX or CSV (formulas never, whatever people typed); audited."""
    if fmt not in MEDIA_TYPES:
        raise BadInput(texts.EXPORT_USAGE)
    stats = await compute(app, period, scope_of(app, who, unit))
    content = csv_bytes(app, stats) if fmt == "csv" else xlsx_bytes(app, stats)
    detail = {"period": period.key, "scope": stats.scope_code, "format": fmt} | ({"via": via} if via else {})
    await app.db.audit.add(who.key, "report.export", detail)
    return Export(stats, file_name(stats, fmt), content, MEDIA_TYPES[fmt])
