"""The hostile corpus laid out in a folder: the committed files, plus what git can't hold.

Big files are written at test time so the repository stays small; sound fixtures (devices,
a FIFO, symlinks out of the folder) can't be committed at all.
"""

from __future__ import annotations

import os
import shutil
import wave
from pathlib import Path

CORPUS = Path(__file__).parent
HEAD = 'format = 1\ntitle = "T"\nsummary = "S"\n'
GUIDE = '\n[[steps]]\nkind = "guide"\nseconds = 10\ntext = "Settle."\n'
LIMIT = 1_000_000
"""The session file size limit (format.MAX_FILE_BYTES), spelled out so a change is noticed."""


def committed() -> list[Path]:
    """The session files kept in the repository."""
    return sorted(CORPUS.glob("*.toml"))


def write_wav(path: Path, frames: int = 800) -> None:
    """A short, valid 16-bit mono WAV."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * frames)


def _sound_fixtures(folder: Path) -> None:
    """What the sound-*.toml files point at."""
    os.symlink("/dev/zero", folder / "zero.wav")
    os.symlink("/dev/random", folder / "random.wav")
    os.mkfifo(folder / "fifo.wav")
    (folder / "folder.wav").mkdir()
    write_wav(folder.parent / "outside.wav")  # a good WAV, but not in the session's folder
    os.symlink(folder.parent / "outside.wav", folder / "escape.wav")
    os.symlink(folder / "nowhere.wav", folder / "dangling.wav")
    os.symlink(folder / "loop.wav", folder / "loop.wav")
    (folder / "text.wav").write_text("This is not a sound.\n", "utf-8")
    riff_header = b"RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00"
    (folder / "riff.wav").write_bytes(riff_header + b"\xff" * 40)
    (folder / "empty.wav").write_bytes(b"")
    with open(folder / "huge.wav", "wb") as huge:  # sparse: no disk used
        huge.truncate(6_000_000)
    (folder / "sub").mkdir()


BIG = {
    "big-one-string.toml": "4: caution: is 999894 characters long; the limit is 600",
    "big-over-limit.toml": "1: (file): the file is 1,000,001 bytes; the limit is 1,000,000",
    "big-sparse-gigabyte.toml": "1: (file): the file is 1,073,741,824 bytes",
    "big-deep-arrays.toml": "1: (syntax): nested too deeply",
    "big-deep-inline-tables.toml": "1: (syntax): nested too deeply",
    "big-deep-dotted-key.toml": "4: (syntax): a key of more than 32 dotted parts",
    "big-deep-table-header.toml": "9: (syntax): a key of more than 32 dotted parts",
    "big-many-unknown-keys.toml": "10: cues.k0: unknown key; allowed: start, end",
    "big-many-steps.toml": "5: steps: has 201 items; the limit is 200",
    "big-many-prompts.toml": "8: steps[1].prompts: has 20000 items; the limit is 200",
}
"""Generated files too big to commit: name -> what `coach validate` says after `file:`."""
HOSTILE_NAME = "name-\x1b]0;pwned\x07\u202e.toml"
"""A valid session under a file name that would retitle the terminal and reverse the text."""


def _big_files(folder: Path) -> None:
    """The files of BIG, and a copy of a valid session under a hostile name."""
    pad = LIMIT - len(HEAD) - len(GUIDE) - len('caution = ""\n')
    (folder / "big-one-string.toml").write_text(
        HEAD + 'caution = "' + "x" * pad + '"\n' + GUIDE, "utf-8")
    assert (folder / "big-one-string.toml").stat().st_size == LIMIT
    (folder / "big-over-limit.toml").write_text(
        HEAD + "#" * (LIMIT - len(HEAD) - len(GUIDE) + 1) + GUIDE, "utf-8")
    with open(folder / "big-sparse-gigabyte.toml", "wb") as sparse:
        sparse.truncate(2**30)
    (folder / "big-deep-arrays.toml").write_text(
        HEAD + "tags = " + "[" * 100_000 + "]" * 100_000 + "\n" + GUIDE, "utf-8")
    (folder / "big-deep-inline-tables.toml").write_text(
        HEAD + "cues = " + "{ a = " * 50_000 + "1" + " }" * 50_000 + "\n" + GUIDE, "utf-8")
    (folder / "big-deep-dotted-key.toml").write_text(
        HEAD + ".".join(["cues"] * 100_000) + " = 1\n" + GUIDE, "utf-8")
    (folder / "big-deep-table-header.toml").write_text(
        HEAD + GUIDE + "[" + ".".join(["steps"] * 50_000) + "]\n", "utf-8")
    (folder / "big-many-unknown-keys.toml").write_text(
        HEAD + GUIDE + "[cues]\n" + "".join(f"k{i} = {i}\n" for i in range(20_000)), "utf-8")
    (folder / "big-many-steps.toml").write_text(HEAD + GUIDE * 201, "utf-8")
    (folder / "big-many-prompts.toml").write_text(
        HEAD + '\n[[steps]]\nkind = "silence"\nseconds = 60\nprompts = [\n'
        + "".join(f'  {{ at = {i}, text = "\\u001b[2J{i}" }},\n' for i in range(20_000))
        + "]\n", "utf-8")
    shutil.copyfile(CORPUS / "inert-crlf.toml", folder / HOSTILE_NAME)


def build(folder: Path) -> None:
    """Lay the whole corpus out in `folder` (created): every file of it, and its fixtures."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in committed():
        shutil.copyfile(path, folder / path.name)
    _sound_fixtures(folder)
    _big_files(folder)
