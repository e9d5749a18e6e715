"""Writing a file so that a crash mid-write leaves the old file whole, never half a new one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _sync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder's entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes, new_mode: int = 0o644,
                     backup: Path | None = None, replace: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    An existing file keeps its permissions; a new one gets `new_mode`. With `backup`, the
    previous contents of `path` (if any) are first written, atomically too, to `backup`.
    With `replace=False` an existing `path` is left alone and FileExistsError raised.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        previous = path.read_bytes() if backup is not None else None
    except FileNotFoundError:
        mode, previous = new_mode, None
    if backup is not None and previous is not None:
        write_atomically(backup, previous, new_mode=mode)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, path)
        else:  # a link is never made over an existing name, even one made a moment ago
            os.link(temporary, path)
            os.unlink(temporary)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
