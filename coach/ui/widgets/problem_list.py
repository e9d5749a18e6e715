"""The problems of the text being edited, each with its line; choosing one jumps there."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coach.core.sessionfile import Problem
from coach.ui.widgets.wrapping_option_list import WrappingOptionList


class ProblemList(WrappingOptionList):
    """Lists `Problem`s as `line N  field` over the message; enter or a click posts `Chosen`."""

    DEFAULT_CSS = """
    ProblemList {
        height: auto;
        max-height: 50%;
        border: round $error;
        border-title-color: $error;
        &.-clean {
            border: round $success;
            border-title-color: $success;
        }
        & > .option-list--option {
            padding: 0 1;
        }
    }
    """

    @dataclass
    class Chosen(Message):
        """A problem was chosen: show its line."""

        line: int

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problems: tuple[Problem, ...] = ()

    def show(self, problems: tuple[Problem, ...]) -> None:
        """Replace the list; an empty list says there is nothing to fix."""
        self.problems = problems
        self.clear_options()
        self.set_class(not problems, "-clean")
        if not problems:
            self.border_title = "✓ No problems"
            self.add_option(Option(Content("The file is a valid session."), disabled=True))
            return
        count = len(problems)
        self.border_title = f"{count} problem{'s' if count > 1 else ''}"
        self.add_options(
            Option(Content.from_markup("[b]line $line[/b] [dim]$field[/]\n$message",
                                       line=str(p.line), field=p.field, message=p.message))
            for p in problems)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.problems[event.option_index].line))
