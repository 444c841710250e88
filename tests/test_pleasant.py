"""Issue 24, the chat: tried as a new propagandist or officer would, on Telegram, Zalo and the terminal.

One-line reports read what people write (the README's own example; a date outside the open quarters asked
about; «KT-XH» read as «kinh tế - xã hội»; a phrase naming no topic asked with the closest ones), numbered
choices keep working after an error and take several numbers where a step takes several, registration accepts
the name it offers, lists come in the order they say, a stray number or emoji gets a hint and is not logged,
and button labels are cut after a whole word.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from bot import inbox
from bot.answers import NUMBER_ALONE, OKAY, THANKS, button_label
from bot.app import App
from bot.buttons import LABEL_CHARS, fit_label
from bot.channels import console
from bot.channels.render import CHOOSE_SEVERAL, ONE_CHOICE_ONLY, read
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.core import Incoming
from bot.filing import check_date
from bot.invites import issue_invite
from bot.router import Router
from bot.store.dialogs import Offered
from handlers.register import REGISTER_BAD_NAME
from handlers.report import (
    REPORT_ASK_FORM,
    REPORT_BAD_DATE,
    REPORT_QUICK_DATE_FUTURE,
    REPORT_QUICK_DATE_OLD,
    REPORT_TOPIC_GUESS,
    REPORT_TOPIC_UNREAD,
    parse_date,
)
from handlers.review import REVIEW_HEADER
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.helpers import Person, finish_telegram, register_person, start_telegram

README = Path(__file__).resolve().parent.parent / "README.md"
_OPTION_RE = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


def readme_one_line_report() -> str:
    """The one-line report of the README's table of propagandists' commands, as the README writes it."""
    found = re.search(r"^\| `(/baocao [^`]+)` \| propagandist \|", README.read_text(encoding="utf-8"), re.M)
    assert found, "the README shows a one-line report"
    return found.group(1)


# -- people on the channels that number their choices ------------------------------------------------------
class Numbered:
    """Someone on a channel without buttons: types a line, reads the numbered choices, types a number."""

    last = ""

    async def say(self, text: str) -> str:
        raise NotImplementedError

    def number_of(self, label_part: str) -> str:
        for number, label in _OPTION_RE.findall(self.last):
            if label_part in label:
                return number
        raise AssertionError(f"no numbered choice with {label_part!r} in:\n{self.last}")

    async def pick(self, label_part: str) -> str:
        return await self.say(self.number_of(label_part))


class Terminal(Numbered):
    """`loa chat --user NAME` with its input piped, one line at a time."""

    def __init__(self, router: Router, user: str):
        self.router, self.user = router, user

    async def say(self, text: str) -> str:
        out = io.StringIO()
        await console.chat(self.router, self.user, stdin=io.StringIO(text + "\n"), stdout=out)
        self.last = out.getvalue()
        return self.last


class OnZalo(Numbered):
    """Someone on Zalo, through the adapter and a fake Zalo Bot API server."""

    def __init__(self, channel: ZaloChannel, fake: FakeZalo, user: str, name: str):
        self.channel, self.fake, self.user, self.name = channel, fake, user, name

    async def say(self, text: str) -> str:
        before = len(self.fake.sent[self.user])
        task = await self.channel.accept(self.fake.message(self.user, text, name=self.name))
        assert task is not None
        await task
        self.last = "\n".join(self.fake.sent[self.user][before:])
        return self.last


@pytest.fixture
async def zalo(app: App, zfake: FakeZalo):
    client = ZaloClient(zfake.token, zfake.base_url, backoff=0.01)
    yield ZaloChannel(app, client, bot_id=zfake.bot_id)
    await client.close()


async def _registered(app: App, person: Numbered) -> Numbered:
    """``person`` registered as a propagandist of Bản Nà Tăm, confirming the name the channel gives."""
    invite = await issue_invite(app, "propagandist", "12-003", 1, 30, "test")
    await person.say(f"/dangky {invite['code']}")
    await person.pick("Đúng")
    await person.pick("Nà Tăm")
    return person


# -- 1. one-line reports read what people write ------------------------------------------------------------
async def test_the_readme_one_line_report_is_read_whole(app: App, router: Router) -> None:
    person = await register_person(app, router, "q1")
    shown = await person.say(readme_one_line_report())
    assert shown.startswith("Xin kiểm tra báo cáo"), shown
    for field in ("12/03/2024", "Bản Nà Tăm", "Họp thôn, bản", "45", "Kết quả nổi bật cả nước 2023"):
        assert field in shown
    assert "✅ Đã lưu báo cáo số 1" in await person.tap("Gửi")
    [saved] = await app.db.reports.between("2024-01-01", "2024-03-31")
    assert saved.topics == ["ket-qua-ca-nuoc"] and saved.attendees == 45


@pytest.mark.parametrize("typed", ["KT-XH 2023", "ktxh 2023", "kt xh năm 2023", "kinh tế - xã hội 2023"])
async def test_kt_xh_is_read_as_kinh_te_xa_hoi(app: App, router: Router, typed: str) -> None:
    person = await register_person(app, router, "q2")
    shown = await person.say(f"/baocao hôm qua họp bản 30 người {typed}")
    assert "• Chủ đề: Kết quả nổi bật cả nước 2023" in shown and "Xin kiểm tra báo cáo" in shown


async def test_a_date_outside_the_open_quarters_is_asked_not_dropped(moving_app: App, clock) -> None:
    clock.advance(days=122)  # 15 July 2024: the first quarter is closed (LOA_REPORT_OPEN_QUARTERS = 1)
    router = Router(moving_app)
    person = await register_person(moving_app, router, "q3")
    shown = await person.say(readme_one_line_report())
    asked = REPORT_QUICK_DATE_OLD.format(typed="12/3", date="12/03/2024", start="01/04/2024")
    assert asked in shown and "• Ngày: (chưa có)" in shown
    assert [b.label for b in person.last[-1].options()] == ["Hôm nay", "Hôm qua"]
    assert "• Chủ đề: Kết quả nổi bật cả nước 2023" in shown, "the rest of the line is kept"
    confirm = await person.tap("Hôm qua")
    assert "Xin kiểm tra báo cáo" in confirm and "14/07/2024" in confirm
    assert "✅ Đã lưu" in await person.tap("Gửi")


async def test_a_date_to_come_is_asked_too_and_a_typed_day_answers(app: App, router: Router) -> None:
    person = await register_person(app, router, "q4")
    shown = await person.say("/baocao 16/3 họp bản Nà Tăm 45 người thu ngân sách 2023")
    assert REPORT_QUICK_DATE_FUTURE.format(typed="16/3", date="16/03/2024") in shown
    assert "Xin kiểm tra báo cáo" in await person.say("13/3")


async def test_words_naming_no_topic_clearly_are_asked_with_the_closest(app: App, router: Router) -> None:
    person = await register_person(app, router, "q5")
    shown = await person.say("/baocao hôm qua họp bản 30 người kinh tế xã hội")
    assert REPORT_TOPIC_GUESS.format(text="kinh tế xã hội") in shown and "• Chủ đề: (chưa có)" in shown
    labels = [b.label for b in person.last[-1].options()]
    assert labels[:2] == ["Mục đích, yêu cầu", "Kết quả nổi bật cả nước 2023"] and labels[-1] == "Khác ▸"
    assert len(labels) <= 4, "the few closest, not the whole list"
    confirm = await person.tap("Kết quả nổi bật")
    assert "Xin kiểm tra báo cáo" in confirm and "• Chủ đề: Kết quả nổi bật cả nước 2023" in confirm


async def test_khac_shows_every_topic_and_says_what_was_not_read(app: App, router: Router) -> None:
    person = await register_person(app, router, "q6")
    shown = await person.say("/baocao hôm qua họp bản 30 người an toàn giao thông")
    assert REPORT_TOPIC_GUESS.format(text="an toàn giao thông") in shown
    every = await person.tap("Khác")
    assert REPORT_TOPIC_UNREAD.format(text="an toàn giao thông") in every
    assert len(person.last[-1].options()) == 11  # ten topics and «Xong»
    await person.tap("Bối cảnh")
    assert "• Chủ đề: Bối cảnh năm 2023" in await person.tap("Xong")


async def test_words_near_no_topic_at_all_get_the_whole_list_saying_so(app: App, router: Router) -> None:
    person = await register_person(app, router, "q7")
    shown = await person.say("/baocao hom qua hop ban 30 nguoi bau cu")
    assert REPORT_TOPIC_UNREAD.format(text="bau cu") in shown and "⑤ Nội dung tuyên truyền?" in shown


# -- 2 and 3. numbered choices: after an error, and several at once ---------------------------------------
async def test_on_the_terminal_a_number_still_picks_after_an_error(app: App, router: Router) -> None:
    person = await _registered(app, Terminal(router, "ttv1"))
    await person.say("/baocao")
    wrong = await person.say("abc")
    assert REPORT_BAD_DATE.format(text="abc") in wrong and "2. Hôm qua" in wrong
    assert REPORT_ASK_FORM in await person.say("2"), "the number shown before the error picks «Hôm qua»"


async def test_a_number_past_the_list_gets_a_hint_and_the_list_still_picks(app: App, router: Router) -> None:
    person = Terminal(router, "t2")
    await person.say("/chude")
    assert NUMBER_ALONE in await person.say("99")
    assert "Chủ đề «Bối cảnh năm 2023»" in await person.say("2")


async def test_on_zalo_a_number_still_picks_after_an_error(app: App, zalo: ZaloChannel, zfake) -> None:
    person = await _registered(app, OnZalo(zalo, zfake, "z-err", "Lò Văn Minh"))
    await person.say("/baocao")
    await person.say("ngày kia")
    assert REPORT_ASK_FORM in await person.pick("Hôm qua")


async def test_several_numbers_pick_several_topics_on_zalo(app: App, zalo: ZaloChannel, zfake) -> None:
    person = await _registered(app, OnZalo(zalo, zfake, "z-many", "Lò Văn Minh"))
    await person.say("/baocao hôm qua họp bản 30 người")
    assert CHOOSE_SEVERAL in person.last
    six, four = person.number_of("Kết quả của tỉnh"), person.number_of("Dự báo")
    shown = await person.say(f"{six} {four}")
    assert f"{six}. ✅ Kết quả của tỉnh Lai Châu 2023" in shown and f"{four}. ✅ Dự báo" in shown
    shown = await person.say(f"{six}, {four}")  # pressed again: both taken back
    assert "✅" not in shown
    await person.say(f"{six} và {four}")
    confirm = await person.pick("Xong")
    [topics] = [line for line in confirm.splitlines() if line.startswith("• Chủ đề:")]
    assert "Dự báo, nhiệm vụ năm 2024" in topics and "Kết quả của tỉnh Lai Châu 2023" in topics


async def test_several_numbers_where_one_is_expected_are_told_and_the_choices_stay(
    app: App, router: Router
) -> None:
    person = await _registered(app, Terminal(router, "ttv2"))
    await person.say("/baocao")
    await person.pick("Hôm qua")
    assert (await person.say("1 2")).strip() == ONE_CHOICE_ONLY
    assert "③ Địa điểm?" in await person.say("2")


def test_several_numbers_are_read_only_as_positions_of_the_choices_shown() -> None:
    options = [(str(i), f"x:{i}") for i in ("a", "b", "c")]
    several = Offered(options, several=True)
    assert read("1 3", several).data == ["x:a", "x:c"]
    assert read("3, 1", several).data == ["x:c", "x:a"]
    assert read("1 và 2", several).data == ["x:a", "x:b"]
    assert read("1 1", several).data == ["x:a"]
    assert read("1 9", several).data == [] and read("1 9", several).correction == ""  # not positions
    assert read("2", several).data == ["x:b"]
    assert read("1 2", Offered(options)).correction == ONE_CHOICE_ONLY
    values = Offered([("10", "r:att:10"), ("20", "r:att:20")])
    assert read("10 20", values).data == [] and read("10 20", values).correction == ""


# -- 4. registration accepts the name it offers -----------------------------------------------------------
async def test_registration_accepts_the_display_name_it_offers(app: App, router: Router) -> None:
    person = await _registered(app, Terminal(router, "ttv1"))
    assert "Tên hiển thị của đồng chí là «ttv1»?" not in person.last
    row = await app.db.people.user("console", "ttv1")
    assert (row.role, row.full_name) == ("propagandist", "ttv1")


async def test_a_typed_handle_is_accepted_and_garbage_refused(app: App, router: Router) -> None:
    invite = await issue_invite(app, "propagandist", "12-003", 1, None, "test")
    person = Person(router, "r1", name="🌸🌸")
    shown = await person.say(f"/dangky {invite['code']}")
    assert "Tên hiển thị" not in shown, "a name that would be refused is not offered"
    for garbage in ("12345", "👍👍", "x" * 61, "<b>Hoa</b>", "*Hoa*", "Nguyễn Văn 2"):
        assert await person.say(garbage) == REGISTER_BAD_NAME, garbage
    assert "thôn, bản" in await person.say("ttv1"), "a handle typed is a name, not a question («ttv»)"
    done = await person.tap("Nà Tăm")
    assert done.startswith("Đã đăng ký: ttv1")


async def test_a_display_name_with_emoji_is_offered_without_them(app: App, router: Router) -> None:
    invite = await issue_invite(app, "officer", "12-003", 1, None, "test")
    person = Person(router, "r2", name="Hoa 🌸")
    assert "«Hoa»?" in await person.say(f"/dangky {invite['code']}")
    assert (await person.tap("Đúng")).startswith("Đã đăng ký: Hoa,")


# -- 5. lists in the order they say -----------------------------------------------------------------------
async def test_duyet_lists_the_oldest_session_first(moving_app: App, clock) -> None:
    router = Router(moving_app)
    person = await register_person(moving_app, router, "p1")
    for day, people in (("14/3", 14), ("10/3", 10), ("12/3", 12)):  # filed in another order than held
        await person.say(f"/baocao {day} họp bản Nà Tăm {people} người thu ngân sách 2023")
        await person.tap("Gửi")
        clock.advance(minutes=5)
    officer = await register_person(moving_app, router, "o1", role="officer", unit="12-003")
    listing = (await officer.say("/duyet")).splitlines()
    assert listing[0] == REVIEW_HEADER.format(count=3, page=1, pages=1)
    assert "buổi cũ nhất trước" in listing[0]
    assert [line[:16] for line in listing[1:]] == ["#2 · 10/03/2024,", "#3 · 12/03/2024,", "#1 · 14/03/2024,"]


async def test_chuatraloi_lists_the_newest_first(moving_app: App, clock) -> None:
    router = Router(moving_app)
    asker = await register_person(moving_app, router, "p2")
    await asker.say("lịch cúp điện ở bản Nà Tăm tháng này")
    clock.advance(hours=1)
    await asker.say("giá phân bón vụ xuân năm nay bao nhiêu")
    officer = await register_person(moving_app, router, "o2", role="officer", unit="12-003")
    shown = await officer.say("/chuatraloi")
    assert "mới nhất trước" in shown and shown.index("phân bón") < shown.index("cúp điện")


# -- 6. a stray number or emoji --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "said"), [("99", NUMBER_ALONE), ("1", NUMBER_ALONE), ("👍", OKAY), ("🙏", THANKS)]
)
async def test_a_stray_number_or_emoji_gets_a_hint_and_is_not_logged(
    app: App, router: Router, typed: str, said: str
) -> None:
    [reply] = await router.handle(Incoming("telegram", "c9", "u9", text=typed, display_name="Lò Văn A"))
    assert reply.text == said
    assert await app.db.questions.counts() == {}
    assert await inbox.open_groups(app, None) == []


async def test_a_number_with_no_choice_waiting_gets_the_hint_on_the_terminal(
    app: App, router: Router
) -> None:
    person = Terminal(router, "t9")
    assert NUMBER_ALONE in await person.say("1")
    assert "1. " in await person.say("/chude") and "Chủ đề «Mục đích" in await person.say("1")
    assert await app.db.questions.counts() == {}


# -- 7. button labels cut after a whole word ----------------------------------------------------------------
def test_labels_are_cut_after_a_whole_word_with_an_ellipsis() -> None:
    long = "Tỉnh Lai Châu đạt bao nhiêu chỉ tiêu phát triển kinh tế - xã hội năm 2023?"
    cut = fit_label(long)
    assert cut == "Tỉnh Lai Châu đạt bao nhiêu chỉ tiêu phát…" and len(cut) <= LABEL_CHARS
    assert (
        fit_label("Kết quả phát triển kinh tế - xã hội của tỉnh")
        == "Kết quả phát triển kinh tế - xã hội của tỉnh"
    )
    assert fit_label("a b " + "c" * 60) == "a b…"
    assert fit_label("x" * 60).endswith("…") and len(fit_label("x" * 60)) == LABEL_CHARS
    shorter = "Tỉnh Lai Châu đạt bao nhiêu chỉ tiêu chủ yếu năm 2023?"  # 54 characters
    assert button_label(shorter) == shorter, "a suggestion's text for `loa ask` keeps up to 60 characters"
    assert fit_label(shorter) == "Tỉnh Lai Châu đạt bao nhiêu chỉ tiêu chủ…"


async def test_every_suggestion_button_ends_at_a_whole_word(app: App, router: Router) -> None:
    cut = []
    for question in ("thu ngan sach", "nhiem vu nam 2024", "du lich lai chau", "nghi quyet", "chuyen doi so"):
        for reply in await router.handle(Incoming("telegram", "c8", "u8", text=question)):
            labels = [b.label for b in reply.options()]
            assert all(len(label) <= LABEL_CHARS for label in labels), labels
            cut += [label for label in labels if label.endswith("…")]
    assert cut, "some suggestions are longer than a button"
    assert all(_at_a_word_end(app, label) for label in cut), cut


def _at_a_word_end(app: App, label: str) -> bool:
    """Whether ``label`` («… chỉ tiêu…») stops where a word of the question or sentence it shortens stops."""
    head = label[:-1]
    texts = [q for e in app.content.faq for q in e.questions]
    texts += [p.text for d in app.content.documents.values() for p in d.passages]
    for text in texts:
        at = text.find(head)
        if at >= 0 and (at + len(head) == len(text) or not text[at + len(head)].isalnum()):
            return True
    return False


# -- 8. the README's examples on Telegram, Zalo and the terminal -------------------------------------------
async def test_the_readme_example_on_the_terminal(app: App, router: Router) -> None:
    person = await _registered(app, Terminal(router, "ttv3"))
    shown = await person.say(readme_one_line_report())
    assert "Xin kiểm tra báo cáo" in shown and "Kết quả nổi bật cả nước 2023" in shown
    assert "✅ Đã lưu báo cáo số 1" in await person.pick("Gửi")


async def test_the_readme_example_on_zalo(app: App, zalo: ZaloChannel, zfake) -> None:
    person = await _registered(app, OnZalo(zalo, zfake, "z-readme", "Lò Văn Minh"))
    shown = await person.say(readme_one_line_report())
    assert "Xin kiểm tra báo cáo" in shown and "Kết quả nổi bật cả nước 2023" in shown
    assert "✅ Đã lưu báo cáo số 1" in await person.pick("Gửi")


async def test_the_readme_example_on_telegram_today(database: str, fake: FakeTelegram) -> None:
    """On a real clock: 12/3 is asked about when its quarter is closed, taken when it is open."""
    bot = await start_telegram(database, fake)
    try:
        chat = 701
        invite = await issue_invite(bot.app, "propagandist", "12-003", 1, 30, "test")
        shown = await _telegram_turn(fake, chat, f"/dangky {invite['code']}", name="ttv1")
        assert "«ttv1»" in shown
        await _telegram_press(fake, chat, "Đúng")
        await _telegram_press(fake, chat, "Nà Tăm")
        refused = check_date(bot.app, parse_date("12/3", bot.app.today()) or date.min) is not None
        shown = await _telegram_turn(fake, chat, readme_one_line_report(), replies=2 if refused else 1)
        assert "Kết quả nổi bật cả nước 2023" in shown
        if refused:
            assert "«12/3» là ngày 12/03/" in shown and "tổ chức ngày nào?" in shown
            shown = await _telegram_press(fake, chat, "Hôm qua")
        assert "Xin kiểm tra báo cáo" in shown
        assert "✅ Đã lưu báo cáo số 1" in await _telegram_press(fake, chat, "Gửi")
    finally:
        await finish_telegram(bot)


async def _telegram_turn(fake: FakeTelegram, chat: int, text: str, name: str = "", replies: int = 1) -> str:
    before = len(fake.sent(chat))
    await fake.send_text(chat, chat, text, name=name)
    await fake.wait_for(lambda: len(fake.sent(chat)) >= before + replies)
    return "\n".join(fake.texts(chat)[before:])


async def _telegram_press(fake: FakeTelegram, chat: int, label_part: str) -> str:
    """Press the button whose label holds ``label_part`` on the latest message of ``chat`` that has one."""
    mine = sorted((k for k in fake.messages if k[0] == chat), reverse=True)
    message = next(fake.messages[k] for k in mine if fake.messages[k].get("reply_markup"))
    buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
    button = next(b for b in buttons if label_part in b["text"])
    before = len(fake.sent(chat))
    await fake.press(chat, chat, button["callback_data"], message)
    await fake.wait_for(lambda: len(fake.sent(chat)) > before)
    return "\n".join(fake.texts(chat)[before:])
