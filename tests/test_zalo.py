"""The Zalo channel against a fake Zalo Bot API server on 127.0.0.1 (tests/fake_zalo.py).

Loa's own client talks real HTTP to the fake; nothing of Loa is mocked. Conversations go through the adapter
(`ZaloChannel.accept`, which polling and the webhook both use) so each turn can be awaited; polling, the
webhook and `loa run` are then tested as they run.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import outbox
from bot.app import App
from bot.channels import load_settings, zalo
from bot.channels.render import CHOOSE_BY_NUMBER, TYPE_A_NUMBER
from bot.channels.zalo import ZaloChannel, ZaloSender, choose, render, unwrap
from bot.channels.zalo.adapter import ZALO_NO_FILE, ZALO_TEXT_ONLY
from bot.channels.zalo.api import MAX_TEXT, ZaloClient, ZaloNetworkError
from bot.clock import utc_stamp
from bot.content import Audience
from bot.core import Attachment, Button, Reply
from bot.invites import issue_invite
from handlers.admin import BROADCAST_CONFIRM
from handlers.documents import IMPORT_NO_FILES_HERE
from handlers.menu import BUTTON_TOPICS
from handlers.report import REPORT_CANCELLED, REPORT_WITHDRAWN
from handlers.subscribe import SUBSCRIBE_PRIVATE_DONE, UNSUBSCRIBED
from handlers.topics import TOPICS_HEADER
from scheduler import delivery
from tests.fake_zalo import FakeZalo
from tests.helpers import loa_process, open_app

_OPTION_RE = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


class ZaloUser:
    """Someone on Zalo: types a message, reads what came back, answers a numbered choice by its number."""

    def __init__(self, channel: ZaloChannel, fake: FakeZalo, user_id: str, name: str = "Lò Văn A"):
        self.channel, self.fake, self.user_id, self.name = channel, fake, user_id, name
        self.last: list[str] = []

    async def say(self, text: str) -> str:
        before = len(self.fake.sent[self.user_id])
        task = await self.channel.accept(self.fake.message(self.user_id, text, name=self.name))
        assert task is not None
        await task
        self.last = self.fake.sent[self.user_id][before:]
        return "\n".join(self.last)

    def number_of(self, label_part: str) -> str:
        shown = "\n".join(self.last)
        for number, label in _OPTION_RE.findall(shown):
            if label_part in label:
                return number
        raise AssertionError(f"no numbered choice with {label_part!r} in:\n{shown}")

    async def pick(self, label_part: str) -> str:
        return await self.say(self.number_of(label_part))


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def settings(database: str):
    """These scripts type faster than any person: the flood limit of a private chat is raised for them."""
    return load_settings(env_file=None, db=database, admins="console:admin", flood_private_per_minute=1000)


@pytest.fixture
async def channel(app: App, zfake: FakeZalo):
    client = ZaloClient(zfake.token, zfake.base_url, backoff=0.01)
    yield ZaloChannel(app, client, bot_id=zfake.bot_id)
    await client.close()


async def _register(app: App, channel: ZaloChannel, fake: FakeZalo, user_id: str, role: str = "propagandist"):
    invite = await issue_invite(app, role, "12-003", 1, 30, "test")
    person = ZaloUser(channel, fake, user_id)
    await person.say(f"/dangky {invite['code']}")
    await person.pick("Đúng")
    if role == "propagandist":
        await person.pick("Nà Tăm")
    return person


# -- rendering ------------------------------------------------------------------------------------------
def test_buttons_become_numbered_lines_and_numbers_pick_them() -> None:
    replies = [
        Reply("Chọn chủ đề:", buttons=[[Button("Kinh tế", "topic:kt")], [Button("Văn hóa", "topic:vh")]]),
        Reply("Hoặc:", buttons=[[Button("✅ Xong", "r:top:done")]]),
    ]
    shown = render(replies)
    assert shown.messages[0] == f"Chọn chủ đề:\n\n1. Kinh tế\n2. Văn hóa\n\n{CHOOSE_BY_NUMBER}"
    assert "3. ✅ Xong" in shown.messages[1], "numbering runs on across the replies of one turn"
    assert choose("2", shown.options) == "topic:vh"
    assert choose(" 3. ", shown.options) == "r:top:done"
    assert choose("số 1", shown.options) == choose("so 1)", shown.options) == "topic:kt"
    assert choose("xong", shown.options) == "r:top:done", "a label typed without accents works too"
    assert choose("van hoa", shown.options) == "topic:vh"
    assert choose("4", shown.options) is None and choose("0", shown.options) is None
    assert choose("2 nguoi", shown.options) is None
    assert choose("1", []) is None


def test_number_buttons_are_values_to_type_not_positions() -> None:
    rows = [[Button(str(n), f"r:att:{n}") for n in (10, 20, 50)], [Button("✏️ Số khác", "r:att:other")]]
    shown = render([Reply("Bao nhiêu người dự?", buttons=rows)])
    assert shown.messages == ["Bao nhiêu người dự?\n\n" + TYPE_A_NUMBER.format(examples="10, 20, 50")]
    assert choose("20", shown.options) == "r:att:20"
    assert choose("3", shown.options) is None, "3 is three people, typed through to the report"


def test_long_replies_are_split_at_2000_on_line_boundaries() -> None:
    lines = [f"Dòng {i}: " + "nội dung " * 20 for i in range(60)]
    shown = render([Reply("\n".join(lines), buttons=[[Button("Tiếp", "menu:help")]])])
    assert len(shown.messages) > 1 and all(1 <= len(m) <= MAX_TEXT for m in shown.messages)
    assert all(m.startswith("Dòng") for m in shown.messages), "every cut falls between lines"
    assert shown.messages[-1].endswith(CHOOSE_BY_NUMBER), "the choices come last"


def test_attachments_become_their_caption_and_a_note() -> None:
    chart = Attachment("thong-ke.png", b"\x89PNG", "photo", caption="Biểu đồ quý 1/2024")
    shown = render([Reply("Tổng: 3 buổi", attachment=chart)])
    assert shown.messages == [
        "Tổng: 3 buổi\n\nBiểu đồ quý 1/2024\n\n" + ZALO_NO_FILE.format(filename="thong-ke.png")
    ]


def test_webhook_bodies_with_and_without_the_envelope() -> None:
    update = {"event_name": "message.text.received", "message": {"text": "x"}}
    assert unwrap(update) == update
    assert unwrap({"ok": True, "result": update}) == update
    assert unwrap({"ok": False, "error_code": 408}) is None
    assert unwrap(["not", "a", "dict"]) is None


# -- conversations --------------------------------------------------------------------------------------
async def test_question_typed_without_accents_gets_the_answer_and_source(channel, zfake) -> None:
    person = ZaloUser(channel, zfake, "u-q")
    answer = await person.say("thu ngan sach nam 2023 dat bao nhieu")
    assert "Nguồn:" in answer and "ngân sách" in answer.lower()
    assert all(len(m) <= MAX_TEXT for m in person.last)


async def test_a_full_guided_report_by_numbers(app: App, channel, zfake) -> None:
    person = await _register(app, channel, zfake, "u-r")
    user = await app.db.people.user("zalo", "u-r")
    assert (user.role, user.unit_code) == ("propagandist", "12-003-01")
    await person.say("/baocao")
    await person.pick("Hôm qua")
    await person.pick("Họp thôn")
    await person.pick("Nà Tăm")
    assert "Gõ số" in person.last[-1]
    await person.say("37")  # not among the examples: typed as the number of people
    await person.pick("Lai Châu")
    await person.pick("nhiệm vụ năm 2024")
    await person.pick("Xong")
    await person.pick("Không có")
    receipt = await person.pick("Gửi")
    assert receipt.startswith("✅ Đã lưu báo cáo số 1")
    [saved] = await app.db.reports.of_user(user.id)
    assert saved.activity_date == "2024-03-14" and saved.form == "hop-thon"
    assert saved.unit_code == "12-003-01" and saved.attendees == 37
    assert saved.topics == ["tinh-lai-chau", "nam-2024"]
    mine = await person.say("/baocaocuatoi")
    assert "37" in mine


async def test_a_small_number_at_the_attendee_step_is_people_not_a_position(app, channel, zfake) -> None:
    person = await _register(app, channel, zfake, "u-a")
    await person.say("Báo cáo")  # the command as words: Zalo has no command menu
    await person.pick("Hôm nay")
    await person.pick("Loa")
    await person.pick("Nà Tăm")
    await person.say("3")
    await person.pick("Lai Châu")
    await person.pick("Xong")
    summary = await person.pick("Không có")
    assert "• Số người dự: 3\n" in summary


async def test_everything_a_propagandist_does_in_private_works_on_zalo(app: App, channel, zfake) -> None:
    person = ZaloUser(channel, zfake, "u-p")
    # No Start button on Zalo: people open with a greeting, and get the welcome and its menu.
    welcome = await person.say("xin chao")
    assert welcome.startswith("Xin chào Lò Văn A!") and f"1. {BUTTON_TOPICS}" in welcome
    assert TOPICS_HEADER in await person.say("1")
    assert "Loa" in await person.say("/start")
    assert "/hoi" in await person.say("/trogiup")
    await person.say("/chude")
    topic = await person.pick("Lai Châu")
    assert "1." in topic
    assert "Nguồn:" in await person.say("1")
    assert "37/43" in await person.say("/thongdiep")
    events = await person.say("/sukien")
    assert re.search(r"\d{2}/\d{2}/\d{4}", events), events
    # Registration, then everything a registered propagandist does.
    person = await _register(app, channel, zfake, "u-p")
    assert (await app.db.people.chat("zalo", "u-p")).subscribed == 1, "registered: talking points by default"
    assert await person.say("/huynhan") == UNSUBSCRIBED
    assert (await app.db.people.chat("zalo", "u-p")).subscribed == 0
    assert await person.say("/dangkynhan") == SUBSCRIBE_PRIVATE_DONE
    assert (await app.db.people.chat("zalo", "u-p")).subscribed == 1
    quick = await person.say("/baocao hôm qua họp bản Nà Tăm 45 người thu ngân sách 2023")
    assert "45" in quick
    saved = await person.pick("Gửi")
    assert saved.startswith("✅ Đã lưu báo cáo")
    await person.say("/baocao")
    assert await person.say("/huy") == REPORT_CANCELLED
    await person.say("bao cao")
    await person.pick("Hôm nay")
    assert await person.say("Hủy") == REPORT_CANCELLED, "the word works mid-report too"
    mine = await person.say("/baocaocuatoi")
    assert "45 người" in mine
    await person.pick("Sửa số 1")
    await person.pick("Sửa")
    await person.pick("Số người")
    await person.say("40")
    assert "✅ Đã sửa báo cáo số 1" in await person.pick("Gửi")
    await person.say("/baocaocuatoi")
    await person.pick("Rút số 1")
    withdrawn = await person.pick("Rút báo cáo")
    assert withdrawn == REPORT_WITHDRAWN.format(id=1)
    user = await app.db.people.user("zalo", "u-p")
    [report] = await app.db.reports.of_user(user.id)
    assert (report.status, report.attendees) == ("withdrawn", 40)


async def test_a_near_question_offers_choices_answered_by_number(channel, zfake) -> None:
    person = ZaloUser(channel, zfake, "u-s")
    reply = await person.say("so chi tieu vuot ke hoach nam 2023 cua tinh la bao nhieu")
    numbers = _OPTION_RE.findall(reply)
    assert numbers, reply
    assert "Nguồn:" in await person.say(numbers[0][0])


async def test_officers_get_text_instead_of_files(app: App, channel, zfake) -> None:
    officer = await _register(app, channel, zfake, "u-o", role="officer")
    reporter = await _register(app, channel, zfake, "u-r2")
    await reporter.say("/baocao hôm qua họp bản Nà Tăm 45 người thu ngân sách 2023")
    await reporter.pick("Gửi")
    stats = await officer.say("/thongke")
    assert "45" in stats and ZALO_NO_FILE.format(filename="").split("«")[0] in stats
    export = await officer.say("/xuat")
    assert ".xlsx" in export and "loa report export" in export
    assert zfake.count("sendPhoto") == 0


async def test_a_repeated_update_is_answered_once(channel, zfake) -> None:
    update = zfake.message("u-d", "/trogiup", message_id="same-id")
    first = await channel.accept(update)
    assert first is not None
    await first
    assert await channel.accept(update) is None
    assert len(zfake.sent["u-d"]) == 1


async def test_the_bots_own_messages_and_non_text_are_handled(channel, zfake) -> None:
    assert await channel.accept(zfake.message(zfake.bot_id, "echo of our own reply")) is None
    task = await channel.accept(zfake.message("u-i", None, event="message.image.received"))
    await task
    task = await channel.accept(zfake.message("u-i", None, event="message.sticker.received"))
    await task
    assert zfake.sent["u-i"] == [ZALO_TEXT_ONLY] * 2
    assert zfake.sent[zfake.bot_id] == []


async def test_replies_survive_429_and_server_errors(channel, zfake) -> None:
    zfake.fail("sendMessage", 429, retry_after=0.05)
    zfake.fail("sendMessage", 502)
    zfake.fail("sendMessage", 500)
    person = ZaloUser(channel, zfake, "u-f")
    assert "/hoi" in await person.say("/trogiup")
    assert len(zfake.sent["u-f"]) == 1, "delivered once, after three failed tries"
    assert zfake.count("sendMessage") == 4


async def test_a_user_who_blocked_the_bot_is_marked_inactive(app: App, channel, zfake) -> None:
    zfake.blocked.add("u-b")
    await ZaloUser(channel, zfake, "u-b").say("/trogiup")
    assert (await app.db.people.chat("zalo", "u-b")).active == 0


async def test_choices_survive_a_restart(settings, zfake) -> None:
    first = await open_app(settings)
    client = ZaloClient(zfake.token, zfake.base_url)
    person = ZaloUser(ZaloChannel(first, client), zfake, "u-x")
    await person.say("/chude")
    number = person.number_of("Lai Châu")
    await first.close()
    again = await open_app(settings)
    person.channel = ZaloChannel(again, client)
    assert "1." in await person.say(number)
    await again.close()
    await client.close()


# -- broadcasts -----------------------------------------------------------------------------------------
async def test_a_broadcast_reaches_zalo_users_once_despite_429_and_5xx(app: App, channel, zfake) -> None:
    for i in range(6):
        await _register(app, channel, zfake, f"u-bc{i}")
    zfake.fail("sendMessage", 429, times=2, retry_after=0.05)
    zfake.fail("sendMessage", 503, times=2)
    before = {f"u-bc{i}": len(zfake.sent[f"u-bc{i}"]) for i in range(6)}
    sender = ZaloSender(ZaloClient(zfake.token, zfake.base_url))
    broadcast_id, _ = await outbox.create(
        app, "test:zalo", "adhoc", "Nhắc: họp thôn tối nay.", Audience(), app.clock(), "test"
    )
    engine = delivery.Engine(app, {"zalo": sender}, {"zalo": zalo.LIMITS}, backoff=0.01)
    sent = await engine.run_due()
    while sent < 6:  # deliveries that failed with 5xx wait for the next pass, as in `loa run`
        sent += await engine.run_due()
    for user, n in before.items():
        assert zfake.sent[user][n:] == ["Nhắc: họp thôn tối nay."], user
    [row] = [r for r in await app.db.broadcasts.progress() if r.id == broadcast_id]
    assert (row.sent, row.failed) == (6, 0)
    await sender.client.close()


async def test_an_officer_on_zalo_broadcasts_to_zalo_propagandists(app: App, channel, zfake) -> None:
    officer = await _register(app, channel, zfake, "u-off", role="officer")
    others = [await _register(app, channel, zfake, f"u-tv{i}") for i in range(3)]
    shown = await officer.say("/phatthanh Họp dân bàn làm đường vào bản tối nay")
    confirm = BROADCAST_CONFIRM.format(count=4, scope="Xã Bản Hon", when="", text="")
    assert shown.startswith(confirm.strip())
    await officer.pick("Gửi ngay")
    engine = delivery.Engine(app, {"zalo": ZaloSender(channel.client)}, {"zalo": zalo.LIMITS})
    assert await engine.run_due() == 4, "the three propagandists and the officer's own private chat"
    for person in others:
        assert zfake.sent[person.user_id][-1] == "Họp dân bàn làm đường vào bản tối nay"


async def test_a_slow_answer_shows_typing_first(channel, zfake, monkeypatch) -> None:
    monkeypatch.setattr(zalo.adapter, "TYPING_AFTER", 0.01)
    handle = channel.router.handle

    async def slow(inc):  # an answer that waits (the store, say) well past TYPING_AFTER
        await asyncio.sleep(0.1)
        return await handle(inc)

    monkeypatch.setattr(channel.router, "handle", slow)
    await ZaloUser(channel, zfake, "u-t").say("/thongdiep")
    calls = [(m, p) for m, p in zfake.calls if m in ("sendChatAction", "sendMessage")]
    assert calls[0] == ("sendChatAction", {"chat_id": "u-t", "action": "typing"})
    assert calls[1][0] == "sendMessage"


# -- the client -----------------------------------------------------------------------------------------
async def test_the_base_url_may_end_with_a_slash(zfake) -> None:
    async with ZaloClient(zfake.token, zfake.base_url + "/") as client:
        assert (await client.get_me()).id == zfake.bot_id


async def test_the_token_never_shows_in_errors(zfake) -> None:
    client = ZaloClient(zfake.token, "http://127.0.0.1:9/bot", retries=0)
    with pytest.raises(ZaloNetworkError) as err:
        await client.send_message("u", "x")
    assert zfake.token not in str(err.value)
    await client.close()


# -- polling and the webhook, as `loa run` runs them ----------------------------------------------------
async def _run(settings_kw: dict[str, Any], tmp_path: Path, zfake: FakeZalo):
    settings = load_settings(
        env_file=None,
        db=tmp_path / "z.db",
        zalo_token=zfake.token,
        zalo_api_url=zfake.base_url,
        **settings_kw,
    )
    app = await open_app(settings)
    stop = asyncio.Event()
    lines: list[str] = []
    task = asyncio.create_task(zalo.run(app, stop, announce=lines.append))
    for _ in range(100):
        if lines or task.done():
            break
        await asyncio.sleep(0.05)
    return app, stop, task, lines


async def _finish(app: App, stop: asyncio.Event, task: asyncio.Task) -> None:
    stop.set()
    await asyncio.wait_for(task, 10)
    await app.close()


async def test_polling_answers_once_and_rides_out_server_errors(tmp_path: Path, zfake) -> None:
    zfake.webhook = {"url": "https://old.example/hook", "secret_token": "x" * 16}
    zfake.fail("getUpdates", 502)
    zfake.fail("getUpdates", 429, retry_after=0.05)
    zfake.fail("sendMessage", 500)
    app, stop, task, lines = await _run({}, tmp_path, zfake)
    assert lines and "polling" in lines[0]
    assert zfake.webhook == {}, "a webhook left from before is removed so that polling works"
    update = zfake.say("u-poll", "/trogiup")
    zfake.updates.put_nowait(update)  # Zalo hands the same message out twice
    await zfake.wait_sent("u-poll", 1)
    await asyncio.sleep(0.3)
    assert len(zfake.sent["u-poll"]) == 1
    await _finish(app, stop, task)
    assert zfake.handed_out[update["message"]["message_id"]] == 2


async def test_webhook_checks_the_secret_and_takes_both_body_shapes(tmp_path: Path, zfake) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "s3cret-for-the-webhook"
    app, stop, task, lines = await _run(
        {
            "zalo_webhook_url": f"http://127.0.0.1:{port}/zalo/hook",
            "zalo_webhook_secret": secret,
            "zalo_webhook_port": port,
        },
        tmp_path,
        zfake,
    )
    try:
        assert lines and "webhook" in lines[0]
        assert zfake.webhook == {"url": f"http://127.0.0.1:{port}/zalo/hook", "secret_token": secret}
        wrong = await zfake.push_webhook(zfake.message("u-w", "/trogiup"), secret="not-the-secret")
        missing = await zfake.push_webhook(zfake.message("u-w", "/trogiup"), secret="")
        assert (wrong, missing) == (403, 403)
        update = zfake.message("u-w", "/trogiup")
        assert await zfake.push_webhook(update) == 200
        await zfake.wait_sent("u-w", 1)
        assert await zfake.push_webhook(update, envelope=False) == 200, "a retried delivery is accepted…"
        assert await zfake.push_webhook(zfake.message("u-w", "/chude"), envelope=False) == 200
        await zfake.wait_sent("u-w", 2)
        await asyncio.sleep(0.3)
        assert len(zfake.sent["u-w"]) == 2, "…and not answered twice; the wrong secrets not at all"
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(
                zfake.webhook["url"], data=b"{not json", headers={"X-Bot-Api-Secret-Token": secret}
            ) as bad,
        ):
            assert bad.status == 400
    finally:
        await _finish(app, stop, task)


async def test_loa_run_with_a_bad_zalo_token_says_so_in_one_line(tmp_path: Path, zfake) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {
            "LOA_ZALO_TOKEN": "42:WRONG-TOKEN-VALUE",
            "LOA_ZALO_API_URL": zfake.base_url,
            "LOA_DB": str(tmp_path / "run.db"),
        }
    )
    proc = await loa_process("-v", "run", env=env, cwd=tmp_path)
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    message = err.decode()
    # With -v the DEBUG lines of aiosqlite's thread may come before or after it: find the error line.
    [error] = [line for line in message.splitlines() if line.startswith("loa: ")]
    assert "LOA_ZALO_TOKEN" in error
    assert "Traceback" not in message and "WRONG-TOKEN-VALUE" not in message


async def test_loa_run_serves_telegram_and_zalo_and_broadcasts_to_both(tmp_path: Path, fake, zfake) -> None:
    import shutil
    from zoneinfo import ZoneInfo

    import yaml

    from bot.content import default_content_dir

    # A talking point for propagandists, due a minute ago: the scheduler sends it at start-up.
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    due = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - timedelta(minutes=1)
    events = yaml.safe_load((content / "events.yaml").read_text(encoding="utf-8"))
    events.append(
        {
            "id": "nhac-ttv",
            "title": "Nhắc tuyên truyền viên",
            "date": {"once": due.date().isoformat()},
            "days_before": [0],
            "send_time": due.strftime("%H:%M"),
            "audience": {"roles": ["propagandist"]},
            "talking_points": "Tuần này tuyên truyền về phòng chống cháy rừng.",
        }
    )
    (content / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "both.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {
            "LOA_TELEGRAM_TOKEN": fake.token,
            "LOA_TELEGRAM_API_URL": fake.base_url,
            "LOA_ZALO_TOKEN": zfake.token,
            "LOA_ZALO_API_URL": zfake.base_url,
            "LOA_DB": str(db),
            "LOA_CONTENT_DIR": str(content),
        }
    )
    # Subscribed already: a propagandist on Zalo, someone else on Telegram.
    app = await open_app(load_settings(env_file=None, db=db, content_dir=content))
    for channel_name, user in (("telegram", "7001"), ("zalo", "z-7001")):
        await app.db.people.note_contact(channel_name, user, "A", user, "private")
        await app.db.people.set_subscribed(channel_name, user, True)
    await app.db.people.set_role("zalo", "z-7001", "propagandist", "12-003-01", "A")
    await app.close()
    fake.chat(7001)
    proc = await loa_process("-v", "run", env=env, cwd=tmp_path)
    try:
        point = await zfake.wait_sent("z-7001", 1, timeout=30)
        assert "Nhắc tuyên truyền viên" in point[0] and "cháy rừng" in point[0]
        zfake.say("z-asker", "thu ngan sach 2023")
        answer = await zfake.wait_sent("z-asker", 1, timeout=30)
        assert "Nguồn:" in answer[0]
        send = await loa_process(
            "broadcast", "send", "--text", "Tin chung cho hai kênh.", env=env, cwd=tmp_path
        )
        await asyncio.wait_for(send.communicate(), 60)
        assert send.returncode == 0
        assert (await zfake.wait_sent("z-7001", 2, timeout=30))[1] == "Tin chung cho hai kênh."
        await fake.wait_delivered(7001, 1, timeout=30)
        assert fake.texts(7001) == ["Tin chung cho hai kênh."], "the talking point was for propagandists only"
    finally:
        proc.terminate()
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-2000:]
    log = err.decode()
    assert "DEBUG" in log and fake.token not in log and zfake.token not in log, "tokens are masked in the log"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetchall()
    assert rows == [("sent", 3)]


async def test_loa_run_says_which_zalo_setting_is_wrong(tmp_path: Path, zfake) -> None:
    import socket

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {"LOA_ZALO_TOKEN": zfake.token, "LOA_ZALO_API_URL": zfake.base_url, "LOA_DB": str(tmp_path / "s.db")}
    )
    short = await loa_process("run", env={**env, "LOA_ZALO_WEBHOOK_SECRET": "short"}, cwd=tmp_path)
    _out, err = await asyncio.wait_for(short.communicate(), 60)
    assert short.returncode == 2 and "LOA_ZALO_WEBHOOK_SECRET" in err.decode() and "short" not in err.decode()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = await loa_process(
            "run",
            env={
                **env,
                "LOA_ZALO_WEBHOOK_URL": "https://loa.example/zalo",
                "LOA_ZALO_WEBHOOK_PORT": str(port),
            },
            cwd=tmp_path,
        )
        _out, err = await asyncio.wait_for(busy.communicate(), 60)
    assert busy.returncode == 2
    assert err.decode().count("\n") == 1 and f"127.0.0.1:{port}" in err.decode(), err.decode()


def test_splitting_counts_emoji_as_messengers_do() -> None:
    from bot.channels.textsplit import split_text, utf16_len

    text = "\n".join("📚 " + "chữ " * 30 for _ in range(40))
    parts = split_text(text, MAX_TEXT)
    assert all(utf16_len(p) <= MAX_TEXT for p in parts) and "\n".join(parts) == text
    assert [utf16_len(p) for p in split_text("📣" * 1500, MAX_TEXT)] == [2000, 1000]


async def test_handled_ids_are_kept_for_a_while_then_forgotten(app: App) -> None:
    from datetime import timedelta

    assert await app.db.dialogs.claim_update("zalo", "chat:m1") is True
    assert await app.db.dialogs.claim_update("zalo", "chat:m1") is False
    assert await app.db.dialogs.forget_handled(utc_stamp(app.clock() - zalo.HANDLED_KEEP)) == 0
    assert await app.db.dialogs.forget_handled(utc_stamp(app.clock() + timedelta(seconds=1))) == 1
    assert await app.db.dialogs.claim_update("zalo", "chat:m1") is True


async def test_a_province_officer_on_zalo_is_told_how_to_import_a_document(app: App, channel, zfake) -> None:
    await app.db.people.set_role("zalo", "u-prov", "officer", "12", "Cán bộ Tỉnh")
    officer = ZaloUser(channel, zfake, "u-prov")
    said = await officer.say("/nhapvanban")
    assert said == IMPORT_NO_FILES_HERE and "loa content import" in said


@pytest.mark.postgresql_only
async def test_two_workers_share_numbered_choices_and_answer_a_repeat_once(settings, zfake) -> None:
    """Zalo webhooks behind one proxy: choices shown by one worker are picked on another, and a message Zalo
    sends again reaches the other worker to no effect."""
    apps = [await open_app(settings), await open_app(settings)]
    client = ZaloClient(zfake.token, zfake.base_url)
    try:
        first, second = (ZaloChannel(a, client, bot_id=zfake.bot_id) for a in apps)
        person = ZaloUser(first, zfake, "u-w")
        await person.say("/chude")
        number = person.number_of("Lai Châu")
        person.channel = second
        assert "1." in await person.say(number) and "Lai Châu" in "\n".join(person.last)
        update = zfake.message("u-w", "/trogiup", message_id="twice")
        task = await first.accept(update)
        assert task is not None
        await task
        answered = len(zfake.sent["u-w"])
        assert await second.accept(update) is None
        await asyncio.sleep(0.3)
        assert len(zfake.sent["u-w"]) == answered
    finally:
        await client.close()
        for a in apps:
            await a.close()


async def test_residents_voice_and_the_pulse_on_zalo(app: App, channel, zfake) -> None:
    person = await _register(app, channel, zfake, "u-v")
    relayed = await person.say("Dân hỏi: tỉnh đạt bao nhiêu chỉ tiêu năm 2023?")
    assert "Đồng chí có thể trả lời bà con" in relayed and "37/43" in relayed
    waiting = await person.say("dan phan anh: duong vao ban bi sat")
    assert "Đã ghi 1 ý kiến" in waiting and "chuyển Ban Tuyên giáo" in waiting
    officer = await _register(app, channel, zfake, "u-o", role="officer")
    pulse = await officer.say("dư luận")
    assert "📊 Dư luận" in pulse and "Đường sá" in pulse and "1. Tháng này" in pulse
    quarter = await officer.pick("Quý này")
    assert quarter.startswith("📊 Dư luận — Quý 1/2024")


async def test_bantin_on_zalo_is_the_script_and_a_note_where_audio_cannot_go(
    app: App, channel, zfake
) -> None:
    from bot.channels.zalo.adapter import ZALO_NO_VOICE

    person = ZaloUser(channel, zfake, "z-bantin")
    shown = await person.say("bản tin")
    assert "Bản tin cho loa truyền thanh" in shown and "1. 📅" in shown
    script = await person.pick("📅")
    assert "Kính thưa bà con nhân dân!" in script and "Xin cảm ơn bà con đã lắng nghe." in script
    assert ZALO_NO_VOICE in script
