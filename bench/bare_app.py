"""The floor: the smallest Textual app, to compare coach's start-up, CPU and memory with.

    python bench/bare_app.py          # one line of text, nothing changes
    python bench/bare_app.py --tick   # and a one-line count updated once a second, as a
                                      # countdown is: the least any Textual timer can cost
    python bench/bare_app.py --full   # the whole screen refreshed 20 times a second: the
                                      # reference shared/DESIGN.md gives for this machine's speed
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

FULL_REFRESH_HZ = 20


class BareApp(App[None]):
    """One line of text (and a count that changes every second, or a whole screen redrawn at
    20 Hz); ctrl+q quits."""

    def __init__(self, tick: bool, full: bool) -> None:
        super().__init__()
        self.tick = tick
        self.full = full
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("bare textual app")
        yield Static("", id="count")

    def on_mount(self) -> None:
        if self.tick:
            self.set_interval(1, self.advance)
        if self.full:
            self.set_interval(1 / FULL_REFRESH_HZ, self.screen.refresh)

    def advance(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))


if __name__ == "__main__":
    BareApp(tick="--tick" in sys.argv, full="--full" in sys.argv).run()
