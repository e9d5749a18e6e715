"""A terminal driver whose input thread sleeps until there is input.

Textual's Linux driver wakes its input thread ten times a second, to notice shutdown and to
tell a lone Escape key from the start of an escape sequence. On a still screen those wakes are
nearly all the CPU a Textual app uses. This driver blocks on the terminal and on a wake-up
pipe instead, with a timeout only while the key parser is waiting to settle an Escape. It
also leaves at once when the app stops, where Textual's waits out its last tenth of a second.
"""

from __future__ import annotations

import os
import selectors
import threading
import weakref
from codecs import getincrementaldecoder
from typing import Any

from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

TEXTUAL_POLL_SECONDS = 0.1
"""Textual's own poll: used only if its parser no longer says when it is waiting."""
_UNKNOWN = object()


class _ExitEvent(threading.Event):
    """The driver's exit event: setting it also makes `wake_fd` readable, ending a select."""

    def __init__(self) -> None:
        super().__init__()
        self.wake_fd, self._write_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        # The driver's close() is not the end (a Ctrl+Z closes and later restarts it), so the
        # pipe lives as long as the event.
        weakref.finalize(self, _close_pipe, self.wake_fd, self._write_fd)

    def set(self) -> None:
        super().set()
        os.write(self._write_fd, b"x")

    def clear(self) -> None:
        super().clear()
        try:
            while os.read(self.wake_fd, 512):
                pass
        except BlockingIOError:
            pass


def _close_pipe(*fds: int) -> None:
    for fd in fds:
        os.close(fd)


class QuietLinuxDriver(LinuxDriver):
    """Textual's Linux driver, with an input thread that wakes only when there is work."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.exit_event = _ExitEvent()

    def _sigcont_application(self, *args: Any) -> None:
        # Resume only after a Ctrl+Z. A closing terminal sends SIGCONT too (after SIGHUP), and
        # restarting then would leave a second pair of terminal threads on a dead terminal.
        if self._must_signal_resume:
            super()._sigcont_application(*args)

    def run_input_thread(self) -> None:
        """Read keys and mouse events until the app stops, sleeping in between."""
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self.exit_event.wake_fd, selectors.EVENT_READ)
        try:
            while not self.exit_event.is_set():
                for key, _mask in selector.select(_select_timeout(parser)):
                    if key.fd != self.fileno:
                        continue  # the exit: the loop's test sees it
                    data = decode(os.read(self.fileno, 4096))
                    if not data:  # input has ended (a pipe): wait for the exit alone
                        selector.unregister(self.fileno)
                        continue
                    for event in parser.feed(data):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass  # as Textual does: a half-read sequence at exit is dropped
            except (EOFError, ParseError):
                pass


def _select_timeout(parser: XTermParser) -> float | None:
    """None (sleep until input) unless the parser is waiting to settle a lone Escape."""
    deadline = getattr(parser, "_timeout_time", _UNKNOWN)
    if deadline is _UNKNOWN:
        return TEXTUAL_POLL_SECONDS
    if deadline is None:
        return None
    return max(0.0, deadline - get_time())
