"""Zalo benchmark: many propagandists filing a guided report by numbers at once, over long polling.

    python bench/zalo.py [--users 300] [--repeat 0.05]

Loa's `zalo.run` polls the fake Zalo Bot API server (tests/fake_zalo.py, aiohttp on 127.0.0.1, same process)
the way it polls Zalo: one update per getUpdates call. Every user sends /baocao and answers each step with
the number of the choice, as a person reads it off the message. A share of the messages (``--repeat``) is
handed out twice by the server, as a retried delivery would be. Prints turns per second, the latency of a
turn, and checks that every report is stored once and that no repeated message was answered twice.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot.app import App
from bot.channels import (
    load_settings,
    zalo,
)
from tests.fake_zalo import FakeZalo

STEPS = ["Hôm qua", "Họp thôn", "Nà Tăm", "=40", "Lai Châu", "Xong", "Bỏ qua", "Gửi"]
_OPTION = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


async def person(fake: FakeZalo, user: str, repeat: float, rng: random.Random) -> list[float]:
    latencies = []
    answer = "/baocao"
    for step in [*STEPS, None]:
        before = len(fake.sent[user])
        t0 = time.perf_counter()
        update = fake.say(user, answer)
        if rng.random() < repeat:
            fake.updates.put_nowait(update)  # the same message handed out again
        sent = await fake.wait_sent(user, before + 1, timeout=120)
        latencies.append(time.perf_counter() - t0)
        if step is None:
            assert sent[-1].startswith("✅ Đã lưu"), sent[-1]
            break
        if step.startswith("="):
            answer = step[1:]
            continue
        shown = sent[-1]
        answer = next(n for n, label in _OPTION.findall(shown) if step in label)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--repeat", type=float, default=0.05)
    args = parser.parse_args()
    fake = FakeZalo()
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            env_file=None, db=Path(tmp) / "bench.db", zalo_token=fake.token, zalo_api_url=fake.base_url
        )
        app = await App.open(settings)
        users = [f"z{i:05d}" for i in range(args.users)]
        for i, user in enumerate(users):
            await app.db.people.set_role("zalo", user, "propagandist", "12-003-01", f"TTV {i}")
        stop = asyncio.Event()
        task = asyncio.create_task(zalo.run(app, stop, announce=lambda line: None))
        while fake.count("getUpdates") == 0:
            await asyncio.sleep(0.01)
        rng = random.Random(7)
        t0 = time.perf_counter()
        results = await asyncio.gather(*(person(fake, u, args.repeat, rng) for u in users))
        elapsed = time.perf_counter() - t0
        stop.set()
        await task
        latencies = [x for r in results for x in r]
        turns = len(latencies)
        rows = await app.db.fetch_all("SELECT user_id, COUNT(*) AS n FROM reports GROUP BY user_id", ())
        handed = sum(fake.handed_out.values())
        answered = sum(len(v) for v in fake.sent.values())
        ms = sorted(x * 1000 for x in latencies)
        print(
            f"zalo polling: {args.users} users, {turns} turns in {elapsed:.2f} s"
            f" = {turns / elapsed:.0f} turns/s"
            f" ({args.users / elapsed:.1f} reports/s); turn latency p50 {statistics.median(ms):.0f} ms,"
            f" p95 {ms[int(0.95 * turns)]:.0f} ms, max {ms[-1]:.0f} ms"
        )
        print(
            f"  updates handed out {handed} (repeats {handed - turns}), replies sent {answered}; "
            f"reports stored {sum(r['n'] for r in rows)}, lost {args.users - len(rows)}, "
            f"duplicated {sum(r['n'] for r in rows) - len(rows)}; getUpdates calls {fake.count('getUpdates')}"
        )
        await app.close()
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())
