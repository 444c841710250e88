"""Subscriptions to talking points (/dangkynhan, /huynhan) and the upcoming events (/sukien)."""

from __future__ import annotations

from datetime import timedelta

from bot import calendar
from bot.app import App
from bot.auth import OFFICER, PROPAGANDIST, actor_of
from bot.core import Incoming, Reply
from bot.feature import Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_SUKIEN = "• /sukien — các ngày lễ, sự kiện sắp tới và điểm tin."
HELP_DANGKYNHAN = "• /dangkynhan, /huynhan — nhận, thôi nhận điểm tin theo lịch."
SUBSCRIBE_GROUP_DONE = "Nhóm này sẽ nhận điểm tin tuyên truyền theo lịch ({unit}). Gõ /huynhan để thôi nhận."
SUBSCRIBE_PRIVATE_DONE = "Đồng chí sẽ nhận điểm tin tuyên truyền theo lịch. Gõ /huynhan để thôi nhận."
UNSUBSCRIBED = "Đã thôi nhận điểm tin. Gõ /dangkynhan để nhận lại."
SUBSCRIBE_PRIVATE_PUBLIC = "Đồng chí sẽ nhận điểm tin tuyên truyền chung theo lịch. Gõ /huynhan để thôi nhận."
SUBSCRIBE_NEEDS_ADMIN = "Chỉ quản trị viên của nhóm hoặc cán bộ mới đăng ký nhận tin cho nhóm."
SUBSCRIBE_NEEDS_UNIT = "Xin ghi mã đơn vị của nhóm, ví dụ: /dangkynhan 12-003"
SUBSCRIBE_GROUP_PUBLIC = (
    "Nhóm này sẽ nhận điểm tin tuyên truyền chung theo lịch. Để nhận cả tin của xã/phường, "
    "nhờ cán bộ phụ trách gõ /dangkynhan trong nhóm. Gõ /huynhan để thôi nhận."
)
SUBSCRIBE_UNIT_NEEDS_OFFICER = (
    "Chỉ cán bộ phụ trách đơn vị mới gắn nhóm với đơn vị. Nhóm vẫn nhận điểm tin chung theo lịch; "
    "nhờ cán bộ gõ /dangkynhan trong nhóm để nhận tin của xã/phường."
)
SUBSCRIBE_OUT_OF_SCOPE = (
    "«{unit}» ngoài phạm vi phụ trách của đồng chí; chỉ gắn nhóm với đơn vị mình phụ trách."
)
EVENTS_HEADER = "Sự kiện sắp tới:"
EVENTS_LINE = "📅 {date} — {title}\n{points}"
EVENTS_EMPTY = "Không có sự kiện nào trong {days} ngày tới."
DIGEST_STOPPED = "Đã thôi gửi bản tin tuần cho đồng chí. Gõ /dangkynhan để nhận lại."
DIGEST_STARTED = "Đồng chí sẽ nhận bản tin tuần vào sáng thứ Hai."

UPCOMING_DAYS = 30


async def on_subscribe(app: App, inc: Incoming, args: str) -> list[Reply]:
    """A person opts in; a group subscribes: bound to a unit by an officer of that unit, else public only.

    Officers' broadcasts reach only groups an officer bound, so no group admin can bind a group to a unit
    and no officer can bind one outside their own scope.
    """
    who = await actor_of(app, inc)
    if inc.chat_type == "private":
        await app.db.people.set_subscribed(inc.channel, inc.chat_id, True)
        registered = who.at_least(PROPAGANDIST)
        replies = [Reply(SUBSCRIBE_PRIVATE_DONE if registered else SUBSCRIBE_PRIVATE_PUBLIC)]
        if who.role == OFFICER:
            await app.db.people.set_digest(inc.channel, inc.user_id, True)
            replies.append(Reply(DIGEST_STARTED))
        return replies
    officer = who.at_least(OFFICER) and who.unit_code is not None
    if not (inc.group_admin or officer):
        return [Reply(SUBSCRIBE_NEEDS_ADMIN)]
    code = args.strip().split()[0] if args.strip() else ""
    if not officer:
        # A group admin may take the public talking points, but not bind the group to a unit.
        await app.db.people.set_subscribed(inc.channel, inc.chat_id, True, chat_type="group")
        await app.db.audit.add(who.key, "subscribe", {"chat": f"{inc.channel}:{inc.chat_id}", "unit": None})
        return [Reply(SUBSCRIBE_GROUP_PUBLIC if not code else SUBSCRIBE_UNIT_NEEDS_OFFICER)]
    unit = app.units.get(code or who.unit_code)
    if unit is None:
        return [Reply(SUBSCRIBE_NEEDS_UNIT)]
    if not app.units.in_scope(unit.code, who.unit_code):
        return [Reply(SUBSCRIBE_OUT_OF_SCOPE.format(unit=unit.label))]
    await app.db.people.set_subscribed(
        inc.channel, inc.chat_id, True, unit_code=unit.code, chat_type="group", bound_by=who.key
    )
    await app.db.audit.add(who.key, "subscribe", {"chat": f"{inc.channel}:{inc.chat_id}", "unit": unit.code})
    return [Reply(SUBSCRIBE_GROUP_DONE.format(unit=unit.label))]


async def on_unsubscribe(app: App, inc: Incoming, args: str) -> list[Reply]:
    if inc.chat_type != "private":
        who = await actor_of(app, inc)
        if not (inc.group_admin or who.at_least(OFFICER)):
            return [Reply(SUBSCRIBE_NEEDS_ADMIN)]
        await app.db.audit.add(who.key, "unsubscribe", {"chat": f"{inc.channel}:{inc.chat_id}"})
    await app.db.people.set_subscribed(
        inc.channel, inc.chat_id, False, chat_type="private" if inc.chat_type == "private" else "group"
    )
    replies = [Reply(UNSUBSCRIBED)]
    if inc.chat_type == "private" and (await actor_of(app, inc)).role == OFFICER:
        await app.db.people.set_digest(inc.channel, inc.user_id, False)  # an officer's weekly digest too
        replies.append(Reply(DIGEST_STOPPED))
    return replies


async def on_events(app: App, inc: Incoming, args: str) -> list[Reply]:
    """The events of the coming weeks with their talking points."""
    today = app.today()
    planned = calendar.plan(
        app.content.events,
        today,
        today + timedelta(days=UPCOMING_DAYS),
        app.settings.zone,
        app.content.documents,
    )
    seen: set[tuple[str, str]] = set()
    lines = [EVENTS_HEADER]
    for p in planned:
        key = (p.event.id, p.event_date.isoformat())
        if key in seen or p.event_date < today:
            continue
        seen.add(key)
        body = p.text().split("\n\n", 1)[-1]
        lines.append(
            EVENTS_LINE.format(date=p.event_date.strftime("%d/%m/%Y"), title=p.event.title, points=body)
        )
    if len(lines) == 1:
        return [Reply(EVENTS_EMPTY.format(days=UPCOMING_DAYS))]
    return [Reply("\n\n".join(lines))]


FEATURE = Feature(
    name="subscribe",
    order=40,
    commands=(
        Command("sukien", on_events, bare=("sukien",), help=HELP_SUKIEN),
        Command("dangkynhan", on_subscribe, bare=("dangkynhan",), help=HELP_DANGKYNHAN),
        Command("huynhan", on_unsubscribe, bare=("huynhan",)),
    ),
)
