"""`loa run` takes up content changes without a restart: an import by another process, an edited file; a
broken edit keeps the last good content serving and the admins are told once."""

from __future__ import annotations

import asyncio
import shutil
import signal
import time
from pathlib import Path

from bot.content import default_content_dir
from tests.fake_telegram import FakeTelegram
from tests.helpers import loa_process, telegram_env

DATA = Path(__file__).parent / "data"
ASKER = 801
ADMIN = 802


async def _ask(fake: FakeTelegram, question: str, timeout: float = 15.0) -> str:
    before = len(fake.sent(ASKER))
    await fake.send_text(ASKER, ASKER, question)
    await fake.wait_for(lambda: len(fake.sent(ASKER)) > before, timeout=timeout)
    return fake.texts(ASKER)[-1]


async def test_loa_run_answers_from_an_import_and_survives_a_broken_edit(tmp_path: Path, fake) -> None:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    env = {**telegram_env(fake, tmp_path), "LOA_CONTENT_DIR": str(content), "LOA_ADMINS": f"telegram:{ADMIN}"}
    proc = await loa_process("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        question = "thu nhap binh quan dau nguoi nam 2024 la bao nhieu"
        assert "52,3" not in await _ask(fake, question)

        # Another process imports a document: answerable within 10 s, no restart.
        imported = await loa_process("content", "import", str(DATA / "hd-42-2025.txt"), env=env, cwd=tmp_path)
        assert await asyncio.wait_for(imported.wait(), 60) == 0
        started = time.monotonic()
        while "52,3 triệu" not in await _ask(fake, question):
            assert time.monotonic() - started < 10, "the import was not taken up within 10 s"
            await asyncio.sleep(0.5)

        # A broken edit: the last good content keeps serving; the admin is told once, naming the file.
        faq = content / "faq" / "07-tinh-lai-chau.yaml"
        good = faq.read_text(encoding="utf-8")
        faq.write_text(good.replace("  answer:", "  answr:", 1), encoding="utf-8")
        await fake.wait_for(lambda: len(fake.sent(ADMIN)) == 1, timeout=15)
        [told] = fake.texts(ADMIN)
        assert "faq/07-tinh-lai-chau.yaml" in told and "'answer'" in told
        assert "52,3 triệu" in await _ask(fake, question)
        assert "37/43" in await _ask(fake, "tinh dat bao nhieu chi tieu nam 2023")
        await asyncio.sleep(5)  # polls go on: the same error is not told again
        assert len(fake.sent(ADMIN)) == 1

        # Fixed: taken up again.
        faq.write_text(good.replace("37/43", "37 trên 43", 1), encoding="utf-8")
        started = time.monotonic()
        while "37 trên 43" not in await _ask(fake, "tinh dat bao nhieu chi tieu nam 2023"):
            assert time.monotonic() - started < 10
            await asyncio.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    log = err.decode()
    assert "content not reloaded: 2 error(s), first in faq/07-tinh-lai-chau.yaml" in log
    assert log.count("content not reloaded") == 1 and "Traceback" not in log
    assert question not in log
