"""Logging that never shows a secret: every configured token is masked in every formatted line."""

from __future__ import annotations

import logging
from collections.abc import Iterable


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks the secrets (in the message and in any traceback text)."""

    def __init__(self, fmt: str | None, secrets: Iterable[str]):
        super().__init__(fmt)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def setup(level: int, secrets: Iterable[str]) -> None:
    """Root logging to stderr at ``level`` with secrets masked; httpx's per-request lines are muted."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and a Bot API URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
