"""Several workers: three `loa run` on PostgreSQL against one on SQLite, and a leader killed mid-broadcast.

    python bench/workers.py [--updates 3000] [--users 10000] [--workers 3] [--chats 5000] [--scale 10]

Every worker is a real `loa run` process (bench/worker_runner.py: bot.serve with Telegram in webhook mode)
on one fake Telegram Bot API server on 127.0.0.1; PostgreSQL is a real server started here (tests/pgserver.py,
fsync on, synchronous_commit off — as durable as SQLite's WAL with synchronous=NORMAL, which Loa uses).

1. Webhook throughput: the store holds --users users; --updates questions from as many people are POSTed to
   the workers' webhook ports round-robin, 64 at a time, and every 10th is POSTed a second time to the next
   worker (Telegram repeating an update). Reported: updates/s, p50/p95 from POST to the reply reaching the
   server, lost (no reply), answered twice. Questions are those that Loa answers in one message.
2. Kill -9 of the leader in the middle of a --chats broadcast (Telegram's limits times --scale, with 2 % 429s
   and 1 % 502s): lost, duplicated (against the in-flight window), and how long the standby took to lead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

import aiohttp

from bot import outbox
from bot.app import App
from bot.channels import load_settings
from bot.content import Audience
from bot.core import Incoming
from bot.router import Router
from scheduler.delivery import SEND_WORKERS
from tests.fake_telegram import FakeTelegram
from tests.pgserver import PgServer, leader_pid

SECRET = "bench-Secret-1"
IN_FLIGHT = 64


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def single_message_questions(db: str) -> list[str]:
    """The bench's questions that Loa answers in one message (so a second message means answered twice)."""
    texts = []
    for path in (ROOT / "tests" / "data").glob("*.jsonl"):
        texts += [json.loads(x)["q"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    app = await App.open(load_settings(env_file=None, db=db))
    router = Router(app)
    kept = [q for q in texts if len(await router.handle(Incoming("bench", "1", "1", "private", text=q))) == 1]
    await app.close()
    return kept


async def fill(db: str, users: int) -> None:
    app = await App.open(load_settings(env_file=None, db=db))
    async with app.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (channel, external_id, display_name) VALUES ('telegram', ?, ?)",
            [(str(10_000 + i), f"Tuyên truyền viên {i}") for i in range(users)],
        )
    await app.close()


async def start_workers(db: str, fake: FakeTelegram, n: int, scale: float) -> list:
    base = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    procs = []
    for _ in range(n):
        port = free_port()
        env = {
            **base,
            "LOA_DB": db,
            "LOA_TELEGRAM_TOKEN": fake.token,
            "LOA_TELEGRAM_API_URL": fake.base_url,
            "LOA_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
            "LOA_TELEGRAM_WEBHOOK_SECRET": SECRET,
            "LOA_TELEGRAM_WEBHOOK_PORT": str(port),
            "LOA_FLOOD_PRIVATE_PER_MINUTE": "10000",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "worker_runner.py"), str(scale), env=env,
            cwd=tempfile.gettempdir(), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        proc.port = port  # type: ignore[attr-defined]
        procs.append(proc)
    await fake.wait_for(lambda: len(fake.called("setWebhook")) >= n, timeout=60)
    await asyncio.sleep(0.5)
    return procs


async def stop_workers(procs: list) -> None:
    for p in procs:
        if p.returncode is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        _, err = await asyncio.wait_for(p.communicate(), 60)
        if p.returncode not in (0, -9):
            print(err.decode()[-1500:], file=sys.stderr)


def update(update_id: int, user: int, text: str) -> dict:
    chat = {"id": user, "type": "private", "first_name": "TTV"}
    sender = {"id": user, "is_bot": False, "first_name": "TTV"}
    message = {"message_id": update_id, "date": int(time.time()), "chat": chat, "from": sender, "text": text}
    return {"update_id": update_id, "message": message}


async def webhook_run(label: str, db: str, workers: int, args, questions: list[str]) -> None:
    fake = FakeTelegram()
    await fake.start()
    procs = await start_workers(db, fake, workers, 0)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    gate = asyncio.Semaphore(IN_FLIGHT)
    latencies: list[float] = []
    try:
        async with aiohttp.ClientSession(headers=headers) as http:

            async def post(port: int, body: dict) -> None:
                async with gate, http.post(f"http://127.0.0.1:{port}/hook", json=body) as r:
                    assert r.status == 200, r.status

            async def one(i: int) -> None:
                user = 10_000 + i
                body = update(1_000_000 + i, user, questions[i % len(questions)])
                t0 = time.perf_counter()
                await post(procs[i % workers].port, body)
                if i % 10 == 0:  # Telegram repeats it; the repeat lands on the next worker
                    await post(procs[(i + 1) % workers].port, body)
                await fake.wait_delivered(user, 1, timeout=120)
                latencies.append(time.perf_counter() - t0)

            for w in range(workers):  # warm-up: one exchange per worker
                await post(procs[w].port, update(900_000 + w, 9_000 + w, questions[0]))
                await fake.wait_delivered(9_000 + w, 1, timeout=60)
            start = time.perf_counter()
            results = await asyncio.gather(*(one(i) for i in range(args.updates)), return_exceptions=True)
            elapsed = time.perf_counter() - start
            await asyncio.sleep(2.0)  # a late second answer would show by now
    finally:
        await stop_workers(procs)
        await fake.stop()
    counts = [fake.delivered_to.get(10_000 + i, 0) for i in range(args.updates)]
    lost = sum(1 for c in counts if c == 0)
    twice = sum(1 for c in counts if c > 1)
    errors = sum(1 for r in results if isinstance(r, Exception))
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else float("nan")
    print(
        f"{label:28s} {args.updates / elapsed:9.1f} {p50:9.0f} {p95:9.0f} {lost:6d} {twice:7d}"
        + (f"  ({errors} posts failed)" if errors else ""),
        flush=True,
    )


async def failover_run(url: str, args) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.enforce_limits(30 * args.scale, 20 * args.scale, retry_after=1 / args.scale)
    fake.chaos(0.02, 0.01, retry_after=1 / args.scale)
    app = await App.open(load_settings(env_file=None, db=url))
    ids = [200_000 + i for i in range(args.chats)]
    async with app.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO chats (channel, external_id, chat_type, subscribed)"
            " VALUES ('telegram', ?, 'private', 1)",
            [(str(c),) for c in ids],
        )
    for c in ids:
        fake.chat(c)
    await outbox.create(app, "bench:failover", "adhoc", "Điểm tin tuần", Audience(everyone=True),
                           datetime.now(UTC), "bench")  # fmt: skip
    await app.close()
    procs = await start_workers(url, fake, args.workers, args.scale)
    try:
        await fake.wait_for(lambda: len(fake.delivered_to) >= args.chats // 2, timeout=600)
        leader = await leader_pid(url)
        killed = time.perf_counter()
        os.kill(leader, signal.SIGKILL)
        at_kill = len(fake.delivered_to)
        while (await leader_pid(url)) in (None, leader):
            await asyncio.sleep(0.1)
        took = time.perf_counter() - killed
        await fake.wait_for(lambda: len(fake.delivered_to) >= args.chats, timeout=600)
        await asyncio.sleep(2.0)
    finally:
        await stop_workers(procs)
        await fake.stop()
    counts = [fake.delivered_to.get(c, 0) for c in ids]
    lost = sum(1 for c in counts if c == 0)
    duplicated = sum(c - 1 for c in counts if c > 1)
    print(
        f"kill -9 of the leader at {at_kill}/{args.chats} delivered: lost {lost}, duplicated {duplicated} "
        f"(in-flight window {SEND_WORKERS} sends); a standby led after {took:.1f} s",
        flush=True,
    )


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--updates", type=int, default=3000)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--chats", type=int, default=5000)
    ap.add_argument("--scale", type=float, default=10.0)
    args = ap.parse_args()
    server = PgServer(durable=True, options="-c synchronous_commit=off").start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = str(Path(tmp) / "bench.db")
            questions = await single_message_questions(str(Path(tmp) / "probe.db"))
            print(f"{args.updates} questions from as many people, {len(questions)} distinct; "
                  f"store: {args.users} users; every 10th update POSTed twice")  # fmt: skip
            print(f"{'':28s} {'updates/s':>9s} {'p50 ms':>9s} {'p95 ms':>9s} {'lost':>6s} {'twice':>7s}")
            for label, db, n in (
                ("1 worker, SQLite", sqlite, 1),
                (f"{args.workers} workers, PostgreSQL", "pg:webhooks", args.workers),
            ):
                if db.startswith("pg:"):
                    server.sql("CREATE DATABASE webhooks")
                    db = server.url("webhooks")
                await fill(db, args.users)
                await webhook_run(label, db, n, args, questions)
        server.sql("CREATE DATABASE failover")
        await failover_run(server.url("failover"), args)
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
