"""Telegram pipeline benchmark: Loa against a bare python-telegram-bot echo bot, same fake server, same run.

    python bench/telegram.py [--updates 2000] [--users 10000] [--rounds 2]

Each bot runs in its own process, polling its own instance of the fake Bot API server (tests/fake_telegram.py)
on 127.0.0.1. The bench pushes N text messages from N different users at once and times until N replies came
back: fake server -> PTB -> (Loa: router -> matcher -> SQLite -> reply | echo: reply). Telegram's 30 msg/s
cap is lifted for both (the same AIORateLimiter with no limit), so the figures are the pipelines' own cost.
Loa's store is filled with --users users first. Reported: updates/s, CPU ms per update of the bot process
(user + system), and resident memory (VmRSS) after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file's name would shadow the `telegram` package for anything imported from here.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bot.store import open_database
from tests.fake_telegram import FakeTelegram

TICKS = os.sysconf("SC_CLK_TCK")


def questions() -> list[str]:
    out = []
    for path in (ROOT / "tests" / "data").glob("*.jsonl"):
        out += [
            json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def fill_users(db: Path, n: int) -> None:
    store = await open_database(db)
    await store.close()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO users (channel, external_id, display_name) VALUES ('telegram', ?, ?)",
            ((str(10_000 + i), f"Tuyên truyền viên {i}") for i in range(n)),
        )


async def run_one(
    name: str, argv: list[str], env: dict[str, str], fake: FakeTelegram, n: int, texts: list[str]
) -> dict[str, float]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_polling(timeout=60)
        # warm-up: one exchange so start-up work is not counted
        await fake.send_text(9_999, 9_999, texts[0])
        await fake.wait_for(lambda: len(fake.sent(9_999)) >= 1, timeout=60)
        cpu0 = cpu_seconds(proc.pid)
        sent0 = len(fake.sent())
        t0 = time.perf_counter()
        for i in range(n):
            await fake.send_text(10_000 + i, 10_000 + i, texts[i % len(texts)])
        await fake.wait_for(lambda: len(fake.sent()) - sent0 >= n, timeout=600)
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds(proc.pid) - cpu0
        rss = rss_mib(proc.pid)
    except BaseException:
        if proc.returncode is not None:
            print(f"{name} exited early:", (await proc.stderr.read()).decode()[-2000:], file=sys.stderr)
        raise
    finally:
        if proc.returncode is None:
            # py-spy writes its profile on SIGINT; the bots stop cleanly on either
            proc.send_signal(signal.SIGINT if argv[0] == "py-spy" else signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
    return {"rate": n / elapsed, "cpu_ms": cpu * 1000 / n, "wall_ms": elapsed * 1000 / n, "rss": rss}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--updates", type=int, default=2000)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--profile",
        metavar="FILE",
        help="record each bot with py-spy (collapsed stacks) into FILE.echo and FILE.loa"
        " (the CPU figures are then py-spy's own)",
    )
    args = ap.parse_args()
    texts = questions()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    results: dict[str, list[dict[str, float]]] = {"echo": [], "loa": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        await fill_users(db, args.users)
        for _ in range(args.rounds):
            for name in ("echo", "loa"):
                fake = FakeTelegram()
                await fake.start()
                try:
                    if name == "echo":
                        argv = [
                            sys.executable,
                            str(ROOT / "bench" / "echo_bot.py"),
                            fake.token,
                            fake.base_url,
                        ]
                        env = base_env
                    else:
                        argv = [sys.executable, str(ROOT / "bench" / "loa_telegram_runner.py")]
                        env = {
                            **base_env,
                            "LOA_TELEGRAM_TOKEN": fake.token,
                            "LOA_TELEGRAM_API_URL": fake.base_url,
                            "LOA_DB": str(db),
                        }
                    if args.profile:
                        out = f"{args.profile}.{name}"
                        argv = ["py-spy", "record", "-r", "250", "-f", "raw", "-o", out, "--", *argv]
                    results[name].append(await run_one(name, argv, env, fake, args.updates, texts))
                finally:
                    await fake.stop()
        with sqlite3.connect(db) as conn:
            users = conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
            logged = conn.execute("SELECT COUNT(*) FROM question_log").fetchone()[0]

    print(
        f"{args.updates} updates from {args.updates} users per round, {args.rounds} rounds; "
        f"Loa's store: {users} users, {logged} questions logged"
    )
    print(f"{'bot':6s} {'updates/s':>10s} {'wall ms/upd':>12s} {'CPU ms/upd':>11s} {'RSS MiB':>8s}")
    best = {}
    for name, runs in results.items():
        for r in runs:
            print(f"{name:6s} {r['rate']:10.1f} {r['wall_ms']:12.2f} {r['cpu_ms']:11.2f} {r['rss']:8.1f}")
        best[name] = max(runs, key=lambda r: r["rate"])
    wall = best["loa"]["wall_ms"] / best["echo"]["wall_ms"]
    cpu = best["loa"]["cpu_ms"] / best["echo"]["cpu_ms"]
    rss = max(r["rss"] for r in results["loa"]) / max(r["rss"] for r in results["echo"])
    print(
        f"\nper-update cost, Loa / echo (best rounds): wall {wall:.2f}x, CPU {cpu:.2f}x (target <= 1.5x),"
        f" RSS {rss:.2f}x (target <= 1.8x)"
    )


if __name__ == "__main__":
    asyncio.run(main())
