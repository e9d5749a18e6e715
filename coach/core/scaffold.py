"""New session files: what `coach new` was asked for -> a session document -> TOML text.

Everything here is pure; the CLI reads the template file (for `--from`) and writes the result.
The text returned is always a valid session: it is checked with the validator before it is
handed back.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import tomli_w

from coach.core import format as fmt
from coach.core.durations import length_text
from coach.core.model import BUNDLED_SOUNDS, Pattern
from coach.core.sessionfile import parse_ratio, parse_session, pattern_problem
from coach.core.text import clean_line

DEFAULT_RATIO = "4:6"
"""In 4, out 6: the hold-free extended exhale (DOMAIN.md section 2)."""
DEFAULT_MINUTES = 5
PREPARE_SECONDS = 5
SETTLE_SECONDS = 20
CLOSE_SECONDS = 20
SETTLE_TEXT = ("Sit or lie so your back is supported. Let your shoulders drop and your jaw "
               "soften. Breathe however is comfortable for a moment.")
CLOSE_TEXT = ("Let the count go and breathe however you like. Notice how you feel now, "
              "without needing it to be any particular way.")
_HOLDS = (
    "This pattern holds the breath. If you have asthma, heart or lung disease, high blood "
    "pressure, or are pregnant, leave the holds out unless a clinician has said they are fine "
    "for you. Practise sitting or lying down.")
_FAST = (
    "This pattern is fast: {rate} breaths a minute, quicker than breathing at rest, and fast "
    "breathing can make you dizzy or tingly. Keep each breath small and gentle.")
_STOP = (
    "If you feel dizzy, light-headed or short of breath, notice tingling around your mouth or "
    "hands, or your pain gets worse, stop and breathe normally.")
FAST_BELOW_SECONDS = 4.0
"""A breath shorter than this is over 15 a minute: faster than resting breathing (DOMAIN.md
section 5: no hyperventilation protocols ship, and coach new does not make one unannounced)."""
_BREATH_KEYS = ("pattern", "ratio", "unit", "to")
_LENGTH_KEYS = ("cycles", "minutes")


@dataclass(frozen=True)
class NewSession:
    """What `coach new` was asked for. None means: the default, or the template's value."""

    title: str
    ratio: str | None = None
    """Counts as `4-7-8` or `4:0:6:0`: in, hold, out, rest (`in-out` has no holds)."""
    unit: float | None = None
    """Seconds per count."""
    minutes: float | None = None
    """How long the breathing lasts (rounded to whole breaths)."""
    cycles: int | None = None
    """How many breaths; instead of `minutes`."""


def _unaccented(char: str) -> str:
    """`é` -> `e`, `ﬁ` -> `fi`; a letter with no plain Latin form (`デ`) stays whole."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return plain if plain.isascii() else char


def slug(title: str) -> str:
    """A file name from a title: `"4-6 Calm, évening"` -> `4-6-calm-evening`, `"呼吸"` -> `呼吸`.

    Letters and digits of any script stay (accents are dropped); nothing else does, so the
    name can never reach outside the sessions folder.
    """
    words = re.findall(r"[^\W_]+", "".join(map(_unaccented, title)).lower())
    name = "-".join(words)[:48].strip("-")
    return name or "session"


def _in_range(value: float, key_name: str, option: str) -> None:
    key = fmt.BREATHE.key(key_name)
    assert key is not None and key.low is not None and key.high is not None
    if not key.low <= value <= key.high:
        raise ValueError(f"{option} must be between {key.low:g} and {key.high:g}, not {value:g}")


def checked_pattern(new: NewSession) -> Pattern | None:
    """The breath asked for, None if none was; ValueError names the option that is wrong."""
    _check_options(new)
    if new.ratio is None and new.unit is None:
        return None
    try:
        return parse_ratio(new.ratio or DEFAULT_RATIO, new.unit or 1.0)
    except ValueError as error:
        raise ValueError(f"{'--pattern' if new.ratio else '--unit'}: {error}") from None


def _check_options(new: NewSession) -> None:
    title = clean_line(new.title)
    title_key = fmt.SESSION.key("title")
    assert title_key is not None and title_key.high is not None
    if not title:
        raise ValueError("--title must not be empty")
    if len(title) > title_key.high:
        raise ValueError(f"--title is {len(title)} characters long; the limit is "
                         f"{title_key.high:g}")
    if new.unit is not None:
        _in_range(new.unit, "unit", "--unit")
    if new.minutes is not None:
        _in_range(new.minutes, "minutes", "--minutes")
    if new.cycles is not None:
        _in_range(new.cycles, "cycles", "--cycles")
    if new.minutes is not None and new.cycles is not None:
        raise ValueError("give --minutes or --cycles, not both")


def _ratio_text(ratio: str) -> str:
    return ":".join(re.split(r"\s*[:-]\s*", ratio.strip()))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _breath_keys(new: NewSession) -> dict[str, Any]:
    keys: dict[str, Any] = {"ratio": _ratio_text(new.ratio or DEFAULT_RATIO)}
    if new.unit not in (None, 1):
        keys["unit"] = _number(new.unit)  # type: ignore[arg-type]
    return keys


def _length_keys(new: NewSession) -> dict[str, Any]:
    if new.cycles is not None:
        return {"cycles": new.cycles}
    return {"minutes": _number(new.minutes if new.minutes is not None else DEFAULT_MINUTES)}


def _describe(pattern: Pattern) -> str:
    words = {"inhale": "in", "hold": "hold", "topup": "top up", "exhale": "out", "rest": "rest"}
    return ", ".join(f"{words[kind.value]} {seconds:g} s" for kind, seconds in pattern.phases())


def _about(seconds: float) -> str:
    return length_text(round(seconds / 60) * 60 if seconds >= 90 else seconds)


def _cycles(pattern: Pattern, new: NewSession) -> int:
    if new.cycles is not None:
        return new.cycles
    minutes = new.minutes if new.minutes is not None else DEFAULT_MINUTES
    return max(1, round(minutes * 60 / pattern.cycle_seconds))


def _holds(pattern: Pattern) -> bool:
    return pattern.hold > 0 or pattern.rest > 0


def _fast_note(pattern: Pattern) -> str | None:
    if pattern.cycle_seconds >= FAST_BELOW_SECONDS:
        return None
    return _FAST.format(rate=f"{60 / pattern.cycle_seconds:.0f}")


def _fastest(patterns: list[Pattern]) -> Pattern:
    return min(patterns, key=lambda pattern: pattern.cycle_seconds)


def caution_for(*patterns: Pattern) -> str | None:
    """The caution breaths need before they start: for holds, for fast breathing, or none."""
    parts = [_HOLDS] if any(map(_holds, patterns)) else []
    if fast := _fast_note(_fastest(list(patterns))):
        parts.append(fast)
    return " ".join([*parts, _STOP]) if parts else None


def session_document(new: NewSession) -> dict[str, Any]:
    """A fresh session: settle, paced breathing as asked, a quiet close."""
    pattern = checked_pattern(new) or parse_ratio(DEFAULT_RATIO)
    holds = _holds(pattern)
    seconds = (PREPARE_SECONDS + SETTLE_SECONDS + CLOSE_SECONDS
               + _cycles(pattern, new) * pattern.cycle_seconds)
    doc: dict[str, Any] = {
        "format": fmt.FORMAT_VERSION,
        "title": clean_line(new.title),
        "summary": f"Paced breathing: {_describe(pattern)}. About {_about(seconds)}.",
        "tags": ["breathing", "holds"] if holds else ["breathing"],
    }
    if caution := caution_for(pattern):
        doc["caution"] = caution
    doc["prepare"] = PREPARE_SECONDS
    phase_cues = {"inhale": "rise", "hold": "hold", "exhale": "fall", "rest": "hold"}
    doc["cues"] = {"start": "bowl", "end": "bowl",
                   "phases": {k: v for k, v in phase_cues.items() if getattr(pattern, k) > 0}}
    doc["steps"] = [
        {"kind": "guide", "title": "Settling", "seconds": SETTLE_SECONDS, "text": SETTLE_TEXT},
        {"kind": "breathe", "title": "Paced breathing", **_breath_keys(new), **_length_keys(new),
         "text": f"Follow the pacer: {_describe(pattern)}."},
        {"kind": "guide", "title": "Closing", "seconds": CLOSE_SECONDS, "text": CLOSE_TEXT},
    ]
    return doc


def own_sounds(doc: dict[str, Any]) -> list[str]:
    """A session's own .wav files, as written in it (relative to its folder): a copy of the
    session needs copies of them beside it."""
    cues = doc.get("cues", {})
    holders = [cues, cues.get("interval", {}), cues.get("phases", {})]
    return sorted({value for holder in holders for value in holder.values()
                   if isinstance(value, str) and value not in BUNDLED_SOUNDS})


def document_from(template: dict[str, Any], new: NewSession) -> dict[str, Any]:
    """A copy of a template session with the new title, and the breath or length asked for
    applied to every breathing step. `--unit` alone keeps each step's own counts and sets how
    long one lasts; `--pattern` replaces the breath."""
    if new.ratio is not None:
        checked_pattern(new)
    else:  # the copy's own breath: checked below, once --unit has set its pace
        _check_options(new)
    doc = copy.deepcopy(template)
    doc["title"] = clean_line(new.title)
    breaths = []
    for step in doc.get("steps", []):
        if step.get("kind") != "breathe":
            continue
        if new.ratio is not None:
            for key in _BREATH_KEYS:
                step.pop(key, None)
            step.update(_breath_keys(new))
        elif new.unit is not None:
            _set_unit(step, new.unit)
        if new.minutes is not None or new.cycles is not None:
            for key in _LENGTH_KEYS:
                step.pop(key, None)
            step.update(_length_keys(new))
        if new.ratio is not None or new.unit is not None:
            breaths += _step_patterns(step)
    if breaths:
        caution = _copied_caution(doc, breaths)
        if caution:
            doc["caution"] = caution
        else:
            doc.pop("caution", None)
    return doc


def _set_unit(step: dict[str, Any], unit: float) -> None:
    """A step's counts at `unit` seconds each: a ratio's unit, or a pattern's seconds (counts of
    one second) and its ramp's scaled."""
    if "ratio" in step:
        step.pop("unit", None)
        if unit != 1:
            step["unit"] = _number(unit)
    for key in ("pattern", "to"):
        if isinstance(table := step.get(key), dict):
            step[key] = {phase: _number(round(seconds * unit, 3))
                         for phase, seconds in table.items()}


def _step_patterns(step: dict[str, Any]) -> list[Pattern]:
    """A copied step's breath, and its ramp's end (a ramp key not given keeps the start's);
    ValueError if `--unit` made one coach cannot pace."""
    try:
        if "ratio" in step:
            start = asdict(parse_ratio(step["ratio"], step.get("unit", 1.0)))
        else:
            start = step["pattern"]
        patterns = [Pattern(**start), Pattern(**{**start, **step.get("to", {})})]
        if problem := next(filter(None, map(pattern_problem, patterns)), None):
            raise ValueError(problem)
        return patterns
    except ValueError as error:
        raise ValueError(f"--unit: {error}") from None


def _copied_caution(doc: dict[str, Any], patterns: list[Pattern]) -> str | None:
    """A copy's caution for its new breath. One coach new wrote (it ends with the stop
    sentence) is written again for the new breath; one a person wrote is kept, with what the
    new breath needs and it does not say (holds, a fast pace) put before its own words."""
    own = doc.get("caution", "")
    if not own or own.endswith(_STOP):
        return caution_for(*patterns)
    needed = []
    if any(map(_holds, patterns)) and "hold" not in own.lower():
        needed.append(_HOLDS)
    if (fast := _fast_note(_fastest(patterns))) and "breaths a minute" not in own:
        needed.append(fast)
    return " ".join([*needed, own])


def header(title: str, template: str | None = None) -> str:
    """The comment at the top of a new file: where it came from and where the docs are."""
    lines = [f"# {clean_line(title)}: a session of your own, written by `coach new`."]
    if template:
        lines.append(f"# Started from {clean_line(template)}; its comments were not copied.")
    lines += [
        "# Every key and its limits: docs/session-format.md in coach's source, or `coach schema`.",
        "# `coach validate FILE` checks this file; `coach edit FILE` edits it with live checks.",
    ]
    return "\n".join(lines) + "\n"


def session_toml(doc: dict[str, Any], template: str | None = None,
                 sounds_dir: Path | None = None) -> str:
    """The file's text: the header comment, then the document. SessionError if it is invalid.

    `sounds_dir` holds the session's own .wav files, if it has any."""
    text = header(doc.get("title", ""), template) + tomli_w.dumps(doc)
    parse_session(text, origin="the new session", base_dir=sounds_dir)
    return text
