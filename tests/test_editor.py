"""The editor, driven by Pilot on real session files in the test's own coach home."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import Button, TextArea

from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.scaffold import NewSession, session_document, session_toml
from coach.core.settings import Settings
from coach.core.store import Store
from coach.ui.app import CoachApp
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.editor import EditorScreen
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.player import PlayerScreen
from coach.ui.widgets.problem_list import ProblemList
from coach.ui.widgets.session_preview import SessionPreview
from tests.helpers import ManualClock

TITLE_LINE = 5  # the header comment takes the first three lines, `format` the fourth


def write_session(home: Path, title: str = "4-6 calm", ratio: str = "4-6") -> Path:
    path = home / "sessions" / "calm.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(session_toml(session_document(NewSession(title, ratio, minutes=5))))
    return path


def editor_app(path: Path | None = None) -> CoachApp:
    places = find_places()
    return CoachApp(load_library(places), places, Settings(notice_seen=True, sound=False),
                    clock=ManualClock(), sound=False, edit=path)


def editor_of(app: CoachApp) -> EditorScreen:
    assert isinstance(app.screen, EditorScreen), app.screen
    return app.screen


async def type_at(pilot, row: int, column: int, *keys: str) -> None:
    source = pilot.app.screen.query_one("#source", TextArea)
    source.move_cursor((row - 1, column))
    await pilot.press(*keys)
    await pilot.pause()


def problem_lines(editor: EditorScreen) -> list[tuple[int, str]]:
    return [(p.line, p.field) for p in editor.query_one(ProblemList).problems]


async def test_a_typo_is_shown_at_its_line_and_fixing_it_clears_it(coach_home) -> None:
    path = write_session(coach_home)
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = editor_of(pilot.app)
        assert problem_lines(editor) == []
        await type_at(pilot, TITLE_LINE, 3, "e")  # title -> titele
        found = problem_lines(editor)
        assert (TITLE_LINE, "titele") in found
        shown = str(editor.query_one(ProblemList).get_option_at_index(
            found.index((TITLE_LINE, "titele"))).prompt)
        assert f"line {TITLE_LINE}" in shown and "did you mean 'title'?" in shown
        assert editor.query_one(SessionPreview).stale
        await pilot.press("backspace")
        await pilot.pause()
        assert problem_lines(editor) == []
        assert editor.query_one(ProblemList).border_title == "✓ No problems"
        assert not editor.query_one(SessionPreview).stale


async def test_a_syntax_error_is_shown_at_its_own_line(coach_home) -> None:
    path = write_session(coach_home)
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, len('title = "4-6 calm"'), "space", "x")
        assert problem_lines(editor_of(pilot.app)) == [(TITLE_LINE, "(syntax)")]


async def test_problems_lead_to_their_lines(coach_home) -> None:
    path = write_session(coach_home)
    text = path.read_text().replace("minutes = 5", "minutes = 500")
    path.write_text(text)
    line = text.splitlines().index("minutes = 500") + 1
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = editor_of(pilot.app)
        source = editor.query_one("#source", TextArea)
        assert [n for n, _ in problem_lines(editor)] == [line]
        await pilot.press("ctrl+g")
        assert source.cursor_location == (line - 1, 0)
        source.move_cursor((0, 0))
        problems = editor.query_one(ProblemList)
        problems.focus()
        problems.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert source.cursor_location == (line - 1, 0) and source.has_focus


async def test_saving_replaces_the_file_whole_and_keeps_the_previous_version(coach_home) -> None:
    path = write_session(coach_home)
    path.chmod(0o600)
    original = path.read_text()
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, len('title = "4-6'), "space", "s", "l", "o", "w")
        assert "● not saved" in str(editor_of(pilot.app).query_one("#title-bar").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "● not saved" not in str(editor_of(pilot.app).query_one("#title-bar").render())
        edited = editor_of(pilot.app).text
        # The library is read again, so it lists the new title.
        assert any(e.session and e.session.title == "4-6 slow calm"
                   for e in pilot.app.library.entries)
    assert path.read_text() == edited and 'title = "4-6 slow calm"' in edited
    assert path.with_name("calm.toml.bak").read_text() == original
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["calm.toml", "calm.toml.bak"]


async def test_saving_over_a_change_made_elsewhere_asks_first(coach_home) -> None:
    path = write_session(coach_home)
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, 1, 0, "#", "space", "m", "i", "n", "e", "enter")
        elsewhere = path.read_text() + "# another program's line\n"
        path.write_text(elsewhere)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep editing: nothing written
        await pilot.pause()
        assert path.read_text() == elsewhere
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        mine = editor_of(pilot.app).text
        assert path.read_text() == mine and mine.startswith("# mine\n")
        assert path.with_name("calm.toml.bak").read_text() == elsewhere
        await type_at(pilot, 1, 0, "#")
        await pilot.press("ctrl+s")  # saved here last: no question this time
        await pilot.pause()
        assert path.read_text() == "#" + mine == editor_of(pilot.app).text


async def test_an_invalid_file_can_be_saved_and_says_so(coach_home) -> None:
    path = write_session(coach_home)
    async with editor_app(path).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, 0, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = [n.message for n in pilot.app._notifications]
        assert any("Saved with 2 problems" in n for n in notes)  # xtitle; no title
    assert path.read_text().splitlines()[TITLE_LINE - 1].startswith("xtitle")


async def test_closing_with_unsaved_changes_asks_first(coach_home) -> None:
    path = write_session(coach_home)
    original = path.read_text()
    app = editor_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, 0, "x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert editor_of(app).text.splitlines()[TITLE_LINE - 1].startswith("xtitle")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not app.is_running
    assert path.read_text() == original


async def test_the_close_dialogs_buttons_fit_side_by_side_at_40_columns(coach_home) -> None:
    app = editor_app(write_session(coach_home))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, 0, "x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        room = dialog.query_one(".dialog").content_region
        buttons = list(dialog.query(Button))
        assert [str(b.label) for b in buttons] == ["Keep editing", "Discard"]
        assert all(room.x <= b.region.x and b.region.right <= room.right for b in buttons)


async def test_closing_without_changes_does_not_ask(coach_home) -> None:
    app = editor_app(write_session(coach_home))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_try_it_runs_the_session_as_it_stands(coach_home) -> None:
    path = write_session(coach_home)
    app = editor_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, TITLE_LINE, 0, "x")
        await pilot.press("ctrl+t")  # not while there are problems
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("backspace", "ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)  # straight in: a try asks no ratings
        app.clock.advance(20)
        await pilot.press("escape", "y")
        await pilot.pause()
        editor_of(app)  # back to the text
        assert any("not kept in your history" in n.message for n in app._notifications)
    with Store.open(find_places().database) as store:
        assert store.runs() == []  # a draft that may never be saved is not relief to count


async def test_quitting_while_trying_keeps_the_unsaved_text(coach_home) -> None:
    path = write_session(coach_home)
    saved = path.read_text("utf-8")
    app = editor_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_at(pilot, 1, 0, "#", "space", *"kept", "enter")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
        await pilot.press("ctrl+q")  # the app's quit: the editor is not on top to ask
        await pilot.pause()
        assert not app.is_running
    assert path.read_text("utf-8") == saved  # the file itself is never overwritten
    kept = path.with_name(path.name + ".unsaved")
    assert kept.read_text("utf-8").startswith("# kept\n")
    again = editor_app(path)  # the next edit of the file says where those changes are
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert editor_of(again).text == saved
        assert any("calm.toml.unsaved" in n.message for n in again._notifications)


async def test_the_library_edits_your_own_sessions_only(coach_home) -> None:
    write_session(coach_home)
    app = editor_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"calm")  # the filter: yours first, then bundled "Calm breathing"
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert library.highlighted_entry().path.name == "calm.toml"
        await pilot.press("ctrl+e")
        await pilot.pause()
        editor_of(app)
        await type_at(pilot, TITLE_LINE, len('title = "'), *"My ")
        await pilot.press("ctrl+s", "ctrl+q")
        await pilot.pause()
        assert app.screen is library
        assert library.highlighted_entry().session.title == "My 4-6 calm"
        await pilot.press("down", "ctrl+e")  # a bundled one stays as it is
        await pilot.pause()
        assert app.screen is library
        assert any("coach new --from" in n.message for n in app._notifications)


def snapshot_app(home: Path, broken: bool, monkeypatch) -> CoachApp:
    path = write_session(home, ratio="4-7-8")
    if broken:
        path.write_text(path.read_text().replace("minutes = 5", "minutes = 500")
                        .replace("prepare = 5", "prepair = 5"))
    monkeypatch.chdir(path.parent)  # the title bar shows the path as given: the same every run
    return editor_app(Path(path.name))


async def hide_cursor(pilot) -> None:
    await pilot.pause()  # the editor is opened by the app's start-up worker
    pilot.app.screen.query_one("#source", TextArea).cursor_blink = False


def test_snapshot_of_a_valid_file(coach_home, snap_compare, monkeypatch) -> None:
    app = snapshot_app(coach_home, broken=False, monkeypatch=monkeypatch)
    assert snap_compare(app, terminal_size=(80, 24), run_before=hide_cursor)


def test_snapshot_of_an_invalid_file(coach_home, snap_compare, monkeypatch) -> None:
    app = snapshot_app(coach_home, broken=True, monkeypatch=monkeypatch)
    assert snap_compare(app, terminal_size=(80, 24), run_before=hide_cursor)


def test_snapshot_of_a_small_terminal(coach_home, snap_compare, monkeypatch) -> None:
    app = snapshot_app(coach_home, broken=True, monkeypatch=monkeypatch)
    assert snap_compare(app, terminal_size=(60, 20), run_before=hide_cursor)


async def test_problems_stay_whole_when_the_list_changes(coach_home) -> None:
    path = coach_home / "sessions" / "broken.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('format = 1\ntitel = "Typo"\nsummary = "s"\ntag = ["a"]\n\n[[steps]]\n'
                    'kind = "breath"\nseconds = 30\ntext = "Rest."\n', "utf-8")
    app = editor_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_at(pilot, 2, 0, "Z")  # the list is redrawn, now with a scrollbar
        problems = editor_of(app).query_one(ProblemList)
        assert (2, "Ztitel") in problem_lines(editor_of(app))
        shown = "\n".join(strip.text for strip in problems.render_lines(
            Region(0, 0, problems.size.width, problems.size.height)))
        assert "'title'?" in shown and "'tags'?" in shown
