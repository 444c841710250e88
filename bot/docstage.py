"""Where an import is staged in the documents folder, and the recovery of one a crash interrupted.

Apart from :mod:`bot.documents` so that every start can recover without loading the document readers and
layout (:mod:`bot.doclayout`, :mod:`bot.docread`), which only an import needs.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger("bot.documents")
STAGING = ".import-"  # a hidden folder in documents/ where an import is written before it moves into place
LOCK = ".lock"


def recover(root: str | os.PathLike[str]) -> int:
    """Finish or undo imports that were interrupted (a crash, a kill): how many were found.

    A staging folder whose lock nobody holds was left by a dead import. If its record had already moved into
    place, its text follows (the import had happened); otherwise it goes, and the folder is as before it.
    """
    folder = Path(root) / "documents"
    found = 0
    for stage in folder.glob(STAGING + "*") if folder.is_dir() else []:
        if not stage.is_dir():
            continue
        try:
            with (stage / LOCK).open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: an import is running now
                records = {p.stem for p in stage.glob("*.yaml")}
                for text in stage.glob("*.txt"):
                    if text.stem not in records and (folder / f"{text.stem}.yaml").exists():
                        os.replace(text, folder / text.name)
        except BlockingIOError:
            continue
        except OSError:
            pass  # no lock file: the import died creating its folder
        shutil.rmtree(stage, ignore_errors=True)
        found += 1
    for cache in folder.glob(".*.json") if folder.is_dir() else []:
        if not cache.with_name(cache.name[1:].removesuffix(".json") + ".yaml").exists():
            cache.unlink(missing_ok=True)  # moved in before its record when the import was stopped
    if found:
        log.warning("finished or undid %d interrupted document imports", found)
    return found
