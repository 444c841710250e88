"""Subscriptions to the scheduled talking points: who may subscribe a chat, to what, and the officer's digest.

A person opts in for their own chat. A group is subscribed by its admin (the public talking points only) or
bound to a unit by an officer of that unit: officers' broadcasts reach only groups an officer bound, so no
group admin binds a group to a unit and no officer binds one outside their scope. Audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.app import App
from bot.auth import OFFICER, PROPAGANDIST, Actor
from bot.errors import NotAllowed, NotFound
from bot.units import Unit

# -- what it says --------------------------------------------------------------------------------------------
SUBSCRIBE_NEEDS_ADMIN = "Chỉ quản trị viên của nhóm hoặc cán bộ mới đăng ký nhận tin cho nhóm."
SUBSCRIBE_NEEDS_UNIT = "Xin ghi mã đơn vị của nhóm, ví dụ: /dangkynhan 12-003"
AUDIO_NEEDS_SUBSCRIPTION = "Chat này chưa đăng ký nhận điểm tin; gõ /dangkynhan trước, rồi /amthanh."
AUDIO_NEEDS_ADMIN = "Chỉ quản trị viên của nhóm hoặc cán bộ mới chọn nhận bản tin âm thanh cho nhóm."
SUBSCRIBE_OUT_OF_SCOPE = (
    "«{unit}» ngoài phạm vi phụ trách của đồng chí; chỉ gắn nhóm với đơn vị mình phụ trách."
)


@dataclass(frozen=True)
class Chat:
    """The chat a subscription is for, as its channel tells it."""

    channel: str
    chat_id: str
    user_id: str
    private: bool
    group_admin: bool = False  # the sender administers the group


class Kind(StrEnum):
    PERSON = "person"  # a registered person's own chat
    PUBLIC_PERSON = "public_person"  # someone not registered: the public talking points
    GROUP_PUBLIC = "group_public"  # a group, public talking points only
    GROUP_UNBOUND = "group_unbound"  # a group admin asked for a unit: public only, an officer binds
    GROUP_UNIT = "group_unit"  # a group bound to a unit by its officer


@dataclass(frozen=True)
class Subscription:
    kind: Kind
    unit: Unit | None = None
    digest: bool = False  # an officer's weekly digest started (or stopped) with it


async def subscribe(app: App, who: Actor, chat: Chat, unit_code: str = "") -> Subscription:
    """Subscribe ``chat``; NotAllowed or NotFound, with the line to show, when it may not be."""
    if chat.private:
        await app.db.people.set_subscribed(chat.channel, chat.chat_id, True)
        digest = who.role == OFFICER
        if digest:
            await app.db.people.set_digest(chat.channel, chat.user_id, True)
        return Subscription(Kind.PERSON if who.at_least(PROPAGANDIST) else Kind.PUBLIC_PERSON, digest=digest)
    officer = who.at_least(OFFICER) and who.unit_code is not None
    if not (chat.group_admin or officer):
        raise NotAllowed(SUBSCRIBE_NEEDS_ADMIN)
    detail = {"chat": f"{chat.channel}:{chat.chat_id}", "unit": None}
    if not officer:
        await app.db.people.set_subscribed(chat.channel, chat.chat_id, True, chat_type="group")
        await app.db.audit.add(who.key, "subscribe", detail)
        return Subscription(Kind.GROUP_UNBOUND if unit_code else Kind.GROUP_PUBLIC)
    unit = app.units.get(unit_code or who.unit_code)
    if unit is None:
        raise NotFound(SUBSCRIBE_NEEDS_UNIT)
    if not app.units.in_scope(unit.code, who.unit_code):
        raise NotAllowed(SUBSCRIBE_OUT_OF_SCOPE.format(unit=unit.label))
    await app.db.people.set_subscribed(
        chat.channel, chat.chat_id, True, unit_code=unit.code, chat_type="group", bound_by=who.key
    )
    await app.db.audit.add(who.key, "subscribe", detail | {"unit": unit.code})
    return Subscription(Kind.GROUP_UNIT, unit)


async def unsubscribe(app: App, who: Actor, chat: Chat) -> Subscription:
    """Stop the talking points in ``chat`` (and an officer's digest with their own); a group needs its admin
    or an officer."""
    if not chat.private:
        if not (chat.group_admin or who.at_least(OFFICER)):
            raise NotAllowed(SUBSCRIBE_NEEDS_ADMIN)
        await app.db.audit.add(who.key, "unsubscribe", {"chat": f"{chat.channel}:{chat.chat_id}"})
    kind = "private" if chat.private else "group"
    await app.db.people.set_subscribed(chat.channel, chat.chat_id, False, chat_type=kind)
    digest = chat.private and who.role == OFFICER
    if digest:
        await app.db.people.set_digest(chat.channel, chat.user_id, False)
    return Subscription(Kind.PERSON if chat.private else Kind.GROUP_PUBLIC, digest=digest)


async def set_audio(app: App, who: Actor, chat: Chat, on: bool) -> None:
    """Whether ``chat``'s talking points come with the bulletin's audio too (a voice message for the village
    loudspeaker): the person for their own chat, the group's admin or an officer for a group; audited."""
    if not chat.private and not (chat.group_admin or who.at_least(OFFICER)):
        raise NotAllowed(AUDIO_NEEDS_ADMIN)
    if not await app.db.people.set_audio(chat.channel, chat.chat_id, on):
        raise NotFound(AUDIO_NEEDS_SUBSCRIPTION)
    await app.db.audit.add(who.key, "subscribe.audio", {"chat": f"{chat.channel}:{chat.chat_id}", "on": on})
