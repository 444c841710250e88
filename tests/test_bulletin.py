"""The loudspeaker bulletin spoken: audio for every calendar event and every section of an imported document
(checked with ffprobe), and /bantin on Telegram (a voice message through the fake server) and Zalo."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot import bulletin, documents, tts
from bot.content import default_content_dir, load_content
from tests.fake_telegram import FakeTelegram
from tests.helpers import finish_telegram, start_telegram, telegram_replies

DATA = Path(__file__).parent / "data"
ALICE = 701
BACKENDS = ("sqlite", "postgresql")


def _probe(path: Path) -> tuple[str, float]:
    """(codec, seconds) as ffprobe reads the file."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "json",
         str(path)], capture_output=True, text=True, check=True, timeout=30,
    ).stdout  # fmt: skip
    found = json.loads(out)
    return found["streams"][0]["codec_name"], float(found["format"]["duration"])


def _needs_tools() -> None:
    missing = [t for t in ("espeak-ng", "ffmpeg", "ffprobe") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} needed (Debian packages espeak-ng, ffmpeg; .ci/run installs them)")


async def _spoken(folder: Path, made: bulletin.Bulletin, fmt: str, codec: str) -> None:
    path = await tts.audio(folder, bulletin.voice(), made.script, fmt)
    found, seconds = _probe(path)
    assert found == codec, made.title
    assert 0.75 * made.seconds <= seconds <= 1.25 * made.seconds, (made.title, seconds, made.seconds)


async def test_every_event_is_spoken_as_mp3_and_ogg_within_a_quarter_of_its_reading_time(
    tmp_path: Path,
) -> None:
    _needs_tools()
    content = load_content(default_content_dir())
    events = [e for e in content.events if not e.audience.roles]  # the rest are reminders to officers
    made = [bulletin.of_event(content, e.id, date(2026, 12, 3)) for e in events]
    assert len(made) >= 5
    # Every event as a voice message; the loudspeaker's MP3 of a few (the same voice, another encoder).
    voices = [_spoken(tmp_path, m, "ogg", "opus") for m in made]
    await asyncio.gather(*voices, *[_spoken(tmp_path, m, "mp3", "mp3") for m in made[:3]])
    first = await tts.audio(tmp_path, bulletin.voice(), made[0].script, "mp3")
    before = first.stat().st_mtime_ns
    await tts.audio(tmp_path, bulletin.voice(), made[0].script, "mp3")  # kept: not spoken twice
    assert first.stat().st_mtime_ns == before and len(list(tmp_path.iterdir())) == len(made) + 3


async def test_every_section_of_an_imported_document_is_spoken(tmp_path: Path) -> None:
    _needs_tools()
    root = tmp_path / "content"
    shutil.copytree(default_content_dir(), root)
    imported = documents.import_file(DATA / "hd-42-2025.txt", root, documents.Overrides(), False, set())
    content = load_content(root)
    doc = content.documents[imported.id]
    spoken = [s for s in doc.sections if any(p.section == s.id for p in doc.passages)]
    assert len(spoken) >= 5
    made = [bulletin.of_document(content, doc.id, [s.id], date(2025, 6, 1)) for s in spoken]
    assert all(not any(c.isdigit() for c in m.script) for m in made)
    await asyncio.gather(*[_spoken(tmp_path, m, "ogg", "opus") for m in made])


async def test_a_missing_voice_is_one_clear_line(tmp_path: Path) -> None:
    from bot.errors import Unavailable

    with pytest.raises(Unavailable, match="chưa có giọng đọc tiếng Việt"):
        await tts.audio(tmp_path, tts.Espeak(binary="khong-co-espeak"), "Kính thưa bà con.", "mp3")
    with pytest.raises(Unavailable, match="chưa có ffmpeg"):
        await tts.audio(tmp_path, bulletin.voice(), "Kính thưa bà con.", "mp3", ffmpeg="khong-co-ffmpeg")


async def test_bantin_on_telegram_sends_the_script_and_a_voice_message(
    database: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    _needs_tools()
    running = await start_telegram(database, fake)
    try:
        await fake.send_text(ALICE, ALICE, "/bantin", name="Lò Văn A")
        [menu] = await telegram_replies(fake, ALICE)
        buttons = [b for row in menu["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons and buttons[0]["text"].startswith("📅")
        message = fake.messages[(ALICE, max(k[1] for k in fake.messages if k[0] == ALICE))]
        await fake.press(ALICE, ALICE, buttons[0]["callback_data"], message)
        await fake.wait_for(lambda: fake.called("sendVoice"), timeout=30)
        script = fake.sent(ALICE, "sendMessage")[-1]["text"]
        assert "Kính thưa bà con nhân dân!" in script and "Xin cảm ơn bà con đã lắng nghe." in script
        [voice] = fake.called("sendVoice")
        assert voice["chat_id"] == ALICE and voice["caption"].startswith("🔊 Bản tin «")
        _field, _name, audio = next(u for u in fake.uploads if u[0] == "voice")
        heard = tmp_path / "ban-tin.ogg"
        heard.write_bytes(audio)
        assert _probe(heard)[0] == "opus"
    finally:
        await finish_telegram(running)


async def test_a_group_that_asked_for_audio_gets_the_talking_point_as_a_voice_message_too(
    database: str, fake: FakeTelegram
) -> None:
    """Through the engine and the fake Telegram server: the group's voice message, the person's text only."""
    _needs_tools()
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from bot import calendar, subscriptions
    from bot.auth import Actor
    from bot.channels import load_settings
    from bot.channels.telegram import TelegramChannel, TelegramSender
    from bot.sending import Limits
    from scheduler.delivery import Engine
    from scheduler.service import create_due
    from tests.helpers import open_app

    settings = load_settings(
        env_file=None, db=database, telegram_token=fake.token, telegram_api_url=fake.base_url
    )
    app = await open_app(settings)
    application = TelegramChannel(app).build()
    await application.initialize()
    try:
        group, person = -8001, 8002
        fake.chat(group, "group")
        fake.chat(person, "private")
        await app.db.people.set_subscribed("telegram", str(group), True, chat_type="group")
        await app.db.people.set_subscribed("telegram", str(person), True)
        admin = Actor("telegram:9", "anyone", None, None, "Quản trị nhóm")
        chat = subscriptions.Chat("telegram", str(group), "9", private=False, group_admin=True)
        await subscriptions.set_audio(app, admin, chat, True)
        day = date(2026, 12, 22)
        planned = [p for p in calendar.plan(app.content.events, day - timedelta(days=3), day,
                                            ZoneInfo("Asia/Ho_Chi_Minh"), app.content.documents)]  # fmt: skip
        assert planned
        await create_due(app, planned[0])
        engine = Engine(app, {"telegram": TelegramSender(application.bot)}, {"telegram": Limits(1000, 1000)})
        assert await engine.run_due(planned[0].send_at) == 2
        [voice] = fake.called("sendVoice")
        assert int(voice["chat_id"]) == group
        assert fake.sent(person, "sendMessage") and not [
            v for v in fake.called("sendVoice") if v["chat_id"] == person
        ]
        await subscriptions.set_audio(app, admin, chat, False)  # «/amthanh tắt»
        assert not (await app.db.people.subscribers())[0].audio
    finally:
        await application.shutdown()
        await app.close()


async def test_amthanh_in_chat_chooses_the_audio_for_a_subscribed_chat(router) -> None:
    from bot.core import Incoming
    from handlers.subscribe import AUDIO_OFF, AUDIO_ON

    def say(text: str, chat: str = "c1", chat_type: str = "private", admin: bool = False) -> Incoming:
        return Incoming("telegram", chat, "u1", chat_type, text=text, group_admin=admin)

    [first] = await router.handle(say("/amthanh"))
    assert "chưa đăng ký nhận điểm tin" in first.text
    await router.handle(say("/dangkynhan"))
    assert [r.text for r in await router.handle(say("/amthanh"))] == [AUDIO_ON]
    assert [r.text for r in await router.handle(say("/amthanh tắt"))] == [AUDIO_OFF]
    assert "Gõ /amthanh" in (await router.handle(say("/amthanh xyz")))[0].text  # an unknown word: a hint
    await router.handle(say("/dangkynhan", "g1", "group", admin=True))
    [refused] = await router.handle(say("/amthanh", "g1", "group"))
    assert "Chỉ quản trị viên của nhóm hoặc cán bộ" in refused.text
    assert [r.text for r in await router.handle(say("/amthanh", "g1", "group", admin=True))] == [AUDIO_ON]


async def test_a_bulletin_of_an_answer_and_of_an_faq_entry(moving_app) -> None:
    """«/bantin câu hỏi»: Loa's answer read aloud, while its guidance holds (the clock: 15/03/2024)."""
    from bot.errors import NotFound

    made = bulletin.from_source(moving_app, question="tinh dat bao nhieu chi tieu nam 2023")
    assert "ba mươi bảy trên bốn mươi ba" in made.script and made.script.startswith("Kính thưa")
    entry = moving_app.content.faq[0]
    assert bulletin.from_source(moving_app, f"faq:{entry.id}").title == entry.questions[0]
    with pytest.raises(NotFound, match="chưa có câu trả lời"):
        bulletin.from_source(moving_app, question="giá vàng hôm nay")
    labels = bulletin.sources(moving_app)
    assert any(label.startswith("❓ ") for label in labels) and any(
        label.startswith("📄 ") for label in labels
    )
