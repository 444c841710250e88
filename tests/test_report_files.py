"""Report files as officers open them: the XLSX read back by LibreOffice, atomic writes, killed processes."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bot.files import write_atomically
from tests.helpers import file_report, loa_command, register_person, spawn_loa

BACKENDS = ("sqlite", "postgresql")


def _loa(*args: str, env: dict[str, str], stdin: str | None = None, cwd: Path | None = None):
    full = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full.update(env)
    return subprocess.run(
        [*loa_command(full), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=120,
    )


async def test_xlsx_opens_in_libreoffice_with_the_numbers_of_loa_report_stats(
    app, router, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, (
        "LibreOffice is needed for this check: apt-get install libreoffice-calc-nogui (CI installs it)"
    )
    a = await register_person(app, router, "x1")
    await file_report(a, people="50")
    await file_report(a, form="Loa", people="30", topic="Bối cảnh")
    b = await register_person(app, router, "x2", unit="12-004-01", name="Lò Văn C")
    await b.say("/baocao 13/3 chi bộ 12 người thu ngân sách 2023")
    await b.tap("Gửi")
    await app.db.questions.flush()
    env = {"LOA_DB": str(app.settings.db)}
    stats = json.loads(_loa("report", "stats", "--quarter", "2024Q1", "--json", env=env, cwd=tmp_path).stdout)
    xlsx = tmp_path / "q1.xlsx"
    assert (
        _loa("report", "export", "--quarter", "2024Q1", "-o", str(xlsx), env=env, cwd=tmp_path).returncode
        == 0
    )
    # Every sheet to its own CSV, cells as LibreOffice shows them.
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with open(tmp_path / "q1-Tổng hợp.csv", encoding="utf-8") as fh:
        summary = list(csv.reader(fh))
    with open(tmp_path / "q1-Báo cáo.csv", encoding="utf-8") as fh:
        detail = list(csv.reader(fh))
    assert summary[0] == ["Xã/phường", "Hình thức", "Số buổi", "Số người dự"]
    # The sheet says what it counts: returned reports are not counted until submitted again.
    assert summary[-1][0].startswith("Tính cả báo cáo đã nhận") and "bị trả lại" in summary[-1][0]
    summary = summary[:-2]
    assert summary[-1] == ["Tổng cộng", "", str(stats["sessions"]), str(stats["attendees"])]
    per_commune: dict[str, list[int]] = {}
    for name, _form, sessions, people in summary[1:-1]:
        per_commune.setdefault(name, [0, 0])
        per_commune[name][0] += int(sessions)
        per_commune[name][1] += int(people)
    assert per_commune == {c["name"]: [c["sessions"], c["attendees"]] for c in stats["by_commune"]}
    assert len(detail) - 1 == stats["sessions"] == 3
    assert sum(int(row[5]) for row in detail[1:]) == stats["attendees"] == 92
    assert {row[1] for row in detail[1:]} == {"14/03/2024", "13/03/2024"}, "dates are dates, shown dd/mm/yyyy"


def test_an_export_is_whole_or_not_there(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.xlsx"
    target.write_bytes(b"old complete file")

    with pytest.raises(TypeError):
        write_atomically(target, object())  # type: ignore[arg-type]  # fails while writing
    assert target.read_bytes() == b"old complete file"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.xlsx"], "no half-written file left behind"
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"


def test_killed_mid_report_the_report_goes_on_after_restart(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "k.db"), "LOA_ADMINS": "console:boss"}
    code = _loa(
        "invite", "create", "--role", "propagandist", "--unit", "12-003-01", env=env, cwd=tmp_path
    ).stdout.split()[2]
    full = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full.update(env)
    proc = spawn_loa("chat", "--user", "lan", env=full, cwd=tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    for line in (f"/dangky {code}", "1", "/baocao", "2", "4"):  # yes-name, yesterday, loudspeaker
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
    deadline = time.time() + 60
    seen = ""
    while "③ Địa điểm?" not in seen and time.time() < deadline:
        seen += proc.stdout.readline()
    assert "③ Địa điểm?" in seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # A new process: the person goes on where they were.
    out = _loa("chat", "--user", "lan", stdin="/baocao\n1\n3\n2\n11\n1\n1\n", env=env, cwd=tmp_path).stdout
    assert "Đồng chí đang làm dở một báo cáo" in out
    assert "✅ Đã lưu báo cáo số 1" in out and "Loa truyền thanh cơ sở" in out


async def test_text_people_typed_never_becomes_a_formula_in_an_export(app, router, tmp_path: Path) -> None:
    """OWASP's CSV injection: = + - @ leading a cell: text in the XLSX, neutralised in the CSV."""
    from openpyxl import load_workbook

    from bot import reports

    person = await register_person(app, router, "f1")
    typed = ["=1+1", "+41+1", "-2+3", "@SUM(1;2)"]
    for concern in typed:
        await person.say("/baocao hom qua hop ban 20 nguoi thu ngan sach 2023")
        await person.tap("Sửa")
        await person.tap("Ý kiến người dân")
        await person.say(concern)
        await person.tap("Gửi")
        if "Vẫn gửi" in " ".join(b.label for r in person.last for b in r.options()):
            await person.tap("Vẫn gửi")  # the same place, form and day as the one before
    # A name stored before names were checked (a messenger display name) is user text too.
    await app.db.people.set_role("telegram", "f1", "propagandist", "12-003-01", '=HYPERLINK("http://x","y")')
    stats = await reports.compute(app, reports.period_of("quy 1/2024", app.today()), "12")
    assert sorted(r.concerns for r in stats.reports) == sorted(typed)

    xlsx = tmp_path / "f.xlsx"
    xlsx.write_bytes(reports.xlsx_bytes(app, stats))
    sheet = load_workbook(xlsx)["Báo cáo"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells), "no cell is stored as a formula"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this check (CI installs it)"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2", "--outdir",
         str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with open(tmp_path / "f-Báo cáo.csv", encoding="utf-8") as fh:
        shown = list(csv.reader(fh))[1:]
    assert sorted(row[7] for row in shown) == sorted(typed), "LibreOffice shows the text, not a result"
    assert {row[8] for row in shown} == {'=HYPERLINK("http://x","y")'}

    rows = list(csv.reader(reports.csv_bytes(app, stats).decode("utf-8-sig").splitlines()))[1:]
    assert sorted(row[7] for row in rows) == sorted("'" + t for t in typed)
    assert {row[8] for row in rows} == {'\'=HYPERLINK("http://x","y")'}
