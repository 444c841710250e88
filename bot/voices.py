"""Residents' voice: what a propagandist heard in the village, captured item by item (one use case).

Whatever is typed at a report's residents' step, and «dân hỏi: …» in a private chat, is what residents said:
split into items (one a line or a sentence), each asked of Loa as a question (:func:`bot.answers.ask`, which
masks names and phone numbers and, when Loa cannot answer, puts it in the officers' inbox as asked by the
residents of that village, so the answer comes back to the propagandist to take there). Each item is kept
masked with its village and whether it was answered; never who said it or who passed it on.

A theme rising sharply in a commune (``LOA_RISE_MENTIONS`` mentions from ``LOA_RISE_VILLAGES`` villages
within 7 days) tells the officers whose scope holds that commune, once a month per theme.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot import answers, outbox, privacy
from bot.app import App
from bot.auth import Actor
from bot.content import Theme
from bot.errors import BadInput
from bot.matcher import ANSWER
from bot.store.voices import ANSWERED_AT_ONCE, WAITING, NewVoice
from bot.textnorm import clean, strip_accents
from bot.themes import theme_of

# -- what it says --------------------------------------------------------------------------------------------
VOICES_NO_VILLAGE = (
    "Loa chưa biết đồng chí phụ trách bản nào nên chưa ghi được ý kiến của dân. Gõ /dangky để đăng ký."
)
VOICES_EMPTY = "Đồng chí gõ ý kiến của dân sau dấu hai chấm, ví dụ: «Dân hỏi: bao giờ bản có điện lưới?»"
VOICES_FIRST_ONLY = "Loa ghi {limit} ý đầu; {more} ý sau xin gửi thành tin khác."
VOICES_TOO_LONG = "Phần ý kiến dài quá ({length} ký tự). Xin viết gọn dưới {limit} ký tự, mỗi ý một dòng."
RISE_ALERT = (
    "📈 Dư luận đáng chú ý ở {commune}: {mentions} ý kiến về «{theme}» từ {villages} thôn, bản trong 7 ngày "
    "qua. Ví dụ: «{example}». Gõ /duluan để xem chung."
)
RISE_SUMMARY = "(dư luận tăng: {theme}, {commune})"

MAX_TEXT = 1500
MAX_ITEMS = 20
RISE_DAYS = 7

# How a propagandist says residents said something, at the start of a message or of an item, accent-free:
# «Dân hỏi:», «bà con phản ánh -», «cử tri kiến nghị», «người dân thắc mắc về …».
LEAD = re.compile(
    r"\s*(?:(?:nguoi )?dan|ba con|nhan dan|cu tri|ho dan)(?: (?:ban|thon|xom|to|minh|em))?\s+"
    r"(?:hoi ve|hoi|thac mac ve|thac mac|phan anh ve|phan anh|kien nghi|de nghi|ban khoan ve|ban khoan|"
    r"lo lang ve|lo lang)\b(?P<mark>\s*[:\-–]|\s*\n)?\s*"
)
# ... and how someone asks Loa what to say («dân hỏi thì trả lời thế nào?»): that is their own question.
_ASKS_FOR_ADVICE = re.compile(
    r"\b(tra loi|giai thich|noi sao|noi the nao|noi gi|nen noi|the nao cho|thi sao)\b"
)
# What means nothing was said: «không có», «ko co», «bà con không hỏi gì», «không có ý kiến».
_NOTHING = re.compile(
    r"^\W*(?:khong|ko|k|chua)\W*(?:co)?\W*(?:gi|y kien|y kien gi|cau hoi|cau hoi nao)?\W*$|"
    r"^\W*(?:ba con|nguoi dan|dan)?\W*(?:khong|chua)\W*"
    r"(?:hoi|co y kien|thac mac|phan anh|kien nghi)\W*(?:gi|nao)?\W*$"
)
_SPLIT = re.compile(r"\n+|(?<=[;!?])\s+|(?<=[^\W\d_]{3}[.])\s+")
_BULLET = re.compile(r"^\s*(?:[-–•*+]|\d{1,2}[.)])\s*")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass
class Heard:
    """One item as stored (masked), its theme, and Loa's answer when it had one to relay."""

    text: str
    theme: Theme
    outcome: answers.Outcome

    @property
    def answered(self) -> bool:
        """Loa answered it: the answer is ready to relay."""
        return self.outcome.status == ANSWER

    @property
    def waiting(self) -> bool:
        """It went to the officers' inbox (Loa could not answer, and it has words to group by)."""
        return not self.answered and bool(self.outcome.normalized)

    @property
    def state(self) -> int:
        return ANSWERED_AT_ONCE if self.answered else WAITING


def relayed(text: str) -> str | None:
    """What residents said, when ``text`` passes it on («Dân hỏi: …»); None when it is the sender's own
    question, even if it begins so («Dân hỏi thì trả lời thế nào?»)."""
    said = unicodedata.normalize("NFC", text).strip()
    folded = strip_accents(said).lower()
    m = LEAD.match(folded)
    if m is None or len(folded) != len(said):  # (a script folding longer would misplace the cut)
        return None
    if m.group("mark") is None and _ASKS_FOR_ADVICE.search(folded, m.end()):
        return None
    return said[m.end() :].strip()


def says_nothing(text: str) -> bool:
    """«không có», «ko co», «bà con không hỏi gì»: typed instead of the «Không có» button."""
    return bool(_NOTHING.match(strip_accents(clean(text)).lower()))


def items_of(text: str) -> list[str]:
    """The items of what was typed: a line or a sentence each, list marks and lead-ins («Dân hỏi:»)
    dropped, at least a word of three letters; nothing when it says there was nothing."""
    found = []
    for part in _SPLIT.split(text or ""):
        item = clean(_BULLET.sub("", part)).strip(" ,;")
        item = relayed(item) or item
        item = _BULLET.sub("", item).strip(" ,;")
        if any(len(w) >= 3 for w in _LETTERS.findall(item)) and not says_nothing(item):
            found.append(item)
    return found


async def capture(
    app: App,
    who: Actor,
    text: str,
    source: str,
    unit_code: str | None = None,
    day: date | None = None,
    report_id: int | None = None,
) -> list[Heard]:
    """Store what residents of ``unit_code`` (default: ``who``'s) said, answered where Loa can.

    Unanswered items go to the inbox with ``who``'s private chat, to which the officers' answer comes back.
    A report's items (``report_id``) replace those it held before; an item the report held already is kept
    as it was, not asked again. BadInput when there is nothing to store. What was asked now is returned.
    """
    if len(text) > MAX_TEXT:
        raise BadInput(VOICES_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
    unit = app.units.get(unit_code or who.unit_code)
    if unit is None or unit.level == "province":
        raise BadInput(VOICES_NO_VILLAGE)
    day = day or app.today()
    commune = unit.commune_code or unit.code
    known = {v.text: v for v in await app.db.voices.of_report(report_id)} if report_id is not None else {}
    channel, _, user = who.key.partition(":")
    reach = (channel, await app.db.people.private_chat_of(channel, user))  # where the officers' answer goes
    heard: list[Heard] = []
    rows: list[NewVoice] = []
    for item in items_of(text)[:MAX_ITEMS]:
        kept = known.get(privacy.mask(item, app.public_names))
        if kept is not None:
            text_, key, answered = kept.text, kept.normalized, kept.answered
        else:
            asked = await _ask(app, reach, item, unit.code)
            if asked is None:
                continue
            heard.append(asked)
            text_, key, answered = asked.text, asked.outcome.normalized, asked.state
        rows.append(NewVoice(day.isoformat(), unit.code, commune, source, report_id, text_, key, answered))
    if not rows and report_id is None:
        raise BadInput(VOICES_EMPTY)
    await app.db.voices.add(rows, replacing_report=report_id)
    if rows:
        detail = {"unit": unit.code, "items": len(rows), "asked": len(heard), "via": source}
        await app.db.audit.add(who.key, "voices.capture", detail)
    if heard:
        await _alert_rise(app, commune, {h.theme.id for h in heard}, day)
    return heard


async def _ask(app: App, reach: tuple[str, str], item: str, village: str) -> Heard | None:
    """One item asked of Loa for the residents of ``village`` (logged, and to the inbox when unanswered,
    with the chat ``reach`` to tell)."""
    channel, chat = reach
    out = await answers.ask(app, channel, item, village, chat, residents=village)
    if not out.logged or out.small_talk is not None:
        return None
    return Heard(out.logged, theme_of(app.content.themes, out.logged), out)


async def _alert_rise(app: App, commune_code: str, theme_ids: set[str], day: date) -> None:
    """Tell the officers over ``commune_code`` of a theme that rose sharply this week (once a month)."""
    since = (day - timedelta(days=RISE_DAYS - 1)).isoformat()
    rows = [v for v in await app.db.voices.between(since, day.isoformat()) if v.commune_code == commune_code]
    themed = {v.id: theme_of(app.content.themes, v.text) for v in rows}
    commune = app.units.get(commune_code)
    for theme_id in sorted(theme_ids):
        mentions = [v for v in rows if themed[v.id].id == theme_id]
        villages = {v.unit_code for v in mentions}
        if len(mentions) < app.settings.rise_mentions or len(villages) < app.settings.rise_villages:
            continue
        theme = themed[mentions[-1].id]
        text = RISE_ALERT.format(
            commune=commune.label if commune else commune_code,
            mentions=len(mentions),
            theme=theme.name,
            villages=len(villages),
            example=mentions[-1].text[:120],
        )
        notices: dict[tuple[str, str], str] = {}
        for officer in await app.db.people.officers():
            if app.units.in_scope(commune_code, officer.unit_code):
                chat = await app.db.people.private_chat_of(officer.channel, officer.external_id)
                notices[(officer.channel, chat)] = text
        if notices:
            summary = RISE_SUMMARY.format(theme=theme.name, commune=commune_code)
            key = f"rise:{commune_code}:{theme_id}:{day:%Y-%m}"
            await outbox.notify(app, key, notices, "loa", summary)
