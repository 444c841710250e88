"""The loudspeaker's spoken Vietnamese: written forms collected from real guidance (dates, times, figures with
units and separators, percentages, money, ranges, document numbers, abbreviations) as they are read aloud."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot import bulletin
from bot.content import Content
from bot.spoken import number

SPOKEN = [
    ("ngày 21/11/2025", "ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi lăm"),
    ("21/11/2025", "ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi lăm"),
    ("ngày 05/3/2024", "ngày năm tháng ba năm hai nghìn không trăm hai mươi tư"),
    ("12/3", "ngày mười hai tháng ba"),
    ("ngày 1/1/2004", "ngày một tháng một năm hai nghìn không trăm linh bốn"),
    ("ngày 30/4/1975", "ngày ba mươi tháng tư năm một nghìn chín trăm bảy mươi lăm"),
    ("ngày 2-9-1945", "ngày hai tháng chín năm một nghìn chín trăm bốn mươi lăm"),
    ("ngày 21.11.2025", "ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi lăm"),
    ("tháng 3/2024", "tháng ba năm hai nghìn không trăm hai mươi tư"),
    ("tháng 12/2023", "tháng mười hai năm hai nghìn không trăm hai mươi ba"),
    ("năm 2024", "năm hai nghìn không trăm hai mươi tư"),
    ("năm 2000", "năm hai nghìn"),
    ("năm 1930", "năm một nghìn chín trăm ba mươi"),
    ("năm 2010", "năm hai nghìn không trăm mười"),
    ("năm 2005", "năm hai nghìn không trăm linh năm"),
    ("quý I/2024", "quý một năm hai nghìn không trăm hai mươi tư"),
    ("quý IV/2023", "quý bốn năm hai nghìn không trăm hai mươi ba"),
    ("quý 2/2025", "quý hai năm hai nghìn không trăm hai mươi lăm"),
    ("Đại hội XIV", "Đại hội mười bốn"),
    ("khóa XV", "khóa mười lăm"),
    ("lần thứ 14", "lần thứ mười bốn"),
    ("Lần thứ XIII", "Lần thứ mười ba"),
    ("thứ 2", "thứ hai"),
    ("thứ 4", "thứ tư"),
    ("thứ 1", "thứ nhất"),
    ("14:05", "mười bốn giờ năm phút"),
    ("7h30", "bảy giờ ba mươi phút"),
    ("19h", "mười chín giờ"),
    ("8 giờ 30 phút", "tám giờ ba mươi phút"),
    ("07:00", "bảy giờ"),
    ("17h00", "mười bảy giờ"),
    ("23:59", "hai mươi ba giờ năm mươi chín phút"),
    ("8,6%", "tám phẩy sáu phần trăm"),
    ("100%", "một trăm phần trăm"),
    ("0,5%", "không phẩy năm phần trăm"),
    ("10 - 15%", "mười đến mười lăm phần trăm"),
    ("37/43 chỉ tiêu", "ba mươi bảy trên bốn mươi ba chỉ tiêu"),
    ("3/4 số hộ", "ba trên bốn số hộ"),
    ("8/8 huyện", "tám trên tám huyện"),
    ("2.000 tỷ đồng", "hai nghìn tỷ đồng"),
    ("1.250.000 đồng", "một triệu hai trăm năm mươi nghìn đồng"),
    ("52,3 triệu đồng/người/năm", "năm mươi hai phẩy ba triệu đồng một người một năm"),
    ("1,5 triệu", "một phẩy năm triệu"),
    ("15 triệu đồng", "mười lăm triệu đồng"),
    ("500.000 đ", "năm trăm nghìn đồng"),
    ("10.000 VNĐ", "mười nghìn đồng"),
    ("1,2 tỷ USD", "một phẩy hai tỷ đô la Mỹ"),
    ("2021-2025", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
    ("2021 - 2025", "hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
    ("5-7 ngày", "năm đến bảy ngày"),
    ("15 - 20 người", "mười lăm đến hai mươi người"),
    ("5-7 ha", "năm đến bảy héc-ta"),
    ("Quyết định số 2579/QĐ-UBND", "Quyết định số hai nghìn năm trăm bảy mươi chín của Ủy ban nhân dân"),
    ("2579/QĐ-UBND", "Quyết định số hai nghìn năm trăm bảy mươi chín của Ủy ban nhân dân"),
    ("15-HD/BTGTU", "Hướng dẫn số mười lăm của Ban Tuyên giáo Tỉnh ủy"),
    ("Hướng dẫn số 15-HD/BTGTU", "Hướng dẫn số mười lăm của Ban Tuyên giáo Tỉnh ủy"),
    (
        "Nghị định 45/2024/NĐ-CP",
        "Nghị định số bốn mươi lăm năm hai nghìn không trăm hai mươi tư của Chính phủ",
    ),
    ("Nghị quyết số 57-NQ/TW", "Nghị quyết số năm mươi bảy của Trung ương"),
    ("Chỉ thị 05-CT/TW", "Chỉ thị số năm của Trung ương"),
    ("Kế hoạch 130-KH/TU", "Kế hoạch số một trăm ba mươi của Tỉnh ủy"),
    (
        "1147-QĐ/BTGDVTW",
        "Quyết định số một nghìn một trăm bốn mươi bảy của Ban Tuyên giáo và Dân vận Trung ương",
    ),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("HĐND xã", "Hội đồng nhân dân xã"),
    ("MTTQ Việt Nam", "Mặt trận Tổ quốc Việt Nam"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("BCĐ tỉnh", "Ban Chỉ đạo tỉnh"),
    ("KT-XH", "kinh tế - xã hội"),
    ("QP-AN", "quốc phòng - an ninh"),
    ("BHYT", "bảo hiểm y tế"),
    ("GRDP", "tổng sản phẩm trên địa bàn"),
    ("THCS", "trung học cơ sở"),
    ("CCCD", "căn cước công dân"),
    ("TP Lai Châu", "thành phố Lai Châu"),
    ("Tp. Lai Châu", "thành phố Lai Châu"),
    ("1 km", "một ki-lô-mét"),
    ("5 ha", "năm héc-ta"),
    ("12,5 km2", "mười hai phẩy năm ki-lô-mét vuông"),
    ("30 kg", "ba mươi ki-lô-gam"),
    ("25°C", "hai mươi lăm độ C"),
    ("45 người", "bốn mươi lăm người"),
    ("101 hộ", "một trăm linh một hộ"),
    ("105", "một trăm linh năm"),
    ("110", "một trăm mười"),
    ("115", "một trăm mười lăm"),
    ("1.005", "một nghìn không trăm linh năm"),
    ("1.015", "một nghìn không trăm mười lăm"),
    ("2.025", "hai nghìn không trăm hai mươi lăm"),
    ("2.579", "hai nghìn năm trăm bảy mươi chín"),
    ("10.000", "mười nghìn"),
    ("100.000 người", "một trăm nghìn người"),
    ("1.000.000", "một triệu"),
    ("1.000.001", "một triệu không trăm linh một"),
    ("2.000.000.000", "hai tỷ"),
    ("21", "hai mươi mốt"),
    ("24", "hai mươi tư"),
    ("25", "hai mươi lăm"),
    ("31", "ba mươi mốt"),
    ("34", "ba mươi tư"),
    ("44", "bốn mươi tư"),
    ("55", "năm mươi lăm"),
    ("0912345678", "không chín một hai ba bốn năm sáu bảy tám"),
    ("0,05", "không phẩy không năm"),
    ("12,05", "mười hai phẩy không năm"),
    ("2,25", "hai phẩy hai mươi lăm"),
    ("ngày 15 tháng 01 năm 2025", "ngày mười lăm tháng một năm hai nghìn không trăm hai mươi lăm"),
    ("tháng 4", "tháng tư"),
    ("tháng 1", "tháng một"),
    ("từ 5/9", "từ ngày năm tháng chín"),
    ("đến 10/10", "đến ngày mười tháng mười"),
    ("sáng 12/3", "sáng ngày mười hai tháng ba"),
    ("0h", "không giờ"),
    ("Phụ lục II", "Phụ lục hai"),
    ("Điều 5", "Điều năm"),
    ("khoản 2 Điều 5", "khoản hai Điều năm"),
    ("mục II.1", "mục hai chấm một"),
    ("Phần I", "Phần một"),
    # A QA pass's forms: date and time ranges, slashes, phone numbers, document numbers of other shapes.
    ("30/4 - 1/5", "từ ngày ba mươi tháng tư đến ngày một tháng năm"),
    (
        "Từ ngày 15-20/3/2025",
        "Từ ngày mười lăm đến ngày hai mươi tháng ba năm hai nghìn không trăm hai mươi lăm",
    ),
    ("15 - 20/3", "từ ngày mười lăm đến ngày hai mươi tháng ba"),
    ("Đ/c Nguyễn Văn A", "Đồng chí Nguyễn Văn A"),
    ("xã/phường", "xã, phường"),
    ("0912.345.678", "không chín một hai ba bốn năm sáu bảy tám"),
    ("1900 1234", "một chín không không một hai ba bốn"),
    (
        "Luật số 45/2019/QH14",
        "Luật số bốn mươi lăm năm hai nghìn không trăm mười chín của Quốc hội khóa mười bốn",
    ),
    ("Số 12/KH-UBND", "Kế hoạch số mười hai của Ủy ban nhân dân"),
    ("theo QĐ 12/QĐ-UBND", "theo Quyết định số mười hai của Ủy ban nhân dân"),
    ("Quyết định 1234/QĐ-TTg", "Quyết định số một nghìn hai trăm ba mươi tư của Thủ tướng Chính phủ"),
    ("7h-11h", "bảy giờ đến mười một giờ"),
    ("13h30-17h", "mười ba giờ ba mươi phút đến mười bảy giờ"),
    ("7:30 - 11:30", "bảy giờ ba mươi phút đến mười một giờ ba mươi phút"),
    ("Covid-19", "Covid mười chín"),
    ("-5%", "âm năm phần trăm"),
    ("60 km/h", "sáu mươi ki-lô-mét một giờ"),
    ("25.000đ/kg", "hai mươi lăm nghìn đồng một ki-lô-gam"),
    ("Thế kỷ XXI", "Thế kỷ hai mươi mốt"),
    ("2/9 là ngày Quốc khánh", "ngày hai tháng chín là ngày Quốc khánh"),
    ("đạt 8/8 huyện", "đạt tám trên tám huyện"),
    ("Phó CT UBND xã", "Phó Chủ tịch Ủy ban nhân dân xã"),
    ("Đoàn TN xã", "Đoàn TN xã"),
    ("CNTT", "công nghệ thông tin"),
    ("24h", "hai mươi tư giờ"),
    ("7g30", "bảy giờ ba mươi phút"),
]


def test_the_table_has_at_least_a_hundred_written_forms() -> None:
    assert len(SPOKEN) >= 100 and len({w for w, _ in SPOKEN}) == len(SPOKEN)


@pytest.mark.parametrize(("written", "spoken"), SPOKEN)
def test_a_written_form_is_read_as_it_is_spoken(content: Content, written: str, spoken: str) -> None:
    assert bulletin.reader(content).read(written) == spoken


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (10, "mười"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (2_005_000_000, "hai tỷ không trăm linh năm triệu"),
        (-3, "âm ba"),
    ],
)
def test_numbers_in_words(n: int, words: str) -> None:
    assert number(n) == words


def test_a_bulletin_opens_closes_keeps_sentences_short_and_says_its_reading_time(content: Content) -> None:
    text = (
        "Ngày 21/11/2025, UBND tỉnh ban hành Quyết định số 2579/QĐ-UBND; tỉnh hoàn thành 37/43 chỉ tiêu "
        "KT-XH, thu nhập bình quân đạt 52,3 triệu đồng/người/năm, tăng 8,6% so với năm trước, tỷ lệ hộ "
        "nghèo giảm còn 12,5%, có thêm 15 xã đạt chuẩn nông thôn mới, 100% thôn bản có đường ô tô."
    )
    made = bulletin.make(content, "Kết quả năm 2025", text)
    lines = made.script.split("\n")
    assert (
        lines[0]
        == "Kính thưa bà con nhân dân! Sau đây là bản tin kết quả năm hai nghìn không trăm hai mươi lăm."
    )
    assert lines[-1] == "Bản tin đến đây là hết. Xin cảm ơn bà con đã lắng nghe."
    assert not any(c.isdigit() for c in made.script) and "UBND" not in made.script
    sentences = [s for s in lines[1:-1] if s]
    assert len(sentences) >= 3 and all(len(s.split()) <= 26 for s in sentences)
    assert "ba mươi bảy trên bốn mươi ba chỉ tiêu kinh tế - xã hội" in made.script
    assert made.seconds == round(len(re.findall(r"\w+", made.script)) * 60 / 150)  # 150 syllables a minute
    assert made.duration.endswith("giây")


def test_every_calendar_event_makes_a_script_with_nothing_left_in_figures(content: Content) -> None:
    from bot.errors import BadInput

    for event in content.events:
        if event.audience.roles:  # a reminder to officers or propagandists: not read to residents
            with pytest.raises(BadInput, match="không phải bản tin cho bà con"):
                bulletin.of_event(content, event.id, date(2026, 12, 3))
            continue
        made = bulletin.of_event(content, event.id, date(2026, 12, 3))
        assert made.script.startswith("Kính thưa bà con nhân dân!") and made.seconds > 10, event.id
        assert not any(c.isdigit() for c in made.script), (event.id, made.script)


def test_a_bulletin_refuses_what_cannot_be_one(content: Content) -> None:
    from bot.errors import BadInput, Conflict, NotFound

    with pytest.raises(BadInput, match="quá ngắn"):
        bulletin.make(content, "", "  - \n ")
    with pytest.raises(BadInput, match="xin rút gọn"):
        bulletin.make(content, "", "Họp dân. " * 1000)
    with pytest.raises(NotFound, match="Không có sự kiện"):
        bulletin.of_event(content, "khong-co", date(2026, 12, 3))
    with pytest.raises(NotFound, match="không có mục"):
        bulletin.of_document(content, "hd-ktxh-2023", ["IX.9"], date(2024, 3, 15))
    with pytest.raises(Conflict, match="đã hết hiệu lực"):  # never news after its time
        bulletin.of_document(content, "hd-ktxh-2023", ["II.1.6"], date(2026, 12, 3))
    assert bulletin.of_document(content, "hd-ktxh-2023", ["II.1.6"], date(2024, 3, 15)).seconds > 10


def test_a_bulletin_reads_questions_names_markup_and_long_figures_as_a_listener_needs(
    content: Content,
) -> None:
    from bot.errors import BadInput

    asked = bulletin.make(content, "Hướng dẫn này về nội dung gì?", "Hướng dẫn gồm ba phần chính của năm.")
    assert asked.script.startswith("Kính thưa bà con nhân dân! Bà con hỏi: Hướng dẫn này về nội dung gì? Sau")
    named = bulletin.make(content, "Tết Dương lịch", "Chúc mừng năm mới đến bà con.")
    assert "bản tin Tết Dương lịch." in named.script
    marked = bulletin.make(content, "", "Họp <b>dân</b> tối nay<script>x</script> tại nhà văn hóa.")
    assert "<" not in marked.script and "Họp dân tối nay" in marked.script
    listed = (
        "Tuyên truyền trên các nền tảng (Zalo, Facebook, YouTube, TikTok, trang thông tin điện tử của xã, "
        "nhóm của thôn, bản), qua loa truyền thanh cơ sở, qua các buổi họp dân ở thôn, bản, tổ dân phố và "
        "qua đội ngũ báo cáo viên, tuyên truyền viên ở cơ sở."
    )
    lines = bulletin.make(content, "", listed).script.split("\n")
    assert any("(Zalo, Facebook, YouTube, TikTok" in line and "thôn, bản)" in line for line in lines)
    with pytest.raises(BadInput, match="quá 10 phút"):  # the limit holds once figures are said in words
        bulletin.make(content, "", "Ngày 15/3/2025, hỗ trợ 1.234.567 đồng. " * 140)
