"""Crafted and oversized documents: refused in one line naming the limit, read in a child bounded in time and
memory, and written all or nothing — a kill -9 in the middle of an import never leaves a file without its
record, and what an interrupted import left is finished or undone on the next start."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot import documents
from bot.content import default_content_dir, load_content
from bot.docread import IMPORT_LIMIT_WHAT
from bot.documents import IMPORT_TOO_MUCH_MEMORY, IMPORT_TOO_SLOW, IMPORT_UNREADABLE
from bot.files import OS_REASONS
from tests import docgen
from tests.helpers import loa, spawn_loa

HD42 = (Path(__file__).parent / "data" / "hd-42-2025.txt").read_text(encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(default_content_dir(), folder)
    return folder


def _files(content: Path) -> list[str]:
    return sorted(os.listdir(content / "documents"))


CRAFTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "so-dong-1mb.txt": (lambda: docgen.numbered_lines_txt(1), "paragraphs"),
    "so-dong-10mb.txt": (lambda: docgen.numbered_lines_txt(10), "chars"),
    "mot-dong-9mb.txt": (lambda: docgen.one_line_txt(9), "chars"),
    "bom-300mb.docx": (lambda: docgen.docx_bomb_bytes(300), "xml"),
    "100k-doan.docx": (lambda: docgen.docx_paragraphs_bytes(100_000), "paragraphs"),
    "75k-trang.pdf": (lambda: docgen.blank_pdf_bytes(75_000), "pages"),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_a_crafted_file_is_refused_in_one_line_naming_the_limit(
    content: Path, tmp_path: Path, name: str
) -> None:
    make, limit = CRAFTED[name]
    path = docgen.write(tmp_path, name, make())
    before = _files(content)
    out = loa("content", "import", str(path), env={"LOA_CONTENT_DIR": str(content)})
    assert out.returncode == 2, out.stderr
    [line] = out.stderr.strip().splitlines()
    assert IMPORT_LIMIT_WHAT[limit] in line and "Traceback" not in out.stderr
    assert _files(content) == before


def test_a_long_line_and_a_wide_merged_table_are_bounded() -> None:
    with pytest.raises(documents.ImportFailed, match="một đoạn liền"):
        documents.read_bytes(("Dân " * 10_000 + "\n").encode(), "a.txt")
    # Cells merged down 2,000 rows and one spanning a million columns: read in one pass, the span cut.
    rows = "".join(
        '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Xã</w:t></w:r></w:p></w:tc>'
        f"<w:tc><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc></w:tr>"
        if n == 0
        else "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
        f"<w:tc><w:p><w:r><w:t>Thôn {n}</w:t></w:r></w:p></w:tc></w:tr>"
        for n in range(2000)
    )
    wide = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr>'
    wide += "<w:p><w:r><w:t>Rộng</w:t></w:r></w:p></w:tc></w:tr>"
    data = docgen.docx_with_body(lambda s: s.write(f"<w:tbl>{rows}{wide}</w:tbl>".encode()))
    blocks, _ = documents.read_bytes(data, "bang.docx")
    assert blocks[1999].cells == ("Xã", "Thôn 1999") and len(blocks[2000].cells) == 64


def test_the_reading_child_is_bounded_in_time_and_memory() -> None:
    data = docgen.docx_bytes(HD42, repeat=30)
    whole = documents.read_guarded(data, "hd.docx")
    assert len(whole.data["passages"]) > 500
    with pytest.raises(documents.ImportFailed) as slow:
        documents.read_guarded(data, "hd.docx", seconds=0.05)
    assert str(slow.value) == IMPORT_TOO_SLOW.format(seconds="0.05")
    with pytest.raises(documents.ImportFailed) as heavy:
        documents.read_guarded(data, "hd.docx", memory=60 * 1024 * 1024)
    assert str(heavy.value) == IMPORT_TOO_MUCH_MEMORY.format(megabytes=60)


def _stage(content: Path, doc_id: str, files: dict[str, str]) -> Path:
    stage = content / "documents" / f"{documents.STAGING}test"
    stage.mkdir()
    (stage / documents.LOCK).touch()
    for name, text in files.items():
        (stage / name).write_text(text, encoding="utf-8")
    return stage


def test_an_interrupted_import_is_undone_or_finished_on_the_next_start(content: Path, tmp_path: Path) -> None:
    path = docgen.write(tmp_path, "hd.txt", HD42)
    imported = documents.read_guarded(path.read_bytes(), path.name)
    record = (content / "documents" / "x.yaml").parent  # the documents folder
    # Killed before the record moved: the staging folder goes, nothing else changes.
    before = _files(content)
    _stage(content, imported.id, {f"{imported.id}.yaml": "id: x\n", f"{imported.id}.txt": "x\n"})
    assert documents.recover(content) == 1 and _files(content) == before
    # Killed between the record and its text: the text follows the record.
    documents.write(content, imported, False, set())
    (record / f"{imported.id}.txt").rename(tmp_path / "text")
    _stage(content, imported.id, {f"{imported.id}.txt": (tmp_path / "text").read_text(encoding="utf-8")})
    assert documents.recover(content) == 1
    assert (record / f"{imported.id}.txt").read_text(encoding="utf-8") == imported.text
    assert not [n for n in _files(content) if n.startswith(documents.STAGING)]
    # An import running now (its lock held) is left alone.
    stage = _stage(content, "y", {"y.yaml": "id: y\n"})
    with (stage / documents.LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert documents.recover(content) == 0 and stage.exists()
    assert documents.recover(content) == 1 and not stage.exists()
    assert load_content(content).errors == []


def test_a_kill_9_in_the_middle_of_imports_never_leaves_a_file_without_its_record(
    content: Path, tmp_path: Path
) -> None:
    path = docgen.write(tmp_path, "hd.docx", docgen.docx_bytes(HD42, repeat=40))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["LOA_CONTENT_DIR"] = str(content)
    started = time.monotonic()
    whole = loa("content", "import", str(path), env=env)
    took = time.monotonic() - started
    assert whole.returncode == 0, whole.stderr
    # Killed at points over the import's run, each process started as the whole run was. The staging folder
    # appears about 0.74 of the way and the record and text about 0.95: once while the file is being read
    # (nothing written; the three points 0.3, 0.44 and 0.58 this loop had all fell there), then as the
    # import is staged, moved and done, over records the earlier kills left or not (ids hd-0, hd-1, hd-0).
    for n, point in enumerate((0.3, 0.72, 0.86, 1.0)):
        args = ("content", "import", "--replace", "--id", f"hd-{n % 3}", str(path))
        proc = spawn_loa(*args, env=env, quiet=True)
        time.sleep(took * point)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        shown = [n for n in _files(content) if not n.startswith(".")]
        records = {n.removesuffix(".yaml") for n in shown if n.endswith(".yaml")}
        assert all(n.removesuffix(".txt") in records for n in shown if n.endswith(".txt")), shown
        assert load_content(content).errors == []
    documents.recover(content)
    assert not [n for n in _files(content) if n.startswith(documents.STAGING)]
    assert load_content(content).errors == []


def _read(text: str) -> documents.Imported:
    blocks, warnings = documents.read_bytes(text.encode(), "a.txt")
    return documents.build(blocks, warnings, documents.Overrides(id="x"), "a.txt")


def test_what_a_crafted_layout_makes_stays_sensible() -> None:
    many = _read("Dân.\nPHỤ LỤC\n" + "DANH MỤC CÁC VĂN BẢN\n" * 2000)  # one title, not 2,000 lines of one
    assert max(len(s["title"]) for s in many.data["sections"]) < 200
    assert _read("Dân.\nPHỤ LỤC 100\nDANH MỤC\nMột.\nPHỤ LỤC 101\nBIỂU\nHai.\n").parts == (
        "Phụ lục 100: Danh mục",
        "Phụ lục 101: Biểu",
    )
    junk = _read("Dân làm chủ.\n1.1 ......................\n.\n;\n2. ;\n||||||||\n")
    assert [p["text"] for p in junk.data["passages"]] == ["Dân làm chủ."]
    notice = _read("THÔNG BÁO\nLịch họp chi bộ tháng 12\n")  # all title: the title is what it says
    assert [p["text"] for p in notice.data["passages"]] == ["Thông báo lịch họp chi bộ tháng 12"]
    assert "number" not in _read("Số: 12/" + "A" * 5000 + "\nKẾ HOẠCH\nDân.\n").data
    missing = loa("content", "import", "/khong/co/tep.txt")
    assert missing.stderr.strip() == "loa: " + IMPORT_UNREADABLE.format(
        name="tep.txt", reason=OS_REASONS["ENOENT"]
    )


def test_text_in_content_controls_tracked_insertions_and_nested_tables_is_read() -> None:
    def para(text: str) -> str:
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"

    def table(*cells: str) -> str:
        return "<w:tbl><w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in cells) + "</w:tr></w:tbl>"

    body = (
        f"<w:sdt><w:sdtContent>{para('KẾ HOẠCH')}{para('Điều 1. Dân làm chủ.')}</w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Hỗ trợ </w:t></w:r><w:ins w:id="1" w:author="a"><w:r>'
        '<w:t>450.000 đồng</w:t></w:r></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>300.000'
        '</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> mỗi tháng.</w:t></w:r></w:p>'
        + table(para("Xã") + table(para("Thôn Nà Tăm"), para("45 hộ")), para("ghi chú"))
    )
    data = docgen.docx_with_body(lambda s: s.write(body.encode()))
    blocks, _ = documents.read_bytes(data, "a.docx")
    assert [b.text for b in blocks] == [
        "KẾ HOẠCH",
        "Điều 1. Dân làm chủ.",
        "Hỗ trợ 450.000 đồng mỗi tháng.",
        "Xã Thôn Nà Tăm | 45 hộ | ghi chú",
    ]


def test_a_document_is_read_from_its_cache_until_its_yaml_is_edited_by_hand(
    content: Path, tmp_path: Path
) -> None:
    path = docgen.write(tmp_path, "hd.txt", HD42)
    imported = documents.read_guarded(path.read_bytes(), path.name)
    record = documents.write(content, imported, False, set())
    assert (record.parent / f".{imported.id}.json").exists()  # written with the record
    assert load_content(content).documents[imported.id].title == imported.data["title"]
    edited = yaml.safe_load(record.read_text(encoding="utf-8")) | {"title": "Tiêu đề sửa tay"}
    record.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")  # as an officer edits it
    assert load_content(content).documents[imported.id].title == "Tiêu đề sửa tay"
    record.unlink()  # an orphan cache goes on the next start
    documents.recover(content)
    assert not (record.parent / f".{imported.id}.json").exists()
