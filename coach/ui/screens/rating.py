"""Asking for pain (and any extra dimensions) before and after a session."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from coach.core.relief import ANCHORS, NOTE_MAX, PAIN_QUESTION, QUESTIONS, severity
from coach.ui.widgets.pain_scale import PainScale


@dataclass(frozen=True)
class Rating:
    """What the user gave; pain None means they skipped."""

    pain: int | None
    extras: dict[str, int] = field(default_factory=dict)
    note: str | None = None


class RatingScreen(Screen[Rating | None]):
    """Dismisses with a Rating (pain None when skipped), or None to go back (before only)."""

    BINDINGS = [
        Binding("enter", "next_question", "Next question"),
        Binding("enter", "save", "Save"),
        Binding("s", "skip_question", "Skip question"),
        Binding("s", "skip_rest", "Skip the rest"),
        Binding("s", "skip", "Skip"),  # not ctrl+s: elsewhere that saves
        Binding("escape", "back", "Back"),
        Binding("escape", "skip_after", "Skip", show=False),  # after: nothing to go back to
        Binding("up", "app.focus_previous", "Previous", show=False, priority=True),
        Binding("down", "app.focus_next", "Next", show=False, priority=True),
    ]

    def __init__(self, moment: str, session_title: str, dimensions: tuple[str, ...] = (),
                 before: Rating | None = None, ask_note: bool = False) -> None:
        super().__init__()
        self.moment = moment
        self.session_title = session_title
        self.dimensions = dimensions
        self.before = before
        self.ask_note = ask_note and moment == "after"
        self.pain_answered = False
        """Pain chosen and a later question reached: from then on, skipping keeps it."""

    def compose(self) -> ComposeResult:
        heading = "Before you start" if self.moment == "before" else "After the session"
        yield Static(Content(f"coach · {self.session_title} · {heading.lower()}"),
                     id="title-bar")
        with VerticalScroll(id="rating-body"):
            if self.before is not None:
                yield Static(Content(self._before_text()), id="before-reference")
            yield Static(PAIN_QUESTION, classes="question")
            yield PainScale(ANCHORS[0], ANCHORS[10], id="pain")
            for name in self.dimensions:
                question, low, high = QUESTIONS[name]
                yield Static(question, classes="question")
                yield PainScale(low, high, id=name)
            if self.ask_note:
                yield Input(placeholder="A short note (optional)", id="note", max_length=NOTE_MAX)
            yield Static("", id="rating-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Skip", id="skip")
                yield Button("Save", id="save", variant="primary")
        yield Footer()

    def _before_text(self) -> str:
        assert self.before is not None
        if self.before.pain is None:
            return "Before: not rated"
        extras = "".join(f" · {name} {value}" for name, value in self.before.extras.items())
        return f"Before: {self.before.pain} ({severity(self.before.pain)}){extras}"

    def on_mount(self) -> None:
        self.query_one("#pain", PainScale).focus(scroll_visible=False)  # the question shows too

    @property
    def _pain(self) -> int | None:
        """The pain chosen, if any."""
        return self.query_one("#pain", PainScale).value

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        question = event.widget
        if not isinstance(question, PainScale | Input):
            return
        self._hint(question)
        if (question.id != "pain" and not self.pain_answered
                and self._pain is not None):
            self.pain_answered = True
            self.query_one("#skip", Button).label = "Skip the rest"
            self.refresh_bindings()

    @on(PainScale.Changed)
    def _changed(self, event: PainScale.Changed) -> None:
        event.stop()
        self._hint(event.scale)
        self.refresh_bindings()  # with pain given, s on a later question skips only that one

    def _hint(self, question: PainScale | Input) -> None:
        """The answer to the question in focus, and what Enter does from there."""
        if isinstance(question, Input):
            hint = "Note (optional) · Enter saves"
        elif question.id == "pain" and question.value is None:
            hint = ""  # nothing chosen yet: the question above says it all
        else:
            name = "Pain" if question.id == "pain" else str(question.id).capitalize()
            answer = "not answered" if question.value is None else \
                f"{question.value}, {severity(question.value)}"
            then = "Enter: next question" if self._scale_after(question) or self.ask_note \
                else "Enter saves" if self._pain is not None \
                else "choose your pain above to save"
            hint = f"{name}: {answer} · {then}"
        self.query_one("#rating-hint", Static).update(Content(hint))

    def _scale_after(self, scale: PainScale) -> PainScale | None:
        scales = list(self.query(PainScale))
        return scales[scales.index(scale) + 1] if scale is not scales[-1] else None

    def _next_question(self) -> PainScale | Input | None:
        """Where Enter goes from the focused question: the next scale, then the note."""
        focused = self.focused
        if not isinstance(focused, PainScale):
            return None
        following = self._scale_after(focused)
        if following is None and self.ask_note:
            return self.query_one("#note", Input)
        return following

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter on a question with more below goes to the next one, so a number typed next is
        # not taken as a new answer to this one; on the last, it saves.
        if action in ("next_question", "save"):
            return (action == "next_question") == (self._next_question() is not None)
        if action == "skip_question":
            return self._on_extra_question_with_pain()
        if action in ("skip_rest", "skip"):
            return (not self._on_extra_question_with_pain()
                    and (action == "skip_rest") == self.pain_answered)
        if action in ("back", "skip_after"):
            return (action == "back") == (self.moment == "before")
        return True

    def _on_extra_question_with_pain(self) -> bool:
        focused = self.focused
        return (isinstance(focused, PainScale) and focused.id != "pain"
                and self._pain is not None)

    def action_skip_question(self) -> None:
        """This extra question stays unanswered; the pain given is kept."""
        scale = self.focused
        assert isinstance(scale, PainScale)
        following = self._next_question()
        scale.value = None
        if following is None:
            self.action_save()
        else:
            following.focus()

    def action_next_question(self) -> None:
        following = self._next_question()
        if following is not None:
            following.focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#note")
    def action_save(self) -> None:
        pain = self._pain
        if pain is None:
            self.query_one("#rating-hint", Static).update(
                "Choose a number from 0 to 10 (digits, arrows or the mouse), or skip.")
            return
        extras = {name: value for name in self.dimensions
                  if (value := self.query_one(f"#{name}", PainScale).value) is not None}
        note = self.query_one("#note", Input).value.strip() if self.ask_note else ""
        self.dismiss(Rating(pain, extras, note or None))

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        if self.pain_answered:
            self.action_skip_rest()
        else:
            self.dismiss(Rating(None))

    def action_skip_rest(self) -> None:
        """The pain and whatever else is answered are kept; unanswered questions stay so."""
        self.action_save()

    def action_back(self) -> None:
        self.dismiss(None)  # before: back to the library, nothing stored

    def action_skip_after(self) -> None:
        self.action_skip()  # the run stays, unrated unless pain was answered
