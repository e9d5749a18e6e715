"""The cue player: chimes and breathing tones that never hold up the screen.

Playback goes through `simpleaudio` (the `coach[sound]` extra) on one daemon worker thread.
Without the module, without a sound device, or when sound is turned off, the player falls
back to the terminal bell (if the caller gives a way to ring it) or to silence, and says once,
in `notice`, why and how to get sound back.
"""

from __future__ import annotations

import ctypes
import heapq
import importlib
import itertools
import struct
import sys
import threading
import time
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from coach.core.format import MAX_WAV_BYTES, WAV_RATES

Mode = Literal["sound", "bell", "silent"]
Cue = str | Path

# The same limits the validator applies to a session's own sound files.
MIN_RATE, MAX_RATE = WAV_RATES

_PCM_STREAM_PLAYBACK = 0
_PCM_NONBLOCK = 1
_EBUSY = 16

# libasound calls this with printf-style varargs; the fixed part is all a no-op needs.
_ErrorHandler = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
# libasound keeps only the C pointer, so the Python callback must live as long as the process.
_SILENT_HANDLER = _ErrorHandler(lambda *_args: None)
_alsa_lib: ctypes.CDLL | None = None


@dataclass(frozen=True)
class WavData:
    """Decoded PCM, always as signed 16-bit samples (channels interleaved)."""

    rate: int
    """Frames per second."""
    channels: int
    """1 (mono) or 2 (stereo)."""
    samples: array[int]
    """Signed 16-bit samples, in native byte order."""


def parse_wav(data: bytes, origin: str = "<memory>") -> WavData:
    """Decode an 8- or 16-bit PCM WAV held in memory; ValueError says what is wrong with it."""
    if len(data) > MAX_WAV_BYTES:
        raise ValueError(f"{origin}: too big for a cue ({len(data)} bytes; at most 5 MB)")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{origin}: not a WAV file (no RIFF/WAVE header)")
    fmt: bytes | None = None
    pcm: bytes | None = None
    pos = 12
    while pos + 8 <= len(data) and (fmt is None or pcm is None):
        chunk_id, size = struct.unpack_from("<4sI", data, pos)
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            fmt = body
        elif chunk_id == b"data":
            pcm = body
        pos += 8 + size + (size & 1)  # chunks are padded to an even length
    if fmt is None or len(fmt) < 16:
        raise ValueError(f"{origin}: WAV has no valid 'fmt ' chunk")
    if pcm is None:
        raise ValueError(f"{origin}: WAV has no 'data' chunk")
    tag, channels, rate, _byte_rate, _align, bits = struct.unpack_from("<HHIIHH", fmt)
    # WAVE_FORMAT_EXTENSIBLE carries the real format in the first two bytes of its sub-GUID.
    if tag == 0xFFFE and len(fmt) >= 26:
        tag = struct.unpack_from("<H", fmt, 24)[0]
    if tag != 1 or bits not in (8, 16):
        raise ValueError(
            f"{origin}: only 8- or 16-bit PCM WAV is supported (got {bits}-bit, format {tag})"
        )
    if channels not in (1, 2):
        raise ValueError(
            f"{origin}: only mono or stereo WAV is supported (got {channels} channels)"
        )
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(f"{origin}: sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")
    frame = channels * bits // 8
    pcm = pcm[: len(pcm) - len(pcm) % frame]  # a truncated last frame would misalign channels
    if not pcm:
        raise ValueError(f"{origin}: WAV holds no sound (empty 'data' chunk)")
    if bits == 8:
        # 8-bit WAV is unsigned around 128; widen to signed 16-bit.
        samples = array("h", [(b - 128) << 8 for b in pcm])
    else:
        samples = array("h", pcm)
        if sys.byteorder == "big":
            samples.byteswap()
    return WavData(rate=rate, channels=channels, samples=samples)


def read_wav(path: Path) -> WavData:
    """Read and decode a WAV file; ValueError for a bad one, or one over 5 MB (before reading)."""
    size = path.stat().st_size
    if size > MAX_WAV_BYTES:
        raise ValueError(f"{path}: too big for a cue ({size} bytes; at most 5 MB)")
    return parse_wav(path.read_bytes(), origin=str(path))


def scale_samples(samples: array[int], volume: float) -> array[int]:
    """Multiply 16-bit samples by `volume`, rounding half to even and clamping to 16 bits."""
    if volume == 1.0:
        return samples
    return array("h", [max(-32768, min(32767, round(s * volume))) for s in samples])


def silence_alsa_errors() -> ctypes.CDLL | None:
    """Stop libasound printing to stderr, where Textual draws. Returns the library, if present."""
    global _alsa_lib
    if _alsa_lib is None:
        try:
            lib = ctypes.CDLL("libasound.so.2")
        except OSError:
            return None
        lib.snd_lib_error_set_handler(_SILENT_HANDLER)
        _alsa_lib = lib
    return _alsa_lib


def _default_pcm_error(lib: ctypes.CDLL) -> str | None:
    """Open and close ALSA's default playback device; None if it works, else the reason."""
    handle = ctypes.c_void_p()
    lib.snd_pcm_open.argtypes = [
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_int,
    ]
    lib.snd_pcm_close.argtypes = [ctypes.c_void_p]
    lib.snd_strerror.restype = ctypes.c_char_p
    # Non-blocking, so a device busy with another program answers at once instead of waiting.
    err = lib.snd_pcm_open(ctypes.byref(handle), b"default", _PCM_STREAM_PLAYBACK, _PCM_NONBLOCK)
    if err == 0:
        lib.snd_pcm_close(handle)
        return None
    if err == -_EBUSY:
        return None  # it exists; simpleaudio's blocking open will wait its turn
    return lib.snd_strerror(err).decode(errors="replace")


@dataclass(frozen=True)
class _Play:
    cue: Cue | None
    """None: only prepare the buffer (warm the cache), don't play."""
    path: Path
    volume: float


# Queue priorities: a cue to play never waits behind cache warm-ups.
_NOW, _LATER = 0, 1
_INITIAL_LEAD, _MAX_LEAD = 0.005, 0.05


class CuePlayer:
    """Plays named cues (or a session's own WAV paths) without ever blocking the caller.

    `play()` only queues; one daemon thread decodes, scales and hands buffers to
    `simpleaudio.play_buffer`, so cues may overlap. If sound is unavailable, `mode` says what
    happens instead ("bell" rings the caller's `bell` callable, on the caller's thread; "silent"
    does nothing) and `notice` holds one sentence for the user.
    """

    def __init__(
        self,
        cues: Mapping[str, Path],
        volume: float = 1.0,
        enabled: bool = True,
        bell: Callable[[], None] | None = None,
        on_played: Callable[[Cue, float], None] | None = None,
    ) -> None:
        """Load every WAV in `cues` now (ValueError for a bad one) and start the worker.

        `bell` rings the terminal bell (e.g. writes "\\a"); without it, fallbacks are silent.
        `on_played(cue, time.monotonic())` runs on the worker right after each `play_buffer`;
        it must be quick and must not raise.
        """
        self._paths = dict(cues)
        self._wavs: dict[Path, WavData] = {path: read_wav(path) for path in self._paths.values()}
        self._bell = bell
        self._on_played = on_played
        self._volume = _clamp_volume(volume)
        self.mode: Mode = "sound"
        """How cues are heard: "sound", "bell" (terminal bell) or "silent".

        Known after construction; it may still drop from "sound" once, on the worker, if the
        device stops working later (then `notice` is set too)."""
        self.notice: str | None = None
        """One sentence for the user when sound is off, saying why and how to turn it on."""
        self._simpleaudio: Any = None
        self._scaled: dict[tuple[Path, float], bytes] = {}
        self._playing: list[Any] = []
        self._lock = threading.Lock()
        # A heap of (priority, due, order, item): cues by when they are due, then warm-ups.
        # Item None stops the worker.
        self._heap: list[tuple[int, float, int, _Play | None]] = []
        self._changed = threading.Condition(self._lock)
        self._busy = 0
        """Items taken from the heap and not yet handled."""
        self._order = itertools.count()
        self._lead = _INITIAL_LEAD
        """How long handing a buffer to ALSA takes; a cue due at T is handed over at T - lead."""
        self._closed = False
        reason = (
            self._open_sound()
            if enabled
            else "Sound is off by choice; start coach without --no-sound to hear chimes."
        )
        if reason is not None:
            self._fall_back(reason)
        self._worker = threading.Thread(target=self._run, name="coach-cues", daemon=True)
        self._worker.start()
        self._warm()

    @property
    def volume(self) -> float:
        """Loudness from 0.0 (silent) to 1.0 (as recorded)."""
        return self._volume

    def set_volume(self, volume: float) -> None:
        """Change the loudness of later cues; values outside 0..1 are clamped."""
        self._volume = _clamp_volume(volume)
        self._warm()

    def play(self, cue: Cue, delay: float = 0.0) -> None:
        """Queue a cue by bundled name or WAV path to sound `delay` seconds from now; returns
        at once.

        Knowing a cue ahead lets the worker hand it over on time, whatever the UI is doing.
        KeyError for an unknown name. A path not given at construction is loaded on the worker;
        if it cannot be read, that cue is skipped (validate session files with `read_wav`).
        """
        path = cue if isinstance(cue, Path) else self._paths[cue]
        if self._closed:
            return
        if self.mode == "sound":
            due = time.monotonic() + max(0.0, delay)
            self._push(_NOW, due, _Play(cue, path, self._volume))
        elif self.mode == "bell" and self._bell is not None:
            self._bell()  # the bell can't be scheduled: it rings as the cue is asked for

    def cancel_pending(self) -> None:
        """Forget cues queued for later (the session paused, skipped or ended)."""
        with self._changed:
            self._heap = [entry for entry in self._heap if entry[0] != _NOW]
            heapq.heapify(self._heap)

    def _push(self, priority: int, due: float, item: _Play | None) -> None:
        with self._changed:
            heapq.heappush(self._heap, (priority, due, next(self._order), item))
            self._changed.notify_all()  # the worker, and anyone in wait_idle

    def wait_idle(self, timeout: float) -> bool:
        """Block until queued cues have been handed over and finished sounding.

        For tests, benchmarks and shutdown only: never call it on the UI thread.
        Returns False if `timeout` seconds passed first.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while (left := deadline - time.monotonic()) > 0:
                self._playing = [p for p in self._playing if p.is_playing()]
                if not self._heap and not self._busy and not self._playing:
                    return True
                # Woken when the worker finishes an item; a sounding cue is looked at again soon.
                self._changed.wait(min(left, 0.005))
        return False

    def close(self) -> None:
        """Stop the worker and cut any cue still sounding. Later `play()` calls do nothing."""
        if self._closed:
            return
        self._closed = True
        self._push(_NOW, 0.0, None)
        self._worker.join(timeout=1.0)
        if self._simpleaudio is not None:
            self._simpleaudio.stop_all()

    def _open_sound(self) -> str | None:
        """Import simpleaudio and check the default device; the reason if sound can't work."""
        lib = silence_alsa_errors()
        try:
            module: ModuleType = importlib.import_module("simpleaudio")
        except ImportError:
            return (
                "Sound is off: the simpleaudio module is missing. "
                "Install coach[sound] (needs libasound2-dev) to hear chimes."
            )
        if lib is None:
            return "Sound is off: the ALSA library is missing; install libasound2 to hear chimes."
        error = _default_pcm_error(lib)
        if error is not None:
            return _no_device(f"ALSA: {error}")
        self._simpleaudio = module
        return None

    def _fall_back(self, reason: str) -> None:
        self.mode = "bell" if self._bell is not None else "silent"
        self.notice = reason

    def _warm(self) -> None:
        """Have the worker scale the known cues for the current volume before they're needed."""
        if self.mode == "sound":
            # The bundled paths, not self._wavs, which the worker may be growing meanwhile.
            for path in self._paths.values():
                self._push(_LATER, 0.0, _Play(None, path, self._volume))

    def _run(self) -> None:
        while True:
            item = self._next_due()
            try:
                if item is None:
                    return
                self._handle(item)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify_all()

    def _next_due(self) -> _Play | None:
        """Wait until the first item is due (less the hand-over time), and take it."""
        with self._changed:
            while True:
                if self._heap:
                    priority, due, _order, item = self._heap[0]
                    wait = due - self._lead - time.monotonic()
                    if priority != _NOW or item is None or wait <= 0:
                        heapq.heappop(self._heap)
                        self._busy += 1
                        return item
                    self._changed.wait(wait)
                else:
                    self._changed.wait()

    def _handle(self, item: _Play) -> None:
        buffer = self._buffer(item.path, item.volume)
        if buffer is None or item.cue is None or self.mode != "sound":
            return  # a warm-up, an unreadable file, or sound failed since this was queued
        wav = self._wavs[item.path]
        try:
            started = time.monotonic()
            played = self._simpleaudio.play_buffer(buffer, wav.channels, 2, wav.rate)
            took = time.monotonic() - started
            self._lead = min(_MAX_LEAD, 0.8 * self._lead + 0.2 * took)
        except Exception as error:  # simpleaudio raises its own SimpleaudioError type
            # Its text is "Error opening PCM device. -- CODE: -2 -- MSG: <ALSA's reason>".
            self._fall_back(_no_device(f"ALSA: {str(error).rpartition('MSG: ')[2]}"))
            return
        with self._lock:  # keep only what still sounds, or a long session grows the list
            self._playing = [p for p in self._playing if p.is_playing()] + [played]
        if self._on_played is not None:
            self._on_played(item.cue, time.monotonic())

    def _buffer(self, path: Path, volume: float) -> bytes | None:
        """Little-endian bytes of `path` at `volume`, cached; runs on the worker only."""
        key = (path, volume)
        if key not in self._scaled:
            if path not in self._wavs:
                try:
                    self._wavs[path] = read_wav(path)
                except (OSError, ValueError):
                    return None
            samples = scale_samples(self._wavs[path].samples, volume)
            if sys.byteorder == "big":
                samples = array("h", samples)
                samples.byteswap()
            # Only one volume is in use at a time; drop buffers made for another.
            self._scaled = {k: v for k, v in self._scaled.items() if k[1] == volume}
            self._scaled[key] = samples.tobytes()
        return self._scaled[key]


def _clamp_volume(volume: float) -> float:
    return min(1.0, max(0.0, float(volume)))


def _no_device(reason: str) -> str:
    return (
        f"Sound is off: no audio device could be opened ({reason}); "
        "connect speakers or headphones, or set ALSA's default device, to hear chimes."
    )
