"""The floor: the smallest Textual app, to compare coach's start-up, CPU and memory with.

    python bench/bare_app.py          # one line of text, nothing changes
    python bench/bare_app.py --tick   # and a one-line count updated once a second, as a
                                      # countdown is: the least any Textual timer can cost
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One line of text (and with `tick`, a count that changes every second); ctrl+q quits."""

    def __init__(self, tick: bool) -> None:
        super().__init__()
        self.tick = tick
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("bare textual app")
        yield Static("", id="count")

    def on_mount(self) -> None:
        if self.tick:
            self.set_interval(1, self.advance)

    def advance(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))


if __name__ == "__main__":
    BareApp(tick="--tick" in sys.argv).run()
