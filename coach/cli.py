"""The `coach` command. Commands that only read files never import Textual, so they start fast."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from coach import __version__
from coach.core.places import find_places

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A terminal meditation and deep-breathing coach that records your pain "
        "before and after each session. A relaxation and self-tracking aid, not medical care.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="keep ratings, settings and your sessions here (or set COACH_HOME)")
    parser.add_argument("--no-sound", action="store_true", help="no chimes this time")
    parser.add_argument("--reduced-motion", action="store_true",
                        help="no animation: the phase word and a count only")
    parser.add_argument("--theme", metavar="NAME",
                        help="a Textual theme, e.g. coach-night (dim, for night practice)")
    parser.add_argument("--plain", action="store_true",
                        help="no full-screen app: one line per phase change (screen readers, "
                        "slow links)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="start one session straight away")
    run.add_argument("session", metavar="NAME-or-PATH", help="a name from coach list, or a file")

    commands.add_parser("list", help="the sessions coach finds, bundled and your own")

    validate = commands.add_parser(
        "validate", help="check session files; every problem as file:line: field: message")
    validate.add_argument("paths", nargs="+", metavar="PATH",
                          help="session files, or folders of them")

    schema = commands.add_parser("schema", help="print the JSON Schema of the session format")
    schema.add_argument("--markdown", action="store_true",
                        help="print the key reference as Markdown instead")
    return parser


def _validate(paths: Sequence[str]) -> int:
    from coach.core.sessionfile import check_file

    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    bad = 0
    for path in files:
        problems = check_file(path)
        if problems:
            bad += 1
            print("\n".join(map(str, problems)))
        else:
            print(f"{path}: ok")
    if len(files) > 1:
        print(f"{len(files) - bad} valid, {bad} invalid")
    return EXIT_INVALID if bad or not files else EXIT_OK


def _list(data_dir: str | None) -> int:
    from coach.core.durations import length_text
    from coach.core.library import load_library

    library = load_library(find_places(data_dir))
    rows = []
    for entry in library.entries:
        if entry.session is None:
            rows.append((entry.id, "INVALID: " + str(entry.problems[0]), "", "", entry.origin))
            continue
        s = entry.session
        rows.append((entry.id, s.title, length_text(s.seconds, s.open_ended), ", ".join(s.tags),
                     entry.origin))
    header = ("NAME", "TITLE", "LENGTH", "TAGS", "FROM")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[4])
    print(f"\nYour own sessions go in {library.user_dir}")
    return EXIT_OK


def _error(message: str, code: int = EXIT_INVALID) -> int:
    print(f"coach: {message}", file=sys.stderr)
    return code


def _practise(args: argparse.Namespace) -> int:
    """The app (or --plain), on the library or straight into one session."""
    from dataclasses import replace

    from coach.core.library import load_library
    from coach.core.settings import load_settings

    places = find_places(args.data_dir)
    library = load_library(places)
    settings, settings_problem = load_settings(places.settings)
    if args.reduced_motion:
        settings = replace(settings, reduced_motion=True)
    if args.theme:
        settings = replace(settings, theme=args.theme)
    entry = None
    if args.command == "run":
        entry = library.find(args.session)
        if entry is None:
            return _error(f"no session called {args.session!r}; coach list shows them all")
        if entry.session is None:
            print("\n".join(map(str, entry.problems)), file=sys.stderr)
            return EXIT_INVALID
    if args.plain:
        from coach.plain import run_plain

        return run_plain(library, entry, places)
    from coach.ui.app import CoachApp

    app = CoachApp(library, places, settings, start=entry, sound=not args.no_sound,
                   notices=(settings_problem,) if settings_problem else ())
    result = app.run()
    return app.return_code if app.return_code else (result or EXIT_OK)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        match args.command:
            case None | "run":
                return _practise(args)
            case "validate":
                return _validate(args.paths)
            case "list":
                return _list(args.data_dir)
            case "schema":
                from coach.core.format import json_schema_text, reference_markdown

                sys.stdout.write(reference_markdown() if args.markdown else json_schema_text())
                return EXIT_OK
    except BrokenPipeError:  # `coach list | head` is fine
        return EXIT_OK
    return EXIT_USAGE
