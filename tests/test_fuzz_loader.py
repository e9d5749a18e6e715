"""Random and mutated files: the loader returns a Session or raises SessionError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.model import Session
from coach.core.schedule import Timeline
from coach.core.sessionfile import SessionError, parse_session, read_session
from tests.test_sessionfile import BASE

SEEDS = [BASE] + [p.read_text("utf-8") for p in sorted(Path("sessions").glob("*.toml"))]
KEYS = ["format", "title", "summary", "tags", "caution", "prepare", "cues", "steps", "kind",
        "seconds", "minutes", "text", "pattern", "ratio", "unit", "to", "cycles", "open",
        "prompts", "at", "regions", "name", "tense", "release", "inhale", "hold", "topup",
        "exhale", "rest", "start", "end", "interval", "every", "sound", "phases"]
scalars = (st.integers(-10**6, 10**6) | st.floats() | st.booleans() | st.text(max_size=30)
           | st.sampled_from(["guide", "breathe", "silence", "scan", "relax", "bowl", "x.wav",
                              "4:7:8", "4-6"]))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner,
                                                                max_size=6),
    max_leaves=25,
)


def accept_only_sessions_or_our_error(text: str) -> None:
    try:
        result = parse_session(text, "fuzz.toml")
    except SessionError as error:
        assert error.problems and all(str(p).startswith("fuzz.toml:") for p in error.problems)
        return
    assert isinstance(result, Session)
    Timeline(result).position_at(result.seconds / 2)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    accept_only_sessions_or_our_error(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), at=st.integers(0, 5000), cut=st.integers(0, 40),
       insert=st.text(max_size=20))
def test_mutated_sessions(seed: str, at: int, cut: int, insert: str) -> None:
    at %= len(seed) + 1
    accept_only_sessions_or_our_error(seed[:at] + insert + seed[at + cut:])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.dictionaries(st.sampled_from(KEYS), values, max_size=8),
       steps=st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=6), max_size=4))
def test_random_documents(doc: dict, steps: list) -> None:
    try:
        text = tomli_w.dumps({"format": 1, "title": "t", "summary": "s", **doc, "steps": steps})
    except (TypeError, ValueError):  # NaN keys and the like that TOML can't hold
        return
    accept_only_sessions_or_our_error(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_from_a_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.toml"
        path.write_bytes(data)
        try:
            read_session(path)
        except SessionError as error:
            assert all(str(p).startswith(str(path)) for p in error.problems)
