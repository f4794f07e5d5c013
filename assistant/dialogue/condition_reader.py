"""Reading a step's `when:` into a Condition: a small declarative language, parsed and checked
at load time and never evaluated as code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.dialogue import rules
from assistant.dialogue.conditions import (
    OPERATORS,
    ROLES,
    All,
    Answered,
    Answering,
    AnyOf,
    Between,
    Condition,
    Count,
    Equals,
    In,
    Not,
)
from assistant.dialogue.reader import Reader, did_you_mean
from assistant.dialogue.yamlnodes import Node


class ConditionReader(Reader):
    def condition(self, node: Node, key: str) -> Condition | None:
        if not node.is_mapping or len(node.value) != 1:
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                "a condition must be one of: " + ", ".join(OPERATORS),
                'Write e.g. when: {equals: {works: "yes"}}; combine several with all: or any:.',
            )
            return None
        ((operator, argument),) = node.value.items()
        if operator not in OPERATORS:
            line, column = node.key_positions[operator]
            self.error(
                line,
                column,
                rules.CONDITION_SYNTAX,
                f"'{operator}' is not a condition",
                f"{did_you_mean(operator, OPERATORS)}Conditions: {', '.join(OPERATORS)}.",
            )
            return None
        return self._operator(operator, argument, key)

    def _operator(self, operator: str, argument: Node, key: str) -> Condition | None:
        if operator == "answered":
            step = self.string(argument, "answered")
            if step is None:
                return None
            self.positions[(key, Answered(step))] = (argument.line, argument.column)
            return Answered(step)
        if operator == "answering":
            return self.answering(argument)
        if operator == "not":
            inner = self.condition(argument, key)
            return Not(inner) if inner else None
        if operator in ("all", "any"):
            if not argument.is_list or not argument.value:
                self.at(
                    argument,
                    rules.CONDITION_SYNTAX,
                    f"{operator} needs a list of conditions",
                    f"Write {operator}: [ {{...}}, {{...}} ].",
                )
                return None
            inner_all = [self.condition(item, key) for item in argument.value]
            if any(c is None for c in inner_all):
                return None
            conditions = tuple(c for c in inner_all if c is not None)
            return All(conditions) if operator == "all" else AnyOf(conditions)
        if not argument.is_mapping or len(argument.value) != 1:
            self.at(
                argument,
                rules.CONDITION_SYNTAX,
                f"{operator} needs one step and its value",
                f"Write {operator}: {{step-id: value}}.",
            )
            return None
        ((step, value),) = argument.value.items()
        leaf = self._leaf(operator, step, value)
        if leaf is not None:
            self.positions[(key, leaf)] = argument.key_positions[step]
        return leaf

    def _leaf(self, operator: str, step: str, value: Node) -> Condition | None:
        if operator == "equals":
            text = self.scalar_text(value)
            return Equals(step, text) if text is not None else None
        if operator == "in":
            if not value.is_list or not value.value:
                self.at(
                    value,
                    rules.CONDITION_SYNTAX,
                    "in needs a list of values",
                    "Write in: {step-id: [value-one, value-two]}.",
                )
                return None
            texts = [self.scalar_text(v) for v in value.value]
            return In(step, tuple(t for t in texts if t is not None)) if None not in texts else None
        if operator == "at-least":
            low = self.threshold(value, operator, step)
            return Between(step, low, None) if low is not None else None
        if operator == "at-most":
            high = self.threshold(value, operator, step)
            return Between(step, None, high) if high is not None else None
        if operator == "between":
            return self.between(step, value)
        return self.count(step, value)

    def answering(self, node: Node) -> Condition | None:
        """`answering: [helped, proxy]`: the roles of who answers (client, helped, proxy)."""
        roles = node.value if node.is_list else None
        if not roles or any(r.value not in ROLES for r in roles):
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                "answering needs a list of who answers: " + ", ".join(ROLES),
                "Write answering: [helped, proxy] for questions only a relative or a support person is asked.",
            )
            return None
        return Answering(tuple(r.value for r in roles))

    def threshold(self, node: Node, operator: str, step: str) -> Decimal | None:
        """The number an `at-least`, `at-most` or `between` compares with."""
        if node.is_list or node.is_mapping:
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                f"{operator} needs one number",
                f"Write {operator}: {{{step}: 40}}; for a range write between: {{{step}: [10, 40]}}.",
            )
            return None
        number = self.decimal(node, f"the value of {operator}")
        if number is not None and not number.is_finite():
            self.at(node, rules.WRONG_TYPE, f"{operator} needs a number", "Write a number like 40.")
            return None
        return number

    def between(self, step: str, node: Node) -> Condition | None:
        if not node.is_list or len(node.value) != 2:
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                "between needs two numbers, the smaller first",
                f"Write between: {{{step}: [10, 40]}}.",
            )
            return None
        low, high = (self.threshold(n, "between", step) for n in node.value)
        if low is None or high is None:
            return None
        if low > high:
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                f"between needs the smaller number first, and {low} is more than {high}",
                f"Write between: {{{step}: [{high}, {low}]}}.",
            )
            return None
        return Between(step, low, high)

    def scalar_text(self, node: Node) -> str | None:
        if isinstance(node.value, bool):
            self.at(
                node,
                rules.WRONG_TYPE,
                "YAML reads this as true/false",
                'Put the value in quotes: "yes" or "no".',
            )
            return None
        if isinstance(node.value, date):  # YAML reads 2027-03-01 as a date: as a date answer
            return node.value.isoformat()
        if isinstance(node.value, str | int | float) and not isinstance(node.value, bool):
            return str(node.value)
        self.at(
            node,
            rules.CONDITION_SYNTAX,
            "a condition value must be one value",
            "Write a single value, e.g. work.",
        )
        return None

    def count(self, step: str, node: Node) -> Condition | None:
        values = self.mapping(node, ("at-least", "at-most"), "count")
        if values is None:
            return None
        if not values:
            self.at(
                node,
                rules.CONDITION_SYNTAX,
                "count needs at-least or at-most",
                "Write count: {team: {at-least: 1}}.",
            )
            return None
        low = self.integer(values.get("at-least"), "at-least", -1) if "at-least" in values else None
        high = self.integer(values.get("at-most"), "at-most", -1) if "at-most" in values else None
        return Count(step, low, high)
