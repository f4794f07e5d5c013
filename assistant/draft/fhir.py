"""FHIR R5 QuestionnaireResponse: the answers, in the draft's language, with who gave each.

- `item.answer` holds what the dialogue's conditions read: the client's answer, or the answer
  given for the client where the client gave none. So the Questionnaire's enableWhen (see
  fhir_questionnaire.py) means what the dialogue's `when:` means. "I don't know" is the
  HL7 data-absent-reason coding `asked-unknown`; "talk about this in the meeting" is the coding
  `talk-in-meeting` of our CodeSystem, carrying anything typed with it in an extension.
- The answer someone gave for the client where the client also answered goes beside it, in the
  `proxy-answer` extension (its author and its answers), so both are kept, the client's first.
- Who: `subject` and `source` are the client (a contained Patient with no identity). Each
  helper or person answering for the client is a contained RelatedPerson, described only by what
  was typed as their relation ("my sister"). Every item names its author with the standard
  `questionnaireresponse-author` extension (the client, also when helped; the RelatedPerson for
  answers given for the client) and its helper with `helped-by`. The response's `author` is the
  client if the client gave any answer, else the person who gave most answers for them.
Every extension and code is documented in docs/draft.md.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

from assistant.dialogue.answers import clean_text
from assistant.dialogue.model import SOMETHING_ELSE, Choice, Dialogue, Kind, Step
from assistant.dialogue.state import Respondent, State
from assistant.dialogue.views import AnswerRow, Shown, Views
from assistant.draft.sketch import Sketch
from assistant.i18n import Translator

BASE = "https://oma-aani.fi/fhir"
CHOICE_SYSTEM = BASE + "/CodeSystem/"  # + the step's key: one code system per question
# Capitalised, so no step's code system (step ids are lower case) can ever share its address.
STATUS_SYSTEM = BASE + "/CodeSystem/AnswerStatus"
ABSENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
AUTHOR_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-author"
EXTENSION = BASE + "/StructureDefinition/"
HELPED_BY = EXTENSION + "helped-by"
PROXY_ANSWER = EXTENSION + "proxy-answer"
GIVEN_WITH_STATUS = EXTENSION + "given-with-status"
CLIENT = "#client"
STATUSES = ("dont-know", "talk-in-meeting")
# A calculated value's item: "calculated.hours-a-week" (step ids have no dots at the top level
# and never start a key with "calculated.").
CALCULATED = "calculated."
CURRENCY_SYSTEM = "urn:iso:std:iso:4217"


def canonical(dialogue: Dialogue) -> str:
    return f"{BASE}/Questionnaire/{dialogue.id}"


def choice_display(step: Step, choice: Choice, t: Translator) -> str:
    return t.gettext(choice.label) if choice.interface else t.pgettext(step.context, choice.label)


def status_coding(status: str, t: Translator) -> dict[str, str]:
    """The coding that stands for "I don't know" or "talk about this in the meeting"."""
    if status == "dont-know":
        return {
            "system": ABSENT_SYSTEM,
            "code": "asked-unknown",
            "display": t.gettext("I don't know"),
        }
    display = t.gettext("To talk about in the meeting")
    return {"system": STATUS_SYSTEM, "code": "talk-in-meeting", "display": display}


def decimal_value(value: str) -> int | float:
    """A JSON number: exact for whole numbers, else the nearest double (15 digits or more)."""
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _values(step: Step, shown: Shown, t: Translator) -> list[dict[str, Any]]:
    """The entry's value as FHIR value[x] elements, whatever its status. A choice's display
    is its label as the person read it, placeholders filled (the Questionnaire keeps them)."""
    entry = shown.entry
    value = entry.value
    if value is None:
        return []
    if step.kind.has_choices:
        values: list[dict[str, Any]] = []
        for code in value if isinstance(value, list) else [value]:
            choice = step.choice(code)
            if code == SOMETHING_ELSE:
                other = clean_text(entry.other or "")
                values += [{"valueString": other}] if other else []
            elif choice is not None:
                filled = shown.labels.get(code)
                display = (
                    clean_text(t.plain_text(filled)) if filled else choice_display(step, choice, t)
                )
                coding = {"system": CHOICE_SYSTEM + step.key, "code": code, "display": display}
                values.append({"valueCoding": coding})
        return values
    if step.kind is Kind.DATE:
        return [{"valueDate": value}]
    if step.kind is Kind.NUMBER:
        return [{"valueDecimal": decimal_value(value)}]
    text = clean_text(str(value))
    return [{"valueString": text}] if text else []


def _answers(step: Step, shown: Shown, t: Translator) -> list[dict[str, Any]]:
    """An entry as item.answer elements: its value, or its status with anything typed with it
    in an extension (so conditions never read it as an answer). A skip is no answer."""
    entry = shown.entry
    if entry.status == "answered":
        return _values(step, shown, t)
    if entry.status not in STATUSES:
        return []
    answer: dict[str, Any] = {"valueCoding": status_coding(entry.status, t)}
    given = _values(step, shown, t)
    if given:
        answer["extension"] = [{"url": GIVEN_WITH_STATUS, **v} for v in given]
    return [answer]


def _said(step: Step, shown: Shown, t: Translator) -> list[dict[str, Any]]:
    """Everything an entry says as value[x] elements: its status first, if it has one."""
    entry = shown.entry
    if entry.status == "answered":
        return _values(step, shown, t)
    if entry.status not in STATUSES:
        return []
    return [{"valueCoding": status_coding(entry.status, t)}, *_values(step, shown, t)]


class _People:
    """The client and everyone who helped or answered for them, as contained resources."""

    def __init__(self) -> None:
        self.related: dict[str, str] = {}  # what was typed as the relation -> resource id
        self.answers: Counter[str] = Counter()  # reference -> answers given

    def _related(self, who: str) -> str:
        who = clean_text(who)
        if who not in self.related:
            self.related[who] = f"related-{len(self.related) + 1}"
        return "#" + self.related[who]

    def author(self, by: Respondent) -> dict[str, str]:
        reference = self._related(by.who) if by.role == "proxy" else CLIENT
        self.answers[reference] += 1
        return {"reference": reference}

    def extensions(self, by: Respondent) -> list[dict[str, Any]]:
        """Who gave an answer: its author, and its helper when the client had help."""
        found = [{"url": AUTHOR_EXTENSION, "valueReference": self.author(by)}]
        if by.role == "helped":
            found.append({"url": HELPED_BY, "valueReference": {"reference": self._related(by.who)}})
        return found

    def contained(self) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = [{"resourceType": "Patient", "id": "client"}]
        for who, resource_id in self.related.items():
            person: dict[str, Any] = {
                "resourceType": "RelatedPerson",
                "id": resource_id,
                "patient": {"reference": CLIENT},
            }
            if who:
                person["relationship"] = [{"text": who}]
            resources.append(person)
        return resources

    def response_author(self) -> dict[str, str] | None:
        if not self.answers:
            return None
        if self.answers[CLIENT]:
            return {"reference": CLIENT}
        return {"reference": self.answers.most_common(1)[0][0]}


def _item(row: AnswerRow, people: _People, t: Translator) -> dict[str, Any] | None:
    if not row.answers:
        return None
    primary, *others = row.answers  # the client's first
    answers = _answers(row.step, primary, t)
    extensions = people.extensions(primary.entry.by) if answers else []
    for other in others:  # given for the client, who also answered: kept beside theirs
        said = _said(row.step, other, t)
        if said:
            author = {"url": "author", "valueReference": people.author(other.entry.by)}
            parts = [{"url": "answer", **value} for value in said]
            extensions.append({"url": PROXY_ANSWER, "extension": [author, *parts]})
    if not answers and not extensions:
        return None
    item: dict[str, Any] = {"linkId": row.step.key, "text": clean_text(t.plain_text(row.question))}
    if extensions:
        item["extension"] = extensions
    if answers:
        item["answer"] = answers
    return item


def _number(value: Decimal, unit: str) -> dict[str, Any]:
    """A calculated value: euros as a Quantity in EUR (ISO 4217), others as valueDecimal."""
    if unit.split("/")[0] == "euro":
        amount = decimal_value(str(value))
        return {
            "valueQuantity": {
                "value": amount,
                "unit": "EUR",
                "system": CURRENCY_SYSTEM,
                "code": "EUR",
            }
        }
    return {"valueDecimal": decimal_value(str(value))}


def _calculated(sketch: Sketch | None, item_id: str | None) -> list[dict[str, Any]]:
    """The sketch's calculated values with a value: an item's (item_id) or the totals (None).
    A value not known has no item, as a question not answered has none."""
    if sketch is None:
        return []
    found: list[tuple[str, str, Decimal | str | list[str] | None, str]]
    if item_id is None:
        found = [(total.id, total.title, total.value, total.unit) for total in sketch.totals]
    else:
        row = next((r for r in sketch.rows if r.item_id == item_id), None)
        cells = zip(sketch.columns, row.cells, strict=True) if row is not None else iter(())
        found = [(c.id, c.title, cell.value, c.unit or "") for c, cell in cells if c.calculated]
    return [
        {"linkId": CALCULATED + calc_id, "text": title, "answer": [_number(value, unit)]}
        for calc_id, title, value, unit in found
        if isinstance(value, Decimal)
    ]


def _groups(
    row: AnswerRow, people: _People, t: Translator, sketch: Sketch | None = None
) -> list[dict[str, Any]]:
    """An "add another" list: one group per item, named by who added it, with the values
    calculated for the item where the draft has a sketch of this list."""
    groups = []
    ours = sketch if sketch is not None and sketch.list_id == row.step.key else None
    for view in row.items:
        inner = [i for i in (_item(r, people, t) for r in view.rows) if i]
        inner += _calculated(ours, view.id) if inner else []
        if inner:
            group = {
                "linkId": row.step.key,
                "text": clean_text(t.plain_text(row.question)),
                "extension": people.extensions(view.by),
                "item": inner,
            }
            groups.append(group)
    return groups


def questionnaire_response(
    dialogue: Dialogue,
    views: Views,
    state: State,
    t: Translator,
    updated: datetime,
    completed: bool,
    sketch: Sketch | None = None,
) -> dict[str, Any]:
    people = _People()
    items: list[dict[str, Any]] = []
    for row in views.rows(state):
        if row.step.kind is Kind.LIST:
            items += _groups(row, people, t, sketch)
        elif answered := _item(row, people, t):
            items.append(answered)
    items += _calculated(sketch, None)  # the totals, after the answers they add up
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "language": t.language,
        "contained": people.contained(),
        "questionnaire": canonical(dialogue),
        "status": "completed" if completed else "in-progress",
        "subject": {"reference": CLIENT},
        "authored": updated.isoformat(),
        "source": {"reference": CLIENT},
    }
    if items:  # FHIR JSON has no empty arrays
        response["item"] = items
    author = people.response_author()
    if author is not None:
        response["author"] = author
    return response
