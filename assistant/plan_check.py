"""`assistant check` runs the test plans beside each dialogue: NAME.testplan.yaml and
NAME.*.testplan.yaml (NAME.two-voices.testplan.yaml). A plan that cannot be read or does not
pass is a problem like any other: the plan's file, the line of the entry that went wrong, rule
DLG030, what happened, and a hint."""

from __future__ import annotations

from pathlib import Path

from assistant.dialogue import rules
from assistant.dialogue.errors import Problem
from assistant.dialogue.loader import check
from assistant.dialogue.model import Dialogue
from assistant.dialogue.yamlnodes import Node, YamlProblem, read
from assistant.testplan import PLAN_ACTIONS, Place, run

SUFFIX = ".testplan.yaml"
HINT = (
    "The plan says what a person does and what comes of it, and the dialogue went another "
    "way: change the dialogue or the plan so they agree, then run assistant check again."
)
SHAPE_HINT = "See docs/dialogues.md, Test plans, for how a plan is written."
# The keys of a plan, and what each holds: a list of entries, or a mapping by step.
LISTS = ("steps", "left-out")
MAPPINGS = ("review", "answers")


def plans_for(dialogue_path: Path) -> list[Path]:
    """The plans beside a dialogue: NAME.testplan.yaml first, then NAME.*.testplan.yaml."""
    name = dialogue_path.stem
    main = dialogue_path.with_name(name + SUFFIX)
    others = sorted(dialogue_path.parent.glob(f"{name}.*{SUFFIX}"))
    return ([main] if main.exists() else []) + [p for p in others if p != main]


def dialogue_of(plan: Path) -> Path:
    """The dialogue a plan is for: my-dialogue.yaml for my-dialogue.two-voices.testplan.yaml."""
    return plan.with_name(plan.name.split(".", 1)[0] + ".yaml")


def check_with_plans(path: Path) -> tuple[Dialogue | None, list[Problem], int]:
    """The dialogue's problems, then, if it loads, those of each of its plans; and how many
    plans were run."""
    dialogue, problems = check(path)
    if dialogue is None:
        return None, problems, 0
    failures, plans = check_plans(dialogue, path)
    return dialogue, problems + failures, plans


def check_plans(dialogue: Dialogue, path: Path) -> tuple[list[Problem], int]:
    """The problems of the plans beside the dialogue at `path`, and how many there are."""
    plans = plans_for(path)
    return [problem for plan in plans for problem in check_plan(dialogue, plan)], len(plans)


def check_plan(dialogue: Dialogue, path: Path) -> list[Problem]:
    """Every failure of one plan, each at the line of the entry it is about."""

    def problem(line: int, column: int, message: str, hint: str = HINT) -> Problem:
        return Problem(str(path), line, column, rules.TEST_PLAN_FAILS, message, hint)

    try:
        root = read(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return [problem(1, 1, f"cannot read the plan: {error}", "Save it as UTF-8 text.")]
    except YamlProblem as error:
        return [
            problem(error.line, error.column, f"the plan is not YAML: {error.message}", SHAPE_HINT)
        ]
    if root is None or not root.is_mapping:
        return [problem(1, 1, "the plan must be a mapping with steps:", SHAPE_HINT)]
    shape = _shape(root)
    if shape:
        return [problem(node.line, node.column, message, SHAPE_HINT) for node, message in shape]
    result = run(dialogue, root.plain())
    return [
        problem(*_position(root, place), message)
        for place, message in zip(result.places, result.failures, strict=True)
    ]


def _shape(root: Node) -> list[tuple[Node, str]]:
    """What keeps the plan from being run at all: a key holding the wrong kind of value, or a
    step that is not a mapping."""
    wrong: list[tuple[Node, str]] = []
    for key, node in root.value.items():
        if key in LISTS and not node.is_list:
            wrong.append((node, f"{key} must be a list"))
        elif key in MAPPINGS and not node.is_mapping:
            wrong.append((node, f"{key} must be a mapping of step ids"))
    steps = root.value.get("steps")
    if steps is not None and steps.is_list:
        actions = ", ".join(PLAN_ACTIONS)
        wrong.extend(
            (entry, f"each step must be a mapping like {{at: step-id, answer: ...}} ({actions})")
            for entry in steps.value
            if not entry.is_mapping
        )
    return wrong


def _position(root: Node, place: Place) -> tuple[int, int]:
    """The line and column of the plan entry a failure is about (the plan's start if none)."""
    if not place:
        return 1, 1
    key, at = place[0], place[1] if len(place) > 1 else None
    node: Node | None = root.value.get(key)
    if node is None:
        return 1, 1
    if node.is_list and isinstance(at, int) and 0 <= at < len(node.value):
        entry = node.value[at]
        return entry.line, entry.column
    if node.is_mapping and isinstance(at, str) and at in node.key_positions:
        return node.key_positions[at]
    return node.line, node.column
