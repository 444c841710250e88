"""Which report topic the words of a one-line report name («KT-XH 2023», «thu ngân sách 2023»).

The phrase is folded the way questions are (abbreviations of ``content/abbreviations.yaml`` expanded: «KT-XH»
is «kinh tế - xã hội»; accented when typed with accents, else accent-free), and each reportable topic is
scored by the share of the phrase's words its title and description hold, the title's counting twice: the
title is what the reporter picks from, the description only says more. A topic is taken when it holds nearly
every word and stands clearly ahead of the next; otherwise the closest few are offered to choose from, never
one guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content import Content, Topic
from bot.textnorm import Abbreviations, normalize, strip_accents

# Words a reporter writes around a topic that say nothing of which one («tuyên truyền về nội dung …»).
_FILLER = frozenset(
    "ve noi dung chu de tuyen truyen buoi cho ba con nguoi dan tai o voi va cua nam cac nhung la".split()
)
HOLDS = 0.75  # the share of the phrase's words a topic must hold to be taken
AHEAD = 1.15  # ... and how far ahead of the next topic its score must be
GUESSES = 3  # the closest topics offered when none is taken
CLOSE = 0.5  # ... those holding more than this share of the phrase's words (one word of three is chance)


@dataclass(frozen=True)
class TopicReading:
    """The topic a phrase names (``topic``), or else the closest ones to offer (``guesses``, best first)."""

    topic: str | None = None
    guesses: list[str] = field(default_factory=list)


def _folded(text: str, abbreviations: Abbreviations, accented: bool) -> tuple[str, ...]:
    folded = normalize(text, abbreviations)
    return folded.words if accented else folded.plain


def _topic_words(content: Content, accented: bool) -> list[tuple[Topic, frozenset[str], frozenset[str]]]:
    """Each reportable topic with the words of its title, and of its title and description (a dozen topics:
    folded when a one-line report comes, not kept)."""
    abbr = content.abbreviations
    out = []
    for t in content.topics:
        if t.reportable:
            title = frozenset(_folded(t.title, abbr, accented))
            out.append((t, title, title | frozenset(_folded(t.description, abbr, accented))))
    return out


def phrase_words(content: Content, phrase: str, accented: bool = False) -> list[str]:
    """The words of ``phrase`` that can tell topics apart: no filler, and of numbers only years."""
    words = _folded(phrase, content.abbreviations, accented)
    kept = (w for w in words if strip_accents(w) not in _FILLER and (not w.isdigit() or len(w) == 4))
    return list(dict.fromkeys(kept))


def read_topic(content: Content, phrase: str) -> TopicReading:
    """The topic ``phrase`` names, or the closest topics to ask about (none when no topic holds more than half
    of its words).

    Typed with accents, it is matched with accents («du lịch» is not «dự báo»); without, accent-free.
    """
    accented = strip_accents(phrase) != phrase
    words = phrase_words(content, phrase, accented)
    if not words:
        return TopicReading()
    scored = []
    for topic, title, every in _topic_words(content, accented):
        held = sum(w in every for w in words) / len(words)
        in_title = sum(w in title for w in words) / len(words)
        scored.append((held + in_title, held, topic.order, topic.id))
    scored.sort(key=lambda s: (-s[0], s[2]))
    (best, held, _, best_id), runner_up = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    if held >= HOLDS and best >= AHEAD * runner_up:
        return TopicReading(topic=best_id)
    return TopicReading(guesses=[s[3] for s in scored[:GUESSES] if s[1] > CLOSE])
