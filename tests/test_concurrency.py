"""One busy chat slows only itself: chats are answered side by side, a flood gets one polite line, and a stop
ends within 20 s saying what was left unanswered."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from bot.app import App
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo.api import ZaloClient
from bot.flood import FloodGuard, Rate
from bot.router import FLOOD_GROUP, FLOOD_PRIVATE
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.helpers import finish_telegram, start_telegram

ALICE = 501
GROUP = -4001


def test_the_flood_guard_warns_once_per_window_then_lets_the_chat_in_again() -> None:
    now = [0.0]
    guard = FloodGuard(private=Rate(3, 10.0), group=Rate(2, 60.0), clock=lambda: now[0])
    verdicts = [guard.check("t", "1", "private") for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert guard.check("t", "2", "private") == "ok", "another chat is not held up"
    now[0] = 10.5
    assert guard.check("t", "1", "private") == "ok"
    assert [guard.check("t", "-9", "group") for _ in range(3)] == ["ok", "ok", "warn"]


async def test_a_flooding_group_does_not_hold_up_a_private_answer(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = await start_telegram(str(tmp_path / "tg.db"), fake)
    try:
        fake.chat(GROUP, "group", "Bản Nà Tăm")
        fake.latency[GROUP] = 0.5  # every message to the group takes half a second to go out
        for i in range(45):
            await fake.send_text(GROUP, 600 + i, "/hoi thu ngan sach 2023", chat_type="group")
        await fake.wait_for(lambda: fake.called("sendMessage"), timeout=10)
        started = time.monotonic()
        await fake.send_text(ALICE, ALICE, "tinh dat bao nhieu chi tieu nam 2023")
        await fake.wait_for(lambda: fake.sent(ALICE), timeout=30)
        waited = time.monotonic() - started
        assert waited < 3.0, f"the private answer waited {waited:.1f} s behind the group"
        await fake.wait_for(lambda: FLOOD_GROUP in fake.texts(GROUP), timeout=30)
        await asyncio.sleep(1.5)
        said = fake.texts(GROUP)
        assert said.count(FLOOD_GROUP) == 1, "one polite line, not one per command"
        assert len(said) == 11 and sum("2.000 tỷ" in t for t in said) == 10
    finally:
        await finish_telegram(bot)


async def test_a_stop_ends_within_20_seconds_and_logs_what_was_dropped(
    tmp_path: Path, fake: FakeTelegram, caplog
) -> None:
    bot = await start_telegram(str(tmp_path / "tg.db"), fake)
    fake.chat(GROUP, "group", "Bản Nà Tăm")
    fake.latency[GROUP] = 120.0  # a reply that hangs at the server
    for i in range(6):
        await fake.send_text(GROUP, 700 + i, "/hoi thu ngan sach 2023", chat_type="group")
    await fake.wait_for(lambda: fake.called("sendMessage"), timeout=10)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        bot.stop.set()
        await asyncio.wait_for(bot.task, 25)
    took = time.monotonic() - started
    await bot.app.close()
    assert took < 20.0, f"stopping took {took:.1f} s"
    dropped = [r.getMessage() for r in caplog.records if "not answered" in r.getMessage()]
    assert dropped and dropped[0].startswith("stopped: 6 update(s) not answered"), dropped


async def test_a_flooding_zalo_chat_gets_one_polite_line(app: App, zfake: FakeZalo) -> None:
    client = ZaloClient(zfake.token, zfake.base_url, backoff=0.01)
    channel = ZaloChannel(app, client, bot_id=zfake.bot_id)
    try:
        tasks = [await channel.accept(zfake.message("u-f", f"thu ngan sach {2000 + i}")) for i in range(40)]
        await asyncio.gather(*[t for t in tasks if t is not None])
        said = zfake.sent["u-f"]
        assert said.count(FLOOD_PRIVATE) == 1
        assert len(said) == app.settings.flood_private_per_minute + 1
    finally:
        await client.close()


async def test_a_zalo_stop_answers_what_it_can_and_drops_a_hanging_reply_in_time(
    app: App, zfake: FakeZalo, caplog
) -> None:
    client = ZaloClient(zfake.token, zfake.base_url, backoff=0.01, timeout=120)
    channel = ZaloChannel(app, client, bot_id=zfake.bot_id)
    try:
        zfake.latency["u-slow"] = 60.0
        await channel.accept(zfake.message("u-slow", "thu ngan sach 2023"))
        quick = await channel.accept(zfake.message("u-quick", "thu ngan sach 2023"))
        await quick
        started = time.monotonic()
        with caplog.at_level(logging.WARNING):
            dropped = await channel.drain(seconds=1.0)
        assert time.monotonic() - started < 5.0 and dropped == 1
        assert "2.000 tỷ" in zfake.sent["u-quick"][0] and not zfake.sent["u-slow"]
        assert any("1 update(s) not answered" in r.getMessage() for r in caplog.records)
    finally:
        await client.close()
