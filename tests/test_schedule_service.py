"""Subscriptions, officers' broadcasts, catch-up of missed sends, and the whole thing inside `loa run`."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot import texts
from bot.app import App
from bot.channels import load_settings
from bot.content import default_content_dir
from bot.core import Incoming
from bot.outbox import BROADCAST_TOO_LONG, BROADCAST_TOO_SHORT
from bot.subscriptions import SUBSCRIBE_NEEDS_ADMIN
from handlers.admin import BROADCAST_CONFIRM
from handlers.subscribe import (
    EVENTS_HEADER,
    SUBSCRIBE_GROUP_PUBLIC,
    SUBSCRIBE_PRIVATE_DONE,
    SUBSCRIBE_UNIT_NEEDS_OFFICER,
    UNSUBSCRIBED,
)
from scheduler.service import catch_up
from tests.fake_telegram import FakeTelegram
from tests.helpers import Person, loa_process, open_app, register_person

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def test_group_subscribes_by_its_admin_or_an_officer_and_people_opt_out(app, router) -> None:
    def group_msg(text: str, user: str, admin: bool) -> Incoming:
        return Incoming("telegram", "-77", user, "group", text=text, group_admin=admin)

    [refused] = await router.handle(group_msg("/dangkynhan 12-003", "g1", admin=False))
    assert refused.text == SUBSCRIBE_NEEDS_ADMIN
    [public] = await router.handle(group_msg("/dangkynhan", "g1", admin=True))
    assert public.text == SUBSCRIBE_GROUP_PUBLIC
    [not_bound] = await router.handle(group_msg("/dangkynhan 12-003", "g1", admin=True))
    assert not_bound.text == SUBSCRIBE_UNIT_NEEDS_OFFICER  # a group admin cannot bind a unit
    chat = await app.db.people.chat("telegram", "-77")
    assert (chat.subscribed, chat.unit_code) == (1, None)
    await register_person(app, router, "o1", role="officer", unit="12-003")
    [done] = await router.handle(group_msg("/dangkynhan", "o1", admin=False))
    assert "Xã Bản Hon" in done.text
    chat = await app.db.people.chat("telegram", "-77")
    assert (chat.subscribed, chat.unit_code, chat.unit_bound_by) == (1, "12-003", "telegram:o1")
    person = await register_person(app, router, "p1")
    assert {c.external_id for c in await app.db.people.subscribers()} == {"-77", "cp1", "co1"}
    assert await person.say("/huynhan") == UNSUBSCRIBED
    assert {c.external_id for c in await app.db.people.subscribers()} == {"-77", "co1"}
    assert await person.say("/dangkynhan") == SUBSCRIBE_PRIVATE_DONE
    assert len(await app.db.people.subscribers()) == 3


async def test_upcoming_events_with_talking_points(app, router) -> None:
    person = Person(router, "e1")
    text = await person.say("/sukien")  # the app clock is 15/3/2024
    assert text.startswith(EVENTS_HEADER)
    assert "25/03/2024 — Nhắc báo cáo" in text
    assert "Giỗ Tổ Hùng Vương" not in text or "18/04/2024" in text


async def test_officer_broadcast_is_confirmed_then_queued_to_their_scope_only(app, router) -> None:
    await register_person(app, router, "v1")  # Bản Nà Tăm, Xã Bản Hon
    await register_person(app, router, "v2", unit="12-004-01")  # Xã Bình Lư
    officer = await register_person(app, router, "o1", role="officer", unit="12-003")
    shown = await officer.say("/phatthanh 19:30 16/3 Họp dân bàn làm đường vào bản")
    assert shown.startswith(
        BROADCAST_CONFIRM.format(count=2, scope="Xã Bản Hon", when=" vào 19:30 16/03/2024", text="")[:40]
    )
    queued = await officer.tap("Hẹn giờ")
    assert queued.startswith("Đã xếp lịch gửi tới 2 nơi nhận")  # the officer's own chat and v1's
    [row] = await app.db.broadcasts.progress()
    assert row.total == 2 and row.send_at == "2024-03-16T12:30:00Z"
    assert (await app.db.audit.latest())[0].action == "broadcast.create"
    propagandist = Person(router, "v1")
    assert (await propagandist.say("/phatthanh xin chào cả xã")).startswith("Lệnh /phatthanh")


async def test_missed_sends_are_caught_up_within_grace_and_skipped_after(app) -> None:
    await app.db.people.set_subscribed("telegram", "1", True)
    # Quốc khánh 2/9/2025 at 07:00: the bot comes back at 10:00 (3 h late) and at 15:00 (8 h late).
    late = datetime(2025, 9, 2, 10, 0, tzinfo=ZONE)
    caught, skipped = await catch_up(app, late, timedelta(hours=6))
    assert "event:quoc-khanh:2025-09-02:0" in caught
    assert any(a.action == "broadcast.create" and a.actor == "scheduler" for a in await app.db.audit.latest())
    assert await catch_up(app, late, timedelta(hours=6)) == ([], []), "planning twice creates nothing twice"
    caught, skipped = await catch_up(app, datetime(2025, 5, 1, 15, 0, tzinfo=ZONE), timedelta(hours=6))
    assert "event:quoc-te-lao-dong:2025-05-01:0" in skipped and not caught


def test_loa_broadcast_send_and_status(tmp_path: Path, capsys, monkeypatch) -> None:
    from bot.cli import main

    monkeypatch.setenv("LOA_DB", str(tmp_path / "b.db"))
    nobody = main(["broadcast", "send", "--text", "Tin gửi mọi nơi", "--key", "k0"])
    assert nobody == 2, "nobody to receive it"
    assert "Không có nơi nhận" in capsys.readouterr().err
    app = asyncio.run(App.open(load_settings(env_file=None, db=tmp_path / "b.db")))
    asyncio.run(app.db.people.set_subscribed("telegram", "801", True, chat_type="private"))
    asyncio.run(app.close())
    assert main(["broadcast", "send", "--text", "Tin gửi mọi nơi", "--key", "k1"]) == 0
    assert main(["broadcast", "send", "--text", "Tin gửi mọi nơi", "--key", "k1"]) == 0
    out = capsys.readouterr().out
    assert "Đã xếp lịch: số 1" in out and "đã có (số 1)" in out
    assert main(["broadcast", "status", "--json"]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["idempotency_key"] == "k1"
    assert main(["broadcast", "send", "--text", "Tin", "--unit", "99-999"]) == 2
    # The command line refuses what the chat refuses: too short, too long, a unit that is not there.
    assert main(["broadcast", "send", "--text", "  Tin \r\n "]) == 2
    assert main(["broadcast", "send", "--text", "Họp dân. " * 400]) == 2
    assert main(["broadcast", "send", "--text", "Tin gửi mọi nơi", "--unit", "99-999"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "loa: " + BROADCAST_TOO_SHORT.format(limit=5),
        "loa: " + BROADCAST_TOO_SHORT.format(limit=5),
        "loa: " + BROADCAST_TOO_LONG.format(length=3599, limit=3500),
        "loa: " + texts.INVITE_BAD_UNIT.format(unit="99-999"),
    ]
    assert main(["broadcast", "status"]) == 0
    assert re.search(
        r"Số 1 «Tin gửi mọi nơi» — \d\d:\d\d \d\d/\d\d/\d{4}: đã gửi 0/1", capsys.readouterr().out
    )
    assert main(["broadcast", "cancel", "1"]) == 0
    assert capsys.readouterr().out == "Đã hủy tin #1: rút 1 tin chưa gửi; 0 nơi đã nhận trước khi hủy.\n"
    assert main(["broadcast", "cancel", "1"]) == 2 and main(["broadcast", "cancel", "7"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "loa: Tin #1 không còn gì chờ gửi (0 nơi đã nhận); không hủy được nữa.",
        "loa: Không có tin phát số 7 (trong phạm vi của đồng chí).",
    ]


async def test_loa_run_sends_a_due_event_and_an_officers_broadcast(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    now = datetime.now(ZONE)
    soon = now - timedelta(minutes=1)
    events = yaml.safe_load((content / "events.yaml").read_text(encoding="utf-8"))
    events.append(
        {
            "id": "hop-khan",
            "title": "Họp khẩn toàn xã",
            "date": {"once": soon.date().isoformat()},
            "days_before": [0],
            "send_time": soon.strftime("%H:%M"),
            "audience": {"everyone": True},
            "talking_points": "Mời bà con dự họp khẩn về phòng chống thiên tai.",
        }
    )
    (content / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "run.db"
    settings = load_settings(env_file=None, db=db, content_dir=content)
    app = await open_app(settings)
    await app.db.people.set_subscribed("telegram", "501", True)
    await app.db.people.set_subscribed("telegram", "-900", True, unit_code="12-003", chat_type="group")
    await app.close()
    fake.chat(501)
    fake.chat(-900, "group")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {
            "LOA_TELEGRAM_TOKEN": fake.token,
            "LOA_TELEGRAM_API_URL": fake.base_url,
            "LOA_DB": str(db),
            "LOA_CONTENT_DIR": str(content),
        }
    )
    proc = await loa_process("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_delivered(501, 1, timeout=60)
        await fake.wait_delivered(-900, 1, timeout=60)
        assert "Họp khẩn toàn xã" in fake.texts(501)[0]
        cli = await loa_process("broadcast", "send", "--text", "Tin của cán bộ tỉnh", env=env, cwd=tmp_path)
        await cli.communicate()
        await fake.wait_delivered(501, 2, timeout=60)
        await fake.wait_delivered(-900, 2, timeout=60)  # a group's next message waits its turn (20 a minute)
        assert fake.texts(501)[1] == fake.texts(-900)[1] == "Tin của cán bộ tỉnh"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        await fake.stop()
    assert proc.returncode == 0, err.decode()[-3000:]
    app = await open_app(settings)
    rows = await app.db.broadcasts.progress()
    await app.close()
    assert {(r.kind, r.sent, r.total) for r in rows} == {("scheduled", 2, 2), ("adhoc", 2, 2)}


async def test_the_nightly_tidy_forgets_update_ids_after_two_days(moving_app: App, clock) -> None:
    from scheduler.service import Service

    assert await moving_app.db.dialogs.claim_update("telegram", "101")
    clock.advance(hours=47)
    assert await moving_app.db.dialogs.claim_update("telegram", "102")
    await Service(moving_app, None, timedelta(hours=6))._tidy()
    assert not await moving_app.db.dialogs.claim_update("telegram", "101"), "a repeat within two days"
    clock.advance(hours=2)
    await Service(moving_app, None, timedelta(hours=6))._tidy()
    assert await moving_app.db.dialogs.claim_update("telegram", "101"), "forgotten after two days"
    assert not await moving_app.db.dialogs.claim_update("telegram", "102")
