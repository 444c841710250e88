"""/start (with a deep link's invite code: registration) and /trogiup, its menu buttons, and the help text
collected from every feature's declarations."""

from __future__ import annotations

from typing import Any

import handlers
from bot import texts
from bot.app import App
from bot.auth import RANK, actor_of
from bot.core import Incoming, Reply
from bot.feature import Buttons, Command, Feature
from handlers import key_messages, topics
from handlers.menu import MENU, MENU_BUTTON, welcome
from handlers.register import on_register

# -- what it says --------------------------------------------------------------------------------------------
# /trogiup: the head, a line for each command the person may use (declared with the command), the tail.
HELP_HEAD = (
    "Cách dùng Loa:\n"
    "• Gõ câu hỏi bất kỳ về hướng dẫn tuyên truyền kết quả kinh tế - xã hội năm 2023, nhiệm vụ năm 2024 "
    "(không dấu, viết tắt đều được: kt-xh, ubnd, ko, dc...)."
)
HELP_TAIL = (
    "Trong tin nhắn riêng có thể gõ chữ thay lệnh, ví dụ «báo cáo», «hủy», «chủ đề».\n"
    "Mỗi câu trả lời đều ghi nguồn (văn bản, mục) để đồng chí đối chiếu."
)
HELP_TROGIUP = "• /trogiup — xem lại hướng dẫn này."
MENU_TROGIUP = "Cách dùng Loa"
MENU_START = "Bắt đầu"


async def start(app: App, inc: Incoming, args: str) -> list[Reply]:
    """The welcome; with an invite code (t.me/<bot>?start=CODE), registration too, in a private chat."""
    if not args:
        return welcome(inc)
    if inc.chat_type != "private":
        return [Reply(texts.PRIVATE_ONLY.format(command="/dangky"))]
    return welcome(inc) + await on_register(app, inc, args)


async def help_text(app: App, inc: Incoming, args: str) -> list[Reply]:
    """Every command the person may use, as its feature declares it."""
    who = await actor_of(app, inc)
    # Registration and reports are listed for everyone: they are how a newcomer becomes a propagandist.
    shown = max(RANK[who.role], RANK["propagandist"])
    lines = [HELP_HEAD]
    for feature in handlers.features():
        lines += [c.help for c in feature.commands if c.help and RANK[c.role] <= shown]
        lines += list(feature.help)
    lines.append(HELP_TAIL)
    return [Reply("\n".join(lines), buttons=MENU[:1])]


async def _menu_pressed(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    target = {"topics": topics.list_topics, "messages": key_messages.show}.get(values[0], help_text)
    return await target(app, inc, "")


FEATURE = Feature(
    name="help",
    order=90,
    commands=(
        Command("trogiup", help_text, bare=("trogiup",), help=HELP_TROGIUP, menu=MENU_TROGIUP,
                group_menu=MENU_TROGIUP),
        Command("help", help_text),
        Command("start", start, menu=MENU_START),
    ),
    buttons=(Buttons(MENU_BUTTON, _menu_pressed),),
)  # fmt: skip
