"""Problems found in dialogue files: where, which rule (assistant/dialogue/rules.py), what and
how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.dialogue.rules import Rule, Severity


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    rule: Rule
    message: str
    hint: str

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def is_error(self) -> bool:
        return self.rule.severity is Severity.ERROR

    def __str__(self) -> str:
        warning = "" if self.is_error else "warning: "
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.code} {warning}{self.message}\n    hint: {self.hint}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


class DialogueInvalid(Exception):
    def __init__(self, errors: list[Problem]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
