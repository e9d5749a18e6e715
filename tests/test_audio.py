"""The cue player, played for real through simpleaudio and libasound.

ALSA reads its configuration once per process, so each playback runs in a subprocess whose
ALSA_CONFIG_PATH routes `default` to a `file` plugin over a `null` device: the PCM that
simpleaudio sends is captured byte for byte, and nothing is heard or timed by a sound card.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import textwrap
import wave
from array import array
from pathlib import Path

import pytest

from coach.audio import CuePlayer, parse_wav, read_wav, scale_samples

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = ROOT / "sounds"
BUNDLED = {name: SOUNDS / f"{name}.wav" for name in ["bowl", "bell", "rise", "fall", "hold"]}

PRELUDE = f"""
import json, shutil, sys, time
from pathlib import Path
from coach.audio import CuePlayer
BUNDLED = {{n: Path({str(SOUNDS)!r}) / f"{{n}}.wav" for n in {sorted(BUNDLED)!r}}}
"""


def run_python(
    code: str, alsa_conf: str | None, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter whose ALSA sees only `alsa_conf`."""
    env = {k: v for k, v in os.environ.items() if k != "ALSA_CONFIG_PATH"}
    if alsa_conf is not None:
        conf = tmp_path / "asound.conf"
        conf.write_text(alsa_conf, encoding="utf-8")
        env["ALSA_CONFIG_PATH"] = str(conf)
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
    )


HW99 = "pcm.!default { type hw; card 99; device 0 }\n"
UNKNOWN_PCM = 'pcm.!default "nosuchpcm"\n'  # unlike HW99, libasound prints about this one


def capture_conf(capture: Path) -> str:
    return (
        f'pcm.!default {{ type file; slave.pcm "null"; file "{capture}"; format "raw" }}\n'
        "pcm.null { type null }\n"
    )


def wav_pcm(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as w:
        data = array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    return data


def raw_pcm(path: Path) -> array[int]:
    data = array("h", path.read_bytes())
    if sys.byteorder == "big":
        data.byteswap()
    return data


def test_cues_reach_alsa_bit_exact_at_full_and_half_volume(tmp_path: Path) -> None:
    capture = tmp_path / "capture.raw"
    # The file plugin truncates its file on every open, so keep a copy after each cue.
    code = f"""
played = []
player = CuePlayer(BUNDLED, on_played=lambda cue, t: played.append((cue, t)))
before = time.monotonic()
player.play("rise")
call_s = time.monotonic() - before
assert player.wait_idle(5)
shutil.copy({str(capture)!r}, {str(tmp_path / "full.raw")!r})
player.set_volume(0.5)
player.play("fall")
assert player.wait_idle(5)
shutil.copy({str(capture)!r}, {str(tmp_path / "half.raw")!r})
player.close()
print(json.dumps({{"mode": player.mode, "notice": player.notice, "call_s": call_s,
                  "before": before, "played": played}}))
"""
    result = run_python(code, capture_conf(capture), tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["mode"], report["notice"]) == ("sound", None)
    assert report["call_s"] < 0.05  # play() only queues
    assert [cue for cue, _ in report["played"]] == ["rise", "fall"]
    assert report["before"] <= report["played"][0][1]

    assert raw_pcm(tmp_path / "full.raw") == wav_pcm(BUNDLED["rise"])
    expected_half = array("h", [round(s * 0.5) for s in wav_pcm(BUNDLED["fall"])])
    assert raw_pcm(tmp_path / "half.raw") == expected_half
    assert expected_half != wav_pcm(BUNDLED["fall"])


def test_a_sessions_own_8bit_stereo_wav_plays_widened_to_16bit(tmp_path: Path) -> None:
    own = tmp_path / "own.wav"
    frames = bytes([128, 128, 200, 60, 255, 0, 128, 128])  # unsigned 8-bit, L/R interleaved
    with wave.open(str(own), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(22050)
        w.writeframes(frames)
    capture = tmp_path / "capture.raw"
    code = f"""
player = CuePlayer(BUNDLED)
player.play(Path({str(own)!r}))
assert player.wait_idle(5)
player.close()
"""
    result = run_python(code, capture_conf(capture), tmp_path)
    assert result.returncode == 0, result.stderr
    assert raw_pcm(capture) == array("h", [(b - 128) * 256 for b in frames])


def test_without_the_simpleaudio_module_it_rings_the_bell_and_says_why(tmp_path: Path) -> None:
    code = """
sys.modules["simpleaudio"] = None  # makes `import simpleaudio` raise ImportError
rings = []
player = CuePlayer(BUNDLED, bell=lambda: rings.append(1))
player.play("rise")
quiet = CuePlayer(BUNDLED)
quiet.play("rise")
print(json.dumps([player.mode, player.notice, len(rings), quiet.mode, quiet.notice]))
"""
    result = run_python(code, None, tmp_path)
    assert result.returncode == 0, result.stderr
    mode, notice, rings, quiet_mode, quiet_notice = json.loads(result.stdout)
    assert (mode, rings, quiet_mode) == ("bell", 1, "silent")
    assert "simpleaudio" in notice and "coach[sound]" in notice
    assert quiet_notice == notice


@pytest.mark.parametrize("alsa_conf", [HW99, UNKNOWN_PCM], ids=["hw-card-99", "unknown-pcm"])
def test_without_a_device_it_falls_back_quietly(tmp_path: Path, alsa_conf: str) -> None:
    code = """
player = CuePlayer(BUNDLED)
known_at_start = [player.mode, player.notice]
player.play("bowl")
assert player.wait_idle(5)
player.close()
print(json.dumps(known_at_start + [player.mode]))
"""
    result = run_python(code, alsa_conf, tmp_path)
    assert result.returncode == 0, result.stderr
    mode, notice, mode_after_play = json.loads(result.stdout)
    assert mode == mode_after_play == "silent"
    assert notice.startswith("Sound is off: no audio device could be opened (ALSA: ")
    assert result.stderr == ""  # nothing may draw over the Textual screen


def test_a_device_lost_after_start_falls_back_to_the_bell(tmp_path: Path) -> None:
    # libasound re-reads a config file whose mtime changed on the next open: the device
    # "goes away" between the start-up check and the first cue.
    capture = tmp_path / "capture.raw"
    code = f"""
import os
rings = []
player = CuePlayer(BUNDLED, bell=lambda: rings.append(1))
at_start = player.mode
conf = Path(os.environ["ALSA_CONFIG_PATH"])
conf.write_text({UNKNOWN_PCM!r})
os.utime(conf, (time.time() + 10, time.time() + 10))
player.play("rise")
assert player.wait_idle(5)
player.play("rise")
player.close()
print(json.dumps([at_start, player.mode, player.notice, len(rings)]))
"""
    result = run_python(code, capture_conf(capture), tmp_path)
    assert result.returncode == 0, result.stderr
    at_start, mode, notice, rings = json.loads(result.stdout)
    assert (at_start, mode, rings) == ("sound", "bell", 1)
    assert notice.startswith("Sound is off: no audio device could be opened (ALSA: No such file")
    assert result.stderr == ""


def test_libasound_would_print_over_the_screen_if_not_silenced(tmp_path: Path) -> None:
    # The control for the test above: the same failing config does print without CuePlayer.
    code = """
import simpleaudio
try:
    simpleaudio.play_buffer(bytes(4), 1, 2, 44100)
except Exception:
    pass
"""
    result = run_python(code, UNKNOWN_PCM, tmp_path)
    assert "ALSA lib" in result.stderr


def wav_bytes(
    channels: int = 1, rate: int = 44100, bits: int = 16, tag: int = 1, data: bytes = b"\0\0"
) -> bytes:
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ID3\x03" + bytes(60), "not a WAV file"),
        (wav_bytes(bits=24, data=bytes(6)), "only 8- or 16-bit PCM"),
        (wav_bytes(bits=32, tag=3, data=bytes(8)), "only 8- or 16-bit PCM"),
        (wav_bytes(rate=96000), "sample rate 96000 Hz is outside 8000..48000"),
        (wav_bytes(rate=4000), "sample rate 4000 Hz is outside 8000..48000"),
        (wav_bytes(channels=6, data=bytes(12)), "only mono or stereo"),
        (wav_bytes(data=b""), "holds no sound"),
        (wav_bytes()[:36], "no 'data' chunk"),
    ],
)
def test_bad_wavs_are_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_wav(data, origin="x.wav")


def test_a_good_wav_parses(tmp_path: Path) -> None:
    path = tmp_path / "ok.wav"
    path.write_bytes(wav_bytes(channels=2, rate=8000, data=struct.pack("<4h", 1, -2, 3, -4)))
    wav = read_wav(path)
    assert (wav.rate, wav.channels, list(wav.samples)) == (8000, 2, [1, -2, 3, -4])


def test_an_oversized_wav_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.wav"
    with big.open("wb") as f:
        f.truncate(5 * 1024 * 1024 + 1)  # sparse: costs no disk
    with pytest.raises(ValueError, match="too big"):
        read_wav(big)


def test_a_bad_bundled_wav_fails_construction(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    with pytest.raises(ValueError, match=f"{bad}: not a WAV file"):
        CuePlayer({"bell": bad}, enabled=False)


def test_scaling_rounds_half_to_even_and_clamps() -> None:
    samples = array("h", [32767, -32768, 3, -3, 1000])
    assert list(scale_samples(samples, 0.5)) == [16384, -16384, 2, -2, 500]
    assert list(scale_samples(samples, 2.0)) == [32767, -32768, 6, -6, 2000]
    assert scale_samples(samples, 1.0) == samples


def test_turned_off_it_rings_the_bell() -> None:
    rings: list[int] = []
    player = CuePlayer(BUNDLED, enabled=False, bell=lambda: rings.append(1))
    try:
        assert player.mode == "bell"
        assert player.notice is not None and "--no-sound" in player.notice
        player.play("rise")
        player.play(Path("any.wav"))
        assert len(rings) == 2
        with pytest.raises(KeyError):
            player.play("gong")
        player.set_volume(3.0)
        assert player.volume == 1.0
    finally:
        player.close()


def run_app_without_a_device(tmp_path: Path, app: str, steps: str) -> object:
    """The real app, in a fresh interpreter whose ALSA has no device. `app` builds it from
    `places`; `steps` drive it (`pilot`, `app`, and `told(app)`: the sound notices so far) and
    print, as JSON, what the test checks."""
    code = f"""
import asyncio, os
os.environ["COACH_HOME"] = {str(tmp_path / "home")!r}
from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.settings import Settings
from coach.ui.app import CoachApp
from tests.helpers import ManualClock

def told(app):
    return [n.message for n in app._notifications if n.title == "Sound"]

async def main():
    places = find_places()
    app = {app}
    async with app.run_test(size=(80, 24)) as pilot:
        while app.cues is None:
            await pilot.pause(0.05)
        await pilot.pause()
{textwrap.indent(textwrap.dedent(steps), " " * 8)}
asyncio.run(main())
"""
    result = run_python(code, HW99, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_without_a_device_the_review_is_left_quiet_and_a_practice_says_why(
        tmp_path: Path) -> None:
    in_review, on_caution, screen, told = run_app_without_a_device(
        tmp_path, "CoachApp(load_library(places), places, Settings(notice_seen=True, "
                  "sound=True), clock=ManualClock(), screen='review')", """
        in_review = told(app)
        await pilot.press("escape")  # the review, to the library under it
        await pilot.pause()
        await pilot.press("enter")  # the first practice: its caution first
        await pilot.pause()
        on_caution = [type(app.screen).__name__, told(app)]
        await pilot.press("enter")  # begin: the pain before
        await pilot.pause()
        print(json.dumps([in_review, on_caution, type(app.screen).__name__, told(app)]))
        """)
    assert (in_review, on_caution, screen, len(told)) == (
        [], ["NoticeScreen", []], "RatingScreen", 1)
    assert told[0].startswith("Sound is off: no audio device could be opened")


def test_without_a_device_the_first_run_notice_is_read_before_sound_is_spoken_of(
        tmp_path: Path) -> None:
    assert run_app_without_a_device(
        tmp_path, "CoachApp(load_library(places), places, Settings(sound=True), "
                  "clock=ManualClock())", """
        on_notice = [type(app.screen).__name__, told(app)]
        await pilot.press("enter")  # I understand
        await pilot.pause()
        print(json.dumps([on_notice, type(app.screen).__name__, len(told(app))]))
        """) == [["NoticeScreen", []], "LibraryScreen", 1]
