"""Residents' voice in chat: «Dân hỏi: …» from propagandists, /duluan (the pulse) for officers.

What a propagandist passes on is captured by :func:`bot.voices.capture` (also behind a report's residents'
step); the reply shows what Loa can answer, ready to relay, and says the rest went to the officers.
"""

from __future__ import annotations

from bot import opinion, reports, voices
from bot.app import App
from bot.auth import OFFICER, PROPAGANDIST, actor_of
from bot.buttons import ButtonData, Token
from bot.core import Button, Incoming, Reply
from bot.errors import BadInput
from bot.feature import Buttons, Command, Feature
from bot.themes import OTHER

# -- what it says --------------------------------------------------------------------------------------------
HELP_DANHOI = "• «Dân hỏi: …» — ghi lại điều bà con hỏi, phản ánh (mỗi ý một dòng; không ghi tên người dân)."
HELP_DULUAN = "• /duluan — dư luận của bà con trong địa bàn: chủ đề, số ý kiến, nơi nào hỏi."
HEARD_ANSWER = "💬 Bà con hỏi: «{question}»\nĐồng chí có thể trả lời bà con:\n{answer}\n📄 Nguồn: {cite}"
HEARD_ANSWER_NO_SOURCE = "💬 Bà con hỏi: «{question}»\nĐồng chí có thể trả lời bà con:\n{answer}"
HEARD_SAVED = "📝 Đã ghi {count} ý kiến của bà con ({themes})."
HEARD_WAITING = (
    "📨 {count} ý kiến Loa chưa trả lời được đã chuyển Ban Tuyên giáo. Khi có trả lời, Loa gửi lại đồng chí "
    "để chuyển tới bà con."
)
PULSE_USAGE = "Cách dùng: /duluan [thang|quy] hoặc /duluan quy 3/2026, /duluan thang 11/2026"
BUTTON_MONTH = "Tháng này"
BUTTON_QUARTER = "Quý này"
BUTTON_LAST_QUARTER = "Quý trước"

PERIOD_BUTTON = ButtonData("dl", [Token(max_len=12)])


def heard_replies(heard: list[voices.Heard]) -> list[Reply]:
    """What Loa answers, one reply each, ready to relay; one line for what it kept, one for what went on."""
    replies = []
    for h in heard:
        if h.answered:
            out = h.outcome
            template = HEARD_ANSWER if out.source else HEARD_ANSWER_NO_SOURCE
            replies.append(Reply(template.format(question=h.text, answer=out.text, cite=out.source)))
    if heard:
        themes = ", ".join(
            dict.fromkeys(h.theme.name.split(",")[0].lower() for h in heard if h.theme != OTHER)
        )
        replies.append(Reply(HEARD_SAVED.format(count=len(heard), themes=themes or OTHER.name.lower())))
    waiting = sum(1 for h in heard if h.waiting)
    if waiting:
        replies.append(Reply(HEARD_WAITING.format(count=waiting)))
    return replies


async def on_heard(app: App, inc: Incoming, args: str) -> list[Reply]:
    """«Dân hỏi: …» (or /danhoi …): residents of the propagandist's village said this."""
    who = await actor_of(app, inc)
    heard = await voices.capture(app, who, args, "chat")
    more = len(voices.items_of(args)) - voices.MAX_ITEMS
    limit = [Reply(voices.VOICES_FIRST_ONLY.format(limit=voices.MAX_ITEMS, more=more))] if more > 0 else []
    return heard_replies(heard) + limit


def _buttons() -> list[list[Button]]:
    return [[PERIOD_BUTTON.button(BUTTON_MONTH, "thang"), PERIOD_BUTTON.button(BUTTON_QUARTER, "quy"),
             PERIOD_BUTTON.button(BUTTON_LAST_QUARTER, "truoc")]]  # fmt: skip


async def _pulse_reply(app: App, inc: Incoming, period_arg: str) -> list[Reply]:
    who = await actor_of(app, inc)
    today = app.today()
    try:
        if period_arg == "truoc":
            this = reports.period_of("quy", today)
            period = reports.previous(this) or this
        else:
            period = reports.period_of(period_arg or "thang", today)
    except reports.PeriodError as exc:
        said = PULSE_USAGE if exc.message == reports.STATS_USAGE else f"{exc.message}. {PULSE_USAGE}"
        raise BadInput(said) from None
    pulse = await opinion.pulse(app, who, period)
    return [Reply(opinion.as_text(pulse), buttons=_buttons())]


async def on_pulse(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/duluan [tháng | quý | quý 3/2026]: the pulse of the officer's scope."""
    return await _pulse_reply(app, inc, args)


async def on_period(app: App, inc: Incoming, values: tuple) -> list[Reply]:
    """A period button under the pulse: this month, this quarter, last quarter."""
    choice = str(values[0])
    if choice not in ("thang", "quy", "truoc"):
        raise BadInput(PULSE_USAGE)
    return await _pulse_reply(app, inc, choice)


FEATURE = Feature(
    name="voices",
    order=45,
    commands=(
        Command("danhoi", on_heard, role=PROPAGANDIST, private=True, lead=voices.relayed, help=HELP_DANHOI),
        Command("duluan", on_pulse, role=OFFICER, private=True, bare=("duluan", "dulieu", "duluanxahoi"),
                help=HELP_DULUAN),
        Command("dulieu", on_pulse, role=OFFICER, private=True),
    ),
    buttons=(Buttons(PERIOD_BUTTON, on_period, role=OFFICER, private=True),),
)  # fmt: skip
