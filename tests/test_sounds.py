"""The bundled cue sounds: reproducible from their script, well-formed, click-free, audible."""

from __future__ import annotations

import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

SOUNDS = Path(__file__).resolve().parent.parent / "sounds"
NAMES = ["bowl", "bell", "rise", "fall", "hold"]
DURATIONS = {"bowl": (4.0, 6.0), "bell": (2.0, 3.0), "rise": (0.5, 0.7), "fall": (0.5, 0.7)}
DURATIONS["hold"] = (0.15, 0.35)
FULL = 32768


def samples_of(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as w:
        data = array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sounds")
    subprocess.run([sys.executable, str(SOUNDS / "make_sounds.py"), str(out)], check=True)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_committed_wav_is_what_the_script_makes(name: str, rebuilt: Path) -> None:
    assert (rebuilt / f"{name}.wav").read_bytes() == (SOUNDS / f"{name}.wav").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_format_and_duration(name: str) -> None:
    with wave.open(str(SOUNDS / f"{name}.wav"), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 44100)
        seconds = w.getnframes() / w.getframerate()
    low, high = DURATIONS[name]
    assert low <= seconds <= high


@pytest.mark.parametrize("name", NAMES)
def test_loud_enough_and_never_clipping(name: str) -> None:
    peak = max(abs(s) for s in samples_of(SOUNDS / f"{name}.wav")) / FULL
    assert 0.1 < peak < 0.9


@pytest.mark.parametrize("name", NAMES)
def test_no_clicks(name: str) -> None:
    s = samples_of(SOUNDS / f"{name}.wav")
    # Starts and ends at rest, so neither the first nor the last sample pops.
    assert abs(s[0]) < 0.01 * FULL and abs(s[-1]) < 0.01 * FULL
    # A click is a jump; our tones (all below ~2.5 kHz) move far less than this per sample.
    assert max(abs(b - a) for a, b in zip(s, s[1:], strict=False)) < 0.12 * FULL


def crossings_per_sample(s: array[int]) -> float:
    return sum(1 for a, b in zip(s, s[1:], strict=False) if (a < 0) != (b < 0)) / len(s)


@pytest.mark.parametrize(("name", "rising"), [("rise", True), ("fall", False)])
def test_pitch_moves_the_right_way(name: str, rising: bool) -> None:
    s = samples_of(SOUNDS / f"{name}.wav")
    third = len(s) // 3
    first, last = crossings_per_sample(s[:third]), crossings_per_sample(s[-third:])
    # A fifth is a ratio of 1.5; thirds apart should differ by well over 15 %.
    assert (last > first * 1.15) if rising else (first > last * 1.15)
