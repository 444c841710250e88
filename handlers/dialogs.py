"""The dialog engine with every dialog Loa has (see :mod:`bot.dialog`)."""

from __future__ import annotations

from bot.dialog import Engine
from handlers import admin, register, report
from handlers.ask import escape

ENGINE = Engine([register.DIALOG, report.DIALOG, admin.BROADCAST_DIALOG], escape)
