"""Activity reports: the guided /baocao (taps only), the one-line quick report, /huy and /baocaocuatoi.

The half-filled report lives in SQLite (dialog_state), written before every reply, so it survives a restart
and a day's pause and works the same on every channel.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot import texts
from bot.app import App
from bot.auth import PROPAGANDIST, Actor, actor_of
from bot.core import Button, Incoming, Reply
from bot.store import DialogState, utc_stamp
from bot.textnorm import fold_words, plain_key
from bot.units import Unit, core_name

FLOW = "report"
PREFIX = "r"
STEPS = ("date", "form", "place", "attendees", "topics", "concerns")
MAX_ATTENDEES = 5000
MAX_CONCERNS = 500
CHANGE_DAYS = 7
ATTENDEE_CHOICES = [[10, 15, 20, 25, 30], [40, 50, 70, 100, 150], [200, 300]]
_HONORIFICS = {"ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "cháu", "thím", "mợ", "dì", "o"}
_DATE_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b")


# -- periods ---------------------------------------------------------------------------------------------
def quarter_start(day: date, back: int = 0) -> date:
    q = (day.month - 1) // 3 - back
    year = day.year + q // 4
    return date(year, (q % 4) * 3 + 1, 1)


def open_from(app: App) -> date:
    """The first day a report may be filed for: the start of the open period."""
    return quarter_start(app.today(), app.settings.report_open_quarters)


# -- parsing and validation ------------------------------------------------------------------------------
def parse_date(text: str, today: date) -> date | None:
    key = plain_key(text)
    if key in ("hom nay", "nay", "today"):
        return today
    if key in ("hom qua", "qua", "yesterday"):
        return today - timedelta(days=1)
    m = _DATE_RE.search(text)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    year = int(m.group(3)) if m.group(3) else today.year
    if year < 100:
        year += 2000
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if not m.group(3) and found > today + timedelta(days=60):
        # "28/12" typed in January means last December (but "16/3" on 15/3 is tomorrow: refused later).
        try:
            found = date(year - 1, month, day)
        except ValueError:
            return None
    return found


def check_date(app: App, day: date) -> str | None:
    if day > app.today():
        return texts.REPORT_FUTURE_DATE.format(date=day.strftime("%d/%m/%Y"))
    start = open_from(app)
    if day < start:
        return texts.REPORT_OLD_DATE.format(date=day.strftime("%d/%m/%Y"), start=start.strftime("%d/%m/%Y"))
    return None


def parse_attendees(text: str) -> int | None:
    # "5.000" and "5,000" are five thousand (a thousands separator); "12.5" is not a head count.
    m = re.fullmatch(
        r"(\d{1,3}(?:[.,]\d{3})+|\d{1,6})\s*(nguoi|người|ng)?", text.strip(), flags=re.IGNORECASE
    )
    if not m:
        return None
    n = int(re.sub(r"[.,]", "", m.group(1)))
    return n if 1 <= n <= MAX_ATTENDEES else None


def resident_name(text: str) -> str | None:
    """A resident's name in free text ("ông Lò Văn Pằng hỏi ..."), which reports must not carry."""
    words = re.findall(r"[^\W\d_]+", text)
    for i, word in enumerate(words[:-1]):
        nxt = words[i + 1]
        if word.lower() in _HONORIFICS and nxt[:1].isupper() and nxt.lower() not in ("con",):
            return " ".join(words[i : i + 3])
    return None


def find_form(app: App, text: str) -> str | None:
    """The report form whose keyword occurs in ``text`` (longest keyword wins)."""
    key = f" {plain_key(text)} "
    best: tuple[int, str] | None = None
    for form in app.content.report_forms:
        for kw in form.keywords:
            k = plain_key(kw)
            if k and f" {k} " in key and (best is None or len(k) > best[0]):
                best = (len(k), form.id)
    return best[1] if best else None


def parse_quick(app: App, text: str, who: Actor) -> dict[str, Any]:
    """Fields of a one-line report ("12/3 họp bản Nà Tăm 45 người KT-XH 2023"); missing ones are absent."""
    data: dict[str, Any] = {}
    today = app.today()
    rest = text
    m = _DATE_RE.search(text)
    key = f" {plain_key(text)} "
    day = None
    if m:
        day = parse_date(m.group(0), today)
        rest = rest.replace(m.group(0), " ")
    elif " hom nay " in key or " hom qua " in key:
        day = parse_date("hom qua" if " hom qua " in key else "hom nay", today)
    if day is not None and check_date(app, day) is None:
        data["date"] = day.isoformat()
    n = re.search(r"\b(\d{1,4})\s*(người|nguoi|ng)\b", rest, flags=re.IGNORECASE)
    if n:
        count = int(n.group(1))
        if 1 <= count <= MAX_ATTENDEES:
            data["attendees"] = count
        rest = rest.replace(n.group(0), " ")
    form = find_form(app, rest)
    leftover = f" {plain_key(rest)} "
    if form:
        data["form"] = form
        for kw in next(f for f in app.content.report_forms if f.id == form).keywords:
            leftover = leftover.replace(f" {plain_key(kw)} ", " ")
    # No place named: the registered village, as the guided report would offer first.
    home = app.units.get(who.unit_code)
    place = app.units.named_in(rest) or (home if home is not None and home.level == "village" else None)
    if place is not None:
        data["unit"] = place.code
        for name in (plain_key(place.name), core_name(place.name)):
            leftover = leftover.replace(f" {name} ", " ")
    topic = _topic_of(app, leftover)
    if topic:
        data["topics"] = [topic]
    return data


def _topic_of(app: App, text: str) -> str | None:
    """The content topic a phrase is about, through the FAQ matcher ("KT-XH 2023" → a 2023 results topic)."""
    words = [w for w in fold_words(text) if not w.isdigit() or len(w) == 4]
    if not words:
        return None
    cands = app.kb.rank(" ".join(words), limit=3)
    # Only a clear match: a vague phrase is better asked with the topic buttons than guessed.
    return cands[0].entry.topic if cands and cands[0].score >= 0.5 else None


# -- the dialog ------------------------------------------------------------------------------------------
def _new_data() -> dict[str, Any]:
    return {
        "date": None,
        "form": None,
        "unit": None,
        "attendees": None,
        "topics": [],
        "concerns": None,
        "report_id": None,
        "editing": False,
        "confirmed_duplicate": False,
    }


def _missing(data: dict[str, Any]) -> str | None:
    for step in STEPS:
        value = data.get("unit" if step == "place" else step)
        if value is None or (step == "topics" and not value):
            return step
    return None


async def _save_state(app: App, inc: Incoming, state: DialogState) -> None:
    await app.store.set_dialog(inc.channel, inc.chat_id, inc.user_id, state)


async def _prompt(app: App, inc: Incoming, state: DialogState, who: Actor) -> list[Reply]:
    """Persist the state, then ask for its step."""
    await _save_state(app, inc, state)
    step, data = state.step, state.data
    if step == "date":
        return [
            Reply(
                texts.REPORT_ASK_DATE,
                buttons=[
                    [Button(texts.BUTTON_TODAY, "r:date:0"), Button(texts.BUTTON_YESTERDAY, "r:date:1")]
                ],
            )
        ]
    if step == "form":
        return [
            Reply(
                texts.REPORT_ASK_FORM,
                buttons=[[Button(f.label, f"r:form:{f.id}")] for f in app.content.report_forms],
            )
        ]
    if step == "place":
        options: list[Unit] = []
        home = app.units.get(who.unit_code)
        if home is not None and home.level == "village":
            options.append(home)
            options += [v for v in app.units.villages(home.commune_code) if v.code != home.code][:3]
        elif home is not None and home.level == "commune":
            options += app.units.villages(home.code)[:4]
        buttons = [[Button(u.label, f"r:place:{u.code}")] for u in options]
        buttons.append([Button(texts.BUTTON_OTHER_PLACE, "r:place:other")])
        return [Reply(texts.REPORT_ASK_PLACE, buttons=buttons)]
    if step == "place-typed":
        return [Reply(texts.REPORT_TYPE_PLACE)]
    if step == "attendees":
        rows = [[Button(str(n), f"r:att:{n}") for n in row] for row in ATTENDEE_CHOICES]
        rows[-1].append(Button(texts.BUTTON_OTHER_NUMBER, "r:att:other"))
        return [Reply(texts.REPORT_ASK_ATTENDEES, buttons=rows)]
    if step == "attendees-typed":
        return [Reply(texts.REPORT_TYPE_ATTENDEES)]
    if step == "topics":
        chosen = set(data["topics"])
        rows = [
            [Button(("✅ " if t.id in chosen else "▫️ ") + t.title, f"r:top:{t.id}")]
            for t in app.content.topics
        ]
        rows.append([Button(texts.BUTTON_DONE, "r:top:done")])
        return [
            Reply(
                texts.REPORT_ASK_TOPICS,
                buttons=rows,
                edit=inc.data is not None and inc.data.startswith("r:top:"),
            )
        ]
    if step == "concerns":
        return [Reply(texts.REPORT_ASK_CONCERNS, buttons=[[Button(texts.BUTTON_SKIP, "r:conc:skip")]])]
    if step == "edit":
        rows = [[Button(texts.REPORT_FIELD_NAMES[f], f"r:edit:{f}")] for f in STEPS]
        return [Reply(texts.REPORT_EDIT_WHICH, buttons=rows)]
    if step == "duplicate":
        return [
            Reply(
                texts.REPORT_DUPLICATE.format(id=data["duplicate_of"]),
                buttons=[
                    [Button(texts.BUTTON_SEND_ANYWAY, "r:dup"), Button(texts.BUTTON_CANCEL, "r:cancel")]
                ],
            )
        ]
    # confirm
    return [
        Reply(
            texts.REPORT_SUMMARY.format(summary=summary(app, data)),
            buttons=[
                [
                    Button(texts.BUTTON_SEND, "r:ok"),
                    Button(texts.BUTTON_EDIT, "r:edit"),
                    Button(texts.BUTTON_CANCEL, "r:cancel"),
                ]
            ],
        )
    ]


def summary(app: App, data: dict[str, Any]) -> str:
    form = next((f.label for f in app.content.report_forms if f.id == data.get("form")), None)
    unit = app.units.get(data.get("unit"))
    topics = [t.title for t in app.content.topics if t.id in (data.get("topics") or [])]
    day = date.fromisoformat(data["date"]).strftime("%d/%m/%Y") if data.get("date") else None
    return texts.REPORT_SUMMARY_LINES.format(
        date=day or texts.REPORT_MISSING,
        form=form or texts.REPORT_MISSING,
        place=unit.label if unit else texts.REPORT_MISSING,
        attendees=data.get("attendees") or texts.REPORT_MISSING,
        topics=", ".join(topics) or texts.REPORT_MISSING,
        concerns=data.get("concerns") or texts.REPORT_NONE,
    )


async def _advance(app: App, inc: Incoming, state: DialogState, who: Actor) -> list[Reply]:
    """After a field is set: back to the summary when editing, else on to the next missing field."""
    nxt = None if state.data.get("editing") else _missing(state.data)
    state.step = nxt or "confirm"
    return await _prompt(app, inc, state, who)


async def _reporter(app: App, inc: Incoming, command: str) -> tuple[Actor | None, list[Reply]]:
    if inc.chat_type != "private":
        return None, [Reply(texts.PRIVATE_ONLY.format(command=command))]
    who = await actor_of(app, inc)
    if not who.at_least(PROPAGANDIST) or who.user_id is None:
        return None, [Reply(texts.NOT_REGISTERED)]
    return who, []


async def on_command(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/baocao: resume a half-filled report, start a guided one, or read a one-line quick report."""
    who, refusal = await _reporter(app, inc, "/baocao")
    if who is None:
        return refusal
    state = await app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
    if state is not None and state.flow == FLOW and not args:
        return [Reply(texts.REPORT_RESUME), *await _prompt(app, inc, state, who)]
    data = _new_data()
    if not args:
        return await _advance(app, inc, DialogState(FLOW, "date", data), who)
    # A one-line report: what it says is filled in, residents' concerns are optional, the rest is asked.
    data.update(parse_quick(app, args, who))
    data["concerns"] = ""
    replies = await _advance(app, inc, DialogState(FLOW, "date", data), who)
    if _missing(data):
        replies.insert(0, Reply(texts.REPORT_QUICK_PARTIAL.format(summary=summary(app, data))))
    return replies


async def on_cancel(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/huy: drop whatever is half done (a report, a registration)."""
    state = await app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
    if state is None:
        return [Reply(texts.NOTHING_TO_CANCEL)]
    await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
    return [Reply(texts.REPORT_CANCELLED)]


async def on_text(app: App, inc: Incoming, state: DialogState) -> list[Reply]:
    """A typed answer to the current step."""
    who = await actor_of(app, inc)
    text = inc.text.strip()
    data, step = state.data, state.step
    if step == "date":
        day = parse_date(text, app.today())
        if day is None:
            return [Reply(texts.REPORT_BAD_DATE.format(text=text[:40]))]
        problem = check_date(app, day)
        if problem:
            return [Reply(problem)]
        data["date"] = day.isoformat()
        return await _advance(app, inc, state, who)
    if step in ("place", "place-typed"):
        home = app.units.get(who.unit_code)
        within = home.commune_code if home is not None and home.commune_code else None
        found = app.units.find(text, within=within) or app.units.find(text)
        exact = app.units.named_in(text)
        if exact is not None:
            data["unit"] = exact.code
            return await _advance(app, inc, state, who)
        buttons = [[Button(u.label, f"r:place:{u.code}")] for u in found]
        buttons.append([Button(texts.BUTTON_OTHER_PLACE, "r:place:other")])
        return [Reply(texts.REPORT_PLACE_UNKNOWN.format(text=text[:60]), buttons=buttons)]
    if step in ("attendees", "attendees-typed"):
        n = parse_attendees(text)
        if n is None:
            return [Reply(texts.REPORT_BAD_ATTENDEES)]
        data["attendees"] = n
        return await _advance(app, inc, state, who)
    if step == "concerns":
        if len(text) > MAX_CONCERNS:
            return [Reply(texts.REPORT_CONCERNS_TOO_LONG.format(length=len(text), limit=MAX_CONCERNS))]
        name = resident_name(text)
        if name:
            return [Reply(texts.REPORT_CONCERNS_NAME.format(name=name))]
        data["concerns"] = text
        return await _advance(app, inc, state, who)
    # A typed message where a tap is expected: show the step again.
    return await _prompt(app, inc, state, who)


async def on_button(app: App, inc: Incoming, arg: str) -> list[Reply]:
    kind, _, value = arg.partition(":")
    if kind in ("mine-edit", "mine-wd", "mine-wdy"):
        return await _on_mine_button(app, inc, kind, value)
    state = await app.store.get_dialog(inc.channel, inc.chat_id, inc.user_id)
    if state is None or state.flow != FLOW:
        return [Reply(texts.STALE_BUTTON)]
    who = await actor_of(app, inc)
    data = state.data
    if kind == "date" and value in ("0", "1"):
        day = app.today() - timedelta(days=int(value))
        problem = check_date(app, day)
        if problem:
            return [Reply(problem)]
        data["date"] = day.isoformat()
    elif kind == "form" and any(f.id == value for f in app.content.report_forms):
        data["form"] = value
    elif kind == "place":
        if value == "other":
            state.step = "place-typed"
            return await _prompt(app, inc, state, who)
        if app.units.get(value) is None:
            return [Reply(texts.STALE_BUTTON)]
        data["unit"] = value
    elif kind == "att":
        if value == "other":
            state.step = "attendees-typed"
            return await _prompt(app, inc, state, who)
        n = parse_attendees(value)
        if n is None:
            return [Reply(texts.STALE_BUTTON)]
        data["attendees"] = n
    elif kind == "top":
        if value == "done":
            if not data["topics"]:
                return [Reply(texts.REPORT_NEED_TOPIC), *await _prompt(app, inc, state, who)]
            return await _advance(app, inc, state, who)
        if app.content.topic(value) is None:
            return [Reply(texts.STALE_BUTTON)]
        topics = data["topics"]
        data["topics"] = [t for t in topics if t != value] if value in topics else [*topics, value]
        state.step = "topics"
        return await _prompt(app, inc, state, who)
    elif kind == "conc" and value == "skip":
        data["concerns"] = ""
    elif kind == "edit":
        if value in STEPS:
            data["editing"] = True
            state.step = value
            return await _prompt(app, inc, state, who)
        state.step = "edit"
        return await _prompt(app, inc, state, who)
    elif kind == "cancel":
        return await on_cancel(app, inc, "")
    elif kind in ("ok", "dup"):
        return await _save(app, inc, state, who, confirmed_duplicate=kind == "dup")
    else:
        return [Reply(texts.STALE_BUTTON)]
    return await _advance(app, inc, state, who)


async def _save(
    app: App, inc: Incoming, state: DialogState, who: Actor, confirmed_duplicate: bool
) -> list[Reply]:
    data = state.data
    missing = _missing(data)
    if missing:
        state.step = missing
        return await _prompt(app, inc, state, who)
    unit = app.units.get(data["unit"])
    assert unit is not None and who.user_id is not None
    record = {
        "user_id": who.user_id,
        "activity_date": data["date"],
        "form": data["form"],
        "unit_code": unit.code,
        "commune_code": unit.commune_code or unit.code,
        "place": unit.label,
        "attendees": data["attendees"],
        "topics": data["topics"],
        "concerns": data["concerns"] or "",
    }
    if data.get("report_id"):
        await app.store.update_report(data["report_id"], record)
        await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
        return [Reply(texts.REPORT_UPDATED.format(id=data["report_id"], summary=summary(app, data)))]
    if not confirmed_duplicate:
        since = utc_stamp(datetime.now(UTC) - timedelta(days=1))
        twin = await app.store.same_report(who.user_id, data["date"], unit.code, data["form"], since)
        if twin is not None:
            data["duplicate_of"] = twin["id"]
            state.step = "duplicate"
            return await _prompt(app, inc, state, who)
    report_id = await app.store.add_report(record)
    await app.store.clear_dialog(inc.channel, inc.chat_id, inc.user_id)
    return [Reply(texts.REPORT_SAVED.format(id=report_id, summary=summary(app, data)))]


# -- my reports ------------------------------------------------------------------------------------------
def _changeable(report: dict[str, Any]) -> bool:
    created = datetime.strptime(report["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return report["status"] == "active" and datetime.now(UTC) - created <= timedelta(days=CHANGE_DAYS)


async def on_mine(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/baocaocuatoi: my last reports, with edit and withdraw buttons for those still open to change."""
    who, refusal = await _reporter(app, inc, "/baocaocuatoi")
    if who is None:
        return refusal
    reports = await app.store.reports_of(who.user_id or 0)
    if not reports:
        return [Reply(texts.REPORT_MINE_EMPTY)]
    forms = {f.id: f.label for f in app.content.report_forms}
    lines = [texts.REPORT_MINE_HEADER]
    buttons = []
    for r in reports:
        lines.append(
            texts.REPORT_MINE_LINE.format(
                id=r["id"],
                date=date.fromisoformat(r["activity_date"]).strftime("%d/%m/%Y"),
                form=forms.get(r["form"], r["form"]),
                place=r["place"],
                attendees=r["attendees"],
                status=texts.REPORT_WITHDRAWN_MARK if r["status"] == "withdrawn" else "",
            )
        )
        if _changeable(r):
            buttons.append(
                [
                    Button(texts.BUTTON_EDIT_REPORT.format(id=r["id"]), f"r:mine-edit:{r['id']}"),
                    Button(texts.BUTTON_WITHDRAW_REPORT.format(id=r["id"]), f"r:mine-wd:{r['id']}"),
                ]
            )
    return [Reply("\n".join(lines), buttons=buttons)]


async def _on_mine_button(app: App, inc: Incoming, kind: str, value: str) -> list[Reply]:
    who, refusal = await _reporter(app, inc, "/baocaocuatoi")
    if who is None:
        return refusal
    report = await app.store.report(int(value)) if value.isdigit() else None
    if report is None or report["user_id"] != who.user_id:
        return [Reply(texts.REPORT_NOT_YOURS)]
    if not _changeable(report):
        return [Reply(texts.REPORT_TOO_OLD_TO_CHANGE.format(id=report["id"]))]
    if kind == "mine-wd":
        return [
            Reply(
                texts.REPORT_WITHDRAW_CONFIRM.format(id=report["id"]),
                buttons=[[Button(texts.BUTTON_WITHDRAW_YES, f"r:mine-wdy:{report['id']}")]],
            )
        ]
    if kind == "mine-wdy":
        await app.store.withdraw_report(report["id"])
        return [Reply(texts.REPORT_WITHDRAWN.format(id=report["id"]))]
    data = _new_data()
    data.update(
        {
            "date": report["activity_date"],
            "form": report["form"],
            "unit": report["unit_code"],
            "attendees": report["attendees"],
            "topics": report["topics"],
            "concerns": report["concerns"],
            "report_id": report["id"],
            "editing": True,
        }
    )
    return await _prompt(app, inc, DialogState(FLOW, "confirm", data), who)
