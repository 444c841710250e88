"""/nhapvanban: an officer of the province sends a guidance document (DOCX, PDF, TXT, MD); Loa shows what it
read (title, number, date, sections, warnings) and imports it after a confirmation tap, answerable at once
(:mod:`bot.imports` keeps the file meanwhile, for that person only)."""

from __future__ import annotations

import os
from typing import Any

from bot import texts
from bot.app import App
from bot.auth import OFFICER, actor_of
from bot.buttons import ButtonData, Choice, Token
from bot.core import Button, Incoming, Reply
from bot.feature import Buttons, Command, Feature

# -- what it says --------------------------------------------------------------------------------------------
HELP_NHAPVANBAN = "• /nhapvanban — (cán bộ cấp tỉnh) nhập văn bản hướng dẫn mới từ tệp .docx/.pdf."
IMPORT_PROVINCE_ONLY = "Chỉ cán bộ cấp tỉnh và quản trị viên được nhập văn bản."
IMPORT_NO_FILES_HERE = (
    "Kênh này không nhận được tệp. Hãy gửi tệp .docx/.pdf cho Loa trên Telegram kèm chú thích /nhapvanban, "
    "hoặc nhờ quản trị viên chạy lệnh: loa content import TỆP"
)
IMPORT_SEND_FILE = (
    "Gửi tệp văn bản (.docx, .pdf có lớp chữ, .txt, .md; tối đa {limit} MB) cho Loa, kèm chú thích "
    "/nhapvanban hoặc không cần chú thích. Loa sẽ cho xem những gì đọc được trước khi nhập."
)
IMPORT_CONFIRM = "✅ Nhập"
IMPORT_CANCEL = "✖️ Hủy"

IMPORT_BUTTON = ButtonData("imp", [Choice("ok", "no"), Token(max_len=24)])


async def on_import(app: App, inc: Incoming, args: str) -> list[Reply]:
    """The command (or a file sent alone): read the file and ask for confirmation."""
    # Imported here: the document readers and layout are needed by an import only, not by every bot.
    from bot import documents, imports

    who = await actor_of(app, inc)
    if not imports.province_officer(app, who):
        return [Reply(IMPORT_PROVINCE_ONLY)]
    if not inc.receives_files:
        return [Reply(IMPORT_NO_FILES_HERE)]
    if inc.file is None:
        return [Reply(IMPORT_SEND_FILE.format(limit=documents.MAX_BYTES // 1024 // 1024))]
    name = os.path.basename(inc.file.name or "van-ban")
    try:
        documents.check_file(name, inc.file.size or 1)  # before the download: kind and size
        staged = await imports.stage(app, await inc.file.fetch(), name, inc.actor)
    except documents.ImportFailed as exc:
        return [Reply(texts.IMPORT_FAILED.format(reason=exc))]
    text = imports.summary(staged.imported)
    if staged.replaces:
        text += "\n\n" + texts.IMPORT_WILL_REPLACE.format(id=staged.imported.id)
    buttons = [
        [
            Button(IMPORT_CONFIRM, IMPORT_BUTTON.pack("ok", staged.token)),
            Button(IMPORT_CANCEL, IMPORT_BUTTON.pack("no", staged.token)),
        ]
    ]
    return [Reply(text, buttons=buttons)]


async def on_button(app: App, inc: Incoming, values: tuple[Any, ...]) -> list[Reply]:
    """ "Nhập" or "Hủy" under the summary."""
    from bot import documents, imports

    choice, token = str(values[0]), str(values[1])
    who = await actor_of(app, inc)
    if not imports.province_officer(app, who):
        return [Reply(texts.STALE_BUTTON)]
    try:
        if choice == "no":
            imports.cancel(app, token, inc.actor)
            return [Reply(texts.IMPORT_CANCELLED, edit=True)]
        imported, errors = await imports.confirm(app, token, who)
    except imports.Stale:
        return [Reply(texts.IMPORT_STALE)]
    except documents.ImportFailed as exc:
        return [Reply(texts.IMPORT_FAILED.format(reason=exc))]
    if errors:
        return [Reply(texts.IMPORT_DONE_NOT_LIVE.format(id=imported.id, error=errors[0]))]
    return [Reply(texts.IMPORT_DONE.format(id=imported.id, title=imported.data["title"]), edit=True)]


FEATURE = Feature(
    name="documents",
    order=95,
    commands=(
        Command(
            "nhapvanban",
            on_import,
            role=OFFICER,
            private=True,
            help=HELP_NHAPVANBAN,
            files=True,
        ),
    ),
    buttons=(Buttons(IMPORT_BUTTON, on_button, role=OFFICER, private=True),),
)
