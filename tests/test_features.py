"""Features declare themselves: the router, the help text and the command menus are collected from the
declarations, the role is checked once from them, and button data is typed and checked when built."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot import texts
from bot.app import App
from bot.auth import OFFICER
from bot.buttons import ButtonData, ButtonDataError, Choice, Int, Token
from bot.core import Incoming, Reply
from bot.errors import NotAllowed
from bot.feature import Buttons, Command, Feature
from bot.router import ROUTES, Router, Routes
from handlers import features
from handlers.admin import HELP_THONGKE
from handlers.register import HELP_MOI
from handlers.report import HELP_BAOCAO
from tests.helpers import register_person


def _msg(text: str = "", data: str | None = None, user: str = "u1", chat_type: str = "private") -> Incoming:
    return Incoming("console", "c-" + user, user, chat_type, text=text, data=data, display_name="Lò Văn A")


async def test_a_new_feature_is_one_declaration(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command, the words for it, a button, a help line and a menu line: declared once, used everywhere."""
    seen: list[Any] = []

    async def weather(app: App, inc: Incoming, args: str) -> list[Reply]:
        return [Reply("nắng", buttons=[[LOOK.button("xem", "today", 3)]])]

    async def look(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
        seen.append(values)
        return [Reply("đã xem")]

    LOOK = ButtonData("wx", [Choice("today", "week"), Int(1, 9)])
    line = "• /thoitiet — thời tiết"
    extra = Feature(
        "weather", 99,
        commands=(Command("thoitiet", weather, bare=("thoitiet",), help=line, menu="Thời tiết"),),
        buttons=(Buttons(LOOK, look),),
    )  # fmt: skip
    shipped = features()
    monkeypatch.setattr("handlers.features", lambda: (*shipped, extra))  # as if it were a module of handlers/
    router = Router(app, Routes((*shipped, extra)))
    [reply] = await router.handle(_msg("Thời tiết!"))
    assert reply.text == "nắng" and reply.options()[0].data == "wx:today:3"
    [pressed] = await router.handle(_msg(data="wx:today:3"))
    assert pressed.text == "đã xem" and seen == [("today", 3)]
    [forged] = await router.handle(_msg(data="wx:today:99"))
    assert forged.text == texts.STALE_BUTTON and len(seen) == 1
    [helped] = await router.handle(_msg("/trogiup"))
    assert line in helped.text
    assert ("thoitiet", "Thời tiết") in router.routes.menu("private")


async def test_the_declared_role_is_checked_before_the_handler_runs(app: App, router: Router) -> None:
    ran: list[str] = []

    async def secret(app: App, inc: Incoming, args: str) -> list[Reply]:
        ran.append(inc.user_id)
        return [Reply("bí mật")]

    extra = Feature("secret", 99, commands=(Command("bimat", secret, role=OFFICER, private=True),))
    guarded = Router(app, Routes((*features(), extra)))
    [refused] = await guarded.handle(_msg("/bimat", user="stranger"))
    assert refused.text == texts.NOT_ALLOWED.format(command="/bimat", role=texts.ROLE_NAMES[OFFICER])
    await register_person(app, router, "o1", role="officer", unit="12-003")
    [in_group] = await guarded.handle(Incoming("telegram", "-9", "o1", "group", text="/bimat"))
    assert in_group.text == texts.PRIVATE_ONLY.format(command="/bimat")
    [allowed] = await guarded.handle(Incoming("telegram", "co1", "o1", "private", text="/bimat"))
    assert allowed.text == "bí mật" and ran == ["o1"]


async def test_a_refusal_from_a_use_case_is_its_one_line_in_chat(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """Any handler may let a use case's refusal through: the chat shows its line, no error is logged."""

    async def refuses(app: App, inc: Incoming, args: str) -> list[Reply]:
        raise NotAllowed("Việc này cần cán bộ xã.")

    router = Router(app, Routes((*features(), Feature("refuse", 99, commands=(Command("tuchoi", refuses),)))))
    with caplog.at_level(logging.ERROR):
        [reply] = await router.handle(_msg("/tuchoi"))
    assert reply.text == "Việc này cần cán bộ xã."
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_menus_and_help_come_from_the_declarations() -> None:
    private = [name for name, _ in ROUTES.menu("private")]
    group = [name for name, _ in ROUTES.menu("group")]
    assert private == ["hoi", "chude", "thongdiep", "bantin", "trogiup", "start"]
    assert group == ["hoi", "chude", "thongdiep", "bantin", "trogiup"]
    declared = {c.name for f in features() for c in f.commands}
    assert {"baocao", "huy", "phatthanh", "dangkynhan", "sukien", "moi"} <= declared
    assert ROUTES.bare_command("Báo cáo!") == "baocao" and ROUTES.bare_command("thôi") == "huy"


async def test_help_lists_what_the_person_may_use(app: App, router: Router) -> None:
    [everyone] = await router.handle(_msg("/trogiup", user="newcomer"))
    assert HELP_BAOCAO in everyone.text and HELP_THONGKE not in everyone.text
    await register_person(app, router, "o2", role="officer", unit="12-003")
    [officer] = await router.handle(Incoming("telegram", "co2", "o2", "private", text="/trogiup"))
    assert HELP_THONGKE in officer.text and HELP_MOI not in officer.text


def test_button_data_is_typed_and_checked_when_built() -> None:
    data = ButtonData("t", [Token(), Int(1, 999)])
    assert data.pack("tinh-lai-chau", 2) == "t:tinh-lai-chau:2"
    assert data.unpack("t:tinh-lai-chau:2") == ("tinh-lai-chau", 2)
    with pytest.raises(ButtonDataError, match="64 bytes"):
        ButtonData("t", [Token(max_len=80)]).pack("x" * 70)
    with pytest.raises(ButtonDataError):
        data.pack("a:b", 1)  # a separator inside a value
    with pytest.raises(ButtonDataError):
        data.pack("x", 0)  # out of bounds


@pytest.mark.parametrize(
    "forged",
    [
        "t:x:99999999999999999999",
        "t:x:²",
        "t:x:-1",
        "t:x:1e3",
        "t:../etc:1",
        "t:x:1:extra",
        "u:x:1",
        "t",
        "t:x:",
    ],
)
def test_forged_button_data_unpacks_to_nothing(forged: str) -> None:
    assert ButtonData("t", [Token(), Int(1, 999)]).unpack(forged) is None


def test_every_feature_button_fits_and_every_command_is_unique() -> None:
    names = [c.name for f in features() for c in f.commands]
    assert len(names) == len(set(names))
    prefixes = [b.data.prefix for f in features() for b in f.buttons]
    dialogs = [f.dialog.prefix for f in features() if f.dialog is not None]
    assert len(prefixes + dialogs) == len(set(prefixes + dialogs))
