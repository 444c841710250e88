import json
import re
import shutil
from pathlib import Path

import yaml

from bot.cli import main
from bot.content import MIN_PHRASINGS, default_content_dir, load_content
from bot.textnorm import strip_accents

SOURCE_TEXT = (default_content_dir() / "documents" / "hd-ktxh-2023.txt").read_text(encoding="utf-8")
SOURCE_FLAT = " ".join(SOURCE_TEXT.split())


def test_shipped_content_is_valid_and_large_enough(content) -> None:
    counts = content.counts()
    assert counts["faq_entries"] >= 80
    assert all(len(e.questions) >= MIN_PHRASINGS for e in content.faq)
    assert counts["passages"] >= 50


def test_every_entry_has_a_phrasing_without_accents(content) -> None:
    missing = [e.id for e in content.faq if not any(strip_accents(q) == q for q in e.questions)]
    assert missing == []


def test_every_section_of_the_document_is_covered_by_faq(content) -> None:
    doc = content.documents["hd-ktxh-2023"]
    cited = {e.source.section for e in content.faq}
    assert {s.id for s in doc.sections} - cited == set()


def test_passages_cover_every_numbered_section(content) -> None:
    doc = content.documents["hd-ktxh-2023"]
    sections = {p.section for p in doc.passages}
    expected = {"I", "II.2", "II.3"} | {f"II.1.{i}" for i in range(1, 8)} | {f"III.{i}" for i in range(1, 7)}
    assert expected <= sections


_DOC_NUMBER = re.compile(r"\b\d+(?:/\d{4})?[-/](?:[A-ZĐ]+[-/]?)+[A-ZĐ0-9]*")
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def test_document_numbers_and_dates_in_answers_are_exactly_as_in_the_source(content) -> None:
    wrong = []
    for entry in content.faq:
        for found in _DOC_NUMBER.findall(entry.answer) + _DATE.findall(entry.answer):
            if found not in SOURCE_FLAT:
                wrong.append((entry.id, found))
    assert wrong == []


def test_key_figures_are_stated_as_the_source_states_them(content) -> None:
    answers = " ".join(e.answer for e in content.faq)
    for fact in [
        "37/43",
        "2.000 tỷ đồng",
        "64-KL/TW, ngày 18/10/2023",
        "103/2023/QH15, ngày 09/11/2023",
        "2218/QĐ-UBND, ngày 10/12/2023",
        "127-HD/BTGTW, ngày 19/12/2023",
        "Lê Chí Công",
        "31/NQ-HĐND, ngày 13/7/2023",
        "01/CT-UBND, ngày 27/01/2023",
        "20 năm chia tách",
    ]:
        assert fact in SOURCE_FLAT, fact
        assert fact in answers, fact


def _copy_content(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(default_content_dir(), dest)
    return dest


def test_errors_name_file_entry_and_field(tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    path = root / "faq" / "07-tinh-lai-chau.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[0]["questions"] = data[0]["questions"][:2]
    data[1]["source"]["section"] = "IX.9"
    data[2]["topic"] = "khong-co"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    errors = {(e.file, e.entry, e.field) for e in load_content(root).errors}
    assert ("faq/07-tinh-lai-chau.yaml", data[0]["id"], "questions") in errors
    assert ("faq/07-tinh-lai-chau.yaml", data[1]["id"], "source.section") in errors
    assert ("faq/07-tinh-lai-chau.yaml", data[2]["id"], "topic") in errors


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    (root / "topics.yaml").write_text("- id: a\n  title: [unclosed\n", encoding="utf-8")
    errors = load_content(root).errors
    assert errors and errors[0].file == "topics.yaml" and "dòng" in errors[0].entry


def test_content_check_command_prints_counts_as_json(capsys) -> None:
    assert main(["content", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["faq_entries"] >= 80 and report["questions"] >= 320 and report["passages"] >= 50
    assert report["topics"] == 11


def test_content_check_command_fails_on_bad_content(tmp_path: Path, monkeypatch, capsys) -> None:
    root = _copy_content(tmp_path)
    (root / "key_messages.yaml").write_text("- id: x\n  title: t\n", encoding="utf-8")
    monkeypatch.setenv("LOA_CONTENT_DIR", str(root))
    assert main(["content", "check"]) == 1
    out = capsys.readouterr().out
    assert "key_messages.yaml: mục 'x', trường 'text'" in out
