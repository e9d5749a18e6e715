"""Text from session files is data: strip what a terminal would act on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

# C0 controls except tab and newline, DEL, C1 controls, and bidirectional overrides that
# could make text read differently from what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Multi-line text with control characters removed and tabs as spaces."""
    return _CONTROL.sub("", text.replace("\t", "    ").replace("\r\n", "\n")).strip()


def clean_line(text: str) -> str:
    """One line: control characters removed and any line break folded to a space."""
    return " ".join(clean_text(text).split())


def visible(text: str) -> str:
    """A name (a file, a key) on one line, every control character written as `\\u001b`.

    Names are shown rather than cleaned: the user has to be able to find what is there.
    """
    return _UNSEEN.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def cells(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF"
               else 1 for c in text)


def shortened(text: str, width: int) -> str:
    """`text` in at most `width` columns, ending in an ellipsis when it had to be cut."""
    if cells(text) <= width:
        return text
    if width < 1:
        return ""
    text = text[:width]  # no character is narrower than a column but combining marks
    while text and cells(text) + 1 > width:
        text = text[:-1]
    return text.rstrip() + "…"


def table(header: Sequence[str], rows: Sequence[Sequence[str]],
          right: Collection[int] = ()) -> list[str]:
    """Aligned plain-text columns, two spaces apart; columns in `right` align right."""
    widths = [max(cells(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        padded = []
        for i, (text, width) in enumerate(zip(row, widths, strict=True)):
            gap = " " * (width - cells(text))
            padded.append(gap + text if i in right else text + gap)
        lines.append("  ".join(padded).rstrip())
    return lines
