"""The one clock.

Every moment Loa reasons about — today, this quarter, an expiry, a 7-day window, a stamp in the store — is
read from the :class:`Clock` the App is given; tests give one they move. Nothing else asks the system for the
time. (Durations for pacing and deadlines are measured with ``time.monotonic``: they are not moments.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_stamp(moment: datetime) -> str:
    """A moment as the store writes it, UTC to the second: ``2024-03-15T02:00:00Z`` (compares as text)."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


SHOWN_FORMAT = "%H:%M %d/%m/%Y"  # how people read a moment: «14:05 03/12/2026»


def shown(stamp: str, zone: tzinfo) -> str:
    """A stored stamp (or any ISO moment; naive is UTC) as people read it in ``zone``; what cannot be read,
    as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(SHOWN_FORMAT)


def parse_stamp(stamp: str) -> datetime:
    """The moment of a stamp written by :func:`utc_stamp`."""
    return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)


class Clock:
    """Now, in the configured time zone; ``source`` (a test's) may return naive moments, read in that zone."""

    def __init__(self, zone: tzinfo | str = "Asia/Ho_Chi_Minh", source: Callable[[], datetime] | None = None):
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self._source = source

    def now(self) -> datetime:
        if self._source is None:
            return datetime.now(self.zone)
        moment = self._source()
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)

    __call__ = now

    def today(self) -> date:
        return self.now().date()

    def stamp(self) -> str:
        """Now as the store writes it (the system's UTC second straight away: a zoned moment converted
        back costs six times as much, and every message writes a stamp or two)."""
        if self._source is None:
            return time.strftime(STAMP_FORMAT, time.gmtime())
        return utc_stamp(self.now())
