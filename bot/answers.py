"""Answering a question: the one use case behind plain text and /hoi in chat, `loa ask` and `loa eval`.

:func:`answer` matches and composes (no I/O); :func:`ask` also logs the question, masked, with its outcome
(the unanswered feed the officers' inbox). How a reply looks is the caller's: chat handlers render it with
buttons, the command line as text or JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot import privacy
from bot.app import App
from bot.buttons import fit_label
from bot.content import Source
from bot.matcher import ANSWER, NONE, PASSAGE, SUGGEST, KnowledgeBase, MatchResult
from bot.retrieval import CARD
from bot.store.inbox import UNANSWERED
from bot.textnorm import clean, strip_accents

# -- what it says --------------------------------------------------------------------------------------------
MAX_QUESTION_CHARS = 500
GREETING = "Xin chào! Tôi là Loa. Đồng chí cứ gõ câu hỏi về hướng dẫn tuyên truyền, hoặc gõ /trogiup."
THANKS = "Rất vui được giúp đồng chí. Cần gì cứ gõ câu hỏi hoặc /trogiup nhé."
OKAY = "Vâng. Cần gì đồng chí cứ gõ câu hỏi hoặc /trogiup."
NOT_SAID_IN_DOCUMENT = (
    "Văn bản chưa nói rõ điều đồng chí hỏi. Đoạn gần nhất văn bản nói:\n\n«{excerpt}»\n\n📄 {source}\n\n"
    "Câu hỏi đã được ghi lại để Ban Tuyên giáo trả lời."
)
NO_FIGURE_IN_DOCUMENT = (
    "Văn bản không nêu con số này; Loa không tự đưa ra con số. Đoạn gần nhất văn bản nói:\n\n«{excerpt}»\n\n"
    "📄 {source}"
)
SAY_SUGGEST = "Tôi chưa chắc đồng chí hỏi điều nào. Có phải một trong các câu sau?"
SUGGEST_GUESS = "Có phải đồng chí muốn hỏi: «{question}»?\n\n{answer}"
SUGGEST_NUMBER_ONLY = "Đồng chí hỏi gì về «{number}»? Có phải một trong các câu sau?"
SAY_NONE = (
    "Xin lỗi, tôi chưa có thông tin để trả lời câu này. Câu hỏi đã được ghi lại để Ban Tuyên giáo "
    "bổ sung. Đồng chí thử hỏi cách khác, xem /chude, hoặc gõ /trogiup."
)
EMPTY = "Đồng chí chưa gõ câu hỏi. Ví dụ: «thu ngân sách năm 2023 của tỉnh» hoặc gõ /chude để xem chủ đề."
NO_WORDS = (
    "Tôi chưa hiểu câu hỏi. Xin gõ bằng chữ, ví dụ: «kết quả kinh tế năm 2023». Gõ /trogiup để xem cách hỏi."
)
NUMBER_ALONE = (
    "Chỉ một con số thì Loa chưa biết đồng chí hỏi gì. Xin gõ cả câu, ví dụ «thu ngân sách năm 2023 của "
    "tỉnh»; gõ /chude để xem theo chủ đề, /trogiup để xem Loa làm được gì."
)
TOO_LONG = "Câu hỏi dài quá ({length} ký tự). Xin hỏi ngắn gọn, dưới {limit} ký tự, mỗi lần một ý."
NO_FIGURE = "Hướng dẫn không nêu số liệu cụ thể cho câu hỏi này; Loa không tự đưa ra con số."
NO_FIGURE_NEAREST = "Những nội dung gần nhất có trong hướng dẫn:"
RELATIVE_YEAR = "«{phrase}» là năm {year}"
RELATIVE_YEARS = "(Loa hiểu {said}, theo năm của văn bản mới nhất.)"

_LABEL_CHARS = 60
GUESS_MARGIN = 1.15

# Small talk, accent-free. On Zalo there is no Start button: the first message is usually "xin chào".
# A message is small talk when all its words are below and one is a marker; thanks win over a greeting.
_THANKS = {"cam", "thanks", "thank", "tks", "thankyou", "camon"}
_GREETINGS = {"chao", "hello", "hi", "helo", "alo"}
_OKAY = {"ok", "oke", "okay", "okie", "vang", "duoc", "roi", "u", "uh", "uk"}
_FILLERS = {
    "xin", "on", "loa", "bot", "ban", "anh", "chi", "em", "a", "ad", "admin", "dong", "nhe", "nha", "nhieu",
    "ca", "moi", "nguoi", "oi", "buoi", "sang", "trua", "chieu", "toi", "you", "very", "much", "rat", "da",
}  # fmt: skip
_SMALL_TALK = (("thanks", _THANKS), ("greeting", _GREETINGS), ("okay", _OKAY))
_SMALL_TALK_WORDS = _THANKS | _GREETINGS | _OKAY | _FILLERS
_WORD_RE = re.compile(r"\w+")
_SMALL_TALK_REPLY = {"greeting": GREETING, "thanks": THANKS, "okay": OKAY}
# Emoji said instead of a word (skin tones and the emoji variation selector aside).
_EMOJI_TALK = (("okay", set("👍👌🆗✅🙆👏")), ("thanks", set("🙏❤💐🌹🥰😍")))
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff\u200d]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_NUMBER_RE = re.compile(r"\d+")
YEARS = (1900, 2100)  # a number alone in this range is a year asked about («2023»), not a stray number
NOISE = "noise"  # the small talk of a message with nothing to answer: a stray number, emoji


def small_talk(text: str) -> str | None:
    """ "greeting", "thanks" or "okay" when ``text`` is only that (and whom it is said to), else None."""
    if len(text) > 60:  # cheap first: a real question is longer than small talk
        return None
    words = set(_WORD_RE.findall(strip_accents(text.lower())))
    if not words or len(words) > 6 or not words <= _SMALL_TALK_WORDS:
        return None
    return next((kind for kind, markers in _SMALL_TALK if words & markers), None)


def wordless(text: str) -> tuple[str, str] | None:
    """(small talk, reply) for a message without a letter: «👍» is okay, «🙏» thanks, a stray number («99»,
    «1» with no choice to pick) or emoji a hint of how to ask. None when it has letters, or is a year."""
    if _LETTER_RE.search(text):
        return None
    numbers = _NUMBER_RE.findall(text)
    if any(len(n) == 4 and YEARS[0] <= int(n) <= YEARS[1] for n in numbers):
        return None  # «2023»: what was said of that year is offered
    if numbers:
        return NOISE, NUMBER_ALONE
    marks = set(_EMOJI_MODIFIERS.sub("", "".join(text.split())))
    for kind, emoji in _EMOJI_TALK:
        if marks and marks <= emoji:
            return kind, _SMALL_TALK_REPLY[kind]
    return NOISE, NO_WORDS


@dataclass
class Outcome:
    """One answered question, in the shape of ``loa ask --json``."""

    query: str
    status: str
    id: str | None = None
    score: float = 0.0
    text: str = ""
    source: str | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    # The question's content words, accent-free: how the unanswered-questions inbox groups alike questions.
    normalized: str = ""
    logged: str = ""  # the question as logged: residents' names and phone numbers masked
    # "greeting", "thanks" or "okay" when the message was small talk, not a question; "noise" when it held
    # nothing to answer (a stray number, emoji): none of them is logged.
    small_talk: str | None = None
    # (document, section) of a passage answer: the "whole section" button.
    section: tuple[str, str] | None = None
    # The next best passages of the same question («Xem thêm»): (document, passage index, a sentence of it).
    more: list[tuple[str, int, str, float]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "status": self.status,
            "id": self.id,
            "score": round(self.score, 4),
            "text": self.text,
            "source": self.source,
            "suggestions": self.suggestions,
        }


def button_label(question: str) -> str:
    """A question shortened for a list of suggestions, at a word's end (a button shortens it further to fit
    a phone: :func:`bot.buttons.fit_label`)."""
    return fit_label(question, _LABEL_CHARS)


def _suggestions(result: MatchResult, skip: str | None = None) -> list[dict[str, Any]]:
    return [
        {"id": c.entry.id, "question": c.entry.questions[0], "score": round(c.score, 4)}
        for c in result.suggestions
        if c.entry.id != skip
    ]


def answer(kb: KnowledgeBase, question: str, today: date | None = None) -> Outcome:
    """Match one question and compose the reply text (no logging, no I/O); ``today`` dates the sources."""
    content = kb.content
    query = clean(question)
    if not query:
        return Outcome(query=query, status=NONE, text=EMPTY)
    if len(query) > MAX_QUESTION_CHARS:
        return Outcome(
            query=query[:200],
            status=NONE,
            text=TOO_LONG.format(length=len(query), limit=MAX_QUESTION_CHARS),
        )
    talk = small_talk(query)
    if talk is not None:
        return Outcome(query=query, status=NONE, text=_SMALL_TALK_REPLY[talk], small_talk=talk)
    no_words = wordless(query)
    if no_words is not None:
        return Outcome(query=query, status=NONE, text=no_words[1], small_talk=no_words[0])
    result = kb.match(query)
    tokens = result.tokens
    if not tokens:
        return Outcome(query=query, status=NONE, text=NO_WORDS)
    # Content words, accent-free (a word the knowledge base does not know is marked "⁇" by the matcher).
    normalized = " ".join(strip_accents(t.lstrip("\u2047")) for t in tokens)
    out = Outcome(query=query, status=result.status, score=result.score, normalized=normalized)
    if result.status == ANSWER and result.entry is not None:
        entry = result.entry
        out.id = entry.id
        out.text = entry.answer
        out.source = content.cite_entry(entry, today)
        out.suggestions = _suggestions(result, skip=entry.id)
    elif result.status == PASSAGE and result.passage is not None:
        doc = content.documents[result.passage_document]
        out.id = result.passage.id
        out.text = result.excerpt or result.passage.text
        out.source = content.cite(Source(document=doc.id, section=result.passage.section), today)
        if result.passage.section != CARD:  # a document's card is not a section to show whole
            out.section = (doc.id, result.passage.section)
        out.more = result.more
        out.suggestions = [
            {"id": f"{d}#{i}", "question": button_label(text), "score": score}
            for d, i, text, score in result.more
        ]
    elif (result.no_figure or result.unsaid) and result.passage is not None:
        # The documents are near but do not say it: say so, and show what they do say.
        doc = content.documents[result.passage_document]
        source = content.cite(Source(document=doc.id, section=result.passage.section), today)
        honest = NO_FIGURE_IN_DOCUMENT if result.no_figure else NOT_SAID_IN_DOCUMENT
        out.text = honest.format(excerpt=result.excerpt, source=source)
    elif result.no_figure:
        out.suggestions = _suggestions(result)
        lines = [NO_FIGURE] + ([NO_FIGURE_NEAREST] if out.suggestions else [])
        out.text = "\n".join(lines + [f"• {s['question']}" for s in out.suggestions])
    elif result.status == SUGGEST:
        out.suggestions = _suggestions(result)
        number_only = all(t.isdigit() for t in tokens)
        best = result.candidates[0]
        runner_up = result.candidates[1].score if len(result.candidates) > 1 else 0.0
        # Guess only when one candidate stands out: between two about as likely, let the person choose.
        if not number_only and best.score >= kb.thresholds.clear and best.score >= GUESS_MARGIN * runner_up:
            # A likely guess: show its answer at once (one round trip less on a slow line), as a question.
            question = best.entry.questions[0].rstrip(" ?")
            out.text = SUGGEST_GUESS.format(question=question, answer=best.entry.answer)
            out.source = content.cite_entry(best.entry, today)
            out.suggestions = _suggestions(result, skip=best.entry.id)
        else:
            lead = SUGGEST_NUMBER_ONLY.format(number=" ".join(tokens)) if number_only else SAY_SUGGEST
            out.text = "\n".join([lead] + [f"• {s['question']}" for s in out.suggestions])
    else:
        out.text = SAY_NONE
    # The years are the documents' ("năm ngoái" of the newest document); an officer's answer says its own.
    shown = result.entry or (result.candidates[0].entry if result.candidates else None)
    from_document = result.status == PASSAGE or (shown is not None and shown.source is not None)
    if result.relative_years and out.status in (ANSWER, PASSAGE, SUGGEST) and from_document:
        said = ", ".join(RELATIVE_YEAR.format(phrase=p, year=y) for p, y in result.relative_years)
        out.text = f"{out.text}\n\n{RELATIVE_YEARS.format(said=said)}"
    return out


async def ask(
    app: App,
    channel: str,
    question: str,
    unit_code: str | None = None,
    chat_id: str | None = None,
    residents: str = "",
) -> Outcome:
    """Answer and log the question with its outcome (the unanswered ones feed the officers' inbox).

    The log keeps the question with residents' names and phone numbers masked, and the asker's unit (never
    who asked). Small talk is not a question: it is not logged. For a question Loa could not answer, the
    chat it came from (``chat_id``) is kept apart, only until an officer's answer has been sent there;
    ``residents`` is the village's code when a propagandist passes on what its residents asked.
    """
    out = answer(app.kb, question, app.today())
    if out.query and out.small_talk is None:
        found = privacy.find_personal(out.query, app.public_names)
        logged, normalized = out.query, out.normalized
        if found:
            logged = privacy.mask(out.query, app.public_names)
            # The folded form of what is kept, not of what was said: the matcher folds a name its own way
            # (Giàng → gian), so taking the found words out of it would miss some.
            normalized = answer(app.kb, logged, app.today()).normalized
        # A run of digits as long as a phone number's or an account's never stays in the key.
        normalized = " ".join(t for t in normalized.split() if not (t.isdigit() and len(t) >= 8))
        await app.db.questions.log(channel, logged, normalized, out.status, out.id, out.score, unit_code)
        if chat_id is not None and out.status in UNANSWERED and normalized:
            await app.db.inbox.add_asker(normalized, channel, chat_id, logged, residents)
        out.logged, out.normalized = logged, normalized
    return out


# -- questions typed inside a dialog -----------------------------------------------------------------------
# Question words, accent-free, matched as whole words: asking phrases anywhere, particles at the end.
_ASKING = re.compile(
    r"\b(bao nhieu|bao gio|khi nao|luc nao|the nao|ra sao|tai sao|vi sao|lam sao|o dau|la gi|cai gi|"
    r"co phai|phai khong|duoc khong|hay khong|hay chua|the a|nhu nao)\b"
)
_ASKING_END = re.compile(r"\b(khong|chua|ha|nhi|sao)\s*$")
_ASKING_ACCENTED = re.compile(r"(?<!\w)(gì|nào|đâu|mấy|không\?|chưa\?)(?!\w)")


def reads_as_question(kb: KnowledgeBase, text: str, awaits: str = "text") -> bool:
    """Whether ``text`` typed where an answer is awaited is a question to Loa (and not the answer)."""
    plain = " ".join(_WORD_RE.findall(strip_accents(text.lower())))
    if not plain or small_talk(text) is not None:
        return False
    if "?" in text or _ASKING.search(plain) or _ASKING_ACCENTED.search(text.lower()):
        return True
    if awaits == "name" and len(plain.split()) == 1:
        return False  # one word where a name is awaited is a name («ttv1», «Huy»), whatever it matches
    if awaits != "name" and _ASKING_END.search(plain) and len(plain.split()) >= 3:
        return True
    return answer(kb, text).status == ANSWER
