"""Answers from real documents: a decision with its attached regulation, appendix table, «Nơi nhận» and
signature block, imported from DOCX, PDF and TXT as departments lay them out (tests/docgen.py), read whole,
and asked the way propagandists ask — accented, unaccented, colloquial, paraphrased — with figures the
document does not give declined honestly."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot import asking, doclayout, docread, documents, texts
from bot.answers import NO_FIGURE_IN_DOCUMENT, SAY_NONE, answer
from bot.channels import load_settings
from bot.content import Source, default_content_dir, load_content
from bot.matcher import KnowledgeBase
from handlers import ask as ask_feature
from handlers.ask import MORE, MORE_BUTTON, on_more_button, render
from tests import docgen
from tests.helpers import loa, open_app

DATA = Path(__file__).parent / "data"
SOURCE = (DATA / "qd-12-2025.txt").read_text(encoding="utf-8")
QUESTIONS = [json.loads(line) for line in (DATA / "qd-12-2025-questions.jsonl").read_text().splitlines()]
TODAY = date(2025, 6, 1)
FORMATS = {
    "docx": lambda: docgen.spec_docx(SOURCE),
    "pdf": lambda: docgen.spec_pdf(SOURCE, one_line_header=True),
    "txt": lambda: docgen.spec_txt(SOURCE),
}


def _content(tmp_path: Path, kind: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    path = docgen.write(tmp_path, f"quyet-dinh.{kind}", FORMATS[kind]())
    documents.import_file(path, content, documents.Overrides(), False, set())
    return content


@pytest.fixture(scope="module", params=list(FORMATS))
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    content = load_content(_content(tmp_path_factory.mktemp(request.param), request.param))
    assert content.errors == []
    return KnowledgeBase(content, today=TODAY)


def _right(item: dict, status: str, text: str) -> bool:
    """The corpus rule: an answer holding one spelling of every fact; a decline for what is not there."""
    if item["facts"] is None:
        return status in ("none", "suggest")
    return status in ("answer", "passage") and all(any(f in text for f in group) for group in item["facts"])


@pytest.mark.parametrize("kind", list(FORMATS))
def test_a_decision_is_read_whole_with_its_attached_parts(tmp_path: Path, kind: str) -> None:
    path = docgen.write(tmp_path, f"quyet-dinh.{kind}", FORMATS[kind]())
    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    out = loa("content", "import", str(path), "--json", env={"LOA_CONTENT_DIR": str(content)}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert (summary["kind"], summary["number"], summary["issued"], summary["place"]) == (
        "QĐ", "12/QĐ-UBND", "2025-03-05", "Tam Đường",
    )  # fmt: skip
    assert summary["issuer"] == "Ủy ban nhân dân huyện Tam Đường"
    assert summary["title"] == (
        "Quyết định ban hành Quy định hỗ trợ tuyên truyền viên cơ sở trên địa bàn huyện Tam Đường"
    )
    assert summary["signer"] == "Lò Văn Pấng"
    assert summary["signer_title"] == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    assert summary["parts"] == [
        "Quy định hỗ trợ tuyên truyền viên cơ sở trên địa bàn huyện Tam Đường",
        "Phụ lục: Mức hỗ trợ buổi tuyên truyền lưu động",
    ]
    assert (summary["tables"], summary["table_rows"], summary["warnings"]) == (1, 3, [])

    doc = load_content(content).documents["12-qd-ubnd"]
    sections = {s.id: s for s in doc.sections}
    assert sections["D2"].label == "Điều 2"
    clause = sections["A1.CII.D3.1"]
    assert (clause.label, clause.part) == ("khoản 1 Điều 3", "Quy định")
    assert clause.path[0] == "Quy định hỗ trợ tuyên truyền viên cơ sở trên địa bàn huyện Tam Đường"
    texts_of = {p.section: [] for p in doc.passages}
    for p in doc.passages:
        texts_of[p.section].append(p.text)
    # What follows the signature is knowledge; the signature block and decorations are not passages.
    assert texts_of["A1.CII.D4.2"] == [
        "Ủy ban nhân dân xã thẩm định và chi trả trong vòng 07 ngày làm việc kể từ ngày nhận đủ hồ sơ."
    ]
    assert "Sở Văn hóa, Thể thao và Du lịch tỉnh (b/c);" in texts_of["recipients"]
    rows = [p.text for p in doc.passages if p.row]
    assert rows[1] == (
        "2. Nội dung: Buổi chiếu phim tuyên truyền ở bản; Mức hỗ trợ: 200.000 đồng/buổi; "
        "Ghi chú: Tối đa 2 buổi/tháng"
    )
    every = [p.text for p in doc.passages]
    assert not any(t in ("QUYẾT ĐỊNH:", "Lò Văn Pấng", "PHÓ CHỦ TỊCH", "2") for t in every)
    assert all(any(c.isalpha() for c in t) for t in every)


@pytest.mark.parametrize("item", QUESTIONS, ids=[q["q"][:40] for q in QUESTIONS])
def test_questions_typed_every_way_find_the_sentence_or_are_declined(kb: KnowledgeBase, item: dict) -> None:
    out = answer(kb, item["q"], TODAY)
    assert _right(item, out.status, out.text), (out.status, out.text)


def test_the_reply_is_the_sentence_with_its_part_document_date_and_issuer(kb: KnowledgeBase) -> None:
    out = answer(kb, "tuyên truyền viên ở bản đặc biệt khó khăn được hỗ trợ bao nhiêu", TODAY)
    assert out.text == "Tuyên truyền viên ở bản đặc biệt khó khăn được hỗ trợ 450.000 đồng/người/tháng."
    assert out.source == (
        "khoản 1 Điều 3, Quy định kèm theo Quyết định 12/QĐ-UBND ngày 5/3/2025 của UBND huyện Tam Đường"
    )
    signer = answer(kb, "Ai ký quyết định 12?", TODAY)  # «ký», not «kỹ năng» of Điều 5
    assert "Lò Văn Pấng" in signer.text and signer.source == (
        "Quyết định 12/QĐ-UBND ngày 5/3/2025 của UBND huyện Tam Đường"
    )


def test_a_figure_the_document_does_not_give_is_declined_and_what_it_says_is_shown(kb: KnowledgeBase) -> None:
    out = answer(kb, "Mỗi xã có bao nhiêu tuyên truyền viên?", TODAY)
    assert out.status in ("none", "suggest")
    assert out.text.startswith(NO_FIGURE_IN_DOCUMENT.split(";")[0]) or out.text == SAY_NONE


@pytest.mark.parametrize(
    "question",
    [
        "mức phụ cấp của trưởng thôn là bao nhiêu",  # the figure of another subject (tuyên truyền viên)
        "truong thon dc ho tro bn tien",
        "Hội đồng nhân dân huyện thông qua nghị quyết về tuyên truyền viên ngày nào?",  # only a cited date
    ],
)
def test_a_figure_or_day_of_another_subject_is_not_the_answer(kb: KnowledgeBase, question: str) -> None:
    out = answer(kb, question, TODAY)
    assert out.status in ("none", "suggest"), out.text
    assert "450.000" not in out.text.split("«")[0] and "300.000" not in out.text.split("«")[0]


def test_more_passages_of_the_same_question_and_a_stale_one(kb: KnowledgeBase) -> None:
    out = answer(kb, "tuyên truyền viên được hỗ trợ bao nhiêu tiền", TODAY)
    assert out.status == "passage" and out.more
    assert all(doc == "12-qd-ubnd" for doc, *_ in out.more)  # never an unrelated document
    reply = render(out)
    assert reply.text.endswith(MORE)
    data = [b.data for row in reply.buttons for b in row if b.data.startswith("psg:")]
    assert data and len(data) == min(len(out.more), 2 if out.section else 3)  # three choices at most
    assert len(reply.options()) <= 3


async def test_the_more_button_shows_the_passage_whole_and_a_forged_one_is_stale(tmp_path: Path) -> None:
    content = _content(tmp_path, "txt")
    settings = load_settings(env_file=None, db=str(tmp_path / "loa.db"), content_dir=str(content))
    app = await open_app(settings)
    try:
        doc = app.content.documents["12-qd-ubnd"]
        index = next(i for i, p in enumerate(doc.passages) if p.section == "A1.CII.D4.2")
        values = MORE_BUTTON.unpack(MORE_BUTTON.pack("12-qd-ubnd", index))
        assert values is not None
        [reply] = await on_more_button(app, None, values)  # type: ignore[arg-type]
        assert "07 ngày làm việc" in reply.text
        cite = app.content.cite(Source(document="12-qd-ubnd", section="A1.CII.D4.2"), app.today())
        assert cite in reply.text
        [stale] = await on_more_button(app, None, ("12-qd-ubnd", 99_999))  # type: ignore[arg-type]
        assert stale.text == texts.STALE_BUTTON
    finally:
        await app.close()
    assert MORE_BUTTON.unpack("psg:../etc/passwd:1") is None


def test_a_text_with_no_header_keeps_its_first_lines(tmp_path: Path) -> None:
    text = "I. MỤC ĐÍCH\n1. Giúp người dân hiểu rõ chính sách hỗ trợ nhà ở năm 2025.\nII. NỘI DUNG\n"
    text += "1. Mỗi hộ nghèo được hỗ trợ 60 triệu đồng để xây nhà.\n"
    blocks, warnings = documents.read_bytes(text.encode(), "ghi-chu.txt")
    imported = documents.build(blocks, warnings, documents.Overrides(id="ghi-chu"), "ghi-chu.txt")
    passages = [p["text"] for p in imported.data["passages"]]
    assert passages[0] == "Giúp người dân hiểu rõ chính sách hỗ trợ nhà ở năm 2025."
    assert any("60 triệu đồng" in p for p in passages)
    assert doclayout.WARN_NO_NUMBER in imported.warnings


@pytest.mark.parametrize(
    ("question", "kind", "counts"),
    [
        ("qđ 2579 cần thơ ký ngày mấy", asking.ISSUED, ""),
        ("kh 7360 ai ký v", asking.SIGNER, ""),
        ("khiếu nại gửi chậm nhất mấy ngày sau khi công bố điểm", asking.NUMBER, "ngay"),
        ("bn % xã có điểm tư vấn", asking.NUMBER, "%"),
        ("hỗ trợ mỗi hộ bao nhiêu tiền", asking.NUMBER, "tien"),
        ("thông tư số mấy của bộ tài chính", asking.DOCUMENT, ""),
        ("đợt thi đua bắt đầu từ khi nào", asking.DATE, ""),
        ("sở nào lo kinh phí", asking.BODY, ""),
        ("có dân số bao nhiêu người", asking.NUMBER, "nguoi"),
        ("mức trợ cấp xã hội hằng tháng là bao nhiêu", asking.NUMBER, "tien"),
    ],
)
def test_what_a_question_asks_for(question: str, kind: str, counts: str) -> None:
    wants = asking.asked(question)
    assert (wants.main, wants.counts) == (kind, counts)


def test_what_a_sentence_holds() -> None:
    assert asking.gives_count("gửi chậm nhất 02 ngày sau khi công bố", "ngay")
    assert not asking.gives_count("trên 90% người nghiện được tư vấn", "nguoi")  # a rate is not a count
    assert not asking.gives_count("Hằng năm, đến năm 2030 giảm số người nghiện")  # «năm» and years
    assert asking.holds(asking.DOCUMENT, "theo Thông tư số 87/2025/TT-BTC")
    assert asking.holds(asking.DATE, "trước ngày 15 tháng 12 hằng năm")
    # The date of a cited document is when it was issued, not the date of what the sentence tells.
    cited = "Theo Hướng dẫn số 7886/HD-BNV ngày 14/9/2025 của Bộ Nội vụ về bầu cử nhiệm kỳ 2026 - 2031"
    assert not asking.gives_day(cited, "ngay") and not asking.holds(asking.DATE, cited.split(" về ")[0])
    assert asking.gives_day("hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6", "ngay")
    assert asking.gives_day("hoàn thành trong tháng Mười", "thang")
    assert not asking.gives_day("hoàn thành trong tháng này", "thang")
    assert asking.asked("ngày bầu cử là ngày nào").day == "ngay"
    assert asking.asked("đợt thi đua bắt đầu từ khi nào").day == ""


def test_words_for_a_question_are_content(tmp_path: Path) -> None:
    """Paraphrases and abbreviations live in content/, editable without code."""
    loaded = load_content(default_content_dir())
    groups = [set(g) for g in loaded.synonyms.paraphrases]
    assert any({"bao lâu", "thời hạn", "trong vòng"} <= g for g in groups)
    assert "qd" in {k[0] for k in loaded.abbreviations.table if len(k) == 1}
    assert ask_feature.FEATURE.buttons[-1].data is MORE_BUTTON


def test_a_heading_wrapped_in_capitals_and_a_number_broken_at_a_line_end_are_whole(tmp_path: Path) -> None:
    text = (
        "KẾ HOẠCH\ntuyên truyền phòng chống thiên tai năm 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU CỦA VIỆC TUYÊN TRUYỀN TẠI CÁC XÃ VÙNG CAO\nBIÊN GIỚI\n"
        "1. Mỗi bản tổ chức 02 buổi diễn tập mỗi năm.\n"
    )
    blocks, warnings = documents.read_bytes(text.encode(), "kh.txt")
    data = documents.build(blocks, warnings, documents.Overrides(id="kh"), "kh.txt").data
    sections = {s["id"]: s for s in data["sections"]}
    assert sections["I"]["title"].lower().endswith("các xã vùng cao biên giới")
    assert not any(p["text"].strip().upper() == "BIÊN GIỚI" for p in data["passages"])
    # A PDF line wrapped after «45-» goes on with «CT/TW»: one number again, not «45- CT/TW».
    full = "Thực hiện Kết luận và các văn bản chỉ đạo của cấp trên, theo Chỉ thị số 45-"
    lines = [full, "CT/TW ngày 14 tháng 4 năm 2025 của Bộ Chính trị về đại hội đảng bộ các cấp.", full[:70]]
    assert docread._join_wrapped(lines)[0].startswith(full + "CT/TW ngày 14")


def test_a_question_of_today_or_of_one_common_word_is_not_answered_from_a_document(kb: KnowledgeBase) -> None:
    for question in ("tuyên truyền viên hôm nay được hỗ trợ bao nhiêu", "bạn là ai", "gia vang hom nay bn"):
        out = answer(kb, question, TODAY)
        assert out.status in ("none", "suggest"), (question, out.text)


def test_a_table_row_keeps_the_group_it_sits_under(tmp_path: Path) -> None:
    text = (
        "PHỤ LỤC\nMỨC CHI\n"
        "STT | Nội dung | Mức chi\n"
        "1 | Chi hội nghị | \n"
        "1.1 | Đại biểu dự họp | 100.000 đồng/người\n"
        "1.2 | Người phục vụ | 50.000 đồng/người\n"
    )
    blocks, warnings = documents.read_bytes(text.encode(), "pl.txt")
    rows = [
        p for p in documents.build(blocks, warnings, documents.Overrides(id="pl"), "pl.txt").data["passages"]
    ]
    served = next(p for p in rows if "Người phục vụ" in p["text"])
    assert served["row"] and served["lead"] == "Chi hội nghị"
    assert served["text"] == "1.2. Nội dung: Người phục vụ; Mức chi: 50.000 đồng/người"
