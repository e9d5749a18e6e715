"""One source of truth: the JSON Schema, the validator and the reference docs agree."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest

from coach.core.format import json_schema, reference_markdown
from coach.core.sessionfile import SessionError, parse_session
from tests.conftest import ROOT
from tests.test_sessionfile import BASE, CASES

# Rules the JSON Schema does not express: they need the file's folder, sums or order of
# steps, or what the words of a text say.
BEYOND_SCHEMA = ("relative to the session", "ramp needs cycles", "must be the last step",
                 "comes after the silence ends", "the limit is 4 hours", "would last",
                 "in breath", "open = false", "must not be empty", "a word or two",
                 "needs a name", "finite", "not filled in by coach")


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", sorted((ROOT / "sessions").glob("*.toml")), ids=lambda p: p.stem)
def test_schema_accepts_every_bundled_session(path) -> None:
    jsonschema.validate(tomllib.loads(path.read_text("utf-8")), json_schema())


@pytest.mark.parametrize(("text", "line", "field", "words"), CASES)
def test_schema_rejects_what_the_validator_rejects(text, line, field, words) -> None:
    with pytest.raises(SessionError):
        parse_session(text)
    if any(w in words for w in BEYOND_SCHEMA):
        return
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # not TOML at all: nothing for a schema to see

    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(doc))
    assert errors, f"schema accepted a file the validator rejects ({field}: {words})"


def test_schema_accepts_the_valid_base() -> None:
    jsonschema.validate(tomllib.loads(BASE), json_schema())
    parse_session(BASE)


def test_reference_docs_are_generated_from_the_format() -> None:
    doc = (ROOT / "docs" / "session-format.md").read_text("utf-8")
    start = doc.index("<!-- reference:start -->\n") + len("<!-- reference:start -->\n")
    end = doc.index("<!-- reference:end -->")
    assert doc[start:end] == reference_markdown(), "run: coach schema --markdown"


def test_schema_command_output_is_the_schema(capsys) -> None:
    from coach.cli import main

    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()
