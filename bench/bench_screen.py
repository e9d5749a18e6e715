"""What a terminal sees: first frame, CPU, memory and phase boundaries of a real `coach run`.

Drives the installed `coach` in a private tmux at 100x30 through /work/shared/tools/measure.py
(which reads the screen, not the app), next to a bare Textual app as the floor, and times the
file-only commands. Prints one line per figure.

    .venv/bin/python bench/bench_screen.py                # about 8 minutes
    .venv/bin/python bench/bench_screen.py --duration 30 --repeat 1   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEASURE = Path(os.environ.get("COACH_MEASURE", "/work/shared/tools/measure.py"))
PYTHON = REPO / ".venv" / "bin" / "python"
COACH = REPO / ".venv" / "bin" / "coach"
SESSION = "bench/sessions/box-10min.toml"
POLL_MS = 10
"""How often measure.py reads the screen while phases change; the peers are read as often."""
RATE_BEFORE = "/pain do you feel/|5 Enter"
PHASES = [("inhale", r"^\s*Breathe in", "4"), ("hold", r"^\s*Hold", "4"),
          ("exhale", r"^\s*Breathe out", "4"), ("rest", r"^\s*Rest", "4")]


def measure(cmd: str, home: Path, *, duration: float, repeat: int, sends: tuple[str, ...] = (),
            phases: bool = False, env: tuple[str, ...] = ()) -> dict:
    """measure.py's medians (and first run's pacing) for one command line."""
    argv = [sys.executable, str(MEASURE), "--cmd", cmd, "--cwd", str(REPO), "--size", "100x30",
            "--duration", str(duration), "--repeat", str(repeat), "--cpu-skip", "3", "--brief",
            "--poll-ms", str(POLL_MS),
            "--env", f"COACH_HOME={home}"]
    for item in env:
        argv += ["--env", item]
    for step in sends:
        argv += ["--send", step]
    for name, pattern, seconds in PHASES if phases else ():
        argv += ["--phase", name, pattern, seconds]
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def first_frames(commands: dict[str, str], home: Path, rounds: int) -> dict[str, float]:
    """Median first frame of each command, launched in turn round after round: the machine's
    speed moves by tens of percent within minutes here, and this way each command meets it as
    the others do."""
    frames: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            startup = measure(cmd, home, duration=1, repeat=1)["median"]["startup_ms"]
            if startup is not None:  # no frame seen: left out of the median
                frames[name].append(startup)
    return {name: statistics.median(values) for name, values in frames.items() if values}


def wall_ms(argv: list[str], home: Path, runs: int) -> float:
    """Median wall time of a command, each run a fresh process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=REPO, env={**os.environ, "COACH_HOME": str(home)},
                       capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60,
                        help="seconds of breathing per run (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args()
    # Bytecode as an installed wheel has it (PYTHONDONTWRITEBYTECODE may be set here).
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", "coach"], cwd=REPO, check=True)
    home = Path(tempfile.mkdtemp(prefix="coach-bench-screen-"))
    (home / "settings.toml").write_text("notice_seen = true\n", encoding="utf-8")
    run = f"{COACH} --no-sound"
    short = dict(duration=15, repeat=args.repeat)

    def show(what: str, result: dict, target: str) -> None:
        m = result["median"]
        print(f"{what:44s} first frame {m['startup_ms']} ms, CPU {m['cpu_percent']} %, "
              f"RSS {m['rss_mb']} MB   [{target}]", flush=True)

    show("bare Textual app, static", measure(f"{PYTHON} bench/bare_app.py", home, **short),
         "floor")
    show("bare Textual app, a line updated each second",
         measure(f"{PYTHON} bench/bare_app.py --tick", home, **short), "floor")
    show("bare Textual app, whole screen at 20 Hz",
         measure(f"{PYTHON} bench/bare_app.py --full", home, **short), "DESIGN.md: 6.5 %")
    show("coach (the library)", measure(str(COACH), home, **short), "250 ms, 60 MB")
    animated = measure(f"{run} run {SESSION}", home, duration=args.duration, repeat=args.repeat,
                       sends=(RATE_BEFORE,), phases=True)
    show("coach run, breathing", animated, "250 ms, 1 %, 60 MB")
    for result in animated["runs"]:
        pacing = result["pacing"]
        label = f"  boundaries on screen ({POLL_MS} ms polls)"
        print(f"{label:44s} {pacing['n_scored']} phases, mean "
              f"|error| {pacing['mean_abs_error_ms']} ms, worst {pacing['max_abs_error_ms']} ms, "
              f"slope {pacing['drift_slope_ms_per_min']} ± {pacing['drift_slope_se']} ms/min, "
              f"drift {pacing['drift']}", flush=True)
    show("coach run --reduced-motion, breathing",
         measure(f"{run} --reduced-motion run {SESSION}", home, duration=args.duration,
                 repeat=args.repeat, sends=(RATE_BEFORE,)), "0.2 %")
    for what, extra, env in (("coach run, NO_COLOR=1", "", ("NO_COLOR=1",)),
                             ("coach run, --theme coach-night", "--theme coach-night", ())):
        result = measure(f"{run} {extra} run {SESSION}", home, duration=20, repeat=1,
                         sends=(RATE_BEFORE,), phases=True, env=env)
        show(what, result, f"{result['runs'][0]['pacing']['n_scored']} phases seen")
    rounds = 2 * args.repeat + 1
    # The same command lines as the rows above.
    frames = first_frames({"bare Textual app": f"{PYTHON} bench/bare_app.py",
                           "coach (the library)": str(COACH),
                           "coach run": f"{run} run {SESSION}"}, home, rounds)
    print(f"{'first frames, launched in turn':44s} " + ", ".join(
        f"{name} {ms:.0f} ms" for name, ms in frames.items()) +
        f"   [250 ms; medians of {rounds} rounds]", flush=True)
    bench_file = str(REPO / SESSION)
    for what, argv in (("coach validate (one file)", [str(COACH), "validate", bench_file]),
                       ("coach list", [str(COACH), "list"])):
        print(f"{what:44s} {wall_ms(argv, home, 10):.0f} ms median of 10   [100 ms]", flush=True)


if __name__ == "__main__":
    main()
