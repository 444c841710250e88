"""The pulse of public opinion for officers, in their scope: themes, issues, villages, what was answered.

One use case (:func:`pulse`) read by chat (/duluan), the console page and `loa opinion`; the quarter's
"Báo cáo tình hình tư tưởng, dư luận xã hội" is written from it as DOCX (python-docx) or XLSX (openpyxl),
and the same figures as JSON. Themes are given when read (``content/themes.yaml`` may change), so an edited
list re-sorts the past too. Everything shown is what was stored: masked, never who said it.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot import reports
from bot.app import App
from bot.auth import Actor
from bot.content import Theme
from bot.errors import BadInput
from bot.reports import append_text_safe
from bot.store.voices import WAITING, Voice
from bot.themes import OTHER, group, theme_of

# -- what it says --------------------------------------------------------------------------------------------
PULSE_HEADER = "📊 Dư luận — {period} — {scope}"
PULSE_TOTAL = "{total} ý kiến của bà con ({previous}: {previous_total}), {answered} đã có trả lời."
PULSE_NOTHING = "Chưa ghi nhận ý kiến nào của bà con trong {period}."
PULSE_THEME = "{rank}. {theme}: {mentions} ý kiến ({change}), {villages} thôn/bản, {answered} đã trả lời"
PULSE_ISSUE = "   • «{text}» ×{mentions}"
PULSE_ALSO = "     (cũng nói: «{text}»)"
PULSE_WHERE = "   Ở: {places}"
PULSE_MORE = "… và {n} chủ đề khác. Xem đủ trên trang quản trị hoặc `loa opinion report`."
CHANGE_NEW = "mới"
CHANGE_SAME = "không đổi"
REPORT_TITLE = "BÁO CÁO TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI"
REPORT_PROVINCE_BOARD = "TỈNH ỦY {province}\nBAN TUYÊN GIÁO VÀ DÂN VẬN"
REPORT_COMMUNE_BOARD = "ĐẢNG ỦY {commune}"
REPORT_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
REPORT_DATED = "ngày {d} tháng {m} năm {y}"
REPORT_PERIOD = "Kỳ báo cáo: {period} (từ {start} đến {end}). Phạm vi: {scope}."
REPORT_LEAD = (
    "Tổng hợp từ báo cáo của tuyên truyền viên cơ sở và ý kiến bà con chuyển qua Loa: {total} ý kiến, "
    "{villages} thôn/bản, {communes} xã/phường; {answered} ý kiến đã có trả lời. Tên, số điện thoại của "
    "người dân đã được che."
)
REPORT_THEMES = "I. CÁC VẤN ĐỀ NHÂN DÂN QUAN TÂM (theo số ý kiến)"
REPORT_THEME_LINE = (
    "{rank}. {theme}: {mentions} ý kiến, {villages} thôn/bản thuộc {communes} xã/phường; "
    "đã trả lời {answered}."
)
REPORT_EXAMPLES = "Ý kiến tiêu biểu:"
REPORT_PLACES = "Địa bàn: {places}."
REPORT_OPEN = "II. CÂU HỎI CỦA NHÂN DÂN CHƯA ĐƯỢC TRẢ LỜI"
REPORT_OPEN_NONE = "Không còn câu hỏi nào chờ trả lời."
REPORT_BY_COMMUNE = "III. THEO XÃ, PHƯỜNG"
REPORT_NOTHING = "Trong kỳ chưa ghi nhận ý kiến nào của nhân dân."
COLUMNS_COMMUNE = ["Xã/phường", "Số ý kiến", "Số thôn/bản", "Đã trả lời", "Chủ đề nhiều nhất"]
COLUMNS_THEME = ["Chủ đề", "Số ý kiến", "Kỳ trước", "Thôn/bản", "Xã/phường", "Đã trả lời", "Vấn đề tiêu biểu"]
COLUMNS_ITEM = ["Ngày", "Xã/phường", "Thôn/bản", "Chủ đề", "Ý kiến (đã che tên)", "Đã trả lời"]
SHEET_THEMES, SHEET_COMMUNES, SHEET_ITEMS = "Chủ đề", "Theo xã", "Ý kiến"
CHART_TITLE = "Ý kiến của bà con theo chủ đề — {period}"
CHART_NONE = "Chưa có ý kiến"
ANSWERED_YES, ANSWERED_NO = "có", "chưa"
OPINION_FORMATS = "Định dạng báo cáo dư luận: docx hoặc xlsx."

SHOWN_IN_CHAT = 6
EXAMPLES = 3


@dataclass
class IssueView:
    """Alike items: a masked wording as shown, how often, and a few other wordings."""

    text: str
    mentions: int
    examples: list[str] = field(default_factory=list)


@dataclass
class ThemeView:
    """One theme in the period: mentions (and before), where, how many answered, its issues."""

    theme: Theme
    mentions: int
    previous: int
    villages: list[str]
    communes: list[str]
    answered: int
    issues: list[IssueView]


@dataclass
class Pulse:
    """What residents of a scope said in a period, by theme, against the period before."""

    period: reports.Period
    previous: reports.Period
    scope_code: str
    scope_label: str
    themes: list[ThemeView]
    total: int
    previous_total: int
    answered: int
    villages: int
    communes: int
    waiting: list[tuple[str, int]]  # residents' questions still without an answer (masked), how often
    by_commune: list[tuple[str, int, int, int, str]]  # name, mentions, villages, answered, top theme
    items: list[Voice]
    theme_of_item: dict[int, Theme]  # an item's theme, given once when the pulse is computed

    def as_json(self) -> dict[str, Any]:
        """The figures for scripts (`loa opinion summary --json`)."""
        return {
            "period": {"key": self.period.key, "label": self.period.label,
                       "start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "scope": {"code": self.scope_code, "name": self.scope_label},
            "total": self.total,
            "answered": self.answered,
            "themes": [
                {"theme": t.theme.id, "name": t.theme.name, "mentions": t.mentions, "previous": t.previous,
                 "villages": t.villages, "communes": t.communes, "answered": t.answered,
                 "issues": [{"text": i.text, "mentions": i.mentions} for i in t.issues]}
                for t in self.themes
            ],
        }  # fmt: skip


async def pulse(app: App, who: Actor, period: reports.Period, unit: str | None = None) -> Pulse:
    """What residents of the officer's scope (or ``unit`` within it) said in ``period``; audited."""
    scope = reports.scope_of(app, who, unit)
    result = await compute(app, period, scope)
    await app.db.audit.add(who.key, "opinion.view", {"period": period.key, "scope": scope})
    return result


async def _heard(app: App, period: reports.Period, scope: str) -> list[Voice]:
    rows = await app.db.voices.between(period.start.isoformat(), period.end.isoformat())
    return [v for v in rows if app.units.in_scope(v.unit_code, scope)]


def _label(app: App, code: str) -> str:
    unit = app.units.get(code)
    return unit.name if unit else code


async def compute(app: App, period: reports.Period, scope: str) -> Pulse:
    """The pulse of ``scope`` (the province or a commune) for ``period``, against the period before."""
    before = reports.previous(period) or period
    items = await _heard(app, period, scope)
    earlier = await _heard(app, before, scope) if before is not period else []
    themes = app.content.themes
    themed = {v.id: theme_of(themes, v.text) for v in items}
    earlier_count = Counter(theme_of(themes, v.text).id for v in earlier)
    views = []
    for theme in _themes_in_order(themes, themed.values()):
        mine = [v for v in items if themed[v.id].id == theme.id]
        issues = [
            IssueView(issue.items[-1].text, len(issue.items), _examples(issue.items))
            for issue in group(mine, lambda v: v.text)
        ]
        views.append(
            ThemeView(
                theme,
                len(mine),
                earlier_count[theme.id],
                _names(app, {v.unit_code for v in mine}),
                _names(app, {v.commune_code for v in mine}),
                sum(1 for v in mine if v.answered != WAITING),
                issues,
            )
        )
    views.sort(key=lambda t: -t.mentions)
    scope_unit = app.units.get(scope)
    return Pulse(
        period,
        before,
        scope,
        scope_unit.name if scope_unit else scope,
        views,
        len(items),
        len(earlier),
        sum(1 for v in items if v.answered != WAITING),
        len({v.unit_code for v in items}),
        len({v.commune_code for v in items}),
        _waiting(items),
        _by_commune(app, items, themed),
        items,
        themed,
    )


def _waiting(items: list[Voice]) -> list[tuple[str, int]]:
    """What still waits for an answer, alike wordings once (the newest), most asked first."""
    unanswered = [v for v in reversed(items) if v.answered == WAITING]
    return [(issue.items[0].text, len(issue.items)) for issue in group(unanswered, lambda v: v.text)]


def _names(app: App, codes: set[str]) -> list[str]:
    """The units' names, one per unit (two villages of one name in two communes are two)."""
    return sorted(_label(app, code) for code in codes)


def _themes_in_order(themes: list[Theme], used: Any) -> list[Theme]:
    ids = {t.id for t in used}
    listed = [t for t in themes if t.id in ids]
    return listed + ([OTHER] if OTHER.id in ids and all(t.id != OTHER.id for t in listed) else [])


def _examples(items: list[Voice]) -> list[str]:
    seen: dict[str, str] = {}
    for v in reversed(items):  # the newest wordings
        seen.setdefault(v.normalized or v.text.lower(), v.text)
    return list(seen.values())[:EXAMPLES]


def _by_commune(
    app: App, items: list[Voice], themed: dict[int, Theme]
) -> list[tuple[str, int, int, int, str]]:
    rows = []
    for code in sorted({v.commune_code for v in items}, key=lambda c: _label(app, c)):
        mine = [v for v in items if v.commune_code == code]
        top = Counter(themed[v.id].name for v in mine).most_common(1)[0][0]
        answered = sum(1 for v in mine if v.answered != WAITING)
        rows.append((_label(app, code), len(mine), len({v.unit_code for v in mine}), answered, top))
    return rows


def change(now: int, before: int) -> str:
    """«+3», «−2», «mới», «không đổi»."""
    if before == 0:
        return CHANGE_NEW if now else CHANGE_SAME
    if now == before:
        return CHANGE_SAME
    return f"{'+' if now > before else '−'}{abs(now - before)}"


def as_text(p: Pulse) -> str:
    """The pulse in a chat message."""
    lines = [PULSE_HEADER.format(period=p.period.label, scope=p.scope_label)]
    if not p.total:
        return "\n".join([*lines, PULSE_NOTHING.format(period=p.period.label.lower())])
    lines.append(
        PULSE_TOTAL.format(
            total=p.total, previous=p.previous.label.lower(), previous_total=p.previous_total,
            answered=p.answered,
        )
    )  # fmt: skip
    for rank, t in enumerate(p.themes[:SHOWN_IN_CHAT], 1):
        lines.append("")
        lines.append(
            PULSE_THEME.format(rank=rank, theme=t.theme.name, mentions=t.mentions,
                               change=change(t.mentions, t.previous), villages=len(t.villages),
                               answered=t.answered)
        )  # fmt: skip
        for issue in t.issues[:2]:
            lines.append(PULSE_ISSUE.format(text=issue.text[:90], mentions=issue.mentions))
            other = next((e for e in issue.examples if e != issue.text), None)
            if other:
                lines.append(PULSE_ALSO.format(text=other[:90]))
        lines.append(
            PULSE_WHERE.format(places=", ".join(t.villages[:5]) + ("…" if len(t.villages) > 5 else ""))
        )
    if len(p.themes) > SHOWN_IN_CHAT:
        lines += ["", PULSE_MORE.format(n=len(p.themes) - SHOWN_IN_CHAT)]
    return "\n".join(lines)


# -- files ---------------------------------------------------------------------------------------------------
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_name(p: Pulse, fmt: str) -> str:
    """«du-luan-2026Q4-12-003.docx»."""
    return f"du-luan-{p.period.key}-{p.scope_code or 'tinh'}.{fmt}"


def _board(app: App, p: Pulse) -> str:
    """Who reports: the province committee's board, or a commune's party committee."""
    unit = app.units.get(p.scope_code)
    if unit is not None and unit.level == "province":
        name = unit.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
        return REPORT_PROVINCE_BOARD.format(province=name.upper())
    return REPORT_COMMUNE_BOARD.format(commune=p.scope_label.upper())


def docx_bytes(app: App, p: Pulse) -> bytes:
    """The quarter's report on public opinion as a Word document: heading, themes, what waits, communes."""
    from docx import Document

    doc = Document()
    _docx_heading(doc, app, p)
    doc.add_heading(REPORT_THEMES, level=2)
    for rank, t in enumerate(p.themes, 1):
        doc.add_paragraph(
            REPORT_THEME_LINE.format(rank=rank, theme=t.theme.name, mentions=t.mentions,
                                     villages=len(t.villages), communes=len(t.communes), answered=t.answered)
        )  # fmt: skip
        doc.add_paragraph(REPORT_PLACES.format(places=", ".join(t.villages)))
        doc.add_paragraph(REPORT_EXAMPLES)
        for issue in t.issues[:5]:
            doc.add_paragraph(f"«{issue.text}» ({issue.mentions})", style="List Bullet")
    doc.add_heading(REPORT_OPEN, level=2)
    for text, times in p.waiting[:50]:
        doc.add_paragraph(f"{text} ({times})", style="List Bullet")
    if not p.waiting:
        doc.add_paragraph(REPORT_OPEN_NONE)
    doc.add_heading(REPORT_BY_COMMUNE, level=2)
    _docx_table(doc, COLUMNS_COMMUNE, p.by_commune)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_heading(doc: Any, app: App, p: Pulse) -> None:
    """Who reports and the motto side by side, the title, the period and scope, the totals."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    today = app.today()
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = _board(app, p)
    head.cell(0, 1).text = f"{REPORT_MOTTO}\n{REPORT_DATED.format(d=today.day, m=today.month, y=today.year)}"
    for cell in head.rows[0].cells:
        for para in cell.paragraphs:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(REPORT_TITLE, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = p.period
    doc.add_paragraph(
        REPORT_PERIOD.format(period=period.label, start=_day(period.start), end=_day(period.end),
                             scope=p.scope_label)
    )  # fmt: skip
    lead = REPORT_LEAD.format(total=p.total, villages=p.villages, communes=p.communes, answered=p.answered)
    doc.add_paragraph(lead if p.total else REPORT_NOTHING)


def _docx_table(doc: Any, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)


def xlsx_bytes(p: Pulse, app: App) -> bytes:
    """The same figures as a workbook: themes, communes, and every item (masked); never a formula."""
    from openpyxl import Workbook

    wb = Workbook()
    themes = wb.create_sheet(SHEET_THEMES)
    wb.remove(wb.worksheets[0])
    themes.append(COLUMNS_THEME)
    for t in p.themes:
        top = "; ".join(f"{i.text} ({i.mentions})" for i in t.issues[:3])
        append_text_safe(
            themes, [t.theme.name, t.mentions, t.previous, len(t.villages), len(t.communes), t.answered, top]
        )
    communes = wb.create_sheet(SHEET_COMMUNES)
    communes.append(COLUMNS_COMMUNE)
    for row in p.by_commune:
        append_text_safe(communes, list(row))
    items = wb.create_sheet(SHEET_ITEMS)
    items.append(COLUMNS_ITEM)
    for v in p.items:
        theme = p.theme_of_item[v.id].name
        append_text_safe(items, [_day(date.fromisoformat(v.heard_on)), _label(app, v.commune_code),
                        _label(app, v.unit_code), theme, v.text,
                        ANSWERED_NO if v.answered == WAITING else ANSWERED_YES])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@dataclass
class Made:
    """A report file made: its figures, name, bytes and type."""

    pulse: Pulse
    name: str
    content: bytes
    media_type: str


async def report_file(
    app: App, who: Actor, period: reports.Period, fmt: str, unit: str | None = None, via: str = "cli"
) -> Made:
    """The quarter's report on public opinion of the officer's scope, as DOCX or XLSX; audited."""
    if fmt not in MEDIA_TYPES:
        raise BadInput(OPINION_FORMATS)
    p = await compute(app, period, reports.scope_of(app, who, unit))
    content = docx_bytes(app, p) if fmt == "docx" else xlsx_bytes(p, app)
    detail = {"period": period.key, "scope": p.scope_code, "format": fmt, "via": via}
    await app.db.audit.add(who.key, "opinion.report", detail)
    return Made(p, file_name(p, fmt), content, MEDIA_TYPES[fmt])


def chart_png(p: Pulse) -> bytes:
    """Themes over time: mentions a week of the five most mentioned themes, side by side."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    top = [t.theme for t in p.themes[:5]]
    start = p.period.start
    weeks = (p.period.end - start).days // 7 + 1
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    if not top:
        ax.text(0.5, 0.5, CHART_NONE, ha="center", va="center")
        ax.set_axis_off()
    width = 0.8 / max(1, len(top))
    for n, theme in enumerate(top):
        counts = [0] * weeks
        for v in p.items:
            if p.theme_of_item[v.id].id == theme.id:
                counts[min(weeks - 1, (date.fromisoformat(v.heard_on) - start).days // 7)] += 1
        ax.bar(
            [w - 0.4 + width * (n + 0.5) for w in range(weeks)], counts, width=width, label=theme.name[:32]
        )
    if top:
        ax.set_xticks(
            range(weeks), [_day(start + timedelta(days=7 * w))[:5] for w in range(weeks)], fontsize=7
        )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left")
        ax.grid(axis="y", alpha=0.3)
    ax.set_title(CHART_TITLE.format(period=p.period.label), fontsize=11)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
