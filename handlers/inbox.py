"""/chuatraloi: the officers' inbox in chat. Groups of alike questions Loa could not answer, of the officer's
scope, newest first; a group opens with «Trả lời» (type the answer, pick the document and section it rests on
or none, see it, send), «Giống câu đã có» (pick the entry these questions are another way of asking) and
«Bỏ qua». Those who asked are told through the broadcast engine (:mod:`bot.inbox`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot import inbox, texts
from bot.answers import button_label
from bot.app import App
from bot.auth import OFFICER, actor_of
from bot.buttons import ButtonData, Choice, Int
from bot.content import CURRENT, Source
from bot.core import Incoming, Reply
from bot.dialog import Dialog, Finish, Goto, Stay, Step, Turn
from bot.feature import Buttons, Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_CHUATRALOI = "• /chuatraloi — câu hỏi Loa chưa trả lời được: trả lời, gắn vào câu có sẵn hoặc bỏ qua."
INBOX_TITLE = "trả lời câu hỏi"
INBOX_CANCELLED = "Đã thôi, nhóm câu hỏi vẫn chờ trong /chuatraloi."
INBOX_HEADER = "📥 {count} nhóm câu hỏi Loa chưa trả lời được, mới nhất trước (trang {page}/{pages}):"
INBOX_LINE = "#{id} «{question}» — {count} lần, gần nhất {last}"
INBOX_RESIDENTS = "👥 Bà con hỏi qua tuyên truyền viên: {villages}"
INBOX_GONE = "Nhóm câu hỏi #{id} không còn chờ (đã có người xử lý)."
INBOX_GROUP = "📥 Nhóm #{id}: hỏi {count} lần, từ {first} đến {last}:"
INBOX_TYPE_ANSWER = "✍️ Gõ câu trả lời cho nhóm #{id} («{question}»). Người đã hỏi sẽ nhận đúng câu này."
INBOX_ANSWER_LENGTH = "Câu trả lời cần {low}–{high} ký tự (đang có {length}); gõ lại."
INBOX_PICK_SOURCE = "Câu trả lời dựa vào văn bản nào?"
INBOX_TYPE_SECTION = "Gõ số mục của văn bản (ví dụ II.1.6). Các mục: {sections}"
INBOX_NO_SECTION = "Văn bản không có mục «{section}»; gõ lại số mục."
INBOX_PREVIEW = "👀 Xem trước — người đã hỏi «{question}» sẽ nhận:\n\n{answer}\n\n📄 Nguồn: {cite}"
INBOX_PICK_ENTRY = (
    "Nhóm #{id} («{question}») giống câu hỏi có sẵn nào? Chọn, hoặc gõ vài chữ để tìm câu khác."
)
INBOX_NOTHING_FOUND = "Không tìm thấy câu nào; gõ chữ khác."
INBOX_STEP_ANSWER = "Gõ câu trả lời."
INBOX_STEP_SOURCE = "Chọn văn bản làm nguồn."
INBOX_STEP_SECTION = "Gõ số mục của văn bản."
INBOX_STEP_CONFIRM = "Bấm «Gửi» để trả lời."
INBOX_STEP_ATTACH = "Chọn câu hỏi có sẵn, hoặc gõ vài chữ để tìm."
BUTTON_INBOX_ANSWER = "✍️ Trả lời"
BUTTON_INBOX_ATTACH = "🔗 Giống câu đã có"
BUTTON_INBOX_DISMISS = "🗑 Bỏ qua"
BUTTON_INBOX_SEND = "✅ Gửi câu trả lời"
BUTTON_INBOX_REWRITE = "✏️ Viết lại"
INBOX_EXPIRED = " (hết hiệu lực)"

PAGE = 5
INBOX_BUTTON = ButtonData("ibx", [Choice("show", "ans", "att", "dis", "page"), Int(0, 10**9)])
MIN_ANSWER, MAX_ANSWER = 10, 1500


def _when(stamp: str) -> str:
    return f"{stamp[8:10]}/{stamp[5:7]}"


async def on_inbox(app: App, inc: Incoming, args: str) -> list[Reply]:
    """/chuatraloi: the first page of open groups."""
    return await _page(app, inc, 1, edit=False)


async def _page(app: App, inc: Incoming, page: int, edit: bool) -> list[Reply]:
    who = await actor_of(app, inc)
    groups = await inbox.open_groups(app, who.unit_code, shown=page * PAGE)
    await app.db.audit.add(who.key, "inbox.list", {"scope": who.unit_code, "groups": len(groups)})
    if not groups:
        return [Reply(texts.INBOX_EMPTY, edit=edit)]
    pages = -(-len(groups) // PAGE)
    page = min(max(1, page), pages)
    shown = groups[(page - 1) * PAGE : page * PAGE]
    lines = [INBOX_HEADER.format(count=len(groups), page=page, pages=pages)]
    for g in shown:
        lines.append(INBOX_LINE.format(id=g.id, question=g.questions[0], count=g.count, last=_when(g.last)))
        if g.residents:
            lines.append("   " + INBOX_RESIDENTS.format(villages="; ".join(g.residents)))
    rows = [[INBOX_BUTTON.button(button_label(f"#{g.id} {g.questions[0]}"), "show", g.id)] for g in shown]
    if page < pages:
        rows.append([INBOX_BUTTON.button(texts.BUTTON_MORE, "page", page + 1)])
    return [Reply("\n".join(lines), buttons=rows, edit=edit)]


async def _show(app: App, inc: Incoming, group_id: int) -> list[Reply]:
    who = await actor_of(app, inc)
    group = await inbox.find(app, group_id, who.unit_code)
    if group is None:
        return [Reply(INBOX_GONE.format(id=group_id))]
    lines = [INBOX_GROUP.format(id=group.id, count=group.count, first=_when(group.first),
                                      last=_when(group.last))]  # fmt: skip
    lines += [f"• «{q}»" for q in group.questions]
    if group.residents:
        lines.append(INBOX_RESIDENTS.format(villages="; ".join(group.residents)))
    buttons = [
        [INBOX_BUTTON.button(BUTTON_INBOX_ANSWER, "ans", group.id)],
        [INBOX_BUTTON.button(BUTTON_INBOX_ATTACH, "att", group.id)],
        [INBOX_BUTTON.button(BUTTON_INBOX_DISMISS, "dis", group.id)],
    ]
    return [Reply("\n".join(lines), buttons=buttons)]


async def on_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """The inbox's buttons: a page, a group, and what to do with it."""
    from handlers.dialogs import engine

    action, number = str(values[0]), int(values[1])
    if action == "page":
        return await _page(app, inc, number, edit=True)
    if action == "show":
        return await _show(app, inc, number)
    who = await actor_of(app, inc)
    if action == "dis":
        try:
            await inbox.dismiss(app, number, who.key, who.unit_code)
        except inbox.InboxError as exc:
            return [Reply(str(exc))]
        return [Reply(texts.INBOX_DISMISSED.format(id=number))]
    group = await inbox.find(app, number, who.unit_code)
    if group is None:
        return [Reply(INBOX_GONE.format(id=number))]
    draft = InboxDraft(group=number, question=group.questions[0])
    if action == "ans":
        return await engine().start(app, inc, INBOX_DIALOG, draft, "answer", who=who)
    draft.choices = [c.entry.id for c in app.kb.rank(group.questions[0])[:PAGE]]
    return await engine().start(app, inc, INBOX_DIALOG, draft, "attach", who=who)


# -- the dialog: answer a group, or attach it to an entry ----------------------------------------------------
@dataclass
class InboxDraft:
    group: int = 0
    question: str = ""  # the group's latest question, to remind the officer
    answer: str = ""
    document: str = ""
    section: str = ""
    choices: list[str] = field(default_factory=list)  # entries offered to attach to


def _prompt_answer(turn: Turn[InboxDraft]) -> list[Reply]:
    d = turn.draft
    return [Reply(INBOX_TYPE_ANSWER.format(id=d.group, question=d.question))]


async def _typed_answer(turn: Turn[InboxDraft], text: str) -> Goto | Stay:
    if not MIN_ANSWER <= len(text) <= MAX_ANSWER:
        wrong = INBOX_ANSWER_LENGTH.format(low=MIN_ANSWER, high=MAX_ANSWER, length=len(text))
        return Stay([Reply(wrong)])
    turn.draft.answer = text
    return Goto("source")


def _documents(turn: Turn[Any]) -> list[Any]:
    """The documents an answer may rest on: not superseded, the current ones first, newest first."""
    today = turn.app.today()
    docs = [d for d in turn.app.content.documents.values() if d.superseded_by is None]
    return sorted(docs, key=lambda d: (d.state(today) == CURRENT, d.issued or date.min), reverse=True)[:PAGE]


def _prompt_source(turn: Turn[InboxDraft]) -> list[Reply]:
    today = turn.app.today()
    rows = [
        [
            turn.button(
                button_label(d.name() + ("" if d.state(today) == CURRENT else INBOX_EXPIRED)),
                "doc",
                d.id,
            )
        ]
        for d in _documents(turn)
    ]
    rows.append([turn.button(texts.BUTTON_NO_SOURCE, "nosource")])
    return [Reply(INBOX_PICK_SOURCE, buttons=rows)]


async def _picked_document(turn: Turn[InboxDraft], value: str) -> Goto:
    if value not in turn.app.content.documents:
        return Goto("source")
    turn.draft.document = value
    return Goto("section")


async def _no_source(turn: Turn[InboxDraft], value: str) -> Goto:
    turn.draft.document = turn.draft.section = ""
    return Goto("confirm")


def _prompt_section(turn: Turn[InboxDraft]) -> list[Reply]:
    doc = turn.app.content.documents.get(turn.draft.document)
    sections = ", ".join(s.id for s in doc.sections if s.id != "preamble")[:300] if doc else ""
    return [Reply(INBOX_TYPE_SECTION.format(sections=sections))]


async def _typed_section(turn: Turn[InboxDraft], text: str) -> Goto | Stay:
    doc = turn.app.content.documents.get(turn.draft.document)
    wanted = text.strip().upper().replace(" ", "").rstrip(".")
    section = next((s.id for s in doc.sections if s.id.upper() == wanted), None) if doc else None
    if section is None:
        return Stay([Reply(INBOX_NO_SECTION.format(section=text[:20]))])
    turn.draft.section = section
    return Goto("confirm")


def _source(turn: Turn[InboxDraft]) -> Source | None:
    d = turn.draft
    return Source(document=d.document, section=d.section) if d.document and d.section else None


def _prompt_confirm(turn: Turn[InboxDraft]) -> list[Reply]:
    source = _source(turn)
    cite = turn.app.content.cite(source, turn.app.today()) if source else texts.CITE_INBOX.format(
        date=turn.app.today().strftime("%d/%m/%Y"))  # fmt: skip
    text = INBOX_PREVIEW.format(question=turn.draft.question, answer=turn.draft.answer, cite=cite)
    rows = [
        [turn.button(BUTTON_INBOX_SEND, "send")],
        [turn.button(BUTTON_INBOX_REWRITE, "rewrite"), turn.button(texts.BUTTON_CANCEL, "cancel")],
    ]
    return [Reply(text, buttons=rows)]


async def _send(turn: Turn[InboxDraft], value: str) -> Finish:
    d = turn.draft
    try:
        entry_id, told = await inbox.answer(
            turn.app, d.group, d.answer, _source(turn), turn.who.key, turn.who.unit_code
        )
    except inbox.InboxError as exc:
        return Finish([Reply(str(exc))])
    return Finish([Reply(texts.INBOX_ANSWERED.format(id=d.group, entry=entry_id, told=told))])


async def _rewrite(turn: Turn[InboxDraft], value: str) -> Goto:
    return Goto("answer")


async def _cancel(turn: Turn[InboxDraft], value: str) -> Finish:
    return Finish([Reply(INBOX_CANCELLED)])


def _prompt_attach(turn: Turn[InboxDraft]) -> list[Reply]:
    content = turn.app.content
    rows = []
    for entry_id in turn.draft.choices:
        entry = content.entry(entry_id)
        if entry is not None:
            rows.append([turn.button(button_label(entry.questions[0]), "entry", entry_id)])
    rows.append([turn.button(texts.BUTTON_CANCEL, "cancel")])
    text = INBOX_PICK_ENTRY.format(id=turn.draft.group, question=turn.draft.question)
    return [Reply(text, buttons=rows)]


async def _search(turn: Turn[InboxDraft], text: str) -> Goto | Stay:
    found = [c.entry.id for c in turn.app.kb.rank(text)[:PAGE]]
    if not found:
        return Stay([Reply(INBOX_NOTHING_FOUND)])
    turn.draft.choices = found
    return Goto("attach")


async def _attach(turn: Turn[InboxDraft], value: str) -> Finish | Goto:
    if value not in turn.draft.choices:
        return Goto("attach")
    try:
        told = await inbox.attach(turn.app, turn.draft.group, value, turn.who.key, turn.who.unit_code)
    except inbox.InboxError as exc:
        return Finish([Reply(str(exc))])
    return Finish([Reply(texts.INBOX_ATTACHED.format(id=turn.draft.group, entry=value, told=told))])


INBOX_DIALOG: Dialog[InboxDraft] = Dialog(
    name="inbox",
    prefix="ib",
    draft=InboxDraft,
    title=INBOX_TITLE,
    command="chuatraloi",
    cancelled=INBOX_CANCELLED,
    role=OFFICER,
    steps={
        "answer": Step(_prompt_answer, INBOX_STEP_ANSWER, text=_typed_answer, awaits="answer"),
        "source": Step(
            _prompt_source, INBOX_STEP_SOURCE, buttons={"doc": _picked_document, "nosource": _no_source}
        ),
        "section": Step(_prompt_section, INBOX_STEP_SECTION, text=_typed_section, awaits="text"),
        "confirm": Step(
            _prompt_confirm,
            INBOX_STEP_CONFIRM,
            buttons={"send": _send, "rewrite": _rewrite, "cancel": _cancel},
        ),
        "attach": Step(
            _prompt_attach,
            INBOX_STEP_ATTACH,
            text=_search,
            buttons={"entry": _attach, "cancel": _cancel},
            awaits="answer",
        ),
    },
)

FEATURE = Feature(
    name="inbox",
    order=82,
    commands=(
        Command("chuatraloi", on_inbox, role=OFFICER, private=True, bare=("chuatraloi",),
                help=HELP_CHUATRALOI),
    ),
    buttons=(Buttons(INBOX_BUTTON, on_button, role=OFFICER, private=True),),
    dialog=INBOX_DIALOG,
)  # fmt: skip
