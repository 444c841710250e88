"""The Vietnamese lunisolar calendar (âm lịch), computed for UTC+7.

Hand-written because it must follow the Vietnamese rules: new moons and solar terms are taken at Hà Nội's
meridian (UTC+7), which makes some months, and so Tết, fall on different days than in the Chinese (UTC+8)
calendar: Tết 1985 is 21 January here, 20 February in China. The astronomy is Jean Meeus's ("Astronomical
Algorithms") as popularised for the Vietnamese calendar by Hồ Ngọc Đức; the tests hold it against known dates
and against an independent implementation (the ``holidays`` package's Vietnam calendar).
"""

from __future__ import annotations

import math
from datetime import date

TZ = 7.0  # Vietnam, UTC+7


def _jd(day: date) -> int:
    return day.toordinal() + 1721425  # Julian day number of a Gregorian date


def _date(jd: int) -> date:
    return date.fromordinal(jd - 1721425)


def _new_moon(k: int) -> float:
    """Julian date (UT) of the k-th new moon after 1900-01-01 (Meeus, ch. 49, abridged)."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jdn: float) -> float:
    """The sun's apparent longitude in radians, 0..2π, at Julian date ``jdn`` (UT)."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = (l0 + dl) * dr
    return lon - math.pi * 2 * math.floor(lon / (math.pi * 2))


def _new_moon_day(k: int, tz: float) -> int:
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_sector(jdn: int, tz: float) -> int:
    """Which twelfth of the ecliptic the sun is in at local midnight starting day ``jdn`` (0..11)."""
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


def _month11(year: int, tz: float) -> int:
    """Julian day of the start of lunar month 11 (the month holding the winter solstice) of ``year``."""
    off = _jd(date(year, 12, 31)) - 2415021
    k = math.floor(off / 29.530588853)
    nm = _new_moon_day(k, tz)
    if _sun_sector(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


def _leap_month_offset(a11: int, tz: float) -> int:
    """Index (after month 11) of the first month with no major solar term: the leap month."""
    k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = _sun_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def solar_to_lunar(day: date, tz: float = TZ) -> tuple[int, int, int, bool]:
    """(lunar day, month, year, leap month?) of a Gregorian date."""
    jd = _jd(day)
    k = math.floor((jd - 2415021.076998695) / 29.530588853)
    month_start = _new_moon_day(k + 1, tz)
    if month_start > jd:
        month_start = _new_moon_day(k, tz)
    a11 = _month11(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month11(day.year + 1, tz)
    lunar_day = jd - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            if diff == leap_diff:
                leap = True
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return lunar_day, lunar_month, lunar_year, leap


def lunar_to_solar(day: int, month: int, year: int, leap: bool = False, tz: float = TZ) -> date | None:
    """The Gregorian date of a lunar date; None if that date does not exist (a leap month that year lacks)."""
    if month < 11:
        a11, b11 = _month11(year - 1, tz), _month11(year, tz)
    else:
        a11, b11 = _month11(year, tz), _month11(year + 1, tz)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            return None
        if leap or off >= leap_off:
            off += 1
    elif leap:
        return None
    month_start = _new_moon_day(k + off, tz)
    if day > 30 or day < 1:
        return None
    result = month_start + day - 1
    # Day 30 of a 29-day month does not exist: it would be the first of the next month.
    if day == 30 and _new_moon_day(k + off + 1, tz) <= result:
        return None
    return _date(result)


def tet(year: int) -> date:
    """Tết Nguyên Đán (lunar 1/1) of ``year``."""
    result = lunar_to_solar(1, 1, year)
    if result is None:  # every lunar year has a first day of its first month
        raise ValueError(f"no lunar new year computed for {year}")
    return result
