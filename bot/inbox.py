"""The officers' inbox: what Loa could not answer, grouped alike, answered back to those who asked.

A group holds the folded forms of alike questions (``question_log.normalized``); new forms are placed when
the inbox is read: in the open group whose forms are most alike (rapidfuzz), or in a group of their own. An
officer answers a group (a new FAQ entry whose phrasings are the group's questions), attaches it to an
existing entry (its questions become that entry's phrasings), or dismisses it. Content is written atomically
and validated first; every asker still waiting is told through the broadcast engine (paced, once, blocked
chats skipped), and whom to tell is then forgotten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from bot import outbox, texts
from bot.accents import title_from
from bot.app import App
from bot.clock import parse_stamp
from bot.content import INBOX_FAQ_FILE, INBOX_TOPIC, PHRASINGS_FILE, FaqEntry, Source
from bot.errors import LoaError, said
from bot.files import write_atomically
from bot.textnorm import clean, cut, plain_key
from bot.themes import alike

# -- what it says --------------------------------------------------------------------------------------------
INBOX_STATES = {"open": "đang chờ", "answered": "đã trả lời", "attached": "đã gắn vào câu có sẵn",
                "dismissed": "đã bỏ qua"}  # fmt: skip
INBOX_NO_GROUP = "Không có nhóm câu hỏi số {id} (trong phạm vi của đồng chí)"
INBOX_CLOSED = "Nhóm câu hỏi số {id} {state} rồi"
INBOX_FILE_BROKEN = "Tệp {file} trong thư mục nội dung đang lỗi ({reason}); sửa tệp rồi làm lại"
INBOX_INVALID = "Câu trả lời chưa hợp lệ ({field}): {message}"
INBOX_PHRASINGS_HEADER = (
    "# Cách hỏi thêm cho các mục hỏi đáp: câu người dân, tuyên truyền viên đã hỏi, gắn từ /chuatraloi hoặc\n"
    "# 'loa inbox attach'. Dạng: 'mã mục: [cách hỏi, ...]'.\n"
)
INBOX_ANSWER_NOTICE = (
    "💬 Câu hỏi của đồng chí ngày {date} «{question}» đã có trả lời:\n\n{answer}\n\n📄 Nguồn: {cite}"
)
INBOX_RESIDENTS_NOTICE = (
    "💬 Câu bà con {village} hỏi ngày {date} «{question}» đã có trả lời. Đồng chí chuyển lại cho bà con:\n\n"
    "{answer}\n\n📄 Nguồn: {cite}"
)
INBOX_NOTICE_SUMMARY = "(trả lời nhóm câu hỏi số {id})"
INBOX_PICK_SOURCE = "Không có mục «{source}» trong danh sách; gõ vài chữ của tên mục rồi chọn trong danh sách"
FIELD_NAMES = {"answer": "câu trả lời", "questions": "câu hỏi", "source": "nguồn", "id": "mã"}

QUESTIONS_KEPT = 12  # of a group, as an entry's phrasings


class InboxError(LoaError):
    """An inbox action that cannot be done; the message is one line for the officer."""


@dataclass
class Group:
    """An open group as an officer sees it: its questions, how often and when they were asked."""

    id: int
    questions: list[str]
    count: int
    first: str
    last: str
    residents: list[str] = field(default_factory=list)  # villages whose residents asked (passed on to Loa)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "questions": self.questions, "count": self.count, "first": self.first,
                "last": self.last, "residents": self.residents}  # fmt: skip


async def refresh(app: App) -> None:
    """Place the folded questions asked since the last look in groups."""
    new = await app.db.inbox.new_keys()
    if not new:
        return
    known = await app.db.inbox.open_keys()
    keys = [k for _, k in known]
    owners = [g for g, _ in known]
    placed: dict[str, tuple[int, str]] = {}
    fresh = 0
    for item in sorted(new, key=lambda n: (n.last_asked, n.normalized)):  # the same groups every time
        key = item.normalized
        hits = process.extract(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=50, limit=10)
        owner = next((owners[i] for k, _, i in hits if alike(key, k)), None)
        if owner is None:
            fresh -= 1  # a group to create: negative numbers stand for them until they exist
            owner = fresh
        placed[key] = (owner, item.since)
        keys.append(key)
        owners.append(owner)
    await app.db.inbox.place(placed)


async def _totals(app: App, scope: str | None) -> dict[int, tuple[int, str, str]]:
    """(times asked, first, last) of every open group with questions of the scope (None: everything).

    A commune officer sees the questions of people of their commune; questions of people with no unit
    (not registered) are the province's.
    """
    await refresh(app)
    province = scope is None or app.units.is_province(scope)
    totals: dict[int, tuple[int, str, str]] = {}
    for row in await app.db.inbox.counts():
        if not province and not (row.unit_code and app.units.in_scope(row.unit_code, scope or "")):
            continue
        n, first, last = totals.get(row.group_id, (0, row.first_asked, row.last_asked))
        totals[row.group_id] = (n + row.times, min(first, row.first_asked), max(last, row.last_asked))
    return totals


async def open_groups(app: App, scope: str | None, shown: int | None = None) -> list[Group]:
    """The open groups of an officer's scope, newest first; the questions of the first ``shown`` only (all
    when None), one query each."""
    totals = await _totals(app, scope)
    order = sorted(totals, key=lambda gid: (totals[gid][2], gid), reverse=True)
    groups = []
    for i, gid in enumerate(order):
        n, first, last = totals[gid]
        questions = await app.db.inbox.examples(gid, 5) if shown is None or i < shown else []
        residents = await _residents(app, gid, scope) if shown is None or i < shown else []
        groups.append(Group(gid, questions, n, first, last, residents))
    return groups


async def _residents(app: App, group_id: int, scope: str | None) -> list[str]:
    """The villages of the scope whose residents asked a group's questions (through their propagandist)."""
    codes = {a.residents for a in await app.db.inbox.askers(group_id) if a.residents}
    inside = [app.units.get(c) for c in codes if scope is None or app.units.in_scope(c, scope)]
    return sorted(u.label for u in inside if u is not None)


async def find(app: App, group_id: int, scope: str | None) -> Group | None:
    """One open group of the scope, with its questions; None when it is not one (closed, or elsewhere)."""
    total = (await _totals(app, scope)).get(group_id)
    if total is None:
        return None
    residents = await _residents(app, group_id, scope)
    return Group(group_id, await app.db.inbox.examples(group_id, 8), *total, residents)


async def _open_group(app: App, group_id: int, scope: str | None) -> list[str]:
    """The questions of an open group the officer may act on; InboxError otherwise."""
    row = await app.db.inbox.group(group_id)
    if row is None:
        raise InboxError(INBOX_NO_GROUP.format(id=group_id))
    if row.state != "open":
        raise InboxError(INBOX_CLOSED.format(id=group_id, state=INBOX_STATES[row.state]))
    if scope is not None and group_id not in await _totals(app, scope):
        raise InboxError(INBOX_NO_GROUP.format(id=group_id))
    questions = await app.db.inbox.examples(group_id, QUESTIONS_KEPT)
    distinct: dict[str, str] = {}
    for q in questions:
        distinct.setdefault(plain_key(q), clean(q))
    return [q for k, q in distinct.items() if k]


def parse_source(app: App, raw: str | None) -> Source | None:
    """ "DOC:SECTION" (hd-ktxh-2023:II.1.6) as a source the content knows; InboxError otherwise."""
    if not raw:
        return None
    doc_id, _, section = raw.partition(":")
    doc = app.content.documents.get(doc_id.strip())
    if doc is None or not any(s.id == section.strip() for s in doc.sections):
        raise InboxError(texts.INBOX_BAD_SOURCE.format(source=raw))
    return Source(document=doc.id, section=section.strip())


def source_choices(app: App, in_force: bool = True) -> dict[str, Source]:
    """Every section of the documents in force (``in_force``; else of every document), named as the console's
    searchable list shows it: «II.1.6. Tiêu đề — HD số 15-HD/BTGTU»."""
    today = app.today()
    docs = [d for d in app.content.documents.values() if not in_force or d.state(today) == "current"]
    docs.sort(key=lambda d: d.issued or date.min, reverse=True)
    return {
        f"{_numbering(s.id)}{cut(s.title, 90)} — {d.name()}": Source(document=d.id, section=s.id)
        for d in docs
        for s in d.sections
    }


def source_label(app: App, source: Source | None) -> str:
    """How the console names a source (in force or not); "" for none."""
    if source is None:
        return ""
    named = {(v.document, v.section): k for k, v in source_choices(app, in_force=False).items()}
    return named.get((source.document, source.section), f"{source.document}:{source.section}")


def _numbering(section_id: str) -> str:
    """A section's number as its list shows it («II.1.6. »); an id that is no number («preamble»): none."""
    return f"{section_id}. " if re.fullmatch(r"[0-9IVXLivxl]+(?:\.[0-9a-z]+)*", section_id) else ""


def source_named(app: App, typed: str) -> Source | None:
    """The source picked from :func:`source_choices` (or typed as DOC:SECTION); None for no source."""
    typed = clean(typed)
    if not typed or plain_key(typed) == plain_key(texts.BUTTON_NO_SOURCE):
        return None
    choices = source_choices(app, in_force=False)
    if typed in choices:
        return choices[typed]
    if ":" in typed and " " not in typed:
        return parse_source(app, typed)
    raise InboxError(INBOX_PICK_SOURCE.format(source=cut(typed, 60)))


def _root(app: App) -> Path:
    return Path(app.settings.content_dir)


def _read_yaml(path: Path, empty: Any) -> Any:
    if not path.is_file():
        return empty
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InboxError(INBOX_FILE_BROKEN.format(file=path.name, reason=type(exc).__name__)) from None
    if data is None:
        return empty
    if not isinstance(data, type(empty)):
        raise InboxError(INBOX_FILE_BROKEN.format(file=path.name, reason="format"))
    return data


def _write_yaml(path: Path, header: str, data: Any) -> None:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, (header + body).encode("utf-8"), 0o644)
    except OSError as exc:
        raise InboxError(texts.INBOX_WRITE_FAILED.format(file=path, reason=exc.strerror or exc)) from None


async def answer(
    app: App, group_id: int, text: str, source: Source | None, by: str, scope: str | None, title: str = ""
) -> tuple[str, int]:
    """Answer a group with a new FAQ entry (live at once where the bot runs); its askers are told.
    ``title``: the entry's question as the officer words it (first among its phrasings).
    (the new entry's id, how many chats are told)."""
    questions = await _open_group(app, group_id, scope)
    entry = _entry_of(app, group_id, questions, text, source, title)
    path = _root(app) / INBOX_FAQ_FILE
    entries = _read_yaml(path, [])
    entries.append(entry.model_dump(mode="json", exclude_defaults=True))
    _write_yaml(path, texts.INBOX_FAQ_HEADER, entries)
    return entry.id, await _finish(app, group_id, "answered", by, entry)


async def preview(
    app: App, group_id: int, text: str, source: Source | None, scope: str | None, title: str = ""
) -> str:
    """What the group's latest asker will read in chat when the answer is sent (checked as :func:`answer`
    checks it, nothing written)."""
    questions = await _open_group(app, group_id, scope)
    entry = _entry_of(app, group_id, questions, text, source, title)
    group = await find(app, group_id, scope)
    asked = parse_stamp(group.last).astimezone(app.settings.zone) if group else app.clock()
    cite = app.content.cite_entry(entry, app.today())
    return INBOX_ANSWER_NOTICE.format(date=_day(asked), question=questions[0], answer=entry.answer, cite=cite)


def suggested_title(app: App, questions: list[str]) -> str:
    """A title for an entry made of ``questions``: accented, for the officer to edit."""
    return title_from(app.content, questions)


def _entry_of(
    app: App, group_id: int, questions: list[str], text: str, source: Source | None, title: str
) -> FaqEntry:
    title = clean(title)
    if title:
        questions = [title, *(q for q in questions if plain_key(q) != plain_key(title))][:QUESTIONS_KEPT]
    entry_id = f"hoi-dap-{group_id}"
    while app.content.entry(entry_id) is not None:
        entry_id += "-b"
    data: dict[str, Any] = {
        "id": entry_id,
        "topic": INBOX_TOPIC,
        "questions": questions,
        "answer": clean(text),
        "origin": "inbox",
        "answered_on": app.today().isoformat(),
    }
    if source is not None:
        data["source"] = {"document": source.document, "section": source.section}
    try:
        return FaqEntry.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "answer"
        raise InboxError(
            INBOX_INVALID.format(field=FIELD_NAMES.get(field.split(".")[0], field), message=said(dict(err)))
        ) from None


async def attach(app: App, group_id: int, entry_id: str, by: str, scope: str | None) -> int:
    """The group's questions become phrasings of an existing entry; its askers get that entry's answer.
    How many chats are told."""
    entry = app.content.entry(entry_id)
    if entry is None:
        raise InboxError(texts.INBOX_NO_ENTRY.format(entry=entry_id))
    questions = await _open_group(app, group_id, scope)
    path = _root(app) / PHRASINGS_FILE
    phrasings = _read_yaml(path, {})
    known = {plain_key(q) for q in [*entry.questions, *phrasings.get(entry_id, [])]}
    added = [q for q in questions if plain_key(q) not in known]
    phrasings[entry_id] = [*phrasings.get(entry_id, []), *added]
    _write_yaml(path, INBOX_PHRASINGS_HEADER, phrasings)
    return await _finish(app, group_id, "attached", by, entry)


async def dismiss(app: App, group_id: int, by: str, scope: str | None) -> None:
    """Nothing to answer: the group is closed and nobody is told."""
    await _open_group(app, group_id, scope)
    await _finish(app, group_id, "dismissed", by, None)


async def _finish(app: App, group_id: int, state: str, by: str, entry: FaqEntry | None) -> int:
    from bot.live import rebuild

    if not await app.db.inbox.close(group_id, state, by, entry.id if entry else None):
        raise InboxError(INBOX_CLOSED.format(id=group_id, state=INBOX_STATES["answered"]))
    await app.db.audit.add(by, f"inbox.{state}", {"group": group_id, "entry": entry.id if entry else None})
    if entry is not None:
        await rebuild(app)  # live at once here; a running `loa run` takes the file up on its next look
    askers = await app.db.inbox.askers(group_id)
    if entry is not None:  # residents' questions of the group count as answered in the opinion pulse
        await app.db.voices.answered([k for _, k in await app.db.inbox.keys_of(group_id)])
    told = await tell_askers(app, group_id, entry, askers, by) if entry is not None and askers else 0
    await app.db.inbox.forget_askers([a.id for a in askers])
    return told


async def tell_askers(app: App, group_id: int, entry: FaqEntry, askers: list[Any], by: str) -> int:
    """One notice to every chat that asked (its latest question of the group); how many chats."""
    cite = app.content.cite_entry(entry, app.today())
    notices: dict[tuple[str, str], str] = {}
    for a in askers:  # oldest first: a chat's latest question wins
        asked = parse_stamp(a.asked_at).astimezone(app.settings.zone)
        said = dict(date=_day(asked), question=a.question, answer=entry.answer, cite=cite)
        notices[(a.channel, a.chat_external_id)] = (
            INBOX_RESIDENTS_NOTICE.format(village=_village(app, a.residents), **said)
            if a.residents
            else INBOX_ANSWER_NOTICE.format(**said)
        )
    _, count = await outbox.notify(
        app, f"inbox:{group_id}", notices, by, INBOX_NOTICE_SUMMARY.format(id=group_id)
    )
    return count


def _village(app: App, code: str) -> str:
    unit = app.units.get(code)
    return unit.label if unit else code


def _day(moment: datetime) -> str:
    return f"{moment.day:02d}/{moment.month:02d}"
