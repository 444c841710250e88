"""The console's pages: each checks the session, the role and the scope on the server, as the chat does."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from jinja2 import pass_context
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot import audience as audiences
from bot import (
    auditlog,
    bulletin,
    documents,
    faq_edit,
    imports,
    inbox,
    opinion,
    outbox,
    report_fields,
    reports,
    review,
    texts,
    tts,
)
from bot.app import App
from bot.clock import shown
from bot.errors import HTTP_STATUS, BadInput, LoaError, NotAllowed
from bot.logins import COOKIE, SESSION_HOURS, LoginThrottle, Visitor, csrf_ok, open_session, visitor
from bot.textnorm import cut
from bot.web import HERE
from bot.web import texts as webtexts

templates = Jinja2Templates(directory=HERE / "templates")


def _public(module: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(module).items() if k.isupper()}


# The templates' words: the console's own, and the few it shares with the chat (states, roles).
templates.env.globals["t"] = SimpleNamespace(**_public(texts), **_public(webtexts))


def _day_shown(iso: str | None) -> str:
    """An ISO date as «05/03/2025» (what cannot be read, as it is)."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""
    except ValueError:
        return iso or ""


@pass_context
def _local(context: Any, stamp: str | None, ago: bool = False) -> str:
    """A stored UTC stamp as people read it: «14:05 03/12/2026» in LOA_TZ, with «(2 giờ trước)» when ``ago``
    and it is within a week (what cannot be read, as it is)."""
    if not stamp:
        return ""
    app = context["request"].app.state.loa
    when = shown(stamp, app.settings.zone)
    if not ago or when == stamp:
        return when
    moment = datetime.fromisoformat(stamp)
    relative = webtexts.ago(app.clock() - (moment if moment.tzinfo else moment.replace(tzinfo=UTC)))
    return f"{when} ({relative})" if relative else when


templates.env.filters["local"] = _local
templates.env.filters["day"] = _day_shown
templates.env.filters["cut"] = cut
STATES = ("submitted", "accepted", "returned", "withdrawn")


def _app(request: Request) -> App:
    return request.app.state.loa


async def _who(request: Request) -> Visitor:
    """The signed-in officer, or the login page (401) for anyone else."""
    found = await visitor(_app(request), request.cookies.get(COOKIE))
    if found is None:
        raise HTTPException(401)
    return found


async def _checked(request: Request) -> tuple[Visitor, Any]:
    """A POST: the visitor and its form, after the CSRF token (403 without it)."""
    who = await _who(request)
    form = await request.form()
    if not csrf_ok(who, str(form.get("csrf") or "")):
        raise HTTPException(403)
    return who, form


def _page(
    request: Request, name: str, who: Visitor | None, status: int = 200, **context: Any
) -> HTMLResponse:
    scope = _app(request).units.get(who.actor.unit_code) if who and who.actor.unit_code else None
    notice = getattr(request.state, "notice", "")
    shown = {"who": who, "scope": scope, "path": request.url.path, "page_notice": notice,
             "flash": _flash(request, who), **context}  # fmt: skip
    return templates.TemplateResponse(request, name, shown, status_code=status)


def _back(who: Visitor, url: str, message: str = "") -> RedirectResponse:
    """Back to ``url``, with ``message`` shown there: signed with the visitor's session, so that a link made
    by someone else cannot put words in the console's mouth."""
    from urllib.parse import quote

    if not message:
        return RedirectResponse(url, 303)
    joint = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{joint}tb={quote(message)}&k={_signed(who, message)}", 303)


def _signed(who: Visitor, message: str) -> str:
    return hmac.new(who.csrf.encode(), message.encode(), hashlib.sha256).hexdigest()[:24]


def _flash(request: Request, who: Visitor | None) -> str:
    """The message a redirect of this session asked to show, else nothing."""
    message, mark = request.query_params.get("tb", ""), request.query_params.get("k", "")
    if who is None or not message or not hmac.compare_digest(mark, _signed(who, message)):
        return ""
    return message


# -- signing in and out --------------------------------------------------------------------------------------
async def login_page(request: Request) -> HTMLResponse:
    return _page(request, "login.html", None)


async def login_with_link(request: Request) -> Response:
    app = _app(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "-"
    wait = throttle.wait(address, app.clock())
    if wait is not None:
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        notice = webtexts.WEB_LOGIN_THROTTLED.format(minutes=minutes)
        return _page(request, "login.html", None, status=429, notice=notice)
    opened = await open_session(app, request.path_params["token"])
    if opened is None:
        throttle.failed(address, app.clock())
        return _page(request, "login.html", None, status=403, notice=webtexts.WEB_LINK_USED)
    session_id, _visitor = opened
    response = RedirectResponse("/", 303)
    secure = (app.settings.web_url or "").startswith("https://") or request.url.scheme == "https"
    response.set_cookie(
        COOKIE, session_id, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax", secure=secure
    )
    return response


async def logout(request: Request) -> Response:
    who, _form = await _checked(request)
    await _app(request).db.web.end_session(who.session_id)
    await _app(request).db.audit.add(who.actor.key, "web.logout", {})
    response = RedirectResponse("/dang-nhap", 303)
    response.delete_cookie(COOKIE)
    return response


# -- overview ------------------------------------------------------------------------------------------------
async def overview(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    period = reports.period_of("quy", app.today())
    stats = await reports.compute(app, period, who.actor.unit_code or "")
    groups = await inbox.open_groups(app, who.actor.unit_code, shown=5)
    broadcasts = await audiences.followed(app, who.actor, 5)
    return _page(request, "overview.html", who, stats=stats, groups=groups[:5], waiting=len(groups),
                 broadcasts=broadcasts)  # fmt: skip


async def chart(request: Request) -> Response:
    who = await _who(request)
    app = _app(request)
    stats = await reports.compute(app, reports.period_of("quy", app.today()), who.actor.unit_code or "")
    return Response(reports.chart_png(stats), media_type="image/png", headers={"Cache-Control": "no-store"})


# -- reports -------------------------------------------------------------------------------------------------
def _period(request: Request, name: str) -> reports.Period:
    """The period a page was asked for; one that cannot be read shows this quarter, saying so."""
    app = _app(request)
    try:
        return reports.period_of(request.query_params.get(name) or "quy", app.today())
    except reports.PeriodError:
        request.state.notice = webtexts.WEB_BAD_PERIOD
        return reports.period_of("quy", app.today())


def _strict_period(request: Request, name: str) -> reports.Period:
    """A file's period: one that cannot be read is refused (400), never another period's file."""
    try:
        return reports.period_of(request.query_params.get(name) or "quy", _app(request).today())
    except reports.PeriodError:
        raise HTTPException(400) from None


async def _reports_of(request: Request, who: Visitor) -> tuple[reports.Period, list[Any]]:
    app = _app(request)
    q = request.query_params
    period = _period(request, "quy")
    rows = await app.db.reports.listing(period.start.isoformat(), period.end.isoformat())
    rows = [r for r in rows if review.in_scope(app, r, who.actor.unit_code)]
    if q.get("xa"):
        rows = [r for r in rows if r.commune_code == q["xa"]]
    if q.get("trang-thai") in STATES:
        rows = [r for r in rows if r.state == q["trang-thai"]]
    if q.get("hinh-thuc"):
        rows = [r for r in rows if r.form == q["hinh-thuc"]]
    return period, rows


async def report_list(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    period, rows = await _reports_of(request, who)
    communes = [c for c in app.units.communes() if app.units.in_scope(c.code, who.actor.unit_code or "")]
    forms = {f.id: f.label for f in app.content.report_forms}
    return _page(request, "reports.html", who, period=period, rows=rows, communes=communes, forms=forms,
                 states=STATES, query=request.query_params, units=app.units,
                 periods=_periods(app, period))  # fmt: skip


async def report_detail(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    report = await app.db.reports.with_reporter(request.path_params["id"])
    if report is None or not review.in_scope(app, report, who.actor.unit_code):
        raise HTTPException(404)
    # What the report says, field by field as bot/report_fields.py declares them.
    fields = [(f.label, f.show(app, report)) for f in report_fields.FIELDS if f.summary]
    return _page(request, "report.html", who, report=report, fields=fields, what=review.describe(app, report))


async def report_accept(request: Request) -> Response:
    who, _form = await _checked(request)
    report_id = request.path_params["id"]
    try:
        await review.accept(_app(request), report_id, who.actor.key, who.actor.unit_code)
    except review.ReviewError as exc:
        return _back(who, f"/bao-cao/{report_id}", str(exc))
    return _back(who, f"/bao-cao/{report_id}", texts.REVIEW_ACCEPTED.format(id=report_id))


async def report_return(request: Request) -> Response:
    who, form = await _checked(request)
    report_id = request.path_params["id"]
    try:
        await review.send_back(
            _app(request), report_id, str(form.get("reason") or ""), who.actor.key, who.actor.unit_code
        )
    except review.ReviewError as exc:
        return _back(who, f"/bao-cao/{report_id}", str(exc))
    return _back(who, f"/bao-cao/{report_id}", texts.REVIEW_SENT_BACK.format(id=report_id))


async def report_download(request: Request) -> Response:
    who = await _who(request)
    app = _app(request)
    period = _strict_period(request, "quy")
    fmt = "csv" if request.query_params.get("dinh-dang") == "csv" else "xlsx"
    unit = request.query_params.get("don-vi") or None  # one commune of the officer's scope
    made = await reports.export(app, who.actor, period, fmt, unit, via="web")
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.name}"'},
    )


# -- the pulse of public opinion ----------------------------------------------------------------------------
def _periods(app: App, chosen: reports.Period) -> list[tuple[str, str]]:
    """The periods an officer picks from: this and last month, this quarter and the four before it (and the
    one shown, when an older one was asked for)."""
    today = app.today()
    month = reports.period_of("thang", today)
    last_month = reports.previous(month) or month
    choices = [(month.key, webtexts.WEB_PERIOD_MONTH), (last_month.key, webtexts.WEB_PERIOD_LAST_MONTH)]
    quarter = reports.period_of("quy", today)
    choices.append((quarter.key, webtexts.WEB_PERIOD_QUARTER.format(label=quarter.label)))
    for _ in range(4):
        quarter = reports.previous(quarter) or quarter
        choices.append((quarter.key, quarter.label))
    if chosen.key not in dict(choices):
        choices.append((chosen.key, chosen.label))
    return choices


async def _pulse(request: Request, who: Visitor) -> opinion.Pulse:
    app = _app(request)
    period = _period(request, "ky")
    return await opinion.pulse(app, who.actor, period, request.query_params.get("xa") or None)


async def opinion_page(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    pulse = await _pulse(request, who)
    communes = [c for c in app.units.communes() if app.units.in_scope(c.code, who.actor.unit_code or "")]
    periods = _periods(app, pulse.period)
    return _page(request, "opinion.html", who, pulse=pulse, periods=periods, communes=communes,
                 query=request.query_params, change=opinion.change)  # fmt: skip


async def opinion_chart(request: Request) -> Response:
    who = await _who(request)
    png = opinion.chart_png(await _pulse(request, who))
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


async def opinion_download(request: Request) -> Response:
    who = await _who(request)
    app = _app(request)
    q = request.query_params
    period = _strict_period(request, "ky")
    fmt = "xlsx" if q.get("dinh-dang") == "xlsx" else "docx"
    made = await opinion.report_file(app, who.actor, period, fmt, q.get("xa") or None, via="web")
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.name}"'},
    )


# -- the inbox -----------------------------------------------------------------------------------------------
async def inbox_page(
    request: Request, typed: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """The open groups; ``typed``: the group whose answer form comes back filled (its error or preview)."""
    who = await _who(request)
    app = _app(request)
    groups = await inbox.open_groups(app, who.actor.unit_code)
    if typed and typed.get("error") and typed.get("group") not in {g.id for g in groups}:
        # Closed meanwhile (answered or dismissed by someone else): say so, and keep what was typed.
        request.state.notice = webtexts.WEB_INBOX_GONE.format(error=typed["error"], answer=typed["answer"])
    titles = {g.id: inbox.suggested_title(app, g.questions) for g in groups}
    entries = sorted(app.content.faq, key=lambda e: e.questions[0])
    return _page(request, "inbox.html", who, status=status, groups=groups, titles=titles, entries=entries,
                 sources=list(inbox.source_choices(app)), typed=typed or {})  # fmt: skip


async def inbox_action(request: Request) -> Response:
    who, form = await _checked(request)
    app = _app(request)
    group_id, action = request.path_params["id"], request.path_params["action"]
    scope = who.actor.unit_code
    try:
        if action == "tra-loi":
            return await _inbox_answer(request, who, form, group_id)
        if action == "gan":
            told = await inbox.attach(app, group_id, str(form.get("entry") or ""), who.actor.key, scope)
            entry = app.content.entry(str(form.get("entry") or ""))
            title = entry.questions[0] if entry else ""
            message = texts.INBOX_ATTACHED.format(id=group_id, entry=title, told=told)
        elif action == "bo-qua":
            await inbox.dismiss(app, group_id, who.actor.key, scope)
            message = texts.INBOX_DISMISSED.format(id=group_id)
        else:
            raise HTTPException(404)
    except inbox.InboxError as exc:
        message = str(exc)
    return _back(who, "/cau-hoi", message)


async def _inbox_answer(request: Request, who: Visitor, form: Any, group_id: int) -> Response:
    """Preview or send an answer; on any refusal the form comes back as typed, with the reason."""
    app = _app(request)
    title, text = str(form.get("title") or ""), str(form.get("answer") or "")
    typed: dict[str, Any] = {"group": group_id, "title": title, "answer": text,
                             "source": str(form.get("source") or "")}  # fmt: skip
    scope = who.actor.unit_code
    try:
        source = inbox.source_named(app, typed["source"])
        if form.get("action") == "xem":
            typed["preview"] = await inbox.preview(app, group_id, text, source, scope, title)
            return await inbox_page(request, typed)
        _entry_id, told = await inbox.answer(app, group_id, text, source, who.actor.key, scope, title)
    except inbox.InboxError as exc:
        typed["error"] = str(exc)
        return await inbox_page(request, typed, status=400)
    return _back(who, "/cau-hoi", webtexts.WEB_INBOX_ANSWERED.format(id=group_id, told=told))


# -- content: documents --------------------------------------------------------------------------------------
async def content_page(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    rows = documents.listing(app.content, app.today())
    may_import = imports.province_officer(app, who.actor)
    names = {d.id: d.name() for d in app.content.documents.values()}
    return _page(request, "content.html", who, rows=rows, may_import=may_import, names=names,
                 limit=documents.MAX_BYTES // 1024 // 1024)  # fmt: skip


async def content_upload(request: Request) -> Response:
    who = await _who(request)
    app = _app(request)
    if not imports.province_officer(app, who.actor):
        raise NotAllowed(webtexts.WEB_UPLOAD_ONLY_PROVINCE)
    length = int(request.headers.get("content-length") or 0)
    if length > documents.MAX_BYTES + 100_000:  # refused before a byte of it is read
        mb = documents.MAX_BYTES // 1024 // 1024
        return _back(who, "/noi-dung", texts.IMPORT_TOO_BIG.format(size=length / 1024 / 1024, limit=mb))
    form = await request.form(max_part_size=documents.MAX_BYTES + 1)
    if not csrf_ok(who, str(form.get("csrf") or "")):
        raise HTTPException(403)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        return _back(who, "/noi-dung", texts.IMPORT_NO_TEXT)
    try:
        data = await upload.read(documents.MAX_BYTES + 1)
        staged = await imports.stage(app, data, upload.filename or "van-ban", who.actor.key)
    except documents.ImportFailed as exc:
        return _back(who, "/noi-dung", texts.IMPORT_FAILED.format(reason=exc))
    return _page(request, "import.html", who, staged=staged, summary=staged.imported.summary())


async def _editor(request: Request) -> tuple[Visitor, Any, App]:
    """A POST that changes content: CSRF checked, and an officer of the province or an admin (else 403)."""
    who, form = await _checked(request)
    app = _app(request)
    if not imports.province_officer(app, who.actor):
        raise NotAllowed(webtexts.WEB_FAQ_READ_ONLY)
    return who, form, app


async def content_confirm(request: Request) -> Response:
    who, form, app = await _editor(request)
    token = request.path_params["token"]
    try:
        if form.get("action") == "huy":
            imports.cancel(app, token, who.actor.key)
            return _back(who, "/noi-dung", texts.IMPORT_CANCELLED)
        imported, errors = await imports.confirm(app, token, who.actor)
    except imports.Stale:
        return _back(who, "/noi-dung", texts.IMPORT_STALE)
    except documents.ImportFailed as exc:
        return _back(who, "/noi-dung", texts.IMPORT_FAILED.format(reason=exc))
    if errors:
        return _back(who, "/noi-dung", texts.IMPORT_DONE_NOT_LIVE.format(id=imported.id, error=errors[0]))
    doc = app.content.documents.get(imported.id)
    name = doc.name() if doc else imported.data["title"]
    return _back(who, "/noi-dung", texts.IMPORT_DONE.format(id=name, title=imported.data["title"]))


async def document_validity(request: Request) -> Response:
    who, form, app = await _editor(request)
    doc_id = request.path_params["doc"]
    try:
        await faq_edit.set_validity(
            app, doc_id, str(form.get("valid_until") or ""), str(form.get("replaced_by") or ""), who.actor.key
        )
    except faq_edit.EditRefused as exc:
        return _back(who, "/noi-dung", "; ".join(exc.errors.values()))
    doc = app.content.documents.get(doc_id)
    return _back(who, "/noi-dung", webtexts.WEB_VALIDITY_SAVED.format(id=doc.name() if doc else doc_id))


# -- content: FAQ entries ------------------------------------------------------------------------------------
async def faq_list(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    q = request.query_params.get("q", "").strip()[:200]
    entries = (
        [c.entry for c in app.kb.rank(q, limit=20)] if q else sorted(app.content.faq, key=lambda e: e.id)
    )
    return _page(request, "faq_list.html", who, entries=entries[:100], q=q,
                 may_edit=imports.province_officer(app, who.actor))  # fmt: skip


def _form_of(app: App, entry: Any) -> dict[str, str]:
    if entry is None:
        return {}
    source = inbox.source_label(app, entry.source)
    return {"answer": entry.answer, "questions": "\n".join(entry.questions), "source": source}


async def faq_entry(request: Request) -> Response:
    who = await _who(request)
    app = _app(request)
    entry_id = request.path_params["entry"]
    entry = None if entry_id == "moi" else app.content.entry(entry_id)
    if entry_id != "moi" and entry is None:
        raise HTTPException(404)
    may_edit = imports.province_officer(app, who.actor)
    shown: dict[str, Any] = {"entry": entry, "may_edit": may_edit, "sources": list(inbox.source_choices(app))}
    if request.method == "GET":
        return _page(request, "faq_entry.html", who, form=_form_of(app, entry), errors={}, **shown)
    who, form, app = await _editor(request)
    typed = {k: str(form.get(k) or "") for k in ("answer", "questions", "source")}
    try:
        source = inbox.source_named(app, typed["source"])
        picked = typed | {"source": f"{source.document}:{source.section}" if source else ""}
        if entry is None:
            entry_id = await faq_edit.add(app, picked, who.actor.key)
            message = webtexts.WEB_FAQ_ADDED
        elif form.get("action") == "nghi":
            await faq_edit.retire(app, entry_id, who.actor.key)
            message = webtexts.WEB_FAQ_RETIRED
        else:
            await faq_edit.save(app, entry_id, picked, who.actor.key)
            message = webtexts.WEB_FAQ_SAVED
    except inbox.InboxError as exc:
        return _page(
            request, "faq_entry.html", who, status=400, form=typed, errors={"source": str(exc)}, **shown
        )
    except faq_edit.EditRefused as exc:
        return _page(request, "faq_entry.html", who, status=400, form=typed, errors=exc.errors, **shown)
    saved = app.content.entry(entry_id)
    return _back(
        who, f"/noi-dung/hoi-dap/{entry_id}", message.format(entry=saved.questions[0] if saved else "")
    )


# -- broadcasts ----------------------------------------------------------------------------------------------
def _places(app: App, who: Visitor) -> list[tuple[Any, list[Any]]]:
    """The communes of the officer's scope, each with its villages (a commune's officer: their own)."""
    scope = who.actor.unit_code or ""
    communes = [c for c in app.units.communes() if app.units.in_scope(c.code, scope)]
    return [(c, app.units.villages(c.code)) for c in communes]


async def _broadcasts_shown(app: App, who: Visitor) -> dict[str, Any]:
    """The progress rows, which of them the officer may take back, and whether anything sends now."""
    rows = (await audiences.followed(app, who.actor, 20))[:20]
    cancellable = {r.id for r in rows if await outbox.may_cancel(app, who.actor, r)}
    return {"rows": rows, "cancellable": cancellable, "sending": await outbox.sending_channels(app)}


@dataclass
class _Draft:
    """A broadcast as typed in the form: what comes back filled on a refusal or «Sửa»."""

    text: str = ""
    at: str = ""
    units: list[str] = field(default_factory=list)
    groups_only: bool = False
    chosen: bool = False  # «the places chosen below» rather than the whole scope

    @classmethod
    def of(cls, form: Any) -> _Draft:
        chosen = form.get("noi-nhan") == "chon"
        units = [str(u) for u in form.getlist("don-vi")] if chosen else []
        text = str(form.get("text") or "")
        return cls(text, str(form.get("at") or ""), units, form.get("chi-nhom") == "1", chosen)


async def broadcast_page(
    request: Request, draft: _Draft | None = None, error: str = "", status: int = 200
) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    count = len(await audiences.select(app, audiences.of_officer(app, who.actor)))
    return _page(request, "broadcast.html", who, status=status, count=count, limit=outbox.MAX_TEXT,
                 places=_places(app, who), draft=draft or _Draft(), error=error,
                 **await _broadcasts_shown(app, who))  # fmt: skip


def _when(app: App, raw: str) -> datetime | None:
    """The send time picked in the form (local time), not before now; None for now."""
    if not raw:
        return None
    try:
        at = datetime.fromisoformat(raw).replace(tzinfo=app.settings.zone)
    except ValueError:
        raise BadInput(webtexts.WEB_BAD_TIME) from None
    return max(at, app.clock())


def _aim_shown(app: App, units: list[str], groups_only: bool) -> str:
    names = [u.name for code in units if (u := app.units.get(code)) is not None]
    where = ", ".join(names) if names else webtexts.WEB_WHOLE_SCOPE
    return where + (webtexts.WEB_GROUPS_ONLY_SHOWN if groups_only else "")


async def broadcast_preview(request: Request) -> Response:
    who, form = await _checked(request)
    app = _app(request)
    draft = _Draft.of(form)
    try:
        if draft.chosen and not draft.units:
            raise BadInput(webtexts.WEB_PICK_PLACES)
        at = _when(app, draft.at)
        ok = await outbox.check(app, who.actor, draft.text, at, draft.units, groups_only=draft.groups_only)
    except LoaError as exc:
        return await broadcast_page(request, draft, exc.message, status=HTTP_STATUS[exc.kind])
    return _page(request, "broadcast_preview.html", who, text=ok.text, at=at and ok.at, draft=draft,
                 count=ok.count, nonce=secrets.token_urlsafe(12),
                 aim=_aim_shown(app, draft.units, draft.groups_only),
                 sending=await outbox.sending_channels(app))  # fmt: skip


async def broadcast_edit(request: Request) -> Response:
    """«Sửa» on the preview: the form again, as it was typed."""
    _visitor, form = await _checked(request)
    return await broadcast_page(request, _Draft.of(form))


def _send_key(who: Visitor, form: Any) -> str:
    """The broadcast's key from the preview's nonce: a form sent twice is one broadcast (400 if forged)."""
    nonce = str(form.get("nonce") or "")
    if not (nonce.replace("-", "").replace("_", "").isalnum() and len(nonce) <= 64):
        raise HTTPException(400)
    return f"web:{who.actor.key}:{nonce}"


async def _queued_said(app: App, queued: outbox.Queued) -> str:
    """What the officer is told of a broadcast queued (or queued before), and whether anything sends now."""
    said = webtexts.WEB_QUEUED if queued.created else webtexts.WEB_QUEUED_BEFORE
    message = said.format(count=queued.count, id=queued.id)
    if queued.created and not await outbox.sending_channels(app):
        message += " " + webtexts.WEB_NOT_SENDING
    return message


async def broadcast_send(request: Request) -> Response:
    who, form = await _checked(request)
    app = _app(request)
    key = _send_key(who, form)
    draft = _Draft.of(form)
    try:
        queued = await outbox.queue(app, who.actor, draft.text, key, _when(app, draft.at), draft.units,
                                    groups_only=draft.groups_only)  # fmt: skip
    except LoaError as exc:
        return await broadcast_page(request, draft, exc.message, status=HTTP_STATUS[exc.kind])
    return _back(who, "/phat-thanh", await _queued_said(app, queued))


async def broadcast_cancel(request: Request) -> Response:
    who, _form = await _checked(request)
    try:
        done = await outbox.cancel(_app(request), who.actor, request.path_params["id"])
    except LoaError as exc:
        return _back(who, "/phat-thanh", exc.message)
    return _back(who, "/phat-thanh", done.said)


# -- the loudspeaker bulletin -------------------------------------------------------------------------------
async def bulletin_page(
    request: Request,
    made: Any = None,
    error: str = "",
    listen: str = "",
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Build a bulletin from a talking point, a document or one's own text; edit, listen, send."""
    who = await _who(request)
    app = _app(request)
    return _page(request, "bulletin.html", who, status=status, sources=list(bulletin.sources(app)), made=made,
                 error=error, listen=listen, typed=typed or {}, nonce=secrets.token_urlsafe(12),
                 sending=await outbox.sending_channels(app))  # fmt: skip


async def bulletin_build(request: Request) -> Response:
    _visitor, form = await _checked(request)
    app = _app(request)
    typed = {k: str(form.get(k) or "") for k in ("nguon", "text", "title")}
    try:
        source = bulletin.sources(app).get(typed["nguon"].strip(), typed["nguon"].strip())
        if not typed["text"].strip() and not source:
            raise BadInput(webtexts.WEB_BULLETIN_WHAT)
        made = bulletin.from_source(app, source, typed["text"], typed["title"])
    except LoaError as exc:
        return await bulletin_page(request, error=exc.message, typed=typed, status=HTTP_STATUS[exc.kind])
    return await bulletin_page(request, made, typed=typed)


async def bulletin_listen(request: Request) -> Response:
    _visitor, form = await _checked(request)
    app = _app(request)
    title = str(form.get("title") or "")
    try:
        made = bulletin.edited(app.content, title, str(form.get("script") or ""))
        path = await bulletin.audio(app, made, "mp3")
    except LoaError as exc:
        return await bulletin_page(request, error=exc.message, status=HTTP_STATUS[exc.kind])
    return await bulletin_page(request, made, listen=path.name)


async def bulletin_file(request: Request) -> Response:
    await _who(request)
    path = bulletin.audio_path(_app(request), request.path_params["key"], request.path_params["fmt"])
    if path is None:
        raise HTTPException(404)
    media = tts.FORMATS[request.path_params["fmt"]][0]
    return FileResponse(path, media_type=media, headers={"Cache-Control": "private, max-age=3600"})


async def bulletin_send(request: Request) -> Response:
    """To the officer's scope through the broadcast engine: the script as text, and its voice message."""
    who, form = await _checked(request)
    app = _app(request)
    key = _send_key(who, form)
    title = str(form.get("title") or "")
    try:
        made = bulletin.edited(app.content, title, str(form.get("script") or ""))
        path = await bulletin.audio(app, made, "ogg")
        queued = await outbox.queue(app, who.actor, made.script, key, audio=path.stem)
    except LoaError as exc:
        return await bulletin_page(request, error=exc.message, status=HTTP_STATUS[exc.kind])
    return _back(who, "/phat-thanh", await _queued_said(app, queued))


# -- the audit log -------------------------------------------------------------------------------------------
def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None  # a date the picker did not make: no limit (the field shows it is empty)


async def audit_page(request: Request) -> HTMLResponse:
    who = await _who(request)
    app = _app(request)
    q = request.query_params
    wanted = auditlog.Filter(
        q.get("nguoi") or None, q.get("viec") or None, _day(q.get("tu")), _day(q.get("den"))
    )
    lines = await auditlog.lines(app, who.actor, wanted)
    people = await auditlog.people(app, who.actor)
    return _page(request, "audit.html", who, lines=lines, people=people, kinds=auditlog.KINDS, wanted=wanted)


# -- errors --------------------------------------------------------------------------------------------------
async def _error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 401:
        return _page(request, "login.html", None, status=401)
    return _page(request, "error.html", None, status=status, status_code=status)


async def _refused(request: Request, exc: Exception) -> Response:
    """A use case's refusal that no page turned into a flash: its line, with its kind's HTTP status."""
    status = HTTP_STATUS[exc.kind] if isinstance(exc, LoaError) else 500
    message = exc.message if isinstance(exc, LoaError) else ""
    return _page(request, "error.html", None, status=status, status_code=status, message=message)


ERRORS = {HTTPException: _error, LoaError: _refused}
