"""Finding sessions: the bundled ones and the user's own. A bad file is reported, never fatal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from coach.core.model import Session
from coach.core.places import Places, bundled_dir
from coach.core.sessionfile import Problem, SessionError, read_session
from coach.core.text import visible


class Origin(StrEnum):
    BUNDLED = "bundled"
    YOURS = "yours"


@dataclass(frozen=True)
class Entry:
    """One session file and what came of reading it."""

    id: str
    path: Path
    origin: Origin
    session: Session | None
    problems: tuple[Problem, ...] = ()


def read_entry(path: Path, origin: Origin) -> Entry:
    name = visible(path.stem)  # a file name is shown wherever the session is listed
    try:
        return Entry(name, path, origin, read_session(path))
    except SessionError as error:
        return Entry(name, path, origin, None, error.problems)


@dataclass(frozen=True)
class Library:
    """The user's sessions first (theirs win a name clash), then the bundled ones."""

    entries: tuple[Entry, ...]
    user_dir: Path

    def find(self, name_or_path: str) -> Entry | None:
        """A session by id (`box`), or any file path."""
        path = _as_file(name_or_path)
        if path is not None:
            return _read_file(path)
        return next((e for e in self.entries if e.id == name_or_path), None)


def find_session(places: Places, name_or_path: str) -> Entry | None:
    """What `load_library(places).find` finds, reading only the one file it needs.

    `coach run box` starts sooner this way than by reading every session first.
    """
    path = _as_file(name_or_path)
    if path is not None:
        return _read_file(path)
    if name_or_path and not name_or_path.startswith(".") and "/" not in name_or_path:
        for folder, origin in ((places.sessions, Origin.YOURS),
                               (bundled_dir("sessions"), Origin.BUNDLED)):
            file = folder / f"{name_or_path}.toml"
            if file.is_file():
                return read_entry(file, origin)
    return load_library(places).find(name_or_path)  # a name shown differently from its file's


def _as_file(name_or_path: str) -> Path | None:
    """The path, when `name_or_path` names a file rather than a session."""
    path = Path(name_or_path).expanduser()
    return path if name_or_path.endswith(".toml") or path.is_file() else None


def _read_file(path: Path) -> Entry | None:
    """A file named by its path is the user's, unless it is one of coach's own: named by path
    (`coach edit sessions/box.toml`), a bundled session is still bundled."""
    if not path.exists():
        return None
    bundled = path.resolve().parent == bundled_dir("sessions").resolve()
    return read_entry(path, Origin.BUNDLED if bundled else Origin.YOURS)


def _toml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


def load_library(places: Places) -> Library:
    """Read every session file coach can find."""
    user = [read_entry(p, Origin.YOURS) for p in _toml_files(places.sessions)]
    bundled = [read_entry(p, Origin.BUNDLED) for p in _toml_files(bundled_dir("sessions"))]
    return Library(tuple(user + bundled), places.sessions)
