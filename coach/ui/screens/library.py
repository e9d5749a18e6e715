"""The library: every session coach found, a filter, and the details of the one chosen."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coach.core.durations import length_text
from coach.core.library import Entry, Library, Origin
from coach.ui.panes import fit_panes
from coach.ui.widgets.keys_footer import KeysFooter
from coach.ui.widgets.session_details import SessionDetails
from coach.ui.widgets.wrapping_option_list import WrappingOptionList

LIST_ALONE_BELOW = 16
"""Rows under which stacked panes leave the details out (`.-short` in coach.tcss)."""


def _matches(entry: Entry, words: list[str]) -> bool:
    s = entry.session
    haystack = " ".join([entry.id, *(s.tags if s else ()), s.title if s else "",
                         s.summary if s else ""]).lower()
    return all(w in haystack for w in words)


def _no_match() -> Option:
    """Said in the list, which every size shows (the details pane is hidden below 60x20)."""
    return Option("No session matches; esc clears the filter.", disabled=True)


def _option(entry: Entry) -> Option:
    if entry.session is None:
        prompt = Content.from_markup("[$error]⚠ $name[/]  [dim]invalid file[/]", name=entry.id)
    else:
        s = entry.session
        length = f"{round(s.seconds / 60)} min" if s.seconds >= 90 else length_text(s.seconds)
        about = [length + (" + open" if s.open_ended else ""), ", ".join(s.tags[:3])]
        if entry.origin == Origin.YOURS:
            about.append("yours")
        prompt = Content.from_markup("[b]$title[/b]\n[dim]$about[/]", title=s.title,
                                     about=" · ".join(part for part in about if part))
    return Option(prompt, id=f"{entry.origin}:{entry.id}")


class LibraryScreen(Screen[None]):
    """Type to filter; enter starts the highlighted session."""

    BINDINGS = [
        Binding("enter", "start_session", "Start", priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("ctrl+r", "app.open_review", "Review", priority=True),
        Binding("ctrl+e", "edit_session", "Edit", priority=True),
        Binding("ctrl+s", "app.open_settings", "Settings", priority=True),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    @dataclass
    class Chosen(Message):
        entry: Entry

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.shown: list[Entry] = list(library.entries)

    def compose(self) -> ComposeResult:
        yield Static("coach · choose a practice", id="title-bar")
        yield Input(placeholder="Type to filter by name, tag or words…", id="filter")
        with Horizontal(id="library-body"):
            yield WrappingOptionList(*[_option(e) for e in self.shown], id="sessions")
            with VerticalScroll(id="details-pane"):
                yield SessionDetails(id="details")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        self._fit(self.app.size)  # the terminal may have changed while away

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        fit_panes(self, size.width)
        # Stacked in a short terminal, the details would leave the list a line or two.
        self.set_class(size.height < LIST_ALONE_BELOW, "-short")
        # The options wrap anew at the new width: the chosen one stays in sight.
        sessions = self.query_one("#sessions", OptionList)
        self.call_after_refresh(sessions.scroll_to_highlight)

    def on_mount(self) -> None:
        search = self.query_one("#filter", Input)
        search.cursor_blink = False  # a still screen costs nothing while the user decides
        search.focus()
        sessions = self.query_one("#sessions", OptionList)
        sessions.can_focus = False  # typing always goes to the filter
        if self.shown:
            sessions.highlighted = 0
        self._show_details()

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self._show_matches()

    def _show_matches(self, keep: Entry | None = None) -> None:
        words = self.query_one("#filter", Input).value.lower().split()
        self.shown = [e for e in self.library.entries if _matches(e, words)]
        sessions = self.query_one("#sessions", OptionList)
        sessions.clear_options()
        sessions.add_options([_option(e) for e in self.shown] or [_no_match()])
        paths = [e.path for e in self.shown]
        if keep is not None and keep.path in paths:
            sessions.highlighted = paths.index(keep.path)
        else:
            sessions.highlighted = 0 if self.shown else None
        self._show_details()

    def reload(self, library: Library) -> None:
        """Show `library` instead (read again after an edit), keeping the filter and choice."""
        keep = self.highlighted_entry()
        self.library = library
        self._show_matches(keep)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_details()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_start_session()

    def highlighted_entry(self) -> Entry | None:
        index = self.query_one("#sessions", OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def _show_details(self) -> None:
        self.query_one("#details", SessionDetails).show(self.highlighted_entry())

    def action_move(self, delta: int) -> None:
        sessions = self.query_one("#sessions", OptionList)
        if self.shown:
            current = sessions.highlighted or 0
            sessions.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    def action_edit_session(self) -> None:
        entry = self.highlighted_entry()
        if entry is None:
            return
        if entry.origin == Origin.BUNDLED:
            self.notify(f"Bundled sessions stay as they are. coach new --from {entry.id} makes "
                        "a copy of your own to change.", severity="warning", timeout=8,
                        markup=False)
            return
        from coach.ui.screens.editor import EditorScreen, read_source  # only when editing

        try:
            self.app.push_screen(EditorScreen(entry.path, read_source(entry.path)))
        except ValueError as error:
            self.notify(str(error), severity="error", markup=False)

    def action_start_session(self) -> None:
        entry = self.highlighted_entry()
        if entry is None:
            return
        if entry.session is None:
            self.notify("This file has problems; see the details pane.", severity="warning")
            return
        self.post_message(self.Chosen(entry))
