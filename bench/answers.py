"""Answers from real documents: accuracy by question type and by document next to a plain BM25 baseline
computed in the same run, the decline rate, and time per question. Prints figures; asserts nothing.

    python bench/answers.py [FOLDER] [--times 20] [--show-wrong]

FOLDER holds ``docs/`` (DOCX, PDF, TXT) and ``questions.jsonl`` (``{"q", "facts", "doc", "type"}`` per line,
types a accented, b unaccented, c colloquial, d paraphrase, absent, oos); ``../shared/corpus`` when it is
there and no folder is given. Every document is imported the way ``loa content import`` does into a copy
of the repository's content folder; the questions are answered as ``loa ask --json`` answers them.

Scoring (the corpus README): an in-scope question is right when the reply is an answer (``answer`` or
``passage``) whose text holds one alternative of every fact group (accents and case folded); ``absent`` and
``oos`` are right when the reply declines (``none`` or ``suggest``). The baseline is bm25s over every
sentence and table row of the same documents, accent-folded, the top sentence as its reply (and the top
three, for reference); it never declines.

Timing: p50/p95 per question with the corpus imported once, and with it imported ``--times`` times under
different ids (≈ 250 documents with the default 23 copies of the 11 of the corpus).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import documents
from bot.answers import answer
from bot.live import build
from bot.textnorm import strip_accents

TODAY = date(2026, 12, 3)
TYPES = ("a", "b", "c", "d", "absent", "oos")
ANSWERED = ("answer", "passage")


def fold(text: str) -> str:
    return " ".join(strip_accents(text.lower()).split())


def right(item: dict[str, Any], status: str, text: str) -> bool:
    if item["facts"] is None:
        return status not in ANSWERED
    if status not in ANSWERED:
        return False
    reply = fold(text)
    return all(any(fold(alt) in reply for alt in group) for group in item["facts"])


def import_all(files: list[Path], content: Path, copies: range) -> tuple[dict[str, str], float]:
    """Import every file once per copy (ids suffixed after copy 0); stem → id of copy 0, seconds."""
    ids: dict[str, str] = {}
    started = time.perf_counter()
    for k in copies:
        for f in files:
            blocks, warnings = documents.read_file(f)
            imported = documents.build(blocks, warnings, documents.Overrides(), f.name)
            if k:
                imported = documents.build(
                    blocks, warnings, documents.Overrides(id=f"{imported.id[:33]}-x{k}"), f.name
                )
            documents.write(content, imported, False, set())
            if not k:
                ids[f.stem] = imported.id
    return ids, time.perf_counter() - started


# -- the baseline --------------------------------------------------------------------------------------------
_SPLIT = re.compile(r"(?<=[.;!?])\s+")
_WORDS = re.compile(r"\w+")


def baseline_index(files: list[Path]) -> tuple[Any, list[tuple[str, str]]]:
    import bm25s

    sentences: list[tuple[str, str]] = []
    for f in files:
        blocks, _ = documents.read_file(f)
        for block in blocks:
            for s in _SPLIT.split(block.text):
                if len(s.strip()) > 3:
                    sentences.append((f.stem, s.strip()))
    retriever = bm25s.BM25()
    retriever.index([_WORDS.findall(fold(s)) for _, s in sentences], show_progress=False)
    return retriever, sentences


def baseline_top(index: tuple[Any, list[tuple[str, str]]], question: str, k: int = 3) -> list[str]:
    retriever, sentences = index
    tokens = _WORDS.findall(fold(question))
    if not tokens:
        return []
    docs, _ = retriever.retrieve([tokens], k=k, show_progress=False)
    return [sentences[int(i)][1] for i in docs[0]]


# -- the run -------------------------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def ask_all(kb: Any, items: list[dict[str, Any]]) -> tuple[list[Any], list[float]]:
    outs, times = [], []
    for item in items:
        t = time.perf_counter()
        outs.append(answer(kb, item["q"], TODAY))
        times.append((time.perf_counter() - t) * 1000)
    return outs, times


def table(title: str, rows: dict[str, list[tuple[bool, bool, bool]]]) -> None:
    print(f"\n{title:<24} {'n':>4} {'Loa':>7} {'BM25@1':>7} {'BM25@3':>7}")
    for key, marks in rows.items():
        n = len(marks)
        loa, b1, b3 = (sum(m[i] for m in marks) for i in range(3))
        print(f"{key:<24} {n:>4} {loa / n:>7.0%} {b1 / n:>7.0%} {b3 / n:>7.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = ROOT.parent / "shared" / "corpus"
    parser.add_argument("folder", nargs="?", type=Path, default=default if default.is_dir() else None)
    parser.add_argument("--times", type=int, default=23, help="copies of the corpus for the timing (0: none)")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    if args.folder is None:
        parser.error("no folder given and ../shared/corpus is not there")
    files = sorted(p for p in (args.folder / "docs").iterdir() if p.suffix.lower() in documents.EXTENSIONS)
    items = [json.loads(line) for line in (args.folder / "questions.jsonl").read_text().splitlines() if line]

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        ids, seconds = import_all(files, content, range(1))
        print(f"{len(files)} documents imported in {seconds:.2f} s")
        started = time.perf_counter()
        loaded, kb, _ = build(content, TODAY.toordinal())
        if kb is None:
            sys.exit(f"content errors: {[str(e) for e in loaded.errors][:3]}")
        print(f"knowledge base built in {time.perf_counter() - started:.2f} s")
        outs, times = ask_all(kb, items)
        index = baseline_index(files)

        by_type: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
        by_doc: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
        for item, out in zip(items, outs, strict=True):
            top = baseline_top(index, item["q"])
            b1 = right(item, "passage", top[0] if top else "")
            b3 = right(item, "passage", " ".join(top))
            mark = (right(item, out.status, out.text), b1, b3)
            by_type[item["type"]].append(mark)
            by_type["all"].append(mark)
            if item["type"] in "abcd":
                by_type["in scope"].append(mark)
                by_doc[item["doc"]].append(mark)
            if args.show_wrong and not mark[0]:
                print(f"✗ [{item['type']} {out.status} {out.score:.2f}] {item['q']}\n    {out.text[:300]!r}")
        table("type", {t: by_type[t] for t in (*TYPES, "in scope", "all") if by_type[t]})
        table("document (in scope)", dict(sorted(by_doc.items())))
        declined = [out.status not in ANSWERED for item, out in zip(items, outs, strict=True)]
        print(f"\ndeclined: {sum(declined)}/{len(items)} replies")
        headers = sum(bool(loaded.documents[i].number and loaded.documents[i].issued) for i in ids.values())
        print(f"documents with number and date read: {headers}/{len(ids)}")
        print(
            f"time per question, {len(loaded.documents)} documents: "
            f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms"
        )

        if args.times > 1:
            import_all(files, content, range(1, args.times))
            loaded, kb, _ = build(content, TODAY.toordinal())
            assert kb is not None
            _, times = ask_all(kb, items)
            print(
                f"time per question, {len(loaded.documents)} documents: "
                f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms"
            )


if __name__ == "__main__":
    main()
