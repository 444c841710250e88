"""The matcher as a user meets it: `loa eval` on question sets, and the decisions on tricky input."""

import json

import pytest

from bot.cli import main
from bot.matcher import ANSWER, NONE, PASSAGE, SUGGEST
from tests.helpers import DATA


def _eval(path, capsys) -> dict:
    assert main(["eval", "--json", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


DEV_SET = DATA / "dev-questions.jsonl"  # the development set, kept with the tests


def test_dev_set_in_scope_answered_and_out_of_scope_refused(capsys) -> None:
    summary = _eval(DEV_SET, capsys)
    assert summary["out_of_scope_refused"] == summary["out_of_scope"]
    assert summary["in_scope_correct"] == summary["in_scope"]


@pytest.mark.parametrize(
    "name", ["heldout-questions.jsonl", "heldout2-questions.jsonl", "heldout3-questions.jsonl"]
)
def test_held_out_questions(capsys, name: str) -> None:
    """Questions written apart from the FAQ phrasings, the way people type them."""
    summary = _eval(DATA / name, capsys)
    assert summary["out_of_scope_refused"] == summary["out_of_scope"]
    assert summary["in_scope_correct"] / summary["in_scope"] >= 0.95


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("tinh dat bao nhieu chi tieu nam 2023", "chi-tieu-37-43"),
        ("TỈNH ĐẠT BAO NHIÊU CHỈ TIÊU", "chi-tieu-37-43"),
        ("thu ngan sachh 2023", "thu-ngan-sach-2023"),
        ("ngansach tinh nam 2023 dat bn", "thu-ngan-sach-2023"),
        ("tuyne truyen mieng do ai lam", "tuyen-truyen-mieng"),
        ("kl 64 ngay nao", "ket-luan-64"),
        ("nghi quyet ke hoach phat trien kt-xh nam 2024 cua qh", "nghi-quyet-103"),
        ("đại hội đảng bộ tỉnh lần thứ 14", "dai-hoi-dang-bo-tinh"),
        ("cam ket cop 26", "bien-doi-khi-hau-cop26"),
    ],
)
def test_typed_without_accents_with_typos_and_abbreviations(kb, question: str, entry_id: str) -> None:
    result = kb.match(question)
    assert result.status == ANSWER
    assert result.entry.id == entry_id


def test_years_count(kb) -> None:
    r2023 = kb.match("the gioi nam 2023 dien bien the nao")
    r2024 = kb.match("the gioi nam 2024 dien bien the nao")
    assert r2023.status == r2024.status == ANSWER
    assert (r2023.entry.id, r2024.entry.id) == ("the-gioi-2023", "the-gioi-2024")


@pytest.mark.parametrize(
    "question",
    [
        "giá xăng hôm nay",
        "ket qua xo so mien bac",
        "cách chữa bệnh đau lưng",
        "thời tiết ngày mai",
        "lịch thi đấu bóng đá",
        "giá vàng bao nhiêu",
        "ai la chu tich nuoc",
        "học phí đại học năm nay",
    ],
)
def test_out_of_scope_never_gets_a_confident_answer(kb, question: str) -> None:
    assert kb.match(question).status != ANSWER


def test_near_question_gets_at_most_three_suggestions(kb) -> None:
    result = kb.match("so chi tieu vuot ke hoach nam 2023 cua tinh la bao nhieu")
    assert result.status in (SUGGEST, ANSWER)
    assert 1 <= len(result.suggestions) <= 3
    assert "chi-tieu-37-43" in {c.entry.id for c in result.suggestions}


def test_accents_that_disagree_with_the_content_count_against(kb) -> None:
    """ "đau lưng" is not "đầu" (đầu tư) although both fold to "dau"."""
    tokens, _ = kb.query_tokens("đau lưng")
    assert "dau" not in tokens


def test_a_line_quoted_from_the_document_gets_its_passage_and_section(kb) -> None:
    result = kb.match("theo dõi, kiểm tra các hoạt động tuyên truyền và cổ động trực quan trên mạng xã hội")
    assert result.status in (PASSAGE, ANSWER)
    if result.status == PASSAGE:
        assert result.passage.section == "III.4"
    else:
        assert result.entry.source.section == "III.4"
    quoted = kb.match("chú trọng định hướng tuyên truyền trên các trang thông tin điện tử")
    assert quoted.status == PASSAGE
    assert quoted.passage.section == "III.4"


def test_nothing_relevant_gets_none(kb) -> None:
    result = kb.match("lịch cúp điện tuần này")
    assert result.status == NONE


def test_an_abbreviation_weighs_as_one_idea(kb) -> None:
    """ "ubnd" is one idea, not four words outweighing the rest of the question."""
    assert kb.match("ai là chủ tịch ubnd tỉnh").status != ANSWER
    assert kb.match("chi thi 01 cua ubnd tinh").entry.id == "chi-thi-01"


def test_a_question_of_only_common_words_is_not_answered_outright(kb) -> None:
    assert kb.match("tỉnh có bao nhiêu dân").status != ANSWER
