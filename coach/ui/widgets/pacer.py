"""The breathing pacer: a disc that grows on the in-breath and shrinks on the out-breath."""

from __future__ import annotations

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

MIN_RADIUS = 1.5
"""In half-block pixels, which are about square: the disc never vanishes entirely."""


class Pacer(Widget):
    """Draws one of `steps + 1` disc sizes; the player sets `step` only when it changes."""

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

    step: reactive[int] = reactive(0)

    @property
    def max_radius(self) -> float:
        width, height = self.size
        return max(MIN_RADIUS, min(width / 2, height) - 0.5)

    @property
    def steps(self) -> int:
        """How many distinct sizes fit: one per pixel of radius."""
        return max(1, int(self.max_radius - MIN_RADIUS))

    def show_level(self, level: float) -> None:
        """Show a lung level 0..1 (only a change of size redraws)."""
        self.step = min(self.steps, max(0, int(level * self.steps + 1e-9)))

    def show_phase(self, phase: str) -> None:
        for kind in ("inhale", "hold", "topup", "exhale", "rest"):
            self.set_class(kind == phase, f"-{kind}")

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        fill = self.get_component_rich_style("pacer--fill")
        guide = self.get_component_rich_style("pacer--guide")
        radius = MIN_RADIUS + (self.max_radius - MIN_RADIUS) * self.step / self.steps
        outer = self.max_radius
        cx, cy = width / 2, height  # the centre, in half-block pixels
        segments = []
        for x in range(width):
            dx2 = (x + 0.5 - cx) ** 2
            top = dx2 + (2 * y + 0.5 - cy) ** 2
            bottom = dx2 + (2 * y + 1.5 - cy) ** 2
            top_in, bottom_in = top <= radius**2, bottom <= radius**2
            if top_in and bottom_in:
                segments.append(Segment("█", fill))
            elif top_in:
                segments.append(Segment("▀", fill))
            elif bottom_in:
                segments.append(Segment("▄", fill))
            elif abs(min(top, bottom) ** 0.5 - outer) < 0.5:
                segments.append(Segment("·", guide))
            else:
                segments.append(Segment(" ", guide))
        return Strip(Segment.simplify(segments), width)
