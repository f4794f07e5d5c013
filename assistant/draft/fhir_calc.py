"""A dialogue's calculated values in the FHIR Questionnaire: one read-only item for each
calculation with a `title:` (as the QuestionnaireResponse has them: `calculated.<id>`), and,
where FHIRPath can say exactly what the calculator does, the SDC `calculatedExpression`.

The expression is derived from the calculation's tree (assistant/dialogue/calc.py), read
against the response as fhir.py writes it: a number answer is `valueDecimal` (a status such as
"I don't know" is a Coding, so `ofType(decimal)` leaves it out, as the calculator does), a
list's items are the repeating groups at the top of the response. FHIRPath's arithmetic on an
empty collection is empty, as a value not known is None here. A value is rounded as shown,
to a tenth (`round(1)`, half up like ours).

No expression (never a wrong one) where FHIRPath cannot say the same:
- an `estimate` or anything in euros: the price list is the region's, not the Questionnaire's,
  and euros are rounded to the cent where they are calculated;
- a calculation made for each item of a list: its expression would be read in the item's
  group, and form fillers do not agree on what `%context` is there (SDC leaves it open for a
  repeating group), so the item has none; the totals that add it up inline it instead;
- a `sum` whose `where:` is not `equals` or `in` on a choice question.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from assistant.dialogue.calc import (
    Answer,
    Calculation,
    Constant,
    Convert,
    Estimate,
    Expr,
    First,
    Plus,
    Sum,
    Times,
    Value,
    unit_of,
)
from assistant.dialogue.conditions import Condition, Equals, In
from assistant.dialogue.model import SOMETHING_ELSE, Dialogue
from assistant.dialogue.texts import Text
from assistant.dialogue.units import Unit
from assistant.draft.fhir import CALCULATED, CHOICE_SYSTEM
from assistant.i18n import Translator

CALCULATED_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)


class NoFhirPath(Exception):
    """The calculation has no FHIRPath that means exactly the same."""


def fhirpath(dialogue: Dialogue, calc: Calculation) -> str | None:
    """The calculation as FHIRPath on the QuestionnaireResponse, rounded as shown, or None."""
    if calc.for_each is not None or calc.unit.is_money:
        return None
    try:
        return f"({_expr(dialogue, calc.value, calc.unit, False)}).round(1)"
    except NoFhirPath:
        return None


def _scale(text: str, factor: Fraction) -> str:
    """Multiply first and divide last, so decimal division rounds once."""
    if factor == 1:
        return text
    scaled = f"{text} * {factor.numerator}"
    return f"({scaled} / {factor.denominator})" if factor.denominator != 1 else f"({scaled})"


def _expr(dialogue: Dialogue, expr: Expr, unit: Unit, in_item: bool) -> str:
    """`expr` in `unit`; `in_item`: read in one of its list's groups (inside `select`)."""
    own = unit_of(dialogue, expr)
    factor = own.factor_to(unit) if own.converts_to(unit) else Fraction(1)
    match expr:
        case Constant():
            value = expr.value * factor
            return (
                f"({value.numerator} / {value.denominator})"
                if value.denominator != 1
                else (str(value.numerator))
            )
        case Answer():
            if (dialogue.by_key[expr.key].parent is not None) != in_item:
                raise NoFhirPath  # an item's answer outside its item, or the other way round
            root = "" if in_item else "%resource."
            found = f"{root}item.where(linkId='{expr.key}').answer.value.ofType(decimal)"
            return _scale(found, factor)
        case Value():
            calc = dialogue.calculation(expr.id)
            if calc.unit.is_money or (calc.for_each is not None) != in_item:
                raise NoFhirPath
            return _scale(_expr(dialogue, calc.value, calc.unit, in_item), factor)
        case Times():
            parts = [_expr(dialogue, p, unit_of(dialogue, p), in_item) for p in expr.parts]
            return _scale("(" + " * ".join(parts) + ")", factor)
        case Plus():
            parts = [_expr(dialogue, p, own, in_item) for p in expr.parts]
            return _scale("(" + " + ".join(parts) + ")", factor)
        case First():
            parts = [_expr(dialogue, p, unit, in_item) for p in expr.parts]
            found = parts[-1]
            for part in reversed(parts[:-1]):
                found = f"iif(({part}).exists(), {part}, {found})"
            return found
        case Convert():
            return _scale(_expr(dialogue, expr.value, expr.unit, in_item), factor)
        case Sum():
            calc = dialogue.calculation(expr.of)
            if in_item or calc.for_each is None or calc.unit.is_money:
                raise NoFhirPath
            groups = f"%resource.item.where(linkId='{calc.for_each}')"
            if expr.where is not None:
                groups += f".where({_holds(dialogue, expr.where)})"
            each = f"{groups}.select({_expr(dialogue, calc.value, calc.unit, True)})"
            # Items there but none known: not known, rather than 0 (as the calculator says).
            total = f"iif({groups}.exists() and {each}.empty(), {{}}, {each}.aggregate($total + $this, 0))"
            return _scale(total, factor)
        case Estimate():
            raise NoFhirPath  # the region's price list is not in the Questionnaire
    raise NoFhirPath


def _holds(dialogue: Dialogue, condition: Condition) -> str:
    """A `where:` on a choice of the item, read in its group: the codes fhir.py writes."""
    if not isinstance(condition, Equals | In):
        raise NoFhirPath
    step = dialogue.by_key[condition.step]
    values = condition.values if isinstance(condition, In) else (condition.value,)
    if not step.kind.has_choices or not values:
        raise NoFhirPath
    if any(v not in step.values() or v == SOMETHING_ELSE for v in values):
        raise NoFhirPath
    codes = " or ".join(f"code = '{v}'" for v in values)
    coding = f"item.where(linkId='{step.key}').answer.value.ofType(Coding)"
    return f"{coding}.where(system = '{CHOICE_SYSTEM}{step.key}' and ({codes})).exists()"


def calculated_items(
    dialogue: Dialogue, t: Translator, for_each: str | None
) -> list[dict[str, Any]]:
    """The read-only items of the calculations with a title: a list's own (for_each) in its
    group, or the totals (None) at the end of the Questionnaire."""
    items = []
    for calc in dialogue.calculations:
        if calc.for_each != for_each or not calc.title:
            continue
        item: dict[str, Any] = {
            "linkId": CALCULATED + calc.id,
            "text": t.plain_text(Text(calc.title, calc.context)),
            "type": "quantity" if calc.unit.is_money else "decimal",
            "readOnly": True,
        }
        expression = fhirpath(dialogue, calc)
        if expression is not None:
            expression_value = {"language": "text/fhirpath", "expression": expression}
            item["extension"] = [
                {"url": CALCULATED_EXPRESSION, "valueExpression": expression_value}
            ]
        items.append(item)
    return items
