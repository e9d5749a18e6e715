"""The breathing pacer: a disc that grows on the in-breath and shrinks on the out-breath."""

from __future__ import annotations

from itertools import groupby

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from coach.core.pacing import level_step

MIN_RADIUS = 1.5
"""In half-block pixels, which are about square: the disc never vanishes entirely."""
PIXELS_PER_STEP = 2
"""How much the radius grows from one size to the next. Each new size costs Textual a repaint
of the rows that changed: at 100x30 one pixel a step costs 1.3-1.5 % of a core while breathing,
two (a row of text a step) 0.9-1.0 %, against a 1 % target (bench/bench_screen.py)."""


FILLED = "█▀▄"
"""The characters of the disc itself (full, top half, bottom half); the rest is background."""


def disc_rows(width: int, height: int, radius: float, outer: float) -> list[str]:
    """A disc of `radius` inside a dotted circle of radius `outer`, centred in width x height.

    Each cell holds two half-block pixels (top and bottom), so the disc is round, not tall.
    """
    cx, cy = width / 2, height  # the centre, in half-block pixels
    inside = radius**2
    rows = []
    for y in range(height):
        top_dy2, bottom_dy2 = (2 * y + 0.5 - cy) ** 2, (2 * y + 1.5 - cy) ** 2
        cells = []
        for x in range(width):
            dx2 = (x + 0.5 - cx) ** 2
            top, bottom = dx2 + top_dy2, dx2 + bottom_dy2
            if top <= inside:
                cells.append("█" if bottom <= inside else "▀")
            elif bottom <= inside:
                cells.append("▄")
            else:
                cells.append("·" if abs(min(top, bottom) ** 0.5 - outer) < 0.5 else " ")
        rows.append("".join(cells))
    return rows


def row_strip(row: str, fill: Style, guide: Style) -> Strip:
    """One row of the disc as a strip: runs of disc characters in `fill`, the rest in `guide`."""
    segments = [Segment("".join(run), fill if filled else guide)
                for filled, run in groupby(row, FILLED.__contains__)]
    return Strip(segments, len(row))


def changed_rows(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """The [start, end) runs of rows that differ between two drawings of the same size."""
    runs: list[tuple[int, int]] = []
    for y, (before, after) in enumerate(zip(old, new, strict=True)):
        if before == after:
            continue
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


class Pacer(Widget):
    """Draws one of `steps + 1` disc sizes; the player sets the size only when it changes.

    Each size is drawn once per terminal size and colour, then reused: a breath repeats the
    same few discs. A new size repaints only the rows where it differs from the last one.
    """

    COMPONENT_CLASSES = {"pacer--fill", "pacer--guide"}

    DEFAULT_CSS = """
    Pacer {
        width: 1fr;
        height: 1fr;
        & > .pacer--fill { color: $accent; }
        & > .pacer--guide { color: $foreground 25%; }
        &.-hold > .pacer--fill, &.-rest > .pacer--fill { color: $secondary; }
        &.-exhale > .pacer--fill { color: $primary; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        """The disc size shown, 0..steps."""
        self._drawn_for = Size(0, 0)
        self._rows: dict[int, list[str]] = {}
        """Each disc size's text, by step, for the widget size `_drawn_for`."""
        self._strips: dict[tuple[int, Style, Style], list[Strip]] = {}
        """Each disc size's lines, by step and colours."""

    @property
    def max_radius(self) -> float:
        width, height = self.size
        return max(MIN_RADIUS, min(width / 2, height) - 0.5)

    @property
    def steps(self) -> int:
        """How many distinct sizes fit: one per PIXELS_PER_STEP of radius."""
        return max(1, int((self.max_radius - MIN_RADIUS) / PIXELS_PER_STEP))

    def show_level(self, level: float) -> None:
        """Show a lung level 0..1 (only a change of size redraws, and only what changed)."""
        step = level_step(level, self.steps)  # as the player's wake-ups count it
        if step == self.step:
            return
        old = self._disc_rows(self.step)
        self.step = step
        new = self._disc_rows(step)
        # Whole rows: Textual writes a row from its start to the last change in any case.
        self.refresh(*(Region(0, start, self.size.width, end - start)
                       for start, end in changed_rows(old, new)))

    def show_phase(self, phase: str) -> None:
        for kind in ("inhale", "hold", "topup", "exhale", "rest"):
            self.set_class(kind == phase, f"-{kind}")
        self.refresh()  # a new phase may mean a new colour for every cell of the disc

    def render_line(self, y: int) -> Strip:
        fill = self.get_component_rich_style("pacer--fill")
        guide = self.get_component_rich_style("pacer--guide")
        self._forget_other_sizes()
        strips = self._strips.get((self.step, fill, guide))
        if strips is None:
            strips = self._strips[self.step, fill, guide] = [
                row_strip(row, fill, guide) for row in self._disc_rows(self.step)]
        return strips[y]

    def _disc_rows(self, step: int) -> list[str]:
        """The text of one disc size, drawn once for this widget size."""
        self._forget_other_sizes()
        rows = self._rows.get(step)
        if rows is None:
            radius = MIN_RADIUS + (self.max_radius - MIN_RADIUS) * step / self.steps
            rows = self._rows[step] = disc_rows(*self.size, radius, self.max_radius)
        return rows

    def _forget_other_sizes(self) -> None:
        if self.size != self._drawn_for:
            self._drawn_for = self.size
            self._rows.clear()
            self._strips.clear()
