"""Which line of a TOML text each key and array item stands on.

`tomllib` gives values without positions; validation messages need `file:line`. This scanner
walks text that `tomllib` has already accepted and records, for every key path such as
`("steps", 2, "pattern", "inhale")`, the line where it appears.
"""

from __future__ import annotations

import re

Path_ = tuple[str | int, ...]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_MAX_DEPTH = 64
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(found: re.Match[str]) -> str:
    """One escape of a basic string, so that a quoted key matches the key tomllib read."""
    code = found.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[Path_, int] = {}
        self.array_tables: dict[Path_, int] = {}

    # -- characters --
    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        self.line += self.text.count("\n", self.i, self.i + n)
        self.i += n

    def skip_blank(self, newlines: bool) -> None:
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                end = self.text.find("\n", self.i)
                self.advance((len(self.text) if end < 0 else end) - self.i)
            else:
                return

    # -- pieces --
    def string(self) -> str:
        for quote in ('"""', "'''"):
            if self.peek(3) == quote:
                end = self.text.find(quote, self.i + 3)
                while self.text[end + 3 : end + 4] == quote[0]:  # up to two quotes may close it
                    end += 1
                value = self.text[self.i + 3 : end]
                self.advance(end + 3 - self.i)
                return value
        quote = self.peek()
        j = self.i + 1
        while self.text[j] != quote:
            j += 2 if quote == '"' and self.text[j] == "\\" else 1
        value = self.text[self.i + 1 : j]
        self.advance(j + 1 - self.i)
        return _ESCAPE.sub(_unescape, value) if quote == '"' else value

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                j = self.i
                while j < len(self.text) and self.text[j] in _BARE:
                    j += 1
                parts.append(self.text[self.i : j])
                self.advance(j - self.i)
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: Path_, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("too deep")
        c = self.peek()
        if c == "{":
            self.advance()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "}":
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                sub = path + tuple(self.key())
                self.lines[sub] = self.line
                self.skip_blank(newlines=False)
                self.advance()  # '='
                self.skip_blank(newlines=False)
                self.value(sub, depth + 1)
        elif c == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "]":
                    self.advance()
                    return
                if self.peek() == ",":
                    self.advance()
                    continue
                self.lines[path + (index,)] = self.line
                self.value(path + (index,), depth + 1)
                index += 1
        elif c in ('"', "'"):
            self.string()
        else:
            j = self.i
            while j < len(self.text) and self.text[j] not in ",]}\n#":
                j += 1
            self.advance(j - self.i)

    def resolve(self, keys: list[str]) -> Path_:
        """A header's keys, with the current index of every array of tables on the way."""
        path: Path_ = ()
        for k in keys:
            path += (k,)
            if path in self.array_tables:
                path += (self.array_tables[path],)
        return path

    def run(self) -> dict[Path_, int]:
        table: Path_ = ()
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.text):
                return self.lines
            if self.peek(2) == "[[":
                self.advance(2)
                keys = self.key()
                base = self.resolve(keys[:-1]) + (keys[-1],)
                self.array_tables[base] = self.array_tables.get(base, -1) + 1
                table = base + (self.array_tables[base],)
                self.lines.setdefault(base, self.line)
                self.advance(2)
            elif self.peek() == "[":
                self.advance()
                table = self.resolve(self.key())
                self.advance()
            else:
                path = table + tuple(self.key())
                self.lines[path] = self.line
                self.skip_blank(newlines=False)
                self.advance()  # '='
                self.skip_blank(newlines=False)
                self.value(path, 0)
                continue
            self.lines.setdefault(table, self.line)


def key_lines(text: str) -> dict[Path_, int]:
    """Line numbers (1-based) of every key path in valid TOML `text`; partial on odd input."""
    scanner = _Scanner(text)
    try:
        return scanner.run()
    except (IndexError, ValueError, RecursionError):
        return scanner.lines


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """The line of `path`, or of its nearest enclosing key that has one; 1 if none."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1
