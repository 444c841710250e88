"""/web: an officer's one-time link to the web console (:mod:`bot.logins`), in a private chat only."""

from __future__ import annotations

from bot import texts
from bot.app import App
from bot.auth import OFFICER
from bot.core import Incoming, Reply
from bot.feature import Command, Feature
from bot.logins import LinkRefused, issue_link

# -- what it says --------------------------------------------------------------------------------------------
HELP_WEB = "• /web — đường dẫn đăng nhập bảng điều khiển (dùng một lần, 10 phút)."
WEB_LINK_SENT = (
    "🔐 Đường dẫn đăng nhập bảng điều khiển (dùng một lần, trong 10 phút; đừng chuyển cho ai):\n{url}"
)


async def on_web(app: App, inc: Incoming, args: str) -> list[Reply]:
    try:
        url = await issue_link(app, inc.actor)
    except LinkRefused:
        return [Reply(texts.NOT_ALLOWED.format(command="/web", role=texts.ROLE_NAMES[OFFICER]))]
    return [Reply(WEB_LINK_SENT.format(url=url))]


FEATURE = Feature(
    name="web",
    order=90,
    commands=(Command("web", on_web, role=OFFICER, private=True, help=HELP_WEB),),
)
