"""History helpers and the store's review queries, against hand-worked data on real SQLite."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core import history
from coach.core.relief import summarise
from coach.core.seed import generate_runs, seed_store
from coach.core.store import DayTotals, Outcome, Run, RunSort, Store

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def make_run(session: str, before: int | None, after: int | None, when: datetime,
             tags: tuple[str, ...] = ("breathing",), note: str | None = None,
             practised: float = 300.0, outcome: Outcome = Outcome.COMPLETED) -> Run:
    return Run(id=0, session_id=session, session_title=session.title(), session_path=None,
               tags=tags, started_utc=when, ended_utc=when + timedelta(minutes=5),
               planned_seconds=300.0, practised_seconds=practised, outcome=outcome,
               pain_before=before, pain_after=after, note=note, pid=0, host="test")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "coach.sqlite3") as s:
        yield s


HAND_WORKED = [
    make_run("alpha", 6, 3, T0),                          # 3 points, 50 %, meaningful
    make_run("alpha", 5, 5, T0 + timedelta(hours=5)),     # no change
    make_run("alpha", 8, 4, T0 + timedelta(days=1)),      # 4 points, 50 %, meaningful
    make_run("alpha", None, 2, T0 + timedelta(days=2)),   # unrated: counted, not averaged
    make_run("beta", 4, 5, T0 + timedelta(days=1), tags=("scan", "back")),  # -1, -25 %
    make_run("beta", 2, 1, T0 + timedelta(days=3), tags=("scan", "back")),  # 1 point is 50 %
    make_run("gamma", 0, 0, T0 + timedelta(days=3)),      # no pain at start: no percent
]


def test_summaries_match_the_hand_worked_figures(store: Store) -> None:
    store.insert_runs(HAND_WORKED)
    alpha, beta, gamma = store.summaries()
    assert (alpha.key, alpha.runs, alpha.rated_runs) == ("alpha", 4, 3)
    assert alpha.mean_points == pytest.approx(7 / 3)
    assert alpha.mean_percent == pytest.approx(100 / 3)
    assert alpha.meaningful_share == pytest.approx(2 / 3)
    assert not alpha.too_few and alpha.last_used == T0 + timedelta(days=2)
    assert (beta.key, beta.rated_runs, beta.mean_points) == ("beta", 2, 0)
    assert beta.mean_percent == pytest.approx(12.5)  # (-25 + 50) / 2
    assert beta.meaningful_share == 0.5 and beta.too_few
    assert (gamma.key, gamma.mean_points, gamma.mean_percent) == ("gamma", 0, None)
    assert gamma.meaningful_share == 0 and gamma.too_few


def test_summaries_by_tag_and_dates(store: Store) -> None:
    store.insert_runs(HAND_WORKED)
    assert [s.key for s in store.summaries(tag="back")] == ["beta"]
    since_day_2 = store.summaries(since=T0 + timedelta(days=1))
    assert {s.key: s.runs for s in since_day_2} == {"alpha": 2, "beta": 2, "gamma": 1}
    assert store.summaries(until=T0) == []


def test_sql_summaries_agree_with_the_in_memory_ones_on_a_seeded_history(store: Store) -> None:
    seed_store(store, 300, T0 + timedelta(days=120), seed=7)
    in_sql, in_memory = store.summaries(), summarise(store.runs())
    assert [s.key for s in in_sql] == [s.key for s in in_memory]
    for a, b in zip(in_sql, in_memory, strict=True):
        assert replace(a, mean_percent=0) == replace(b, mean_percent=0)
        assert a.mean_percent == pytest.approx(b.mean_percent)  # sums in another order


def test_daily_totals_are_sums_per_local_day(store: Store) -> None:
    store.insert_runs(HAND_WORKED)
    days = {d.day: d for d in store.daily_totals()}
    assert days[date(2025, 3, 1)] == DayTotals(date(2025, 3, 1), 2, 2, 11, 8, 600.0)
    assert days[date(2025, 3, 3)] == DayTotals(date(2025, 3, 3), 1, 0, 0, 0, 300.0)
    assert [d.day for d in store.daily_totals(session_id="beta")] == [date(2025, 3, 2),
                                                                       date(2025, 3, 4)]


def test_count_tags_and_sorted_pages(store: Store) -> None:
    store.insert_runs(HAND_WORKED)
    assert store.count_runs() == 7 and store.count_runs(tag="scan") == 2
    assert store.tags() == ["back", "breathing", "scan"]
    by_change = store.sorted_runs(RunSort.CHANGE)
    changes = [None if r.relief.points is None else r.relief.points for r in by_change]
    assert changes == [4, 3, 1, 0, 0, -1, None]  # a skipped rating comes last
    rising = store.sorted_runs(RunSort.CHANGE, descending=False)
    assert [r.relief.points for r in rising] == [-1, 0, 0, 1, 3, 4, None]
    pages = [store.sorted_runs("before", limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(r.id for p in pages for r in p) == list(range(1, 8))
    assert [r.pain_before for p in pages for r in p] == [8, 6, 5, 4, 2, 0, None]


def test_iter_runs_reads_every_run_oldest_first_in_chunks(store: Store) -> None:
    store.insert_runs(generate_runs(50, T0 + timedelta(days=40), seed=2))
    runs = list(store.iter_runs(chunk=7))
    assert len(runs) == 50 and len({r.id for r in runs}) == 50
    assert runs == sorted(runs, key=lambda r: (r.started_utc, r.id))
    assert list(store.iter_runs(session_id="nothing")) == []


def test_insert_runs_is_all_or_nothing(store: Store) -> None:
    bad = make_run("alpha", 6, 11, T0)
    with pytest.raises(ValueError, match="pain_after"):
        store.insert_runs([HAND_WORKED[0], bad])
    assert store.count_runs() == 0


NOW = datetime(2025, 3, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "end_of_day", "expected"), [
    ("2025-03-01", False, datetime(2025, 3, 1, tzinfo=UTC)),
    ("2025-03-01", True, datetime(2025, 3, 2, tzinfo=UTC)),
    ("2025-03-01T18:30", False, datetime(2025, 3, 1, 18, 30, tzinfo=UTC)),
    ("2025-03-01T18:30+02:00", False, datetime(2025, 3, 1, 16, 30, tzinfo=UTC)),
    ("today", False, datetime(2025, 3, 30, tzinfo=UTC)),
    ("Yesterday", True, datetime(2025, 3, 30, tzinfo=UTC)),
    ("30d", False, NOW - timedelta(days=30)),
    ("2w", False, NOW - timedelta(days=14)),
])
def test_parse_moment(text: str, end_of_day: bool, expected: datetime) -> None:
    assert history.parse_moment(text, NOW, end_of_day) == expected


def test_parse_moment_keeps_the_zone_of_now() -> None:
    berlin = timezone(timedelta(hours=1))
    moment = history.parse_moment("2025-03-01", NOW.astimezone(berlin))
    assert moment == datetime(2025, 2, 28, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["last week", "2025-13-01", "3", "2025/03/01"])
def test_unreadable_dates_say_what_works(text: str) -> None:
    with pytest.raises(history.DateError, match="30d"):
        history.parse_moment(text, NOW)


@pytest.mark.parametrize(("text", "end_of_day", "zone"), [
    ("9999-12-31", True, UTC), ("0001-01-01T00:00+14:00", False, UTC),
    ("0001-01-01", False, ZoneInfo("Europe/Berlin"))])
def test_dates_beyond_what_can_be_stored_are_refused_not_a_crash(text, end_of_day, zone) -> None:
    with pytest.raises(history.DateError, match="too far"):
        history.parse_moment(text, NOW.astimezone(zone), end_of_day)


def test_parse_range() -> None:
    assert history.parse_range("", NOW) == (None, None)
    assert history.parse_range("2025-03-01..2025-03-10", NOW) == (
        datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 11, tzinfo=UTC))
    assert history.parse_range("..2025-03-10", NOW) == (None, datetime(2025, 3, 11, tzinfo=UTC))
    assert history.parse_range("7d", NOW) == (NOW - timedelta(days=7), None)
    with pytest.raises(history.DateError, match="ends before it starts"):
        history.parse_range("2025-03-10..2025-03-01", NOW)


def test_export_row_has_every_column_in_order() -> None:
    row = history.export_row(HAND_WORKED[0], timezone(timedelta(hours=-5)))
    assert list(row) == [name for name, _ in history.EXPORT_COLUMNS]
    assert row["date_local"] == "2025-03-01" and row["time_local"] == "03:00"
    assert row["started_local"] == "2025-03-01T03:00:00-05:00"
    assert row["started_utc"] == "2025-03-01T08:00:00+00:00"
    assert (row["relief_points"], row["relief_percent"], row["band"]) == (3, 50.0, "substantial")
    assert (row["low_baseline"], row["pain_before"], row["pain_after"]) == (False, 6, 3)


def test_csv_parses_back_and_never_starts_a_formula() -> None:
    runs = [*HAND_WORKED, make_run("alpha", 7, 5, T0, note="=HYPERLINK(\"x\")", tags=("a", "b"))]
    out = io.StringIO()
    assert history.write_csv(runs, out, UTC) == len(runs)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(runs)
    assert list(rows[0]) == [name for name, _ in history.EXPORT_COLUMNS]
    assert rows[3]["pain_before"] == "" and rows[3]["band"] == "unrated"
    assert rows[6]["relief_percent"] == "" and rows[6]["band"] == "no pain at start"
    assert rows[7]["note"] == "'=HYPERLINK(\"x\")" and rows[7]["tags"] == "a; b"
    assert [rows[i]["low_baseline"] for i in (0, 4, 5)] == ["no", "no", "yes"]  # 6, 4, 2
    assert out.getvalue().endswith("\r\n")


def test_json_parses_back_with_summaries_and_runs() -> None:
    out = io.StringIO()
    summaries = summarise(HAND_WORKED)
    count = history.write_json(HAND_WORKED, summaries, out, UTC, {"tag": None}, NOW)
    data = json.loads(out.getvalue())
    assert count == 7 and len(data["runs"]) == 7
    assert data["generated_utc"] == "2025-03-30T12:00:00+00:00"
    assert data["columns"]["band"].startswith("substantial")
    assert data["runs"][3]["pain_before"] is None
    assert [data["runs"][i]["low_baseline"] for i in (0, 4, 5)] == [False, False, True]
    assert [s["session_id"] for s in data["summaries"]] == ["alpha", "beta", "gamma"]
    empty = io.StringIO()
    history.write_json([], [], empty, UTC, {}, NOW)
    assert json.loads(empty.getvalue())["runs"] == []


def test_text_helpers() -> None:
    assert history.points_text(2.25) == "−2.2" and history.points_text(-1) == "+1.0"
    assert history.points_text(0) == "0.0" and history.points_text(None) == "–"
    assert history.percent_text(33.3) == "−33 %" and history.percent_text(-25) == "+25 %"
    assert history.share_text(2 / 3) == "67 %" and history.share_text(None) == "–"


def test_summary_and_run_tables() -> None:
    lines = history.summary_lines(summarise(HAND_WORKED), UTC)
    assert lines[0].split() == ["PRACTICE", "RUNS", "RATED", "CHANGE", "PERCENT", "MEANINGFUL",
                                "LAST", "USED"]
    assert lines[1].split()[:6] == ["Alpha", "4", "3", "−2.3", "−33", "%"]
    assert lines[2].startswith("Beta *") and lines[-1].startswith("* fewer than 3")
    runs = history.run_lines([HAND_WORKED[1]], UTC)
    assert runs[1].split()[:8] == ["2025-03-01", "13:00", "Alpha", "5", "completed", "5", "5",
                                   "0"]


def days(*spec: tuple[int, int, int, int]) -> list[DayTotals]:
    """(day of March, runs, rated, before_sum) with after = before - rated."""
    return [DayTotals(date(2025, 3, d), n, r, b, b - r, 600.0 * n) for d, n, r, b in spec]


def test_buckets_merge_days_and_keep_gaps() -> None:
    spread = days((1, 2, 2, 12), (2, 1, 1, 5), (5, 1, 0, 0), (6, 2, 2, 8))
    daily = history.buckets(spread, columns=10)
    assert [b.first.day for b in daily] == [1, 2, 3, 4, 5, 6]
    assert daily[0].before_mean == 6 and daily[0].after_mean == 5
    assert daily[2].runs == 0 and daily[4].before_mean is None
    paired = history.buckets(spread, columns=3)
    assert [(b.first.day, b.last.day, b.runs, b.rated_runs) for b in paired] == [
        (1, 2, 3, 3), (3, 4, 0, 0), (5, 6, 3, 2)]
    assert paired[0].before_mean == pytest.approx(17 / 3)
    assert history.buckets([], 10) == []


def test_trend_compares_the_last_two_fortnights() -> None:
    earlier = [(d, 1, 1, 7) for d in range(1, 15)]
    recent = [(d, 1, 1, 5) for d in range(15, 29)]
    found = history.trend(days(*earlier, *recent))
    assert found is not None and (found.earlier, found.recent) == (7, 5)
    assert found.text() == "Pain before practice, last 2 weeks: 5.0 (the 2 before: 7.0), lower"
    assert history.trend(days(*recent)) is None  # nothing to compare with
    assert history.trend(days((1, 1, 1, 7), (2, 1, 1, 7), (20, 5, 5, 25))) is None


def test_facts_are_plain_totals() -> None:
    found = history.facts(days((1, 2, 2, 12), (2, 1, 1, 5), (3, 1, 1, 5), (6, 1, 0, 0)))
    assert found is not None
    assert (found.runs, found.days_practised, found.longest_streak) == (5, 4, 3)
    assert found.text() == "5 runs on 4 days · 50 min practised · up to 3 days in a row"
    assert history.facts([]) is None


def test_facts_say_a_short_try_was_practised() -> None:
    found = history.facts(days((1, 1, 1, 5)))
    assert found is not None
    for seconds in (23.0, 59.0):
        short = replace(found, practised_seconds=seconds)
        assert short.text() == "1 run on 1 day · under a minute practised"
    assert replace(found, practised_seconds=60.0).text() == "1 run on 1 day · 1 min practised"
    assert replace(found, practised_seconds=0.0).text() == "1 run on 1 day · 0 min practised"
