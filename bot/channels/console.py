"""The terminal channel: a prompt on a terminal, or one message per line from a pipe.

No buttons: choices are numbered by the shared renderer (:mod:`bot.channels.render`), as on Zalo.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot.channels.render import Rendered, render_numbered, respond
from bot.core import Incoming, Reply
from bot.router import Router

# -- what it says --------------------------------------------------------------------------------------------
CONSOLE_INTRO = (
    "Loa — trò chuyện trong cửa sổ lệnh. Gõ câu hỏi rồi Enter; gõ số để chọn nút; Ctrl-D để thoát."
)
CONSOLE_PROMPT = "bạn> "
CONSOLE_FILE = "📎 Tệp «{filename}»: trong cửa sổ lệnh, lấy tệp bằng «loa report export»."
CONSOLE_NO_VOICE = "🔊 Cửa sổ lệnh không phát âm thanh; tệp MP3: «loa bulletin make … -o bantin.mp3»."


def _reader(stdin: TextIO) -> asyncio.Queue[str]:
    """Lines of stdin on a queue, read by a daemon thread ("" at the end of input).

    A daemon thread rather than the loop's executor: a blocked read must not keep Ctrl-C from exiting.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def pump() -> None:
        while True:
            try:
                line = stdin.readline()
            except (OSError, ValueError):
                line = ""
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="stdin", daemon=True).start()
    return queue


CHANNEL = "console"
MAX_TEXT = 100_000  # a terminal takes any length


def render(replies: list[Reply]) -> Rendered:
    """The replies as the terminal shows them: the shared numbered renderer, files as a note."""
    return render_numbered(replies, MAX_TEXT, CONSOLE_FILE, CONSOLE_NO_VOICE)


async def chat(
    router: Router,
    user: str = "local",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Talk to the bot as ``console:<user>`` until end of input; a number picks a choice shown last (several
    numbers, several choices where a step takes several)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        print(CONSOLE_INTRO, file=stdout)
    app = router.app
    lines = _reader(stdin)
    while True:
        if interactive:
            print(CONSOLE_PROMPT, end="", file=stdout, flush=True)
        line = await lines.get()
        if not line:
            break
        text = line.rstrip("\r\n")

        async def handle(data: str | None, text: str = text) -> list[Reply]:
            typed = "" if data else text
            return await router.handle(
                Incoming(CHANNEL, user, user, "private", text=typed, data=data, display_name=user)
            )

        messages = await respond(
            app, CHANNEL, user, user, text, handle, MAX_TEXT, CONSOLE_FILE, CONSOLE_NO_VOICE
        )
        if messages:
            print(("loa> " if interactive else "") + "\n\n".join(messages), file=stdout, flush=True)
        if not interactive:
            print(file=stdout)
    if interactive:
        print(file=stdout)
    return 0
