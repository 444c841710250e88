"""/thongdiep: the key messages, short enough to read out at a village meeting."""

from __future__ import annotations

from bot.app import App
from bot.core import Incoming, Reply
from bot.feature import Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_THONGDIEP = "• /thongdiep — các thông điệp chính để nói ngắn gọn ở buổi họp."
KEY_MESSAGES_HEADER = "Thông điệp chính (đọc ngắn gọn ở buổi họp thôn, bản):"
MENU_THONGDIEP = "Thông điệp chính"


async def show(app: App, inc: Incoming, args: str) -> list[Reply]:
    lines = [KEY_MESSAGES_HEADER]
    for i, msg in enumerate(app.content.key_messages, 1):
        cite = app.content.cite(msg.source, app.today())
        lines.append(f"{i}. {msg.title}\n{msg.text}\n({cite})")
    return [Reply("\n\n".join(lines))]


FEATURE = Feature(
    name="key_messages",
    order=30,
    commands=(
        Command("thongdiep", show, bare=("thongdiep",), help=HELP_THONGDIEP, menu=MENU_THONGDIEP,
                group_menu=MENU_THONGDIEP),
    ),
)  # fmt: skip
