"""The keys of the screen below, in a dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from coach.core.safety import STOP_IF

SCROLLING = {"up": "scroll_up", "down": "scroll_down", "pageup": "page_up",
             "pagedown": "page_down", "home": "scroll_home", "end": "scroll_end"}
"""Keys that move through the help when it is taller than the terminal, by their action."""


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; the arrow and page keys scroll it, any other key closes it."""

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        # One line per action: "space  Pause / Resume", "n / →  Next step".
        actions: dict[str, tuple[list[str], list[str]]] = {}
        for b in self.bindings:
            keys, words = actions.setdefault(b.action.split("(")[0], ([], []))
            key = self.app.get_key_display(b)
            keys.extend([key] if key not in keys else [])
            words.extend([b.description] if b.description not in words else [])
        lines = [f"{' / '.join(keys):>12}  {' / '.join(words)}" for keys, words in actions.values()]
        with VerticalScroll(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(Content("\n".join(lines)))
            yield Static(Content(STOP_IF), classes="muted")
            yield Static("When to get help: ctrl+p, then Safety notes.", classes="muted")
            yield Static("↑ ↓ scroll; any other key closes.", classes="muted")
        yield Footer()  # this dialog's keys, not those of the screen beneath

    def on_key(self, event: Key) -> None:
        # The key must not also reach the screen below once this one is gone.
        event.stop()
        event.prevent_default()
        if event.key in SCROLLING:  # at 40x12 the safety notes are below the first view
            getattr(self.query_one(VerticalScroll), f"action_{SCROLLING[event.key]}")()
        else:
            self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
