"""The Vietnamese lunar calendar and the event calendar built on it."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from holidays.calendars.chinese import CHINESE_CALENDAR, VIETNAMESE_CALENDAR, _ChineseLunisolar

from bot.calendar import occurrences, plan
from bot.cli import main
from bot.lunar import lunar_to_solar, solar_to_lunar, tet

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        (1985, date(1985, 1, 21), date(1985, 2, 20)),
        (2007, date(2007, 2, 17), date(2007, 2, 18)),
        (2030, date(2030, 2, 2), date(2030, 2, 3)),
    ],
)
def test_tet_follows_the_vietnamese_rules_where_china_differs(year: int, vietnam: date, china: date) -> None:
    assert tet(year) == vietnam
    assert _ChineseLunisolar(CHINESE_CALENDAR).lunar_new_year_date(year)[0] == china


def test_tet_and_hung_kings_agree_with_an_independent_implementation_2000_2050() -> None:
    independent = _ChineseLunisolar(VIETNAMESE_CALENDAR)
    for year in range(2000, 2051):
        assert tet(year) == independent.lunar_new_year_date(year)[0], year
        assert lunar_to_solar(10, 3, year) == independent.hung_kings_date(year)[0], year


def test_round_trip_and_leap_months() -> None:
    assert solar_to_lunar(date(2024, 2, 10)) == (1, 1, 2024, False)
    assert solar_to_lunar(date(2023, 3, 22)) == (1, 2, 2023, True)  # 2023 had a leap 2nd month
    assert lunar_to_solar(1, 2, 2023, leap=True) == date(2023, 3, 22)
    assert lunar_to_solar(1, 2, 2024, leap=True) is None  # no leap month 2 in 2024
    day = date(2000, 1, 1)
    while day < date(2051, 1, 1):
        d, m, y, leap = solar_to_lunar(day)
        assert lunar_to_solar(d, m, y, leap) == day
        day = date.fromordinal(day.toordinal() + 37)


def test_events_fall_on_the_right_solar_dates(content) -> None:
    events = {e.id: e for e in content.events}
    assert occurrences(events["tet-nguyen-dan"], 2025) == [date(2025, 1, 29)]
    assert occurrences(events["gio-to-hung-vuong"], 2024) == [date(2024, 4, 18)]
    assert occurrences(events["quoc-khanh"], 2030) == [date(2030, 9, 2)]
    assert len(occurrences(events["nhac-bao-cao-quy"], 2025)) == 4


def test_required_events_are_in_the_calendar(content) -> None:
    ids = {e.id for e in content.events}
    assert {
        "tet-duong-lich",
        "tet-nguyen-dan",
        "thanh-lap-dang",
        "gio-to-hung-vuong",
        "giai-phong-mien-nam",
        "quoc-te-lao-dong",
        "dien-bien-phu",
        "sinh-nhat-bac-ho",
        "thuong-binh-liet-si",
        "cach-mang-thang-tam",
        "quoc-khanh",
        "dai-doan-ket",
        "quan-doi-nhan-dan",
        "thanh-lap-tinh",
        "nhac-bao-cao-quy",
    } <= ids


def test_plan_has_offsets_keys_and_anniversaries(content) -> None:
    planned = plan(content.events, date(2025, 1, 31), date(2025, 2, 3), ZONE)
    party = [p for p in planned if p.event.id == "thanh-lap-dang"]
    assert [(p.send_at.isoformat(), p.days_before) for p in party] == [
        ("2025-01-31T07:00:00+07:00", 3),
        ("2025-02-03T07:00:00+07:00", 0),
    ]
    assert party[0].key == "event:thanh-lap-dang:2025-02-03:3"
    assert "tròn 95 năm" in party[1].text() and "{years}" not in party[1].text()
    assert len({p.key for p in planned}) == len(planned)


def test_schedule_list_json_gives_lunar_events_for_any_year(capsys) -> None:
    independent = _ChineseLunisolar(VIETNAMESE_CALENDAR)
    for year in range(2024, 2051):
        assert main(["schedule", "list", "--from", f"{year}-01-01", "--days", "366", "--json"]) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        tet_rows = {r["event_date"] for r in rows if r["event"] == "tet-nguyen-dan"}
        hung = {r["event_date"] for r in rows if r["event"] == "gio-to-hung-vuong"}
        assert independent.lunar_new_year_date(year)[0].isoformat() in tet_rows
        assert hung == {independent.hung_kings_date(year)[0].isoformat()}
        assert all(
            set(r) == {"event", "title", "event_date", "days_before", "send_at", "audience", "key"}
            for r in rows
        )


def test_schedule_list_rejects_bad_input(capsys) -> None:
    assert main(["schedule", "list", "--from", "2025-13-01"]) == 2
    assert "2025-13-01" in capsys.readouterr().err
