"""Login without passwords: an officer asks for a one-time link in chat (/web) or an admin prints one
(`loa web link`); the link, valid 10 minutes and once, opens a 12-hour session whose cookie is HttpOnly,
SameSite=Lax and Secure behind HTTPS. Every form carries the session's CSRF token; only hashes of the
secrets are stored.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.app import App
from bot.auth import OFFICER, Actor, permitted, read_actor
from bot.clock import utc_stamp
from bot.core import Incoming
from bot.errors import NotAllowed

# -- what it says --------------------------------------------------------------------------------------------
WEB_LINK_REFUSED = "{user} không phải cán bộ hay quản trị viên: không cấp đường dẫn đăng nhập"

LINK_MINUTES = 10
SESSION_HOURS = 12
COOKIE = "loa_session"
LOGIN_FAILURES = 10  # wrong login links an address may try …
LOGIN_WINDOW = timedelta(minutes=10)  # … within this time


class LinkRefused(NotAllowed):
    """Not someone who may use the console; the message is one line."""


async def actor_from(app: App, key: str) -> Actor:
    """The actor behind ``channel:user_id``, as the store and LOA_ADMINS say now (never a chat update's
    remembered one: a console request is not part of one)."""
    channel, _, user_id = key.partition(":")
    return await read_actor(app, Incoming(channel, user_id, user_id))


def base_url(app: App) -> str:
    settings = app.settings
    if settings.web_url:
        return settings.web_url.rstrip("/")
    return f"http://{settings.web_listen}:{settings.web_port or 8080}"


async def issue_link(app: App, key: str) -> str:
    """A one-time login link for an officer or admin; LinkRefused for anyone else."""
    who = await actor_from(app, key)
    if not permitted(who, OFFICER):
        raise LinkRefused(WEB_LINK_REFUSED.format(user=key))
    token = secrets.token_urlsafe(32)
    expires = utc_stamp(app.clock() + timedelta(minutes=LINK_MINUTES))
    await app.db.web.add_link(token, who.key, expires)
    await app.db.audit.add(who.key, "web.link", {})
    return f"{base_url(app)}/dang-nhap/{token}"


@dataclass
class Visitor:
    """Who is using the console, and the CSRF token of their session."""

    actor: Actor
    csrf: str
    session_id: str


async def open_session(app: App, token: str) -> tuple[str, Actor] | None:
    """Use a login link: (session id, actor), or None when it is used, expired or no longer an officer's."""
    key = await app.db.web.use_link(token, app.db.clock.stamp())
    if key is None:
        return None
    who = await actor_from(app, key)
    if not permitted(who, OFFICER):
        return None
    session_id = secrets.token_urlsafe(32)
    expires = utc_stamp(app.clock() + timedelta(hours=SESSION_HOURS))
    await app.db.web.add_session(session_id, who.key, secrets.token_urlsafe(24), expires)
    await app.db.audit.add(who.key, "web.login", {})
    return session_id, who


async def visitor(app: App, session_id: str | None) -> Visitor | None:
    """The visitor of a session cookie, checked against the store now (a demoted officer is out at once)."""
    if not session_id:
        return None
    found = await app.db.web.session(session_id, app.db.clock.stamp())
    if found is None:
        return None
    who = await actor_from(app, found.actor)
    if not permitted(who, OFFICER):
        return None
    return Visitor(who, found.csrf, session_id)


def csrf_ok(visitor: Visitor, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(visitor.csrf, sent or "")


@dataclass
class LoginThrottle:
    """Wrong login links per client address: past ``limit`` of them within ``window`` the address waits.

    Kept in memory per worker (a token of 256 bits is not guessed; this is the limit an auditor expects), and
    bounded: the addresses seen least recently are forgotten first.
    """

    limit: int = LOGIN_FAILURES
    window: timedelta = LOGIN_WINDOW
    addresses: int = 10_000
    _failures: OrderedDict[str, deque[datetime]] = field(default_factory=OrderedDict)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.get(address, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def wait(self, address: str, now: datetime) -> timedelta | None:
        """How long ``address`` must wait before trying a link again, or None."""
        times = self._recent(address, now)
        if len(times) < self.limit:
            return None
        return times[0] + self.window - now

    def failed(self, address: str, now: datetime) -> None:
        times = self._recent(address, now)
        times.append(now)
        self._failures[address] = times
        self._failures.move_to_end(address)
        while len(self._failures) > self.addresses:
            self._failures.popitem(last=False)
