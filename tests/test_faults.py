"""Faults on real coach processes in pseudo-terminals: kills and signals at random moments,
torn saves, a full disk, a read-only data directory, damaged databases, two coaches at once.

Afterwards every rating that was confirmed on screen is in the database. The seed of the random
moments is printed on failure; COACH_FAULT_SEED=N runs another one.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
from pathlib import Path

import pytest

from coach.core.settings import Settings, save_settings
from coach.core.store import Outcome
from tests.faults.journey import (
    RECOVERED,
    SESSION,
    FaultApp,
    Journey,
    Moment,
    practise,
)
from tests.helpers import stored_runs

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("COACH_FAULT_SEED", "8"))
LIBRARY = b"choose a practice"


@pytest.fixture
def session(tmp_path: Path) -> Path:
    path = tmp_path / "fault-breath.toml"
    path.write_text(SESSION, "utf-8")
    return path


def run_of(home: Path, journey: Journey):
    if journey.run_id is None:
        return None
    (run,) = [r for r in stored_runs(home) if r.id == journey.run_id]
    return run


def next_start_recovers(home: Path, journey: Journey, app: FaultApp) -> None:
    """Once the next coach has started: the journey's run is marked and the user told."""
    run = run_of(home, journey)
    if run is not None and journey.fault == signal.SIGKILL and not journey.ended:
        app.wait_for(RECOVERED)
    journey.check(run_of(home, journey), recovered=True)


def chain(home: Path, session: Path, journeys: list[Journey], rng: random.Random) -> None:
    """Practise the journeys one after another in one home; each start checks the last one."""
    done: list[Journey] = []
    for journey in journeys:
        known = {r.id for r in stored_runs(home)} if (home / "coach.sqlite3").exists() else set()
        previous = done[-1] if done else None
        practise(home, session, journey, rng, on_start=None if previous is None else
                 lambda app, previous=previous: next_start_recovers(home, previous, app))
        assert b"Traceback" not in journey.output, journey.output[-3000:]
        new = [r for r in stored_runs(home) if r.id not in known]
        assert len(new) <= 1
        journey.run_id = new[0].id if new else None
        journey.check(new[0] if new else None, recovered=False)
        if journey.fault != signal.SIGKILL:
            assert journey.exit_code == 128 + journey.fault, journey.output[-2000:]
        done.append(journey)
    last = FaultApp(["--no-sound"], home)
    try:
        last.wait_for(LIBRARY)
        next_start_recovers(home, done[-1], last)
        last.type("\x11")  # ctrl+q
        assert last.finish() == 0
    finally:
        last.kill()
    for journey in done:  # and nothing confirmed earlier was lost later
        journey.check(run_of(home, journey), recovered=True)


def journeys_for(fault: int, moments: list[Moment], rng: random.Random) -> list[Journey]:
    moments = moments[:]
    rng.shuffle(moments)
    return [Journey(m, fault, before=rng.randint(0, 10), after=rng.randint(0, 10))
            for m in moments]


EVERY_SCREEN = [Moment.PRE_SHOWN, Moment.PRE_CONFIRMED, Moment.MID_SESSION, Moment.POST_SHOWN,
                Moment.POST_CONFIRMED, Moment.SUMMARY]


@pytest.mark.parametrize("fault", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP],
                         ids=["kill-9", "SIGTERM", "SIGHUP"])
def test_a_fault_on_every_screen_keeps_every_confirmed_rating(
        home: Path, session: Path, fault: int) -> None:
    rng = random.Random(f"{SEED}-{fault}")
    moments = EVERY_SCREEN + ([Moment.PRE_RACE, Moment.POST_RACE]
                              if fault == signal.SIGKILL else [])
    journeys = journeys_for(fault, moments, rng)
    try:
        chain(home, session, journeys, rng)
    except AssertionError as failure:
        raise AssertionError(f"COACH_FAULT_SEED={SEED}: {failure}") from failure
    runs = stored_runs(home)
    assert all(r.outcome != Outcome.RUNNING for r in runs)
    assert len(runs) == sum(j.run_id is not None for j in journeys)  # no stray runs


# -- torn saves: the editor's and the settings' writes, killed mid-loop --

def big_session(title: str, blank_lines: int = 0) -> str:
    """A valid session of about 340 kB: 200 guides of up to 1,800 characters."""
    steps = "".join(
        '\n[[steps]]\nkind = "guide"\nseconds = 5\ntext = "'
        + " ".join(f"w{i}x{j}" for j in range(200)) + '"\n' for i in range(200))
    return "\n" * blank_lines + f'format = 1\ntitle = "{title}"\nsummary = "Long."\n{steps}'


WRITER = """
import sys
from pathlib import Path
from coach.core.atomic import write_atomically
from coach.ui.screens.editor import backup_path
path, texts = Path(sys.argv[1]), [Path(name).read_bytes() for name in sys.argv[2:]]
print("writing", flush=True)
for n in range(10**9):
    write_atomically(path, texts[n % 2], backup=backup_path(path))
"""

SETTINGS_WRITER = """
import sys
from pathlib import Path
from coach.core.settings import Settings, save_settings
choices = [Settings(volume=0.25, theme="a" * 5000), Settings(volume=0.75, theme="b" * 5000)]
print("writing", flush=True)
for n in range(10**9):
    save_settings(Path(sys.argv[1]), choices[n % 2])
"""


def kill_while_writing(code: str, args: list[str], rng: random.Random) -> None:
    """Start a Python that writes in a loop, and kill -9 it at a random moment."""
    import subprocess
    import sys
    import time

    writer = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"writing\n"
        time.sleep(rng.uniform(0.0, 0.25))
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()


def test_kill_9_during_saves_leaves_the_old_or_the_new_file_whole(tmp_path: Path) -> None:
    from coach.core.sessionfile import parse_session
    from coach.ui.screens.editor import backup_path

    rng = random.Random(f"{SEED}-saves")
    texts = [big_session("Old").encode(), big_session("New").encode()]
    for n, text in enumerate(texts):
        (tmp_path / f"{n}.toml").write_bytes(text)
    path = tmp_path / "sessions" / "long.toml"
    path.parent.mkdir()
    path.write_bytes(texts[0])
    for _ in range(8):
        kill_while_writing(WRITER, [str(path), str(tmp_path / "0.toml"),
                                    str(tmp_path / "1.toml")], rng)
        assert path.read_bytes() in texts
        assert backup_path(path).read_bytes() in texts
    parse_session(path.read_text("utf-8"), origin=path.name)


def test_kill_9_during_settings_saves_leaves_settings_that_load(tmp_path: Path) -> None:
    from coach.core.settings import load_settings

    rng = random.Random(f"{SEED}-settings")
    path = tmp_path / "settings.toml"
    for _ in range(8):
        kill_while_writing(SETTINGS_WRITER, [str(path)], rng)
        settings, problem = load_settings(path)
        assert problem is None
        assert (settings.volume, settings.theme) in ((0.25, "a" * 5000), (0.75, "b" * 5000))


def test_kill_9_while_the_editor_saves(home: Path, tmp_path: Path) -> None:
    """Enter adds a blank line at the top and ctrl+s saves; kill -9 soon after a save."""
    from coach.core.sessionfile import parse_session

    rng = random.Random(f"{SEED}-editor")
    path = tmp_path / "long.toml"
    path.write_text(big_session("Long"), "utf-8")
    for _ in range(3):
        on_disk = path.read_text("utf-8")
        blank = len(on_disk) - len(on_disk.lstrip("\n"))
        app = FaultApp(["--no-sound", "edit", str(path)], home, size=(200, 30))  # whole path
        try:
            app.wait_for(b"editing")
            presses = rng.randint(1, 3)
            for _ in range(presses):
                app.type("\r")
                app.read(0.05)
            app.wait_for(b"not saved")
            mark = len(app.output)
            app.type("\x13")  # ctrl+s
            app.read(rng.uniform(0.0, 0.15))
        finally:
            app.stop(signal.SIGKILL)
        saved = b"Saved." in app.output[mark:]
        text = path.read_text("utf-8")
        assert text in (big_session("Long", blank), big_session("Long", blank + presses))
        if saved:  # what the screen said was saved is what is on disk
            assert text == big_session("Long", blank + presses)
        parse_session(text, origin=path.name)


# -- a full disk, a read-only directory, damaged databases: told, never lost, never written --

def store_earlier_runs(home: Path, count: int = 1, note: str = "") -> list:
    """Runs from before the fault, each rated before and after."""
    from coach.core.store import Store

    with Store.open(home / "coach.sqlite3") as store:
        for n in range(count):
            run = store.start_run("earlier", "Earlier", None, ["calm"], 300, n % 11)
            store.finish_run(run, Outcome.COMPLETED, 300)
            store.rate_after(run, (n + 3) % 11, note=f"{n} {note}" if note else None)
    return stored_runs(home)


def practise_unsaved(app: FaultApp, told: bytes) -> None:
    """Rate, end early, rate, see the summary, leave: the whole session despite the fault."""
    from tests.faults.journey import ENDING, PLAYER, POST_SCREEN, PRE_SCREEN, SUMMARY, rate

    app.wait_for(PRE_SCREEN)
    rate(app, 6)
    app.wait_for(PLAYER)
    app.type("\x1b")
    app.wait_for(ENDING)
    app.type("y")
    app.wait_for(POST_SCREEN)
    rate(app, 4)
    app.wait_for(SUMMARY)
    app.wait_for(b"could not be saved")
    app.wait_for(told)  # at the start, or at the first rating that could not be saved
    app.type("\r")
    assert app.finish() == 0
    assert b"Traceback" not in app.output


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 512 kB filesystem (tmpfs); skipped where mounting is not allowed."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Write a file until the disk is full, to the last byte."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_mid_practice_is_told_and_loses_nothing_stored(
        small_disk: Path, session: Path) -> None:
    home = small_disk / "home"
    save_settings(home / "settings.toml", Settings(notice_seen=True, sound=False))
    earlier = store_earlier_runs(home, 20)
    app = FaultApp(["--no-sound", "run", str(session)], home)
    try:
        app.wait_for(b"before you start")
        filler = fill(small_disk)  # the disk fills while coach runs
        practise_unsaved(app, b"")
        assert b"disk is full" in app.output
    finally:
        app.kill()
    filler.unlink()
    assert stored_runs(home) == earlier


def test_a_full_disk_before_the_start_is_told_and_loses_nothing_stored(
        small_disk: Path, session: Path) -> None:
    home = small_disk / "home"
    save_settings(home / "settings.toml", Settings(notice_seen=True, sound=False))
    earlier = store_earlier_runs(home, 20)
    filler = fill(small_disk)
    app = FaultApp(["--no-sound", "run", str(session)], home)
    try:
        practise_unsaved(app, b"disk is full")
    finally:
        app.kill()
    filler.unlink()
    assert stored_runs(home) == earlier


def test_store_on_a_full_disk_says_so_rather_than_a_rollback_error(small_disk: Path) -> None:
    """A WAL database on a full disk fails with a bare I/O error, and SQLite ends the read
    transaction itself: the store used to report the ROLLBACK that followed."""
    from coach.core.store import Store, StoreError

    home = small_disk / "home"
    earlier = store_earlier_runs(home, 20)
    filler = fill(small_disk)
    with pytest.raises(StoreError, match="the disk is full"):
        Store.open(home / "coach.sqlite3")
    filler.unlink()
    assert stored_runs(home) == earlier


def test_a_read_only_data_directory_is_told_and_left_as_it_was(session: Path) -> None:
    """Run as nobody, since root ignores permissions; the directory must be reachable."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="coach-read-only-"))
    try:
        base.chmod(0o755)
        home = base / "home"
        save_settings(home / "settings.toml", Settings(notice_seen=True, sound=False))
        earlier = store_earlier_runs(home, 5)
        shutil.copy(session, base / "breath.toml")
        for path in [home, *home.iterdir()]:
            os.chown(path, 65534, 65534)
        home.chmod(0o500)
        before = {p.name: p.read_bytes() for p in home.iterdir()}
        app = FaultApp(["--no-sound", "run", str(base / "breath.toml")], home, prefix=(
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"))
        try:
            practise_unsaved(app, b"cannot be written")
        finally:
            app.kill()
        assert {p.name: p.read_bytes() for p in home.iterdir()} == before
        assert stored_runs(home) == earlier
    finally:
        (base / "home").chmod(0o700)
        shutil.rmtree(base)


def damage(database: Path, how: str, rng: random.Random) -> None:
    data = bytearray(database.read_bytes())
    if how == "truncated":
        database.write_bytes(data[: len(data) // 2])
        return
    page = 4096  # garbage over the middle pages; the header page stays as it was
    start = page + rng.randrange(len(data) // 4 // page) * page
    data[start:start + 4 * page] = rng.randbytes(4 * page)
    database.write_bytes(data)


@pytest.mark.parametrize("how", ["truncated", "corrupt"])
def test_a_damaged_database_is_told_and_left_byte_identical(
        home: Path, session: Path, how: str) -> None:
    store_earlier_runs(home, 60, note="a note long enough to fill some pages " * 10)
    database = home / "coach.sqlite3"
    damage(database, how, random.Random(f"{SEED}-{how}"))
    damaged = database.read_bytes()
    app = FaultApp(["--no-sound", "run", str(session)], home)
    try:
        practise_unsaved(app, b"damaged")
    finally:
        app.kill()
    assert database.read_bytes() == damaged


def test_store_never_writes_to_a_file_damaged_where_it_has_not_read(tmp_path: Path) -> None:
    """SQLite notices damage only in pages it reads: the store checks the whole file first."""
    from coach.core.store import Store, StoreError

    home = tmp_path / "home"
    store_earlier_runs(home, 60, note="a note long enough to fill some pages " * 10)
    database = home / "coach.sqlite3"
    damage(database, "corrupt", random.Random(f"{SEED}-store"))
    damaged = database.read_bytes()
    with Store.open(database) as store, pytest.raises(StoreError, match="damaged"):
        store.start_run("box", "Box", None, [], 60, 5)
    assert database.read_bytes() == damaged


# -- two coaches at once --

def test_two_coaches_at_once_both_store_their_runs(home: Path, session: Path) -> None:
    from tests.faults.journey import ENDING, PLAYER, POST_SCREEN, PRE_SCREEN, SUMMARY, rate

    first, second = (FaultApp(["--no-sound", "run", str(session)], home) for _ in range(2))
    try:
        first.wait_for(PRE_SCREEN)
        rate(first, 7)
        first.wait_for(PLAYER)
        second.wait_for(PRE_SCREEN)  # started while the first is mid-session
        (running,) = stored_runs(home)
        assert running.outcome == Outcome.RUNNING  # a live process's run is not "recovered"
        rate(second, 3)
        second.wait_for(PLAYER)
        for app, after in ((second, 2), (first, 5)):
            app.type("\x1b")
            app.wait_for(ENDING)
            app.type("y")
            app.wait_for(POST_SCREEN)
            rate(app, after)
            app.wait_for(SUMMARY)
        for app in (first, second):
            app.type("\r")
            assert app.finish() == 0
            assert b"Traceback" not in app.output
    finally:
        first.kill()
        second.kill()
    runs = stored_runs(home)
    assert [(r.pain_before, r.pain_after, r.outcome, r.pid) for r in runs] == [
        (7, 5, Outcome.ENDED_EARLY, first.process.pid),
        (3, 2, Outcome.ENDED_EARLY, second.process.pid)]
