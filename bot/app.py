"""The application context shared by the router, the handlers and the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.config import Settings
from bot.content import Content, ContentError, load_content
from bot.matcher import KnowledgeBase
from bot.store import Store
from bot.units import UnitIndex


class ContentInvalid(Exception):
    """The content folder has errors; ``errors`` lists them."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} lỗi trong thư mục nội dung; chạy 'loa content check' để xem")
        self.errors = errors


@dataclass
class App:
    """Settings, content, knowledge base, store and clock: everything a handler may use."""

    settings: Settings
    content: Content
    kb: KnowledgeBase
    store: Store
    clock: Callable[[], datetime] = field(default=lambda: datetime.now())
    units: UnitIndex = field(default_factory=lambda: UnitIndex(None))

    @classmethod
    async def open(cls, settings: Settings, clock: Callable[[], datetime] | None = None) -> App:
        content = load_content(settings.content_dir)
        if content.errors:
            raise ContentInvalid(content.errors)
        store = await Store.open(settings.db)
        zone = settings.zone
        return cls(
            settings=settings,
            content=content,
            kb=KnowledgeBase(content),
            store=store,
            clock=clock or (lambda: datetime.now(zone)),
            units=UnitIndex(content.units),
        )

    async def close(self) -> None:
        await self.store.close()

    def is_admin(self, actor: str) -> bool:
        return actor in self.settings.admin_ids

    def today(self) -> date:
        return self.clock().date()
