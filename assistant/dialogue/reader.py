"""Reading YAML nodes into typed values, collecting every problem with its file, line and
column instead of stopping at the first. The loader and the condition reader build on this."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation

from assistant.dialogue import rules
from assistant.dialogue.errors import Problem
from assistant.dialogue.rules import Rule
from assistant.dialogue.texts import PlaceholderSyntax, placeholders
from assistant.dialogue.yamlnodes import Node

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def did_you_mean(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'? " if close else ""


class Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[Problem] = []
        # Where each step's `when` leaves and texts are, for the cross checks' errors.
        self.positions: dict[tuple[str, object], tuple[int, int]] = {}
        # (step key, "show" or "table", its node): checked once the calculations are read.
        self.named: list[tuple[str, str, Node]] = []

    def error(self, line: int, column: int, rule: Rule, message: str, hint: str) -> None:
        self.errors.append(Problem(self.path, line, column, rule, message, hint))

    def at(self, node: Node, rule: Rule, message: str, hint: str) -> None:
        self.error(node.line, node.column, rule, message, hint)

    def mapping(self, node: Node, allowed: tuple[str, ...], what: str) -> dict[str, Node] | None:
        if not node.is_mapping:
            self.at(
                node,
                rules.WRONG_TYPE,
                f"{what} must be a mapping of keys",
                f"Write {what} as 'key: value' lines.",
            )
            return None
        for key, (line, column) in node.key_positions.items():
            if key == "draft" and key not in allowed:  # read before version 2 of the format
                self.error(
                    line,
                    column,
                    rules.DRAFT_KEY,
                    "'draft:' is not read any more: the draft has the dialogue's own sections",
                    "Remove 'draft:'. To give the answers their own part of the draft, put the "
                    "steps in a section of their own; to classify a section (an HB element), "
                    "give it 'code:'.",
                )
            elif key not in allowed:
                # Inside a one-line {...}, a comma starts a new key: the usual cause of a stray key.
                one_line = line == node.line and not did_you_mean(key, allowed)
                quoting = " If a text has a comma, put the whole text in quotes."
                comma = quoting if one_line or " " in key else ""
                self.error(
                    line,
                    column,
                    rules.UNKNOWN_KEY,
                    f"unknown key '{key}' in {what}",
                    f"{did_you_mean(key, allowed)}The keys {what} can have: {', '.join(allowed)}.{comma}",
                )
        return dict(node.value)

    def require(self, values: dict[str, Node], key: str, node: Node, what: str) -> Node | None:
        if key not in values:
            self.at(node, rules.MISSING_KEY, f"{what} has no '{key}'", f"Add '{key}:' to {what}.")
            return None
        return values[key]

    def string(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        # Two texts with a placeholder: one and several, as items-added is written.
        if _looks_plural(node):
            self.at(
                node,
                rules.PLURAL_PAIR,
                f"{what} cannot be two forms, one and several: it is one text",
                "Write one text. Only items-added and a calculation's says: (not in euros) "
                "choose a form by a number.",
            )
            return None
        if not isinstance(node.value, str) or not node.value.strip():
            hint = "Write text here." if node.value in (None, "") else "Put the value in quotes."
            if isinstance(node.value, bool):
                hint = 'YAML reads yes/no/true/false as true or false: write "yes" in quotes.'
            self.at(node, rules.WRONG_TYPE, f"{what} must be text", hint)
            return None
        return node.value.strip()

    def integer(self, node: Node | None, what: str, default: int) -> int:
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 0:
            self.at(
                node, rules.WRONG_TYPE, f"{what} must be a whole number", "Write a number like 200."
            )
            return default
        return node.value

    def boolean(self, node: Node | None, what: str, default: bool) -> bool:
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.at(node, rules.WRONG_TYPE, f"{what} must be true or false", "Write true or false.")
            return default
        return node.value

    def decimal(self, node: Node | None, what: str) -> Decimal | None:
        if node is None:
            return None
        try:
            if isinstance(node.value, bool):
                raise InvalidOperation
            return Decimal(str(node.value))
        except InvalidOperation:
            self.at(
                node, rules.WRONG_TYPE, f"{what} must be a number", "Write a number like 0 or 12.5."
            )
            return None

    def ident(self, node: Node | None, what: str) -> str | None:
        value = self.string(node, what)
        if value is not None and node is not None and not ID_PATTERN.match(value):
            self.at(
                node,
                rules.BAD_ID,
                f"{what} '{value}' is not made of readable lowercase words",
                "Use lowercase words joined by '-', starting with a letter, e.g. 'good-at'.",
            )
            return None
        return value

    def text(self, node: Node | None, what: str) -> str | None:
        value = self.string(node, what)
        if value is not None and node is not None:
            try:
                placeholders(value)
            except PlaceholderSyntax:
                self.at(
                    node,
                    rules.PLACEHOLDER_SYNTAX,
                    f"{what} has a brace that is not a placeholder",
                    "Placeholders look like {step-id|words} or {list.step|words}, with words "
                    "for when it was not answered; remove other braces.",
                )
        return value


def _looks_plural(node: Node) -> bool:
    forms = node.value if node.is_list else []
    texts = [f.value for f in forms if isinstance(f.value, str)]
    return len(forms) == 2 and len(texts) == 2 and any("{" in t for t in texts)
