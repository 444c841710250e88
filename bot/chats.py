"""What every channel tells the core about its chats, in one vocabulary: an update seen before, a chat that
blocked the bot or came back, a group that moved to a new id, and the choices a chat without buttons was
shown last (so that a number typed back picks one). An adapter says these in its messenger's words; the
rules and the store are here.
"""

from __future__ import annotations

from bot.app import App
from bot.clock import utc_stamp
from bot.store.dialogs import HANDLED_KEEP, Offered


async def first_time(app: App, channel: str, key: str) -> bool:
    """Whether update ``key`` is new; it is claimed here, so a repeat (a retry, another worker) is not."""
    return await app.db.dialogs.claim_update(channel, key)


async def forget_old_updates(app: App) -> int:
    """Forget the updates claimed longer ago than a messenger repeats one."""
    return await app.db.dialogs.forget_handled(utc_stamp(app.clock() - HANDLED_KEEP))


async def presence(
    app: App, channel: str, chat_id: str, present: bool, chat_type: str = "group", title: str = ""
) -> None:
    """The bot was added to (or removed from, blocked in) a chat: broadcasts go there again (or stop)."""
    await app.db.people.set_active(channel, chat_id, present, chat_type=chat_type, title=title)


async def moved(app: App, channel: str, old_id: str, new_id: str) -> None:
    """A group has a new id (Telegram's supergroup): its subscription and units follow it."""
    await app.db.people.migrate_chat(channel, old_id, new_id)


async def choices(app: App, channel: str, chat_id: str, user_id: str) -> Offered:
    """The choices (label key, button data) this person was shown last in this chat, and whether several
    may be picked at once."""
    return await app.db.dialogs.offered(channel, chat_id, user_id)


async def shown(
    app: App, channel: str, chat_id: str, user_id: str, options: list[tuple[str, str]], several: bool = False
) -> None:
    """Remember the choices just shown, in the database: a restart or another worker keeps their numbers."""
    await app.db.dialogs.set_options(channel, chat_id, user_id, options, several)
