"""The editor: a session file's TOML beside its problems, checked as you type, and a preview."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, TextArea

from coach.core.atomic import write_atomically
from coach.core.format import MAX_FILE_BYTES
from coach.core.model import Session
from coach.core.sessionfile import Problem, SessionError, parse_session
from coach.core.text import visible
from coach.ui.panes import fit_panes
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.widgets.keys_footer import KeysFooter
from coach.ui.widgets.problem_list import ProblemList
from coach.ui.widgets.session_preview import SessionPreview


def toml_language() -> str | None:
    """`"toml"` when tree-sitter can highlight it here; None means plain text."""
    found = all(importlib.util.find_spec(m) for m in ("tree_sitter", "tree_sitter_toml"))
    return "toml" if found else None


def read_source(path: Path) -> str:
    """The text of a file to edit; ValueError says, in a line, why it cannot be edited."""
    name = visible(str(path))  # a path is shown, and may hold anything
    try:
        if not path.is_file():
            raise ValueError(f"{name}: no such file; coach new writes one")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"{name}: larger than {MAX_FILE_BYTES:,} bytes; not a session file")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{name}: not UTF-8 text; save it as UTF-8 first") from None
    except OSError as error:
        raise ValueError(f"{name}: cannot be read: {error.strerror or error}") from None


def backup_path(path: Path) -> Path:
    """Where the version before the last save is kept: `evening.toml.bak`, beside it."""
    return path.with_name(path.name + ".bak")


class EditorScreen(Screen[None]):
    """Edits one session file. Saving is atomic and keeps the previous version as a backup;
    closing with unsaved changes asks first."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+t", "try_session", "Try it", priority=True),
        Binding("ctrl+g", "next_problem", "Next problem", priority=True),
        Binding("ctrl+q", "close", "Close", priority=True),
    ]

    @dataclass
    class Saved(Message):
        """The file was written; whatever lists sessions should read it again."""

        path: Path

    @dataclass
    class Tried(Message):
        """Try the session as it stands in the editor."""

        session: Session

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path = path
        self.saved_text = text
        self.session: Session | None = None
        self.problems: tuple[Problem, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        with Horizontal(id="editor-body"):
            yield TextArea.code_editor(self.saved_text, language=toml_language(), theme="css",
                                       id="source")
            with VerticalScroll(id="editor-side"):
                yield ProblemList(id="problems")
                yield SessionPreview(id="preview")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        fit_panes(self, self.app.size.width)  # the terminal may have changed while away

    def on_resize(self, event: Resize) -> None:
        fit_panes(self, event.size.width)

    def on_mount(self) -> None:
        self.check()
        self.query_one("#source", TextArea).focus()
        if self._unsaved_path().exists():
            self.notify(f"Changes not saved last time are in {visible(self._unsaved_path().name)} "
                        "beside this file. This is the file as saved; copy from that one what "
                        "you want to keep, then delete it.", title="Unsaved changes",
                        timeout=15, markup=False)

    def _unsaved_path(self) -> Path:
        return self.path.with_name(self.path.name + ".unsaved")

    @property
    def text(self) -> str:
        return self.query_one("#source", TextArea).text

    @property
    def modified(self) -> bool:
        return self.text != self.saved_text

    def keep_unsaved(self) -> Path | None:
        """The terminal is closing: put unsaved text beside the file, never over it."""
        if not self.is_mounted or not self.modified:
            return None
        kept = self._unsaved_path()
        try:
            write_atomically(kept, self.text.encode("utf-8"), new_mode=0o600)
        except OSError:
            return None
        return kept

    def _show_title(self) -> None:
        self.query_one("#title-bar", Static).update(Content.from_markup(
            "coach · editing $path$mark", path=visible(str(self.path)),
            mark="  ● not saved" if self.modified else ""))

    @on(TextArea.Changed, "#source")
    def check(self) -> None:
        """Validate the text as it stands; the preview keeps the last valid session."""
        try:
            session = parse_session(self.text, origin=self.path.name, base_dir=self.path.parent,
                                    session_id=visible(self.path.stem))
        except SessionError as error:
            self.problems = error.problems
            self.query_one("#preview", SessionPreview).show(self.session, stale=True)
        else:
            self.problems = ()
            self.session = replace(session, path=self.path)
            self.query_one("#preview", SessionPreview).show(self.session)
        self.query_one("#problems", ProblemList).show(self.problems)
        self._show_title()

    @on(ProblemList.Chosen)
    def _go_to_problem(self, event: ProblemList.Chosen) -> None:
        self.go_to_line(event.line)

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of `line` (counted from 1) and show it."""
        source = self.query_one("#source", TextArea)
        source.move_cursor((max(0, line - 1), 0), center=True)
        source.focus()

    def action_next_problem(self) -> None:
        if not self.problems:
            self.notify("No problems to fix.")
            return
        row = self.query_one("#source", TextArea).cursor_location[0] + 1
        lines = sorted({p.line for p in self.problems})
        self.go_to_line(next((n for n in lines if n > row), lines[0]))

    def action_save(self) -> None:
        """Write the text; first ask, if another program wrote to the file meanwhile."""
        if not self._changed_elsewhere():
            self._write()
            return
        backup = visible(backup_path(self.path).name)
        self.app.push_screen(
            ConfirmScreen(f"{visible(self.path.name)} was changed outside coach",
                          "Another program wrote to it since it was opened here. Saving puts "
                          f"your text in its place and keeps that version as {backup}.",
                          yes="Save over it", no="Keep editing"),
            lambda save: self._write() if save else None)

    def _changed_elsewhere(self) -> bool:
        try:
            return read_source(self.path) != self.saved_text
        except ValueError:  # gone or unreadable: saving writes it anew, or says why it cannot
            return False

    def _write(self) -> None:
        text = self.text
        try:
            write_atomically(self.path, text.encode("utf-8"), backup=backup_path(self.path))
        except OSError as error:
            self.notify(f"Not saved: {error.strerror or error}", severity="error", timeout=10,
                        markup=False)
            return
        self.saved_text = text
        self._show_title()
        self.post_message(self.Saved(self.path))
        if self.problems:
            count = len(self.problems)
            self.notify(f"Saved with {count} problem{'s' if count > 1 else ''}: the library lists "
                        "it as invalid until they are fixed.", severity="warning")
        else:
            self.notify(f"Saved. The version before is in {backup_path(self.path).name}.",
                        markup=False)

    def action_try_session(self) -> None:
        if self.session is None or self.problems:
            self.notify("Fix the problems first; ctrl+g goes to the next one.",
                        severity="warning")
            return
        self.post_message(self.Tried(self.session))

    def action_close(self) -> None:
        if not self.modified:
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen("Close without saving?",
                          f"Your changes to {visible(self.path.name)} are not saved. Ctrl+S "
                          "saves them.",
                          yes="Discard", no="Keep editing"),
            answered)
