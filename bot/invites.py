"""Invites: the one way an invite code is made, from chat (/moi) or `loa invite create`."""

from __future__ import annotations

import secrets
from datetime import timedelta, tzinfo
from typing import Any

from bot import texts
from bot.app import App
from bot.auth import OFFICER, PROPAGANDIST
from bot.clock import shown, utc_stamp
from bot.errors import BadInput

# -- what it says --------------------------------------------------------------------------------------------
INVITE_BAD_ROLE = "Vai trò phải là tuyentruyenvien (propagandist) hoặc canbo (officer)."
INVITE_BAD_NUMBER = "Số lượt phải từ 1 đến 1000 và số ngày từ 1 đến 365."
INVITE_OFFICER_UNIT = "Cán bộ phụ trách cả tỉnh hoặc một xã/phường, không phải thôn/bản."
INVITE_CREATED = (
    "Mã mời: {code}\nVai trò: {role}, {unit}\nSố lượt: {uses}; hết hạn: {expires}\n"
    "Người được mời gõ: /dangky {code}"
)
NO_EXPIRY = "không hạn"

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
_ROLE_WORDS = {
    "tuyentruyenvien": PROPAGANDIST,
    "ttv": PROPAGANDIST,
    "propagandist": PROPAGANDIST,
    "canbo": OFFICER,
    "officer": OFFICER,
}


class InviteError(BadInput, ValueError):
    """A bad invite request; the message is for the user."""


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


async def issue_invite(
    app: App, role: str, unit_code: str, uses: int, days: int | None, by: str
) -> dict[str, Any]:
    """Create an invite (shared by `loa invite create` and /moi); raise InviteError on bad input."""
    role = _ROLE_WORDS.get(role.lower(), role.lower())
    if role not in (PROPAGANDIST, OFFICER):
        raise InviteError(INVITE_BAD_ROLE)
    unit = app.units.get(unit_code)
    if unit is None:
        raise InviteError(texts.INVITE_BAD_UNIT.format(unit=unit_code[:20]))
    if role == OFFICER and unit.level == "village":
        raise InviteError(INVITE_OFFICER_UNIT)
    if not 1 <= uses <= 1000 or (days is not None and not 1 <= days <= 365):
        raise InviteError(INVITE_BAD_NUMBER)
    expires = utc_stamp(app.clock() + timedelta(days=days)) if days else None
    code = new_code()
    await app.db.invites.create(code, role, unit.code, uses, expires, by)
    await app.db.audit.add(
        by, "invite.create", {"code": code, "role": role, "unit": unit.code, "uses": uses, "expires": expires}
    )
    return {"code": code, "role": role, "unit": unit, "uses": uses, "expires": expires}


def describe_invite(invite: dict[str, Any], zone: tzinfo) -> str:
    """The invite as its maker reads it, the expiry in local time."""
    return INVITE_CREATED.format(
        code=invite["code"],
        role=texts.ROLE_NAMES[invite["role"]],
        unit=invite["unit"].label,
        uses=invite["uses"],
        expires=shown(invite["expires"], zone) if invite["expires"] else NO_EXPIRY,
    )
