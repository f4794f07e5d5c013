"""Issue 17: the FHIR Questionnaire has an item for each calculated value the response
carries, and the SDC calculatedExpression where FHIRPath says exactly what the calculator
does; checked against a FHIRPath written out by hand for the shipped sketch's hours total."""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.questionnaire import Questionnaire

from assistant.dialogue.loader import load
from assistant.draft import fhir_questionnaire, formats
from assistant.settings import PROJECT_ROOT
from tests.test_draft_sketch import ENGLISH, _draft

SKETCH = load(PROJECT_ROOT / "dialogues" / "support-plan-sketch.yaml")
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"

# Written by hand from the dialogue (docs/dialogues.md, "Calculated values"), not by the code:
# hours a week of one item = hours each time × (times a week, else times a month × 12/52),
# added up over the items, "not known" when there are items and none could be worked out, as
# shown: to a tenth.
ANSWER = "item.where(linkId='supports.{0}').answer.value.ofType(decimal)"
HOURS_EACH = ANSWER.format("hours-each")
WEEKLY = ANSWER.format("times-a-week")
MONTHLY = ANSWER.format("times-a-month")
ITEM_HOURS = f"({HOURS_EACH} * iif(({WEEKLY}).exists(), {WEEKLY}, ({MONTHLY} * 3 / 13)))"
GROUPS = "%resource.item.where(linkId='supports')"
EACH = f"{GROUPS}.select({ITEM_HOURS})"
TOTAL_HOURS = (
    f"(iif({GROUPS}.exists() and {EACH}.empty(), {{}}, {EACH}.aggregate($total + $this, 0)))"
    ".round(1)"
)


def _items(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(_items(item.get("item", [])))
    return found


def _expression(item: dict[str, Any]) -> str | None:
    found = [e for e in item.get("extension", []) if e["url"] == SDC]
    if not found:
        return None
    (extension,) = found
    assert extension["valueExpression"]["language"] == "text/fhirpath"
    return str(extension["valueExpression"]["expression"])


def test_the_hours_total_has_the_hand_written_fhirpath() -> None:
    questionnaire = fhir_questionnaire.questionnaire(SKETCH, ENGLISH)
    Questionnaire.model_validate(questionnaire)
    total = questionnaire["item"][-3]
    assert (total["linkId"], total["text"], total["type"]) == (
        "calculated.total-hours",
        "Hours a week in all",
        "decimal",
    )
    assert total["readOnly"] is True
    assert _expression(total) == TOTAL_HOURS


def test_calculated_items_are_where_the_response_has_them() -> None:
    questionnaire = fhir_questionnaire.questionnaire(SKETCH, ENGLISH)
    supports = next(i for i in questionnaire["item"] if i["linkId"] == "supports")
    inner = [i["linkId"] for i in supports["item"]]
    assert inner[-3:] == [
        "calculated.times-a-week",
        "calculated.hours-a-week",
        "calculated.estimate-month",
    ]
    assert [i["linkId"] for i in questionnaire["item"][-3:]] == [
        "calculated.total-hours",
        "calculated.estimate-month-total",
        "calculated.estimate-year",
    ]
    known = _items(questionnaire["item"])
    _, source = _draft(priced=True)
    response = json.loads(formats.FORMATS["fhir.json"].render(source, ENGLISH))
    answered = _items(response["item"])
    assert {k for k in answered if k.startswith("calculated.")} <= set(known)
    for key, item in answered.items():
        if key.startswith("calculated."):
            value = "valueQuantity" if known[key]["type"] == "quantity" else "valueDecimal"
            assert value in item["answer"][0], key


def test_no_expression_where_fhirpath_cannot_say_the_same() -> None:
    items = _items(fhir_questionnaire.questionnaire(SKETCH, ENGLISH)["item"])
    # Euros need the region's price list; a per-item value has no agreed %context.
    for key in (
        "calculated.estimate-month",
        "calculated.estimate-month-total",
        "calculated.estimate-year",
        "calculated.times-a-week",
        "calculated.hours-a-week",
    ):
        assert _expression(items[key]) is None, key
    assert items["calculated.estimate-year"]["type"] == "quantity"


def test_a_dialogue_without_calculations_has_no_calculated_items() -> None:
    wishes = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
    items = _items(fhir_questionnaire.questionnaire(wishes, ENGLISH)["item"])
    assert not [k for k in items if k.startswith("calculated.")]
