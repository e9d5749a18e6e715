"""Every validation rule: one bad file each, with the line and field in the message."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from coach.core.model import BreatheStep, GuideStep, Pattern, PhaseKind
from coach.core.sessionfile import SessionError, parse_ratio, parse_session, read_session

BASE = """\
format = 1
title = "Test"
summary = "A test session."
tags = ["breathing"]
prepare = 5

[cues]
start = "bowl"
phases = { inhale = "rise", exhale = "fall" }

[[steps]]
kind = "guide"
seconds = 10
text = "Settle."

[[steps]]
kind = "breathe"
pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }
cycles = 2
"""

SCAN = '\n[[steps]]\nkind = "scan"\nseconds = 20\nregions = ["feet", "calves"]\n'
RELAX = '\n[[steps]]\nkind = "relax"\nrelease = 20\nregions = ["calves"]\n'
SILENCE = '\n[[steps]]\nkind = "silence"\nminutes = 1\nprompts = [{ at = 30, text = "Back." }]\n'


def problems_of(text: str, base_dir: Path | None = None) -> list[str]:
    with pytest.raises(SessionError) as caught:
        parse_session(text, "t.toml", base_dir)
    return [str(p) for p in caught.value.problems]


def edit(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def test_base_is_valid() -> None:
    session = parse_session(BASE, "t.toml")
    assert session.title == "Test"
    assert isinstance(session.steps[0], GuideStep)
    assert session.steps[1] == BreatheStep(Pattern(4, 4, hold=4, rest=4), cycles=2)
    assert session.seconds == 5 + 10 + 32


CASES = [
    # (text, line, field, words in the message)
    (edit("format = 1", "format = 2"), 1, "format", "must be 1"),
    (edit('title = "Test"\n', ""), 1, "title", "missing"),
    (edit('title = "Test"', "title = 5"), 2, "title", "must be text, not a whole number"),
    (edit('title = "Test"', "title = 1979-05-27"), 2, "title", "not a date or time"),
    (edit('title = "Test"', 'title = "' + "x" * 81 + '"'), 2, "title", "limit is 80"),
    (edit('title = "Test"', 'title = "  "'), 2, "title", "must not be empty"),
    (edit('summary = "A test session."', 'summary = "' + "x" * 401 + '"'), 3, "summary",
     "limit is 400"),
    (edit('tags = ["breathing"]', 'tags = "breathing"'), 4, "tags", "must be a list of text"),
    (edit('tags = ["breathing"]', "tags = [" + ",".join(['"a"'] * 11) + "]"), 4, "tags",
     "limit is 10"),
    (edit('tags = ["breathing"]', 'tags = ["ok", ""]'), 4, "tags[2]", "a word or two"),
    (edit('tags = ["breathing"]', 'tags = ["' + "t" * 25 + '"]'), 4, "tags[1]", "at most 24"),
    (edit("prepare = 5", "prepare = -1"), 5, "prepare", "between 0 and 120"),
    (edit("prepare = 5", "prepare = nan"), 5, "prepare", "finite"),
    (edit("prepare = 5", "prepare = inf"), 5, "prepare", "finite"),
    (edit("prepare = 5", "prepare = 5\ntitel = 'x'"), 6, "titel", "did you mean 'title'?"),
    (edit("prepare = 5", "prepare = 5\nzzz = 1"), 6, "zzz", "allowed: format, title"),
    (edit('start = "bowl"', 'start = "gong"'), 8, "cues.start", "unknown sound 'gong'"),
    (edit('start = "bowl"', 'start = "bel"'), 8, "cues.start", "did you mean 'bell'?"),
    (edit('start = "bowl"', 'start = "../x.wav"'), 8, "cues.start", "relative to the session"),
    (edit('start = "bowl"', 'start = "/etc/x.wav"'), 8, "cues.start", "relative to the session"),
    (edit('exhale = "fall"', 'exale = "fall"'), 9, "cues.phases.exale", "did you mean 'exhale'?"),
    (edit('start = "bowl"', 'start = "bowl"\ninterval = { every = 5, sound = "bell" }'), 9,
     "cues.interval.every", "between 10 and 3600"),
    (edit('start = "bowl"', 'start = "bowl"\ninterval = { every = 60 }'), 9,
     "cues.interval.sound", "missing"),
    (edit('start = "bowl"', "start = 3"), 8, "cues.start", "must be text"),
    (edit("[cues]", "cues = 3\n[other]"), 7, "cues", "must be a table"),
    (edit('kind = "guide"', 'kind = "guid"'), 12, "steps[1].kind", "did you mean 'guide'?"),
    (edit('kind = "guide"\n', ""), 11, "steps[1]", "missing 'kind'"),
    (edit('text = "Settle."', 'text = "Settle your {regoin}."'), 14, "steps[1].text",
     "{regoin} is not filled in by coach; did you mean {region}? The one placeholder"),
    (edit("seconds = 10", "seconds = 10\nminutes = 1"), 14, "steps[1].minutes",
     "give only one of seconds, minutes"),
    (edit("seconds = 10\n", ""), 11, "steps[1]", "give one of seconds, minutes"),
    (edit('text = "Settle."\n', ""), 11, "steps[1].text", "missing"),
    (edit("seconds = 10", "seconds = 0"), 13, "steps[1].seconds", "between 1 and 14400"),
    (edit("exhale = 4,", "exhale = 0.2,"), 18, "steps[2].pattern.exhale",
     "between 0.5 and 600 seconds, not 0.2"),
    (edit("hold = 4,", "hold = 700,"), 18, "steps[2].pattern.hold",
     "0 (to leave it out) or between 0.5 and 600"),
    (edit("inhale = 4, ", ""), 18, "steps[2].pattern.inhale", "missing"),
    (edit("pattern = {", "pattern = { inhale_ = 1,"), 18, "steps[2].pattern.inhale_",
     "did you mean 'inhale'?"),
    (edit("cycles = 2", 'cycles = 2\nratio = "4:4"'), 20, "steps[2].ratio",
     "give only one of pattern, ratio"),
    (edit("pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }", 'ratio = "4/7/8"'), 18,
     "steps[2].ratio", 'must look like "4:7:8"'),
    (edit("pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }", 'ratio = "4:700:8"'), 18,
     "steps[2].ratio", "hold would last 700 s"),
    (edit("pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }",
          'ratio = "4:8"\nunit = 0'), 19, "steps[2].unit", "between 0.1 and 60"),
    (edit("cycles = 2", "cycles = 0"), 19, "steps[2].cycles", "between 1 and 2000"),
    (edit("cycles = 2", "cycles = 2.5"), 19, "steps[2].cycles",
     "must be a whole number, not 2.5"),
    (edit("cycles = 2", "cycles = true"), 19, "steps[2].cycles", "not true/false"),
    (edit("cycles = 2", "minutes = 2\nto = { exhale = 8 }"), 20, "steps[2].to",
     "a ramp needs cycles"),
    (edit("cycles = 2", "cycles = 2\nto = { exhale = 0 }"), 20, "steps[2].to.exhale",
     "between 0.5 and 600"),
    (edit("cycles = 2", "cycles = 2000\nto = { exhale = 600 }"), 11, "steps",
     "the limit is 4 hours"),
    (BASE.replace("minutes = 1", "") + SILENCE.replace("minutes = 1", "open = true") + SCAN, 23,
     "steps[3].open", "must be the last step"),
    (BASE + SILENCE.replace("open", "x").replace("minutes = 1", "open = false"), 23,
     "steps[3].open", "open = false means nothing"),
    (BASE + SILENCE.replace("at = 30", "at = 90"), 24, "steps[3].prompts[1].at",
     "comes after the silence ends"),
    (BASE + SILENCE.replace("prompts = [{ at = 30, ", "prompts = [{ "), 24,
     "steps[3].prompts[1].at", "missing"),
    (BASE + SCAN.replace('regions = ["feet", "calves"]', ""), 21, "steps[3].regions",
     "missing"),
    (BASE + SCAN.replace('["feet", "calves"]', "[]"), 24, "steps[3].regions",
     "at least 1"),
    (BASE + SCAN.replace('"calves"', '""'), 24, "steps[3].regions[2]", "needs a name"),
    (BASE + SCAN.replace('"calves"', "{ nam = 'x' }"), 24, "steps[3].regions[2].nam",
     "did you mean 'name'?"),
    (BASE + RELAX.replace("release = 20", "release = 20\ntense = 1"), 24, "steps[3].tense",
     "0 (to leave it out) or between 2 and 15"),
    (edit('title = "Test"', 'title = "x'), 2, "(syntax)", "not closed on this line"),
    (edit('title = "Test"', 'title = "Test"\ntitle = "Again"'), 3, "title", "given twice"),
    (edit("[cues]", "[cues]\n[cues]"), 8, "[cues]", "this table appears twice"),
    (BASE + "\n[[steps]]\n", 21, "steps[3]", "missing 'kind'"),
    (BASE + "\n[[steps]]\nkind = 7\n", 22, "steps[3].kind", "unknown step kind"),
]


@pytest.mark.parametrize(("text", "line", "field", "words"), CASES)
def test_each_rule_names_line_and_field(text: str, line: int, field: str, words: str) -> None:
    found = problems_of(text)
    expected = f"t.toml:{line}: {field}: "
    assert any(p.startswith(expected) and words in p for p in found), found


def test_all_problems_are_reported_at_once() -> None:
    text = edit("format = 1", "format = 3")
    text = edit("cycles = 2", "cycles = 0", text)
    text = edit('start = "bowl"', 'start = "gong"', text)
    assert len(problems_of(text)) == 3


def test_steps_must_not_be_empty() -> None:
    text = 'format = 1\ntitle = "T"\nsummary = "S"\nsteps = []\n'
    assert problems_of(text) == ["t.toml:4: steps: needs at least 1 item(s)"]


def test_hold_of_zero_leaves_the_phase_out() -> None:
    session = parse_session(edit("hold = 4,", "hold = 0,"), "t.toml")
    step = session.steps[1]
    assert isinstance(step, BreatheStep)
    assert [k for k, _ in step.pattern.phases()] == [
        PhaseKind.INHALE, PhaseKind.EXHALE, PhaseKind.REST]


@pytest.mark.parametrize(("ratio", "unit", "expected"), [
    ("4:7:8", 1.0, Pattern(4, 8, hold=7)),
    ("4-7-8", 0.5, Pattern(2, 4, hold=3.5)),
    ("4:6", 1.0, Pattern(4, 6)),
    ("4:0:6:0", 1.0, Pattern(4, 6)),
    ("4:4:4:4", 1.0, Pattern(4, 4, hold=4, rest=4)),
])
def test_ratio_times_unit(ratio: str, unit: float, expected: Pattern) -> None:
    assert parse_ratio(ratio, unit) == expected


def test_minutes_round_to_whole_breaths() -> None:
    text = edit("pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }\ncycles = 2",
                "pattern = { inhale = 4, exhale = 6 }\nminutes = 1.04")
    step = parse_session(text).steps[1]
    assert isinstance(step, BreatheStep) and step.cycles == 6 and step.seconds == 60


def test_text_is_cleaned_of_control_characters_but_markup_stays() -> None:
    text = edit('title = "Test"', r'title = "\u001b[2J[bold red]Hi[/] \u0007x\u009b"')
    assert parse_session(text).title == "[2J[bold red]Hi[/] x"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", BASE.encode().replace(b"Settle.", b"Sett\xffle."))
    with pytest.raises(SessionError) as caught:
        read_session(path)
    assert str(caught.value).startswith(f"{path}:14: (file): not UTF-8 text (byte 0xff")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    session = read_session(write(tmp_path / "bom.toml", b"\xef\xbb\xbf" + BASE.encode()))
    assert session.id == "bom" and session.path == tmp_path / "bom.toml"


def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.toml", BASE.encode() + b"#" * 1_000_001)
    with pytest.raises(SessionError, match="the limit is 1,000,000"):
        read_session(path)


def test_a_directory_is_not_a_session(tmp_path: Path) -> None:
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(SessionError, match="not a regular file"):
        read_session(tmp_path / "dir.toml")


def test_deep_nesting_is_a_message_not_a_crash() -> None:
    assert "(syntax)" in problems_of("x = " + "[" * 5000 + "]" * 5000)[0]


def make_wav(path: Path, rate: int = 22050, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(b"\x00" * width * 100)
    return path


def test_own_wav_beside_the_session_is_accepted(tmp_path: Path) -> None:
    make_wav(tmp_path / "gong.wav")
    path = write(tmp_path / "s.toml", edit('start = "bowl"', 'start = "gong.wav"').encode())
    assert read_session(path).cues.start == tmp_path / "gong.wav"


@pytest.mark.parametrize(("setup", "words"), [
    (lambda d: None, "no such file: gong.wav"),
    (lambda d: (d / "gong.wav").mkdir(), "not a regular file"),
    (lambda d: (d / "gong.wav").write_bytes(b"not a wav at all"), "not a WAV file"),
    (lambda d: make_wav(d / "gong.wav", rate=96000), "rate of 96000 Hz"),
    (lambda d: make_wav(d / "gong.wav", width=3), "24-bit samples"),
    (lambda d: (d / "gong.wav").write_bytes(b"RIFF" + b"\x00" * 5_000_001), "larger than 5 MB"),
    (lambda d: (d / "gong.wav").symlink_to("/dev/zero"), "not a regular file"),
])
def test_bad_own_wav_is_a_validation_error(tmp_path: Path, setup, words: str) -> None:
    setup(tmp_path)
    path = write(tmp_path / "s.toml", edit('start = "bowl"', 'start = "gong.wav"').encode())
    with pytest.raises(SessionError) as caught:
        read_session(path)
    assert f"{path}:8: cues.start: " in str(caught.value) and words in str(caught.value)


def test_a_ramp_from_zero_cannot_pass_through_too_short_phases() -> None:
    text = edit("pattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }\ncycles = 2",
                "pattern = { inhale = 4, exhale = 4 }\nto = { hold = 4 }\ncycles = 20")
    assert problems_of(text) == [
        "t.toml:19: steps[2].to: in breath 2, hold would last 0.211 s; a phase lasts "
        "0.5 to 600 s"]


def test_problems_come_in_file_order() -> None:
    text = ('format = 1\nsummary = "s"\ntag = ["a"]\n\n[[steps]]\nkind = "guide"\n'
            'seconds = 2.5e9\ntext = "x"\n\n[[steps]]\nkind = "breathe"\ncycles = 2.5\n'
            'pattern = { inhale = 4, exhale = 4 }\n')
    with pytest.raises(SessionError) as raised:
        parse_session(text)
    lines = [problem.line for problem in raised.value.problems]
    assert len(lines) >= 3 and lines == sorted(lines)


def test_a_whole_count_written_with_a_decimal_point_is_told_so() -> None:
    text = ('format = 1\ntitle = "T"\nsummary = "s"\n\n[[steps]]\nkind = "breathe"\n'
            'cycles = 2.0\npattern = { inhale = 4, exhale = 4 }\n')
    with pytest.raises(SessionError) as raised:
        parse_session(text)
    assert raised.value.problems[0].message == "must be a whole number, not 2.0"


@pytest.mark.parametrize(("text", "expected"), [
    # The end of a long text may hold "word = ": that is not the key given twice.
    ('summary = """A.\nBreath = slow"""\nsummary = """B.\nnote = x"""\n',
     "t.toml:4: (syntax): a key is given twice in one table"),
    ("title = 'abc\nsummary = \"don't\"\n", "t.toml:1: (syntax): a '…' text is not closed"),
    ("format = 1\ntitle = 'x", "t.toml:2: (syntax): a '…' text is not closed"),
])
def test_toml_slips_are_named_where_they_are(text: str, expected: str) -> None:
    (problem,) = problems_of(text)
    assert problem.startswith(expected), problem


def test_a_session_just_past_the_limit_is_not_said_to_last_the_limit() -> None:
    text = ('format = 1\ntitle = "T"\nsummary = "S"\nprepare = 0\n'
            '[[steps]]\nkind = "guide"\nseconds = 14399.5\ntext = "a"\n'
            '[[steps]]\nkind = "guide"\nseconds = 1\ntext = "b"\n')
    assert "would last 4 h 0 min 1 s; the limit is 4 hours" in " ".join(problems_of(text))
