"""A real coach process in a pseudo-terminal, stopped by SIGTERM, SIGHUP and kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from coach.core.store import Outcome
from tests.helpers import COACH, stored_runs
from tests.pty_app import PtyApp

SESSION = """format = 1
title = "Plain test breath"
summary = "A guide, then breathing."

[[steps]]
kind = "guide"
seconds = 30
text = "Settle."

[[steps]]
kind = "breathe"
pattern = { inhale = 4, exhale = 6 }
cycles = 30
"""

pytestmark = pytest.mark.slow


def start_practising(home: Path, tmp_path: Path) -> PtyApp:
    session = tmp_path / "breath.toml"
    session.write_text(SESSION, "utf-8")
    app = PtyApp(["--no-sound", "run", str(session)], home)
    app.wait_for(b"pain")
    app.type("7")
    app.read(0.3)
    app.type("\r")
    app.until(lambda: (home / "coach.sqlite3").exists() and len(stored_runs(home)) == 1)
    app.wait_for(b"Settle")
    return app


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_cleanly_and_records_the_interruption(home: Path, tmp_path: Path,
                                                            signum: int) -> None:
    app = start_practising(home, tmp_path)
    try:
        app.read(1.0)
        app.signal(signum)
        code = app.finish()
    finally:
        app.kill()
    assert code == 128 + signum
    assert b"was interrupted after" in app.output
    assert b"Traceback" not in app.output
    assert app.output.rstrip().endswith(b"saved as interrupted.") or b"\x1b[?1049l" in app.output
    (run,) = stored_runs(home)
    assert run.outcome == Outcome.INTERRUPTED and run.pain_before == 7
    assert 0.5 < run.practised_seconds < 30


def test_kill_9_keeps_the_rating_and_shows_interrupted_on_the_next_start(
        home: Path, tmp_path: Path) -> None:
    app = start_practising(home, tmp_path)
    app.kill()
    (run,) = stored_runs(home)
    assert run.outcome == Outcome.RUNNING and run.pain_before == 7  # on disk before the kill
    again = PtyApp(["--no-sound"], home)
    try:
        again.wait_for(b"choose a practice")
        again.until(lambda: stored_runs(home)[0].outcome == Outcome.INTERRUPTED)
        again.wait_for(b"unexpectedly")  # and the user is told
        again.type("\x11")  # ctrl+q
        assert again.finish() == 0
    finally:
        again.kill()
    (run,) = stored_runs(home)
    assert run.outcome == Outcome.INTERRUPTED and run.pain_before == 7


def test_after_kill_9_the_history_says_interrupted_not_still_running(
        home: Path, tmp_path: Path) -> None:
    app = start_practising(home, tmp_path)
    app.kill()
    assert stored_runs(home)[0].outcome == Outcome.RUNNING
    done = subprocess.run([COACH, "history"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COACH_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert "interrupted" in done.stdout and "still running" not in done.stdout
    (run,) = stored_runs(home)
    assert run.outcome == Outcome.INTERRUPTED and run.pain_before == 7


def test_closing_the_terminal_keeps_unsaved_editor_changes(home: Path, tmp_path: Path) -> None:
    session = home / "sessions" / "mine.toml"
    session.parent.mkdir(parents=True)
    session.write_text(SESSION, "utf-8")
    app = PtyApp(["edit", str(session)], home)
    try:
        app.wait_for(b"editing")
        app.read(0.5)
        app.type("# a thought")
        app.wait_for(b"thought")
        app.read(0.5)
        app.signal(signal.SIGHUP)
        assert app.finish() == 128 + signal.SIGHUP
    finally:
        app.kill()
    assert session.read_text("utf-8") == SESSION  # the file itself is untouched
    kept = session.with_name("mine.toml.unsaved").read_text("utf-8")
    assert "# a thought" in kept and kept != SESSION
    assert b"unsaved changes are in" in app.output
