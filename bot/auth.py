"""Who is asking: the role and scope of a user, read from the store (and LOA_ADMINS) on every call."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from bot.app import App
from bot.core import Incoming

ANYONE, PROPAGANDIST, OFFICER, ADMIN = "anyone", "propagandist", "officer", "admin"
OPERATOR = "cli"  # the command line's actor in the audit log
RANK = {ANYONE: 0, PROPAGANDIST: 1, OFFICER: 2, ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    key: str  # channel:user_id
    role: str
    unit_code: str | None  # a propagandist's village/commune; an officer's scope; the province for admins
    user_id: int | None  # row id in users
    name: str

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


# The actors read during the update being handled: the role check and the handler read the store once.
_seen: ContextVar[dict[str, Actor] | None] = ContextVar("actors_seen", default=None)


def new_update() -> None:
    """Start an update: actors are read afresh (each update runs in its own task, with its own context)."""
    _seen.set({})


async def actor_of(app: App, inc: Incoming) -> Actor:
    """The actor behind an incoming message, as the store and LOA_ADMINS say now."""
    seen = _seen.get()
    if seen is not None and inc.actor in seen:
        return seen[inc.actor]
    who = await read_actor(app, inc)
    if seen is not None:
        seen[inc.actor] = who
    return who


def permitted(who: Actor, role: str) -> bool:
    """Whether ``who`` may use what needs ``role`` (an officer also needs a scope)."""
    if not who.at_least(role):
        return False
    return role not in (OFFICER, ADMIN) or who.unit_code is not None


async def read_actor(app: App, inc: Incoming) -> Actor:
    row = await app.db.people.user(inc.channel, inc.user_id)
    # The name confirmed at registration; the messenger's display name only for those who gave none.
    name = (row.name if row else "") or inc.display_name
    if app.is_admin(inc.actor):
        province = app.units.province.code if app.units.units else None
        return Actor(inc.actor, ADMIN, province, row.id if row else None, name)
    if row is None:
        return Actor(inc.actor, ANYONE, None, None, name)
    return Actor(inc.actor, row.role, row.unit_code, row.id, name)


def operator(app: App) -> Actor:
    """Whoever runs ``loa`` on the server: an admin of the whole province, as the audit log names them."""
    province = app.units.province.code if app.units.units else None
    return Actor(OPERATOR, ADMIN, province, None, "")
