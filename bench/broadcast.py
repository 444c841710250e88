"""Broadcast benchmark: 5,000 chats on the fake Telegram server, which enforces Telegram's limits.

    python bench/broadcast.py [--chats 5000] [--groups 100] [--scale 10]

The fake server (tests/fake_telegram.py) answers 429 past 30 messages/s overall and 20/min to one group,
both multiplied by --scale so the run takes seconds (and the retry_after it asks for divided by --scale: the
same Telegram, sped up), and fails 2 % of sends with 429 and 1 % with 502 at random. The engine runs in its
own process (bench/broadcast_runner.py), as in `loa run`. Two runs:
1. straight through: achieved rate / allowed rate, lost, duplicated;
2. killed with SIGKILL halfway, then started again: lost, and duplicates against the in-flight window.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot import outbox
from bot.app import App
from bot.channels import load_settings
from bot.content import Audience
from tests.fake_telegram import FakeTelegram

WORKERS = 32


async def prepare(db: Path, chats: int, groups: int, fake: FakeTelegram) -> list[int]:
    app = await App.open(load_settings(env_file=None, db=db))
    ids = [100_000 + i for i in range(chats - groups)] + [-(200_000 + i) for i in range(groups)]
    async with app.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO chats (channel, external_id, chat_type, subscribed) VALUES ('telegram', ?, ?, 1)",
            [(str(c), "group" if c < 0 else "private") for c in ids],
        )
    for c in ids:
        fake.chat(c, "group" if c < 0 else "private")
    await outbox.create(
        app,
        "bench:1",
        "adhoc",
        "Điểm tin tuyên truyền tuần này",
        Audience(everyone=True),
        datetime.now(UTC),
        "bench",
    )
    await app.close()
    return ids


async def start_runner(fake: FakeTelegram, db: Path, scale: float) -> asyncio.subprocess.Process:
    """The engine in its own process. Its output goes to a file beside the database, never to a pipe: a pipe
    nobody reads while the run is watched (python-telegram-bot logs a traceback for every 429) fills up and
    stops the runner mid-broadcast."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_TELEGRAM_TOKEN": fake.token, "LOA_TELEGRAM_API_URL": fake.base_url, "LOA_DB": str(db)})
    log = open(db.with_suffix(".log"), "ab")  # noqa: SIM115 - the child writes it; closed when it ends
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "broadcast_runner.py"), str(scale), env=env, stdout=log,
            stderr=log,
        )  # fmt: skip
    finally:
        log.close()


def tally(fake: FakeTelegram, ids: list[int]) -> tuple[int, int, int]:
    counts = {c: fake.delivered_to.get(c, 0) for c in ids}
    lost = sum(1 for n in counts.values() if n == 0)
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    return sum(1 for n in counts.values() if n > 0), lost, duplicated


async def run(args: argparse.Namespace, kill_at: float | None) -> None:
    fake = FakeTelegram()
    await fake.start()
    # Telegram sped up by --scale: its limits multiplied, and the waits it asks for divided, by the factor.
    fake.enforce_limits(30 * args.scale, 20 * args.scale, retry_after=1 / args.scale)
    fake.chaos(0.02, 0.01, retry_after=1 / args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "b.db"
        ids = await prepare(db, args.chats, args.groups, fake)
        t0 = time.perf_counter()
        proc = await start_runner(fake, db, args.scale)
        killed_at = None
        if kill_at is not None:
            await fake.wait_for(lambda: len(fake.delivered_to) >= kill_at * len(ids), timeout=600)
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            killed_at = len(fake.delivered_to)
            proc = await start_runner(fake, db, args.scale)
        await proc.wait()
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            print(db.with_suffix(".log").read_text(errors="replace")[-2000:], file=sys.stderr)
        delivered, lost, duplicated = tally(fake, ids)
        ok_times = sorted(fake.rate_window)
        span = ok_times[-1] - ok_times[0] if len(ok_times) > 1 else elapsed
        rate = (len(ok_times) - 1) / span if span > 0 else 0
        allowed = 30 * args.scale
        failures = [p.get("_failed") for _, p in fake.calls if p.get("_failed")]
        label = "killed at half, restarted" if kill_at is not None else "straight through"
        print(
            f"{label}: {delivered}/{len(ids)} chats reached in {elapsed:.1f} s; achieved {rate:.0f} msg/s of "
            f"{allowed:.0f} allowed ({rate / allowed:.0%}); lost {lost}, duplicated {duplicated}; "
            f"429 answers {failures.count(429)}, 5xx {failures.count(502)}"
            + (f"; killed after {killed_at} delivered, in-flight window {WORKERS}" if killed_at else ""),
            flush=True,
        )
    await fake.stop()


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chats", type=int, default=5000)
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--scale", type=float, default=10.0)
    args = ap.parse_args()
    await run(args, None)
    await run(args, 0.5)


if __name__ == "__main__":
    asyncio.run(main())
