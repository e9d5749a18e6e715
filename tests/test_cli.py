"""The command line, through main([...]) and through the installed `coach` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.core.library import Origin, find_session
from coach.core.places import find_places
from tests.conftest import ROOT
from tests.helpers import COACH
from tests.test_sessionfile import BASE


def test_validate_ok_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "sessions")]) == 0
    out = capsys.readouterr().out
    assert "box.toml: ok" in out and " 0 invalid" in out


def test_validate_a_broken_file_names_line_and_field(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BASE.replace("cycles = 2", "cycles = 0"), "utf-8")
    good = tmp_path / "good.toml"
    good.write_text(BASE, "utf-8")
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:19: steps[2].cycles: must be between 1 and 2000, not 0" in out
    assert f"{good}: ok" in out and "1 valid, 1 invalid" in out


def test_validate_a_missing_file_is_invalid_not_a_crash(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(tmp_path / "nope.toml")]) == 1
    assert "nope.toml:1: (file): cannot be read: No such file" in capsys.readouterr().out


def test_validate_a_folder_without_sessions_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "odd.toml").mkdir()  # a folder, whatever its name
    assert main(["validate", str(tmp_path / "odd.toml")]) == 1
    assert "odd.toml: a folder with no session files (*.toml) in it" in capsys.readouterr().out


def test_validate_without_paths_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["validate"])
    assert exited.value.code == 2


def test_list_shows_bundled_and_invalid_user_files(coach_home: Path, capsys) -> None:
    (coach_home / "sessions").mkdir(parents=True)
    (coach_home / "sessions" / "oops.toml").write_text("format = 1\ntitle = [\n", "utf-8")
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Box breathing" in out and "5 min" in out and "bundled" in out
    assert "oops" in out and "INVALID (see below)" in out and "(syntax)" in out
    assert max(len(line) for line in out.split("Invalid files")[0].splitlines()) < 130
    assert f"Your own sessions go in {coach_home / 'sessions'}" in out


def test_list_keeps_its_columns_with_wide_characters(coach_home: Path, capsys) -> None:
    (coach_home / "sessions").mkdir(parents=True)
    (coach_home / "sessions" / "calm.toml").write_text(
        'format = 1\ntitle = "腰痛のための呼吸"\nsummary = "s"\n\n'
        '[[steps]]\nkind = "guide"\nseconds = 60\ntext = "Rest."\n', "utf-8")
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0]
    mine = next(line for line in lines if "腰痛" in line)
    box = next(line for line in lines if "Box breathing" in line)
    # Each of the title's double-width characters takes one column more than it counts for.
    assert mine.index("1 min") + len("腰痛のための呼吸") == box.index("4 min") == header.index(
        "LENGTH")


def test_data_dir_option_wins_over_coach_home(tmp_path: Path, capsys) -> None:
    main(["--data-dir", str(tmp_path / "elsewhere"), "list"])
    assert str(tmp_path / "elsewhere" / "sessions") in capsys.readouterr().out


def run_script(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    assert COACH, "the coach console script is not installed beside this Python"
    return subprocess.run([COACH, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_installed_script_lists_and_validates(tmp_path: Path) -> None:
    listed = run_script("list", COACH_HOME=str(tmp_path))
    assert listed.returncode == 0 and "Relaxing breath" in listed.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\ntitle = 'x'\nsummary = 'y'\n[[steps]]\nkind = 'breath'\n")
    checked = run_script("validate", str(bad))
    assert checked.returncode == 1
    assert f"{bad}:5: steps[1].kind: unknown step kind 'breath'; did you mean 'breathe'?" \
        in checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr


def test_options_may_follow_the_command(tmp_path: Path) -> None:
    mine = str(tmp_path / "mine")
    wrote = run_script("new", "--title", "Evening calm", "--data-dir", mine)
    assert wrote.returncode == 0, wrote.stderr
    assert "evening-calm" in run_script("list", "--data-dir", mine).stdout
    assert "evening-calm" not in run_script("list", COACH_HOME=str(tmp_path)).stdout
    # --plain after the command: the review as text, not the full-screen app.
    review = run_script("review", "--plain", "--data-dir", mine)
    assert (review.returncode, review.stdout.strip()) == (0, "No runs recorded yet.")


def test_a_file_where_the_folder_should_be_is_named_plainly(tmp_path: Path) -> None:
    home = tmp_path / "coach-home"
    home.write_text("not a folder")
    for command in (("history",), ("list",), ("run", "box"), ("new", "--title", "Mine")):
        done = run_script(*command, COACH_HOME=str(home))
        assert done.returncode == 2, command
        assert done.stderr == (f"coach: COACH_HOME {home} is a file, not a folder; coach keeps "
                               "your ratings, settings and sessions in a folder (made when "
                               "first needed)\n")
    assert home.read_text() == "not a folder"
    assert run_script("validate", str(ROOT / "sessions" / "box.toml"),
                      COACH_HOME=str(home)).returncode == 0


@pytest.mark.parametrize("name", ["box", "sessions/box.toml", str(ROOT / "sessions" / "box.toml")])
def test_a_bundled_session_is_not_edited_in_place_however_named(
        name: str, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    before = (ROOT / "sessions" / "box.toml").read_bytes()
    found = find_session(find_places(), name)
    assert found is not None and found.origin == Origin.BUNDLED  # else the editor would open
    assert main(["edit", name]) == 1
    assert "box is bundled with coach and stays as it is; coach new --from box" in \
        capsys.readouterr().err
    assert (ROOT / "sessions" / "box.toml").read_bytes() == before


def test_python_dash_m_coach_works() -> None:
    done = subprocess.run([sys.executable, "-m", "coach", "schema"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and '"title": "coach session"' in done.stdout


def test_file_commands_do_not_import_textual() -> None:
    code = ("import sys; from coach.cli import main; main(['list']); main(['validate', "
            f"{str(ROOT / 'sessions')!r}]); main(['schema']); "
            "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'rich', 'simpleaudio'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stderr == "[]"
