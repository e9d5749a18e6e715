"""What the session being edited will be: its length, its steps, and the shape of each breath."""

from __future__ import annotations

import math

from textual.content import Content
from textual.widget import Widget

from coach.core.durations import length_text
from coach.core.model import BreatheStep, Pattern, PhaseKind, Session
from coach.core.schedule import Timeline, breath_levels

_BLOCKS = " ▁▂▃▄▅▆▇█"
_PHASE_STYLES = {
    PhaseKind.INHALE: "$accent", PhaseKind.HOLD: "$warning", PhaseKind.TOPUP: "$accent",
    PhaseKind.EXHALE: "$success", PhaseKind.REST: "$warning",
}
_PHASE_WORDS = {
    PhaseKind.INHALE: "in", PhaseKind.HOLD: "hold", PhaseKind.TOPUP: "top up",
    PhaseKind.EXHALE: "out", PhaseKind.REST: "rest",
}


def breath_bar(pattern: Pattern, width: int) -> Content:
    """One breath drawn as the level of the lungs over time, `width` cells wide, one colour
    per phase."""
    per_cell = pattern.cycle_seconds / max(1, width)
    parts: list[tuple[str, str]] = []
    start = 0.0
    for kind, seconds, low, high in breath_levels(pattern):  # as the pacer will draw it
        cells = max(1, round((start + seconds) / per_cell) - round(start / per_cell))
        bar = ""
        for i in range(cells):
            level = low + (high - low) * (i + 0.5) / cells
            bar += _BLOCKS[max(1, round(level * (len(_BLOCKS) - 1)))]
        parts.append((bar, _PHASE_STYLES[kind]))
        start += seconds
    return Content.assemble(*parts)


def breath_words(pattern: Pattern) -> Content:
    """`in 4 s · out 6 s`, each word in its phase's colour."""
    parts: list[str | tuple[str, str]] = []
    for kind, seconds in pattern.phases():
        if parts:
            parts.append(" · ")
        parts.append((f"{_PHASE_WORDS[kind]} {seconds:g} s", _PHASE_STYLES[kind]))
    return Content.assemble(*parts)


class SessionPreview(Widget):
    """The preview beside the editor; `stale` marks it as the last valid version of the text."""

    DEFAULT_CSS = """
    SessionPreview {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.stale = False

    def show(self, session: Session | None, stale: bool = False) -> None:
        """Preview `session`; with `stale`, say it is what the text was when last valid."""
        self.session, self.stale = session, stale
        self.refresh(layout=True)

    def render(self) -> Content:
        session = self.session
        if session is None:
            return Content("Nothing to preview until the file is a valid session.")
        width = max(8, self.content_region.width - 3)
        timeline = Timeline(session)
        lines: list[Content] = []
        if self.stale:
            lines.append(Content.styled("As last valid; fix the problems to update.", "$warning"))
        lines.append(Content.from_markup(
            "[b]$title[/b]\n[dim]$length · $steps[/]", title=session.title,
            length=length_text(session.seconds, session.open_ended),
            steps=f"{len(session.steps)} step{'s' if len(session.steps) > 1 else ''}"))
        if session.prepare:
            lines.append(Content.from_markup("[dim]Settle $s[/]", s=length_text(session.prepare)))
        for number, (span, step) in enumerate(zip(timeline.steps, session.steps, strict=True), 1):
            length = length_text(span.seconds, math.isinf(span.seconds))
            if isinstance(step, BreatheStep):
                length += f" · {step.cycles} breath{'s' if step.cycles > 1 else ''}"
            lines.append(Content.from_markup("$n. $title  [dim]$length[/]", n=str(number),
                                             title=span.title, length=length))
            if isinstance(step, BreatheStep):
                ends = [("", step.pattern)]
                if step.ramp_to is not None:
                    ends = [("first ", step.pattern), ("last ", step.pattern_of_cycle(
                        step.cycles - 1))]
                for label, pattern in ends:
                    lines.append(Content.assemble("   ", breath_bar(pattern, width)))
                    lines.append(Content.assemble("   ", (label, "dim"), breath_words(pattern)))
        return Content("\n").join(lines)
