"""FHIR: the QuestionnaireResponse keeps every answer, status and voice, says who gave each,
in the draft's language; the Questionnaire's enableWhen means what the dialogue's `when:`
means, checked by evaluating it as FHIR defines it against the engine on random answers."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.dialogue.answers import format_decimal
from assistant.dialogue.conditions import (
    All,
    Answered,
    AnyOf,
    Between,
    Condition,
    Count,
    Equals,
    In,
    Not,
)
from assistant.dialogue.conditions import leaves as condition_leaves
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.model import Dialogue, Kind, Step
from assistant.dialogue.state import REVIEW, Entry, Item, Respondent, State
from assistant.dialogue.views import Views
from assistant.draft import fhir, fhir_questionnaire
from assistant.i18n import Catalogs
from assistant.settings import PROJECT_ROOT
from assistant.testplan import load_plan, plan_path, run

SHIPPED = PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml"
EVERY_KIND = PROJECT_ROOT / "tests" / "web" / "every-kind.yaml"
CATALOGS = Catalogs(PROJECT_ROOT / "locales")
ENGLISH = CATALOGS.translator("en")
WHEN = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PROPERTIES = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def response(dialogue: Dialogue, state: State, language: str = "en") -> dict[str, Any]:
    resource = fhir.questionnaire_response(
        dialogue, Views(Engine(dialogue)), state, CATALOGS.translator(language), WHEN, False
    )
    QuestionnaireResponse.model_validate(resource)
    return resource


def item(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
    return next(i for i in resource["item"] if i["linkId"] == link_id)


def extension(element: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in element.get("extension", []) if e["url"] == url]


def contained(resource: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    return next(c for c in resource["contained"] if "#" + c["id"] == reference["reference"])


def planned_state() -> tuple[Dialogue, State]:
    dialogue = load(SHIPPED)
    return dialogue, run(dialogue, load_plan(plan_path(SHIPPED))).state


def test_dont_know_and_talk_in_meeting_are_kept_as_codings() -> None:
    dialogue, state = planned_state()
    resource = response(dialogue, state)
    [talk] = item(resource, "hard-now")["answer"]
    assert talk["valueCoding"] == {
        "system": fhir.STATUS_SYSTEM,
        "code": "talk-in-meeting",
        "display": "To talk about in the meeting",
    }
    [unknown] = item(resource, "aids")["answer"]
    assert unknown["valueCoding"]["system"] == fhir.ABSENT_SYSTEM
    assert unknown["valueCoding"]["code"] == "asked-unknown"


def test_what_was_typed_with_a_flag_for_the_meeting_is_kept() -> None:
    dialogue = load(SHIPPED)
    engine = Engine(dialogue)
    state = engine.change(engine.start(), "hard-now", returning=False)
    state = engine.submit(state, "talk-in-meeting", {"answer": ["The taxi."]}).state
    [talk] = item(response(dialogue, state), "hard-now")["answer"]
    assert talk["valueCoding"]["code"] == "talk-in-meeting"
    assert extension(talk, fhir.GIVEN_WITH_STATUS) == [
        {"url": fhir.GIVEN_WITH_STATUS, "valueString": "The taxi."}
    ]


def test_choices_are_shown_in_the_drafts_language() -> None:
    dialogue, state = planned_state()
    finnish = CATALOGS.translator("fi")
    people = finnish.pgettext("wishes-and-needs:matters", "People close to me")
    assert people != "People close to me"
    [first, *_] = item(response(dialogue, state, "fi"), "matters")["answer"]
    assert first["valueCoding"]["display"] == people
    assert response(dialogue, state, "fi")["language"] == "fi"


def test_both_voices_are_kept_client_first_with_who_gave_each() -> None:
    dialogue = load(SHIPPED)
    engine = Engine(dialogue)
    state = engine.start(Respondent("proxy", "my father"))
    state = engine.submit(state, "continue", {}).state
    state = engine.submit(state, "continue", {"answer": ["He is kind."]}).state
    state = engine.set_respondent(engine.change(state, "liked-for"), Respondent("client"))
    state = engine.submit(state, "continue", {"answer": ["I am funny."]}).state
    resource = response(dialogue, state)
    liked = item(resource, "liked-for")
    assert liked["answer"] == [{"valueString": "I am funny."}]
    [author] = extension(liked, fhir.AUTHOR_EXTENSION)
    assert author["valueReference"] == {"reference": "#client"}
    [proxy] = extension(liked, fhir.PROXY_ANSWER)
    parts = {p["url"]: p for p in proxy["extension"]}
    assert parts["answer"] == {"url": "answer", "valueString": "He is kind."}
    father = contained(resource, parts["author"]["valueReference"])
    assert father["resourceType"] == "RelatedPerson"
    assert father["relationship"] == [{"text": "my father"}]
    # The client answered: the response's author is the client, not who answers last.
    assert resource["author"] == resource["source"] == {"reference": "#client"}


def test_author_source_and_helpers_reflect_who_gave_the_answers() -> None:
    dialogue, helped = planned_state()
    resource = response(dialogue, helped)
    assert resource["source"] == resource["author"] == {"reference": "#client"}
    dreams = item(resource, "dreams")
    [helper] = extension(dreams, fhir.HELPED_BY)
    assert contained(resource, helper["valueReference"])["relationship"] == [{"text": "my sister"}]
    # Everything given for the client by one person: they are the author; the client the source.
    engine = Engine(dialogue)
    state = engine.start(Respondent("proxy", "her son"))
    state = engine.submit(state, "continue", {}).state
    state = engine.submit(state, "continue", {"answer": ["She is kind."]}).state
    # Whoever holds the conversation when it is downloaded does not matter.
    state = engine.set_respondent(state, Respondent("client"))
    resource = response(dialogue, state)
    son = contained(resource, resource["author"])
    assert son["relationship"] == [{"text": "her son"}]
    assert resource["source"] == resource["subject"] == {"reference": "#client"}
    [author] = extension(item(resource, "liked-for"), fhir.AUTHOR_EXTENSION)
    assert author["valueReference"] == resource["author"]


def test_not_equals_maps_to_not_equals() -> None:
    dialogue = load(SHIPPED)
    questionnaire = fhir_questionnaire.questionnaire(dialogue, ENGLISH)
    hours = next(i for i in questionnaire["item"] if i["linkId"] == "help-hours")
    assert hours["enableBehavior"] == "all"
    none = [r for r in hours["enableWhen"] if r.get("answerCoding", {}).get("code") == "none"]
    assert [r["operator"] for r in none] == ["!="]
    Questionnaire.model_validate(questionnaire)


@pytest.mark.parametrize(
    ("condition", "expressible"),
    [
        (Not(AnyOf((Equals("pick", "a"), Equals("pick", "b")))), True),  # != a and != b
        (Not(All((Answered("pick"), Equals("agree", "yes")))), True),  # De Morgan: one level
        (Not(Not(Equals("pick", "a"))), True),
        (All((In("pick", ("a", "b")), Answered("words"))), False),  # all of an any
        (Not(All((In("many", ("a", "b")), Equals("pick", "a")))), False),
        (Count("many", 2, None), False),
        (Between("amount", Decimal("12"), None), True),  # >= 12
        (Between("amount", Decimal("0"), Decimal("12")), False),  # two answers, one each end
        (Not(Between("amount", None, Decimal("12"))), False),  # FHIR's > is false unanswered
        (Equals("pick", "something-else"), False),  # "something else" is a string answer
        (Equals("words", "12"), False),  # the dialogue compares it as a number
        (Equals("words", "x"), True),
        (Equals("amount", "12.5"), True),
        (Equals("day", "2027-3-1"), False),
    ],
)
def test_conditions_enable_when_cannot_say_are_kept_as_written(
    condition: Condition, expressible: bool
) -> None:
    dialogue = with_condition(condition)
    target = next(
        i
        for i in fhir_questionnaire.questionnaire(dialogue, ENGLISH)["item"]
        if i["linkId"] == "target"
    )
    assert ("enableWhen" in target) is expressible
    written = extension(target, fhir_questionnaire.DIALOGUE_CONDITION)
    assert written == (
        []
        if expressible
        else [
            {
                "url": fhir_questionnaire.DIALOGUE_CONDITION,
                "valueString": fhir_questionnaire.written(condition),
            }
        ]
    )


# -- enableWhen, evaluated as FHIR defines it -----------------------------------------------


def _same(answer: dict[str, Any], kind: str, expected: Any) -> bool:
    if kind == "answerCoding":
        coding = answer.get("valueCoding") or {}
        return (coding.get("system"), coding.get("code")) == (expected["system"], expected["code"])
    if kind == "answerDecimal":
        return "valueDecimal" in answer and Decimal(str(answer["valueDecimal"])) == Decimal(
            str(expected)
        )
    value = {"answerString": "valueString", "answerDate": "valueDate"}[kind]
    return answer.get(value) == expected


def _holds(rule: dict[str, Any], answers: dict[str, list[dict[str, Any]]]) -> bool:
    given = answers.get(rule["question"], [])
    if rule["operator"] == "exists":
        return bool(given) == rule["answerBoolean"]
    kind, expected = next((k, v) for k, v in rule.items() if k.startswith("answer"))
    equal = any(_same(a, kind, expected) for a in given)
    if rule["operator"] in (">=", "<="):  # some answer is at least / at most the number
        bound = Decimal(str(expected))
        numbers = [Decimal(str(a["valueDecimal"])) for a in given if "valueDecimal" in a]
        return any(n >= bound if rule["operator"] == ">=" else n <= bound for n in numbers)
    # "=": at least one answer equals; "!=": no answer equals (so: true when unanswered).
    return equal if rule["operator"] == "=" else not equal


def enabled(question: dict[str, Any], answers: dict[str, list[dict[str, Any]]]) -> bool:
    results = [_holds(rule, answers) for rule in question["enableWhen"]]
    return any(results) if question.get("enableBehavior") == "any" else all(results)


def written(step: Step) -> str:
    assert step.when is not None
    return fhir_questionnaire.written(step.when)


def agree(dialogue: Dialogue, state: State) -> int:
    """Every top-level enableWhen agrees with the engine; the number of them checked."""
    resource = response(dialogue, state)
    answers = {i["linkId"]: i.get("answer", []) for i in resource.get("item", [])}
    path = {s.key for s in Engine(dialogue).path(state)}
    checked = 0
    for question in fhir_questionnaire.questionnaire(dialogue, ENGLISH)["item"]:
        if "enableWhen" in question:
            assert enabled(question, answers) == (question["linkId"] in path), question["linkId"]
            checked += 1
        else:  # no condition, or one kept as written in the dialogue
            step = dialogue.by_key[question["linkId"]]
            assert step.when is None or extension(question, fhir_questionnaire.DIALOGUE_CONDITION)
    return checked


TEXTS = ("x", "y", "12", "12.0", "NaN", "Anna")


def _value(step: Step) -> st.SearchStrategy[tuple[Any, str | None]]:
    values = step.values()
    if step.kind is Kind.MULTIPLE_CHOICE:
        chosen = st.lists(st.sampled_from(values), min_size=1, unique=True)
        ordered = chosen.map(lambda vs: [v for v in values if v in vs])
        return ordered.map(lambda vs: (vs, "Bicycle" if "something-else" in vs else None))
    if step.kind.has_choices:
        return st.sampled_from(values).map(
            lambda v: (v, "Bicycle" if v == "something-else" else None)
        )
    if step.kind is Kind.DATE:
        days = st.dates(date(2027, 2, 27), date(2027, 3, 3))
        return days.map(lambda d: (d.isoformat(), None))
    if step.kind is Kind.NUMBER:
        low, high = step.minimum or -20, step.maximum or 200
        numbers = st.decimals(min_value=low, max_value=high, places=1).map(format_decimal)
        return st.one_of(st.sampled_from(("0", "10", "12", "12.5")), numbers).map(
            lambda n: (n, None)
        )
    return st.sampled_from(TEXTS).map(lambda text: (text, None))


@st.composite
def _entry(draw: st.DrawFn, step: Step, voice: str) -> Entry:
    status = draw(st.sampled_from(("answered", "answered", "skipped", *step.offer)))
    role = "proxy" if voice == "proxy" else draw(st.sampled_from(("client", "helped")))
    by = Respondent(
        role, "" if role == "client" else draw(st.sampled_from(("my sister", "her son")))
    )
    value, other = None, None
    if status == "answered" or (status == "talk-in-meeting" and draw(st.booleans())):
        value, other = draw(_value(step))
    return Entry(status, by, value, other)


@st.composite
def states(draw: st.DrawFn, dialogue: Dialogue) -> State:
    """Any answers, by any voices, to every question (a list gets up to two items); a question
    that a condition reads gets one voice, because there the dialogue follows either voice and
    enableWhen only the answer of record (docs/draft.md, "FHIR Questionnaire")."""
    read = {leaf.step for s in dialogue.steps if s.when for leaf in condition_leaves(s.when)}
    state = State(dialogue.id, REVIEW)
    for step in dialogue.steps:
        if step.kind is Kind.LIST:
            for number in range(draw(st.integers(0, 2))):
                entry = Item(f"i{number + 1}", Respondent())
                for sub in step.steps:
                    if draw(st.booleans()):
                        entry.answers[sub.id] = draw(_entry(sub, "client"))
                state.items.setdefault(step.key, []).append(entry)
        elif step.kind.is_question:
            voices = ((), ("client",), ("proxy",))
            both = () if step.key in read else (("client", "proxy"),)
            for voice in draw(st.sampled_from(voices + both)):
                state.answers.setdefault(step.key, {})[voice] = draw(_entry(step, voice))
    return state


@pytest.mark.parametrize("path", [SHIPPED, EVERY_KIND], ids=["shipped", "every-kind"])
def test_every_condition_of_the_dialogues_can_be_said_in_enable_when(path: Path) -> None:
    dialogue = load(path)
    questionnaire = fhir_questionnaire.questionnaire(dialogue, ENGLISH)
    conditioned = [i for i in questionnaire["item"] if dialogue.by_key[i["linkId"]].when]
    # Who answers (`answering`) is not an answer in a response: kept as written instead.
    by_answers = [
        i for i in conditioned if "answering:" not in written(dialogue.by_key[i["linkId"]])
    ]
    assert by_answers and all("enableWhen" in i for i in by_answers)
    assert all(
        "enableWhen" in i or extension(i, fhir_questionnaire.DIALOGUE_CONDITION)
        for i in conditioned
    )


SHIPPED_DIALOGUE = load(SHIPPED)
EVERY_KIND_DIALOGUE = load(EVERY_KIND)


@PROPERTIES
@given(state=states(SHIPPED_DIALOGUE))
def test_enable_when_agrees_with_the_engine_on_the_shipped_dialogue(state: State) -> None:
    assert agree(SHIPPED_DIALOGUE, state) == 21


@PROPERTIES
@given(state=states(EVERY_KIND_DIALOGUE))
def test_enable_when_agrees_with_the_engine_on_every_kind(state: State) -> None:
    assert agree(EVERY_KIND_DIALOGUE, state) == 1


# A dialogue of every kind a condition can look at, and a last step whose condition is random.
CONDITIONS_DIALOGUE = """
title: Conditions
sections: [{id: s, title: S}]
offer: [dont-know, talk-in-meeting]
steps:
  - {id: pick, kind: single-choice, section: s, prompt: Pick, something-else: true,
     choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]}
  - {id: many, kind: multiple-choice, prompt: Many, something-else: true,
     choices: [{value: a, label: A}, {value: b, label: B}, {value: c, label: C}]}
  - {id: agree, kind: yes-no, prompt: Yes or no, offer: [dont-know]}
  - {id: words, kind: short-text, prompt: Words}
  - {id: amount, kind: number, prompt: Amount, offer: []}
  - {id: day, kind: date, prompt: Day, offer: []}
  - {id: target, kind: long-text, prompt: Target, when: {answered: pick}}
"""


def _conditions_dialogue() -> Dialogue:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conditions.yaml"
        path.write_text(CONDITIONS_DIALOGUE, encoding="utf-8")
        return load(path)


BASE = _conditions_dialogue()


def with_condition(condition: Condition) -> Dialogue:
    """The conditions dialogue with the condition on its last step."""
    base = BASE
    steps = tuple(replace(s, when=condition) if s.id == "target" else s for s in base.steps)
    return replace(base, steps=steps, by_key={})


EQUALS_VALUES = {
    "pick": ("a", "b", "something-else"),
    "many": ("a", "c", "something-else"),
    "agree": ("yes", "no", "not-sure"),
    "words": TEXTS,
    "amount": ("12", "12.5", "0", "1e1"),
    "day": ("2027-03-01", "2027-3-1"),
}
STEPS = tuple(EQUALS_VALUES)
leaves = st.one_of(
    st.sampled_from(STEPS).map(Answered),
    st.sampled_from(STEPS).flatmap(
        lambda s: st.sampled_from(EQUALS_VALUES[s]).map(lambda v: Equals(s, v))
    ),
    st.sampled_from(STEPS).flatmap(
        lambda s: st.lists(
            st.sampled_from(EQUALS_VALUES[s]), min_size=1, max_size=3, unique=True
        ).map(lambda vs: In(s, tuple(vs)))
    ),
    st.sampled_from(("many",)).map(lambda s: Count(s, 2, None)),
    st.sampled_from(
        (
            Between("amount", Decimal("12"), None),
            Between("amount", None, Decimal("12")),
            Between("amount", Decimal("0"), Decimal("12")),
        )
    ),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: All(tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: AnyOf(tuple(cs))),
    ),
    max_leaves=5,
)


@settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(data=st.data(), condition=conditions)
def test_enable_when_means_what_any_condition_means(
    data: st.DataObject, condition: Condition
) -> None:
    dialogue = with_condition(condition)
    state = data.draw(states(dialogue))
    agree(dialogue, state)
