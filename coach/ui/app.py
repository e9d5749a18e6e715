"""The Textual app: the library, and for each practice: caution, ratings, player, summary."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys
import termios
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from coach.core.durations import length_text
from coach.core.library import Entry, Library, load_library
from coach.core.places import Places, bundled_dir
from coach.core.settings import Settings, remembered, save_settings
from coach.core.text import visible
from coach.ui.keys import fit_keys
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from coach.ui.themes import NIGHT

if TYPE_CHECKING:  # a practice's screens and the store are imported when first needed
    from coach.core.model import Session
    from coach.core.relief import PracticeSummary
    from coach.core.store import Store
    from coach.ui.screens.player import Ending, PlayerScreen

EXIT_OK = 0
SHORT_BELOW = 16
"""Rows under which dialogs give up their blank rows (`.-short`), so that a question with two
lines of detail keeps its buttons whole at 12."""
PROGRESS_EVERY_SECONDS = 15
T = TypeVar("T")


class CoachApp(App[int]):
    """Everything is handed in ready-made, so tests build the same app with their own parts."""

    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(
        self,
        library: Library | None,
        places: Places,
        settings: Settings,
        clock: Callable[[], float] = time.monotonic,
        start: Entry | None = None,
        sound: bool = True,
        notices: tuple[str, ...] = (),
        on_cue_played: Callable[[object, float], None] | None = None,
        screen: str = "library",
        edit: Path | None = None,
        saved_settings: Settings | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        """None for `coach run` and `coach edit`, which never show it."""
        self.places = places
        self.settings = settings
        """In effect now: the saved settings with this run's command-line options on top."""
        self.saved_settings = saved_settings or settings
        """As on file: what is written back, so one run's options are not kept for good."""
        self.clock = clock
        self.start = start
        self.sound_wanted = sound and settings.sound
        self.notices = notices
        self.first_screen = screen
        """`library`, or `review` to open on the review (`coach review`)."""
        self.edit = edit
        """A session file to open in the editor (`coach edit`); closing it ends the app."""
        self.bell_timers: list[Timer] = []
        """Bells waiting for their moment, when there is no sound device to schedule them."""
        self.on_cue_played = on_cue_played
        """Told of every cue the moment it is handed to the sound device (benchmarks)."""
        self.cues = None
        self.sound_notice: str | None = None
        """Why sound is off, until told."""
        self.sound_notice_due = False
        """Told as soon as known once due: on the library, past the first-run notice; else
        past a practice's caution. A toast would hide a notice's buttons, or the first
        breaths."""
        self.player: PlayerScreen | None = None
        self.store: Store | None = None
        self.store_opened = False
        self.settled = False
        """Once the first screen is drawn: see `_settle`."""
        self.run_id: int | None = None
        """The run being practised now, if it could be stored."""
        self.last_ending: Ending | None = None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Always literal: notifications carry paths, file names and error text, never markup.

        Screens' `notify` passes `markup=True` by default, so the flag is not trusted here.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Safety notes", "When to stop, and when to get help",
                            self.action_safety_notes)
        yield from super().get_system_commands(screen)

    def action_safety_notes(self) -> None:
        from coach.ui.screens.notice import safety_notice

        self.push_screen(safety_notice())

    # -- start-up --

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver" and not os.environ.get("TEXTUAL_DRIVER"):
            from coach.ui.driver import QuietLinuxDriver

            return QuietLinuxDriver
        return driver

    def get_default_screen(self) -> Screen:
        # `coach run` and `coach edit` go straight to their screen: no library under it.
        if self.start is None and self.edit is None:
            return LibraryScreen(self.library)
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.register_theme(NIGHT)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(f"There is no theme called {self.settings.theme!r}; using "
                        f"{self.theme}. Ctrl+S in the library lists the themes.",
                        severity="warning", timeout=10)
        if not self.is_headless:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, self.on_signal, signum)
        self.set_interval(PROGRESS_EVERY_SECONDS, self.save_progress)
        self.screen_change_signal.subscribe(self, self._after_first_frame)
        if isinstance(self.screen, LibraryScreen):  # the first screen, with no change to signal
            self._after_first_frame(self.screen)
        if self.first_screen == "review":
            self.action_open_review()
        self.screen_change_signal.subscribe(self, self.fit_screen)
        self.fit_screen()
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=10)
        self.begin()

    def _after_first_frame(self, screen: Screen) -> None:
        if not self.settled:  # each screen shown until then: one may be covered before drawn
            screen.call_after_refresh(self._settle)

    def _settle(self) -> None:
        """What the first screen need not wait for: sound (the imports of its thread would
        compete with the screen's own), the ratings store, and the collector.

        The command line starts the app with the collector off (see cli.py); on again now:
        start-up's garbage collected, and what it left alive kept out of the full passes
        (until a practice ends: see PlayerScreen)."""
        if self.settled:
            return
        self.settled = True
        self.start_audio()
        self.ratings_store()
        if not gc.isenabled():
            gc.collect()
            gc.freeze()
            gc.enable()

    @work(exclusive=True, group="flow")
    async def begin(self) -> None:
        if not self.settings.notice_seen:
            from coach.ui.screens.notice import first_run_notice

            await self.push_screen_wait(first_run_notice())
            self.settings = replace(self.settings, notice_seen=True)
            self.saved_settings = replace(self.saved_settings, notice_seen=True)
            self.save_settings()
        if self.start is None and self.edit is None and self.first_screen == "library":
            self.tell_sound_notice()
        if self.start is not None:
            await self.practise(self.start)
            self.exit(EXIT_OK)
        if self.edit is not None:
            from coach.ui.screens.editor import EditorScreen, read_source

            try:
                editor = EditorScreen(self.edit, read_source(self.edit))
            except ValueError as error:
                self.exit(1, return_code=1, message=f"coach: {error}")
                return
            self.push_screen(editor, lambda _: self.exit(EXIT_OK))

    @work(thread=True, exclusive=True, group="audio")
    def start_audio(self) -> None:
        """Opening the sound device may take a moment: never on the event loop."""
        from coach.audio import CuePlayer
        from coach.core.model import BUNDLED_SOUNDS

        sounds = {name: bundled_dir("sounds") / f"{name}.wav" for name in BUNDLED_SOUNDS}
        # Sound turned off means silence: no terminal bell in its place either.
        player = CuePlayer(sounds, volume=self.settings.volume, enabled=self.sound_wanted,
                           bell=self.bell if self.sound_wanted else None,
                           on_played=self.on_cue_played)
        self.call_from_thread(self._audio_ready, player)

    def _audio_ready(self, player: object) -> None:
        self.cues = player
        notice = getattr(player, "notice", None)
        self.sound_notice = notice if notice and self.sound_wanted else None
        if self.sound_notice_due:
            self.tell_sound_notice()

    def tell_sound_notice(self) -> None:
        """Why sound is off, once."""
        self.sound_notice_due = True
        if self.sound_notice:
            self.notify(self.sound_notice, title="Sound", timeout=8)
            self.sound_notice = None

    def save_settings(self) -> None:
        try:
            save_settings(self.places.settings, self.saved_settings)
        except OSError as error:
            self.notify(f"Settings could not be saved: {error.strerror or error}",
                        severity="warning")

    # -- a practice, from caution to the end --

    @on(LibraryScreen.Chosen)
    def _chosen(self, event: LibraryScreen.Chosen) -> None:
        self.run_practice(event.entry)

    @work(exclusive=True, group="flow")
    async def run_practice(self, entry: Entry) -> None:
        await self.practise(entry)

    async def practise(self, entry: Entry) -> None:
        """Caution, pain before, the session, pain after, summary; each rating on disk at once."""
        from coach.core.relief import relief
        from coach.ui.screens.notice import caution_notice
        from coach.ui.screens.rating import RatingScreen

        session = entry.session
        assert session is not None
        if session.caution and not await self.push_screen_wait(
                caution_notice(session.title, session.caution)):
            return
        self.tell_sound_notice()
        dimensions = self.settings.dimensions
        before = await self.push_screen_wait(RatingScreen("before", session.title, dimensions))
        if before is None:
            return
        self.run_id = self.write(lambda store: store.start_run(
            session.id, session.title, str(entry.path), list(session.tags), session.seconds,
            before.pain, before.extras))
        ending = await self.play(session)
        run_id, self.run_id = self.run_id, None
        if run_id is not None:
            self.write(lambda store: store.finish_run(run_id, ending.outcome,
                                                      ending.practised_seconds))
        after = await self.push_screen_wait(RatingScreen(
            "after", session.title, dimensions, before=before, ask_note=self.settings.ask_note))
        assert after is not None  # after the session there is no going back, only skipping
        saved = earlier = None
        if run_id is not None:
            saved = self.write(lambda store: store.rate_after(run_id, after.pain, after.extras,
                                                              after.note) or True)
            earlier = self.write(lambda store: self.earlier_summary(store, session.id, run_id))
        from coach.ui.screens.summary import SummaryScreen  # not needed for the first question

        await self.push_screen_wait(SummaryScreen(session.title, ending,
                                                  relief(before.pain, after.pain), earlier,
                                                  saved=bool(saved)))

    async def play(self, session: Session) -> Ending:
        from coach.ui.screens.player import PlayerScreen

        self.player = PlayerScreen(session, self.clock,
                                   reduced_motion=self.settings.reduced_motion)
        ending = await self.push_screen_wait(self.player)
        self.bell_timers.clear()
        self.player = None
        self.last_ending = ending
        return ending

    # -- the editor: try a session, and show what was saved --
    # Handled by name, so that the editor is only imported when it is opened.

    def on_editor_screen_tried(self, event: Message) -> None:
        self.try_out(event.session)  # type: ignore[attr-defined]

    @work(exclusive=True, group="flow")
    async def try_out(self, session: Session) -> None:
        """The editor's text as it stands, paced as it will be, with its caution first. No
        ratings, nothing recorded: a draft may never be saved, and its tries are not relief."""
        from coach.ui.screens.notice import caution_notice

        if session.caution and not await self.push_screen_wait(
                caution_notice(session.title, session.caution)):
            return
        ending = await self.play(session)
        self.notify(f"Tried for {length_text(ending.practised_seconds)}. Tries are not kept "
                    "in your history; practise it from the library to rate it.", timeout=8)
        self.tell_sound_notice()  # after the try: before it, it would hide the first breaths

    def on_editor_screen_saved(self) -> None:
        self.library = load_library(self.places)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.reload(self.library)

    def action_open_review(self) -> None:
        """The review: the chart, what helps most, and every run."""
        from coach.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(self.ratings_store()))

    @staticmethod
    def earlier_summary(store: Store, session_id: str, run_id: int) -> PracticeSummary | None:
        """This practice's runs before this one."""
        started = store.run(run_id).started_utc
        found = store.summaries(until=started, session_id=session_id)
        return found[0] if found else None

    # -- the ratings store: a failure is said once and never stops a session --

    def ratings_store(self) -> Store | None:
        """Opened once: once the first screen is drawn, or sooner if something is written."""
        if not self.store_opened:
            self.store_opened = True
            self.open_store()
        return self.store

    def open_store(self) -> None:
        from coach.core.store import Store, StoreError

        try:
            self.store = Store.open(self.places.database)
            recovered = self.store.recover_interrupted()
        except StoreError as error:
            self.notify(f"{error} Sessions still run, but ratings can't be saved.",
                        title="Ratings", severity="error", timeout=20)
            return
        if recovered:
            runs = "session" if recovered == 1 else "sessions"
            self.notify(f"{recovered} earlier {runs} stopped unexpectedly; kept in your "
                        "history as interrupted.", title="Ratings", timeout=10)

    def write(self, change: Callable[[Store], T]) -> T | None:
        """Apply one durable change; on failure say why, and let the session go on."""
        from coach.core.store import StoreError

        store = self.ratings_store()
        if store is None:
            return None
        try:
            return change(store)
        except StoreError as error:
            self.notify(f"{error} The session goes on; this rating was not saved.",
                        title="Ratings", severity="error", timeout=20)
            return None

    # The player's events are handled by name, so that it is only imported for a practice.

    def on_player_screen_step_started(self) -> None:
        self.save_progress()

    def save_progress(self) -> None:
        """So that a kill -9 loses at most a little of the time practised."""
        if self.player is not None and self.run_id is not None and self.store is not None:
            self.write_progress(self.store, self.run_id, self.player.practised())

    @work(thread=True, exclusive=True, group="progress")
    def write_progress(self, store: Store, run_id: int, practised: float) -> None:
        """A durable write waits for the disk: never on the loop that paces and cues."""
        from coach.core.store import StoreError

        try:
            store.record_progress(run_id, practised)
        except StoreError as error:
            self.call_from_thread(self.notify, f"{error} The session goes on.",
                                  title="Ratings", severity="error", timeout=20)

    def on_player_screen_cue_due(self, event: PlayerScreen.CueDue) -> None:
        is_phase_cue = event.cue.why not in ("start", "end", "interval")
        if self.cues is None or (is_phase_cue and not self.settings.phase_cues):
            return
        delay = max(0.0, event.due - self.clock())
        if self.cues.mode == "sound" or delay == 0:
            self.cues.play(event.cue.sound, delay)
        else:  # the terminal bell can't be scheduled by the sound worker: ring it on time
            self.bell_timers.append(self.set_timer(
                delay, lambda sound=event.cue.sound: self.cues and self.cues.play(sound)))

    def on_player_screen_cues_withdrawn(self) -> None:
        if self.cues is not None:
            self.cues.cancel_pending()
        for timer in self.bell_timers:
            timer.stop()
        self.bell_timers.clear()

    # -- settings --

    @work(exclusive=True, group="settings")
    async def action_open_settings(self) -> None:
        themes = sorted(self.available_themes, key=lambda t: (t != NIGHT.name, t))
        from coach.ui.screens.settings import SettingsScreen

        screen = SettingsScreen(self.settings, themes)
        chosen = await self.push_screen_wait(screen)
        if chosen is None:
            return
        sound_changed = chosen.sound != self.settings.sound
        self.saved_settings = remembered(self.saved_settings, self.settings, chosen,
                                         screen.touched)
        self.settings = chosen
        self.save_settings()
        self.theme = chosen.theme
        self.sound_wanted = chosen.sound
        if self.cues is not None:
            self.cues.set_volume(chosen.volume)
            if sound_changed:
                self.cues.close()
                self.cues = None
                self.sound_notice_due = True  # just turned on: say at once if it can't be
                self.start_audio()
        self.notify("Settings saved.", timeout=3)

    # -- the terminal as it is --

    def on_resize(self, event: Resize) -> None:
        self.fit_screen(event.size)

    def fit_screen(self, size: object = None) -> None:
        """Fit every screen's footer to the width; cover everything with a polite request
        while the terminal is too small."""
        width, height = size if isinstance(size, Size) else self.size
        for screen in self.screen_stack:
            fit_keys(screen, width)
            screen.set_class(height < SHORT_BELOW, "-short")
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        on_top = isinstance(self.screen, TooSmallScreen)
        if small and not on_top:
            self.push_screen(TooSmallScreen())
        elif not small and on_top:
            self.pop_screen()

    async def action_quit(self) -> None:
        """Quit; an editor's unsaved text below (a session being tried) is kept, not lost."""
        self.exit(message="\n".join(self.keep_unsaved_edits()) or None)

    def keep_unsaved_edits(self) -> list[str]:
        """Put each editor's unsaved text beside its file; what to tell the user."""
        said = []
        for screen in self.screen_stack:
            kept = getattr(screen, "keep_unsaved", lambda: None)()  # an editor with changes
            if kept is not None:
                said.append(f"coach: your unsaved changes are in {visible(str(kept))}")
        return said

    def on_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP: end cleanly, and say the session was interrupted."""
        said = []
        if self.player is not None:
            ending = self.player.interrupt()
            self.last_ending = ending
            kept = "saved as interrupted" if self.run_id is not None else "not recorded"
            self.record_interruption(ending)
            said.append(f"coach: {self.player.session.title} was interrupted after "
                        f"{length_text(ending.practised_seconds)}; {kept}.")
        said += self.keep_unsaved_edits()
        if not _terminal_is_open():  # the window was closed: nothing can be said there
            said = []
        self.exit(128 + signum, return_code=128 + signum, message="\n".join(said) or None)

    def record_interruption(self, ending: Ending) -> None:
        run_id = self.run_id
        if run_id is not None:
            from coach.core.store import Outcome

            self.write(lambda store: store.finish_run(run_id, Outcome.INTERRUPTED,
                                                      ending.practised_seconds))
            self.run_id = None

    def on_unmount(self) -> None:
        if self.player is not None:  # quit mid-session
            self.record_interruption(self.player.interrupt())
        if self.cues is not None:
            self.cues.close()
        if self.store is not None:
            self.store.close()


def _terminal_is_open() -> bool:
    try:
        termios.tcgetattr(sys.__stderr__.fileno())
    except (termios.error, OSError, ValueError):
        return False
    return True
