"""The terminal channel: a prompt on a terminal, or one message per line from a pipe."""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import TextIO

from bot import texts
from bot.core import Incoming, Reply
from bot.router import Router


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


def render(replies: list[Reply]) -> tuple[str, list[str]]:
    """Text for the terminal, with buttons as numbered options; and the button data by number."""
    lines: list[str] = []
    options: list[str] = []
    for reply in replies:
        lines.append(reply.text)
        for button in reply.options():
            options.append(button.data)
            lines.append(f"  {len(options)}) {button.label}")
        if reply.attachment is not None:
            lines.append(f"  [tệp đính kèm: {reply.attachment.filename}]")
    return "\n".join(lines), options


async def chat(
    router: Router,
    user: str = "local",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Talk to the bot as ``console:<user>`` until end of input."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        print(texts.CONSOLE_INTRO, file=stdout)
    options: list[str] = []
    lines = _reader(stdin)
    while True:
        if interactive:
            print(texts.CONSOLE_PROMPT, end="", file=stdout, flush=True)
        line = await lines.get()
        if not line:
            break
        text = line.rstrip("\r\n")
        choice = text.strip()
        # isdecimal, not isdigit: "²" is a digit that int() refuses; and a number picks only a shown choice.
        if choice.isdecimal() and len(choice) <= 3 and options and 1 <= int(choice) <= len(options):
            inc = Incoming("console", user, user, "private", data=options[int(choice) - 1], display_name=user)
        else:
            inc = Incoming("console", user, user, "private", text=text, display_name=user)
        out, new_options = render(await router.handle(inc))
        options = new_options or options
        print(("loa> " if interactive else "") + out, file=stdout, flush=True)
        if not interactive:
            print(file=stdout)
    if interactive:
        print(file=stdout)
    return 0
