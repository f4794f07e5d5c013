"""Checks across steps, once each step's shape is right: what conditions and placeholders refer
to, whether condition values exist, and whether every step can be reached; then the warnings."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import ROUND_CEILING as CEILING
from decimal import ROUND_FLOOR as FLOOR
from decimal import Decimal

from assistant.dialogue import rules
from assistant.dialogue.answers import fits_kind
from assistant.dialogue.conditions import (
    Answer,
    Between,
    Condition,
    Count,
    Equals,
    In,
    Leaf,
    leaves,
    possible_answers,
)
from assistant.dialogue.errors import Problem
from assistant.dialogue.model import SINGLE_MARKS, Dialogue, Kind, Step
from assistant.dialogue.reader import did_you_mean
from assistant.dialogue.rules import Rule
from assistant.dialogue.texts import REGION_PLACEHOLDERS, placeholder_parts

Positions = dict[tuple[str, object], tuple[int, int]]
# report(step, where in the step, rule, message, hint)
Report = Callable[[Step, object, Rule, str, str], None]


def earlier_answers(dialogue: Dialogue, step: Step) -> list[Step]:
    """The question steps whose answers `step` may look at: those before it (and, inside a
    list, the earlier steps of the same item)."""
    earlier: list[Step] = []
    top_key = step.parent or step.id
    for top in dialogue.steps:
        if top.key == top_key:
            if step.parent:
                for sub in top.steps:
                    if sub.key == step.key:
                        break
                    earlier.append(sub)
            break
        if top.kind.is_question:
            earlier.append(top)
    return earlier


def cross_check(dialogue: Dialogue, positions: Positions) -> list[Problem]:
    errors: list[Problem] = []
    every_step = [s for top in dialogue.steps for s in (top, *top.steps)]
    unreachable: set[str] = set()

    def error(step: Step, where: object, rule: Rule, message: str, hint: str) -> None:
        line, column = positions.get((step.key, where), (step.line, step.column))
        errors.append(Problem(dialogue.path, line, column, rule, message, hint))

    for step in every_step:
        allowed = {s.key: s for s in earlier_answers(dialogue, step)}
        _check_texts(step, allowed, error)
        if step.when is None:
            continue
        broken = False
        for leaf in leaves(step.when):
            target = allowed.get(leaf.step)
            if target is None:
                broken = True
                _unknown_reference(dialogue, step, leaf, error)
            elif mismatch := _type_mismatch(leaf, target):
                broken = True
                error(step, leaf, rules.CONDITION_TYPE_MISMATCH, *mismatch)
            elif isinstance(leaf, Equals | In):
                values = leaf.values if isinstance(leaf, In) else (leaf.value,)
                for value in values:
                    if target.kind.has_choices and value not in target.values():
                        broken = True
                        error(
                            step,
                            leaf,
                            rules.CONDITION_UNKNOWN_VALUE,
                            f"'{leaf.step}' has no choice '{value}'",
                            f"{did_you_mean(value, target.values())}Its values: {', '.join(target.values())}.",
                        )
            elif isinstance(leaf, Count) and target.kind not in (Kind.LIST, Kind.MULTIPLE_CHOICE):
                broken = True
                error(
                    step,
                    leaf,
                    rules.CONDITION_SYNTAX,
                    f"count needs a list or multiple choice, and '{leaf.step}' is neither",
                    "Use answered: or equals: for this step.",
                )
        if broken:
            continue

        def domain(key: str, asking: Step = step) -> list[Answer | int]:
            return _domain(dialogue.step(key), asking, key in unreachable)

        if possible_answers(step.when, domain) is False:
            unreachable.add(step.key)
            error(
                step,
                "when",
                rules.UNREACHABLE_STEP,
                f"the step '{step.key}' can never be shown: no answers make its condition true",
                "Check the condition's values and combinations (all: of two different values of one single choice never holds).",
            )
    _check_marks(every_step, error)
    return errors


def _check_marks(steps: list[Step], error: Report) -> None:
    """Each mark on one step at most: the draft has one meeting date."""
    for mark in SINGLE_MARKS:
        marked = [step for step in steps if mark in step.marks]
        for step in marked[1:]:
            error(
                step,
                "marks",
                rules.BAD_MARK,
                f"'{marked[0].key}' and '{step.key}' are both marked '{mark}'",
                f"Keep 'marks: {mark}' on the one step it means.",
            )


def warnings(dialogue: Dialogue) -> list[Problem]:
    """What works but is probably not what the writer meant, in a dialogue without errors."""
    used = {step.section for step in dialogue.steps}
    return [
        Problem(
            dialogue.path,
            section.line,
            1,
            rules.EMPTY_SECTION,
            f"the section '{section.id}' has no steps: it is never shown",
            f"Put steps in it with 'section: {section.id}', or remove it.",
        )
        for section in dialogue.sections
        if section.id not in used
    ]


def _type_mismatch(leaf: Leaf, target: Step) -> tuple[str, str] | None:
    """What is wrong when a condition compares `target` with a value of another type: the
    message and the hint; None when the types fit."""
    kind = target.kind.value
    if isinstance(leaf, Between):
        if target.kind is Kind.NUMBER:
            return None
        instead = "count:" if target.kind in (Kind.LIST, Kind.MULTIPLE_CHOICE) else "answered:"
        return (
            f"{leaf.operator} compares numbers, and '{leaf.step}' is a {kind} question",
            f"Use {leaf.operator} only on a number question; for '{leaf.step}' use {instead} "
            "or equals:.",
        )
    if not isinstance(leaf, Equals | In):
        return None
    values = leaf.values if isinstance(leaf, In) else (leaf.value,)
    if target.kind is Kind.LIST:
        return (
            f"'{leaf.step}' is a list: its answer is items, never '{values[0]}'",
            f"Use count: {{{leaf.step}: {{at-least: 1}}}}, or compare one of its questions.",
        )
    wrong = [v for v in values if not fits_kind(target.kind, v)]
    if not wrong:
        return None
    if target.kind is Kind.NUMBER:
        hint = (
            f"Compare with a number: equals: {{{leaf.step}: 40}}, or at-least: "
            f"{{{leaf.step}: 40}}, at-most: or between: {{{leaf.step}: [10, 40]}}."
        )
    else:
        hint = (
            f"Write the date as year-month-day, e.g. equals: {{{leaf.step}: 2027-03-01}}, "
            f"or use answered: {leaf.step}."
        )
    return (
        f"'{leaf.step}' is a {kind} question, and '{wrong[0]}' is not a {kind}: "
        "the condition can never hold",
        hint,
    )


def _unknown_reference(dialogue: Dialogue, step: Step, leaf: Leaf, error: Report) -> None:
    key = leaf.step
    known = dialogue.by_key.get(key)
    if known is None:
        options = [s.key for s in dialogue.by_key.values()]
        error(
            step,
            leaf,
            rules.CONDITION_UNKNOWN_STEP,
            f"the condition refers to '{key}', which is not a step",
            f"{did_you_mean(key, options)}Use the id of an earlier question.",
        )
    elif not known.kind.is_question:
        error(
            step,
            leaf,
            rules.CONDITION_UNKNOWN_STEP,
            f"'{key}' is an information step and has no answer",
            "Refer to a question.",
        )
    else:
        error(
            step,
            leaf,
            rules.CONDITION_LATER_STEP,
            f"the condition refers to '{key}', which does not come before '{step.key}'",
            "A condition can only look at answers given earlier; move the step or change the condition.",
        )


def _check_texts(step: Step, allowed: dict[str, Step], error: Report) -> None:
    own_items = {s.key: s for s in step.steps}
    fields = {
        "prompt": step.prompt,
        "hint": step.hint,
        "help": step.help,
        "title": step.title,
        "text": step.text,
        "unit": step.unit,
        "item-title": step.item_title,
        "add-prompt": step.add_prompt,
        "something-else": step.something_else if step.kind is not Kind.YES_NO else None,
    }
    texts = [(k, v) for k, v in fields.items() if v] + [
        ("choices", t) for c in step.choices if not c.interface for t in (c.label, c.hint) if t
    ]
    for where, text in texts:
        usable = {**allowed, **own_items} if where == "item-title" else allowed
        for name, fallback in placeholder_parts(text):
            target = usable.get(name)
            if target is None and name in REGION_PLACEHOLDERS:
                pass  # the region profile's text, or the words after |
            elif target is None or target.kind is Kind.LIST:
                reason = (
                    "a list (name one of its questions, like {team.name})"
                    if target
                    else "not an earlier answer"
                )
                error(
                    step,
                    where,
                    rules.PLACEHOLDER_UNKNOWN_ANSWER,
                    f"the placeholder {{{name}}} in {where} is {reason}",
                    f"{did_you_mean(name, list(usable))}Placeholders can show answers given before this step.",
                )
            elif fallback is None and where != "item-title":
                # Every question can be skipped, so the text must read well without the answer.
                error(
                    step,
                    where,
                    rules.PLACEHOLDER_FALLBACK,
                    f"the placeholder {{{name}}} in {where} has no words for when it was not answered",
                    f"Every question can be skipped: write {{{name}|words}}, e.g. {{{name}|this person}}, "
                    "with the words that read well instead.",
                )


def _domain(target: Step, asking: Step, unreachable: bool) -> list[Answer | int]:
    """Every answer to `target` that could matter to `asking`'s condition."""
    if unreachable:
        return [None] if target.kind is not Kind.LIST else [0]
    literals: set[str] = set()
    counts: set[int] = {0, 1}
    assert asking.when is not None
    for leaf in leaves(asking.when):
        if leaf.step != target.key:
            continue
        if isinstance(leaf, Equals):
            literals.add(leaf.value)
        elif isinstance(leaf, In):
            literals.update(leaf.values)
        elif isinstance(leaf, Count):
            counts.update(
                n + d
                for n in (leaf.at_least, leaf.at_most)
                if n is not None
                for d in (-1, 0, 1)
                if n + d >= 0
            )
    if target.kind is Kind.LIST:
        return [*sorted(counts)]
    if target.kind is Kind.NUMBER:
        return [None, *_numbers(target, asking.when, literals)]
    if target.kind is Kind.MULTIPLE_CHOICE:
        # Exact: every subset of the values the condition names, with 0..n of the other values.
        # An exclusive choice is only ever chosen alone.
        alone = {c.value for c in target.choices if c.exclusive}
        named = sorted(literals & set(target.values()))
        others = [v for v in target.values() if v not in literals and v not in alone]
        subsets: list[Answer | int] = [None]
        for mask in range(2 ** len(named)):
            chosen = {v for i, v in enumerate(named) if mask >> i & 1}
            for extra in range(len(others) + 1):
                subset = frozenset(chosen | set(others[:extra]))
                if subset and not (subset & alone and len(subset) > 1):
                    subsets.append(subset)
        subsets.extend(frozenset({v}) for v in alone - literals)
        return subsets
    if target.kind.has_choices:
        return [None, *(frozenset({v}) for v in target.values())]
    return [None, "\x00another answer", *sorted(literals)]


def _numbers(target: Step, when: Condition, literals: set[str]) -> list[str]:
    """Answers to a number question that decide every comparison with it: each number the
    conditions name, a number between each two of them and one beyond each end (whole
    numbers near each, for `whole: true`), kept within the question's min and max."""
    named = {Decimal(v) for v in literals if fits_kind(Kind.NUMBER, v)}
    for leaf in leaves(when):
        if isinstance(leaf, Between) and leaf.step == target.key:
            named.update(n for n in (leaf.at_least, leaf.at_most) if n is not None)
    named.update(n for n in (target.minimum, target.maximum) if n is not None)
    ordered = sorted(named) or [Decimal(0)]
    candidates = {*ordered, ordered[0] - 1, ordered[-1] + 1}
    candidates.update((a + b) / 2 for a, b in itertools.pairwise(ordered))
    if target.whole:
        candidates = {
            c.to_integral_value(rounding) for c in candidates for rounding in (FLOOR, CEILING)
        }
    return [
        format(n.normalize(), "f")
        for n in sorted(candidates)
        if (target.minimum is None or n >= target.minimum)
        and (target.maximum is None or n <= target.maximum)
    ]
