"""New session files: every one `coach new` writes is valid and is the session asked for."""

from __future__ import annotations

import math
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coach.cli import main
from coach.core.atomic import write_atomically
from coach.core.model import BreatheStep
from coach.core.scaffold import (
    FAST_BELOW_SECONDS,
    NewSession,
    caution_for,
    document_from,
    own_sounds,
    session_document,
    session_toml,
    slug,
)
from coach.core.sessionfile import parse_ratio, parse_session, read_session
from coach.core.text import clean_line
from tests.conftest import SESSIONS

counts = st.decimals(min_value="0.5", max_value="12", places=1).map(str)
zero_or_counts = st.one_of(st.just("0"), counts)
ratios = st.one_of(
    st.tuples(counts, counts),
    st.tuples(counts, zero_or_counts, counts),
    st.tuples(counts, zero_or_counts, counts, zero_or_counts),
).flatmap(lambda parts: st.sampled_from(["-", ":", " : "]).map(lambda sep: sep.join(parts)))
units = st.sampled_from([0.5, 1, 1.5, 2, 3])
titles = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                 max_size=80).filter(lambda t: 0 < len(clean_line(t)) <= 80)


def breathing_of(session) -> BreatheStep:
    (step,) = [s for s in session.steps if isinstance(s, BreatheStep)]
    return step


@given(title=titles, ratio=ratios, unit=units,
       length=st.one_of(st.builds(lambda m: ("--minutes", m),
                                  st.floats(min_value=0.1, max_value=120)),
                        st.builds(lambda c: ("--cycles", c), st.integers(1, 300))))
def test_every_file_coach_new_writes_loads_to_the_session_asked_for(title, ratio, unit,
                                                                     length) -> None:
    try:
        pattern = parse_ratio(ratio, unit)
    except ValueError:
        assume(False)  # a phase coach cannot pace: `coach new` refuses it (tested below)
    option, value = length
    cycles = value if option == "--cycles" else max(1, round(value * 60 / pattern.cycle_seconds))
    assume(cycles * pattern.cycle_seconds < 3.9 * 3600)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.toml"
        # `--title=` so that a title starting with "-" is not read as an option.
        assert main(["new", str(path), f"--title={title}", "--pattern", ratio,
                     "--unit", str(unit), option, str(value)]) == 0
        session = read_session(path)
    assert session.title == clean_line(title)
    step = breathing_of(session)
    assert step.pattern == pattern
    assert step.cycles == cycles
    assert step.ramp_to is None
    assert bool(session.caution) == (pattern.hold > 0 or pattern.rest > 0
                                     or pattern.cycle_seconds < FAST_BELOW_SECONDS)


def test_the_defaults_are_five_minutes_of_hold_free_four_six() -> None:
    session = parse_session(session_toml(session_document(NewSession("Calm"))))
    step = breathing_of(session)
    assert (step.pattern.inhale, step.pattern.exhale, step.pattern.hold) == (4, 6, 0)
    assert step.cycles == 30
    assert not session.caution
    assert session.summary == "Paced breathing: in 4 s, out 6 s. About 6 min."


def test_the_file_says_where_the_reference_is() -> None:
    text = session_toml(session_document(NewSession("Calm", "4-7-8")))
    head = text.split("format = 1")[0]
    assert "docs/session-format.md" in head and "coach validate" in head
    assert all(line.startswith("#") for line in head.splitlines())
    assert 'ratio = "4:7:8"' in text  # the counts as the user gave them, not seconds
    caution = tomllib.loads(text)["caution"]
    assert caution.startswith("This pattern holds the breath.")
    assert "breaths a minute" not in caution


@pytest.mark.parametrize(("new", "words"), [
    (NewSession(""), "--title must not be empty"),
    (NewSession("\x1b\x07 \n"), "--title must not be empty"),
    (NewSession("x" * 81), "--title is 81 characters long"),
    (NewSession("A", "4-7-8-9-1"), "--pattern: '4-7-8-9-1' is not a pattern"),
    (NewSession("A", "4-0.2"), "--pattern: exhale would last 0.2 s"),
    (NewSession("A", "60-60", unit=60), "--pattern: inhale would last 3,600 s; a phase lasts"),
    (NewSession("A", "1999-4", unit=0.5), "--pattern: inhale would last 999.5 s; a phase"),
    (NewSession("A", "4-6", unit=0.01), "--unit must be between 0.1 and 60, not 0.01"),
    (NewSession("A", "4-6", unit=math.nan), "--unit must be between"),
    (NewSession("A", minutes=0), "--minutes must be between 0.1 and 240, not 0"),
    (NewSession("A", cycles=5000), "--cycles must be between 1 and 2000"),
    (NewSession("A", minutes=3, cycles=3), "give --minutes or --cycles, not both"),
])
def test_bad_options_are_named(new, words) -> None:
    with pytest.raises(ValueError) as caught:
        session_document(new)
    assert words in str(caught.value)


@pytest.mark.parametrize(("title", "name"), [
    ("4-6 calm", "4-6-calm"),
    ("Évening wind-down, part 2!", "evening-wind-down-part-2"),
    ("  --  ", "session"),
    ("呼吸", "呼吸"),
    ("日本語 セッション", "日本語-セッション"),
    ("デ ﬁne", "デ-fine"),
    ("Дыхание: 4-6", "дыхание-4-6"),
    ("../../etc/passwd", "etc-passwd"),
    ("a" * 100, "a" * 48),
])
def test_file_names_come_from_titles(title, name) -> None:
    assert slug(title) == name


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.toml")), ids=lambda p: p.stem)
def test_a_copy_of_any_bundled_session_is_valid(path) -> None:
    template = tomllib.loads(path.read_text("utf-8"))
    original = read_session(path)
    copy = parse_session(session_toml(document_from(template, NewSession("Mine"))))
    assert copy.title == "Mine"
    assert copy.steps == original.steps and copy.cues == original.cues
    changed = parse_session(session_toml(document_from(
        template, NewSession("Mine", "5-5", cycles=7))))
    for step in changed.steps:
        if isinstance(step, BreatheStep):
            assert step.pattern == parse_ratio("5-5") and step.cycles == 7
            assert step.ramp_to is None


def test_a_copy_given_holds_gets_a_caution() -> None:
    template = tomllib.loads((SESSIONS / "coherent.toml").read_text("utf-8"))
    template.pop("caution", None)
    doc = document_from(template, NewSession("Mine", "4-4-4-4"))
    assert doc["caution"].startswith("This pattern holds the breath.")


def test_fast_breathing_gets_a_caution_and_resting_pace_does_not() -> None:
    fast = parse_session(session_toml(session_document(NewSession("Quick", "1-1"))))
    assert "30 breaths a minute" in fast.caution and "stop and breathe normally" in fast.caution
    assert "holds the breath" not in fast.caution
    both = session_document(NewSession("Quick box", "1-1-1-1", unit=0.75))
    assert "holds the breath" in both["caution"] and "20 breaths a minute" in both["caution"]
    assert both["caution"].count("stop and breathe normally") == 1
    assert not parse_session(session_toml(session_document(NewSession("Sigh", "1:0:3")))).caution


def test_a_copy_made_fast_says_so_beside_the_templates_caution() -> None:
    template = tomllib.loads((SESSIONS / "box.toml").read_text("utf-8"))
    doc = document_from(template, NewSession("Quick box", "1-1-1-1", unit=0.5))
    assert doc["caution"].endswith(template["caution"])
    assert "30 breaths a minute" in doc["caution"]


def test_a_copy_of_a_coach_new_session_gets_the_caution_of_its_new_breath() -> None:
    fast = session_document(NewSession("Quick", "1-1"))
    assert "30 breaths a minute" in fast["caution"]
    held = document_from(fast, NewSession("Held", "4-7-8"))
    assert held["caution"] == caution_for(parse_ratio("4-7-8"))  # holds, and not fast
    faster = document_from(fast, NewSession("Quicker", "1-1", unit=0.75))
    assert "40 breaths a minute" in faster["caution"] and "30 breaths" not in faster["caution"]
    calm = document_from(fast, NewSession("Calm", "4-6"))
    assert "caution" not in calm


def test_a_hand_written_caution_is_kept_with_what_the_new_breath_needs_before_it() -> None:
    template = tomllib.loads((SESSIONS / "coherent.toml").read_text("utf-8"))
    template["caution"] = "Go gently."
    doc = document_from(template, NewSession("Mine", "4-4-4-4"))
    assert doc["caution"].startswith("This pattern holds the breath.")
    assert doc["caution"].endswith("Go gently.")


def test_own_sounds_are_named_as_written() -> None:
    template = {"cues": {"start": "chime.wav", "end": "bowl",
                         "phases": {"inhale": "sounds/in.wav"}}}
    assert own_sounds(template) == ["chime.wav", "sounds/in.wav"]
    assert document_from(template, NewSession("Mine"))["cues"] == template["cues"]


def test_writing_never_leaves_half_a_file(tmp_path) -> None:
    target = tmp_path / "s.toml"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, b"new", backup=tmp_path / "s.toml.bak")
    assert target.read_text() == "new" and (tmp_path / "s.toml.bak").read_text() == "old"
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(FileExistsError):
        write_atomically(target, b"newer", replace=False)
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml", "s.toml.bak"]


def _breaths(doc: dict) -> list[BreatheStep]:
    return [step for step in parse_session(session_toml(doc)).steps
            if isinstance(step, BreatheStep)]


@pytest.mark.parametrize("name", ["relaxing-breath", "box", "extended-exhale"])
def test_a_copy_with_only_a_new_unit_keeps_its_counts(name) -> None:
    template = tomllib.loads((SESSIONS / f"{name}.toml").read_text("utf-8"))
    (original,) = _breaths(template)
    (copy,) = _breaths(document_from(template, NewSession("Slower", unit=2)))
    start, end = original.pattern_of_cycle(0), original.pattern_of_cycle(original.cycles - 1)
    assert copy.pattern_of_cycle(0).cycle_seconds == 2 * start.cycle_seconds
    assert copy.pattern_of_cycle(copy.cycles - 1).exhale == 2 * end.exhale
    assert copy.pattern_of_cycle(0).hold == 2 * start.hold


def test_a_unit_too_short_for_a_copy_names_the_unit() -> None:
    template = tomllib.loads((SESSIONS / "relaxing-breath.toml").read_text("utf-8"))
    with pytest.raises(ValueError, match="^--unit: inhale would last 0.4 s"):
        document_from(template, NewSession("Quick", unit=0.1))
    with pytest.raises(ValueError, match="^--unit: "):
        session_document(NewSession("Quick", unit=0.1))
