"""An OptionList whose options wrap anew when its scrollbar comes or goes."""

from __future__ import annotations

from textual.widgets import OptionList


class WrappingOptionList(OptionList):
    """OptionList keeps the heights it wrapped its options to until it is resized, but a
    scrollbar coming or going narrows or widens them too: a third line would be cut off."""

    def watch_show_vertical_scrollbar(self) -> None:
        self._clear_caches()
