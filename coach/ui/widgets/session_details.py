"""The details pane of the library: everything about one session before starting it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from coach.core.durations import length_text
from coach.core.library import Entry, Origin
from coach.core.schedule import Timeline
from coach.core.text import visible

PROBLEMS_SHOWN = 30


def _details(entry: Entry) -> Content:
    if entry.session is None:
        shown = entry.problems[:PROBLEMS_SHOWN]  # thousands would freeze the pane
        problems = "\n".join(f"• line {p.line}: {p.field}: {p.message}" for p in shown)
        if len(entry.problems) > len(shown):
            problems += f"\n• and {len(entry.problems) - len(shown):,} more"
        return Content.from_markup(
            "[b]$name[/b]  [$error]this file has problems[/]\n$path\n\n$problems\n\n"
            "[dim]Fix them in an editor; coach validate $path lists them too.[/]",
            name=entry.id, path=visible(str(entry.path)), problems=problems)
    s = entry.session
    steps = "\n".join(
        f"{i + 1}. {span.title}  ({length_text(span.seconds, span.seconds == float('inf'))})"
        for i, span in enumerate(Timeline(s).steps))
    origin = "your own" if entry.origin == Origin.YOURS else "bundled"
    caution = f"\n\n⚠ {s.caution}" if s.caution else ""
    return Content.from_markup(
        "[b]$title[/b]\n[dim]$length · $tags · $origin[/]\n\n$summary$caution\n\n"
        "[dim]Steps[/]\n$steps",
        title=s.title, length=length_text(s.seconds, s.open_ended),
        tags=", ".join(s.tags) or "no tags", origin=origin, summary=s.summary, caution=caution,
        steps=steps)


class SessionDetails(Static):
    """Shows an Entry: its summary, caution and steps, or its problems."""

    DEFAULT_CSS = """
    SessionDetails {
        padding: 0 1;
        height: auto;
    }
    """

    def show(self, entry: Entry | None) -> None:
        self.update(_details(entry) if entry else "")  # the list says nothing matches
