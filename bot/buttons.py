"""Typed button data: a prefix and typed fields packed as ``prefix:value:value`` (aiogram's CallbackData).

Packing checks every value and Telegram's 64-byte limit when the button is built, not when Telegram refuses
to show it; unpacking is strict, so that forged data (a huge number, a unit code with a path in it, a
superscript digit) never reaches a handler: it unpacks to None, a stale button. A label too long for a
phone's button is shortened here too (:func:`fit_label`), at a word's end: left to the phone, it is cut
mid-word («… năm 2…»).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import Button
from bot.errors import BadInput
from bot.textnorm import cut

MAX_BYTES = 64  # Telegram's limit for callback data, the strictest of the channels
# About what a full-width button shows on one line of a phone held upright; Telegram cuts a longer label
# itself, wherever the width runs out.
LABEL_CHARS = 44
_TOKEN = re.compile(r"^[A-Za-z0-9._-]+$")


def fit_label(text: str, limit: int = LABEL_CHARS) -> str:
    """A button's label within what a phone shows, cut at a word's end (:func:`bot.textnorm.cut`)."""
    return cut(text, limit)


class ButtonDataError(BadInput, ValueError):
    """A button was built with a value its data cannot carry."""


@dataclass(frozen=True)
class Field:
    """A typed field: ``int`` (decimal, within bounds), a token (letters, digits, . _ -), one of a set."""

    kind: str  # "int" | "token" | "choice"
    low: int = 0
    high: int = 10**12
    max_len: int = 48
    choices: tuple[str, ...] = ()
    optional: bool = False

    def pack(self, value: object) -> str:
        text = "" if value is None else str(value)
        if self.parse(text) is None and not (self.optional and text == ""):
            raise ButtonDataError(f"{value!r} is not a valid {self.kind}")
        return text

    def parse(self, text: str) -> int | str | None:
        if text == "" and self.optional:
            return ""
        if self.kind == "int":
            if not (text.isascii() and text.isdecimal() and len(text) <= 13):
                return None
            return int(text) if self.low <= int(text) <= self.high else None
        if self.kind == "choice":
            return text if text in self.choices else None
        return text if len(text) <= self.max_len and _TOKEN.match(text) else None


def Int(low: int = 0, high: int = 10**12) -> Field:
    return Field("int", low=low, high=high)


def Token(max_len: int = 48, optional: bool = False) -> Field:
    return Field("token", max_len=max_len, optional=optional)


def Choice(*choices: str) -> Field:
    return Field("choice", choices=tuple(choices))


@dataclass(frozen=True)
class ButtonData:
    """A kind of button: its prefix and fields. ``pack``/``button`` build, ``unpack`` reads back."""

    prefix: str
    fields: Sequence[Field] = ()

    def pack(self, *values: object) -> str:
        if len(values) > len(self.fields):
            raise ButtonDataError(f"{self.prefix}: {len(values)} values for {len(self.fields)} fields")
        parts = [self.prefix, *(f.pack(v) for f, v in zip(self.fields, values, strict=False))]
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ButtonDataError(f"button data over {MAX_BYTES} bytes: {data[:24]}…")
        return data

    def button(self, label: str, *values: object) -> Button:
        """A button of this kind: its data packed (and checked), its label fitted to a phone's width."""
        return Button(fit_label(label), self.pack(*values))

    def unpack(self, data: str) -> tuple[int | str, ...] | None:
        """The values of ``data`` if it is this kind's and well formed, else None."""
        prefix, _, rest = data.partition(":")
        if prefix != self.prefix:
            return None
        raw = rest.split(":") if rest else []
        if len(raw) > len(self.fields):
            return None
        raw += [""] * (len(self.fields) - len(raw))
        values = tuple(f.parse(v) for f, v in zip(self.fields, raw, strict=True))
        return None if any(v is None for v in values) else values  # type: ignore[return-value]
