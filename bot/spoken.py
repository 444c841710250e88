"""Written Vietnamese as it is read aloud at the village loudspeaker: numbers, dates, times, percentages,
money, ranges, document numbers and abbreviations in words.

Numbers in words are written here, not taken from num2words: its Vietnamese (0.5.14) says «một nghìn lẻ năm»
for 1005 and «hai nghìn lẻ hai mươi lăm» for 2025 (the hundreds of a later group are dropped: it should be
«không trăm»), «tám phẩy sáu mươi» for 8,6 and «mười hai phẩy năm mươi» for 12,5, and «hai mươi bốn» where
the radio says «hai mươi tư»; composing its 0–999 with our own groups, decimals and tư would leave it
little to do (``bench/spoken.py`` prints the table both ways). The written forms are read left to right by
one pattern each, the most specific first (document numbers, dates, times, ranges, ratios, then plain
numbers), and a form already read is never read again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))
MONTHS = {1: "một", 4: "tư"}  # «tháng tư»; the others as numbers
ORDINALS = {1: "nhất", 4: "tư"}  # «thứ nhất», «thứ tư»
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
ROMAN_AFTER = r"(?:quý|khóa|khoá|đại hội|lần|thứ|phần|mục|kỳ|chương|giai đoạn|phụ lục|điều|thế kỷ)"
DOT = "chấm"
COMRADE = "đồng chí"
PHONE = r"(?<![\d.,])(?:0\d{2,3}(?:[.\s]\d{3,4}){2}|1[89]00[.\s]?\d{3,4})(?![\d.,]\d)"  # read digit by digit
PER_UNITS = {"h": "giờ"}
# «đồng/người/năm», «km/h», «đ/kg»: «một» after a quantity's unit; elsewhere a slash is a pause
PER = re.compile(r"\b(đồng|người|hộ|km|ki-lô-mét|kg|ki-lô-gam|ha|héc-ta|tấn|lít|m2|m3|giờ|ngày|tháng|năm|đ)/"
                 r"(?=(người|hộ|năm|tháng|ngày|giờ|kg|km|ha|tấn|lít|h|km2|m2)\b)")  # fmt: skip
AFTER_PER = re.compile(r"\bmột (km2|m2|kg|km|ha|h)\b")  # «đ/kg»: «đồng một ki-lô-gam»
DOTTED = ("Tp", "TP", "TX", "Tx")  # «Tp. Lai Châu»: the abbreviation's full stop is not a sentence's
UNITS = {
    "km2": "ki-lô-mét vuông",
    "km": "ki-lô-mét",
    "m2": "mét vuông",
    "m3": "mét khối",
    "ha": "héc-ta",
    "kg": "ki-lô-gam",
    "m": "mét",
    "đ": "đồng",
    "VNĐ": "đồng",
    "VND": "đồng",
    "USD": "đô la Mỹ",
    "°C": "độ C",
}
SYMBOLS = {"&": " và ", "+": " cộng ", "…": "...", "–": ", ", "—": ", "}
DOCUMENT_OF = "của"
DOCUMENT_NUMBER = "số"
YEAR = "năm"
UNTIL = "đến"
OVER = "trên"
POINT = "phẩy"
PERCENT = "phần trăm"
HOUR = "giờ"
MINUTE = "phút"
DAY = "ngày"
MONTH = "tháng"
MINUS = "âm"
# «3/4 số hộ», «đạt 8/8 huyện»: a share of things counted, not a day (which «2/9 là ngày Quốc khánh» is)
COUNTED = (r"(?:số|chỉ tiêu|xã|phường|huyện|tỉnh|thôn|bản|hộ|người|đơn vị|trường|tổ|chi bộ|cơ sở|nhiệm vụ|"
           r"dự án|công trình|thủ tục|lớp|học sinh|thành viên|điểm|ý kiến|câu)\b")  # fmt: skip
COUNTING = ("đạt", "được", "có", "hoàn thành", "vượt", "điểm", "tỷ lệ", "trên")
TERM = "khóa"  # «QH14»: the fourteenth National Assembly
DATE_WORDS = (DAY, "hôm", "từ", "đến", "sáng", "chiều", "tối", "trưa", "đêm")


# -- numbers -------------------------------------------------------------------------------------------------
def _tens(n: int) -> str:
    """0–99 as said after a hundred or alone: «mười lăm», «hai mươi mốt», «ba mươi tư»."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        return DIGITS[unit]
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        return f"{head} lăm"
    if unit == 1 and tens > 1:
        return f"{head} mốt"
    if unit == 4 and tens > 1:
        return f"{head} tư"
    return f"{head} {DIGITS[unit]}"


def _group(n: int, inner: bool) -> str:
    """0–999; ``inner``: a group after a larger one, where «không trăm» and «linh» are said."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not inner:
        return _tens(rest)
    head = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return head
    return f"{head} linh {DIGITS[rest]}" if rest < 10 else f"{head} {_tens(rest)}"


def number(n: int) -> str:
    """A whole number in words: 2025 → «hai nghìn không trăm hai mươi lăm», 10⁹ → «một tỷ»."""
    if n < 0:
        return f"âm {number(-n)}"
    if n >= 10**9:
        billions, rest = divmod(n, 10**9)
        return f"{number(billions)} tỷ" + (f" {_below_billion(rest, True)}" if rest else "")
    return _below_billion(n, False)


def _below_billion(n: int, inner: bool) -> str:
    parts: list[str] = []
    for size, name in SCALES[1:]:
        group, n = divmod(n, size)
        if group:
            parts.append(f"{_group(group, inner or bool(parts))} {name}")
    if n or not parts:
        parts.append(_group(n, inner or bool(parts)))
    return " ".join(parts)


def digits(text: str) -> str:
    """Digit by digit («0912…», a code): «không chín một hai»."""
    return " ".join(DIGITS[int(c)] for c in text if c.isdigit())


def decimal(whole: str, fraction: str = "") -> str:
    """«52» «3» → «năm mươi hai phẩy ba»; a fraction with leading zeros is read digit by digit."""
    said = number(int(whole.replace(".", "")))
    if not fraction:
        return said
    part = digits(fraction) if fraction.startswith("0") else number(int(fraction))
    return f"{said} {POINT} {part}"


def roman(text: str) -> int | None:
    """I–XXXIX as a number (section and congress numbers); None for anything else."""
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = ROMAN[c]
        total += -value if i + 1 < len(text) and ROMAN[text[i + 1]] > value else value
    return total if 0 < total < 90 else None


# -- written forms -------------------------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"  # 2.000.000 or 2000
_DEC = rf"(?P<w>{_NUM})(?:,(?P<f>\d+))?"


def _dec(m: re.Match[str], w: str = "w", f: str = "f") -> str:
    return decimal(m.group(w), m.group(f) or "")


def _date(day: str, month: str, year: str | None) -> str:
    """«ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi lăm»."""
    said = f"{DAY} {number(int(day))} {MONTH} {MONTHS.get(int(month), number(int(month)))}"
    return f"{said} {YEAR} {number(int(year))}" if year else said


class Reader:
    """Reads written text aloud as words; ``words``: abbreviations in capitals and their spoken form;
    ``kinds``: the document kinds' codes (QĐ, HD, KH …) and their names."""

    def __init__(self, words: Mapping[str, str], kinds: Mapping[str, str]):
        self.words = dict(words)
        self.kinds = dict(kinds)
        known = sorted(self.words, key=len, reverse=True)  # a kind's code is said only in a number
        self._abbr = (
            re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, known)) + r")(?!\w)") if known else None
        )
        code = r"[A-ZĐ][A-Za-zĐđ]*\d*"
        kinds_said = "|".join(
            map(re.escape, sorted({*self.kinds.values(), *self.kinds}, key=len, reverse=True))
        )
        units = "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True)))
        self._rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
            (re.compile(r"\b(?P<t>[Qq]uý)\s(?P<q>IV|I{1,3}|[1-4])\s?/\s?(?P<y>\d{4})\b"), self._quarter),
            (
                re.compile(
                    rf"(?:(?P<lead>(?i:{kinds_said}))\s+)?(?:(?P<so>[Ss]ố)\s+)?\b(?P<n>\d+)(?:/(?P<y>\d{{4}}))?"
                    rf"(?P<codes>(?:[-/]{code})+)"
                ),
                self._document,
            ),
            (
                re.compile(r"(?P<a>\b\d{1,2}/\d{1,2})\s?[-–]\s?(?P<b>\d{1,2}/\d{1,2}(?:/\d{4})?)\b"),
                self._date_range,
            ),
            (re.compile(r"\b(?P<a>\d{1,2})\s?[-–]\s?(?P<b>\d{1,2}/\d{1,2}(?:/\d{4})?)\b"), self._days_range),
            (
                re.compile(PHONE),
                lambda m: digits(m.group(0)),
            ),
            (
                re.compile(r"(?<=\d)(?P<t>h|g|:\d\d|h\d\d|g\d\d)\s?[-–]\s?(?=\d{1,2}(?:h|g|:))"),
                lambda m: f"{m.group('t')} {UNTIL} ",
            ),
            (re.compile(r"(?<=[^\W\d])-(?=\d)"), lambda m: " "),  # «Covid-19»
            (re.compile(r"(?<![\w.,])-(?=\d)"), lambda m: f"{MINUS} "),  # «-5%»
            (re.compile(r"\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})\b"), self._full_date),
            (re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<y>\d{4})\b"), self._month),
            (
                re.compile(r"\b(?P<h>[01]?\d|2[0-3])(?:h|g|:|\s?giờ\s?)(?P<mi>[0-5]\d)(?:\s?phút)?(?!\d)"),
                self._time,
            ),
            (re.compile(r"\b(?P<h>\d{1,3})[hg](?!\w)"), lambda m: f"{number(int(m.group('h')))} {HOUR}"),
            (re.compile(r"\b(?P<a>\d{4})\s?[-–]\s?(?P<b>\d{4})\b"), self._years),
            (
                re.compile(
                    rf"\b{_DEC}\s?[-–]\s?(?P<w2>{_NUM})(?:,(?P<f2>\d+))?(?:\s?(?P<u>{units}|%))?(?!\w)"
                ),
                self._range,
            ),
            (re.compile(rf"\b{_DEC}\s?%"), lambda m: f"{_dec(m)} {PERCENT}"),
            (re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])"), self._day_or_ratio),
            (re.compile(r"(?<![\d/])(?P<a>\d+)/(?P<b>\d+)(?![\d/])"), self._ratio),
            (re.compile(r"\b(?P<t>[Tt]hứ)\s(?P<n>\d+)\b"), self._ordinal),
            (
                re.compile(
                    rf"\b(?P<lead>{ROMAN_AFTER})\s(?P<r>[IVXL]+)(?P<rest>(?:\.\d{{1,2}})*)\b", re.IGNORECASE
                ),
                self._roman,
            ),
            (re.compile(r"\b(?P<t>[Tt]háng)\s(?P<m>\d{1,2})\b(?!/)"), self._month_alone),
            (re.compile(r"(?<![\d.])\d{1,2}(?:\.\d{1,2})+(?!\d)(?!\.\d)"), self._numbering),
            (re.compile(r"\b0\d{7,}\b|\b\d{9,}\b"), lambda m: digits(m.group(0))),
            (re.compile(rf"\b{_DEC}(?:\s?(?P<u>{units}))?(?!\w)"), self._number),
        ]

    def read(self, text: str) -> str:
        """``text`` with every written form in words, abbreviations expanded, symbols said."""
        for symbol, said in SYMBOLS.items():
            text = text.replace(symbol, said)
        for pattern, say in self._rules:
            text = pattern.sub(say, text)
        text = re.sub(
            r"\b[Đđ]/[Cc]\b", lambda m: COMRADE if m.group(0)[0] == "đ" else COMRADE.capitalize(), text
        )
        text = PER.sub(_per, text)
        text = AFTER_PER.sub(lambda m: f"một {PER_UNITS.get(m.group(1)) or UNITS[m.group(1)]}", text)
        text = re.sub(r"(?<=[^\W\d])/(?=[^\W\d])", ", ", text)  # «xã/phường»: «xã, phường»
        text = re.sub(rf"\b({'|'.join(DOTTED)})\.\s*(?=[A-ZĐÀ-Ỹ])", r"\1 ", text)
        if self._abbr is not None:
            text = self._abbr.sub(lambda m: self.words[m.group(1)], text)
        return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()

    # -- each written form ---------------------------------------------------------------------------------
    def _document(self, m: re.Match[str]) -> str:
        """«[Quyết định] [số] 2579/QĐ-UBND» → «Quyết định số hai nghìn năm trăm bảy mươi chín của Ủy ban nhân
        dân»; «Luật số 45/2019/QH14» → «… của Quốc hội khóa mười bốn»."""
        codes = [c for c in re.split(r"[-/]", m.group("codes")) if c]
        kind = next((self.kinds[c] for c in codes if c in self.kinds), "")
        lead = m.group("lead") or ""
        named = self.kinds.get(lead, lead)  # «QĐ 12/QĐ-UBND»: the code before the number, said
        said = number(int(m.group("n")))
        if m.group("y"):
            said += f" {YEAR} {number(int(m.group('y')))}"
        issuers = [self._issuer(c) for c in codes if c not in self.kinds]
        of = f" {DOCUMENT_OF} {' '.join(issuers)}" if issuers else ""
        head = named or kind or (m.group("so") or "")
        if not named and not kind:
            return f"{m.group('so') + ' ' if m.group('so') else ''}{said}{of}"
        return f"{head} {DOCUMENT_NUMBER} {said}{of}"

    def _issuer(self, code: str) -> str:
        letters, digits_ = re.fullmatch(r"(.*?)(\d*)", code).groups()  # type: ignore[union-attr]
        said = self.words.get(letters, letters)
        return f"{said} {TERM} {number(int(digits_))}" if digits_ else said

    def _date_range(self, m: re.Match[str]) -> str:
        """«30/4 - 1/5» → «từ ngày ba mươi tháng tư đến ngày một tháng năm»."""
        first, second = self.read(m.group("a")), self.read(m.group("b"))
        lead = "" if _ends_with_word(m, "từ") else "từ "
        return f"{lead}{first} {UNTIL} {second}"

    def _days_range(self, m: re.Match[str]) -> str:
        """«15-20/3/2025» → «từ ngày mười lăm đến ngày hai mươi tháng ba năm …»."""
        second = self.read(m.group("b"))
        before = m.string[: m.start()].rstrip().lower()
        day = "" if before.endswith(DAY) else f"{DAY} "
        lead = "" if before.removesuffix(DAY).rstrip().endswith("từ") else "từ "
        return f"{lead}{day}{number(int(m.group('a')))} {UNTIL} {second}"

    def _full_date(self, m: re.Match[str]) -> str:
        said = _date(m.group("d"), m.group("m"), m.group("y"))
        return said[len(DAY) + 1 :] if _ends_with_word(m, DAY) else said

    def _month(self, m: re.Match[str]) -> str:
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return self._ratio(m, "m", "y")
        said = f"{MONTHS.get(month, number(month))} {YEAR} {number(int(m.group('y')))}"
        return said if _ends_with_word(m, MONTH) else f"{MONTH} {said}"

    def _time(self, m: re.Match[str]) -> str:
        minutes = int(m.group("mi"))
        return f"{number(int(m.group('h')))} {HOUR}" + (f" {number(minutes)} {MINUTE}" if minutes else "")

    def _years(self, m: re.Match[str]) -> str:
        return f"{number(int(m.group('a')))} {UNTIL} {number(int(m.group('b')))}"

    def _range(self, m: re.Match[str]) -> str:
        unit = f" {UNITS.get(m.group('u'), PERCENT)}" if m.group("u") else ""
        return f"{_dec(m)} {UNTIL} {_dec(m, 'w2', 'f2')}{unit}"

    def _quarter(self, m: re.Match[str]) -> str:
        q = m.group("q")
        n = int(q) if q.isdigit() else roman(q) or 0
        return f"{m.group('t')} {number(n)} {YEAR} {number(int(m.group('y')))}"

    def _day_or_ratio(self, m: re.Match[str]) -> str:
        day, month = int(m.group("d")), int(m.group("m"))
        after = m.string[m.end() :].lstrip().lower()
        counted = re.match(COUNTED, after) is not None or _ends_with_word(m, *COUNTING)
        dated = _ends_with_word(m, *DATE_WORDS) or after.startswith(YEAR)
        if 1 <= day <= 31 and 1 <= month <= 12 and (dated or not counted):
            said = _date(str(day), str(month), None)
            return said[len(DAY) + 1 :] if _ends_with_word(m, DAY) else said
        return self._ratio(m, "d", "m")

    def _ratio(self, m: re.Match[str], a: str = "a", b: str = "b") -> str:
        return f"{number(int(m.group(a)))} {OVER} {number(int(m.group(b)))}"

    def _ordinal(self, m: re.Match[str]) -> str:
        n = int(m.group("n"))
        return f"{m.group('t')} {ORDINALS.get(n, number(n))}"

    def _roman(self, m: re.Match[str]) -> str:
        n = roman(m.group("r").upper())
        if n is None:
            return m.group(0)
        lead = m.group("lead")
        said = ORDINALS.get(n, number(n)) if lead.lower() == "thứ" else number(n)
        rest = "".join(f" {DOT} {number(int(p))}" for p in m.group("rest").split(".") if p)
        return f"{lead} {said}{rest}"

    def _month_alone(self, m: re.Match[str]) -> str:
        month = int(m.group("m"))
        return f"{m.group('t')} {MONTHS.get(month, number(month))}" if 1 <= month <= 12 else m.group(0)

    def _numbering(self, m: re.Match[str]) -> str:
        """A section's number «1.3» (a decimal is written with a comma): «một chấm ba»."""
        return f" {DOT} ".join(number(int(p)) for p in m.group(0).split("."))

    def _number(self, m: re.Match[str]) -> str:
        unit = m.group("u")
        return f"{_dec(m)} {UNITS[unit]}" if unit else _dec(m)


def _per(m: re.Match[str]) -> str:
    return f"{m.group(1)} một "


def _ends_with_word(m: re.Match[str], *words: str) -> bool:
    """Whether the text before the match ends with one of ``words`` (as a whole word)."""
    before = m.string[: m.start()].rstrip().lower()
    return any(before == w or before.endswith(" " + w) or before.endswith("\n" + w) for w in words)
