"""Reminders that respect people: only those who have not reported are reminded, once per day it is due; an
officer's /nhacbaocao after seeing how many; the officers' weekly digest, which /huynhan stops."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import reminders
from bot.app import App
from bot.core import Incoming
from bot.router import Router
from handlers.remind import REMIND_ALREADY, REMIND_QUEUED
from handlers.subscribe import DIGEST_STARTED, DIGEST_STOPPED
from scheduler.service import Service
from tests.helpers import register_person

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def _people(app: App, router: Router):
    busy = await register_person(app, router, "p1")
    idle = await register_person(app, router, "p2", name="Lò Văn B")
    far = await register_person(app, router, "p3", unit="12-004-01", name="Lò Văn C")
    await busy.say("/baocao 12/3 họp bản Nà Tăm 45 người KT-XH 2023")
    await busy.tap("Gửi")
    return busy, idle, far


async def _recipients(app: App, key: str) -> list[str]:
    broadcast_id = await app.db.broadcasts.find(key)
    if broadcast_id is None:
        return []
    rows = await app.db.fetch_all(
        "SELECT c.external_id FROM deliveries d JOIN chats c ON c.id = d.chat_id WHERE d.broadcast_id = ?"
        " ORDER BY c.external_id",
        (broadcast_id,),
    )
    return [r["external_id"] for r in rows]


async def test_the_quarter_end_reminder_goes_only_to_those_who_have_not_reported(
    moving_app: App, clock
) -> None:
    app = moving_app
    router = Router(app)
    await _people(app, router)
    clock.now = datetime(2024, 3, 24, 7, 59, tzinfo=ZONE)  # 7 days before the quarter ends, too early
    assert await reminders.quarter_end(app) is None
    clock.now = datetime(2024, 3, 24, 8, 0, tzinfo=ZONE)
    assert await reminders.quarter_end(app) == 2
    assert await _recipients(app, "remind:2024Q1:7") == ["cp2", "cp3"]
    assert await reminders.quarter_end(app) == 2  # the same day again: the same broadcast, nothing new
    assert len(await app.db.broadcasts.progress()) == 1
    clock.now = datetime(2024, 3, 25, 9, 0, tzinfo=ZONE)  # not a reminder day
    assert await reminders.quarter_end(app) is None
    clock.now = datetime(2024, 3, 30, 9, 0, tzinfo=ZONE)  # the day before: once more
    assert await reminders.quarter_end(app) == 2
    [due] = [d for d in await app.db.broadcasts.pending("9999") if d.external_id == "cp2"][:1]
    assert "Quý 1/2024" in due.text and "31/03/2024" in due.text and "/baocao" in due.text


async def test_a_loa_run_started_after_the_reminder_time_still_sends_it_once(moving_app: App, clock) -> None:
    app = moving_app
    await _people(app, Router(app))
    clock.now = datetime(2024, 3, 30, 15, 0, tzinfo=ZONE)
    for _ in range(2):  # a restart the same day
        service = Service(app, None, timedelta(hours=6))
        await service.start()
        await service.shutdown()
    assert await _recipients(app, "remind:2024Q1:1") == ["cp2", "cp3"]
    assert len(await app.db.broadcasts.progress()) == 1


async def test_an_officer_reminds_the_non_reporters_of_their_scope_now(moving_app: App) -> None:
    app = moving_app
    router = Router(app)
    await _people(app, router)
    officer = await register_person(app, router, "o1", role="officer", unit="12-003")
    asked = await officer.say("/nhacbaocao")
    assert asked.startswith("Gửi lời nhắc báo cáo cho 1 tuyên truyền viên chưa báo cáo Quý 1/2024")
    done = await officer.tap("Gửi nhắc 1 người")
    assert done == REMIND_QUEUED.format(count=1)
    [key] = [p.idempotency_key for p in await app.db.broadcasts.progress()]
    assert await _recipients(app, key) == ["cp2"]  # not p1 (reported), not p3 (another commune)
    again = await router.handle(Incoming("telegram", "co1", "o1", data="nb:go"))
    assert again[0].text == REMIND_ALREADY.format(count=1)
    [propagandist] = await router.handle(Incoming("telegram", "cp2", "p2", text="/nhacbaocao"))
    assert "/nhacbaocao" in propagandist.text  # officers only


async def test_the_weekly_digest_and_huynhan(moving_app: App, clock) -> None:
    app = moving_app
    router = Router(app)
    await _people(app, router)
    await router.handle(Incoming("telegram", "cp2", "p2", text="giá phân bón năm nay"))
    await register_person(app, router, "o1", role="officer", unit="12-003")
    province = await register_person(app, router, "o2", role="officer", unit="12")
    clock.now = datetime(2024, 3, 18, 7, 30, tzinfo=ZONE)  # a Monday
    assert await reminders.weekly_digest(app) == 2
    due = {d.external_id: d.text for d in await app.db.broadcasts.pending("9999")}
    assert "Xã Bản Hon: 1 buổi, 45 người dự" in due["co1"] and "Bình Lư" not in due["co1"]
    assert "Lò Văn B" in due["co1"] and "Lò Văn C" not in due["co1"]
    assert "«giá phân bón năm nay» — 1 lần" in due["co1"]
    assert "Lò Văn C" in due["co2"]
    # /huynhan stops it; next week only the province officer gets one; /dangkynhan brings it back.
    stopped = await province.say("/huynhan")
    assert DIGEST_STOPPED in stopped
    clock.now += timedelta(days=7)
    assert await reminders.weekly_digest(app) == 1
    started = await province.say("/dangkynhan")
    assert DIGEST_STARTED in started
    clock.now = datetime(2024, 3, 19, 7, 30, tzinfo=ZONE)  # a Tuesday: none
    assert await reminders.weekly_digest(app) is None
