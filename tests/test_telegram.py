"""Loa on Telegram, end to end: python-telegram-bot's own polling and HTTP against a fake Bot API server.

The application under test is the one ``loa run`` builds (``bot.channels.telegram.run``); the fake server on
127.0.0.1 is the only stand-in.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from bot import texts
from bot.channels import load_settings, telegram
from bot.channels.textsplit import split_text
from bot.content import default_content_dir
from bot.router import UNKNOWN_COMMAND
from bot.subscriptions import SUBSCRIBE_NEEDS_ADMIN
from handlers.register import INVITE_UNKNOWN
from handlers.report import REPORT_ASK_DATE, REPORT_ASK_FORM
from handlers.subscribe import SUBSCRIBE_UNIT_NEEDS_OFFICER
from tests.fake_telegram import FakeTelegram
from tests.helpers import (
    finish_telegram,
    free_port,
    loa_process,
    open_app,
    start_telegram,
    telegram_env,
    telegram_replies,
)

BACKENDS = ("sqlite", "postgresql")
ALICE = 501  # a propagandist in a private chat
GROUP = -4001


@pytest.fixture
async def bot(database: str, fake: FakeTelegram):
    running = await start_telegram(database, fake)
    yield running
    await finish_telegram(running)


async def test_private_question_gets_answer_with_source_and_buttons(bot, fake) -> None:
    await fake.send_text(ALICE, ALICE, "tinh dat bao nhieu chi tieu nam 2023", name="Lò Văn A")
    [msg] = await telegram_replies(fake, ALICE)
    assert msg["parse_mode"] == "HTML"
    text = fake.texts(ALICE)[0]
    assert "37/43" in text and "Nguồn:" in text and "mục II.1.6" in text
    buttons = [b for row in msg["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons and all(b["callback_data"].startswith("faq:") for b in buttons)


async def test_start_with_a_deep_link_payload_and_the_command_menus(bot, fake) -> None:
    scopes = {c["scope"]["type"]: [x["command"] for x in c["commands"]] for c in fake.called("setMyCommands")}
    assert set(scopes) == {"all_private_chats", "all_group_chats"}
    assert "start" in scopes["all_private_chats"] and "start" not in scopes["all_group_chats"]
    assert "hoi" in scopes["all_group_chats"]
    await fake.send_text(ALICE, ALICE, "/start ABC123", name="Lò Văn A")
    await telegram_replies(fake, ALICE, 2)
    assert "Xin chào Lò Văn A" in fake.texts(ALICE)[0]
    assert fake.texts(ALICE)[1] == INVITE_UNKNOWN.format(code="ABC123")


async def test_button_press_is_answered_and_navigation_edits_the_message(bot, fake) -> None:
    await fake.send_text(ALICE, ALICE, "/chude")
    [menu] = await telegram_replies(fake, ALICE)
    menu_message = fake.messages[(ALICE, max(k[1] for k in fake.messages if k[0] == ALICE))]
    topic = menu["reply_markup"]["inline_keyboard"][5][0]["callback_data"]
    await fake.press(ALICE, ALICE, topic, menu_message)
    await fake.wait_for(lambda: fake.called("editMessageText"))
    assert len(fake.called("answerCallbackQuery")) == 1
    edited = fake.called("editMessageText")[0]
    assert "Lai Châu" in edited["text"]
    faq = next(
        b["callback_data"]
        for row in edited["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("faq:")
    )
    await fake.press(ALICE, ALICE, faq, menu_message)
    await fake.wait_for(lambda: len(fake.sent(ALICE, "sendMessage")) == 2)
    assert len(fake.called("answerCallbackQuery")) == 2
    assert "Nguồn:" in fake.texts(ALICE)[-1]


async def test_stale_button_still_stops_the_spinner(bot, fake) -> None:
    await fake.press(
        ALICE, ALICE, "faq:removed-entry", {"message_id": 99, "date": 0, "chat": fake.chat(ALICE)}
    )
    await telegram_replies(fake, ALICE)
    assert fake.called("answerCallbackQuery")
    assert fake.texts(ALICE) == [texts.STALE_BUTTON]


async def test_group_answers_only_when_addressed_and_is_recorded(bot, fake) -> None:
    await fake.member_change(GROUP, "member", title="Bản Nà Tăm")
    await fake.send_text(GROUP, 601, "hôm nay họp mấy giờ", chat_type="group")
    await fake.send_text(GROUP, 601, "/start@OtherBot", chat_type="group")
    await fake.send_text(GROUP, 601, "/hoi@LoaTestBot thu ngan sach 2023", chat_type="group")
    await telegram_replies(fake, GROUP)
    await fake.send_text(GROUP, 602, "@LoaTestBot kl 64 ngay nao", chat_type="group")
    await telegram_replies(fake, GROUP, 2)
    bot_msg = fake.messages[(GROUP, max(k[1] for k in fake.messages if k[0] == GROUP))]
    await fake.send_text(GROUP, 603, "con quy hoach tinh thi sao", chat_type="group", reply_to=bot_msg)
    await telegram_replies(fake, GROUP, 3)
    replies = fake.texts(GROUP)
    assert "2.000 tỷ" in replies[0] and "64-KL/TW" in replies[1] and "2021-2030" in replies[2]
    await asyncio.sleep(0.3)
    assert len(fake.sent(GROUP)) == 3, "chatter and another bot's command get no reply"
    record = await bot.app.db.people.chat("telegram", str(GROUP))
    assert record.chat_type == "group" and record.active == 1 and record.title == "Bản Nà Tăm"


async def test_group_removed_and_migrated_to_supergroup_keeps_its_record(bot, fake) -> None:
    await fake.member_change(GROUP, "member", title="Xã Bản Hon")
    await fake.wait_for(lambda: len(fake.delivered) >= 1)
    await asyncio.sleep(0.2)
    await bot.app.db.execute(
        "UPDATE chats SET subscribed = 1, unit_code = 'X01' WHERE external_id = ?", (str(GROUP),)
    )
    super_id = -1000000004001
    await fake.migrate_group(GROUP, super_id)
    await fake.send_text(super_id, 601, "/hoi du lich 2023", chat_type="supergroup")
    await telegram_replies(fake, super_id)
    moved = await bot.app.db.people.chat("telegram", str(super_id))
    assert moved.subscribed == 1 and moved.unit_code == "X01"
    assert await bot.app.db.people.chat("telegram", str(GROUP)) is None
    await fake.member_change(super_id, "kicked")
    await fake.wait_for(lambda: fake.delivered and max(fake.delivered) >= fake.next_update_id - 1)
    await asyncio.sleep(0.3)
    assert (await bot.app.db.people.chat("telegram", str(super_id))).active == 0


async def test_a_restricted_bot_that_is_still_a_member_stays_present(bot, fake) -> None:
    """python-telegram-bot's chatmemberbot rule: restricted and still a member is present."""
    for status, is_member, active in (("member", True, 1), ("restricted", True, 1), ("restricted", False, 0)):
        update_id = await fake.member_change(GROUP, status, title="Bản Nà Tăm", is_member=is_member)
        await fake.wait_for(lambda uid=update_id: fake.delivered.get(uid))
        await fake.wait_for(
            lambda uid=update_id: fake.confirmed_offset > uid or fake.delivered.get(uid, 0) >= 1
        )
        await asyncio.sleep(0.3)
        assert (await bot.app.db.people.chat("telegram", str(GROUP))).active == active, (status, is_member)


async def test_sending_to_a_group_that_migrated_follows_it(bot, fake) -> None:
    fake.chat(GROUP, "group")
    fake.fail(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=GROUP,
        migrate_to_chat_id=-1000000009999,
    )
    fake.chat(-1000000009999, "supergroup")
    await fake.send_text(GROUP, 601, "/thongdiep", chat_type="group")
    await telegram_replies(fake, -1000000009999)
    assert await bot.app.db.people.chat("telegram", "-1000000009999") is not None


async def test_long_reply_is_split_on_paragraphs(tmp_path: Path, database: str, fake) -> None:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    path = content / "key_messages.yaml"
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))
    filler = "Tuyên truyền viên <đọc> & nhắc lại thông điệp này ở buổi họp bản. " * 16
    for i in range(6):
        messages.append(
            {
                "id": f"dai-{i}",
                "title": f"Thông điệp dài {i}",
                "text": filler[:1100],
                "source": messages[0]["source"],
            }
        )
    path.write_text(yaml.safe_dump(messages, allow_unicode=True), encoding="utf-8")
    bot = await start_telegram(database, fake, content_dir=content)
    try:
        await fake.send_text(ALICE, ALICE, "/thongdiep")
        await fake.wait_for(lambda: len(fake.sent(ALICE)) >= 2)
        await asyncio.sleep(0.3)
        parts = fake.texts(ALICE)
        assert len(parts) >= 2
        assert all(len(p) <= 4096 for p in parts)
        assert all(not p.startswith("\n") and "<đọc> &" in p for p in parts[1:])
        assert "".join(parts).count("Thông điệp dài") == 6
    finally:
        await finish_telegram(bot)


async def test_unknown_command(bot, fake) -> None:
    await fake.send_text(ALICE, ALICE, "/xoa_het")
    await telegram_replies(fake, ALICE)
    assert fake.texts(ALICE) == [UNKNOWN_COMMAND.format(command="/xoa_het")]


async def test_rate_limited_and_server_errors_are_retried(bot, fake) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", chat_id=ALICE, retry_after=1)
    fake.fail("sendMessage", 502, "Bad Gateway", chat_id=ALICE, times=2)
    await fake.send_text(ALICE, ALICE, "thu ngan sach 2023")
    await telegram_replies(fake, ALICE)
    assert "2.000 tỷ" in fake.texts(ALICE)[0]
    attempts = fake.called("sendMessage")
    assert [a.get("_failed") for a in attempts] == [429, 502, 502, None]


async def test_polling_survives_server_errors(bot, fake) -> None:
    fake.fail("getUpdates", 500, "Internal Server Error", times=2)
    await asyncio.sleep(0.1)
    await fake.send_text(ALICE, ALICE, "kl 64 ngay nao")
    await telegram_replies(fake, ALICE)
    assert "18/10/2023" in fake.texts(ALICE)[0]


async def test_blocked_user_is_marked_inactive_and_others_still_served(bot, fake) -> None:
    fake.blocked.add(ALICE)
    await fake.send_text(ALICE, ALICE, "thu ngan sach 2023")
    await fake.wait_for(lambda: any(p.get("_failed") == 403 for p in fake.called("sendMessage")))
    await fake.send_text(777, 777, "kl 64")
    await telegram_replies(fake, 777)
    assert (await bot.app.db.people.chat("telegram", str(ALICE))).active == 0


async def test_chat_not_found_is_logged_with_the_update_id_and_no_secret(bot, fake, caplog) -> None:
    caplog.set_level(logging.WARNING)
    fake.fail("sendMessage", 400, "Bad Request: chat not found", chat_id=ALICE, times=5)
    update_id = await fake.send_text(ALICE, ALICE, "bí mật: số điện thoại 0912345678")
    await fake.wait_for(lambda: len([p for p in fake.called("sendMessage") if p.get("_failed")]) >= 2)
    await asyncio.sleep(0.2)
    logged = "\n".join(r.getMessage() + (caplog.text or "") for r in caplog.records)
    assert str(update_id) in logged
    assert fake.token not in caplog.text and fake.token.split(":")[1] not in caplog.text
    assert "0912345678" not in caplog.text
    await fake.send_text(777, 777, "kl 64")
    await telegram_replies(fake, 777)


async def test_stop_finishes_fetched_updates_and_confirms_them(database: str, fake) -> None:
    bot = await start_telegram(database, fake)
    ids = [await fake.send_text(800 + i, 800 + i, "tinh dat bao nhieu chi tieu") for i in range(8)]
    await fake.wait_for(lambda: all(fake.delivered.get(i) for i in ids))
    await finish_telegram(bot)
    assert all(len(fake.sent(800 + i)) == 1 for i in range(8)), "every fetched update answered once"
    assert fake.confirmed_offset == ids[-1] + 1
    again = await start_telegram(database, fake)
    await asyncio.sleep(0.5)
    await finish_telegram(again)
    assert all(fake.delivered[i] == 1 for i in ids), "nothing is fetched twice after a restart"
    assert all(len(fake.sent(800 + i)) == 1 for i in range(8))


def test_split_text_keeps_paragraphs_and_limits() -> None:
    text = "\n\n".join(f"Đoạn {i}: " + "chữ " * 300 for i in range(10))
    parts = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in parts)
    assert all(p.startswith("Đoạn") for p in parts)
    assert "\n\n".join(parts) == text
    long_word = "x" * 9000
    assert [len(p) for p in split_text(long_word, 4096)] == [4096, 4096, 808]


# -- `loa run` as a process ---------------------------------------------------------------------------
async def test_loa_run_with_a_revoked_token_says_so_in_one_line(tmp_path: Path, fake) -> None:
    proc = await loa_process("run", env=telegram_env(fake, tmp_path, token="999:REVOKED"), cwd=tmp_path)
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    message = err.decode()
    assert message.count("\n") == 1 and "LOA_TELEGRAM_TOKEN" in message
    assert "Traceback" not in message and "REVOKED" not in message


async def test_loa_run_with_telegram_out_of_reach_says_where_in_one_line(tmp_path: Path, fake) -> None:
    env = telegram_env(fake, tmp_path)
    env["LOA_TELEGRAM_API_URL"] = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    proc = await loa_process("run", env=env, cwd=tmp_path)
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    message = err.decode()
    assert proc.returncode == 2 and message.count("\n") == 1, message
    assert "Không kết nối được máy chủ Telegram (http://127.0.0.1:" in message
    assert fake.token.split(":")[1] not in message and "Unclosed" not in message


async def test_loa_run_serves_telegram_and_stops_cleanly_on_sigterm(tmp_path: Path, fake) -> None:
    proc = await loa_process("run", env=telegram_env(fake, tmp_path), cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        await fake.send_text(ALICE, ALICE, "thu ngan sach 2023")
        await telegram_replies(fake, ALICE)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "2.000 tỷ" in fake.texts(ALICE)[0]
    log = err.decode()
    assert fake.token not in log and fake.token.split(":")[1] not in log
    assert "thu ngan sach" not in log
    assert "@LoaTestBot" in log  # the one start-up line


async def test_webhook_mode_checks_the_secret(database: str, fake) -> None:
    import json
    import socket

    import aiohttp

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bot = await _start_webhook(database, fake, port)
    try:
        [hook] = fake.called("setWebhook")
        assert hook["url"] == f"http://127.0.0.1:{port}/tg-hook" and hook["secret_token"] == "s3cret-Token"
        update = {
            "update_id": 77,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": fake.chat(ALICE),
                "from": fake.user(ALICE),
                "text": "kl 64 ngay nao",
            },
        }
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}/tg-hook"
            wrong = await http.post(
                url,
                data=json.dumps(update),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            assert wrong.status == 403
            right = await http.post(
                url,
                data=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token",
                },
            )
            assert right.status == 200
        await telegram_replies(fake, ALICE)
        assert len(fake.sent(ALICE)) == 1 and "64-KL/TW" in fake.texts(ALICE)[0]
    finally:
        await finish_telegram(bot)


def _update(fake: FakeTelegram, update_id: int, text: str) -> dict:
    """A message from ALICE as Telegram posts it to a webhook."""
    message = {
        "message_id": update_id,
        "date": 0,
        "chat": fake.chat(ALICE),
        "from": fake.user(ALICE),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def _post(port: int, update: dict) -> int:
    import aiohttp

    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
    async with aiohttp.ClientSession() as http:
        got = await http.post(f"http://127.0.0.1:{port}/tg-hook", json=update, headers=headers)
        return got.status


@pytest.mark.postgresql_only
async def test_two_webhook_workers_answer_once_and_carry_a_dialog_between_them(database: str, fake) -> None:
    """Behind one proxy: a repeat of an update on the other worker is not answered again, and a report begun
    on one worker goes on on the other."""
    ports = [free_port(), free_port()]
    workers = [await _start_webhook(database, fake, port) for port in ports]
    try:
        people = workers[0].app.db.people
        await people.set_role("telegram", str(ALICE), "propagandist", "12-003-01", "Lò Thị A")
        assert await _post(ports[0], _update(fake, 9001, "/baocao")) == 200
        [asked] = await telegram_replies(fake, ALICE)
        assert asked["text"].startswith(REPORT_ASK_DATE[:10])
        data = asked["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        message = {"message_id": 2, "date": 0, "chat": fake.chat(ALICE), "from": fake.user(1), "text": "…"}
        callback = {
            "id": "cq1",
            "from": fake.user(ALICE),
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
        tap = {"update_id": 9002, "callback_query": callback}
        assert await _post(ports[1], tap) == 200  # the tap reaches the other worker
        await fake.wait_for(lambda: any(REPORT_ASK_FORM in (t or "") for t in fake.texts(ALICE)))
        seen = len(fake.sent(ALICE))
        question = _update(fake, 9003, "kl 64 ngay nao")
        # Telegram repeats an update it thinks went unanswered; the repeat lands on the other worker.
        assert [await _post(p, u) for p in ports for u in (tap, question)] == [200] * 4
        await fake.wait_for(lambda: len(fake.sent(ALICE)) > seen)
        await asyncio.sleep(1.5)
        # The question answered once (mid-report: the answer, then the step it interrupted); no tap again.
        answer, step = fake.texts(ALICE)[seen:]
        assert "64-KL/TW" in answer and REPORT_ASK_FORM in step
    finally:
        for bot in workers:
            await finish_telegram(bot)


async def _start_webhook(database: str, fake: FakeTelegram, port: int):
    settings = load_settings(
        env_file=None,
        db=database,
        telegram_token=fake.token,
        telegram_api_url=fake.base_url,
        telegram_webhook_url=f"http://127.0.0.1:{port}/tg-hook",
        telegram_webhook_secret="s3cret-Token",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
    )
    app = await open_app(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(telegram.run(app, stop=stop, announce=lambda line: None))
    await fake.wait_for(lambda: fake.called("setWebhook"))
    await asyncio.sleep(0.3)
    return SimpleNamespace(app=app, stop=stop, task=task)


async def test_files_go_as_documents_and_photos_with_escaped_captions(database: str, fake) -> None:
    from bot.channels.telegram import TelegramChannel
    from bot.core import Attachment, Button, Reply

    settings = load_settings(
        env_file=None, db=database, telegram_token=fake.token, telegram_api_url=fake.base_url
    )
    app = await open_app(settings)
    channel = TelegramChannel(app)
    application = channel.build()
    await application.initialize()
    try:
        xlsx = Attachment(
            "bao-cao-quy-1-2024.xlsx",
            b"PK\x03\x04" + b"x" * 5000,
            "document",
            caption="Báo cáo quý 1/2024 <Lai Châu> & các xã",
        )
        png = Attachment("bieu-do.png", b"\x89PNG" + b"y" * 3000, "photo", caption="Biểu đồ")
        await channel.send(
            application.bot,
            ALICE,
            [
                Reply("Tệp báo cáo:", attachment=xlsx, buttons=[[Button("Tải lại", "menu:help")]]),
                Reply("", attachment=png),
            ],
        )
    finally:
        await application.shutdown()
        await app.close()
    [doc] = fake.called("sendDocument")
    assert doc["document"] == {"filename": "bao-cao-quy-1-2024.xlsx", "size": 5004}
    assert doc["caption"] == "Báo cáo quý 1/2024 &lt;Lai Châu&gt; &amp; các xã"
    [photo] = fake.called("sendPhoto")
    assert photo["photo"]["filename"] == "bieu-do.png"
    [text] = fake.sent(ALICE, "sendMessage")
    assert (
        text["text"] == "Tệp báo cáo:" and text["reply_markup"]["inline_keyboard"][0][0]["text"] == "Tải lại"
    )


async def test_a_report_with_taps_only_and_the_officers_files_on_telegram(bot, fake) -> None:
    from bot.invites import issue_invite

    invite = await issue_invite(bot.app, "propagandist", "12-003", 1, None, "test")
    officer = await issue_invite(bot.app, "officer", "12", 1, None, "test")

    def last_buttons(chat: int) -> dict[str, str]:
        msg = fake.sent(chat)[-1]
        rows = (msg.get("reply_markup") or {}).get("inline_keyboard", [])
        return {b["text"]: b["callback_data"] for row in rows for b in row}

    async def tap(chat: int, label: str) -> None:
        data = next(d for text, d in last_buttons(chat).items() if label in text)
        before = len(fake.sent(chat))
        edits = len(fake.called("editMessageText"))
        msg = fake.messages[(chat, max(k[1] for k in fake.messages if k[0] == chat))]
        await fake.press(chat, chat, data, msg)
        await fake.wait_for(
            lambda: len(fake.sent(chat)) > before or len(fake.called("editMessageText")) > edits
        )

    await fake.send_text(ALICE, ALICE, f"/start {invite['code']}", name="Lò Thị Hoa")
    await telegram_replies(fake, ALICE, 2)
    for label in ("Đúng", "Nà Tăm"):
        await tap(ALICE, label)
    await fake.send_text(ALICE, ALICE, "/baocao")
    await telegram_replies(fake, ALICE, 5)
    for label in ("Hôm qua", "Họp thôn", "Nà Tăm", "40", "Lai Châu", "Xong", "Không có", "Gửi"):
        await tap(ALICE, label)
    assert fake.texts(ALICE)[-1].startswith("✅ Đã lưu báo cáo số 1")
    assert len(fake.called("answerCallbackQuery")) == 10

    boss = 909
    await fake.send_text(boss, boss, f"/dangky {officer['code']}", name="Cán Bộ")
    await telegram_replies(fake, boss)
    await tap(boss, "Đúng")
    await fake.send_text(boss, boss, "/xuat")
    await fake.wait_for(lambda: fake.called("sendDocument"))
    doc = fake.called("sendDocument")[0]
    assert doc["document"]["filename"].endswith(".xlsx") and doc["document"]["size"] > 1000
    await fake.send_text(boss, boss, "/thongke")
    await fake.wait_for(lambda: fake.called("sendPhoto"))
    assert "Tổng: 1 buổi, 40 lượt" in fake.texts(boss)[-2]


async def test_a_group_admin_subscribes_the_group_and_a_member_cannot(bot, fake) -> None:
    fake.chat(GROUP, "group", "Bản Nà Tăm")
    fake.admins.add((GROUP, 601))
    await fake.send_text(GROUP, 602, "/dangkynhan@LoaTestBot 12-003", chat_type="group")
    await telegram_replies(fake, GROUP)
    assert fake.texts(GROUP)[-1] == SUBSCRIBE_NEEDS_ADMIN
    await fake.send_text(GROUP, 601, "/dangkynhan 12-003", chat_type="group")
    await telegram_replies(fake, GROUP, 2)
    # The group takes the public talking points; binding it to a unit is an officer's to do.
    assert fake.texts(GROUP)[-1] == SUBSCRIBE_UNIT_NEEDS_OFFICER
    record = await bot.app.db.people.chat("telegram", str(GROUP))
    assert (record.subscribed, record.unit_code) == (1, None)
