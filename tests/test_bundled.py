"""The bundled library: every session validates and is as long as its summary says."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from coach.core.library import Origin, find_session, load_library
from coach.core.model import BUNDLED_SOUNDS
from coach.core.places import bundled_dir, find_places
from coach.core.schedule import Timeline
from coach.core.sessionfile import read_session
from tests.conftest import ROOT

FILES = sorted((ROOT / "sessions").glob("*.toml"))
PRACTICES = {"box", "relaxing-breath", "coherent", "extended-exhale", "physiological-sigh",
             "calm-breathing", "belly-breathing", "mindful-breath", "breathing-space",
             "back-scan", "release-only", "night-cramps"}


def test_the_practices_are_all_there() -> None:
    assert {f.stem for f in FILES} >= PRACTICES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_bundled_session_validates_and_matches_its_claimed_length(path: Path) -> None:
    session = read_session(path)
    claimed = re.search(r"About (\d+) minutes?", session.summary)
    assert claimed, f"{path.name}: the summary should say 'About N minutes.'"
    assert abs(Timeline(session).total / 60 - int(claimed.group(1))) <= 0.5
    assert 3 * 60 <= session.seconds <= 20 * 60
    if session.has_holds:
        assert "asthma" in session.caution.lower()


def test_the_bundled_folder_holds_the_bundled_cues() -> None:
    assert {p.stem for p in bundled_dir("sounds").glob("*.wav")} == set(BUNDLED_SOUNDS)


def test_library_lists_bundled_and_user_sessions_with_problems(coach_home: Path) -> None:
    places = find_places()
    places.sessions.mkdir(parents=True)
    (places.sessions / "mine.toml").write_text(
        (ROOT / "sessions" / "box.toml").read_text("utf-8").replace("Box", "My box"), "utf-8")
    (places.sessions / "broken.toml").write_text("format = 1\ntitle = 3\n", "utf-8")
    library = load_library(places)
    ids = {e.id: e for e in library.entries}
    assert set(ids) >= PRACTICES
    assert ids["mine"].origin == Origin.YOURS and ids["mine"].session is not None
    assert ids["broken"].session is None
    assert any(str(p).endswith("broken.toml:2: title: must be text, not a whole number")
               for p in ids["broken"].problems)
    assert library.find("box") is not None and library.find("box").origin == Origin.BUNDLED
    assert library.find(str(ROOT / "sessions" / "coherent.toml")).session.title


def test_finding_one_session_agrees_with_the_whole_library(coach_home: Path) -> None:
    places = find_places()
    places.sessions.mkdir(parents=True)
    (places.sessions / "box.toml").write_text(  # the user's own box wins over the bundled one
        (ROOT / "sessions" / "box.toml").read_text("utf-8").replace("Box", "My box"), "utf-8")
    (places.sessions / "broken.toml").write_text("format = 1\ntitle = 3\n", "utf-8")
    (places.sessions / "odd\x1bname.toml").write_text(  # shown (and found) by a cleaned name
        (ROOT / "sessions" / "coherent.toml").read_text("utf-8"), "utf-8")
    library = load_library(places)
    assert "odd\x1bname" not in {e.id for e in library.entries}
    names = [e.id for e in library.entries] + [str(ROOT / "sessions" / "coherent.toml"),
                                              "missing", "missing.toml", "../sessions/box"]
    for name in names:
        assert find_session(places, name) == library.find(name), name
    assert find_session(places, "box").session.title.startswith("My box")


def test_finding_one_session_reads_only_its_file(coach_home: Path) -> None:
    places = find_places()
    places.sessions.mkdir(parents=True)
    (places.sessions / "mine.toml").write_text(
        (ROOT / "sessions" / "box.toml").read_text("utf-8"), "utf-8")
    opened.clear()
    entry = find_session(places, "calm-breathing")
    read = [p for p in opened if p.endswith(".toml")]
    opened.clear()
    assert entry is not None and entry.origin == Origin.BUNDLED
    assert read == [str(entry.path)]


opened: list[str] = []


def _note_opens(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], str | Path):
        opened.append(str(args[0]))


sys.addaudithook(_note_opens)  # Python's own record of every file opened


def test_toml_of_every_bundled_session_is_plain_toml() -> None:
    for path in FILES:
        assert tomllib.loads(path.read_text("utf-8"))["format"] == 1
