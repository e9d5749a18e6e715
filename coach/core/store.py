"""The ratings database: one SQLite file of runs and the pain ratings around them.

A run row is committed before the first breath and updated as the session goes, so a crash
or `kill -9` loses at most the last progress tick. WAL, `synchronous=FULL` and a busy timeout
let two coach processes write at once without losing a row. Files this coach cannot read, or
that a newer coach made, are refused and never written to.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from coach.core.relief import (
    PracticeSummary,
    Relief,
    check_score,
    meaningful_sql,
    ranked,
    relief,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """A database problem, with a one-line message fit to show the user."""


class Outcome(StrEnum):
    """How a run ended, or `running` while it has not."""

    RUNNING = "running"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    INTERRUPTED = "interrupted"
    """The session was cut off: the terminal closed or coach was stopped (set then), or the
    process was killed (set by `recover_interrupted` at the next start)."""


@dataclass(frozen=True)
class Run:
    """One time the user started a session, with the ratings around it."""

    id: int
    session_id: str
    session_title: str
    session_path: str | None
    tags: tuple[str, ...]
    started_utc: datetime
    ended_utc: datetime | None
    """None while running, and for runs found interrupted after a kill (when the process died
    is unknown); a run stopped by a signal has the moment it stopped."""
    planned_seconds: float
    practised_seconds: float
    """Seconds actually practised, excluding pauses; updated by progress ticks."""
    outcome: Outcome
    pain_before: int | None
    pain_after: int | None
    note: str | None
    pid: int
    host: str
    extras_before: Mapping[str, int] = field(default_factory=dict)
    """Optional other 0-10 dimensions rated before, e.g. {"stress": 6}."""
    extras_after: Mapping[str, int] = field(default_factory=dict)
    """The same, rated after."""

    @property
    def relief(self) -> Relief:
        """The pain relief of this run."""
        return relief(self.pain_before, self.pain_after)


@dataclass(frozen=True)
class DayTotals:
    """The runs of one local calendar day, summed so that days can be merged into weeks."""

    day: date
    runs: int
    rated_runs: int
    """Runs with both ratings; the two sums below are over these only."""
    before_sum: int
    after_sum: int
    practised_seconds: float


class RunSort(StrEnum):
    """The orders `Store.sorted_runs` offers."""

    STARTED = "started"
    PRACTICE = "practice"
    MINUTES = "minutes"
    OUTCOME = "outcome"
    BEFORE = "before"
    AFTER = "after"
    CHANGE = "change"


_SORT_COLUMNS = {
    RunSort.STARTED: "started_utc",
    RunSort.PRACTICE: "session_title COLLATE NOCASE",
    RunSort.MINUTES: "practised_seconds",
    RunSort.OUTCOME: "outcome",
    RunSort.BEFORE: "pain_before",
    RunSort.AFTER: "pain_after",
    RunSort.CHANGE: "pain_before - pain_after",
}
_NULLABLE_SORTS = {RunSort.BEFORE, RunSort.AFTER, RunSort.CHANGE}

# Each migration takes the schema from version i to i + 1; v2 is one more function here.
def _migrate_v1(conn: sqlite3.Connection) -> None:
    score = "({0} IS NULL OR (typeof({0}) = 'integer' AND {0} BETWEEN 0 AND 10))"
    outcomes = ", ".join(f"'{o.value}'" for o in Outcome)
    statements = [
        f"""CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            session_title TEXT NOT NULL,
            session_path TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            started_utc TEXT NOT NULL,
            ended_utc TEXT,
            planned_seconds REAL NOT NULL CHECK (planned_seconds >= 0),
            practised_seconds REAL NOT NULL DEFAULT 0 CHECK (practised_seconds >= 0),
            outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ({outcomes})),
            pain_before INTEGER CHECK {score.format("pain_before")},
            pain_after INTEGER CHECK {score.format("pain_after")},
            note TEXT,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL
        )""",
        "CREATE INDEX runs_started ON runs (started_utc)",
        "CREATE INDEX runs_session_started ON runs (session_id, started_utc)",
        """CREATE TABLE extra_ratings (
            run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            moment TEXT NOT NULL CHECK (moment IN ('before', 'after')),
            dimension TEXT NOT NULL CHECK (length(dimension) > 0),
            value INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value BETWEEN 0 AND 10),
            PRIMARY KEY (run_id, moment, dimension)
        ) WITHOUT ROWID""",
    ]
    for statement in statements:
        conn.execute(statement)


MIGRATIONS: Sequence[Callable[[sqlite3.Connection], None]] = (_migrate_v1,)
SCHEMA_VERSION = len(MIGRATIONS)

_RUN_COLUMNS = (
    "id, session_id, session_title, session_path, tags, started_utc, ended_utc, planned_seconds,"
    " practised_seconds, outcome, pain_before, pain_after, note, pid, host"
)


def _utc_text(moment: datetime) -> str:
    """One fixed-width UTC form, so text order in SQL is time order."""
    if moment.tzinfo is None:
        raise ValueError(f"a timezone-aware datetime is needed, got {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _now(now: datetime | None) -> str:
    return _utc_text(now if now is not None else datetime.now(UTC))


def _check_extras(extras: Mapping[str, int] | None) -> Mapping[str, int]:
    for dimension, value in (extras or {}).items():
        if not dimension:
            raise ValueError("an extra rating needs a dimension name")
        check_score(value, f"{dimension} rating")
    return extras or {}


def _pid_alive(pid: int) -> bool:
    """True unless the process certainly does not exist on this host."""
    if pid <= 0:  # kill() would signal a whole process group instead
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Set WAL mode and return the mode now in force.

    Two processes creating the database at once can get SQLITE_BUSY here at once, without
    the busy handler being called (SQLite avoids a deadlock), so this waits by itself.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode: str = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            return mode
        except sqlite3.OperationalError as e:
            busy = (getattr(e, "sqlite_errorcode", 0) & 0xFF) in (
                sqlite3.SQLITE_BUSY,
                sqlite3.SQLITE_LOCKED,
            )
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _known_version(path: Path, conn: sqlite3.Connection) -> int:
    """The file's schema version; `StoreError` if a newer coach made it."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was made by a newer coach (schema {version}, this coach knows "
            f"{SCHEMA_VERSION}); it was left untouched"
        )
    return version


def _verify(path: Path, conn: sqlite3.Connection) -> None:
    """`StoreError` unless every page of the file is sound. SQLite only notices damage in the
    pages it reads, so without this a write could land in a damaged file and change it."""
    try:
        verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise StoreError(_describe(path, e)) from e
    if verdict != "ok":
        raise StoreError(
            f"{path} is not a coach database (file is damaged or not SQLite); it was left untouched"
        )


def _no_space_left(path: Path) -> bool:
    """True if the disk holding `path` is full: a WAL file opened there then fails with a
    bare I/O error (its shared-memory file cannot grow), which says nothing of the cause."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _describe(path: Path, error: sqlite3.Error) -> str:
    """Turn an sqlite3 error into the one-line message the user sees."""
    text = str(error)
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if "disk is full" in text or code == sqlite3.SQLITE_FULL or (
        code == sqlite3.SQLITE_IOERR and _no_space_left(path)
    ):
        return f"{path}: the disk is full; the last change was not saved"
    if "readonly" in text or "unable to open" in text:
        return f"{path} cannot be written (read-only file or directory); coach needs to write there"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program (waited {BUSY_TIMEOUT_MS // 1000} s)"
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text
    ):
        return (
            f"{path} is not a coach database (file is damaged or not SQLite); it was left untouched"
        )
    return f"{path}: database error: {text}"


class Store:
    """The ratings database. Open with `Store.open(path)`; safe to share between threads."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        """Use `Store.open`; this takes an already prepared connection."""
        self.path = path
        self._conn = conn
        # One connection serves the UI thread and workers; sqlite3 objects are not thread-safe.
        self._lock = threading.RLock()
        self._host = os.uname().nodename  # gethostname(), without importing socket (4 ms)
        self._verified = False
        """The whole file was checked before this store's first write."""

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open or create the database at `path`, migrating it to the current schema.

        A new file is created with mode 0600 (and its directory with 0700). Raises `StoreError`
        for a damaged or foreign file, a newer schema, or a place coach cannot write.
        """
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Create the file ourselves so it is private from the first byte; SQLite gives the
            # -wal and -shm files the database file's mode.
            fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o600)
            try:
                header = os.read(fd, len(SQLITE_MAGIC))
            finally:
                os.close(fd)
        except OSError as e:
            raise StoreError(f"{path} cannot be created or read ({e.strerror})") from e
        if header and header != SQLITE_MAGIC:
            raise StoreError(
                f"{path} is not a coach database (file is damaged or not SQLite); "
                "it was left untouched"
            )
        try:
            conn = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,  # we issue BEGIN IMMEDIATE ourselves
                check_same_thread=False,
            )
        except sqlite3.Error as e:
            raise StoreError(_describe(path, e)) from e
        try:
            cls._prepare(path, conn)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    @staticmethod
    def _prepare(path: Path, conn: sqlite3.Connection) -> None:
        """Check the file is ours and current enough, then set up WAL and migrate."""
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Read-only checks first: nothing below may write to a file we then refuse. One read
            # transaction, so another process's migration is seen whole or not at all.
            conn.execute("BEGIN")
            try:
                version = _known_version(path, conn)
                # Reading the schema also parses it: a damaged file fails here, still unwritten.
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            finally:
                # SQLite ends the transaction itself on some errors (a full disk); a ROLLBACK
                # then would raise and hide the error that matters.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            if version == 0 and tables:
                raise StoreError(
                    f"{path} is not a coach database (it holds other tables); it was left untouched"
                )
            if _switch_to_wal(conn) != "wal":
                raise StoreError(
                    f"{path} cannot be switched to WAL mode; is it on a network drive?"
                )
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                version = _known_version(path, conn)
                if version == SCHEMA_VERSION:
                    # A write rolled back proves the file can be written, and leaves it as it was.
                    conn.execute(f"PRAGMA user_version = {version}")
                    conn.execute("ROLLBACK")
                    return
                if tables:
                    _verify(path, conn)
                for migrate in MIGRATIONS[version:]:
                    migrate(conn)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise StoreError(_describe(path, e)) from e

    def close(self) -> None:
        """Close the database; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as e:
                raise StoreError(_describe(self.path, e)) from e

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One durable transaction. IMMEDIATE takes the write lock up front, so the busy
        timeout applies (a deferred read-then-write can fail at once with SQLITE_BUSY).
        The first write checks the whole file, so a damaged one is never written to."""
        with self._reading() as conn:
            if not self._verified:
                _verify(self.path, conn)
                self._verified = True
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _update_run(self, conn: sqlite3.Connection, run_id: int, sql: str, *args: object) -> None:
        if (
            conn.execute(sql, (*args, run_id)).rowcount == 0
            and not conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone()
        ):
            raise StoreError(f"{self.path}: there is no run {run_id}")

    @staticmethod
    def _insert_extras(
        conn: sqlite3.Connection, run_id: int, moment: str, extras: Mapping[str, int]
    ) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO extra_ratings (run_id, moment, dimension, value)"
            " VALUES (?, ?, ?, ?)",
            [(run_id, moment, dimension, value) for dimension, value in extras.items()],
        )

    def start_run(
        self,
        session_id: str,
        title: str,
        path: str | Path | None,
        tags: Sequence[str],
        planned_seconds: float,
        pain_before: int | None,
        extras_before: Mapping[str, int] | None = None,
        now: datetime | None = None,
    ) -> int:
        """Record that a session starts, with the rating before it; returns the run id.

        Committed before returning, so the run exists even if the process dies next.
        """
        check_score(pain_before, "pain_before")
        extras = _check_extras(extras_before)
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (session_id, session_title, session_path, tags, started_utc,"
                " planned_seconds, pain_before, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    title,
                    None if path is None else str(path),
                    json.dumps(list(tags)),
                    _now(now),
                    planned_seconds,
                    pain_before,
                    os.getpid(),
                    self._host,
                ),
            )
            run_id = cursor.lastrowid
            assert run_id is not None  # an INSERT always sets it
            self._insert_extras(conn, run_id, "before", extras)
        return run_id

    def record_progress(self, run_id: int, practised_seconds: float) -> None:
        """Save how long has been practised so far; ignored once the run has ended."""
        with self._writing() as conn:
            self._update_run(
                conn,
                run_id,
                "UPDATE runs SET practised_seconds = ? WHERE id = ? AND outcome = 'running'",
                practised_seconds,
            )

    def finish_run(
        self,
        run_id: int,
        outcome: Outcome | str,
        practised_seconds: float,
        now: datetime | None = None,
    ) -> None:
        """Mark a run completed, ended early or interrupted, with its practised time."""
        outcome = Outcome(outcome)
        if outcome is Outcome.RUNNING:
            raise ValueError("finish_run needs an ending outcome, not 'running'")
        with self._writing() as conn:
            self._update_run(
                conn,
                run_id,
                "UPDATE runs SET outcome = ?, practised_seconds = ?, ended_utc = ? WHERE id = ?",
                outcome.value,
                practised_seconds,
                _now(now),
            )

    def rate_after(
        self,
        run_id: int,
        pain_after: int | None,
        extras_after: Mapping[str, int] | None = None,
        note: str | None = None,
    ) -> None:
        """Record the rating after a run (None when skipped), other dimensions and a note."""
        check_score(pain_after, "pain_after")
        extras = _check_extras(extras_after)
        with self._writing() as conn:
            self._update_run(
                conn,
                run_id,
                "UPDATE runs SET pain_after = ?, note = ? WHERE id = ?",
                pain_after,
                note,
            )
            self._insert_extras(conn, run_id, "after", extras)

    def recover_interrupted(self) -> int:
        """Mark `running` runs of dead processes on this host `interrupted`; return how many.

        Runs of live processes (this one included) and of other hosts are left alone.
        """
        running = "SELECT id, pid FROM runs WHERE outcome = 'running' AND host = ?"
        with self._reading() as conn:  # usually none are dead: then nothing is written
            if all(_pid_alive(pid) for _, pid in conn.execute(running, (self._host,))):
                return 0
        with self._writing() as conn:
            rows = conn.execute(running, (self._host,)).fetchall()
            dead = [(run_id,) for run_id, pid in rows if not _pid_alive(pid)]
            conn.executemany("UPDATE runs SET outcome = 'interrupted' WHERE id = ?", dead)
        return len(dead)

    @staticmethod
    def _where(
        since: datetime | None,
        until: datetime | None,
        session_id: str | None,
        tag: str | None,
    ) -> tuple[str, list[object]]:
        """A WHERE clause for the shared filters: since inclusive, until exclusive."""
        clauses: list[str] = ["1"]
        args: list[object] = []
        if since is not None:
            clauses.append("started_utc >= ?")
            args.append(_utc_text(since))
        if until is not None:
            clauses.append("started_utc < ?")
            args.append(_utc_text(until))
        if session_id is not None:
            clauses.append("session_id = ?")
            args.append(session_id)
        if tag is not None:
            clauses.append("EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?)")
            args.append(tag)
        return " AND ".join(clauses), args

    def runs(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Run]:
        """Runs started in [since, until), newest first, optionally of one session or tag."""
        return self.sorted_runs(RunSort.STARTED, True, since, until, session_id, tag, limit,
                                offset)

    def _fetch_runs(self, page: str, args: Sequence[object]) -> list[Run]:
        """The runs a SELECT of `_RUN_COLUMNS` returns, in its order, with their extras."""
        with self._reading() as conn:
            rows = conn.execute(page, args).fetchall()
            extras: dict[tuple[int, str], dict[str, int]] = {}
            for run_id, moment, dimension, value in conn.execute(
                f"SELECT run_id, moment, dimension, value FROM extra_ratings"
                f" WHERE run_id IN (SELECT id FROM ({page}))",
                args,
            ):
                extras.setdefault((run_id, moment), {})[dimension] = value
        return [
            _run_from_row(
                row, extras.get((row[0], "before"), {}), extras.get((row[0], "after"), {})
            )
            for row in rows
        ]

    def run(self, run_id: int) -> Run:
        """The run with this id; `StoreError` if there is none."""
        with self._reading() as conn:
            row = conn.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: there is no run {run_id}")
            extras: dict[str, dict[str, int]] = {"before": {}, "after": {}}
            for moment, dimension, value in conn.execute(
                "SELECT moment, dimension, value FROM extra_ratings WHERE run_id = ?", (run_id,)
            ):
                extras[moment][dimension] = value
        return _run_from_row(row, extras["before"], extras["after"])

    def summaries(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
    ) -> list[PracticeSummary]:
        """Per-practice summaries of the filtered runs, computed in SQL, ranked like `summarise`.

        Uses relief.py's definitions: `meaningful_sql` for the meaningful share and
        `PracticeSummary.from_totals` for the means.
        """
        where, args = self._where(since, until, session_id, tag)
        meaningful_rule = meaningful_sql("pain_before", "pain_after")
        # The bare session_title comes from the row holding MAX(started_utc) (an SQLite rule),
        # so it is the most recent title.
        sql = f"""
            SELECT session_id, session_title, MAX(started_utc), COUNT(*),
                   COALESCE(SUM(rated), 0),
                   COALESCE(SUM(CASE WHEN rated THEN pain_before - pain_after END), 0),
                   COALESCE(SUM(CASE WHEN rated AND pain_before >= 1
                                THEN 100.0 * (pain_before - pain_after) / pain_before END), 0.0),
                   COALESCE(SUM(rated AND pain_before >= 1), 0),
                   COALESCE(SUM(rated AND {meaningful_rule}), 0)
            FROM (SELECT *, (pain_before IS NOT NULL AND pain_after IS NOT NULL) AS rated
                  FROM runs WHERE {where})
            GROUP BY session_id
        """
        with self._reading() as conn:
            rows = conn.execute(sql, args).fetchall()
        return ranked(
            PracticeSummary.from_totals(
                key=key,
                title=title,
                runs=runs,
                rated_runs=rated,
                points_sum=points,
                percent_sum=percent,
                percent_runs=percent_runs,
                meaningful_runs=meaningful,
                last_used=datetime.fromisoformat(last),
            )
            for key, title, last, runs, rated, points, percent, percent_runs, meaningful in rows
        )


    def count_runs(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
    ) -> int:
        """How many runs the filters select (the same filters as `runs`)."""
        where, args = self._where(since, until, session_id, tag)
        with self._reading() as conn:
            row = conn.execute(f"SELECT count(*) FROM runs WHERE {where}", args).fetchone()
        return int(row[0])

    def tags(self) -> list[str]:
        """Every tag any run carries, sorted."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT DISTINCT tag.value FROM runs, json_each(runs.tags) AS tag ORDER BY 1"
            ).fetchall()
        return [value for (value,) in rows]

    def sorted_runs(
        self,
        sort: RunSort | str = "started",
        descending: bool = True,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Run]:
        """One page of the filtered runs in the order asked for; for tables that load lazily.

        Runs without a value for the sort column (a skipped rating) come last either way;
        ties go newest first.
        """
        sort = RunSort(sort)
        column = _SORT_COLUMNS[sort]
        direction = "DESC" if descending else "ASC"
        where, args = self._where(since, until, session_id, tag)
        # Only the ratings can be NULL; leaving the IS NULL term off the others lets SQLite
        # walk the started_utc index instead of sorting every row.
        nulls_last = f"({column}) IS NULL, " if sort in _NULLABLE_SORTS else ""
        page = (
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE {where}"
            f" ORDER BY {nulls_last}{column} {direction}, started_utc DESC, id DESC"
            " LIMIT ? OFFSET ?"
        )
        return self._fetch_runs(page, [*args, -1 if limit is None else limit, offset])

    def iter_runs(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
        chunk: int = 2000,
    ) -> Iterator[Run]:
        """Every filtered run, oldest first, read in chunks so an export never holds them all.

        Pages by (started_utc, id) rather than OFFSET, so each chunk costs the same.
        """
        where, args = self._where(since, until, session_id, tag)
        after: tuple[str, int] = ("", 0)
        while True:
            page = (
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE {where}"
                " AND (started_utc, id) > (?, ?) ORDER BY started_utc, id LIMIT ?"
            )
            runs = self._fetch_runs(page, [*args, *after, chunk])
            yield from runs
            if len(runs) < chunk:
                return
            last = runs[-1]
            after = (_utc_text(last.started_utc), last.id)

    def daily_totals(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        session_id: str | None = None,
        tag: str | None = None,
    ) -> list[DayTotals]:
        """Per local calendar day, oldest first: runs, rated runs, sums of the ratings, time.

        Sums rather than means, so callers can merge days into weeks without losing weight.
        """
        where, args = self._where(since, until, session_id, tag)
        sql = f"""
            SELECT date(started_utc, 'localtime') AS day, COUNT(*), COALESCE(SUM(rated), 0),
                   COALESCE(SUM(CASE WHEN rated THEN pain_before END), 0),
                   COALESCE(SUM(CASE WHEN rated THEN pain_after END), 0),
                   COALESCE(SUM(practised_seconds), 0.0)
            FROM (SELECT started_utc, pain_before, pain_after, practised_seconds,
                         (pain_before IS NOT NULL AND pain_after IS NOT NULL) AS rated
                  FROM runs WHERE {where})
            GROUP BY day ORDER BY day
        """
        with self._reading() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [
            DayTotals(date.fromisoformat(day), runs, rated, before, after, seconds)
            for day, runs, rated, before, after, seconds in rows
        ]

    def insert_runs(self, runs: Iterable[Run]) -> int:
        """Add finished runs in one transaction (generated history, imports); returns how many.

        Each run gets a new id; the `id` of the given runs is ignored.
        """
        count = 0
        with self._writing() as conn:
            for run in runs:
                check_score(run.pain_before, "pain_before")
                check_score(run.pain_after, "pain_after")
                cursor = conn.execute(
                    "INSERT INTO runs (session_id, session_title, session_path, tags,"
                    " started_utc, ended_utc, planned_seconds, practised_seconds, outcome,"
                    " pain_before, pain_after, note, pid, host)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run.session_id,
                        run.session_title,
                        run.session_path,
                        json.dumps(list(run.tags)),
                        _utc_text(run.started_utc),
                        None if run.ended_utc is None else _utc_text(run.ended_utc),
                        run.planned_seconds,
                        run.practised_seconds,
                        Outcome(run.outcome).value,
                        run.pain_before,
                        run.pain_after,
                        run.note,
                        run.pid,
                        run.host,
                    ),
                )
                run_id = cursor.lastrowid
                assert run_id is not None  # an INSERT always sets it
                self._insert_extras(conn, run_id, "before", _check_extras(run.extras_before))
                self._insert_extras(conn, run_id, "after", _check_extras(run.extras_after))
                count += 1
        return count


def _run_from_row(row: Any, before: Mapping[str, int], after: Mapping[str, int]) -> Run:
    """A `Run` from a row selected with `_RUN_COLUMNS`, in that order."""
    (
        run_id,
        session_id,
        title,
        path,
        tags,
        started,
        ended,
        planned,
        practised,
        outcome,
        pain_before,
        pain_after,
        note,
        pid,
        host,
    ) = row
    return Run(
        id=run_id,
        session_id=session_id,
        session_title=title,
        session_path=path,
        tags=tuple(json.loads(tags)),
        started_utc=datetime.fromisoformat(started),
        ended_utc=None if ended is None else datetime.fromisoformat(ended),
        planned_seconds=planned,
        practised_seconds=practised,
        outcome=Outcome(outcome),
        pain_before=pain_before,
        pain_after=pain_after,
        note=note,
        pid=pid,
        host=host,
        extras_before=before,
        extras_after=after,
    )
