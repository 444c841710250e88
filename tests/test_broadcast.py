"""The broadcast engine over Telegram: python-telegram-bot against the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import outbox
from bot.app import App
from bot.channels import load_settings
from bot.channels.telegram import TelegramChannel, TelegramSender
from bot.content import Audience
from bot.sending import Limits
from scheduler.delivery import Engine
from tests.fake_telegram import FakeTelegram
from tests.helpers import open_app

BACKENDS = ("sqlite", "postgresql")
EVERYONE = Audience(everyone=True)
FAST = Limits(per_second=1000, group_per_minute=1000)


@pytest.fixture
async def setup(database: str, fake: FakeTelegram):
    settings = load_settings(
        env_file=None, db=database, telegram_token=fake.token, telegram_api_url=fake.base_url
    )
    app = await open_app(settings)
    application = TelegramChannel(app).build()
    await application.initialize()
    yield app, TelegramSender(application.bot)
    await application.shutdown()
    await app.close()


async def _subscribe(app: App, fake: FakeTelegram, chats: list[int], chat_type: str = "private") -> None:
    for chat in chats:
        fake.chat(chat, "private" if chat_type == "private" else "group")
        await app.db.people.set_subscribed("telegram", str(chat), True, chat_type=chat_type)


async def test_created_twice_sent_once_to_every_subscriber(setup, fake) -> None:
    app, sender = setup
    await _subscribe(app, fake, list(range(100, 140)))
    await _subscribe(app, fake, [-500, -501], chat_type="group")
    now = datetime.now(UTC)
    first = await outbox.create(
        app,
        "event:quoc-khanh:2025-09-02:0",
        "scheduled",
        "Chào mừng Quốc khánh <2/9>",
        EVERYONE,
        now,
        "scheduler",
    )
    again = await outbox.create(app, "event:quoc-khanh:2025-09-02:0", "scheduled", "khác", EVERYONE, now, "x")
    assert first == (again[0], True) and again[1] is False
    engine = Engine(app, {"telegram": sender}, {"telegram": FAST})
    assert await engine.run_due() == 42
    assert await engine.run_due() == 0
    for chat in [*range(100, 140), -500, -501]:
        assert fake.texts(chat) == ["Chào mừng Quốc khánh <2/9>"]
    [row] = await app.db.broadcasts.progress()
    assert (row.total, row.sent, row.pending, row.failed, row.status) == (42, 42, 0, 0, "done")


async def test_not_due_yet_waits(setup, fake) -> None:
    app, sender = setup
    await _subscribe(app, fake, [100])
    later = datetime.now(UTC) + timedelta(hours=2)
    await outbox.create(app, "adhoc:1", "adhoc", "Họp chi bộ lúc 19 giờ", EVERYONE, later, "telegram:1")
    engine = Engine(app, {"telegram": sender}, {"telegram": FAST})
    assert await engine.run_due() == 0
    assert await engine.run_due(now=later + timedelta(seconds=1)) == 1


async def test_rate_limits_server_errors_blocked_gone_and_migrated(setup, fake) -> None:
    app, sender = setup
    await _subscribe(app, fake, [201, 202, 203, 204])
    await _subscribe(app, fake, [-301], chat_type="group")
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", chat_id=201, retry_after=1, times=4)
    fake.fail("sendMessage", 502, "Bad Gateway", chat_id=202, times=2)
    fake.blocked.add(203)
    fake.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=204, times=9)
    fake.migrated[-301] = -1000000000301
    fake.chat(-1000000000301, "supergroup")
    await outbox.create(app, "adhoc:2", "adhoc", "Điểm tin", EVERYONE, datetime.now(UTC), "cli")
    engine = Engine(app, {"telegram": sender}, {"telegram": FAST}, backoff=0.05)
    assert await engine.run_due() == 3
    assert fake.texts(201) == fake.texts(202) == fake.texts(-1000000000301) == ["Điểm tin"]
    assert (await app.db.people.chat("telegram", "203")).active == 0
    assert (await app.db.people.chat("telegram", "204")).active == 0
    assert await app.db.people.chat("telegram", "-1000000000301") is not None
    [row] = await app.db.broadcasts.progress()
    assert (row.sent, row.failed, row.status) == (3, 2, "done")


async def test_unfinished_deliveries_resume_after_a_restart(setup, fake, tmp_path: Path) -> None:
    app, sender = setup
    await _subscribe(app, fake, list(range(400, 410)))
    bid, _ = await outbox.create(app, "adhoc:3", "adhoc", "Tin khẩn", EVERYONE, datetime.now(UTC), "cli")
    # As if the process died: two sent, three in flight, five never started.
    await app.db.execute(
        "UPDATE deliveries SET status = CASE WHEN id <= 2 THEN 'sent' WHEN id <= 5 THEN 'sending'"
        " ELSE 'pending' END WHERE broadcast_id = ?",
        (bid,),
    )
    assert await app.db.broadcasts.recover() == 3
    engine = Engine(app, {"telegram": sender}, {"telegram": FAST})
    assert await engine.run_due() == 8
    assert sum(len(fake.texts(c)) for c in range(400, 410)) == 8  # the two already sent are not sent again


async def test_pacing_keeps_within_the_overall_and_per_group_limits(setup, fake) -> None:
    app, sender = setup
    await _subscribe(app, fake, list(range(600, 640)))
    await _subscribe(app, fake, [-700], chat_type="group")
    for i in range(3):
        await outbox.create(app, f"adhoc:p{i}", "adhoc", f"Tin {i}", EVERYONE, datetime.now(UTC), "cli")
    engine = Engine(app, {"telegram": sender}, {"telegram": Limits(per_second=25, group_per_minute=2)})
    import asyncio

    task = asyncio.create_task(engine.run_due())
    await fake.wait_for(lambda: len(fake.sent(None, "sendMessage")) >= 121, timeout=30)
    times = sorted(fake.rate_window)
    # Counted where Telegram counts, on arrival: paced at 25/s, never over Telegram's own 30/s even when a
    # loaded machine bunches a few arrivals together.
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 30
    # 2 a minute to one group, evenly: the group's next message is 30 s after its first.
    assert len(fake.texts(-700)) == 1 and sum(len(fake.texts(c)) for c in range(600, 640)) == 120
    task.cancel()


async def test_answers_sent_while_a_broadcast_runs_never_meet_the_rate_limit(setup, fake) -> None:
    """Telegram counts answers and broadcast alike: the engine leaves the answers the share they take."""
    app, sender = setup
    chats = list(range(4000, 4150))
    await _subscribe(app, fake, chats)
    fake.enforce_limits(per_second=50, group_per_minute=1000, retry_after=0.05)
    await outbox.create(app, "adhoc:busy", "adhoc", "Tin gấp", EVERYONE, datetime.now(UTC), "cli")
    limits = {"telegram": Limits(per_second=50, group_per_minute=1000)}
    running = asyncio.create_task(Engine(app, {"telegram": sender}, limits).run_due())
    await fake.wait_for(lambda: len(fake.delivered_to) >= 20)
    people = range(9000, 9040)  # 20 answers a second for two seconds, as a busy evening's questions
    for person in people:
        fake.chat(person, "private")
        await sender.bot.send_message(person, "Trả lời")
        app.answering.replied("telegram")
        await asyncio.sleep(0.05)
    assert await running == len(chats)
    answers = [p for p in fake.called("sendMessage") if int(p["chat_id"]) in people]
    assert len(answers) == len(people) and not [p for p in answers if p.get("_failed")]
    assert all(fake.texts(c) == ["Tin gấp"] for c in chats)


async def test_a_stop_cuts_off_a_stuck_send_in_time_and_it_goes_out_after_the_restart(setup, fake) -> None:
    """SIGTERM while a send hangs: the engine stops within its deadline; the send is resent next time."""
    import asyncio
    import time

    app, sender = setup
    await _subscribe(app, fake, [601, 602])
    fake.latency[602] = 120.0  # the server never answers this one in time
    await outbox.create(app, "adhoc:stuck", "adhoc", "Tin thử", EVERYONE, datetime.now(UTC), "test")
    engine = Engine(app, {"telegram": sender}, {"telegram": FAST}, backoff=0.01)
    running = asyncio.create_task(engine.run_due())
    await fake.wait_for(lambda: len(fake.called("sendMessage")) >= 2)
    started = time.monotonic()
    await engine.stop(seconds=1.0)
    assert time.monotonic() - started < 5.0
    await asyncio.gather(running, return_exceptions=True)
    rows = {r["status"] for r in await app.db.fetch_all("SELECT status FROM deliveries", ())}
    assert rows == {"sent", "sending"}, "the cut-off send is not marked sent, nor lost"
    fake.latency.clear()
    assert await app.db.broadcasts.recover() == 1
    assert await Engine(app, {"telegram": sender}, {"telegram": FAST}).run_due() == 1
    # The request cut off may or may not have reached the chat: at least once, within the in-flight window.
    assert len(fake.texts(602)) == 2 and len(fake.texts(601)) == 1


async def test_two_workers_engines_never_send_the_same_delivery(setup, fake) -> None:
    """Two processes' engines on one database (each its own connection or pool) share out a broadcast."""
    from telegram.ext import AIORateLimiter

    app, _ = setup
    chats = list(range(2000, 2300))
    await _subscribe(app, fake, chats)
    await outbox.create(app, "adhoc:both", "adhoc", "Tin chung", EVERYONE, datetime.now(UTC), "cli")
    # Paced by the engines (FAST) alone: one bot's 30 messages a second, shared here by both engines, made the
    # 300 sends take 10 s and has nothing to do with how they share the broadcast out.
    application = TelegramChannel(app).build(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
    await application.initialize()
    sender = TelegramSender(application.bot)
    other = await open_app(app.settings)
    try:
        engines = [Engine(a, {"telegram": sender}, {"telegram": FAST}) for a in (app, other)]
        sent = await asyncio.gather(*(e.run_due() for e in engines))
    finally:
        await other.close()
        await application.shutdown()
    assert sum(sent) == len(chats) and min(sent) > 0  # both took part
    assert all(fake.texts(c) == ["Tin chung"] for c in chats)  # each chat exactly once
    [row] = await app.db.broadcasts.progress()
    assert (row.sent, row.pending, row.sending, row.status) == (len(chats), 0, 0, "done")


async def test_a_broadcast_taken_back_withdraws_what_has_not_gone_and_reports_what_has(setup, fake) -> None:
    """Telegram's deliveries go (a sender runs), Zalo's wait (none runs): a cancel withdraws those waiting."""
    from bot.auth import operator

    app, sender = setup
    await _subscribe(app, fake, [301, 302, 303])
    for chat in ("z1", "z2"):
        await app.db.people.set_subscribed("zalo", chat, True)
    admin = operator(app)
    queued = await outbox.queue(app, admin, "Họp dân tối thứ Bảy tại nhà văn hóa.", "k1", public=True)
    assert queued.count == 5
    assert await Engine(app, {"telegram": sender}, {"telegram": FAST}).run_due() == 3
    done = await outbox.cancel(app, admin, queued.id)
    assert (done.withdrawn, done.sent, done.in_flight) == (2, 3, 0)
    row = await app.db.broadcasts.one(queued.id)
    assert (row.status, row.sent, row.withdrawn, row.pending) == ("cancelled", 3, 2, 0)
    assert await Engine(app, {"telegram": sender, "zalo": sender}, {"telegram": FAST}).run_due() == 0
    await app.db.broadcasts.close_finished()
    assert (await app.db.broadcasts.one(queued.id)).status == "cancelled"
    with pytest.raises(outbox.Conflict):  # nothing left to take back
        await outbox.cancel(app, admin, queued.id)
    assert [e.detail for e in await app.db.audit.latest() if e.action == "broadcast.cancel"] == [
        {"id": queued.id, "withdrawn": 2, "sent": 3}
    ]


async def test_a_running_engine_is_seen_sending_until_it_stops(setup) -> None:
    """`loa run` notes the channels it sends on; the console reads it to say whether messages go now."""
    from scheduler.service import Service

    app, sender = setup
    assert await outbox.sending_channels(app) == []
    service = Service(app, Engine(app, {"telegram": sender}, {"telegram": FAST}), timedelta(hours=6))
    await service.start()
    try:
        assert await outbox.sending_channels(app) == ["telegram"]
    finally:
        await service.shutdown()
    assert await outbox.sending_channels(app) == []


async def test_a_crash_leaves_at_most_the_in_flight_window_sent_but_unmarked(setup, fake) -> None:
    """Marks are written in batches, yet what went without being marked never exceeds the window."""
    from scheduler.delivery import SEND_WORKERS

    app, sender = setup
    chats = list(range(3000, 3120))
    await _subscribe(app, fake, chats)
    for chat in chats:
        fake.latency[chat] = 0.02  # sends take a while: many overlap, and marks queue up behind them
    await outbox.create(app, "adhoc:crash", "adhoc", "Tin gấp", EVERYONE, datetime.now(UTC), "cli")
    running = asyncio.create_task(Engine(app, {"telegram": sender}, {"telegram": FAST}).run_due())
    await fake.wait_for(lambda: len(fake.delivered_to) >= 60)
    running.cancel()  # as if the process died: no stop, nothing flushed
    await asyncio.gather(running, return_exceptions=True)
    await asyncio.sleep(0.3)  # requests already on their way land
    rows = await app.db.fetch_all(
        "SELECT c.external_id FROM deliveries d JOIN chats c ON c.id = d.chat_id WHERE d.status = 'sent'", ()
    )
    marked = {int(r["external_id"]) for r in rows}
    went = {c for c in chats if fake.delivered_to.get(c)}
    assert marked <= went and len(marked) >= 40
    assert len(went - marked) <= SEND_WORKERS
    assert await app.db.broadcasts.recover() > 0
    fake.latency.clear()
    assert await Engine(app, {"telegram": sender}, {"telegram": FAST}).run_due() == len(chats) - len(marked)
    assert all(fake.delivered_to.get(c) for c in chats)
    assert sum(fake.delivered_to[c] for c in chats) - len(chats) <= SEND_WORKERS  # sent twice: the window


@pytest.mark.postgresql_only
async def test_a_big_broadcast_tells_postgresql_how_many_deliveries_it_queued(setup, fake) -> None:
    """Without fresh statistics the planner takes new deliveries for none and each claim loops over them."""
    app, _ = setup
    await _subscribe(app, fake, list(range(6000, 6150)))
    await outbox.create(app, "adhoc:big", "adhoc", "Tin gấp", EVERYONE, datetime.now(UTC), "cli")
    counted = await app.db.fetch_value("SELECT reltuples FROM pg_class WHERE relname = 'deliveries'")
    assert counted == 150
    with pytest.raises(ValueError):
        await app.db.refresh_statistics("deliveries; DROP TABLE chats")
