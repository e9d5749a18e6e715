"""A non-editable install carries the bundled sessions and sounds inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, timeout=300, capture_output=True)
    return next(out.glob("coach-*.whl"))


def test_wheel_holds_sessions_and_sounds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for session in (ROOT / "sessions").glob("*.toml"):
        assert f"coach/_bundled/sessions/{session.name}" in names
    for sound in (ROOT / "sounds").glob("*.wav"):
        assert f"coach/_bundled/sounds/{sound.name}" in names


def test_installed_wheel_lists_the_bundled_sessions(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300, capture_output=True)
    code = ("import coach, sys; from coach.cli import main; print(coach.__file__); "
            "sys.exit(main(['list']))")
    env = {**os.environ, "PYTHONPATH": str(target), "COACH_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(str(target))
    listed = [line for line in done.stdout.splitlines() if line.endswith("bundled")]
    assert len(listed) == len(list((ROOT / "sessions").glob("*.toml"))) >= 12
