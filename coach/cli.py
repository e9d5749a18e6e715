"""The `coach` command. Commands that only read files never import Textual, so they start fast."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.core.places import Places, find_places

if TYPE_CHECKING:
    from coach.core.scaffold import NewSession
    from coach.core.settings import Settings
    from coach.core.store import Run, Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _place_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR",
                        help="keep ratings, settings and your sessions here (or set COACH_HOME)")


def _app_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-sound", action="store_true", help="no chimes this time")
    parser.add_argument("--reduced-motion", action="store_true",
                        help="no animation: the phase word and a count only")
    parser.add_argument("--theme", metavar="NAME",
                        help="a Textual theme, e.g. coach-night (dim, for night practice)")
    parser.add_argument("--plain", action="store_true",
                        help="no full-screen app: one line per phase change (screen readers, "
                        "slow links)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A terminal meditation and deep-breathing coach that records your pain "
        "before and after each session. A relaxation and self-tracking aid, not medical care.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    _place_option(parser)
    _app_options(parser)
    # Also after the command, where people type them too (`coach run box --no-sound`);
    # suppressed there unless given, so the ones before the command stand.
    place = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    _place_option(place)
    app = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    _app_options(app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", parents=[place, app],
                              help="start one session straight away")
    run.add_argument("session", metavar="NAME-or-PATH", help="a name from coach list, or a file")

    commands.add_parser("list", parents=[place],
                        help="the sessions coach finds, bundled and your own")

    validate = commands.add_parser(
        "validate", help="check session files; every problem as file:line: field: message")
    validate.add_argument("paths", nargs="+", metavar="PATH",
                          help="session files, or folders of them")

    commands.add_parser("review", parents=[place, app], help="open the app on the review: the "
                        "chart, what helps most, every run")

    history = commands.add_parser(
        "history", parents=[place], help="your runs and what helps most as a table; --format "
        "csv or json to export", description="Runs and per-practice summaries. Dates are local "
        "unless they carry an offset: 2025-03-01, 2025-03-01T18:00, today, yesterday, 30d, 4w. "
        "The exported columns are described in docs/review.md.")
    history.add_argument("--since", metavar="WHEN", help="runs started then or later")
    history.add_argument("--until", metavar="WHEN",
                         help="runs started before then (a bare date includes that day)")
    history.add_argument("--session", metavar="NAME", help="only this session (a name from "
                         "coach list)")
    history.add_argument("--tag", help="only sessions with this tag")
    history.add_argument("--format", choices=("table", "csv", "json"), default="table",
                         help="table (default), or csv / json with every run, for a "
                         "spreadsheet or a clinician")
    history.add_argument("--limit", type=int, metavar="N",
                         help="at most N runs, newest first (the table shows 20 unless told; "
                         "0 means all)")

    new = commands.add_parser(
        "new", parents=[place], help="write a new session file, from options or a few questions",
        description="Write a new session: settle, paced breathing, a quiet close. Without "
        "options, in a terminal, it asks a few questions. The file goes in your sessions "
        "folder unless PATH says otherwise, and is never overwritten without --force.")
    new.add_argument("path", nargs="?", metavar="PATH",
                     help="a .toml file or a folder to write into (default: your sessions folder)")
    new.add_argument("--title", help="its name in the library; the file is named after it")
    new.add_argument("--pattern", metavar="COUNTS",
                     help="in-hold-out-rest counts, e.g. 4-7-8 or 4:0:6:0 (default 4-6: no holds)")
    new.add_argument("--unit", type=float, metavar="SECONDS",
                     help="seconds per count (default 1); with --from and no --pattern, the "
                     "copy's own counts at this pace")
    length = new.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, help="how long to breathe (default 5)")
    length.add_argument("--cycles", type=int, help="how many breaths, instead of --minutes")
    new.add_argument("--from", dest="template", metavar="NAME-or-PATH",
                     help="start from a copy of this session; the options above change its title "
                          "and its breathing steps")
    new.add_argument("--force", action="store_true",
                     help="replace an existing file (its old version is kept as FILE.bak)")

    edit = commands.add_parser(
        "edit", parents=[place, app],
        help="edit one of your sessions, checked as you type, with a preview")
    edit.add_argument("session", metavar="PATH-or-NAME", help="a session file, or a name from "
                      "coach list")

    schema = commands.add_parser("schema", help="print the JSON Schema of the session format")
    schema.add_argument("--markdown", action="store_true",
                        help="print the key reference as Markdown instead")
    return parser


def _validate(paths: Sequence[str]) -> int:
    from coach.core.sessionfile import check_file
    from coach.core.text import visible

    files: list[Path] = []
    empty = 0
    for name in paths:
        path = Path(name)
        found = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        if not found:
            empty += 1
            print(f"{visible(str(path))}: a folder with no session files (*.toml) in it")
        files += found
    bad = 0
    for path in files:
        problems = check_file(path)
        if problems:
            bad += 1
            print("\n".join(map(str, problems)))
        else:
            print(f"{visible(str(path))}: ok")
    if len(files) > 1:
        print(f"{len(files) - bad} valid, {bad} invalid")
    return EXIT_INVALID if bad or empty else EXIT_OK


def _list(data_dir: str | None) -> int:
    from coach.core.durations import length_text
    from coach.core.library import load_library
    from coach.core.text import table

    library = load_library(find_places(data_dir))
    rows, problems = [], []
    for entry in library.entries:
        if entry.session is None:  # its problem goes under the table, which stays narrow
            rows.append((entry.id, "INVALID (see below)", "", "", str(entry.origin)))
            problems.append(str(entry.problems[0]))
            continue
        s = entry.session
        rows.append((entry.id, s.title, length_text(s.seconds, s.open_ended), ", ".join(s.tags),
                     str(entry.origin)))
    print("\n".join(table(("NAME", "TITLE", "LENGTH", "TAGS", "FROM"), rows)))
    if problems:
        print("\nInvalid files (coach validate lists every problem):")
        print("\n".join(f"  {problem}" for problem in problems))
    print(f"\nYour own sessions go in {library.user_dir}")
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    """`coach history`: the summary and runs as a table, or every run as CSV or JSON."""
    from coach.core import history
    from coach.core.store import Store, StoreError
    from coach.core.text import clean_line

    now = datetime.now(UTC).astimezone()
    zone = history.local_zone()
    try:
        since = history.parse_moment(args.since, now) if args.since else None
        until = history.parse_moment(args.until, now, end_of_day=True) if args.until else None
    except history.DateError as e:
        return _error(str(e), EXIT_USAGE)
    if since is not None and until is not None and until <= since:
        return _error(f"--until {args.until} comes before --since {args.since}: no day is in "
                      "both", EXIT_USAGE)
    if args.limit is not None and args.limit < 0:
        return _error("--limit needs 0 or more", EXIT_USAGE)
    tag = clean_line(args.tag).lower() if args.tag else None  # as session files' tags are kept
    filters = {"since": since, "until": until, "session_id": args.session, "tag": tag}
    database = find_places(args.data_dir).database
    if not database.exists():  # reading history never creates a database
        store = None
    else:
        try:
            store = Store.open(database)
        except StoreError as e:
            return _error(str(e))
        with suppress(StoreError):  # a database we may not write to is shown as it is
            store.recover_interrupted()  # a run whose coach was killed is not still running
    try:
        return _print_history(args, store, filters, now, zone)
    except StoreError as e:
        return _error(str(e))
    finally:
        if store is not None:
            store.close()


def _no_runs_of(args: argparse.Namespace) -> str:
    """Why `--session NAME` found nothing at all: no runs yet, or no such practice."""
    from coach.core.library import find_session

    entry = find_session(find_places(args.data_dir), args.session)
    if entry is not None and entry.session is not None and entry.id == args.session:
        return f"No runs of {entry.session.title} yet."
    return (f"No runs of a practice called {args.session!r}: --session takes a NAME as coach "
            "list shows it.")


def _print_history(args: argparse.Namespace, store: Store | None,
                   filters: dict[str, Any], now: datetime, zone: tzinfo) -> int:
    from coach.core import history

    summaries = store.summaries(**filters) if store else []
    if args.format in ("csv", "json"):
        runs: Iterable[Run] = store.iter_runs(**filters) if store else ()
        if args.limit and store:  # the newest N, still written oldest first
            runs = reversed(store.runs(**filters, limit=args.limit))
        if args.format == "csv":
            history.write_csv(runs, sys.stdout, zone)
        else:
            shown = {k: v.isoformat() if isinstance(v, datetime) else v
                     for k, v in filters.items()}
            shown["limit"] = args.limit or None  # the newest N only, when given
            history.write_json(runs, summaries, sys.stdout, zone, shown, now)
        return EXIT_OK
    if not summaries:
        if not any(filters.values()):
            print("No runs recorded yet.")
        elif store and args.session and not store.summaries(session_id=args.session):
            print(_no_runs_of(args))
        else:
            print("No runs match these filters.")
        return EXIT_OK
    assert store is not None  # there are summaries
    print("What helps most (change in pain from before to after; negative is relief):")
    print("\n".join(history.summary_lines(summaries, zone)))
    sys.stdout.flush()  # the answer people came for, before the slower runs and totals
    total = sum(s.runs for s in summaries)
    runs_shown = store.runs(**filters, limit=total if args.limit == 0 else (args.limit or 20))
    how_many = f"the {len(runs_shown)} most recent of {total}" if len(runs_shown) < total \
        else "all"
    print(f"\nRuns, newest first ({how_many}):")
    print("\n".join(history.run_lines(runs_shown, zone)))
    if facts := history.facts(store.daily_totals(**filters)):
        print("\n" + facts.text())
    return EXIT_OK


def _ask(question: str, default: str, check: Callable[[str], object], option: str,
         called: str) -> str:
    """Ask until the answer passes `check` (which raises ValueError with the reason). The
    reasons name command-line options; here the user answered a question, so it is named."""
    while True:
        answer = input(f"{question} [{default}]: " if default else f"{question}: ").strip()
        answer = answer or default
        try:
            check(answer)
            return answer
        except ValueError as error:
            print(f"  {str(error).replace(option, called)}")


def _ask_new(free: Callable[[str], object]) -> NewSession:
    """The questions of `coach new` alone in a terminal; `free` raises ValueError if a title's
    file is taken, so that the title is asked again before the rest."""
    from coach.core.scaffold import DEFAULT_MINUTES, NewSession, checked_pattern

    print("A new session: paced breathing between a short settling and a quiet close.")
    title = _ask("Title", "", lambda t: (checked_pattern(NewSession(t)), free(t)), "--title",
                 "The title")
    ratio = _ask("Breathing counts, in-hold-out-rest (4-6 has no holds)", "4-6",
                 lambda r: checked_pattern(NewSession(title, r)), "--pattern", "The counts")
    minutes = _ask("Minutes of breathing", str(DEFAULT_MINUTES),
                   lambda m: checked_pattern(NewSession(title, ratio, minutes=_number(m))),
                   "--minutes", "Minutes")
    return NewSession(title, ratio, minutes=_number(minutes))


def _target(args: argparse.Namespace, places: Places, title: str) -> Path:
    """Where `coach new` writes: PATH itself, or a file named after the title in PATH (a
    folder, made if missing when it ends in /) or in the sessions folder."""
    from coach.core.scaffold import slug

    target = Path(args.path).expanduser() if args.path else places.sessions
    folder = not args.path or target.is_dir() or args.path.endswith(("/", os.sep))
    return target / f"{slug(title)}.toml" if folder else target


def _free(target: Path, force: bool) -> None:
    """A title whose file is taken is asked again (a PATH naming a file is checked before)."""
    if target.exists() and not force:
        raise ValueError(f"{target} already exists; choose another title")


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def _copy_own_sounds(references: list[str], source: Path, target: Path) -> None:
    """A copied session's own .wav files go beside the copy; one already there is kept."""
    import shutil

    for reference in references:
        destination = target / reference
        if source.resolve() != target.resolve() and not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / reference, destination)


def _new(args: argparse.Namespace) -> int:
    import tomllib

    from coach.core.atomic import write_atomically
    from coach.core.library import load_library
    from coach.core.scaffold import (
        NewSession,
        document_from,
        own_sounds,
        session_document,
        session_toml,
    )
    from coach.core.sessionfile import SessionError
    from coach.core.text import visible

    places = find_places(args.data_dir)
    options = (args.title, args.pattern, args.unit, args.minutes, args.cycles, args.template)
    template = None
    try:
        if args.template:
            template = load_library(places).find(args.template)
            if template is None:
                return _error(f"no session called {args.template!r}; coach list shows them all")
            if template.session is None:
                return _error(f"{template.path} has problems; coach validate lists them")
            title = args.title or f"{template.session.title} (mine)"
        elif all(o is None for o in options) and sys.stdin.isatty():
            named = Path(args.path).expanduser() if args.path else None
            if named and not named.is_dir() and named.exists() and not args.force:
                return _error(f"{named} already exists; give another PATH, or add --force to "
                              "replace it (the old one is kept as .bak)")
            asked = _ask_new(lambda t: _free(_target(args, places, t), args.force))
            title = asked.title
            args.pattern, args.minutes = asked.ratio, asked.minutes
        elif args.title is None:
            return _error("coach new needs --title (or --from), or a terminal to ask in",
                          EXIT_USAGE)
        else:
            title = args.title
        new = NewSession(title, args.pattern, args.unit, args.minutes, args.cycles)
        if template is not None:
            raw = tomllib.loads(template.path.read_text("utf-8-sig"))
            text = session_toml(document_from(raw, new),
                                template=f"{template.session.title} ({template.path.name})",
                                sounds_dir=template.path.parent)
        else:
            text = session_toml(session_document(new))
    except (EOFError, KeyboardInterrupt):
        print()
        return _error("nothing written")
    except ValueError as error:
        return _error(str(error), EXIT_USAGE)
    except SessionError as error:  # e.g. longer than the 4-hour limit, settling included
        return _error("that would not be a valid session: " + "; ".join(
            f"{problem.field}: {problem.message}" for problem in error.problems))

    target = _target(args, places, title)
    if target.suffix != ".toml":
        return _error(f"{target}: a session file's name ends in .toml (a PATH ending in / "
                      "is a folder to write into)", EXIT_USAGE)
    try:
        if args.force:
            write_atomically(target, text.encode("utf-8"),
                             backup=target.with_name(target.name + ".bak"))
        else:
            write_atomically(target, text.encode("utf-8"), replace=False)
    except FileExistsError:
        return _error(f"{target} already exists; choose another --title or PATH, or add "
                      "--force to replace it (the old one is kept as .bak)")
    except OSError as error:
        return _error(f"{target}: cannot be written: {error.strerror or error}")
    if template is not None:
        try:
            _copy_own_sounds(own_sounds(raw), template.path.parent, target.parent)
        except OSError as error:
            return _error(f"{target}: written, but its own sounds could not be copied beside "
                          f"it: {error.strerror or error}")
    name = target.stem if target.parent == places.sessions else str(target)
    print(f"Wrote {target}")
    print(f"  practise it:  coach run {name}")
    print(f"  change it:    coach edit {target}")
    if template is not None and any(
            value is not None for value in (args.pattern, args.unit, args.minutes, args.cycles)):
        print(f"Its summary and step texts are {visible(template.session.title)}'s, written for "
              "its own breath and length: change them to match yours (coach edit).")
    return EXIT_OK


def _error(message: str, code: int = EXIT_INVALID) -> int:
    print(f"coach: {message}", file=sys.stderr)
    return code


def _settings(args: argparse.Namespace,
              places: Places) -> tuple[Settings, Settings, str | None]:
    """The saved settings, those with this run's options on top, and a message if the file
    was bad."""
    from dataclasses import replace

    from coach.core.settings import load_settings

    saved, problem = load_settings(places.settings)
    settings = saved
    if args.no_sound:
        settings = replace(settings, sound=False)
    if args.reduced_motion:
        settings = replace(settings, reduced_motion=True)
    if args.theme:
        settings = replace(settings, theme=args.theme)
    return saved, settings, problem


def _quiet_collector_until_first_frame() -> None:
    """Textual's import and the first layout make objects by the hundred thousand, and the
    collector's passes over them cost a tenth of the start-up; CoachApp turns it back on once
    its first screen is drawn."""
    gc.disable()


def _edit(args: argparse.Namespace) -> int:
    """The app, opened on the editor; closing the editor ends it."""
    from coach.core.library import Origin, find_session
    from coach.core.text import visible

    places = find_places(args.data_dir)
    entry = find_session(places, args.session)
    if entry is None and (args.session.endswith(".toml") or "/" in args.session):
        return _error(f"{visible(args.session)}: no such file; coach new "
                      f"{visible(args.session)} writes one")
    if entry is None:
        return _error(f"no session called {args.session!r}; coach new writes one")
    if entry.path.suffix != ".toml":
        return _error(f"{visible(str(entry.path))}: a session file's name ends in .toml; "
                      "rename it, and coach lists it too", EXIT_USAGE)
    if args.plain:
        return _error(f"the editor needs the full screen; change {visible(str(entry.path))} in "
                      "any text editor, and coach validate checks it", EXIT_USAGE)
    if entry.origin == Origin.BUNDLED:
        return _error(f"{entry.id} is bundled with coach and stays as it is; coach new --from "
                      f"{entry.id} makes a copy of your own to edit")
    from coach.ui.app import CoachApp
    from coach.ui.screens.editor import read_source

    try:
        read_source(entry.path)
    except ValueError as error:
        return _error(str(error))
    saved, settings, settings_problem = _settings(args, places)
    _quiet_collector_until_first_frame()
    app = CoachApp(None, places, settings, sound=not args.no_sound, saved_settings=saved,
                   notices=(settings_problem,) if settings_problem else (), edit=entry.path)
    result = app.run()
    return app.return_code if app.return_code else (result or EXIT_OK)


def _practise(args: argparse.Namespace) -> int:
    """The app (or --plain), on the library or straight into one session."""
    from coach.core.library import find_session, load_library

    places = find_places(args.data_dir)
    saved, settings, settings_problem = _settings(args, places)
    entry = library = None
    if args.command != "run":
        library = load_library(places)
    else:  # straight into one session: the rest of the library is never shown
        entry = find_session(places, args.session)
        if entry is None:
            return _error(f"no session called {args.session!r}; coach list shows them all")
        if entry.session is None:
            print("\n".join(map(str, entry.problems)), file=sys.stderr)
            return EXIT_INVALID
    if args.plain and args.command == "review":  # the review in plain text is the history
        args.since = args.until = args.session = args.tag = args.limit = None
        args.format = "table"
        return _history(args)
    if args.plain:
        from coach.plain import run_plain

        return run_plain(library, entry, places)
    _quiet_collector_until_first_frame()  # from here on the app starts, or the process ends
    from coach.ui.app import CoachApp

    app = CoachApp(library, places, settings, start=entry, sound=not args.no_sound,
                   saved_settings=saved, notices=(settings_problem,) if settings_problem else (),
                   screen="review" if args.command == "review" else "library")
    result = app.run()
    return app.return_code if app.return_code else (result or EXIT_OK)


def _home_problem(data_dir: str | None) -> str | None:
    """A file where coach's folder should be: said plainly, before anything tries to use it."""
    from coach.core.text import visible

    places = find_places(data_dir)
    for folder in dict.fromkeys((places.data, places.config)):
        if folder.exists() and not folder.is_dir():
            named = "--data-dir" if data_dir else \
                "COACH_HOME" if os.environ.get("COACH_HOME") else "coach's folder"
            return (f"{named} {visible(str(folder))} is a file, not a folder; coach keeps your "
                    "ratings, settings and sessions in a folder (made when first needed)")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in ("validate", "schema") and (problem := _home_problem(args.data_dir)):
        return _error(problem, EXIT_USAGE)
    try:
        match args.command:
            case None | "run" | "review":
                return _practise(args)
            case "validate":
                return _validate(args.paths)
            case "new":
                return _new(args)
            case "edit":
                return _edit(args)
            case "list":
                return _list(args.data_dir)
            case "history":
                return _history(args)
            case "schema":
                from coach.core.format import json_schema_text, reference_markdown

                sys.stdout.write(reference_markdown() if args.markdown else json_schema_text())
                return EXIT_OK
    except BrokenPipeError:  # `coach list | head` is fine
        return EXIT_OK
    return EXIT_USAGE
