"""The loudspeaker bulletin: spoken Vietnamese next to num2words, and how long a bulletin's audio takes to
make. Prints figures; asserts nothing.

    python bench/spoken.py

1. Numbers in words: Loa's :func:`bot.spoken.number` and num2words' Vietnamese (when installed) against a
   table of how the radio says them (0 in the hundreds of a later group, «mốt», «lăm», «tư», «linh»), and
   decimals written with a comma.
2. Audio: bulletins of about 1, 2 and 4 minutes spoken by espeak-ng and made into OGG/Opus and MP3 (both,
   as a broadcast to Telegram and the loudspeaker's file need), wall time and the audio's length next to the
   estimated reading time; then the same again from the cache.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import bulletin, tts
from bot.content import default_content_dir, load_content
from bot.spoken import decimal, number

TABLE = {
    5: "năm", 10: "mười", 14: "mười bốn", 15: "mười lăm", 21: "hai mươi mốt", 24: "hai mươi tư",
    25: "hai mươi lăm", 101: "một trăm linh một", 105: "một trăm linh năm", 110: "một trăm mười",
    115: "một trăm mười lăm", 1000: "một nghìn", 1005: "một nghìn không trăm linh năm",
    1015: "một nghìn không trăm mười lăm", 2000: "hai nghìn", 2024: "hai nghìn không trăm hai mươi tư",
    2025: "hai nghìn không trăm hai mươi lăm", 2579: "hai nghìn năm trăm bảy mươi chín",
    1_000_005: "một triệu không trăm linh năm", 1_250_000: "một triệu hai trăm năm mươi nghìn",
    2_000_000_000: "hai tỷ", 44: "bốn mươi tư", 31: "ba mươi mốt", 1944: "một nghìn chín trăm bốn mươi tư",
}  # fmt: skip
DECIMALS = {("8", "6"): "tám phẩy sáu", ("12", "5"): "mười hai phẩy năm", ("52", "3"): "năm mươi hai phẩy ba",
            ("0", "05"): "không phẩy không năm"}  # fmt: skip


def numbers() -> None:
    try:
        from num2words import num2words
    except ImportError:
        num2words = None
    ours = sum(number(n) == said for n, said in TABLE.items())
    ours_dec = sum(decimal(w, f) == said for (w, f), said in DECIMALS.items())
    print(f"numbers in words, {len(TABLE)} whole and {len(DECIMALS)} decimal:")
    print(f"  Loa          {ours}/{len(TABLE)}  {ours_dec}/{len(DECIMALS)}")
    if num2words is None:
        print("  num2words    (not installed: pip install num2words to compare)")
        return

    def n2w(n: float) -> str:  # «lẻ» and «linh» are both said: num2words' «lẻ» counts as right
        return str(num2words(n, lang="vi")).replace(" lẻ ", " linh ")

    theirs = [n for n, said in TABLE.items() if n2w(n) != said]
    wrong_dec = [(w, f) for (w, f), said in DECIMALS.items() if n2w(float(f"{w}.{f}")) != said]
    right, right_dec = len(TABLE) - len(theirs), len(DECIMALS) - len(wrong_dec)
    print(f"  num2words    {right}/{len(TABLE)}  {right_dec}/{len(DECIMALS)}")
    for n in theirs[:6]:
        print(f"    {n}: num2words «{n2w(n)}», said «{TABLE[n]}»")


def seconds_of(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                          str(path)], capture_output=True, text=True, check=True)  # fmt: skip
    return float(out.stdout)


async def audio() -> None:
    content = load_content(default_content_dir())
    passages = [p.text for d in content.documents.values() for p in d.passages]
    print("bulletin audio (espeak-ng, OGG/Opus and MP3 made side by side):")
    print(f"  {'estimated':>10} {'audio':>8} {'made in':>8} {'again':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for chars in (800, 1700, 3400):
            text, i = "", 0
            while len(text) < chars:
                text += passages[i % len(passages)] + "\n"
                i += 1
            made = bulletin.make(content, "Bản tin thử", text[:chars])
            started = time.perf_counter()
            ogg, _mp3 = await asyncio.gather(*(tts.audio(Path(tmp), bulletin.voice(), made.script, f)
                                               for f in ("ogg", "mp3")))  # fmt: skip
            took = time.perf_counter() - started
            started = time.perf_counter()
            await tts.audio(Path(tmp), bulletin.voice(), made.script, "ogg")
            again = time.perf_counter() - started
            print(f"  {made.seconds:9d}s {seconds_of(ogg):7.1f}s {took:7.2f}s {again * 1000:6.1f}ms")


if __name__ == "__main__":
    numbers()
    asyncio.run(audio())
