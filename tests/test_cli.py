"""The `loa` command line, run as a user runs it: the installed console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.channels.render import CHOOSE_BY_NUMBER
from bot.cli import build_parser
from bot.content import default_content_dir
from tests.helpers import loa

JSON_KEYS = {"query", "status", "id", "score", "text", "source", "suggestions"}


def test_version_and_help_everywhere(tmp_path: Path) -> None:
    out = loa("--version", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("loa ")
    for args in [
        [],
        ["run"],
        ["chat"],
        ["ask"],
        ["eval"],
        ["content"],
        ["content", "check"],
        ["db"],
        ["db", "backup"],
    ]:
        res = loa(*args, "--help", cwd=tmp_path)
        assert res.returncode == 0, args
        assert "usage: loa" in res.stdout


def test_parser_knows_every_command_of_the_contract() -> None:
    parser = build_parser()
    for argv in (
        ["run"],
        ["chat", "--user", "a"],
        ["ask", "--json", "q"],
        ["eval", "f.jsonl"],
        ["content", "check", "--json"],
        ["db", "backup", "x.db"],
    ):
        assert parser.parse_args(argv).func


def test_ask_json_contract_with_arguments(tmp_path: Path) -> None:
    res = loa("ask", "--json", "tinh dat bao nhieu chi tieu", "giá vàng hôm nay", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [set(obj) for obj in lines] == [JSON_KEYS, JSON_KEYS]
    first, second = lines
    assert first["status"] == "answer" and first["id"] == "chi-tieu-37-43" and "37/43" in first["text"]
    assert "II.1.6" in first["source"]
    assert second["status"] in ("none", "suggest") and second["status"] != "answer"
    for s in first["suggestions"]:
        assert set(s) == {"id", "question", "score"}


def test_ask_reads_one_question_per_stdin_line_and_logs_them(tmp_path: Path) -> None:
    questions = "kl 64 ngay nao\n\nthu ngan sach 2023\nnghi quyet 103 cua quoc hoi\n"
    res = loa("ask", "--json", stdin=questions, env={"LOA_DB": str(tmp_path / "q.db")}, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["status"] for o in lines] == ["answer", "none", "answer", "answer"]
    with sqlite3.connect(tmp_path / "q.db") as db:
        assert db.execute("SELECT COUNT(*) FROM question_log").fetchone()[0] == 3


def test_ask_plain_output_shows_source_and_numbered_buttons(tmp_path: Path) -> None:
    res = loa("ask", "so chi tieu vuot ke hoach nam 2023 cua tinh la bao nhieu", cwd=tmp_path)
    assert res.returncode == 0
    assert "\n1. " in res.stdout and CHOOSE_BY_NUMBER in res.stdout


def test_eval_prints_the_summary_and_the_misses(tmp_path: Path) -> None:
    qs = tmp_path / "qs.jsonl"
    qs.write_text(
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"q": "tinh dat bao nhieu chi tieu", "facts": [["37/43"]]},
                {"q": "tinh dat bao nhieu chi tieu", "facts": [["99/99"]]},
                {"q": "giá vàng hôm nay", "facts": None},
            ]
        ),
        encoding="utf-8",
    )
    res = loa("eval", str(qs), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Đúng 2/3" in res.stdout and "trong phạm vi 1/2" in res.stdout
    summary = json.loads(loa("eval", "--json", str(qs), cwd=tmp_path).stdout)
    assert summary["correct"] == 2 and summary["out_of_scope_refused"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json\n", "qs.jsonl:1: không phải JSON"), ('{"q": 1}\n', "qs.jsonl:1: mỗi dòng cần có")],
)
def test_eval_bad_file_is_one_clear_line(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "qs.jsonl").write_text(content, encoding="utf-8")
    res = loa("eval", "qs.jsonl", cwd=tmp_path)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr
    missing = loa("eval", "nope.jsonl", cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"LOA_TZ": "Mars/Olympus"}, "LOA_TZ"),
        ({"LOA_ADMINS": "telegram"}, "LOA_ADMINS"),
        ({"LOA_CONTENT_DIR": "/no/such/dir"}, "LOA_CONTENT_DIR"),
        ({"LOA_TELEGRAM_API_URL": "ftp://x"}, "LOA_TELEGRAM_API_URL"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path, env: dict[str, str], name: str) -> None:
    res = loa("ask", "thu ngan sach", env=env, cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and name in res.stderr and "Traceback" not in res.stderr


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LOA_DB=from-dotenv.db\n", encoding="utf-8")
    res = loa("ask", "thu ngan sach 2023", cwd=tmp_path)
    assert res.returncode == 0
    assert (tmp_path / "from-dotenv.db").exists()


def test_unusable_database_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.db").write_bytes(b"garbage" * 1000)
    res = loa("ask", "x", env={"LOA_DB": str(tmp_path / "bad.db")}, cwd=tmp_path)
    assert res.returncode == 2 and "bad.db" in res.stderr and "Traceback" not in res.stderr


def test_db_backup_makes_a_usable_copy(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "live.db")}
    loa("ask", "thu ngan sach 2023", "kl 64", env=env, cwd=tmp_path)
    res = loa("db", "backup", str(tmp_path / "copy.db"), env=env, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    with sqlite3.connect(tmp_path / "copy.db") as db:
        assert db.execute("SELECT COUNT(*) FROM question_log").fetchone()[0] == 2
    same = loa("db", "backup", str(tmp_path / "live.db"), env=env, cwd=tmp_path)
    assert same.returncode == 2 and "Traceback" not in same.stderr


def test_chat_is_scriptable_through_stdin(tmp_path: Path) -> None:
    script = "/start\n1\n3\n1\nthu ngan sach 2023\n/xyz\n"
    res = loa("chat", "--user", "lan", stdin=script, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Xin chào lan" in out
    assert "Chọn chủ đề:" in out  # 1) pressed "Chủ đề"
    assert "Chủ đề «Kết quả nổi bật cả nước 2023»" in out  # 3) the third topic
    assert "❓ Năm 2023 cả nước đạt những kết quả nổi bật nào?" in out  # 1) its first question
    assert "2.000 tỷ" in out
    assert "Tôi không biết lệnh /xyz" in out


def test_run_without_a_token_talks_in_the_terminal(tmp_path: Path) -> None:
    res = loa("run", stdin="kl 64 ngay nao\n", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "64-KL/TW" in res.stdout


def test_in_the_terminal_more_passages_are_chosen_by_number(tmp_path: Path) -> None:
    from tests import docgen

    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    source = (Path(__file__).parent / "data" / "qd-12-2025.txt").read_text(encoding="utf-8")
    doc = docgen.write(tmp_path, "qd.txt", docgen.spec_txt(source))
    env = {"LOA_CONTENT_DIR": str(content)}
    assert loa("content", "import", str(doc), env=env, cwd=tmp_path).returncode == 0
    res = loa(
        "chat",
        "--user",
        "lan",
        stdin="tuyen truyen vien duoc ho tro bao nhieu tien\n2\n",
        env=env,
        cwd=tmp_path,
    )
    assert res.returncode == 0, res.stderr
    first, _, after = res.stdout.partition(CHOOSE_BY_NUMBER)
    assert "Xem thêm:" in first and "\n2. " in first and "Quy định kèm theo Quyết định 12/QĐ-UBND" in first
    assert "Nguồn:" in after and "12/QĐ-UBND" in after  # «2» opened another passage, with its source


def test_bulletin_make_writes_the_audio_prints_the_script_and_says_what_is_missing(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "b.db")}
    out = tmp_path / "ban tin.mp3"
    made = loa("bulletin", "make", "--from", "thanh-lap-tinh", "-o", str(out), env=env)
    assert made.returncode == 0 and made.stdout.startswith("Đã ghi bản tin «Ngày tái thành lập tỉnh Lai Châu")
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "json",
                            str(out)], capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(probe.stdout)["streams"][0]["codec_name"] == "mp3"
    text = "Họp dân lúc 19h30 ngày 12/3 tại nhà văn hóa."
    script = loa("bulletin", "make", "--text", text, "--script-only", env=env)
    assert "mười chín giờ ba mươi phút ngày mười hai tháng ba" in script.stdout
    for args, said in (
        (["bulletin", "make", "-o", "x.mp3"], "cần --from"),
        (["bulletin", "make", "--from", "thanh-lap-tinh"], "cần -o TỆP.mp3"),
        (
            ["bulletin", "make", "--from", "khong-co", "-o", "x.mp3"],
            "Không có sự kiện hay văn bản «khong-co»",
        ),
    ):
        refused = loa(*args, env=env)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and said in refused.stderr, args
    bare = tmp_path / "bin"  # a server without espeak-ng: one line, never a traceback
    bare.mkdir()
    no_voice = loa("bulletin", "make", "--text", "Họp dân tối nay.", "-o", str(tmp_path / "y.mp3"),
                   env={**env, "PATH": str(bare), "TESTS_FRESH_LOA": "1"})  # fmt: skip
    assert no_voice.returncode == 2 and "chưa có giọng đọc tiếng Việt" in no_voice.stderr
    assert "Traceback" not in no_voice.stderr and shutil.which("espeak-ng")
