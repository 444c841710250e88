import unicodedata

import pytest

from bot.content import default_content_dir, load_content
from bot.textnorm import fold_words, normalize, plain_key, strip_accents


@pytest.fixture(scope="module")
def abbr():
    return load_content(default_content_dir()).abbreviations


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("uý", "úy"), ("khoẻ", "khỏe"), ("hoạ", "họa"), ("Thuỷ", "thủy")],
)
def test_old_and_new_tone_placement_fold_alike(old: str, new: str) -> None:
    assert fold_words(old) == fold_words(new) == [new.lower()]


@pytest.mark.parametrize("word", ["quý", "già", "gì", "hoàng", "huỳnh", "người", "khuỷu", "giữa", "quyết"])
def test_words_already_canonical_are_unchanged(word: str) -> None:
    assert fold_words(word) == [word]


def test_nfd_input_equals_nfc() -> None:
    text = "Kết luận số 64-KL/TW ngày 18/10/2023"
    assert normalize(unicodedata.normalize("NFD", text)) == normalize(text)


def test_accent_free_form_maps_d_stroke() -> None:
    assert strip_accents("Đảng đoàn kết") == "Dang doan ket"
    assert normalize("ĐẢNG").plain == ("dang",)


def test_punctuation_spaces_and_control_characters_fold() -> None:
    assert fold_words("  Thu   ngân\tsách!!!\x07 (2023)?? ") == ["thu", "ngân", "sách", "2023"]


def test_numbers_compare_as_numbers() -> None:
    assert fold_words("2.000 tỷ") == ["2000", "tỷ"]
    assert fold_words("ngày 09/11/2023") == ["ngày", "9", "11", "2023"]
    assert normalize("COP26").plain == normalize("cop 26").plain
    assert normalize("Đại hội XIV").plain == normalize("dai hoi 14").plain


def test_y_and_i_spellings_join() -> None:
    assert plain_key("tỷ đồng") == plain_key("tỉ đồng") == "ti dong"


@pytest.mark.parametrize(
    ("typed", "expanded"),
    [
        ("kt-xh 2023", "kinh te xa hoi 2023"),
        ("ktxh", "kinh te xa hoi"),
        ("KT - XH", "kinh te xa hoi"),
        ("ubnd tinh", "uy ban nhan dan tinh"),
        ("hđnd", "hoi dong nhan dan"),
        ("mttq", "mat tran to quoc"),
        ("qđ 2218", "quyet dinh 2218"),
        ("nq 103", "nghi quyet 103"),
        ("ko dc", "khong duoc"),
        ("hok đc", "khong duoc"),
        ("bn chi tieu", "bao nhieu chi tieu"),
    ],
)
def test_abbreviations_expand_as_whole_tokens(abbr, typed: str, expanded: str) -> None:
    assert normalize(typed, abbr).plain_text == expanded


def test_abbreviation_inside_a_word_or_an_accented_word_is_left_alone(abbr) -> None:
    assert normalize("bán hàng", abbr).plain_text == "ban hang"
    assert normalize("ktxhabc", abbr).plain_text == "ktxhabc"
