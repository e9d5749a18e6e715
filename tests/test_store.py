"""The ratings database, on real SQLite files (and real processes where it matters)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from coach.core.relief import Band, summarise
from coach.core.store import SCHEMA_VERSION, Outcome, Store, StoreError

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 3, 1, 7, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coach.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store.open(db) as s:
        yield s


def python(code: str, *args: str) -> subprocess.Popen[str]:
    """Run `code` in a fresh interpreter of this venv, with the checkout importable."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_survives_reopening(db: Path) -> None:
    with Store.open(db) as s:
        run_id = s.start_run(
            "box-4",
            "Box breathing",
            "/x/box.toml",
            ["calm", "back"],
            300.0,
            7,
            extras_before={"stress": 8},
            now=T0,
        )
        s.record_progress(run_id, 120.5)
        s.finish_run(run_id, Outcome.ENDED_EARLY, 150.0, now=T0 + timedelta(minutes=3))
        s.record_progress(run_id, 999.0)  # a late tick after the end changes nothing
        s.rate_after(run_id, 4, extras_after={"stress": 5, "unpleasantness": 3}, note="tight")
    with Store.open(db) as s:
        run = s.run(run_id)
        assert s.runs() == [run]
    assert run.session_id == "box-4" and run.session_title == "Box breathing"
    assert run.session_path == "/x/box.toml" and run.tags == ("calm", "back")
    assert run.started_utc == T0 and run.ended_utc == T0 + timedelta(minutes=3)
    assert (run.planned_seconds, run.practised_seconds) == (300.0, 150.0)
    assert run.outcome is Outcome.ENDED_EARLY
    assert (run.pain_before, run.pain_after, run.note) == (7, 4, "tight")
    assert run.extras_before == {"stress": 8}
    assert run.extras_after == {"stress": 5, "unpleasantness": 3}
    assert run.pid == os.getpid()
    assert run.relief.points == 3 and run.relief.band is Band.MEANINGFUL


def test_new_file_and_dir_are_private(db: Path) -> None:
    with Store.open(db) as s:
        s.start_run("box", "Box", None, [], 60, 3)
        for f in [db, *db.parent.glob("coach.sqlite3-*")]:  # -wal and -shm too
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("make", ["empty file", "empty database"])
def test_version_0_is_migrated_to_current(db: Path, make: str) -> None:
    db.parent.mkdir()
    if make == "empty file":
        db.write_bytes(b"")
    else:
        sqlite3.connect(db).execute("PRAGMA page_size = 4096").connection.execute("VACUUM")
    Store.open(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"runs", "extra_ratings"}
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def refused_untouched(db: Path, message: str) -> None:
    before = db.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert str(caught.value).startswith(str(db)) and message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no -wal, no -shm


def test_newer_schema_is_refused_and_left_untouched(db: Path) -> None:
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, future TEXT)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    refused_untouched(db, f"newer coach (schema 7, this coach knows {SCHEMA_VERSION})")


@pytest.mark.parametrize(
    "content",
    [b"my pain diary\n" * 100, b"SQLite", os.urandom(8192)],
    ids=["text", "short", "random"],
)
def test_non_sqlite_file_is_refused_and_left_untouched(db: Path, content: bytes) -> None:
    db.parent.mkdir()
    db.write_bytes(content)
    refused_untouched(db, "is not a coach database (file is damaged or not SQLite)")


def test_damaged_database_is_refused_and_left_untouched(db: Path) -> None:
    with Store.open(db) as s:
        for _ in range(50):
            s.start_run("box", "Box", None, [], 60, 3)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, after the intact header
    db.write_bytes(bytes(data))
    refused_untouched(db, "file is damaged or not SQLite")


def test_someone_elses_database_is_refused(db: Path) -> None:
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    refused_untouched(db, "holds other tables")


OPEN_AND_REPORT = """
import sys
from pathlib import Path
from coach.core.store import Store, StoreError
try:
    Store.open(Path(sys.argv[1])).close()
except StoreError as e:
    print(e)
    sys.exit(3)
"""


def open_without_privileges(db: Path) -> subprocess.CompletedProcess[str]:
    """Open `db` in a child that file permissions apply to, even when the tests run as root."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    return subprocess.run(
        [*prefix, sys.executable, "-c", OPEN_AND_REPORT, str(db)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing database"])
def test_read_only_directory_gives_store_error(db: Path, existing: bool) -> None:
    if existing:
        Store.open(db).close()
    else:
        db.parent.mkdir()
    db.parent.chmod(0o500)
    try:
        result = open_without_privileges(db)
    finally:
        db.parent.chmod(0o700)
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith(str(db)), result.stdout


def test_read_only_file_gives_store_error(db: Path) -> None:
    Store.open(db).close()
    before = db.read_bytes()
    db.chmod(0o400)
    result = open_without_privileges(db)
    assert result.returncode == 3, result.stderr
    assert "read-only" in result.stdout
    assert db.read_bytes() == before


def test_full_disk_gives_store_error_and_keeps_what_was_saved(store: Store) -> None:
    # SQLite's page limit raises the same SQLITE_FULL error as a full disk.
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    saved = []
    with pytest.raises(StoreError, match="disk is full"):
        for _ in range(1000):
            saved.append(store.start_run("box", "Box " + "x" * 500, None, [], 60, 5))
    assert saved and [r.id for r in store.runs()] == saved[::-1]


# The short sleep stands for the time between a session's writes; without it one writer can
# hold the lock for its whole loop and the two never actually interleave.
WRITER = """
import sys, time
from pathlib import Path
from coach.core.store import Store
store = Store.open(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    store.start_run(sys.argv[2], sys.argv[2], None, [sys.argv[2]], 60.0, i % 11)
    if i % 5 == 0:
        time.sleep(0.001)
store.close()
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(db: Path) -> None:
    # Neither process finds the database made: they also race to create and migrate it.
    writers = [python(WRITER, str(db), name, "1000") for name in ("alpha", "beta")]
    for w in writers:
        _, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
    with Store.open(db) as s:
        for name in ("alpha", "beta"):
            runs = s.runs(session_id=name)
            assert len(runs) == 1000
            assert sorted(r.pain_before for r in runs) == sorted(i % 11 for i in range(1000))
        in_order = [r.session_id for r in reversed(s.runs())]
    switches = sum(a != b for a, b in pairwise(in_order))
    assert switches >= 4, f"the writers took turns only {switches} times: no real contention"


OPEN_AT = """
import sys, time
from pathlib import Path
from coach.core.store import Store
while time.time() < float(sys.argv[2]):
    pass
Store.open(Path(sys.argv[1])).close()
"""


@pytest.mark.slow
def test_processes_creating_the_database_at_once_all_succeed(db: Path) -> None:
    # Spin until the same instant so creation, WAL switch and migration really collide.
    go = str(time.time() + 0.5)
    openers = [python(OPEN_AT, str(db), go) for _ in range(4)]
    for o in openers:
        _, err = o.communicate(timeout=30)
        assert o.returncode == 0, err
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


DIES_MID_SESSION = """
import os, signal, sys
from pathlib import Path
from coach.core.store import Store
store = Store.open(Path(sys.argv[1]))
run_id = store.start_run("box", "Box", None, [], 300.0, 6)
store.record_progress(run_id, 42.0)
print(run_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_recover_marks_dead_process_runs_interrupted(db: Path) -> None:
    child = python(DIES_MID_SESSION, str(db))
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err
    dead_run = int(out)
    with Store.open(db) as s:
        mine = s.start_run("box", "Box", None, [], 300.0, 5)
        # A run of the same dead pid on another machine sharing the file: we cannot tell.
        elsewhere = s._conn.execute(
            "INSERT INTO runs (session_id, session_title, started_utc, planned_seconds, pid, host)"
            " VALUES ('box', 'Box', '2025-01-01T00:00:00.000000+00:00', 60, ?, 'elsewhere')",
            (child.pid,),
        ).lastrowid
        assert elsewhere is not None
        assert s.recover_interrupted() == 1
        interrupted = s.run(dead_run)
        assert interrupted.outcome is Outcome.INTERRUPTED
        assert interrupted.practised_seconds == 42.0 and interrupted.pain_before == 6
        assert s.run(mine).outcome is Outcome.RUNNING
        assert s.run(elsewhere).outcome is Outcome.RUNNING
        assert s.recover_interrupted() == 0


def test_filters_and_paging(store: Store) -> None:
    ids = [
        store.start_run(key, key, None, tags, 60, 5, now=T0 + timedelta(days=i))
        for i, (key, tags) in enumerate(
            [("box", ["calm"]), ("478", ["sleep", "calm"]), ("box", []), ("scan", ["sleep"])]
        )
    ]
    assert [r.id for r in store.runs()] == ids[::-1]
    assert [r.id for r in store.runs(session_id="box")] == [ids[2], ids[0]]
    assert [r.id for r in store.runs(tag="calm")] == [ids[1], ids[0]]
    assert [r.id for r in store.runs(tag="cal")] == []
    assert [
        r.id for r in store.runs(since=T0 + timedelta(days=1), until=T0 + timedelta(days=3))
    ] == [ids[2], ids[1]]
    assert [r.id for r in store.runs(limit=2, offset=1)] == [ids[2], ids[1]]


def test_bad_input_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.start_run("box", "Box", None, [], 60, 11)
    with pytest.raises(ValueError):
        store.start_run("box", "Box", None, [], 60, 3, extras_before={"stress": -1})
    with pytest.raises(ValueError):
        store.start_run("box", "Box", None, [], 60, 3, now=datetime(2025, 1, 1))
    with pytest.raises(StoreError, match="no run 99"):
        store.rate_after(99, 3)
    with pytest.raises(StoreError, match="no run 99"):
        store.run(99)
    assert store.runs() == []


def fill_randomly(store: Store, seed: int, count: int) -> None:
    rng = random.Random(seed)
    keys = [f"s{k}" for k in range(rng.randint(1, 8))]
    minutes = rng.sample(range(100_000), count)  # distinct start times
    for minute in minutes:
        key = rng.choice(keys)
        rating = [None, *range(11)]
        run_id = store.start_run(
            key,
            f"{key} v{minute % 3}",
            None,
            rng.sample(["calm", "sleep", "back"], 2),
            60,
            rng.choice(rating),
            now=T0 + timedelta(minutes=minute),
        )
        if rng.random() < 0.8:
            store.rate_after(run_id, rng.choice(rating))


@pytest.mark.parametrize("seed", range(4))
def test_sql_summaries_agree_with_pure_summaries(store: Store, seed: int) -> None:
    fill_randomly(store, seed, 150)
    middle = T0 + timedelta(minutes=50_000)
    for filters in [
        {},
        {"tag": "calm"},
        {"since": middle},
        {"until": middle},
        {"session_id": "s0"},
    ]:
        sql = store.summaries(**filters)  # type: ignore[arg-type]
        pure = summarise(store.runs(**filters))  # type: ignore[arg-type]
        assert [s.key for s in sql] == [s.key for s in pure], filters
        for a, b in zip(sql, pure, strict=True):
            assert a.mean_percent == pytest.approx(b.mean_percent)
            assert a == type(a)(**{**b.__dict__, "mean_percent": a.mean_percent})
