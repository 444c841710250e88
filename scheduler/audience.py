"""Who receives a broadcast: the subscribed chats an event's or an officer's audience selects."""

from __future__ import annotations

from typing import Any

from bot.app import App
from bot.content import Audience


async def select(app: App, audience: Audience) -> list[dict[str, Any]]:
    """Active subscribed chats matching ``audience`` (everyone, or by the people's roles and by units)."""
    chats = await app.store.subscribers()
    out = []
    for chat in chats:
        if audience.roles and chat["user_role"] not in audience.roles:
            continue
        if audience.units and not any(app.units.in_scope(chat["scope_unit"], u) for u in audience.units):
            continue
        out.append(chat)
    return out
