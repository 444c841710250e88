"""The department's content folder: YAML files validated with pydantic.

Layout of the folder (no code lives there)::

    topics.yaml            topics, in display order
    faq/*.yaml             FAQ entries: id, topic, questions (phrasings), answer, source
    key_messages.yaml      the key messages (/thongdiep)
    abbreviations.yaml     {expansion: [abbreviation, ...]} for the text normaliser
    spoken.yaml            how the loudspeaker bulletin reads abbreviations in capitals and document kinds
    documents/*.yaml       source documents split into passages by section
    themes.yaml            themes of what residents ask and worry about, with the words that mark each

Every problem is reported as file, entry id and field, so the department can fix it without reading code.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot import texts
from bot.files import write_atomically
from bot.textnorm import Abbreviations, clean, plain_key

# -- what it says --------------------------------------------------------------------------------------------
CONTENT_EMPTY_PHRASING = "một cách hỏi bị trống"
CONTENT_SAME_PHRASINGS = "có cách hỏi trùng nhau"
CONTENT_ONE_DATE_KIND = "cần đúng một trong solar, lunar, once"
CONTENT_BAD_DAY = "ngày phải có dạng MM-DD, không phải {day}"
CONTENT_BAD_ONCE = "once phải có dạng YYYY-MM-DD, không phải {once}"
CONTENT_BAD_DAYS_BEFORE = "days_before là các số từ 0 đến 30"
CONTENT_ERROR = "{file}: mục '{entry}', trường '{field}': {message}"
CONTENT_UNREADABLE = "không đọc được tệp: {reason}"
CONTENT_BAD_YAML = "YAML sai cú pháp: {reason}"
CONTENT_EMPTY_LIST = "tệp trống: cần ít nhất một mục"
CONTENT_NOT_A_LIST = "tệp phải là một danh sách các mục"
CONTENT_NO_FOLDER = "không tìm thấy thư mục nội dung"
CONTENT_NO_FAQ = "không có tệp câu hỏi nào"
CONTENT_NO_DOCUMENTS = "không có tài liệu nguồn nào"
CONTENT_EMPTY_UNITS = "tệp trống: cần tỉnh và ít nhất một xã/phường"
CONTENT_BAD_ABBREVIATIONS = "phải có dạng 'cụm đầy đủ: [viết tắt, ...]'"
CONTENT_DUPLICATE_ID = "mã mục trùng với một mục trong {file}"
CONTENT_NO_TOPIC = "chủ đề '{topic}' không có"
CONTENT_DUPLICATE_UNIT = "mã đơn vị bị trùng"
CONTENT_DUPLICATE_FORM = "mã hình thức bị trùng"
CONTENT_NO_SECTION = "mục '{section}' không có"
CONTENT_NO_DOCUMENT = "tài liệu '{document}' không có"
CONTENT_NO_SECTION_IN_DOCUMENT = "mục '{section}' không có trong tài liệu"
CITE_SECTION = "mục {section}"
CONTENT_MISSING_FILE = "thiếu tệp"
CITE_PARTS = {"preamble": "phần mở đầu", "recipients": "phần nơi nhận", "signature": "phần ký", "header": ""}
CITE_ATTACHED = "{part} kèm theo"
CITE_NUMBERED = "{kind} số {number}"
CITE_DOCUMENT = "Văn bản"
CITE_SUPERSEDED = " — đã được thay thế bởi {by}"
CITE_EXPIRED = " — đã hết hiệu lực (hiệu lực đến {until})"
CONTENT_SUPERSEDED_TWICE = "văn bản này được hai văn bản thay thế: {first} và {second}"
CONTENT_BAD_YEAR_OFFSET = "số năm tính từ năm của văn bản phải từ -5 đến 5"
CONTENT_EVENT_DATED = (
    "nội dung gửi hằng năm nêu năm {years}: bỏ năm đi, hoặc ghi 'document' để thôi gửi khi văn bản hết "
    "hiệu lực"
)
CONTENT_FEW_PHRASINGS = "cần ít nhất {count} cách hỏi"
CONTENT_NO_SOURCE = "thiếu nguồn: văn bản và mục mà câu trả lời dựa vào"
CONTENT_BAD_PHRASINGS = "phải có dạng 'mã mục: [cách hỏi, ...]'"
CONTENT_NO_ENTRY = "không có mục hỏi đáp '{entry}'"
CONTENT_BAD_REMINDER_DAYS = "days_before là các số từ 1 đến 30"

MIN_PHRASINGS = 4
PHRASINGS_FILE = "phrasings.yaml"
INBOX_FAQ_FILE = "faq/hoi-dap-bo-sung.yaml"
INBOX_TOPIC = "hoi-dap-bo-sung"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(_Model):
    document: str
    section: str


class Topic(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=2, max_length=60)
    order: int = 0
    description: str = ""
    reportable: bool = True  # offered as a topic of an activity report


class FaqEntry(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=48)
    topic: str
    # "inbox": written by an officer answering unanswered questions (its phrasings are what people asked);
    # before the fields it relaxes, which are checked knowing it.
    origin: Literal["", "inbox"] = ""
    questions: list[str] = Field(min_length=1)
    answer: str = Field(min_length=10, max_length=1500)
    # The document and section it rests on; an officer's answer from the inbox may rest on none.
    source: Source | None = Field(default=None, validate_default=True)
    answered_on: date | None = None
    retired: bool = False  # kept in its file, no longer answered

    @field_validator("questions")
    @classmethod
    def _enough(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("origin") != "inbox" and len(value) < MIN_PHRASINGS:
            raise ValueError(CONTENT_FEW_PHRASINGS.format(count=MIN_PHRASINGS))
        return value

    @field_validator("source")
    @classmethod
    def _sourced(cls, value: Source | None, info: ValidationInfo) -> Source | None:
        if value is None and info.data.get("origin") != "inbox":
            raise ValueError(CONTENT_NO_SOURCE)
        return value

    @field_validator("questions")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        keys = [plain_key(q) for q in value]
        if any(not k for k in keys):
            raise ValueError(CONTENT_EMPTY_PHRASING)
        if len(set(keys)) != len(keys):
            raise ValueError(CONTENT_SAME_PHRASINGS)
        return [clean(q) for q in value]


class KeyMessage(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    text: str = Field(min_length=10, max_length=1200)
    source: Source


class Village(_Model):
    code: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=2, max_length=80)


class Commune(_Model):
    code: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    name: str = Field(min_length=2, max_length=80)
    villages: list[Village] = Field(default_factory=list)


class Province(_Model):
    code: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    name: str


class Units(_Model):
    """Administrative units: the province, its communes/wards and their villages (thôn, bản, tổ dân phố)."""

    sample: bool = False
    province: Province
    communes: list[Commune] = Field(min_length=1)


class ReportForm(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=20)
    label: str = Field(min_length=2, max_length=60)
    keywords: list[str] = Field(default_factory=list)


class Theme(_Model):
    """A theme of what residents ask and worry about (themes.yaml), with the words that mark it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=30)
    name: str = Field(min_length=2, max_length=80)
    words: list[str] = Field(default_factory=list)


class EventDate(_Model):
    solar: str | list[str] | None = None
    lunar: str | None = None
    leap: bool = False
    once: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> EventDate:
        kinds = [k for k in ("solar", "lunar", "once") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(CONTENT_ONE_DATE_KIND)
        days = (
            self.solar
            if isinstance(self.solar, list)
            else [self.solar or self.lunar]
            if not self.once
            else []
        )
        for day in days:
            if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", day or ""):
                raise ValueError(CONTENT_BAD_DAY.format(day=repr(day)))
        if self.once and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.once):
            raise ValueError(CONTENT_BAD_ONCE.format(once=repr(self.once)))
        return self


class Audience(_Model):
    """Who receives a broadcast. A unit list, or ``vetted``, reaches only vetted chats: registered people's
    private chats and groups an officer bound to a unit (an officer's broadcast is never for strangers)."""

    everyone: bool = False
    roles: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    vetted: bool = False
    groups_only: bool = False  # the subscribed groups of the units, no private chat


class Event(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=32)
    title: str
    date: EventDate
    since: int | None = None
    days_before: list[int] = Field(default_factory=lambda: [0])
    send_time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    audience: Audience = Field(default_factory=lambda: Audience(everyone=True))
    talking_points: str = Field(min_length=10, max_length=1500)
    # The document the text rests on: not sent once it no longer holds. A yearly text citing a year needs one.
    document: str | None = None

    @field_validator("days_before")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if not value or any(not 0 <= d <= 30 for d in value):
            raise ValueError(CONTENT_BAD_DAYS_BEFORE)
        return sorted(set(value), reverse=True)


class Spoken(_Model):
    """How written forms are read aloud (spoken.yaml): abbreviations in capitals said in full (beside those of
    abbreviations.yaml, which these override), and the document kinds' codes by name."""

    words: dict[str, str] = Field(default_factory=dict)  # {"UBND": "Ủy ban nhân dân", "TU": "Tỉnh ủy"}
    kinds: dict[str, str] = Field(default_factory=dict)  # {"QĐ": "Quyết định", "HD": "Hướng dẫn"}


class Synonyms(_Model):
    """Ways people say what the documents say otherwise (synonyms.yaml)."""

    # {what the documents say: [how people say it, ...]}: "tỉnh Lai Châu": ["tỉnh mình", "tỉnh nhà"]
    phrases: dict[str, list[str]] = Field(default_factory=dict)
    # {"năm ngoái": -1, "năm nay": 0, "sang năm": 1}: years counted from the newest document's own year
    relative_years: dict[str, int] = Field(default_factory=dict)
    # Forms of address dropped before matching: "bác", "ông", "đồng chí" before a name
    honorifics: list[str] = Field(default_factory=list)
    # Groups of ways to say one thing ("bao lâu", "thời hạn", "trong vòng"): a question saying one of them
    # finds a sentence saying another (as an alternative, where "phrases" replaces one way by another).
    paraphrases: list[list[str]] = Field(default_factory=list)

    @field_validator("paraphrases")
    @classmethod
    def _groups(cls, value: list[list[str]]) -> list[list[str]]:
        for group in value:
            if len(group) < 2 or any(not plain_key(p) for p in group):
                raise ValueError("mỗi nhóm cần ít nhất hai cách nói, không để trống")
        return value

    @field_validator("relative_years")
    @classmethod
    def _offsets(cls, value: dict[str, int]) -> dict[str, int]:
        if any(not -5 <= v <= 5 for v in value.values()):
            raise ValueError(CONTENT_BAD_YEAR_OFFSET)
        return value


class QuarterEndReminder(_Model):
    days_before: list[int] = Field(default_factory=lambda: [7, 1])
    send_time: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    text: str = Field(default="", max_length=600)

    @field_validator("days_before")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(not 1 <= d <= 30 for d in value):
            raise ValueError(CONTENT_BAD_REMINDER_DAYS)
        return sorted(set(value), reverse=True)


class WeeklyDigest(_Model):
    weekday: int = Field(default=0, ge=0, le=6)
    send_time: str = Field(default="07:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    silent_days: int = Field(default=30, ge=7, le=120)


class Reminders(_Model):
    """When Loa reminds: the quarter-end reminder to those who have not reported, the officers' digest."""

    quarter_end: QuarterEndReminder = Field(default_factory=QuarterEndReminder)
    weekly_digest: WeeklyDigest = Field(default_factory=WeeklyDigest)


class Section(_Model):
    id: str
    title: str
    path: list[str] = Field(default_factory=list)  # the titles from the top of the document down to this one
    label: str = ""  # how a citation names it: «Điều 5», «khoản 1 Điều 5», «mục II.1»
    part: str = ""  # the part attached after the signature it belongs to: «Quy định», «Phụ lục I»


class Passage(_Model):
    id: str
    section: str
    text: str = Field(min_length=1)
    lead: str = ""  # the table group a row sits under («Chi bồi dưỡng các cuộc họp»)
    row: bool = False  # a table row, «Header: value; …»


# The kinds of document in words, by their short form.
KIND_NAMES = {
    "HD": "Hướng dẫn", "KH": "Kế hoạch", "ĐH": "Định hướng", "ĐC": "Đề cương", "CV": "Công văn",
    "TB": "Thông báo", "NQ": "Nghị quyết", "CT": "Chỉ thị", "KL": "Kết luận", "QĐ": "Quyết định",
    "BC": "Báo cáo", "CTr": "Chương trình", "TL": "Tài liệu", "TT": "Thông tri", "BT": "Bản tin",
    "QĐi": "Quy định", "QC": "Quy chế", "NĐ": "Nghị định", "L": "Luật", "ĐA": "Đề án", "TTr": "Tờ trình",
}  # fmt: skip
_ISSUER_SHORT = [(r"\bỦy ban nhân dân\b", "UBND"), (r"\bHội đồng nhân dân\b", "HĐND")]

CURRENT = "current"
EXPIRED = "expired"
SUPERSEDED = "superseded"


class Document(_Model):
    """A guidance document: what it is, when it was issued, until when it holds, and its passages."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)
    kind: str = ""  # the short form of its kind: HD, KH, ĐH, ĐC …
    title: str
    short: str = ""  # a short name, for a document without a number
    number: str = ""  # "15-HD/BTGTU"
    issued: date | None = None
    issued_text: str = ""  # the date as its header writes it («ngày 05 tháng 3 năm 2025»)
    # The year the document speaks of as "this year" (its "năm nay"); the issue year when not given.
    year: int | None = Field(default=None, ge=1945, le=2200)
    issuer: str = ""
    place: str = ""
    basis: str = ""
    signer: str = ""
    signer_title: str = ""  # «KT. CHỦ TỊCH / PHÓ CHỦ TỊCH»
    valid_until: date | None = None
    supersedes: list[str] = Field(default_factory=list)
    superseded_by: str | None = None  # filled in from the newer document's `supersedes` when not given
    file: str = ""
    sections: list[Section]
    passages: list[Passage]

    def section_title(self, section_id: str) -> str:
        for s in self.sections:
            if s.id == section_id:
                return s.title
        return ""

    def section_path(self, section_id: str) -> list[str]:
        """The titles from the top of the document down to this section (its own title for older YAML)."""
        for s in self.sections:
            if s.id == section_id:
                return s.path or [s.title]
        return []

    @property
    def speaks_of(self) -> int | None:
        """The document's own "this year"."""
        return self.year or (self.issued.year if self.issued else None)

    def state(self, today: date) -> str:
        """current, expired (past its validity) or superseded (a newer document replaces it)."""
        if self.superseded_by:
            return SUPERSEDED
        if self.valid_until is not None and today > self.valid_until:
            return EXPIRED
        return CURRENT

    def name(self) -> str:
        """ "HD số 15-HD/BTGTU", or the short name of a document without a number."""
        if self.number:
            return CITE_NUMBERED.format(kind=self.kind or CITE_DOCUMENT, number=self.number)
        return self.short or self.title

    def kind_name(self) -> str:
        """ "Kế hoạch", "Quyết định": the kind in words."""
        return KIND_NAMES.get(self.kind, self.kind or CITE_DOCUMENT)

    def short_issuer(self) -> str:
        """The issuer as a citation names it: «UBND thành phố Cần Thơ», «Ban Tuyên giáo Tỉnh ủy Lai Châu»."""
        levels = [lv.strip() for lv in self.issuer.split(" – ") if lv.strip()]
        name = " ".join(reversed(levels)) if len(levels) > 1 else (levels[0] if levels else "")
        for long, short in _ISSUER_SHORT:
            name = re.sub(long, short, name, flags=re.I)
        return name

    def citation(self) -> str:
        """ "Quyết định 2579/QĐ-UBND ngày 21/11/2025 của UBND thành phố Cần Thơ"."""
        name = f"{self.kind_name()} {self.number}" if self.number else (self.short or self.title)
        if self.issued:
            name += f" ngày {self.issued.day}/{self.issued.month}/{self.issued.year}"
        issuer = self.short_issuer()
        if issuer and self.number:
            name += f" của {issuer}"
        return name

    def where(self, section_id: str) -> str:
        """The part a citation names: «khoản 1 Điều 4, Quy định kèm theo», «mục II.1», «phần mở đầu»."""
        section = next((s for s in self.sections if s.id == section_id), None)
        if section_id in CITE_PARTS and not (section and section.label):
            return CITE_PARTS[section_id]
        if section is None:
            return CITE_SECTION.format(section=section_id) if section_id else ""
        label = section.label or CITE_SECTION.format(section=section.id)
        if section.part:
            attached = CITE_ATTACHED.format(part=section.part)
            return attached if label == section.part else f"{label}, {attached}"
        return label


@dataclass(frozen=True)
class ContentError:
    """One problem in the content folder."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return CONTENT_ERROR.format(file=self.file, entry=self.entry, field=self.field, message=self.message)


@dataclass
class Content:
    """Everything loaded from the content folder."""

    root: Path
    topics: list[Topic] = field(default_factory=list)
    faq: list[FaqEntry] = field(default_factory=list)
    key_messages: list[KeyMessage] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    abbreviations: Abbreviations = field(default_factory=Abbreviations)
    units: Units | None = None
    report_forms: list[ReportForm] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    abbreviation_count: int = 0
    abbreviation_forms: dict[str, list[str]] = field(default_factory=dict)  # abbreviations.yaml as written
    spoken: Spoken = field(default_factory=Spoken)
    synonyms: Synonyms = field(default_factory=Synonyms)
    reminders: Reminders = field(default_factory=Reminders)
    errors: list[ContentError] = field(default_factory=list)
    entry_files: dict[str, str] = field(default_factory=dict)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self._by_id.get(entry_id)

    def cite(self, source: Source, today: date | None = None) -> str:
        """One short line: the part, then the document, its date and issuer — and, given ``today``, whether it
        still holds («Điều 5, Quy định kèm theo Quyết định 2579/QĐ-UBND ngày 21/11/2025 của UBND thành phố
        Cần Thơ»)."""
        doc = self.documents.get(source.document)
        if doc is None:
            return source.document
        where = doc.where(source.section)
        joint = " " if where.endswith(CITE_ATTACHED.format(part="").strip()) else ", "
        line = f"{where}{joint}{doc.citation()}" if where else doc.citation()
        state = doc.state(today) if today else CURRENT
        if state == SUPERSEDED and doc.superseded_by:
            newer = self.documents.get(doc.superseded_by)
            line += CITE_SUPERSEDED.format(by=newer.name() if newer else doc.superseded_by)
        elif state == EXPIRED and doc.valid_until:
            line += CITE_EXPIRED.format(
                until=f"{doc.valid_until.day}/{doc.valid_until.month}/{doc.valid_until.year}"
            )
        return line

    def cite_entry(self, entry: FaqEntry, today: date | None = None) -> str:
        """The source line of an entry: its document and section, or the officers' answer and its date."""
        if entry.source is not None:
            return self.cite(entry.source, today)
        when = entry.answered_on
        return texts.CITE_INBOX.format(date=f"{when.day}/{when.month}/{when.year}" if when else "")

    def newest_year(self, today: date) -> int | None:
        """ "This year" of the newest document that still holds (of the newest at all when none does)."""
        docs = sorted(self.documents.values(), key=lambda d: (d.issued or date.min, d.speaks_of or 0))
        current = [d for d in docs if d.state(today) == CURRENT and d.speaks_of]
        pool = current or [d for d in docs if d.speaks_of]
        return pool[-1].speaks_of if pool else None

    def counts(self) -> dict[str, int]:
        return {
            "faq_entries": len(self.faq),
            "questions": sum(len(e.questions) for e in self.faq),
            "topics": len(self.topics),
            "key_messages": len(self.key_messages),
            "documents": len(self.documents),
            "passages": sum(len(d.passages) for d in self.documents.values()),
            "abbreviations": self.abbreviation_count,
            "communes": len(self.units.communes) if self.units else 0,
            "villages": sum(len(c.villages) for c in self.units.communes) if self.units else 0,
            "report_forms": len(self.report_forms),
            "events": len(self.events),
        }

    @property
    def _by_id(self) -> dict[str, FaqEntry]:
        cache = self.__dict__.get("_entry_cache")
        if cache is None or len(cache) != len(self.faq):
            cache = {e.id: e for e in self.faq}
            self.__dict__["_entry_cache"] = cache
        return cache


def default_content_dir() -> Path:
    """The repository's content/ in a checkout, or the copy packed inside the installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "content", here / "_content"):
        if (candidate / "topics.yaml").is_file():
            return candidate
    return here.parent / "content"


# libyaml's safe loader reads a document's YAML eight times faster than the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, root: Path, errors: list[ContentError]) -> Any:
    rel = os.path.relpath(path, root)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_SAFE_LOADER)  # a safe loader (libyaml's when installed)
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(ContentError(rel, "-", "-", CONTENT_UNREADABLE.format(reason=exc)))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}" if mark else "-"
        errors.append(
            ContentError(rel, where, "-", CONTENT_BAD_YAML.format(reason=getattr(exc, "problem", exc)))
        )
    return None


def document_cache(path: Path) -> Path:
    """Where a document's YAML is kept parsed (JSON, ten times faster to read): «.<id>.json» beside it."""
    return path.with_name(f".{path.stem}.json")


def cache_document(path: Path, raw: Any) -> None:
    """Keep ``raw`` (the document YAML at ``path``, as parsed) for the next load, tied to the file's time and
    size; nothing when the folder cannot be written."""
    try:
        st = path.stat()
        body = {"key": [st.st_mtime_ns, st.st_size], "data": raw}
        write_atomically(
            document_cache(path), json.dumps(body, ensure_ascii=False, default=str).encode(), 0o644
        )
    except OSError:
        pass


def _read_document(path: Path, root: Path, errors: list[ContentError]) -> Any:
    """A document's YAML as parsed: from its cache while the file is unchanged (a large document's YAML takes
    a tenth of a second to parse), else parsed and cached."""
    try:
        st = path.stat()
        cached = json.loads(document_cache(path).read_bytes())
        if isinstance(cached, dict) and cached.get("key") == [st.st_mtime_ns, st.st_size]:
            return cached.get("data")
    except (OSError, ValueError):
        pass
    raw = _read_yaml(path, root, errors)
    if raw is not None:
        cache_document(path, raw)
    return raw


def _validate(model: type[_Model], raw: Any, rel: str, errors: list[ContentError]) -> Any:
    entry = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "-"
            errors.append(ContentError(rel, entry, loc, err["msg"]))
    return None


def _load_list(
    path: Path,
    root: Path,
    model: type[_Model],
    errors: list[ContentError],
    required: bool = True,
    allow_empty: bool = False,
) -> list[Any]:
    rel = os.path.relpath(path, root)
    if not path.is_file():
        if required:
            errors.append(ContentError(rel, "-", "-", CONTENT_MISSING_FILE))
        return []
    before = len(errors)
    data = _read_yaml(path, root, errors)
    if data is None or data == []:
        if not allow_empty and len(errors) == before:
            errors.append(ContentError(rel, "-", "-", CONTENT_EMPTY_LIST))
        return []
    if not isinstance(data, list):
        errors.append(ContentError(rel, "-", "-", CONTENT_NOT_A_LIST))
        return []
    items = [_validate(model, raw, rel, errors) for raw in data]
    return [i for i in items if i is not None]


def load_content(root: Path | str | None = None) -> Content:
    """Load and cross-check the content folder; problems are collected in ``Content.errors``."""
    root = Path(root) if root else default_content_dir()
    content = Content(root=root)
    errors = content.errors
    if not root.is_dir():
        errors.append(ContentError(str(root), "-", "-", CONTENT_NO_FOLDER))
        return content

    content.topics = sorted(_load_list(root / "topics.yaml", root, Topic, errors), key=lambda t: t.order)
    faq_dir = root / "faq"
    faq_files = sorted(faq_dir.glob("*.yaml")) if faq_dir.is_dir() else []
    if not faq_files:
        errors.append(ContentError("faq/", "-", "-", CONTENT_NO_FAQ))
    for path in faq_files:
        entries = _load_list(path, root, FaqEntry, errors, allow_empty=True)
        for entry in entries:
            content.entry_files.setdefault(entry.id, os.path.relpath(path, root))
        content.faq.extend(entries)
    _merge_phrasings(root, content)
    content.key_messages = _load_list(root / "key_messages.yaml", root, KeyMessage, errors, allow_empty=True)

    docs_dir = root / "documents"
    for path in sorted(docs_dir.glob("*.yaml")) if docs_dir.is_dir() else []:
        raw = _read_document(path, root, errors)
        doc = _validate(Document, raw, os.path.relpath(path, root), errors) if raw is not None else None
        if doc is not None:
            content.documents[doc.id] = doc
    if not content.documents:
        errors.append(ContentError("documents/", "-", "-", CONTENT_NO_DOCUMENTS))

    units_path = root / "units.yaml"
    if units_path.is_file():
        before = len(errors)
        raw_units = _read_yaml(units_path, root, errors)
        if raw_units is not None:
            content.units = _validate(Units, raw_units, "units.yaml", errors)
        elif len(errors) == before:
            # Without units nobody can register, report or be an admin's province: never a valid state.
            errors.append(ContentError("units.yaml", "-", "-", CONTENT_EMPTY_UNITS))
    else:
        errors.append(ContentError("units.yaml", "-", "-", CONTENT_MISSING_FILE))
    content.report_forms = _load_list(root / "report_forms.yaml", root, ReportForm, errors)
    content.events = _load_list(root / "events.yaml", root, Event, errors, allow_empty=True)
    content.themes = _load_list(root / "themes.yaml", root, Theme, errors, required=False)

    abbr_path = root / "abbreviations.yaml"
    raw_abbr = _read_yaml(abbr_path, root, errors) if abbr_path.is_file() else {}
    if isinstance(raw_abbr, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(a, str) for a in v)
        for k, v in raw_abbr.items()
    ):
        content.abbreviations = Abbreviations.from_mapping(raw_abbr)
        content.abbreviation_count = sum(len(v) for v in raw_abbr.values())
        content.abbreviation_forms = raw_abbr
    elif raw_abbr is not None:
        errors.append(ContentError("abbreviations.yaml", "-", "-", CONTENT_BAD_ABBREVIATIONS))

    rem_path = root / "reminders.yaml"
    if rem_path.is_file():
        raw_rem = _read_yaml(rem_path, root, errors)
        if raw_rem is not None:
            content.reminders = _validate(Reminders, raw_rem, "reminders.yaml", errors) or Reminders()

    spoken_path = root / "spoken.yaml"
    if spoken_path.is_file():
        raw_spoken = _read_yaml(spoken_path, root, errors)
        if raw_spoken is not None:
            content.spoken = _validate(Spoken, raw_spoken, "spoken.yaml", errors) or Spoken()

    syn_path = root / "synonyms.yaml"
    if syn_path.is_file():
        raw_syn = _read_yaml(syn_path, root, errors)
        if raw_syn is not None:
            content.synonyms = _validate(Synonyms, raw_syn, "synonyms.yaml", errors) or Synonyms()

    _cross_check(content)
    return content


def _cross_check(content: Content) -> None:
    errors = content.errors
    topic_ids = {t.id for t in content.topics}
    seen: dict[str, str] = {}
    for entry in content.faq:
        file = content.entry_files.get(entry.id, "faq/")
        if entry.id in seen:
            dup = CONTENT_DUPLICATE_ID.format(file=seen[entry.id])
            errors.append(ContentError(file, entry.id, "id", dup))
        seen[entry.id] = file
        if entry.topic not in topic_ids:
            errors.append(ContentError(file, entry.id, "topic", CONTENT_NO_TOPIC.format(topic=entry.topic)))
        if entry.source is not None:
            _check_source(content, file, entry.id, entry.source)
    for msg in content.key_messages:
        _check_source(content, "key_messages.yaml", msg.id, msg.source)
    if content.units is not None:
        codes: set[str] = {content.units.province.code}
        for commune in content.units.communes:
            for code in [commune.code, *(v.code for v in commune.villages)]:
                if code in codes:
                    errors.append(ContentError("units.yaml", code, "code", CONTENT_DUPLICATE_UNIT))
                codes.add(code)
    form_ids = [f.id for f in content.report_forms]
    for dup in {i for i in form_ids if form_ids.count(i) > 1}:
        errors.append(ContentError("report_forms.yaml", dup, "id", CONTENT_DUPLICATE_FORM))
    _link_supersedes(content)
    for event in content.events:
        _check_event_dates(content, event)
    for doc in content.documents.values():
        sections = {s.id for s in doc.sections}
        for p in doc.passages:
            if p.section not in sections:
                errors.append(
                    ContentError(
                        f"documents/{doc.id}.yaml",
                        p.id,
                        "section",
                        CONTENT_NO_SECTION.format(section=p.section),
                    )
                )


_YEAR_IN_TEXT = re.compile(r"(?<![\d/])(19|20)\d\d(?!\d)")


def _check_event_dates(content: Content, event: Event) -> None:
    """A yearly text that cites a year (other than the event's own) goes stale: it must name its document."""
    if event.document is not None:
        if event.document not in content.documents:
            message = CONTENT_NO_DOCUMENT.format(document=event.document)
            content.errors.append(ContentError("events.yaml", event.id, "document", message))
        return
    if event.date.once:
        return
    own = {str(event.since)} if event.since else set()
    years = {m.group(0) for m in _YEAR_IN_TEXT.finditer(event.talking_points)} - own
    if years:
        message = CONTENT_EVENT_DATED.format(years=", ".join(sorted(years)))
        content.errors.append(ContentError("events.yaml", event.id, "talking_points", message))


def _merge_phrasings(root: Path, content: Content) -> None:
    """phrasings.yaml ({entry id: [question, ...]}): what people asked, attached to entries from the inbox."""
    path = root / PHRASINGS_FILE
    if not path.is_file():
        return
    raw = _read_yaml(path, root, content.errors)
    if raw is None:
        return
    well_formed = isinstance(raw, dict) and all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(q, str) for q in v)
        for k, v in raw.items()
    )
    if not well_formed:
        content.errors.append(ContentError(PHRASINGS_FILE, "-", "-", CONTENT_BAD_PHRASINGS))
        return
    by_id = {e.id: e for e in content.faq}
    for entry_id, questions in raw.items():
        entry = by_id.get(entry_id)
        if entry is None:
            message = CONTENT_NO_ENTRY.format(entry=entry_id)
            content.errors.append(ContentError(PHRASINGS_FILE, entry_id, "-", message))
            continue
        known = {plain_key(q) for q in entry.questions}
        for question in questions:
            key = plain_key(question)
            if key and key not in known:
                known.add(key)
                entry.questions.append(clean(question))


def _link_supersedes(content: Content) -> None:
    """A newer document's `supersedes` marks the older ones as superseded by it."""
    for doc in sorted(content.documents.values(), key=lambda d: d.id):
        file = f"documents/{doc.id}.yaml"
        for old_id in doc.supersedes:
            old = content.documents.get(old_id)
            if old is None or old_id == doc.id:
                message = texts.CONTENT_NO_NEWER.format(document=old_id)
                content.errors.append(ContentError(file, doc.id, "supersedes", message))
            elif old.superseded_by and old.superseded_by != doc.id:
                message = CONTENT_SUPERSEDED_TWICE.format(first=old.superseded_by, second=doc.id)
                content.errors.append(
                    ContentError(f"documents/{old_id}.yaml", old_id, "superseded_by", message)
                )
            else:
                old.superseded_by = doc.id
        if doc.superseded_by and doc.superseded_by not in content.documents:
            message = texts.CONTENT_NO_NEWER.format(document=doc.superseded_by)
            content.errors.append(ContentError(file, doc.id, "superseded_by", message))


def _check_source(content: Content, file: str, entry_id: str, source: Source) -> None:
    doc = content.documents.get(source.document)
    if doc is None:
        content.errors.append(
            ContentError(
                file, entry_id, "source.document", CONTENT_NO_DOCUMENT.format(document=source.document)
            )
        )
    elif source.section not in {s.id for s in doc.sections}:
        content.errors.append(
            ContentError(
                file,
                entry_id,
                "source.section",
                CONTENT_NO_SECTION_IN_DOCUMENT.format(section=source.section),
            )
        )
