"""/web: an officer's one-time link to the web console (:mod:`bot.web.auth`), in a private chat only."""

from __future__ import annotations

from bot import texts
from bot.app import App
from bot.auth import OFFICER
from bot.core import Incoming, Reply
from bot.feature import Command, Feature


async def on_web(app: App, inc: Incoming, args: str) -> list[Reply]:
    # Imported here: bot.web brings Starlette, which a bot without the web console never needs.
    from bot.web.auth import LinkRefused, issue_link

    try:
        url = await issue_link(app, inc.actor)
    except LinkRefused:
        return [Reply(texts.NOT_ALLOWED.format(command="/web", role=texts.ROLE_NAMES[OFFICER]))]
    return [Reply(texts.WEB_LINK_SENT.format(url=url))]


FEATURE = Feature(
    name="web",
    order=90,
    commands=(Command("web", on_web, role=OFFICER, private=True, help=texts.HELP_WEB),),
)
