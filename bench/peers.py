"""Peers side by side: the breathing apps on PyPI and a bare Textual app, measured the same way.

Installs the peers into a throwaway virtual environment (`bench/.peers/venv`, gitignored, made
on first use), starts each one in a private tmux through `../shared/tools/measure.py` (or
$COACH_MEASURE), types the keys that start a box-like breathing exercise, and reads from the
screen: the first frame after launch, CPU while the breath animates, peak memory, and every
phase boundary against the peer's own pattern (worst single boundary error, drift as a
least-squares slope). A bare Textual app (`bench/bare_app.py`, idle and ticking once a
second) is measured as the floor. A peer that cannot be installed or started is reported
with the reason, never dropped.

    .venv/bin/python bench/peers.py                 # 30 s a peer, median of 3 (about 8 minutes)
    .venv/bin/python bench/peers.py --quick         # 10 s, one run each (about 2 minutes)
    .venv/bin/python bench/peers.py --only breathe-cli --json /tmp/peers.json
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import venv
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench_screen import POLL_MS  # read as often as coach is; bench/ is on sys.path

BENCH = Path(__file__).resolve().parent
PEERS_HOME = BENCH / ".peers"
MEASURE = Path(os.environ.get("COACH_MEASURE",
                           BENCH.parent.parent / "shared" / "tools" / "measure.py"))
SIZE = "100x30"


@dataclass(frozen=True)
class Peer:
    """How to install one peer, start a breathing exercise in it, and read its phases."""

    name: str
    """The distribution on PyPI (or, for the floor, a label)."""
    command: list[str]
    """The command line; the first word is looked up in the peers' venv, unless a path."""
    pattern: str
    """The breathing pattern the keys choose, as shown in the table."""
    sends: list[str] = field(default_factory=list)
    """measure.py key steps: 'DELAY|KEYS' or '/REGEX/|KEYS'."""
    phases: list[tuple[str, str, float]] = field(default_factory=list)
    """(name, regex on the screen, expected seconds) for each phase word the peer shows."""
    files: dict[str, str] = field(default_factory=dict)
    """Files written into the peer's working directory before it starts."""
    installed: bool = True
    """False for the floor, which runs from coach's own venv."""


PEERS = [
    # As installed, with its spoken cues on: here, with no sound device, they fail silently.
    Peer("nafas", ["nafas", "--skip-intro"], "box 4-4-4-4, beginner",
         sends=["/Choose a program/|lit:16 Enter", "/Choose a level/|lit:1 Enter"],
         phases=[("inhale", r"^- Inhale", 4), ("retain", r"^- Retain", 4),
                 ("exhale", r"^- Exhale", 4), ("sustain", r"^- Sustain", 4)]),
    Peer("breathe-cli", ["breathe", "--ratio", "4-4", "--duration", "5", "--no-sound",
                         "--no-log", "--quiet"], "4-4 (in, out)",
         phases=[("in", r"^\s*IN\s*$", 4), ("out", r"^\s*OUT\s*$", 4)]),
    Peer("meditation", ["meditation"], "4-4-4 guided breathing, 10 cycles",
         sends=["/Choose an option/|lit:1 Enter", "/How many breath cycles/|lit:10 Enter"],
         phases=[("inhale", r"Breathe in\.\.\.", 4), ("hold", r"Hold\.\.\.", 4),
                 ("exhale", r"Breathe out\.\.\.", 4)]),
    # Its command-line flags crash (`zen -p box`: "too many values to unpack"), so the menu:
    # down to the method, right to "Box", enter to confirm, space to start.
    Peer("zenify", ["zen"], "box 4-4-4-4 from the menu",
         sends=["/Start Practice/|Down", "0.3|Right", "0.3|Enter", "/Box Breathing/|Space"],
         phases=[("inhale", r"^\s*Inhale\s*$", 4), ("hold", r"^\s*Hold\s*$", 4),
                 ("exhale", r"^\s*Exhale\s*$", 4)],
         files={"zenify_language.txt": "en"}),  # it reads its language from the cwd
]
FLOOR = [
    Peer("bare Textual", [sys.executable, str(BENCH / "bare_app.py")], "one static line",
         installed=False),
    Peer("bare Textual, 1 Hz tick", [sys.executable, str(BENCH / "bare_app.py"), "--tick"],
         "a count updated every second", installed=False),
]


@dataclass
class Result:
    """One peer's figures (medians over the runs), or why there are none."""

    name: str
    pattern: str
    version: str | None = None
    startup_ms: float | None = None
    cpu_percent: float | None = None
    """utime+stime of the app and its children, in % of one core, while it animates."""
    rss_mb: float | None = None
    worst_boundary_ms: float | None = None
    """The largest |observed - expected| phase length in any run."""
    drift_ms_per_min: float | None = None
    drift: bool | None = None
    """measure.py's verdict in most runs: a slope significant and at least 10 ms per minute."""
    boundaries: int | None = None
    runs: int = 0
    problem: str | None = None
    """Why this peer could not be installed, started or scored."""


def ensure_venv(fresh: bool) -> Path:
    """The peers' virtual environment, made (with pip) if missing; returns its bin folder."""
    home = PEERS_HOME / "venv"
    if fresh and home.exists():
        shutil.rmtree(home)
    if not (home / "bin" / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
    return home / "bin"


def install(peer: Peer, bin_dir: Path) -> tuple[str | None, str | None]:
    """Install one peer (if not there yet): (version, None), or (None, why it failed)."""
    python = str(bin_dir / "python")
    version = installed_version(python, peer.name)
    if version is None:
        done = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check",
                               "-q", peer.name], capture_output=True, text=True)
        if done.returncode:
            last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            return None, f"pip install {peer.name} failed: {last}"
        version = installed_version(python, peer.name)
    if not (bin_dir / peer.command[0]).exists():
        return version, f"installed, but it has no `{peer.command[0]}` command"
    return version, None


def installed_version(python: str, dist: str) -> str | None:
    code = ("import importlib.metadata as m, sys\n"
            "try: print(m.version(sys.argv[1]))\n"
            "except m.PackageNotFoundError: pass\n")
    done = subprocess.run([python, "-c", code, dist], capture_output=True, text=True)
    return done.stdout.strip() or None


def measure(peer: Peer, command: list[str], duration: float, repeat: int,
            raw_json: Path) -> dict:
    """Run measure.py on one command; returns its JSON (also kept in `raw_json`)."""
    work = Path(tempfile.mkdtemp(prefix=f"coach-peer-{peer.name.split()[0]}-"))
    try:
        for name, text in peer.files.items():
            (work / name).write_text(text, encoding="utf-8")
        argv = [sys.executable, str(MEASURE), "--cmd", shlex.join(command),
                "--size", SIZE, "--cwd", str(work), "--env", f"HOME={work}",
                "--duration", str(duration), "--repeat", str(repeat),
                "--key-timeout", "20", "--cpu-skip", "3", "--keep-final-screen",
                "--poll-ms", str(POLL_MS)]
        for step in peer.sends:
            argv += ["--send", step]
        for name, regex, seconds in peer.phases:
            argv += ["--phase", name, regex, str(seconds)]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"measure.py exited {done.returncode}: "
                               f"{(done.stderr.strip().splitlines() or [''])[-1]}")
        raw_json.write_text(done.stdout, encoding="utf-8")
        return json.loads(done.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summarise(peer: Peer, version: str | None, report: dict) -> Result:
    """The medians of measure.py's runs, with a reason when something is missing."""
    runs = report.get("runs", [])
    median = report.get("median", {})
    result = Result(peer.name, peer.pattern, version, runs=len(runs),
                    startup_ms=median.get("startup_ms"),
                    cpu_percent=median.get("cpu_percent_tree"), rss_mb=median.get("rss_mb"),
                    drift_ms_per_min=median.get("drift_slope_ms_per_min"))
    worst = [run["pacing"]["max_abs_error_ms"] for run in runs
             if (run.get("pacing") or {}).get("max_abs_error_ms") is not None]
    result.worst_boundary_ms = max(worst) if worst else None
    scored = [run["pacing"]["n_scored"] for run in runs if run.get("pacing")]
    result.boundaries = min(scored) if scored else None
    verdicts = [v for v in median.get("drift_runs", []) if v is not None]
    result.drift = sum(verdicts) > len(verdicts) / 2 if verdicts else None
    errors = [run["error"] for run in runs if run.get("error")]
    if result.startup_ms is None:
        result.problem = "never drew a screen" + last_words(runs)
    elif errors:
        result.problem = f"{errors[0]}{last_words(runs)}"
    elif peer.phases and not result.boundaries:
        result.problem = "no phase boundary read from the screen" + last_words(runs)
    return result


def last_words(runs: list[dict]) -> str:
    """The last line of text on the final screen, to say where a peer stopped."""
    for run in runs:
        lines = [line.strip() for line in (run.get("final_screen") or "").splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return f" (screen ended with: {lines[-1][:70]!r})"
    return ""


def run(peers: list[Peer], duration: float, repeat: int, fresh: bool) -> list[Result]:
    """Install (where needed) and measure each peer in turn; never stops at a failure."""
    if not MEASURE.exists():
        sys.exit(f"peers: no measure.py at {MEASURE}")
    if not shutil.which("tmux"):
        sys.exit("peers: measure.py needs tmux")
    (PEERS_HOME / "results").mkdir(parents=True, exist_ok=True)
    bin_dir: Path | None = None
    results = []
    for peer in peers:
        version = None
        command = peer.command
        if peer.installed:
            try:
                bin_dir = bin_dir or ensure_venv(fresh)
            except (OSError, subprocess.CalledProcessError) as error:
                results.append(Result(peer.name, peer.pattern, problem=f"no venv: {error}"))
                continue
            version, problem = install(peer, bin_dir)
            if problem:
                results.append(Result(peer.name, peer.pattern, version, problem=problem))
                continue
            command = [str(bin_dir / peer.command[0]), *peer.command[1:]]
        slug = peer.name.replace(" ", "-").replace(",", "")
        seconds = duration if peer.phases else max(5.0, duration / 3)  # no pacing to read
        print(f"measuring {peer.name} ({seconds:g} s x {repeat})...", file=sys.stderr,
              flush=True)
        try:
            report = measure(peer, command, seconds, repeat,
                             PEERS_HOME / "results" / f"{slug}.json")
        except (RuntimeError, json.JSONDecodeError) as error:
            results.append(Result(peer.name, peer.pattern, version, problem=str(error)))
            continue
        results.append(summarise(peer, version, report))
    return results


def cell(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def print_table(results: list[Result]) -> None:
    """One line per peer: first frame, CPU, memory, pacing; problems underneath."""
    header = (f"{'peer':26} {'first frame':>11} {'CPU':>7} {'RSS':>7} "
              f"{'worst bound.':>12} {'drift':>13}  pattern")
    print(header)
    print("-" * len(header))
    for result in results:
        name = result.name + (f" {result.version}" if result.version else "")
        drift = cell(result.drift_ms_per_min, " ms/min", 1)
        if result.drift:
            drift += "!"
        print(f"{name:26} {cell(result.startup_ms, ' ms'):>11} "
              f"{cell(result.cpu_percent, ' %', 2):>7} {cell(result.rss_mb, ' MB', 1):>7} "
              f"{cell(result.worst_boundary_ms, ' ms'):>12} {drift:>13}  {result.pattern}")
    for result in results:
        if result.problem:
            print(f"  {result.name}: {result.problem}")
    print("(medians, but the worst boundary of all runs; CPU is % of one core while animating, "
          "app and children; ! marks drift measure.py calls significant)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s and one run each")
    parser.add_argument("--duration", type=float, help="seconds measured per run (default 30)")
    parser.add_argument("--repeat", type=int, help="runs per peer (default 3)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure only this peer (repeatable)")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the bare Textual app (bench_screen.py measures it too)")
    parser.add_argument("--fresh", action="store_true", help="recreate the peers' venv first")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    duration = args.duration or (10 if args.quick else 30)
    repeat = args.repeat or (1 if args.quick else 3)
    candidates = PEERS if args.no_floor else PEERS + FLOOR
    chosen = [peer for peer in candidates if not args.only or peer.name in args.only]
    if not chosen:
        sys.exit(f"peers: none of {args.only}; known: {[p.name for p in PEERS + FLOOR]}")
    results = run(chosen, duration, repeat, args.fresh)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
