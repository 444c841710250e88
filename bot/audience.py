"""Who receives a broadcast: the subscribed chats an event's or an officer's audience selects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from bot.app import App
from bot.auth import Actor
from bot.content import Audience
from bot.store.broadcasts import Progress
from bot.store.people import Subscriber

REGISTERED = ("propagandist", "officer", "admin")


def vetted(chat: Subscriber) -> bool:
    """A registered person's private chat, or a group an officer bound to a unit."""
    if chat.chat_type == "private":
        return chat.user_role in REGISTERED
    return bool(chat.unit_code) and bool(chat.unit_bound_by)


async def select(app: App, audience: Audience) -> list[Subscriber]:
    """Active subscribed chats matching ``audience`` (everyone, or by the people's roles and by units).

    Strangers and groups no officer vetted receive the public talking points only (``everyone``).
    """
    chats = await app.db.people.subscribers()
    out = []
    for chat in chats:
        if (audience.vetted or audience.units) and not vetted(chat):
            continue
        if audience.groups_only and chat.chat_type == "private":
            continue
        if audience.roles and chat.user_role not in audience.roles:
            continue
        if audience.units and not any(app.units.in_scope(chat.scope_unit, u) for u in audience.units):
            continue
        out.append(chat)
    return out


def of_officer(app: App, who: Actor) -> Audience:
    """An officer's broadcast reaches registered people and officer-bound groups of the officer's scope."""
    if app.units.get(who.unit_code) is None or app.units.is_province(who.unit_code):
        return Audience(everyone=True, vetted=True)
    return Audience(units=[who.unit_code or ""], vetted=True)


async def followed(app: App, who: Actor, limit: int) -> list[Progress]:
    """The newest broadcasts an officer may follow (every page and command that lists them asks here).

    For a commune's officer: what reached the commune, the province's broadcasts too, counted over the
    commune's chats only."""
    if app.units.is_province(who.unit_code):
        return await app.db.broadcasts.progress(limit=limit)
    rows = await app.db.broadcasts.progress(limit=max(200, 10 * limit))
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for r in await app.db.broadcasts.reach([r.id for r in rows]):
        if r["unit"] and app.units.in_scope(r["unit"], who.unit_code or ""):
            counts[int(r["broadcast_id"])][str(r["status"])] += int(r["n"])
    shown = []
    for row in rows:
        if row.id in counts:
            c = counts[row.id]
            total = sum(c.values())
            shown.append(replace(row, pending=c["pending"], sending=c["sending"], sent=c["sent"],
                                 failed=c["failed"], withdrawn=c["withdrawn"], total=total))  # fmt: skip
        elif followed_by(app, who, row):
            shown.append(row)
    return shown[:limit]


def followed_by(app: App, who: Actor, row: Progress) -> bool:
    """Whether a broadcast is one an officer may follow: all for the province, else those to their commune."""
    if app.units.is_province(who.unit_code):
        return True
    units = row.units
    return bool(units) and all(app.units.in_scope(u, who.unit_code or "") for u in units)
