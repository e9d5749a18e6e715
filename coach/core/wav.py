"""Checking a session's own sound files without trusting them."""

from __future__ import annotations

import stat
from pathlib import Path, PurePath

from coach.core.format import MAX_WAV_BYTES, WAV_RATES
from coach.core.text import visible


def sound_path_problem(reference: str, base_dir: Path | None) -> tuple[Path | None, str | None]:
    """Resolve a `.wav` reference beside the session file: (path, None) or (None, problem)."""
    relative = PurePath(reference)
    if relative.is_absolute() or ".." in relative.parts:
        return None, "a sound file must be given relative to the session file, inside its folder"
    if base_dir is None:
        return None, "a sound file needs the session to be read from a file"
    if "\x00" in reference:
        return None, "a file name cannot hold a NUL character"
    path = base_dir / relative
    problem = wav_problem(path, inside=base_dir)
    return (None, problem) if problem else (path, None)


def _name(path: Path) -> str:
    """The file's name as a message shows it: visible, and not a screenful."""
    name = visible(path.name)
    return name if len(name) <= 60 else name[:59] + "…"


def wav_problem(path: Path, inside: Path | None = None) -> str | None:
    """Why `path` is not a WAV that coach can play, or None if it is one.

    With `inside`, the file must really be in that folder, whatever symlinks lead to it.
    """
    name = _name(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return f"no such file: {name}"
    except OSError as error:
        return f"cannot read {name}: {error.strerror or error}"
    # Checked before opening: opening a FIFO or a device could block or have effects.
    if not stat.S_ISREG(info.st_mode):
        return f"{name} is not a regular file"
    if info.st_size > MAX_WAV_BYTES:
        return f"{name} is larger than {MAX_WAV_BYTES // 1_000_000} MB"
    if inside is not None and not path.resolve().is_relative_to(inside.resolve()):
        return f"{name} leads outside the session's folder"
    import wave  # here: the bundled sessions name their sounds, and start-up need not load it

    try:
        with wave.open(str(path), "rb") as wav:
            width, rate, frames = wav.getsampwidth(), wav.getframerate(), wav.getnframes()
            channels = wav.getnchannels()
    except OSError as error:
        return f"cannot read {name}: {error.strerror or error}"
    except (wave.Error, EOFError, RuntimeError) as error:  # RuntimeError: a chunk's size lies
        why = f" ({error})" if str(error) else ""
        return f"{name} is not a WAV file coach can play{why}"
    if width not in (1, 2):
        return f"{name} has {8 * width}-bit samples; coach plays 8- or 16-bit PCM"
    if not WAV_RATES[0] <= rate <= WAV_RATES[1]:
        return f"{name} has a rate of {rate} Hz; coach plays 8000 to 48000 Hz"
    if channels not in (1, 2) or frames == 0:
        return f"{name} must be mono or stereo and not empty"
    return None
