"""Synthesise coach's bundled cue sounds: bowl, bell, rise, fall and hold.

Standard library only and deterministic: the same bytes on every run, so the committed
WAVs can be checked against a fresh build (tests/test_sounds.py). Everything is made of
sines with smooth fades, so nothing clicks and nothing tires the ear after a hundred plays.

Usage: python sounds/make_sounds.py [OUT_DIR]   (default: the directory of this script)
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

RATE = 44100
FULL_SCALE = 32767
PEAK = 10 ** (-6 / 20)  # -6 dBFS: loud enough to hear, far from clipping
# Rise and fall sustain while the struck sounds decay: 2 dB less peak gives all four the same
# loudness over their first half second.
GLIDE_PEAK = 10 ** (-8 / 20)
SOFT_PEAK = 10 ** (-10 / 20)  # the hold tap sits under the breathing tones

Partial = tuple[float, float, float]
"""(frequency ratio to the fundamental, relative amplitude, decay time constant in seconds)."""


def _fade(t: float, length: float) -> float:
    """Raised-cosine ramp from 0 to 1 over `length` seconds: no corner, so no click."""
    if t >= length:
        return 1.0
    return 0.5 - 0.5 * math.cos(math.pi * t / length)


def _envelope(t: float, duration: float, attack: float, release: float) -> float:
    """Fade in over `attack`, fade out over the last `release` seconds."""
    return _fade(t, attack) * _fade(duration - t, release)


def struck(
    fundamental: float,
    partials: Sequence[Partial],
    duration: float,
    attack: float,
    release: float,
    shimmer_hz: float,
) -> list[float]:
    """A struck metal instrument: inharmonic partials, each decaying on its own.

    Each partial is paired with a copy `shimmer_hz` higher; the slow beat between them is the
    gentle wavering that makes a singing bowl sound alive rather than electronic.
    """
    n = round(duration * RATE)
    out = []
    for i in range(n):
        t = i / RATE
        value = 0.0
        for ratio, amp, tau in partials:
            f = fundamental * ratio
            decay = math.exp(-t / tau)
            pair = math.sin(2 * math.pi * f * t) + 0.6 * math.sin(
                2 * math.pi * (f + shimmer_hz) * t
            )
            value += amp * decay * pair
        out.append(value * _envelope(t, duration, attack, release))
    return out


def glide(
    start_hz: float, end_hz: float, duration: float, attack: float, release: float
) -> list[float]:
    """A sine whose pitch slides exponentially (evenly in musical terms) from start to end.

    The phase is the running integral of the frequency, so the slide has no steps; a quiet
    octave overtone makes it audible on small laptop speakers.
    """
    n = round(duration * RATE)
    out = []
    phase = 0.0
    for i in range(n):
        t = i / RATE
        f = start_hz * (end_hz / start_hz) ** (t / duration)
        value = math.sin(phase) + 0.15 * math.sin(2 * phase)
        out.append(value * _envelope(t, duration, attack, release))
        phase += 2 * math.pi * f / RATE
    return out


def normalise(samples: Sequence[float], peak: float) -> list[int]:
    """Scale so the loudest sample sits at `peak` of full scale, and round to 16-bit."""
    loudest = max(abs(s) for s in samples)
    gain = peak * FULL_SCALE / loudest
    return [round(s * gain) for s in samples]


def bowl() -> list[int]:
    """Singing bowl for the start and end of a session: 5 s, low, long decay."""
    # Ratios close to those measured on Himalayan bowls (roughly 1 : 2.7 : 5.2 : 8.3).
    partials = [(1.0, 1.0, 2.4), (2.71, 0.45, 1.5), (5.18, 0.18, 0.9), (8.32, 0.07, 0.5)]
    return normalise(struck(220.0, partials, 5.0, 0.012, 0.8, 0.9), PEAK)


def bell() -> list[int]:
    """Soft interval bell: 2.5 s, brighter and shorter than the bowl."""
    partials = [(1.0, 1.0, 0.9), (2.01, 0.22, 0.55), (2.93, 0.12, 0.35), (4.07, 0.05, 0.2)]
    return normalise(struck(587.33, partials, 2.5, 0.006, 0.5, 1.3), PEAK)


def rise() -> list[int]:
    """Breathe in: 0.6 s sliding up a fifth, C4 to G4."""
    return normalise(glide(261.63, 392.0, 0.6, 0.08, 0.15), GLIDE_PEAK)


def fall() -> list[int]:
    """Breathe out: the mirror of rise, sliding down a fifth."""
    return normalise(glide(392.0, 261.63, 0.6, 0.08, 0.15), GLIDE_PEAK)


def hold() -> list[int]:
    """Hold or rest: 0.25 s, a very soft low tap that fades at once."""
    partials = [(1.0, 1.0, 0.07), (2.0, 0.3, 0.04)]
    return normalise(struck(293.66, partials, 0.25, 0.01, 0.08, 0.0), SOFT_PEAK)


SOUNDS: dict[str, Callable[[], list[int]]] = {
    "bowl": bowl,
    "bell": bell,
    "rise": rise,
    "fall": fall,
    "hold": hold,
}


def write_wav(path: Path, samples: Sequence[int]) -> None:
    """Write 16-bit mono PCM at RATE."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))


def main(argv: Sequence[str] = ()) -> int:
    """Write every sound into OUT_DIR (default: next to this script)."""
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, make in SOUNDS.items():
        write_wav(out_dir / f"{name}.wav", make())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
