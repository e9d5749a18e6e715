"""The session file format, described once.

The validator (`sessionfile.py`), the JSON Schema (`coach schema`) and the key reference in
docs/session-format.md are all derived from `SESSION` below, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.core.model import BUNDLED_SOUNDS, CUE_PHASES

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_SESSION_SECONDS = 4 * 3600
PHASE_MIN, PHASE_MAX = 0.5, 600.0
MAX_WAV_BYTES = 5_000_000
WAV_RATES = (8000, 48000)
RATIO_RE = re.compile(r"^\s*\d+(\.\d+)?(\s*[:-]\s*\d+(\.\d+)?){1,3}\s*$")


@dataclass(frozen=True)
class Key:
    """One key of a table: its type, limits and meaning."""

    name: str
    type: str
    """integer, number, seconds, boolean, line, text, tags, sound, ratio, table, tables, regions."""
    doc: str
    required: bool = False
    low: float | None = None
    high: float | None = None
    """For numbers the range; for text the longest length; for lists the most items."""
    zero_ok: bool = False
    """0 is allowed below `low`: the phase is left out."""
    default: str = ""
    """As shown in the reference."""
    table: Table | None = None
    variants: tuple[Table, ...] = ()
    """For `tables` told apart by their `kind` key."""


@dataclass(frozen=True)
class Table:
    """A TOML table: its keys, and which of them go together."""

    name: str
    doc: str
    keys: tuple[Key, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    """Groups of keys of which exactly one must be given."""
    example: str = ""

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)


def _phase(name: str, doc: str, required: bool) -> Key:
    # In- and out-breaths always last; the other phases may be left out with 0.
    optional_phase = name not in ("inhale", "exhale")
    return Key(name, "seconds", doc, required=required, low=PHASE_MIN, high=PHASE_MAX,
               zero_ok=optional_phase, default="0" if optional_phase else "")


def _pattern_keys(required: bool) -> tuple[Key, ...]:
    return (
        _phase("inhale", "Breathing in.", required),
        _phase("hold", "Holding after the in-breath.", False),
        _phase("topup", "A short second in-breath after the hold (the physiological sigh).",
               False),
        _phase("exhale", "Breathing out.", required),
        _phase("rest", "Resting after the out-breath before the next breath.", False),
    )


def _sound(name: str, doc: str, required: bool = False) -> Key:
    return Key(name, "sound", doc, required=required, high=300)


TITLE = Key("title", "line", "A short name for this step, shown in the progress line.", high=60)
MINUTES = Key("minutes", "number", "How long, in minutes.", low=0.1, high=240)
SECONDS = Key("seconds", "seconds", "How long, in seconds.", low=1, high=14400)

PATTERN = Table(
    "pattern", "One breath in seconds. Hold, topup and rest are optional; 0 leaves them out.",
    _pattern_keys(required=True), example="pattern = { inhale = 4, hold = 7, exhale = 8 }",
)
RAMP = Table(
    "to",
    "A ramp: the pattern of the last cycle. Keys not given keep the `pattern` value; cycles "
    "between move evenly from one to the other.",
    _pattern_keys(required=False), example="to = { exhale = 8 }",
)
PROMPT = Table(
    "prompts", "A line shown during a silence.",
    (
        Key("at", "seconds", "Seconds after the silence begins.", required=True, low=0,
            high=14400),
        Key("text", "text", "What to show.", required=True, high=2000),
    ),
    example='prompts = [{ at = 60, text = "Notice where the mind is, and come back." }]',
)
REGION = Table(
    "regions", "A part of the body: a name, or a table to set its own time or text.",
    (
        Key("name", "line", "The region, e.g. \"lower back\".", required=True, high=60),
        Key("seconds", "seconds", "Time on this region (scan only).", low=PHASE_MIN,
            high=PHASE_MAX),
        Key("text", "text", "Text for this region instead of the step's.", high=2000),
    ),
    example='regions = ["feet", { name = "lower back", seconds = 60 }]',
)

GUIDE = Table(
    "guide", "Guidance text shown for a while.",
    (
        Key("kind", "line", '"guide"', required=True),
        TITLE,
        Key("text", "text", "The guidance to show.", required=True, high=2000),
        SECONDS,
        MINUTES,
    ),
    one_of=(("seconds", "minutes"),),
    example='[[steps]]\nkind = "guide"\nseconds = 20\ntext = "Let the floor take your weight."',
)
BREATHE = Table(
    "breathe",
    "Paced breathing. Give the breath as `pattern` (seconds) or as `ratio` times `unit`, and "
    "its length as `cycles` or `minutes` (rounded to whole breaths).",
    (
        Key("kind", "line", '"breathe"', required=True),
        TITLE,
        Key("text", "text", "Guidance shown while breathing.", high=2000),
        Key("pattern", "table", "The breath in seconds.", table=PATTERN),
        Key("ratio", "ratio",
            'The breath as counts "in:hold:out[:rest]" (or "in:out"), e.g. "4:7:8".'),
        Key("unit", "number", "Seconds per count of `ratio`.", low=0.1, high=60, default="1"),
        Key("to", "table", "Ramp toward this pattern over the cycles; needs `cycles`.",
            table=RAMP),
        Key("cycles", "integer", "How many breaths.", low=1, high=2000),
        MINUTES,
    ),
    one_of=(("pattern", "ratio"), ("cycles", "minutes")),
    example='[[steps]]\nkind = "breathe"\npattern = { inhale = 4, hold = 4, exhale = 4, rest = 4 }'
    "\ncycles = 6",
)
SILENCE = Table(
    "silence",
    "Open practice with timed prompts. `open = true` lasts until you move on (last step only).",
    (
        Key("kind", "line", '"silence"', required=True),
        TITLE,
        Key("text", "text", "Shown when the silence begins.", high=2000),
        SECONDS,
        MINUTES,
        Key("open", "boolean", "No set end: it lasts until you press n or end the session."),
        Key("prompts", "tables", "Lines shown at set times.", high=200, table=PROMPT),
    ),
    one_of=(("seconds", "minutes", "open"),),
    example='[[steps]]\nkind = "silence"\nminutes = 5\n' + PROMPT.example,
)
SCAN = Table(
    "scan",
    "A body scan: attention rests on each region in turn. `{region}` in a text is replaced by "
    "the region's name.",
    (
        Key("kind", "line", '"scan"', required=True),
        TITLE,
        Key("regions", "regions", "The regions, in order.", required=True, low=1, high=60,
            table=REGION),
        Key("seconds", "seconds", "Time on each region.", required=True, low=PHASE_MIN,
            high=PHASE_MAX),
        Key("text", "text", "Shown for each region.", high=2000,
            default='"Bring your attention to your {region}. …"'),
    ),
    example='[[steps]]\nkind = "scan"\nseconds = 30\nregions = ["feet", "calves", "knees"]',
)
RELAX = Table(
    "relax",
    "Progressive muscle relaxation: tense, then release, each region. `tense = 0` is "
    "release-only, kinder to cramp-prone muscles.",
    (
        Key("kind", "line", '"relax"', required=True),
        TITLE,
        Key("regions", "regions", "The regions, in order.", required=True, low=1, high=60,
            table=REGION),
        Key("tense", "seconds", "Seconds of gentle tensing; 0 for release-only.", low=2, high=15,
            zero_ok=True, default="0"),
        Key("release", "seconds", "Seconds of letting go.", required=True, low=3, high=120),
        Key("tense_text", "text", "Shown while tensing.", high=2000,
            default='"Gently tighten your {region}, about 70 %. …"'),
        Key("release_text", "text", "Shown while releasing.", high=2000,
            default='"Let your {region} go. …"'),
    ),
    example='[[steps]]\nkind = "relax"\ntense = 0\nrelease = 20\nregions = ["calves", "feet"]',
)
STEP_KINDS = (GUIDE, BREATHE, SILENCE, SCAN, RELAX)

INTERVAL = Table(
    "interval", "A bell every so often, counted from the first step.",
    (
        Key("every", "seconds", "Seconds between bells.", required=True, low=10, high=3600),
        _sound("sound", "The bell.", required=True),
    ),
    example='interval = { every = 60, sound = "bell" }',
)
PHASE_CUES = Table(
    "phases", "A cue at the start of each phase of that kind: distinct sounds for eyes-closed "
    "practice.",
    tuple(_sound(k.value, f"At each {k.value}" + (" (a new region of a scan)." if k == "focus"
                 else ".")) for k in CUE_PHASES),
    example='phases = { inhale = "rise", hold = "hold", exhale = "fall" }',
)
CUES = Table(
    "cues",
    "Sounds. A bundled name (" + ", ".join(BUNDLED_SOUNDS) + ") or a `.wav` file path "
    "relative to the session file (16-bit PCM, 8-48 kHz, under 5 MB).",
    (
        _sound("start", "When the first step begins."),
        _sound("end", "When the session ends."),
        Key("interval", "table", "Interval bells.", table=INTERVAL),
        Key("phases", "table", "Cues per phase.", table=PHASE_CUES),
    ),
    example='[cues]\nstart = "bowl"\nend = "bowl"\n' + PHASE_CUES.example,
)
SESSION = Table(
    "session", "The top of the file.",
    (
        Key("format", "integer", f"The format version; always {FORMAT_VERSION} for now.",
            required=True, low=FORMAT_VERSION, high=FORMAT_VERSION),
        Key("title", "line", "The session's name in the library.", required=True, high=80),
        Key("summary", "text", "One or two sentences: what it is, how long, what for.",
            required=True, high=400),
        Key("tags", "tags", "Words to filter by, e.g. \"breathing\", \"sleep\".", high=10),
        Key("caution", "text", "Shown before the session starts, e.g. for breath holds.",
            high=600),
        Key("prepare", "seconds", "Seconds to settle before the first step.", low=0, high=120,
            default="0"),
        Key("cues", "table", "Sounds; see [cues].", table=CUES),
        Key("steps", "tables", "The steps, in order; see the step kinds.", required=True,
            low=1, high=200, variants=STEP_KINDS),
    ),
)
TAG_MAX = 24


# --- JSON Schema ----------------------------------------------------------------------------


def _number_schema(key: Key, integer: bool = False) -> dict[str, object]:
    ranged: dict[str, object] = {"type": "integer" if integer else "number"}
    if key.low is not None:
        ranged["minimum"] = key.low
    if key.high is not None:
        ranged["maximum"] = key.high
    if key.zero_ok:
        return {"anyOf": [{"const": 0}, ranged]}
    return ranged


def _key_schema(key: Key) -> dict[str, object]:
    match key.type:
        case "integer":
            return _number_schema(key, integer=True)
        case "number" | "seconds":
            return _number_schema(key)
        case "boolean":
            return {"type": "boolean"}
        case "line" | "text":
            return {"type": "string", "maxLength": int(key.high or 10_000)}
        case "tags":
            return {"type": "array", "maxItems": int(key.high or 0),
                    "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX}}
        case "sound":
            return {"type": "string", "anyOf": [{"enum": list(BUNDLED_SOUNDS)},
                                                {"pattern": r"(?i)\.wav$"}]}
        case "ratio":
            return {"type": "string", "pattern": RATIO_RE.pattern}
        case "table":
            assert key.table is not None
            return _table_schema(key.table)
        case "tables":
            items = ({"oneOf": [_table_schema(t, kind=t.name) for t in key.variants]}
                     if key.variants else _table_schema(key.table))  # type: ignore[arg-type]
            bounds = {"minItems": int(key.low)} if key.low else {}
            return {"type": "array", "items": items, "maxItems": int(key.high or 0), **bounds}
        case "regions":
            assert key.table is not None
            return {"type": "array", "minItems": 1, "maxItems": int(key.high or 0),
                    "items": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 60},
                                        _table_schema(key.table)]}}
    raise ValueError(f"no schema for key type {key.type}")


def _table_schema(table: Table, kind: str | None = None) -> dict[str, object]:
    props = {k.name: _key_schema(k) for k in table.keys}
    if kind is not None:
        props["kind"] = {"const": kind}
    schema: dict[str, object] = {
        "type": "object",
        "description": table.doc,
        "properties": props,
        "required": [k.name for k in table.keys if k.required],
        "additionalProperties": False,
    }
    rules: list[dict[str, object]] = []
    for group in table.one_of:
        rules.append({"oneOf": [{"required": [name]} for name in group]})
    if rules:
        schema["allOf"] = rules
    return schema


def json_schema() -> dict[str, object]:
    """The JSON Schema of a session file, for editors that validate TOML."""
    schema = _table_schema(SESSION)
    schema.pop("description")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"coach-session-format-{FORMAT_VERSION}",
        "title": "coach session",
        "description": "A breathing or meditation session for coach.",
        **schema,
    }


def json_schema_text() -> str:
    import json  # here: every start of the app reads this module, few ask for the schema

    return json.dumps(json_schema(), indent=2) + "\n"


# --- Reference (Markdown) -------------------------------------------------------------------

_TYPE_WORDS = {
    "integer": "whole number", "number": "number", "seconds": "seconds", "boolean": "true/false",
    "line": "text (one line)", "text": "text", "tags": "list of text", "sound": "sound",
    "ratio": "text", "table": "table", "tables": "list of tables", "regions": "list",
}


def _limits(key: Key) -> str:
    if key.type in ("line", "text", "sound"):
        return f"up to {int(key.high)} characters" if key.high else ""
    if key.type in ("tags", "tables", "regions"):
        low = f"{int(key.low)} to " if key.low else "up to "
        return f"{low}{int(key.high)} items" if key.high else ""
    if key.low is None:
        return ""
    zero = "0, or " if key.zero_ok else ""
    return f"{zero}{key.low:g} to {key.high:g}"


def _table_markdown(table: Table, heading: str) -> list[str]:
    lines = [heading, "", table.doc, ""]
    lines += ["| key | type | required | limits | default | meaning |",
              "|---|---|---|---|---|---|"]
    for k in table.keys:
        lines.append(f"| `{k.name}` | {_TYPE_WORDS[k.type]} | {'yes' if k.required else ''} | "
                     f"{_limits(k)} | {k.default.replace('|', '&#124;')} | {k.doc} |")
    for group in table.one_of:
        lines += ["", "Exactly one of " + ", ".join(f"`{g}`" for g in group) + "."]
    if table.example:
        lines += ["", "```toml", table.example, "```"]
    return lines + [""]


def reference_markdown() -> str:
    """The key reference, as it stands in docs/session-format.md."""
    lines = _table_markdown(SESSION, "### The top of the file")
    lines += _table_markdown(CUES, "### `[cues]`")
    lines += _table_markdown(INTERVAL, "#### `interval` in `[cues]`")
    lines += _table_markdown(PHASE_CUES, "#### `phases` in `[cues]`")
    for step in STEP_KINDS:
        lines += _table_markdown(step, f'### Step kind `"{step.name}"`')
    lines += _table_markdown(PATTERN, "#### `pattern` in a breathe step")
    lines += _table_markdown(RAMP, "#### `to` in a breathe step")
    lines += _table_markdown(PROMPT, "#### `prompts` in a silence step")
    lines += _table_markdown(REGION, "#### An item of `regions` given as a table")
    return "\n".join(lines).rstrip() + "\n"

