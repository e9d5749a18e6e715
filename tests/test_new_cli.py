"""`coach new` and `coach edit` on the command line: real files, the real console script."""

from __future__ import annotations

import gc
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from coach.cli import main
from coach.core.model import BreatheStep
from coach.core.sessionfile import check_file, parse_ratio, read_session
from tests.conftest import ROOT

COACH = Path(sys.executable).with_name("coach")


def test_coach_new_writes_into_the_users_sessions_and_says_where(coach_home, capsys) -> None:
    assert main(["new", "--title", "4-6 calm", "--pattern", "4-6", "--minutes", "5"]) == 0
    path = coach_home / "sessions" / "4-6-calm.toml"
    out = capsys.readouterr().out
    assert f"Wrote {path}" in out and "coach run 4-6-calm" in out and f"coach edit {path}" in out
    assert read_session(path).title == "4-6 calm"
    assert main(["list"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "4-6-calm" in line]
    assert listed and listed[0].endswith("yours")


def test_an_existing_file_is_never_overwritten_without_force(coach_home, capsys) -> None:
    assert main(["new", "--title", "Calm"]) == 0
    path = coach_home / "sessions" / "calm.toml"
    path.write_text(path.read_text() + "# my own note\n")
    before = path.read_bytes()
    assert main(["new", "--title", "Calm", "--pattern", "5-5"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert main(["new", "--title", "Calm", "--pattern", "5-5", "--force"]) == 0
    assert path.with_name("calm.toml.bak").read_bytes() == before
    assert breathing(read_session(path)).pattern == parse_ratio("5-5")


def breathing(session) -> BreatheStep:
    return next(s for s in session.steps if isinstance(s, BreatheStep))


def test_a_path_can_be_a_folder_or_a_file(tmp_path, capsys) -> None:
    assert main(["new", str(tmp_path), "--title", "Evening"]) == 0
    assert read_session(tmp_path / "evening.toml").title == "Evening"
    assert main(["new", str(tmp_path / "x.toml"), "--title", "Other", "--cycles", "3"]) == 0
    assert breathing(read_session(tmp_path / "x.toml")).cycles == 3
    assert main(["new", str(tmp_path / "x.txt"), "--title", "Other"]) == 2
    assert "ends in .toml (a PATH ending in / is a folder to write into)" in \
        capsys.readouterr().err
    assert not (tmp_path / "x.txt").exists()
    # A folder not there yet, said so by its slash, is made.
    assert main(["new", f"{tmp_path / 'mine'}/", "--from", "box"]) == 0
    assert read_session(tmp_path / "mine" / "box-breathing-mine.toml").title == \
        "Box breathing (mine)"


def test_bad_options_write_nothing(coach_home, capsys) -> None:
    assert main(["new", "--title", "A", "--pattern", "4-0.1"]) == 2
    assert "--pattern: exhale would last 0.1 s" in capsys.readouterr().err
    assert main(["new", "--title", "A", "--unit", "60", "--pattern", "10-10",
                 "--cycles", "100"]) == 1
    assert "the limit is 4 hours" in capsys.readouterr().err
    assert not (coach_home / "sessions").exists()


def test_without_a_title_or_a_terminal_it_says_what_it_needs(coach_home) -> None:
    done = subprocess.run([COACH, "new"], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "needs --title" in done.stderr and "Traceback" not in done.stderr


def test_from_a_bundled_session(coach_home, capsys) -> None:
    assert main(["new", "--from", "box", "--pattern", "4-6", "--cycles", "10"]) == 0
    session = read_session(coach_home / "sessions" / "box-breathing-mine.toml")
    assert session.title == "Box breathing (mine)"
    assert breathing(session).pattern == parse_ratio("4-6") and breathing(session).cycles == 10
    assert session.caution  # the template's caution stays
    assert "Its summary and step texts are Box breathing's" in capsys.readouterr().out
    assert main(["new", "--from", "box", "--title", "Same box"]) == 0  # nothing changed
    assert "step texts" not in capsys.readouterr().out
    assert main(["new", "--from", "no-such-thing"]) == 1
    assert "no session called 'no-such-thing'" in capsys.readouterr().err


def test_coach_new_does_not_load_textual(tmp_path) -> None:
    code = ("import sys; from coach.cli import main; "
            f"main(['new', {str(tmp_path)!r}, '--title', 'T']); "
            "assert 'textual' not in sys.modules, 'textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, capture_output=True)


def read_until(fd: int, wanted: str, seen: list[str]) -> None:
    deadline = time.monotonic() + 30
    while wanted not in "".join(seen):
        assert time.monotonic() < deadline, f"never saw {wanted!r} in {''.join(seen)!r}"
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen.append(os.read(fd, 4096).decode())


def test_in_a_terminal_with_no_options_it_asks(coach_home) -> None:
    taken = coach_home / "sessions" / "taken.toml"
    taken.parent.mkdir(parents=True, exist_ok=True)
    taken.write_text("kept")
    (taken.parent / "session.toml").write_text("kept")  # the name of an empty title's file
    main_fd, child_fd = os.openpty()
    process = subprocess.Popen([COACH, "new"], stdin=child_fd, stdout=child_fd,
                               stderr=child_fd, close_fds=True)
    os.close(child_fd)
    seen: list[str] = []
    try:
        read_until(main_fd, "Title: ", seen)
        os.write(main_fd, b"\n")  # no title: asked again, in the question's words
        read_until(main_fd, "The title must not be empty", seen)
        os.write(main_fd, b"Taken\n")  # its file exists: the title is asked again at once
        read_until(main_fd, "taken.toml already exists; choose another title", seen)
        os.write(main_fd, b"Slow evening\n")
        read_until(main_fd, "[4-6]: ", seen)
        os.write(main_fd, b"4-0.1\n")  # too short an out-breath: asked again
        read_until(main_fd, "exhale would last 0.1 s", seen)
        os.write(main_fd, b"4-7-8\n")
        read_until(main_fd, "Minutes of breathing [5]: ", seen)
        os.write(main_fd, b"0\n")
        read_until(main_fd, "Minutes must be between", seen)
        os.write(main_fd, b"\n")
        read_until(main_fd, "Wrote ", seen)
        assert process.wait(timeout=30) == 0
        assert "--" not in "".join(seen)  # no command-line options the user never typed
    finally:
        process.kill()
        os.close(main_fd)
    assert taken.read_text() == "kept"
    session = read_session(coach_home / "sessions" / "slow-evening.toml")
    assert breathing(session).pattern == parse_ratio("4-7-8")
    assert breathing(session).cycles == round(300 / 19)


def test_coach_edit_refuses_what_it_cannot_edit(coach_home, tmp_path, capsys) -> None:
    assert main(["edit", "box"]) == 1
    assert "coach new --from box" in capsys.readouterr().err
    missing = tmp_path / "missing.toml"
    assert main(["edit", str(missing)]) == 1
    assert f"no such file; coach new {missing} writes one" in capsys.readouterr().err
    text = tmp_path / "notes.txt"
    text.write_text("x")
    assert main(["edit", str(text)]) == 2
    assert "a session file's name ends in .toml" in capsys.readouterr().err
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('title = "Café"\n'.encode("latin-1"))
    assert main(["edit", str(latin1)]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    assert gc.isenabled()  # off only while an app starts: none did
    mine = tmp_path / "mine.toml"
    mine.write_text('format = 1\ntitle = "Mine"\n', "utf-8")
    assert main(["--plain", "edit", str(mine)]) == 2  # never a full-screen editor with --plain
    assert "needs the full screen" in capsys.readouterr().err


def test_a_copy_of_a_session_with_its_own_sound_brings_the_sound(coach_home, tmp_path) -> None:
    import wave

    mine = coach_home / "sessions"
    mine.mkdir(parents=True)
    with wave.open(str(mine / "chime.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x00\x01" * 200)
    original = (ROOT / "sessions" / "box.toml").read_text("utf-8")
    (mine / "chimed.toml").write_text(original.replace('start = "bowl"', 'start = "chime.wav"'),
                                      "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert main(["new", "--from", "chimed", "--title", "Chimed copy", str(elsewhere)]) == 0
    copy = elsewhere / "chimed-copy.toml"
    assert check_file(copy) == []
    assert (elsewhere / "chime.wav").read_bytes() == (mine / "chime.wav").read_bytes()


def test_too_long_says_how_long_with_its_settling_and_closing(coach_home, capsys) -> None:
    assert main(["new", "--title", "Long", "--minutes", "240"]) == 1
    assert capsys.readouterr().err == (
        "coach: that would not be a valid session: steps: the session would last "
        "4 h 0 min 45 s; the limit is 4 hours\n")
    assert main(["new", "--title", "Long", "--minutes", "239"]) == 0
