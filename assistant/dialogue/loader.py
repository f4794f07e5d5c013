"""Load a dialogue file: read YAML with positions, check its shape, build the model.

Every problem names file, line, column, its rule (assistant/dialogue/rules.py) and a hint. We
collect all problems of a file rather than stopping at the first one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.dialogue import checks, rules
from assistant.dialogue.calc_reader import CalcReader
from assistant.dialogue.errors import DialogueInvalid, Problem, errors
from assistant.dialogue.model import (
    Dialogue,
    Kind,
    Section,
    Step,
)
from assistant.dialogue.part_reader import PartReader
from assistant.dialogue.reader import ID_PATTERN, did_you_mean
from assistant.dialogue.yamlnodes import Node, YamlProblem, read

TEXT_KEYS = (
    "prompt",
    "hint",
    "help",
    "text",
    "unit",
    "item-title",
    "add-prompt",
    "untitled-item",
    "title",
)
COMMON_KEYS = ("id", "kind", "section", "prompt", "title", "hint", "help", "when", "marks", "offer")
KIND_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.INFORMATION: ("text", "show"),
    Kind.SHORT_TEXT: ("max-length",),
    Kind.LONG_TEXT: ("max-length",),
    Kind.SINGLE_CHOICE: ("choices", "something-else"),
    Kind.MULTIPLE_CHOICE: ("choices", "something-else"),
    Kind.YES_NO: ("not-sure",),
    Kind.SCALE: ("points",),
    Kind.DATE: ("not-before",),
    Kind.NUMBER: ("unit", "measure", "min", "max", "whole"),
    Kind.LIST: (
        "item-title",
        "add-prompt",
        "max-items",
        "untitled-item",
        "items-added",
        "none-added",
        "table",
        "steps",
    ),
}
ROOT_KEYS = (
    "title",
    "description",
    "minutes",
    "code-system",
    "sections",
    "offer",
    "steps",
    "calculations",
)


def load_text(text: str, name: str, path: str = "") -> Dialogue:
    """The dialogue written in `text` (its id is `name`; `path` names it in errors); raises
    DialogueInvalid listing every error (warnings do not stop it). Pure: reads nothing."""
    dialogue, problems = check_text(text, name, path)
    if dialogue is None:
        raise DialogueInvalid(errors(problems))
    return dialogue


def check_text(text: str, name: str, path: str = "") -> tuple[Dialogue | None, list[Problem]]:
    """Every problem found in `text`, and the dialogue if none of them is an error. Warnings
    are looked for only in a dialogue without errors."""
    reader = _Reader(path or f"{name}.yaml")
    dialogue = reader.dialogue(text, name)
    if dialogue is not None and not reader.errors:
        reader.errors.extend(checks.cross_check(dialogue, reader.positions))
    if dialogue is not None and not reader.errors and not ID_PATTERN.match(name):
        # Last, so a file named after what it tests still reports its own problem first.
        reader.error(
            1,
            1,
            rules.BAD_ID,
            f"the file name '{name}' is not a readable id",
            "Rename the file like 'wishes-and-needs.yaml'.",
        )
    if dialogue is None or reader.errors:
        return None, reader.errors
    return dialogue, checks.warnings(dialogue)


# -- files: thin wrappers that read, then hand the text to the pure functions above ----------


def check(path: Path) -> tuple[Dialogue | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = f"cannot read the file: {error}"
        return None, [
            Problem(str(path), 1, 1, rules.YAML_SYNTAX, message, "Save it as UTF-8 text.")
        ]
    return check_text(text, path.stem, str(path))


def load(path: Path) -> Dialogue:
    """The dialogue in `path`; raises DialogueInvalid listing every error."""
    dialogue, problems = check(path)
    if dialogue is None:
        raise DialogueInvalid(errors(problems))
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


class _Reader(CalcReader, PartReader):
    # -- the dialogue -----------------------------------------------------------------------

    def dialogue(self, text: str, name: str) -> Dialogue | None:
        self.name = name
        try:
            root = read(text)
        except YamlProblem as problem:
            code = rules.DUPLICATE_KEY if problem.duplicate else rules.YAML_SYNTAX
            hint = (
                "Each key may appear once in a mapping; remove or rename one."
                if problem.duplicate
                else "Check the indentation and the ':' after each key. Put text in quotes if it has ': ' or '#', or a '?' or ',' inside {...}."
            )
            self.error(problem.line, problem.column, code, problem.message, hint)
            return None
        if root is None:
            self.error(
                1, 1, rules.EMPTY_DIALOGUE, "the file is empty", "Add a title, sections and steps."
            )
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
                rules.EMPTY_DIALOGUE,
                "the dialogue has no questions",
                "Add at least one step that asks something.",
            )
        calculations = self.calculations(values.get("calculations"), steps)
        if not self.errors:
            self.calculated_parts(steps, calculations)
        description = self.string(values.get("description"), "description")
        minutes_node = values.get("minutes")
        minutes = self.integer(minutes_node, "minutes", 0) if minutes_node else None
        code_system = self.string(values.get("code-system"), "code-system")
        coded = next((s for s in sections if s.code), None)
        if coded is not None and code_system is None:
            self.error(
                coded.line,
                1,
                rules.SECTION_CODE,
                f"the section '{coded.id}' has a code, but the dialogue has no 'code-system'",
                "Add 'code-system:' at the top: the address of the classification its codes "
                "come from, e.g. https://example.fi/CodeSystem/hb-element.",
            )
        if self.errors or title is None:
            return None
        return Dialogue(
            name,
            title,
            tuple(sections),
            tuple(steps),
            description,
            minutes,
            self.path,
            code_system=code_system,
            calculations=calculations,
        )

    def steps(
        self, node: Node, sections: list[Section], offer: tuple[str, ...], parent: Step | None
    ) -> list[Step]:
        if node.is_list and not node.value:
            code, hint = (
                (
                    rules.LIST_RULES,
                    "Write the questions asked for each item under the list's steps.",
                )
                if parent
                else (rules.EMPTY_DIALOGUE, "Add at least one step that asks something.")
            )
            self.at(node, code, "steps is empty", hint)
            return []
        if not node.is_list:
            self.at(
                node,
                rules.WRONG_TYPE,
                "steps must be a list of steps",
                "Write each step as '- id: ...'.",
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
                    rules.DUPLICATE_ID,
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
                rules.WRONG_TYPE,
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
                rules.LIST_RULES,
                f"a step of kind {kind.value} cannot be inside a list",
                "Move it out of the list's steps.",
            )
            return None
        key = f"{parent.id}.{step_id}" if parent else step_id
        for text_key in (*TEXT_KEYS, "when", "marks"):
            if text_key in values:
                self.positions[(key, text_key)] = (values[text_key].line, values[text_key].column)
        fields: dict[str, Any] = {
            "hint": self.text(values.get("hint"), "hint"),
            "title": self.text(values.get("title"), "title"),
            "help": self.text(values.get("help"), "help"),
            "marks": self.marks(values.get("marks"), kind),
            "offer": () if kind is Kind.INFORMATION else self.offer(values.get("offer"), offer),
            "when": self.condition(values["when"], key) if "when" in values else None,
        }
        fields.update(self.kind_fields(kind, values, node, step_id, key))
        if kind is Kind.INFORMATION:
            fields["text"] = self.text(values.get("text"), "text")
            fields["show"] = self.names(values.get("show"), "show", key)
        if kind is Kind.LIST:
            fields["table"] = self.names(values.get("table"), "table", key)
        step = Step(
            step_id,
            kind,
            section,
            prompt,
            node.line,
            node.column,
            parent=parent.id if parent else None,
            context=f"{self.name}:{key}",
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
                step,
                rules.MISSING_KEY,
                "a step has no 'kind'",
                f"Add 'kind:', one of: {', '.join(Kind)}.",
            )
            return None
        try:
            return Kind(node.value)
        except ValueError:
            kinds = [k.value for k in Kind]
            self.at(
                node,
                rules.UNKNOWN_KIND,
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
                    rules.MISSING_KEY,
                    "the first step has no 'section'",
                    "Add 'section:' with a section id.",
                )
            return current
        value = self.string(node, "section")
        known = [s.id for s in sections]
        if parent is not None and value != parent.section:
            self.at(
                node,
                rules.LIST_RULES,
                "a step inside a list stays in the list's section",
                "Remove 'section:' here.",
            )
            return None
        if value is not None and value not in known:
            self.at(
                node,
                rules.UNKNOWN_SECTION,
                f"there is no section '{value}'",
                f"{did_you_mean(value, known)}Sections: {', '.join(known)}.",
            )
            return None
        return value
