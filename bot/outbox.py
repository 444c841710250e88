"""The outbox: broadcasts queued for delivery, with their per-chat deliveries, and the one way to queue them.

A broadcast has an idempotency key, so creating it twice creates it once; its deliveries are written in the
same transaction, before anything is sent (``scheduler/delivery.py`` sends them). :func:`check` and
:func:`queue` are the officer's broadcast, the same for chat, console and command line: one text rule, one
length limit, one scope, one audit line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import audience as audiences
from bot import texts
from bot.app import App
from bot.auth import OFFICER, Actor, permitted
from bot.clock import shown, utc_stamp
from bot.content import Audience
from bot.core import Reply
from bot.errors import BadInput, Conflict, NotAllowed, NotFound
from bot.store.broadcasts import Progress
from bot.textnorm import cut

# -- what it says --------------------------------------------------------------------------------------------
BROADCAST_NOBODY = "Không có nơi nhận nào trong phạm vi của đồng chí."
BROADCAST_NOT_ALLOWED = "Chỉ cán bộ có phạm vi phụ trách mới phát tin được."
BROADCAST_TOO_SHORT = "Tin quá ngắn: cần ít nhất {limit} ký tự."
BROADCAST_OUT_OF_SCOPE = "«{unit}» ngoài phạm vi phụ trách của đồng chí."
BROADCAST_TOO_LONG = "Tin dài {length} ký tự, quá {limit} ký tự một tin được gửi; xin rút gọn."


async def create(
    app: App,
    key: str,
    kind: str,
    text: str,
    audience: Audience,
    send_at: datetime,
    created_by: str,
    chats: list[int] | None = None,
    audio: str | None = None,
    audio_chats: Collection[int] = (),
) -> tuple[int, bool]:
    """Create a broadcast and its deliveries in one transaction; (id, created). An existing key is reused.

    ``chats``: the audience's chats when the caller has just selected them (else selected here); ``audio``:
    a spoken bulletin's key, sent after the text to ``audio_chats``."""
    existing = await app.db.broadcasts.find(key)
    if existing is not None:
        return existing, False
    if chats is None:
        chats = [c.id for c in await audiences.select(app, audience)]
    return await app.db.broadcasts.create(
        key,
        kind,
        text,
        audience.model_dump(),
        utc_stamp(send_at),
        created_by,
        chats,
        None,
        audio,
        audio_chats,
    )


async def notify(
    app: App,
    key: str,
    notices: Mapping[tuple[str, str], str | Reply],
    created_by: str,
    summary: str,
) -> tuple[int, int]:
    """Personal notices (an answer to someone's question, a returned report) through the engine: paced,
    sent once (``key``), chats that left or blocked the bot skipped. ``notices``: (channel, chat) -> the
    text, or a reply with its buttons. (broadcast id, how many chats it goes to)."""
    existing = await app.db.broadcasts.find(key)
    if existing is not None:
        return existing, await app.db.broadcasts.recipients(existing)
    personal: dict[int, tuple[str, str | None]] = {}
    for (channel, external_id), notice in notices.items():
        chat = await app.db.people.chat(channel, external_id)
        if chat is None or not chat.active:
            continue
        reply = notice if isinstance(notice, Reply) else Reply(notice)
        rows = [[[b.label, b.data] for b in row] for row in reply.buttons]
        personal[chat.id] = (reply.text, json.dumps(rows, ensure_ascii=False) if rows else None)
    broadcast_id, _ = await app.db.broadcasts.create(
        key, "adhoc", summary, {}, utc_stamp(app.clock()), created_by, list(personal), personal
    )
    return broadcast_id, len(personal)


# -- an officer's broadcast: the same rules from chat, console and command line ------------------------------
MIN_TEXT = 5
MAX_TEXT = 3500  # one Telegram message with room for its header


@dataclass(frozen=True)
class Checked:
    """A broadcast that may be queued: its text as it will be sent, when, to whom, and how many chats."""

    text: str
    at: datetime
    audience: Audience
    chats: list[int]  # the chats it reaches now

    @property
    def count(self) -> int:
        return len(self.chats)


@dataclass(frozen=True)
class Queued:
    id: int
    count: int  # chats it goes to
    at: datetime
    created: bool  # False: the key had been queued already (a form sent twice, a command run twice)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")  # keeps tabs and line ends


def normalised(text: str) -> str:
    """The text as it is sent: line ends as ``\\n``, no spaces at line ends, no run of blank lines."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


async def check(
    app: App,
    who: Actor,
    text: str,
    at: datetime | None = None,
    units: Sequence[str] = (),
    public: bool = False,
    groups_only: bool = False,
) -> Checked:
    """An officer's broadcast checked: text length, the units within their scope, someone to receive it.

    ``units``: the communes or villages it goes to (none: the officer's whole scope); ``groups_only``: to
    their subscribed groups, no private chat. ``public``: the department's own message (the command line),
    reaching every subscribed chat of the scope as a scheduled talking point does; an officer's reaches
    registered people and bound groups only. Raises :class:`~bot.errors.LoaError` with the message to show.
    """
    if not permitted(who, OFFICER):
        raise NotAllowed(BROADCAST_NOT_ALLOWED)
    text = normalised(text)
    if len(text) < MIN_TEXT:
        raise BadInput(BROADCAST_TOO_SHORT.format(limit=MIN_TEXT))
    if len(text) > MAX_TEXT:
        raise BadInput(BROADCAST_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
    audience = _audience(app, who, units, public).model_copy(update={"groups_only": groups_only})
    chats = [c.id for c in await audiences.select(app, audience)]
    if not chats:
        raise BadInput(BROADCAST_NOBODY)
    now = app.clock()
    return Checked(text, max(at, now) if at else now, audience, chats)


def _audience(app: App, who: Actor, units: Sequence[str], public: bool) -> Audience:
    if not units:
        return audiences.of_officer(app, who).model_copy(update={"vetted": not public})
    for unit in units:
        if app.units.get(unit) is None:
            raise NotFound(texts.INVITE_BAD_UNIT.format(unit=unit))
        if not app.units.in_scope(unit, who.unit_code or ""):
            raise NotAllowed(BROADCAST_OUT_OF_SCOPE.format(unit=unit))
    return Audience(units=sorted(set(units)), vetted=not public)


async def queue(
    app: App,
    who: Actor,
    text: str,
    key: str,
    at: datetime | None = None,
    units: Sequence[str] = (),
    public: bool = False,
    groups_only: bool = False,
    audio: str | None = None,
) -> Queued:
    """Check (again: a role or scope may have changed since the confirmation) and queue; audited once.

    ``key`` makes it idempotent: queued twice, it is one broadcast.
    """
    ok = await check(app, who, text, at, units, public, groups_only)
    broadcast_id, created = await create(
        app, key, "adhoc", ok.text, ok.audience, ok.at, who.key, ok.chats, audio, ok.chats if audio else ()
    )
    total = await app.db.broadcasts.recipients(broadcast_id)
    if created:
        detail = {
            "id": broadcast_id,
            "at": ok.at.isoformat(),
            "recipients": total,
            "units": ok.audience.units,
            "groups_only": groups_only,
            "audio": bool(audio),
        }
        await app.db.audit.add(who.key, "broadcast.create", detail)
    return Queued(broadcast_id, total, ok.at, created)


# -- following and taking a broadcast back -------------------------------------------------------------------
BROADCAST_LINE = (
    "Số {id} «{start}» — {when}: đã gửi {sent}/{total}, chờ {waiting}, lỗi {failed}{withdrawn}{state}"
)
BROADCAST_LINE_WITHDRAWN = ", đã rút {count}"
BROADCAST_LINE_CANCELLED = " (đã hủy)"
BROADCAST_CANCEL_DONE = "Đã hủy tin #{id}: rút {withdrawn} tin chưa gửi; {sent} nơi đã nhận trước khi hủy."
BROADCAST_NO_SUCH = "Không có tin phát số {id} (trong phạm vi của đồng chí)."
BROADCAST_NOT_YOURS = "Tin #{id} do cấp trên gửi; chỉ người gửi hoặc cán bộ cấp tỉnh hủy được."
BROADCAST_NOTHING_LEFT = "Tin #{id} không còn gì chờ gửi ({sent} nơi đã nhận); không hủy được nữa."


@dataclass(frozen=True)
class Cancelled:
    id: int
    withdrawn: int  # deliveries taken back before they went
    sent: int  # already delivered before the cancel
    in_flight: int  # being sent at that moment (they go)

    @property
    def said(self) -> str:
        """What the officer is told."""
        return BROADCAST_CANCEL_DONE.format(
            id=self.id, withdrawn=self.withdrawn, sent=self.sent + self.in_flight
        )


def line(app: App, row: Progress) -> str:
    """A broadcast's progress in one line as people read it: its text's start, local time and counts."""
    return BROADCAST_LINE.format(
        id=row.id,
        start=cut(row.text, 50),
        when=shown(row.send_at, app.settings.zone),
        sent=row.sent,
        total=row.total,
        waiting=row.pending + row.sending,
        failed=row.failed,
        withdrawn=BROADCAST_LINE_WITHDRAWN.format(count=row.withdrawn) if row.withdrawn else "",
        state=BROADCAST_LINE_CANCELLED if row.status == "cancelled" else "",
    )


async def may_cancel(app: App, who: Actor, row: Progress) -> bool:
    """Whether ``who`` may take ``row`` back now: deliveries still waiting, and one they follow that they
    made, or that someone of their scope made (the province takes back anything; a commune's officer never
    the province's, even aimed at their own villages)."""
    if not row.pending or not audiences.followed_by(app, who, row):
        return False
    if row.created_by == who.key or app.units.is_province(who.unit_code):
        return True
    channel, _, external = row.created_by.partition(":")
    maker = await app.db.people.user(channel, external) if external else None
    return maker is not None and bool(maker.unit_code) and app.units.in_scope(maker.unit_code, who.unit_code)


async def cancel(app: App, who: Actor, broadcast_id: int) -> Cancelled:
    """Take back a scheduled or still queued broadcast the officer follows: what has not gone is withdrawn,
    what has gone is reported; audited."""
    if not permitted(who, OFFICER):
        raise NotAllowed(BROADCAST_NOT_ALLOWED)
    row = await app.db.broadcasts.one(broadcast_id) if 0 < broadcast_id < 10**12 else None
    if row is None or not audiences.followed_by(app, who, row):  # another scope's is not there for them
        raise NotFound(BROADCAST_NO_SUCH.format(id=broadcast_id))
    if not row.pending:
        raise Conflict(BROADCAST_NOTHING_LEFT.format(id=broadcast_id, sent=row.sent))
    if not await may_cancel(app, who, row):
        raise NotAllowed(BROADCAST_NOT_YOURS.format(id=broadcast_id))
    withdrawn = await app.db.broadcasts.withdraw(broadcast_id)
    after = await app.db.broadcasts.one(broadcast_id)
    sent, in_flight = (after.sent, after.sending) if after else (row.sent, row.sending)
    detail = {"id": broadcast_id, "withdrawn": withdrawn, "sent": sent}
    await app.db.audit.add(who.key, "broadcast.cancel", detail)
    return Cancelled(broadcast_id, withdrawn, sent, in_flight)


SENDING_WINDOW_MINUTES = 3  # `loa run` notes its channels every minute


async def sending_channels(app: App) -> list[str]:
    """The channels a running `loa run` sends on now (empty: broadcasts wait in the queue)."""
    since = utc_stamp(app.clock() - timedelta(minutes=SENDING_WINDOW_MINUTES))
    return await app.db.broadcasts.senders_since(since)
