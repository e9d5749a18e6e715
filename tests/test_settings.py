"""Settings: a TOML file that survives, a broken one that never crashes, and the screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Checkbox, Select, Switch

from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.settings import Settings, load_settings, remembered, save_settings
from coach.ui.app import CoachApp
from coach.ui.screens.notice import NoticeScreen
from coach.ui.screens.settings import SettingsScreen
from tests.helpers import ManualClock, make_app


async def open_settings(pilot) -> SettingsScreen:  # type: ignore[no-untyped-def]
    """From the library, as a user does: ctrl+s."""
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


def test_round_trip(tmp_path: Path) -> None:
    chosen = Settings(sound=False, volume=0.3, theme="coach-night", dimensions=("stress",),
                      notice_seen=True)
    save_settings(tmp_path / "s.toml", chosen)
    assert load_settings(tmp_path / "s.toml") == (chosen, None)


def test_missing_file_is_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == (Settings(), None)


def test_broken_files_give_defaults_and_a_message_and_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    for text, words in [("sound = [", "Invalid"), ("volume = 7", "volume has an unusable"),
                        ('dimensions = ["joy"]', "dimensions"), ("sound = 'yes'", "sound")]:
        path.write_text(text, "utf-8")
        settings, message = load_settings(path)
        assert settings == Settings()
        assert message and str(path) in message and words in message and "default" in message
        assert path.read_text("utf-8") == text
    path.write_bytes(b"\xff\xfe")
    assert load_settings(path)[0] == Settings()


def test_one_bad_value_costs_only_that_value(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('notice_seen = true\ntheme = "coach-night"\nreduced_motion = true\n'
                    'dimensions = ["stress"]\nvolume = 1.5\nsound = "loud"\n', "utf-8")
    settings, message = load_settings(path)
    assert settings == Settings(notice_seen=True, theme="coach-night", reduced_motion=True,
                                dimensions=("stress",))
    assert "volume has an unusable value 1.5" in message and "sound" in message
    assert "theme" not in message


async def test_the_settings_screen_saves_and_applies() -> None:
    app = make_app(ManualClock())
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#reduced-motion", Switch).value = True
        screen.query_one("#theme", Select).value = "coach-night"
        screen.query_one("#dimension-stress", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.theme == "coach-night"
    saved, problem = load_settings(find_places().settings)
    assert problem is None
    assert (saved.reduced_motion, saved.theme, saved.dimensions) == (True, "coach-night",
                                                                     ("stress",))


async def test_cancel_changes_nothing() -> None:
    app = make_app(ManualClock())
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#theme", Select).value = "coach-night"
        await pilot.pause()
        assert app.theme == "coach-night"  # previewed
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "textual-dark"
    assert not find_places().settings.exists()


async def test_an_unknown_theme_in_the_file_does_not_break_the_screen() -> None:
    app = make_app(ManualClock(), theme="no-such-theme")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert any("no theme called 'no-such-theme'" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#theme", Select).value == app.theme == "textual-dark"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load_settings(find_places().settings)[0].theme == "textual-dark"


async def test_sound_turned_off_is_silence_not_the_bell() -> None:
    app = make_app(ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        while app.cues is None:
            await pilot.pause(0.05)
        assert app.cues.mode == "silent"


def test_only_what_was_changed_on_screen_is_remembered() -> None:
    saved = Settings(volume=0.5)
    shown = replace(saved, reduced_motion=True, sound=False)  # `--reduced-motion --no-sound`
    chosen = replace(shown, volume=0.9, theme="coach-night")
    assert remembered(saved, shown, chosen) == replace(saved, volume=0.9, theme="coach-night")
    assert remembered(saved, shown, shown) == saved
    assert remembered(saved, shown, shown, touched={"reduced_motion"}) == replace(
        saved, reduced_motion=True)  # changed on screen and back: the user's own choice


def app_with_run_options(saved: Settings, **run_options: object) -> CoachApp:
    """As `coach --reduced-motion` (say) builds it: the file's settings and this run's."""
    places = find_places()
    return CoachApp(load_library(places), places, replace(saved, **run_options),
                    clock=ManualClock(), sound=False, saved_settings=saved)


async def test_the_first_run_notice_keeps_this_runs_options_out_of_the_file() -> None:
    app = app_with_run_options(Settings(sound=False), reduced_motion=True, theme="coach-night")
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.settings.reduced_motion and app.theme == "coach-night"  # this run's still
    assert load_settings(find_places().settings)[0] == Settings(sound=False, notice_seen=True)


async def test_the_settings_screen_shows_this_run_and_saves_only_what_was_changed() -> None:
    saved = Settings(notice_seen=True, volume=0.5)
    app = app_with_run_options(saved, reduced_motion=True, sound=False, theme="coach-night")
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await open_settings(pilot)
        assert not screen.query_one("#sound", Switch).value  # `--no-sound`: silent this run
        assert screen.query_one("#reduced-motion", Switch).value
        screen.query_one("#volume", Select).value = 0.9
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.settings.reduced_motion and not app.settings.sound
    assert load_settings(find_places().settings)[0] == replace(saved, volume=0.9)


async def test_a_run_option_switched_off_and_on_again_is_kept_for_good() -> None:
    saved = Settings(notice_seen=True)
    app = app_with_run_options(saved, reduced_motion=True)  # `coach --reduced-motion`
    async with app.run_test(size=(80, 30)) as pilot:
        switch = (await open_settings(pilot)).query_one("#reduced-motion", Switch)
        switch.value = False
        await pilot.pause()
        switch.value = True  # the user's own choice now, not just this run's option
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load_settings(find_places().settings)[0] == replace(saved, reduced_motion=True)


async def test_each_switch_and_box_shows_its_state_without_colour(monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with make_app(ManualClock(), dimensions=("stress",)).run_test(size=(80, 40)) as pilot:
        screen = await open_settings(pilot)

        def said(switch_id: str) -> str:
            row = screen.query_one(f"#{switch_id}", Switch).parent
            return str(row.query_one(".switch-state").render())

        def drawn(box_id: str) -> str:
            return str(screen.query_one(f"#{box_id}", Checkbox).render())

        assert [said(name) for name in ("sound", "phase-cues", "reduced-motion")] == [
            "on" if value else "off" for value in
            (screen.settings.sound, screen.settings.phase_cues, screen.settings.reduced_motion)]
        assert drawn("dimension-stress").startswith("▐X▌")
        assert drawn("dimension-unpleasantness").startswith("▐ ▌")
        screen.query_one("#reduced-motion", Switch).toggle()
        screen.query_one("#dimension-stress", Checkbox).toggle()
        await pilot.pause()
        assert said("reduced-motion") == ("off" if screen.settings.reduced_motion else "on")
        assert drawn("dimension-stress").startswith("▐ ▌")


async def test_each_setting_keeps_its_words_whole_at_40_columns() -> None:
    async with make_app(ManualClock()).run_test(size=(40, 12)) as pilot:
        screen = await open_settings(pilot)
        for label in screen.query(".setting Label").exclude(".switch-state"):
            words = str(label.render()).split()
            assert label.content_region.width >= max(map(len, words)), words
