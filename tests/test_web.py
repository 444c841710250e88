"""The officers' web console over real HTTP (uvicorn on 127.0.0.1): login by a one-time link, sessions, CSRF,
role and scope on every page and action."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import socket
from pathlib import Path

import httpx
import openpyxl
import pytest

from bot import inbox, texts
from bot.app import App
from bot.core import Incoming
from bot.logins import LinkRefused, issue_link
from bot.router import Router
from bot.web.texts import WEB_FAQ_READ_ONLY, WEB_LINK_USED, WEB_STATES_DOC, WEB_UPLOAD_ONLY_PROVINCE
from tests.helpers import console_people, loa, register_person


@contextlib.asynccontextmanager
async def _signed_in(app: App, base: str, actor: str):
    link = await issue_link(app, actor)
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.get(link.replace(base, ""))
        assert response.status_code == 303 and response.headers["location"] == "/"
        yield client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def _broadcast(client: httpx.AsyncClient, text: str) -> None:
    """Compose, preview and send a broadcast on the console, as an officer does."""
    page = await client.get("/phat-thanh")
    preview = await client.post("/phat-thanh/xem-truoc", data={"csrf": _csrf(page.text), "text": text})
    form = dict(re.findall(r'name="(csrf|text|at|nonce)" value="([^"]*)"', preview.text))
    assert (await client.post("/phat-thanh/gui", data=form)).status_code == 303


async def test_login_by_link_once_and_never_expired(console, clock) -> None:
    app, base = console
    await console_people(app)
    link = await issue_link(app, "telegram:o1")
    assert link.startswith(base + "/dang-nhap/")
    async with httpx.AsyncClient(base_url=base) as client:
        first = await client.get(link.replace(base, ""))
        assert first.status_code == 303
        cookie = first.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=43200" in cookie
        home = await client.get("/")
        assert home.status_code == 200 and "Tổng quan" in home.text and "Xã Bản Hon" in home.text
        again = await httpx.AsyncClient(base_url=base).get(link.replace(base, ""))
        assert again.status_code == 403 and WEB_LINK_USED in again.text
    late = await issue_link(app, "telegram:o1")
    clock.advance(minutes=11)
    expired = await httpx.AsyncClient(base_url=base).get(late.replace(base, ""))
    assert expired.status_code == 403 and "Đăng nhập" in expired.text
    with pytest.raises(LinkRefused):
        await issue_link(app, "telegram:p1")  # a propagandist


async def test_no_session_means_the_login_page(console) -> None:
    _app, base = console
    async with httpx.AsyncClient(base_url=base) as client:
        for path in (
            "/",
            "/bao-cao",
            "/bao-cao/1",
            "/cau-hoi",
            "/nhat-ky",
            "/bieu-do.png",
            "/bao-cao/tai-ve",
        ):
            page = await client.get(path)
            assert page.status_code == 401 and "/web" in page.text, path
        forged = await client.post("/bao-cao/1/nhan", data={"csrf": "x"})
        assert forged.status_code == 401


async def test_every_post_needs_its_csrf_token(console) -> None:
    app, base = console
    await console_people(app)
    async with _signed_in(app, base, "telegram:o1") as client:
        page = await client.get("/bao-cao/1")
        assert page.status_code == 200 and "45 người" in page.text
        assert (await client.post("/bao-cao/1/nhan")).status_code == 403
        assert (await client.post("/bao-cao/1/nhan", data={"csrf": "doan-bua"})).status_code == 403
        assert (await app.db.reports.get(1)).state == "submitted"
        done = await client.post("/bao-cao/1/nhan", data={"csrf": _csrf(page.text)})
        assert done.status_code == 303 and (await app.db.reports.get(1)).state == "accepted"
        assert any(
            e.action == "report.accept" and e.actor == "telegram:o1" for e in await app.db.audit.latest()
        )
        out = await client.post("/dang-xuat", data={"csrf": _csrf(page.text)})
        assert out.status_code == 303
        assert (await client.get("/")).status_code == 401


async def test_another_communes_report_is_not_there(console) -> None:
    app, base = console
    await console_people(app)
    async with _signed_in(app, base, "telegram:o2") as client:  # Xã Bình Lư
        assert (await client.get("/bao-cao/1")).status_code == 404
        listing = await client.get("/bao-cao")
        assert "Nà Tăm" not in listing.text and "45" not in re.sub(r"<[^>]+>", " ", listing.text).split()
        page = await client.get("/")
        refused = await client.post(
            "/bao-cao/1/tra-lai", data={"csrf": _csrf(page.text), "reason": "Sai số liệu"}
        )
        assert refused.status_code == 303 and "Kh%C3%B4ng" in refused.headers["location"]
        assert (await app.db.reports.get(1)).state == "submitted"
        download = await client.get("/bao-cao/tai-ve?dinh-dang=csv")
        assert download.status_code == 200 and "Nà Tăm" not in download.content.decode("utf-8-sig")
        # Another commune's export, asked for by its code: the use case's refusal, with its status.
        other = await client.get("/bao-cao/tai-ve?dinh-dang=csv&don-vi=12-003")
        assert other.status_code == 403 and "ngoài phạm vi phụ trách" in other.text
        assert (await client.get("/bao-cao/tai-ve?don-vi=99-999")).status_code == 404


async def test_returning_a_report_on_the_web_tells_the_reporter(console) -> None:
    app, base = console
    await console_people(app)
    async with _signed_in(app, base, "telegram:o1") as client:
        page = await client.get("/bao-cao/1")
        back = await client.post(
            "/bao-cao/1/tra-lai", data={"csrf": _csrf(page.text), "reason": "Ghi thiếu chủ đề"}
        )
        assert back.status_code == 303
    [notice] = await app.db.broadcasts.pending("9999")
    assert notice.external_id == "cp1" and "Ghi thiếu chủ đề" in notice.text and "rm:edit:1" in notice.buttons


def test_loa_web_link_refuses_anyone_but_officers(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "l.db"), "LOA_ADMINS": "telegram:9"}
    ok = loa("web", "link", "--user", "telegram:9", env=env, cwd=tmp_path)
    assert ok.returncode == 0 and "/dang-nhap/" in ok.stdout
    refused = loa("web", "link", "--user", "telegram:8", env=env, cwd=tmp_path)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    no_port = loa("web", env=env, cwd=tmp_path)
    assert no_port.returncode == 2 and "LOA_WEB_PORT" in no_port.stderr


async def test_slash_web_gives_officers_a_link_in_private_only(console) -> None:
    from bot.core import Incoming

    app, base = console
    router = await console_people(app)
    [mine] = await router.handle(Incoming("telegram", "co1", "o1", text="/web"))
    assert f"{base}/dang-nhap/" in mine.text
    [group] = await router.handle(Incoming("telegram", "-5", "o1", "group", text="/web"))
    assert base not in group.text and "/web" in group.text
    [refused] = await router.handle(Incoming("telegram", "cp1", "p1", text="/web"))
    assert base not in refused.text
    link = re.search(r"(/dang-nhap/\S+)", mine.text).group(1)
    async with httpx.AsyncClient(base_url=base) as client:
        assert (await client.get(link)).status_code == 303


def test_loa_web_on_a_taken_port_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"LOA_DB": str(tmp_path / "p.db"), "LOA_WEB_PORT": str(port)}
        out = loa("web", env=env, cwd=tmp_path)
    assert out.returncode == 2 and "LOA_WEB_PORT" in out.stderr and "Traceback" not in out.stderr


async def test_a_document_uploaded_is_shown_then_imported_and_answers(console) -> None:
    from tests import docgen

    app, base = console
    await console_people(app)
    await register_person(app, Router(app), "o9", role="officer", unit="12")  # the province
    source = (Path(__file__).parent / "data" / "hd-42-2025.txt").read_text(encoding="utf-8")
    files = {"file": ("hd-42.docx", docgen.docx_bytes(source), "application/octet-stream")}
    async with _signed_in(app, base, "telegram:o1") as commune:
        page = await commune.get("/noi-dung")
        title = app.content.documents["hd-ktxh-2023"].title
        assert (
            title in page.text and "hd-ktxh-2023" not in page.text and WEB_UPLOAD_ONLY_PROVINCE in page.text
        )
        refused = await commune.post("/noi-dung/tai-len", data={"csrf": _csrf(page.text)}, files=files)
        assert refused.status_code == 403
    async with _signed_in(app, base, "telegram:o9") as province:
        page = await province.get("/noi-dung")
        assert (await province.post("/noi-dung/tai-len", files=files)).status_code == 403  # no CSRF token
        scanned = {"file": ("quet.pdf", docgen.scanned_pdf_bytes(), "application/pdf")}
        bad = await province.post("/noi-dung/tai-len", data={"csrf": _csrf(page.text)}, files=scanned)
        assert bad.status_code == 303 and "OCR" in httpx.URL(bad.headers["location"]).params["tb"]
        preview = await province.post("/noi-dung/tai-len", data={"csrf": _csrf(page.text)}, files=files)
        assert preview.status_code == 200 and "42-HD/BTGTU" in preview.text
        assert "ngày 15 tháng 01 năm 2025" in preview.text and "Nguyễn Văn Thử" in preview.text
        assert not (Path(app.settings.content_dir) / "documents" / "42-hd-btgtu.yaml").exists()
        action = re.search(r'action="(/noi-dung/nhap/[^"]+)"', preview.text).group(1)
        done = await province.post(action, data={"csrf": _csrf(preview.text), "action": "nhap"})
        assert (
            done.status_code == 303
            and "HD số 42-HD/BTGTU" in httpx.URL(done.headers["location"]).params["tb"]
        )
        again = await province.post(action, data={"csrf": _csrf(preview.text), "action": "nhap"})
        assert texts.IMPORT_STALE in httpx.URL(again.headers["location"]).params["tb"]
        listed = await province.get("/noi-dung")
        assert "42-HD/BTGTU" in listed.text
    [reply] = await Router(app).handle(
        Incoming("telegram", "cx", "x", text="thu nhap binh quan dau nguoi 2024")
    )
    assert "52,3 triệu" in reply.text
    assert any(e.action == "content.import" and e.actor == "telegram:o9" for e in await app.db.audit.latest())


async def test_a_broadcast_is_previewed_then_sent_once_to_the_officers_scope(console) -> None:
    app, base = console
    await console_people(app)
    async with _signed_in(app, base, "telegram:o1") as client:
        page = await client.get("/phat-thanh")
        assert "Cả phạm vi phụ trách (2 nơi nhận)" in page.text  # the two registered people of Xã Bản Hon
        text = "Tối nay 19 giờ họp bản bàn về làm đường; =1+1 <b>không</b> phải mã."
        assert (await client.post("/phat-thanh/xem-truoc", data={"text": text})).status_code == 403
        preview = await client.post("/phat-thanh/xem-truoc", data={"csrf": _csrf(page.text), "text": text})
        assert preview.status_code == 200 and "&lt;b&gt;không&lt;/b&gt;" in preview.text
        fields = dict(re.findall(r'name="(csrf|text|at|nonce)" value="([^"]*)"', preview.text))
        import html as html_lib

        fields = {k: html_lib.unescape(v) for k, v in fields.items()}
        sent = await client.post("/phat-thanh/gui", data=fields)
        again = await client.post("/phat-thanh/gui", data=fields)  # the same form twice
        assert sent.status_code == again.status_code == 303
    [row] = await app.db.broadcasts.progress()
    assert row.total == 2 and row.units == ["12-003"] and row.created_by == "telegram:o1"
    due = await app.db.broadcasts.pending("9999")
    assert {d.text for d in due} == {text}


async def test_an_faq_answer_edited_keeps_the_file_and_the_bot_answers_with_it(console) -> None:
    app, base = console
    await console_people(app)
    await register_person(app, Router(app), "o9", role="officer", unit="12")
    faq = Path(app.settings.content_dir) / "faq" / "07-tinh-lai-chau.yaml"
    before = faq.read_text(encoding="utf-8")
    async with _signed_in(app, base, "telegram:o1") as commune:
        page = await commune.get("/noi-dung/hoi-dap/chi-tieu-37-43")
        assert page.status_code == 200 and WEB_FAQ_READ_ONLY in page.text
        post = await commune.post(
            "/noi-dung/hoi-dap/chi-tieu-37-43", data={"csrf": _csrf(page.text), "answer": "x"}
        )
        assert post.status_code == 403
    async with _signed_in(app, base, "telegram:o9") as province:
        page = await province.get("/noi-dung/hoi-dap/chi-tieu-37-43")
        questions = re.search(r'name="questions"[^>]*>([^<]*)<', page.text).group(1)
        form = {"csrf": _csrf(page.text), "questions": questions, "source": "hd-ktxh-2023:II.1.6"}
        short = await province.post("/noi-dung/hoi-dap/chi-tieu-37-43", data={**form, "answer": "ngắn"})
        assert short.status_code == 400 and 'class="field-error"' in short.text and "ngắn" in short.text
        bad = await province.post(
            "/noi-dung/hoi-dap/chi-tieu-37-43", data={**form, "answer": "Đủ dài để lưu lại.", "source": "x:1"}
        )
        assert bad.status_code == 400 and "x:1" in bad.text
        assert faq.read_text(encoding="utf-8") == before  # nothing written on a refusal
        answer = "Năm 2023 tỉnh hoàn thành, đạt và vượt 37/43 chỉ tiêu chủ yếu (sửa trên bảng điều khiển)."
        saved = await province.post("/noi-dung/hoi-dap/chi-tieu-37-43", data={**form, "answer": answer})
        assert saved.status_code == 303
    after = faq.read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0]  # the department's comment kept
    assert answer in after
    assert len(set(before.splitlines()) - set(after.splitlines())) <= 3  # the rest of the file as it was
    [reply] = await Router(app).handle(
        Incoming("telegram", "cx", "x", text="tinh dat bao nhieu chi tieu nam 2023")
    )
    assert "sửa trên bảng điều khiển" in reply.text
    assert any(e.action == "faq.edit" for e in await app.db.audit.latest())


async def test_validity_supersession_and_new_and_retired_entries(console) -> None:
    app, base = console
    await console_people(app)
    source = (Path(__file__).parent / "data" / "hd-42-2025.txt").read_text(encoding="utf-8")
    from bot import documents

    lines, warnings = documents.read_bytes(source.encode(), "hd.txt")
    imported = documents.build(lines, warnings, documents.Overrides(), "x")
    documents.write(Path(app.settings.content_dir), imported, False, set())
    from bot.live import rebuild

    await rebuild(app)  # another process's import, taken up
    seed = Path(app.settings.content_dir) / "documents" / "hd-ktxh-2023.yaml"
    before = seed.read_text(encoding="utf-8")
    async with _signed_in(app, base, "console:admin") as client:
        page = await client.get("/noi-dung")
        csrf = _csrf(page.text)
        bad = await client.post(
            "/noi-dung/van-ban/hd-ktxh-2023", data={"csrf": csrf, "valid_until": "2024-13-01"}
        )
        assert bad.status_code == 303 and seed.read_text(encoding="utf-8") == before
        done = await client.post(
            "/noi-dung/van-ban/hd-ktxh-2023",
            data={"csrf": csrf, "valid_until": "2024-12-31", "replaced_by": "42-hd-btgtu"},
        )
        assert done.status_code == 303
        assert app.content.documents["hd-ktxh-2023"].superseded_by == "42-hd-btgtu"
        listed = await client.get("/noi-dung")
        assert WEB_STATES_DOC["superseded"] in listed.text
        # A new entry needs the rules of any: four ways of asking and a source.
        new = await client.get("/noi-dung/hoi-dap/moi")
        few = {
            "csrf": _csrf(new.text),
            "answer": "Lịch tiếp dân của xã vào thứ Năm hằng tuần.",
            "questions": "lịch tiếp dân",
        }
        refused = await client.post("/noi-dung/hoi-dap/moi", data={**few, "source": "42-hd-btgtu:IV.1"})
        assert refused.status_code == 400 and 'class="field-error"' in refused.text
        questions = "lịch tiếp dân\nlich tiep dan cua xa\nxã tiếp dân hôm nào\nngày tiếp công dân"
        added = await client.post(
            "/noi-dung/hoi-dap/moi", data={**few, "questions": questions, "source": "42-hd-btgtu:IV.1"}
        )
        assert added.status_code == 303
        entry_id = added.headers["location"].split("/")[-1].split("?")[0]
        [reply] = await Router(app).handle(Incoming("telegram", "cx", "x", text="xa tiep dan hom nao"))
        assert "thứ Năm" in reply.text
        page = await client.get(f"/noi-dung/hoi-dap/{entry_id}")
        retired = await client.post(
            f"/noi-dung/hoi-dap/{entry_id}", data={"csrf": _csrf(page.text), "action": "nghi"}
        )
        assert retired.status_code == 303
    [reply] = await Router(app).handle(Incoming("telegram", "cx", "x", text="xa tiep dan hom nao"))
    assert "thứ Năm" not in reply.text
    assert app.content.entry(entry_id).retired


async def test_loa_run_serves_the_console_beside_telegram(tmp_path: Path, fake) -> None:
    import signal

    from tests.helpers import free_port, loa_process, telegram_env

    port = free_port()
    env = {**telegram_env(fake, tmp_path), "LOA_WEB_PORT": str(port)}
    proc = await loa_process("run", env=env, cwd=tmp_path)
    try:
        await fake.wait_polling(timeout=30)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    page = await client.get("/dang-nhap")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            assert page.status_code == 200 and "Đăng nhập" in page.text
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert "/dang-nhap/" not in err.decode()  # no login path in the log


async def test_a_commune_officer_sees_nothing_of_another_commune_on_any_page(console) -> None:
    """Every list of every page, the overview included, is cut to the officer's scope."""
    app, base = console
    router = Router(app)
    reporter = await register_person(app, router, "p1", name="Quàng Thị Mỷ")
    await reporter.say("/baocao 12/3 họp bản Nà Tăm 45 người KT-XH 2023")
    await reporter.tap("Gửi")
    await reporter.say("đường lên Pá Khôm khi nào làm xong")  # unanswered: to Bản Hon's inbox
    await reporter.say("Dân hỏi: bao giờ làm đường lên Pá Khôm")  # residents' voice of Nà Tăm
    await register_person(app, router, "o1", role="officer", unit="12-003", name="Tòng Văn Bản")
    await register_person(app, router, "o2", role="officer", unit="12-004", name="Lường Văn Lư")
    async with _signed_in(app, base, "telegram:o1") as client:
        await _broadcast(client, "Họp bàn mở đường Pá Khôm tối thứ Bảy.")
        assert (
            "«Họp bàn mở đường Pá Khôm tối thứ Bảy.»" in (await client.get("/")).text
        )  # Bản Hon's officer follows it
    secrets = ("Quàng Thị Mỷ", "Tòng Văn Bản", "Pá Khôm", "Nà Tăm", "Họp bàn mở đường", "45 người")
    async with _signed_in(app, base, "telegram:o2") as client:  # Xã Bình Lư
        pages = ["/", "/bao-cao", "/bao-cao?trang-thai=submitted", "/bao-cao?xa=12-003", "/bao-cao/1",
                 "/bao-cao/tai-ve?dinh-dang=csv", "/cau-hoi", "/noi-dung", "/noi-dung/hoi-dap",
                 "/phat-thanh", "/nhat-ky", "/du-luan", "/du-luan?xa=12-003", "/du-luan?ky=thang",
                 "/du-luan/tai-ve?xa=12-003"]  # fmt: skip
        for path in pages:
            response = await client.get(path)
            body = response.content.decode("utf-8-sig")
            assert response.status_code in (200, 403, 404), path
            assert not [s for s in secrets if s in body], path
        xlsx = await client.get("/bao-cao/tai-ve?dinh-dang=xlsx")
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
        assert xlsx.status_code == 200 and "Nà Tăm" not in cells and "Quàng" not in cells
        xlsx = await client.get("/du-luan/tai-ve?dinh-dang=xlsx")
        book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
        cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
        assert xlsx.status_code == 200 and "Nà Tăm" not in cells and "Pá Khôm" not in cells


async def test_wrong_login_links_from_one_address_are_limited(console, clock) -> None:
    app, base = console
    await console_people(app)
    async with httpx.AsyncClient(base_url=base) as client:
        for n in range(10):
            wrong = await client.get(f"/dang-nhap/doan-thu-{n}")
            assert wrong.status_code == 403 and WEB_LINK_USED in wrong.text
        link = await issue_link(app, "telegram:o1")
        held = await client.get(link.replace(base, ""))
        assert held.status_code == 429 and "10 phút" in held.text and "set-cookie" not in held.headers
        clock.advance(minutes=9)
        assert (await client.get(link.replace(base, ""))).status_code == 429
        clock.advance(minutes=1)
        fresh = await issue_link(app, "telegram:o1")
        opened = await client.get(fresh.replace(base, ""))
        assert opened.status_code == 303 and opened.headers["location"] == "/"


async def test_a_declared_report_field_is_on_the_report_page(console, monkeypatch) -> None:
    from bot import report_fields

    households = report_fields.Field(
        "households", "Số hộ tham dự", report_fields.extra_shown("households"),
        total=True, ask="number", prompt="Bao nhiêu hộ gia đình tham dự? Gõ số.",
    )  # fmt: skip
    monkeypatch.setattr(report_fields, "FIELDS", (*report_fields.FIELDS, households))
    app, base = console
    router = Router(app)
    reporter = await register_person(app, router, "p1")
    await reporter.say("/baocao 12/3 họp bản Nà Tăm 45 người KT-XH 2023")
    await reporter.say("12")
    await reporter.tap("Gửi")
    await register_person(app, router, "o1", role="officer", unit="12-003")
    async with _signed_in(app, base, "telegram:o1") as client:
        page = re.sub(r"\s+", " ", (await client.get("/bao-cao/1")).text)
    assert "<dt>Số hộ tham dự</dt><dd>12</dd>" in page and "<dt>Số người dự</dt><dd>45</dd>" in page


async def test_the_opinion_page_and_its_files_in_the_officers_scope(console) -> None:
    app, base = console
    router = Router(app)
    nam_tam = await register_person(app, router, "p1")
    await nam_tam.say("Dân hỏi:\nbao giờ bản có điện lưới?\nkhi nào có điện lưới quốc gia\ngiá phân bón tăng")
    await register_person(app, router, "o1", role="officer", unit="12-003")
    async with _signed_in(app, base, "telegram:o1") as client:
        page = (await client.get("/du-luan")).text
        assert "Dư luận của bà con — Quý 1/2024 — Xã Bản Hon" in page
        assert "Điện, điện lưới" in page and "Bản Nà Tăm" in page and "Giá cả" in page
        chart = await client.get("/du-luan/bieu-do.png?ky=quy")
        assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
        docx = await client.get("/du-luan/tai-ve?dinh-dang=docx")
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        assert "du-luan-2024Q1-12-003.docx" in docx.headers["content-disposition"]
        assert (await client.get("/du-luan?xa=12-004")).status_code == 403  # another commune
        bad = await client.get("/du-luan?ky=quy+9%2F2024")  # a typed period: this quarter, saying so
        assert bad.status_code == 200 and "Không đọc được kỳ đã chọn" in bad.text
        assert (await client.get("/du-luan/tai-ve?ky=quy+9%2F2024")).status_code == 400
        month = (await client.get("/du-luan?ky=thang")).text
        assert "Tháng 3/2024" in month and "Điện, điện lưới" in month
        inbox_page = (await client.get("/cau-hoi")).text  # what Loa could not answer, marked as the village's
        assert "Bà con hỏi qua tuyên truyền viên: Bản Nà Tăm, Xã Bản Hon" in inbox_page
        assert any(e.action == "opinion.report" for e in await app.db.audit.latest())


async def test_times_on_the_console_are_local_and_read_as_people_write_them(console) -> None:
    """Stored in UTC, shown in LOA_TZ as «HH:MM dd/mm/yyyy»: never an ISO stamp with its T and Z."""
    app, base = console
    router = Router(app)
    await register_person(app, router, "p1")
    await Router(app).handle(Incoming("telegram", "cq", "q", text="giá phân bón năm nay bao nhiêu"))
    await register_person(app, router, "o1", role="officer", unit="12")
    async with _signed_in(app, base, "telegram:o1") as client:
        await _broadcast(client, "Họp dân tối thứ Bảy tại nhà văn hóa.")
        now = app.clock().astimezone(app.settings.zone).strftime("%d/%m/%Y")
        for path in ("/", "/cau-hoi", "/phat-thanh", "/nhat-ky"):
            body = (await client.get(path)).text
            assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", body), path
            assert now in body, path


async def test_the_audit_log_reads_as_sentences_filtered_by_person_kind_and_day(console) -> None:
    app, base = console
    router = await console_people(app)
    await register_person(app, router, "o9", role="officer", unit="12", name="Lò Thị Hoa")
    async with _signed_in(app, base, "telegram:o1") as client:
        page = await client.get("/bao-cao/1")
        form = {"csrf": _csrf(page.text), "reason": "thiếu số người dự"}
        await client.post("/bao-cao/1/tra-lai", data=form)
    today = app.clock().astimezone(app.settings.zone).date()
    async with _signed_in(app, base, "telegram:o9") as client:
        body = (await client.get("/nhat-ky")).text
        assert "Cán bộ Lò Văn A (Xã Bản Hon) trả lại báo cáo #1: thiếu số người dự" in body
        assert "Tuyên truyền viên Lò Văn A (Bản Nà Tăm, Xã Bản Hon) đăng ký làm tuyên truyền viên" in body
        assert "report.return" not in body and "telegram:" not in body.split("<main>")[1].split("<select")[0]
        assert '<option value="telegram:o1">Cán bộ Lò Văn A (Xã Bản Hon)</option>' in body  # person picker
        mine = (await client.get(f"/nhat-ky?nguoi=telegram:o1&viec=bao-cao&tu={today}&den={today}")).text
        assert "trả lại báo cáo #1" in mine and "đăng ký" not in mine.split("</form>")[1]
        before = (await client.get(f"/nhat-ky?den={today.replace(year=today.year - 1)}")).text
        assert "trả lại báo cáo" not in before and "Không có việc nào khớp bộ lọc." in before
        assert (await client.get("/nhat-ky?tu=hom-qua")).status_code == 200  # a typed date: no limit
    async with _signed_in(app, base, "telegram:o2") as client:  # a commune officer reads their own lines
        assert "Không có việc nào khớp bộ lọc." in (await client.get("/nhat-ky?nguoi=telegram:o1")).text
        body = (await client.get("/nhat-ky")).text
        assert "trả lại báo cáo" not in body
        assert "Cán bộ Lò Văn A (Xã Bình Lư) đăng nhập bảng điều khiển" in body


async def test_periods_are_picked_from_a_list_and_a_bad_one_says_so(console) -> None:
    app, base = console
    await console_people(app)
    async with _signed_in(app, base, "telegram:o1") as client:
        body = (await client.get("/bao-cao")).text
        options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', body.split('name="quy"')[1])
        assert options[:4] == [("2024-03", "Tháng này"), ("2024-02", "Tháng trước"),
                               ("2024Q1", "Quý này (Quý 1/2024)"), ("2023Q4", "Quý 4/2023")]  # fmt: skip
        month = (await client.get("/bao-cao?quy=2024-03")).text
        assert "Báo cáo — Tháng 3/2024" in month and "/bao-cao/tai-ve?quy=2024-03" in month
        typo = await client.get("/bao-cao?quy=quy+5")
        assert typo.status_code == 200 and "Không đọc được kỳ đã chọn; đang xem quý này" in typo.text
        assert "Báo cáo — Quý 1/2024" in typo.text
        old = (await client.get("/bao-cao?quy=quy+1%2F2022")).text  # an older quarter stays chosen
        assert '<option value="2022Q1" selected>Quý 1/2022</option>' in old
        xlsx = await client.get("/bao-cao/tai-ve?quy=2024-03")
        assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


async def test_an_inbox_answer_picks_its_source_from_a_list_keeps_the_typed_text_and_shows_a_preview(
    console,
) -> None:
    app, base = console
    router = await console_people(app)
    await Router(app).handle(Incoming("telegram", "cq", "q", text="gia phan bon nam nay the nao"))
    async with _signed_in(app, base, "console:admin") as client:
        page = (await client.get("/cau-hoi")).text
        group = int(re.search(r'id="nhom-(\d+)"', page).group(1))
        [label] = [v for v in re.findall(r'<option value="([^"]+)">', page) if v.startswith("II.1.6. ")]
        doc = app.content.documents["hd-ktxh-2023"]
        assert label.endswith(f"— {doc.name()}") and doc.id not in page  # titles and numbers, never a raw id
        assert 'name="title" maxlength="200" value="Gia' in page  # a title to edit, capitalised, with «?»
        answer = "Giá phân bón do thị trường quyết định; hỏi đại lý vật tư của xã."
        form = {"csrf": _csrf(page), "title": "Giá phân bón năm nay thế nào?", "answer": answer}
        wrong = await client.post(f"/cau-hoi/{group}/tra-loi", data=form | {"source": "mục không có"})
        assert wrong.status_code == 400 and "Không có mục «mục không có» trong danh sách" in wrong.text
        assert answer in wrong.text and "Giá phân bón năm nay thế nào?" in wrong.text  # nothing lost
        short = await client.post(f"/cau-hoi/{group}/tra-loi", data=form | {"answer": "ngắn"})
        assert "Câu trả lời chưa hợp lệ (câu trả lời): cần ít nhất 10 ký tự" in short.text
        seen = await client.post(f"/cau-hoi/{group}/tra-loi", data=form | {"source": label, "action": "xem"})
        assert "Người hỏi sẽ nhận được:" in seen.text
        assert "«gia phan bon nam nay the nao» đã có trả lời" in seen.text
        assert "📄 Nguồn: " in seen.text and f'value="{label}"' in seen.text
        assert not app.content.entry(f"hoi-dap-{group}")  # a preview writes nothing
        sent = await client.post(f"/cau-hoi/{group}/tra-loi", data=form | {"source": label, "action": "gui"})
        assert (
            sent.status_code == 303 and "Đã trả lời nhóm" in (await client.get(sent.headers["location"])).text
        )
    entry = app.content.entry(f"hoi-dap-{group}")
    assert entry.questions[0] == "Giá phân bón năm nay thế nào?" and entry.source.section == "II.1.6"
    [reply] = await router.handle(Incoming("telegram", "cx", "x", text="gia phan bon nam nay"))
    assert answer in reply.text


def _fields(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """A form's fields, a name given several times (checkboxes) with all its values."""
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _hidden(page: str) -> dict[str, list[str]]:
    """The hidden fields of a page's form, as the browser sends them."""
    import html as html_lib

    found = re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return _fields([(k, html_lib.unescape(v)) for k, v in found])


async def _confirmed(client: httpx.AsyncClient, form: list[tuple[str, str]]) -> httpx.Response:
    """A broadcast form previewed, then confirmed as the preview shows it."""
    preview = await client.post("/phat-thanh/xem-truoc", data=_fields(form))
    return await client.post("/phat-thanh/gui", data=_hidden(preview.text))


async def test_a_broadcast_aimed_at_two_villages_and_another_taken_back(console) -> None:
    app, base = console
    router = await console_people(app)  # p1 of Bản Nà Tăm
    for user, village in (("p2", "12-003-02"), ("p3", "12-003-03")):
        await register_person(app, router, user, unit=village)
    await register_person(app, router, "o9", role="officer", unit="12")
    async with _signed_in(app, base, "telegram:o1") as client:
        page = await client.get("/phat-thanh")
        assert (
            "chưa có máy nào của Loa đang gửi tin" in page.text
        )  # `loa web` alone: messages wait in the queue
        assert 'value="12-003-01"> Bản Nà Tăm' in page.text and "12-004" not in page.text  # its own villages
        csrf = ("csrf", _csrf(page.text))
        form = [csrf, ("text", "Tối nay họp hai bản Nà Tăm và Hon."), ("noi-nhan", "chon"),
                ("don-vi", "12-003-01"), ("don-vi", "12-003-02")]  # fmt: skip
        preview = await client.post("/phat-thanh/xem-truoc", data=_fields(form))
        assert "Tới: Bản Nà Tăm, Bản Hon. 2 nơi nhận." in preview.text
        sent = await client.post("/phat-thanh/gui", data=_hidden(preview.text))
        assert "nằm chờ trong hàng đợi" in httpx.URL(sent.headers["location"]).params["tb"]
        outside = [*form[:3], ("don-vi", "12-004")]
        refused = await client.post("/phat-thanh/xem-truoc", data=_fields(outside))
        assert refused.status_code == 403 and "ngoài phạm vi phụ trách" in refused.text
        assert "Tối nay họp hai bản Nà Tăm và Hon.</textarea>" in refused.text  # the typed text kept
        later = [
            ("csrf", _csrf(page.text)),
            ("text", "Nhắc lịch tiêm phòng tuần sau."),
            ("at", "2024-03-20T08:00"),
        ]
        queued = await _confirmed(client, later)
        assert queued.status_code == 303
        listing = (await client.get("/phat-thanh")).text
        assert "Nhắc lịch tiêm phòng tuần sau." in listing and "08:00 20/03/2024" in listing
        cancel = re.findall(r'action="(/phat-thanh/(\d+)/huy)"', listing)
        assert len(cancel) == 2
        [(path, _)] = [(p, i) for p, i in cancel if i == "2"]
        taken = await client.post(path, data={"csrf": _csrf(listing)})
        assert httpx.URL(taken.headers["location"]).params["tb"] == (
            "Đã hủy tin #2: rút 4 tin chưa gửi; 0 nơi đã nhận trước khi hủy."
        )
        assert "Đã hủy" in (await client.get("/phat-thanh")).text
    due = await app.db.broadcasts.pending("9999")
    assert sorted(d.external_id for d in due) == ["cp1", "cp2"]  # Nà Tăm and Bản Hon, not Đông Pao
    async with _signed_in(app, base, "telegram:o2") as client:  # another commune cannot take one back
        page = await client.get("/phat-thanh")
        forged = await client.post("/phat-thanh/1/huy", data={"csrf": _csrf(page.text)})
        assert "Không có tin phát số 1" in httpx.URL(forged.headers["location"]).params["tb"]
    async with _signed_in(app, base, "telegram:o9") as client:  # the province: to its groups only
        page = await client.get("/phat-thanh")
        form = [("csrf", _csrf(page.text)), ("text", "Tin cho các nhóm."), ("chi-nhom", "1")]
        nobody = await client.post("/phat-thanh/xem-truoc", data=_fields(form))  # no group is bound yet
        assert nobody.status_code == 400 and "Không có nơi nhận nào" in nobody.text
        assert 'name="chi-nhom" value="1" checked' in nobody.text
        await _confirmed(client, [("csrf", _csrf(page.text)), ("text", "Tin của tỉnh tới mọi người.")])
    async with _signed_in(app, base, "telegram:o1") as client:  # what reached Bản Hon's commune
        home = (await client.get("/")).text
        assert "«Tin của tỉnh tới mọi người.» · 09:00 15/03/2024 (vừa xong) · 0/4 nơi đã nhận" in home


async def test_the_hostile_and_the_careless_on_the_console(console) -> None:
    """What a QA pass found: huge ids, forged notices, another scope's broadcast, lost text."""
    app, base = console
    router = await console_people(app)
    await register_person(app, router, "o9", role="officer", unit="12")
    await Router(app).handle(Incoming("telegram", "cp1", "p1", text="dien luoi bao gio ve ban"))
    async with _signed_in(app, base, "telegram:o9") as province:
        page = (await province.get("/phat-thanh")).text
        aimed = [("csrf", _csrf(page)), ("text", "Tin của tỉnh cho Bản Nà Tăm."), ("noi-nhan", "chon"),
                 ("don-vi", "12-003-01"), ("at", "2024-03-20T08:00")]  # fmt: skip
        preview = await province.post("/phat-thanh/xem-truoc", data=_fields(aimed))
        edited = await province.post("/phat-thanh/sua", data=_hidden(preview.text))  # «Sửa»: all comes back
        assert "Tin của tỉnh cho Bản Nà Tăm.</textarea>" in edited.text
        assert 'value="12-003-01" checked' in edited.text and 'value="2024-03-20T08:00"' in edited.text
        assert (await province.post("/phat-thanh/gui", data=_hidden(preview.text))).status_code == 303
        again = await province.post("/phat-thanh/gui", data=_hidden(preview.text))  # the same form again
        assert (
            "đã được gửi đi từ trước (tin số 1); không gửi lại"
            in httpx.URL(again.headers["location"]).params["tb"]
        )
        bad_time = [("csrf", _csrf(page)), ("text", "Một tin có giờ sai."), ("at", "20/03 tám giờ")]
        refused = await province.post("/phat-thanh/xem-truoc", data=_fields(bad_time))
        assert (
            refused.status_code == 400
            and "Giờ gửi chưa đúng" in refused.text
            and "giờ sai.</textarea>" in refused.text
        )
        noisy = [("csrf", _csrf(page)), ("text", "Họp\x00 dân\x1b tối nay �.")]
        shown = (await province.post("/phat-thanh/xem-truoc", data=_fields(noisy))).text
        assert "Họp dân tối nay ." in shown
    async with _signed_in(app, base, "telegram:o1") as commune:
        page = (await commune.get("/phat-thanh")).text
        assert "Tin của tỉnh cho Bản Nà Tăm." in page and "/phat-thanh/1/huy" not in page
        forged = await commune.post("/phat-thanh/1/huy", data={"csrf": _csrf(page)})
        assert (
            "chỉ người gửi hoặc cán bộ cấp tỉnh hủy được"
            in httpx.URL(forged.headers["location"]).params["tb"]
        )
        for path in ("/bao-cao/99999999999999999999", "/bao-cao/9223372036854775808"):
            assert (await commune.get(path)).status_code == 404
        huge = await commune.post("/phat-thanh/99999999999999999999/huy", data={"csrf": _csrf(page)})
        assert huge.status_code == 404
        lie = (await commune.get("/phat-thanh?tb=Phiên+hết+hạn,+gọi+0912345678")).text
        assert "0912345678" not in lie  # a notice only shows when this session's redirect signed it
        assert "Yêu cầu chỉ nhận biểu mẫu" not in (await commune.get("/phat-thanh/gui")).text
        assert "chỉ nhận biểu mẫu gửi từ nút bấm" in (await commune.get("/phat-thanh/gui")).text
        inbox_page = (await commune.get("/cau-hoi")).text
        group = int(re.search(r'id="nhom-(\d+)"', inbox_page).group(1))
        await inbox.dismiss(app, group, "telegram:o9", None)  # someone else closes it meanwhile
        typed = {"csrf": _csrf(inbox_page), "action": "gui", "answer": "Điện lưới về bản trong năm nay."}
        late = await commune.post(f"/cau-hoi/{group}/tra-loi", data=typed)
        assert late.status_code == 400 and "Điện lưới về bản trong năm nay." in late.text
        assert "bỏ qua rồi" in late.text
        report = (await commune.get("/bao-cao/1")).text
        long = await commune.post("/bao-cao/1/tra-lai", data={"csrf": _csrf(report), "reason": "x" * 600})
        assert "dài quá 500 ký tự" in httpx.URL(long.headers["location"]).params["tb"]
        assert (await app.db.reports.get(1)).state == "submitted"
