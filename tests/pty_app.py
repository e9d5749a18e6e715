"""Run the installed `coach` in a real pseudo-terminal, as a person's terminal would."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

COACH = str(Path(sys.executable).parent / "coach")


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """A coach process on a pty of a given size; `output` collects all it has drawn."""

    def __init__(self, args: list[str], home: Path, size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "COACH_HOME": str(home), "TERM": "xterm-256color"}
        # A session of its own with the pty as its controlling terminal, as a terminal window
        # gives its shell: closing the master then hangs coach up (SIGHUP, then SIGCONT).
        self.process = subprocess.Popen([COACH, *args], stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True, close_fds=True,
                                        preexec_fn=_take_terminal)
        os.close(slave)
        self.output = b""

    def read(self, seconds: float = 0.1) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the process has gone and closed its side
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            assert self.process.poll() is None, f"coach exited: {self.output[-2000:]!r}"
            self.read(0.1)

    def until(self, condition, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            self.read(0.1)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def finish(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "coach did not exit"
            self.read(0.1)
        self.read(0.2)
        os.close(self.master)
        return self.process.returncode

    def hang_up(self, timeout: float = 20) -> int:
        """Close the terminal, as closing its window does; wait for coach to exit."""
        os.close(self.master)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("coach outlived its terminal") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
