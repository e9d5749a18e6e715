"""The core never imports the UI or the sound library, so it runs and tests without them."""

import ast
from pathlib import Path

import coach.core

CORE_DIR = Path(coach.core.__file__).parent
BANNED = {"textual", "rich", "simpleaudio"}


def imported_roots(source: str) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    return roots


def test_core_never_imports_ui() -> None:
    files = list(CORE_DIR.rglob("*.py"))
    assert len(files) > 5
    for f in files:
        assert not imported_roots(f.read_text("utf-8")) & BANNED, f


def test_the_check_itself_catches_a_banned_import() -> None:
    assert imported_roots("from textual.app import App\nimport rich.text") & BANNED == {
        "textual", "rich"}
