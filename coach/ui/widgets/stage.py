"""The player's stage: the pacer, or in reduced motion the count."""

from __future__ import annotations

from textual.containers import Vertical

from coach.ui.kept_lines import KeptLines


class Stage(KeptLines, Vertical):
    """A Vertical that keeps its lines: it is drawn again beside every change of the count."""
