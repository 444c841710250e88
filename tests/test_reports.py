"""Registration, roles and activity reports, through the router as every channel uses it."""

from __future__ import annotations

from datetime import date

import pytest

from bot import reports, texts
from bot.app import App
from bot.core import Incoming, Reply
from bot.dialog import NOTHING_TO_CANCEL
from bot.filing import REPORT_FUTURE_DATE, REPORT_NOT_YOURS, REPORT_OLD_DATE
from bot.invites import issue_invite
from bot.router import Router
from handlers.register import INVITE_UNKNOWN, INVITE_USED_UP
from handlers.report import (
    REPORT_BAD_ATTENDEES,
    REPORT_BAD_DATE,
    REPORT_CANCELLED,
    REPORT_CONCERNS_MASKED,
    REPORT_CONCERNS_TOO_LONG,
    REPORT_DUPLICATE,
    REPORT_NEED_TOPIC,
    REPORT_RESUME,
    REPORT_WITHDRAWN,
    parse_date,
)
from tests.helpers import Person, file_report, open_app, register_person

TODAY = date(2024, 3, 15)  # the app fixture's clock


BACKENDS = ("sqlite", "postgresql")


async def test_a_newcomer_registers_and_files_a_report_with_taps_only(app, router) -> None:
    person = await register_person(app, router, "u1")
    row = await app.db.people.user("telegram", "u1")
    assert (row.role, row.unit_code, row.full_name) == ("propagandist", "12-003-01", "Lò Văn A")
    receipt = await file_report(person)
    assert receipt.startswith("✅ Đã lưu báo cáo số 1")
    [saved] = await app.db.reports.of_user(row.id)
    assert saved.activity_date == "2024-03-14" and saved.form == "hop-thon"
    assert saved.unit_code == "12-003-01" and saved.commune_code == "12-003"
    assert saved.attendees == 50 and saved.topics == ["tinh-lai-chau"] and saved.concerns == ""


async def test_half_filled_report_survives_a_restart(settings) -> None:
    clock = lambda: __import__("datetime").datetime(2024, 3, 15, 9)  # noqa: E731
    app = await open_app(settings, clock=clock)
    person = await register_person(app, Router(app), "u2")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    await person.tap("Loa")
    await app.close()  # the process goes away mid-report

    again = await open_app(settings, clock=clock)
    try:
        person.router = Router(again)
        resumed = await person.say("/baocao")
        assert REPORT_RESUME in resumed and "③ Địa điểm?" in resumed
        await person.tap("Nà Tăm")
        await person.say("35")  # typed instead of tapped: taken too
        await person.tap("Bối cảnh")
        await person.tap("Xong")
        await person.say("Bà con hỏi về giá điện và chuyển đổi số")
        assert "✅ Đã lưu" in await person.tap("Gửi")
        [saved] = await again.db.reports.between("2024-01-01", "2024-03-31")
        assert (saved.form, saved.attendees) == ("loa", 35)
        assert saved.concerns == "Bà con hỏi về giá điện và chuyển đổi số"
    finally:
        await again.close()


async def test_quick_one_line_report_is_parsed_and_confirmed(app, router) -> None:
    person = await register_person(app, router, "u3")
    shown = await person.say("/baocao 12/3 họp bản Nà Tăm 45 người thu ngân sách 2023")
    assert "Xin kiểm tra báo cáo" in shown
    for line in ("12/03/2024", "Họp thôn, bản", "Bản Nà Tăm", "45", "Kết quả của tỉnh Lai Châu 2023"):
        assert line in shown
    assert "✅ Đã lưu" in await person.tap("Gửi")


async def test_quick_report_asks_for_what_it_could_not_read(app, router) -> None:
    person = await register_person(app, router, "u4")
    shown = await person.say("/baocao hom qua loa 30 nguoi")
    assert "Đã hiểu được" in shown and "Loa truyền thanh" in shown and "14/03/2024" in shown
    assert "Bản Nà Tăm" in shown, "no place named: the registered village"
    assert "⑤ Nội dung" in shown
    await person.tap("Bối cảnh")
    assert "Xin kiểm tra báo cáo" in await person.tap("Xong")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("16/3", REPORT_FUTURE_DATE.format(date="16/03/2024")),
        ("31/8/2023", REPORT_OLD_DATE.format(date="31/08/2023", start="01/10/2023")),
        ("ngay mai", REPORT_BAD_DATE.format(text="ngay mai")),
        ("31/2", REPORT_BAD_DATE.format(text="31/2")),
    ],
)
async def test_dates_are_checked(app, router, typed: str, expected: str) -> None:
    person = await register_person(app, router, "u5")
    await person.say("/baocao")
    assert await person.say(typed) == expected


async def test_attendees_concerns_and_topics_are_validated(app, router) -> None:
    person = await register_person(app, router, "u6")
    await person.say("/baocao")
    await person.say("1/10/2023")  # the first day of the open period
    await person.tap("Mạng xã hội")
    await person.tap("Nà Tăm")
    for bad in ("0", "5001", "nhiều lắm", "12.5"):
        assert await person.say(bad) == REPORT_BAD_ATTENDEES
    await person.say("5.000")
    assert (await person.tap("Xong")).startswith(REPORT_NEED_TOPIC)
    await person.tap("Mục đích")
    await person.tap("Xong")
    assert REPORT_CONCERNS_TOO_LONG.format(length=501, limit=500) == await person.say("x" * 501)
    shown = await person.say("ông Lò Văn Pằng hỏi về đường")
    assert REPORT_CONCERNS_MASKED in shown and "ông *** hỏi về đường" in shown
    assert "Pằng" not in shown and "5000" in shown and "01/10/2023" in shown


async def test_same_report_twice_in_a_day_asks_first(app, router) -> None:
    person = await register_person(app, router, "u7")
    await file_report(person)
    await person.say("/baocao")
    await person.tap("Hôm qua")
    await person.tap("Họp thôn")
    await person.tap("Nà Tăm")
    await person.tap("30")
    await person.tap("Bối cảnh")
    await person.tap("Xong")
    await person.tap("Không có")
    asked = await person.tap("Gửi")
    assert asked == REPORT_DUPLICATE.format(id=1)
    assert "✅ Đã lưu báo cáo số 2" in await person.tap("Vẫn gửi")


async def test_cancel_at_any_step_saves_nothing(app, router) -> None:
    person = await register_person(app, router, "u8")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    assert await person.say("/huy") == REPORT_CANCELLED
    assert await person.say("/huy") == NOTHING_TO_CANCEL
    assert await app.db.reports.between("2000-01-01", "2100-01-01") == []


async def test_my_reports_edit_and_withdraw(app, router) -> None:
    person = await register_person(app, router, "u9")
    await file_report(person, people="20")
    mine = await person.say("/baocaocuatoi")
    assert "Số 1 — 14/03/2024" in mine and "20 người" in mine
    await person.tap("Sửa số 1")
    await person.tap("Sửa")
    await person.tap("Số người")
    await person.tap("40")
    assert "✅ Đã sửa báo cáo số 1" in await person.tap("Gửi")
    await person.say("/baocaocuatoi")
    await person.tap("Rút số 1")
    assert await person.tap("Rút báo cáo") == REPORT_WITHDRAWN.format(id=1)
    kept = await app.db.reports.get(1)
    assert (kept.status, kept.attendees) == ("withdrawn", 40)
    assert "(đã rút)" in await person.say("/baocaocuatoi")
    stats = await reports.compute(app, reports.period_of("quy", TODAY), "12")
    assert stats.sessions == 0


async def test_someone_else_cannot_touch_my_report(app, router) -> None:
    me = await register_person(app, router, "u10")
    await file_report(me)
    other = await register_person(app, router, "u11", name="Lò Thị B")
    other.last = [Reply("", buttons=[[__import__("bot.core").core.Button("x", "rm:wdy:1")]])]
    assert await other.tap("x") == REPORT_NOT_YOURS
    assert (await app.db.reports.get(1)).status == "active"


async def test_reports_only_in_private_and_only_when_registered(app, router) -> None:
    stranger = Person(router, "u12")
    assert await stranger.say("/baocao") == texts.NOT_REGISTERED
    group = Person(router, "u13", chat_type="group")
    assert await group.say("/baocao") == texts.PRIVATE_ONLY.format(command="/baocao")


async def test_invites_are_checked(app, router) -> None:
    person = Person(router, "u14")
    assert await person.say("/dangky NOPE1234") == INVITE_UNKNOWN.format(code="NOPE1234")
    invite = await issue_invite(app, "propagandist", "12-003-02", 1, None, "test")
    first = await register_person(app, router, "u15", unit="12-003-02")
    assert (await app.db.people.user("telegram", first.user)).unit_code == "12-003-02"
    assert await person.say(f"/dangky {invite['code']}")  # a fresh code works for someone else
    await person.tap("Đúng")
    late = Person(router, "u16")
    assert await late.say(f"/dangky {invite['code']}") == INVITE_USED_UP.format(code=invite["code"])


async def test_registration_with_a_typed_village_name(app, router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003", 1, None, "test")
    person = Person(router, "u17")
    await person.say(f"/dangky {invite['code']}")
    await person.tap("Gõ tên khác")
    await person.say("Lò Thị Hoa")
    await person.tap("Nơi khác")
    done = await person.say("dong pao")
    assert done.startswith("Đã đăng ký: Lò Thị Hoa") and "Bản Đông Pao" in done


# -- roles -------------------------------------------------------------------------------------------------
ROLE_TABLE = {
    # command: roles allowed
    "/thongke": {"officer", "admin", "other_officer"},
    "/xuat": {"officer", "admin", "other_officer"},
    "/chuatraloi": {"officer", "admin", "other_officer"},
    "/moi tuyentruyenvien 12-003": {"admin"},
    "/baocaocuatoi": {"propagandist", "officer", "admin", "other_officer"},
}


@pytest.mark.parametrize("command", sorted(ROLE_TABLE))
async def test_every_officer_command_by_every_role(settings, command: str) -> None:
    app = await open_app(settings, clock=lambda: __import__("datetime").datetime(2024, 3, 15, 9))
    try:
        router = Router(app)
        people = {
            "anyone": Person(router, "p-any"),
            "propagandist": await register_person(app, router, "p-ttv"),
            "other_officer": await register_person(app, router, "p-o2", role="officer", unit="12-004"),
            "officer": await register_person(app, router, "p-o1", role="officer", unit="12-003"),
            "admin": Person(router, "admin"),
        }
        await file_report(people["propagandist"])
        for who, person in people.items():
            person.router = router
            person.last = []
            reply = await _say_as(app, router, who, person, command)
            refused = reply.startswith(("Lệnh ", texts.NOT_REGISTERED[:20]))
            assert refused == (who not in ROLE_TABLE[command]), (who, command, reply)
    finally:
        await app.close()


async def _say_as(app: App, router: Router, who: str, person: Person, command: str) -> str:
    channel = "console" if who == "admin" else "telegram"
    replies = await router.handle(
        Incoming(channel, "c" + person.user, person.user, "private", text=command, display_name=person.name)
    )
    return "\n".join(r.text for r in replies)


async def test_officers_see_only_their_scope(app, router) -> None:
    ttv = await register_person(app, router, "s1")
    await file_report(ttv, people="50")
    other = await register_person(app, router, "s2", unit="12-004-01", name="Lò Văn C")
    await other.say("/baocao 14/3 chi bộ 12 người thu ngân sách 2023")
    await other.tap("Gửi")
    mine = await register_person(app, router, "o1", role="officer", unit="12-003")
    theirs = await register_person(app, router, "o2", role="officer", unit="12-004")
    province = await register_person(app, router, "o3", role="officer", unit="12")
    assert "Tổng: 1 buổi, 50 lượt" in await mine.say("/thongke")
    assert "Tổng: 1 buổi, 12 lượt" in await theirs.say("/thongke")
    assert "Tổng: 2 buổi, 62 lượt" in await province.say("/thongke quy 1/2024")
    assert len(mine.last) == 2 and mine.last[1].attachment.kind == "photo"
    assert mine.last[1].attachment.content.startswith(b"\x89PNG")
    audit = await app.db.audit.latest()
    assert [a.action for a in audit[:3]] == ["report.stats"] * 3


async def test_stats_list_who_has_not_reported(app, router) -> None:
    ttv = await register_person(app, router, "n1", name="Người Đã Báo")
    await register_person(app, router, "n2", name="Người Chưa Báo")
    await file_report(ttv)
    officer = await register_person(app, router, "o9", role="officer", unit="12-003")
    text = await officer.say("/thongke")
    assert "Chưa báo cáo trong Quý 1/2024 (1): Người Chưa Báo" in text


async def test_export_xlsx_and_csv_in_chat(app, router) -> None:
    ttv = await register_person(app, router, "e1")
    await file_report(ttv, people="25")
    officer = await register_person(app, router, "e2", role="officer", unit="12")
    await officer.say("/xuat quy 1/2024")
    [reply] = officer.last
    assert reply.attachment.filename == "bao-cao-tuyen-truyen-2024Q1-12.xlsx"
    assert reply.attachment.content[:2] == b"PK"
    await officer.say("/xuat quy 1/2024 csv")
    csv_text = officer.last[0].attachment.content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Số,Ngày,Xã/phường")
    assert '14/03/2024,Xã Bản Hon,"Bản Nà Tăm, Xã Bản Hon","Họp thôn, bản, tổ dân phố",25' in csv_text
    assert (await app.db.audit.latest())[0].action == "report.export"


async def test_unanswered_questions_inbox(app, router) -> None:
    asker = Person(router, "q1")
    for q in ("giá phân bón năm nay", "gia phan bon nam nay", "lịch cúp điện", "tinh dat bao nhieu chi tieu"):
        await asker.say(q)
    officer = await register_person(app, router, "q2", role="officer", unit="12")
    inbox = await officer.say("/chuatraloi")
    fertiliser = next(line for line in inbox.splitlines() if "phân bón" in line or "phan bon" in line)
    assert "— 2 lần" in fertiliser, "the same question with and without accents counts as one"
    assert "«lịch cúp điện» — 1 lần" in inbox
    assert "chi tieu" not in inbox, "answered questions are not in the inbox"


def test_parse_date() -> None:
    assert parse_date("12/3", TODAY) == date(2024, 3, 12)
    assert parse_date("28/12", TODAY) == date(2023, 12, 28)  # typed in March: last December
    assert parse_date("hôm qua", TODAY) == date(2024, 3, 14)
    assert parse_date("5-1-24", TODAY) == date(2024, 1, 5)


async def test_a_new_report_field_is_one_declaration(app, router, monkeypatch) -> None:
    """One Field and its words: the dialog asks it, the summary, the totals and the export show it."""
    from bot import report_fields

    households = report_fields.Field(
        "households", "Số hộ tham dự", report_fields.extra_shown("households"),
        total=True, ask="number", prompt="Bao nhiêu hộ gia đình tham dự? Gõ số.",
    )  # fmt: skip
    monkeypatch.setattr(report_fields, "FIELDS", (*report_fields.FIELDS, households))
    person = await register_person(app, router, "h1")
    asked = await person.say("/baocao 12/3 họp bản Nà Tăm 45 người thu ngân sách 2023")
    assert "Bao nhiêu hộ gia đình tham dự?" in asked
    assert "«Số hộ tham dự» cần một số nguyên" in await person.say("nhiều lắm")
    shown = await person.say("12 hộ")
    assert "• Số hộ tham dự: 12" in shown and "• Số người dự: 45" in shown
    assert "✅ Đã lưu" in await person.tap("Gửi")
    other = await register_person(app, router, "h2")
    await other.say("/baocao 13/3 họp bản Nà Tăm 20 người thu ngân sách 2023")
    assert "• Số hộ tham dự: (không có)" in await other.tap("Bỏ qua")
    await other.tap("Gửi")
    officer = await register_person(app, router, "h3", role="officer", unit="12")
    assert "• Số hộ tham dự: 12" in await officer.say("/thongke quy 1/2024")
    await officer.say("/xuat quy 1/2024 csv")
    rows = officer.last[0].attachment.content.decode("utf-8-sig").splitlines()
    assert rows[0].endswith("Ý kiến của người dân,Số hộ tham dự,Người báo cáo,Trạng thái")
    assert any(",12,Lò Văn A," in row for row in rows[1:])
    # Edited later: the field is asked again from the edit menu.
    await person.say("/baocaocuatoi")
    await person.tap("Sửa số")
    await person.tap("Sửa")
    await person.tap("Số hộ tham dự")
    assert "• Số hộ tham dự: 15" in await person.say("15")
