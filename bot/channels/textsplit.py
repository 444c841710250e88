"""Splitting a long reply into messages a messenger accepts (Telegram: 4,096 characters; Zalo: 2,000)."""

from __future__ import annotations

from collections.abc import Callable

# Coarsest first: a cut between paragraphs reads best, then between lines, then between words.
_SEPARATORS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    """Length as messengers count it (UTF-16 code units: an emoji such as 📚 counts two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Callable[[str], int] = utf16_len) -> list[str]:
    """Chunks of at most ``limit`` (as ``measure`` counts), cut on paragraphs, then lines, then words.

    Joining the chunks with the separator they were cut at gives the text back (whitespace at a cut
    aside); only a word longer than ``limit`` (a pasted link, say) is cut inside.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    if measure(text) <= limit:
        return [text] if text else []
    return [c for c in _split(text, limit, 0, measure) if c.strip()]


def _split(text: str, limit: int, level: int, measure: Callable[[str], int]) -> list[str]:
    if measure(text) <= limit:
        return [text]
    if level == len(_SEPARATORS):
        return _cut(text, limit, measure)
    sep = _SEPARATORS[level]
    chunks: list[str] = []
    current = ""
    for piece in text.split(sep):
        candidate = f"{current}{sep}{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            *full, current = _split(piece, limit, level + 1, measure)
            chunks.extend(full)
    if current:
        chunks.append(current)
    return chunks


def _cut(word: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    """A word longer than a message, cut character by character (never inside a character)."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in word:
        width = measure(char)  # both lengths used here add up character by character
        if size + width > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        out.append("".join(current))
    return out
