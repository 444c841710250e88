"""The knowledge base and the question matcher.

Why hand-written scoring on top of rapidfuzz: a plain fuzzy ratio over whole strings (WRatio) cannot tell
that "2023" matters more than "như thế nào", nor that "giá xăng hôm nay" has nothing to do with the
document although it shares the word "xăng". So questions are folded (``bot.textnorm``), tokens are weighted
by how rare they are in the knowledge base (IDF), and an entry scores by how much of the question it explains
(recall) and how much of the phrasing the question covers (precision). rapidfuzz does what it is best at:
correcting misspelt tokens against the vocabulary and a final character-level re-rank of the few best
candidates. Postings are numpy arrays, so a query costs a handful of vector additions at any size.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot import asking
from bot.content import CURRENT, Content, Document, FaqEntry, Passage
from bot.retrieval import ACCENTED, CARD, NEGATED, Concept, Hit, SentenceIndex, sentences
from bot.retrieval import BIGRAM_WEIGHT as SENTENCE_BIGRAM
from bot.textnorm import Abbreviations, _plain_word, fold_words, normalize, plain_key, strip_accents

# Function words and chat fillers, removed before scoring. Accented forms are exact; the accent-free list
# holds only words whose accent-free form is not also a content word (so "bao" stays: báo cáo, bảo vệ).
_STOP_ACCENTED = frozenset(
    """là của và với các những nào gì ai đâu sao thế như có không được bị đã đang sẽ thì mà này đó đấy kia
    rồi chưa nhỉ nhé nha ạ à ơi hả hở vậy em anh chị bạn mình tôi tui cho hỏi xin giúp biết muốn cần ra
    làm bao nhiêu mấy gồm hãy nên phải lại vào tại vì hay hoặc cũng còn ở trong một rất cái nói điều gì
    ad bot loa nhờ thưa dạ vâng ừ ok nhiều ít thôi chứ nhưng nữa""".split()
)
_STOP_PLAIN = frozenset(
    """v ak ah uh nhe nha ne la cua va voi cac nhung nao gi ai sao nhu khong duoc thi ma nay roi nhi a oi
    ha vay em toi
    tui xin giup biet muon nhieu may gom hay hoac con o trong mot rat da bi ra lam phai cho do ad bot
    loa nho thua u ok thoi nua dieu""".split()
)
# Words every part of the content is about (the province itself): weak evidence for any one entry.
_WEAK = {"chau": 0.3, "tinh": 0.6}
_DIGITS = re.compile(r"\d")
# An accent-free Vietnamese syllable; a token that is not one is surely misspelt (truyne, sachh, ngn).
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)
_BIGRAM_WEIGHT = 0.5
_BETA2 = 4.0  # F-beta with beta = 2: recall (the question explained) counts more than precision
_ANSWER_WEIGHT = 0.75
_MISSING_NUMBER = 0.65  # a number in the question absent from the entry (2023 vs 2024) costs this factor
_RERANK = 12
_SUPERSEDED_WEIGHT = 0.8  # an entry resting on a superseded document yields to any other
_TIE = 0.95  # scores this close are a tie: the newer document wins
_STALE_TIE = 0.85  # … closer still when the older document no longer holds
# A clause with a figure answers a question asking for one when it holds this share of the question's weight.
_FIGURE_COVERAGE = 0.35
_FIGURELESS = 0.7  # the score of an entry that gives no figure for a question asking one
# A word typed with a tone the content never gives it (tịch for tích) is most likely another word.
TONE_MISMATCH_CREDIT = 0.25
# Questions whose decision is remembered (about 1 KiB each): the same question is asked by many people.
MATCH_CACHE = 1024

ANSWER = "answer"
SUGGEST = "suggest"
PASSAGE = "passage"
NONE = "none"


@dataclass(frozen=True)
class Thresholds:
    """Score bands of the decision; calibrated with ``loa eval`` and the held-out tests."""

    answer: float = 0.6  # confident on its own
    clear: float = 0.45  # ... or confident because it stands well clear of the runner-up
    clear_ratio: float = 1.8
    suggest: float = 0.38
    passage: float = 0.4  # a document's sentence explains this share of the question (with its fit)
    # A confident entry yields to a sentence explaining this much more of the question.
    passage_margin: float = 0.2
    # A sentence must explain this share of what the question asks beyond naming its document.
    explained: float = 0.3
    # A question this uninformative ("tỉnh có bao nhiêu dân": only common words) is never answered outright.
    min_weight: float = 4.0


@dataclass
class Candidate:
    entry: FaqEntry
    score: float
    question: str


@dataclass
class _Query:
    """A question prepared once: its tokens, weighted features, total weight and cohesion."""

    tokens: list[str]
    feats: dict[int, float]
    total: float
    cohesion: float
    credit: dict[str, float] = field(default_factory=dict)
    share: dict[str, float] = field(default_factory=dict)
    plain: tuple[str, ...] = ()  # every word as typed, accent-free, abbreviations expanded
    words: tuple[str, ...] = ()  # … and as typed, with the accents typed
    words_typed: dict[str, str] = field(default_factory=dict)  # token → the accented form typed, when exact


@dataclass(frozen=True)
class _Way:
    """One way of saying a paraphrase: its words (with accents and without), content tokens, and search."""

    words: tuple[str, ...]
    plain: tuple[str, ...]
    tokens: tuple[str, ...]
    search: tuple[str, ...]


@dataclass
class MatchResult:
    """What the matcher decided for one question."""

    status: str
    query: str
    score: float = 0.0
    entry: FaqEntry | None = None
    passage: Passage | None = None
    passage_document: str = ""
    candidates: list[Candidate] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    # The one to three sentences of the passage that carry what was asked.
    excerpt: str = ""
    # The question asks for a figure and the best the documents hold gives none.
    no_figure: bool = False
    # The nearest passage is about what is asked but does not say it (a date, a body …).
    unsaid: bool = False
    # Relative years the question used, as the years they stand for: [("năm ngoái", 2023)].
    relative_years: list[tuple[str, int]] = field(default_factory=list)
    # The next best passages of the same question («Xem thêm»): (document id, passage index, its sentence).
    more: list[tuple[str, int, str, float]] = field(default_factory=list)
    # What the question asks for: "date", "number", "person", "body", "place", "document", "yesno", "name".
    asks: str = ""

    @property
    def suggestions(self) -> list[Candidate]:
        return self.candidates[:3]


def _has_marks(word: str) -> bool:
    """Typed with any diacritic, đ included (đ has no Unicode decomposition)."""
    return strip_accents(word) != word


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _strip_tones(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONE_MARKS)


class _Collection:
    """Units (phrasings, answers or passages) as feature postings with per-unit total weight."""

    def __init__(self, unit_features: list[dict[int, float]], n_features: int):
        self.size = len(unit_features)
        postings: dict[int, list[int]] = defaultdict(list)
        for i, feats in enumerate(unit_features):
            for fid in feats:
                postings[fid].append(i)
        self.postings = {f: np.asarray(v, dtype=np.int32) for f, v in postings.items()}
        self.unit_features = unit_features
        self.total = np.zeros(self.size)

    def set_weights(self, weights: np.ndarray) -> None:
        self.total = np.array([sum(weights[f] * m for f, m in feats.items()) for feats in self.unit_features])

    def matched(self, query: dict[int, float]) -> np.ndarray:
        acc = np.zeros(self.size)
        for fid, w in query.items():
            idx = self.postings.get(fid)
            if idx is not None:
                acc[idx] += w
        return acc


class KnowledgeBase:
    """FAQ entries and source passages, indexed for :meth:`match`."""

    def __init__(
        self, content: Content, today: date, thresholds: Thresholds | None = None, remember: int = MATCH_CACHE
    ):
        """``today`` is the clock's (:mod:`bot.clock`): what is in force, and which year "this year" is."""
        self.content = content
        self.remember = remember  # decisions kept by match(); 0 decides every question afresh
        self.thresholds = thresholds or Thresholds()
        self.today = today
        self.year = content.newest_year(self.today)
        self.relative: dict[tuple[str, ...], tuple[str, int]] = {}
        self.abbreviations: Abbreviations = content.abbreviations.merged(self._synonyms(content))
        self._relative_starts = {key[0] for key in self.relative if key}
        self._honorifics = {w for h in content.synonyms.honorifics for w in [h.lower()] if " " not in w}
        self.entries: list[FaqEntry] = [e for e in content.faq if not e.retired]
        # A superseded document is never answered from: its passages are left out.
        self.passages: list[tuple[str, Passage]] = [
            (doc.id, p)
            for doc in content.documents.values()
            if doc.superseded_by is None
            for p in doc.passages
        ]
        superseded = {d.id for d in content.documents.values() if d.superseded_by}
        self._entry_weight = np.array(
            [
                _SUPERSEDED_WEIGHT if e.source and e.source.document in superseded else 1.0
                for e in self.entries
            ]
        )
        self._features: dict[str, int] = {}
        self._accented: dict[str, set[str]] = defaultdict(set)

        phr_feats: list[dict[int, float]] = []
        self._phr_entry: list[int] = []
        self._phr_text: list[str] = []
        self._phr_plain: list[str] = []
        for ei, entry in enumerate(self.entries):
            for q in entry.questions:
                toks = self._content_tokens(q, learn=True)
                phr_feats.append(self._featurize(toks, learn=True))
                self._phr_entry.append(ei)
                self._phr_text.append(q)
                self._phr_plain.append(" ".join(toks))
        ans_feats = []
        self._entry_numbers: list[set[str]] = []
        for entry in self.entries:
            toks = self._content_tokens(entry.answer + " " + " ".join(entry.questions), learn=True)
            ans_feats.append(self._featurize(toks, learn=True))
            self._entry_numbers.append({t for t in toks if _DIGITS.search(t)})
        self._token_cache: dict[str, tuple[list[str], list[str]]] = {}
        self.sentences = SentenceIndex(
            [d for d in content.documents.values() if d.superseded_by is None], self._unit_tokens
        )
        self._paraphrases = self._paraphrase_groups(content)
        # A way is said only where its first word is: a group none of whose first words the question has is
        # passed over without looking at its ways (most questions say one or two of a hundred groups).
        self._paraphrase_firsts: list[frozenset[str] | None] = [
            frozenset(w.plain[0] for w in group) if all(w.plain for w in group) else None
            for group in self._paraphrases
        ]
        # The passages weigh the words of the entries (how rare a word is among everything said) and give the
        # vocabulary; their tokens come from the sentence index's cache.
        pas_feats = []
        titles: dict[tuple[str, str], list[str]] = {}
        for doc_id, p in self.passages:
            doc = content.documents[doc_id]
            key = (doc_id, p.section)
            if key not in titles:
                title = " ".join([*doc.section_path(p.section), doc.kind, doc.number])
                titles[key] = self._unit_tokens(title)[0]
            toks = self._unit_tokens(p.text)[0] + titles[key]
            pas_feats.append(self._featurize(toks, learn=True))

        n = len(self._features)
        # IDF over "documents" = entries (phrasings + answer) and passages.
        df = np.zeros(n)
        for feats in ans_feats + pas_feats:
            for fid in feats:
                df[fid] += 1
        n_docs = max(1, len(ans_feats) + len(pas_feats))
        self._idf = np.log1p(n_docs / np.maximum(df, 1.0))
        for word, factor in _WEAK.items():
            if word in self._features:
                self._idf[self._features[word]] *= factor
        self._oov_weight = float(self._idf.max()) if n else 1.0

        self._phrasings = _Collection(phr_feats, n)
        self._answers = _Collection(ans_feats, n)
        for coll in (self._phrasings, self._answers):
            coll.set_weights(self._idf)
        self._phr_entry_arr = np.asarray(self._phr_entry, dtype=np.int32)
        self._entry_phrasings = [np.nonzero(self._phr_entry_arr == ei)[0] for ei in range(len(self.entries))]
        known = {f for f in self._features if " " not in f}
        for index in (self.sentences.text, self.sentences.sections, self.sentences.names):
            known.update(t for t in index.vocab if "_" not in t and t != "\u2205")
        self._vocab = sorted(known)
        self._vocab_set = set(self._vocab)
        self._correct = lru_cache(maxsize=4096)(self._correct_uncached)
        self._matches: OrderedDict[tuple[str, Thresholds], MatchResult] = OrderedDict()
        self._clauses = lru_cache(maxsize=4096)(self._clauses_uncached)

    def _unit_tokens(self, text: str) -> tuple[list[str], list[str]]:
        """Content tokens of a document's sentence, accent-free and (for words with marks) as written.

        Cached: the same sentence recurs in many documents.
        """
        hit = self._token_cache.get(text)
        if hit is None:
            norm = normalize(text, self.abbreviations)
            plain, accented = [], []
            for word, p in zip(norm.words, norm.plain, strict=True):
                if self._is_stop(word, p):
                    continue
                self._accented[p].add(word)
                plain.append(p)
                if word != p:
                    accented.append(ACCENTED + word)
            hit = self._token_cache[text] = (plain, accented + _negations(norm.words, norm.plain))
        return hit

    def _paraphrase_groups(self, content: Content) -> list[list[_Way]]:
        """Per group of paraphrases, each way of saying it: its words as written, and how it is searched."""
        groups = []
        for group in content.synonyms.paraphrases:
            ways = []
            for phrase in group:
                norm = normalize(phrase, self.abbreviations)
                kept = [
                    (w, p) for w, p in zip(norm.words, norm.plain, strict=True) if not self._is_stop(w, p)
                ]
                search = tuple(ACCENTED + w if w != p else p for w, p in kept)
                ways.append(_Way(norm.words, norm.plain, tuple(p for _, p in kept), search))
            groups.append(ways)
        return groups

    def _synonyms(self, content: Content) -> Abbreviations:
        """The content's synonyms, relative years as the years they stand for, forms of address dropped."""
        mapping: dict[str, list[str]] = {k: list(v) for k, v in content.synonyms.phrases.items()}
        if self.year is not None:
            for phrase, offset in content.synonyms.relative_years.items():
                year = self.year + offset
                mapping.setdefault(f"năm {year}", []).append(phrase)
                key = tuple(plain_key(w) for w in fold_words(phrase))
                self.relative.setdefault(key, (phrase, year))  # "năm nay" before "năm này": the first says it
        mapping[""] = [h for h in content.synonyms.honorifics if len(fold_words(h)) > 1]
        return Abbreviations.from_mapping(mapping)

    def _holds(self, entry: FaqEntry) -> bool:
        """Whether the document an entry rests on still holds (an officer's answer always does)."""
        doc = self.content.documents.get(entry.source.document) if entry.source else None
        return doc is None or doc.state(self.today) == CURRENT

    def _entry_date(self, entry: FaqEntry) -> date:
        """How new an entry is: its document's issue date, or the day an officer answered it."""
        if entry.source is None:
            return entry.answered_on or date.min
        return self._issued(entry.source.document)

    def _issued(self, doc_id: str) -> date:
        doc = self.content.documents.get(doc_id)
        return doc.issued if doc is not None and doc.issued else date.min

    def relative_years_in(self, text: str) -> list[tuple[str, int]]:
        """The relative years ("năm ngoái") a question uses, with the years they stand for."""
        if not self.relative:
            return []
        plain = [_plain_word(w) for w in fold_words(text)]
        if not self._relative_starts.intersection(plain):
            return []
        found = []
        for key, hit in self.relative.items():
            n = len(key)
            if any(tuple(plain[i : i + n]) == key for i in range(len(plain) - n + 1)):
                found.append(hit)
        return found

    def _is_stop(self, word: str, plain: str) -> bool:
        if word in _STOP_ACCENTED or (not _has_marks(word) and plain in _STOP_PLAIN):
            return True
        return word in self._honorifics

    # -- indexing helpers -------------------------------------------------------------------------
    def _content_tokens(self, text: str, learn: bool = False) -> list[str]:
        norm = normalize(text, self.abbreviations)
        out = []
        for word, plain in zip(norm.words, norm.plain, strict=True):
            if self._is_stop(word, plain):
                continue
            if learn:
                self._accented[plain].add(word)
            out.append(plain)
        return out

    def _featurize(self, tokens: Sequence[str], learn: bool = False) -> dict[int, float]:
        feats: dict[int, float] = {}
        grams = [(t, 1.0) for t in tokens] + [(f"{a} {b}", _BIGRAM_WEIGHT) for a, b in pairwise(tokens)]
        for gram, mult in grams:
            fid = self._features.get(gram)
            if fid is None:
                if not learn:
                    continue
                fid = self._features[gram] = len(self._features)
            feats[fid] = mult
        return feats

    # -- query side ------------------------------------------------------------------------------
    def _correct_uncached(self, token: str) -> str | None:
        """A known token for a misspelt or run-together one, or None.

        A token that is a well-formed syllable (lung, hom) is most likely a real word the knowledge base
        does not know, so it is only corrected from five letters on and by a single edit.
        """
        if token.isdigit() or len(token) < 3:
            return None
        plausible = bool(_SYLLABLE.match(token))
        if not plausible or len(token) >= 5:
            max_edits = 1 if plausible or len(token) < 6 else 2
            hit = process.extractOne(
                token, self._vocab, scorer=OSA.distance, score_cutoff=max_edits, processor=None
            )
            if hit:
                return hit[0]
        if len(token) >= 6:
            for i in range(2, len(token) - 1):
                a, b = token[:i], token[i:]
                if a in self._vocab_set and b in self._vocab_set:
                    return f"{a} {b}"
        return None

    def query_tokens(self, text: str) -> tuple[list[str], dict[str, float]]:
        """Content tokens of a question, corrected against the vocabulary, with the credit of each."""
        tokens, credit, _, _ = self._query_tokens(text)
        return tokens, credit

    def _query_tokens(
        self, text: str
    ) -> tuple[list[str], dict[str, float], dict[str, float], dict[str, str]]:
        """Tokens, their credit and their share.

        Credit: a token typed with a tone the knowledge base never uses for it (tịch for tích) is likely
        another word and earns little; one with different letters (đau for đâu, đầu) earns none.
        Share: the words of one abbreviation (ubnd → ủy ban nhân dân) weigh together as one idea.
        Typed: the accented form of a token typed with the accents the knowledge base gives it.
        """
        norm = normalize(text, self.abbreviations)
        out: list[str] = []
        credit: dict[str, float] = {}
        share: dict[str, float] = {}
        typed: dict[str, str] = {}
        for word, plain, part in zip(norm.words, norm.plain, norm.share, strict=True):
            if self._is_stop(word, plain):
                continue
            if plain in self._vocab_set:
                fit = self._accent_fit(word, plain) if _has_marks(word) else 1.0
                if fit == 0.0:
                    plain = "\u2047" + word  # a word the knowledge base does not know
                elif fit == 1.0 and _has_marks(word):
                    typed[plain] = word
                out.append(plain)
                credit[plain] = min(credit.get(plain, 1.0), fit or 1.0)
                share[plain] = max(share.get(plain, 0.0), part)
                continue
            fixed = self._correct(plain)
            for token in fixed.split() if fixed else [plain]:
                out.append(token)
                share[token] = max(share.get(token, 0.0), part)
        return out, credit, share, typed

    def _accent_fit(self, word: str, plain: str) -> float:
        forms = self._accented.get(plain, ())
        if word in forms:
            return 1.0
        letters = _strip_tones(word)
        return TONE_MISMATCH_CREDIT if any(_strip_tones(f) == letters for f in forms) else 0.0

    def _query_features(
        self, tokens: list[str], credit: dict[str, float], share: dict[str, float]
    ) -> tuple[dict[int, float], float]:
        """Weighted features of a question (numerator side) and the question's total weight."""
        feats: dict[int, float] = {}
        total = 0.0
        for t in dict.fromkeys(tokens):
            fid = self._features.get(t)
            part = share.get(t, 1.0)
            if fid is None:
                total += self._oov_weight * part
            else:
                w = float(self._idf[fid]) * part
                feats[fid] = w * credit.get(t, 1.0)
                total += w
        for a, b in dict.fromkeys(pairwise(tokens)):
            fid = self._features.get(f"{a} {b}")
            if fid is not None:
                w = float(self._idf[fid]) * _BIGRAM_WEIGHT * min(share.get(a, 1.0), share.get(b, 1.0))
                feats[fid] = w
                total += w
        return feats, total

    def _cohesion(self, tokens: list[str]) -> float:
        """1.0 when the question's word pairs occur in the content, down to 0.7 when none does.

        Shared single words are weak evidence ("chủ tịch nước" shares chủ, tích, nước with the document);
        shared word pairs are strong.
        """
        pairs = list(dict.fromkeys(pairwise(tokens)))
        if not pairs:
            return 1.0
        known = sum(1 for a, b in pairs if f"{a} {b}" in self._features)
        return 0.7 + 0.3 * known / len(pairs)

    def _prepare(self, text: str) -> _Query:
        tokens, credit, share, typed = self._query_tokens(text)
        feats, total = self._query_features(tokens, credit, share)
        norm = normalize(text, self.abbreviations)
        return _Query(
            tokens, feats, total, self._cohesion(tokens), credit, share, norm.plain, norm.words, typed
        )

    def concepts(self, q: _Query) -> list[Concept]:
        """The ideas of a question for the sentence index: words, word pairs, and their paraphrases."""
        index = self.sentences
        oov = index.idf("")  # the weight of a word no unit has
        tokens = list(dict.fromkeys(q.tokens))
        out: dict[tuple[str, ...], Concept] = {}
        for t in tokens:
            share = q.share.get(t, 1.0)
            if t.startswith("\u2047") or not index.knows(t):
                out[(t,)] = Concept([], oov * share, (t,))  # a word no document has: counts against
                continue
            word = q.words_typed.get(t)
            if word and index.knows(ACCENTED + word):
                # Typed with its accents: the same accents count fully, another word of the same letters
                # («kỹ» for «ký») little.
                alts: list[tuple[str, ...]] = [(ACCENTED + word,), (t,)]
                factors = [1.0, TONE_MISMATCH_CREDIT]
                out[(t,)] = Concept(alts, index.idf(t) * share, (t,), 1.0, factors)
                continue
            fit = q.credit.get(t, 1.0)
            # A word typed with a tone the documents never give it is most likely another word: it weighs
            # less, as it is half unknown.
            out[(t,)] = Concept([(t,)], index.idf(t) * share * (0.5 + 0.5 * fit), (t,), fit)
        self._paraphrase(q, out)
        for neg in _negations(q.words, q.plain):  # «không hoàn thành» is not «hoàn thành»
            if index.knows(neg):
                out[(neg,)] = Concept([(neg,)], NEGATION_WEIGHT * index.idf(neg), (neg,))
        for a, b in pairwise(q.tokens):
            gram = f"{a}_{b}"
            if a != b and (gram in index.text.vocab or gram in index.sections.vocab):
                weight = SENTENCE_BIGRAM * (index.idf(a) + index.idf(b)) / 2
                weight *= min(q.share.get(a, 1), q.share.get(b, 1))
                out.setdefault((gram,), Concept([(gram,)], weight, (a, b), pair=True))
        return list(out.values())

    def _paraphrase(self, q: _Query, out: dict[tuple[str, ...], Concept]) -> None:
        """Words of a paraphrase the question says become one idea that any of the group's ways explains.

        The question's own words stay one of the ways (as the question typed them); a word typed with accents
        must be the paraphrase's word («kỳ họp» is not «ký»).
        """
        index = self.sentences
        present = set(q.plain)
        for group, firsts in zip(self._paraphrases, self._paraphrase_firsts, strict=True):
            if firsts is not None and firsts.isdisjoint(present):
                continue
            for way in group:
                if not way.tokens or not self._says(q, way):
                    continue
                own = [out.pop((t,)) for t in dict.fromkeys(way.tokens) if (t,) in out]
                weight = sum(c.weight for c in own)
                if weight <= 0:
                    break
                alternatives: list[tuple[str, ...]] = []
                factors: list[float] = []
                for other in group:
                    search = tuple(t for t in other.search if index.knows(t) or not t.startswith(ACCENTED))
                    if other is way or not search:
                        continue
                    alternatives.append(search)
                    factors.append(1.0)
                for c in own:  # the question's own words, each as it was going to be searched
                    alternatives.extend(c.alternatives)
                    factors.extend(c.factors or [1.0] * len(c.alternatives))
                out[("~", *way.tokens)] = Concept(
                    alternatives, weight, way.tokens, 1.0, factors, paraphrase=True
                )
                break

    @staticmethod
    def _says(q: _Query, way: _Way) -> bool:
        """Whether the question says this way of the paraphrase (accents, where typed, agreeing)."""
        n = len(way.plain)
        for i in range(len(q.plain) - n + 1):
            if q.plain[i : i + n] != way.plain:
                continue
            typed = q.words[i : i + n]
            if all(w in (p, a) for w, p, a in zip(typed, way.plain, way.words, strict=True)):
                return True
        return False

    def rank(self, text: str, limit: int = _RERANK) -> list[Candidate]:
        """Entries ranked by score, best first."""
        return self._rank(self._prepare(text), limit)

    def _rank(self, q: _Query, limit: int = _RERANK) -> list[Candidate]:
        if not q.feats or q.total <= 0:
            return []
        matched = self._phrasings.matched(q.feats)
        recall = matched / q.total
        precision = matched / np.maximum(self._phrasings.total, 1e-9)
        f = (1 + _BETA2) * recall * precision / np.maximum(_BETA2 * precision + recall, 1e-9)
        best = np.zeros(len(self.entries))
        np.maximum.at(best, self._phr_entry_arr, f)
        ans_recall = self._answers.matched(q.feats) / q.total
        # Agreement of the phrasings and the answer is extra evidence.
        score = (np.maximum(best, _ANSWER_WEIGHT * ans_recall) + 0.15 * best * ans_recall) * q.cohesion
        score = score * self._entry_weight
        top = [int(ei) for ei in np.argsort(-score)[: max(limit, 1)] if score[ei] > 0]
        numbers = [t for t in dict.fromkeys(q.tokens) if _DIGITS.search(t)]
        qplain = " ".join(q.tokens)
        # The character-level re-rank of every phrasing of the top entries, in one call into rapidfuzz's C.
        spans = [self._entry_phrasings[ei] for ei in top]
        flat = [self._phr_plain[i] for idx in spans for i in idx]
        fuzzy = process.cdist([qplain], flat, scorer=fuzz.token_set_ratio)[0] if flat else np.zeros(0)
        out: list[Candidate] = []
        at = 0
        for ei, phr_idx in zip(top, spans, strict=True):
            s = float(score[ei])
            for num in numbers:
                if num not in self._entry_numbers[ei]:
                    s *= _MISSING_NUMBER
            fz = float(fuzzy[at : at + len(phr_idx)].max()) / 100.0
            at += len(phr_idx)
            best_i = int(phr_idx[np.argmax(f[phr_idx])])
            out.append(
                Candidate(self.entries[ei], 0.8 * s + 0.2 * fz * min(1.0, s * 2), self._phr_text[best_i])
            )
        out.sort(key=lambda c: -c.score)
        return self._newer_first(out)

    def _newer_first(self, cands: list[Candidate]) -> list[Candidate]:
        """Among candidates about as good as the best, the one from the newest document leads."""
        if len(cands) < 2:
            return cands
        top = cands[0].score
        close = [c for c in cands if c.score >= _TIE * top]
        if len(close) < 2:
            return cands
        newest = max(close, key=lambda c: (self._entry_date(c.entry), c.score))
        if newest is cands[0]:
            return cands
        newest.score = max(newest.score, top)
        return [newest] + [c for c in cands if c is not newest]

    def match(self, text: str) -> MatchResult:
        """:meth:`decide`, remembered for the last ``remember`` questions asked.

        The decision depends only on the text, this knowledge base and its thresholds (new content is a new
        knowledge base): a question asked again — the same campaign question from many people — costs a
        copy. Each caller gets its own copy, free to change.
        """
        if self.remember <= 0:
            return self.decide(text)
        key = (text, self.thresholds)
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = self.decide(text)
            if len(self._matches) > self.remember:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(key)
        result = copy.copy(found)
        result.candidates = [copy.copy(c) for c in found.candidates]
        result.tokens = list(found.tokens)
        result.relative_years = list(found.relative_years)
        result.more = list(found.more)
        return result

    def decide(self, text: str) -> MatchResult:
        """Decide answer / suggest / passage / none for one question.

        FAQ entries and the documents' sentences are scored on one scale (the share of the question they
        explain). A confident entry answers unless a sentence explains clearly more of the question, or is
        about as good and comes from a newer document; otherwise the best sentence answers when it explains
        enough of the question — and, for a question asking a figure, gives one of the kind asked.
        """
        th = self.thresholds
        q = self._prepare(text)
        cands = self._rank(q)
        top = cands[0].score if cands else 0.0
        result = MatchResult(
            status=NONE,
            query=text,
            score=round(top, 4),
            candidates=cands[:3],
            tokens=q.tokens,
            relative_years=self.relative_years_in(text),
        )
        if q.tokens and all(t.isdigit() for t in q.tokens):
            # A bare number ("2023") is never a question to answer outright: offer what it may be about.
            result.status = SUGGEST if cands else NONE
            return result
        wants = quantity_kind(text)
        if wants:
            # Entries that give no figure for a question asking one step back behind those that do.
            for c in cands:
                if not self._gives_figure(c.entry.answer, q, wants):
                    c.score *= _FIGURELESS
            cands.sort(key=lambda c: -c.score)
            result.candidates = cands[:3]
        top = cands[0].score if cands else 0.0
        second = cands[1].score if len(cands) > 1 else 0.0
        confident = top >= th.answer or (top >= th.clear and top >= th.clear_ratio * second)
        figure_ok = not wants or (cands and self._gives_figure(cands[0].entry.answer, q, wants))
        asked = asking.asked(text)
        result.asks = asked.main
        concepts = self.concepts(q) if q.tokens else []
        hits = self.sentences.search(concepts, asked) if concepts else []
        # Entries and sentences compare on the share of the question they explain; the fit of a sentence to
        # what is asked ranks sentences among themselves.
        p_score = hits[0].coverage if hits else 0.0
        # A newer document's sentence about as good as an entry resting on an older document speaks instead
        # (sooner when that document no longer holds).
        newer = bool(
            hits
            and cands
            and self.sentences.issued[self.sentences.unit_doc[hits[0].unit]]
            > self._entry_date(cands[0].entry).toordinal()
            and p_score >= (_TIE if self._holds(cands[0].entry) else _STALE_TIE) * top
        )
        beaten = p_score >= th.passage and (p_score >= top + th.passage_margin or newer)
        if confident and q.total >= th.min_weight and figure_ok and not beaten:
            result.status = ANSWER
            result.entry = cands[0].entry
            result.score = round(top, 4)
            return result
        # An entry written for the same document, a likely guess, is offered rather than one of the document's
        # sentences explaining about as much: the department wrote it to be the answer.
        same_doc = bool(
            cands
            and hits
            and cands[0].entry.source is not None
            and cands[0].entry.source.document == self.sentences.units[hits[0].unit].doc
        )
        curated = same_doc and top >= th.clear and p_score < top + th.passage_margin
        # A question this uninformative («bạn là ai»: one common word) is not answered from a document either.
        informative = sum(c.weight for c in concepts if not c.pair) >= th.min_weight
        passage_ok = hits and p_score >= th.passage and informative
        if passage_ok and (p_score > top or newer or not confident) and not curated:
            chosen, nearest = self._choose(hits, asked, concepts)
            if chosen is not None:
                self._passage_result(result, chosen, hits)
                result.excerpt = self._with_title(result.excerpt, chosen, asked)
                return result
            if nearest is not None:  # said honestly: not given, and what the nearest passage says
                self._passage_result(result, nearest, hits)
                result.no_figure = asked.figure
                result.unsaid = not asked.figure
                result.more = []
            result.status = SUGGEST if cands and top >= th.suggest else NONE
            return result
        near = result.score >= th.suggest or p_score >= th.passage
        if wants and near and not (cands and self._gives_figure(cands[0].entry.answer, q, wants)):
            result.no_figure = True
            result.status = SUGGEST if cands else NONE
            return result
        if top >= th.suggest:
            result.status = SUGGEST
        return result

    def _broad_enough(self, concepts: list[Concept], hit: Hit) -> bool:
        """Whether a sentence holds enough of what the question asks beyond naming its document: two of its
        ideas at least when it has three or more («giá vàng hôm nay» is not answered by a sentence about «hòm
        phiếu» for one word, nor «giá lúa ở Cần Thơ» by a plan of Cần Thơ about «lựa chọn»)."""
        index = self.sentences
        doc = int(index.unit_doc[hit.unit])
        ideas = [c for c in concepts if not c.pair and not index.names_it(c, doc)]
        if len(ideas) < 3:
            return True
        held = sum(1 for c in ideas if index.holds(c, hit.unit))
        return held >= 2

    def _holds_subject(self, concepts: list[Concept], hit: Hit, asked: asking.Asked) -> bool:
        """Whether a sentence holds the rarest idea the question asks of (beyond its document's name, the
        words that say what kind of thing is asked, and common things said many ways): a figure of another
        subject is not its answer («mức phụ cấp của trưởng thôn» is not the support of a propagandist)."""
        index = self.sentences
        doc = int(index.unit_doc[hit.unit])
        cues = asking.CUE_WORDS.get(asked.main, frozenset())
        ideas = {
            c.typed: c
            for c in concepts
            if c.alternatives
            and not (c.pair or c.paraphrase)
            and not index.names_it(c, doc)
            and not set(c.typed) <= cues
        }
        if not ideas:
            return True
        # Two words the documents also say side by side are one thing («trưởng thôn» is not «thôn»).
        weight = {c.typed: c.weight for c in ideas.values()}
        for c in concepts:
            if c.pair and all((t,) in ideas for t in c.typed):
                ideas[c.typed] = c
                weight[c.typed] = sum(weight[(t,)] for t in c.typed)
        subject = max(ideas, key=lambda k: weight[k])
        return index.holds(ideas[subject], hit.unit)

    def _says_what_is_asked(self, concepts: list[Concept], hit: Hit, asked: asking.Asked) -> bool:
        """Whether a sentence explains what is asked beyond naming its document (a document's card, asked
        who signed it or when it was issued, says just that)."""
        unit = self.sentences.units[hit.unit]
        if unit.role and unit.role == asked.main:
            return True
        share, _ = self.sentences.explained(concepts, hit.unit, asking.CUE_WORDS.get(asked.main, frozenset()))
        return share >= self.thresholds.explained

    def _names(self, concepts: list[Concept], doc: Document) -> bool:
        """Whether a question names this document: its number («Kế hoạch 7360»), or most of its title."""
        typed = {t for c in concepts if not c.pair for t in c.typed}
        digits = {d.lstrip("0") for d in re.findall(r"\d+", doc.number)}
        if any(t.isdigit() and (t in digits or t.lstrip("0") in digits) for t in typed):
            return True
        title = set(self._unit_tokens(doc.title)[0])
        return bool(title) and len(title & typed) >= 0.6 * len(title)

    def _of_the_document(self, concepts: list[Concept], hit: Hit, asked: asking.Asked) -> Hit | None:
        """A question that only names a document («Kế hoạch 7360 là của tỉnh nào?») asks of the document
        itself: its card answers (its number, date, issuer and place). None for any other question — and for
        a date, which the card cannot tell apart («ngày bầu cử» of a plan about the election)."""
        if asked.main in (asking.DATE, asking.NUMBER, asking.SIGNER, asking.ISSUED):
            return None
        cues = asking.CUE_WORDS.get(asked.main, frozenset())
        _, beyond = self.sentences.explained(concepts, hit.unit, cues)
        if beyond > 0 or not self._names(concepts, self.sentences.doc_of(hit.unit)):
            return None
        role = "title" if asked.main == asking.NAME else "issued"
        card = self.sentences.cards.get((int(self.sentences.unit_doc[hit.unit]), role))
        return Hit(card, hit.score, hit.coverage) if card is not None else None

    def _choose(
        self, hits: list[Hit], asked: asking.Asked, concepts: list[Concept]
    ) -> tuple[Hit | None, Hit | None]:
        """The best sentence that says what is asked: beyond naming its document, and for a figure, a figure
        of what is counted («mấy ngày» → «03 ngày»). Else (None, the nearest sentence about what is asked —
        which gives no such figure or does not say it), or (None, None) when none is even about it."""
        card = self._of_the_document(concepts, hits[0], asked)
        if card is not None:
            return card, None
        nearest = None
        floor = 0.8 * hits[0].score
        for hit in hits:
            if hit.score < floor:
                break
            if asked.now and not asking.about_now(self.sentences.units[hit.unit].text):
                continue
            shown = self._excerpt(hit)[0]
            exact = asked.figure and (asked.label or asked.counts not in asking.GENERIC_COUNTS)
            if exact and (
                asking.gives_label(shown, asked.label)
                if asked.label
                else asking.gives_count(shown, asked.counts)
            ):
                # A figure of exactly what is asked («03 ngày», «lần thứ XIII», «80%») in the document the
                # question names is its answer, however the question words the rest.
                return hit, None
            if not self._broad_enough(concepts, hit):
                continue
            nearest = nearest or hit
            if asked.figure and asked.label and not asking.gives_label(shown, asked.label):
                continue
            if asked.figure and not asked.label and not asking.gives_count(shown, asked.counts):
                continue
            if asked.day and not asking.gives_day(shown, asked.day):
                continue
            if asked.figure and not self._holds_subject(concepts, hit, asked):
                continue
            if self._says_what_is_asked(concepts, hit, asked):
                return hit, None
        return None, nearest

    def _with_title(self, excerpt: str, hit: Hit, asked: asking.Asked) -> str:
        """«Sở Tài chính: Tham mưu nguồn kinh phí …»: asked who, a sentence under a body's name says it
        with the name (the section's title), which the sentence itself leaves out."""
        if asked.main not in (asking.BODY, asking.PERSON, asking.PLACE):
            return excerpt
        unit = self.sentences.units[hit.unit]
        if unit.passage < 0:
            return excerpt
        doc = self.sentences.doc_of(hit.unit)
        title = doc.section_title(unit.section)
        short = 0 < len(title.split()) <= 10
        holds = asking.holds(asked.main, title) and not asking.holds(asked.main, excerpt)
        if short and holds and title not in excerpt:
            return f"{title}: {excerpt}"
        return excerpt

    def _passage_result(self, result: MatchResult, hit: Hit, hits: list[Hit]) -> None:
        index = self.sentences
        unit = index.units[hit.unit]
        excerpt, passage = self._excerpt(hit)
        result.status = PASSAGE
        result.passage = passage
        result.passage_document = unit.doc
        result.excerpt = excerpt
        result.score = round(hit.score, 4)
        seen = {(unit.doc, unit.passage)}
        said = {plain_key(excerpt)}
        for other in hits[1:]:
            o = index.units[other.unit]
            same_doc = o.doc == unit.doc
            if o.passage < 0 or (o.doc, o.passage) in seen:
                continue  # a document's card is not a passage to show
            if other.score < (0.6 if same_doc else 0.9) * hit.score:
                continue
            label = _tidy_item(o.text)
            if len(label) < _MORE_MIN or plain_key(label) in said or _PLACEHOLDER.search(label):
                continue  # a fragment, the same words again, or a form's blank: not worth a button
            seen.add((o.doc, o.passage))
            said.add(plain_key(label))
            result.more.append((o.doc, o.passage, label, round(other.score, 4)))
            if len(result.more) == 3:
                break

    def _excerpt(self, hit: Hit) -> tuple[str, Passage]:
        """What to show of a unit: it, what it introduces («… như sau:»), a short passage whole."""
        index = self.sentences
        unit = index.units[hit.unit]
        doc = index.doc_of(hit.unit)
        if unit.passage < 0:
            return unit.text, Passage(id=f"{CARD}-1", section=CARD, text=unit.text)
        passage = doc.passages[unit.passage]
        lead = f"{passage.lead} — " if passage.lead and passage.lead not in unit.text else ""
        title = doc.section_title(passage.section)
        if not lead and _ITEM_MARK.match(passage.text) and 0 < len(title.split()) <= 14:
            lead = (
                f"{title}: "  # a list item says what it is under its heading («Nguy cơ thiếu nước sạch: …»)
            )
        if passage.row:
            return lead + unit.text, passage
        if len(passage.text) <= _SHORT_PASSAGE:
            return lead + _tidy_item(passage.text), passage
        parts = sentences(passage.text)
        at = next((k for k, sent in enumerate(parts) if unit.text in sent), 0)
        if unit.text != parts[at] and len(parts[at]) > _SHORT_PASSAGE:
            # A clause of a long sentence: the clause, after the sentence's lead-in («Xếp loại …: »).
            head = parts[at].split(":", 1)[0] if ":" in parts[at][:100] else ""
            shown = f"{head}: … {unit.text}" if head and not parts[at].startswith(unit.text) else unit.text
            return lead + _tidy_item(shown), passage
        keep = [at]
        while keep[-1] + 1 < len(parts) and parts[keep[-1]].rstrip().endswith(":") and len(keep) < 3:
            keep.append(keep[-1] + 1)
        return lead + " ".join(_tidy_item(parts[k]) for k in keep), passage

    def _gives_figure(self, text: str, q: _Query, wants: str) -> bool:
        """Whether a clause of ``text`` gives the kind of figure asked and is about what the question asks."""
        need = _FIGURE_COVERAGE * q.total
        for figures, feats in self._clauses(text):
            if wants in figures and sum(w for f, w in q.feats.items() if f in feats) >= need:
                return True
        return False

    def _clauses_uncached(self, text: str) -> tuple[tuple[frozenset[str], frozenset[int]], ...]:
        """Per clause of ``text``: the kinds of figure it gives, and its features (cached per text)."""
        out = []
        for clause in _CLAUSES.split(text):
            figures = frozenset(kind for kind in ("number", "year", "code") if has_figure(clause, kind))
            if figures:
                out.append((figures, frozenset(self._featurize(self._content_tokens(clause)))))
        return tuple(out)


# A question asking for a quantity: accent-free words, and "mấy" with its accent ("may" is "máy" too).
_QUANTITY = re.compile(
    r"\b(bao nhieu|ty le|ti le|so luong|phan tram|may phan|bao nhieu phan tram|tong so|con so|so lieu)\b"
)
# "mấy" typed without its accent, where it can only be "how many": "may buoi", "lan thu may".
_QUANTITY_MAY = re.compile(
    r"\bmay (buoi|xa|nguoi|lan|vu|ha|ti|trieu|chi tieu|phan|ngay|thang|nam|muc|noi|ho|huyen|cai|con|gio)\b"
    r"|\bthu may\b"
)
_QUANTITY_ACCENTED = re.compile(r"(?<!\w)mấy(?!\w)|%")
# A figure is a number that is not a year, a full date (19/12/2023) nor part of a document's number
# (64-KL/TW, 103/2023/QH15).
_DOC_NUMBER = re.compile(r"\b\d+(?:/\d{4})?[-/][A-ZĐ][\w/-]*|\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(19|20)\d\d")
_ROMAN_FIGURE = re.compile(r"\b(?=[IVXL]{2,}\b)L?X{0,3}(IX|IV|V?I{0,3})\b")
_CLAUSES = re.compile(r"[.;:!?]\s+|\n")
_SENTENCES = re.compile(r"(?<=[.;!?])\s+(?=[-+•–]?\s*\S)")
_SHORT_PASSAGE = 280
_MORE_MIN = 24  # characters: a «Xem thêm» shorter than this is a fragment
_PLACEHOLDER = re.compile(r"\.{4,}|…{2,}|_{3,}")
_ITEM_MARK = re.compile(r"^\s*(?:[-+•–*]\s*|[a-zđ]\)\s+)")


NEGATION_WEIGHT = 0.7
_NEGATORS = {"khong", "chua", "cam"}


def _negations(words: Sequence[str], plain: Sequence[str]) -> list[str]:
    """«không hoàn thành» → «¬hoan»: a word said negated, as one more token (the negator alone is a stop
    word, and a question ends on «không?» without negating anything)."""
    out = []
    for k in range(len(plain) - 1):
        if plain[k] in _NEGATORS and words[k] in ("không", "khong", "chưa", "chua", "cấm", "cam"):
            nxt = plain[k + 1]
            if nxt.isalpha() and nxt not in _STOP_PLAIN and words[k + 1] not in _STOP_ACCENTED:
                out.append(NEGATED + nxt)
    return out


def _tidy_item(text: str) -> str:
    """A list item without its enumeration mark («- », «a) »), as a sentence."""
    text = _ITEM_MARK.sub("", text).strip()
    return text[:1].upper() + text[1:] if text else text


_ASKS_YEAR = re.compile(r"\bnam (bao nhieu|may|nao)\b|\bden nam\b")
_ASKS_CODE = re.compile(r"\bso (may|bao nhieu|nao|hieu)\b|\bky hieu\b")


def quantity_kind(text: str) -> str:
    """What kind of figure a question asks for: "year", "code" (a document's number), "number", or ""."""
    lower = text.lower()
    plain = strip_accents(lower)
    if not (_QUANTITY.search(plain) or _QUANTITY_MAY.search(plain) or _QUANTITY_ACCENTED.search(lower)):
        return ""
    if _ASKS_YEAR.search(plain):
        return "year"
    if _ASKS_CODE.search(plain):
        return "code"
    return "number"


def has_figure(text: str, wants: str = "number") -> bool:
    """Whether ``text`` gives a figure: a number that is not a year (unless a year is asked), a date or part
    of a document number (unless a document's number is asked)."""
    if wants == "code" and _DOC_NUMBER.search(text):
        return True
    numbers = _NUMBER.findall(_DOC_NUMBER.sub(" ", text))
    if any(wants == "year" or not _YEAR.fullmatch(n) for n in numbers):
        return True
    return bool(_ROMAN_FIGURE.search(text))  # "lần thứ XV"
