"""Broadcast benchmark: 5,000 chats on the fake Telegram server, which enforces Telegram's limits.

    python bench/broadcast.py [--db sqlite|postgresql|both] [--chats 5000] [--groups 100] [--scale 10]
                              [--people 300] [--questions 3] [--reporters 50]

The fake server (tests/fake_telegram.py) answers 429 past 30 messages/s overall and 20/min to one group,
both multiplied by --scale so the run takes seconds (and the retry_after it asks for divided by --scale: the
same Telegram, sped up), and fails 2 % of sends with 429 and 1 % with 502 at random. PostgreSQL is a real
server started here (tests/pgserver.py, fsync on, synchronous_commit off — as durable as SQLite's WAL with
synchronous=NORMAL, which Loa uses). Three runs on each database:

1. straight through (the engine in its own process, bench/broadcast_runner.py): achieved rate / allowed
   rate, lost, sent twice, and the engine's database statements per delivery;
2. the same, killed with SIGKILL halfway and started again: lost, and sent twice against the in-flight window;
3. answers during a broadcast: `loa run` itself (bench/worker_runner.py: the Telegram channel polling, the
   scheduler and its engine in one process) while --people people each ask --questions questions (each after
   a pause of 0–4 s) and --reporters of them file the one-line report and confirm it; the same traffic once
   without a broadcast and once during one. Printed: answer latency p50/p95/max from the update reaching the
   fake server to the reply reaching it (reports' steps apart), both ways, and the broadcast's rate meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.workers import single_message_questions
from bot import outbox
from bot.app import App
from bot.channels import load_settings
from bot.content import Audience
from bot.sending import SEND_WORKERS
from tests.fake_telegram import FakeTelegram
from tests.pgserver import PgServer

TEXT = "Điểm tin tuyên truyền tuần này"
REPORT = "/baocao hôm qua họp bản Nà Tăm 45 người KT-XH 2023"
# A restart loads Loa's modules compiled, as an installed `loa run` does (pip compiles them when it installs),
# even where PYTHONDONTWRITEBYTECODE is set: the compiled files go to a folder of their own, not the checkout.
COMPILED = {
    "PYTHONDONTWRITEBYTECODE": "",
    "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "loa-bench-pyc"),
}
PEOPLE = 700_000  # the askers' ids (private chats that are not subscribed: they receive no broadcast)


class Databases:
    """A fresh database for each run: a file in a temporary folder, or one on the PostgreSQL server."""

    def __init__(self, kind: str, folder: Path, server: PgServer | None):
        self.kind, self.folder, self.server, self.count = kind, folder, server, 0

    def fresh(self) -> str:
        self.count += 1
        if self.server is None:
            return str(self.folder / f"b{self.count}.db")
        self.server.sql(f"CREATE DATABASE b{self.count}")
        return self.server.url(f"b{self.count}")

    def log(self, db: str) -> Path:
        return self.folder / f"{db.rsplit('/', 1)[-1]}.log"


async def prepare(db: str, args: argparse.Namespace, fake: FakeTelegram, broadcast: bool) -> list[int]:
    """Subscribed chats (and the broadcast to them, when asked); the reporters registered in Bản Nà Tăm."""
    app = await App.open(load_settings(env_file=None, db=db))
    ids = [100_000 + i for i in range(args.chats - args.groups)] + [
        -(200_000 + i) for i in range(args.groups)
    ]
    async with app.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO chats (channel, external_id, chat_type, subscribed) VALUES ('telegram', ?, ?, 1)",
            [(str(c), "group" if c < 0 else "private") for c in ids],
        )
    for c in ids:
        fake.chat(c, "group" if c < 0 else "private")
    for i in range(args.reporters):
        await app.db.people.set_role(
            "telegram", str(PEOPLE + i), "propagandist", "12-003", f"Báo cáo viên {i}"
        )
    if broadcast:
        await outbox.create(
            app, "bench:1", "adhoc", TEXT, Audience(everyone=True), datetime.now(UTC), "bench"
        )
    await app.close()
    return ids


async def start(
    script: str, fake: FakeTelegram, db: str, log: Path, scale: float
) -> asyncio.subprocess.Process:
    """A runner in its own process. Its output goes to a file, never to a pipe: a pipe nobody reads while the
    run is watched (python-telegram-bot logs a traceback for every 429) fills up and stops the runner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_TELEGRAM_TOKEN": fake.token, "LOA_TELEGRAM_API_URL": fake.base_url, "LOA_DB": db})
    env.update(COMPILED)
    out = open(log, "ab")  # noqa: SIM115 - the child writes it; closed when it ends
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / script), str(scale), env=env, stdout=out, stderr=out,
            cwd=tempfile.gettempdir(),
        )  # fmt: skip
    finally:
        out.close()


async def limited_fake(args: argparse.Namespace, scale: float) -> FakeTelegram:
    """The fake Telegram, sped up by --scale: its limits multiplied, and the waits it asks for divided, by the
    factor. The random failures hit the broadcast's chats only: replies failing at random, with a broadcast
    or without, would only blur what the broadcast does to answering."""
    fake = FakeTelegram()
    await fake.start()
    fake.enforce_limits(30 * scale, 20 * scale, retry_after=1 / scale)
    fake.chaos(0.02, 0.01, retry_after=1 / scale, chats=chat_ids(args))
    return fake


def chat_ids(args: argparse.Namespace) -> list[int]:
    """The broadcast's chats: private ones, then groups."""
    return [100_000 + i for i in range(args.chats - args.groups)] + [
        -(200_000 + i) for i in range(args.groups)
    ]


def tally(fake: FakeTelegram, ids: list[int]) -> tuple[int, int, int]:
    counts = [fake.delivered_to.get(c, 0) for c in ids]
    return sum(1 for n in counts if n), sum(1 for n in counts if n == 0), sum(n - 1 for n in counts if n > 1)


def achieved(times: list[float]) -> float:
    """Messages per second between the first and the last that went through."""
    times = sorted(times)
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0


async def broadcast_run(args: argparse.Namespace, dbs: Databases, kill: bool) -> dict[str, float]:
    fake = await limited_fake(args, args.scale)
    db = dbs.fresh()
    try:
        ids = await prepare(db, args, fake, broadcast=True)
        t0 = time.perf_counter()
        proc = await start("broadcast_runner.py", fake, db, dbs.log(db), args.scale)
        killed_at, gap = 0, 0.0
        if kill:
            await fake.wait_for(lambda: len(fake.delivered_to) >= len(ids) // 2, timeout=600)
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            killed_at, kill_time = len(fake.delivered_to), time.monotonic()
            proc = await start("broadcast_runner.py", fake, db, dbs.log(db), args.scale)
            await fake.wait_for(lambda: fake.rate_window[-1] > kill_time, timeout=60)
            gap = fake.rate_window[-1] - kill_time
        await proc.wait()
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            print(dbs.log(db).read_text(errors="replace")[-2000:], file=sys.stderr)
        delivered, lost, twice = tally(fake, ids)
        failures = [p.get("_failed") for _, p in fake.calls if p.get("_failed")]
        writes = engine_writes(dbs.log(db))
    finally:
        await fake.stop()
    return {
        "delivered": delivered, "chats": len(ids), "elapsed": elapsed, "rate": achieved(fake.rate_window),
        "lost": lost, "twice": twice, "429": failures.count(429), "5xx": failures.count(502),
        "killed_at": killed_at, "writes": writes, "gap": gap,
    }  # fmt: skip


def engine_writes(log: Path) -> float:
    """The engine's statements per delivery, as the runner counted them (its last line)."""
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if line.startswith("statements per delivery"):
            return float(line.split()[-1])
    return float("nan")


class Traffic:
    """People asking questions and filing quick reports through the fake server, each reply timed."""

    def __init__(self, fake: FakeTelegram, questions: list[str], args: argparse.Namespace):
        self.fake, self.questions, self.args = fake, questions, args
        self.answers: list[float] = []
        self.reports: list[float] = []
        self.failed = 0

    async def _timed(self, user: int, send: Callable[[], Awaitable[int]], into: list[float]) -> None:
        before = self.fake.delivered_to.get(user, 0)
        t0 = time.perf_counter()
        await send()
        try:
            await self.fake.wait_delivered(user, before + 1, timeout=60)
        except TimeoutError:
            self.failed += 1
            return
        into.append(time.perf_counter() - t0)

    async def person(self, i: int) -> None:
        rnd = random.Random(i)
        user = PEOPLE + i
        for k in range(self.args.questions):
            await asyncio.sleep(rnd.uniform(0, 4))
            text = self.questions[(i * self.args.questions + k) % len(self.questions)]
            await self._timed(user, functools.partial(self.fake.send_text, user, user, text), self.answers)
        if i < self.args.reporters:
            await self._timed(user, functools.partial(self.fake.send_text, user, user, REPORT), self.reports)
            message = self._last_message(user)
            data = _button(message, "Gửi")
            if data is None:
                self.failed += 1
                return
            await self._timed(
                user, functools.partial(self.fake.press, user, user, data, message), self.reports
            )

    def _last_message(self, chat: int) -> dict:
        mine = [
            m for (c, _), m in self.fake.messages.items() if c == chat and m.get("from", {}).get("is_bot")
        ]
        return mine[-1] if mine else {}

    async def run(self) -> None:
        await asyncio.gather(*(self.person(i) for i in range(self.args.people)))


def _button(message: dict, label: str) -> str | None:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if label in button.get("text", ""):
                return button.get("callback_data")
    return None


async def answers_run(
    args: argparse.Namespace, dbs: Databases, broadcast: bool, questions: list[str]
) -> dict:
    fake = await limited_fake(args, args.scale)
    db = dbs.fresh()
    proc = None
    try:
        ids = await prepare(db, args, fake, broadcast=broadcast)
        proc = await start("worker_runner.py", fake, db, dbs.log(db), args.scale)
        await fake.wait_polling(timeout=60)
        if broadcast:  # the traffic starts once the broadcast is under way
            await fake.wait_for(lambda: len(fake.delivered_to) >= 50, timeout=60)
        traffic = Traffic(fake, questions, args)
        reached0, cpu0, own0 = tally(fake, ids)[0], cpu_seconds(proc.pid), time.process_time()
        t0 = time.perf_counter()
        await traffic.run()
        during = time.perf_counter() - t0
        delivered, cpu = tally(fake, ids)[0] - reached0, cpu_seconds(proc.pid) - cpu0
        own = time.process_time() - own0
        held = sum(
            1
            for p in fake.called("sendMessage")
            if p.get("_failed") == 429 and int(p.get("chat_id", 0)) >= PEOPLE
        )
    finally:
        if proc is not None and proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 60)
        await fake.stop()
    return {
        "answers": sorted(traffic.answers), "reports": sorted(traffic.reports), "failed": traffic.failed,
        "rate": delivered / during if during else 0.0, "delivered": delivered, "during": during,
        "cpu": cpu / during if during else 0.0, "own": own / during if during else 0.0, "held": held,
    }  # fmt: skip


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def quantiles(xs: list[float]) -> str:
    if not xs:
        return "—"
    ms = [x * 1000 for x in xs]
    return f"p50 {ms[len(ms) // 2]:6.0f}  p95 {ms[int(len(ms) * 0.95)]:6.0f}  max {ms[-1]:6.0f} ms"


async def one_database(kind: str, args: argparse.Namespace, questions: list[str]) -> None:
    server = PgServer(durable=True, options="-c synchronous_commit=off").start() if kind != "sqlite" else None
    allowed = 30 * args.scale
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dbs = Databases(kind, Path(tmp), server)
            print(
                f"\n== {kind}: {args.chats} chats ({args.groups} groups), {allowed:.0f} msg/s allowed",
                flush=True,
            )
            for kill in (False, True):
                r = await broadcast_run(args, dbs, kill)
                label = "killed at half, restarted" if kill else "straight through"
                restart = (
                    f"; killed after {r['killed_at']} (window {SEND_WORKERS}), none for {r['gap']:.1f} s"
                )
                print(
                    f"{label:26s} {r['delivered']}/{r['chats']} reached in {r['elapsed']:.1f} s; "
                    f"{r['rate']:.0f} msg/s ({r['rate'] / allowed:.0%} of allowed); lost {r['lost']}, "
                    f"sent twice {r['twice']}; 429s {r['429']}, 5xx {r['5xx']}; "
                    f"{r['writes']:.2f} statements per delivery{restart if kill else ''}",
                    flush=True,
                )
            quiet = await answers_run(args, dbs, False, questions)
            busy = await answers_run(args, dbs, True, questions)
            asked = args.people * args.questions
            limit = 30 * args.scale
            print(
                f"{asked} questions from {args.people} people, {args.reporters} quick reports (2 steps each):"
            )
            for label, r in (("without a broadcast", quiet), ("during the broadcast", busy)):
                meanwhile = (
                    f"; broadcast {r['rate']:.0f} msg/s ({r['rate'] / limit:.0%})" if r["delivered"] else ""
                )
                print(
                    f"  {label:21s} answers {quantiles(r['answers'])}; reports {quantiles(r['reports'])}; "
                    f"unanswered {r['failed']}; 429s to answers {r['held']}; "
                    f"CPU: Loa {r['cpu']:.0%}, fake Telegram {r['own']:.0%}"
                    f"{meanwhile}",
                    flush=True,
                )
            q95 = quiet["answers"][int(len(quiet["answers"]) * 0.95)] if quiet["answers"] else float("nan")
            b95 = busy["answers"][int(len(busy["answers"]) * 0.95)] if busy["answers"] else float("nan")
            print(f"  answers p95 during / without: {b95 / q95:.2f}x", flush=True)
    finally:
        if server is not None:
            server.stop()


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--chats", type=int, default=5000)
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--scale", type=float, default=10.0)
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--questions", type=int, default=3)
    ap.add_argument("--reporters", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        questions = await single_message_questions(str(Path(tmp) / "probe.db"))
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        await one_database(kind, args, questions)


if __name__ == "__main__":
    asyncio.run(main())
