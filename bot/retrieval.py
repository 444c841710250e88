"""Every sentence and table row of the documents, indexed so that a question finds the one that answers it.

A unit is one sentence of a passage (a table row is one unit, or one per field when the row is long), and a
document's «card»: the sentences its header says of it (kind, number, date, issuer, title; who signed it).
A question is a list of *concepts* — its content words and word pairs, each with the alternatives the
content's paraphrases give («bao lâu» ↔ «thời hạn», «trong vòng») — weighted by how rare they are. A concept
is credited for a unit when the unit's own text holds it, or, for less, when the titles of the sections above
it or the document's own name do (a question that names the topic and one that names the detail both find
it). The score is the share of the question's weight a unit explains, on the 0–1 scale FAQ entries are
scored on too.

bm25s keeps the three indexes (unit text, section titles, document names): term frequency saturation and
length normalisation are its, read per word so that each word's credit can be weighted and capped.
"""

from __future__ import annotations

import importlib
import logging
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import ModuleType

import numpy as np

from bot import asking
from bot.content import Document

log = logging.getLogger(__name__)


def _import_bm25s() -> ModuleType:
    """bm25s, imported without SciPy.

    bm25s tries ``import scipy.sparse`` when it loads, for a sparse-matrix backend Loa never asks for (it
    builds with ``csc_backend="numpy"``); SciPy drags in numpy.f2py, unittest and more: about 20 MiB of a
    running bot's memory for nothing. SciPy is hidden while bm25s loads (bm25s then records it as missing)
    and is importable again afterwards; if something imported it already, nothing is hidden.
    """
    if "scipy" in sys.modules or "bm25s" in sys.modules:
        return importlib.import_module("bm25s")
    sys.modules["scipy"] = None  # type: ignore[assignment]  # `import scipy…` raises ImportError
    try:
        return importlib.import_module("bm25s")
    finally:
        del sys.modules["scipy"]


bm25s = _import_bm25s()
# bm25s sets its logger to DEBUG when imported, whatever was configured before: it says nothing worth keeping.
logging.getLogger("bm25s").setLevel(logging.WARNING)

K1 = 1.2
B = 0.75
SECTION_WEIGHT = 0.75  # a word found only in the titles above a sentence counts this much
TITLE_WEIGHT = 0.8  # … and only in the document's title
DOCUMENT_WEIGHT = 0.95  # … and only in the document's name: it chooses the document, not the sentence
BIGRAM_WEIGHT = 0.5
CREDIT_CAP = 1.15  # a short sentence holding a word earns a little more than an average one, not more
RERANK = 60
HOLDS_BONUS = 1.2  # a sentence holding the kind of thing asked (a date for «khi nào»)
LACKS_FACTOR = 0.8  # … and one lacking it, when a date or a figure is asked
CARD_BONUS = 1.1  # … more for the document's card, when it holds the date, number or signer asked
MISSING_NUMBER = 0.7
ROW_SPLIT = 320  # characters: a longer table row is a unit per field
CARD = "header"  # the section id of a document's card
RECIPIENTS = "recipients"
RECIPIENTS_CONTEXT = " gửi đến, gửi về, gửi để báo cáo"  # what «Nơi nhận» means, for questions that ask it
ACCENTED = "^"  # the prefix of a word indexed as written, with its accents («^ký» beside «ki»)
NEGATED = "¬"  # the prefix of a word said negated («¬hoan» of «không hoàn thành»)

_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[-+•–(\"“]?\s*[A-ZĐÀ-Ỹ0-9])|(?<=;)\s+(?=[-+•–]|[a-zđ][).]\s)")
_CLAUSES = re.compile(r"(?<=;)\s+")
CLAUSE_MIN = 140  # characters: a sentence this long is also indexed clause by clause («…; …; …»)


@dataclass(frozen=True)
class Unit:
    """One sentence (or clause, table row, card line) and where it is."""

    doc: str
    passage: int  # the index of its passage in the document; -1 for the document's card
    section: str
    text: str
    indexed: str = ""  # what is indexed, when not the text (a card: what it says beyond the document's name)
    role: str = ""  # a card line's: "issued", "signer", "title"


@dataclass
class Concept:
    """One idea of a question: alternatives (each a few accent-free tokens) and its weight."""

    alternatives: list[tuple[str, ...]]
    weight: float
    typed: tuple[str, ...] = ()
    factor: float = 1.0  # how much a match counts: less for a word typed with a tone the documents never use
    factors: list[float] = field(default_factory=list)  # per alternative, how much it counts (1.0 when empty)
    pair: bool = False  # two words side by side: how the question holds together, not a thing it asks
    paraphrase: bool = False  # one of the content's ways of saying a common thing («tiền», «bao lâu»)


@dataclass
class Hit:
    """A unit a question found, with its score (share of the question's weight explained)."""

    unit: int
    score: float
    coverage: float = 0.0


def sentences(text: str) -> list[str]:
    """The sentences of a passage (list items ending in «;» apart)."""
    return [s.strip() for s in _SENTENCES.split(text) if s.strip()]


def clauses(sentence: str) -> list[str]:
    """A long sentence's clauses separated by «;» («điểm từ 8 đến cận 9: đạt loại Giỏi; …»); else itself."""
    if len(sentence) < CLAUSE_MIN:
        return [sentence]
    parts = [c.strip() for c in _CLAUSES.split(sentence) if len(c.strip()) > 12]
    return parts if len(parts) > 1 else [sentence]


def _row_fields(text: str) -> list[tuple[str, str]]:
    """A long table row as its fields, each led by the row's first field: (shown, indexed)."""
    fields = [f.strip() for f in text.split("; ") if f.strip()]
    if len(text) <= ROW_SPLIT or len(fields) < 2:
        return [(text, "")]
    head = fields[0]
    short = head if len(head) <= 160 else head[:159].rsplit(" ", 1)[0] + "…"
    return [(head, "")] + [(f"{short} — {f}", f"{head} {f}") for f in fields[1:]]


class _Field:
    """One bm25s index and the normalised credit of a word in each of its items."""

    def __init__(self, items: list[list[str]], b: float = B):
        self.size = len(items)
        self.df: dict[str, int] = {}
        for tokens in items:
            for t in set(tokens):
                self.df[t] = self.df.get(t, 0) + 1
        self.bm25 = bm25s.BM25(k1=K1, b=b, method="lucene", backend="numpy", csc_backend="numpy")
        # bm25s wants at least one token per item; an empty item gets a token no question has.
        self.bm25.index([tokens or ["\u2205"] for tokens in items], show_progress=False)
        self.vocab = self.bm25.vocab_dict
        self._cache: dict[str, np.ndarray] = {}

    def idf(self, token: str) -> float:
        df = self.df.get(token, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def credit(self, token: str) -> np.ndarray | None:
        """Per item, the word's BM25 score over the score of one occurrence in an item of average length."""
        if token not in self.vocab:
            return None
        hit = self._cache.get(token)
        if hit is None:
            scores = self.bm25.get_scores([token]).astype(np.float32)
            unit = self.idf(token) / (1 + K1)
            hit = np.minimum(scores / max(unit, 1e-9), CREDIT_CAP)
            if len(self._cache) < 4096:
                self._cache[token] = hit
        return hit


class SentenceIndex:
    """The units of the documents of a content folder, indexed on three fields."""

    def __init__(self, docs: Sequence[Document], tokenize: Callable[[str], tuple[list[str], list[str]]]):
        self.units: list[Unit] = []
        self.docs = list(docs)
        unit_doc: list[int] = []
        unit_sec: list[int] = []
        sec_keys: dict[tuple[int, str], int] = {}
        sec_texts: list[str] = []
        doc_texts: list[str] = []
        title_texts: list[str] = []
        self.issued = []
        for di, doc in enumerate(self.docs):
            doc_texts.append(" ".join([doc_kind_name(doc), doc.number, doc.issuer]))
            title_texts.append(doc.title)
            self.issued.append(doc.issued.toordinal() if doc.issued else 0)
            paths = {s.id: s for s in doc.sections}
            for role, text, indexed in card(doc):
                unit = Unit(doc.id, -1, CARD, text, indexed, role)
                self._add(unit, di, self._sec(sec_keys, sec_texts, di, CARD, ""), unit_doc, unit_sec)
            for pi, passage in enumerate(doc.passages):
                section = paths.get(passage.section)
                context = " ".join([*(section.path if section else []), section.label if section else "",
                                    section.part if section else ""])  # fmt: skip
                key = passage.section + ("|" + passage.lead if passage.lead else "")
                if passage.section == RECIPIENTS:
                    context += RECIPIENTS_CONTEXT
                si = self._sec(sec_keys, sec_texts, di, key, f"{context} {passage.lead}")
                if passage.row:
                    pieces = _row_fields(passage.text)
                else:
                    pieces = [(c, "") for sentence in sentences(passage.text) for c in clauses(sentence)]
                for shown, indexed in pieces:
                    self._add(Unit(doc.id, pi, passage.section, shown, indexed), di, si, unit_doc, unit_sec)
        self.unit_doc = np.asarray(unit_doc, dtype=np.int32)
        self.unit_sec = np.asarray(unit_sec, dtype=np.int32)
        self.issued_arr = np.asarray(self.issued, dtype=np.int64)
        self.text = _Field([_grams(*tokenize(u.indexed or u.text)) for u in self.units])
        # Titles and names are credited for holding a word, however long they are.
        self.sections = _Field([_grams(*tokenize(t)) for t in sec_texts], b=0.0)
        self.names = _Field([_grams(*tokenize(t)) for t in doc_texts], b=0.0)
        self.titles = _Field([_grams(*tokenize(t)) for t in title_texts], b=0.0)
        self.kinds = [_kinds_held(u.text) for u in self.units]
        self.roles = np.asarray([u.role for u in self.units])
        self.holding = {
            kind: np.asarray([kind in held for held in self.kinds], dtype=bool)
            for kind in (asking.DATE, asking.DOCUMENT)
        }
        self.cards: dict[tuple[int, str], int] = {
            (int(self.unit_doc[i]), u.role): i for i, u in enumerate(self.units) if u.role
        }
        self._combined_df: dict[str, int] = {}
        self._idf: dict[str, float] = {}

    def _add(self, unit: Unit, di: int, si: int, unit_doc: list[int], unit_sec: list[int]) -> None:
        self.units.append(unit)
        unit_doc.append(di)
        unit_sec.append(si)

    @staticmethod
    def _sec(keys: dict[tuple[int, str], int], texts: list[str], di: int, key: str, text: str) -> int:
        found = keys.get((di, key))
        if found is None:
            found = keys[(di, key)] = len(texts)
            texts.append(text)
        return found

    def __len__(self) -> int:
        return len(self.units)

    # -- weights -----------------------------------------------------------------------------------------
    def idf(self, token: str) -> float:
        """How rare a word is among the units, counting a unit as its text with the titles above it
        (remembered: a question asks it of each of its words many times over)."""
        found = self._idf.get(token)
        if found is None:
            found = self._idf_of(token)
            if len(self._idf) < 1 << 15:
                self._idf[token] = found
        return found

    def _idf_of(self, token: str) -> float:
        df = self.text.df.get(token, 0)
        df = max(
            df,
            min(self.text.size, self.sections.df.get(token, 0) * 4),
            self.names.df.get(token, 0) * 8,
            self.titles.df.get(token, 0) * 8,
        )
        n = max(self.text.size, 1)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def knows(self, token: str) -> bool:
        return any(token in f.vocab for f in (self.text, self.sections, self.names, self.titles))

    # -- scoring -----------------------------------------------------------------------------------------
    def _credit(self, token: str) -> np.ndarray:
        """Per unit, the credit of a word: in its text, or less in its section titles or document's name."""
        out = np.zeros(len(self.units), dtype=np.float32)
        text = self.text.credit(token)
        if text is not None:
            out = np.maximum(out, text)
        sec = self.sections.credit(token)
        if sec is not None:
            out = np.maximum(out, SECTION_WEIGHT * np.minimum(sec, 1.0)[self.unit_sec])
        name = self.names.credit(token)
        if name is not None:
            # The document's name (kind, number, issuer, place) holding a word is as good as the best text
            # holding it: the name chooses the document, and the question's other words choose the sentence.
            out = np.maximum(out, (DOCUMENT_WEIGHT * CREDIT_CAP) * np.minimum(name, 1.0)[self.unit_doc])
        title = self.titles.credit(token)
        if title is not None:  # the document's title is the heading over all its sections: the least specific
            out = np.maximum(out, TITLE_WEIGHT * np.minimum(title, 1.0)[self.unit_doc])
        return out

    def _named(self, token: str, di: int) -> float:
        """How much the name or title of document ``di`` holds a word."""
        return max(_at(self.names.credit(token), di), _at(self.titles.credit(token), di))

    def holds(self, c: Concept, i: int) -> bool:
        """Whether unit ``i`` (its text or the titles above it) holds one of a concept's ways, mostly."""
        si = int(self.unit_sec[i])
        for alt in c.alternatives:
            found = [max(_at(self.text.credit(t), i), _at(self.sections.credit(t), si)) > 0 for t in alt]
            if found and sum(found) >= 0.5 * len(found):
                return True
        return False

    def names_it(self, c: Concept, di: int) -> bool:
        """Whether document ``di``'s name or title holds one of a concept's ways."""
        return any(alt and all(self._named(t, di) > 0 for t in alt) for alt in c.alternatives)

    def explained(
        self, concepts: list[Concept], i: int, cues: frozenset[str] = frozenset()
    ) -> tuple[float, float]:
        """The share of what the question asks *beyond naming a document* that unit ``i`` itself explains.

        A question names its document («Kế hoạch 0125», «của tỉnh Đắk Lắk») and asks something of it; words
        the document's name holds are left out, and the rest must be in the sentence or the titles above it.
        Words that only say what kind of thing is asked (``cues``: «ngày» of «ngày nào») are left out too.
        Returned with the weight of what is asked beyond the document's name: 0 when the question only names
        the document and the kind of thing it asks (and the share is then 1.0).
        """
        di, si = int(self.unit_doc[i]), int(self.unit_sec[i])
        asked = explained = 0.0
        for c in concepts:
            named = own = 0.0
            for k, alt in enumerate(c.alternatives):
                factor = c.factors[k] if c.factors else 1.0
                weights = [self.idf(t) for t in alt]
                total = sum(weights) or 1.0
                name_part = text_part = 0.0
                for t, w in zip(alt, weights, strict=True):
                    name_part += w / total * self._named(t, di)
                    text_part += (
                        w
                        / total
                        * max(
                            _at(self.text.credit(t), i) / CREDIT_CAP,
                            SECTION_WEIGHT * _at(self.sections.credit(t), si),
                        )
                    )
                named = max(named, factor * min(name_part, 1.0))
                own = max(own, factor * min(text_part, 1.0))
            if c.pair and all(t in cues or self._named(t, di) > 0 for t in c.typed):
                continue  # two words of the document's name (or cues), side by side in the question only
            if named >= 0.5 or (c.typed and set(c.typed) <= cues):
                continue
            asked += c.weight
            explained += c.weight * c.factor * own
        return (explained / asked if asked > 0 else 1.0), asked

    def _alternative(self, tokens: tuple[str, ...]) -> np.ndarray:
        weights = [self.idf(t) for t in tokens]
        total = sum(weights) or 1.0
        acc = np.zeros(len(self.units), dtype=np.float32)
        for t, w in zip(tokens, weights, strict=True):
            acc += (w / total) * self._credit(t)
        return acc

    def score(self, concepts: list[Concept]) -> tuple[np.ndarray, float]:
        """Per unit, the weight of the question it explains; and the question's whole weight.

        A number the question gives («Kế hoạch 319», «Điều 5», «2437») that a unit has nowhere (text, titles,
        document name) costs it more than its weight: it is most likely about something else.
        """
        total = sum(c.weight for c in concepts)
        acc = np.zeros(len(self.units), dtype=np.float32)
        lacking = np.zeros(len(self.units), dtype=bool)
        for c in concepts:
            best: np.ndarray | None = None
            for k, alt in enumerate(c.alternatives):
                vec = self._alternative(alt)
                if c.factors and c.factors[k] != 1.0:
                    vec = vec * c.factors[k]
                best = vec if best is None else np.maximum(best, vec)
            if best is not None:
                acc += (c.weight * c.factor) * best
                if len(c.typed) == 1 and c.typed[0].isdigit():
                    lacking |= best <= 0
        if lacking.any():
            acc[lacking] *= MISSING_NUMBER
        return acc, total

    def search(self, concepts: list[Concept], wants: asking.Asked, limit: int = 8) -> list[Hit]:
        """The best units for a question, best first, each scored 0–1, the kind of thing asked preferred."""
        if not concepts or not self.units:
            return []
        acc, total = self.score(concepts)
        if total <= 0:
            return []
        share = acc / (total * CREDIT_CAP)  # 1.0: every word of the question in a short sentence
        k = min(RERANK, len(share))
        # The few to look at closely are chosen with what is known of every unit beforehand (a card holds
        # its signer, a sentence holds a date), then each is fitted to what is asked.
        top = np.argpartition(-(share * self._rough_fit(wants)), k - 1)[:k]
        hits = []
        for i in top:
            coverage = float(share[i])
            if coverage <= 0:
                continue
            hits.append(Hit(int(i), coverage * self._fit(int(i), wants), coverage))
        hits.sort(key=lambda h: (-h.score, -self.issued[self.unit_doc[h.unit]]))
        return self._newer_first(hits)[:limit]

    def _rough_fit(self, wants: asking.Asked) -> np.ndarray | float:
        """Per unit, :meth:`_fit` as far as it is known without reading the unit again."""
        main = wants.main
        if main in (asking.SIGNER, asking.ISSUED):
            return np.where(self.roles == main, CARD_BONUS * HOLDS_BONUS, LACKS_FACTOR)
        if main in (asking.DATE, asking.DOCUMENT) and not wants.figure:
            return np.where(self.holding[main], HOLDS_BONUS, LACKS_FACTOR)
        return 1.0

    def _fit(self, i: int, wants: asking.Asked) -> float:
        """How well a unit fits what is asked: a date for «khi nào», a figure of days for «mấy ngày»."""
        if not wants.kinds:
            return 1.0
        text = self.units[i].text
        if wants.figure and wants.label:
            return HOLDS_BONUS if asking.gives_label(text, wants.label) else LACKS_FACTOR
        if wants.figure and wants.counts:
            if asking.gives_count(text, wants.counts):
                return HOLDS_BONUS
            return LACKS_FACTOR if asking.gives_count(text) else LACKS_FACTOR * 0.95
        main = wants.main
        if main in (asking.SIGNER, asking.ISSUED):
            # Who signed it, when it was issued: the document's card says it (a sentence may, for another).
            return CARD_BONUS * HOLDS_BONUS if self.units[i].role == main else LACKS_FACTOR
        if main in (asking.NAME, asking.YESNO):
            return 1.0  # «… là gì», «có được … không»: too common a cue to prefer one sentence by
        held = main in self.kinds[i] if main != asking.NUMBER else asking.gives_count(text)
        if self.units[i].passage < 0:  # a document's card: its number and date, who signed it
            return HOLDS_BONUS * CARD_BONUS if held and main in (asking.DOCUMENT, asking.DATE) else 1.0
        if held:
            return HOLDS_BONUS
        return LACKS_FACTOR if main in (asking.DATE, asking.NUMBER, asking.DOCUMENT) else 1.0

    def _newer_first(self, hits: list[Hit]) -> list[Hit]:
        """Among units about as good as the best, the newest document's leads."""
        if len(hits) < 2:
            return hits
        top = hits[0].score
        close = [h for h in hits if h.score >= 0.97 * top]
        newest = max(close, key=lambda h: (self.issued[self.unit_doc[h.unit]], h.score))
        if newest is hits[0]:
            return hits
        return [newest] + [h for h in hits if h is not newest]

    def doc_of(self, i: int) -> Document:
        return self.docs[int(self.unit_doc[i])]


def _at(vec: np.ndarray | None, i: int) -> float:
    return float(vec[i]) if vec is not None else 0.0


def _grams(tokens: list[str], accented: Sequence[str] = ()) -> list[str]:
    """Words, word pairs, and the words as written with their accents."""
    return tokens + [f"{a}_{b}" for a, b in pairwise(tokens)] + list(accented)


def query_grams(tokens: list[str]) -> list[tuple[str, str]]:
    """The word pairs of a question, as the index spells them."""
    return [(a, b) for a, b in pairwise(tokens)]


def _kinds_held(text: str) -> frozenset[str]:
    kinds = (
        asking.DATE,
        asking.DOCUMENT,
        asking.BODY,
        asking.PERSON,
        asking.PLACE,
        asking.YESNO,
        asking.NAME,
    )
    return frozenset(k for k in kinds if asking.holds(k, text))


# -- a document's card ---------------------------------------------------------------------------------------
def doc_kind_name(doc: Document) -> str:
    return doc.kind_name()


def _issued(doc: Document) -> str:
    """«ngày 05 tháng 3 năm 2025 (05/3/2025)»: as the header writes it, and in figures padded alike."""
    d = doc.issued
    assert d is not None
    words = doc.issued_text or f"ngày {d.day} tháng {d.month} năm {d.year}"
    m = re.search(r"ngày\s+(\d+)\s+tháng\s+(\d+)", words)
    day, month = (m.group(1), m.group(2)) if m else (str(d.day), str(d.month))
    return f"{words} ({day}/{month}/{d.year})"


def card(doc: Document) -> list[tuple[str, str, str]]:
    """What a document's header says of it: (role, sentence shown, what is indexed of it).

    Only what a line says beyond the document's own name is indexed as its text: the name (kind, number,
    title, issuer) is every unit's document field, so a question that names the document to ask about its
    content is not answered with its card.
    """
    name = doc_kind_name(doc)
    numbered = f"{name} số {doc.number}" if doc.number else name
    by = f" của {doc.issuer}" if doc.issuer else ""
    out = []
    at = f", tại {doc.place}" if doc.place else ""
    said = f"{numbered}{by} ban hành {_issued(doc)}{at}." if doc.issued else f"{numbered}{by}."
    out.append(("issued", said, f"số hiệu văn bản {doc.number} ban hành {doc.place}"))
    if doc.signer:
        office = f" ({doc.signer_title})" if doc.signer_title else ""
        said = f"{numbered}{by} do {doc.signer}{office} ký."
        out.append(("signer", said, f"người ký {doc.signer} {doc.signer_title}"))
    if doc.title:
        out.append(("title", f"{numbered}{by}: {doc.title}.", f"{doc.title} nội dung về việc"))
    return out


@dataclass
class Found:
    """The answer a question found in the documents: the unit, its neighbours to show, and its score."""

    hit: Hit
    text: str
    others: list[Hit] = field(default_factory=list)
