"""Masking residents' personal data: precision and recall on sentences typed the way propagandists type.

    python bench/privacy.py [--show]

bench/data/privacy.txt, and privacy-heldout.txt written after the masker was tuned on the first, hold
sentences with what must be masked in [[…]] (names of Kinh, Thái, Mông, Dao, Hà Nhì and Lự people after
kinship and title words, phone and ID numbers, a household's house number) and sentences where nothing may
be masked (places, roads and schools named after historical figures, titles, kinship words used as common
words), accented and not. Scored by spans: recall is the share of marked spans masked whole; precision the
share of masked spans that are marked. The baseline, in the same run, masks only what libphonenumber finds.
--show lists every miss and every false mask.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import privacy
from bot.app import public_names
from bot.content import default_content_dir, load_content

# The set the masker was tuned on, and one written after, to see how it does on sentences it never saw.
SETS = {
    "tuned": ROOT / "bench" / "data" / "privacy.txt",
    "held out": ROOT / "bench" / "data" / "privacy-heldout.txt",
}
_MARK = re.compile(r"\[\[(.+?)\]\]")


def sentences(path: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, marked spans) of each sentence of ``path``."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, last = "", [], 0
        for m in _MARK.finditer(line):
            text += line[last : m.start()]
            spans.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            last = m.end()
        out.append((text + line[last:], spans))
    return out


def phones_only(text: str, public: frozenset[str]) -> list[privacy.Found]:
    found = [f for f in privacy.find_personal(text, public) if f.kind == "phone"]
    return found


def score(finder, data, public: frozenset[str], show: bool) -> tuple[float, float, int, int]:
    caught = marked = right = masked = 0
    for text, gold in data:
        found = finder(text, public)
        spans = [(f.start, f.end) for f in found]
        for a, b in gold:
            marked += 1
            letters = [i for i in range(a, b) if text[i].isalnum()]
            whole = all(any(s <= i < e for s, e in spans) for i in letters)
            caught += whole
            if show and not whole:
                print(f"  missed  {text[a:b]!r:28} in {text}")
        for s, e in spans:
            masked += 1
            ok = any(s < b and a < e for a, b in gold)
            right += ok
            if show and not ok:
                print(f"  masked  {text[s:e]!r:28} in {text}")
    return right / max(masked, 1), caught / max(marked, 1), marked, masked


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list every miss and every false mask")
    args = ap.parse_args()
    public = frozenset(public_names(load_content(default_content_dir())))
    print(f"{'set':9s} {'masker':20s} {'sentences':>9s} {'marked':>6s} {'precision':>9s} {'recall':>7s}")
    for set_name, path in SETS.items():
        data = sentences(path)
        marked = sum(len(g) for _, g in data)
        for name, finder in (("phone numbers only", phones_only), ("Loa", privacy.find_personal)):
            show = args.show and name == "Loa"
            precision, recall, _marked, _masked = score(finder, data, public, show)
            print(f"{set_name:9s} {name:20s} {len(data):9d} {marked:6d} {precision:9.3f} {recall:7.3f}")
    print("target: precision >= 0.95, recall >= 0.95 (issue 23)")


if __name__ == "__main__":
    main()
