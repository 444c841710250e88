"""Documents benchmark: import time, PDF libraries compared, reload swap time, memory, and accuracy as
documents accumulate. Prints figures; asserts nothing.

    python bench/documents.py [--pages 50]

- Import: a generated guidance of about ``--pages`` pages (tests/data/hd-42-2025.txt's body repeated, laid out
  by tests/docgen.py) as DOCX and as PDF: read + lay out + write, best of three. The PDF's text is also read
  with pdfminer.six when installed, for the choice of library.
- Reload: a content folder with 10 documents (the seed, tests/data/hd-42-2025.txt and eight generated on
  other topics): load + build the knowledge base (off the event loop in `loa run`) and the swap itself.
- Memory: the knowledge base's Python allocations (tracemalloc) with 1 and with 10 documents.
- Accuracy: the second document's held-out questions from its passages alone (no FAQ entry rests on it), and
  every question set with the ten documents in (no regression).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import documents
from bot.answers import answer
from bot.cli import grade
from bot.content import default_content_dir, load_content
from bot.live import build
from bot.matcher import KnowledgeBase
from tests import docgen

DATA = ROOT / "tests" / "data"
SOURCE = (DATA / "hd-42-2025.txt").read_text(encoding="utf-8")
TODAY = date(2026, 11, 27)
SETS = [
    ROOT.parent / "shared" / "eval" / "dev-questions.jsonl",
    DATA / "heldout-questions.jsonl",
    DATA / "heldout2-questions.jsonl",
    DATA / "heldout3-questions.jsonl",
    DATA / "hd-42-2025-questions.jsonl",
]
TOPICS = [
    (
        "chuyển đổi số",
        ["chữ ký số", "dịch vụ công trực tuyến", "thanh toán không dùng tiền mặt", "sóng di động"],
    ),
    ("an toàn giao thông", ["mũ bảo hiểm", "nồng độ cồn", "tai nạn giao thông", "đường đèo dốc"]),
    ("phòng cháy chữa cháy rừng", ["mùa khô hanh", "đốt nương", "tổ đội xung kích", "diện tích rừng"]),
    ("bảo hiểm xã hội tự nguyện", ["người tham gia", "lương hưu", "mức hỗ trợ đóng", "sổ bảo hiểm"]),
    ("tiêm chủng mở rộng", ["trẻ dưới 1 tuổi", "vắc xin sởi", "trạm y tế xã", "phụ nữ có thai"]),
    (
        "phòng chống mua bán người",
        ["lao động qua biên giới", "lừa đảo việc làm", "nạn nhân trở về", "đường dây"],
    ),
    ("bình đẳng giới", ["tảo hôn", "hôn nhân cận huyết", "phụ nữ dân tộc thiểu số", "cán bộ nữ"]),
    ("phòng chống thiên tai", ["lũ quét", "sạt lở đất", "di dời dân", "cảnh báo sớm"]),
]


def generated(n: int, topic: str, words: list[str], rng: random.Random) -> str:
    """A guidance in the departments' layout on ``topic``, with figures of its own."""
    year = 2025 + n % 2
    lines = [
        "TỈNH ỦY LAI CHÂU",
        "BAN TUYÊN GIÁO",
        f"Số: {100 + n}-KH/BTGTU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        f"Lai Châu, ngày {1 + n} tháng {2 + n} năm {year}",
        "",
        "KẾ HOẠCH",
        f"tuyên truyền về {topic} năm {year}",
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        f"1. Nâng cao nhận thức của cán bộ và Nhân dân về {topic}.",
        "2. Tuyên truyền bằng tiếng dân tộc ở những nơi cần thiết.",
        "II. NỘI DUNG",
    ]
    for i, word in enumerate(words, 1):
        lines.append(f"{i}. Về {word}")
        for _ in range(3):
            lines.append(
                f"- Năm {year - 1}, toàn tỉnh ghi nhận {rng.randint(12, 980)} trường hợp liên quan đến "
                f"{word}; "
                f"phấn đấu năm {year} đạt tỷ lệ {rng.randint(40, 99)}% về {topic} ở các xã vùng cao."
            )
    lines += [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các xã, phường báo cáo kết quả hằng quý về Ban Tuyên giáo Tỉnh ủy.",
    ]
    return "\n".join(lines) + "\n"


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def long_guidance(copies: int) -> str:
    """The second document's four parts repeated ``copies`` times, numbered on (I, II, …), one trailer."""
    head, rest = SOURCE.split("I. MỤC ĐÍCH", 1)
    body, trailer = ("I. MỤC ĐÍCH" + rest).split("Nơi nhận:", 1)
    parts = []
    for k in range(copies):
        lines = []
        for line in body.splitlines():
            for n, numeral in enumerate(("I", "II", "III", "IV")):
                if line.startswith(numeral + ". "):
                    line = documents.roman(4 * k + n + 1) + line[len(numeral) :]
                    break
            lines.append(line)
        parts.append("\n".join(lines))
    return head + "\n".join(parts) + "\nNơi nhận:" + trailer


def bench_import(pages: int, folder: Path) -> None:
    copies = min(60, max(1, round(pages / 1.4)))  # about 1.4 pages each at the generator's layout
    text = long_guidance(copies)
    docx = docgen.docx_bytes(text)
    pdf = docgen.pdf_bytes(text, width=170)
    from pypdf import PdfReader

    n_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"generated: DOCX {len(docx) / 1024:.0f} KB, PDF {len(pdf) / 1024:.0f} KB with {n_pages} pages")
    for ext, data in ((".docx", docx), (".pdf", pdf)):
        path = folder / f"big{ext}"
        path.write_bytes(data)
        root = Path(tempfile.mkdtemp())
        (root / "documents").mkdir()

        def run(path: Path = path, root: Path = root) -> documents.Imported:
            return documents.import_file(path, root, documents.Overrides(), True, set())

        seconds, imported = timed(run)
        summary = imported.summary()  # type: ignore[attr-defined]
        print(
            f"import {ext}: {seconds:.2f} s (goal < 5 s): {summary['sections']} sections, "
            f"{summary['passages']} passages"
        )
        shutil.rmtree(root)
    seconds, _ = timed(lambda: [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages])
    print(f"  pypdf text of the PDF: {seconds:.2f} s")
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        print("  pdfminer.six: not installed")
        return
    seconds, text = timed(lambda: extract_text(io.BytesIO(pdf)), repeat=1)
    print(f"  pdfminer.six text of the PDF: {seconds:.2f} s ({len(str(text))} characters)")


def ten_documents(root: Path) -> None:
    rng = random.Random(7)
    known = {p.stem for p in (root / "documents").glob("*.yaml")}
    texts = [SOURCE] + [generated(n, topic, words, rng) for n, (topic, words) in enumerate(TOPICS)]
    for text in texts:
        lines, warnings = documents.read_bytes(text.encode(), "hd.txt")
        imported = documents.build(lines, warnings, documents.Overrides(), "x.txt")
        documents.write(root, imported, False, known)
        known.add(imported.id)


def kb_memory(root: Path) -> float:
    content = load_content(root)
    tracemalloc.start()
    kb = KnowledgeBase(content, today=TODAY)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kb
    return size / 1024 / 1024


def accuracy(root: Path, sets: list[Path]) -> None:
    content = load_content(root)
    kb = KnowledgeBase(content, today=TODAY)
    for path in sets:
        items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        right = 0
        for it in items:
            out = answer(kb, it["q"], TODAY)
            right += grade(out.status, out.text, it["facts"])
        print(f"  {path.name}: {right}/{len(items)} ({100 * right / len(items):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_import(args.pages, work)

        one = work / "one"
        shutil.copytree(default_content_dir(), one)
        ten = work / "ten"
        shutil.copytree(default_content_dir(), ten)
        ten_documents(ten)
        n_docs = len(load_content(ten).documents)

        seconds, (content, kb) = timed(lambda: build(ten, TODAY.toordinal()))  # type: ignore[misc]
        print(f"reload with {n_docs} documents: load + build {seconds * 1000:.0f} ms (off the event loop)")
        from bot.app import App

        holder = App.__new__(App)
        started = time.perf_counter()
        holder.swap(content, kb, None, frozenset())  # type: ignore[arg-type]
        print(
            f"  the swap itself: {(time.perf_counter() - started) * 1e6:.1f} µs (goal: the whole under 1 s)"
        )
        print(
            f"knowledge base memory: 1 document {kb_memory(one):.1f} MB, "
            f"{n_docs} documents {kb_memory(ten):.1f} MB"
        )

        two = work / "two"
        shutil.copytree(default_content_dir(), two)
        lines, warnings = documents.read_file(DATA / "hd-42-2025.txt")
        documents.write(two, documents.build(lines, warnings, documents.Overrides(), "x.txt"), False, set())
        print("accuracy, the second document from its passages alone:")
        accuracy(two, [SETS[-1]])
        print("accuracy, the seed only:")
        accuracy(one, SETS[:-1])
        print(f"accuracy with {n_docs} documents in:")
        accuracy(ten, SETS)


if __name__ == "__main__":
    main()
