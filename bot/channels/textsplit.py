"""Splitting a long reply into messages a messenger accepts (Telegram: 4,096 characters; Zalo: 2,000)."""

from __future__ import annotations

# Coarsest first: a cut between paragraphs reads best, then between lines, then between words.
_SEPARATORS = ("\n\n", "\n", " ")


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most ``limit`` characters, cut on paragraphs, then lines, then words.

    Joining the chunks with the separator they were cut at gives the text back (whitespace at a cut
    aside); only a word longer than ``limit`` (a pasted link, say) is cut inside.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return [text] if text else []
    return [c for c in _split(text, limit, 0) if c.strip()]


def _split(text: str, limit: int, level: int) -> list[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_SEPARATORS):
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    sep = _SEPARATORS[level]
    chunks: list[str] = []
    current = ""
    for piece in text.split(sep):
        candidate = f"{current}{sep}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if len(piece) <= limit:
            current = piece
        else:
            *full, current = _split(piece, limit, level + 1)
            chunks.extend(full)
    if current:
        chunks.append(current)
    return chunks
