"""The officers' inbox: unanswered questions grouped, answered, attached or dismissed — in chat and from the
command line — and those who asked told once, through the broadcast engine."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot import inbox, texts, themes
from bot.app import App
from bot.channels import load_settings
from bot.cli import CLI_INBOX_EMPTY
from bot.content import default_content_dir, load_content
from bot.inbox import INBOX_NO_GROUP
from bot.router import Router
from handlers.inbox import INBOX_PICK_SOURCE
from tests.fake_telegram import FakeTelegram
from tests.helpers import Person, loa, loa_process, open_app, register_person, telegram_env

FIXED = datetime(2024, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(default_content_dir(), dest)
    return dest


@pytest.fixture
async def app(tmp_path: Path, folder: Path):
    settings = load_settings(
        env_file=None, db=tmp_path / "loa.db", admins="console:admin", content_dir=folder
    )
    application = await open_app(settings, clock=lambda: FIXED)
    yield application
    await application.close()


@pytest.fixture
def router(app: App) -> Router:
    return Router(app)


async def _ask_all(router: Router, user: str, questions: list[str], unit: str | None = None) -> Person:
    person = Person(router, user)
    for q in questions:
        await person.say(q)
    return person


async def test_alike_questions_are_one_group_newest_first(app: App, router: Router) -> None:
    await _ask_all(router, "a1", ["giá phân bón năm nay", "gia phan bon nam nay bao nhieu"])
    await _ask_all(router, "a2", ["lịch cúp điện ở xã tháng này"])
    await _ask_all(router, "a3", ["tinh dat bao nhieu chi tieu nam 2023"])  # answered: not in the inbox
    groups = await inbox.open_groups(app, None)
    assert [g.count for g in groups] == [1, 2]  # the power cut was asked last
    assert set(groups[1].questions) == {"gia phan bon nam nay bao nhieu", "giá phân bón năm nay"}
    assert "chi tieu" not in json.dumps([g.as_json() for g in groups], ensure_ascii=False)
    again = await inbox.open_groups(app, None)  # placing is done once
    assert [g.id for g in again] == [g.id for g in groups]


async def test_an_officer_sees_the_groups_of_their_scope(app: App, router: Router) -> None:
    here = await register_person(app, router, "p1")  # Xã Bản Hon
    there = await register_person(app, router, "p2", unit="12-004-01", name="Lò Văn C")  # Xã Bình Lư
    await here.say("giá phân bón năm nay")
    await there.say("lịch cúp điện ở Bình Lư")
    await _ask_all(router, "stranger", ["học phí đại học năm nay"])
    commune = await register_person(app, router, "o1", role="officer", unit="12-003")
    province = await register_person(app, router, "o2", role="officer", unit="12")
    mine = await commune.say("/chuatraloi")
    assert "phân bón" in mine and "cúp điện" not in mine and "học phí" not in mine
    every = await province.say("/chuatraloi")
    assert "phân bón" in every and "cúp điện" in every and "học phí" in every
    # A group of another commune cannot be acted on, even with forged button data.
    other = next(g for g in await inbox.open_groups(app, None) if "cúp điện" in g.questions[0])
    [reply] = await router.handle(_press(commune, f"ibx:dis:{other.id}"))
    assert reply.text == INBOX_NO_GROUP.format(id=other.id)
    assert (await app.db.inbox.group(other.id)).state == "open"


def _press(person: Person, data: str):
    from bot.core import Incoming

    return Incoming("telegram", "c" + person.user, person.user, "private", data=data)


async def test_an_answer_in_chat_becomes_an_entry_and_the_askers_are_told(app: App, router: Router) -> None:
    asker = await _ask_all(router, "a1", ["giá phân bón năm nay bao nhiêu"])
    await _ask_all(router, "a2", ["gia phan bon nam nay"])
    officer = await register_person(app, router, "o1", role="officer", unit="12")
    await officer.say("/chuatraloi")
    await officer.tap("phân bón")
    assert "hỏi 2 lần" in "\n".join(r.text for r in officer.last)
    await officer.tap("Trả lời")
    # A question-like answer is the answer, never taken for a question to Loa.
    answer = "Giá phân bón do thị trường quyết định; hướng dẫn không nêu con số, bà con hỏi đại lý gần nhất?"
    shown = await officer.say(answer)
    assert INBOX_PICK_SOURCE in shown
    await officer.tap("HD tuyên truyền KT-XH 2023")
    await officer.say("ii.1.6")
    preview = "\n".join(r.text for r in officer.last)
    assert answer in preview and "mục II.1.6" in preview
    done = await officer.tap("Gửi")
    assert "báo cho 2 nơi" in done
    # Live at once, with its source; the content folder holds it; the group is closed; it is audited.
    reply = await asker.say("gia phan bon nam nay")
    assert answer in reply and "mục II.1.6" in reply
    entry = load_content(app.settings.content_dir).entry("hoi-dap-1")
    assert entry is not None and entry.origin == "inbox" and len(entry.questions) == 2
    assert (await app.db.inbox.group(1)).state == "answered"
    assert any(e.action == "inbox.answered" for e in await app.db.audit.latest())
    # The notices: one per chat, with its own question and date, waiting for the engine.
    due = await app.db.broadcasts.pending("9999")
    assert sorted((d.external_id, d.text.split("«")[1].split("»")[0]) for d in due) == [
        ("ca1", "giá phân bón năm nay bao nhiêu"), ("ca2", "gia phan bon nam nay"),
    ]  # fmt: skip
    assert all(d.text.startswith("💬 Câu hỏi của đồng chí ngày 15/03") and answer in d.text for d in due)
    # Whom to tell is not kept once told.
    assert await app.db.fetch_value("SELECT COUNT(*) FROM inbox_askers", ()) == 0


async def test_attach_makes_the_questions_phrasings_of_an_entry(app: App, router: Router) -> None:
    await _ask_all(router, "a1", ["bà con muốn biết vụ mấy cái chỉ tiêu xong chưa"])
    officer = await register_person(app, router, "o1", role="officer", unit="12")
    await officer.say("/chuatraloi")
    await officer.tap("mấy cái chỉ tiêu")
    await officer.tap("Giống câu đã có")
    await officer.say("37/43 chỉ tiêu")
    done = await officer.tap("chỉ tiêu")
    assert "Đã gắn nhóm #1" in done and "báo cho 1 nơi" in done
    phrasings = yaml.safe_load(
        (Path(app.settings.content_dir) / "phrasings.yaml").read_text(encoding="utf-8")
    )
    [(entry_id, questions)] = phrasings.items()
    assert questions == ["bà con muốn biết vụ mấy cái chỉ tiêu xong chưa"]
    assert entry_id in {e.id for e in app.content.faq}
    assert "bà con muốn biết vụ mấy cái chỉ tiêu xong chưa" in app.content.entry(entry_id).questions


async def test_dismiss_tells_nobody_and_forgets_the_askers(app: App, router: Router) -> None:
    await _ask_all(router, "a1", ["giá vàng hôm nay"])
    officer = await register_person(app, router, "o1", role="officer", unit="12")
    await officer.say("/chuatraloi")
    await officer.tap("giá vàng")
    assert await officer.tap("Bỏ qua") == texts.INBOX_DISMISSED.format(id=1)
    assert await app.db.broadcasts.pending("9999") == []
    assert await app.db.fetch_value("SELECT COUNT(*) FROM inbox_askers", ()) == 0
    assert await officer.say("/chuatraloi") == texts.INBOX_EMPTY


async def test_a_question_asked_again_after_dismissal_opens_a_new_group(app: App, router: Router) -> None:
    await _ask_all(router, "a1", ["giá vàng hôm nay"])
    [group] = await inbox.open_groups(app, None)
    await inbox.dismiss(app, group.id, "console:admin", None)
    app.clock._source = lambda: FIXED.replace(hour=10)  # an hour later
    await _ask_all(router, "a2", ["giá vàng hôm nay"])
    [again] = await inbox.open_groups(app, None)
    assert again.id != group.id and again.count == 1


def _cli(folder: Path, db: Path, *args: str):
    return loa(*args, env={"LOA_CONTENT_DIR": str(folder), "LOA_DB": str(db)}, cwd=folder.parent)


async def test_the_command_line_inbox(tmp_path: Path, folder: Path) -> None:
    db = tmp_path / "cli.db"
    # Today's clock: the command line keeps the question log only so long, by the real date.
    app = await open_app(load_settings(env_file=None, db=db, content_dir=folder))
    await _ask_all(Router(app), "a1", ["giá phân bón năm nay", "lịch cúp điện tháng này"])
    await app.close()
    listed = _cli(folder, db, "inbox", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert all(set(r) == {"id", "questions", "count", "first", "last", "residents"} for r in rows)
    power = next(r["id"] for r in rows if "cúp điện" in r["questions"][0])
    fertiliser = next(r["id"] for r in rows if "phân bón" in r["questions"][0])
    bad = [
        (["inbox", "answer", str(power), "--text", "ngắn"], "câu trả lời): cần ít nhất 10 ký tự"),
        (
            [
                "inbox",
                "answer",
                str(power),
                "--text",
                "Lịch cúp điện xem ở điện lực huyện.",
                "--source",
                "x:I",
            ],
            "x:I",
        ),
        (["inbox", "answer", "999", "--text", "Lịch cúp điện xem ở điện lực huyện."], "999"),
        (["inbox", "attach", str(power), "--entry", "khong-co"], "khong-co"),
    ]
    for args, words in bad:
        out = _cli(folder, db, *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and words in out.stderr, (args, out.stderr)
    out = _cli(folder, db, "inbox", "answer", str(power), "--text", "Lịch cúp điện xem ở điện lực huyện.")
    assert out.returncode == 0 and "hoi-dap-" in out.stdout
    again = _cli(folder, db, "inbox", "answer", str(power), "--text", "Lịch cúp điện xem ở điện lực huyện.")
    assert again.returncode == 2 and "đã trả lời" in again.stderr
    assert _cli(folder, db, "inbox", "dismiss", str(fertiliser)).returncode == 0
    assert _cli(folder, db, "inbox", "list").stdout.strip() == CLI_INBOX_EMPTY
    assert load_content(folder).errors == []


async def test_a_running_loa_run_tells_the_askers_of_an_answer_given_from_the_command_line(
    tmp_path: Path, fake: FakeTelegram, folder: Path
) -> None:
    env = {**telegram_env(fake, tmp_path), "LOA_CONTENT_DIR": str(folder)}
    proc = await loa_process("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        for user in (901, 902):
            await fake.send_text(user, user, "lịch cúp điện ở bản tháng này thế nào")
            await fake.wait_for(lambda u=user: len(fake.sent(u)) == 1)
        await asyncio.sleep(1.5)  # the question log is written within a second
        listed = loa("inbox", "list", "--json", env=env, cwd=tmp_path)
        [group] = [json.loads(line) for line in listed.stdout.splitlines()]
        answered = loa(
            "inbox", "answer", str(group["id"]), "--text", "Lịch cắt điện do Điện lực huyện báo trên loa xã.",
            env=env, cwd=tmp_path,
        )  # fmt: skip
        assert answered.returncode == 0, answered.stderr
        for user in (901, 902):
            await fake.wait_for(lambda u=user: len(fake.sent(u)) == 2, timeout=20)
            notice = fake.texts(user)[1]
            assert "«lịch cúp điện ở bản tháng này thế nào» đã có trả lời" in notice
            assert "Điện lực huyện" in notice
        # Taken up by the running bot too: the same question is now answered.
        started = asyncio.get_running_loop().time()
        while True:
            await fake.send_text(901, 901, "lịch cúp điện ở bản tháng này thế nào")
            count = len(fake.sent(901))
            await fake.wait_for(lambda c=count: len(fake.sent(901)) >= c)
            await asyncio.sleep(0.3)
            if "Điện lực huyện" in fake.texts(901)[-1]:
                break
            assert asyncio.get_running_loop().time() - started < 10
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert len([t for t in fake.texts(902) if "đã có trả lời" in t]) == 1  # once


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("phan bon nam 2024", "phan bon gio", True),
        ("lich cup dien thang", "lich cup dien binh lu", True),
        ("gia phan bon", "gia vang", False),
        ("lich cup dien", "lich thi dau bong da", False),
        ("hoc phi dai hoc", "hoc bong", False),
        ("gia vang hom", "gia vang hom", True),
    ],
)
def test_what_counts_as_alike(a: str, b: str, same: bool) -> None:
    assert themes.alike(a, b) is same


async def test_whom_to_tell_is_kept_no_longer_than_the_question_log(settings, clock, folder: Path) -> None:
    from bot.channels import load_settings as load

    kept = load(env_file=None, db=settings.db, content_dir=folder)
    app = await open_app(kept, clock=clock)
    await _ask_all(Router(app), "a1", ["giá vàng hôm nay"])
    await app.close()
    assert await _count_askers(kept, clock) == 1
    clock.advance(days=kept.question_retention_days + 1)
    assert await _count_askers(kept, clock) == 0


async def _count_askers(settings, clock) -> int:
    app = await open_app(settings, clock=clock)
    try:
        return int(await app.db.fetch_value("SELECT COUNT(*) FROM inbox_askers", ()))
    finally:
        await app.close()
