"""The dialogue as a FHIR R5 Questionnaire, in one language.

Kinds map to item types; choices to answerOption codings (with "I don't know" and "talk about
this in the meeting" where the question offers them, coded as in the QuestionnaireResponse).
A step's `when:` becomes enableWhen only where enableWhen means exactly the same, read against
the response as fhir.py writes it (a status is an answer there, but not for the dialogue):

- `answered: s` is `exists true` and, for each status s offers, `!= that status`;
  `not answered` is `exists false` or `= a status`;
- `equals` is `=`, `not equals` is `!=` (FHIR's `!=`: no answer equals it, true if unanswered,
  as `not equals` is); `in` is `=` for each value, joined by `any`; `not in` is `!=` for each;
- `not` is pushed down to the comparisons (De Morgan); `all` and `any` become enableBehavior.
A condition that needs more than one level of all/any, counts, compares "something else",
a list, or text with a number (the dialogue compares those as numbers) has no enableWhen: the
item carries the condition as written in the dialogue, in the `dialogue-condition` extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.dialogue.conditions import (
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
from assistant.dialogue.model import SOMETHING_ELSE, Dialogue, Kind, Step
from assistant.dialogue.texts import Text
from assistant.draft.fhir import (
    CHOICE_SYSTEM,
    EXTENSION,
    STATUSES,
    canonical,
    choice_display,
    decimal_value,
    status_coding,
)
from assistant.draft.fhir_calc import calculated_items
from assistant.i18n import Translator

DIALOGUE_CONDITION = EXTENSION + "dialogue-condition"
TYPES = {
    Kind.INFORMATION: "display",
    Kind.SHORT_TEXT: "string",
    Kind.LONG_TEXT: "text",
    Kind.DATE: "date",
    Kind.NUMBER: "decimal",
    Kind.LIST: "group",
}


class Inexpressible(Exception):
    """The condition has no enableWhen that means the same."""


@dataclass(frozen=True)
class Rules:
    rules: tuple[dict[str, Any], ...]
    behavior: str  # all | any: how the rules join (either, for one rule)


def _join(parts: list[Rules], behavior: str) -> Rules:
    rules: list[dict[str, Any]] = []
    for part in parts:
        if len(part.rules) > 1 and part.behavior != behavior:
            raise Inexpressible  # enableWhen has one level of all/any
        rules += part.rules
    if not rules:
        raise Inexpressible  # an empty all/any: always/never, nothing to compare
    return Rules(tuple(rules), behavior)


def _statuses(step: Step, t: Translator) -> list[dict[str, str]]:
    return [status_coding(s, t) for s in STATUSES if s in step.offer]


def _code(coding: dict[str, str]) -> dict[str, str]:
    """What FHIR compares of a coding: its system and code."""
    return {"system": coding["system"], "code": coding["code"]}


def _answer(step: Step, value: str) -> dict[str, Any]:
    """The enableWhen answer[x] that `equals` compares with, where FHIR compares the same way."""
    if step.kind.has_choices and value in step.values() and value != SOMETHING_ELSE:
        return {"answerCoding": {"system": CHOICE_SYSTEM + step.key, "code": value}}
    if step.kind is Kind.DATE:
        try:
            if date.fromisoformat(value).isoformat() == value:
                return {"answerDate": value}
        except ValueError:
            pass
    if step.kind is Kind.NUMBER:
        try:
            number = Decimal(value)
            if number.is_finite() and Decimal(str(decimal_value(value))) == number:
                return {"answerDecimal": decimal_value(value)}
        except InvalidOperation:
            pass
    if step.kind.is_text:
        try:
            Decimal(value)  # the dialogue compares number-like text as numbers: FHIR cannot
        except InvalidOperation:
            return {"answerString": value}
    raise Inexpressible


def _rules(
    dialogue: Dialogue, at: Step, condition: Condition, t: Translator, negated: bool = False
) -> Rules:
    """The condition of step `at` as enableWhen rules, `not` pushed down to the comparisons."""
    if isinstance(condition, Not):
        return _rules(dialogue, at, condition.condition, t, not negated)
    if isinstance(condition, All | AnyOf):
        parts = [_rules(dialogue, at, c, t, negated) for c in condition.conditions]
        joins_all = isinstance(condition, All) != negated
        return _join(parts, "all" if joins_all else "any")
    if isinstance(condition, Count | Answering):
        raise Inexpressible  # Answering: who answers is not an answer in the response
    step = dialogue.by_key[condition.step]
    # A list has no answer to compare; a question of a list item is seen only from that item.
    if step.kind is Kind.LIST or (step.parent is not None and step.parent != at.parent):
        raise Inexpressible
    question = {"question": step.key}
    if isinstance(condition, Answered):
        exists = {**question, "operator": "exists", "answerBoolean": not negated}
        # A status is an answer in the response but not for the dialogue.
        operator = "=" if negated else "!="
        statuses = [
            {**question, "operator": operator, "answerCoding": _code(coding)}
            for coding in _statuses(step, t)
        ]
        return Rules((exists, *statuses), "any" if negated else "all")
    if isinstance(condition, Between):
        # Not answered never holds, negated or not, and FHIR's < and > are false without an
        # answer. With two voices' answers, FHIR would let one answer meet each end of a range.
        if negated or (condition.at_least is not None and condition.at_most is not None):
            raise Inexpressible
        operator, bound = (
            (">=", condition.at_least) if condition.at_most is None else ("<=", condition.at_most)
        )
        assert bound is not None
        return Rules(({**question, "operator": operator, **_answer(step, str(bound))},), "all")
    values = condition.values if isinstance(condition, In) else (condition.value,)
    if not values:
        raise Inexpressible
    operator = "!=" if negated else "="
    rules = tuple({**question, "operator": operator, **_answer(step, v)} for v in values)
    return Rules(rules, "all" if negated else "any")


def written(condition: Condition) -> str:
    """The condition as the dialogue file writes it (flow YAML)."""
    if isinstance(condition, Answered):
        return f"{{answered: {condition.step}}}"
    if isinstance(condition, Equals):
        return f"{{equals: {{{condition.step}: {condition.value}}}}}"
    if isinstance(condition, In):
        return f"{{in: {{{condition.step}: [{', '.join(condition.values)}]}}}}"
    if isinstance(condition, Count):
        bounds = [
            f"{name}: {value}"
            for name, value in (("at-least", condition.at_least), ("at-most", condition.at_most))
            if value is not None
        ]
        return f"{{count: {{{condition.step}: {{{', '.join(bounds)}}}}}}}"
    if isinstance(condition, Between):
        if condition.at_least is not None and condition.at_most is not None:
            span = f"[{condition.at_least}, {condition.at_most}]"
            return f"{{between: {{{condition.step}: {span}}}}}"
        bound = condition.at_most if condition.at_least is None else condition.at_least
        return f"{{{condition.operator}: {{{condition.step}: {bound}}}}}"
    if isinstance(condition, Answering):
        return f"{{answering: [{', '.join(condition.roles)}]}}"
    if isinstance(condition, Not):
        return f"{{not: {written(condition.condition)}}}"
    name = "all" if isinstance(condition, All) else "any"
    return f"{{{name}: [{', '.join(written(c) for c in condition.conditions)}]}}"


def enable_when(dialogue: Dialogue, step: Step, t: Translator) -> dict[str, Any]:
    """enableWhen (and enableBehavior) meaning the same as the step's condition, or the
    condition as written in the dialogue, in an extension, where enableWhen cannot say it."""
    if step.when is None:
        return {}
    try:
        found = _rules(dialogue, step, step.when, t)
    except Inexpressible:
        return {"extension": [{"url": DIALOGUE_CONDITION, "valueString": written(step.when)}]}
    rules = {"enableWhen": list(found.rules)}
    return {**rules, "enableBehavior": found.behavior} if len(found.rules) > 1 else rules


def _question(dialogue: Dialogue, step: Step, t: Translator) -> dict[str, Any]:
    source = step.prompt if step.kind is not Kind.INFORMATION or not step.text else step.text
    # Before anyone answers: "What does this person help you with?", the fallback words.
    text = t.plain_text(Text(source, step.context))
    item: dict[str, Any] = {
        "linkId": step.key,
        "text": text,
        "type": TYPES.get(step.kind, "coding"),
        **enable_when(dialogue, step, t),
    }
    section = dialogue.section_of(step)
    if section.code and dialogue.code_system and not step.parent:
        # The section's classification (an HB element), as Questionnaire.item.code does it.
        title = t.pgettext(section.context, section.title)
        item["code"] = [{"system": dialogue.code_system, "code": section.code, "display": title}]
    if step.kind.has_choices:
        codings = [
            {
                "system": CHOICE_SYSTEM + step.key,
                "code": c.value,
                "display": choice_display(step, c, t),
            }
            for c in step.choices
        ]
        options = [*codings, *_statuses(step, t)]
        item["answerOption"] = [{"valueCoding": coding} for coding in options]
        item["answerConstraint"] = "optionsOrString" if step.something_else else "optionsOnly"
        item["repeats"] = step.kind is Kind.MULTIPLE_CHOICE
    if step.kind is Kind.LIST:
        item["repeats"] = True
        item["item"] = [_question(dialogue, sub, t) for sub in step.steps]
        item["item"] += calculated_items(dialogue, t, step.key)  # after its questions
    return item


def questionnaire(dialogue: Dialogue, t: Translator) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "url": canonical(dialogue),
        "name": "".join(part.capitalize() for part in dialogue.id.split("-")),
        "title": t.pgettext(dialogue.id, dialogue.title),
        "status": "active",
        "language": t.language,
        # The totals at the end, after the answers they add up, as in the response.
        "item": [
            *(_question(dialogue, step, t) for step in dialogue.steps),
            *calculated_items(dialogue, t, None),
        ],
    }
