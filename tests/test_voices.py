"""Residents' voice: captured where heard, themed and grouped, the pulse in scope, the quarter's report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bot import inbox, opinion, reports, voices
from bot.app import App
from bot.auth import actor_of
from bot.config import default_content_dir, load_settings
from bot.content import load_content
from bot.core import Incoming
from bot.router import Router
from bot.themes import group, theme_of
from handlers.voices import HEARD_WAITING
from tests.helpers import file_report, loa, open_app, register_person

BACKENDS = ("sqlite", "postgresql")
THEMES = load_content(default_content_dir()).themes


# -- what an item is, and its theme --------------------------------------------------------------------------
def test_what_was_typed_is_split_into_items() -> None:
    typed = (
        "- Bao giờ bản có điện lưới?\n2. Giá phân bón tăng. Đường vào bản sạt; ok\n\n"
        "  •  nước sinh hoạt thiếu"
    )
    assert voices.items_of(typed) == [
        "Bao giờ bản có điện lưới?",
        "Giá phân bón tăng.",
        "Đường vào bản sạt",
        "nước sinh hoạt thiếu",
    ]


@pytest.mark.parametrize(
    ("said", "theme"),
    [
        ("bao giờ bản có điện lưới?", "dien"),
        ("bao gio ban co dien luoi", "dien"),
        ("tiền đền bù đất làm đường bao giờ trả", "dat-dai"),
        ("Dân hỏi giá phân bón tăng", "gia-ca"),
        ("mua phân bón ở đâu", "viec-lam"),  # «mua» is to buy here: accented text is read accented
        ("mưa to sạt lở đường", "thien-tai"),
        ("bà con lo bị lừa đảo qua mạng", "an-ninh"),
        ("con đi học có được miễn học phí không", "truong-hoc"),
        ("làm căn cước ở xã mới thế nào", "sap-nhap"),
        ("thẻ bảo hiểm y tế hết hạn", "y-te"),
        ("nước sinh hoạt thiếu", "nuoc-sach"),
        ("hỏi về hộ nghèo năm nay", "chinh-sach"),
        ("lễ hội của bản tổ chức thế nào", "phong-tuc"),
        ("bà con khen chương trình văn nghệ", "khac"),
        # Words that only contain a theme's, and words that fold from several without accents.
        ("bao gio tang luong", "khac"),
        ("bao giờ lãnh đạo huyện về bản", "khac"),
        ("ô nhiễm môi trường", "khac"),
        ("sóng điện thoại yếu", "khac"),
        ("yêu cầu xử lý", "khac"),
        ("gao dat qua", "khac"),
        ("mua gao o dau", "khac"),
        ("dan phan anh duong hong", "duong-sa"),
        ("tien den bu dat lam duong", "dat-dai"),
    ],
)
def test_each_item_gets_a_theme_from_the_departments_list(said: str, theme: str) -> None:
    assert theme_of(THEMES, said).id == theme


def test_thirty_ways_of_asking_the_same_thing_are_one_issue() -> None:
    starts = ["", "Dân hỏi ", "Bà con hỏi ", "Người dân thắc mắc ", "ba con hoi ", "dan phan anh "]
    asks = ["bao giờ bản có điện lưới?", "khi nào có điện lưới", "bao gio co dien luoi quoc gia",
            "điện lưới bao giờ về bản", "bản chưa có điện lưới"]  # fmt: skip
    items = [s + a for s in starts for a in asks]
    issues = group([*items, "giá điện tăng", "mất điện luôn"], lambda s: s)
    assert len(items) == 30
    assert len(issues[0].items) == 30 and sorted(len(i.items) for i in issues[1:]) == [1, 1]


def test_one_shared_word_does_not_make_one_issue() -> None:
    items = ["có điện không", "giá điện tăng", "mất điện suốt", "tiền điện tháng này cao", "gia dien tang"]
    issues = group(items, lambda s: s)
    assert sorted(len(i.items) for i in issues) == [1, 1, 1, 2]  # only the two «giá điện tăng» go together


# -- captured where it is heard ------------------------------------------------------------------------------
async def test_dan_hoi_in_chat_is_kept_for_the_village_and_answered_ready_to_relay(
    app: App, router: Router
) -> None:
    person = await register_person(app, router, "p1")
    shown = await person.say("Dân hỏi: tỉnh đạt bao nhiêu chỉ tiêu năm 2023?")
    assert "Bà con hỏi: «tỉnh đạt bao nhiêu chỉ tiêu năm 2023?»" in shown and "37/43" in shown
    assert "📄 Nguồn:" in shown and "Đã ghi 1 ý kiến" in shown
    shown = await person.say("dan phan anh: ong Lo Van Pang 0912345678 noi duong vao ban bi sat")
    assert HEARD_WAITING.format(count=1) in shown
    heard = await app.db.voices.between("2024-01-01", "2024-12-31")
    kept = [(v.unit_code, v.source, v.answered) for v in heard]
    assert kept == [("12-003-01", "chat", 1), ("12-003-01", "chat", 0)]
    assert "Pang" not in heard[1].text and "0912345678" not in heard[1].text
    assert "duong vao ban" in heard[1].text
    # The unanswered one waits in the inbox, marked as asked by the residents of Nà Tăm.
    [waiting] = await inbox.open_groups(app, "12")
    assert waiting.residents == ["Bản Nà Tăm, Xã Bản Hon"] and "Pang" not in waiting.questions[0]
    officer = await register_person(app, router, "o1", role="officer", unit="12-003")
    listed = await officer.say("/chuatraloi")
    assert "Bà con hỏi qua tuyên truyền viên: Bản Nà Tăm, Xã Bản Hon" in listed
    # The same from a village of another commune: each commune's officer sees their own villages only.
    other = await register_person(app, router, "p2", unit="12-004")
    await other.tap("Nà Đon")
    await other.say("dân phản ánh: đường vào bản bị sạt, xe không đi được")
    theirs = await register_person(app, router, "o2", role="officer", unit="12-004")
    listed = await theirs.say("/chuatraloi")
    assert "Bản Nà Đon" in listed and "Nà Tăm" not in listed
    assert "Nà Đon" not in await officer.say("/chuatraloi")
    # Logs, the log of questions and the audit hold nobody's name or number.
    stored = json.dumps([list(r.values()) for r in await app.db.fetch_all("SELECT * FROM question_log", ())])
    assert "Pang" not in stored and "0912345678" not in stored


@pytest.mark.parametrize(
    "typed",
    ["Dân hỏi: giá phân bón", "dan hoi giá phân bón", "Bà con thắc mắc giá phân bón",
     "ba con phan anh - gia phan bon", "Người dân kiến nghị: giá phân bón", "Cử tri hỏi về giá phân bón"],
)  # fmt: skip
async def test_the_ways_of_saying_residents_asked(app: App, router: Router, typed: str) -> None:
    person = await register_person(app, router, "p1")
    shown = await person.say(typed)
    assert "Đã ghi 1 ý kiến" in shown
    [heard] = await app.db.voices.between("2024-01-01", "2024-12-31")
    assert "phân bón" in heard.text or "phan bon" in heard.text
    assert not heard.text.lower().startswith(("dân", "dan", "bà con", "ba con", "người", "cử tri"))


async def test_only_a_registered_propagandist_passes_residents_on_and_only_in_private(
    app: App, router: Router
) -> None:
    """Anyone else's «Dân hỏi: …» is their own question, answered as one; a propagandist asking what to say
    («dân hỏi … thì trả lời thế nào?») is asking too; /danhoi in a group is refused."""
    stranger = await router.handle(
        Incoming("telegram", "c9", "9", "private", text="Dân hỏi: tỉnh đạt bao nhiêu chỉ tiêu năm 2023?")
    )
    assert "37/43" in stranger[0].text
    officer = await register_person(app, router, "o3", role="officer", unit="12-003")
    assert "Đã ghi" not in await officer.say("Dân hỏi về giá điện thì trả lời thế nào?")
    person = await register_person(app, router, "p1")
    for own in ("Dân hỏi gì thì đồng chí trả lời thế nào?", "Người dân hỏi thì mình trả lời thế nào về BHYT?",
                "Dân hỏi nhiều về đất đai quá, tôi nên trả lời sao?"):  # fmt: skip
        assert "Đã ghi" not in await person.say(own), own
    group_chat = await router.handle(
        Incoming("telegram", "-7", "p1", "group", text="/danhoi giá điện", addressed=True)
    )
    assert "tin nhắn riêng" in group_chat[0].text
    assert await app.db.voices.between("2024-01-01", "2024-12-31") == []


@pytest.mark.parametrize(
    "typed", ["Không có", "ko co", "không có ý kiến gì", "Bà con không hỏi gì", "chưa có"]
)
async def test_nothing_typed_at_the_residents_step_is_nothing(app: App, router: Router, typed: str) -> None:
    person = await register_person(app, router, "p1")
    await person.say("/baocao hom nay hop ban 30 nguoi thu ngan sach 2023")
    await person.tap("Sửa")
    await person.tap("Ý kiến người dân")
    assert "Ý kiến của người dân: (không có)" in await person.say(typed)
    saved = await person.tap("Gửi")
    assert "✅ Đã lưu" in saved and "Đã ghi" not in saved and "chuyển Ban Tuyên giáo" not in saved
    assert await app.db.voices.between("2024-01-01", "2024-12-31") == []


async def test_a_report_keeps_what_residents_said_until_it_is_withdrawn(app: App, router: Router) -> None:
    person = await register_person(app, router, "p1")
    await file_report(person)
    assert await app.db.voices.between("2024-01-01", "2024-12-31") == []  # «Không có»: nothing heard
    await person.say("/baocao hom nay hop ban 30 nguoi thu ngan sach 2023")
    await person.tap("Sửa")
    await person.tap("Ý kiến người dân")
    shown = await person.say("Bao giờ bản có điện lưới?\nanh Sùng A Páo hỏi giá phân bón")
    assert "Sùng A Páo" not in shown
    saved = await person.tap("Gửi")
    assert "Đã ghi 2 ý kiến" in saved and HEARD_WAITING.format(count=2) in saved
    heard = await app.db.voices.between("2024-01-01", "2024-12-31")
    assert [v.text for v in heard] == ["Bao giờ bản có điện lưới?", "anh *** hỏi giá phân bón"]
    report_id = heard[0].report_id
    # Withdrawn, the report's items no longer count.
    from bot import filing

    who = await actor_of(app, Incoming("telegram", "cp1", "p1", "private"))
    await filing.withdraw(app, who, report_id)
    assert await app.db.voices.between("2024-01-01", "2024-12-31") == []


# -- the pulse, in scope -------------------------------------------------------------------------------------
async def _villages_say(app: App, router: Router) -> None:
    """Propagandists of two communes pass on what residents asked."""
    said = {
        ("a1", "12-003", "Nà Tăm"): ["Dân hỏi: bao giờ bản có điện lưới?", "Dân hỏi: khi nào có điện lưới"],
        ("b1", "12-004", "Nà Đon"): ["Dân hỏi: giá phân bón tăng quá", "Dân hỏi: bao gio co dien luoi"],
    }
    for (user, commune, village), lines in said.items():
        person = await register_person(app, router, user, unit=commune)
        if commune != "12-003":  # (the helper picks Nà Tăm in Bản Hon)
            await person.tap(village)
        for line in lines:
            await person.say(line)


async def test_the_pulse_shows_an_officer_only_their_commune(app: App, router: Router) -> None:
    await _villages_say(app, router)
    ours = await register_person(app, router, "o3", role="officer", unit="12-003")
    shown = await ours.say("/duluan quy")
    assert "Xã Bản Hon" in shown and "Điện, điện lưới: 2 ý kiến" in shown
    assert "phân bón" not in shown and "Bình Lư" not in shown
    province = await register_person(app, router, "o0", role="officer", unit="12")
    shown = await province.say("dư luận")
    assert "Điện, điện lưới: 3 ý kiến" in shown and "Giá cả" in shown
    assert "2 thôn/bản" in shown  # electricity: asked in two places
    assert "Tháng 3/2024" in await province.tap("Tháng này")
    refused = await (await register_person(app, router, "p9")).say("/duluan")
    assert "cán bộ" in refused.lower()
    with pytest.raises(reports.NotAllowed):
        await opinion.pulse(app, await actor_of(app, Incoming("telegram", "co3", "o3", "private")),
                            reports.period_of("quy", app.today()), "12-004")  # fmt: skip


async def test_an_answer_from_the_inbox_goes_back_to_the_propagandist_for_the_village(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(default_content_dir(), folder)
    settings = load_settings(env_file=None, db=tmp_path / "loa.db", content_dir=folder)
    app = await open_app(settings)
    try:
        router = Router(app)
        person = await register_person(app, router, "p1")
        await person.say("Dân hỏi: bao giờ bản Nà Tăm có điện lưới quốc gia?")
        [group_] = await inbox.open_groups(app, "12-003")
        await inbox.answer(app, group_.id, "Theo kế hoạch của tỉnh, năm 2025 kéo điện lưới về bản.", None,
                           "telegram:o1", "12-003")  # fmt: skip
        [notice] = await app.db.broadcasts.pending("9999")
        assert notice.external_id == "cp1"
        assert notice.text.startswith("💬 Câu bà con Bản Nà Tăm, Xã Bản Hon hỏi ngày")
        assert "Đồng chí chuyển lại cho bà con" in notice.text and "kéo điện lưới" in notice.text
        [heard] = await app.db.voices.between("2000-01-01", "2100-01-01")
        assert heard.answered == 2
    finally:
        await app.close()


async def test_a_sharp_rise_tells_the_communes_officers_once(app: App, router: Router) -> None:
    app.settings.rise_mentions, app.settings.rise_villages = 3, 2
    await register_person(app, router, "o3", role="officer", unit="12-003")
    await register_person(app, router, "o4", role="officer", unit="12-004")
    nam_tam = await register_person(app, router, "p1")
    hon = await register_person(app, router, "p2", unit="12-003-02")
    await nam_tam.say("Dân hỏi: tiền đền bù đất làm đường bao giờ trả")
    await nam_tam.say("Dân hỏi: đền bù đất thấp quá")
    assert await app.db.broadcasts.pending("9999") == []  # 2 mentions, 1 village: not yet
    await hon.say("Bà con phản ánh: chưa nhận tiền bồi thường đất")
    await hon.say("Bà con hỏi: giải phóng mặt bằng bao giờ xong")
    alerts = [d for d in await app.db.broadcasts.pending("9999") if d.text.startswith("📈")]
    assert [d.external_id for d in alerts] == ["co3"]  # the commune's officer, not the other commune's
    assert "Đất đai" in alerts[0].text and "Xã Bản Hon" in alerts[0].text and "2 thôn" in alerts[0].text


# -- the quarter's report and the figures for scripts --------------------------------------------------------
async def test_loa_opinion_summary_and_report(app: App, router: Router, tmp_path: Path) -> None:
    await _villages_say(app, router)
    # (the command line runs on the real date: what the test heard in 2024 is kept that long)
    env = {"LOA_DB": str(app.settings.db), "LOA_QUESTION_RETENTION_DAYS": "3650"}
    done = loa("opinion", "summary", "--quarter", "2024Q1", "--json", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["total"] == 4 and summary["period"]["key"] == "2024Q1"
    power = next(t for t in summary["themes"] if t["theme"] == "dien")
    assert power["mentions"] == 3 and power["issues"][0]["mentions"] == 3
    assert sorted(power["communes"]) == ["Xã Bình Lư", "Xã Bản Hon"]
    ours = loa("opinion", "summary", "--quarter", "2024Q1", "--unit", "12-003", "--json", env=env)
    ours = json.loads(ours.stdout)
    assert ours["total"] == 2 and [t["theme"] for t in ours["themes"]] == ["dien"]
    out = tmp_path / "du-luan.docx"
    made = loa("opinion", "report", "--quarter", "2024Q1", "-o", str(out), env=env)
    assert made.returncode == 0, made.stderr
    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI" in text and "Quý 1/2024" in text
    assert document.tables[0].cell(0, 0).text == "TỈNH ỦY LAI CHÂU\nBAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert "1. Điện, điện lưới: 3 ý kiến, 2 thôn/bản thuộc 2 xã/phường" in text
    book = tmp_path / "du-luan.xlsx"
    made = loa("opinion", "report", "--quarter", "2024Q1", "--unit", "12-004", "-o", str(book), env=env)
    assert made.returncode == 0, made.stderr
    sheet = load_workbook(book)["Ý kiến"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert {r[1] for r in rows} == {"Xã Bình Lư"} and len(rows) == 2
    bad = loa("opinion", "summary", "--quarter", "2024Q9", env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    # Kept as long as the question log: on today's date, with the default 180 days, 2024's words are gone.
    env.pop("LOA_QUESTION_RETENTION_DAYS")
    gone = json.loads(loa("opinion", "summary", "--quarter", "2024Q1", "--json", env=env).stdout)
    assert gone["total"] == 0


async def test_what_residents_typed_never_becomes_a_formula(app: App, router: Router) -> None:
    person = await register_person(app, router, "p1")
    await person.say('Dân hỏi: =HYPERLINK("http://x","giá điện") tăng')
    who = await actor_of(app, Incoming("console", "-", "admin", "private"))
    made = await opinion.report_file(app, who, reports.period_of("quy", app.today()), "xlsx")
    from io import BytesIO

    cell = load_workbook(BytesIO(made.content))["Ý kiến"]["E2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s" and cell.quotePrefix


# -- three communes on a fake Telegram -----------------------------------------------------------------------
async def test_three_communes_pass_on_what_residents_said_through_telegram(
    tmp_path: Path, database: str, fake
) -> None:
    """Propagandists of three communes, on the fake Bot API: reports whose residents' step holds plain
    questions and worries, and «dân hỏi» lines. Everything is kept masked, themed and grouped; what Loa knows
    is answered ready to relay; the rest reaches the inbox, and the officer's answer comes back."""
    from bot.channels.telegram.adapter import TelegramChannel, TelegramSender
    from bot.invites import issue_invite
    from scheduler.delivery import Engine, Limits
    from tests.helpers import finish_telegram, start_telegram, telegram_replies

    folder = tmp_path / "content"
    shutil.copytree(default_content_dir(), folder)
    bot = await start_telegram(database, fake, content_dir=folder)
    app = bot.app
    people = {601: ("12-003", "Nà Tăm", "Lò Thị Hoa"), 602: ("12-004", "Nà Đon", "Tòng Văn Lư"),
              603: ("12-005", "Pa So", "Giàng A Páo")}  # fmt: skip
    try:

        def buttons(chat: int) -> dict[str, str]:
            rows = (fake.sent(chat)[-1].get("reply_markup") or {}).get("inline_keyboard", [])
            return {b["text"]: b["callback_data"] for row in rows for b in row}

        async def tap(chat: int, label: str) -> None:
            # The step's buttons come with its last message: wait for them, as a person does.
            await fake.wait_for(lambda: any(label in text for text in buttons(chat)))
            data = next(d for text, d in buttons(chat).items() if label in text)
            msg = fake.messages[(chat, max(k[1] for k in fake.messages if k[0] == chat))]
            await fake.press(chat, chat, data, msg)

        async def say(chat: int, text: str, replies: int = 1) -> str:
            before = len(fake.sent(chat))
            await fake.send_text(chat, chat, text)
            await fake.wait_for(lambda: len(fake.sent(chat)) >= before + replies)
            return "\n".join(fake.texts(chat)[before:])

        for chat, (commune, village, name) in people.items():
            invite = await issue_invite(app, "propagandist", commune, 1, None, "test")
            await fake.send_text(chat, chat, f"/start {invite['code']}", name=name)
            await telegram_replies(fake, chat, 2)
            await tap(chat, "Đúng")
            await tap(chat, village)
            await say(chat, "/baocao", 1)
            for label in ("Hôm qua", "Họp thôn", village, "40", "Lai Châu", "Xong"):
                await tap(chat, label)
            await say(
                chat, "Bao giờ bản có điện lưới?\nông Lò Văn Pằng 0912 345 678 hỏi tiền đền bù đất làm đường"
            )
            await tap(chat, "Gửi")
            await fake.wait_for(lambda: "chuyển Ban Tuyên giáo" in fake.texts(chat)[-1])  # noqa: B023
            saved = "\n".join(fake.texts(chat)[-3:])
            assert "✅ Đã lưu" in saved and "Đã ghi 2 ý kiến" in saved and "chuyển Ban Tuyên giáo" in saved
        relayed = await say(601, "Dân hỏi: tỉnh đạt bao nhiêu chỉ tiêu năm 2023?", 2)
        assert "Đồng chí có thể trả lời bà con" in relayed and "37/43" in relayed and "Nguồn" in relayed
        await say(603, "Bà con thắc mắc: bản chưa có điện lưới", 2)
        await say(602, "dan phan anh: khi nao co dien luoi quoc gia", 2)

        heard = await app.db.voices.between("2000-01-01", "2100-01-01")
        assert len(heard) == 9 and not [v for v in heard if "Pằng" in v.text or "345" in v.text]
        assert {v.commune_code for v in heard} == {"12-003", "12-004", "12-005"}
        province = await actor_of(app, Incoming("console", "-", "admin", "private"))
        pulse = await opinion.compute(app, reports.period_of("quy", app.today()), "12")
        power = next(t for t in pulse.themes if t.theme.id == "dien")
        assert power.mentions == 5 and len(power.communes) == 3 and power.issues[0].mentions == 5
        land = next(t for t in pulse.themes if t.theme.id == "dat-dai")
        assert land.mentions == 3 and land.issues[0].mentions == 3
        assert pulse.answered == 1 and province is not None

        # The officer answers the electricity group; every propagandist who passed it on hears back.
        groups = await inbox.open_groups(app, "12")
        power_group = next(g for g in groups if "điện lưới" in " ".join(g.questions).lower())
        assert len(power_group.residents) == 3
        await inbox.answer(app, power_group.id, "Năm 2026 tỉnh kéo điện lưới quốc gia về các bản còn thiếu.",
                           None, "telegram:909", "12")  # fmt: skip
        application = TelegramChannel(app).build()
        await application.initialize()
        try:
            engine = Engine(app, {"telegram": TelegramSender(application.bot)},
                            {"telegram": Limits(per_second=1000, group_per_minute=1000)})  # fmt: skip
            assert await engine.run_due() == 3
        finally:
            await application.shutdown()
        for chat, (_commune, village, _name) in people.items():
            back = fake.texts(chat)[-1]
            assert back.startswith(f"💬 Câu bà con Bản {village}") and "kéo điện lưới" in back, back
        answered = [v for v in await app.db.voices.between("2000-01-01", "2100-01-01") if v.answered == 2]
        assert len(answered) == 5
        # The same script, as `loa opinion` reports it: the province's figures, and one commune's alone.
        quarter = reports.period_of("quy", app.today()).key
        env = {"LOA_DB": database, "LOA_CONTENT_DIR": str(folder)}
        done = loa("opinion", "summary", "--quarter", quarter, "--json", env=env)
        summary = json.loads(done.stdout)
        power = next(t for t in summary["themes"] if t["theme"] == "dien")
        assert summary["total"] == 9 and summary["answered"] == 6
        assert power["mentions"] == 5 and power["answered"] == 5 and len(power["villages"]) == 3
        assert summary["themes"][0]["theme"] == "dien" and power["issues"] == [
            {"text": power["issues"][0]["text"], "mentions": 5}
        ]
        out = tmp_path / "quy.docx"
        assert (
            loa(
                "opinion", "report", "--quarter", quarter, "--unit", "12-004", "-o", str(out), env=env
            ).returncode
            == 0
        )
        document = Document(str(out))
        text = "\n".join(p.text for p in document.paragraphs)
        assert document.tables[0].cell(0, 0).text == "ĐẢNG ỦY XÃ BÌNH LƯ"
        assert "Xã Bình Lư" in text and "Nà Đon" in text and "Nà Tăm" not in text and "Pa So" not in text
        assert "Pằng" not in text and "345" not in text
    finally:
        await finish_telegram(bot)


async def test_nothing_residents_said_reaches_the_logs_or_the_keys(app: App, router: Router, caplog) -> None:
    import logging

    from bot import logsafe

    caplog.set_level(logging.DEBUG)  # as `loa -v` sets it up: everything, the chatty libraries capped
    for name, cap in logsafe.LIBRARY_CAPS.items():
        caplog.set_level(cap, logger=name)
    caplog.handler.setLevel(logging.DEBUG)  # (set_level sets the capturing handler's level too)
    person = await register_person(app, router, "p1")
    for phone in ("0912345678", "0912.345.678", "0912 345 678", "+84 912 345 678"):
        await person.say(f"Dân hỏi: ông Lò Văn Pằng {phone} hỏi giá điện tháng này")
    await (await register_person(app, router, "o1", role="officer", unit="12")).say("/duluan")
    assert caplog.records, "something was logged"
    assert not [w for w in ("Pằng", "912", "giá điện") if w in caplog.text]
    # Nor the folded forms that group questions in the inbox and in the pulse.
    keys = [v.normalized for v in await app.db.voices.between("2024-01-01", "2024-12-31")]
    keys += [a["normalized"] for a in await app.db.fetch_all("SELECT normalized FROM inbox_askers", ())]
    assert len(keys) == 8 and not [k for k in keys if "912" in k or "pang" in k]


async def test_the_pulse_refuses_an_unreadable_period_and_a_forged_button(app: App, router: Router) -> None:
    officer = await register_person(app, router, "o3", role="officer", unit="12-003")
    assert (await officer.say("/duluan quý 9/2026")).startswith("Cách dùng: /duluan")
    assert "Tháng phải từ 1 đến 12" in await officer.say("/duluan thang 13/2026")
    forged = await router.handle(Incoming("telegram", "co3", "o3", "private", data="dl:zzz"))
    assert forged[0].text.startswith("Cách dùng: /duluan")
    stranger = await router.handle(Incoming("telegram", "cx", "x", "private", data="dl:quy"))
    assert "Dư luận" not in stranger[0].text


async def test_an_edited_report_moves_its_items_and_asks_only_what_is_new(app: App, router: Router) -> None:
    from bot import filing

    person = await register_person(app, router, "p1")
    await person.say("/baocao hom nay hop ban 30 nguoi thu ngan sach 2023")
    await person.tap("Sửa")
    await person.tap("Ý kiến người dân")
    await person.say("Bao giờ bản có điện lưới?")
    await person.tap("Gửi")
    [first] = await app.db.voices.between("2024-01-01", "2024-12-31")
    report = await app.db.reports.get(first.report_id)
    who = await actor_of(app, Incoming("telegram", "cp1", "p1", "private"))
    edit = filing.Filing(
        date="2024-03-14", form=report.form, unit="12-003-02", attendees=report.attendees,
        topics=report.topics, concerns="Bao giờ bản có điện lưới?\nGiá phân bón tăng", report_id=report.id,
    )  # fmt: skip
    filed = await filing.file_report(app, who, edit)
    assert filed.outcome == filing.Outcome.UPDATED
    assert [h.text for h in filed.heard] == ["Giá phân bón tăng"]  # the kept item is not asked again
    now = await app.db.voices.between("2024-01-01", "2024-12-31")
    assert [(v.text, v.unit_code, v.heard_on) for v in now] == [
        ("Bao giờ bản có điện lưới?", "12-003-02", "2024-03-14"),
        ("Giá phân bón tăng", "12-003-02", "2024-03-14"),
    ]
    askers = await app.db.fetch_value("SELECT COUNT(*) FROM inbox_askers", ())
    assert askers == 2


@pytest.mark.parametrize(
    "said",
    ["ông Giàng A Páo hỏi tiền hỗ trợ", "bà Thào Thị Mỷ hỏi hộ nghèo", "ông Lý A Tả hỏi đất rừng",
     "CCCD 012 345 678 901 bị mất, hỏi làm lại", "số tài khoản 1903 4567 8901 23 bị lừa",
     "email lan.nguyen@gmail.com bị lừa", "fb.com/lan.lo.98 nhắn tin lừa"],
)  # fmt: skip
async def test_what_identifies_someone_is_not_kept_in_any_form(app: App, router: Router, said: str) -> None:
    person = await register_person(app, router, "p1")
    await person.say("Dân hỏi: " + said)
    [heard] = await app.db.voices.between("2024-01-01", "2024-12-31")
    asker = await app.db.fetch_one("SELECT question, normalized FROM inbox_askers", ())
    kept = " ".join([heard.text, heard.normalized, *(list(asker.values()) if asker else [])]).lower()
    words = set(kept.split())
    assert not words & {"giàng", "gian", "giang", "páo", "pao", "mỷ", "mi", "thào", "thao", "tả", "ta"}, kept
    assert not [p for p in ("345", "4567", "gmail", "lan.lo") if p in kept], kept


async def test_the_first_quarter_there_can_be_has_no_period_before_it(app: App, router: Router) -> None:
    officer = await register_person(app, router, "o3", role="officer", unit="12-003")
    shown = await officer.say("/duluan quy 1/2000")
    assert shown.startswith("📊 Dư luận — Quý 1/2000") and "1999" not in shown


async def test_more_items_than_kept_at_once_are_not_dropped_silently(app: App, router: Router) -> None:
    person = await register_person(app, router, "p1")
    lines = "\n".join(f"bản số {n} thiếu nước sinh hoạt" for n in range(1, 24))
    shown = await person.say("Dân hỏi:\n" + lines)
    assert "Đã ghi 20 ý kiến" in shown and "Loa ghi 20 ý đầu; 3 ý sau xin gửi thành tin khác." in shown
