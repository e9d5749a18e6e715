"""The keys of the screen below, in a dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from coach.core.safety import STOP_IF


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; any key closes it."""

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
        with Vertical(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            yield Static(Content("\n".join(lines)))
            yield Static(Content(STOP_IF), classes="muted")
            yield Static("When to get help: ctrl+p, then Safety notes.", classes="muted")
            yield Static("Press any key to close.", classes="muted")
        yield Footer()  # this dialog's keys, not those of the screen beneath

    def on_key(self, event: Key) -> None:
        # Only closes: the key must not also reach the screen below once this one is gone.
        event.stop()
        event.prevent_default()
        self.dismiss()

    def on_click(self) -> None:
        self.dismiss()
