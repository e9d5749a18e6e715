"""Shared fixtures: every test gets its own coach home, so nothing touches the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT / "sessions"


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


# `pytest --hypothesis-profile=long` fuzzes for longer than the everyday run.
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile("default")
