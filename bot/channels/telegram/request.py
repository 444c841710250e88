"""python-telegram-bot's HTTP requests over aiohttp's client instead of httpx.

Written here because python-telegram-bot ships only ``HTTPXRequest``; its ``BaseRequest`` is the documented
way to bring another client, and no kept package does it. Why another client: httpx with httpcore and anyio
costs most of an answer's CPU (each request scans the pool's connections, enters cancel scopes, takes
locks); the same sendMessage through aiohttp costs about a third (bench/telegram.py, the fake server on
127.0.0.1). What people get is the same: the requests, their timeouts, and python-telegram-bot's errors
(``TimedOut``, ``NetworkError``) whose messages never carry the URL, since it holds the bot's token.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """Requests to the Bot API through one aiohttp session of at most ``connections`` connections."""

    def __init__(
        self,
        connections: int = 1,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_write_timeout: float = 20.0,
    ):
        self._connections = connections
        self._read, self._write, self._connect, self._pool = (
            read_timeout,
            write_timeout,
            connect_timeout,
            pool_timeout,
        )
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request: (HTTP status, body); raise TimedOut or NetworkError as python-telegram-bot expects."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        read = _given(read_timeout, self._read)
        write = _given(write_timeout, self._media_write if files else self._write)
        connect = _given(connect_timeout, self._connect)
        pool = _given(pool_timeout, self._pool)
        # aiohttp times phases differently from httpx: the wait for a connection and the connect share one
        # limit, reading waits per chunk, and no write limit exists, so the whole request gets their sum.
        timeout = aiohttp.ClientTimeout(
            total=_sum(connect, pool, write, read),
            connect=_sum(connect, pool),
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut() from exc
        except aiohttp.ClientError as exc:
            # Only the kind: aiohttp's messages may name the URL, and the URL holds the token.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from None


def _given(value: ODVInput[float], default: float) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _sum(*parts: float | None) -> float | None:
    """A limit made of several: none if any of them is unlimited."""
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _body(request_data: RequestData | None, files: dict | None) -> aiohttp.FormData | dict[str, str] | None:
    """The parameters as a form (URL-encoded, as httpx sends them), or multipart when files go with them."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
