"""A line or a few of text, shown literally, that keeps the lines of each text it showed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from coach.ui.kept_lines import KeptLines


class PlainText(KeptLines, Static):
    """Text from a session file, never read as markup, at a height coach.tcss fixes (so a
    new text needs no new layout). The player's phase word comes back every breath: each
    is drawn once."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._text = ""

    def kept_key(self) -> Hashable:
        return self._text

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._text = str(content)  # whichever way the text comes, the lines are kept by it
        super().update(content, layout=layout)

    def show(self, text: str) -> None:
        if text != self._text:
            self.changing_value(lambda: self.update(Content(text), layout=False))
