"""Every benchmark in one command, and one table: each target, coach, the peers, bare Textual.

Runs the scripts beside this one, one after another (never two at once: they share two cores),
echoes what each prints, then prints a Markdown table with the date and the machine, and a
verdict for each target (met, or missed by how much).

    .venv/bin/python bench/run_all.py            # about 17 minutes
    .venv/bin/python bench/run_all.py --quick    # about 4 minutes: shorter runs, one of each

The peers are installed on first use into `bench/.peers/venv` (see peers.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_screen import POLL_MS  # bench/ is this script's folder, so it is on sys.path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
COACH = Path(sys.executable).parent / "coach"
NUMBER = r"(-?[\d.,]+|None)"


@dataclass
class Script:
    """One benchmark script: its arguments in full and in quick mode, and what it printed."""

    name: str
    full: list[str]
    quick: list[str]
    output: str = ""
    problem: str | None = None
    """Why the script gave no figures (missing, failed), if it did not."""
    seconds: float = 0.0


@dataclass
class Row:
    """One line of the table."""

    what: str
    target: str
    coach: str
    peers: str = ""
    floor: str = ""
    verdict: str = ""
    notes: list[str] = field(default_factory=list)


def run_script(script: Script, quick: bool, extra_env: dict[str, str] | None = None) -> None:
    """Run one script with this interpreter, echoing its output as it comes."""
    path = BENCH / script.name
    if not path.exists():
        script.problem = f"{script.name} is missing"
        return
    argv = [sys.executable, str(path), *(script.quick if quick else script.full)]
    print(f"\n## {script.name} {' '.join(argv[2:])}", flush=True)
    started = time.monotonic()
    lines = []
    with subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env={**os.environ, **(extra_env or {})}) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(f"   {line}", end="", flush=True)
            lines.append(line)
    script.seconds = time.monotonic() - started
    script.output = "".join(lines)
    if process.returncode:
        last = lines[-1].strip() if lines else "no output"
        script.problem = f"{script.name} exited {process.returncode}: {last}"


def number(text: str) -> float | None:
    return None if text == "None" else float(text.replace(",", ""))


def find(pattern: str, text: str) -> list[float | None] | None:
    """The numbers a line of output carries, or None when no line matches."""
    match = re.search(pattern, text, re.MULTILINE)
    return None if match is None else [number(group) for group in match.groups()]


def fmt(value: float | None, unit: str, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f} {unit}".rstrip()


def verdict(value: float | None, limit: float, unit: str, digits: int = 0) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return "met"
    return f"missed by {value - limit:,.{digits}f} {unit}"


def median_of(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def time_history(runs: int, repeat: int) -> tuple[float, str]:
    """`coach history` on a store of `runs` runs (about a year of practice): median ms."""
    from coach.core.seed import seed_store
    from coach.core.store import Store

    home = Path(tempfile.mkdtemp(prefix="coach-bench-history-"))
    try:
        end = datetime.now(UTC) - timedelta(hours=1)
        with Store.open(home / "coach.sqlite3") as store:
            seed_store(store, runs, end, seed=1, runs_per_day=1)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([str(COACH), "history"], env={**os.environ, "COACH_HOME": str(home)},
                           capture_output=True, check=True)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), f"median of {repeat}"
    finally:
        shutil.rmtree(home, ignore_errors=True)


def peers_cell(peers: list[dict], key: str, unit: str, digits: int = 0,
               lower_is_better: bool = True, mark: str | None = None) -> str:
    """Every measured peer, best first: 'zenify 42 ms, breathe-cli 57 ms, ...'."""
    known = [peer for peer in peers if peer.get(key) is not None]
    known.sort(key=lambda peer: abs(peer[key]) if lower_is_better else -peer[key])
    cells = []
    for peer in known:
        flag = " (drift)" if mark and peer.get(mark) else ""
        cells.append(f"{peer['name']} {fmt(peer[key], unit, digits)}{flag}")
    return ", ".join(cells) or "-"


def cpu_times() -> list[int] | None:
    """The machine's CPU time so far by kind (user, nice, system, idle, iowait, irq, softirq,
    steal), in clock ticks; None where /proc/stat is not there."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None
    return [int(x) for x in stat.read_text().splitlines()[0].split()[1:9]]


def steal_percent(start: list[int] | None, end: list[int] | None) -> float | None:
    """The share of CPU time the host kept for itself between two readings (on a shared
    virtual machine every figure here is slower by about that much)."""
    if start is None or end is None:
        return None
    spent = [b - a for a, b in zip(start, end, strict=True)]
    return 100 * spent[7] / sum(spent) if sum(spent) else None


def machine() -> str:
    """CPU model, cores, memory, OS and the load average now."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; load average {load}")


def build_rows(scripts: dict[str, Script], peers: list[dict],
               history: tuple[float, str] | None) -> list[Row]:
    """The table, from what each script printed."""
    screen = scripts["bench_screen.py"].output
    player = scripts["bench_player.py"].output
    review = scripts["bench_review.py"].output
    cues = scripts["bench_cues.py"].output

    def frame_cpu_rss(label: str) -> list[float | None]:
        found = find(rf"^{re.escape(label)}\s+first frame {NUMBER} ms, CPU {NUMBER} %, "
                     rf"RSS {NUMBER} MB", screen)
        return found or [None, None, None]

    bare = frame_cpu_rss("bare Textual app, static")
    tick = frame_cpu_rss("bare Textual app, a line updated each second")
    library = frame_cpu_rss("coach (the library)")
    breathing = frame_cpu_rss("coach run, breathing")
    reduced = frame_cpu_rss("coach run --reduced-motion, breathing")
    on_screen = re.findall(rf"boundaries on screen.*worst {NUMBER} ms, slope {NUMBER} ± "
                           rf"{NUMBER} ms/min, drift (\w+)", screen)
    worsts = [number(worst) for worst, *_ in on_screen]
    screen_worst = max((w for w in worsts if w is not None), default=None)
    screen_slope = median_of([number(slope) for _, slope, _, _ in on_screen])
    screen_drift = [flag for *_, flag in on_screen]
    inside = find(rf"^shown.*worst {NUMBER} ms.*drift ([-+\d.]+) ms/min", player)
    rows = []

    drift_cell = (f"{fmt(screen_slope, 'ms/min', 1)}, drift in {screen_drift.count('True')} "
                  f"of {len(screen_drift)} runs" if on_screen else "not measured")
    rows.append(Row(f"drift of phase boundaries, on screen (tmux, {POLL_MS} ms polls)",
                    "none (measure.py: slope >= 3 SE and >= 10 ms/min)", drift_cell,
                    peers_cell(peers, "drift_ms_per_min", "ms/min", 1, mark="drift"), "-",
                    "not measured" if not on_screen else
                    "met" if screen_drift.count("True") == 0 else
                    f"missed in {screen_drift.count('True')} of {len(screen_drift)} runs"))
    inside_drift = inside[1] if inside else None
    rows.append(Row("drift inside the app (bench_player.py, each PhaseStarted)",
                    "under 1 ms/min", fmt(inside_drift, "ms/min", 3),
                    "n/a (read from the screen only)", "-",
                    "not measured" if inside_drift is None else
                    "met" if abs(inside_drift) < 1 else
                    f"missed by {abs(inside_drift) - 1:.2f} ms/min"))
    rows.append(Row("worst single boundary error, on screen, of all runs",
                    f"<= 20 ms (polls are {POLL_MS} ms apart)",
                    fmt(screen_worst, "ms", 1), peers_cell(peers, "worst_boundary_ms", "ms"), "-",
                    verdict(screen_worst, 20, "ms", 1)))
    inside_worst = inside[0] if inside else None
    rows.append(Row("worst single boundary error, inside the app", "<= 20 ms",
                    fmt(inside_worst, "ms", 1), "n/a", "-",
                    verdict(abs(inside_worst) if inside_worst is not None else None, 20, "ms",
                            1)))
    rows.append(Row("CPU while a breathing step animates, 100x30", "<= 1 % of one core",
                    fmt(breathing[1], "%", 2), peers_cell(peers, "cpu_percent", "%", 2),
                    f"{fmt(tick[1], '%', 2)} (a line updated each second)",
                    verdict(breathing[1], 1, "%", 2)))
    rows.append(Row("CPU, reduced motion", "<= 0.2 %", fmt(reduced[1], "%", 2), "-",
                    f"{fmt(bare[1], '%', 2)} (static)", verdict(reduced[1], 0.2, "%", 2)))
    in_turn = find(rf"^first frames, launched in turn\s+bare Textual app {NUMBER} ms, "
                   rf"coach \(the library\) {NUMBER} ms, coach run {NUMBER} ms", screen)
    frame_bare, frame_library, frame_run = in_turn or (bare[0], library[0], breathing[0])
    first = [value for value in (frame_library, frame_run) if value is not None]
    rows.append(Row("first frame after launch" + (", launched in turn with bare Textual"
                                                  if in_turn else ""), "<= 250 ms",
                    f"{fmt(frame_library, 'ms')} (library), {fmt(frame_run, 'ms')} (run)",
                    peers_cell(peers, "startup_ms", "ms"), fmt(frame_bare, "ms"),
                    verdict(max(first) if first else None, 250, "ms")))
    memory = [value for value in (library[2], breathing[2], reduced[2]) if value is not None]
    rows.append(Row("peak memory (RSS)", "<= 60 MB", fmt(max(memory) if memory else None,
                                                          "MB", 1),
                    peers_cell(peers, "rss_mb", "MB", 1), fmt(bare[2], "MB", 1),
                    verdict(max(memory) if memory else None, 60, "MB", 1)))
    for label, command in (("coach validate (one file)", "coach validate"),
                           ("coach list", "coach list")):
        found = find(rf"^{re.escape(label)}\s+{NUMBER} ms", screen)
        value = found[0] if found else None
        rows.append(Row(f"`{command}` (fresh process)", "<= 100 ms", fmt(value, "ms"),
                        "-", "-", verdict(value, 100, "ms")))
    history_ms = history[0] if history else None
    rows.append(Row("`coach history`, 365 runs (fresh process)", "<= 100 ms",
                    fmt(history_ms, "ms"), "-", "-", verdict(history_ms, 100, "ms")))
    filled_runs = find(rf"^filling {NUMBER} runs", review)
    stored = f"{filled_runs[0]:,.0f}" if filled_runs and filled_runs[0] else "?"
    summary = find(rf"^coach history: summary printed\s+{NUMBER} ms", review)
    rows.append(Row(f"`coach history` with {stored} runs: summary printed", "<= 500 ms",
                    fmt(summary[0] if summary else None, "ms"), "no peer records ratings", "-",
                    verdict(summary[0] if summary else None, 500, "ms")))
    frame = find(rf"^review: first frame \(from process start\)\s+{NUMBER} ms", review)
    filled = find(rf"^review: chart, ranking and first page shown\s+{NUMBER} ms", review)
    rows.append(Row(f"review with {stored} runs: first frame (filled)", "<= 1,000 ms",
                    f"{fmt(frame[0] if frame else None, 'ms')} "
                    f"({fmt(filled[0] if filled else None, 'ms')})",
                    "no peer records ratings", "-", verdict(frame[0] if frame else None, 1000,
                                                             "ms")))
    latency = find(rf"cue latency over .*median {NUMBER} ms, p95 {NUMBER} ms, "
                   rf"max {NUMBER} ms, never heard {NUMBER}", cues)
    rows.append(Row("cue on a phase boundary to PCM handed to ALSA", "<= 30 ms",
                    "-" if latency is None else
                    f"median {fmt(latency[0], 'ms', 1)}, max {fmt(latency[2], 'ms', 1)}, "
                    f"{latency[3]:.0f} missed",
                    "not measurable (no sound card)", "-",
                    "not measured" if latency is None else
                    "met" if (latency[2] or 0) <= 30 and not latency[3] else
                    verdict(latency[2], 30, "ms", 1)))
    return rows


def calibration(screen: str) -> str:
    """This machine next to the one shared/DESIGN.md's targets were set on, by the bare app."""
    first = find(rf"^bare Textual app, static\s+first frame {NUMBER} ms", screen)
    full = find(rf"^bare Textual app, whole screen at 20 Hz\s+first frame {NUMBER} ms, "
                rf"CPU {NUMBER} %", screen)
    return (f"This machine against the one the targets were set on (DESIGN.md), by the bare "
            f"Textual app: first frame {fmt(first[0] if first else None, 'ms')} here, about "
            f"200 ms there; the whole screen redrawn at 20 Hz "
            f"{fmt(full[1] if full else None, '%', 2)} here, 6.5 % there.")


def print_table(rows: list[Row], heading: str) -> None:
    print(heading)
    print()
    print("| what | target | coach | peers (best first) | bare Textual | verdict |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row.what} | {row.target} | {row.coach} | {row.peers} | {row.floor} | "
              f"{row.verdict} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke check")
    args = parser.parse_args()
    started = time.monotonic()
    when = datetime.now().astimezone()
    before = machine()
    times_before = cpu_times()
    peers_json = Path(tempfile.mkdtemp(prefix="coach-bench-all-")) / "peers.json"
    scripts = {script.name: script for script in (
        Script("bench_screen.py", ["--duration", "30", "--repeat", "3"],
               ["--duration", "10", "--repeat", "1"]),
        Script("peers.py", ["--no-floor", "--duration", "30", "--repeat", "3",
                            "--json", str(peers_json)],
               ["--no-floor", "--quick", "--duration", "15", "--json", str(peers_json)]),
        Script("bench_player.py", ["--minutes", "2"], ["--minutes", "0.5"]),
        Script("bench_review.py", ["--repeat", "3"], ["--runs", "10000", "--repeat", "1"]),
        Script("bench_cues.py", [], []),
    )}
    for script in scripts.values():
        run_script(script, args.quick)
    print("\n## coach history on a store of 365 runs", flush=True)
    try:
        history: tuple[float, str] | None = time_history(365, 3 if args.quick else 10)
        print(f"   {history[0]:.0f} ms ({history[1]})")
    except (subprocess.CalledProcessError, OSError) as error:
        history = None
        print(f"   failed: {error}")
    peers = json.loads(peers_json.read_text()) if peers_json.exists() else []
    shutil.rmtree(peers_json.parent, ignore_errors=True)
    rows = build_rows(scripts, peers, history)
    minutes = (time.monotonic() - started) / 60
    print()
    print_table(rows, f"Measured {when:%Y-%m-%d %H:%M %Z}{' (--quick)' if args.quick else ''}"
                      f" in {minutes:.0f} min on: {before}.")
    print()
    print(calibration(scripts["bench_screen.py"].output))
    notes = [f"not measured: {script.problem}" for script in scripts.values() if script.problem]
    notes += [f"{peer['name']}: {peer['problem']}" for peer in peers if peer.get("problem")]
    versions = ", ".join(f"{peer['name']} {peer['version']}" for peer in peers
                         if peer.get("version"))
    print()
    if versions:
        print(f"Peers: {versions}. Medians of the runs, except the worst boundary (of all runs); "
              "peers' CPU counts their child processes too.")
    for note in notes:
        print(f"- {note}")
    print("Time per script: " + ", ".join(f"{script.name} {script.seconds / 60:.1f} min"
                                          for script in scripts.values()) + ".")
    print(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}.")
    steal = steal_percent(times_before, cpu_times())
    if steal is not None:
        print(f"CPU time the host kept for itself during the run (steal): {steal:.0f} %.")


if __name__ == "__main__":
    main()
