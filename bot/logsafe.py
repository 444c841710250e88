"""Logging that never shows a secret nor what people write, at any level, ``-v`` included.

Every configured token, and every secret made at run time (a random webhook secret), is masked in every
formatted line. Libraries that log people's messages at DEBUG are capped: python-telegram-bot logs whole
updates, aiosqlite every statement with its parameters, httpx every URL (a Bot API URL carries the token).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

# The most a library may log, whatever -v asks for: their finer lines carry message text or URLs with tokens.
LIBRARY_CAPS = {
    "aiosqlite": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.INFO,
    "tornado": logging.INFO,
    "asyncio": logging.INFO,
    "matplotlib": logging.WARNING,
    "PIL": logging.WARNING,
    "bm25s": logging.WARNING,
    # Complaints about a damaged file's structure: the import reports the file in one line of its own.
    "pypdf": logging.ERROR,
}


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks the secrets (in the message and in any traceback text)."""

    def __init__(self, fmt: str | None, secrets: Iterable[str]):
        super().__init__(fmt)
        self.secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({*self.secrets, *(s for s in secrets if s)}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


_formatter: RedactingFormatter | None = None


def setup(level: int, secrets: Iterable[str]) -> None:
    """Root logging to stderr at ``level`` with secrets masked and chatty libraries capped."""
    global _formatter
    handler = logging.StreamHandler()
    _formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    handler.setFormatter(_formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, cap in LIBRARY_CAPS.items():
        logging.getLogger(name).setLevel(max(level, cap))


def add_secret(secret: str) -> None:
    """Mask a secret made at run time (a random webhook secret) from now on."""
    if _formatter is not None:
        _formatter.add([secret])


def failure(state: Any) -> str:
    """The class name of what a retried call (tenacity's RetryCallState) failed with: never its message."""
    outcome = getattr(state, "outcome", None)
    return type(outcome.exception()).__name__ if outcome is not None else "?"
