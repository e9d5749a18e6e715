"""A practice in a real `coach run`, driven screen by screen and stopped at a chosen moment.

A rating counts as confirmed once the screen after it has been drawn on the terminal: that is
what the user saw, and the promise is that it is on disk by then.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from coach.core.store import Outcome, Run
from tests.pty_app import COACH, PtyApp

SESSION = """format = 1
title = "Fault breath"
summary = "A long guide, then breathing."

[[steps]]
kind = "guide"
seconds = 60
text = "Settle in."

[[steps]]
kind = "breathe"
pattern = { inhale = 4, exhale = 6 }
cycles = 10
"""

PRE_SCREEN = b"before you start"
PLAYER = b"Settle in."
ENDING = b"End the session"
POST_SCREEN = b"after the session"
SUMMARY = b"Ended early"
RECOVERED = b"unexpectedly"


class FaultApp(PtyApp):
    """`PtyApp`, optionally run through a prefix (e.g. setpriv), and closable after a kill."""

    def __init__(self, args: list[str], home: Path, prefix: tuple[str, ...] = (),
                 size: tuple[int, int] = (80, 24)) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "COACH_HOME": str(home), "TERM": "xterm-256color"}
        self.process = subprocess.Popen([*prefix, COACH, *args], stdin=slave, stdout=slave,
                                        stderr=slave, env=env, start_new_session=True,
                                        close_fds=True)
        os.close(slave)
        self.output = b""

    def stop(self, fault: int) -> int:
        """Send `fault` (SIGKILL kills the whole group), keep what it drew, and close."""
        if fault == signal.SIGKILL:
            self.kill()
        else:
            self.signal(fault)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(f"coach did not exit on signal {fault}") from None
        self.read(0.2)
        os.close(self.master)
        return self.process.returncode

    def saw(self, text: bytes) -> bool:
        return text in self.output


class Moment(Enum):
    """Where in a practice the fault comes."""

    PRE_SHOWN = "on the rating before, a digit perhaps typed but not confirmed"
    PRE_CONFIRMED = "right after the rating before is confirmed (the player drawn)"
    MID_SESSION = "mid-session"
    POST_SHOWN = "on the rating after, not confirmed"
    POST_CONFIRMED = "right after the rating after is confirmed (the summary drawn)"
    SUMMARY = "on the summary, a while later"
    PRE_RACE = "a random instant after Enter on the rating before, drawn or not"
    POST_RACE = "a random instant after Enter on the rating after, drawn or not"


@dataclass
class Journey:
    """One practice: what was typed, what the screen showed, and what must be stored."""

    moment: Moment
    fault: int
    before: int
    after: int
    run_id: int | None = None
    before_confirmed: bool = False
    ended: bool = False
    after_confirmed: bool = False
    exit_code: int | None = None
    output: bytes = b""

    def expected_outcome(self, recovered: bool) -> Outcome:
        """The run's outcome once the process is gone (and, after a kill, the next start)."""
        if self.ended:
            return Outcome.ENDED_EARLY
        if self.fault == signal.SIGKILL and not recovered:
            return Outcome.RUNNING
        return Outcome.INTERRUPTED

    def check(self, run: Run | None, recovered: bool) -> None:
        """The stored run holds every rating this journey saw confirmed, marked rightly."""
        where = f"{self.moment.name} with signal {self.fault}"
        if not self.before_confirmed:
            assert run is None or self.moment is Moment.PRE_RACE, where
            if run is None:
                return
        assert run is not None, f"{where}: the confirmed rating before was lost"
        assert run.pain_before == self.before, where
        assert run.outcome == self.expected_outcome(recovered), (where, run.outcome)
        if self.after_confirmed:
            assert run.pain_after == self.after, f"{where}: the confirmed rating after was lost"
        elif self.moment is not Moment.POST_RACE:
            assert run.pain_after is None, where



def rate(app: FaultApp, score: int) -> None:
    app.type(str(score))
    app.read(0.1)  # a 1 waits a moment for a 0 (ten); let the digit land first
    app.type("\r")


def travel(app: FaultApp, journey: Journey, rng: random.Random) -> None:
    """Drive `app` to the journey's moment and stop it there with its fault."""
    moment = journey.moment
    app.wait_for(PRE_SCREEN)
    if moment is Moment.PRE_SHOWN:
        if rng.random() < 0.5:
            app.type(str(journey.before))
        app.read(rng.uniform(0, 0.5))
        return
    rate(app, journey.before)
    if moment is Moment.PRE_RACE:
        app.read(rng.uniform(0, 0.3))
        return
    app.wait_for(PLAYER)
    if moment is Moment.PRE_CONFIRMED:
        return
    if moment is Moment.MID_SESSION:
        app.read(rng.uniform(0.1, 1.2))
        return
    app.read(rng.uniform(0, 0.5))
    app.type("\x1b")
    app.wait_for(ENDING)
    app.type("y")
    app.wait_for(POST_SCREEN)
    if moment is Moment.POST_SHOWN:
        app.read(rng.uniform(0, 0.5))
        return
    rate(app, journey.after)
    if moment is Moment.POST_RACE:
        app.read(rng.uniform(0, 0.3))
        return
    app.wait_for(SUMMARY)
    if moment is Moment.SUMMARY:
        app.read(rng.uniform(0.05, 0.4))


def practise(home: Path, session: Path, journey: Journey, rng: random.Random,
             on_start=None) -> None:
    """Run one journey to its fault; `on_start(app)` runs once the first screen is drawn."""
    app = FaultApp(["--no-sound", "run", str(session)], home)
    try:
        app.wait_for(PRE_SCREEN)
        if on_start is not None:
            on_start(app)
        travel(app, journey, rng)
    except BaseException:
        app.kill()
        raise
    journey.exit_code = app.stop(journey.fault)
    journey.output = app.output
    journey.before_confirmed = app.saw(PLAYER)
    journey.ended = app.saw(POST_SCREEN)
    journey.after_confirmed = app.saw(SUMMARY)
