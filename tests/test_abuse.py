"""What a careless or hostile user tries: private data in groups, unvetted audiences, forged buttons, rules
bypassed at the last tap, guessing invite codes. Each test fails on the version before the fix."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from bot import audience, reports, texts
from bot.app import App
from bot.calendar import plan
from bot.core import Button, Incoming, Reply
from bot.filing import REPORT_ALREADY_WITHDRAWN, REPORT_NOT_YOURS, REPORT_TOO_OLD_TO_CHANGE
from bot.invites import issue_invite
from bot.outbox import BROADCAST_TOO_LONG
from bot.router import Router
from bot.subscriptions import SUBSCRIBE_OUT_OF_SCOPE
from handlers.register import (
    INVITE_ALREADY_USED,
    INVITE_EXPIRED,
    INVITE_UNKNOWN,
    MAX_WRONG_CODES,
    REGISTER_TOO_MANY_TRIES,
)
from handlers.report import REPORT_PLACE_OUTSIDE
from handlers.subscribe import SUBSCRIBE_PRIVATE_PUBLIC
from tests.helpers import Person, file_report, open_app, register_person


def _group(text: str, user: str, chat: str = "-88", admin: bool = False) -> Incoming:
    return Incoming("telegram", chat, user, "group", text=text, group_admin=admin, addressed=True)


# -- 3. private data never goes to a group ---------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    ["/thongke", "/xuat", "/chuatraloi", "/moi tuyentruyenvien 12-003", "/phatthanh họp dân tối nay",
     "/baocaocuatoi", "/baocao", "/dangky ABCD1234", "/start ABCD1234"],
)  # fmt: skip
async def test_officer_and_admin_commands_in_a_group_say_use_a_private_chat(
    app: App, router: Router, command: str
) -> None:
    ttv = await register_person(app, router, "g1", name="Lò Văn Riêng")
    await file_report(ttv)
    await register_person(app, router, "o1", role="officer", unit="12")
    for user in ("o1", "admin"):
        channel = "console" if user == "admin" else "telegram"
        replies = await router.handle(Incoming(channel, "-5", user, "group", text=command, addressed=True))
        shown = "\n".join(r.text for r in replies)
        assert "trong tin nhắn riêng" in shown, (user, command, shown)
        assert "Lò Văn Riêng" not in shown and all(r.attachment is None for r in replies)
    done = {a.action for a in await app.db.audit.latest() if a.actor != "test"}
    assert done <= {"register"}, done


async def test_a_dialog_button_pressed_in_a_group_does_nothing(app: App, router: Router) -> None:
    await register_person(app, router, "g2", role="officer", unit="12-003")
    [reply] = await router.handle(Incoming("telegram", "-5", "g2", "group", data="bc:send"))
    assert reply.text == texts.STALE_BUTTON


# -- 4. officers' broadcasts reach only vetted chats -----------------------------------------------------
async def test_strangers_and_unvetted_groups_get_public_points_but_never_an_officers_broadcast(
    app: App, router: Router
) -> None:
    stranger = Person(router, "x1")
    assert await stranger.say("/dangkynhan") == SUBSCRIBE_PRIVATE_PUBLIC
    await router.handle(_group("/dangkynhan", "x2", chat="-101", admin=True))  # a group admin: public only
    ttv = await register_person(app, router, "x3")  # a propagandist of Xã Bản Hon
    officer = await register_person(app, router, "x4", role="officer", unit="12-003")
    await router.handle(_group("/dangkynhan", "x4", chat="-102"))  # bound by the commune's officer
    public = next(e for e in app.content.events if e.audience.everyone)
    everyone = {c.external_id for c in await audience.select(app, public.audience)}
    assert {"cx1", "-101", "-102", "c" + ttv.user} <= everyone
    await officer.say("/phatthanh Họp dân bàn làm đường vào bản")
    await officer.tap("Gửi ngay")
    [row] = await app.db.broadcasts.progress()
    reached = await app.db.fetch_all(
        "SELECT c.external_id FROM deliveries d JOIN chats c ON c.id = d.chat_id WHERE d.broadcast_id = ?",
        (row.id,),
    )
    assert {r["external_id"] for r in reached} == {"-102", "cx3", "cx4"}


async def test_an_officer_cannot_bind_a_group_to_another_commune(app: App, router: Router) -> None:
    await register_person(app, router, "y1", role="officer", unit="12-003")
    [refused] = await router.handle(_group("/dangkynhan 12-004", "y1", chat="-103"))
    assert refused.text == SUBSCRIBE_OUT_OF_SCOPE.format(unit="Xã Bình Lư")
    [bound] = await router.handle(_group("/dangkynhan 12-003-02", "y1", chat="-103"))
    assert "Bản Hon" in bound.text
    chat = await app.db.people.chat("telegram", "-103")
    assert (chat.unit_code, chat.unit_bound_by) == ("12-003-02", "telegram:y1")


# -- 5. the confirmed name stays -------------------------------------------------------------------------
async def test_the_confirmed_name_is_kept_when_the_display_name_differs(app: App, router: Router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003-01", 1, None, "test")
    person = Person(router, "n1", name="Hoa 🌸")
    await person.say(f"/dangky {invite['code']}")
    await person.tap("Gõ tên khác")
    await person.say("Lò Thị Hoa")
    person.name = "Hoa Xinh 🌸"  # the messenger's display name changes too
    await file_report(person)
    row = await app.db.people.user("telegram", "n1")
    assert (row.full_name, row.display_name) == ("Lò Thị Hoa", "Hoa Xinh 🌸")
    stats = await reports.compute(app, reports.period_of("quy", date(2024, 3, 15)), "12")
    assert [r.reporter for r in stats.reports] == ["Lò Thị Hoa"]
    assert "Lò Thị Hoa" in reports.csv_bytes(app, stats).decode("utf-8-sig")


# -- 6. the inbox is scoped and keeps no names -----------------------------------------------------------
async def test_the_unanswered_inbox_is_scoped_and_masks_names_and_phones(app: App, router: Router) -> None:
    here = await register_person(app, router, "q1")  # Xã Bản Hon
    there = await register_person(app, router, "q2", unit="12-004-01", name="Lò Văn C")  # Xã Bình Lư
    await here.say("ông Lò Văn Pằng hỏi giá phân bón, số 0912 345 678")
    await there.say("lịch cúp điện ở Bình Lư")
    mine = await register_person(app, router, "q3", role="officer", unit="12-003")
    province = await register_person(app, router, "q4", role="officer", unit="12")
    own = await mine.say("/chuatraloi")
    assert "phân bón" in own and "cúp điện" not in own
    assert "Pằng" not in own and "0912" not in own and "ông *** hỏi giá phân bón, số ***" in own
    every = await province.say("/chuatraloi")
    assert "phân bón" in every and "cúp điện" in every
    logged = await app.db.fetch_all("SELECT question, normalized, unit_code FROM question_log", ())
    assert all("pang" not in r["normalized"] and "345" not in r["normalized"] for r in logged)
    assert {r["unit_code"] for r in logged} == {"12-003-01", "12-004-01"}


async def test_the_question_log_is_kept_only_so_long(settings, clock) -> None:
    app = await open_app(settings, clock=clock)
    await Router(app).handle(Incoming("console", "c", "u", "private", text="lịch cúp điện tháng này"))
    await app.close()
    clock.advance(days=settings.question_retention_days + 1)
    again = await open_app(settings, clock=clock)
    try:
        assert await again.db.questions.counts() == {}
    finally:
        await again.close()


# -- 11. rules checked again at the last tap -------------------------------------------------------------
async def test_an_edit_begun_inside_the_window_is_refused_after_it_closes(moving_app: App, clock) -> None:
    router = Router(moving_app)
    person = await register_person(moving_app, router, "e1")
    await file_report(person, people="20")
    clock.advance(days=6, hours=23)
    await person.say("/baocaocuatoi")
    await person.tap("Sửa số 1")
    clock.advance(hours=2)
    assert await person.tap("Gửi") == REPORT_TOO_OLD_TO_CHANGE.format(id=1)
    assert (await moving_app.db.reports.get(1)).attendees == 20


async def test_an_edit_of_a_report_withdrawn_meanwhile_is_refused(app: App, router: Router) -> None:
    person = await register_person(app, router, "e2")
    await file_report(person, people="20")
    await person.say("/baocaocuatoi")
    edit = [b for b in person.last[0].options() if b.label.startswith("Sửa")]
    withdraw = [b for b in person.last[0].options() if b.label.startswith("Rút")]
    person.last = [Reply("", buttons=[withdraw])]
    await person.tap("Rút")
    await person.tap("Rút báo cáo")
    person.last = [Reply("", buttons=[edit])]
    shown = await person.tap("Sửa")
    assert shown == REPORT_ALREADY_WITHDRAWN.format(id=1)
    # And an edit opened before the withdrawal is refused at its saving tap.
    other = await register_person(app, router, "e3")
    await file_report(other, people="30")
    await other.say("/baocaocuatoi")
    await other.tap("Sửa số 2")
    await app.db.reports.withdraw(2)
    assert await other.tap("Gửi") == REPORT_ALREADY_WITHDRAWN.format(id=2)
    assert (await app.db.reports.get(2)).status == "withdrawn"


async def test_an_invite_that_expires_before_the_last_tap_is_refused(moving_app: App, clock) -> None:
    router = Router(moving_app)
    invite = await issue_invite(moving_app, "propagandist", "12-003-01", 5, 1, "test")
    person = Person(router, "i1")
    clock.advance(hours=23)
    await person.say(f"/dangky {invite['code']}")
    assert "Đúng" in " ".join(b.label for r in person.last for b in r.options())
    clock.advance(hours=1, minutes=1)
    assert await person.tap("Đúng") == INVITE_EXPIRED.format(code=invite["code"])
    assert (await moving_app.db.people.user("telegram", "i1")).role == "anyone"


async def test_one_person_spends_one_use_of_a_shared_invite(app: App, router: Router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003-01", 3, None, "test")
    person = Person(router, "i2")
    await person.say(f"/dangky {invite['code']}")
    assert (await person.tap("Đúng")).startswith("Đã đăng ký")
    assert await person.say(f"/dangky {invite['code']}") == INVITE_ALREADY_USED.format(code=invite["code"])
    # Two registrations started before either finished: the second tap is refused too.
    twice = Person(router, "i3")
    await twice.say(f"/dangky {invite['code']}")
    first_tap = twice.last
    await twice.tap("Đúng")
    twice.last = first_tap
    await twice.say(f"/dangky {invite['code']}")
    left = (await app.db.invites.get(invite["code"])).uses_left
    assert left == 1


async def test_guessing_invite_codes_is_slowed_down_and_audited(moving_app: App, clock) -> None:
    router = Router(moving_app)
    invite = await issue_invite(moving_app, "propagandist", "12-003-01", 1, None, "test")
    guesser = Person(router, "i4")
    for n in range(MAX_WRONG_CODES):
        assert await guesser.say(f"/dangky WRONG{n:03d}") == INVITE_UNKNOWN.format(code=f"WRONG{n:03d}")
    refused = await guesser.say(f"/dangky {invite['code']}")
    assert refused == REGISTER_TOO_MANY_TRIES.format(minutes=60)
    for _ in range(20):  # more guesses: refused, and not one audit row each
        await guesser.say("/dangky WRONG999")
    audit = await moving_app.db.audit.latest(limit=1000)
    wrong = [a for a in audit if a.action == "register.bad-code"]
    assert len(wrong) == MAX_WRONG_CODES and {a.actor for a in wrong} == {"telegram:i4"}
    assert [a.actor for a in audit if a.action == "register.throttled"] == ["telegram:i4"]
    clock.advance(hours=1, minutes=1)
    assert "Mã mời hợp lệ" in await guesser.say(f"/dangky {invite['code']}")


# -- 12. places and forged buttons -----------------------------------------------------------------------
async def test_a_place_in_another_commune_needs_confirming_and_counts_at_home(
    app: App, router: Router
) -> None:
    person = await register_person(app, router, "p1")  # Bản Nà Tăm, Xã Bản Hon
    await person.say("/baocao")
    await person.tap("Hôm nay")
    await person.tap("Họp thôn")
    await person.tap("Nơi khác")
    asked = await person.say("Nà Đon")  # a village of Xã Bình Lư
    assert asked == REPORT_PLACE_OUTSIDE.format(place="Bản Nà Đon, Xã Bình Lư", home="Xã Bản Hon")
    await person.tap("Đúng nơi này")
    await person.tap("40")
    await person.tap("Lai Châu")
    await person.tap("Xong")
    await person.tap("Không có")
    assert "✅ Đã lưu" in await person.tap("Gửi")
    [saved] = await app.db.reports.between("2024-01-01", "2024-03-31")
    assert (saved.unit_code, saved.commune_code) == ("12-004-01", "12-003")
    quick = await person.say("/baocao hom qua hop ban Nà Đon 12 người thu ngan sach 2023")
    assert REPORT_PLACE_OUTSIDE.format(place="Bản Nà Đon, Xã Bình Lư", home="Xã Bản Hon") in quick


@pytest.mark.parametrize(
    "data",
    ["r:place:12", "r:place:../../etc", "r:att:99999999999999999999", "r:att:²", "r:date:7", "r:form:x" * 9,
     "rm:wdy:99999999999999999999999999999", "rm:edit:-1", "rm:wd:²", "rm:wdy:1e5", "reg:village:12",
     "topic:tinh-lai-chau:²", "topic:tinh-lai-chau:99999999999999999999999", "bc:send", "r:ok", ":", ""],
)  # fmt: skip
async def test_forged_button_data_gets_a_plain_reply_and_no_traceback(
    app: App, router: Router, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    person = await register_person(app, router, "f1")
    await person.say("/baocao")
    with caplog.at_level(logging.ERROR):
        replies = await router.handle(Incoming("telegram", "cf1", "f1", "private", data=data))
    assert replies and all(r.text != texts.ERROR for r in replies)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    state = await app.db.dialogs.get("telegram", "cf1", "f1")
    assert state is None or state.data.get("unit") != "12"


# -- 15. broadcasts: the whole text or a clear refusal, and only one's own scope ---------------------------
async def test_a_broadcast_too_long_to_send_is_refused_before_the_confirmation(
    app: App, router: Router
) -> None:
    await register_person(app, router, "l1")
    officer = await register_person(app, router, "l2", role="officer", unit="12-003")
    shown = await officer.say("/phatthanh " + "Họp dân. " * 400)
    assert shown == BROADCAST_TOO_LONG.format(length=3599, limit=3500)
    assert await app.db.dialogs.get("telegram", "cl2", "l2") is None
    text = "Nội dung đủ dài. " * 200  # 3,400 characters: sent whole
    await officer.say("/phatthanh " + text)
    await officer.tap("Gửi ngay")
    [row] = await app.db.fetch_all("SELECT text FROM broadcasts", ())
    assert row["text"] == text.strip()


async def test_a_commune_officer_follows_only_the_broadcasts_of_their_commune(
    app: App, router: Router
) -> None:
    await register_person(app, router, "s1")
    await register_person(app, router, "s2", unit="12-004-01")
    here = await register_person(app, router, "s3", role="officer", unit="12-003")
    there = await register_person(app, router, "s4", role="officer", unit="12-004")
    await here.say("/phatthanh Tin của Bản Hon cho bà con")
    await here.tap("Gửi ngay")
    await there.say("/phatthanh Tin riêng của Bình Lư")
    await there.tap("Gửi ngay")
    mine = await here.say("/phatthanh")
    assert mine.count("Số ") == 1 and "Số 1" in mine
    theirs = await there.say("/phatthanh")
    assert theirs.count("Số ") == 1 and "Số 2" in theirs
    [one, two] = await app.db.fetch_all("SELECT audience FROM broadcasts ORDER BY id", ())
    assert json.loads(one["audience"])["units"] == ["12-003"] and json.loads(two["audience"])["vetted"]


def test_planned_talking_points_still_go_to_everyone(content) -> None:
    from zoneinfo import ZoneInfo

    planned = plan(content.events, date(2024, 1, 1), date(2024, 12, 31), ZoneInfo("Asia/Ho_Chi_Minh"))
    assert planned and not any(p.event.audience.vetted for p in planned)


async def test_button_presses_with_a_forged_prefix_for_another_person(app: App, router: Router) -> None:
    me = await register_person(app, router, "z1")
    await file_report(me)
    other = await register_person(app, router, "z2", name="Lò Thị B")
    other.last = [Reply("", buttons=[[Button("x", "rm:edit:1")]])]
    assert await other.tap("x") == REPORT_NOT_YOURS


async def test_an_invite_says_when_it_expires_in_local_time(moving_app: App) -> None:
    """Stored in UTC, told in LOA_TZ as people read it (never «2024-03-22T02:00:00Z»)."""
    from bot.core import Incoming
    from bot.router import Router

    [reply] = await Router(moving_app).handle(
        Incoming("console", "admin", "admin", text="/moi tuyentruyenvien 12-003 5 7", display_name="Quản trị")
    )
    assert "hết hạn: 09:00 22/03/2024" in reply.text and "T" not in reply.text.split("hết hạn: ")[1][:10]


async def test_an_officer_takes_back_a_scheduled_broadcast_in_chat_and_another_scope_cannot(
    app: App, router: Router
) -> None:
    await register_person(app, router, "s1")
    here = await register_person(app, router, "s3", role="officer", unit="12-003")
    await register_person(app, router, "s4", role="officer", unit="12-004")
    await here.say("/phatthanh 08:00 20/12/2099 Họp dân cuối năm tại nhà văn hóa")
    await here.tap("Hẹn giờ gửi")
    status = await here.say("/phatthanh")
    assert "Số 1 «Họp dân cuối năm tại nhà văn hóa» — 08:00 20/12/2099: đã gửi 0/2, chờ 2, lỗi 0" in status
    forged = here.last[0].options()[0].data  # the same button, pressed by another commune's officer
    denied = await router.handle(Incoming("telegram", "cs4", "s4", text="", data=forged, display_name="B"))
    assert "Không có tin phát số 1" in denied[0].text
    assert await here.tap("Hủy tin #1") == "Đã hủy tin #1: rút 2 tin chưa gửi; 0 nơi đã nhận trước khi hủy."
    assert "(đã hủy)" in await here.say("/phatthanh") and not here.last[0].buttons
    assert await app.db.broadcasts.pending("9999-12-31") == []
