"""Report benchmark: many propagandists filing a guided report at the same time, with taps only.

    python bench/reports.py [--users 1000] [--skip-telegram]

1. Through the core: N registered propagandists run the whole /baocao dialogue concurrently (Router.handle,
   SQLite dialog state, the report saved).
2. Through Telegram: the same over python-telegram-bot and the fake Bot API server on 127.0.0.1 (each tap a
   real callback query), with Telegram's send-rate limits lifted so the figure is Loa's own.
Prints reports stored per second, per-report latency, and checks that none was lost or stored twice.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/telegram.py would shadow the `telegram` package: drop this folder from the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot.app import App
from bot.channels import load_settings
from bot.core import Incoming
from bot.router import Router

TAPS = ["Hôm qua", "Họp thôn", "Nà Tăm", "40", "Lai Châu", "Xong", "Bỏ qua", "Gửi"]


def summarise(name: str, users: int, elapsed: float, latencies: list[float], stored: list[dict]) -> None:
    per_user = {r.user_id for r in stored}
    print(
        f"{name + ':':9s} {users} reports in {elapsed:.2f} s = {users / elapsed:.0f} reports/s "
        f"({9 * users / elapsed:.0f} messages/s); latency p50 {statistics.median(latencies):.2f} s, "
        f"max {max(latencies):.2f} s; stored {len(stored)}, lost {users - len(per_user)}, "
        f"duplicated {len(stored) - len(per_user)}",
        flush=True,
    )


async def setup(db: Path, users: int) -> App:
    app = await App.open(load_settings(env_file=None, db=db))
    for i in range(users):
        await app.db.people.set_role("telegram", str(20_000 + i), "propagandist", "12-003-01", f"TTV {i}")
    return app


async def one_person_core(router: Router, user: str) -> float:
    t0 = time.perf_counter()
    replies = await router.handle(Incoming("telegram", user, user, "private", text="/baocao"))
    for label in TAPS:
        button = next(b for r in replies for b in r.options() if label in b.label)
        replies = await router.handle(Incoming("telegram", user, user, "private", data=button.data))
    assert replies[-1].text.startswith("✅ Đã lưu"), replies[-1].text
    return time.perf_counter() - t0


async def bench_core(users: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = await setup(Path(tmp) / "core.db", users)
        router = Router(app)
        t0 = time.perf_counter()
        latencies = await asyncio.gather(*(one_person_core(router, str(20_000 + i)) for i in range(users)))
        elapsed = time.perf_counter() - t0
        stored = await app.db.reports.between("2000-01-01", "2100-01-01")
        await app.close()
    summarise("core", users, elapsed, latencies, stored)


async def bench_telegram(users: int) -> None:
    from telegram.ext import AIORateLimiter

    from bot.channels import telegram
    from tests.fake_telegram import FakeTelegram

    fake = FakeTelegram()
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        app = await setup(Path(tmp) / "tg.db", users)
        app.settings = load_settings(
            env_file=None, db=Path(tmp) / "tg.db", telegram_token=fake.token, telegram_api_url=fake.base_url
        )
        stop = asyncio.Event()
        limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
        task = asyncio.create_task(
            telegram.run(app, stop=stop, announce=lambda s: None, rate_limiter=limiter)
        )
        await fake.wait_polling()

        async def person(chat: int) -> float:
            t0 = time.perf_counter()
            await fake.send_text(chat, chat, "/baocao")
            await fake.wait_delivered(chat, 1, timeout=300)
            for label in TAPS:
                rows = fake.last_markup[chat].get("inline_keyboard", [])
                data = next(b["callback_data"] for row in rows for b in row if label in b["text"])
                seen = fake.delivered_to[chat]
                last = fake.messages[(chat, fake.next_message_id[chat])]
                await fake.press(chat, chat, data, last)
                await fake.wait_delivered(chat, seen + 1, timeout=300)
            return time.perf_counter() - t0

        t0 = time.perf_counter()
        latencies = await asyncio.gather(*(person(20_000 + i) for i in range(users)))
        elapsed = time.perf_counter() - t0
        stop.set()
        await task
        stored = await app.db.reports.between("2000-01-01", "2100-01-01")
        await app.close()
    await fake.stop()
    summarise("telegram", users, elapsed, latencies, stored)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--skip-telegram", action="store_true")
    args = ap.parse_args()
    await bench_core(args.users)
    if not args.skip_telegram:
        await bench_telegram(args.users)


if __name__ == "__main__":
    asyncio.run(main())
