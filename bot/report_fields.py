"""What a report says, declared once: the table every place that shows a report reads.

The chat's summary before sending, `/thongke` and `loa report stats`, the XLSX and CSV export, and the
console's report page all go through :data:`FIELDS`. A new field is one :class:`Field` at the end of the
table (with ``ask``: the report dialog asks it, after the six it always asks) plus its words; it is stored
with the report (in its ``extra`` column), shown in the summary, exported in its own column, listed on the
console's page and, when ``total`` is set, added up in the totals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from bot.app import App


class Said(Protocol):
    """A report, or a draft on its way to being one (``None``: not said yet)."""

    @property
    def activity_date(self) -> str | None: ...
    @property
    def form(self) -> str | None: ...
    @property
    def unit_code(self) -> str | None: ...
    @property
    def commune_code(self) -> str | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def attendees(self) -> int | None: ...
    @property
    def topics(self) -> list[str]: ...
    @property
    def concerns(self) -> str | None: ...
    @property
    def extra(self) -> dict[str, Any]: ...


@dataclass
class Draft:
    """What a report being written says so far, in a report's terms (for its summary)."""

    activity_date: str | None = None
    form: str | None = None
    unit_code: str | None = None
    commune_code: str | None = None
    place: str | None = None
    attendees: int | None = None
    topics: list[str] = field(default_factory=list)
    concerns: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# -- what it says ------------------------------------------------------------------------------------------
LABEL_DATE = "Ngày"
LABEL_COMMUNE = "Xã/phường"
LABEL_FORM = "Hình thức"
LABEL_PLACE = "Địa điểm"
LABEL_ATTENDEES = "Số người dự"
LABEL_TOPICS = "Chủ đề"
LABEL_CONCERNS = "Ý kiến của người dân"
TOTAL_LINE = "• {label}: {total}"


@dataclass(frozen=True)
class Field:
    """One thing a report says.

    ``show``: how a person reads it (chat, console); ``cell``: its value in the spreadsheet (default: as
    shown); ``width``: the spreadsheet column's; ``summary``: shown in the chat's summary and on the console
    (the commune is in the export only: the place says it); ``optional``: may be left empty (a declared field
    always may); ``total``: a number the totals add up; ``ask``
    and ``prompt``: for a field beyond the built-in ones, how the report dialog asks it (a number or a short
    text, which may be skipped).
    """

    key: str
    label: str
    show: Callable[[App, Said], str]
    cell: Callable[[App, Said], Any] | None = None
    width: int = 14
    summary: bool = True
    optional: bool = False  # may be left empty: the summary says «none», not «not yet»
    total: bool = False
    ask: Literal["", "number", "text"] = ""
    prompt: str = ""

    def value(self, report: Said) -> Any:
        """The stored value: an attribute of the report, or its ``extra`` for a declared field."""
        if self.ask:
            return report.extra.get(self.key)
        return getattr(report, self.key, None)

    def exported(self, app: App, report: Said) -> Any:
        """Its spreadsheet cell: numbers stay numbers, the rest as a person reads it."""
        if self.cell is not None:
            return self.cell(app, report)
        return self.value(report) if self.ask == "number" else self.show(app, report)


def _day(app: App, r: Said) -> str:
    return date.fromisoformat(r.activity_date).strftime("%d/%m/%Y") if r.activity_date else ""


def _unit_name(app: App, code: str | None) -> str:
    unit = app.units.get(code) if code else None
    return unit.name if unit else (code or "")


def _form(app: App, r: Said) -> str:
    return next((f.label for f in app.content.report_forms if f.id == r.form), r.form or "")


def _place(app: App, r: Said) -> str:
    unit = app.units.get(r.unit_code) if r.unit_code else None
    return unit.label if unit else (r.place or "")


def _topics(app: App, r: Said) -> str:
    titles = {t.id: t.title for t in app.content.topics}
    return "; ".join(titles.get(t, t) for t in r.topics)


def extra_shown(key: str) -> Callable[[App, Said], str]:
    """How a declared field reads: its value as typed, nothing when skipped."""

    def show(app: App, r: Said) -> str:
        value = r.extra.get(key)
        return "" if value is None else str(value)

    return show


FIELDS: tuple[Field, ...] = (
    Field("activity_date", LABEL_DATE, _day, cell=lambda app, r: date.fromisoformat(r.activity_date or ""),
          width=12),
    Field("commune_code", LABEL_COMMUNE, lambda app, r: _unit_name(app, r.commune_code), width=24,
          summary=False),
    Field("place", LABEL_PLACE, _place, cell=lambda app, r: r.place or _place(app, r), width=34),
    Field("form", LABEL_FORM, _form, width=30),
    # The attendees are the totals' own measure (per commune and form): not added up again here.
    Field("attendees", LABEL_ATTENDEES, lambda app, r: str(r.attendees or ""),
          cell=lambda app, r: r.attendees, width=12),
    Field("topics", LABEL_TOPICS, _topics, width=40),
    Field("concerns", LABEL_CONCERNS, lambda app, r: r.concerns or "", width=50, optional=True),
)  # fmt: skip


def declared() -> tuple[Field, ...]:
    """The fields beyond the built-in ones: asked by the dialog, kept in the report's ``extra``."""
    return tuple(f for f in FIELDS if f.ask)


def totals(reports: list[Any]) -> dict[str, int]:
    """The sum of each ``total`` field over ``reports`` (a value not given counts 0)."""
    return {f.key: sum(int(f.value(r) or 0) for r in reports) for f in FIELDS if f.total}


def total_lines(sums: dict[str, int]) -> list[str]:
    """The totals' extra lines, one per ``total`` field."""
    return [TOTAL_LINE.format(label=f.label, total=sums.get(f.key, 0)) for f in FIELDS if f.total]
