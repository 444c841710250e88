"""Registration with an invite code (/dangky CODE, or /start CODE from a deep link) and invites (/moi).

Registration is a dialog (:mod:`bot.dialog`): confirm or type the name, then (a propagandist invited to a
commune) choose the village within that commune. The invite is checked when the code is typed and again at
the last tap, and one person spends at most one use of it. Wrong codes are audit-logged and, after a few in
an hour, refused for a while: codes are short enough to guess otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot import texts
from bot.app import App
from bot.auth import ADMIN, OFFICER, PROPAGANDIST
from bot.clock import utc_stamp
from bot.core import Incoming, Reply
from bot.dialog import Dialog, Finish, Goto, Stay, Step, Turn
from bot.feature import Command, Feature
from bot.invites import InviteError, describe_invite, issue_invite
from bot.units import Unit, core_name

# -- what it says --------------------------------------------------------------------------------------------
HELP_DANGKY = "• /dangky MÃ — đăng ký tuyên truyền viên bằng mã mời."
HELP_MOI = "• /moi tuyentruyenvien|canbo MÃ_ĐƠN_VỊ [lượt] [ngày] — tạo mã mời."
REGISTER_USAGE = "Gõ /dangky rồi mã mời, ví dụ: /dangky AB12CD34"
INVITE_UNKNOWN = "Mã mời «{code}» không đúng. Xin kiểm tra lại hoặc hỏi cán bộ đã gửi mã."
INVITE_USED_UP = "Mã mời «{code}» đã dùng hết lượt. Xin cán bộ cấp mã mới."
INVITE_EXPIRED = "Mã mời «{code}» đã hết hạn. Xin cán bộ cấp mã mới."
REGISTER_CONFIRM_NAME = "Mã mời hợp lệ: {role}, {unit}.\nTên hiển thị của đồng chí là «{name}»?"
REGISTER_TYPE_NAME = "Xin gõ họ tên của đồng chí (để cán bộ biết ai gửi báo cáo):"
REGISTER_BAD_NAME = (
    "Họ tên từ 2 đến 60 ký tự, mỗi từ có chữ cái (không chỉ có số hay biểu tượng). Xin gõ lại họ tên:"
)
REGISTER_DISPLAY_NAME_UNUSABLE = "Tên hiển thị này không dùng làm họ tên được."
REGISTER_TITLE = "đăng ký"
REGISTER_CANCELLED = "Đã hủy đăng ký. Gõ /dangky MÃ khi cần đăng ký lại."
REGISTER_STEP_NAME = "Họ tên của đồng chí?"
REGISTER_STEP_VILLAGE = "Đồng chí sinh hoạt ở thôn, bản, tổ dân phố nào?"
REGISTER_TOO_MANY_TRIES = (
    "Đồng chí đã nhập sai mã mời nhiều lần. Xin đợi {minutes} phút rồi thử lại, hoặc hỏi lại cán bộ đã "
    "gửi mã."
)
INVITE_ALREADY_USED = "Đồng chí đã đăng ký bằng mã «{code}» rồi. Mỗi người chỉ dùng một lượt của mã."
REGISTER_CHOOSE_VILLAGE = "Đồng chí sinh hoạt ở thôn, bản, tổ dân phố nào của {commune}?"
REGISTER_TYPE_VILLAGE = "Xin gõ tên thôn, bản, tổ dân phố:"
REGISTER_VILLAGE_UNKNOWN = "Không thấy «{text}» trong danh sách đơn vị. Có phải một trong các nơi sau?"
REGISTER_DONE = "Đã đăng ký: {name}, {role}, {unit}. Gõ /baocao để gửi báo cáo hoạt động tuyên truyền."
REGISTER_DONE_OFFICER = (
    "Đã đăng ký: {name}, {role}, phụ trách {unit}. Các lệnh: /thongke, /xuat, /chuatraloi."
)
BUTTON_YES = "✅ Đúng"
BUTTON_OTHER_NAME = "✏️ Gõ tên khác"
INVITE_USAGE = (
    "Cách dùng: /moi tuyentruyenvien|canbo MÃ_ĐƠN_VỊ [số lượt] [số ngày]. Ví dụ: /moi tuyentruyenvien "
    "12-003 20 30"
)

FLOW = "register"
PREFIX = "reg"
_CODE_RE = re.compile(r"^[A-Z0-9]{4,16}$")
# Words of letters and digits («Lò Văn Pằng», «ttv1», «Hùng.Lò»), each with a letter, joined by a space, a
# dot, an apostrophe or a hyphen: no markup, no emoji, no bare number («Nguyễn Văn 2»).
_WORD = r"(?=[^\W_]*[^\W\d_])[^\W_]+"
_NAME_RE = re.compile(rf"^{_WORD}(?:[ .'-]+{_WORD})*\.?$")
_INVISIBLE = "\u200d\ufe0e\ufe0f"  # what joins and styles emoji
MAX_WRONG_CODES = 5  # per person and hour; then refused until the hour has passed
WRONG_CODE_WINDOW = timedelta(hours=1)


def clean_name(text: str) -> str | None:
    """A person's name as typed ("lò văn  pằng" → "Lò Văn Pằng"; a handle such as "ttv1" as it is), or None
    if it cannot be one: empty, only digits or emoji, markup, longer than 60 characters or 7 words."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not 2 <= len(name) <= 60 or len(name.split()) > 7 or not _NAME_RE.match(name):
        return None
    return " ".join(w[:1].upper() + w[1:] if w.isalpha() else w for w in name.split())


def offered_name(display: str) -> str:
    """The messenger's name as it can be offered to confirm: emoji and symbols left out («Hoa 🌸» → «Hoa»);
    "" when what is left would not be accepted as a name (then the name is asked)."""
    kept = "".join(
        " " if unicodedata.category(c)[0] == "S" or c in _INVISIBLE else c
        for c in unicodedata.normalize("NFC", display)
    )
    return clean_name(kept) or ""


def _small_number(word: str, high: int) -> int | None:
    return int(word) if word.isdecimal() and len(word) <= 4 and 1 <= int(word) <= high else None


async def on_invite_command(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/moi ROLE UNIT [USES] [DAYS] — admins only, in a private chat (the router checks both)."""
    parts = args.split()
    numbers = [_small_number(p, 1000) for p in parts[2:4]]
    if len(parts) < 2 or len(parts) > 4 or None in numbers:
        return [Reply(INVITE_USAGE)]
    uses = numbers[0] if numbers else 1
    days = numbers[1] if len(numbers) > 1 else None
    try:
        invite = await issue_invite(app, parts[0], parts[1], uses or 1, days, inc.actor)
    except InviteError as exc:
        return [Reply(str(exc))]
    return [Reply(describe_invite(invite, app.settings.zone))]


# -- the dialog ------------------------------------------------------------------------------------------
@dataclass
class RegisterDraft:
    code: str = ""
    role: str = PROPAGANDIST
    unit: str = ""  # the invite's unit, then the village chosen in it
    commune: str = ""  # where the village is chosen
    name: str = ""  # the messenger's display name until one is confirmed or typed


def _unit_label(app: App, code: str) -> str:
    unit = app.units.get(code)
    return unit.label if unit else code


def _prompt_name(turn: Turn[RegisterDraft]) -> list[Reply]:
    d = turn.draft
    text = REGISTER_CONFIRM_NAME.format(
        role=texts.ROLE_NAMES[d.role], unit=_unit_label(turn.app, d.unit), name=d.name
    )
    buttons = [[turn.button(BUTTON_YES, "name-ok"), turn.button(BUTTON_OTHER_NAME, "name-edit")]]
    return [Reply(text, buttons=buttons)]


def _prompt_type_name(turn: Turn[RegisterDraft]) -> list[Reply]:
    return [Reply(REGISTER_TYPE_NAME)]


def _village_buttons(turn: Turn[RegisterDraft], villages: list[Unit]) -> list[list[Any]]:
    rows = [[turn.button(v.name, "village", v.code)] for v in villages]
    rows.append([turn.button(texts.BUTTON_OTHER_PLACE, "village-other")])
    return rows


def _prompt_village(turn: Turn[RegisterDraft]) -> list[Reply]:
    commune = turn.app.units.get(turn.draft.commune)
    villages = turn.app.units.villages(turn.draft.commune)
    text = REGISTER_CHOOSE_VILLAGE.format(commune=commune.name if commune else turn.draft.commune)
    return [Reply(text, buttons=_village_buttons(turn, villages))]


def _prompt_type_village(turn: Turn[RegisterDraft]) -> list[Reply]:
    return [Reply(REGISTER_TYPE_VILLAGE)]


async def _typed_name(turn: Turn[RegisterDraft], text: str) -> Goto | Stay | Finish:
    name = clean_name(text)
    if name is None:
        return Stay([Reply(REGISTER_BAD_NAME)])
    turn.draft.name = name
    return await _after_name(turn)


async def _name_ok(turn: Turn[RegisterDraft], value: str) -> Goto | Stay | Finish:
    if clean_name(turn.draft.name) is None:  # a display name that cannot be a name (emoji, digits)
        return Goto("name-typed", [Reply(REGISTER_DISPLAY_NAME_UNUSABLE)])
    return await _after_name(turn)


async def _name_edit(turn: Turn[RegisterDraft], value: str) -> Goto:
    return Goto("name-typed")


async def _after_name(turn: Turn[RegisterDraft]) -> Goto | Stay | Finish:
    unit = turn.app.units.get(turn.draft.unit)
    if turn.draft.role == PROPAGANDIST and unit is not None and unit.level == "commune":
        turn.draft.commune = unit.code
        return Goto("village")
    return await _finish(turn)


async def _village_pressed(turn: Turn[RegisterDraft], value: str) -> Goto | Stay | Finish:
    unit = turn.app.units.get(value)
    if unit is None or unit.level != "village" or unit.commune_code != turn.draft.commune:
        return Stay([Reply(texts.STALE_BUTTON_DIALOG.format(what=turn.dialog.title))])
    turn.draft.unit = unit.code
    return await _finish(turn)


async def _village_other(turn: Turn[RegisterDraft], value: str) -> Goto:
    return Goto("village-typed")


async def _typed_village(turn: Turn[RegisterDraft], text: str) -> Goto | Stay | Finish:
    units = turn.app.units
    commune = turn.draft.commune
    named = units.named_in(text)
    if named is not None and named.level == "village" and named.commune_code == commune:
        turn.draft.unit = named.code
        return await _finish(turn)
    found = [u for u in units.find(text, within=commune) if u.level == "village"]
    if len(found) == 1 and core_name(found[0].name) == core_name(text):
        turn.draft.unit = found[0].code
        return await _finish(turn)
    # A near name is offered, never taken on its own: a typo must not register someone in the wrong place.
    candidates = found or units.villages(commune)
    return Stay(
        [
            Reply(
                REGISTER_VILLAGE_UNKNOWN.format(text=text[:60]),
                buttons=_village_buttons(turn, candidates),
            )
        ]
    )


async def _finish(turn: Turn[RegisterDraft]) -> Finish:
    app, inc, d = turn.app, turn.inc, turn.draft
    problem = await app.db.invites.use(d.code, inc.channel, inc.user_id)
    if problem is not None:
        return Finish([Reply(_invite_problem(problem, d.code))])
    await app.db.people.set_role(inc.channel, inc.user_id, d.role, d.unit, d.name)
    # Registered people get the talking points in their private chat unless they opt out (/huynhan).
    await app.db.people.set_subscribed(inc.channel, inc.chat_id, True)
    await app.db.audit.add(inc.actor, "register", {"code": d.code, "role": d.role, "unit": d.unit})
    template = REGISTER_DONE_OFFICER if d.role == OFFICER else REGISTER_DONE
    role = texts.ROLE_NAMES[d.role]
    return Finish([Reply(template.format(name=d.name, role=role, unit=_unit_label(app, d.unit)))])


def _invite_problem(problem: str, code: str) -> str:
    return {
        "unknown": INVITE_UNKNOWN,
        "expired": INVITE_EXPIRED,
        "used-up": INVITE_USED_UP,
        "used-by-you": INVITE_ALREADY_USED,
    }[problem].format(code=code)


_VILLAGE = {"village": _village_pressed, "village-other": _village_other}

DIALOG: Dialog[RegisterDraft] = Dialog(
    name=FLOW,
    prefix=PREFIX,
    draft=RegisterDraft,
    title=REGISTER_TITLE,
    command="dangky",
    cancelled=REGISTER_CANCELLED,
    steps={
        "name": Step(
            _prompt_name,
            REGISTER_STEP_NAME,
            text=_typed_name,
            buttons={"name-ok": _name_ok, "name-edit": _name_edit},
            awaits="name",
        ),
        "name-typed": Step(_prompt_type_name, REGISTER_STEP_NAME, text=_typed_name, awaits="name"),
        # Typed or offered, a village is chosen with the same buttons (those of a near name, too).
        "village": Step(
            _prompt_village,
            REGISTER_STEP_VILLAGE,
            text=_typed_village,
            buttons=_VILLAGE,
            awaits="place",
        ),
        "village-typed": Step(
            _prompt_type_village,
            REGISTER_STEP_VILLAGE,
            text=_typed_village,
            buttons=_VILLAGE,
            awaits="place",
        ),
    },
)


async def on_register(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/dangky CODE (and /start CODE): check the invite, then confirm name and village."""
    from handlers.dialogs import engine

    code = args.strip().upper()
    if not code:
        return [Reply(REGISTER_USAGE)]
    now = app.clock()
    since = utc_stamp(now - WRONG_CODE_WINDOW)
    if await app.db.audit.count(inc.actor, "register.bad-code", since) >= MAX_WRONG_CODES:
        # Audited once per window: officers see who tried, without a row for every further guess.
        if not await app.db.audit.count(inc.actor, "register.throttled", since):
            await app.db.audit.add(inc.actor, "register.throttled", {})
        minutes = int(WRONG_CODE_WINDOW.total_seconds() // 60)
        return [Reply(REGISTER_TOO_MANY_TRIES.format(minutes=minutes))]
    invite = await app.db.invites.get(code) if _CODE_RE.match(code) else None
    shown = code[:16]
    if invite is None:
        await app.db.audit.add(inc.actor, "register.bad-code", {})
        return [Reply(INVITE_UNKNOWN.format(code=shown))]
    if invite.expires_at and invite.expires_at < utc_stamp(now):
        return [Reply(INVITE_EXPIRED.format(code=shown))]
    if invite.uses_left <= 0:
        return [Reply(INVITE_USED_UP.format(code=shown))]
    if await app.db.invites.used_by(code, inc.channel, inc.user_id):
        return [Reply(INVITE_ALREADY_USED.format(code=shown))]
    # The messenger's name is offered only when it would be accepted as a name: never offered, then refused.
    display = offered_name(inc.display_name)
    draft = RegisterDraft(code=code, role=invite.role, unit=invite.unit_code, name=display)
    return await engine().start(app, inc, DIALOG, draft, "name" if display else "name-typed")


FEATURE = Feature(
    name="register",
    order=50,
    commands=(
        Command("dangky", on_register, private=True, help=HELP_DANGKY),
        Command("moi", on_invite_command, role=ADMIN, private=True, help=HELP_MOI),
    ),
    dialog=DIALOG,
)
