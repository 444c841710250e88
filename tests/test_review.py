"""Review of reports: /duyet in chat, `loa report list|accept|return`, the reporter told with a «Sửa» choice
(on Telegram a button, on Zalo a number), the officer told when the report comes back, and the totals."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
from datetime import date
from pathlib import Path

from bot import reports, texts
from bot.app import App
from bot.channels import load_settings
from bot.content import default_content_dir
from bot.core import Incoming
from bot.review import BUTTON_FIX_REPORT
from bot.router import Router
from handlers.review import REVIEW_EMPTY
from tests.fake_telegram import FakeTelegram
from tests.helpers import loa, loa_process, open_app, register_person, telegram_env

QUICK = "/baocao hôm qua họp bản Nà Tăm 45 người KT-XH 2023"


async def _report(app: App, router: Router, user: str = "p1"):
    person = await register_person(app, router, user)
    await person.say(QUICK)
    await person.tap("Gửi")
    return person


async def test_an_officer_returns_a_report_and_it_comes_back(moving_app: App, clock) -> None:
    app = moving_app
    router = Router(app)
    reporter = await _report(app, router)
    elsewhere = await register_person(app, router, "o-far", role="officer", unit="12-004")
    officer = await register_person(app, router, "o1", role="officer", unit="12-003")
    assert await elsewhere.say("/duyet") == REVIEW_EMPTY  # another commune's report is not theirs
    listing = await officer.say("/duyet")
    assert "1 báo cáo chờ duyệt" in listing and "45 người" in listing
    # A forged press by the other commune's officer does nothing.
    [forged] = await router.handle(Incoming("telegram", "co-far", "o-far", data="rv:ok:1"))
    assert forged.text == texts.REVIEW_NO_REPORT.format(id=1)
    await officer.tap("Trả lại #1")
    assert "Gõ lý do" in "\n".join(r.text for r in officer.last)
    # The reason is the reason, even when it reads like a question.
    done = await officer.say("số người dự là bao nhiêu? 45 có đúng không")
    assert done == texts.REVIEW_SENT_BACK.format(id=1)
    report = await app.db.reports.get(1)
    assert report.state == "returned" and report.review_reason.startswith("số người dự")
    # Not counted until submitted again; the stats say so.
    period = reports.period_of("quy", app.today())
    stats = await reports.compute(app, period, "12")
    assert stats.sessions == 0 and stats.returned == 1
    assert "1 báo cáo bị trả lại" in reports.as_text(stats)
    # The reporter's notice: the reason and a «Sửa» that opens the edit.
    [notice] = await app.db.broadcasts.pending("9999")
    assert notice.external_id == "cp1" and "Lý do: số người dự là bao nhiêu?" in notice.text
    assert json.loads(notice.buttons) == [[[BUTTON_FIX_REPORT, "rm:edit:1"]]]
    # Eight days later it is still open to correction: it was returned to be corrected.
    clock.advance(days=8)
    [edit] = await router.handle(Incoming("telegram", "cp1", "p1", data="rm:edit:1"))
    assert "Số người dự: 45" in edit.text
    await reporter.say("/baocaocuatoi")
    assert "Bị trả lại" in "\n".join(r.text for r in reporter.last)
    [edit] = await router.handle(Incoming("telegram", "cp1", "p1", data="rm:edit:1"))
    reporter.last = [edit]
    await reporter.tap("Sửa")
    await reporter.tap("Số người")
    await reporter.say("40")
    await reporter.tap("Gửi")
    assert (await app.db.reports.get(1)).state == "submitted"
    due = await app.db.broadcasts.pending("9999")
    back = next(d for d in due if d.external_id == "co1")
    assert "đã được sửa và gửi lại" in back.text and "40 người" in back.text
    assert [b[1] for b in json.loads(back.buttons)[0]] == ["rv:ok:1", "rv:back:1"]
    [accepted] = await router.handle(Incoming("telegram", "co1", "o1", data="rv:ok:1"))
    assert accepted.text == texts.REVIEW_ACCEPTED.format(id=1)
    assert (await app.db.reports.get(1)).state == "accepted"
    stats = await reports.compute(app, reports.period_of("quy", app.today()), "12")
    assert stats.sessions == 1 and stats.accepted == 1 and stats.attendees == 40
    actions = [e.action for e in await app.db.audit.latest()]
    assert {"report.return", "report.resubmit", "report.accept"} <= set(actions)


async def test_the_export_shows_each_reports_state(app: App, router: Router) -> None:
    await _report(app, router)
    stats = await reports.compute(app, reports.period_of("quy", app.today()), "12")
    csv_text = reports.csv_bytes(app, stats).decode("utf-8-sig")
    assert csv_text.splitlines()[0].endswith("Trạng thái") and csv_text.splitlines()[1].endswith("Chờ duyệt")


def _cli(env: dict[str, str], cwd: Path, *args: str):
    return loa(*args, env=env, cwd=cwd)


async def test_report_list_accept_and_return_from_the_command_line(tmp_path: Path, settings) -> None:
    app = await open_app(settings)  # today's clock: the command line reads the current quarter
    try:
        router = Router(app)
        await _report(app, router, "p1")
        await _report(app, router, "p2")
    finally:
        await app.close()
    env = {"LOA_DB": str(settings.db)}
    listed = _cli(env, tmp_path, "report", "list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["state"] for r in rows] == ["submitted", "submitted"]
    assert {"id", "state", "date", "unit", "attendees"} <= set(rows[0])
    assert rows[0]["date"] == date.fromisoformat(rows[0]["date"]).isoformat()
    for args, words in (
        (["report", "return", "1", "--reason", "ít"], "5"),
        (["report", "accept", "99"], "99"),
        (["report", "list", "--state", "lost"], "--state"),
    ):
        out = _cli(env, tmp_path, *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and words in out.stderr, (args, out.stderr)
    assert _cli(env, tmp_path, "report", "accept", "1").returncode == 0
    assert _cli(env, tmp_path, "report", "return", "2", "--reason", "Thiếu chủ đề").returncode == 0
    again = _cli(env, tmp_path, "report", "accept", "1")
    assert again.returncode == 2 and "Đã nhận" in again.stderr
    states = [
        json.loads(x)["state"] for x in _cli(env, tmp_path, "report", "list", "--json").stdout.splitlines()
    ]
    assert states == ["accepted", "returned"]
    only = _cli(env, tmp_path, "report", "list", "--state", "returned", "--json").stdout.splitlines()
    assert [json.loads(x)["id"] for x in only] == [2]


async def test_loa_run_delivers_a_return_made_from_the_command_line_with_its_button(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    # Whatever today is, no quarter-end reminder or digest joins the messages this test reads.
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    (content / "reminders.yaml").write_text(
        "quarter_end: {days_before: []}\nweekly_digest: {weekday: 6, send_time: '23:59'}\n"
    )
    env = {**telegram_env(fake, tmp_path), "LOA_CONTENT_DIR": str(content)}
    app = await open_app(load_settings(env_file=None, db=env["LOA_DB"], content_dir=content))
    await app.db.people.set_role("telegram", "501", "propagandist", "12-003-01", "Lò Văn A")
    await app.close()
    proc = await loa_process("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        count = len(fake.sent(501))
        await fake.send_text(501, 501, QUICK)
        await fake.wait_for(lambda: len(fake.sent(501)) > count)
        send = next(b["callback_data"] for b in _buttons(fake, 501) if b["text"].startswith("✅"))
        await fake.press(501, 501, send, _last(fake, 501))
        await fake.wait_for(lambda: "Đã lưu báo cáo số 1" in fake.texts(501)[-1])
        out = loa("report", "return", "1", "--reason", "Ghi thiếu số người dự", env=env, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        await fake.wait_for(lambda: "được trả lại" in fake.texts(501)[-1], timeout=20)
        notice = fake.sent(501)[-1]
        assert "Ghi thiếu số người dự" in fake.texts(501)[-1]
        [[fix]] = notice["reply_markup"]["inline_keyboard"]
        assert fix["callback_data"] == "rm:edit:1"
        count = len(fake.sent(501))
        await fake.press(501, 501, fix["callback_data"], _last(fake, 501))
        await fake.wait_for(lambda: len(fake.sent(501)) > count)
        assert "Số người dự: 45" in fake.texts(501)[-1]
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()


def _last(fake: FakeTelegram, chat: int) -> dict:
    return fake.messages[(chat, max(k[1] for k in fake.messages if k[0] == chat))]


def _buttons(fake: FakeTelegram, chat: int) -> list[dict]:
    markup = fake.sent(chat)[-1].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def test_on_zalo_the_fix_choice_is_a_number(app: App, zfake) -> None:
    from bot.channels.zalo import ZaloChannel, ZaloClient, ZaloSender
    from bot.core import Button

    client = ZaloClient(zfake.token, zfake.base_url)
    try:
        sender = ZaloSender(client, app)
        await sender.deliver("u-z", "↩️ Báo cáo số 7 được trả lại.", [[Button("✏️ Sửa", "rm:edit:7")]])
        assert "1. ✏️ Sửa" in zfake.sent["u-z"][-1]
        assert await app.db.dialogs.options("zalo", "u-z", "u-z") == [("sua", "rm:edit:7")]
        task = await ZaloChannel(app, client).accept(zfake.message("u-z", "1"))
        await task
        assert zfake.sent["u-z"][-1] == texts.NOT_REGISTERED  # the choice was pressed: the rules then apply
    finally:
        await client.close()
