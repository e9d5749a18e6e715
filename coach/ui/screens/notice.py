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
        Binding("enter", "answer(True)", "Go on", show=False),  # the buttons say which
        Binding("escape", "answer(False)", "Back", show=False),
    ]

    def __init__(self, title: str, paragraphs: list[str], go_on: str = "Begin",
                 back: str | None = "Back") -> None:
        super().__init__()
        self.title_text, self.paragraphs, self.go_on, self.back = title, paragraphs, go_on, back

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
        # Focus the button without scrolling to it: the reader starts at the top.
        self.query_one("#go-on", Button).focus(scroll_visible=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "go-on")

    def action_answer(self, go_on: bool) -> None:
        if go_on or self.back:
            self.dismiss(go_on)


def first_run_notice() -> NoticeScreen:
    return NoticeScreen("Before you begin (Enter when you have read it)",
                        list(FIRST_RUN_NOTICE),
                        go_on="I understand", back=None)


def safety_notice() -> NoticeScreen:
    """The first-run notice again, from the command palette, whenever it is wanted."""
    return NoticeScreen("Safety notes", list(FIRST_RUN_NOTICE), go_on="Close", back=None)


def caution_notice(title: str, caution: str) -> NoticeScreen:
    says_when_to_stop = "stop" in caution.lower()
    return NoticeScreen(f"{title}: before you start",
                        [caution] if says_when_to_stop else [caution, STOP_IF])
