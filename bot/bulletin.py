"""The loudspeaker bulletin: a talking point, a document's sections, an answer or an officer's text as a
script to read aloud at the village loudspeaker, and as audio.

A script opens and closes as the loudspeaker does, keeps its sentences short, and says every written form in
words (:mod:`bot.spoken`, with the abbreviations of ``content/abbreviations.yaml`` and
``content/spoken.yaml``); its reading time is estimated at a steady reading pace. The audio is made by
:mod:`bot.tts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot import tts
from bot.answers import ANSWER, PASSAGE, answer
from bot.app import App
from bot.calendar import coming, talking_points
from bot.content import Content, Document, Event
from bot.errors import BadInput, Conflict, NotFound
from bot.inbox import source_choices
from bot.spoken import Reader
from bot.textnorm import clean, cut
from bot.tts import Espeak, Voice

# -- what it says --------------------------------------------------------------------------------------------
OPENING = "Kính thưa bà con nhân dân! Sau đây là bản tin {title}."
CLOSING = "Bản tin đến đây là hết. Xin cảm ơn bà con đã lắng nghe."
OPENING_PLAIN = "Kính thưa bà con nhân dân! Sau đây là bản tin."
SOURCE_EVENT = "📅 {title} ({date})"
SOURCE_DOCUMENT = "📄 {name}: {title} (toàn văn)"
SOURCE_ANSWER = "❓ {question}"
BULLETIN_NO_EVENT = "Không có sự kiện «{id}» trong lịch."
BULLETIN_NO_DOCUMENT = "Không có sự kiện hay văn bản «{id}» (xem loa schedule list, loa content list)."
BULLETIN_OUT_OF_FORCE = "«{doc}» đã hết hiệu lực hoặc đã bị thay thế: không làm bản tin thành tin mới nữa."
BULLETIN_NO_ANSWER = "Loa chưa có câu trả lời cho «{question}» để làm bản tin."
BULLETIN_NO_SECTION = "Văn bản «{doc}» không có mục «{section}»."
BULLETIN_TOO_SHORT = "Nội dung bản tin quá ngắn: cần ít nhất {limit} ký tự."
BULLETIN_TOO_LONG = "Nội dung dài {length} ký tự, quá {limit} ký tự của một bản tin; xin rút gọn."
BULLETIN_TOO_LONG_SAID = (
    "Bản tin đọc mất khoảng {duration}, quá {limit} phút của một lần phát trên loa; xin rút gọn."
)
OPENING_QUESTION = "Kính thưa bà con nhân dân! Bà con hỏi: {question} Sau đây là câu trả lời."
BULLETIN_NO_ENTRY = "Không có câu hỏi đáp «{id}»."
BULLETIN_FOR_OFFICERS = "«{title}» là lời nhắc cho cán bộ, tuyên truyền viên, không phải bản tin cho bà con."

AUDIO_FOLDER = ".loa-audio"
SYLLABLES_PER_MINUTE = 150  # a steady pace at the loudspeaker's microphone (and the voice's rate)
MAX_WORDS = 25  # a sentence longer than this is split at its commas
MIN_PIECE = 6  # nor into a piece shorter than this
MIN_TEXT = 10
MAX_TEXT = 6000  # what is written (figures said in words make the script longer)
MAX_SCRIPT = 12_000  # what an edited script may be
MAX_SECONDS = 10 * 60  # one sitting at the loudspeaker
_WORD = re.compile(r"\w+")
# A list mark or a heading's numbering at a line's start: «- », «•», «1.», «1.3.», «II.», «a)».
_TAGS = re.compile(r"<[^<>]{0,300}>")  # markup typed or pasted: never read aloud
_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200d]")  # emoji: never read aloud
_NUMBERING = re.compile(r"^\s*(?:[-+•*]|\d+(?:\.\d+)*[.)]?|[IVX]+[.)]|[a-zđ][.)])(?:\s+|$)")
_cache: tuple[Content, Reader] | None = None


@dataclass(frozen=True)
class Bulletin:
    """A script to read aloud, with its title and estimated reading time."""

    title: str
    script: str

    @property
    def seconds(self) -> int:
        """The estimated reading time, at :data:`SYLLABLES_PER_MINUTE` (a Vietnamese word is a syllable)."""
        return round(len(_WORD.findall(self.script)) * 60 / SYLLABLES_PER_MINUTE)

    @property
    def duration(self) -> str:
        """«1 phút 40 giây»."""
        minutes, seconds = divmod(self.seconds, 60)
        return f"{minutes} phút {seconds} giây" if minutes else f"{seconds} giây"


def reader(content: Content) -> Reader:
    """The reader of ``content``'s abbreviations and document kinds (made once per content)."""
    global _cache
    if _cache is None or _cache[0] is not content:
        words = {
            abbr.upper(): expansion
            for expansion, abbrs in content.abbreviation_forms.items()
            for abbr in abbrs
            # Two letters are too often something else in capitals («CT» Chủ tịch, «TN» Thanh niên): spoken
            # only when content/spoken.yaml says how.
            if re.fullmatch(r"[a-zđ]{3,}|[a-zđ]+(?:-[a-zđ]+)+", abbr)
        }
        _cache = (content, Reader(words | content.spoken.words, content.spoken.kinds))
    return _cache[1]


def make(content: Content, title: str, text: str) -> Bulletin:
    """A bulletin of ``text`` under ``title``: opened, closed, its sentences short and every form said."""
    text = clean_paragraphs(text)
    if len(text) < MIN_TEXT:
        raise BadInput(BULLETIN_TOO_SHORT.format(limit=MIN_TEXT))
    if len(text) > MAX_TEXT:
        raise BadInput(BULLETIN_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
    read = reader(content)
    said_title = read.read(title).rstrip(" .") if title else ""
    if said_title.endswith("?"):
        opening = OPENING_QUESTION.format(question=said_title)
    else:
        opening = OPENING.format(title=_lower_first(said_title)) if said_title else OPENING_PLAIN
    body = [short_sentences(read.read(p)) for p in text.split("\n")]
    return _checked(Bulletin(title, "\n\n".join([opening, *[b for b in body if b], CLOSING])))


def _checked(made: Bulletin) -> Bulletin:
    """A bulletin no longer than :data:`MAX_SECONDS` read aloud (figures said in words make it longer)."""
    if made.seconds > MAX_SECONDS:
        raise BadInput(BULLETIN_TOO_LONG_SAID.format(duration=made.duration, limit=MAX_SECONDS // 60))
    return made


def clean_paragraphs(text: str) -> str:
    """One paragraph a line, list marks, markup and blank lines gone, each ending in a full stop."""
    out = []
    for line in _TAGS.sub("", text).replace("\r\n", "\n").split("\n"):
        line = clean(_NUMBERING.sub("", _SYMBOLS.sub("", line)))
        if line:
            out.append(line if line[-1] in ".!?:;…" else line + ".")
    return "\n".join(out)


def short_sentences(paragraph: str) -> str:
    """Sentences one per line; one over :data:`MAX_WORDS` words split at its commas and semicolons, never
    inside brackets or quotes, and never leaving a piece of fewer than :data:`MIN_PIECE` words."""
    out: list[str] = []
    for sentence in _pieces(paragraph, ".!?;"):
        sentence = _upper_first(re.sub(r";$", ".", sentence))
        if len(_WORD.findall(sentence)) <= MAX_WORDS:
            out.append(sentence)
            continue
        chunk: list[str] = []
        for piece in _pieces(sentence, ","):
            whole = " ".join([*chunk, piece])
            if chunk and len(_WORD.findall(whole)) > MAX_WORDS and len(_WORD.findall(piece)) >= MIN_PIECE:
                out.append(_upper_first(" ".join(chunk).rstrip(",") + "."))
                chunk = []
            chunk.append(piece)
        out.append(_upper_first(" ".join(chunk)))
    return "\n".join(out)


def _pieces(text: str, ends: str) -> list[str]:
    """``text`` cut after each of ``ends`` followed by a space, outside brackets and quotes."""
    pieces, start, depth = [], 0, 0
    for i, c in enumerate(text):
        if c in "(«“[":
            depth += 1
        elif c in ")»”]":
            depth = max(0, depth - 1)
        elif c in ends and depth == 0 and (i + 1 == len(text) or text[i + 1].isspace()):
            pieces.append(text[start : i + 1].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def of_event(content: Content, event_id: str, on: date) -> Bulletin:
    """The bulletin of a calendar event's talking points for its occurrence on ``on`` (not once the document
    they rest on no longer holds)."""
    event = next((e for e in content.events if e.id == event_id), None)
    if event is None:
        raise NotFound(BULLETIN_NO_EVENT.format(id=cut(event_id, 60)))
    if event.audience.roles:
        raise BadInput(BULLETIN_FOR_OFFICERS.format(title=event.title))
    if event.document:
        _in_force(content, event.document, on)
    return make(content, event.title, talking_points(event, on.year))


def _in_force(content: Content, doc_id: str, today: date) -> Document:
    """The document, when it still holds on ``today``; else the refusal to make news of it."""
    doc = content.documents.get(doc_id)
    if doc is None:
        raise NotFound(BULLETIN_NO_DOCUMENT.format(id=cut(doc_id, 60)))
    if doc.state(today) != "current":
        raise Conflict(BULLETIN_OUT_OF_FORCE.format(doc=doc.name()))
    return doc


def of_key_message(content: Content, message_id: str, today: date) -> Bulletin:
    """The bulletin of one key message (/thongdiep), while the document it rests on holds."""
    message = next((m for m in content.key_messages if m.id == message_id), None)
    if message is None:
        raise NotFound(BULLETIN_NO_EVENT.format(id=message_id))
    _in_force(content, message.source.document, today)
    return make(content, message.title, message.text)


def from_source(app: App, source: str = "", text: str = "", title: str = "", question: str = "") -> Bulletin:
    """The bulletin of ``source`` — an event's id, a document's id, ``DOC:SECTION[,SECTION]`` or
    ``faq:ENTRY`` —, of Loa's answer to ``question``, or of an officer's own ``text`` (under ``title``): the
    one way chat, console and command line make one."""
    if text.strip():
        return make(app.content, title, text)
    if question.strip():
        return of_answer(app, question)
    doc_id, _, sections = source.strip().partition(":")
    if doc_id == "faq":
        return of_entry(app.content, sections, app.today())
    if any(e.id == doc_id for e in app.content.events) and not sections:
        events = coming(app.content.events, app.today(), app.settings.zone, app.content.documents, days=366)
        on = next((d for e, d in events if e.id == doc_id), app.today())
        return of_event(app.content, doc_id, on)
    chosen = [s.strip() for s in sections.split(",") if s.strip()]
    return of_document(app.content, doc_id, chosen or None, app.today())


def edited(content: Content, title: str, script: str) -> Bulletin:
    """A script as an officer edited it, every written form they typed in it said again."""
    read = reader(content)
    script = _TAGS.sub("", _SYMBOLS.sub("", script)).replace("\r\n", "\n")
    if len(script) > MAX_SCRIPT:
        raise BadInput(BULLETIN_TOO_LONG.format(length=len(script), limit=MAX_SCRIPT))
    lines = [read.read(line) if line.strip() else "" for line in script.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(text) < MIN_TEXT:
        raise BadInput(BULLETIN_TOO_SHORT.format(limit=MIN_TEXT))
    return _checked(Bulletin(title, text))


def sources(app: App) -> dict[str, str]:
    """What a bulletin can be made from, as the console's searchable list names it -> its source: the coming
    events, the documents in force (whole) and their sections."""
    found: dict[str, str] = {}
    for event, on in for_residents(app, 90):
        found[SOURCE_EVENT.format(title=event.title, date=on.strftime("%d/%m"))] = event.id
    today = app.today()
    for doc in app.content.documents.values():
        if doc.state(today) == "current":
            found[SOURCE_DOCUMENT.format(name=doc.name(), title=doc.title)] = doc.id
    for label, source in source_choices(app).items():
        found[label] = f"{source.document}:{source.section}"
    current = {d.id for d in app.content.documents.values() if d.state(today) == "current"}
    for entry in app.content.faq:
        if not entry.retired and (entry.source is None or entry.source.document in current):
            found[SOURCE_ANSWER.format(question=cut(entry.questions[0], 90))] = f"faq:{entry.id}"
    return found


def of_entry(content: Content, entry_id: str, today: date) -> Bulletin:
    """The bulletin of one FAQ entry's answer, while the document it rests on holds."""
    entry = content.entry(entry_id)
    if entry is None or entry.retired:
        raise NotFound(BULLETIN_NO_ENTRY.format(id=cut(entry_id, 60)))
    if entry.source is not None:
        _in_force(content, entry.source.document, today)
    return make(content, entry.questions[0], entry.answer)


def of_answer(app: App, question: str) -> Bulletin:
    """The bulletin of Loa's answer to ``question`` (an answer, or a document's passage), only when Loa has
    one from guidance in force."""
    out = answer(app.kb, question, app.today())
    if out.status not in (ANSWER, PASSAGE) or not out.text:
        raise NotFound(BULLETIN_NO_ANSWER.format(question=cut(question, 80)))
    entry = app.content.entry(out.id or "")
    if entry is not None:
        return of_entry(app.content, entry.id, app.today())
    if out.section is not None:
        _in_force(app.content, out.section[0], app.today())
    return make(app.content, clean(question).rstrip(" ?").capitalize(), out.text)


def for_residents(app: App, days: int = 45) -> list[tuple[Event, date]]:
    """The coming events whose talking points are for residents (not a reminder to officers), with dates."""
    events = coming(app.content.events, app.today(), app.settings.zone, app.content.documents, days)
    return [(e, d) for e, d in events if not e.audience.roles]


def voice() -> Voice:
    """The voice bulletins are spoken in (one place to plug in a better one)."""
    return Espeak()


async def audio(app: App, made: Bulletin, fmt: str) -> Path:
    """The bulletin spoken, as ``fmt`` ("ogg" for a voice message, "mp3"), made once and kept."""
    return await tts.audio(app.settings.data_folder(AUDIO_FOLDER), voice(), made.script, fmt)


def audio_path(app: App, key: str, fmt: str) -> Path | None:
    """A made audio file by its key (from :func:`bot.tts.key`), if it is there."""
    if not re.fullmatch(r"[0-9a-f]{32}", key) or fmt not in tts.FORMATS:
        return None
    path = app.settings.data_folder(AUDIO_FOLDER) / f"{key}.{fmt}"
    return path if path.is_file() else None


def of_document(content: Content, doc_id: str, sections: list[str] | None, today: date) -> Bulletin:
    """The bulletin of a document's chosen sections (all, none chosen), titled by the document; only of a
    document in force on ``today``."""
    doc = _in_force(content, doc_id, today)
    chosen = sections or [s.id for s in doc.sections]
    for section in chosen:
        if not any(s.id == section for s in doc.sections):
            raise NotFound(BULLETIN_NO_SECTION.format(doc=doc.name(), section=section))
    return make(content, doc.title, _section_text(doc, chosen))


def _section_text(doc: Document, sections: list[str]) -> str:
    wanted = set(sections)
    lines: list[str] = []
    for section in doc.sections:
        if section.id not in wanted:
            continue
        passages = [p.text for p in doc.passages if p.section == section.id]
        if passages:
            lines.append(section.title)
            lines += passages
    return "\n".join(lines)


def _lower_first(text: str) -> str:
    """«Ngày tái thành lập …» → «ngày tái thành lập …»; a name («Việt Nam …», «Tết Dương lịch») as it is."""
    words = text.split()
    if len(words) < 2 or words[0].isupper() or not words[1][:1].islower():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
