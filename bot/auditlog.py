"""The audit log as people read it: a Vietnamese sentence a line, filtered by person, kind of action and day.

The store keeps each action's key and its details (``bot/store/audit.py``); this module turns them into
«Cán bộ Lò Thị Hoa (Xã Bản Hon) trả lại báo cáo #42: thiếu số người dự». Who may read what: a province officer
or an admin reads everyone's lines, a commune officer their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot import texts
from bot.app import App
from bot.auth import OPERATOR, Actor
from bot.clock import shown, utc_stamp
from bot.store.audit import AuditEntry

# -- what it says --------------------------------------------------------------------------------------------
# The kinds of action an officer filters by: (label, the action keys' prefixes).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bao-cao": ("Báo cáo", ("report.",)),
    "phat-thanh": ("Phát thanh, nhắc báo cáo", ("broadcast.", "remind.")),
    "cau-hoi": ("Câu hỏi chưa trả lời", ("inbox.",)),
    "noi-dung": ("Nội dung, văn bản", ("content.", "faq.", "document.")),
    "du-luan": ("Dư luận của bà con", ("opinion.", "voices.")),
    "dang-ky": ("Đăng ký, mã mời, nhận tin", ("register", "invite.", "subscribe", "unsubscribe")),
    "dang-nhap": ("Đăng nhập bảng điều khiển", ("web.",)),
}
SYSTEM_ACTORS = {OPERATOR: "Dòng lệnh (quản trị máy chủ)", "scheduler": "Loa (theo lịch)", "loa": "Loa"}
SOMEONE = "Người dùng {key}"
PERSON = "{role} {name}"
PERSON_IN = "{role} {name} ({unit})"
SENTENCES: dict[str, str] = {
    "report.accept": "nhận báo cáo #{id}",
    "report.return": "trả lại báo cáo #{id}{reason}",
    "report.resubmit": "gửi lại báo cáo #{id} đã sửa",
    "report.withdraw": "rút báo cáo #{id}",
    "report.export": "tải số liệu báo cáo {period} ({format})",
    "report.list": "xem danh sách báo cáo {period}",
    "report.stats": "xem thống kê báo cáo {period}",
    "broadcast.create": "tạo tin phát thanh #{id} tới {recipients} nơi nhận, gửi lúc {at}",
    "broadcast.cancel": "hủy tin phát thanh #{id}: rút {withdrawn} tin chưa gửi, {sent} tin đã gửi trước đó",
    "remind.now": "nhắc báo cáo {period} tới {recipients} người",
    "remind.quarter": "nhắc báo cáo cuối quý tới {recipients} người",
    "inbox.answered": "trả lời nhóm câu hỏi #{group}{entry}",
    "inbox.attached": "gắn nhóm câu hỏi #{group} vào câu hỏi đáp{entry}",
    "inbox.dismissed": "bỏ qua nhóm câu hỏi #{group}",
    "inbox.list": "xem câu hỏi chưa trả lời ({groups} nhóm)",
    "content.import": "nhập văn bản {document}",
    "document.validity": "đặt hiệu lực văn bản {document}",
    "faq.add": "thêm câu hỏi đáp{entry}",
    "faq.edit": "sửa câu hỏi đáp{entry}",
    "faq.retire": "thôi dùng câu hỏi đáp{entry}",
    "opinion.view": "xem dư luận {period}",
    "opinion.report": "tải báo cáo dư luận {period} ({format})",
    "voices.capture": "ghi {items} ý kiến của bà con",
    "register": "đăng ký làm {role}{unit}",
    "register.bad-code": "nhập sai mã mời",
    "register.throttled": "bị tạm khóa đăng ký vì nhập sai mã mời nhiều lần",
    "invite.create": "tạo mã mời {role}{unit}, {uses} lượt, {expires}",
    "subscribe": "bật nhận tin{unit}",
    "unsubscribe": "tắt nhận tin",
    "web.link": "lấy đường dẫn đăng nhập bảng điều khiển",
    "web.login": "đăng nhập bảng điều khiển",
    "web.logout": "đăng xuất bảng điều khiển",
}
OTHER = "làm việc khác ({action})"
NO_EXPIRY = "không hạn"
EXPIRES = "hết hạn {at}"
REASON = ": {reason}"
ENTRY = " «{title}»"
UNIT = " ({unit})"


@dataclass(frozen=True)
class Line:
    """One action as a sentence, with its time (a stored UTC stamp) shown beside it by the page."""

    at: str
    who: str
    sentence: str


@dataclass(frozen=True)
class Filter:
    """What the officer asked to see; days are local dates, inclusive."""

    person: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None


async def lines(app: App, who: Actor, wanted: Filter, limit: int = 200) -> list[Line]:
    """The lines ``who`` may read that match ``wanted``, newest first."""
    actors = readable_actors(app, who)
    if wanted.person:
        actors = [a for a in actors if a == wanted.person] if actors is not None else [wanted.person]
    prefixes = KINDS[wanted.kind][1] if wanted.kind in KINDS else ()
    since = _stamp(app, wanted.since) if wanted.since else None
    until = _stamp(app, wanted.until + timedelta(days=1)) if wanted.until else None
    rows = await app.db.audit.search(since, until, actors, prefixes, limit)
    names = await _names(app, {r.actor for r in rows})
    return [Line(r.at, names[r.actor], sentence(app, r, names[r.actor])) for r in rows]


def readable_actors(app: App, who: Actor) -> list[str] | None:
    """Whose lines ``who`` reads: None for everyone's (the province and admins), else their own."""
    return None if app.units.is_province(who.unit_code) else [who.key]


async def people(app: App, who: Actor) -> list[tuple[str, str]]:
    """The people ``who`` may filter by: (actor key, how they are named), by name."""
    keys = readable_actors(app, who)
    keys = await app.db.audit.actors() if keys is None else keys
    names = await _names(app, set(keys))
    return sorted(names.items(), key=lambda kv: kv[1])


def sentence(app: App, entry: AuditEntry, who: str) -> str:
    """«<who> <did what>» for one entry."""
    template = SENTENCES.get(entry.action)
    if template is None:
        return f"{who} {OTHER.format(action=entry.action)}"
    return f"{who} {template.format_map(_shown(app, entry.detail))}"


def _stamp(app: App, day: date) -> str:
    return utc_stamp(datetime.combine(day, time(0), app.settings.zone))


async def _names(app: App, keys: set[str]) -> dict[str, str]:
    found = {}
    for key in keys:
        found[key] = await _name(app, key)
    return found


async def _name(app: App, key: str) -> str:
    if key in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[key]
    channel, _, external = key.partition(":")
    user = await app.db.people.user(channel, external)
    if user is None or not user.name:
        if key in app.settings.admin_ids:
            return PERSON.format(role=texts.ROLE_NAMES["admin"].capitalize(), name=external)
        return SOMEONE.format(key=key)
    role = texts.ROLE_NAMES.get(user.role, user.role).capitalize()
    unit = app.units.get(user.unit_code)
    if unit is None or app.units.is_province(unit.code):
        return PERSON.format(role=role, name=user.name)
    return PERSON_IN.format(role=role, name=user.name, unit=unit.label)


class _Details(dict[str, Any]):
    """An entry's details as the sentences read them: titles for ids, local times, "" for what is missing."""

    def __missing__(self, key: str) -> str:
        return ""


def _shown(app: App, detail: dict[str, Any]) -> _Details:
    shown = _Details(detail)
    for key, show in _SHOWN.items():
        shown[key] = show(app, detail)
    return shown


def _period(app: App, d: dict[str, Any]) -> str:
    from bot import reports

    key = str(d.get("period") or "")
    try:
        return reports.period_of(key, app.today()).label.lower() if key else ""
    except reports.PeriodError:
        return key


def _when(app: App, d: dict[str, Any]) -> str:
    return shown(str(d.get("at") or d.get("expires") or ""), app.settings.zone)


def _expiry(app: App, d: dict[str, Any]) -> str:
    return EXPIRES.format(at=shown(str(d["expires"]), app.settings.zone)) if d.get("expires") else NO_EXPIRY


def _document(app: App, d: dict[str, Any]) -> str:
    doc = app.content.documents.get(str(d.get("id") or ""))
    return doc.name() if doc else str(d.get("number") or d.get("id") or "")


def _entry(app: App, d: dict[str, Any]) -> str:
    entry = app.content.entry(str(d.get("entry") or ""))
    return ENTRY.format(title=entry.questions[0]) if entry else ""


def _unit(app: App, d: dict[str, Any]) -> str:
    unit = app.units.get(str(d.get("unit") or ""))
    return UNIT.format(unit=unit.label) if unit else ""


def _reason(app: App, d: dict[str, Any]) -> str:
    reason = d.get("reason")
    return REASON.format(reason=reason) if reason else ""


_SHOWN = {
    "period": _period,
    "at": _when,
    "expires": _expiry,
    "document": _document,
    "entry": _entry,
    "unit": _unit,
    "reason": _reason,
    "role": lambda app, d: texts.ROLE_NAMES.get(str(d.get("role")), ""),
    "format": lambda app, d: str(d.get("format") or d.get("fmt") or "").upper(),
}
