"""The player: paces a session from the schedule and a monotonic clock.

Nothing here counts ticks. Each wake-up reads the clock, asks the timeline what is on screen,
and sets a one-shot timer for the next visible change. Pausing moves the origin forward by the
time spent paused; skipping moves it back to the next step's start.
"""

from __future__ import annotations

import asyncio
import gc
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from coach.core.durations import minutes_text
from coach.core.model import Session
from coach.core.pacing import next_change
from coach.core.schedule import PHASE_WORDS, CueEvent, Phase, Position, StepSpan, Timeline
from coach.core.store import Outcome
from coach.core.text import cells, shortened
from coach.ui.kept_lines import KeptLines
from coach.ui.keys import KEYS_TWO_ROWS_BELOW
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.help import HelpScreen
from coach.ui.widgets.big_count import BigCount
from coach.ui.widgets.keys_footer import KeysFooter
from coach.ui.widgets.pacer import Pacer
from coach.ui.widgets.plain_text import PlainText
from coach.ui.widgets.stage import Stage

STALE_CUE_SECONDS = 0.5
"""A cue this late (the loop was blocked, or the user skipped) is dropped, not played late."""
CUE_LOOKAHEAD_SECONDS = 1.2
"""Cues are handed on this far ahead, so the sound worker can start them on time; the player
wakes at least every second (the countdown), so none is handed on late."""


@dataclass(frozen=True)
class Ending:
    """How a session ended and how long was practised (paused time excluded)."""

    outcome: Outcome
    practised_seconds: float


GUIDANCE_ROWS = 4
"""The guidance's least height: short texts sit in the same calm space."""
GUIDANCE_SIDES = 4
"""Its padding, left and right (coach.tcss)."""
PROGRESS_SIDES = 2
"""The progress line's padding, left and right (coach.tcss)."""
ROWS_BESIDE_GUIDANCE = 3
"""Progress line, phase word, guidance margin; the footer besides."""
STAGE_ROWS = 3
"""The stage's least height (coach.tcss): the pacer's smallest disc."""
REDUCED_MOTION_STAGE_ROWS = 4
"""In reduced motion: the count's three rows and the space below it (coach.tcss)."""


def _narrower(text: str, over: int, keep: int = 8) -> str:
    """`text` narrower by `over` cells, ending in an ellipsis, but never below `keep` cells."""
    return shortened(text, max(cells(text) - over, keep))


def _wrapped(text: str, width: int) -> list[str]:
    """`text`'s rows at `width`; an empty line keeps its row."""
    return [row for line in text.splitlines() or [""] for row in textwrap.wrap(line, width) or [""]]


class PlayerScreen(KeptLines, Screen[Ending]):
    """Plays one session and dismisses with its Ending. Its background, like its texts,
    is drawn once, not beside every change of the count (KeptLines)."""

    BINDINGS = [
        # Pause and Resume (Mute and Sound on) share a key; the footer shows the one that applies.
        Binding("space", "toggle_pause('pause')", "Pause"),
        Binding("space", "toggle_pause('resume')", "Resume"),
        Binding("n", "skip_step", "Next step"),
        Binding("right", "skip_step", "Next step", show=False),
        Binding("escape", "end_session", "End"),
        Binding("m", "toggle_mute('mute')", "Mute"),
        Binding("m", "toggle_mute('unmute')", "Sound on"),
        Binding("question_mark", "show_help", "Help"),
    ]

    @dataclass
    class PhaseStarted(Message):
        phase: Phase

    @dataclass
    class StepStarted(Message):
        step: StepSpan
        practised_seconds: float

    @dataclass
    class CueDue(Message):
        cue: CueEvent
        due: float
        """When it should sound, on the player's clock: whoever handles it later still knows."""

    class Due(Message, bubble=False):
        """The next visible change is due now."""

    class CuesWithdrawn(Message):
        """Cues handed on ahead must not sound: the session paused, skipped, muted or ended."""

    def __init__(self, session: Session, clock: Callable[[], float],
                 reduced_motion: bool = False, muted: bool = False) -> None:
        super().__init__()
        self.session = session
        self.timeline = Timeline(session)
        self._texts = {phase.text for phase in self.timeline.phases} | {
            text for _, text in self.timeline.prompts}
        """Every guidance text and prompt the session shows, for sizing the guidance."""
        self.clock = clock
        self.reduced_motion = reduced_motion
        self.muted = muted
        self.origin = 0.0
        self.paused_at: float | None = None
        self._next_wake: asyncio.TimerHandle | None = None
        self._cue_mark = -1.0
        self._skipped = 0.0
        """Session time jumped over with `n`: not practised."""
        self._texts_by_id: dict[str, PlainText] = {}
        self._count: BigCount
        """The count of reduced motion, found once mounted."""
        self._progress_key: tuple[object, ...] = ()
        self._progress_text = ""
        """The progress line, and what it was worked out from."""
        self._guidance_room = (1, 1)
        """The guidance's width and rows, as the terminal's size leaves them."""
        self._fitted: dict[str, str] = {}
        """Each text the guidance showed, as it fits that room."""
        self._phase_index = -1
        self._step_index = -2
        self._done = False

    def compose(self) -> ComposeResult:
        yield PlainText(id="progress")
        with Stage(id="stage"):
            yield Pacer()
            yield BigCount(id="count")
        yield PlainText(id="phase-word")
        yield PlainText(id="guidance")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_class(self.reduced_motion, "-reduced-motion")
        self._texts_by_id = {str(text.id): text for text in self.query(PlainText)}
        self._count = self.query_one(BigCount)
        self._fit_guidance()
        # What is alive now (the app, its screens, this session) stays alive all practice:
        # kept out of the collector's full passes, which then stay short instead of pausing
        # the app for 40 ms or so, maybe on a boundary. Given back when the practice ends.
        gc.freeze()
        self.origin = self.clock()
        self.sample()

    # -- time --

    def elapsed(self) -> float:
        """Session time now: paused time doesn't count."""
        now = self.paused_at if self.paused_at is not None else self.clock()
        return now - self.origin

    def practised(self) -> float:
        """Seconds actually practised: no pauses, no skipped parts."""
        elapsed = self.elapsed()
        reached = elapsed if self.timeline.open_ended else min(elapsed, self.timeline.total)
        return max(0.0, reached - self._skipped)

    def sample(self) -> None:
        """Read the clock, show what is due, and sleep until the next change."""
        if self._done:
            return
        self._cancel_wake()
        position = self.timeline.position_at(self.elapsed())
        self._show(position)
        self._sound_cues(position.elapsed)
        if position.finished:
            self._finish(Outcome.COMPLETED)
            return
        if self.paused_at is None:
            steps = 0 if self.reduced_motion else self.query_one(Pacer).steps
            wake = next_change(self.timeline, position, steps)
            # The loop's own timer posting one message costs a fraction of a Textual Timer
            # (a task, an event and two signature lookups per wake), at 3-6 wakes a second.
            self._next_wake = asyncio.get_running_loop().call_later(
                max(0.001, wake - self.elapsed()), self.post_message, self.Due())

    def on_player_screen_due(self) -> None:
        self.sample()

    def _cancel_wake(self) -> None:
        if self._next_wake is not None:
            self._next_wake.cancel()
            self._next_wake = None

    def on_unmount(self) -> None:
        self._cancel_wake()
        gc.unfreeze()

    def on_resize(self) -> None:
        self._fit_guidance()
        self.sample()  # the pacer's size steps depend on the screen's size

    def _fit_guidance(self) -> None:
        """Tall enough for the session's longest text at this width, so none is cut off and
        the pacer above keeps its size all session; the stage keeps at least its minimum."""
        width = max(1, self.app.size.width - GUIDANCE_SIDES)
        needed = max((len(_wrapped(text, width)) for text in self._texts), default=1)
        stage = REDUCED_MOTION_STAGE_ROWS if self.reduced_motion else STAGE_ROWS
        footer = 2 if self.app.size.width < KEYS_TWO_ROWS_BELOW else 1
        room = self.app.size.height - ROWS_BESIDE_GUIDANCE - stage - footer
        rows = max(1, min(max(needed, GUIDANCE_ROWS), room))
        self.query_one("#guidance").styles.height = rows
        self._guidance_room = (width, rows)
        self._fitted.clear()

    def _fitted_guidance(self, text: str) -> str:
        """`text` as the guidance can show it: in a terminal too small for all of it, its
        first rows with an ellipsis at the end, so the reader knows there was more."""
        if text not in self._fitted:
            width, rows = self._guidance_room
            lines = _wrapped(text, width)
            self._fitted[text] = text if len(lines) <= rows else "\n".join(
                [*lines[:rows - 1], shortened(lines[rows - 1] + "…", width)])
        return self._fitted[text]

    # -- what is shown --

    def _show(self, position: Position) -> None:
        phase = position.phase
        if position.phase_index != self._phase_index:
            self._phase_index = position.phase_index
            if not self.reduced_motion:  # a hidden pacer needn't restyle
                self.query_one(Pacer).show_phase(phase.kind.value)
            self.post_message(self.PhaseStarted(phase))
        step_index = position.step.index if position.step else -1
        if step_index != self._step_index:
            self._step_index = step_index
            if position.step:
                self.post_message(self.StepStarted(position.step, self.practised()))
        if not self.reduced_motion:
            self.query_one(Pacer).show_level(position.level)
        count = "" if math.isinf(position.left) else str(math.ceil(position.left - 1e-9))
        word = PHASE_WORDS[phase.kind]
        if phase.region:
            word = f"{word} · {phase.region}"
        if self.paused_at is not None:
            word = "Paused · press space to go on"
        texts = self._texts_by_id
        texts["phase-word"].show(f"{word}  {count}" if count and not self.reduced_motion else word)
        texts["guidance"].show(self._fitted_guidance(position.prompt or phase.text))
        texts["progress"].show(self._progress(position))
        if self.reduced_motion and self._count.value != count:
            self._count.update(count)

    def _progress(self, position: Position) -> str:
        """Session, step, breath, time left, muted. Too long for the line, the titles give way,
        the session's first, then the breath count, so time left and muted stay in sight.
        Worked out again only when one of those changes: this runs at every wake."""
        time_left = self._time_left(position)
        step_index = position.step.index if position.step is not None else -1
        key = (self.app.size.width, step_index, position.phase.cycle, position.phase.cycles,
               time_left, self.muted)
        if key == self._progress_key:
            return self._progress_text
        room = self.app.size.width - PROGRESS_SIDES
        session = self.session.title
        step = position.step.title if position.step is not None else None
        line = self._progress_line(position, time_left, session, step)
        for cut in (lambda over: (_narrower(session, over), step),
                    lambda over: (None, step),
                    lambda over: (None, step and _narrower(step, over)),
                    lambda over: (None, None),
                    lambda over: (None, None, False)):
            over = cells(line) - room
            if over <= 0:
                break
            line = self._progress_line(position, time_left, *cut(over))
        self._progress_key, self._progress_text = key, line
        return line

    def _time_left(self, position: Position) -> str:
        if math.isinf(position.remaining):  # an open-ended session: the open silence is last
            into_silence = position.elapsed - self.timeline.total
            return (f"{minutes_text(into_silence)} in silence" if into_silence >= 0
                    else f"{minutes_text(-into_silence)} before the open silence")
        # Whole seconds up, as the phase's count shows them: never "under a minute" by 60.
        return f"{minutes_text(math.ceil(position.remaining - 1e-9))} left"

    def _progress_line(self, position: Position, time_left: str, session_title: str | None,
                       step_title: str | None, breaths: bool = True) -> str:
        parts = [session_title] if session_title else []
        if position.step is not None:
            step = f"step {position.step.index + 1} of {len(self.timeline.steps)}"
            parts.append(f"{step}: {step_title}" if step_title else step)
        if position.phase.cycles and breaths:
            parts.append(f"breath {position.phase.cycle} of {position.phase.cycles}")
        parts.append(time_left)
        if self.muted:
            parts.append("muted")
        return " · ".join(parts)

    def _sound_cues(self, elapsed: float) -> None:
        if self.muted or self.paused_at is not None:
            self._cue_mark = elapsed
            return
        horizon = elapsed + CUE_LOOKAHEAD_SECONDS
        due = self.timeline.cues_between(self._cue_mark, horizon)
        self._cue_mark = horizon
        for cue in due:
            if elapsed - cue.at <= STALE_CUE_SECONDS:
                self.post_message(self.CueDue(cue, self.origin + cue.at))

    def _withdraw_cues(self, from_elapsed: float) -> None:
        """Forget cues already handed on; those from `from_elapsed` on are handed on again."""
        self.post_message(self.CuesWithdrawn())
        self._cue_mark = from_elapsed

    # -- actions --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_pause":
            return (parameters[0] == "resume") == (self.paused_at is not None)
        if action == "toggle_mute":
            return (parameters[0] == "unmute") == self.muted
        return True

    def action_toggle_pause(self, _which: str = "") -> None:
        if self.paused_at is None:
            self.paused_at = self.clock()
            self._withdraw_cues(self.elapsed())
        else:
            self.origin += self.clock() - self.paused_at
            self.paused_at = None
        self.refresh_bindings()
        self.sample()

    def action_skip_step(self) -> None:
        target = self.timeline.next_step_start(self.elapsed())
        if target is None:
            self._finish(Outcome.COMPLETED)
            return
        now = self.paused_at if self.paused_at is not None else self.clock()
        self._skipped += target - (now - self.origin)
        self.origin = now - target
        self._withdraw_cues(target - 1e-6)  # the new step's first cues still sound
        self.sample()

    def action_toggle_mute(self, _which: str = "") -> None:
        self.muted = not self.muted
        self.refresh_bindings()
        self._withdraw_cues(self.elapsed())
        self.sample()

    def action_show_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_end_session(self) -> None:
        was_paused = self.paused_at is not None
        if not was_paused:  # nothing moves on, and no cue sounds, while the question is open
            self.action_toggle_pause()

        def ended(sure: bool | None) -> None:
            if sure:
                self._finish(Outcome.ENDED_EARLY)
            elif not was_paused:
                self.action_toggle_pause()

        self.app.push_screen(
            ConfirmScreen("End the session now?",
                          "What you practised is kept, and you can still rate your pain.",
                          yes="End", no="Go on"),
            ended,
        )

    def interrupt(self) -> Ending:
        """The terminal closed or coach was told to stop: stop pacing; the app is exiting."""
        self._stop()
        self._withdraw_cues(self.elapsed())
        return Ending(Outcome.INTERRUPTED, self.practised())

    def _stop(self) -> None:
        self._done = True
        self._cancel_wake()

    def _finish(self, outcome: Outcome) -> None:
        if self._done:
            return
        ending = Ending(outcome, self.practised())
        self._stop()
        if outcome != Outcome.COMPLETED:
            self._withdraw_cues(self.elapsed())
        if outcome == Outcome.COMPLETED and self.timeline.open_ended and self.session.cues.end:
            self.post_message(self.CueDue(CueEvent(self.elapsed(), self.session.cues.end,
                                                   "end"), self.clock()))
        while self.app.screen is not self:  # a help or confirm dialog still open on top
            self.app.pop_screen()
        self.dismiss(ending)
