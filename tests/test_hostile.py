"""The hostile corpus (tests/hostile/) through `coach validate`, `coach list` and the app.

Every file gets a `file:line: field: message` or, if it is valid but hostile, is shown inert:
no markup interpreted and no control character reaching the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.cli import main
from coach.core.sessionfile import SessionError, parse_session, read_session
from coach.core.text import cells, shortened, visible
from coach.core.wav import wav_problem
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.notice import NoticeScreen
from coach.ui.screens.rating import RatingScreen
from coach.ui.widgets.session_details import SessionDetails
from tests.helpers import COACH, ManualClock, make_app, player_of
from tests.hostile.make import BIG, HOSTILE_NAME, build, committed, write_wav
from tests.test_sessionfile import BASE

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the terminal from a file: C0 (but tab and newline), DEL, C1, bidi."""

EXPECT = {
    # name: what follows `path:` in the first matching message; None for valid-but-hostile.
    "empty.toml": "1: format: missing; it is required",
    "inert-bom.toml": None,
    "inert-crlf.toml": None,
    "inert-escapes-everywhere.toml": None,
    "inert-markup-everywhere.toml": None,
    "inert-unicode.toml": None,
    "latin1.toml": "8: (file): not UTF-8 text (byte 0xe9 at offset 85)",
    "numbers-beyond-float.toml": "4: prepare: must be between 0 and 120 seconds, not a 400-digit",
    "numbers-huge.toml": "14: steps[2].cycles: must be between 1 and 2000, not a 19-digit number",
    "numbers-nan-inf.toml": "16: steps[2].pattern.exhale: must be a finite number, not nan",
    "numbers-negative.toml": "8: steps[1].seconds: must be between 1 and 14400 seconds, not -10",
    "numbers-ramp-extremes.toml": "5: steps: the session would last 1166 h 49 min 25 s",
    "numbers-ratio-extremes.toml": "17: steps[3].ratio: inhale would last inf s",
    "numbers-tiny.toml": "8: steps[1].seconds: must be between 1 and 14400 seconds, not 4.94",
    "numbers-too-many-digits.toml": "7: (syntax): a number has too many digits",
    "sound-absolute-device-wav.toml": "6: cues.start: a sound file must be given relative",
    "sound-absolute-device.toml": "6: cues.start: unknown sound '/dev/zero'",
    "sound-dangling-symlink.toml": "6: cues.start: no such file: dangling.wav",
    "sound-dev-random.toml": "6: cues.start: random.wav is not a regular file",
    "sound-dev-zero.toml": "6: cues.start: zero.wav is not a regular file",
    "sound-directory.toml": "6: cues.start: folder.wav is not a regular file",
    "sound-dotdot.toml": "6: cues.start: a sound file must be given relative",
    "sound-empty-wav.toml": "6: cues.start: empty.wav is not a WAV file coach can play",
    "sound-escape-in-name.toml": "6: cues.start: no such file: \\u001b[2J.wav",
    "sound-fifo.toml": "6: cues.start: fifo.wav is not a regular file",
    "sound-long-path.toml": "6: cues.start: cannot read aaaa",
    "sound-markup-name.toml": "6: cues.start: unknown sound '[bold]bowl[/]'",
    "sound-not-wav.toml": "6: cues.start: text.wav is not a WAV file coach can play",
    "sound-nul-in-path.toml": "6: cues.start: a file name cannot hold a NUL character",
    "sound-riff-garbage.toml": "6: cues.start: riff.wav is not a WAV file coach can play",
    "sound-symlink-escape.toml": "6: cues.start: escape.wav leads outside the session's folder",
    "sound-symlink-loop.toml": "6: cues.start: cannot read loop.wav: Too many levels",
    "sound-too-big.toml": "6: cues.start: huge.wav is larger than 5 MB",
    "structure-format-2.toml": "1: format: must be 1, not 2",
    "structure-kind-escape.toml": "6: steps[1].kind: unknown step kind '[2J]52;c;aGk='",
    "structure-open-silence-not-last.toml": "7: steps[1].open: an open-ended silence must be",
    "structure-prompt-after-end.toml": "8: steps[1].prompts[2].at: must be between 0 and 14400",
    "structure-regions-hostile.toml": "8: steps[1].regions[2]: a region needs a name",
    "structure-session-too-long.toml": "5: steps: the session would last 8 h; the limit is 4 hours",
    "structure-steps-empty.toml": "4: steps: needs at least 1 item(s)",
    "structure-tags-hostile.toml": "4: tags[2]: each tag must be a word or two of text",
    "structure-text-only-controls.toml": "2: title: must not be empty",
    "structure-title-too-long-after-cleaning.toml": "2: title: is 162 characters long",
    "structure-unknown-keys.toml": '5: "\\u001b]0;pwned\\u0007": unknown key; allowed: format',
    "syntax-bad-escape.toml": "2: (syntax): not valid TOML: Unescaped '\\' in a string",
    "syntax-bare-word-value.toml": "2: (syntax): not valid TOML: Invalid value",
    "syntax-double-bom.toml": "1: (syntax): not valid TOML: Invalid statement",
    "syntax-duplicate-key.toml": "4: title: given twice; each key once in a table",
    "syntax-duplicate-table.toml": "6: [cues]: this table appears twice; put all its keys",
    "syntax-first-byte.toml": "1: (syntax): not valid TOML: Invalid statement",
    "syntax-key-then-table.toml": "6: steps: given twice; each key once in a table",
    "syntax-last-byte.toml": "9: (syntax): not valid TOML: Expected ']]'",
    "syntax-lone-cr.toml": "1: (syntax): something follows the value on this line",
    "syntax-missing-value.toml": "2: (syntax): not valid TOML: Invalid value",
    "syntax-nul-byte.toml": "8: (syntax): not valid TOML: Illegal character '\\x00'",
    "syntax-only-bom.toml": "1: format: missing; it is required",
    "syntax-raw-del-in-string.toml": "2: (syntax): not valid TOML: Illegal character '\\x7f'",
    "syntax-raw-escape-in-string.toml": "2: (syntax): not valid TOML: Illegal character '\\x1b'",
    "syntax-surrogate-escape.toml": "2: (syntax): not valid TOML: Escaped character is not",
    "syntax-unclosed-array.toml": "6: (syntax): a [ … ] list is not closed: add the closing ]",
    "syntax-unclosed-inline-table.toml": "12: (syntax): not valid TOML: Unclosed inline table",
    "syntax-unclosed-string.toml": '2: (syntax): a "…" text is not closed on this line',
    "syntax-unterminated-multiline.toml": "11: (syntax): not valid TOML: Unterminated string",
    "types-cues.toml": "8: cues.interval: must be a table, not text",
    "types-dates.toml": "2: title: must be text, not a date or time",
    "types-kind.toml": "6: steps[1].kind: unknown step kind '1'",
    "types-step-fields.toml": "30: steps[5].regions[3]: must be a table, not a list",
    "types-steps-a-string.toml": "4: steps: must be a list of tables, not text",
    "types-steps-not-tables.toml": "4: steps[5]: must be a table, not a date or time",
    "types-top-level.toml": "7: cues: must be a table, not a list",
    "utf16-with-bom.toml": "1: (file): not UTF-8 text (byte 0xff at offset 0)",
    "utf8-encoded-surrogate.toml": "8: (file): not UTF-8 text (byte 0xed at offset 84)",
    "utf8-lone-ff.toml": "8: (file): not UTF-8 text (byte 0xff at offset 87)",
    "utf8-overlong.toml": "8: (file): not UTF-8 text (byte 0xc0 at offset 84)",
    "utf8-truncated-at-end.toml": "9: (file): not UTF-8 text (byte 0xe2 at offset 95)",
} | BIG | {HOSTILE_NAME: None}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus laid out once: the big files take a moment to write."""
    folder = tmp_path_factory.mktemp("hostile") / "sessions"
    build(folder)
    return folder


def test_every_committed_file_has_an_expectation() -> None:
    assert sorted(p.name for p in committed()) == sorted(n for n in EXPECT if n not in BIG
                                                         and n != HOSTILE_NAME)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_validate_names_line_and_field(corpus: Path, name: str, capsys) -> None:
    path = corpus / name
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert not UNSAFE.search(out + err)
    assert "Traceback" not in out + err
    if EXPECT[name] is None:
        assert code == 0 and out == f"{visible(str(path))}: ok\n"
        return
    assert code == 1
    lines = out.splitlines()
    assert all(re.match(re.escape(str(path)) + r":\d+: \S.*: .", line) for line in lines), lines
    assert any(line.startswith(f"{path}:{EXPECT[name]}") for line in lines), lines


def test_validate_through_the_installed_script(corpus: Path) -> None:
    # A FIFO or a device read by mistake would block here: the timeout turns that into a failure.
    result = subprocess.run([COACH, "validate", str(corpus)], capture_output=True, text=True,
                            timeout=120, env=os.environ | {"NO_COLOR": "1"})
    assert result.returncode == 1
    assert result.stderr == ""
    assert not UNSAFE.search(result.stdout)
    for name, expected in EXPECT.items():
        shown = visible(str(corpus / name))
        if expected is None:
            assert f"{shown}: ok\n" in result.stdout
        else:
            assert f"{shown}:{expected}" in result.stdout, name
    valid = sum(1 for e in EXPECT.values() if e is None)
    assert result.stdout.endswith(f"{valid} valid, {len(EXPECT) - valid} invalid\n")


@pytest.fixture
def user_corpus(coach_home: Path) -> Path:
    """The corpus as the user's own sessions."""
    build(coach_home / "sessions")
    return coach_home / "sessions"


def test_list_shows_each_file_with_its_first_error(user_corpus: Path, capsys) -> None:
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    assert not UNSAFE.search(out + err) and "Traceback" not in out + err
    table, problems = out.split("\nInvalid files")
    rows = {line.split("  ")[0]: line for line in table.splitlines()}
    for name, expected in EXPECT.items():
        row = rows[visible(name.removesuffix(".toml"))]
        if expected is None:
            assert "INVALID" not in row and "yours" in row
        else:
            assert "INVALID (see below)" in row, row
            assert "  " + visible(str(user_corpus / name)) + ":" in problems, name


def test_list_through_the_installed_script(user_corpus: Path) -> None:
    result = subprocess.run([COACH, "list"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == ""
    assert not UNSAFE.search(result.stdout)
    assert result.stdout.count("INVALID (see below)") == sum(
        1 for e in EXPECT.values() if e is not None)


def screen_text(app) -> list[str]:
    """What the compositor would write to the terminal now, line by line, as text."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_the_library_shows_every_file_inert(user_corpus: Path) -> None:
    app = make_app(ManualClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        mine = [e for e in library.shown if e.path.parent == user_corpus]
        assert sorted(e.path.name for e in mine) == sorted(EXPECT)
        for index, entry in enumerate(library.shown):
            if entry.path.parent != user_corpus:
                continue
            library.query_one("#sessions").highlighted = index
            await pilot.pause()
            details = library.query_one(SessionDetails).render()
            assert not UNSAFE.search(str(details))
            if EXPECT[entry.path.name] is not None:
                assert "this file has problems" in str(details)
                assert f"line {EXPECT[entry.path.name]}" in str(details)
            if entry.path.name == "big-many-unknown-keys.toml":  # 20,000 problems, 30 shown
                assert str(details).count("\n• line ") == 30 and "and 19,970 more" in str(details)
            for line in screen_text(app):
                assert not UNSAFE.search(line), (entry.id, line)
        assert isinstance(app.screen, LibraryScreen)  # nothing quit or moved the app


@pytest.mark.parametrize("name", ["inert-markup-everywhere.toml", "inert-escapes-everywhere.toml",
                                  "inert-unicode.toml", HOSTILE_NAME])
async def test_a_hostile_valid_session_plays_with_its_text_literal(corpus: Path,
                                                                    name: str) -> None:
    session = read_session(corpus / name)
    clock = ManualClock()
    app = make_app(clock, start=str(corpus / name))
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if isinstance(app.screen, NoticeScreen):  # the caution, shown before the session
            seen += screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, RatingScreen)
        await pilot.press("5", "enter")
        await pilot.pause()
        player = player_of(app)
        for phase in player.timeline.phases:
            clock.advance(phase.start + phase.seconds / 2 - player.elapsed())
            player.sample()
            await pilot.pause()
            seen += screen_text(app)
        assert player_of(app) is player  # still playing: no markup action ended it
    for line in seen:
        assert not UNSAFE.search(line), line
    text = "\n".join(seen)
    if name == "inert-markup-everywhere.toml":
        assert "[bold red]L[/] [@click=app.quit]q[/]" in text
        assert "[u]feet[/u]" in text and "[reverse]calves[/]" in text
        assert "$title" in text
    if name == "inert-escapes-everywhere.toml":
        assert "A[2J]52;c;aGk=" in text  # the bytes after ESC, now plain text
    assert session.title[:20] in text


def test_an_unreadable_sound_and_session_as_another_user(tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to make files another user cannot read")
    # pytest's tmp_path is private to root; this folder is open to `nobody`.
    folder = Path(tempfile.mkdtemp(prefix="coach-hostile-"))
    try:
        folder.chmod(0o755)
        write_wav(folder / "private.wav")
        (folder / "private.wav").chmod(0o600)  # root's, unreadable to nobody
        session = folder / "uses-private.toml"
        session.write_text(BASE.replace('start = "bowl"', 'start = "private.wav"'), "utf-8")
        session.chmod(0o644)
        secret = folder / "secret.toml"
        secret.write_text(BASE, "utf-8")
        secret.chmod(0o600)
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", COACH, "validate",
             str(session), str(secret)],
            capture_output=True, text=True, timeout=60,
            env=os.environ | {"COACH_HOME": str(folder / "home")})
    finally:
        shutil.rmtree(folder)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"{session}:8: cues.start: cannot read private.wav: Permission denied" \
        in result.stdout
    assert f"{secret}:1: (file): cannot be read: Permission denied" in result.stdout


SMALL = BASE + '\n[[steps]]\nkind = "silence"\nseconds = 30\nprompts = [{ at = 5, text = "x" }]\n'


@pytest.mark.parametrize("insert", ['"', "[", "=", "\n[[", "{", "\\", "\x00", "\ufeff"])
def test_a_syntax_error_at_every_position(insert: str) -> None:
    lines = SMALL.count("\n") + 1
    for at in range(len(SMALL) + 1):
        try:
            parse_session(SMALL[:at] + insert + SMALL[at:], "t.toml")
        except SessionError as error:
            for problem in error.problems:
                assert 1 <= problem.line <= lines + 1 and problem.field and problem.message
                assert not UNSAFE.search(str(problem))


@pytest.mark.parametrize("depth", [10, 100, 300, 1000, 3000])
@pytest.mark.parametrize("open_, close", [("[", "]"), ("{ a = ", " }")])
def test_nesting_around_the_recursion_limit(depth: int, open_: str, close: str) -> None:
    text = 'format = 1\ntitle = "T"\nsummary = "S"\ntags = ' + open_ * depth + "1" \
        + close * depth + '\n[[steps]]\nkind = "guide"\nseconds = 10\ntext = "x"\n'
    with pytest.raises(SessionError) as caught:
        parse_session(text, "t.toml")
    assert caught.value.problems[0].field.startswith(("tags", "(syntax)"))


@given(st.binary(max_size=200), st.sampled_from([b"", b"RIFF", b"RIFF\x24\x00\x00\x00WAVE",
                                                 b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"]))
def test_any_bytes_as_a_wav_give_a_reason_not_an_exception(data: bytes, head: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.wav"
        path.write_bytes(head + data)
        problem = wav_problem(path)
        assert problem is None or ("x.wav" in problem and not UNSAFE.search(problem))


def test_a_wav_whose_chunk_size_lies(tmp_path: Path) -> None:
    # Found by the fuzz above: wave raises a bare RuntimeError when a chunk's size lies.
    path = tmp_path / "lies.wav"
    path.write_bytes(b"RIFF$\x00\x00\x00WAVE" + b"\x00" * 7 + b"\x01")
    assert wav_problem(path) == "lies.wav is not a WAV file coach can play"


@pytest.mark.parametrize(("text", "width", "shown"), [
    ("Box breathing", 13, "Box breathing"),
    ("Box breathing", 12, "Box breathi…"),
    ("Box breathing", 5, "Box…"),  # no space left before the ellipsis
    ("深呼吸の練習", 7, "深呼吸…"),  # wide characters take two columns each
    ("Box", 0, ""),  # no room at all: not even the ellipsis
])
def test_shortened_fits_its_columns(text: str, width: int, shown: str) -> None:
    assert shortened(text, width) == shown and cells(shortened(text, width)) <= width
