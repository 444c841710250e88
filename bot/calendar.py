"""The event calendar: when each event falls (solar, Vietnamese lunar or one-off dates) and when its talking
points go out. Every planned send has an idempotency key (event, date, offset), so planning twice never sends
twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content import CURRENT, Document, Event
from bot.lunar import lunar_to_solar

# -- what it says --------------------------------------------------------------------------------------------
EVENT_TODAY = "Hôm nay"
EVENT_IN_DAYS = "Còn {days} ngày nữa"
EVENT_TALKING_POINTS = "📣 {title}\n{when} ({date}).\n\n{body}"


@dataclass(frozen=True)
class PlannedSend:
    event: Event
    event_date: date  # the solar date of the event itself
    days_before: int
    send_at: datetime  # aware, in the configured time zone

    @property
    def key(self) -> str:
        """Idempotency key: the same event, date and offset is one broadcast, however often planned."""
        return f"event:{self.event.id}:{self.event_date.isoformat()}:{self.days_before}"

    def text(self) -> str:
        """The talking points with the anniversary filled in, headed by the event and its date."""
        body = talking_points(self.event, self.event_date.year)
        when = EVENT_TODAY if self.days_before == 0 else EVENT_IN_DAYS.format(days=self.days_before)
        return EVENT_TALKING_POINTS.format(
            title=self.event.title, when=when, date=self.event_date.strftime("%d/%m/%Y"), body=body
        )


def talking_points(event: Event, year: int) -> str:
    """The event's talking points for its occurrence in ``year``: the year and the anniversary filled in."""
    years = year - event.since if event.since else 0
    return event.talking_points.replace("{years}", str(years)).replace("{year}", str(year))


def coming(events: list[Event], today: date, zone: ZoneInfo, documents: Mapping[str, Document],
           days: int = 45) -> list[tuple[Event, date]]:  # fmt: skip
    """The events of the next ``days`` days, each once, soonest first, with its date."""
    seen: dict[str, tuple[Event, date]] = {}
    for p in plan(events, today, today + timedelta(days=days), zone, documents):
        if p.event_date >= today:
            seen.setdefault(p.event.id, (p.event, p.event_date))
    return sorted(seen.values(), key=lambda pair: pair[1])


def occurrences(event: Event, year: int) -> list[date]:
    """Solar dates of ``event`` in Gregorian ``year`` (a lunar event may fall twice or not at all)."""
    d = event.date
    if d.once:
        day = date.fromisoformat(d.once)
        return [day] if day.year == year else []
    if d.solar:
        days = d.solar if isinstance(d.solar, list) else [d.solar]
        out = []
        for mmdd in days:
            month, day_ = (int(x) for x in mmdd.split("-"))
            try:
                out.append(date(year, month, day_))
            except ValueError:  # 29 Feb in a common year
                continue
        return out
    if d.lunar is None:  # the content check allows exactly one of once, solar, lunar
        return []
    month, day_ = (int(x) for x in d.lunar.split("-"))
    out = []
    # A lunar date of lunar year Y falls in solar year Y or Y+1 (late lunar months reach January/February).
    for lunar_year in (year - 1, year):
        found = lunar_to_solar(day_, month, lunar_year, d.leap)
        if found is None and day_ == 30:  # a 29-day month that year: keep the last day of the month
            found = lunar_to_solar(29, month, lunar_year, d.leap)
        if found is not None and found.year == year:
            out.append(found)
    return out


def plan(
    events: list[Event],
    start: date,
    end: date,
    zone: ZoneInfo,
    documents: Mapping[str, Document] | None = None,
) -> list[PlannedSend]:
    """Every send whose send time falls on a day from ``start`` to ``end`` (inclusive), in time order.

    An event resting on a document (``document:``) is not sent on a day that document no longer holds.
    """
    out: list[PlannedSend] = []
    for event in events:
        doc = (documents or {}).get(event.document) if event.document else None
        hour, minute = (int(x) for x in event.send_time.split(":"))
        for year in range(start.year, end.year + 2):
            for event_date in occurrences(event, year):
                for before in event.days_before:
                    day = event_date - timedelta(days=before)
                    if start <= day <= end and (doc is None or doc.state(day) == CURRENT):
                        send_at = datetime.combine(day, time(hour, minute), tzinfo=zone)
                        out.append(PlannedSend(event, event_date, before, send_at))
    out.sort(key=lambda p: (p.send_at, p.event.id))
    return out
