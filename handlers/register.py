"""Registration with an invite code (/dangky CODE, or /start CODE from a deep link) and invites (/moi)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from bot import texts
from bot.app import App
from bot.auth import ADMIN, OFFICER, PROPAGANDIST, actor_of
from bot.core import Button, Incoming, Reply
from bot.store import DialogState, utc_stamp
from bot.units import core_name

FLOW = "register"
PREFIX = "reg"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
_ROLE_WORDS = {
    "tuyentruyenvien": PROPAGANDIST,
    "ttv": PROPAGANDIST,
    "propagandist": PROPAGANDIST,
    "canbo": OFFICER,
    "officer": OFFICER,
}


class InviteError(ValueError):
    """A bad invite request; the message is for the user."""


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


async def issue_invite(app: App, role: str, unit_code: str, uses: int, days: int | None, by: str) -> dict:
    """Create an invite (shared by `loa invite create` and /moi); raise InviteError on bad input."""
    role = _ROLE_WORDS.get(role.lower(), role.lower())
    if role not in (PROPAGANDIST, OFFICER):
        raise InviteError(texts.INVITE_BAD_ROLE)
    unit = app.units.get(unit_code)
    if unit is None:
        raise InviteError(texts.INVITE_BAD_UNIT.format(unit=unit_code))
    if role == OFFICER and unit.level == "village":
        raise InviteError(texts.INVITE_OFFICER_UNIT)
    if not 1 <= uses <= 1000 or (days is not None and not 1 <= days <= 365):
        raise InviteError(texts.INVITE_BAD_NUMBER)
    expires = utc_stamp(datetime.now(UTC) + timedelta(days=days)) if days else None
    code = new_code()
    await app.store.create_invite(code, role, unit.code, uses, expires, by)
    await app.store.audit(
        by, "invite.create", {"code": code, "role": role, "unit": unit.code, "uses": uses, "expires": expires}
    )
    return {"code": code, "role": role, "unit": unit, "uses": uses, "expires": expires}


def describe_invite(invite: dict) -> str:
    return texts.INVITE_CREATED.format(
        code=invite["code"],
        role=texts.ROLE_NAMES[invite["role"]],
        unit=invite["unit"].label,
        uses=invite["uses"],
        expires=invite["expires"] or texts.NO_EXPIRY,
    )


async def on_invite_command(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/moi ROLE UNIT [USES] [DAYS] — admins only."""
    who = await actor_of(app, inc)
    if who.role != ADMIN:
        return [Reply(texts.NOT_ALLOWED.format(command="/moi", role=texts.ROLE_NAMES[ADMIN]))]
    parts = args.split()
    if len(parts) < 2 or not all(p.isdigit() for p in parts[2:4]):
        return [Reply(texts.INVITE_USAGE)]
    uses = int(parts[2]) if len(parts) > 2 else 1
    days = int(parts[3]) if len(parts) > 3 else None
    try:
        invite = await issue_invite(app, parts[0], parts[1], uses, days, inc.actor)
    except InviteError as exc:
        return [Reply(str(exc))]
    return [Reply(describe_invite(invite))]


async def on_register(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/dangky CODE (and /start CODE): check the invite, then confirm name and village."""
    if inc.chat_type != "private":
        return [Reply(texts.PRIVATE_ONLY.format(command="/dangky"))]
    code = args.strip().upper()
    if not code:
        return [Reply(texts.REGISTER_USAGE)]
    invite = await app.store.invite(code)
    if invite is None:
        return [Reply(texts.INVITE_UNKNOWN.format(code=code))]
    if invite["expires_at"] and invite["expires_at"] < utc_stamp():
        return [Reply(texts.INVITE_EXPIRED.format(code=code))]
    if invite["uses_left"] <= 0:
        return [Reply(texts.INVITE_USED_UP.format(code=code))]
    unit = app.units.get(invite["unit_code"])
    data = {"code": code, "role": invite["role"], "unit": invite["unit_code"], "name": inc.display_name}
    await app.store.set_dialog(inc.channel, inc.chat_id, inc.user_id, DialogState(FLOW, "name", data))
    text = texts.REGISTER_CONFIRM_NAME.format(
        role=texts.ROLE_NAMES[invite["role"]],
        unit=unit.label if unit else invite["unit_code"],
        name=inc.display_name or "?",
    )
    buttons = [
        [
            Button(texts.BUTTON_YES, f"{PREFIX}:name-ok"),
            Button(texts.BUTTON_OTHER_NAME, f"{PREFIX}:name-edit"),
        ]
    ]
    if not inc.display_name:
        return [Reply(texts.REGISTER_TYPE_NAME)]
    return [Reply(text, buttons=buttons)]


async def on_button(app: App, inc: Incoming, arg: str) -> list[Reply]:
    state = await app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
    if state is None or state.flow != FLOW:
        return [Reply(texts.STALE_BUTTON)]
    if arg == "name-ok":
        return await _after_name(app, inc, state)
    if arg == "name-edit":
        state.step = "name-typed"
        await app.store.set_dialog(inc.channel, inc.chat_id, inc.user_id, state)
        return [Reply(texts.REGISTER_TYPE_NAME)]
    if arg == "village-other":
        state.step = "village-typed"
        await app.store.set_dialog(inc.channel, inc.chat_id, inc.user_id, state)
        return [Reply(texts.REGISTER_TYPE_VILLAGE)]
    if arg.startswith("village:"):
        unit = app.units.get(arg.partition(":")[2])
        if unit is None:
            return [Reply(texts.STALE_BUTTON)]
        state.data["unit"] = unit.code
        return await _finish(app, inc, state)
    return [Reply(texts.STALE_BUTTON)]


async def on_text(app: App, inc: Incoming, state: DialogState) -> list[Reply]:
    """Typed answers during registration: a name, or a village name."""
    text = inc.text.strip()
    if state.step in ("name", "name-typed"):
        if not 2 <= len(text) <= 60:
            return [Reply(texts.REGISTER_BAD_NAME)]
        state.data["name"] = text
        return await _after_name(app, inc, state)
    if state.step in ("village", "village-typed"):
        commune = app.units.get(state.data["commune"])
        found = app.units.find(text, within=commune.code if commune else None)
        if not found:
            found = app.units.find(text)
        if len(found) == 1 or (found and _exact(found[0].name, text)):
            state.data["unit"] = found[0].code
            return await _finish(app, inc, state)
        buttons = [[Button(u.label, f"{PREFIX}:village:{u.code}")] for u in found]
        buttons.append([Button(texts.BUTTON_OTHER_PLACE, f"{PREFIX}:village-other")])
        return [Reply(texts.REGISTER_VILLAGE_UNKNOWN.format(text=text), buttons=buttons)]
    return []


def _exact(name: str, text: str) -> bool:
    return core_name(name) == core_name(text)


async def _after_name(app: App, inc: Incoming, state: DialogState) -> list[Reply]:
    unit = app.units.get(state.data["unit"])
    if state.data["role"] == PROPAGANDIST and unit is not None and unit.level == "commune":
        villages = app.units.villages(unit.code)
        state.step = "village"
        state.data["commune"] = unit.code
        await app.store.set_dialog(inc.channel, inc.chat_id, inc.user_id, state)
        buttons = [[Button(v.name, f"{PREFIX}:village:{v.code}")] for v in villages]
        buttons.append([Button(texts.BUTTON_OTHER_PLACE, f"{PREFIX}:village-other")])
        return [Reply(texts.REGISTER_CHOOSE_VILLAGE.format(commune=unit.name), buttons=buttons)]
    return await _finish(app, inc, state)


async def _finish(app: App, inc: Incoming, state: DialogState) -> list[Reply]:
    data = state.data
    if not await app.store.use_invite(data["code"]):
        await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
        return [Reply(texts.INVITE_USED_UP.format(code=data["code"]))]
    await app.store.set_role(inc.channel, inc.user_id, data["role"], data["unit"], data["name"])
    # Registered people get the talking points in their private chat unless they opt out (/huynhan).
    await app.store.set_subscribed(inc.channel, inc.chat_id, True)
    await app.store.audit(
        inc.actor, "register", {"code": data["code"], "role": data["role"], "unit": data["unit"]}
    )
    await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
    unit = app.units.get(data["unit"])
    template = texts.REGISTER_DONE_OFFICER if data["role"] == OFFICER else texts.REGISTER_DONE
    return [
        Reply(
            template.format(
                name=data["name"],
                role=texts.ROLE_NAMES[data["role"]],
                unit=unit.label if unit else data["unit"],
            )
        )
    ]
