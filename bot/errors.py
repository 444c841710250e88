"""One error vocabulary: every refusal Loa raises is a :class:`LoaError` with a kind and a message.

The message is what a person reads (Vietnamese, one line, no secret, no traceback); the kind says how each
surface renders it: the chat replies with the message, the console flashes it with the HTTP status of its
kind, the command line prints it and exits 2. A use case raises; chat, console and CLI only render.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What went wrong, as far as the person who asked can tell."""

    BAD_INPUT = "bad_input"  # what was typed or sent cannot be used
    NOT_ALLOWED = "not_allowed"  # the person's role or scope does not reach it
    NOT_FOUND = "not_found"  # it does not exist (or no longer)
    CONFLICT = "conflict"  # it changed meanwhile, or exists already
    TRANSIENT = "transient"  # try again later (a server, a lock, a time-out)


#: The console's answer to each kind.
HTTP_STATUS = {
    Kind.BAD_INPUT: 400,
    Kind.NOT_ALLOWED: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.TRANSIENT: 503,
}


class LoaError(Exception):
    """A refusal with a message for people. Subclasses set ``kind``; one instance may override it."""

    kind: Kind = Kind.BAD_INPUT

    def __init__(self, message: str = "", kind: Kind | None = None):
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind

    def __str__(self) -> str:
        return self.message


class BadInput(LoaError):
    kind = Kind.BAD_INPUT


class NotAllowed(LoaError):
    kind = Kind.NOT_ALLOWED


class NotFound(LoaError):
    kind = Kind.NOT_FOUND


class Conflict(LoaError):
    kind = Kind.CONFLICT


class Unavailable(LoaError):
    kind = Kind.TRANSIENT


# -- a validation error as a person reads it -----------------------------------------------------------------
_CHECKS = {
    "string_too_short": "cần ít nhất {min_length} ký tự",
    "string_too_long": "dài quá {max_length} ký tự",
    "too_short": "cần ít nhất {min_length} dòng",
    "too_long": "nhiều quá {max_length} dòng",
    "missing": "chưa điền",
    "string_type": "chưa điền",
    "string_pattern_mismatch": "có ký tự không dùng được",
}
_OTHER = "chưa đúng"


def said(error: dict[str, object]) -> str:
    """One pydantic error in Vietnamese: our validators' own words, or what the failed check means."""
    if error.get("type") == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    context = error.get("ctx") if isinstance(error.get("ctx"), dict) else {}
    template = _CHECKS.get(str(error.get("type")), _OTHER)
    try:
        return template.format(**context)  # type: ignore[arg-type]
    except (KeyError, IndexError):
        return _OTHER
