"""`loa content import` and `loa content list`, run as an operator runs them, on DOCX, PDF, TXT and Markdown
laid out the way departments lay them out (tests/docgen.py), and on every kind of bad file."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from bot import doclayout, documents
from bot.content import default_content_dir, load_content
from tests import docgen
from tests.helpers import loa

DATA = Path(__file__).parent / "data"
SOURCE = (DATA / "hd-42-2025.txt").read_text(encoding="utf-8")
SUMMARY_KEYS = {
    "id", "kind", "title", "number", "issued", "place", "issuer", "signer", "signer_title", "sections",
    "parts", "tables", "table_rows", "passages", "warnings",
}  # fmt: skip


@pytest.fixture
def content(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(default_content_dir(), dest)
    return dest


def _import(content: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return loa("content", "import", *args, env={"LOA_CONTENT_DIR": str(content)}, cwd=content.parent)


def _files(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in content.rglob("*") if p.is_file()}


@pytest.mark.parametrize("kind", ["docx", "pdf", "txt", "md"])
def test_a_document_is_imported_with_what_it_says_of_itself(content: Path, kind: str) -> None:
    data: bytes | str = {
        "docx": lambda: docgen.docx_bytes(SOURCE),
        "pdf": lambda: docgen.pdf_bytes(SOURCE),
        "txt": lambda: SOURCE,
        "md": lambda: SOURCE.replace("I. MỤC ĐÍCH", "## I. MỤC ĐÍCH").replace(
            "1.1. Về kinh tế", "**1.1. Về kinh tế**"
        ),
    }[kind]()
    path = docgen.write(content.parent, f"huong-dan.{kind}", data)
    out = _import(content, str(path), "--json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert set(summary) == SUMMARY_KEYS
    assert summary["id"] == "42-hd-btgtu"
    assert summary["number"] == "42-HD/BTGTU"
    assert summary["issued"] == "2025-01-15"
    assert summary["issuer"] == "Tỉnh ủy Lai Châu – Ban Tuyên giáo"  # the hierarchy in order, as written
    assert (summary["signer"], summary["signer_title"]) == (
        "Nguyễn Văn Thử",
        "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN",
    )
    assert summary["title"].startswith("Hướng dẫn tuyên truyền kết quả thực hiện nhiệm vụ chính trị năm 2024")
    assert summary["title"].endswith("nhiệm vụ trọng tâm năm 2025")
    # 22 numbered sections, the preamble and «Nơi nhận» (kept: where the document was sent is knowledge)
    assert summary["sections"] == 23 and summary["warnings"] == []

    loaded = load_content(content)
    assert loaded.errors == []
    doc = loaded.documents["42-hd-btgtu"]
    by_section = {}
    for p in doc.passages:
        by_section.setdefault(p.section, []).append(p.text)
    # Bullets stay in their section; lines wrapped in the PDF are whole sentences again; no page numbers.
    economy = by_section["II.1.1"]
    assert (
        economy[1]
        == "- Thu nhập bình quân đầu người ước đạt 52,3 triệu đồng, tăng 4,1 triệu đồng so với năm 2023."
    )
    assert len(economy) == 5
    assert by_section["II.2.c"][0].endswith("kỷ niệm 80 năm Cách mạng Tháng Tám và Quốc khánh 2/9.")
    assert [s.path for s in doc.sections if s.id == "II.1.2"] == [
        ["Nội dung tuyên truyền", "Kết quả nổi bật năm 2024", "Về văn hóa - xã hội"]
    ]
    assert not any("bản thử nghiệm" in p.text for p in doc.passages)  # the PDF's running header
    assert (content / "documents" / "42-hd-btgtu.txt").read_text(encoding="utf-8").count(
        "Tốc độ tăng trưởng"
    ) == 1


def test_flags_override_the_document_and_the_summary_is_readable(content: Path) -> None:
    path = docgen.write(content.parent, "hd.docx", docgen.docx_bytes(SOURCE))
    out = _import(
        content, str(path), "--id", "hd-nam-2025", "--title", "Tuyên truyền năm 2025",
        "--number", "43-HD/BTGTU", "--issued", "2025-01-20", "--issuer", "Ban Tuyên giáo",
        "--valid-until", "2025-12-31",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "hd-nam-2025" in out.stdout and "43-HD/BTGTU" in out.stdout and "ngày 20/1/2025" in out.stdout
    doc = load_content(content).documents["hd-nam-2025"]
    assert (doc.title, doc.number, str(doc.issued), str(doc.valid_until)) == (
        "Tuyên truyền năm 2025", "43-HD/BTGTU", "2025-01-20", "2025-12-31",
    )  # fmt: skip


def test_a_newer_document_supersedes_an_older_one_and_the_list_says_so(content: Path) -> None:
    old = docgen.write(content.parent, "old.txt", SOURCE)
    assert _import(content, str(old), "--id", "hd-cu").returncode == 0
    new = docgen.write(content.parent, "new.txt", SOURCE.replace("Số: 42-HD/BTGTU", "Số: 50-HD/BTGTU"))
    out = _import(content, str(new), "--supersedes", "hd-cu", "--json")
    assert out.returncode == 0, out.stderr
    listed = loa("content", "list", "--json", env={"LOA_CONTENT_DIR": str(content)}, cwd=content.parent)
    rows = {r["id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows["hd-cu"]["state"] == "superseded" and rows["hd-cu"]["superseded_by"] == "50-hd-btgtu"
    assert rows["50-hd-btgtu"]["state"] == "current" and rows["50-hd-btgtu"]["number"] == "50-HD/BTGTU"
    assert rows["hd-ktxh-2023"]["state"] == "expired" and rows["hd-ktxh-2023"]["faq_entries"] == 94
    text = loa("content", "list", env={"LOA_CONTENT_DIR": str(content)}, cwd=content.parent)
    assert text.returncode == 0 and "50-HD/BTGTU" in text.stdout


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    broken = folder / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a word file")
    zipped = folder / "zip.docx"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("hello.txt", "not a document")
    big = folder / "lon.txt"
    big.write_bytes(b"a" * (documents.MAX_BYTES + 1))
    latin = folder / "cu.txt"
    latin.write_bytes("Hướng dẫn".encode("utf-16"))
    return {
        "scanned": (docgen.write(folder, "quet.pdf", docgen.scanned_pdf_bytes()), "OCR"),
        "encrypted": (docgen.write(folder, "khoa.pdf", docgen.encrypted_pdf_bytes(SOURCE)), "mật khẩu"),
        "corrupt pdf": (docgen.write(folder, "hong.pdf", b"%PDF-1.4\n garbage"), "PDF"),
        "corrupt docx": (broken, "DOCX"),
        "zip not docx": (zipped, "DOCX"),
        "too big": (big, "10 MB"),
        "not utf-8": (latin, "UTF-8"),
        "empty": (docgen.write(folder, "rong.txt", ""), "rỗng"),
        "extension": (docgen.write(folder, "cu.doc", b"\xd0\xcf\x11\xe0"), ".doc"),
        "missing": (folder / "khong-co.pdf", "khong-co.pdf"),
        "folder": (folder, "không"),
    }


def test_bad_files_get_one_line_exit_2_and_nothing_is_written(content: Path) -> None:
    before = _files(content)
    for case, (path, words) in _bad_files(content.parent).items():
        out = _import(content, str(path))
        assert out.returncode == 2, case
        assert out.stderr.count("\n") == 1 and words in out.stderr, (case, out.stderr)
        assert "Traceback" not in out.stderr and out.stdout == "", case
    assert _files(content) == before


def test_an_existing_id_needs_replace(content: Path) -> None:
    path = docgen.write(content.parent, "a.txt", SOURCE)
    assert _import(content, str(path)).returncode == 0
    before = _files(content)
    again = _import(content, str(path))
    assert again.returncode == 2 and "--replace" in again.stderr
    assert _files(content) == before
    changed = docgen.write(content.parent, "a.txt", SOURCE.replace("8,6%", "8,7%"))
    assert _import(content, str(changed), "--replace").returncode == 0
    doc = load_content(content).documents["42-hd-btgtu"]
    assert any("8,7%" in p.text for p in doc.passages) and not any("8,6%" in p.text for p in doc.passages)


def test_bad_flags_are_one_line(content: Path) -> None:
    path = docgen.write(content.parent, "a.txt", SOURCE)
    for args, words in (
        (["--issued", "20/1/2025"], "--issued"),
        (["--valid-until", "2025-13-01"], "--valid-until"),
        (["--id", "Mã Sai!"], "Mã văn bản"),
        (["--supersedes", "khong-co"], "khong-co"),
    ):
        out = _import(content, str(path), *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and words in out.stderr, (args, out.stderr)


def test_a_read_only_content_folder_says_how_to_point_elsewhere(content: Path) -> None:
    path = docgen.write(content.parent, "a.txt", SOURCE)
    folder = content / "documents"
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.fail("chattr is needed to make a folder read-only for root")
    try:
        out = _import(content, str(path))
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert out.returncode == 2 and "LOA_CONTENT_DIR" in out.stderr and out.stderr.count("\n") == 1
    assert not (folder / "42-hd-btgtu.yaml").exists()


def test_the_seed_lays_out_into_the_sections_the_department_uses() -> None:
    """The original document, read by the importer, has the sections the hand-made YAML has."""
    seed = Path(__file__).parents[1] / "content" / "documents" / "hd-ktxh-2023.txt"
    lines, warnings = documents.read_file(seed)
    imported = documents.build(lines, warnings, documents.Overrides(), seed.name)
    ids = {s["id"] for s in imported.data["sections"]}
    by_hand = {s.id for s in load_content().documents["hd-ktxh-2023"].sections}
    assert by_hand - {"recipients", "signature"} <= ids
    assert doclayout.WARN_NO_NUMBER in imported.warnings  # the seed has no number: said, not invented
    assert imported.data.get("number") is None and imported.data.get("issued") is None


def test_text_is_nfc_with_one_tone_placement(content: Path) -> None:
    import unicodedata

    decomposed = unicodedata.normalize(
        "NFD", SOURCE.replace("Về kinh tế", "Về kinh tế, thuỷ lợi và hoà bình")
    )
    path = docgen.write(content.parent, "nfd.txt", decomposed)
    assert _import(content, str(path)).returncode == 0
    doc = load_content(content).documents["42-hd-btgtu"]
    titles = {s.id: s.title for s in doc.sections}
    assert titles["II.1.1"] == "Về kinh tế, thủy lợi và hòa bình"
    assert all(unicodedata.is_normalized("NFC", p.text) for p in doc.passages)


def test_word_automatic_numbering_gives_the_sections(content: Path) -> None:
    header = [
        "BAN TUYÊN GIÁO TỈNH ỦY",
        "Số: 7-KH/BTGTU",
        "Lai Châu, ngày 2 tháng 3 năm 2025",
        "KẾ HOẠCH",
        "tuyên truyền mùa khô",
    ]
    items = [
        (0, "MỤC ĐÍCH, YÊU CẦU"),
        (1, "Nâng cao ý thức phòng cháy rừng trong mùa khô hanh."),
        (0, "NỘI DUNG"),
        (1, "Về phòng cháy"),
        (2, "Không đốt nương khi có gió lớn."),
        (2, "Mỗi bản lập một tổ xung kích 12 người."),
        (-1, "- Tổ trực 24/24 giờ."),
        (1, "Về chữa cháy"),
        (2, "Báo ngay cho trưởng bản."),
    ]
    path = docgen.write(content.parent, "auto.docx", docgen.docx_auto_numbered_bytes(header, items))
    out = _import(content, str(path), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["warnings"] == [doclayout.WARN_NO_SIGNER]  # the sample has no signature
    doc = load_content(content).documents["7-kh-btgtu"]
    assert [s.id for s in doc.sections] == ["I", "I.1", "II", "II.1", "II.1.a", "II.1.b", "II.2", "II.2.a"]
    passages = [p.text for p in doc.passages if p.section == "II.1.b"]
    assert passages == ["Mỗi bản lập một tổ xung kích 12 người.", "- Tổ trực 24/24 giờ."]


async def test_a_confirmed_import_is_read_once_and_built_once(
    tmp_path: Path, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read when it arrives; the tap that confirms writes what was read, and the knowledge base
    is built once: the content watcher of `loa run` does not build the same folder again."""
    import asyncio

    from bot import imports
    from bot.app import App
    from bot.auth import read_actor
    from bot.channels import load_settings
    from bot.core import Incoming
    from bot.live import ContentWatcher

    settings = load_settings(env_file=None, db=tmp_path / "x.db", content_dir=content, admins="console:admin")
    app = await App.open(settings)
    try:
        watcher = ContentWatcher(app, interval=0.05)
        who = await read_actor(app, Incoming("console", "admin", "admin"))
        source = (Path(__file__).parent / "data" / "hd-42-2025.txt").read_bytes()
        staged = await imports.stage(app, source, "hd-42.txt", who.key)

        def read_again(data: bytes, name: str) -> None:
            raise AssertionError("the confirmed file was read a second time")

        monkeypatch.setattr(imports, "read", read_again)
        imported, errors = await imports.confirm(app, staged.token, who)
        assert errors == [] and imported.id in app.content.documents
        stop = asyncio.Event()
        watching = asyncio.create_task(watcher.run(stop))
        await asyncio.sleep(0.4)
        assert watcher.swaps == 0, "the folder swapped in by the import is not built again"
        (content / "documents" / f"{imported.id}.yaml").touch()  # a later edit is still taken up
        for _ in range(100):
            if watcher.swaps:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await watching
        assert watcher.swaps == 1
    finally:
        await app.close()
