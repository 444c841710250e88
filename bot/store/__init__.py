"""The store: one :class:`Database` (the connection, its write lock, the migrations) and one module per
aggregate — people and chats, reports, dialogs and choices, the question log, invites, the audit log,
broadcasts and deliveries — each with typed rows."""

from bot.clock import utc_stamp
from bot.store.database import Database, StoreError, Tx, Written, migrations
from bot.store.dialogs import DialogState

__all__ = ["Database", "DialogState", "StoreError", "Tx", "Written", "migrations", "utc_stamp"]
