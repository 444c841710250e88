"""Files written whole or not at all: the one atomic write every part of Loa uses (exports, content files)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

# -- what it says --------------------------------------------------------------------------------------------
OS_REASONS = {
    "ENOENT": "không có tệp hay thư mục này",
    "EACCES": "không có quyền",
    "EPERM": "không có quyền",
    "ENOSPC": "hết chỗ trên đĩa",
    "EISDIR": "đây là một thư mục",
    "ENOTDIR": "một phần đường dẫn không phải thư mục",
    "EROFS": "ổ đĩa chỉ cho đọc",
    "EDQUOT": "hết hạn mức đĩa",
}
OS_REASON_OTHER = "lỗi hệ thống ({code})"


def write_atomically(path: str | os.PathLike[str], content: bytes, mode: int | None = None) -> Path:
    """Write a file so that it is either the old one or the whole new one, never half written.

    The new file is written beside the target (a hidden name, which the content watcher skips), synced and
    renamed over it, which is right for a regular file (or none yet); a device or a pipe (/dev/stdout) is
    written to as it is, never replaced; a folder is refused. ``mode``: the new file's permissions (0600,
    mkstemp's, when not given).
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    if path.exists() and not path.is_file():
        with path.open("wb") as fh:
            fh.write(content)
        return path
    path = path.resolve() if path.is_symlink() else path
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def reason(exc: OSError) -> str:
    """Why a file operation failed, in Vietnamese (the system's own words are English)."""
    code = errno.errorcode.get(exc.errno or 0, "")
    return OS_REASONS.get(code) or OS_REASON_OTHER.format(code=code or exc.errno)
