"""Subscriptions to talking points (/dangkynhan, /huynhan) and the upcoming events (/sukien)."""

from __future__ import annotations

from datetime import timedelta

from bot import calendar, subscriptions
from bot.app import App
from bot.auth import actor_of
from bot.core import Incoming, Reply
from bot.errors import LoaError
from bot.feature import Command, Feature
from bot.textnorm import strip_accents

# -- what it says --------------------------------------------------------------------------------------------
HELP_SUKIEN = "• /sukien — các ngày lễ, sự kiện sắp tới và điểm tin."
HELP_DANGKYNHAN = "• /dangkynhan, /huynhan — nhận, thôi nhận điểm tin theo lịch."
HELP_AMTHANH = (
    "• /amthanh, /amthanh tắt — điểm tin theo lịch kèm bản tin âm thanh để phát trên loa (Telegram)."
)
AUDIO_ON = (
    "Điểm tin theo lịch gửi tới đây sẽ kèm bản tin âm thanh (tin nhắn thoại) để phát trên loa truyền thanh. "
    "Gõ /amthanh tắt để thôi."
)
AUDIO_OFF = "Điểm tin theo lịch gửi tới đây sẽ chỉ có chữ. Gõ /amthanh để kèm lại âm thanh."
AUDIO_OFF_WORDS = ("tat", "thoi", "off", "khong")
AUDIO_ON_WORDS = ("bat", "co", "on", "nhan")
AUDIO_HOW = "Gõ /amthanh để nhận điểm tin kèm âm thanh, /amthanh tắt để thôi."
SUBSCRIBE_GROUP_DONE = "Nhóm này sẽ nhận điểm tin tuyên truyền theo lịch ({unit}). Gõ /huynhan để thôi nhận."
SUBSCRIBE_PRIVATE_DONE = "Đồng chí sẽ nhận điểm tin tuyên truyền theo lịch. Gõ /huynhan để thôi nhận."
UNSUBSCRIBED = "Đã thôi nhận điểm tin. Gõ /dangkynhan để nhận lại."
SUBSCRIBE_PRIVATE_PUBLIC = "Đồng chí sẽ nhận điểm tin tuyên truyền chung theo lịch. Gõ /huynhan để thôi nhận."
SUBSCRIBE_GROUP_PUBLIC = (
    "Nhóm này sẽ nhận điểm tin tuyên truyền chung theo lịch. Để nhận cả tin của xã/phường, "
    "nhờ cán bộ phụ trách gõ /dangkynhan trong nhóm. Gõ /huynhan để thôi nhận."
)
SUBSCRIBE_UNIT_NEEDS_OFFICER = (
    "Chỉ cán bộ phụ trách đơn vị mới gắn nhóm với đơn vị. Nhóm vẫn nhận điểm tin chung theo lịch; "
    "nhờ cán bộ gõ /dangkynhan trong nhóm để nhận tin của xã/phường."
)
EVENTS_HEADER = "Sự kiện sắp tới:"
EVENTS_LINE = "📅 {date} — {title}\n{points}"
EVENTS_EMPTY = "Không có sự kiện nào trong {days} ngày tới."
DIGEST_STOPPED = "Đã thôi gửi bản tin tuần cho đồng chí. Gõ /dangkynhan để nhận lại."
DIGEST_STARTED = "Đồng chí sẽ nhận bản tin tuần vào sáng thứ Hai."

UPCOMING_DAYS = 30


def _chat(inc: Incoming) -> subscriptions.Chat:
    private = inc.chat_type == "private"
    return subscriptions.Chat(inc.channel, inc.chat_id, inc.user_id, private, inc.group_admin)


_DONE = {
    subscriptions.Kind.PERSON: SUBSCRIBE_PRIVATE_DONE,
    subscriptions.Kind.PUBLIC_PERSON: SUBSCRIBE_PRIVATE_PUBLIC,
    subscriptions.Kind.GROUP_PUBLIC: SUBSCRIBE_GROUP_PUBLIC,
    subscriptions.Kind.GROUP_UNBOUND: SUBSCRIBE_UNIT_NEEDS_OFFICER,
}


async def on_subscribe(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/dangkynhan [MÃ ĐƠN VỊ]: this chat receives the talking points (see :mod:`bot.subscriptions`)."""
    code = args.strip().split()[0] if args.strip() else ""
    done = await subscriptions.subscribe(app, await actor_of(app, inc), _chat(inc), code)
    if done.kind == subscriptions.Kind.GROUP_UNIT and done.unit is not None:
        return [Reply(SUBSCRIBE_GROUP_DONE.format(unit=done.unit.label))]
    return [Reply(_DONE[done.kind])] + ([Reply(DIGEST_STARTED)] if done.digest else [])


async def on_unsubscribe(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/huynhan: no more talking points here."""
    done = await subscriptions.unsubscribe(app, await actor_of(app, inc), _chat(inc))
    return [Reply(UNSUBSCRIBED)] + ([Reply(DIGEST_STOPPED)] if done.digest else [])


async def on_audio(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/amthanh [tắt]: this chat's talking points come with the bulletin's voice message (or no longer)."""
    said = strip_accents(args.strip().lower())
    if said and said not in AUDIO_OFF_WORDS and said not in AUDIO_ON_WORDS:
        return [Reply(AUDIO_HOW)]
    on = said not in AUDIO_OFF_WORDS
    try:
        await subscriptions.set_audio(app, await actor_of(app, inc), _chat(inc), on)
    except LoaError as exc:
        return [Reply(exc.message)]
    return [Reply(AUDIO_ON if on else AUDIO_OFF)]


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
        Command("amthanh", on_audio, bare=("amthanh",), help=HELP_AMTHANH),
    ),
)
