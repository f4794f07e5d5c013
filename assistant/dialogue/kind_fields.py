"""Reading what each kind of step adds: text lengths, choices and scale points, yes/no labels,
the earliest date, number ranges, and the "add another" list's titles."""

from __future__ import annotations

from typing import Any

from assistant.dialogue import rules
from assistant.dialogue.model import YES_NO_VALUES, Choice, Kind
from assistant.dialogue.reader import Reader
from assistant.dialogue.texts import N_, PLACEHOLDER
from assistant.dialogue.units import Unit, UnitSyntax
from assistant.dialogue.yamlnodes import Node

CHOICE_KEYS = ("value", "label", "hint", "exclusive")
DEFAULT_MAX_LENGTH = {Kind.SHORT_TEXT: 200, Kind.LONG_TEXT: 5000}


class KindFields(Reader):
    def kind_fields(
        self, kind: Kind, values: dict[str, Node], node: Node, step_id: str, key: str
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if kind.is_text:
            fields["max_length"] = self.integer(
                values.get("max-length"), "max-length", DEFAULT_MAX_LENGTH[kind]
            )
        elif kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SCALE):
            list_key = "points" if kind is Kind.SCALE else "choices"
            fields["choices"] = self.choices(
                self.require(values, list_key, node, f"a {kind.value} step"), list_key, kind
            )
            other = values.get("something-else")
            if other is not None:
                if isinstance(other.value, bool):
                    fields["something_else"] = N_("Something else") if other.value else None
                else:
                    fields["something_else"] = self.text(other, "something-else")
                    self.positions[(key, "something-else")] = (other.line, other.column)
        elif kind is Kind.YES_NO:
            with_not_sure = self.boolean(values.get("not-sure"), "not-sure", True)
            labels = {"yes": N_("Yes"), "no": N_("No"), "not-sure": N_("Not sure")}
            fields["choices"] = tuple(
                Choice(v, labels[v], interface=True)
                for v in YES_NO_VALUES
                if with_not_sure or v != "not-sure"
            )
        elif kind is Kind.DATE and "not-before" in values:
            fields["not_before"] = self.not_before(values["not-before"])
        elif kind is Kind.NUMBER:
            fields["unit"] = self.text(values.get("unit"), "unit")
            if "measure" in values:
                fields["measure"] = self.measure(values["measure"])
            fields["minimum"] = self.decimal(values.get("min"), "min")
            fields["maximum"] = self.decimal(values.get("max"), "max")
            fields["whole"] = self.boolean(values.get("whole"), "whole", False)
            low, high = fields["minimum"], fields["maximum"]
            if low is not None and high is not None and low > high:
                self.at(
                    values["min"],
                    rules.BAD_RANGE,
                    f"min {low} is more than max {high}",
                    "Swap min and max.",
                )
        elif kind is Kind.LIST:
            fields["item_title"] = self.text(
                self.require(values, "item-title", node, "a list step"), "item-title"
            )
            fields["add_prompt"] = self.text(
                self.require(values, "add-prompt", node, "a list step"), "add-prompt"
            )
            fields["max_items"] = self.integer(values.get("max-items"), "max-items", 30)
            fields.update(self.list_words(values))
        return fields

    def measure(self, node: Node) -> Unit | None:
        try:
            return Unit.parse(str(node.value))
        except UnitSyntax as error:
            self.at(
                node,
                rules.CALCULATION_SYNTAX,
                f"'{error}' is not a unit",
                "Write what the number counts, like hour/time (hours each time) or time/week.",
            )
            return None

    def names(self, node: Node | None, what: str, key: str) -> tuple[str, ...]:
        """`show:` and `table:`: a list of ids, checked once the calculations are read."""
        if node is None:
            return ()
        if not node.is_list or not all(isinstance(n.value, str) for n in node.value):
            self.at(
                node, rules.WRONG_TYPE, f"{what} must be a list of ids", f"Write {what}: [a, b]."
            )
            return ()
        self.named.append((key, what, node))
        return tuple(n.value for n in node.value)

    def list_words(self, values: dict[str, Node]) -> dict[str, Any]:
        """What a list calls its items (all optional: the defaults speak of "items")."""
        words: dict[str, Any] = {}
        for key, field, allowed in (
            ("untitled-item", "untitled_item", "number"),
            ("none-added", "none_added", None),
        ):
            if key in values:
                words[field] = self.counted(values[key], key, allowed)
        node = values.get("items-added")
        if node is not None:
            forms = node.value if node.is_list else []
            if len(forms) != 2:
                self.at(
                    node,
                    rules.WRONG_TYPE,
                    "items-added must be two texts: one item, then several",
                    'Write items-added: ["You have added {count} person.", '
                    '"You have added {count} people."].',
                )
            else:
                one, several = (self.counted(f, "items-added", "count") for f in forms)
                if one and several:
                    words["items_added"] = (one, several)
        return words

    def says(self, node: Node, money: bool) -> tuple[str | None, str | None]:
        """A calculation's `says`: one text, or a pair of forms, one and several, chosen by
        its {value} in each language (not for euros: an amount is not counted)."""
        if not node.is_list:
            return self.counted(node, "says", "value"), None
        forms = node.value
        if money or len(forms) != 2 or not all(isinstance(f.value, str) for f in forms):
            why = "an amount in euros is not counted" if money else "a pair is two texts"
            self.at(
                node,
                rules.PLURAL_PAIR,
                f"says: cannot be these forms: {why}",
                f"Write one text for euros; for a count, two texts: {_LIST_WORD_EXAMPLES['says']}",
            )
            return None, None
        one, several = (self.counted(f, "says", "value") for f in forms)
        for form, text in zip(forms, (one, several), strict=True):
            if text is not None and len(PLACEHOLDER.findall(text)) != 1:
                self.at(
                    form,
                    rules.PLURAL_PAIR,
                    "each form of says: needs {value} once: it is the number that chooses the form",
                    f"Write it like: {_LIST_WORD_EXAMPLES['says']}",
                )
                return None, None
        return one, several

    def counted(self, node: Node, what: str, allowed: str | None) -> str | None:
        """A list's own words, whose only placeholder is the number it is given."""
        value = self.string(node, what)
        if value is None:
            return None
        names = {m.group(1) for m in PLACEHOLDER.finditer(value)}
        if names - {allowed} or "{" in PLACEHOLDER.sub("", value):
            given = f"{{{allowed}}}" if allowed else "no placeholder"
            self.at(
                node,
                rules.PLACEHOLDER_SYNTAX,
                f"{what} can have {given}, and no other braces",
                f"Write it like: {_LIST_WORD_EXAMPLES[what]}",
            )
            return None
        return value

    def not_before(self, node: Node) -> str | None:
        if node.value != "today":
            self.at(
                node,
                rules.WRONG_TYPE,
                "not-before can only be today",
                "Write 'not-before: today' for a date that cannot be in the past, or remove it.",
            )
            return None
        return "today"

    def choices(self, node: Node | None, what: str, kind: Kind) -> tuple[Choice, ...]:
        if node is None:
            return ()
        if not node.is_list or len(node.value) < 2:
            self.at(
                node,
                rules.MISSING_CHOICES,
                f"{what} must list at least two",
                "Write each as '- {value: ..., label: ...}'.",
            )
            return ()
        choices: list[Choice] = []
        for item in node.value:
            values = self.mapping(item, CHOICE_KEYS, f"one of the {what}")
            if values is None:
                continue
            value = self.ident(self.require(values, "value", item, "a choice"), "the choice value")
            label = self.text(self.require(values, "label", item, "a choice"), "the choice label")
            hint = self.text(values.get("hint"), "the choice hint")
            exclusive = self.exclusive(values.get("exclusive"), kind, choices)
            if value and any(c.value == value for c in choices):
                self.at(
                    values["value"],
                    rules.DUPLICATE_CHOICE_VALUE,
                    f"the value '{value}' is used twice",
                    "Give each choice its own value.",
                )
            elif value and label:
                choices.append(Choice(value, label, hint, exclusive=exclusive))
        return tuple(choices)

    def exclusive(self, node: Node | None, kind: Kind, earlier: list[Choice]) -> bool:
        """`exclusive: true`: a choice made only alone ("None of these now")."""
        if not self.boolean(node, "exclusive", False) or node is None:
            return False
        if kind is not Kind.MULTIPLE_CHOICE:
            self.at(
                node,
                rules.EXCLUSIVE_CHOICE,
                f"only a multiple-choice step can have an exclusive choice, not a {kind.value} step",
                "Remove 'exclusive:': on this step a person chooses one answer anyway.",
            )
            return False
        if any(c.exclusive for c in earlier):
            self.at(
                node,
                rules.EXCLUSIVE_CHOICE,
                "a step can have one exclusive choice",
                "Keep 'exclusive: true' on the one choice that excludes all others, like 'None of these'.",
            )
            return False
        return True


_LIST_WORD_EXAMPLES = {
    "untitled-item": "untitled-item: Person {number}",
    "none-added": "none-added: You have not added anyone yet.",
    "items-added": 'items-added: ["You have added {count} person.", "You have added {count} people."]',
    "says": 'says: "About {value} hours a week.", or one and several: '
    '["About {value} hour a week.", "About {value} hours a week."]',
}
