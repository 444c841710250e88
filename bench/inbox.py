"""Inbox and reminders benchmark: 3,000 propagandists, 300 unanswered questions in 60 groups. Prints figures.

    python bench/inbox.py [--people 3000] [--scale 10]

1. `loa inbox list` over 100,000 logged questions: the first look (placing every new folded question in a
   group) and the next one.
2. Answering the 60 groups and telling their 300 askers through the engine (its own process, as in `loa run`,
   bench/broadcast_runner.py) against the fake Telegram server enforcing the limits ×--scale: msgs/s against
   allowed, lost, duplicated.
3. The quarter-end reminder to the 3,000 (none has reported): lost, duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.broadcast import start_runner
from bot import inbox, reminders
from bot.app import App
from bot.channels import load_settings
from bot.content import default_content_dir
from tests.fake_telegram import FakeTelegram

# Sixty things people ask about that the guidance does not answer, each asked five ways.
TOPICS = """phân bón; cúp điện; học phí; giá vàng; đường vào bản; sóng điện thoại; thẻ bảo hiểm; làm nhà;
nước sạch; thu mua chè; giống ngô; vắc xin; lương hưu; sổ đỏ; đền bù đất; xe khách; chợ phiên;
điểm thi; trạm y tế; thuốc trừ sâu; cầu treo; lũ quét; sạt lở; mưa đá; heo dịch; gà giống;
cá giống; quế hồi; sâm; thảo quả; mắc ca; homestay; vé xe Tết; căn cước; hộ chiếu; đăng ký xe;
giấy khai sinh; trợ cấp người già; khuyết tật; mồ côi; học bổng; bếp ăn bán trú; sách giáo khoa;
xe đạp cho học sinh; điện mặt trời; bếp gas; internet; truyền hình; ti vi cho hộ nghèo; cột sóng;
bưu điện; ngân hàng chính sách; vay vốn; lãi suất; hợp tác xã; thương lái; cân điện tử; giá lúa;
máy cày; thủy lợi""".replace("\n", " ").split(";")
TOPICS = [t.strip() for t in TOPICS]
ASK = ["{t} năm nay thế nào", "{t} bao giờ có", "hỏi về {t}", "{t} ở xã mình", "cho hỏi {t} ra sao"]


def questions(groups: int) -> list[str]:
    return [a.format(t=TOPICS[g % len(TOPICS)]) for g in range(groups) for a in ASK]


async def prepare(app: App, people: int, fake: FakeTelegram) -> list[int]:
    ids = [300_000 + i for i in range(people)]
    units = ["12-003-01", "12-004-01"]
    async with app.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (channel, external_id, full_name, role, unit_code) VALUES ('telegram', ?, ?,"
            " 'propagandist', ?)",
            [(str(i), f"Người {i}", units[i % 2]) for i in ids],
        )
        await tx.executemany(
            "INSERT INTO chats (channel, external_id, chat_type, user_external_id) VALUES"
            " ('telegram', ?, 'private', ?)",
            [(str(i), str(i)) for i in ids],
        )
    for i in ids:
        fake.chat(i)
    return ids


async def run_engine(fake: FakeTelegram, db: Path, scale: float) -> float:
    started = time.perf_counter()
    proc = await start_runner(fake, db, scale)
    await proc.wait()
    if proc.returncode != 0:
        print(db.with_suffix(".log").read_text(errors="replace")[-2000:], file=sys.stderr)
    return time.perf_counter() - started


def tally(fake: FakeTelegram, chats: list[int], before: dict[int, int]) -> tuple[int, int]:
    got = {c: fake.delivered_to.get(c, 0) - before.get(c, 0) for c in chats}
    return sum(1 for n in got.values() if n == 0), sum(n - 1 for n in got.values() if n > 1)


def _refused(fake: FakeTelegram) -> int:
    """How many sends the server refused with 429 so far (the limits overstepped)."""
    return sum(1 for _, p in fake.calls if p.get("_failed") == 429)


def rate(fake: FakeTelegram, since: float) -> float:
    times = sorted(t for t in fake.rate_window if t >= since)
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--groups", type=int, default=60)
    ap.add_argument("--logged", type=int, default=100_000)
    ap.add_argument("--scale", type=float, default=10.0)
    args = ap.parse_args()
    fake = FakeTelegram()
    await fake.start()
    fake.enforce_limits(30 * args.scale, 20 * args.scale, retry_after=1 / args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        db, content = Path(tmp) / "i.db", Path(tmp) / "content"
        shutil.copytree(default_content_dir(), content)
        app = await App.open(load_settings(env_file=None, db=db, content_dir=content))
        ids = await prepare(app, args.people, fake)
        asked = questions(args.groups)
        rng = random.Random(3)
        askers = rng.sample(ids, len(asked))
        from bot.answers import ask

        for person, q in zip(askers, asked, strict=True):
            await ask(app, "telegram", q, "12-003-01", str(person))
        await app.db.questions.flush()
        # The rest of the 100,000: the same questions asked again and again over the months.
        logged = await app.db.fetch_all("SELECT question, normalized, status FROM question_log", ())
        rows = []
        for n in range(args.logged - len(asked)):
            r = logged[n % len(logged)]
            month = f"2026-{1 + n % 10:02d}-15T08:00:00Z"
            rows.append(
                ("telegram", r["question"], r["normalized"], r["status"], None, 0.1, month, "12-003-01")
            )
        async with app.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO question_log (channel, question, normalized, status, entry_id, score, asked_at,"
                " unit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        total = await app.db.fetch_value("SELECT COUNT(*) FROM question_log", ())
        t0 = time.perf_counter()
        groups = await inbox.open_groups(app, None)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        await inbox.open_groups(app, None)
        again = time.perf_counter() - t0
        print(f"inbox over {total} logged questions: {len(groups)} groups; first look {first * 1000:.0f} ms "
              f"(placing), next {again * 1000:.0f} ms")  # fmt: skip

        waiting = await app.db.fetch_all("SELECT DISTINCT chat_external_id FROM inbox_askers", ())
        askers = [int(r["chat_external_id"]) for r in waiting]
        t0 = time.perf_counter()
        for g in groups:
            await inbox.answer(
                app, g.id, f"Câu trả lời của Ban Tuyên giáo cho nhóm {g.id}.", None, "bench", None
            )
        answering = time.perf_counter() - t0
        await app.close()
        before = dict(fake.delivered_to)
        started = time.monotonic()
        elapsed = await run_engine(fake, db, args.scale)
        lost, dup = tally(fake, askers, before)
        refused = _refused(fake)
        allowed = 30 * args.scale
        achieved = rate(fake, started)
        print(f"answered {len(groups)} groups in {answering:.1f} s; told {len(askers)} askers in "
              f"{elapsed:.1f} s: "
              f"{achieved:.0f} msg/s of {allowed:.0f} allowed ({achieved / allowed:.0%}); lost {lost}, "
              f"duplicated {dup}; 429 answers {refused}")  # fmt: skip

        app = await App.open(load_settings(env_file=None, db=db, content_dir=content))
        period = reminders.quarter_of(app.today())
        people = await reminders.non_reporters(app, period, "12")
        t0 = time.perf_counter()
        _, count = await reminders.remind(app, people, f"remind:{period.key}:bench", "bench", period)
        queued = time.perf_counter() - t0
        await app.close()
        before = dict(fake.delivered_to)
        started = time.monotonic()
        elapsed = await run_engine(fake, db, args.scale)
        lost, dup = tally(fake, ids, before)
        refused = _refused(fake) - refused
        achieved = rate(fake, started)
        print(f"quarter-end reminder: {count} non-reporters found and queued in {queued:.2f} s, sent in "
              f"{elapsed:.1f} s at {achieved:.0f} msg/s of {allowed:.0f}; lost {lost}, duplicated {dup};"
              f" 429 answers {refused}")  # fmt: skip
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())
