"""One renderer for every channel without buttons (Zalo, the terminal): choices as numbered lines.

A number typed back ("2", "2.", "số 2") or the choice's own words pick a choice; the choices shown last are
kept by the caller (in the database, so a restart does not lose them). Where several may be picked (a
report's topics), several numbers typed together («6 4», «6, 4», «6 và 4») press each; where one is
expected, the person is told so and the choices stay. Where the buttons are numbers themselves (how many
attended: 10, 20, 50 …) they are shown as examples to type, so that "3" means three people and not the third
button. An attachment the channel cannot send becomes its caption and a note.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from bot import chats
from bot.app import App
from bot.channels.textsplit import split_text
from bot.core import Reply
from bot.store.dialogs import Offered
from bot.textnorm import normalize, strip_accents

# -- what it says --------------------------------------------------------------------------------------------
CHOOSE_BY_NUMBER = "↪ Trả lời bằng số thứ tự (ví dụ: 1)."
TYPE_A_NUMBER = "↪ Gõ số, ví dụ: {examples}."
CHOOSE_SEVERAL = "↪ Trả lời bằng số thứ tự; chọn nhiều thì gõ các số cách nhau (ví dụ: 1 3)."
ONE_CHOICE_ONLY = "Ở đây chỉ chọn một: xin gõ một số thứ tự (ví dụ: 1)."

_NUMBER_RE = re.compile(r"^\s*(?:so\s+)?(\d{1,3})\s*[.)]?\s*$", re.IGNORECASE)
_VALUE_RE = re.compile(r"^\d+$")
# Between numbers typed together: spaces, a comma, a semicolon, «và», «+», «&» (accent-free, lower case).
_JOINS_RE = re.compile(r"\s*(?:[,;+&]|\bva\b|\band\b)\s*|\s+")


@dataclass(frozen=True)
class Rendered:
    """One turn of replies as plain messages, and the choices a typed answer can pick.

    A choice is (label key, button data): the label folded once here as typed words are (accent-free,
    lowercase, no emoji), not again for every message that comes back.
    """

    messages: list[str]
    options: list[tuple[str, str]]
    several: bool = False  # the choices may be picked several at once


@dataclass(frozen=True)
class Picked:
    """What a typed answer does with the choices shown last: the buttons it presses, in order, or a
    correction to say instead (the choices are kept)."""

    data: list[str] = field(default_factory=list)
    correction: str = ""


def _label_key(label: str) -> str:
    return " ".join(normalize(label).plain)


def render_numbered(replies: Iterable[Reply], max_text: int, no_file: str, no_voice: str = "") -> Rendered:
    """Texts of at most ``max_text`` characters with buttons as numbered lines, and the (label, data) choices;
    ``no_file`` ({filename}) stands for an attachment, ``no_voice`` for a voice message (else ``no_file``)."""
    replies = list(replies)
    buttons = [b for r in replies for b in r.options()]
    values = [b for b in buttons if _VALUE_RE.match(b.label.strip())]
    # Buttons that are numbers themselves: typed as they are, never numbered (see the module docstring).
    value_mode = len(values) >= 2
    options: list[tuple[str, str]] = []
    messages: list[str] = []
    several = not value_mode and any(r.several and r.buttons for r in replies)
    for reply in replies:
        parts: list[str] = [reply.text] if reply.text.strip() else []
        att = reply.attachment
        if att is not None:
            if att.caption and att.caption.strip() != reply.text.strip():
                parts.append(att.caption)
            note = no_voice if att.kind == "voice" and no_voice else no_file
            parts.append(note.format(filename=att.filename))
        choices = reply.options()
        if value_mode:
            shown = [b for b in choices if _VALUE_RE.match(b.label.strip())]
            if shown:
                parts.append(TYPE_A_NUMBER.format(examples=", ".join(b.label for b in shown)))
            options += [(_label_key(b.label), b.data) for b in shown]
        elif choices:
            lines = []
            for b in choices:
                options.append((_label_key(b.label), b.data))
                lines.append(f"{len(options)}. {b.label}")
            parts.append("\n".join(lines))
            parts.append(CHOOSE_SEVERAL if reply.several else CHOOSE_BY_NUMBER)
        if parts:
            messages += split_text("\n\n".join(parts), max_text)
    return Rendered(messages, options, several)


def choose(text: str, options: list[tuple[str, str]]) -> str | None:
    """The button data a typed answer picks from the choices shown last: its label's words or its number."""
    if not options:
        return None
    typed = _label_key(text)
    if typed:
        for key, data in options:
            if key == typed:
                return data
    if any(_VALUE_RE.match(key) for key, _ in options):
        return None  # a value list: any other number is an answer to type, not a position
    m = _NUMBER_RE.match(strip_accents(text))  # "2", "2.", "số 2"
    if m and 1 <= int(m.group(1)) <= len(options):
        return options[int(m.group(1)) - 1][1]
    return None


def _numbers(text: str) -> list[int]:
    """[6, 4] for «6 4», «6, 4», «6 và 4»; [] unless the text is two numbers or more, and only that."""
    plain = re.sub(r"^so\s+", "", strip_accents(text).lower().strip().rstrip("."))
    parts = [p for p in _JOINS_RE.split(plain) if p]
    if len(parts) < 2 or not all(p.isdecimal() and len(p) <= 3 for p in parts):
        return []
    return [int(p) for p in parts]


def read(text: str, offered: Offered) -> Picked:
    """What ``text`` picks among the choices shown last: one (its number or its words), several numbers where
    several may be picked, or the correction that one is expected; nothing when it is no choice at all."""
    one = choose(text, offered.options)
    if one is not None:
        return Picked([one])
    options = offered.options
    numbers = _numbers(text)
    if not numbers or any(_VALUE_RE.match(key) for key, _ in options):
        return Picked()
    if not all(1 <= n <= len(options) for n in numbers):
        return Picked()  # not positions in this list: the text goes on as typed
    if not offered.several:
        return Picked(correction=ONE_CHOICE_ONLY)
    return Picked(list(dict.fromkeys(options[n - 1][1] for n in numbers)))  # a number typed twice: once


async def show(
    app: App,
    channel: str,
    chat_id: str,
    user_id: str,
    replies: Iterable[Reply],
    max_text: int,
    no_file: str,
    no_voice: str = "",
) -> Rendered:
    """Render for a chat without buttons and remember what its numbers stand for."""
    rendered = render_numbered(replies, max_text, no_file, no_voice)
    await chats.shown(app, channel, chat_id, user_id, rendered.options, rendered.several)
    return rendered


# Hands the router one message of the person: the button data it presses, or None for the text as typed.
Handle = Callable[[str | None], Awaitable[list[Reply]]]


async def respond(
    app: App,
    channel: str,
    chat_id: str,
    user_id: str,
    text: str,
    handle: Handle,
    max_text: int,
    no_file: str,
    no_voice: str = "",
) -> list[str]:
    """One typed message on a channel that numbers its choices: the choices it picks pressed in order (the
    replies of the last press shown), or the text handled as typed; the messages to send back.

    A number that picked nothing («9» of eight choices) and is answered without new choices (a hint) leaves
    the choices shown before as they were: the right number typed next still picks.
    """
    offered = await chats.choices(app, channel, chat_id, user_id)
    picked = read(text, offered)
    if picked.correction:
        return [picked.correction]  # the choices shown before stay, with their numbers
    presses: list[str | None] = [*picked.data] or [None]
    replies: list[Reply] = []
    for data in presses:
        replies = await handle(data)
    if not replies:
        return []
    rendered = render_numbered(replies, max_text, no_file, no_voice)
    missed = not picked.data and offered.options and _NUMBER_RE.match(strip_accents(text))
    if rendered.options or not missed:
        await chats.shown(app, channel, chat_id, user_id, rendered.options, rendered.several)
    return rendered.messages
