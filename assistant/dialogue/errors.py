"""Problems in dialogue files, with stable codes. docs/dialogues.md lists the same table."""

from __future__ import annotations

from dataclasses import dataclass

# code -> rule name. The invalid fixtures in tests/dialogues/invalid/ are named CODE-rule.yaml.
RULES: dict[str, str] = {
    "DLG001": "yaml-syntax",
    "DLG002": "wrong-type",
    "DLG003": "unknown-key",
    "DLG004": "missing-key",
    "DLG005": "duplicate-id",
    "DLG006": "unknown-kind",
    "DLG007": "unknown-section",
    "DLG008": "unknown-draft-section",
    "DLG009": "bad-id",
    "DLG010": "condition-unknown-step",
    "DLG011": "condition-later-step",
    "DLG012": "condition-syntax",
    "DLG013": "placeholder-unknown-answer",
    "DLG014": "duplicate-choice-value",
    "DLG015": "empty-dialogue",
    "DLG016": "unreachable-step",
    "DLG017": "condition-unknown-value",
    "DLG018": "duplicate-key",
    "DLG019": "list-rules",
    "DLG020": "missing-choices",
    "DLG021": "bad-range",
    "DLG022": "placeholder-syntax",
    "DLG023": "unknown-offer",
    "DLG024": "exclusive-choice",
    "DLG025": "placeholder-fallback",
}


@dataclass(frozen=True)
class DialogueError:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str

    @property
    def rule(self) -> str:
        return RULES[self.code]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}\n    hint: {self.hint}"


class DialogueInvalid(Exception):
    def __init__(self, errors: list[DialogueError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
