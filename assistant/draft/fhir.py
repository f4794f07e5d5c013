"""FHIR R5: the answers as a QuestionnaireResponse, the dialogue as a Questionnaire.

Who answered: the response's `source` is the client (contained Patient, no identity); its
`author` is whoever gave most answers; each item names its own author with the standard
questionnaireresponse-author extension, so helped and proxy answers stay visible. Where both
the client and someone else answered one question, FHIR carries the client's answer (the
JSON, text, HTML and DOCX drafts carry both).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.dialogue.conditions import Answered, AnyOf, Condition, Equals, In, leaves
from assistant.dialogue.model import Dialogue, Kind, Step
from assistant.dialogue.state import Entry, State
from assistant.dialogue.views import Views
from assistant.i18n import Translator

BASE = "https://oma-aani.fi/fhir"
AUTHOR_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-author"
CHOICE_SYSTEM = BASE + "/CodeSystem/"


def canonical(dialogue: Dialogue) -> str:
    return f"{BASE}/Questionnaire/{dialogue.id}"


def _reference(entry: Entry) -> str:
    return "#proxy" if entry.by.role == "proxy" else "#client"


def _answers(step: Step, entry: Entry) -> list[dict[str, Any]]:
    value = entry.value
    if entry.status != "answered" or value is None:
        return []
    if step.kind.has_choices:
        answers: list[dict[str, Any]] = []
        for code in value if isinstance(value, list) else [value]:
            if code == "something-else":
                answers.append({"valueString": entry.other or ""})
            else:
                choice = step.choice(code)
                coding = {
                    "system": CHOICE_SYSTEM + step.key,
                    "code": code,
                    "display": choice.label if choice else code,
                }
                answers.append({"valueCoding": coding})
        return answers
    if step.kind is Kind.DATE:
        return [{"valueDate": value}]
    if step.kind is Kind.NUMBER:
        return [{"valueDecimal": float(value)}]
    return [{"valueString": str(value)}]


def _item(step: Step, entry: Entry | None, question: str) -> dict[str, Any] | None:
    if entry is None:
        return None
    answers = _answers(step, entry)
    if not answers:
        return None
    return {
        "linkId": step.key,
        "text": question,
        "answer": answers,
        "extension": [
            {"url": AUTHOR_EXTENSION, "valueReference": {"reference": _reference(entry)}}
        ],
    }


def questionnaire_response(
    dialogue: Dialogue,
    views: Views,
    state: State,
    t: Translator,
    updated: datetime,
    completed: bool,
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    proxies: set[str] = set()
    for row in views.rows(state):
        question = t.plain_text(row.question)
        entries = [a.entry for a in row.answers]
        proxies.update(e.by.who for e in entries if e.by.role == "proxy")
        if row.step.kind is Kind.LIST:
            for item in state.items.get(row.step.key, []):
                view = next(i for i in row.items if i.id == item.id)
                inner = [
                    _item(r.step, item.answers.get(r.step.id), t.plain_text(r.question))
                    for r in view.rows
                ]
                group = [i for i in inner if i]
                if group:
                    items.append({"linkId": row.step.key, "text": question, "item": group})
            continue
        entry = next((e for e in entries if e.by.role != "proxy"), entries[0] if entries else None)
        answered = _item(row.step, entry, question)
        if answered:
            items.append(answered)
    contained: list[dict[str, Any]] = [{"resourceType": "Patient", "id": "client"}]
    if proxies or state.respondent.role == "proxy":
        who = ", ".join(sorted(p for p in proxies if p)) or state.respondent.who
        contained.append(
            {
                "resourceType": "RelatedPerson",
                "id": "proxy",
                "patient": {"reference": "#client"},
                "relationship": [{"text": who or "other"}],
            }
        )
    author = "#proxy" if state.respondent.role == "proxy" else "#client"
    return {
        "resourceType": "QuestionnaireResponse",
        "language": t.language,
        "contained": contained,
        "questionnaire": canonical(dialogue),
        "status": "completed" if completed else "in-progress",
        "subject": {"reference": "#client"},
        "authored": updated.isoformat(),
        "author": {"reference": author},
        "source": {"reference": "#client"},
        "item": items,
    }


TYPES = {
    Kind.INFORMATION: "display",
    Kind.SHORT_TEXT: "string",
    Kind.LONG_TEXT: "text",
    Kind.DATE: "date",
    Kind.NUMBER: "decimal",
    Kind.LIST: "group",
}


def _enable_when(dialogue: Dialogue, condition: Condition | None) -> dict[str, Any]:
    """Simple conditions map to enableWhen; others (not, nested any/all) are left to the app."""
    if condition is None:
        return {}
    simple = list(leaves(condition))
    if any(not isinstance(leaf, Answered | Equals | In) for leaf in simple):
        return {}
    rules: list[dict[str, Any]] = []
    for leaf in simple:
        if isinstance(leaf, Answered):
            rules.append({"question": leaf.step, "operator": "exists", "answerBoolean": True})
            continue
        values = (
            leaf.values
            if isinstance(leaf, In)
            else (leaf.value,)
            if isinstance(leaf, Equals)
            else ()
        )
        for value in values:
            coding = {"system": CHOICE_SYSTEM + leaf.step, "code": value}
            rules.append({"question": leaf.step, "operator": "=", "answerCoding": coding})
    behavior = "any" if isinstance(condition, In | AnyOf) else "all"
    return (
        {"enableWhen": rules, "enableBehavior": behavior}
        if len(rules) > 1
        else {"enableWhen": rules}
    )


def _question(dialogue: Dialogue, step: Step, t: Translator) -> dict[str, Any]:
    text = (
        t.pgettext(step.key, step.prompt)
        if step.kind is not Kind.INFORMATION or not step.text
        else t.pgettext(step.key, step.text)
    )
    item: dict[str, Any] = {
        "linkId": step.key,
        "text": text,
        "type": TYPES.get(step.kind, "coding"),
        **_enable_when(dialogue, step.when),
    }
    if step.kind.has_choices:
        item["answerOption"] = [
            {
                "valueCoding": {
                    "system": CHOICE_SYSTEM + step.key,
                    "code": c.value,
                    "display": t.gettext(c.label) if c.interface else t.pgettext(step.key, c.label),
                }
            }
            for c in step.choices
        ]
        item["answerConstraint"] = "optionsOrString" if step.something_else else "optionsOnly"
        item["repeats"] = step.kind is Kind.MULTIPLE_CHOICE
    if step.kind is Kind.LIST:
        item["repeats"] = True
        item["item"] = [_question(dialogue, sub, t) for sub in step.steps]
    return item


def questionnaire(dialogue: Dialogue, t: Translator) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "url": canonical(dialogue),
        "name": "".join(part.capitalize() for part in dialogue.id.split("-")),
        "title": t.pgettext(dialogue.id, dialogue.title),
        "status": "active",
        "language": t.language,
        "item": [_question(dialogue, step, t) for step in dialogue.steps],
    }
