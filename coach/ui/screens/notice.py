"""Words to read before practising: the first-run notice, and a session's caution."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from coach.core.safety import FIRST_RUN_NOTICE, STOP_IF


class NoticeScreen(ModalScreen[bool]):
    """Dismisses True when the reader goes on, False when they turn back."""

    BINDINGS = [
        # In the footer too: in a small terminal the buttons are below the first view.
        Binding("enter", "answer(True)", "Go on"),
        Binding("escape", "answer(False)", "Back"),
    ]

    def __init__(self, title: str, paragraphs: list[str], go_on: str = "Begin",
                 back: str | None = "Back", escape_closes: bool = False) -> None:
        super().__init__()
        self.title_text, self.paragraphs, self.go_on, self.back = title, paragraphs, go_on, back
        self.escape_closes = escape_closes
        """With nothing to go back to, escape closes the notice as its one button does."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog notice"):
            yield Static(Content(self.title_text), classes="dialog-title")
            for paragraph in self.paragraphs:
                yield Static(Content(paragraph), classes="paragraph")
            with Horizontal(classes="dialog-buttons"):
                if self.back:
                    yield Button(self.back, id="back")
                yield Button(self.go_on, id="go-on", variant="primary")
        yield Footer()  # this dialog's keys, not those of the screen beneath

    def on_mount(self) -> None:
        # The keys are the screen's, not the buttons' (which are for the mouse), so the footer
        # can show them; the text keeps the focus, for the arrow keys, from the top.
        for button in self.query(Button):
            button.can_focus = False
        self.query_one(VerticalScroll).focus(scroll_visible=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "go-on")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (False,):
            return bool(self.back or self.escape_closes)  # the first-run notice must be read
        return True

    def action_answer(self, go_on: bool) -> None:
        if go_on or self.back:
            self.dismiss(go_on)
        elif self.escape_closes:
            self.dismiss(True)


def first_run_notice() -> NoticeScreen:
    return NoticeScreen("Before you begin (Enter when you have read it)",
                        list(FIRST_RUN_NOTICE),
                        go_on="I understand", back=None)


def safety_notice() -> NoticeScreen:
    """The first-run notice again, from the command palette, whenever it is wanted."""
    return NoticeScreen("Safety notes", list(FIRST_RUN_NOTICE), go_on="Close", back=None,
                        escape_closes=True)


def caution_notice(title: str, caution: str) -> NoticeScreen:
    says_when_to_stop = "stop" in caution.lower()
    return NoticeScreen(f"{title}: before you start",
                        [caution] if says_when_to_stop else [caution, STOP_IF])
