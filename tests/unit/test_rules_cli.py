"""`crm-bot rules export|import FILE`: rules files on the command line, against the database
from the settings, without the bot; every problem one line with its line number, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from rules.services.rules_file import DEFAULTS
from tests.databases import database_env, database_location, postgresql_only, sqlite_only, url_of

ROOT = Path(__file__).resolve().parents[2]
BAD_FILE = """\
version: 1
rules:
  - key: greet
    type: deal
    stage: nowhere
    kind: message_client
    params: {text: Hello}
  - key: cheer
    type: deal
    stage: won
    kind: notify_responsible
    colour: green
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"BOT_TOKEN": "123456:TEST-TOKEN-cli",
              **database_env(database_location(tmp_path, "crm.db")),
              "TEMPLATES_DIR": str(ROOT / "templates"), "DATA_DIR": str(tmp_path / "data")}
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def test_import_then_export_round_trip(env: dict[str, str], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "import", str(DEFAULTS)])
    assert "8 added, 0 updated" in capsys.readouterr().err
    exported = tmp_path / "rules.yaml"
    main(["rules", "export", str(exported)])
    assert "exported 8 rules" in capsys.readouterr().err
    rules = yaml.safe_load(exported.read_text(encoding="utf-8"))["rules"]
    assert {r["key"] for r in rules} == {
        r["key"] for r in yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))["rules"]}
    assert next(r for r in rules if r["key"] == "default-deal-final-invoice-wait")[
        "timing"] == "after 7 days, in working hours"
    main(["rules", "import", str(exported)])
    assert "0 added, 8 updated" in capsys.readouterr().err


def test_an_import_with_problems_names_every_line_and_changes_nothing(
        env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_FILE, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["rules", "import", str(bad)])
    assert stop.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{bad}:12: colour: unknown field" in err
    bad.write_text(BAD_FILE.replace("    colour: green\n", ""), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["rules", "import", str(bad)])
    err = capsys.readouterr().err.splitlines()
    assert f"{bad}:5: stage: no such stage: nowhere" in err
    assert err[-1] == f"crm-bot: {bad} was not imported; nothing was changed"
    main(["rules", "export", "-"])
    assert yaml.safe_load(capsys.readouterr().out)["rules"] == []


@sqlite_only  # a file that is not there; PostgreSQL's missing database is the test below
def test_no_database_is_one_clear_line(
        env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["rules", "export", "out.yaml"])
    assert stop.value.code == 1
    assert capsys.readouterr().err.strip() == (
        f"crm-bot: there is no database at {env['DATABASE_PATH']} (check DATABASE_PATH)")


@postgresql_only
def test_no_postgresql_database_is_one_clear_line(
        env: dict[str, str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = url_of("crm_test_nobody_made_this")
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SystemExit) as stop:
        main(["rules", "export", "out.yaml"])
    assert stop.value.code == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"crm-bot: cannot open the database at {url}: "), line
    assert 'database "crm_test_nobody_made_this" does not exist' in line, line
    assert line.endswith(" (check DATABASE_URL)") and "\n" not in line, line


def test_a_broken_file_is_one_clear_line(env: dict[str, str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = Path("bad.yaml")
    bad.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["rules", "import", "bad.yaml"])
    assert capsys.readouterr().err.splitlines()[0].startswith("bad.yaml:2: file: ")
    bad.write_text("a: &a [x, x]\nb: &b [*a, *a]\nrules: [" + "[" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["rules", "import", "bad.yaml"])
    assert capsys.readouterr().err.splitlines()[0] == (
        "bad.yaml:2: file: anchors and aliases (&name, *name) are not allowed; write the value out")


def test_the_entry_point_exits_with_1_and_says_why(env: dict[str, str], tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "rules", "import", "nothing.yaml"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 1
    assert done.stderr == "crm-bot: cannot read nothing.yaml: No such file or directory\n"
