"""Accents put back on questions typed without them (the inbox's suggested FAQ title): words right, next to
leaving the words as typed, in the same run. Prints figures; asserts nothing.

    python bench/accents.py [FOLDER]

FOLDER as for bench/answers.py (``../shared/corpus`` by default): its documents are imported into a copy of
the repository's content the way ``loa content import`` does; its accented questions (type a) are stripped
of their accents and given back by :func:`bot.accents.title_from`'s vocabulary, built once from the
repository's content alone and once with the imported documents. A word is right when it equals the
question's own word (case folded).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answers import import_all
from bot import documents
from bot.accents import vocabulary
from bot.content import load_content
from bot.textnorm import strip_accents

WORD = re.compile(r"\w+")


def score(questions: list[str], restore: object) -> tuple[int, int, int]:
    """(words right, words, questions wholly right) restoring each question stripped of its accents."""
    right = total = whole = 0
    for q in questions:
        want = [w.lower() for w in WORD.findall(q)]
        got = [w.lower() for w in WORD.findall(restore(strip_accents(q)))]  # type: ignore[operator]
        hits = sum(a == b for a, b in zip(want, got, strict=False))
        right, total, whole = right + hits, total + len(want), whole + (hits == len(want))
    return right, total, whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = ROOT.parent / "shared" / "corpus"
    parser.add_argument("folder", nargs="?", type=Path, default=default if default.is_dir() else None)
    args = parser.parse_args()
    if args.folder is None:
        parser.error("no folder given and ../shared/corpus is not there")
    items = [json.loads(line) for line in (args.folder / "questions.jsonl").read_text().splitlines() if line]
    questions = [i["q"] for i in items if i["type"] == "a"]
    files = sorted(p for p in (args.folder / "docs").iterdir() if p.suffix.lower() in documents.EXTENSIONS)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        repository = load_content(content)
        import_all(files, content, range(1))
        imported = load_content(content)
    started = time.perf_counter()
    vocab = vocabulary(imported)
    built = time.perf_counter() - started
    rows = [
        ("as typed (baseline)", lambda q: q),
        ("repository content", vocabulary(repository).restore),
        ("with the corpus", vocab.restore),
    ]
    print(
        f"{len(questions)} accented questions; a vocabulary of {len(vocab.forms)} folded words"
        f" built in {built:.2f} s"
    )
    print(f"{'vocabulary':24} {'words right':>12} {'questions whole':>16}")
    for name, restore in rows:
        right, total, whole = score(questions, restore)
        print(f"{name:24} {right / total:12.1%} {whole / len(questions):16.1%}")
    started = time.perf_counter()
    for q in questions:
        vocab.restore(strip_accents(q))
    per = (time.perf_counter() - started) / len(questions) * 1000
    print(f"restoring: {per:.2f} ms a question")


if __name__ == "__main__":
    main()
