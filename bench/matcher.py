"""Matcher benchmark: accuracy and per-query time against a naive rapidfuzz baseline, in one run.

    python bench/matcher.py [--eval FILE.jsonl ...] [--queries N]

Naive baseline: ``rapidfuzz.process.extractOne(query, questions, scorer=WRatio)`` over the raw phrasings,
taking the entry of the best phrasing as the answer (score >= 80 counts as "answer"). Accuracy uses the
`loa eval` rule. Then both are timed at 500, 2,000 and 10,000 phrasings (extra entries synthesised by
recombining real phrasings' words, so the vocabulary and the token statistics stay realistic).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answers import answer
from bot.cli import grade
from bot.clock import Clock
from bot.content import Content, FaqEntry, Source, load_content
from bot.matcher import KnowledgeBase
from bot.textnorm import strip_accents

DEFAULT_SETS = [
    ROOT.parent / "shared" / "eval" / "dev-questions.jsonl",
    ROOT / "tests" / "data" / "heldout-questions.jsonl",
    ROOT / "tests" / "data" / "heldout2-questions.jsonl",
    ROOT / "tests" / "data" / "heldout3-questions.jsonl",
]


def load_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def naive_index(content: Content) -> tuple[list[str], list[FaqEntry]]:
    questions, owners = [], []
    for entry in content.faq:
        for q in entry.questions:
            questions.append(q)
            owners.append(entry)
    return questions, owners


def naive_answer(query: str, questions: list[str], owners: list[FaqEntry]) -> tuple[str, str]:
    hit = process.extractOne(query, questions, scorer=fuzz.WRatio)
    if hit is None:
        return "none", ""
    _, score, idx = hit
    return ("answer" if score >= 80 else "suggest"), owners[idx].answer


def ours_answer(kb: KnowledgeBase, query: str) -> tuple[str, str]:
    out = answer(kb, query)
    return out.status, out.text


def synthesise(content: Content, target: int, seed: int = 7) -> Content:
    """Content with extra entries until it holds ``target`` phrasings."""
    rng = random.Random(seed)
    words = [w for e in content.faq for q in e.questions for w in q.split()]
    faq = list(content.faq)
    n = sum(len(e.questions) for e in faq)
    i = 0
    while n < target:
        qs = [" ".join(rng.choices(words, k=rng.randint(4, 10))) for _ in range(5)]
        qs[1] = strip_accents(qs[1]).lower()
        faq.append(
            FaqEntry(
                id=f"syn-{i}",
                topic=content.topics[0].id,
                questions=qs,
                answer=" ".join(rng.choices(words, k=30)),
                source=Source(document="hd-ktxh-2023", section="I"),
            )
        )
        n += 5
        i += 1
    synthetic = Content(
        root=content.root,
        topics=content.topics,
        faq=faq,
        key_messages=content.key_messages,
        documents=content.documents,
        abbreviations=content.abbreviations,
    )
    return synthetic


def timed(fn, queries: list[str], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", nargs="*", type=Path, default=[p for p in DEFAULT_SETS if p.exists()])
    ap.add_argument("--queries", type=int, default=200, help="queries timed per size")
    args = ap.parse_args()

    content = load_content()
    kb = KnowledgeBase(content, Clock().today())
    questions, owners = naive_index(content)
    print(f"content: {len(content.faq)} entries, {len(questions)} phrasings")
    print("\n== accuracy (loa eval rule) ==")
    for path in args.eval:
        items = load_set(path)
        ours = sum(grade(*ours_answer(kb, it["q"]), it["facts"]) for it in items)
        naive = [naive_answer(it["q"], questions, owners) for it in items]
        strict = sum(grade(st, txt, it["facts"]) for (st, txt), it in zip(naive, items, strict=True))
        always = sum(grade("answer", txt, it["facts"]) for (_, txt), it in zip(naive, items, strict=True))
        print(
            f"{path.name:28s} n={len(items):4d}  loa {ours / len(items):6.1%}   naive WRatio"
            f" {strict / len(items):6.1%} (score>=80 answers), {always / len(items):6.1%} (always answers)"
        )

    all_q = [it["q"] for p in args.eval for it in load_set(p)] or questions[:50]
    rng = random.Random(1)
    sample = [rng.choice(all_q) for _ in range(args.queries)]
    print("\n== per-query time, ms (same queries, same run) ==")
    print(
        f"{'phrasings':>9s} {'build s':>8s} | {'loa p50':>8s} {'loa p95':>8s} | "
        f"{'naive p50':>9s} {'naive p95':>9s} | ratio p50"
    )
    for size in (500, 2000, 10000):
        syn = synthesise(content, size)
        t = time.perf_counter()
        skb = KnowledgeBase(
            syn, Clock().today(), remember=0
        )  # every query decided afresh: the sample repeats
        build = time.perf_counter() - t
        sq, so = naive_index(syn)
        skb.match(sample[0])
        ours = timed(lambda q, skb=skb: answer(skb, q), sample)
        naive = timed(lambda q, sq=sq, so=so: naive_answer(q, sq, so), sample)
        print(
            f"{len(sq):9d} {build:8.2f} | {pct(ours, 50):8.2f} {pct(ours, 95):8.2f} | "
            f"{pct(naive, 50):9.2f} {pct(naive, 95):9.2f} | {pct(ours, 50) / pct(naive, 50):8.3f}"
        )
    print("\nratio p50 = loa p50 / naive p50 (target at 10,000 phrasings: at most 0.100)")
    print(f"median of loa over all sizes: {statistics.median(ours):.2f} ms")


if __name__ == "__main__":
    main()
