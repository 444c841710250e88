"""/nhapvanban on Telegram, through the fake Bot API server (a document in, getFile and the download out),
and what Zalo and the terminal say instead; then the new document answering at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import texts
from bot.channels import load_settings
from bot.content import default_content_dir
from bot.core import Incoming
from bot.docread import IMPORT_LIMIT_WHAT
from bot.router import Router
from handlers.ask import MORE
from handlers.documents import IMPORT_NO_FILES_HERE, IMPORT_PROVINCE_ONLY
from tests import docgen
from tests.fake_telegram import FakeTelegram
from tests.helpers import finish_telegram, open_app, start_telegram, telegram_replies

DATA = Path(__file__).parent / "data"
SOURCE = (DATA / "hd-42-2025.txt").read_text(encoding="utf-8")
PROVINCE_OFFICER = 701
COMMUNE_OFFICER = 702
STRANGER = 703


@pytest.fixture
async def bot(tmp_path: Path, fake: FakeTelegram):
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    running = await start_telegram(str(tmp_path / "tg.db"), fake, content_dir=content)
    people = running.app.db.people
    await people.set_role("telegram", str(PROVINCE_OFFICER), "officer", "12", "Cán bộ Tỉnh")
    await people.set_role("telegram", str(COMMUNE_OFFICER), "officer", "12-003", "Cán bộ Xã")
    running.content = content
    yield running
    await finish_telegram(running)


def _buttons(message: dict) -> list[str]:
    return [
        b["callback_data"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row
    ]


async def test_a_province_officer_imports_a_document_and_it_answers_at_once(bot, fake) -> None:
    await fake.send_document(
        PROVINCE_OFFICER, PROVINCE_OFFICER, "hd-42.docx", docgen.docx_bytes(SOURCE), "/nhapvanban"
    )
    [preview] = await telegram_replies(fake, PROVINCE_OFFICER)
    text = fake.texts(PROVINCE_OFFICER)[0]
    assert "42-HD/BTGTU" in text and "ngày 15 tháng 01 năm 2025" in text and "23 mục" in text
    assert "Người ký: Nguyễn Văn Thử" in text
    assert not (bot.content / "documents" / "42-hd-btgtu.yaml").exists()  # nothing before the tap
    ok = next(d for d in _buttons(preview) if d.startswith("imp:ok:"))
    message = fake.messages[(PROVINCE_OFFICER, max(k[1] for k in fake.messages if k[0] == PROVINCE_OFFICER))]

    # Someone else pressing the same button (forged) imports nothing.
    await fake.press(STRANGER, STRANGER, ok, {**message, "chat": fake.chat(STRANGER)})
    await telegram_replies(fake, STRANGER)
    assert fake.texts(STRANGER)[-1] != texts.IMPORT_DONE.split(":")[0]
    assert not (bot.content / "documents" / "42-hd-btgtu.yaml").exists()

    await fake.press(PROVINCE_OFFICER, PROVINCE_OFFICER, ok, message)
    await fake.wait_for(lambda: any("Đã nhập" in t for t in _all_texts(fake, PROVINCE_OFFICER)))
    assert (bot.content / "documents" / "42-hd-btgtu.yaml").exists()
    audit = await bot.app.db.audit.latest()
    assert any(e.action == "content.import" and e.actor == f"telegram:{PROVINCE_OFFICER}" for e in audit)

    asked = len(fake.sent(STRANGER))
    await fake.send_text(STRANGER, STRANGER, "toc do tang truong kinh te cua tinh nam 2024 dat bao nhieu")
    await telegram_replies(fake, STRANGER, asked + 1)
    answer = fake.texts(STRANGER)[-1]
    assert "8,6%" in answer and "Hướng dẫn 42-HD/BTGTU ngày 15/1/2025" in answer
    # The same button again: already done, nothing imported twice.
    await fake.press(PROVINCE_OFFICER, PROVINCE_OFFICER, ok, message)
    await fake.wait_for(lambda: texts.IMPORT_STALE in _all_texts(fake, PROVINCE_OFFICER))


def _all_texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [c.get("text", "") for c in fake.sent(chat_id)]


async def test_a_file_sent_alone_is_offered_for_import_and_can_be_cancelled(bot, fake) -> None:
    await fake.send_document(PROVINCE_OFFICER, PROVINCE_OFFICER, "hd.pdf", docgen.pdf_bytes(SOURCE))
    [preview] = await telegram_replies(fake, PROVINCE_OFFICER)
    cancel = next(d for d in _buttons(preview) if d.startswith("imp:no:"))
    message = fake.messages[(PROVINCE_OFFICER, max(k[1] for k in fake.messages if k[0] == PROVINCE_OFFICER))]
    await fake.press(PROVINCE_OFFICER, PROVINCE_OFFICER, cancel, message)
    await fake.wait_for(lambda: texts.IMPORT_CANCELLED in _all_texts(fake, PROVINCE_OFFICER))
    assert not (bot.content / "documents" / "42-hd-btgtu.yaml").exists()
    staging = Path(bot.app.settings.db).parent / ".loa-imports"
    assert list(staging.iterdir()) == []


async def test_bad_files_and_the_wrong_people_get_one_line(bot, fake) -> None:
    before = sorted(p.name for p in (bot.content / "documents").iterdir())
    await fake.send_document(
        PROVINCE_OFFICER, PROVINCE_OFFICER, "quet.pdf", docgen.scanned_pdf_bytes(), "/nhapvanban"
    )
    await telegram_replies(fake, PROVINCE_OFFICER)
    assert "OCR" in fake.texts(PROVINCE_OFFICER)[0]
    await fake.send_document(
        PROVINCE_OFFICER, PROVINCE_OFFICER, "lon.pdf", b"%PDF", "/nhapvanban", size=30 << 20
    )
    await telegram_replies(fake, PROVINCE_OFFICER, 2)
    assert "10 MB" in fake.texts(PROVINCE_OFFICER)[1]
    assert len(fake.called("getFile")) == 1  # the oversized file was never downloaded
    await fake.send_document(
        PROVINCE_OFFICER, PROVINCE_OFFICER, "bom.docx", docgen.docx_bomb_bytes(40), "/nhapvanban"
    )
    await telegram_replies(fake, PROVINCE_OFFICER, 3)
    assert IMPORT_LIMIT_WHAT["xml"] in fake.texts(PROVINCE_OFFICER)[2]  # unzips to 40 MB: refused
    await fake.send_document(
        COMMUNE_OFFICER, COMMUNE_OFFICER, "hd.docx", docgen.docx_bytes(SOURCE), "/nhapvanban"
    )
    await telegram_replies(fake, COMMUNE_OFFICER)
    assert fake.texts(COMMUNE_OFFICER) == [IMPORT_PROVINCE_ONLY]
    await fake.send_document(STRANGER, STRANGER, "hd.docx", docgen.docx_bytes(SOURCE), "/nhapvanban")
    await telegram_replies(fake, STRANGER)
    assert "/nhapvanban" in fake.texts(STRANGER)[0]  # not allowed, said in one line
    await fake.send_text(PROVINCE_OFFICER, PROVINCE_OFFICER, "/nhapvanban")
    await telegram_replies(fake, PROVINCE_OFFICER, 4)
    assert fake.texts(PROVINCE_OFFICER)[3].startswith("Gửi tệp văn bản")
    assert sorted(p.name for p in (bot.content / "documents").iterdir()) == before


@pytest.mark.parametrize("channel", ["zalo", "console"])
async def test_channels_that_cannot_receive_files_say_how_to_import(tmp_path: Path, channel: str) -> None:
    settings = load_settings(env_file=None, db=tmp_path / "x.db")
    app = await open_app(settings)
    try:
        await app.db.people.set_role(channel, "p1", "officer", "12", "Cán bộ Tỉnh")
        [reply] = await Router(app).handle(Incoming(channel, "p1", "p1", text="/nhapvanban"))
        assert reply.text == IMPORT_NO_FILES_HERE and "loa content import" in reply.text
    finally:
        await app.close()


async def test_a_decision_sent_on_telegram_answers_from_its_attached_rules_with_more_to_see(
    bot, fake
) -> None:
    source = (DATA / "qd-12-2025.txt").read_text(encoding="utf-8")
    await fake.send_document(PROVINCE_OFFICER, PROVINCE_OFFICER, "qd-12.docx", docgen.spec_docx(source))
    [preview] = await telegram_replies(fake, PROVINCE_OFFICER)
    text = fake.texts(PROVINCE_OFFICER)[0]
    # The officer sees at once that nothing was lost: signer, the table, the parts after the signature.
    assert "Người ký: Lò Văn Pấng" in text and "1 bảng (3 dòng)" in text
    assert "Phần kèm theo sau chữ ký: Quy định hỗ trợ tuyên truyền viên" in text
    ok = next(d for d in _buttons(preview) if d.startswith("imp:ok:"))
    message = fake.messages[(PROVINCE_OFFICER, max(k[1] for k in fake.messages if k[0] == PROVINCE_OFFICER))]
    await fake.press(PROVINCE_OFFICER, PROVINCE_OFFICER, ok, message)
    await fake.wait_for(lambda: any("Đã nhập" in t for t in _all_texts(fake, PROVINCE_OFFICER)))

    asked = len(fake.sent(STRANGER))
    await fake.send_text(STRANGER, STRANGER, "ttv o ban dac biet kho khan dc ho tro bn 1 thang")
    await telegram_replies(fake, STRANGER, asked + 1)
    answer = fake.texts(STRANGER)[-1]
    assert answer.startswith(
        "Tuyên truyền viên ở bản đặc biệt khó khăn được hỗ trợ 450.000 đồng/người/tháng."
    )
    assert (
        "khoản 1 Điều 3, Quy định kèm theo Quyết định 12/QĐ-UBND ngày 5/3/2025 của UBND huyện Tam Đường"
        in (answer)
    )
    # A broader question: its answer, and the other passages it found, to see with one tap.
    asked = len(fake.sent(STRANGER))
    await fake.send_text(STRANGER, STRANGER, "tuyen truyen vien duoc ho tro bao nhieu tien")
    reply = (await telegram_replies(fake, STRANGER, asked + 1))[-1]
    assert MORE in fake.texts(STRANGER)[-1]
    more = [d for d in _buttons(reply) if d.startswith("psg:12-qd-ubnd:")]
    assert more and len(_buttons(reply)) <= 3
    shown = len(fake.sent(STRANGER))
    message = fake.messages[(STRANGER, max(k[1] for k in fake.messages if k[0] == STRANGER))]
    await fake.press(STRANGER, STRANGER, more[0], message)
    await telegram_replies(fake, STRANGER, shown + 1)
    assert "Nguồn:" in fake.texts(STRANGER)[-1] and "12/QĐ-UBND" in fake.texts(STRANGER)[-1]
    # A forged passage button is stale, never an error.
    await fake.press(STRANGER, STRANGER, "psg:12-qd-ubnd:99999", message)
    await fake.wait_for(lambda: texts.STALE_BUTTON in _all_texts(fake, STRANGER))
