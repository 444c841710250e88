"""The dialog engine: step tables, cancel, expiry, questions typed mid-dialog, and every dialog Loa has."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot import texts
from bot.answers import reads_as_question
from bot.app import App
from bot.core import Incoming, Reply
from bot.dialog import (
    DIALOG_EXPIRED,
    DIALOG_NOT_ALLOWED,
    DIALOG_PARKED,
    DIALOG_REMINDER,
    NOTHING_TO_CANCEL,
    Dialog,
    Engine,
    Finish,
    Goto,
    Stay,
    Step,
    Turn,
)
from bot.invites import issue_invite
from bot.router import DIALOG_PENDING, Router
from handlers import register, report
from handlers.admin import BROADCAST_STEP_CONFIRM
from handlers.ask import escape
from handlers.register import (
    REGISTER_BAD_NAME,
    REGISTER_CANCELLED,
    REGISTER_STEP_NAME,
    REGISTER_STEP_VILLAGE,
    REGISTER_TITLE,
    REGISTER_VILLAGE_UNKNOWN,
)
from handlers.report import (
    REPORT_CANCELLED,
    REPORT_RESUME,
    REPORT_RESUME_HINT,
    REPORT_STEP_SHORT,
    REPORT_TITLE,
)
from tests.helpers import Person, register_person


# -- the engine, on a dialog of its own ------------------------------------------------------------------
@dataclass
class Order:
    size: str = ""
    count: int = 0


async def _size(turn: Turn[Order], value: str) -> Goto | Stay:
    if value not in ("s", "m"):
        return Stay([Reply("no such size")])
    turn.draft.size = value
    return Goto("count")


async def _count(turn: Turn[Order], text: str) -> Goto | Stay | Finish:
    if not text.isdecimal():
        return Stay([Reply("a number, please")])
    turn.draft.count = int(text)
    return Finish([Reply(f"ordered {turn.draft.count} {turn.draft.size}")])


ORDER = Dialog(
    name="order",
    prefix="o",
    draft=Order,
    title="đặt hàng",
    cancelled="order cancelled",
    steps={
        "size": Step(
            lambda t: [Reply("size?", buttons=[[t.button("S", "size", "s")]])],
            "size?",
            buttons={"size": _size},
        ),
        "count": Step(lambda t: [Reply("how many?")], "how many?", text=_count, awaits="number"),
    },
)


class Recording:
    """The store's dialog calls, counted, to check one load and one save per update."""

    def __init__(self, app: App):
        self.calls: list[str] = []
        store = app.db.dialogs
        for name in ("get", "set", "clear"):
            original = getattr(store, name)

            async def counted(*args, _name=name, _original=original):
                self.calls.append(_name)
                return await _original(*args)

            setattr(store, name, counted)


def _inc(text: str = "", data: str | None = None) -> Incoming:
    return Incoming("console", "c1", "u1", "private", text=text, data=data)


async def _no_escape(app, inc, text, awaits):
    return None


async def test_steps_move_on_buttons_and_text_and_finish(app: App) -> None:
    engine = Engine([ORDER])
    [prompt] = await engine.start(app, _inc(), ORDER, Order(), "size")
    assert prompt.text == "size?" and prompt.buttons[0][0].data == "o:size:s"
    [asked] = await engine.on_button(app, _inc(data="o:size:s"), ORDER, "o:size:s")
    assert asked.text == "how many?"
    current = await engine.current(app, _inc("x"))
    [again] = await engine.on_text(app, _inc("x"), current, _no_escape)
    assert again.text == "a number, please"
    state = await app.db.dialogs.get("console", "c1", "u1")
    assert (state.step, state.data) == ("count", {"size": "s", "count": 0})
    current = await engine.current(app, _inc("3"))
    [done] = await engine.on_text(app, _inc("3"), current, _no_escape)
    assert done.text == "ordered 3 s"
    assert await app.db.dialogs.get("console", "c1", "u1") is None


async def test_one_load_and_one_save_per_update(app: App) -> None:
    engine = Engine([ORDER])
    await engine.start(app, _inc(), ORDER, Order(), "size")
    recording = Recording(app)
    await engine.on_button(app, _inc(data="o:size:s"), ORDER, "o:size:s")
    assert recording.calls == ["get", "set"]


async def test_a_button_of_another_step_or_a_finished_dialog_is_stale(app: App) -> None:
    engine = Engine([ORDER])
    [stale] = await engine.on_button(app, _inc(data="o:size:s"), ORDER, "o:size:s")
    assert stale.text == texts.STALE_BUTTON_DIALOG.format(what="đặt hàng")
    await engine.start(app, _inc(), ORDER, Order(), "size")
    [bad] = await engine.on_button(app, _inc(data="o:size:xl"), ORDER, "o:size:xl")
    assert bad.text == "no such size"
    [unknown] = await engine.on_button(app, _inc(data="o:pay:1"), ORDER, "o:pay:1")
    assert unknown.text == texts.STALE_BUTTON_DIALOG.format(what="đặt hàng")


def test_button_data_over_64_bytes_or_untyped_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        ORDER.button("x", "k" * 24, "s" * 48)
    with pytest.raises(ValueError):
        ORDER.button("x", "size", "a:b")  # a separator inside a value would forge another button


async def test_a_stored_draft_from_an_older_version_still_loads() -> None:
    assert ORDER.load({"size": "m", "colour": "red"}) == Order(size="m", count=0)


async def test_expiry_puts_the_dialog_aside_and_tells(moving_app: App, clock) -> None:
    engine = Engine([ORDER])
    await engine.start(moving_app, _inc(), ORDER, Order(), "size")
    clock.advance(hours=23)
    assert (await engine.current(moving_app, _inc("hi"))).dialog is ORDER
    clock.advance(hours=2)
    current = await engine.current(moving_app, _inc("hi"))
    assert current.dialog is None
    assert current.notice.text == DIALOG_EXPIRED.format(what="đặt hàng")
    assert await moving_app.db.dialogs.get("console", "c1", "u1") is None


async def test_cancel_drops_the_dialog_and_says_which(app: App) -> None:
    engine = Engine([ORDER])
    await engine.start(app, _inc(), ORDER, Order(), "size")
    assert [r.text for r in await engine.cancel(app, _inc())] == ["order cancelled"]
    assert [r.text for r in await engine.cancel(app, _inc())] == [NOTHING_TO_CANCEL]


async def test_a_question_is_answered_and_the_step_shown_in_one_line(app: App) -> None:
    async def answers(app, inc, text, awaits):
        return [Reply("the answer")] if text.endswith("?") else None

    engine = Engine([ORDER])
    await engine.start(app, _inc(), ORDER, Order(), "size")
    current = await engine.current(app, _inc("what sizes are there?"))
    answer, reminder = await engine.on_text(app, _inc("what sizes are there?"), current, answers)
    assert answer.text == "the answer"
    assert reminder.text == DIALOG_REMINDER.format(what="đặt hàng", step="size?")
    assert reminder.buttons[0][0].data == "o:size:s", "the step's buttons come with the reminder"
    await engine.on_button(app, _inc(data="o:size:s"), ORDER, "o:size:s")
    current = await engine.current(app, _inc("5?"))
    [done] = await engine.on_text(app, _inc("5"), current, answers)  # a number step reads the number first
    assert done.text == "ordered 5 s"


# -- what reads as a question ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "awaits", "question"),
    [
        ("tinh dat bao nhieu chi tieu nam 2023", "name", True),
        ("Kết luận 64-KL/TW ban hành ngày nào?", "place", True),
        ("thu ngân sách năm 2023 được bao nhiêu", "text", True),
        ("tỉnh đạt bao nhiêu chỉ tiêu", "choice", True),
        ("Lò Văn Pằng", "name", False),
        ("Lò Thị Mây", "name", False),
        ("Bản Nà Tăm", "place", False),
        ("na tam", "place", False),
        ("giá phân bón tăng cao", "text", False),
        ("cảm ơn", "choice", False),
    ],
)
def test_what_reads_as_a_question(kb, text: str, awaits: str, question: bool) -> None:
    assert reads_as_question(kb, text, awaits) is question


async def test_escape_answers_without_buttons_and_logs_it(app: App) -> None:
    [reply] = await escape(app, _inc(), "tinh dat bao nhieu chi tieu nam 2023", "name")
    assert "37/43" in reply.text and reply.buttons == []
    assert await app.db.questions.counts() == {"answer": 1}
    assert await escape(app, _inc(), "Lò Văn Pằng", "name") is None


# -- registration ----------------------------------------------------------------------------------------
async def test_a_question_typed_as_a_name_is_answered_and_never_registered(app: App, router: Router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003", 1, None, "test")
    person = Person(router, "r1", name="")
    await person.say(f"/dangky {invite['code']}")
    shown = await person.say("tinh dat bao nhieu chi tieu nam 2023")
    assert "37/43" in shown and REGISTER_STEP_NAME in shown
    assert (await app.db.people.user("telegram", "r1")).role == "anyone"
    assert await person.say("nguyen van 2") == REGISTER_BAD_NAME
    await person.say("lò thị hoa")
    shown = await person.say("xa ban hon co bao nhieu ban?")  # a question where the village is awaited
    assert REGISTER_STEP_VILLAGE in shown
    assert (await app.db.people.user("telegram", "r1")).role == "anyone"
    shown = await person.say("nà")  # a near name is offered, never taken on its own
    assert REGISTER_VILLAGE_UNKNOWN.format(text="nà") in shown
    assert (await app.db.people.user("telegram", "r1")).role == "anyone"
    done = await person.tap("Nà Tăm")
    assert done.startswith("Đã đăng ký: Lò Thị Hoa")


async def test_typing_huy_at_the_name_step_is_a_name_and_slash_huy_cancels(app: App, router: Router) -> None:
    invite = await issue_invite(app, "officer", "12-003", 2, None, "test")
    person = Person(router, "r2", name="")
    await person.say(f"/dangky {invite['code']}")
    assert (await person.say("Huy")).startswith("Đã đăng ký: Huy")
    other = Person(router, "r3", name="")
    await other.say(f"/dangky {invite['code']}")
    assert await other.say("/huy") == REGISTER_CANCELLED
    assert await app.db.dialogs.get("telegram", "cr3", "r3") is None


async def test_the_registration_step_table_moves_name_then_village(app: App, router: Router) -> None:
    """Unit test of registration's transitions, straight through the engine with a typed draft."""
    from handlers.dialogs import engine

    invite = await issue_invite(app, "propagandist", "12-003", 1, None, "test")
    inc = Incoming("telegram", "cr9", "r9", "private", display_name="Lò Văn Chín")
    draft = register.RegisterDraft(code=invite["code"], unit="12-003", name="Lò Văn Chín")
    await engine().start(app, inc, register.DIALOG, draft, "name")
    steps = []
    for data in ("reg:name-edit", "reg:village-other"):
        await router.handle(Incoming("telegram", "cr9", "r9", "private", data=data))
        steps.append((await app.db.dialogs.get("telegram", "cr9", "r9")).step)
    assert steps == ["name-typed", "name-typed"], "a village button before the name is stale"
    await router.handle(Incoming("telegram", "cr9", "r9", "private", text="Lò Văn Chín"))
    state = await app.db.dialogs.get("telegram", "cr9", "r9")
    assert state.step == "village" and register.DIALOG.load(state.data).commune == "12-003"
    [done] = await router.handle(Incoming("telegram", "cr9", "r9", "private", data="reg:village:12-003-02"))
    assert done.text.startswith("Đã đăng ký: Lò Văn Chín") and "Bản Hon" in done.text
    assert await app.db.dialogs.get("telegram", "cr9", "r9") is None


async def test_a_forged_village_of_another_commune_is_refused(app: App, router: Router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003", 1, None, "test")
    person = Person(router, "r4")
    await person.say(f"/dangky {invite['code']}")
    await person.tap("Đúng")
    forged = await router.handle(Incoming("telegram", "cr4", "r4", "private", data="reg:village:12-004-01"))
    assert forged[0].text == texts.STALE_BUTTON_DIALOG.format(what=REGISTER_TITLE)
    assert (await app.db.people.user("telegram", "r4")).role == "anyone"


# -- the report ------------------------------------------------------------------------------------------
async def test_a_question_at_the_form_step_is_answered_once_with_the_step_in_one_line(
    app: App, router: Router
) -> None:
    person = await register_person(app, router, "d1")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    shown = await person.say("tinh dat bao nhieu chi tieu nam 2023")
    assert "37/43" in shown
    assert shown.count("Hình thức tuyên truyền?") == 1
    assert [r.text for r in person.last][-1] == DIALOG_REMINDER.format(
        what=REPORT_TITLE, step=REPORT_STEP_SHORT["form"]
    )
    assert any("Họp thôn" in b.label for b in person.last[-1].options()), "the step's buttons come along"
    await person.tap("Họp thôn")
    assert "③ Địa điểm?" in "\n".join(r.text for r in person.last)


async def test_a_question_is_never_stored_as_a_place(app: App, router: Router) -> None:
    person = await register_person(app, router, "d2")
    await person.say("/baocao hom qua hop ban 30 nguoi thu ngan sach 2023")
    await person.say("/baocao")
    await person.tap("Sửa")
    await person.tap("Địa điểm")
    await person.tap("Nơi khác")
    shown = await person.say("ở bản Nà Tăm có loa truyền thanh không?")
    assert REPORT_STEP_SHORT["place"] in shown and "Xin kiểm tra" not in shown
    assert "Bản Hon, Xã Bản Hon" in await person.say("bản Hon")
    assert "✅ Đã lưu" in await person.tap("Gửi")
    [saved] = await app.db.reports.between("2024-01-01", "2024-03-31")
    assert saved.unit_code == "12-003-02"


async def test_a_question_at_the_residents_step_is_what_residents_asked(app: App, router: Router) -> None:
    """Typed at ⑥, «tỉnh đạt bao nhiêu chỉ tiêu» is the residents' question: kept in the report, not
    answered on the side; once the report is saved, Loa gives the answer to relay to them."""
    person = await register_person(app, router, "d3")
    await person.say("/baocao hom qua hop ban 30 nguoi thu ngan sach 2023")
    await person.say("/baocao")
    await person.tap("Sửa")
    await person.tap("Ý kiến người dân")
    shown = await person.say("tỉnh đạt bao nhiêu chỉ tiêu năm 2023?\nBao giờ bản có điện lưới")
    assert "37/43" not in shown and "Xin kiểm tra" in shown
    assert "tỉnh đạt bao nhiêu chỉ tiêu năm 2023?" in shown
    saved_reply = await person.tap("Gửi")
    assert "✅ Đã lưu" in saved_reply
    assert "Bà con hỏi: «tỉnh đạt bao nhiêu chỉ tiêu năm 2023?»" in saved_reply and "37/43" in saved_reply
    assert "1 ý kiến Loa chưa trả lời được" in saved_reply
    [saved] = await app.db.reports.between("2024-01-01", "2024-03-31")
    assert saved.concerns == "tỉnh đạt bao nhiêu chỉ tiêu năm 2023?\nBao giờ bản có điện lưới"
    heard = await app.db.voices.between("2024-01-01", "2024-03-31")
    expected = ["Bao giờ bản có điện lưới", "tỉnh đạt bao nhiêu chỉ tiêu năm 2023?"]
    assert sorted(v.text for v in heard) == expected
    assert {v.report_id for v in heard} == {saved.id} and {v.unit_code for v in heard} == {saved.unit_code}


@pytest.mark.parametrize("word", ["hủy", "Hủy", "huy", "/huy", "HỦY!", "thôi", "hủy bỏ"])
async def test_cancel_words_work_in_the_report(app: App, router: Router, word: str) -> None:
    person = await register_person(app, router, "d3")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    assert await person.say(word) == REPORT_CANCELLED


async def test_an_idle_report_is_parked_then_resumed_and_a_registration_dropped(
    moving_app: App, clock
) -> None:
    router = Router(moving_app)
    person = await register_person(moving_app, router, "d4")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    await person.tap("Loa")
    clock.advance(hours=25)
    shown = await person.say("tinh dat bao nhieu chi tieu nam 2023")
    assert shown.startswith(DIALOG_PARKED.format(what=REPORT_TITLE, hint=REPORT_RESUME_HINT))
    assert "37/43" in shown and "③" not in shown, "the message is treated as new"
    assert "Đồng chí chưa gõ" not in await person.say("xin chào")
    resumed = await person.say("/baocao")
    assert REPORT_RESUME in resumed and "③ Địa điểm?" in resumed
    draft = (await moving_app.db.dialogs.get("telegram", "cd4", "d4")).data
    assert (draft["form"], draft["date"]) == ("loa", "2024-03-15")

    invite = await issue_invite(moving_app, "propagandist", "12-003", 1, None, "test")
    newcomer = Person(router, "d5")
    await newcomer.say(f"/dangky {invite['code']}")
    clock.advance(hours=30)
    shown = await newcomer.say("Lò Văn Tám")
    assert shown.startswith(DIALOG_EXPIRED.format(what=REGISTER_TITLE))
    assert (await moving_app.db.people.user("telegram", "d5")).role == "anyone"


async def test_a_quick_report_while_one_is_half_done_parks_the_first(app: App, router: Router) -> None:
    person = await register_person(app, router, "d6")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    await person.tap("Loa")
    await person.say("/baocao hom qua hop ban 40 nguoi thu ngan sach 2023")
    assert "✅ Đã lưu" in await person.tap("Gửi")
    resumed = await person.say("/baocao")
    assert REPORT_RESUME in resumed and "③ Địa điểm?" in resumed


async def test_a_command_mid_dialog_is_answered_and_the_dialog_waits(app: App, router: Router) -> None:
    person = await register_person(app, router, "d7")
    await person.say("/baocao")
    shown = await person.say("/thongdiep")
    assert "37/43" in shown and shown.endswith(DIALOG_PENDING.format(what=REPORT_TITLE))
    assert "② Hình thức" in await person.say("hôm nay")


async def test_the_report_step_table_moves_field_by_field(app: App, router: Router) -> None:
    """Unit test of the report's transitions, straight through the engine with a typed draft."""
    from handlers.dialogs import engine

    await register_person(app, router, "d8")
    inc = Incoming("telegram", "cd8", "d8", "private")
    await engine().start(app, inc, report.DIALOG, report.ReportDraft(), "date")
    steps = []
    for data in (
        "r:date:0",
        "r:form:loa",
        "r:place:12-003-02",
        "r:att:40",
        "r:top:tinh-lai-chau",
        "r:top:done",
    ):
        await router.handle(Incoming("telegram", "cd8", "d8", "private", data=data))
        steps.append((await app.db.dialogs.get("telegram", "cd8", "d8")).step)
    assert steps == ["form", "place", "attendees", "topics", "topics", "concerns"]
    await router.handle(Incoming("telegram", "cd8", "d8", "private", data="r:conc:skip"))
    state = await app.db.dialogs.get("telegram", "cd8", "d8")
    assert state.step == "confirm"
    assert report.DIALOG.load(state.data) == report.ReportDraft(
        date="2024-03-15", form="loa", unit="12-003-02", attendees=40, topics=["tinh-lai-chau"], concerns=""
    )


async def test_a_propagandist_demoted_mid_report_cannot_finish_it(app: App, router: Router) -> None:
    person = await register_person(app, router, "d9")
    await person.say("/baocao")
    await app.db.people.set_role("telegram", "d9", "anyone", "12-003-01", "Lò Văn A")
    assert await person.tap("Hôm nay") == DIALOG_NOT_ALLOWED.format(what=REPORT_TITLE)
    assert await app.db.dialogs.get("telegram", "cd9", "d9") is None


# -- the broadcast confirmation --------------------------------------------------------------------------
async def test_a_question_while_a_broadcast_awaits_confirmation(app: App, router: Router) -> None:
    await register_person(app, router, "b1")
    officer = await register_person(app, router, "b2", role="officer", unit="12-003")
    await officer.say("/phatthanh Họp dân bàn làm đường vào bản")
    shown = await officer.say("tinh dat bao nhieu chi tieu nam 2023")
    assert "37/43" in shown and BROADCAST_STEP_CONFIRM in shown
    assert (await officer.tap("Gửi ngay")).startswith("Đã xếp lịch gửi tới")


def test_every_dialog_has_a_table_and_its_buttons_fit() -> None:
    from handlers.dialogs import engine

    assert set(engine().by_name) == {"register", "report", "broadcast", "inbox", "review"}
    assert register.DIALOG.steps and report.DIALOG.steps


async def test_baocao_after_a_long_pause_resumes_without_the_put_aside_line(moving_app: App, clock) -> None:
    router = Router(moving_app)
    person = await register_person(moving_app, router, "d10")
    await person.say("/baocao")
    await person.tap("Hôm nay")
    clock.advance(days=3)
    resumed = await person.say("báo cáo")
    assert resumed.startswith(REPORT_RESUME) and "② Hình thức" in resumed
