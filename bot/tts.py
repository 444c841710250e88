"""Speech for the loudspeaker bulletin: a script spoken by a Vietnamese voice and made into audio files.

A voice is one small interface (:class:`Voice`: text in, WAV out), so a department can plug in a better one;
the floor is espeak-ng's Vietnamese voice, Debian's package (no neural voice installs from the package
registries with its model: piper's voices are downloaded apart). ffmpeg makes OGG/Opus (Telegram's voice
messages) and MP3 (the loudspeaker's player). Both run as child processes, off the event loop; a file is kept
by the hash of the voice, the format and the script, so the same bulletin is spoken once.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.errors import Unavailable
from bot.files import write_atomically

# -- what it says --------------------------------------------------------------------------------------------
TTS_NO_VOICE = "Máy chủ chưa có giọng đọc tiếng Việt (cần cài espeak-ng: apt install espeak-ng)."
TTS_NO_FFMPEG = "Máy chủ chưa có ffmpeg để làm tệp âm thanh (cần cài: apt install ffmpeg)."
TTS_FAILED = "Không làm được tệp âm thanh ({what}); xin thử lại sau."

FORMATS = {
    "ogg": ("audio/ogg", ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"]),
    "mp3": ("audio/mpeg", ["-c:a", "libmp3lame", "-b:a", "64k"]),
}
SECONDS = 60  # the most a voice or a conversion may take


class Voice(Protocol):
    """A voice that reads Vietnamese text aloud: its name (part of the cache key) and its WAV audio."""

    @property
    def name(self) -> str: ...

    async def speak(self, text: str) -> bytes: ...


@dataclass(frozen=True)
class Espeak:
    """espeak-ng's Vietnamese voice. ``rate`` is espeak's own: with its pauses at commas and full stops, 110
    reads about 150 syllables a minute, the pace a bulletin's reading time is estimated at."""

    rate: int = 110
    binary: str = "espeak-ng"

    @property
    def name(self) -> str:
        return f"espeak-ng-vi-{self.rate}"

    async def speak(self, text: str) -> bytes:
        command = [self.binary, "-v", "vi", "-s", str(self.rate), "-b", "1", "--stdout"]
        return await _run(command, text.encode("utf-8"), TTS_NO_VOICE)


async def _run(command: list[str], data: bytes, missing: str) -> bytes:
    """A child process fed ``data``; its output, or one clear line (never a traceback) when it cannot."""
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    except FileNotFoundError:
        raise Unavailable(missing) from None
    try:
        out, _ = await asyncio.wait_for(process.communicate(data), SECONDS)
    except TimeoutError:
        process.kill()
        raise Unavailable(TTS_FAILED.format(what=Path(command[0]).name)) from None
    if process.returncode != 0 or not out:
        raise Unavailable(TTS_FAILED.format(what=Path(command[0]).name))
    return out


async def convert(wav: bytes, fmt: str, ffmpeg: str = "ffmpeg") -> bytes:
    """WAV as OGG/Opus or MP3."""
    _media, codec = FORMATS[fmt]
    container = "ogg" if fmt == "ogg" else "mp3"
    command = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        "pipe:0",
        "-ac",
        "1",
        *codec,
        "-f",
        container,
    ]
    return await _run([*command, "pipe:1"], wav, TTS_NO_FFMPEG)


def key(voice: Voice, fmt: str, script: str) -> str:
    """The cache key of ``script`` spoken by ``voice`` as ``fmt``."""
    return hashlib.sha256(f"{voice.name}\n{fmt}\n{script}".encode()).hexdigest()[:32]


async def audio(folder: Path, voice: Voice, script: str, fmt: str, ffmpeg: str = "ffmpeg") -> Path:
    """The file of ``script`` spoken by ``voice`` as ``fmt`` ("ogg" or "mp3"), made once and kept."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    path = folder / f"{key(voice, fmt, script)}.{fmt}"
    if path.is_file() and path.stat().st_size:
        return path
    made = await convert(await voice.speak(script), fmt, ffmpeg)
    write_atomically(path, made, 0o600)
    return path
