"""Dated, superseded, honest answers: what a person asking sees once documents come and go."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot import documents, texts
from bot.answers import answer
from bot.content import default_content_dir, load_content
from bot.matcher import ANSWER, PASSAGE, KnowledgeBase, has_figure, quantity_kind
from handlers.ask import render
from tests.helpers import open_app

DATA = Path(__file__).parent / "data"
SOURCE = (DATA / "hd-42-2025.txt").read_text(encoding="utf-8")
TODAY = date(2026, 11, 27)


def _import(content: Path, text: str, **over) -> None:
    lines, warnings = documents.read_bytes(text.encode(), "hd.txt")
    imported = documents.build(lines, warnings, documents.Overrides(**over), "x.txt")
    documents.write(content, imported, False, {p.stem for p in (content / "documents").glob("*.yaml")})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(default_content_dir(), dest)
    return dest


def _kb(folder: Path, today: date = TODAY) -> KnowledgeBase:
    content = load_content(folder)
    assert content.errors == []
    return KnowledgeBase(content, today=today)


def test_a_figure_the_guidance_does_not_give_is_never_invented(kb) -> None:
    out = answer(kb, "tăng trưởng kinh tế năm 2023 đạt bao nhiêu", TODAY)
    assert out.status != ANSWER
    assert "không nêu số liệu" in out.text and "%" not in out.text
    # A figure the guidance gives is still answered with it.
    assert "37/43" in answer(kb, "tinh dat bao nhieu chi tieu nam 2023", TODAY).text
    assert "2.000 tỷ" in answer(kb, "thu ngân sách năm 2023 được bao nhiêu", TODAY).text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("tăng trưởng bao nhiêu", "number"),
        ("có mấy xã", "number"),
        ("loa phat may buoi mot tuan", "number"),
        ("ty le ho ngheo", "number"),
        ("quy hoạch tầm nhìn đến năm bao nhiêu", "year"),
        ("quyết định giao chỉ tiêu số mấy", "code"),
        ("máy cày của xã", ""),
        ("vì sao kinh tế chịu tác động kép", ""),
    ],
)
def test_questions_asking_for_figures_are_told_apart(question: str, kind: str) -> None:
    assert quantity_kind(question) == kind


def test_what_counts_as_a_figure() -> None:
    assert has_figure("đạt 8,6%") and has_figure("37/43 chỉ tiêu") and has_figure("lần thứ XV")
    assert not has_figure("Năm 2023 kinh tế phục hồi")
    assert not has_figure("theo Kết luận số 64-KL/TW ngày 18/10/2023")
    assert has_figure("Kết luận số 64-KL/TW", wants="code") and has_figure("đến năm 2050", wants="year")


def test_a_new_document_answers_from_its_passages_with_the_sentences_that_matter(folder: Path) -> None:
    _import(folder, SOURCE)
    kb = _kb(folder)
    out = answer(kb, "thu nhap binh quan dau nguoi nam 2024 la bao nhieu", TODAY)
    assert out.status == PASSAGE and "52,3 triệu" in out.text
    assert (
        out.source == "mục II.1.1, Hướng dẫn 42-HD/BTGTU ngày 15/1/2025 của Ban Tuyên giáo Tỉnh ủy Lai Châu"
    )
    assert "Diện tích chè" not in out.text  # the sentence asked about, not the whole section
    reply = render(out)
    assert reply.buttons[0][0].data == "sec:42-hd-btgtu:II.1.1"


def test_the_old_document_is_marked_and_the_newer_one_wins(folder: Path) -> None:
    kb = _kb(folder)
    old = answer(kb, "tinh dat bao nhieu chi tieu nam 2023", TODAY)
    assert old.source.endswith("— đã hết hiệu lực (hiệu lực đến 31/12/2024)")
    assert "mục II.1.6" in old.source and len(old.source) < 100
    # Before its end it is current, and cited without a mark.
    then = date(2024, 6, 1)
    assert "hết hiệu lực" not in answer(_kb(folder, then), "thu ngan sach 2023", then).source
    # A newer document about the same thing speaks instead of the older one's entry.
    _import(folder, SOURCE)
    kb = _kb(folder)
    out = answer(kb, "hinh thuc tuyen truyen mieng", TODAY)
    assert "42-HD/BTGTU" in out.source and "họp thôn" in out.text


def test_a_superseded_document_is_never_answered_from(folder: Path) -> None:
    _import(folder, SOURCE, id="hd-cu")
    newer = SOURCE.replace("Số: 42-HD/BTGTU", "Số: 50-HD/BTGTU").replace("52,3 triệu", "55,0 triệu")
    _import(folder, newer, supersedes="hd-cu")
    kb = _kb(folder)
    assert all(doc_id != "hd-cu" for doc_id, _ in kb.passages)
    out = answer(kb, "thu nhap binh quan dau nguoi nam 2024 la bao nhieu", TODAY)
    assert "55,0 triệu" in out.text and "52,3" not in out.text and "50-HD/BTGTU" in out.source


def test_relative_years_and_the_way_people_speak(folder: Path) -> None:
    kb = _kb(folder)
    # The newest document speaks of 2024 as "this year": last year is 2023, and the answer says so.
    out = answer(kb, "tinh minh nam ngoai dat bao nhieu chi tieu", TODAY)
    assert "37/43" in out.text and "«năm ngoái» là năm 2023" in out.text
    _import(folder, SOURCE)  # now 2025 is the newest document's year
    kb = _kb(folder)
    out = answer(kb, "GRDP tỉnh nhà năm ngoái tăng bao nhiêu", TODAY)
    assert "8,6" in out.text and "«năm ngoái» là năm 2024" in out.text


def test_synonyms_live_in_content_not_in_code(folder: Path) -> None:
    kb = _kb(folder)
    assert answer(kb, "quê mình năm 2023 đạt bao nhiêu chỉ tiêu", TODAY).status == ANSWER
    (folder / "synonyms.yaml").write_text("phrases:\n  tỉnh Lai Châu: [xứ mường tè]\n", encoding="utf-8")
    kb = _kb(folder)
    assert "37/43" in answer(kb, "xứ mường tè năm 2023 đạt bao nhiêu chỉ tiêu", TODAY).text
    assert kb.relative == {}  # the file no longer lists relative years: none is assumed


def test_a_broken_synonyms_file_names_file_and_field(folder: Path) -> None:
    (folder / "synonyms.yaml").write_text("relative_years:\n  năm xửa năm xưa: -40\n", encoding="utf-8")
    errors = load_content(folder).errors
    assert [(e.file, e.field) for e in errors] == [("synonyms.yaml", "relative_years")]


def test_the_content_list_counts_what_rests_on_each_document(folder: Path) -> None:
    _import(folder, SOURCE)
    rows = {r["id"]: r for r in documents.listing(load_content(folder), TODAY)}
    assert rows["42-hd-btgtu"]["state"] == "current" and rows["42-hd-btgtu"]["faq_entries"] == 0
    assert json.dumps(rows, ensure_ascii=False)


def test_talking_points_that_cite_a_year_stop_with_their_document(folder: Path) -> None:
    from zoneinfo import ZoneInfo

    from bot import calendar

    events = folder / "events.yaml"
    dated = (
        '- id: ket-qua-nam\n  title: Kết quả năm\n  date: {solar: "06-01"}\n'
        "  talking_points: Năm 2023 tỉnh hoàn thành 37/43 chỉ tiêu chủ yếu.\n"
    )
    events.write_text(events.read_text(encoding="utf-8") + dated, encoding="utf-8")
    errors = load_content(folder).errors
    assert [(e.file, e.entry, e.field) for e in errors] == [("events.yaml", "ket-qua-nam", "talking_points")]
    assert "2023" in errors[0].message

    events.write_text(events.read_text(encoding="utf-8") + "  document: hd-ktxh-2023\n", encoding="utf-8")
    content = load_content(folder)
    assert content.errors == []
    zone = ZoneInfo("Asia/Ho_Chi_Minh")

    def sends(year: int) -> list[str]:
        start, end = date(year, 5, 30), date(year, 6, 2)
        return [p.key for p in calendar.plan(content.events, start, end, zone, content.documents)]

    assert "event:ket-qua-nam:2024-06-01:0" in sends(2024)  # the document holds through 2024
    assert not any(k.startswith("event:ket-qua-nam") for k in sends(2025))  # not news after its time


def test_the_yearly_events_shipped_cite_no_stale_year() -> None:
    content = load_content(default_content_dir())
    assert content.errors == []
    for event in content.events:
        if event.document is None and not event.date.once:
            assert "2023" not in event.talking_points and "2024" not in event.talking_points, event.id


async def test_the_whole_section_button_shows_the_section_with_its_place(
    folder: Path, tmp_path: Path
) -> None:
    from bot.channels import load_settings
    from bot.core import Incoming
    from bot.router import Router

    _import(folder, SOURCE)
    app = await open_app(load_settings(env_file=None, db=tmp_path / "s.db", content_dir=folder))
    try:
        router = Router(app)
        [reply] = await router.handle(Incoming("console", "u", "u", text="thu nhap binh quan dau nguoi 2024"))
        data = reply.buttons[0][0].data
        [whole] = await router.handle(Incoming("console", "u", "u", data=data))
        assert whole.text.startswith("📖 Nội dung tuyên truyền › Kết quả nổi bật năm 2024 › Về kinh tế")
        assert "8,6%" in whole.text and "52,3 triệu" in whole.text and "Hướng dẫn 42-HD/BTGTU" in whole.text
        [forged] = await router.handle(Incoming("console", "u", "u", data="sec:42-hd-btgtu:IX.9"))
        assert forged.text == texts.STALE_BUTTON
    finally:
        await app.close()


def test_forms_of_address_are_dropped_and_uncle_ho_is_president_ho_chi_minh(kb) -> None:
    assert kb.query_tokens("ông Lê Chí Công ký văn bản")[0][:3] == ["le", "chi", "cong"]
    assert kb.query_tokens("đồng chí bí thư tỉnh nói gì")[0] == ["bi", "thu", "tinh"]
    assert kb.query_tokens("bác hồ dạy gì")[0][:5] == ["chu", "tich", "ho", "chi", "minh"]
    assert kb.query_tokens("phía bac")[0] == ["phia", "bac"]  # "bac" without accents may be "bắc": kept
