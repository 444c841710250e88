"""Accents put back on a question typed without them, from the words of the province's own content.

People type «gia phan bon nam nay»; a FAQ entry made from it is titled «Giá phân bón năm nay?». Each word
takes the accented form that most often follows the word before it in the content's documents and answers
(a bigram count), else its most frequent form; a word the content never uses stays as typed. Written here
because no kept library restores Vietnamese diacritics offline without a large model; the officer reads and
edits the title before it is saved.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from bot.content import Content
from bot.textnorm import clean, strip_accents

_WORD = re.compile(r"\w+", re.UNICODE)
_cache: tuple[Content, Vocabulary] | None = None


class Vocabulary:
    """Accented forms by their folded form, and how often each accented pair of words follows another."""

    def __init__(self, texts: list[str]):
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)
        self.pairs: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
        for text in texts:
            words = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]
            for i, word in enumerate(words):
                self.forms[strip_accents(word)][word] += 1
                if i:
                    before = words[i - 1]
                    self.pairs[(strip_accents(before), strip_accents(word))][(before, word)] += 1

    def restore(self, text: str) -> str:
        """``text`` with accents on the words the content knows; the rest as typed."""
        pieces = re.split(r"(\w+)", clean(text))
        keys = [p.lower() if _WORD.fullmatch(p) else "" for p in pieces]
        words = [i for i, k in enumerate(keys) if k]
        chosen: dict[int, str] = {}
        for n, i in enumerate(words):
            piece = pieces[i]
            if piece != strip_accents(piece):  # typed with its accents: kept
                chosen[i] = piece.lower()
                continue
            before = chosen.get(words[n - 1], "") if n else ""
            after = keys[words[n + 1]] if n + 1 < len(words) else ""
            chosen[i] = self._best(keys[i], before, keys[words[n - 1]] if n else "", after)
        out = []
        for i, piece in enumerate(pieces):
            word = chosen.get(i, piece)
            out.append(piece if word == piece.lower() else word)
        return "".join(out)

    def _best(self, key: str, before: str, before_key: str, after_key: str) -> str:
        forms = self.forms.get(key)
        if not forms:
            return key
        total = sum(forms.values())

        def score(form: str) -> float:
            left = sum(c for (a, b), c in self.pairs.get((before_key, key), Counter()).items()
                       if b == form and a == before)  # fmt: skip
            right = sum(c for (a, _), c in self.pairs.get((key, after_key), Counter()).items() if a == form)
            return left + right + forms[form] / total

        return max(forms, key=score)


def vocabulary(content: Content) -> Vocabulary:
    """The vocabulary of ``content`` (built once per content)."""
    global _cache
    if _cache is None or _cache[0] is not content:
        texts = [p.text for d in content.documents.values() for p in d.passages]
        texts += [s.title for d in content.documents.values() for s in d.sections]
        texts += [e.answer for e in content.faq] + [q for e in content.faq for q in e.questions]
        # Phrasings typed without accents would teach the unaccented forms: only accented texts are read.
        _cache = (content, Vocabulary([t for t in texts if t != strip_accents(t)]))
    return _cache[1]


def title_from(content: Content, questions: list[str]) -> str:
    """A title for questions people asked: the most accented of them as written, else the first with its
    accents put back; capitalised, ending in «?»."""
    if not questions:
        return ""

    def marks(q: str) -> int:
        return sum(a != b for a, b in zip(q, strip_accents(q), strict=False))

    best = max(questions, key=marks)
    title = best if marks(best) else vocabulary(content).restore(questions[0])
    title = clean(title).rstrip(" .?!")
    return f"{title[:1].upper()}{title[1:]}?" if title else ""
