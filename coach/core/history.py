"""The history of runs as people read it: dates typed on the command line, export rows for
CSV and JSON, text tables, the chart's buckets, the trend and a few quiet facts.

Pure helpers over the store's `Run`, `DayTotals` and relief.py's `PracticeSummary`; the
bands and the meaningful rule come from relief.py and are never recomputed here.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import IO

from coach.core.relief import TOO_FEW_RATED, PracticeSummary
from coach.core.report import OUTCOME_WORDS
from coach.core.store import DayTotals, Run
from coach.core.text import clean_line, table


class DateError(ValueError):
    """A date or range the user typed that coach cannot read; the message says what works."""


DATE_HELP = "a date (2025-03-01), a date and time (2025-03-01T18:00), today, yesterday, or 30d / 4w"
_AGO = re.compile(r"^(\d{1,5})\s*([dw])$")


def local_zone() -> tzinfo:
    """The computer's time zone now (what `datetime.astimezone()` uses)."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None  # astimezone() always sets one
    return zone


def parse_moment(text: str, now: datetime, end_of_day: bool = False) -> datetime:
    """A moment from user text, in the zone of `now` unless the text gives its own offset.

    A bare date means the start of that day, or the start of the next day when `end_of_day`
    (so `--until 2025-03-10` includes the 10th). `30d` and `4w` count back from `now`.
    """
    try:
        moment = _moment(text, now, end_of_day)
        moment.astimezone(UTC)  # the store compares moments in UTC
    except OverflowError:
        raise DateError(f"{text.strip()!r} is too far from today for coach") from None
    return moment


def _moment(text: str, now: datetime, end_of_day: bool) -> datetime:
    word = text.strip().lower()
    zone = now.tzinfo
    if zone is None:
        raise ValueError("now must be timezone-aware")
    today = now.date()
    days = {"today": today, "yesterday": today - timedelta(days=1)}.get(word)
    if days is None and (ago := _AGO.match(word)):
        count, unit = int(ago[1]), ago[2]
        return now - timedelta(days=count * (7 if unit == "w" else 1))
    if days is None and len(word) == 10:
        try:
            days = date.fromisoformat(word)
        except ValueError:
            days = None
    if days is not None:
        start = datetime.combine(days, time(), zone)
        return start + timedelta(days=1) if end_of_day else start
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DateError(f"{text.strip()!r} is not a date coach can read; use {DATE_HELP}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def parse_range(text: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """`since..until` (either side may be empty), or one moment meaning "since then".

    Returns (since, until) for the store: since inclusive, until exclusive; a bare date as
    `until` includes that whole day. Raises `DateError` for text it cannot read or a range
    that ends before it starts.
    """
    text = text.strip()
    if not text:
        return None, None
    start, sep, stop = text.partition("..")
    since = parse_moment(start, now) if start.strip() else None
    until = parse_moment(stop, now, end_of_day=True) if sep and stop.strip() else None
    if since is not None and until is not None and until <= since:
        raise DateError(f"{text!r} ends before it starts")
    return since, until


# -- export --

EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "the run's number in this database"),
    ("date_local", "local calendar date the run started (YYYY-MM-DD)"),
    ("time_local", "local time it started (HH:MM)"),
    ("started_local", "start, ISO 8601 local time with its UTC offset"),
    ("started_utc", "start, ISO 8601 UTC"),
    ("ended_utc", "end, ISO 8601 UTC; empty while running or if coach was killed"),
    ("session_id", "the session's name (file name without .toml)"),
    ("session_title", "the session's title at the time"),
    ("tags", "the session's tags, separated by '; '"),
    ("outcome", "completed, ended_early, interrupted, or running"),
    ("planned_minutes", "the session's length, minutes"),
    ("practised_minutes", "minutes actually practised, pauses excluded"),
    ("pain_before", "pain 0-10 before; empty if skipped"),
    ("pain_after", "pain 0-10 after; empty if skipped"),
    ("relief_points", "before - after: positive is less pain; empty unless both rated"),
    ("relief_percent", "100 x relief_points / before, one decimal; empty if before was 0"),
    ("band", "substantial, meaningful, small, no change, worse, no pain at start, unrated"),
    ("low_baseline", "yes (true in JSON) when before < 4: the percent is less reliable"),
    ("extras_before", "other ratings before, e.g. 'stress=6'; separated by '; '"),
    ("extras_after", "other ratings after, the same way"),
    ("note", "the user's note after the run"),
)
"""Every exported column with its meaning, in order; docs/review.md shows this table."""

_TEXT_COLUMNS = ("session_id", "session_title", "tags", "note", "extras_before", "extras_after")
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(moment: datetime | None, zone: tzinfo = UTC) -> str:
    return "" if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def _extras(extras: Mapping[str, int]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted(extras.items()))


def export_row(run: Run, zone: tzinfo) -> dict[str, str | int | float | bool | None]:
    """One run as the export columns: numbers stay numbers, None is a skipped value."""
    relief = run.relief
    local = run.started_utc.astimezone(zone)
    return {
        "run_id": run.id,
        "date_local": local.date().isoformat(),
        "time_local": local.strftime("%H:%M"),
        "started_local": local.isoformat(timespec="seconds"),
        "started_utc": _iso(run.started_utc),
        "ended_utc": _iso(run.ended_utc) or None,
        "session_id": run.session_id,
        "session_title": run.session_title,
        "tags": "; ".join(run.tags),
        "outcome": run.outcome.value,
        "planned_minutes": round(run.planned_seconds / 60, 2),
        "practised_minutes": round(run.practised_seconds / 60, 2),
        "pain_before": run.pain_before,
        "pain_after": run.pain_after,
        "relief_points": relief.points,
        "relief_percent": None if relief.percent is None else round(relief.percent, 1),
        "band": relief.band.value,
        "low_baseline": relief.low_baseline,
        "extras_before": _extras(run.extras_before),
        "extras_after": _extras(run.extras_after),
        "note": run.note,
    }


def _csv_cell(name: str, value: str | int | float | bool | None) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name in _TEXT_COLUMNS and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run as a formula
    return value


def write_csv(runs: Iterable[Run], out: IO[str], zone: tzinfo) -> int:
    """Write a header and one row per run; returns the number of runs written.

    Text that a spreadsheet would treat as a formula gets a leading apostrophe.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(name for name, _ in EXPORT_COLUMNS)
    count = 0
    for run in runs:
        writer.writerow(_csv_cell(k, v) for k, v in export_row(run, zone).items())
        count += 1
    return count


def _summary_record(summary: PracticeSummary) -> dict[str, object]:
    return {
        "session_id": summary.key,
        "session_title": summary.title,
        "runs": summary.runs,
        "rated_runs": summary.rated_runs,
        "mean_relief_points": summary.mean_points,
        "mean_relief_percent": summary.mean_percent,
        "meaningful_share": summary.meaningful_share,
        "last_used_utc": _iso(summary.last_used),
        "too_few_to_say": summary.too_few,
    }


def write_json(runs: Iterable[Run], summaries: Sequence[PracticeSummary], out: IO[str],
               zone: tzinfo, filters: Mapping[str, str | None], now: datetime) -> int:
    """One JSON object: when, filters, the column meanings, summaries, then the runs.

    Runs are written one at a time, so a long history never sits in memory whole.
    """
    head = {
        "generated_utc": _iso(now),
        "time_zone_offset": now.astimezone(zone).strftime("%z"),
        "filters": dict(filters),
        "columns": dict(EXPORT_COLUMNS),
        "summaries": [_summary_record(s) for s in summaries],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[:-2] + ',\n "runs": [')
    count = 0
    for run in runs:
        out.write(("\n  " if count == 0 else ",\n  ")
                  + json.dumps(export_row(run, zone), ensure_ascii=False))
        count += 1
    out.write("\n ]\n}\n" if count else "]\n}\n")
    return count


# -- text for people --

def points_text(points: float | None, decimals: int = 1) -> str:
    """A change in points with its sign: "−2.0" is less pain, "+1.0" more; "–" for none."""
    if points is None:
        return "–"
    value = round(-points, decimals)
    if value == 0:
        return f"{0:.{decimals}f}"
    return f"{value:+.{decimals}f}".replace("-", "−")


def pain_text(pain: int | None) -> str:
    """A rating 0-10, "–" when it was skipped."""
    return "–" if pain is None else str(pain)


def percent_text(percent: float | None) -> str:
    """A relief percent as a change: "−33 %"; "–" when there is none."""
    if percent is None:
        return "–"
    value = round(-percent)
    return "0 %" if value == 0 else f"{value:+d} %".replace("-", "−")


def share_text(share: float | None) -> str:
    """A 0-1 share as a whole percent, "–" when there is none."""
    return "–" if share is None else f"{round(100 * share)} %"


def day_text(day: date) -> str:
    """"3 Mar 2025": unambiguous in every country."""
    return f"{day.day} {day:%b %Y}"


def summary_lines(summaries: Sequence[PracticeSummary], zone: tzinfo) -> list[str]:
    """The per-practice table, most helpful first, with a note on practices with too few runs."""
    if not summaries:
        return []
    rows = [
        (
            clean_line(s.title) + (" *" if s.too_few else ""),
            str(s.runs),
            str(s.rated_runs),
            points_text(s.mean_points),
            percent_text(s.mean_percent),
            share_text(s.meaningful_share),
            s.last_used.astimezone(zone).date().isoformat(),
        )
        for s in summaries
    ]
    header = ("PRACTICE", "RUNS", "RATED", "CHANGE", "PERCENT", "MEANINGFUL", "LAST USED")
    lines = table(header, rows, right={1, 2, 3, 4, 5})
    if any(s.too_few for s in summaries):
        lines.append(f"* fewer than {TOO_FEW_RATED} rated runs: too few to say much yet.")
    return lines


RUN_HEADER = ("DATE", "TIME", "PRACTICE", "MIN", "OUTCOME", "BEFORE", "AFTER", "CHANGE",
              "BAND", "NOTE")


def run_cells(run: Run, zone: tzinfo) -> tuple[str, ...]:
    """One run as the table shows it, in `RUN_HEADER` order."""
    local = run.started_utc.astimezone(zone)
    relief = run.relief
    return (
        local.date().isoformat(),
        local.strftime("%H:%M"),
        clean_line(run.session_title),
        f"{run.practised_seconds / 60:.0f}",
        OUTCOME_WORDS[run.outcome],
        pain_text(run.pain_before),
        pain_text(run.pain_after),
        points_text(relief.points, 0),
        relief.band.value,
        clean_line(run.note or ""),
    )


def run_lines(runs: Sequence[Run], zone: tzinfo) -> list[str]:
    """The runs as a text table with a header."""
    return table(RUN_HEADER, [run_cells(r, zone) for r in runs], right={3, 5, 6, 7})


# -- the chart, the trend and the facts --

@dataclass(frozen=True)
class Bucket:
    """A span of calendar days drawn as one column of the chart."""

    first: date
    last: date
    runs: int
    rated_runs: int
    before_mean: float | None
    """Mean pain before over rated runs; None when no run in the span was rated."""
    after_mean: float | None


def buckets(days: Sequence[DayTotals], columns: int) -> list[Bucket]:
    """Days from the first to the last in `days`, merged into at most `columns` equal spans.

    Days without runs are kept as empty buckets, so the time axis stays even.
    """
    if not days or columns < 1:
        return []
    first, last = days[0].day, days[-1].day
    span = (last - first).days + 1
    width = math.ceil(span / columns)
    totals: dict[int, list[float]] = {}
    for d in days:
        slot = totals.setdefault((d.day - first).days // width, [0, 0, 0, 0])
        slot[0] += d.runs
        slot[1] += d.rated_runs
        slot[2] += d.before_sum
        slot[3] += d.after_sum
    result = []
    for index in range(math.ceil(span / width)):
        runs, rated, before, after = totals.get(index, [0, 0, 0, 0])
        start = first + timedelta(days=index * width)
        result.append(Bucket(
            first=start,
            last=min(last, start + timedelta(days=width - 1)),
            runs=int(runs),
            rated_runs=int(rated),
            before_mean=before / rated if rated else None,
            after_mean=after / rated if rated else None,
        ))
    return result


@dataclass(frozen=True)
class Trend:
    """Mean pain before practice in a recent window against the window just before it."""

    window_days: int
    earlier: float
    recent: float

    @property
    def change(self) -> float:
        """recent - earlier: negative means the pain is easing."""
        return self.recent - self.earlier

    def text(self) -> str:
        """One plain line, e.g. "Pain before practice, last 2 weeks: 5.0 (the 2 before: 6.1),
        lower"."""
        if abs(self.change) < 0.5:
            direction = "about the same"
        elif self.change < 0:
            direction = "lower"
        else:
            direction = "higher"
        weeks = f"{self.window_days // 7} weeks" if self.window_days % 7 == 0 \
            else f"{self.window_days} days"
        return (f"Pain before practice, last {weeks}: {self.recent:.1f} "
                f"(the {weeks.split()[0]} before: {self.earlier:.1f}), {direction}")


def trend(days: Sequence[DayTotals], window_days: int = 14) -> Trend | None:
    """Compare the last `window_days` (ending on the last day with runs) with the ones before.

    None unless each window holds at least `TOO_FEW_RATED` rated runs.
    """
    if not days:
        return None
    end = days[-1].day
    recent_from = end - timedelta(days=window_days - 1)
    earlier_from = recent_from - timedelta(days=window_days)
    recent = [d for d in days if d.day >= recent_from]
    earlier = [d for d in days if earlier_from <= d.day < recent_from]
    rated_recent = sum(d.rated_runs for d in recent)
    rated_earlier = sum(d.rated_runs for d in earlier)
    if rated_recent < TOO_FEW_RATED or rated_earlier < TOO_FEW_RATED:
        return None
    return Trend(
        window_days,
        earlier=sum(d.before_sum for d in earlier) / rated_earlier,
        recent=sum(d.before_sum for d in recent) / rated_recent,
    )


@dataclass(frozen=True)
class Facts:
    """Totals, told quietly: what happened, never a goal."""

    runs: int
    days_practised: int
    first: date
    last: date
    practised_seconds: float
    longest_streak: int
    """The most days in a row with at least one run."""

    def text(self) -> str:
        """"41 runs on 23 days · 9 h 10 min practised · up to 6 days in a row"."""
        hours, minutes = divmod(round(self.practised_seconds / 60), 60)
        time_text = f"{hours} h {minutes} min" if hours else f"{minutes} min"
        if 0 < self.practised_seconds < 60:  # a short try is not "0 min" (as minutes_text)
            time_text = "under a minute"
        runs = f"{self.runs} run{'s' * (self.runs != 1)}"
        days = f"{self.days_practised} day{'s' * (self.days_practised != 1)}"
        streak = f" · up to {self.longest_streak} days in a row" if self.longest_streak > 1 \
            else ""
        return f"{runs} on {days} · {time_text} practised{streak}"


def facts(days: Sequence[DayTotals]) -> Facts | None:
    """The quiet facts about `days` (oldest first), or None when there are none."""
    practised = [d for d in days if d.runs]
    if not practised:
        return None
    longest = streak = 0
    previous: date | None = None
    for d in practised:
        streak = streak + 1 if previous is not None and (d.day - previous).days == 1 else 1
        longest = max(longest, streak)
        previous = d.day
    return Facts(
        runs=sum(d.runs for d in practised),
        days_practised=len(practised),
        first=practised[0].day,
        last=practised[-1].day,
        practised_seconds=sum(d.practised_seconds for d in practised),
        longest_streak=longest,
    )

