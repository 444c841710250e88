"""The scheduler that runs inside `loa run`: plans talking points from the calendar and drives the engine.

APScheduler 3 (the line python-telegram-bot's JobQueue is built on) runs three kinds of jobs in the configured
time zone: at start-up and every day after midnight, the next two days' sends are planned as date jobs (job id
= the idempotency key, so planning twice schedules once); a send missed while the bot was down is caught up if
it is still within the grace period, and skipped with a log line otherwise; and every few seconds the engine
sends whatever is due (scheduled talking points, officers' broadcasts, deliveries left over by a restart).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import audience, bulletin, calendar, outbox
from bot.app import App
from bot.clock import utc_stamp
from bot.errors import LoaError
from bot.store.dialogs import HANDLED_KEEP
from scheduler.delivery import Engine

log = logging.getLogger(__name__)

PLAN_DAYS = 2
BEAT_SECONDS = 60  # the console reads a channel as sending for 3 minutes after its last note
ENGINE_SECONDS = 10


async def create_due(app: App, planned: calendar.PlannedSend) -> int:
    """The planned send's broadcast (once); chats that asked for audio get the bulletin's voice too."""
    existing = await app.db.broadcasts.find(planned.key)
    if existing is not None:
        return existing
    chats = await audience.select(app, planned.event.audience)
    listening = [c.id for c in chats if c.audio]
    spoken = await _spoken(app, planned) if listening else None
    broadcast_id, created = await outbox.create(
        app, planned.key, "scheduled", planned.text(), planned.event.audience, planned.send_at, "scheduler",
        [c.id for c in chats], spoken, listening,
    )  # fmt: skip
    if created:
        log.info("broadcast %s created for %s", broadcast_id, planned.key)
        await app.db.audit.add("scheduler", "broadcast.create", {"id": broadcast_id, "key": planned.key})
    return broadcast_id


async def _spoken(app: App, planned: calendar.PlannedSend) -> str | None:
    """The key of the event's bulletin as a voice message; None when it cannot be made (the text goes)."""
    try:
        made = bulletin.of_event(app.content, planned.event.id, planned.event_date)
        return (await bulletin.audio(app, made, "ogg")).stem
    except LoaError:
        log.warning("the bulletin's audio of %s could not be made; the text goes alone", planned.event.id)
        return None


async def catch_up(app: App, now: datetime, grace: timedelta) -> tuple[list[str], list[str]]:
    """Create the sends of the last two days that are due: within ``grace`` caught up, older ones skipped."""
    start = (now - timedelta(days=2)).date()
    planned = [
        p
        for p in calendar.plan(
            app.content.events, start, now.date(), app.settings.zone, app.content.documents
        )
        if p.send_at <= now
    ]
    caught, skipped = [], []
    for p in planned:
        exists = await app.db.fetch_one("SELECT id FROM broadcasts WHERE idempotency_key = ?", (p.key,))
        if exists is not None:
            continue
        if now - p.send_at <= grace:
            await create_due(app, p)
            caught.append(p.key)
        else:
            log.warning("skipped %s: missed at %s, beyond the %s grace period", p.key, p.send_at, grace)
            skipped.append(p.key)
    return caught, skipped


class Service:
    """The jobs; ``engine`` may be None when no messenger is configured (then nothing is sent)."""

    def __init__(self, app: App, engine: Engine | None, grace: timedelta):
        self.app = app
        self.engine = engine
        self.grace = grace
        self.scheduler = AsyncIOScheduler(timezone=app.settings.zone)

    async def start(self) -> None:
        await self.app.db.broadcasts.recover()
        await catch_up(self.app, self.app.clock(), self.grace)
        self.plan()
        self.scheduler.add_job(self.plan, "cron", hour=0, minute=5, id="plan", replace_existing=True)
        self.scheduler.add_job(self._tidy, "cron", hour=3, minute=15, id="tidy", replace_existing=True)
        self._plan_reminders()
        await self._remind()  # a reminder or digest due earlier today while Loa was down goes out now
        if self.engine is not None:
            await self._beat()
            self.scheduler.add_job(
                self._beat, "interval", seconds=BEAT_SECONDS, id="beat", replace_existing=True, coalesce=True
            )
            self.scheduler.add_job(
                self._run_engine,
                "interval",
                seconds=ENGINE_SECONDS,
                id="engine",
                replace_existing=True,
                max_instances=1,
                coalesce=True,
            )
        self.scheduler.start()
        await self._run_engine()

    def plan(self) -> None:
        today = self.app.clock().date()
        now = self.app.clock()
        for p in calendar.plan(
            self.app.content.events,
            today,
            today + timedelta(days=PLAN_DAYS),
            self.app.settings.zone,
            self.app.content.documents,
        ):
            if p.send_at <= now:
                continue
            self.scheduler.add_job(
                self._fire,
                "date",
                run_date=p.send_at,
                args=[p],
                id=p.key,
                replace_existing=True,
                misfire_grace_time=int(self.grace.total_seconds()),
            )

    def _plan_reminders(self) -> None:
        rules = self.app.content.reminders
        for job, hhmm, extra in (
            ("remind", rules.quarter_end.send_time, {}),
            ("digest", rules.weekly_digest.send_time, {"day_of_week": rules.weekly_digest.weekday}),
        ):
            hour, minute = (int(x) for x in hhmm.split(":"))
            self.scheduler.add_job(
                self._remind, "cron", hour=hour, minute=minute, id=job, replace_existing=True, **extra
            )

    async def _remind(self) -> None:
        """The quarter-end reminder and the weekly digest, when today is their day (each sent once)."""
        from bot import reminders

        for name, job in (
            ("quarter-end reminder", reminders.quarter_end),
            ("digest", reminders.weekly_digest),
        ):
            try:
                count = await job(self.app)
            except Exception:
                log.exception("the %s failed; the next start or day tries again", name)
                continue
            if count is not None:
                log.info("%s: %d chats", name, count)
        await self._run_engine()

    async def _tidy(self) -> None:
        """Nightly: the question log is kept only as long as the inbox and the statistics need it; handled
        update ids two days."""
        keep = timedelta(days=self.app.settings.question_retention_days)
        try:
            dropped = await self.app.db.questions.forget(utc_stamp(self.app.clock() - keep))
            await self.app.db.inbox.forget_before(utc_stamp(self.app.clock() - keep))
            await self.app.db.voices.forget_before(utc_stamp(self.app.clock() - keep))
            await self.app.db.dialogs.forget_handled(utc_stamp(self.app.clock() - HANDLED_KEEP))
        except Exception:
            log.exception("tidying the question log failed")
            return
        log.info("question log: %d entries older than %s dropped", dropped, keep)

    async def _fire(self, planned: calendar.PlannedSend) -> None:
        await create_due(self.app, planned)
        await self._run_engine()

    async def _run_engine(self) -> None:
        if self.engine is not None:
            try:
                await self.engine.run_due()
            except Exception:  # the next tick tries again; nothing is lost, deliveries stay in the store
                log.exception("broadcast engine pass failed")

    async def _beat(self) -> None:
        """Note the channels this process sends on (the console tells officers when nothing sends)."""
        if self.engine is not None:
            try:
                await self.app.db.broadcasts.beat(sorted(self.engine.senders))
            except Exception:
                log.exception("noting the sending channels failed")

    async def shutdown(self) -> None:
        """Let the sends in flight finish (so none is left half done), then stop the jobs.

        In that order: shutting the scheduler down cancels the job coroutines that are running.
        """
        if self.engine is not None:
            await self.engine.stop()
            with contextlib.suppress(Exception):  # the database may be what failed; the note then ages out
                await self.app.db.broadcasts.forget_senders(sorted(self.engine.senders))
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
