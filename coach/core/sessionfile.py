"""Reading a session file: bytes -> TOML -> checked against the format -> Session.

Every problem of a file is collected, each as `file:line: field: message`; nothing a file holds
raises anything but `SessionError`.
"""

from __future__ import annotations

import difflib
import math
import re
import stat
import sys
import tomllib
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from coach.core import format as fmt
from coach.core.durations import hours_text
from coach.core.format import Key, Table
from coach.core.model import (
    BUNDLED_SOUNDS,
    BreatheStep,
    Cues,
    GuideStep,
    Pattern,
    PhaseKind,
    Prompt,
    Region,
    RelaxStep,
    ScanStep,
    Session,
    SilenceStep,
    Sound,
    Step,
)
from coach.core.text import clean_line, clean_text, visible
from coach.core.tomllines import Path_, key_lines, line_of
from coach.core.wav import sound_path_problem

DEFAULT_SCAN_TEXT = (
    "Bring your attention to your {region}. Notice whatever is there: pressure, warmth, "
    "tingling, discomfort, or nothing at all. There is nothing to change."
)
DEFAULT_TENSE_TEXT = (
    "Gently tighten your {region}, about 70 % of your strength. If it hurts, stop and simply "
    "notice the area instead."
)
DEFAULT_RELEASE_TEXT = "Let your {region} go. Feel the difference as the muscles soften."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a session file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class SessionError(Exception):
    """A session file that cannot be used; `problems` holds every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, problems)))


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""`{name}` in a text: what a placeholder looks like."""


def _key_text(key: str) -> str:
    """A key as TOML would write it: quoted, with escapes, unless it is a bare word."""
    if _BARE_KEY.fullmatch(key):
        return key
    return '"' + visible(key.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def field_name(path: Path_) -> str:
    """`("steps", 2, "pattern")` -> `steps[3].pattern`: items are counted from 1, as people do."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{_key_text(part)}" if name else _key_text(part)
    return name or "(file)"


def _number_text(value: float) -> str:
    if isinstance(value, int):  # whole, as written: 99999999999, not 1e+11
        digits = len(str(abs(value)))
        return str(value) if digits <= 15 else f"a {digits}-digit number"
    return f"{value:g}"


def _type_word(value: object) -> str:
    match value:
        case bool():
            return "true/false"
        case int():
            return "a whole number"
        case float():
            return "a number"
        case str():
            return "text"
        case list():
            return "a list"
        case dict():
            return "a table"
    return "a date or time"


_WANTED = {
    "integer": "a whole number", "number": "a number", "seconds": "a number of seconds",
    "boolean": "true or false", "line": "text", "text": "text", "tags": "a list of text",
    "sound": "text", "ratio": "text", "table": "a table", "tables": "a list of tables",
    "regions": "a list",
}
_BAD = object()


class _Checker:
    """Walks a parsed document against the format, collecting problems."""

    def __init__(self, origin: str, source: str, base_dir: Path | None) -> None:
        self.origin = origin
        self.source = source
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.bad_paths: list[Path_] = []

    @cached_property
    def lines(self) -> dict[Path_, int]:
        """Where each key stands; only worked out once there is a problem to place."""
        return key_lines(self.source)

    def report(self, path: Path_, message: str) -> None:
        self.bad_paths.append(path)
        self.problems.append(
            Problem(self.origin, line_of(self.lines, path), field_name(path), message)
        )

    def clean(self, path: Path_) -> bool:
        """No problem was found at or under `path`: what was checked there is complete."""
        return not any(bad[: len(path)] == path for bad in self.bad_paths)

    # -- generic checks driven by format.py --

    def table(self, value: object, table: Table, path: Path_) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.report(path, f"must be a table, not {_type_word(value)}")
            return None
        known = [k.name for k in table.keys]
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(known)
                self.report(path + (name,), f"unknown key; {hint}")
        for group in table.one_of:
            given = [g for g in group if g in value]
            if len(given) > 1:
                self.report(path + (given[1],), "give only one of " + ", ".join(given))
            elif not given:
                self.report(path, "give one of " + ", ".join(group))
        checked: dict[str, Any] = {}
        for key in table.keys:
            if key.name not in value:
                if key.required:
                    self.report(path + (key.name,), "missing; it is required")
                continue
            result = self.value(value[key.name], key, path + (key.name,))
            if result is not _BAD:
                checked[key.name] = result
        return checked

    def value(self, value: object, key: Key, path: Path_) -> Any:
        kind = key.type
        ok_type = {
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "table": isinstance(value, dict),
            "tables": isinstance(value, list),
            "regions": isinstance(value, list),
            "tags": isinstance(value, list),
        }.get("number" if kind == "seconds" else kind, isinstance(value, str))
        if not ok_type:
            # A fraction for a count: "not 2.5" (and "not 2.0"), not "not a number".
            given = repr(value) if kind == "integer" and isinstance(value, float) \
                else _type_word(value)
            self.report(path, f"must be {_WANTED[kind]}, not {given}")
            return _BAD
        match kind:
            case "integer" | "number" | "seconds":
                return self.number(value, key, path)  # type: ignore[arg-type]
            case "line" | "text":
                return self.text(value, key, path)  # type: ignore[arg-type]
            case "tags":
                return self.tags(value, key, path)  # type: ignore[arg-type]
            case "sound":
                return self.sound(value, path)  # type: ignore[arg-type]
            case "ratio":
                if not fmt.RATIO_RE.match(value):  # type: ignore[arg-type]
                    self.report(path, 'must look like "4:7:8" (in:hold:out[:rest]) or "4:6"')
                    return _BAD
                return value
            case "table":
                assert key.table is not None
                return self.table(value, key.table, path) or _BAD
            case "tables" | "regions":
                return self.items(value, key, path)  # type: ignore[arg-type]
        return value

    def number(self, value: float, key: Key, path: Path_) -> float | object:
        if isinstance(value, float) and not math.isfinite(value):
            self.report(path, f"must be a finite number, not {value}")
            return _BAD
        if key.zero_ok and value == 0:
            return value
        assert key.low is not None and key.high is not None
        if not key.low <= value <= key.high:
            unit = " seconds" if key.type == "seconds" else ""
            zero = "0 (to leave it out) or " if key.zero_ok else ""
            if key.low == key.high:
                self.report(path, f"must be {key.low:g}, not {_number_text(value)}")
            else:
                self.report(path, f"must be {zero}between {key.low:g} and {key.high:g}{unit}, "
                                  f"not {_number_text(value)}")
            return _BAD
        return value

    def text(self, value: str, key: Key, path: Path_) -> str | object:
        cleaned = clean_line(value) if key.type == "line" else clean_text(value)
        if key.high is not None and len(cleaned) > key.high:
            self.report(path, f"is {len(cleaned)} characters long; the limit is {key.high:g}")
            return _BAD
        if not cleaned and key.required:
            self.report(path, "must not be empty")
            return _BAD
        for name in _PLACEHOLDER.findall(cleaned):
            if name != "region":  # a misspelt one would be shown as typed, braces and all
                close = difflib.get_close_matches(name, ["region"])
                self.report(path, f"{{{name}}} is not filled in by coach"
                                  f"{'; did you mean {region}?' if close else '.'} The one "
                                  "placeholder is {region}, in a body scan's or relaxation's "
                                  "texts.")
                return _BAD
        return cleaned

    def tags(self, value: list[Any], key: Key, path: Path_) -> tuple[str, ...] | object:
        if key.high is not None and len(value) > key.high:
            self.report(path, f"has {len(value)} tags; the limit is {key.high:g}")
            return _BAD
        tags = []
        for i, tag in enumerate(value):
            if not isinstance(tag, str) or not clean_line(tag):
                self.report(path + (i,), "each tag must be a word or two of text")
            elif len(clean_line(tag)) > fmt.TAG_MAX:
                self.report(path + (i,), f"a tag is at most {fmt.TAG_MAX} characters")
            else:
                tags.append(clean_line(tag).lower())
        return tuple(tags)

    def sound(self, value: str, path: Path_) -> Sound | object:
        if value in BUNDLED_SOUNDS:
            return value
        if not value.lower().endswith(".wav"):
            close = difflib.get_close_matches(value, BUNDLED_SOUNDS, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'? " if close else ""
            self.report(path, f"unknown sound '{clean_line(value)}'; {hint}use one of "
                              f"{', '.join(BUNDLED_SOUNDS)} or a .wav file next to the session")
            return _BAD
        resolved, problem = sound_path_problem(value, self.base_dir)
        if problem:
            self.report(path, problem)
            return _BAD
        return resolved

    def items(self, value: list[Any], key: Key, path: Path_) -> list[Any] | object:
        if key.low is not None and len(value) < key.low:
            self.report(path, f"needs at least {key.low:g} item(s)")
            return _BAD
        if key.high is not None and len(value) > key.high:
            self.report(path, f"has {len(value)} items; the limit is {key.high:g}")
            return _BAD
        # A bad item stays as None so that the others keep their index for messages.
        checked: list[dict[str, Any] | None] = []
        for i, item in enumerate(value):
            where = path + (i,)
            if key.type == "regions" and isinstance(item, str):
                name = clean_line(item)
                if not name:
                    self.report(where, "a region needs a name")
                checked.append({"name": name} if name else None)
                continue
            table = self.variant(item, key, where) if key.variants else key.table
            checked.append(self.table(item, table, where) if table is not None else None)
        return checked

    def variant(self, item: object, key: Key, path: Path_) -> Table | None:
        """The table for a step, chosen by its `kind`."""
        if not isinstance(item, dict):
            self.report(path, f"must be a table, not {_type_word(item)}")
            return None
        names = [t.name for t in key.variants]
        kind = item.get("kind")
        if kind is None:
            self.report(path, "missing 'kind' (one of " + ", ".join(names) + ")")
            return None
        for table in key.variants:
            if kind == table.name:
                return table
        close = difflib.get_close_matches(str(kind), names, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.report(path + ("kind",), f"unknown step kind {clean_line(str(kind))!r}; {hint}"
                                      f"use one of {', '.join(names)}")
        return None


# -- building the Session from checked values --


def _seconds(d: dict[str, Any]) -> float:
    return d["seconds"] if "seconds" in d else d["minutes"] * 60


def _ratio_pattern(ratio: str, unit: float) -> Pattern:
    counts = [float(p) * unit for p in re.split(r"\s*[:-]\s*", ratio.strip())]
    if len(counts) == 2:
        return Pattern(inhale=counts[0], exhale=counts[1])
    hold = counts[1]
    rest = counts[3] if len(counts) == 4 else 0.0
    return Pattern(inhale=counts[0], hold=hold, exhale=counts[2], rest=rest)


def parse_ratio(ratio: str, unit: float = 1.0) -> Pattern:
    """`"4-7-8"` or `"4:0:6:0"` as a Pattern; ValueError if it is not one coach can pace."""
    if not fmt.RATIO_RE.match(ratio):
        raise ValueError(f"{ratio!r} is not a pattern like 4-7-8 or 4:0:6:0")
    pattern = _ratio_pattern(ratio, unit)
    problem = pattern_problem(pattern)
    if problem:
        raise ValueError(problem)
    return pattern


def _seconds_text(seconds: float) -> str:
    """`"0.211"`, `"700"`, `"3,600"`: never in powers of ten as `:g` writes them."""
    if seconds < 0.001:
        return f"{seconds:.1g}"  # a slip by orders of magnitude; its size is what matters
    return f"{seconds:,.3f}".rstrip("0").rstrip(".")


def pattern_problem(pattern: Pattern) -> str | None:
    """Why coach cannot pace this breath, or None."""
    for kind, seconds in pattern.phases():
        if not fmt.PHASE_MIN <= seconds <= fmt.PHASE_MAX:
            shown = _seconds_text(seconds)
            return (f"{kind.value} would last {shown} s; a phase lasts "
                    f"{fmt.PHASE_MIN:g} to {fmt.PHASE_MAX:g} s")
    if pattern.inhale <= 0 or pattern.exhale <= 0:
        return "a breath needs an inhale and an exhale"
    return None


_UNCLOSED_LITERAL = 'Expected "\'"'
_TOML_WORDS = {
    "Illegal character '\\n'": 'a "…" text is not closed on this line: add the closing "',
    "Found invalid character '\\n'": "a '…' text is not closed on this line: add the closing '",
    _UNCLOSED_LITERAL: "a '…' text is not closed: add the closing '",
    "Unclosed array": "a [ … ] list is not closed: add the closing ]",
    "Expected newline or end of document after a statement":
        "something follows the value on this line: one key = value a line, and text in quotes",
}
"""tomllib's words for the slips people make most, said the way the rest of coach says things."""


def _toml_problem(message: str, lines: list[str]) -> tuple[str, str]:
    """The field and message for a TOML syntax error; `lines` end with the one it is on."""
    if message == "Cannot overwrite a value":
        # Named only if an earlier line starts with the same key: the last line of a long
        # text may hold "word = " that is no key at all.
        key = re.match(r"\s*([^=\s\[][^=]*?)\s*=|\s*\[\[?\s*([^\]]+?)\s*\]",
                       lines[-1] if lines else "")
        name = next(filter(None, key.groups())) if key else None
        if name and any(re.match(rf"\s*(\[\[?\s*)?{re.escape(name)}\s*[=\]]", earlier)
                        for earlier in lines[:-1]):
            return name, "given twice; each key once in a table"
        return "(syntax)", "a key is given twice in one table; each key once"
    if declared := re.fullmatch(r"Cannot declare \((.*)\) twice", message):
        name = ".".join(part.strip(" '\"") for part in declared.group(1).split(",") if part.strip())
        return f"[{name}]", "this table appears twice; put all its keys under one heading"
    return "(syntax)", _TOML_WORDS.get(message, f"not valid TOML: {message}")


class _Builder:
    def __init__(self, checker: _Checker) -> None:
        self.checker = checker

    def breathe(self, d: dict[str, Any], path: Path_) -> Step | None:
        if "pattern" in d:
            pattern = Pattern(**d["pattern"])
        elif "ratio" in d:
            pattern = _ratio_pattern(d["ratio"], d.get("unit", 1.0))
            problem = pattern_problem(pattern)
            if problem:
                self.checker.report(path + ("ratio",), problem)
                return None
        else:
            return None  # already reported
        ramp_to = None
        if "to" in d:
            if "cycles" not in d:
                self.checker.report(path + ("to",), "a ramp needs cycles, not minutes")
                return None
            ramp_to = replace(pattern, **d["to"])
            step = BreatheStep(pattern, d["cycles"], ramp_to)
            # A phase ramping up from 0 passes through lengths too short to pace.
            for cycle in range(step.cycles):
                problem = pattern_problem(step.pattern_of_cycle(cycle))
                if problem:
                    self.checker.report(path + ("to",), f"in breath {cycle + 1}, {problem}")
                    return None
        if "cycles" in d:
            cycles = d["cycles"]
        elif "minutes" in d:
            cycles = max(1, round(d["minutes"] * 60 / pattern.cycle_seconds))
        else:
            return None
        return BreatheStep(pattern, cycles, ramp_to, d.get("text", ""), d.get("title", ""))

    def silence(self, d: dict[str, Any], path: Path_, last: bool) -> Step | None:
        seconds: float | None
        if "open" in d:
            if d["open"] is not True:
                self.checker.report(path + ("open",), "use seconds or minutes; open = false "
                                                      "means nothing")
                return None
            if not last:
                self.checker.report(path + ("open",), "an open-ended silence must be the last "
                                                      "step")
                return None
            seconds = None
        elif "seconds" in d or "minutes" in d:
            seconds = _seconds(d)
        else:
            return None
        prompts = []
        for i, p in enumerate(d.get("prompts", [])):
            if p is None or "at" not in p or "text" not in p:
                continue
            if seconds is not None and p["at"] >= seconds:
                self.checker.report(path + ("prompts", i, "at"),
                                    f"comes after the silence ends ({seconds:g} s)")
                continue
            prompts.append(Prompt(p["at"], p["text"]))
        prompts.sort(key=lambda p: p.at)
        return SilenceStep(seconds, d.get("text", ""), tuple(prompts), d.get("title", ""))

    def step(self, d: dict[str, Any], path: Path_, last: bool) -> Step | None:
        kind = d.get("kind")
        title = d.get("title", "")
        regions = tuple(
            Region(r["name"], r.get("seconds"), r.get("text")) for r in d.get("regions", [])
            if r is not None and "name" in r
        )
        match kind:
            case "guide":
                if "text" in d and ("seconds" in d or "minutes" in d):
                    return GuideStep(d["text"], _seconds(d), title)
            case "breathe":
                return self.breathe(d, path)
            case "silence":
                return self.silence(d, path, last)
            case "scan":
                if regions and "seconds" in d:
                    return ScanStep(regions, d["seconds"], d.get("text", DEFAULT_SCAN_TEXT),
                                    title)
            case "relax":
                if regions and "release" in d:
                    return RelaxStep(regions, d.get("tense", 0.0), d["release"],
                                     d.get("tense_text", DEFAULT_TENSE_TEXT),
                                     d.get("release_text", DEFAULT_RELEASE_TEXT), title)
        return None

    def cues(self, d: dict[str, Any]) -> Cues:
        interval = d.get("interval", {})
        return Cues(
            start=d.get("start"),
            end=d.get("end"),
            interval_every=interval.get("every"),
            interval_sound=interval.get("sound"),
            phases={PhaseKind(k): v for k, v in d.get("phases", {}).items()},
        )


_MAX_KEY_PARTS = 32
# tomllib takes time and memory quadratic in the parts of one dotted key (and so would the
# line scanner), so a key far deeper than the format's is refused before parsing. Keys begin a
# line or follow `[`, `{` or `,`; prose would need 32 one-word sentences in a row to match.
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*\.[ \t]*"""
_LONG_KEY = re.compile(rf"(?:^|[\[{{,])[ \t]*(?:{_KEY_PART}){{{_MAX_KEY_PARTS}}}", re.MULTILINE)


def parse_session(
    text: str, origin: str = "<memory>", base_dir: Path | None = None, session_id: str = "session"
) -> Session:
    """Check TOML text against the format and build the Session, or raise SessionError."""
    long_key = _LONG_KEY.search(text)
    if long_key:
        line = text.count("\n", 0, long_key.end()) + 1
        raise SessionError([Problem(origin, line, "(syntax)", f"a key of more than "
                                    f"{_MAX_KEY_PARTS} dotted parts is nested too deeply")])
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(where.group(1)) if where else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
        if "(at end of document)" in str(error):
            line = text.count("\n") + 1
            if message == _UNCLOSED_LITERAL:  # on the line its last quote opened, not after
                line = text.count("\n", 0, text.rfind("'")) + 1
        field, said = _toml_problem(message, text.splitlines()[:line])
        raise SessionError([Problem(origin, line, field, said)]) from None
    except RecursionError:
        raise SessionError([Problem(origin, 1, "(syntax)", "nested too deeply")]) from None
    except ValueError as error:  # beyond Python's limit on the digits of an integer
        digits = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else 1
        message = "a number has too many digits" if digits else f"not valid TOML: {error}"
        raise SessionError([Problem(origin, line, "(syntax)", message)]) from None

    checker = _Checker(origin, text, base_dir)
    top = checker.table(doc, fmt.SESSION, ())
    assert top is not None  # the document is always a table
    builder = _Builder(checker)
    steps: list[Step] = []
    raw_steps = top.get("steps", [])
    for i, d in enumerate(raw_steps):
        if d is not None and checker.clean(("steps", i)):
            step = builder.step(d, ("steps", i), last=i == len(raw_steps) - 1)
            if step is not None:
                steps.append(step)
    session = Session(
        id=session_id,
        title=top.get("title", ""),
        summary=top.get("summary", ""),
        steps=tuple(steps),
        tags=top.get("tags", ()),
        caution=top.get("caution", ""),
        prepare=top.get("prepare", 0.0),
        cues=builder.cues(top.get("cues", {}) if checker.clean(("cues",)) else {}),
        path=None,
        format=top.get("format", fmt.FORMAT_VERSION),
    )
    if session.seconds > fmt.MAX_SESSION_SECONDS:
        checker.report(("steps",), f"the session would last {hours_text(session.seconds)}; "
                                   f"the limit is {fmt.MAX_SESSION_SECONDS // 3600} hours")
    if checker.problems:  # in file order, as an editor walks them
        raise SessionError(sorted(checker.problems, key=lambda problem: problem.line))
    return session


def read_session(path: Path) -> Session:
    """Read and check one session file; SessionError names every problem."""
    origin = visible(str(path))

    def fail(message: str, line: int = 1) -> SessionError:
        return SessionError([Problem(origin, line, "(file)", message)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail("not a regular file")
        if info.st_size > fmt.MAX_FILE_BYTES:
            raise fail(f"the file is {info.st_size:,} bytes; the limit is "
                       f"{fmt.MAX_FILE_BYTES:,}")
        data = path.read_bytes()
    except OSError as error:
        raise fail(f"cannot be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise fail(f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
                   "save the file as UTF-8", line) from None
    session = parse_session(text, origin, path.parent, visible(path.stem))
    return replace(session, path=path)


def check_file(path: Path) -> list[Problem]:
    """Every problem of a session file; empty if it is valid."""
    try:
        read_session(path)
    except SessionError as error:
        return list(error.problems)
    return []
