"""Shared fixtures: every test gets its own coach home, so nothing touches the real one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from coach.core.settings import Settings, save_settings

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT / "sessions"

# libasound reads its configuration once per process: before any test can load it, route the
# default device to a file over a null device, so real playback works with no sound card.
ALSA_CAPTURE = Path(tempfile.mkdtemp(prefix="coach-alsa-")) / "capture.raw"
(ALSA_CAPTURE.parent / "asound.conf").write_text(
    f'pcm.!default {{ type file; slave.pcm "null"; file "{ALSA_CAPTURE}"; format "raw" }}\n'
    "pcm.null { type null }\n", encoding="utf-8")
os.environ["ALSA_CONFIG_PATH"] = str(ALSA_CAPTURE.parent / "asound.conf")


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A coach home for a real coach process: the first-run notice read, sound off."""
    home = tmp_path / "home"
    save_settings(home / "settings.toml", Settings(notice_seen=True, sound=False))
    return home


# `pytest --hypothesis-profile=long` fuzzes for longer than the everyday run.
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile("default")
