"""`coach --plain`: one line per change, for screen readers and slow links. No Textual."""

from __future__ import annotations

import io
import math
import shutil
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TextIO

from coach.core.durations import length_text
from coach.core.library import Entry, Library
from coach.core.places import Places
from coach.core.relief import ANCHORS, NOTE_MAX, PAIN_QUESTION, QUESTIONS, relief
from coach.core.report import OUTCOME_WORDS, report_lines
from coach.core.safety import FIRST_RUN_NOTICE
from coach.core.schedule import PHASE_WORDS, Position, Timeline
from coach.core.settings import Settings, load_settings, save_settings
from coach.core.store import Outcome, Store, StoreError
from coach.core.text import clean_line


class WrappedLines(io.TextIOBase):
    """Lines broken between words at the terminal's width, not mid-word as the terminal
    would; an indented line keeps its indent. Each line is held until its newline."""

    def __init__(self, out: TextIO, width: int) -> None:
        super().__init__()
        self.out, self.width, self.pending = out, max(20, width), ""

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            self.out.write("\n".join(self._broken(line)) + "\n")
        return len(text)

    def _broken(self, line: str) -> list[str]:
        """`line` as the lines it takes at this width, its indent on each; [] for a blank."""
        indent = line[: len(line) - len(line.lstrip(" "))]
        return textwrap.wrap(line.strip(" "), self.width, initial_indent=indent,
                             subsequent_indent=indent, break_long_words=False,
                             break_on_hyphens=False)

    def flush(self) -> None:
        self.out.write(self.pending)
        self.pending = ""
        self.out.flush()

    def asking(self, ask: Callable[[str], str]) -> Callable[[str], str]:
        """`ask` with its prompt broken the same way: all but the prompt's last line are
        written here, and the answer is typed after that line."""
        def ask_wrapped(prompt: str) -> str:
            body = prompt.lstrip("\n")
            self.write(prompt[: len(prompt) - len(body)])  # blank lines before it
            *lines, last = self._broken(body) or [""]
            self.write("".join(line + "\n" for line in lines))
            self.flush()
            return ask(last + " " if body.endswith(" ") else last)
        return ask_wrapped


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived mid-session."""


def phase_line(position: Position) -> str:
    phase = position.phase
    minutes, seconds = divmod(int(position.elapsed), 60)
    parts = [f"[{minutes}:{seconds:02d}] {PHASE_WORDS[phase.kind]}"]
    if phase.region:
        parts[-1] += f" · {phase.region}"
    if not math.isinf(phase.seconds):
        parts.append(f"{phase.seconds:g} s")
    if phase.cycles:
        parts.append(f"breath {phase.cycle} of {phase.cycles}")
    return " · ".join(parts)


def choose(library: Library, ask: Callable[[str], str], out: TextIO) -> Entry | None:
    usable = [e for e in library.entries if e.session is not None]
    for number, entry in enumerate(usable, 1):
        s = entry.session
        assert s is not None
        print(f"{number:>2}. {s.title} ({length_text(s.seconds, s.open_ended)})", file=out)
    while answer := ask("Number of the session to start (empty to quit): ").strip():
        if answer.isdigit() and 1 <= int(answer) <= len(usable):
            return usable[int(answer) - 1]
        print(f"Please give a number from 1 to {len(usable)}, or nothing to quit.", file=out)
    return None


_NEVER_SET = threading.Event()


def play(entry: Entry, out: TextIO, clock: Callable[[], float] = time.monotonic,
         wait: Callable[[float], object] = _NEVER_SET.wait) -> tuple[Outcome, float]:
    """Print the session as it goes; returns how it ended and the seconds practised.

    Waiting on an event that is never set sleeps without blocking signals."""
    session = entry.session
    assert session is not None
    timeline = Timeline(session)
    origin = clock()
    shown_phase, shown_step, shown_prompt, shown_text = -1, -2, "", ""
    elapsed = 0.0
    try:
        while True:
            elapsed = clock() - origin
            position = timeline.position_at(elapsed)
            step = position.step.index if position.step else -1
            if step != shown_step:
                shown_text = ""
                if position.step:
                    print(f"Step {step + 1} of {len(timeline.steps)}: {position.step.title}",
                          file=out)
            if position.phase_index != shown_phase:
                # Each phase's line first, then its guidance when that is new (a breathing
                # step's text is the same for every breath: said once).
                print(phase_line(position), file=out)
                if position.phase.text and position.phase.text != shown_text:
                    print(f"  {position.phase.text}", file=out)
                    shown_text = position.phase.text
            if position.prompt and position.prompt != shown_prompt:
                print(f"  {position.prompt}", file=out)
            shown_phase, shown_step, shown_prompt = position.phase_index, step, position.prompt
            out.flush()
            if position.finished:
                return Outcome.COMPLETED, timeline.total
            wait(max(0.001, min(position.phase.end, elapsed + 1.0) - (clock() - origin)))
    except KeyboardInterrupt:
        # Ctrl-C is the way out of a closing open-ended silence: that is the session done.
        done = timeline.open_ended and elapsed >= timeline.total
        return (Outcome.COMPLETED if done else Outcome.ENDED_EARLY), elapsed
    except Interrupted:
        return Outcome.INTERRUPTED, elapsed


def ask_pain(ask: Callable[[str], str], out: TextIO, question: str = PAIN_QUESTION,
             low: str = ANCHORS[0], high: str = ANCHORS[10]) -> int | None:
    """A 0-10 question in words, pain unless told; empty skips. The same words every time."""
    while True:
        answer = ask(f"{question} 0 ({low}) to 10 ({high}), Enter to skip: ").strip()
        if not answer:
            return None
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        print("Please type a whole number from 0 to 10, or just press Enter to skip.", file=out)


def ask_extras(dimensions: tuple[str, ...], ask: Callable[[str], str],
               out: TextIO) -> dict[str, int]:
    """The extra questions turned on in the settings; skipped ones are left out."""
    answers = {name: ask_pain(ask, out, *QUESTIONS[name]) for name in dimensions}
    return {name: value for name, value in answers.items() if value is not None}


def _write(store: Store | None, change: Callable[[Store], object], out: TextIO) -> object:
    if store is None:
        return None
    try:
        return change(store)
    except StoreError as error:
        print(f"{error} The session goes on; this was not saved.", file=out)
        return None


def open_store(places: Places, out: TextIO) -> Store | None:
    try:
        store = Store.open(places.database)
        store.recover_interrupted()
        return store
    except StoreError as error:
        print(f"{error} Sessions still run, but ratings can't be saved.", file=out)
        return None


def run_plain(library: Library | None, entry: Entry | None, places: Places,
              out: TextIO = sys.stdout, ask: Callable[[str], str] = input) -> int:
    """The whole plain flow: choose, caution, pain before, practise, pain after, summary."""
    if out.isatty():
        out = WrappedLines(out, shutil.get_terminal_size().columns)
        ask = out.asking(ask)
    store = open_store(places, out)
    try:
        settings = first_run_notice(places, out, ask)
        return _practise(library, entry, store, settings, out, ask)
    except (EOFError, KeyboardInterrupt):
        return 0
    finally:
        if store is not None:
            store.close()


def first_run_notice(places: Places, out: TextIO, ask: Callable[[str], str]) -> Settings:
    """What coach is and when to get help, until it has been read once (here or in the app);
    the settings as on file, which also say which questions to ask."""
    settings, _ = load_settings(places.settings)  # the file's own: this run's options stay out
    if settings.notice_seen:
        return settings
    print("Before you begin:", *FIRST_RUN_NOTICE, sep="\n\n", file=out)
    ask("\nPress Enter when you have read it. ")
    settings = replace(settings, notice_seen=True)
    try:
        save_settings(places.settings, settings)
    except OSError as error:
        print(f"(This notice will show again: {error})", file=out)
    return settings


def _practise(library: Library | None, entry: Entry | None, store: Store | None,
              settings: Settings, out: TextIO, ask: Callable[[str], str]) -> int:
    """Practise `entry`, or one chosen from `library` (read unless a session was named)."""
    if entry is None and library is not None:
        entry = choose(library, ask, out)
    if entry is None or entry.session is None:
        return 0
    session = entry.session
    print(f"{session.title} · {length_text(session.seconds, session.open_ended)}", file=out)
    if session.caution:
        print(f"Caution: {session.caution}", file=out)
    before = ask_pain(ask, out)
    # Skipping the pain skips the rest, as Skip does in the app.
    extras_before = ask_extras(settings.dimensions, ask, out) if before is not None else {}
    run_id = _write(store, lambda s: s.start_run(session.id, session.title, str(entry.path),
                                                 list(session.tags), session.seconds, before,
                                                 extras_before=extras_before), out)
    print("Starting. Ctrl-C ends the session early." if not session.open_ended else
          "Starting. Ctrl-C ends the session: early before its open silence, and as done "
          "once the silence has begun.", file=out)
    received: list[int] = []

    def interrupted(signum: int, frame: object) -> None:
        received.append(signum)
        raise Interrupted(signum)

    # Only while practising: a signal at the questions after ends coach as usual.
    previous = {signum: signal.signal(signum, interrupted)
                for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        outcome, practised = play(entry, out)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if isinstance(run_id, int):
        _write(store, lambda s: s.finish_run(run_id, outcome, practised), out)
    print(f"Session {OUTCOME_WORDS[outcome]} after {length_text(practised)}.",
          file=out)
    if outcome == Outcome.INTERRUPTED:
        return 128 + received[0]
    after = ask_pain(ask, out)
    if isinstance(run_id, int):  # on disk before the next question
        _write(store, lambda s: s.rate_after(run_id, after), out)
    if after is not None:
        extras_after = ask_extras(settings.dimensions, ask, out)
        note = clean_line(ask("A short note (optional), Enter to leave it: "))[:NOTE_MAX] \
            if settings.ask_note else ""
        if isinstance(run_id, int) and (extras_after or note):
            _write(store, lambda s: s.rate_after(run_id, after, extras_after, note or None), out)
    earlier = None
    if isinstance(run_id, int):
        found = _write(store, lambda s: s.summaries(until=s.run(run_id).started_utc,
                                                    session_id=session.id), out)
        earlier = found[0] if found else None
    for line in report_lines(relief(before, after), earlier):
        print(line, file=out)
    return 0
