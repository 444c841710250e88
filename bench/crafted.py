"""Crafted and oversized documents: how long each import takes to end (imported or refused in one line), next
to a real 50-page guidance imported in the same run, and `loa content check` on a folder of large documents.
Prints figures; asserts nothing.

    python bench/crafted.py [--copies 20]

Each import runs as `loa content import` in its own process, as an officer runs it; the time is wall-clock
from start to exit, the memory the largest resident size of any process so far (the child that reads the
file included).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import documents
from bot.content import default_content_dir
from tests import docgen

HD42 = (ROOT / "tests" / "data" / "hd-42-2025.txt").read_text(encoding="utf-8")
CASES: dict[str, Callable[[], bytes]] = {
    "real 50-page guidance (DOCX)": lambda: docgen.docx_bytes(HD42, repeat=36),
    "real 50-page guidance (PDF)": lambda: docgen.pdf_bytes(HD42, repeat=36),
    "numbered-line TXT, 1 MB": lambda: docgen.numbered_lines_txt(1),
    "numbered-line TXT, 10 MB": lambda: docgen.numbered_lines_txt(10),
    "one-line TXT, 9 MB": lambda: docgen.one_line_txt(9),
    "DOCX unzipping to 300 MB": lambda: docgen.docx_bomb_bytes(300),
    "DOCX unzipping to 1 GB": lambda: docgen.docx_bomb_bytes(1024),
    "DOCX of 100,000 paragraphs": lambda: docgen.docx_paragraphs_bytes(100_000),
    "PDF of 75,000 blank pages": lambda: docgen.blank_pdf_bytes(75_000),
}
EXT = {"DOCX": ".docx", "PDF": ".pdf", "TXT": ".txt"}


def _loa(*args: str, content: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["LOA_CONTENT_DIR"] = str(content)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, capture_output=True, text=True)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="large documents for the content check")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="loa-crafted-"))
    try:
        content = work / "content"
        shutil.copytree(default_content_dir(), content)
        startup, _ = _loa("--version", content=content)
        print(f"`loa --version` (interpreter and CLI start): {startup:.2f} s")
        print(f"{'file':32} {'size':>9} {'seconds':>8} {'max RSS':>8}  answer")
        for name, make in CASES.items():
            data = make()
            ext = next(e for k, e in EXT.items() if k in name)
            path = work / f"case{ext}"
            path.write_bytes(data)
            seconds, out = _loa("content", "import", "--replace", str(path), content=content)
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            said = (out.stderr.strip() or out.stdout.strip()).splitlines()
            answer = f"exit {out.returncode}: {said[0][:90] if said else ''}"
            print(f"{name:32} {len(data) / 1024:8.0f}K {seconds:8.2f} {rss:7.0f}M  {answer}")
        imported = documents.read_guarded(docgen.docx_bytes(HD42, repeat=36), "hd.docx")
        for n in range(args.copies):
            imported.id = imported.data["id"] = f"hd-{n}"
            documents.write(content, imported, True, set())
        passages = args.copies * len(imported.data["passages"])
        seconds, out = _loa("content", "check", content=content)
        print(f"\n`loa content check` with {args.copies} documents of 50 pages ({passages} passages): "
              f"{seconds:.2f} s, exit {out.returncode} (`loa --version` alone: {startup:.2f} s)")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
