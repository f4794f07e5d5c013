"""Load a dialogue file: read YAML with positions, check its shape, build the model.

Every problem becomes a DialogueError naming file, line, column, a stable code and a hint.
We collect all problems of a file rather than stopping at the first one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from assistant.dialogue import checks
from assistant.dialogue.conditions import (
    OPERATORS,
    All,
    Answered,
    AnyOf,
    Condition,
    Count,
    Equals,
    In,
    Not,
)
from assistant.dialogue.errors import DialogueError, DialogueInvalid
from assistant.dialogue.model import (
    DRAFT_SECTIONS,
    OFFERS,
    YES_NO_VALUES,
    Choice,
    Dialogue,
    Kind,
    Section,
    Step,
)
from assistant.dialogue.texts import N_, PlaceholderSyntax, placeholders
from assistant.dialogue.yamlnodes import Node, YamlProblem, read

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
TEXT_KEYS = ("prompt", "hint", "help", "text", "item-title", "add-prompt")
COMMON_KEYS = ("id", "kind", "section", "prompt", "hint", "help", "when", "draft", "offer")
KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.INFORMATION: ("text",),
    Kind.SHORT_TEXT: ("max-length",),
    Kind.LONG_TEXT: ("max-length",),
    Kind.SINGLE_CHOICE: ("choices", "something-else"),
    Kind.MULTIPLE_CHOICE: ("choices", "something-else"),
    Kind.YES_NO: ("not-sure",),
    Kind.SCALE: ("points",),
    Kind.DATE: (),
    Kind.NUMBER: ("unit", "min", "max", "whole"),
    Kind.LIST: ("item-title", "add-prompt", "max-items", "steps"),
}
ROOT_KEYS = ("title", "description", "minutes", "sections", "offer", "steps")
SECTION_KEYS = ("id", "title", "draft")
CHOICE_KEYS = ("value", "label", "hint")
DEFAULT_MAX_LENGTH = {Kind.SHORT_TEXT: 200, Kind.LONG_TEXT: 5000}


def load(path: Path) -> Dialogue:
    """The dialogue in `path`; raises DialogueInvalid listing every problem."""
    dialogue, errors = check(path)
    if errors or dialogue is None:
        raise DialogueInvalid(errors)
    return dialogue


def load_all(directory: Path) -> dict[str, Dialogue]:
    return {p.stem: load(p) for p in sorted(directory.glob("*.yaml")) if _is_dialogue(p)}


def dialogue_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        found = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        files.extend(p for p in found if _is_dialogue(p))
    return files


def _is_dialogue(path: Path) -> bool:
    return not path.name.endswith(".testplan.yaml")


def check(path: Path) -> tuple[Dialogue | None, list[DialogueError]]:
    reader = _Reader(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reader.error(1, 1, "DLG001", f"cannot read the file: {error}", "Save it as UTF-8 text.")
        return None, reader.errors
    dialogue = reader.dialogue(text, path.stem)
    if dialogue is not None and not reader.errors:
        reader.errors.extend(checks.cross_check(dialogue, reader.positions))
    if dialogue is not None and not reader.errors and not ID_PATTERN.match(path.stem):
        # Last, so a file named after what it tests still reports its own problem first.
        reader.error(
            1,
            1,
            "DLG009",
            f"the file name '{path.stem}' is not a readable id",
            "Rename the file like 'wishes-and-needs.yaml'.",
        )
    return (dialogue if not reader.errors else None), reader.errors


def did_you_mean(word: str, options: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'? " if close else ""


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[DialogueError] = []
        # Where each step's `when` leaves and texts are, for the cross checks' errors.
        self.positions: dict[tuple[str, object], tuple[int, int]] = {}

    def error(self, line: int, column: int, code: str, message: str, hint: str) -> None:
        self.errors.append(DialogueError(self.path, line, column, code, message, hint))

    def at(self, node: Node, code: str, message: str, hint: str) -> None:
        self.error(node.line, node.column, code, message, hint)

    # -- shapes -----------------------------------------------------------------------------

    def mapping(self, node: Node, allowed: tuple[str, ...], what: str) -> dict[str, Node] | None:
        if not node.is_mapping:
            self.at(
                node,
                "DLG002",
                f"{what} must be a mapping of keys",
                f"Write {what} as 'key: value' lines.",
            )
            return None
        for key, (line, column) in node.key_positions.items():
            if key not in allowed:
                # Inside a one-line {...}, a comma starts a new key: the usual cause of a stray key.
                one_line = line == node.line and not did_you_mean(key, allowed)
                quoting = " If a text has a comma, put the whole text in quotes."
                comma = quoting if one_line or " " in key else ""
                self.error(
                    line,
                    column,
                    "DLG003",
                    f"unknown key '{key}' in {what}",
                    f"{did_you_mean(key, allowed)}The keys {what} can have: {', '.join(allowed)}.{comma}",
                )
        return dict(node.value)

    def require(self, values: dict[str, Node], key: str, node: Node, what: str) -> Node | None:
        if key not in values:
            self.at(node, "DLG004", f"{what} has no '{key}'", f"Add '{key}:' to {what}.")
            return None
        return values[key]

    def string(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node.value, str) or not node.value.strip():
            hint = "Write text here." if node.value in (None, "") else "Put the value in quotes."
            if isinstance(node.value, bool):
                hint = 'YAML reads yes/no/true/false as true or false: write "yes" in quotes.'
            self.at(node, "DLG002", f"{what} must be text", hint)
            return None
        return node.value.strip()

    def integer(self, node: Node | None, what: str, default: int) -> int:
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 0:
            self.at(node, "DLG002", f"{what} must be a whole number", "Write a number like 200.")
            return default
        return node.value

    def boolean(self, node: Node | None, what: str, default: bool) -> bool:
        if node is None:
            return default
        if not isinstance(node.value, bool):
            self.at(node, "DLG002", f"{what} must be true or false", "Write true or false.")
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
            self.at(node, "DLG002", f"{what} must be a number", "Write a number like 0 or 12.5.")
            return None

    def ident(self, node: Node | None, what: str) -> str | None:
        value = self.string(node, what)
        if value is not None and node is not None and not ID_PATTERN.match(value):
            self.at(
                node,
                "DLG009",
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
                    "DLG022",
                    f"{what} has a brace that is not a placeholder",
                    "Placeholders look like {step-id} or {list.step}; remove other braces.",
                )
        return value

    # -- the dialogue -----------------------------------------------------------------------

    def dialogue(self, text: str, name: str) -> Dialogue | None:
        try:
            root = read(text)
        except YamlProblem as problem:
            code = "DLG018" if problem.duplicate else "DLG001"
            hint = (
                "Each key may appear once in a mapping; remove or rename one."
                if problem.duplicate
                else "Check the indentation and the ':' after each key. Put text in quotes if it has ': ' or '#', or a '?' or ',' inside {...}."
            )
            self.error(problem.line, problem.column, code, problem.message, hint)
            return None
        if root is None:
            self.error(1, 1, "DLG015", "the file is empty", "Add a title, sections and steps.")
            return None
        values = self.mapping(root, ROOT_KEYS, "the dialogue")
        if values is None:
            return None
        title = self.string(self.require(values, "title", root, "the dialogue"), "title")
        sections = self.sections(self.require(values, "sections", root, "the dialogue"))
        offer = self.offer(values.get("offer"), ())
        steps_node = self.require(values, "steps", root, "the dialogue")
        steps = self.steps(steps_node, sections, offer, parent=None) if steps_node else []
        if (
            steps_node is not None
            and not any(s.kind.is_question for s in steps)
            and not self.errors
        ):
            self.at(
                steps_node,
                "DLG015",
                "the dialogue has no questions",
                "Add at least one step that asks something.",
            )
        description = self.string(values.get("description"), "description")
        minutes_node = values.get("minutes")
        minutes = self.integer(minutes_node, "minutes", 0) if minutes_node else None
        if self.errors or title is None:
            return None
        return Dialogue(name, title, tuple(sections), tuple(steps), description, minutes, self.path)

    def sections(self, node: Node | None) -> list[Section]:
        if node is None:
            return []
        if not node.is_list or not node.value:
            self.at(
                node,
                "DLG002",
                "sections must be a list",
                "Write each section as '- id: ... title: ...'.",
            )
            return []
        sections: list[Section] = []
        for item in node.value:
            values = self.mapping(item, SECTION_KEYS, "a section")
            if values is None:
                continue
            section_id = self.ident(self.require(values, "id", item, "a section"), "the section id")
            title = self.string(
                self.require(values, "title", item, "a section"), "the section title"
            )
            draft = self.draft(values.get("draft"))
            if section_id and any(s.id == section_id for s in sections):
                self.at(
                    values["id"],
                    "DLG005",
                    f"the section id '{section_id}' is used twice",
                    "Give each section its own id.",
                )
            elif section_id and title:
                sections.append(Section(section_id, title, draft, item.line))
        return sections

    def draft(self, node: Node | None) -> str | None:
        value = self.string(node, "draft")
        if value is not None and node is not None and value not in DRAFT_SECTIONS:
            self.at(
                node,
                "DLG008",
                f"'{value}' is not a draft section",
                f"{did_you_mean(value, DRAFT_SECTIONS)}Draft sections: {', '.join(DRAFT_SECTIONS)}.",
            )
            return None
        return value

    def offer(self, node: Node | None, default: tuple[str, ...]) -> tuple[str, ...]:
        if node is None:
            return default
        if not node.is_list:
            self.at(
                node, "DLG002", "offer must be a list", "Write offer: [dont-know, talk-in-meeting]."
            )
            return default
        offers: list[str] = []
        for item in node.value:
            if item.value not in OFFERS:
                self.at(
                    item,
                    "DLG023",
                    f"'{item.value}' is not something a question can offer",
                    f"{did_you_mean(str(item.value), OFFERS)}You can offer: {', '.join(OFFERS)}.",
                )
            else:
                offers.append(item.value)
        return tuple(offers)

    def steps(
        self, node: Node, sections: list[Section], offer: tuple[str, ...], parent: Step | None
    ) -> list[Step]:
        if not node.is_list or not node.value:
            self.at(
                node, "DLG002", "steps must be a list of steps", "Write each step as '- id: ...'."
            )
            return []
        steps: list[Step] = []
        section = parent.section if parent else None
        for item in node.value:
            step = self.step(item, sections, section, offer, parent)
            if step is None:
                continue
            section = step.section
            if any(s.id == step.id for s in steps):
                self.at(
                    item,
                    "DLG005",
                    f"the step id '{step.id}' is used twice",
                    "Give each step its own id.",
                )
                continue
            steps.append(step)
        return steps

    def step(
        self,
        node: Node,
        sections: list[Section],
        section: str | None,
        offer: tuple[str, ...],
        parent: Step | None,
    ) -> Step | None:
        if not node.is_mapping:
            self.at(
                node,
                "DLG002",
                "a step must be a mapping of keys",
                "Start each step with '- id: ...'.",
            )
            return None
        raw_kind = node.value.get("kind")
        kind = self.kind(raw_kind, node)
        allowed = COMMON_KEYS + (
            KIND_KEYS[kind] if kind else tuple(k for v in KIND_KEYS.values() for k in v)
        )
        values = self.mapping(node, allowed, f"a {kind.value} step" if kind else "a step")
        if values is None or kind is None:
            return None
        step_id = self.ident(self.require(values, "id", node, "a step"), "the step id")
        section = self.step_section(values.get("section"), sections, section, node, parent)
        prompt = self.text(self.require(values, "prompt", node, "a step"), "prompt")
        if step_id is None or section is None or prompt is None:
            return None
        if parent and kind in (Kind.LIST, Kind.INFORMATION):
            self.at(
                node,
                "DLG019",
                f"a step of kind {kind.value} cannot be inside a list",
                "Move it out of the list's steps.",
            )
            return None
        key = f"{parent.id}.{step_id}" if parent else step_id
        for text_key in (*TEXT_KEYS, "when"):
            if text_key in values:
                self.positions[(key, text_key)] = (values[text_key].line, values[text_key].column)
        fields: dict[str, Any] = {
            "hint": self.text(values.get("hint"), "hint"),
            "help": self.text(values.get("help"), "help"),
            "draft": self.draft(values.get("draft")),
            "offer": () if kind is Kind.INFORMATION else self.offer(values.get("offer"), offer),
            "when": self.condition(values["when"], key) if "when" in values else None,
        }
        fields.update(self.kind_fields(kind, values, node, step_id, key))
        if kind is Kind.INFORMATION:
            fields["text"] = self.text(values.get("text"), "text")
        step = Step(
            step_id,
            kind,
            section,
            prompt,
            node.line,
            node.column,
            parent=parent.id if parent else None,
            **fields,
        )
        if kind is Kind.LIST:
            subs_node = self.require(values, "steps", node, "a list step")
            subs = self.steps(subs_node, sections, step.offer, parent=step) if subs_node else []
            step = replace(step, steps=tuple(subs))
        return step

    def kind(self, node: Node | None, step: Node) -> Kind | None:
        if node is None:
            self.at(
                step, "DLG004", "a step has no 'kind'", f"Add 'kind:', one of: {', '.join(Kind)}."
            )
            return None
        try:
            return Kind(node.value)
        except ValueError:
            kinds = [k.value for k in Kind]
            self.at(
                node,
                "DLG006",
                f"'{node.value}' is not a kind of step",
                f"{did_you_mean(str(node.value), kinds)}Kinds: {', '.join(kinds)}.",
            )
            return None

    def step_section(
        self,
        node: Node | None,
        sections: list[Section],
        current: str | None,
        step: Node,
        parent: Step | None,
    ) -> str | None:
        if node is None:
            if current is None:
                self.at(
                    step,
                    "DLG004",
                    "the first step has no 'section'",
                    "Add 'section:' with a section id.",
                )
            return current
        value = self.string(node, "section")
        known = [s.id for s in sections]
        if parent is not None and value != parent.section:
            self.at(
                node,
                "DLG019",
                "a step inside a list stays in the list's section",
                "Remove 'section:' here.",
            )
            return None
        if value is not None and value not in known:
            self.at(
                node,
                "DLG007",
                f"there is no section '{value}'",
                f"{did_you_mean(value, known)}Sections: {', '.join(known)}.",
            )
            return None
        return value

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
                self.require(values, list_key, node, f"a {kind.value} step"), list_key, key
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
        elif kind is Kind.NUMBER:
            fields["unit"] = self.text(values.get("unit"), "unit")
            fields["minimum"] = self.decimal(values.get("min"), "min")
            fields["maximum"] = self.decimal(values.get("max"), "max")
            fields["whole"] = self.boolean(values.get("whole"), "whole", False)
            low, high = fields["minimum"], fields["maximum"]
            if low is not None and high is not None and low > high:
                self.at(
                    values["min"],
                    "DLG021",
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
        return fields

    def choices(self, node: Node | None, what: str, key: str) -> tuple[Choice, ...]:
        if node is None:
            return ()
        if not node.is_list or len(node.value) < 2:
            self.at(
                node,
                "DLG020",
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
            if value and any(c.value == value for c in choices):
                self.at(
                    values["value"],
                    "DLG014",
                    f"the value '{value}' is used twice",
                    "Give each choice its own value.",
                )
            elif value and label:
                choices.append(Choice(value, label, hint))
        return tuple(choices)

    # -- conditions -------------------------------------------------------------------------

    def condition(self, node: Node, key: str) -> Condition | None:
        if not node.is_mapping or len(node.value) != 1:
            self.at(
                node,
                "DLG012",
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
                "DLG012",
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
        if operator == "not":
            inner = self.condition(argument, key)
            return Not(inner) if inner else None
        if operator in ("all", "any"):
            if not argument.is_list or not argument.value:
                self.at(
                    argument,
                    "DLG012",
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
                "DLG012",
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
                    "DLG012",
                    "in needs a list of values",
                    "Write in: {step-id: [value-one, value-two]}.",
                )
                return None
            texts = [self.scalar_text(v) for v in value.value]
            return In(step, tuple(t for t in texts if t is not None)) if None not in texts else None
        return self.count(step, value)

    def scalar_text(self, node: Node) -> str | None:
        if isinstance(node.value, bool):
            self.at(
                node,
                "DLG002",
                "YAML reads this as true/false",
                'Put the value in quotes: "yes" or "no".',
            )
            return None
        if isinstance(node.value, str | int | float) and not isinstance(node.value, bool):
            return str(node.value)
        self.at(
            node,
            "DLG012",
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
                "DLG012",
                "count needs at-least or at-most",
                "Write count: {team: {at-least: 1}}.",
            )
            return None
        low = self.integer(values.get("at-least"), "at-least", -1) if "at-least" in values else None
        high = self.integer(values.get("at-most"), "at-most", -1) if "at-most" in values else None
        return Count(step, low, high)
