"""The pain chart: pain before and after practice over time, one bar per day (or per span of days).

Each bar runs from the pain after practice to the pain before it, in half-block pixels on a
0-10 axis: green when the pain eased, red when it rose (in shaded whole cells, so that the two
differ without colour too, at the cost of half a cell's precision), a grey mark when it stayed
the same.
The tops of the bars are the pain before practice, so their line over time is the trend.
Drawn by us from the store's per-day sums, so it costs the same for 100 runs or 100,000.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from coach.core.history import Bucket, buckets
from coach.core.store import DayTotals

Y_LABEL_WIDTH = 3
"""Room for "10" and a space, left of the axis."""
BAR_STEP_MAX = 3
"""At most this many columns per bar, so a short history is not stretched into fat bars."""
LEGEND = "Pain before → after, 0-10"


def _pixel(value: float, pixels: int) -> int:
    """A 0-10 pain value as a half-block pixel row, counted from the bottom."""
    return round(value / 10 * (pixels - 1))


def _date_label(bucket: Bucket, long_span: bool) -> str:
    day = bucket.first
    return f"{day:%b} {day:%y}" if long_span else f"{day.day} {day:%b}"


class PainChart(Widget):
    """Give it the per-day totals with `show`; it fits them to whatever size it has."""

    COMPONENT_CLASSES = {
        "pain-chart--eased",
        "pain-chart--worse",
        "pain-chart--same",
        "pain-chart--axis",
        "pain-chart--label",
    }

    DEFAULT_CSS = """
    PainChart {
        height: 1fr;
        min-height: 6;
        & > .pain-chart--eased { color: $success; }
        & > .pain-chart--worse { color: $error; }
        & > .pain-chart--same { color: $foreground 60%; }
        & > .pain-chart--axis { color: $foreground 45%; }
        & > .pain-chart--label { color: $text-muted; }
    }
    """

    days: reactive[tuple[DayTotals, ...]] = reactive((), layout=False)

    def show(self, days: Sequence[DayTotals]) -> None:
        """Draw these days (oldest first), replacing whatever was drawn."""
        self.days = tuple(days)

    def bars(self) -> list[Bucket]:
        """The buckets drawn at the current width; one per bar, oldest first."""
        plot_width = self.size.width - Y_LABEL_WIDTH - 1
        return buckets(self.days, max(1, plot_width // 2))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: tuple[object, list[Strip]] | None = None

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        # Drawn once per size, data and theme; render_line is called for every row.
        key = (width, height, self.days, self.app.theme)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._lines(width, height))
        lines = self._drawn[1]
        return lines[y] if y < len(lines) else Strip.blank(width, self.rich_style)

    def _lines(self, width: int, height: int) -> list[Strip]:
        styles = {name: self.get_component_rich_style(f"pain-chart--{name}")
                  for name in ("eased", "worse", "same", "axis", "label")}
        rows = height - 3  # the legend above, the axis and the date labels below
        bars = self.bars()
        if rows < 2 or not any(b.rated_runs for b in bars):
            message = "No rated runs to draw yet." if rows >= 0 else ""
            return [Strip([Segment(message.center(width), styles["label"])])]
        plot_width = width - Y_LABEL_WIDTH - 1
        step = max(1, min(BAR_STEP_MAX, plot_width // len(bars)))
        pixels = 2 * rows
        legend = [
            Segment(LEGEND, styles["label"]),
            Segment("   █ ", styles["eased"]), Segment("eased", styles["label"]),
            Segment("  ▒ ", styles["worse"]), Segment("worse", styles["label"]),
            Segment("  ▄ ", styles["same"]), Segment("same", styles["label"]),
        ]
        lines = [Strip(legend).crop(0, width)]
        for row in range(rows):
            lines.append(self._plot_row(row, rows, pixels, bars, step, plot_width, styles))
        ticks, labels = self._x_axis(bars, step, plot_width)
        lines.append(Strip([Segment(" " * Y_LABEL_WIDTH + "└" + ticks, styles["axis"])]))
        lines.append(Strip([Segment(" " * (Y_LABEL_WIDTH + 1) + labels, styles["label"])]))
        return [line.adjust_cell_length(width, styles["label"]) for line in lines]

    @staticmethod
    def _plot_row(row: int, rows: int, pixels: int, bars: list[Bucket], step: int,
                  plot_width: int, styles: dict[str, Style]) -> Strip:
        bottom = 2 * (rows - 1 - row)  # the pixel in the lower half of this row
        label = {rows - 1: "0", 0: "10"}.get(row, "")
        if not label and _pixel(5, pixels) in (bottom, bottom + 1):
            label = "5"
        segments = [Segment(label.rjust(Y_LABEL_WIDTH - 1) + " ", styles["axis"]),
                    Segment("┤" if label else "│", styles["axis"])]
        used = 0
        for bar in bars:
            cell, style = " ", styles["axis"]
            if bar.before_mean is not None and bar.after_mean is not None:
                before = _pixel(bar.before_mean, pixels)
                after = _pixel(bar.after_mean, pixels)
                low, high = min(before, after), max(before, after)
                lower, upper = low <= bottom <= high, low <= bottom + 1 <= high
                kind = "eased" if after < before else "worse" if after > before else "same"
                if kind == "worse":  # shaded whole cells: told from eased without colour too
                    cell = "▒" if lower or upper else " "
                else:
                    cell = "█" if lower and upper else "▄" if lower else "▀" if upper else " "
                style = styles[kind]
            segments.append(Segment(cell + " " * (step - 1), style))
            used += step
        segments.append(Segment(" " * max(0, plot_width - used), styles["axis"]))
        return Strip(segments)

    @staticmethod
    def _x_axis(bars: list[Bucket], step: int, plot_width: int) -> tuple[str, str]:
        """The axis line with ticks under labelled bars, and the labels themselves."""
        long_span = (bars[-1].last - bars[0].first).days > 300
        widest = max(len(_date_label(b, long_span)) for b in bars)
        every = max(1, -(-(widest + 2) // step))  # bars between labels, so labels never touch
        ticks = ["─"] * plot_width
        labels = [" "] * plot_width
        for index in range(0, len(bars), every):
            x = index * step
            text = _date_label(bars[index], long_span)
            if x + len(text) > plot_width:
                break
            ticks[x] = "┬"
            labels[x:x + len(text)] = text
        return "".join(ticks), "".join(labels)
