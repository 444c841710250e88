"""The officers' web console: Starlette + Jinja2, served by uvicorn in the bot's own event loop and database.

Chosen over aiohttp.web because its request/response, form parsing (python-multipart) and Jinja2 templates
(autoescaped) are what the pages need with no glue, and uvicorn runs it inside the running loop. Pages are
rendered on the server, no JavaScript; every asset is served from ``static/`` (the console may run on an
intranet with a poor link). Role and scope are checked on every page and action, the rules of the chat; every
action goes to the audit log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.app import App
from bot.errors import Unavailable
from bot.logins import LoginThrottle
from bot.web import texts as webtexts

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


class Number(Convertor[int]):
    """A row's number in a path: at most 12 digits (what the database can hold); longer is no page (404)."""

    regex = "[0-9]{1,12}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("number", Number())


def create(app: App) -> Starlette:
    """The console's ASGI application for ``app``."""
    from bot.web import pages

    routes = [
        Route("/dang-nhap", pages.login_page),
        Route("/dang-nhap/{token}", pages.login_with_link),
        Route("/dang-xuat", pages.logout, methods=["POST"]),
        Route("/", pages.overview),
        Route("/bieu-do.png", pages.chart),
        Route("/bao-cao", pages.report_list),
        Route("/bao-cao/tai-ve", pages.report_download),
        Route("/bao-cao/{id:number}", pages.report_detail),
        Route("/bao-cao/{id:number}/nhan", pages.report_accept, methods=["POST"]),
        Route("/bao-cao/{id:number}/tra-lai", pages.report_return, methods=["POST"]),
        Route("/cau-hoi", pages.inbox_page),
        Route("/cau-hoi/{id:number}/{action}", pages.inbox_action, methods=["POST"]),
        Route("/du-luan", pages.opinion_page),
        Route("/du-luan/bieu-do.png", pages.opinion_chart),
        Route("/du-luan/tai-ve", pages.opinion_download),
        Route("/noi-dung", pages.content_page),
        Route("/noi-dung/tai-len", pages.content_upload, methods=["POST"]),
        Route("/noi-dung/nhap/{token}", pages.content_confirm, methods=["POST"]),
        Route("/noi-dung/van-ban/{doc}", pages.document_validity, methods=["POST"]),
        Route("/noi-dung/hoi-dap", pages.faq_list),
        Route("/noi-dung/hoi-dap/{entry}", pages.faq_entry, methods=["GET", "POST"]),
        Route("/phat-thanh", pages.broadcast_page),
        Route("/phat-thanh/xem-truoc", pages.broadcast_preview, methods=["POST"]),
        Route("/phat-thanh/gui", pages.broadcast_send, methods=["POST"]),
        Route("/phat-thanh/sua", pages.broadcast_edit, methods=["POST"]),
        Route("/phat-thanh/{id:number}/huy", pages.broadcast_cancel, methods=["POST"]),
        Route("/ban-tin", pages.bulletin_page),
        Route("/ban-tin/soan", pages.bulletin_build, methods=["POST"]),
        Route("/ban-tin/nghe", pages.bulletin_listen, methods=["POST"]),
        Route("/ban-tin/gui", pages.bulletin_send, methods=["POST"]),
        Route("/ban-tin/am-thanh/{key:str}.{fmt:str}", pages.bulletin_file),
        Route("/nhat-ky", pages.audit_page),
        Mount("/tinh", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    web = Starlette(routes=routes, exception_handlers=pages.ERRORS)
    web.state.loa = app
    web.state.login_throttle = LoginThrottle()
    return web


class WebStartError(Unavailable):
    """The console cannot listen (the port is taken, the address is not this machine's); one line."""


def check_free(host: str, port: int) -> None:
    """Fail in one line now if the address cannot be listened on (uvicorn would exit the whole process)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise WebStartError(
            webtexts.WEB_CANNOT_LISTEN.format(host=host, port=port, reason=exc.strerror)
        ) from None


async def serve(app: App, stop: asyncio.Event) -> None:
    """Serve the console on LOA_WEB_LISTEN:LOA_WEB_PORT until ``stop`` is set; WebStartError if it cannot."""
    import uvicorn

    settings = app.settings
    check_free(settings.web_listen, settings.web_port or 8080)
    config = uvicorn.Config(
        create(app),
        host=settings.web_listen,
        port=settings.web_port or 8080,
        log_level="warning",
        access_log=False,  # paths carry login tokens: never logged
        lifespan="off",
        proxy_headers=True,
    )

    class QuietServer(uvicorn.Server):
        """uvicorn's server without its own signal handlers: ``loa run`` owns SIGINT and SIGTERM."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    server = QuietServer(config)
    task = asyncio.create_task(server.serve())
    log.info("web console on %s:%s", settings.web_listen, settings.web_port or 8080)
    try:
        await stop.wait()
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
