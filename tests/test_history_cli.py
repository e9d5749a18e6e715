"""`coach history`: the table, CSV and JSON parsed back, filters, empty history, no Textual."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.cli import main
from coach.core.history import EXPORT_COLUMNS
from coach.core.seed import seed_store
from coach.core.store import Store
from tests.helpers import COACH

END = datetime(2025, 3, 30, 20, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC here, so dates in the output are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def seeded(coach_home: Path) -> Path:
    with Store.open(coach_home / "coach.sqlite3") as store:
        seed_store(store, 70, END, seed=3)
    return coach_home


def history(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["history", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_empty_history_says_so_and_creates_nothing(coach_home: Path, capsys) -> None:
    assert history(capsys) == (0, "No runs recorded yet.\n", "")
    code, out, _ = history(capsys, "--format", "csv")
    assert code == 0 and out == ",".join(name for name, _ in EXPORT_COLUMNS) + "\r\n"
    code, out, _ = history(capsys, "--format", "json")
    assert code == 0 and json.loads(out)["runs"] == [] and json.loads(out)["summaries"] == []
    assert not (coach_home / "coach.sqlite3").exists()


def test_table_shows_what_helps_most_first_then_recent_runs(seeded: Path, capsys) -> None:
    code, out, _ = history(capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("What helps most")
    assert lines[1].split()[0] == "PRACTICE"
    assert lines[2].startswith("Release-only relaxation")  # the strongest seeded effect
    assert "Coherent breathing *" in out and "* fewer than 3 rated runs" in out
    assert "Runs, newest first (the 20 most recent of 70):" in out
    runs_header = lines.index("Runs, newest first (the 20 most recent of 70):") + 1
    assert lines[runs_header].split()[:3] == ["DATE", "TIME", "PRACTICE"]
    assert lines[runs_header + 1].startswith("2025-03-30")
    assert lines[-1] == "70 runs on 27 days · 10 h 8 min practised · up to 17 days in a row"


def test_table_filters(seeded: Path, capsys) -> None:
    code, out, _ = history(capsys, "--session", "box", "--limit", "0")
    assert code == 0 and "Box breathing" in out and "Release-only" not in out
    assert "Runs, newest first (all):" in out
    _, out, _ = history(capsys, "--tag", "cramp", "--since", "2025-03-25", "--until",
                        "2025-03-26")
    assert "Release-only relaxation" in out and "Box breathing" not in out
    assert history(capsys, "--tag", "Cramp ", "--since", "2025-03-25", "--until",
                   "2025-03-26")[1] == out  # tags are kept lower case and trimmed
    run_dates = [line.split()[0] for line in out.splitlines() if line.startswith("2025-")]
    assert run_dates and set(run_dates) <= {"2025-03-25", "2025-03-26"}
    assert history(capsys, "--session", "nothing")[1] == (
        "No runs of a practice called 'nothing': --session takes a NAME as coach list shows "
        "it.\n")
    assert history(capsys, "--session", "box", "--since", "2030-01-01")[1] == (
        "No runs match these filters.\n")
    assert history(capsys, "--session", "calm-breathing")[1] == "No runs of Calm breathing yet.\n"


def test_csv_parses_back_with_the_filters_applied(seeded: Path, capsys) -> None:
    code, out, _ = history(capsys, "--format", "csv", "--tag", "back")
    rows = list(csv.DictReader(io.StringIO(out)))
    with Store.open(seeded / "coach.sqlite3") as store:
        assert len(rows) == store.count_runs(tag="back")
    assert code == 0 and rows
    assert {r["session_id"] for r in rows} == {"release-only", "back-scan"}
    assert [r["started_utc"] for r in rows] == sorted(r["started_utc"] for r in rows)
    for row in rows:
        assert datetime.fromisoformat(row["started_local"]) == \
            datetime.fromisoformat(row["started_utc"])
        if row["pain_before"] and row["pain_after"]:
            assert int(row["relief_points"]) == int(row["pain_before"]) - int(row["pain_after"])


def test_csv_limit_keeps_the_newest(seeded: Path, capsys) -> None:
    _, out, _ = history(capsys, "--format", "csv", "--limit", "5")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 and rows[-1]["date_local"] == "2025-03-30"


def test_json_parses_back(seeded: Path, capsys) -> None:
    code, out, _ = history(capsys, "--format", "json", "--since", "2025-03-20")
    data = json.loads(out)
    assert code == 0 and data["filters"]["since"] == "2025-03-20T00:00:00+00:00"
    assert all(r["date_local"] >= "2025-03-20" for r in data["runs"])
    assert sum(s["runs"] for s in data["summaries"]) == len(data["runs"])
    assert list(data["runs"][0]) == [name for name, _ in EXPORT_COLUMNS]
    assert data["filters"]["limit"] is None
    limited = json.loads(history(capsys, "--format", "json", "--limit", "2")[1])
    assert len(limited["runs"]) == 2 and limited["filters"]["limit"] == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "last tuesday"], "'last tuesday' is not a date coach can read"),
    (["--limit", "-1"], "--limit needs 0 or more"),
    (["--since", "2025-03-26", "--until", "2025-03-01"], "--until 2025-03-01 comes before"),
])
def test_bad_options_are_usage_errors(args: list[str], message: str, capsys) -> None:
    code, out, err = history(capsys, *args)
    assert code == 2 and out == "" and message in err and "Traceback" not in err


def test_a_database_that_is_not_ours_is_refused_in_one_line(coach_home: Path, capsys) -> None:
    coach_home.mkdir()
    (coach_home / "coach.sqlite3").write_text("not a database")
    code, _, err = history(capsys)
    assert code == 1 and err.count("\n") == 1 and "not a coach database" in err


def test_installed_script_exports_without_textual(seeded: Path) -> None:
    assert COACH, "the coach console script is not installed beside this Python"
    done = subprocess.run([COACH, "history", "--format", "csv"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COACH_HOME": str(seeded)})
    assert done.returncode == 0 and len(list(csv.DictReader(io.StringIO(done.stdout)))) == 70
    code = ("import sys; from coach.cli import main; main(['history']); "
            "main(['history', '--format', 'json']); "
            "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'rich', 'simpleaudio'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COACH_HOME": str(seeded)})
    assert done.stderr == "[]"


def test_review_in_plain_mode_prints_the_history(seeded: Path, capsys) -> None:
    assert main(["--plain", "review"]) == 0
    assert capsys.readouterr().out.startswith("What helps most")
