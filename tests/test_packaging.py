"""A normal (non-editable) install carries the content folder and finds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.helpers import REPO


def test_wheel_carries_content_and_an_installed_loa_finds_it(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = list((tmp_path / "dist").glob("loa-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "bot/_content/topics.yaml" in names
    assert "bot/_content/documents/hd-ktxh-2023.yaml" in names
    assert "bot/migrations/0001_initial.sql" in names
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["PYTHONPATH"] = str(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = subprocess.run(
        [sys.executable, "-c", "import bot.content as c; print(c.default_content_dir())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        timeout=60,
    )
    assert check.stdout.strip() == str(tmp_path / "site" / "bot" / "_content")
    res = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "check", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["faq_entries"] >= 80
    # The installed wheel's own content is read-only: an import says how to point at a writable copy.
    source = REPO / "tests" / "data" / "hd-42-2025.txt"
    imported = subprocess.run(
        [sys.executable, "-m", "bot.cli", "content", "import", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        timeout=60,
    )
    assert imported.returncode == 2 and "LOA_CONTENT_DIR" in imported.stderr
    assert imported.stderr.count("\n") == 1
    assert not (tmp_path / "site" / "bot" / "_content" / "documents" / "42-hd-btgtu.yaml").exists()


def test_the_readme_configuration_table_lists_every_variable() -> None:
    from bot.channels import settings_classes
    from bot.config import Settings

    table = (REPO / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1]
    names = [f"LOA_{field.upper()}" for field in Settings.model_fields]
    for channel, kind in settings_classes().items():
        names += [f"LOA_{channel.upper()}_{field.upper()}" for field in kind.model_fields]
    missing = [name for name in names if f"`{name}`" not in table]
    assert not missing, missing
