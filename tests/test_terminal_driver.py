"""coach's terminal driver, in a real pseudo-terminal: keys arrive, a still screen sleeps,
a closed terminal ends coach, and a suspended coach comes back."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from coach.core.store import Outcome
from tests.helpers import stored_runs
from tests.pty_app import PtyApp

SESSION = """format = 1
title = "Driver test breath"
summary = "Slow breathing."

[[steps]]
kind = "breathe"
title = "Breath"
pattern = { inhale = 4, exhale = 6 }
cycles = 30
"""

pytestmark = pytest.mark.slow


@pytest.fixture
def session(tmp_path: Path) -> Path:
    path = tmp_path / "breath.toml"
    path.write_text(SESSION, "utf-8")
    return path


def start_breathing(home: Path, session: Path) -> PtyApp:
    app = PtyApp(["--no-sound", "run", str(session)], home)
    app.wait_for(b"pain")
    app.type("6")
    app.read(0.3)
    app.type("\r")
    app.wait_for(b"Breathe")
    return app


def context_switches(pid: int) -> int:
    """Times the process's threads have gone to sleep and been woken, all threads together."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches"):
                total += int(line.split()[1])
    return total


def test_a_lone_escape_key_reaches_the_app(home: Path, session: Path) -> None:
    app = start_breathing(home, session)
    try:
        app.type("\x1b")  # nothing follows: the parser must settle it as Escape by itself
        app.wait_for(b"End the session now?", timeout=5)
    finally:
        app.kill()


def test_a_still_screen_leaves_the_process_asleep(home: Path) -> None:
    app = PtyApp(["--no-sound"], home)
    try:
        app.wait_for(b"choose a practice")
        app.read(1.0)  # let start-up settle
        before = context_switches(app.process.pid)
        app.read(2.0)
        woken = context_switches(app.process.pid) - before
    finally:
        app.kill()
    # Textual's own driver wakes its input thread ten times a second: 20 here.
    assert woken < 8


def test_closing_the_terminal_ends_coach_and_keeps_the_run_as_interrupted(
        home: Path, session: Path) -> None:
    app = start_breathing(home, session)
    try:
        app.until(lambda: (home / "coach.sqlite3").exists() and len(stored_runs(home)) == 1)
        app.read(1.0)
        code = app.hang_up()
    finally:
        app.kill()
    assert code == 128 + signal.SIGHUP
    (run,) = stored_runs(home)
    assert run.outcome == Outcome.INTERRUPTED and run.pain_before == 6


def test_a_suspended_coach_resumes_and_still_takes_keys(home: Path, session: Path) -> None:
    app = start_breathing(home, session)
    try:
        app.signal(signal.SIGTSTP)
        deadline = time.monotonic() + 10
        while _state(app.process.pid) != "T":
            assert time.monotonic() < deadline, "coach did not stop"
            app.read(0.05)
        app.output = b""
        os.kill(app.process.pid, signal.SIGCONT)
        app.wait_for(b"Breathe", timeout=10)  # drawn again
        app.type(" ")
        app.wait_for(b"Paused", timeout=10)
    finally:
        app.kill()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
