"""A footer whose keys can take two rows in a narrow terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from coach.ui.kept_lines import KeptLines


class KeysFooter(KeptLines, Footer):
    """Textual's footer, leaving its grid's columns to coach.tcss (`.-keys-two-rows`).

    Footer gives its grid one column a key, set inline as it composes, which no stylesheet
    can override: five keys in two rows need three columns. Its own lines (the keys are
    widgets of their own) are drawn beside every change on the player: they are kept."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        self.styles.clear_rule("grid_size_columns")
