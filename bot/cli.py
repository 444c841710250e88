"""The ``loa`` command line (contract in DESIGN.md)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot import __version__, documents, logsafe, texts
from bot.app import App, ContentInvalid
from bot.auth import OPERATOR, operator
from bot.channels import load_settings
from bot.clock import Clock
from bot.config import Settings
from bot.content import load_content
from bot.errors import LoaError
from bot.files import reason, write_atomically
from bot.store import open_database

# -- what it says --------------------------------------------------------------------------------------------
CLI_CONTENT_OK = "hợp lệ"
CLI_CONTENT_BAD = "có {count} lỗi"
CLI_CONTENT_SUMMARY = (
    "Nội dung {state}: {faq_entries} mục hỏi đáp, {questions} cách hỏi, {topics} chủ đề, "
    "{key_messages} thông điệp, {passages} đoạn văn bản, {abbreviations} viết tắt."
)
CLI_EVAL_RIGHT = "ĐÚNG"
CLI_EVAL_WRONG = "SAI "
CLI_EVAL_PROGRESS = "\r  {done}/{total} câu"
CLI_EVAL_SUMMARY = (
    "Đúng {correct}/{questions} ({accuracy:.1%}); trong phạm vi {in_scope_correct}/{in_scope}, "
    "ngoài phạm vi từ chối {out_of_scope_refused}/{out_of_scope}."
)
CLI_EVAL_UNREADABLE = "Không đọc được {path}: {reason}"
CLI_EVAL_NOT_JSON = "{path}:{line}: không phải JSON: {reason}"
CLI_EVAL_BAD_LINE = "{path}:{line}: mỗi dòng cần có 'q' (chuỗi) và 'facts' (danh sách hoặc null)"
CLI_BACKUP_SAME_FILE = "Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng"
CLI_BACKUP_NO_DIR = "Không có thư mục {path}"
CLI_BACKUP_DONE = "Đã sao lưu {source} → {dest}"
CLI_DB_MIGRATED = "Cơ sở dữ liệu {db}: phiên bản {version} (mới nhất)"
CLI_COPY_FROM_SQLITE = "LOA_DB phải là tệp SQLite cần chép đi (đang là PostgreSQL)"
CLI_COPY_TO_PG = "--to phải là địa chỉ postgresql://người_dùng@máy:cổng/tên_csdl"
CLI_COPY_FAILED = "Không chép được, chưa ghi gì: {reason}"
CLI_COPY_LINE = "  {table}: {source} → {target}"
CLI_COPY_DONE = "Đã chép {rows} dòng của {tables} bảng sang {to}; số dòng hai bên khớp"
CLI_NO_PATH = "Thiếu đường dẫn tệp đích"
CLI_IS_A_FOLDER = "{path} là một thư mục; xin ghi tên tệp, ví dụ {path}/{example}"
CLI_CANNOT_WRITE = "Không ghi được {path}: {reason}"
CLI_EXPORT_DONE = "Đã xuất {path}: {sessions} buổi, {attendees} người dự."
CLI_BAD_DATE = "Ngày «{value}» không đúng dạng YYYY-MM-DD"
CLI_BAD_DAYS = "--days phải từ 1 đến 3660"
CLI_SCHEDULE_LINE = (
    "{send}  {event:22s} sự kiện {event_date} (trước {days_before} ngày)  {audience} nơi nhận  {title}"
)
CLI_BROADCAST_QUEUED = "Đã xếp lịch: số {id}, {count} nơi nhận, gửi lúc {at}. Loa đang chạy (loa run) sẽ gửi."
CLI_BROADCAST_EXISTS = "Tin này đã có (số {id}); không tạo lần hai."
CLI_BAD_TIME = "Giờ «{value}» không đúng dạng YYYY-MM-DDTHH:MM"
IMPORT_SUMMARY = "Đã nhập văn bản «{id}»: {title}"
CONTENT_LIST_LINE = (
    "{id} · số {number} · ngày {issued} · {state} · {sections} mục, {passages} đoạn,"
    " {faq_entries} câu hỏi đáp\n    {title}"
)
CONTENT_LIST_EMPTY = "Chưa có văn bản nào."
CLI_INBOX_LINE = "#{id} · {count} lần · gần nhất {last} · «{question}»"
CLI_INBOX_EMPTY = "Không có câu hỏi nào đang chờ trả lời."
CLI_INBOX_ANSWERED = (
    "Đã trả lời nhóm {id} bằng mục «{entry}»; người đã hỏi sẽ được báo (loa run đang chạy gửi)."
)
CLI_INBOX_ATTACHED = "Đã gắn nhóm {id} vào mục «{entry}»; người đã hỏi sẽ được báo."
CLI_INBOX_DISMISSED = "Đã bỏ qua nhóm {id}."
CLI_REPORT_LINE = "#{id} · {state} · {date} · {unit} · {form} · {attendees} người"
CLI_REPORT_NONE = "Không có báo cáo nào."
CLI_REPORT_ACCEPTED = "Đã nhận báo cáo số {id}."
CLI_REPORT_RETURNED = "Đã trả lại báo cáo số {id}; loa run đang chạy sẽ báo người báo cáo."
CLI_BAD_STATE = "--state là một trong: submitted, accepted, returned, withdrawn"
CLI_BULLETIN_WHAT = "cần --from (mã sự kiện hoặc văn bản), --answer (câu hỏi) hoặc --text (nội dung tự soạn)"
CLI_BULLETIN_WHERE = "cần -o TỆP.mp3 (hoặc --script-only để chỉ in kịch bản)"
CLI_BULLETIN_OWN = "nội dung tự soạn"
CLI_BULLETIN_DONE = "Đã ghi bản tin «{title}» ({duration} đọc) vào {path}"
CLI_OPINION_DONE = "Đã ghi {path}: {total} ý kiến, {themes} chủ đề, {villages} thôn/bản."
CLI_WEB_NO_PORT = "Chưa đặt LOA_WEB_PORT (cổng của bảng điều khiển)"
CLI_WEB_SERVING = "Bảng điều khiển: {url} (Ctrl-C để dừng)"

EXIT_USAGE = 2


# -- the subcommands: each declares its words, help and arguments beside its function ------------------------
@dataclass
class Subcommand:
    words: tuple[str, ...]  # ("report", "export")
    run: Callable[[argparse.Namespace], Awaitable[int]]
    help: str
    description: str | None
    arguments: list[tuple[tuple[str, ...], dict[str, Any]]]


SUBCOMMANDS: list[Subcommand] = []
GROUPS = {
    "content": "nội dung (câu hỏi đáp, chủ đề, văn bản nguồn)",
    "invite": "mã mời đăng ký",
    "report": "báo cáo hoạt động tuyên truyền",
    "schedule": "lịch gửi điểm tin theo sự kiện",
    "broadcast": "phát tin tới các nhóm và người đăng ký",
    "db": "cơ sở dữ liệu",
    "inbox": "câu hỏi Loa chưa trả lời được",
    "web": "bảng điều khiển cho cán bộ",
    "opinion": "tình hình tư tưởng, dư luận: ý kiến bà con theo chủ đề",
    "bulletin": "bản tin đọc trên loa truyền thanh cơ sở (kịch bản và âm thanh)",
}
Run = Callable[[argparse.Namespace], Awaitable[int]]


def command(words: str, help: str, description: str | None = None) -> Callable[[Run], Run]:
    """Declare ``loa WORDS``: its help, and the arguments its ``@arg`` lines below give."""

    def register(fn: Run) -> Run:
        arguments = list(reversed(getattr(fn, "_arguments", [])))  # decorators apply bottom-up
        SUBCOMMANDS.append(Subcommand(tuple(words.split()), fn, help, description, arguments))
        return fn

    return register


def arg(*names: str, **options: Any) -> Callable[[Run], Run]:
    """One argument of the subcommand declared above it (argparse's ``add_argument``)."""

    def add(fn: Run) -> Run:
        fn._arguments = [*getattr(fn, "_arguments", []), (names, options)]  # type: ignore[attr-defined]
        return fn

    return add


class CliError(LoaError):
    """A failure to report as one line and exit code 2."""


def _settings() -> Settings:
    settings = load_settings()
    # Now that the secrets are known, mask them in every log line.
    logsafe.setup(logging.getLogger().level, settings.secrets())
    return settings


async def _with_app(fn: Callable[[App], Awaitable[int]]) -> int:
    app = await App.open(_settings())
    try:
        return await fn(app)
    finally:
        await app.close()


# -- loa ask ------------------------------------------------------------------------------------------
def _questions(args: argparse.Namespace) -> list[str]:
    if args.question:
        return list(args.question)  # each argument is one question: loa ask "câu 1" "câu 2"
    return [line.rstrip("\r\n") for line in sys.stdin]


@command("ask", "hỏi không qua ứng dụng nhắn tin")
@arg("--json", action="store_true", help="in mỗi câu trả lời một dòng JSON")
@arg("question", nargs="*", help="câu hỏi; bỏ trống thì đọc mỗi dòng stdin một câu")
async def _ask(args: argparse.Namespace) -> int:
    from bot.answers import ask
    from bot.channels.console import render as show
    from handlers.ask import render

    async def run(app: App) -> int:
        questions = _questions(args)
        for q in questions:
            out = await ask(app, "cli", q)
            if args.json:
                print(json.dumps(out.as_json(), ensure_ascii=False), flush=True)
            else:
                print("\n\n".join(show([render(out)]).messages))
                print()
        return 0

    return await _with_app(run)


# -- loa eval -----------------------------------------------------------------------------------------
def _load_eval(path: Path) -> list[dict[str, Any]]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CliError(CLI_EVAL_UNREADABLE.format(path=path, reason=reason(exc))) from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CliError(CLI_EVAL_NOT_JSON.format(path=path, line=n, reason=exc.msg)) from None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "facts" not in item:
            raise CliError(CLI_EVAL_BAD_LINE.format(path=path, line=n))
        items.append(item)
    return items


def grade(status: str, text: str, facts: list[list[str]] | None) -> bool:
    """The eval rule: in scope, every fact group has a string in the reply text; out of scope, no answer."""
    if facts is None:
        return status != "answer"
    return all(any(s in text for s in group) for group in facts)


@command("eval", "đo độ chính xác trên một bộ câu hỏi (.jsonl)")
@arg("file", help='tệp JSONL: mỗi dòng {"q": ..., "facts": [[...], ...] hoặc null}')
@arg("--json", action="store_true", help="in kết quả tổng hợp dạng JSON")
@arg("--verbose", action="store_true", help="in cả các câu đúng")
async def _eval(args: argparse.Namespace) -> int:
    from bot.answers import answer

    items = _load_eval(Path(args.file))

    async def run(app: App) -> int:
        results = []
        show_progress = sys.stderr.isatty()
        for i, item in enumerate(items, 1):
            out = answer(app.kb, item["q"], app.today())
            ok = grade(out.status, out.text, item["facts"])
            results.append((item, out, ok))
            if show_progress and (i % 25 == 0 or i == len(items)):
                print(CLI_EVAL_PROGRESS.format(done=i, total=len(items)), end="", file=sys.stderr)
        if show_progress:
            print(file=sys.stderr)
        in_scope = [r for r in results if r[0]["facts"] is not None]
        out_scope = [r for r in results if r[0]["facts"] is None]
        summary = {
            "questions": len(results),
            "correct": sum(r[2] for r in results),
            "accuracy": round(sum(r[2] for r in results) / max(1, len(results)), 4),
            "in_scope": len(in_scope),
            "in_scope_correct": sum(r[2] for r in in_scope),
            "out_of_scope": len(out_scope),
            "out_of_scope_refused": sum(r[2] for r in out_scope),
            "statuses": {
                s: sum(1 for r in results if r[1].status == s)
                for s in ("answer", "passage", "suggest", "none")
            },
        }
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
            return 0
        for item, out, ok in results:
            if not ok or args.verbose:
                mark = CLI_EVAL_RIGHT if ok else CLI_EVAL_WRONG
                print(f"{mark} [{out.status}:{out.id or '-'} {out.score:.2f}] {item['q']}")
        print(CLI_EVAL_SUMMARY.format(**summary))
        return 0

    return await _with_app(run)


# -- loa content check --------------------------------------------------------------------------------
@command("content check", "kiểm tra thư mục nội dung")
@arg("--json", action="store_true", help="in số lượng và lỗi dạng JSON")
async def _content_check(args: argparse.Namespace) -> int:
    settings = _settings()
    content = load_content(settings.content_dir)
    if args.json:
        report: dict[str, object] = dict(content.counts())
        report["errors"] = [
            {"file": e.file, "entry": e.entry, "field": e.field, "message": e.message} for e in content.errors
        ]
        report["ok"] = not content.errors
        print(json.dumps(report, ensure_ascii=False))
    else:
        for err in content.errors:
            print(err)
        bad = CLI_CONTENT_BAD.format(count=len(content.errors))
        state = bad if content.errors else CLI_CONTENT_OK
        print(CLI_CONTENT_SUMMARY.format(state=state, **content.counts()))
    return 0 if not content.errors else 1


# -- loa content import / list -------------------------------------------------------------------------------
def _flag_date(flag: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(texts.IMPORT_BAD_FLAG_DATE.format(flag=flag, value=value)) from None


@command("content import", "nhập một văn bản (.docx, .pdf, .txt, .md) vào thư mục nội dung")
@arg("file", help="tệp văn bản")
@arg("--json", action="store_true", help="in kết quả dạng JSON")
@arg("--id", help="mã văn bản (mặc định: theo số văn bản)")
@arg("--title", help="tiêu đề")
@arg("--number", help="số văn bản, ví dụ 15-HD/BTGTU")
@arg("--issued", help="ngày ban hành YYYY-MM-DD")
@arg("--issuer", help="cơ quan ban hành")
@arg("--valid-until", help="hiệu lực đến ngày YYYY-MM-DD")
@arg("--supersedes", help="mã văn bản cũ mà văn bản này thay thế")
@arg("--replace", action="store_true", help="thay văn bản cùng mã đã có")
async def _content_import(args: argparse.Namespace) -> int:
    settings = _settings()
    over = documents.Overrides(
        id=args.id,
        title=args.title,
        number=args.number,
        issued=_flag_date("--issued", args.issued),
        issuer=args.issuer,
        valid_until=_flag_date("--valid-until", args.valid_until),
        supersedes=args.supersedes,
    )
    root = Path(settings.content_dir)
    known = {p.stem for p in (root / "documents").glob("*.yaml")}
    try:
        imported = await asyncio.to_thread(
            documents.import_file, Path(args.file), root, over, args.replace, known
        )
    except documents.ImportFailed as exc:
        raise CliError(str(exc)) from None
    summary = imported.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(IMPORT_SUMMARY.format(**imported.shown()))
    for line in imported.read_lines():
        print(f"  {line}")
    return 0


@command("content list", "các văn bản nguồn: số, ngày, hiệu lực, số mục và đoạn")
@arg("--json", action="store_true", help="mỗi văn bản một dòng JSON")
async def _content_list(args: argparse.Namespace) -> int:
    settings = _settings()
    content = load_content(settings.content_dir)
    today = Clock(settings.zone).today()
    rows = documents.listing(content, today)
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(CONTENT_LIST_LINE.format(**{k: v if v is not None else "-" for k, v in row.items()}))
    if not rows and not args.json:
        print(CONTENT_LIST_EMPTY)
    return 0


# -- loa inbox -----------------------------------------------------------------------------------------------
def _inbox_run(action: Callable[[App], Awaitable[str]]) -> Callable[[], Awaitable[int]]:
    async def run(app: App) -> int:
        from bot.inbox import InboxError

        try:
            print(await action(app))
        except InboxError as exc:
            raise CliError(str(exc)) from None
        return 0

    return lambda: _with_app(run)


@command("inbox list", "các nhóm câu hỏi Loa chưa trả lời được, mới nhất trước")
@arg("--json", action="store_true", help="mỗi nhóm một dòng JSON")
async def _inbox_list(args: argparse.Namespace) -> int:
    from bot import inbox

    async def run(app: App) -> int:
        groups = await inbox.open_groups(app, None)
        for g in groups:
            if args.json:
                print(json.dumps(g.as_json(), ensure_ascii=False))
            else:
                print(
                    CLI_INBOX_LINE.format(id=g.id, count=g.count, last=g.last[:10], question=g.questions[0])
                )
        if not groups and not args.json:
            print(CLI_INBOX_EMPTY)
        return 0

    return await _with_app(run)


@command("inbox answer", "trả lời một nhóm câu hỏi: thành mục hỏi đáp mới, báo cho người đã hỏi")
@arg("id", type=int, help="số nhóm (loa inbox list)")
@arg("--text", required=True, help="câu trả lời")
@arg("--source", help="nguồn MÃ_VĂN_BẢN:MỤC, ví dụ hd-ktxh-2023:II.1.6")
async def _inbox_answer(args: argparse.Namespace) -> int:
    from bot import inbox

    async def action(app: App) -> str:
        source = inbox.parse_source(app, args.source)
        entry_id, _told = await inbox.answer(app, args.id, args.text, source, "cli", None)
        return CLI_INBOX_ANSWERED.format(id=args.id, entry=entry_id)

    return await _inbox_run(action)()


@command("inbox attach", "gắn một nhóm câu hỏi vào một mục hỏi đáp có sẵn, báo cho người đã hỏi")
@arg("id", type=int, help="số nhóm")
@arg("--entry", required=True, help="mã mục hỏi đáp")
async def _inbox_attach(args: argparse.Namespace) -> int:
    from bot import inbox

    async def action(app: App) -> str:
        await inbox.attach(app, args.id, args.entry, "cli", None)
        return CLI_INBOX_ATTACHED.format(id=args.id, entry=args.entry)

    return await _inbox_run(action)()


@command("inbox dismiss", "bỏ qua một nhóm câu hỏi")
@arg("id", type=int, help="số nhóm")
async def _inbox_dismiss(args: argparse.Namespace) -> int:
    from bot import inbox

    async def action(app: App) -> str:
        await inbox.dismiss(app, args.id, "cli", None)
        return CLI_INBOX_DISMISSED.format(id=args.id)

    return await _inbox_run(action)()


# -- loa db backup / migrate / copy ------------------------------------------------------------------
def _target(raw: str, example: str) -> Path:
    """A file the command may write: named, not a folder, in a folder that exists."""
    if not raw.strip():
        raise CliError(CLI_NO_PATH)
    path = Path(raw)
    if path.is_dir():
        raise CliError(CLI_IS_A_FOLDER.format(path=path, example=example))
    if not path.parent.is_dir():
        raise CliError(CLI_BACKUP_NO_DIR.format(path=path.parent))
    return path


def _write_file(output: str | None, name: str, content: bytes) -> Path:
    """A file made for the operator, written whole at ``output`` (default: ``name`` here); CliError if not."""
    out = _target(output or name, name)
    try:
        write_atomically(out, content)
    except OSError as exc:
        raise CliError(CLI_CANNOT_WRITE.format(path=out, reason=reason(exc))) from None
    return out


@command("db backup", "sao lưu nhất quán (được cả khi bot đang chạy)")
@arg("path", help="tệp đích")
async def _db_backup(args: argparse.Namespace) -> int:
    settings = _settings()
    dest = _target(args.path, "loa-backup.db")
    if not settings.shared_db and dest.resolve() == Path(settings.db).resolve():
        raise CliError(CLI_BACKUP_SAME_FILE)
    if dest.exists() and not dest.is_file():
        raise CliError(CLI_CANNOT_WRITE.format(path=dest, reason="not a regular file"))
    store = await open_database(settings.db, create=False, write=False)  # a backup creates and writes nothing
    try:
        await store.backup(dest)
    except OSError as exc:
        raise CliError(CLI_CANNOT_WRITE.format(path=dest, reason=reason(exc))) from None
    finally:
        await store.close()
    print(CLI_BACKUP_DONE.format(source=store.path, dest=dest))
    return 0


@command("db migrate", "nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất")
async def _db_migrate(args: argparse.Namespace) -> int:
    settings = _settings()
    store = await open_database(settings.db)  # opening applies what is missing, under a lock on PostgreSQL
    try:
        version = await store.schema_version()
    finally:
        await store.close()
    print(CLI_DB_MIGRATED.format(db=store.path, version=version))
    return 0


@command("db copy", "chép dữ liệu SQLite (LOA_DB) sang một cơ sở dữ liệu PostgreSQL trống")
@arg("--to", required=True, metavar="postgresql://…", help="cơ sở dữ liệu PostgreSQL đích (trống)")
async def _db_copy(args: argparse.Namespace) -> int:
    from bot.config import is_postgres_url
    from bot.store.copy import CopyError, copy

    settings = _settings()
    if settings.shared_db:
        raise CliError(CLI_COPY_FROM_SQLITE)
    if not is_postgres_url(args.to):
        raise CliError(CLI_COPY_TO_PG)
    source = await open_database(settings.db, create=False, write=False)
    try:
        target = await open_database(args.to)
        try:
            counts = await copy(source, target)  # type: ignore[arg-type]
        except CopyError as exc:
            raise CliError(CLI_COPY_FAILED.format(reason=exc)) from None
        finally:
            await target.close()
    finally:
        await source.close()
    for c in counts:
        print(CLI_COPY_LINE.format(table=c.table, source=c.source, target=c.target))
    print(CLI_COPY_DONE.format(rows=sum(c.target for c in counts), tables=len(counts), to=target.path))
    return 0


# -- loa invite / loa report ---------------------------------------------------------------------------
CLI_ACTOR = OPERATOR


@command("invite create", "tạo mã mời cho tuyên truyền viên hoặc cán bộ")
@arg("--role", required=True, choices=["propagandist", "officer"], help="vai trò")
@arg("--unit", required=True, help="mã đơn vị (xã/phường, thôn/bản; cán bộ tỉnh: mã tỉnh)")
@arg("--uses", type=int, default=1, help="số lượt dùng (mặc định 1)")
@arg("--expires", type=int, default=None, metavar="DAYS", help="hết hạn sau số ngày")
async def _invite_create(args: argparse.Namespace) -> int:
    from bot.invites import InviteError, describe_invite, issue_invite

    async def run(app: App) -> int:
        try:
            invite = await issue_invite(app, args.role, args.unit, args.uses, args.expires, CLI_ACTOR)
        except InviteError as exc:
            raise CliError(str(exc)) from None
        print(describe_invite(invite, app.settings.zone))
        return 0

    return await _with_app(run)


def _report_period(app: App, args: argparse.Namespace):
    from bot import reports

    try:
        return reports.period_of(args.quarter or "quy", app.today())
    except reports.PeriodError as exc:
        raise CliError(str(exc)) from None


@command("report list", "các báo cáo của một quý, với trạng thái duyệt")
@arg("--quarter", help="quý, ví dụ 2024Q1 (mặc định: quý hiện tại)")
@arg("--state", help="submitted, accepted, returned hoặc withdrawn")
@arg("--json", action="store_true", help="mỗi báo cáo một dòng JSON")
async def _report_list(args: argparse.Namespace) -> int:
    if args.state and args.state not in ("submitted", "accepted", "returned", "withdrawn"):
        raise CliError(CLI_BAD_STATE)

    async def run(app: App) -> int:
        period = _report_period(app, args)
        rows = await app.db.reports.listing(period.start.isoformat(), period.end.isoformat())
        rows = [r for r in rows if not args.state or r.state == args.state]
        await app.db.audit.add(CLI_ACTOR, "report.list", {"period": period.key, "state": args.state})
        for r in rows:
            item = {
                "id": r.id,
                "state": r.state,
                "date": r.activity_date,
                "unit": r.unit_code,
                "commune": r.commune_code,
                "form": r.form,
                "attendees": r.attendees,
                "topics": r.topics,
                "reason": r.review_reason or None,
            }
            print(json.dumps(item, ensure_ascii=False) if args.json else CLI_REPORT_LINE.format(**item))
        if not rows and not args.json:
            print(CLI_REPORT_NONE)
        return 0

    return await _with_app(run)


@command("report accept", "nhận một báo cáo chờ duyệt")
@arg("id", type=int, help="số báo cáo")
async def _report_accept(args: argparse.Namespace) -> int:
    from bot import review

    async def run(app: App) -> int:
        try:
            await review.accept(app, args.id, CLI_ACTOR, None)
        except review.ReviewError as exc:
            raise CliError(str(exc)) from None
        print(CLI_REPORT_ACCEPTED.format(id=args.id))
        return 0

    return await _with_app(run)


@command("report return", "trả lại một báo cáo kèm lý do (người báo cáo được báo)")
@arg("id", type=int, help="số báo cáo")
@arg("--reason", required=True, help="lý do trả lại")
async def _report_return(args: argparse.Namespace) -> int:
    from bot import review

    async def run(app: App) -> int:
        try:
            await review.send_back(app, args.id, args.reason, CLI_ACTOR, None)
        except review.ReviewError as exc:
            raise CliError(str(exc)) from None
        print(CLI_REPORT_RETURNED.format(id=args.id))
        return 0

    return await _with_app(run)


@command("report stats", "tổng hợp theo xã, hình thức, chủ đề")
@arg("--quarter", help="quý, ví dụ 2024Q1 (mặc định: quý hiện tại)")
@arg("--unit", help="mã đơn vị (mặc định: cả tỉnh)")
@arg("--json", action="store_true", help="in dạng JSON")
async def _report_stats(args: argparse.Namespace) -> int:
    from bot import reports

    async def run(app: App) -> int:
        stats = await reports.stats_for(app, operator(app), _report_period(app, args), args.unit)
        print(json.dumps(stats.as_json(), ensure_ascii=False) if args.json else reports.as_text(stats))
        return 0

    return await _with_app(run)


@command("report export", "xuất tệp XLSX hoặc CSV")
@arg("--quarter", help="quý, ví dụ 2024Q1 (mặc định: quý hiện tại)")
@arg("--unit", help="mã đơn vị (mặc định: cả tỉnh)")
@arg("--format", choices=["xlsx", "csv"], default="xlsx", help="định dạng (mặc định xlsx)")
@arg("-o", "--output", help="tệp đích")
async def _report_export(args: argparse.Namespace) -> int:
    from bot import reports

    async def run(app: App) -> int:
        made = await reports.export(app, operator(app), _report_period(app, args), args.format, args.unit)
        stats = made.stats
        out = _write_file(args.output, made.name, made.content)
        print(CLI_EXPORT_DONE.format(path=out, sessions=stats.sessions, attendees=stats.attendees))
        return 0

    return await _with_app(run)


# -- loa opinion ------------------------------------------------------------------------------------
@command("opinion summary", "số ý kiến của bà con theo chủ đề, thôn bản, đã trả lời")
@arg("--quarter", help="quý, ví dụ 2026Q4 (mặc định: quý hiện tại)")
@arg("--unit", help="mã xã/phường (mặc định: cả tỉnh)")
@arg("--json", action="store_true", help="in dạng JSON")
async def _opinion_summary(args: argparse.Namespace) -> int:
    from bot import opinion

    async def run(app: App) -> int:
        pulse = await opinion.pulse(app, operator(app), _report_period(app, args), args.unit)
        print(json.dumps(pulse.as_json(), ensure_ascii=False) if args.json else opinion.as_text(pulse))
        return 0

    return await _with_app(run)


@command("opinion report", "báo cáo tình hình tư tưởng, dư luận xã hội của một quý (DOCX hoặc XLSX)")
@arg("--quarter", help="quý, ví dụ 2026Q4 (mặc định: quý hiện tại)")
@arg("--unit", help="mã xã/phường (mặc định: cả tỉnh)")
@arg("--format", choices=["docx", "xlsx"], default=None, help="định dạng (mặc định theo đuôi tệp, hoặc docx)")
@arg("-o", "--output", help="tệp đích")
async def _opinion_report(args: argparse.Namespace) -> int:
    from bot import opinion

    fmt = args.format or ("xlsx" if (args.output or "").lower().endswith(".xlsx") else "docx")

    async def run(app: App) -> int:
        made = await opinion.report_file(app, operator(app), _report_period(app, args), fmt, args.unit)
        out = _write_file(args.output, made.name, made.content)
        p = made.pulse
        print(CLI_OPINION_DONE.format(path=out, total=p.total, themes=len(p.themes), villages=p.villages))
        return 0

    return await _with_app(run)


# -- loa bulletin ----------------------------------------------------------------------------------
@command("bulletin make", "bản tin đọc trên loa truyền thanh: kịch bản và tệp âm thanh (MP3 hoặc OGG)")
@arg("--from", dest="source", default="", help="mã sự kiện, mã văn bản, hoặc MÃ_VĂN_BẢN:MỤC[,MỤC]")
@arg("--answer", default="", help="câu hỏi: bản tin là câu trả lời của Loa")
@arg("--text", default="", help="nội dung tự soạn (thay cho --from)")
@arg("--title", default="", help="tiêu đề của nội dung tự soạn")
@arg("-o", "--output", help="tệp âm thanh đích (.mp3 hoặc .ogg)")
@arg("--script-only", action="store_true", help="chỉ in kịch bản, không làm âm thanh")
async def _bulletin_make(args: argparse.Namespace) -> int:
    from bot import bulletin

    if not args.source and not args.text and not args.answer:
        raise CliError(CLI_BULLETIN_WHAT)
    if not args.script_only and not args.output:
        raise CliError(CLI_BULLETIN_WHERE)
    fmt = "ogg" if (args.output or "").lower().endswith(".ogg") else "mp3"

    async def run(app: App) -> int:
        made = bulletin.from_source(app, args.source, args.text, args.title, args.answer)
        if args.script_only:
            print(made.script)
            return 0
        path = await bulletin.audio(app, made, fmt)
        out = _write_file(args.output, f"ban-tin.{fmt}", path.read_bytes())
        print(
            CLI_BULLETIN_DONE.format(title=made.title or CLI_BULLETIN_OWN, duration=made.duration, path=out)
        )
        return 0

    return await _with_app(run)


# -- loa schedule -----------------------------------------------------------------------------------
@command("schedule list", "những gì sẽ gửi, khi nào, tới bao nhiêu nơi")
@arg("--from", dest="start", help="từ ngày (YYYY-MM-DD), mặc định hôm nay")
@arg("--days", type=int, default=30, help="số ngày (mặc định 30)")
@arg("--json", action="store_true", help="mỗi lần gửi một dòng JSON")
async def _schedule_list(args: argparse.Namespace) -> int:
    from datetime import date, timedelta

    from bot import audience, calendar

    async def run(app: App) -> int:
        try:
            start = date.fromisoformat(args.start) if args.start else app.today()
        except ValueError:
            raise CliError(CLI_BAD_DATE.format(value=args.start)) from None
        if not 1 <= args.days <= 3660:
            raise CliError(CLI_BAD_DAYS)
        planned = calendar.plan(
            app.content.events,
            start,
            start + timedelta(days=args.days - 1),
            app.settings.zone,
            app.content.documents,
        )
        sizes: dict[str, int] = {}
        for p in planned:
            if p.event.id not in sizes:
                sizes[p.event.id] = len(await audience.select(app, p.event.audience))
        for p in planned:
            row = {
                "event": p.event.id,
                "title": p.event.title,
                "event_date": p.event_date.isoformat(),
                "days_before": p.days_before,
                "send_at": p.send_at.isoformat(),
                "audience": sizes[p.event.id],
                "key": p.key,
            }
            if args.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                print(CLI_SCHEDULE_LINE.format(send=p.send_at.strftime("%d/%m/%Y %H:%M"), **row))
        return 0

    return await _with_app(run)


# -- loa broadcast ----------------------------------------------------------------------------------
@command("broadcast send", "xếp lịch một tin (loa run đang chạy sẽ gửi)")
@arg("--text", required=True, help="nội dung")
@arg("--at", help="giờ gửi YYYY-MM-DDTHH:MM (giờ Việt Nam); mặc định: ngay")
@arg("--unit", help="chỉ gửi trong đơn vị này (mã); mặc định: mọi nơi đăng ký")
@arg("--key", help="khóa chống gửi trùng (mặc định: tự tạo)")
async def _broadcast_send(args: argparse.Namespace) -> int:
    import uuid
    from datetime import datetime

    from bot import outbox

    async def run(app: App) -> int:
        try:
            at = datetime.fromisoformat(args.at).replace(tzinfo=app.settings.zone) if args.at else None
        except ValueError:
            raise CliError(CLI_BAD_TIME.format(value=args.at)) from None
        key = args.key or f"adhoc:{CLI_ACTOR}:{uuid.uuid4().hex[:12]}"
        # The department's own message: the rules of an officer's, to every subscribed chat of the scope.
        units = [args.unit] if args.unit else []
        queued = await outbox.queue(app, operator(app), args.text, key, at, units, public=True)
        if not queued.created:
            print(CLI_BROADCAST_EXISTS.format(id=queued.id))
            return 0
        when = queued.at.astimezone(app.settings.zone).strftime("%H:%M %d/%m/%Y")
        print(CLI_BROADCAST_QUEUED.format(id=queued.id, count=queued.count, at=when))
        return 0

    return await _with_app(run)


@command("broadcast status", "tiến độ các tin đã phát")
@arg("--json", action="store_true", help="mỗi tin một dòng JSON")
@arg("--limit", type=int, default=20, help="số tin (mặc định 20)")
async def _broadcast_status(args: argparse.Namespace) -> int:
    from bot import outbox

    async def run(app: App) -> int:
        rows = await app.db.broadcasts.progress(limit=args.limit)
        for r in rows:
            print(json.dumps(vars(r), ensure_ascii=False) if args.json else outbox.line(app, r))
        if not rows and not args.json:
            print(texts.BROADCAST_NONE_YET)
        return 0

    return await _with_app(run)


@command("broadcast cancel", "hủy một tin đã hẹn giờ hoặc còn chờ gửi")
@arg("id", type=int, help="số của tin (xem loa broadcast status)")
async def _broadcast_cancel(args: argparse.Namespace) -> int:
    from bot import outbox

    async def run(app: App) -> int:
        done = await outbox.cancel(app, operator(app), args.id)
        print(done.said)
        return 0

    return await _with_app(run)


# -- loa chat / loa run -------------------------------------------------------------------------------
@command("chat", "trò chuyện với Loa trong cửa sổ lệnh")
@arg("--user", default="local", help="tên người dùng (console:TÊN), mặc định 'local'")
async def _chat(args: argparse.Namespace) -> int:
    from bot.channels.console import chat
    from bot.router import Router

    return await _with_app(lambda app: chat(Router(app), user=args.user))


@command(
    "run",
    "chạy mọi kênh đã cấu hình (không có kênh nào: trò chuyện trong cửa sổ lệnh)",
    "Chạy mọi kênh có mã bot (LOA_TELEGRAM_TOKEN, LOA_ZALO_TOKEN) cùng bộ lập lịch gửi điểm tin;"
    " không có mã bot nào thì trò chuyện trong cửa sổ lệnh. Ctrl-C hoặc SIGTERM: trả lời nốt tin đã"
    " nhận, gửi nốt tin đang gửi rồi dừng.",
)
async def _run(args: argparse.Namespace) -> int:
    from bot.channels.console import chat
    from bot.router import Router

    async def run(app: App) -> int:
        from bot.serve import configured

        if configured(app):
            from bot.channels import ChannelStartError
            from bot.serve import serve

            try:
                await serve(app)
            except ChannelStartError as exc:
                raise CliError(str(exc)) from None
            return 0
        # With no messenger configured Loa talks in the terminal, and still takes up content changes.
        from bot.live import ContentWatcher

        stop = asyncio.Event()
        side = [asyncio.create_task(ContentWatcher(app).run(stop))]
        if app.settings.web_port:
            from bot import web

            try:  # a console that cannot listen is said before the chat starts
                web.check_free(app.settings.web_listen, app.settings.web_port)
            except web.WebStartError as exc:
                raise CliError(str(exc)) from None
            side.append(asyncio.create_task(web.serve(app, stop)))
        try:
            return await chat(Router(app), user="local")
        finally:
            stop.set()
            await asyncio.gather(*side, return_exceptions=True)

    return await _with_app(run)


# -- loa web -------------------------------------------------------------------------------------------------
@command("web", "chạy bảng điều khiển cho cán bộ (LOA_WEB_PORT, LOA_WEB_LISTEN, LOA_WEB_URL)")
async def _web(args: argparse.Namespace) -> int:
    from bot import logins, web

    async def run(app: App) -> int:
        if not app.settings.web_port:
            raise CliError(CLI_WEB_NO_PORT)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
        print(CLI_WEB_SERVING.format(url=logins.base_url(app)), flush=True)
        try:
            await web.serve(app, stop)
        except web.WebStartError as exc:
            raise CliError(str(exc)) from None
        return 0

    return await _with_app(run)


@command("web link", "in một đường dẫn đăng nhập dùng một lần (10 phút) cho cán bộ hoặc quản trị viên")
@arg("--user", required=True, help="KÊNH:MÃ, ví dụ telegram:12345")
async def _web_link(args: argparse.Namespace) -> int:
    from bot.logins import LinkRefused, issue_link

    async def run(app: App) -> int:
        try:
            print(await issue_link(app, args.user.strip()))
        except LinkRefused as exc:
            raise CliError(str(exc)) from None
        return 0

    return await _with_app(run)


# -- parser -------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The parser, from the subcommands' declarations."""
    parser = argparse.ArgumentParser(
        prog="loa",
        description="Loa — trợ lý hỏi đáp, nhắc lịch tuyên truyền và nhận báo cáo cho tuyên truyền viên.",
    )
    parser.add_argument("--version", action="version", version=f"loa {__version__}")
    parser.add_argument("-v", "--verbose-log", action="store_true", help="ghi nhật ký chi tiết (DEBUG)")
    top = parser.add_subparsers(dest="command", metavar="LỆNH")
    groups: dict[str, Any] = {}
    for sub in sorted(SUBCOMMANDS, key=lambda c: (c.words[0] in GROUPS, c.words)):
        under = top
        if len(sub.words) == 1 and sub.words[0] in GROUPS:
            # A command that is also a group ("loa web" and "loa web link"): the group runs it when alone.
            holder = top.add_parser(sub.words[0], help=sub.help, description=sub.description)
            groups[sub.words[0]] = holder.add_subparsers(dest=f"{sub.words[0]}_command", metavar="LỆNH")
            for names, options in sub.arguments:
                holder.add_argument(*names, **options)
            holder.set_defaults(func=sub.run)
            continue
        if len(sub.words) > 1:
            group = sub.words[0]
            if group not in groups:
                holder = top.add_parser(group, help=GROUPS[group])
                groups[group] = holder.add_subparsers(dest=f"{group}_command", metavar="LỆNH")
            under = groups[group]
        p = under.add_parser(sub.words[-1], help=sub.help, description=sub.description)
        for names, options in sub.arguments:
            p.add_argument(*names, **options)
        p.set_defaults(func=sub.run)
    return parser


def _text_streams() -> None:
    """UTF-8 in and out whatever the locale; a byte that is not UTF-8 becomes U+FFFD, never a traceback."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _text_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    logsafe.setup(logging.DEBUG if args.verbose_log else logging.WARNING, [])
    func = getattr(args, "func", None)
    if func is None:
        # `loa`, `loa content`, `loa db` alone: show the help of that level.
        target = args.command if args.command in GROUPS else None
        if target:
            parser.parse_args([target, "--help"])
        parser.print_help()
        return 0
    try:
        return asyncio.run(func(args))
    except KeyboardInterrupt:
        return 130
    except ContentInvalid as exc:
        sys.stderr.write(f"loa: {exc}\n")
        for err in exc.errors[:10]:
            print(f"  {err}", file=sys.stderr)
        return EXIT_USAGE
    except LoaError as exc:
        # One write: in -v mode a log line from another thread (aiosqlite's) must not split it.
        sys.stderr.write(f"loa: {exc.message}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
