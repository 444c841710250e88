"""Activity reports: the guided /baocao (taps only), the one-line quick report, and /baocaocuatoi.

The report is a dialog (:mod:`bot.dialog`) over a :class:`ReportDraft`: the engine keeps it in the database
(it survives a restart and a day's pause, and is parked rather than lost when it expires), answers questions
typed in the middle of it, and cancels it. The rules are checked again at the saving tap: the date still open,
the place in the reporter's commune or confirmed as outside it, an edited report still the reporter's, still
active and within its 7 days. Residents' names and phone numbers are masked before the concerns are stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot import privacy, report_fields, review, texts, voices
from bot.app import App
from bot.auth import PROPAGANDIST, Actor, actor_of
from bot.core import Incoming, Reply
from bot.dialog import Dialog, Finish, Goto, Stay, Step, Turn
from bot.errors import LoaError
from bot.feature import Buttons, Command, Feature
from bot.filing import (
    Filing,
    Outcome,
    change_refusal,
    changeable,
    check_date,
    file_report,
    home_commune,
    open_from,
    outside,
    withdraw,
)
from bot.textnorm import plain_key
from bot.topic_reading import GUESSES, phrase_words, read_topic
from bot.units import Unit, core_name
from handlers.voices import heard_replies

# -- what it says --------------------------------------------------------------------------------------------
HELP_BAOCAO = "• /baocao — gửi báo cáo buổi tuyên truyền."
HELP_BAOCAOCUATOI = "• /baocaocuatoi — xem, sửa báo cáo đã gửi."
REPORT_ASK_DATE = (
    "Báo cáo hoạt động tuyên truyền (gõ /huy để bỏ).\n① Ngày tổ chức? Chọn hoặc gõ ngày/tháng, ví dụ 12/3."
)
REPORT_ASK_FORM = "② Hình thức tuyên truyền?"
REPORT_ASK_PLACE = "③ Địa điểm?"
REPORT_TYPE_PLACE = "Xin gõ tên thôn, bản, tổ dân phố hoặc xã:"
REPORT_PLACE_UNKNOWN = "Không thấy «{text}» trong danh sách. Có phải nơi nào dưới đây? Hoặc gõ lại tên."
REPORT_ASK_ATTENDEES = "④ Bao nhiêu người dự? Chọn hoặc gõ số."
REPORT_TYPE_ATTENDEES = "Xin gõ số người dự (1 đến 5.000):"
REPORT_ASK_TOPICS = "⑤ Nội dung tuyên truyền? Chọn một hoặc nhiều chủ đề rồi chọn «Xong»."
REPORT_ASK_CONCERNS = (
    "⑥ Bà con hỏi hoặc băn khoăn điều gì? Gõ đúng như bà con nói, mỗi ý một dòng, ví dụ «Bao giờ bản có điện "
    "lưới?». KHÔNG ghi tên người dân. Không có thì chọn «Không có»."
)
BUTTON_NO_CONCERNS = "Không có ▸"
REPORT_SUMMARY = "Xin kiểm tra báo cáo:\n{summary}"
REPORT_NONE = "(không có)"
REPORT_MISSING = "(chưa có)"
REPORT_SAVED = "✅ Đã lưu báo cáo số {id}. Cảm ơn đồng chí!\n{summary}"
REPORT_UPDATED = "✅ Đã sửa báo cáo số {id}.\n{summary}"
REPORT_CANCELLED = "Đã hủy, không lưu gì. Gõ /baocao khi cần báo cáo lại."
REPORT_RESUME = "Đồng chí đang làm dở một báo cáo, tiếp tục nhé:"
REPORT_DUPLICATE = (
    "Đồng chí đã gửi báo cáo số {id} giống hệt (cùng ngày, nơi, hình thức) hôm nay. Vẫn gửi thêm báo cáo này?"
)
REPORT_BAD_DATE = "Không hiểu ngày «{text}». Gõ ngày/tháng, ví dụ 12/3, hoặc chọn Hôm nay, Hôm qua."
REPORT_BAD_ATTENDEES = "Số người dự phải là số nguyên từ 1 đến 5.000. Xin gõ lại:"
REPORT_CONCERNS_TOO_LONG = "Phần ý kiến dài quá ({length} ký tự). Xin viết gọn dưới {limit} ký tự:"
REPORT_CONCERNS_MASKED = (
    "Loa đã che tên, số điện thoại người dân (***) trong phần ý kiến: báo cáo không ghi tên ai."
)
REPORT_TITLE = "báo cáo"
REPORT_RESUME_HINT = "gõ /baocao để làm tiếp"
REPORT_STEP_SHORT = {
    "date": "① Ngày tổ chức?",
    "form": "② Hình thức tuyên truyền?",
    "place": "③ Địa điểm?",
    "attendees": "④ Bao nhiêu người dự?",
    "topics": "⑤ Nội dung tuyên truyền?",
    "concerns": "⑥ Bà con hỏi hoặc băn khoăn điều gì? (mỗi ý một dòng)",
    "extra": "⑦ Thông tin thêm?",
    "edit": "Sửa mục nào?",
    "confirm": "Gửi báo cáo?",
}
REPORT_BAD_NUMBER = "«{label}» cần một số nguyên từ 1 đến 5.000. Xin gõ lại, hoặc chọn «Bỏ qua»:"
REPORT_PLACE_OUTSIDE = (
    "«{place}» ở ngoài xã/phường của đồng chí ({home}). Buổi tuyên truyền vẫn được tính cho {home}. "
    "Đúng nơi này chứ?"
)
BUTTON_PLACE_YES = "✅ Đúng nơi này"
BUTTON_PLACE_OTHER = "Chọn nơi khác"
REPORT_PLACE_PROVINCE = "Xin chọn thôn, bản hoặc xã/phường nơi tổ chức, không phải cả tỉnh."
REPORT_PLACE_GONE = "Địa điểm đã chọn không còn trong danh sách đơn vị. Xin chọn lại."
REPORT_NEED_TOPIC = "Xin chọn ít nhất một chủ đề."
REPORT_EDIT_WHICH = "Sửa mục nào?"
REPORT_MINE_HEADER = "Báo cáo gần đây của đồng chí:"
REPORT_MINE_EMPTY = "Đồng chí chưa gửi báo cáo nào. Gõ /baocao để gửi."
REPORT_MINE_LINE = "Số {id} — {date}, {form}, {place}, {attendees} người{status}"
REPORT_WITHDRAWN_MARK = " (đã rút)"
REPORT_WITHDRAW_CONFIRM = (
    "Rút báo cáo số {id}? Báo cáo vẫn được lưu, đánh dấu «đã rút» và không tính vào tổng."
)
REPORT_WITHDRAWN = "Đã rút báo cáo số {id}."
BUTTON_TODAY = "Hôm nay"
BUTTON_YESTERDAY = "Hôm qua"
BUTTON_OTHER_NUMBER = "✏️ Số khác"
BUTTON_DONE = "Xong ▸"
BUTTON_SKIP = "Bỏ qua ▸"
BUTTON_SEND = "✅ Gửi"
BUTTON_EDIT = "✏️ Sửa"
BUTTON_SEND_ANYWAY = "Vẫn gửi"
BUTTON_EDIT_REPORT = "Sửa số {id}"
BUTTON_WITHDRAW_REPORT = "Rút số {id}"
BUTTON_WITHDRAW_YES = "Rút báo cáo"
REPORT_FIELD_NAMES = {
    "date": "Ngày",
    "form": "Hình thức",
    "place": "Địa điểm",
    "attendees": "Số người",
    "topics": "Chủ đề",
    "concerns": "Ý kiến người dân",
}
REPORT_QUICK_PARTIAL = "Đã hiểu được:\n{summary}\nXin bổ sung phần còn thiếu:"
REPORT_QUICK_DATE_OLD = (
    "① «{typed}» là ngày {date}, đã quá hạn báo cáo (nay chỉ nhận từ {start}; cần bổ sung buổi cũ thì "
    "liên hệ cán bộ).\nBuổi tuyên truyền này tổ chức ngày nào? Chọn, hoặc gõ lại ngày/tháng."
)
REPORT_QUICK_DATE_FUTURE = (
    "① «{typed}» là ngày {date}, chưa đến.\nBuổi tuyên truyền này tổ chức ngày nào? Chọn, hoặc gõ lại "
    "ngày/tháng."
)
REPORT_TOPIC_GUESS = "⑤ «{text}» là chủ đề nào? Chọn chủ đề gần nhất, hoặc «Khác» để xem tất cả."
REPORT_TOPIC_UNREAD = "Loa chưa rõ «{text}» thuộc chủ đề nào."
BUTTON_OTHER_TOPIC = "Khác ▸"
REVIEW_MINE_MARK = " — {state}"
REVIEW_MINE_REASON = "   Lý do trả lại: {reason}"

FLOW = "report"
PREFIX = "r"
STEPS = ("date", "form", "place", "attendees", "topics", "concerns")
MAX_ATTENDEES = 5000
MAX_CONCERNS = 500
MAX_DECLARED_TEXT = 200
ATTENDEE_CHOICES = [[10, 15, 20, 25, 30], [40, 50, 70, 100, 150], [200, 300]]
# The buttons of /baocaocuatoi (edit, withdraw, withdraw for sure), outside the dialog.
MINE_BUTTON = review.EDIT_BUTTON  # a returned report's notice carries its «Sửa» too
NEAR_QUESTION = 0.3  # how near a question of the FAQ must be for its topic to be offered for a report's words
_DATE_RE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b")


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


def parse_attendees(text: str) -> int | None:
    # "5.000" and "5,000" are five thousand (a thousands separator); "12.5" is not a head count.
    m = re.fullmatch(
        r"(\d{1,3}(?:[.,]\d{3})+|\d{1,6})\s*(nguoi|người|ng)?", text.strip(), flags=re.IGNORECASE
    )
    if not m:
        return None
    n = int(re.sub(r"[.,]", "", m.group(1)))
    return n if 1 <= n <= MAX_ATTENDEES else None


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
    """Fields of a one-line report ("12/3 họp bản Nà Tăm 45 người KT-XH 2023"); missing ones are absent.

    Nothing read is dropped unsaid: a date that cannot be taken (outside the open period, or to come) and
    words that name no topic clearly are kept for the dialog to ask about.
    """
    data: dict[str, Any] = {}
    rest = text
    m = _DATE_RE.search(text)
    if m:
        rest = rest.replace(m.group(0), " ")
    data.update(_quick_date(app, text, m))
    n = re.search(r"\b(\d{1,4})\s*(người|nguoi|ng)\b", rest, flags=re.IGNORECASE)
    if n:
        count = int(n.group(1))
        if 1 <= count <= MAX_ATTENDEES:
            data["attendees"] = count
        rest = rest.replace(n.group(0), " ")
    said = [] if m else ["hôm nay", "hôm qua"]  # a day said in words is not a topic either
    form = find_form(app, rest)
    if form:
        data["form"] = form
        said += next(f for f in app.content.report_forms if f.id == form).keywords
    # No place named: the registered village, as the guided report would offer first.
    home = app.units.get(who.unit_code)
    place = app.units.named_in(rest) or (home if home is not None and home.level == "village" else None)
    if place is not None and place.level != "province":
        # A place outside the reporter's commune is asked to be confirmed, never taken silently.
        data["unit" if not outside(app, who, place) else "pending_unit"] = place.code
        said += [place.name, core_name(place.name)]
    data.update(_quick_topic(app, _without(rest, said)))
    return data


def _quick_date(app: App, text: str, m: re.Match[str] | None) -> dict[str, Any]:
    """The date of a one-line report; one that cannot be taken is kept as typed, to be asked about."""
    key = f" {plain_key(text)} "
    if m:
        day = parse_date(m.group(0), app.today())
    elif " hom nay " in key or " hom qua " in key:
        day = parse_date("hom qua" if " hom qua " in key else "hom nay", app.today())
    else:
        return {}
    if day is None:
        return {}
    if check_date(app, day) is not None:
        return {"date_typed": m.group(0) if m else day.strftime("%d/%m"), "date_refused": day.isoformat()}
    return {"date": day.isoformat()}


def _quick_topic(app: App, phrase: str) -> dict[str, Any]:
    """The topic the words left name («KT-XH 2023»); words naming none clearly are kept with the closest
    topics, to be asked with buttons: those sharing their words, then those of the questions they are near
    («chuyển đổi số» is asked in «Kết quả nổi bật cả nước 2023»)."""
    reading = read_topic(app.content, phrase)
    if reading.topic is not None:
        return {"topics": [reading.topic]}
    if not phrase_words(app.content, phrase):
        return {}  # nothing said of a topic: the topic list is asked as in the guided report
    near = [c.entry.topic for c in app.kb.rank(phrase, limit=6) if c.score >= NEAR_QUESTION]
    reportable = {t.id for t in app.content.topics if t.reportable}
    guesses = [t for t in dict.fromkeys([*reading.guesses, *near]) if t in reportable][:GUESSES]
    return {"topic_text": " ".join(phrase.split())[:60], "topic_guesses": guesses}


def _without(text: str, phrases: list[str]) -> str:
    """``text`` as typed, less the words of each phrase found in it (compared accent-free, word for word)."""
    tokens = text.split()
    words = [(w, i) for i, token in enumerate(tokens) for w in plain_key(token).split()]
    plain = [w for w, _ in words]
    dropped: set[int] = set()
    for phrase in phrases:
        target = plain_key(phrase).split()
        for at in range(len(plain) - len(target) + 1):
            if target and plain[at : at + len(target)] == target:
                dropped.update(i for _, i in words[at : at + len(target)])
    return " ".join(t for i, t in enumerate(tokens) if i not in dropped)


# -- the dialog ------------------------------------------------------------------------------------------
@dataclass
class ReportDraft:
    date: str | None = None
    form: str | None = None
    unit: str | None = None
    attendees: int | None = None
    topics: list[str] = field(default_factory=list)
    concerns: str | None = None
    report_id: int | None = None  # an existing report being edited
    editing: bool = False  # after a field is set, back to the summary
    duplicate_of: int | None = None
    pending_unit: str | None = None  # a place outside the reporter's commune, waiting for confirmation
    outside_ok: bool = False  # the reporter confirmed a place outside their commune
    extra: dict[str, Any] = field(default_factory=dict)  # the declared fields (bot/report_fields.py)
    # A one-line report's date that could not be taken, as typed and as read: asked about, never dropped.
    date_typed: str = ""
    date_refused: str | None = None
    # A one-line report's words that name no topic clearly, and the closest topics to offer for them.
    topic_text: str = ""
    topic_guesses: list[str] = field(default_factory=list)


def _missing(d: ReportDraft) -> str | None:
    if d.unit is None and d.pending_unit:
        return "place-confirm"
    values = {"date": d.date, "form": d.form, "place": d.unit, "attendees": d.attendees}
    for step in ("date", "form", "place", "attendees"):
        if not values[step]:
            return step
    if not d.topics:
        return "topic-guess" if d.topic_guesses else "topics"
    if d.concerns is None:
        return "concerns"
    if _next_declared(d) is not None:
        return "extra"
    return None


def _next_declared(d: ReportDraft) -> report_fields.Field | None:
    """The first declared field the draft has no answer for (skipped counts as answered)."""
    return next((f for f in report_fields.declared() if f.key not in d.extra), None)


def _advance(turn: Turn[ReportDraft], lead: list[Reply] | None = None) -> Goto:
    """After a field is set: back to the summary when editing, else on to the next missing field."""
    nxt = None if turn.draft.editing else _missing(turn.draft)
    return Goto(nxt or "confirm", list(lead or []))


# prompts
def _prompt_date(turn: Turn[ReportDraft]) -> list[Reply]:
    row = [turn.button(BUTTON_TODAY, "date", 0), turn.button(BUTTON_YESTERDAY, "date", 1)]
    return [Reply(_refused_date(turn) or REPORT_ASK_DATE, buttons=[row])]


def _refused_date(turn: Turn[ReportDraft]) -> str | None:
    """Why the date a one-line report gave was not taken, and the question of the day; None otherwise."""
    d, app = turn.draft, turn.app
    if not d.date_refused:
        return None
    day = date.fromisoformat(d.date_refused)
    shown = day.strftime("%d/%m/%Y")
    if day > app.today():
        return REPORT_QUICK_DATE_FUTURE.format(typed=d.date_typed, date=shown)
    start = open_from(app).strftime("%d/%m/%Y")
    return REPORT_QUICK_DATE_OLD.format(typed=d.date_typed, date=shown, start=start)


def _prompt_form(turn: Turn[ReportDraft]) -> list[Reply]:
    forms = turn.app.content.report_forms
    return [Reply(REPORT_ASK_FORM, buttons=[[turn.button(f.label, "form", f.id)] for f in forms])]


def _prompt_place(turn: Turn[ReportDraft]) -> list[Reply]:
    app = turn.app
    options: list[Unit] = []
    home = app.units.get(turn.who.unit_code)
    if home is not None and home.level == "village":
        options.append(home)
        options += [v for v in app.units.villages(home.commune_code) if v.code != home.code][:3]
    elif home is not None and home.level == "commune":
        options += app.units.villages(home.code)[:4]
    buttons = [[turn.button(u.label, "place", u.code)] for u in options]
    buttons.append([turn.button(texts.BUTTON_OTHER_PLACE, "place", "other")])
    return [Reply(REPORT_ASK_PLACE, buttons=buttons)]


def _prompt_place_typed(turn: Turn[ReportDraft]) -> list[Reply]:
    return [Reply(REPORT_TYPE_PLACE)]


def _prompt_place_confirm(turn: Turn[ReportDraft]) -> list[Reply]:
    app = turn.app
    place = app.units.get(turn.draft.pending_unit)
    home = app.units.get(home_commune(app, turn.who))
    text = REPORT_PLACE_OUTSIDE.format(place=place.label if place else "?", home=home.name if home else "?")
    yes = turn.button(BUTTON_PLACE_YES, "pc", "yes")
    return [Reply(text, buttons=[[yes, turn.button(BUTTON_PLACE_OTHER, "pc", "no")]])]


def _prompt_attendees(turn: Turn[ReportDraft]) -> list[Reply]:
    rows = [[turn.button(str(n), "att", n) for n in row] for row in ATTENDEE_CHOICES]
    rows[-1].append(turn.button(BUTTON_OTHER_NUMBER, "att", "other"))
    return [Reply(REPORT_ASK_ATTENDEES, buttons=rows)]


def _prompt_attendees_typed(turn: Turn[ReportDraft]) -> list[Reply]:
    return [Reply(REPORT_TYPE_ATTENDEES)]


def _prompt_topic_guess(turn: Turn[ReportDraft]) -> list[Reply]:
    d, content = turn.draft, turn.app.content
    topics = [t for t in map(content.topic, d.topic_guesses) if t is not None]
    rows = [[turn.button(t.title, "tg", t.id)] for t in topics]
    rows.append([turn.button(BUTTON_OTHER_TOPIC, "tg", "other")])
    return [Reply(REPORT_TOPIC_GUESS.format(text=d.topic_text), buttons=rows)]


def _prompt_topics(turn: Turn[ReportDraft]) -> list[Reply]:
    chosen = set(turn.draft.topics)
    rows = [
        [turn.button(("✅ " if t.id in chosen else "▫️ ") + t.title, "top", t.id)]
        for t in turn.app.content.topics
        if t.reportable
    ]
    rows.append([turn.button(BUTTON_DONE, "top", "done")])
    pressed = turn.inc.data or ""
    text = REPORT_ASK_TOPICS
    if turn.draft.topic_text and not chosen:  # a one-line report's words that matched no topic at all
        text = f"{REPORT_TOPIC_UNREAD.format(text=turn.draft.topic_text)}\n{text}"
    return [Reply(text, buttons=rows, edit=pressed.startswith(f"{PREFIX}:top:"), several=True)]


def _prompt_concerns(turn: Turn[ReportDraft]) -> list[Reply]:
    return [Reply(REPORT_ASK_CONCERNS, buttons=[[turn.button(BUTTON_NO_CONCERNS, "conc", "skip")]])]


def _prompt_edit(turn: Turn[ReportDraft]) -> list[Reply]:
    rows = [[turn.button(REPORT_FIELD_NAMES[f], "edit", f)] for f in STEPS]
    rows += [[turn.button(f.label, "edit", f"x.{f.key}")] for f in report_fields.declared()]
    return [Reply(REPORT_EDIT_WHICH, buttons=rows)]


def _prompt_declared(turn: Turn[ReportDraft]) -> list[Reply]:
    f = _next_declared(turn.draft)
    if f is None:  # nothing left to ask (the table changed meanwhile)
        return _prompt_confirm(turn)
    return [Reply(f.prompt, buttons=[[turn.button(BUTTON_SKIP, "xskip", f.key)]])]


async def _typed_declared(turn: Turn[ReportDraft], text: str) -> Goto | Stay:
    f = _next_declared(turn.draft)
    if f is None:
        return _advance(turn)
    text = " ".join(text.split())
    if f.ask == "number":
        n = _count(text)
        if n is None:
            return Stay([Reply(REPORT_BAD_NUMBER.format(label=f.label))])
        turn.draft.extra[f.key] = n
        return _advance(turn)
    if len(text) > MAX_DECLARED_TEXT:
        return Stay([Reply(REPORT_CONCERNS_TOO_LONG.format(length=len(text), limit=MAX_DECLARED_TEXT))])
    # What people type may name a resident: masked, as the concerns are.
    turn.draft.extra[f.key] = privacy.mask(text, turn.app.public_names)
    return _advance(turn)


def _count(text: str) -> int | None:
    """The one number in ``text`` («12», «12 hộ», «khoảng 1.200»), from 1 to 5,000; None otherwise."""
    numbers = re.findall(r"\d+(?:[.,]\d{3})*", text)
    if len(numbers) != 1:
        return None
    n = int(re.sub(r"[.,]", "", numbers[0]))
    return n if 1 <= n <= MAX_ATTENDEES else None


async def _skip_declared(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    f = _next_declared(turn.draft)
    if f is None or f.key != value:
        return _stale(turn)
    turn.draft.extra[f.key] = None
    return _advance(turn)


def _prompt_duplicate(turn: Turn[ReportDraft]) -> list[Reply]:
    row = [turn.button(BUTTON_SEND_ANYWAY, "dup"), turn.button(texts.BUTTON_CANCEL, "cancel")]
    return [Reply(REPORT_DUPLICATE.format(id=turn.draft.duplicate_of), buttons=[row])]


def _prompt_confirm(turn: Turn[ReportDraft]) -> list[Reply]:
    row = [
        turn.button(BUTTON_SEND, "ok"),
        turn.button(BUTTON_EDIT, "edit"),
        turn.button(texts.BUTTON_CANCEL, "cancel"),
    ]
    return [Reply(REPORT_SUMMARY.format(summary=summary(turn.app, turn.draft)), buttons=[row])]


def summary(app: App, d: ReportDraft) -> str:
    """The draft field by field, as the declared table lists them (bot/report_fields.py)."""
    said = report_fields.Draft(
        activity_date=d.date,
        form=d.form,
        unit_code=d.unit or d.pending_unit,
        attendees=d.attendees,
        topics=list(d.topics),
        concerns=d.concerns,
        extra=dict(d.extra),
    )
    lines = []
    for f in report_fields.FIELDS:
        if not f.summary:
            continue
        # What may be left empty (concerns, a skipped declared field) reads «none»; the rest «not yet».
        empty = REPORT_NONE if f.optional or f.ask else REPORT_MISSING
        lines.append(f"• {f.label}: {f.show(app, said) or empty}")
    return "\n".join(lines)


# typed answers
async def _typed_date(turn: Turn[ReportDraft], text: str) -> Goto | Stay:
    day = parse_date(text, turn.app.today())
    if day is None:
        return Stay([Reply(REPORT_BAD_DATE.format(text=text[:40]))])
    return _set_date(turn, day)


def _set_date(turn: Turn[ReportDraft], day: date) -> Goto | Stay:
    problem = check_date(turn.app, day)
    if problem:
        return Stay([Reply(problem)])
    turn.draft.date, turn.draft.date_refused = day.isoformat(), None
    return _advance(turn)


async def _typed_place(turn: Turn[ReportDraft], text: str) -> Goto | Stay:
    app = turn.app
    exact = app.units.named_in(text)
    if exact is not None:
        return _choose_place(turn, exact)
    within = home_commune(app, turn.who)
    found = app.units.find(text, within=within) or app.units.find(text)
    found = [u for u in found if u.level != "province"]
    buttons = [[turn.button(u.label, "place", u.code)] for u in found]
    buttons.append([turn.button(texts.BUTTON_OTHER_PLACE, "place", "other")])
    return Stay([Reply(REPORT_PLACE_UNKNOWN.format(text=text[:60]), buttons=buttons)])


async def _typed_attendees(turn: Turn[ReportDraft], text: str) -> Goto | Stay:
    n = parse_attendees(text)
    if n is None:
        return Stay([Reply(REPORT_BAD_ATTENDEES)])
    turn.draft.attendees = n
    return _advance(turn)


async def _typed_concerns(turn: Turn[ReportDraft], text: str) -> Goto | Stay:
    if len(text) > MAX_CONCERNS:
        return Stay([Reply(REPORT_CONCERNS_TOO_LONG.format(length=len(text), limit=MAX_CONCERNS))])
    if voices.says_nothing(text):  # «không có» typed instead of tapped
        turn.draft.concerns = ""
        return _advance(turn)
    masked = privacy.mask(text, turn.app.public_names)
    turn.draft.concerns = masked
    lead = [Reply(REPORT_CONCERNS_MASKED)] if masked != text else []
    return _advance(turn, lead)


# buttons
async def _date_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    if value not in ("0", "1"):
        return _stale(turn)
    return _set_date(turn, turn.app.today() - timedelta(days=int(value)))


async def _form_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    if not any(f.id == value for f in turn.app.content.report_forms):
        return _stale(turn)
    turn.draft.form = value
    return _advance(turn)


async def _place_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    if value == "other":
        return Goto("place-typed")
    unit = turn.app.units.get(value)
    if unit is None or unit.level == "province":
        return _stale(turn)
    return _choose_place(turn, unit)


def _choose_place(turn: Turn[ReportDraft], unit: Unit) -> Goto | Stay:
    if unit.level == "province":
        return Stay([Reply(REPORT_PLACE_PROVINCE)])
    if outside(turn.app, turn.who, unit):
        turn.draft.pending_unit = unit.code
        return Goto("place-confirm")
    turn.draft.unit, turn.draft.pending_unit, turn.draft.outside_ok = unit.code, None, False
    return _advance(turn)


async def _place_confirm_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    d = turn.draft
    if value == "yes" and d.pending_unit and turn.app.units.get(d.pending_unit) is not None:
        d.unit, d.pending_unit, d.outside_ok = d.pending_unit, None, True
        return _advance(turn)
    if value == "no":
        d.pending_unit = None
        return Goto("place")
    return _stale(turn)


async def _attendees_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    if value == "other":
        return Goto("attendees-typed")
    n = parse_attendees(value) if value.isdecimal() and len(value) <= 4 else None
    if n is None:
        return _stale(turn)
    turn.draft.attendees = n
    return _advance(turn)


async def _topic_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    d = turn.draft
    if value == "done":
        if not d.topics:
            return Goto("topics", [Reply(REPORT_NEED_TOPIC)])
        return _advance(turn)
    topic = turn.app.content.topic(value)
    if topic is None or not topic.reportable:
        return _stale(turn)
    d.topics = [t for t in d.topics if t != value] if value in d.topics else [*d.topics, value]
    return Goto("topics")


async def _topic_guess_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    """A topic offered for a one-line report's words, or «Khác»: every topic, to pick one or more."""
    d = turn.draft
    if value == "other":
        d.topic_guesses = []
        return Goto("topics")
    if value not in d.topic_guesses:
        return _stale(turn)
    d.topics, d.topic_guesses = [value], []
    return _advance(turn)


async def _skip_concerns(turn: Turn[ReportDraft], value: str) -> Goto:
    turn.draft.concerns = ""
    return _advance(turn)


async def _edit_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay:
    if value in STEPS:
        turn.draft.editing = True
        return Goto(value)
    declared = {f.key for f in report_fields.declared()}
    if value.startswith("x.") and value[2:] in declared:
        turn.draft.editing = True
        turn.draft.extra.pop(value[2:], None)  # asked again
        return Goto("extra")
    if value:
        return _stale(turn)
    return Goto("edit")


async def _cancel_pressed(turn: Turn[ReportDraft], value: str) -> Finish:
    return Finish([Reply(REPORT_CANCELLED)])


async def _ok_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay | Finish:
    return await _save(turn, confirmed_duplicate=False)


async def _dup_pressed(turn: Turn[ReportDraft], value: str) -> Goto | Stay | Finish:
    return await _save(turn, confirmed_duplicate=True)


def _stale(turn: Turn[ReportDraft]) -> Stay:
    return Stay([Reply(texts.STALE_BUTTON_DIALOG.format(what=turn.dialog.title))])


async def _save(turn: Turn[ReportDraft], confirmed_duplicate: bool) -> Goto | Stay | Finish:
    """Save at the confirming tap: :func:`bot.filing.file_report` checks every rule again as it stands now."""
    app, who, d = turn.app, turn.who, turn.draft
    missing = _missing(d)
    if missing:
        return Goto(missing)
    filing = Filing(
        date=d.date or "",
        form=d.form or "",
        unit=d.unit or "",
        attendees=d.attendees or 0,
        topics=list(d.topics),
        concerns=d.concerns or "",
        extra={f.key: d.extra.get(f.key) for f in report_fields.declared()},
        report_id=d.report_id,
        outside_ok=d.outside_ok,
    )
    try:
        filed = await file_report(app, who, filing, confirmed_duplicate)
    except LoaError as exc:
        return Finish([Reply(exc.message)])
    if filed.outcome == Outcome.PLACE_GONE:
        d.unit = None
        return Goto("place", [Reply(REPORT_PLACE_GONE)])
    if filed.outcome == Outcome.PLACE_OUTSIDE:
        d.unit, d.pending_unit = None, d.unit
        return Goto("place-confirm")
    if filed.outcome == Outcome.BAD_DATE:
        d.date = None
        return Goto("date", [Reply(filed.problem)])
    if filed.outcome == Outcome.DUPLICATE:
        d.duplicate_of = filed.id
        return Goto("duplicate")
    done = REPORT_UPDATED if filed.outcome == Outcome.UPDATED else REPORT_SAVED
    return Finish([Reply(done.format(id=filed.id, summary=summary(app, d))), *heard_replies(filed.heard)])


_FIELD_BUTTONS = {
    "date": _date_pressed,
    "form": _form_pressed,
    "place": _place_pressed,
    "att": _attendees_pressed,
    "conc": _skip_concerns,
    "edit": _edit_pressed,
    "cancel": _cancel_pressed,
}

DIALOG: Dialog[ReportDraft] = Dialog(
    name=FLOW,
    prefix=PREFIX,
    draft=ReportDraft,
    title=REPORT_TITLE,
    command="baocao",
    cancelled=REPORT_CANCELLED,
    role=PROPAGANDIST,
    keep=True,
    resume_hint=REPORT_RESUME_HINT,
    # A field's button works from any step: a tap on an earlier message of the same report still counts.
    anywhere=_FIELD_BUTTONS,
    steps={
        "date": Step(_prompt_date, REPORT_STEP_SHORT["date"], text=_typed_date, awaits="date"),
        "form": Step(_prompt_form, REPORT_STEP_SHORT["form"]),
        "place": Step(_prompt_place, REPORT_STEP_SHORT["place"], text=_typed_place, awaits="place"),
        "place-typed": Step(
            _prompt_place_typed, REPORT_STEP_SHORT["place"], text=_typed_place, awaits="place"
        ),
        "place-confirm": Step(
            _prompt_place_confirm, REPORT_STEP_SHORT["place"], buttons={"pc": _place_confirm_pressed}
        ),
        "attendees": Step(
            _prompt_attendees, REPORT_STEP_SHORT["attendees"], text=_typed_attendees, awaits="number"
        ),
        "attendees-typed": Step(
            _prompt_attendees_typed,
            REPORT_STEP_SHORT["attendees"],
            text=_typed_attendees,
            awaits="number",
        ),
        "topics": Step(_prompt_topics, REPORT_STEP_SHORT["topics"], buttons={"top": _topic_pressed}),
        "topic-guess": Step(
            _prompt_topic_guess, REPORT_STEP_SHORT["topics"], buttons={"tg": _topic_guess_pressed}
        ),
        "concerns": Step(
            _prompt_concerns, REPORT_STEP_SHORT["concerns"], text=_typed_concerns, awaits="concern"
        ),
        "extra": Step(
            _prompt_declared,
            REPORT_STEP_SHORT["extra"],
            text=_typed_declared,
            awaits="text",
            buttons={"xskip": _skip_declared},
        ),
        "edit": Step(_prompt_edit, REPORT_STEP_SHORT["edit"]),
        "duplicate": Step(_prompt_duplicate, REPORT_STEP_SHORT["confirm"], buttons={"dup": _dup_pressed}),
        "confirm": Step(_prompt_confirm, REPORT_STEP_SHORT["confirm"], buttons={"ok": _ok_pressed}),
    },
)


# -- commands --------------------------------------------------------------------------------------------
async def on_command(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/baocao: resume a half-filled report, start a guided one, or read a one-line quick report."""
    from handlers.dialogs import engine

    who = await actor_of(app, inc)
    if not args:
        resumed = await engine().resume(app, inc, DIALOG, who)
        if resumed is not None:
            return [Reply(REPORT_RESUME), *resumed]
        return await engine().start(app, inc, DIALOG, ReportDraft(), "date", who=who)
    # A one-line report: what it says is filled in, residents' concerns are optional, the rest is asked.
    fields = parse_quick(app, args, who)
    draft = ReportDraft(concerns="", **fields)
    first = _missing(draft) or "confirm"
    lead = [Reply(REPORT_QUICK_PARTIAL.format(summary=summary(app, draft)))] if _missing(draft) else []
    return await engine().start(app, inc, DIALOG, draft, first, lead, who)


# -- my reports ------------------------------------------------------------------------------------------
async def on_mine(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/baocaocuatoi: my last reports, with edit and withdraw buttons for those still open to change."""
    who = await actor_of(app, inc)
    reports = await app.db.reports.of_user(who.user_id or 0)
    if not reports:
        return [Reply(REPORT_MINE_EMPTY)]
    forms = {f.id: f.label for f in app.content.report_forms}
    lines = [REPORT_MINE_HEADER]
    buttons = []
    for r in reports:
        lines.append(
            REPORT_MINE_LINE.format(
                id=r.id,
                date=date.fromisoformat(r.activity_date).strftime("%d/%m/%Y"),
                form=forms.get(r.form, r.form),
                place=r.place,
                attendees=r.attendees,
                status=REPORT_WITHDRAWN_MARK
                if r.status == "withdrawn"
                else REVIEW_MINE_MARK.format(state=texts.REVIEW_STATES[r.review]),
            )
        )
        if r.state == "returned" and r.review_reason:
            lines.append(REVIEW_MINE_REASON.format(reason=r.review_reason))
        if change_refusal(app, who, r) is None:
            buttons.append(
                [
                    MINE_BUTTON.button(BUTTON_EDIT_REPORT.format(id=r.id), "edit", r.id),
                    MINE_BUTTON.button(BUTTON_WITHDRAW_REPORT.format(id=r.id), "wd", r.id),
                ]
            )
    return [Reply("\n".join(lines), buttons=buttons)]


async def on_mine_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """Edit, withdraw (asks) and withdraw-yes of /baocaocuatoi: each checks ownership and the rules again."""
    from handlers.dialogs import engine

    who = await actor_of(app, inc)
    kind, report_id = values
    report = await changeable(app, who, report_id)  # a refusal is its one line (the router says it)
    if kind == "wd":
        button = MINE_BUTTON.button(BUTTON_WITHDRAW_YES, "wdy", report_id)
        return [Reply(REPORT_WITHDRAW_CONFIRM.format(id=report_id), buttons=[[button]])]
    if kind == "wdy":
        await withdraw(app, who, report_id)
        return [Reply(REPORT_WITHDRAWN.format(id=report_id))]
    draft = ReportDraft(
        date=report.activity_date,
        form=report.form,
        unit=report.unit_code,
        attendees=report.attendees,
        topics=list(report.topics),
        concerns=report.concerns,
        extra={f.key: report.extra.get(f.key) for f in report_fields.declared()},
        report_id=report_id,
        editing=True,
        outside_ok=True,  # the place was accepted when filed; choosing another place asks again
    )
    return await engine().start(app, inc, DIALOG, draft, "confirm", who=who)


FEATURE = Feature(
    name="report",
    order=60,
    commands=(
        Command("baocao", on_command, role=PROPAGANDIST, private=True, bare=("baocao",),
                help=HELP_BAOCAO),
        Command("baocaocuatoi", on_mine, role=PROPAGANDIST, private=True, bare=("baocaocuatoi",),
                help=HELP_BAOCAOCUATOI),
    ),
    buttons=(Buttons(MINE_BUTTON, on_mine_button, role=PROPAGANDIST, private=True),),
    dialog=DIALOG,
)  # fmt: skip
