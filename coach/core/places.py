"""Where coach keeps the user's data, settings and own sessions, and where its bundled files are."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "coach"


@dataclass(frozen=True)
class Places:
    """The user's directories. Nothing here creates them; writers do, when they first write."""

    data: Path
    """Ratings database and the user's own sessions."""
    config: Path
    """The settings file."""

    @property
    def database(self) -> Path:
        return self.data / "coach.sqlite3"

    @property
    def sessions(self) -> Path:
        return self.data / "sessions"

    @property
    def settings(self) -> Path:
        return self.config / "settings.toml"


def find_places(data_dir: Path | str | None = None, env: Mapping[str, str] = os.environ) -> Places:
    """`--data-dir` wins, then `COACH_HOME`; both hold everything. Otherwise the platform's dirs."""
    chosen = data_dir or env.get("COACH_HOME")
    if chosen:
        home = Path(chosen).expanduser()
        return Places(data=home, config=home)
    import platformdirs  # only here: most runs name their place, and it costs start-up time

    return Places(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


def bundled_dir(name: str) -> Path:
    """`sessions` or `sounds`: inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_bundled" / name
    return installed if installed.is_dir() else package.parent / name
