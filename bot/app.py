"""The application context shared by the router, the handlers and the command line."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.clock import Clock, utc_stamp
from bot.config import Settings
from bot.content import Content, ContentError, load_content
from bot.docstage import recover
from bot.errors import BadInput
from bot.matcher import KnowledgeBase
from bot.sending import Answering
from bot.store import Database, open_database
from bot.textnorm import plain_key
from bot.units import UnitIndex, core_name

# -- what it says --------------------------------------------------------------------------------------------
CONTENT_INVALID = "{count} lỗi trong thư mục nội dung; chạy 'loa content check' để xem"

_WORD = re.compile(r"[^\W\d_]+")


class ContentInvalid(BadInput):
    """The content folder has errors; ``errors`` lists them."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(CONTENT_INVALID.format(count=len(errors)))
        self.errors = errors


@dataclass
class App:
    """Settings, content, knowledge base, database and clock: everything a handler may use."""

    settings: Settings
    content: Content
    kb: KnowledgeBase
    db: Database
    clock: Clock = field(default_factory=Clock)
    units: UnitIndex = field(default_factory=lambda: UnitIndex(None))
    # Names the content itself uses (places, people it quotes): public, never masked as a resident's name.
    public_names: frozenset[str] = frozenset()
    # The content folder as the knowledge base was built from it (see bot/live.py); None: not yet looked at.
    content_seen: Any = None
    # What the channels are answering now: the broadcast engine lets it go first.
    answering: Answering = field(default_factory=Answering)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        clock: Callable[[], datetime] | None = None,
        kb: KnowledgeBase | None = None,
    ) -> App:
        """Load the content and open the database; ``clock`` (a test's) is the one time source.

        ``kb``, a knowledge base already built from ``settings.content_dir`` as of the clock's day, is used as
        it is instead of loading and indexing the folder again (the tests build the repository's once).
        """
        if kb is None:
            with contextlib.suppress(OSError):  # a read-only content folder has nothing to recover
                recover(settings.content_dir)
            content = load_content(settings.content_dir)
            if content.errors:
                raise ContentInvalid(content.errors)
        else:
            content = kb.content
        the_clock = Clock(settings.zone, clock)
        db = await open_database(settings.db, the_clock)
        # The question log is kept only as long as the inbox and statistics need it.
        keep = timedelta(days=settings.question_retention_days)
        await db.questions.forget(utc_stamp(the_clock.now() - keep))
        await db.inbox.forget_before(utc_stamp(the_clock.now() - keep))  # whom to tell, no longer than that
        await db.voices.forget_before(utc_stamp(the_clock.now() - keep))  # residents' words, as long
        return cls(
            settings=settings,
            content=content,
            kb=kb if kb is not None else KnowledgeBase(content, today=the_clock.today()),
            db=db,
            clock=the_clock,
            units=UnitIndex(content.units),
            public_names=public_names(content),
        )

    def swap(
        self, content: Content, kb: KnowledgeBase, units: UnitIndex, names: frozenset[str], seen: Any = None
    ) -> None:
        """New content in one step (no await between): every update after this sees all of it. ``seen``: the
        content folder as it was read (files' times and sizes), so the watcher does not build it again."""
        self.content, self.kb, self.units, self.public_names = content, kb, units, names
        self.content_seen = seen
        if gc.get_freeze_count():  # serving: the old knowledge base's cycles go, the new one is set aside
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    async def close(self) -> None:
        await self.db.close()

    def is_admin(self, actor: str) -> bool:
        return actor in self.settings.admin_ids

    def today(self) -> date:
        return self.clock.today()


@contextlib.contextmanager
def long_lived() -> Iterator[None]:
    """While serving, what start-up built (content, knowledge base, libraries: about 90,000 objects) is set
    aside from the garbage collector, which otherwise walks all of it at every full collection while
    updates wait (bench/telegram.py: about 5% of the bot's CPU per update). Given back afterwards, so a
    process that serves again, or a test, keeps collecting as usual.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def public_names(content: Content) -> frozenset[str]:
    """Folded names the content uses: every unit's name, and capitalised runs of words in the documents."""
    names: set[str] = set()
    if content.units is not None:
        names.add(plain_key(content.units.province.name))
        for commune in content.units.communes:
            for name in [commune.name, *(village.name for village in commune.villages)]:
                names.update({plain_key(name), core_name(name)})
    for doc in content.documents.values():
        for passage in doc.passages:
            names.update(_capitalised_runs(passage.text))
    return frozenset(n for n in names if n)


def _capitalised_runs(text: str) -> set[str]:
    """ "Hồ Chí Minh", "Lai Châu": runs of two to five capitalised words, folded."""
    runs: set[str] = set()
    run: list[str] = []
    last_end = -1
    for m in _WORD.finditer(text):
        word = m.group()
        joined = run and text[last_end : m.start()].isspace()
        if word[:1].isupper() and (joined or not run):
            run.append(word)
        else:
            if 2 <= len(run) <= 5:
                runs.add(plain_key(" ".join(run)))
            run = [word] if word[:1].isupper() else []
        last_end = m.end()
    if 2 <= len(run) <= 5:
        runs.add(plain_key(" ".join(run)))
    return runs
