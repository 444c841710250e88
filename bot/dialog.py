"""Dialogs: tables of steps over a typed draft, run by one engine.

A dialog (registration, an activity report, the confirmation of a broadcast) is declared as data — for each
step its prompt, what typed text does and what each button does — over a draft that is a dataclass. The
engine, not the handlers, loads the conversation's state once per update and saves it once, and owns what
every dialog shares:

- cancel (``/huy`` and its words);
- expiry: a dialog idle longer than ``LOA_DIALOG_EXPIRY_HOURS`` is put aside when the person comes back, the
  message is treated as new and the person is told; a draft worth keeping (a report) is parked to be resumed,
  never silently dropped;
- the escape of a question: where a name, a place, a number or a choice is awaited, a message that reads as a
  question is answered as one and the step is shown again in one line; it is never stored as an answer;
- a correction («Không hiểu ngày …») keeps the step's choices under it, so that they stay in reach (and keep
  their numbers where a channel numbers them);
- the role a dialog needs, checked again on every turn against the store.

python-telegram-bot's ConversationHandler and aiogram's scenes are the models; this engine keeps its state in
the database instead, so a dialog survives a restart and continues on any channel or worker.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, Literal, TypeVar

from bot import texts
from bot.app import App
from bot.auth import ANYONE, Actor, actor_of
from bot.buttons import ButtonData, Token
from bot.clock import utc_stamp
from bot.core import Button, Incoming, Reply
from bot.store import DialogState

# -- what it says --------------------------------------------------------------------------------------------
DIALOG_PARKED = "Việc {what} đang làm dở đã lâu nên Loa cất lại; {hint}."
DIALOG_EXPIRED = "Việc {what} đang làm dở đã quá lâu nên Loa đã bỏ; xin làm lại từ đầu khi cần."
DIALOG_PARKED_DROPPED = "Đã bỏ bản {what} đang cất."
DIALOG_REMINDER = "↩ Tiếp tục {what}: {step} (gõ /huy để bỏ)"
DIALOG_NOT_ALLOWED = "Đồng chí không còn quyền làm tiếp việc {what} này; Loa đã bỏ nó."
NOTHING_TO_CANCEL = "Không có việc gì đang làm dở để hủy."

log = logging.getLogger(__name__)

D = TypeVar("D")

# "answer": an officer's prose for others to read, questions included: never taken for a question to Loa.
# "concern": what residents said, questions included: never taken for the reporter's own question either.
Awaits = Literal["choice", "name", "place", "number", "date", "concern", "text", "answer"]


@dataclass(frozen=True)
class Goto:
    """Go to ``step`` (the same one to show it again) and show its prompt after ``lead``."""

    step: str
    lead: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class Stay:
    """Stay at the step and say ``replies`` (a correction); the prompt is not repeated."""

    replies: list[Reply]


@dataclass(frozen=True)
class Finish:
    """The dialog is over (done or given up): its state is cleared and ``replies`` are said."""

    replies: list[Reply]


Next = Goto | Stay | Finish


@dataclass
class Turn(Generic[D]):
    """One update inside a dialog: who, where, and the draft being filled in."""

    app: App
    inc: Incoming
    who: Actor
    dialog: Dialog[D]
    draft: D
    step: str

    def button(self, label: str, kind: str, value: str | int = "") -> Button:
        return self.dialog.button(label, kind, value)


TextAction = Callable[[Turn[Any], str], Awaitable[Next]]
ButtonAction = Callable[[Turn[Any], str], Awaitable[Next]]
Prompt = Callable[[Turn[Any]], list[Reply]]


@dataclass(frozen=True)
class Step:
    """One step: its prompt, what typed text does (None: taps only) and what its buttons do.

    ``awaits`` says what typed text should be (a name, a place …) so that a question typed instead is told
    apart; ``short`` is the step in one line, shown after such a question is answered.
    """

    prompt: Prompt
    short: str
    text: TextAction | None = None
    buttons: Mapping[str, ButtonAction] = field(default_factory=dict)
    awaits: Awaits = "choice"


@dataclass(frozen=True)
class Dialog(Generic[D]):
    """A dialog as a table: its steps, its draft type, and what the engine says for it."""

    name: str  # stored with the state
    prefix: str  # of its buttons' data
    draft: type[D]
    steps: Mapping[str, Step]
    title: str  # "báo cáo", "đăng ký": for the engine's messages
    cancelled: str  # said when cancelled
    role: str = ANYONE
    # Buttons that work at any step (a report's field buttons, cancel): checked after the step's own.
    anywhere: Mapping[str, ButtonAction] = field(default_factory=dict)
    # A draft worth keeping is parked when the dialog expires or another one starts, to be resumed.
    keep: bool = False
    resume_hint: str = ""  # how to resume a parked draft ("gõ /baocao")
    command: str = ""  # the command that starts or resumes it (no reminder is added after that one)

    @property
    def data(self) -> ButtonData:
        """Its buttons' typed data: the action's name, and a value for it (a form, a unit code, a number)."""
        return ButtonData(self.prefix, [Token(24), Token(optional=True)])

    def button(self, label: str, kind: str, value: str | int = "") -> Button:
        """A button of this dialog; its data is checked (64 bytes, typed fields) here, when it is built."""
        return self.data.button(label, kind, value)

    def load(self, data: dict[str, Any]) -> D:
        """The draft from stored data; unknown keys (an older version's) are ignored, missing ones default."""
        names = {f.name for f in dataclasses.fields(self.draft)}  # type: ignore[arg-type]
        return self.draft(**{k: v for k, v in data.items() if k in names})

    @staticmethod
    def dump(draft: Any) -> dict[str, Any]:
        # The draft's fields as they are (JSON copies them on the way to the store): asdict's deep copy
        # cost more than the rest of a tap.
        return dict(vars(draft))


@dataclass
class Current:
    """The person's dialog as loaded for this update, and what the engine has to say about it."""

    dialog: Dialog[Any] | None = None
    state: DialogState | None = None
    notice: Reply | None = None  # "your report was put aside" after an expiry
    expired: Dialog[Any] | None = None  # the dialog the notice is about


# Answers a question typed inside a dialog, or returns None when the text is not one.
Escape = Callable[[App, Incoming, str, Awaits], Awaitable[list[Reply] | None]]


class Engine:
    """Runs every dialog: one load and one save per update, cancel, expiry, question escape, role check."""

    def __init__(self, dialogs: list[Dialog[Any]]):
        self.by_name = {d.name: d for d in dialogs}
        self.by_prefix = {d.prefix: d for d in dialogs}

    # -- loading -----------------------------------------------------------------------------------------
    async def current(self, app: App, inc: Incoming) -> Current:
        """The person's active dialog; one idle too long is put aside here (parked or dropped), told."""
        state = await app.db.dialogs.get(inc.channel, inc.chat_id, inc.user_id)
        if state is None:
            return Current()
        dialog = self.by_name.get(state.flow)
        if dialog is None:  # a dialog this version no longer has
            await app.db.dialogs.clear(inc.channel, inc.chat_id, inc.user_id)
            return Current()
        if not self._expired(app, state):
            return Current(dialog, state)
        if dialog.keep:
            await app.db.dialogs.park(inc.channel, inc.chat_id, inc.user_id, state)
            notice = DIALOG_PARKED.format(what=dialog.title, hint=dialog.resume_hint)
        else:
            await app.db.dialogs.clear(inc.channel, inc.chat_id, inc.user_id)
            notice = DIALOG_EXPIRED.format(what=dialog.title)
        log.info("dialog %s expired (channel=%s chat=%s)", dialog.name, inc.channel, inc.chat_id)
        return Current(notice=Reply(notice), expired=dialog)

    def _expired(self, app: App, state: DialogState) -> bool:
        """Idle longer than the setting; stamps compare as text (see ``utc_stamp``)."""
        if not state.updated_at:
            return False
        return state.updated_at < utc_stamp(app.clock() - timedelta(hours=app.settings.dialog_expiry_hours))

    async def still(self, app: App, inc: Incoming, current: Current) -> bool:
        """Whether the dialog loaded as ``current`` is still the person's active one."""
        if current.dialog is None:
            return False
        state = await app.db.dialogs.get(inc.channel, inc.chat_id, inc.user_id)
        return state is not None and state.flow == current.dialog.name

    # -- starting, resuming, cancelling -----------------------------------------------------------------
    async def start(
        self,
        app: App,
        inc: Incoming,
        dialog: Dialog[D],
        draft: D,
        step: str,
        lead: list[Reply] | None = None,
        who: Actor | None = None,
    ) -> list[Reply]:
        """Begin ``dialog`` at ``step``; a draft under way that is worth keeping is parked, not lost."""
        current = await app.db.dialogs.get(inc.channel, inc.chat_id, inc.user_id)
        if current is not None:
            other = self.by_name.get(current.flow)
            if other is not None and other.keep:
                await app.db.dialogs.park(inc.channel, inc.chat_id, inc.user_id, current)
        turn = Turn(app, inc, who or await actor_of(app, inc), dialog, draft, step)
        return await self._settle(turn, Goto(step, list(lead or [])))

    async def resume(
        self, app: App, inc: Incoming, dialog: Dialog[Any], who: Actor | None = None
    ) -> list[Reply] | None:
        """Show the step of the person's ``dialog``, active or parked; None when there is none."""
        state = await app.db.dialogs.get(inc.channel, inc.chat_id, inc.user_id)
        if state is None or state.flow != dialog.name:
            parked = await app.db.dialogs.unpark(inc.channel, inc.chat_id, inc.user_id, dialog.name)
            if parked is None:
                return None
            if state is not None and (other := self.by_name.get(state.flow)) is not None and other.keep:
                await app.db.dialogs.park(inc.channel, inc.chat_id, inc.user_id, state)
            state = parked
        turn = Turn(app, inc, who or await actor_of(app, inc), dialog, dialog.load(state.data), state.step)
        return await self._settle(turn, Goto(state.step))

    async def cancel(self, app: App, inc: Incoming) -> list[Reply]:
        """/huy: drop the active dialog, or else a parked draft; say what was dropped."""
        state = await app.db.dialogs.get(inc.channel, inc.chat_id, inc.user_id)
        if state is not None:
            await app.db.dialogs.clear(inc.channel, inc.chat_id, inc.user_id)
            dialog = self.by_name.get(state.flow)
            return [Reply(dialog.cancelled if dialog else NOTHING_TO_CANCEL)]
        for dialog in self.by_name.values():
            parked = dialog.keep and await app.db.dialogs.unpark(
                inc.channel, inc.chat_id, inc.user_id, dialog.name
            )
            if parked:
                return [Reply(DIALOG_PARKED_DROPPED.format(what=dialog.title))]
        return [Reply(NOTHING_TO_CANCEL)]

    # -- turns -------------------------------------------------------------------------------------------
    async def on_text(self, app: App, inc: Incoming, current: Current, escape: Escape) -> list[Reply]:
        """Typed text in the active dialog: the step's answer, or a question answered on the side
        (``escape``, given by the router: the dialogs know nothing of questions)."""
        if current.dialog is None or current.state is None:
            return [Reply(NOTHING_TO_CANCEL)]  # the router asks only with a dialog under way
        turn = await self._turn(app, inc, current)
        if turn is None:
            return await self._refuse(app, inc, current.dialog)
        step = turn.dialog.steps.get(turn.step)
        if step is None:
            return await self._settle(turn, Goto(next(iter(turn.dialog.steps))))
        text = inc.text.strip()
        parsed: Next | None = None
        if step.awaits in ("number", "date") and step.text is not None:
            # A number or a date is read first: "50?" is an answer, not a question.
            parsed = await step.text(turn, text)
            if not isinstance(parsed, Stay):
                return await self._settle(turn, parsed)
        prose = step.awaits in ("answer", "concern")
        answered = None if prose else await escape(app, inc, text, step.awaits)
        if answered is not None:
            # Answered as a question; the dialog waits where it was (nothing saved, nothing stored from it).
            return [*answered, self._reminder(turn, step)]
        if parsed is not None:
            return await self._settle(turn, parsed)
        if step.text is None:
            return await self._settle(turn, Goto(turn.step))
        return await self._settle(turn, await step.text(turn, text))

    async def on_button(self, app: App, inc: Incoming, dialog: Dialog[Any], data: str) -> list[Reply]:
        """A button of ``dialog`` pressed: the step's action, or one that works anywhere in the dialog."""
        values = dialog.data.unpack(data)
        if values is None:  # not data this dialog ever built
            return [Reply(texts.STALE_BUTTON_DIALOG.format(what=dialog.title))]
        current = await self.current(app, inc)
        lead = [current.notice] if current.notice else []
        if current.dialog is not dialog or current.state is None:
            return [*lead, Reply(texts.STALE_BUTTON_DIALOG.format(what=dialog.title))]
        turn = await self._turn(app, inc, current)
        if turn is None:
            return await self._refuse(app, inc, dialog)
        kind, value = str(values[0]), str(values[1])
        step = dialog.steps.get(turn.step)
        action = (step.buttons.get(kind) if step else None) or dialog.anywhere.get(kind)
        if action is None:
            return [Reply(texts.STALE_BUTTON_DIALOG.format(what=dialog.title))]
        return await self._settle(turn, await action(turn, value))

    async def _turn(self, app: App, inc: Incoming, current: Current) -> Turn[Any] | None:
        """The turn of the dialog loaded as ``current``; None when the person may no longer go on with it."""
        dialog, state = current.dialog, current.state
        who = await actor_of(app, inc)
        if dialog is None or state is None or not who.at_least(dialog.role):
            return None
        return Turn(app, inc, who, dialog, dialog.load(state.data), state.step)

    async def _refuse(self, app: App, inc: Incoming, dialog: Dialog[Any]) -> list[Reply]:
        await app.db.dialogs.clear(inc.channel, inc.chat_id, inc.user_id)
        return [Reply(DIALOG_NOT_ALLOWED.format(what=dialog.title))]

    def _reminder(self, turn: Turn[Any], step: Step) -> Reply:
        """The step in one line, with its buttons, after a question answered on the side."""
        buttons = [row for r in step.prompt(turn) for row in r.buttons]
        return Reply(DIALOG_REMINDER.format(what=turn.dialog.title, step=step.short), buttons=buttons)

    async def _settle(self, turn: Turn[Any], nxt: Next) -> list[Reply]:
        """Save the state once (or clear it) and render what follows."""
        app, inc = turn.app, turn.inc
        if isinstance(nxt, Finish):
            await app.db.dialogs.clear(inc.channel, inc.chat_id, inc.user_id)
            return nxt.replies
        if isinstance(nxt, Goto):
            turn.step = nxt.step
        state = DialogState(turn.dialog.name, turn.step, turn.dialog.dump(turn.draft), utc_stamp(app.clock()))
        await app.db.dialogs.set(inc.channel, inc.chat_id, inc.user_id, state)
        if isinstance(nxt, Stay):
            return self._keep_choices(turn, nxt.replies)
        return [*nxt.lead, *turn.dialog.steps[turn.step].prompt(turn)]

    def _keep_choices(self, turn: Turn[Any], replies: list[Reply]) -> list[Reply]:
        """A correction without choices of its own carries the step's: the person picks from under it, and
        where choices are numbered (Zalo, the terminal) the numbers shown before the error still pick."""
        if not replies or any(r.buttons for r in replies):
            return replies
        buttons = [row for r in turn.dialog.steps[turn.step].prompt(turn) for row in r.buttons]
        if not buttons:
            return replies
        return [*replies[:-1], dataclasses.replace(replies[-1], buttons=buttons)]
