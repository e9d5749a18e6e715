"""The user's settings: a small TOML file, read with tomllib and written with tomli-w."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import tomli_w

from coach.core.atomic import write_atomically

DIMENSIONS = ("unpleasantness", "stress")
"""Optional rating dimensions beyond pain intensity (DOMAIN.md section 1)."""


@dataclass(frozen=True)
class Settings:
    """Everything a user may want coach to remember."""

    sound: bool = True
    volume: float = 0.8
    phase_cues: bool = True
    """Cues at each breath phase, for practice with the eyes closed."""
    theme: str = "textual-dark"
    reduced_motion: bool = False
    dimensions: tuple[str, ...] = ()
    """Extra 0-10 ratings asked before and after, from DIMENSIONS."""
    ask_note: bool = False
    notice_seen: bool = False
    """The first-run notice has been read."""


def _checked(raw: dict[str, object]) -> tuple[Settings, list[str]]:
    """The usable values; each unusable one keeps its default and is named in the problems."""
    base = Settings()
    values: dict[str, object] = {}
    problems = []
    for f in fields(Settings):
        if f.name not in raw:
            continue
        value, default = raw[f.name], getattr(base, f.name)
        if isinstance(default, bool) and isinstance(value, bool):
            values[f.name] = value
        elif isinstance(default, float) and isinstance(value, int | float) \
                and not isinstance(value, bool) and 0 <= value <= 1:
            values[f.name] = float(value)
        elif isinstance(default, str) and isinstance(value, str) and value:
            values[f.name] = value
        elif isinstance(default, tuple) and isinstance(value, list) \
                and all(v in DIMENSIONS for v in value):
            values[f.name] = tuple(value)
        else:
            problems.append(f"{f.name} has an unusable value {value!r}")
    return replace(base, **values), problems


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The settings, and a message if some or all of the file could not be used.

    One bad value costs only that value: the others still apply.
    """
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), f"{path}: {error}; using the default settings"
    settings, problems = _checked(raw)
    if not problems:
        return settings, None
    return settings, f"{path}: {'; '.join(problems)}; using the default for " + (
        "it" if len(problems) == 1 else "those")


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(settings).items()}
    write_atomically(path, tomli_w.dumps(data).encode("utf-8"), new_mode=0o600)


def remembered(saved: Settings, shown: Settings, chosen: Settings,
               touched: Collection[str] = ()) -> Settings:
    """What to write after the settings screen: the saved settings with only what the user
    changed there (or `touched`: changed and back again). The screen shows this run's
    settings, command-line options included (`--reduced-motion`, say), and those are for this
    run only unless changed on screen."""
    changed = {f.name: getattr(chosen, f.name) for f in fields(Settings)
               if getattr(chosen, f.name) != getattr(shown, f.name) or f.name in touched}
    return replace(saved, **changed)
