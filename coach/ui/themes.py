"""coach's own theme: dim and warm, for practice at night."""

from textual.theme import Theme

NIGHT = Theme(
    name="coach-night",
    primary="#7d6a5a",
    secondary="#5e5048",
    accent="#a0795a",
    warning="#a08050",
    error="#a05a5a",
    success="#6a8060",
    foreground="#8c8078",
    background="#0c0a09",
    surface="#141110",
    panel="#1b1715",
    dark=True,
)
