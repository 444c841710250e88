"""The web console in a real browser: Debian's Chromium driven by Playwright against uvicorn on 127.0.0.1.

Screenshots of every page at 1366×768 and 390×844 go to LOA_SCREENSHOTS (default: a folder under the
system's temp directory), printed at the end of the run.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import App
from bot.core import Incoming
from bot.logins import issue_link
from bot.router import Router
from tests.helpers import console_people, serve_console

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("LOA_SCREENSHOTS") or Path(tempfile.gettempdir()) / "loa-screenshots")
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


TAKEN = False  # conftest's terminal summary prints the folder when set


@pytest.fixture(scope="module")
def shots() -> Path:
    global TAKEN
    SHOTS.mkdir(parents=True, exist_ok=True)
    TAKEN = True
    return SHOTS


# One Chromium for the module (each test's pages are in contexts of their own), so the tests and the console
# run in the module's event loop.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is needed (Debian's chromium package; .ci/run installs it)")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="module")
async def console(tmp_path: Path, clock):
    """conftest's ``console``, served in the module's event loop."""
    async with serve_console(tmp_path, clock) as served:
        yield served


async def _login(browser, app: App, base: str, actor: str, size: tuple[int, int]):
    page = await browser.new_page(viewport={"width": size[0], "height": size[1]})
    link = await issue_link(app, actor)
    await page.goto(link)
    return page, link


async def test_every_page_signed_in_at_both_sizes(console, browser, shots: Path) -> None:
    app, base = console
    router = await console_people(app)
    await Router(app).handle(_question("giá phân bón năm nay"))
    for size_name, size in SIZES.items():
        page, link = await _login(browser, app, base, "telegram:o1", size)
        assert await page.inner_text("h1") == "Tổng quan — Quý 1/2024"
        for path, heading in (("/", "Tổng quan"), ("/bao-cao", "Báo cáo"), ("/bao-cao/1", "Báo cáo #1"),
                              ("/cau-hoi", "Câu hỏi chưa trả lời"), ("/noi-dung", "Nội dung"),
            ("/noi-dung/hoi-dap", "Hỏi đáp"),
            ("/phat-thanh", "Phát thanh"),
            ("/du-luan", "Dư luận"),
                              ("/nhat-ky", "Nhật ký")):  # fmt: skip
            response = await page.goto(base + path)
            assert response.status == 200, path
            assert (await page.inner_text("h1")).startswith(heading), path
            name = path.strip("/").replace("/", "-") or "tong-quan"
            await page.screenshot(path=str(shots / f"{name}-{size_name}.png"), full_page=True)
            await _screen_is_clean(page, shots, f"{name}-{size_name}")
        # The login page, as someone without a session (a used link) sees it.
        fresh = await browser.new_page(viewport={"width": size[0], "height": size[1]})
        used = await fresh.goto(link)
        assert used.status == 403 and "Đăng nhập" in await fresh.inner_text("h1")
        await fresh.screenshot(path=str(shots / f"dang-nhap-{size_name}.png"), full_page=True)
        await fresh.close()
        await page.close()
    assert await router.handle(_question("/chuatraloi"))  # the bot still answers beside the console


def _question(text: str):
    from bot.core import Incoming

    return Incoming("telegram", "cq", "q", text=text)


async def test_a_propagandist_gets_no_link_and_no_page(console, browser) -> None:
    app, base = console
    await console_people(app)
    page = await browser.new_page()
    response = await page.goto(base + "/bao-cao")
    assert response.status == 401 and "/web" in await page.inner_text("main")
    from bot.logins import LinkRefused

    with pytest.raises(LinkRefused):
        await issue_link(app, "telegram:p1")


async def test_a_report_returned_in_the_browser_reaches_its_reporter(console, browser) -> None:
    app, base = console
    await console_people(app)
    page, _ = await _login(browser, app, base, "telegram:o1", SIZES["laptop"])
    await page.goto(base + "/bao-cao?trang-thai=submitted")
    await page.click("a[href='/bao-cao/1']")
    await page.fill("input[name=reason]", "Ghi thiếu số người dự")
    await page.click("button:has-text('Trả lại')")
    assert "Đã trả lại báo cáo số 1" in await page.inner_text(".notice")
    assert (await app.db.reports.get(1)).state == "returned"
    [notice] = await app.db.broadcasts.pending("9999")
    assert notice.external_id == "cp1" and "Ghi thiếu số người dự" in notice.text


async def test_an_answer_written_in_the_browser_is_what_the_bot_says(console, browser) -> None:
    app, base = console
    await console_people(app)
    router = Router(app)
    await router.handle(_question("giá phân bón năm nay"))
    # An unregistered person's question is the province's: an admin answers it.
    page, _ = await _login(browser, app, base, "console:admin", SIZES["phone"])
    await page.goto(base + "/cau-hoi")
    await page.click("summary:has-text('Trả lời')")
    answer = "Giá phân bón do thị trường quyết định; hỏi đại lý vật tư của xã."
    await page.fill("textarea[name=answer]", answer)
    await page.click("button:has-text('Gửi câu trả lời')")
    assert "Đã trả lời nhóm" in await page.inner_text(".notice")
    [reply] = await router.handle(_question("gia phan bon nam nay"))
    assert answer in reply.text


async def test_a_document_imported_by_upload_in_the_browser(
    console, browser, tmp_path: Path, shots: Path
) -> None:
    from tests import docgen

    app, base = console
    await console_people(app)
    source = (Path(__file__).parent / "data" / "hd-42-2025.txt").read_text(encoding="utf-8")
    pdf = docgen.write(tmp_path, "huong-dan-42.pdf", docgen.pdf_bytes(source))
    page, _ = await _login(browser, app, base, "console:admin", SIZES["laptop"])
    await page.goto(base + "/noi-dung")
    await page.set_input_files("input[type=file]", str(pdf))
    await page.click("button:has-text('Đọc tệp')")
    assert "42-HD/BTGTU" in await page.inner_text("main")
    await page.screenshot(path=str(shots / "noi-dung-xem-truoc-laptop.png"), full_page=True)
    await page.click("button:has-text('Nhập văn bản này')")
    assert "Đã nhập «HD số 42-HD/BTGTU»" in await page.inner_text(".notice")
    assert "42-HD/BTGTU" in await page.inner_text("table")
    [reply] = await Router(app).handle(_question("thu nhap binh quan dau nguoi 2024"))
    assert "52,3 triệu" in reply.text


async def test_an_faq_edited_in_the_browser_is_what_the_bot_says(console, browser, shots: Path) -> None:
    app, base = console
    await console_people(app)
    page, _ = await _login(browser, app, base, "console:admin", SIZES["phone"])
    await page.goto(base + "/noi-dung/hoi-dap?q=chi+tieu+2023")
    await page.click("a[href='/noi-dung/hoi-dap/chi-tieu-37-43']")
    answer = (
        "Năm 2023 tỉnh hoàn thành, đạt và vượt 37/43 chỉ tiêu chủ yếu — câu trả lời sửa trong trình duyệt."
    )
    await page.fill("textarea[name=answer]", answer)
    await page.screenshot(path=str(shots / "noi-dung-hoi-dap-phone.png"), full_page=True)
    await page.click("button:has-text('Lưu')")
    assert "Đã lưu «Năm 2023 tỉnh hoàn thành bao nhiêu chỉ tiêu chủ yếu?»" in await page.inner_text(".notice")
    [reply] = await Router(app).handle(_question("tinh dat bao nhieu chi tieu nam 2023"))
    assert "sửa trong trình duyệt" in reply.text


async def test_the_opinion_page_reads_on_a_phone_and_a_laptop(console, browser, shots: Path) -> None:
    app, base = console
    router = Router(app)
    from tests.helpers import register_person

    for user, village in (("p1", None), ("p2", "Bản Hon")):
        person = await register_person(app, router, user, unit="12-003" if village is None else "12-003-02")
        await person.say("Bà con hỏi:\nbao giờ bản có điện lưới?\ntiền đền bù đất làm đường bao giờ trả")
    await register_person(app, router, "o1", role="officer", unit="12-003")
    for size_name, size in SIZES.items():
        page, _link = await _login(browser, app, base, "telegram:o1", size)
        await page.goto(base + "/du-luan")
        assert (await page.inner_text("h1")).startswith("Dư luận của bà con")
        rows = page.locator("table.opinion tbody tr")
        assert await rows.count() == 2
        first = await rows.first.inner_text()
        assert "Điện, điện lưới" in first or "Đất đai" in first
        # The period picker and the commune filter work without typing.
        await page.select_option("select[name=ky]", label="Tháng này")
        await page.click("form.filters button[type=submit]")
        assert "Tháng 3/2024" in await page.inner_text("h1")
        chart = page.locator("img.chart")
        assert await chart.evaluate("img => img.complete && img.naturalWidth > 0")
        wide = await page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
        assert wide, "the page fits the screen's width"
        await page.screenshot(path=str(shots / f"du-luan-{size_name}.png"), full_page=True)
        await page.close()


# -- a new officer's session, as the issue's «done when» walks it -------------------------------------------
ENGLISH = re.compile(
    r"\b(submitted|accepted|returned|withdrawn|pending|sending|sent|failed|done|cancelled|None|True|False|null"
    r"|error|Error|broadcast|report|inbox|admin|scheduler|Not Found|Internal Server|UTC)\b"
)
RAW_ID = re.compile(
    r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b|\b(?:telegram|zalo|console|cli):\S|\d{4}-\d\d-\d\dT\d\d"
)
TAPPABLE = (
    "a, button, select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), summary, .choice"
)


async def _screen_is_clean(page, shots: Path, name: str) -> None:
    """What a person sees: no sideways scrolling, no English word, no UTC time or raw id, fingers fit."""
    await page.screenshot(path=str(shots / f"phien-{name}.png"), full_page=True)
    width = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (name, width)
    shown = await page.inner_text("body")
    assert not ENGLISH.findall(shown), (name, ENGLISH.findall(shown))
    assert not RAW_ID.findall(shown), (name, RAW_ID.findall(shown))
    small = await page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
             .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])
             .filter(([, h]) => h > 0 && h < 44)""",
        TAPPABLE,
    )
    assert not small, (name, small)


@pytest.mark.parametrize("size_name", ["phone-360", "laptop-1280"])
async def test_a_new_officers_session_on_a_phone_and_a_laptop(
    console, browser, shots: Path, size_name: str
) -> None:
    from tests.helpers import register_person

    app, base = console
    router = await console_people(app)  # p1 of Bản Nà Tăm with report #1, o1 of Xã Bản Hon
    await register_person(app, router, "p2", unit="12-003-02")
    await register_person(app, router, "p3", unit="12-003-03")
    await router.handle(Incoming("telegram", "cp1", "p1", text="dien luoi ve ban khi nao co"))
    width = 360 if size_name == "phone-360" else 1280
    page, _ = await _login(browser, app, base, "telegram:o1", (width, 800))
    await _screen_is_clean(page, shots, f"{size_name}-1-tong-quan")
    # The inbox: a section picked from the list, a preview, then sent.
    await page.goto(base + "/cau-hoi")
    await page.click("summary:has-text('Trả lời')")
    await page.fill("input[name=title]", "Khi nào điện lưới về bản?")
    await page.fill("textarea[name=answer]", "Theo kế hoạch, điện lưới về các bản còn lại trước năm 2025.")
    label = await page.eval_on_selector("#nguon option:nth-child(2)", "o => o.value")
    await page.fill("input[name=source]", label)
    await page.click("button:has-text('Xem trước')")
    assert "Người hỏi sẽ nhận được:" in await page.inner_text("main")
    await _screen_is_clean(page, shots, f"{size_name}-2-tra-loi-xem-truoc")
    await page.click("button:has-text('Gửi câu trả lời')")
    assert "Đã trả lời nhóm" in await page.inner_text(".notice")
    # Broadcasts: one to two villages, another scheduled and taken back.
    await page.goto(base + "/phat-thanh")
    await page.fill("textarea[name=text]", "Tối thứ Bảy họp bản bàn việc làm đường.")
    await page.check("input[name=noi-nhan][value=chon]")
    if not await page.is_visible("input[value='12-003-01']"):
        await page.click("summary:has-text('Bản Hon')")
    await page.check("input[value='12-003-01']")
    await page.check("input[value='12-003-02']")
    await page.click("button:has-text('Xem trước')")
    assert "Tới: Bản Nà Tăm, Bản Hon. 2 nơi nhận." in await page.inner_text("main")
    await _screen_is_clean(page, shots, f"{size_name}-3-phat-thanh-xem-truoc")
    await page.click("button:has-text('Gửi tới 2 nơi')")
    await page.fill("textarea[name=text]", "Nhắc lịch tiêm phòng cho đàn gia súc tuần sau.")
    await page.fill("input[name=at]", "2024-03-20T08:00")
    await page.click("button:has-text('Xem trước')")
    await page.click("button:has-text('Gửi tới')")
    await page.click("tr:has-text('Nhắc lịch tiêm phòng') button:has-text('Hủy tin này')")
    assert "Đã hủy tin" in await page.inner_text(".notice")
    await _screen_is_clean(page, shots, f"{size_name}-4-phat-thanh")
    assert sorted(d.external_id for d in await app.db.broadcasts.pending("9999")) == ["cp1", "cp1", "cp2"]
    # The audit log filtered by person and day.
    await page.goto(base + "/nhat-ky")
    await page.select_option("select[name=nguoi]", label="Cán bộ Lò Văn A (Xã Bản Hon)")
    await page.fill("input[name=tu]", "2024-03-15")
    await page.fill("input[name=den]", "2024-03-15")
    await page.click("button:has-text('Lọc')")
    log_lines = await page.inner_text(".log")
    assert "Cán bộ Lò Văn A (Xã Bản Hon) hủy tin phát thanh" in log_lines
    assert "Tuyên truyền viên" not in log_lines
    await _screen_is_clean(page, shots, f"{size_name}-5-nhat-ky")
    # A quarter exported.
    await page.goto(base + "/bao-cao")
    await page.select_option("select[name=quy]", label="Quý này (Quý 1/2024)")
    await page.click("button:has-text('Lọc')")
    await _screen_is_clean(page, shots, f"{size_name}-6-bao-cao")
    async with page.expect_download() as download:
        await page.click("a:has-text('Tải bảng tính (XLSX)')")
    assert (await download.value).suggested_filename.endswith(".xlsx")
    await page.close()


@pytest.mark.parametrize("size_name", ["phone-360", "laptop-1280"])
async def test_a_bulletin_built_edited_heard_and_sent_in_the_browser(
    console, browser, shots: Path, size_name: str
) -> None:
    app, base = console
    await console_people(app)
    width = 360 if size_name == "phone-360" else 1280
    page, _ = await _login(browser, app, base, "telegram:o1", (width, 800))
    await page.goto(base + "/ban-tin")
    first = await page.eval_on_selector("#nguon-ban-tin option", "o => o.value")
    assert first.startswith("📅 ")
    await page.fill("input[name=nguon]", first)
    await page.click("button:has-text('Soạn bài đọc')")
    script = await page.input_value("textarea[name=script]")
    assert script.startswith("Kính thưa bà con nhân dân!") and "lắng nghe" in script
    edited = script.replace(
        "Bản tin đến đây là hết.", "Tối nay 19h30 họp dân tại nhà văn hóa.\n\nBản tin đến đây là hết."
    )
    await page.fill("textarea[name=script]", edited)
    await page.click("button:has-text('Nghe thử')")
    heard = await page.input_value("textarea[name=script]")
    assert "Tối nay mười chín giờ ba mươi phút họp dân" in heard  # what was typed in figures, said again
    src = await page.get_attribute("audio", "src")
    status, kind, size = await page.evaluate(
        "async (src) => { const r = await fetch(src); const b = await r.arrayBuffer();"
        " return [r.status, r.headers.get('content-type'), b.byteLength]; }", src
    )  # fmt: skip
    assert status == 200 and kind == "audio/mpeg" and size > 10_000
    await _screen_is_clean(page, shots, f"{size_name}-ban-tin")
    await page.click("button:has-text('Gửi tới phạm vi')")
    assert "Đã xếp lịch gửi tới" in await page.inner_text(".notice")
    [row] = await app.db.broadcasts.progress()
    assert "mười chín giờ ba mươi phút" in row.text
    due = await app.db.broadcasts.pending("9999")
    assert due and all(d.audio for d in due)  # every delivery carries the voice message
    assert bulletin_audio(app, due[0].audio) is not None
    await page.close()


def bulletin_audio(app: App, key: str):
    from bot import bulletin

    return bulletin.audio_path(app, key, "ogg")
