"""`coach --plain`: the same session as lines of text, ratings as prompts, on a real store."""

from __future__ import annotations

import io

from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.schedule import Timeline
from coach.core.settings import Settings, load_settings, save_settings
from coach.core.store import Outcome, Store
from coach.plain import WrappedLines, ask_pain, choose, phase_line, play, run_plain
from tests.helpers import ManualClock


def answers(*replies: str):
    queue = list(replies)
    return lambda prompt: queue.pop(0)


def test_ask_pain_repeats_until_it_gets_a_number_or_a_skip() -> None:
    out = io.StringIO()
    assert ask_pain(answers("eleven", "11", " 4 "), out) == 4
    assert out.getvalue().count("whole number from 0 to 10") == 2
    assert ask_pain(answers(""), out) is None


def test_play_prints_one_line_per_phase_from_the_clock() -> None:
    library = load_library(find_places())
    entry = library.find("box")
    timeline = Timeline(entry.session)
    clock = ManualClock()
    out = io.StringIO()
    # The wait moves the clock as far as asked: a whole session in no time.
    outcome, practised = play(entry, out, clock=clock, wait=clock.advance)
    assert outcome == Outcome.COMPLETED and practised == timeline.total
    lines = [line for line in out.getvalue().splitlines() if line.startswith("[")]
    assert len(lines) == len(timeline.phases)
    assert lines[0] == "[0:00] Get ready · 8 s"
    assert lines[2].endswith("Breathe in · 4 s · breath 1 of 15")


def test_each_text_follows_its_phase_line_and_a_breath_says_its_text_once() -> None:
    library = load_library(find_places())
    for name in ("back-scan", "box"):
        timeline = Timeline(library.find(name).session)
        clock = ManualClock()
        out = io.StringIO()
        play(library.find(name), out, clock=clock, wait=clock.advance)
        lines = [line for line in out.getvalue().splitlines() if not line.startswith("Step")]
        for phase in timeline.phases:
            if phase.text and phase.region:  # a scan: the text of each region after its line
                at = next(i for i, line in enumerate(lines) if f"· {phase.region} ·" in line)
                assert lines[at + 1] == f"  {phase.text}"
        texts = {phase.text for phase in timeline.phases if phase.text}
        assert sorted(line[2:] for line in lines if line.startswith("  ")) == sorted(texts)
        assert lines[1].startswith("  Settle in")  # the text of getting ready


def test_phase_line_names_the_region() -> None:
    entry = load_library(find_places()).find("back-scan")
    timeline = Timeline(entry.session)
    focus = next(p for p in timeline.phases if p.region)
    assert f"Notice · {focus.region}" in phase_line(timeline.position_at(focus.start))


def test_run_plain_stores_both_ratings(monkeypatch) -> None:
    places = find_places()
    library = load_library(places)
    out = io.StringIO()
    clock = ManualClock()
    monkeypatch.setattr("coach.plain.play", lambda entry, out: play(entry, out, clock,
                                                                      clock.advance))
    assert run_plain(library, library.find("calm-breathing"), places, out,
                     answers("", "6", "4")) == 0  # Enter after the first-run notice
    assert "6 → 4: 2 points less pain (33 %)" in out.getvalue()
    with Store.open(places.database) as store:
        (run,) = store.runs()
    assert (run.outcome, run.pain_before, run.pain_after) == (Outcome.COMPLETED, 6, 4)


def test_run_plain_asks_the_extra_questions_and_the_note_set_in_the_settings(
        monkeypatch) -> None:
    places = find_places()
    save_settings(places.settings, Settings(notice_seen=True, dimensions=("unpleasantness",
                                                                          "stress"),
                                            ask_note=True))
    entry = load_library(places).find("calm-breathing")
    clock = ManualClock()
    monkeypatch.setattr("coach.plain.play", lambda entry, out: play(entry, out, clock,
                                                                      clock.advance))
    replies = iter(["6", "7", "", "4", "5", "3", " eased \x1b[2J off "])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    assert run_plain(None, entry, places, io.StringIO(), ask) == 0
    assert [prompt.split("?")[0] for prompt in asked[:3]] == [
        "How much pain do you feel right now", "How unpleasant or distressing is the pain",
        "How stressed do you feel"]
    assert asked[-1].startswith("A short note")
    with Store.open(places.database) as store:
        (run,) = store.runs()
    assert (run.pain_before, dict(run.extras_before)) == (6, {"unpleasantness": 7})
    assert (run.pain_after, dict(run.extras_after)) == (4, {"unpleasantness": 5, "stress": 3})
    assert run.note == "eased [2J off"


def test_run_plain_keeps_the_pain_after_if_the_extra_questions_are_cut_short(
        monkeypatch) -> None:
    places = find_places()
    save_settings(places.settings, Settings(notice_seen=True, dimensions=("stress",)))
    entry = load_library(places).find("calm-breathing")
    clock = ManualClock()
    monkeypatch.setattr("coach.plain.play", lambda entry, out: play(entry, out, clock,
                                                                      clock.advance))
    replies = iter(["", "3"])  # pain before skipped (so no stress question), pain after 3

    def ask(prompt: str) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None  # Ctrl-D at the stress question after

    assert run_plain(None, entry, places, io.StringIO(), ask) == 0
    with Store.open(places.database) as store:
        (run,) = store.runs()
    assert (run.pain_before, dict(run.extras_before), run.pain_after) == (None, {}, 3)


def test_the_first_run_notice_is_shown_once(monkeypatch) -> None:
    places = find_places()
    entry = load_library(places).find("calm-breathing")
    clock = ManualClock()
    monkeypatch.setattr("coach.plain.play", lambda entry, out: play(entry, out, clock,
                                                                      clock.advance))
    first, second = io.StringIO(), io.StringIO()
    assert run_plain(None, entry, places, first, answers("", "", "")) == 0
    assert "not medical advice" in first.getvalue()
    assert "Get urgent help for: numbness around the genitals" in first.getvalue()
    assert load_settings(places.settings)[0].notice_seen
    assert run_plain(None, entry, places, second, answers("", "")) == 0
    assert "medical advice" not in second.getvalue()


def test_ctrl_c_in_a_closing_open_silence_completes_the_session() -> None:
    entry = load_library(find_places()).find("open-sitting")
    total = Timeline(entry.session).total
    clock = ManualClock()

    def wait(seconds: float) -> None:
        clock.advance(seconds)
        if clock.now - 1000 > total + 120:  # two minutes into the open silence
            raise KeyboardInterrupt

    outcome, practised = play(entry, io.StringIO(), clock=clock, wait=wait)
    assert outcome == Outcome.COMPLETED and practised > total


def test_ctrl_c_before_the_end_is_ending_early() -> None:
    entry = load_library(find_places()).find("box")
    clock = ManualClock()

    def wait(seconds: float) -> None:
        clock.advance(seconds)
        if clock.now - 1000 > 60:
            raise KeyboardInterrupt

    assert play(entry, io.StringIO(), clock=clock, wait=wait)[0] == Outcome.ENDED_EARLY


def test_choosing_asks_again_after_a_number_not_on_the_list() -> None:
    library = load_library(find_places())
    out = io.StringIO()
    assert choose(library, answers("99", "two", "3"), out) is not None
    assert out.getvalue().count("Please give a number from 1 to") == 2
    assert choose(library, answers(""), out) is None


def test_lines_are_broken_between_words_at_the_terminal_width() -> None:
    screen = io.StringIO()
    out = WrappedLines(screen, 30)
    print("Caution: breath holds are not for everyone with asthma.", file=out)
    print("  Let the breath find its own pace, slow and easy.", file=out)
    print("[0:04] Breathe in · 4 s", file=out)
    print("", file=out)
    assert screen.getvalue() == (
        "Caution: breath holds are not\nfor everyone with asthma.\n"
        "  Let the breath find its own\n  pace, slow and easy.\n"
        "[0:04] Breathe in · 4 s\n\n")


def test_a_long_prompt_is_broken_the_same_way_and_answered_on_its_last_line() -> None:
    screen = io.StringIO()
    out = WrappedLines(screen, 30)
    prompts: list[str] = []
    ask = out.asking(lambda prompt: prompts.append(prompt) or "5")
    assert ask_pain(ask, out) == 5
    assert ask("\nPress Enter when you have read it. ") == "5"
    assert screen.getvalue() == ("How much pain do you feel\nright now? 0 (no pain) to 10\n"
                                 "(worst pain imaginable), Enter\n"
                                 "\nPress Enter when you have read\n")
    assert prompts == ["to skip: ", "it. "]
