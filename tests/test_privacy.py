"""Residents' names and phone numbers are masked; titles, groups of people and public names are not."""

from __future__ import annotations

import pytest

from bot.privacy import find_personal, mask

# (typed, what is stored): names in every way people type them, and phone numbers.
MASKED = [
    ("ông Lò Văn Pằng hỏi về giá điện", "ông *** hỏi về giá điện"),
    ("ong lo van pang hoi ve gia dien", "ong *** hoi ve gia dien"),
    ("ÔNG LÒ VĂN PẰNG HỎI VỀ GIÁ ĐIỆN", "ÔNG *** HỎI VỀ GIÁ ĐIỆN"),
    ("hộ ông Tòng Văn Hặc xin hỗ trợ làm nhà", "hộ ông *** xin hỗ trợ làm nhà"),
    ("hộ Lò Văn Sinh chưa có nước sạch", "hộ *** chưa có nước sạch"),
    ("gia đình anh Hùng chưa có điện", "gia đình anh *** chưa có điện"),
    ("gia dinh anh hung chua co dien", "gia dinh anh *** chua co dien"),
    ("chị lan hỏi về bảo hiểm y tế", "chị *** hỏi về bảo hiểm y tế"),
    ("chi Lan hoi ve bao hiem", "chi *** hoi ve bao hiem"),
    ("anh tuan hoi ve vay von", "anh *** hoi ve vay von"),
    ("Thào Seo Lử hỏi về đất rừng", "*** hỏi về đất rừng"),
    ("giang a pao hoi ve dat rung", "*** hoi ve dat rung"),
    ("cụ Giàng A Páo hỏi về chế độ người có uy tín", "cụ *** hỏi về chế độ người có uy tín"),
    ("ông Sùng hỏi về đất", "ông *** hỏi về đất"),
    ("mẹ Lò Thị Mỷ ốm", "mẹ *** ốm"),
    ("ông Nguyễn Thị Thu Hà", "ông ***"),
    ("Nguyễn Minh Tuấn hỏi lương hưu", "*** hỏi lương hưu"),
    ("SĐT 0912 345 678 của bà Mỷ", "SĐT *** của bà ***"),
    ("gọi số 0912345678 để hỏi", "gọi số *** để hỏi"),
    ("liên hệ +84 912 345 678", "liên hệ ***"),
    ("anh Hùng Bản Nà Tăm hỏi", "anh *** Bản Nà Tăm hỏi"),
]

# Nothing to mask: people in general, titles, words that look like honorifics, public names, figures.
KEPT = [
    "bà con hỏi khi nào làm đường",
    "Bà con hỏi về giá điện và chuyển đổi số",
    "ông Chủ tịch xã nói sẽ làm đường",
    "đồng chí Bí thư xã trả lời bà con",
    "anh em trong bản hỏi về vay vốn",
    "chị em phụ nữ hỏi vay vốn",
    "cô giáo hỏi về lương",
    "hộ nghèo hỏi vay vốn",
    "nhà văn hóa bản chưa có loa",
    "dân có lo về giá phân bón",
    "dân có lo vấn đề giá điện",
    "anh thanh niên hỏi việc làm",
    "Bác Hồ dạy thanh niên",
    "Chủ tịch Hồ Chí Minh",
    "Người dân bản Nà Tăm hỏi về thu ngân sách năm 2023",
    "tỉnh đạt 37/43 chỉ tiêu năm 2023, tăng 2.000 tỷ",
    "Bà Con Hỏi Về Giá Điện Nước Sinh Hoạt",
    "Tỉnh ủy Lai Châu",
    "ba nguoi hoi ve dien",
]


@pytest.mark.parametrize(("typed", "stored"), MASKED)
def test_names_and_phone_numbers_are_masked(typed: str, stored: str) -> None:
    assert mask(typed) == stored


@pytest.mark.parametrize("typed", KEPT)
def test_titles_groups_and_public_names_are_kept(typed: str) -> None:
    assert find_personal(typed) == []
    assert mask(typed) == typed


def test_names_the_content_uses_are_public() -> None:
    assert mask("bản Lò Văn Tám") == "bản ***"
    assert mask("bản Lò Văn Tám", public={"lo van tam"}) == "bản Lò Văn Tám"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Cô giáo Lan hỏi về phụ cấp", "Cô giáo *** hỏi về phụ cấp"),
        ("Trưởng bản Giàng A Páo ở Sìn Hồ đề nghị làm đường", "Trưởng bản *** ở Sìn Hồ đề nghị làm đường"),
        ("Ông Chu Á Pớ hỏi về điện", "Ông *** hỏi về điện"),
        ("Chị Hà Thị Phương hỏi về trợ cấp", "Chị *** hỏi về trợ cấp"),
        ("Ông Hải ở số nhà 8 đường Lê Lợi báo đèn hỏng", "Ông *** ở *** đường Lê Lợi báo đèn hỏng"),
        ("Số CCCD 012345678901 của bà Lan bị ghi sai", "Số CCCD *** của bà *** bị ghi sai"),
    ],
)
def test_titles_minority_names_house_and_id_numbers(typed: str, stored: str) -> None:
    assert mask(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "Dân phản ánh đường hỏng",
        "dan phan anh duong hong",
        "Đường Trần Phú đang sửa",
        "Trường THCS Lê Quý Đôn cần thêm giáo viên",
        "Phong Thổ có cửa khẩu Ma Lù Thàng",
        "Cầu Nậm Tăm bị hỏng",
        "Bà con hỏi về tượng đài Quang Trung",
    ],
)
def test_roads_schools_and_places_named_after_people_are_kept(typed: str) -> None:
    assert mask(typed) == typed


def test_what_is_found_says_its_kind() -> None:
    found = find_personal("bà Lò Thị Mỷ, số 0987 654 321")
    assert [(f.kind, f.text) for f in found] == [("name", "Lò Thị Mỷ"), ("phone", "0987 654 321")]
