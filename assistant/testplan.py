"""Run a dialogue's test plan (NAME.testplan.yaml): a conversation written out as a person goes
through it, what the review must show, the answers the draft must hold, and the steps a changed
branch has left out. Returns readable failures; empty means it passed."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from assistant.dialogue.answers import BadInput
from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.model import Dialogue, Kind
from assistant.dialogue.state import REVIEW, ROLES, Entry, Respondent, State
from assistant.dialogue.views import AnswerRow, Views
from assistant.i18n import Translator

PLAN_ACTIONS = (
    "answer",
    "skip",
    "dont-know",
    "talk-in-meeting",
    "continue",
    "add",
    "back",
    "change",
    "respondent",
)


# Where in the plan a failure is: ("steps", n) for its n-th step (from 0), ("review", key),
# ("answers", key), ("left-out", n), or () for the plan as a whole.
Place = tuple[str | int, ...]


@dataclass
class Result:
    state: State
    failures: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # one for each failure

    def fail(self, place: Place, message: str) -> None:
        self.failures.append(message)
        self.places.append(place)


def plan_path(dialogue_path: Path) -> Path:
    return dialogue_path.with_name(dialogue_path.stem + ".testplan.yaml")


def form_for(kind: Kind, answer: Any) -> dict[str, list[str]]:
    """A plan's answer as the form a page would send."""
    if isinstance(answer, dict):  # {choice: something-else, other: ...}, or a list of choices
        choices = answer["choice"] if isinstance(answer["choice"], list) else [answer["choice"]]
        return {"answer": [str(c) for c in choices], "other": [str(answer.get("other", ""))]}
    if kind is Kind.DATE:
        year, month, day = str(answer).split("-")
        return {"day": [day], "month": [month], "year": [year]}
    if isinstance(answer, list):
        return {"answer": [str(a) for a in answer]}
    if isinstance(answer, bool):  # a bare yes/no in YAML
        return {"answer": ["yes" if answer else "no"]}
    return {"answer": [str(answer)]}


def run(dialogue: Dialogue, plan: dict[str, Any]) -> Result:
    english = Translator("en", gettext.NullTranslations())
    today = plan.get("today")  # the day the plan is run on, for `not-before: today`
    engine = Engine(dialogue, (lambda: today) if isinstance(today, date) else date.today)
    views = Views(engine)
    role = plan.get("respondent", "client")
    state = engine.start(Respondent(role if role in ROLES else "client", plan.get("who", "")))
    result = Result(state)
    steps = plan.get("steps", [])
    for number, entry in enumerate(steps, 1):
        where, place = f"step {number} ({entry.get('at', '?')})", ("steps", number - 1)
        at = state.at if state.at == REVIEW else engine.dialogue.step(state.at).key
        if "at" in entry and entry["at"] != at:
            result.fail(place, f"{where}: expected to be at '{entry['at']}', but at '{at}'")
            break
        view = views.step(state)
        if (
            "prompt" in entry
            and view is not None
            and english.plain_text(view.prompt) != entry["prompt"]
        ):
            result.fail(
                place,
                f"{where}: prompt reads '{english.plain_text(view.prompt)}', expected '{entry['prompt']}'",
            )
        try:
            state, problem = _act(engine, state, entry)
        except (UnknownStep, BadInput) as error:
            result.fail(place, f"{where}: {type(error).__name__}: {error}")
            break
        if problem:
            result.fail(place, f"{where}: {problem}")
            break
    result.state = state
    if not result.failures and state.at != REVIEW:
        last: Place = ("steps", len(steps) - 1) if steps else ()
        result.fail(last, f"the plan ended at '{state.at}', not at the review")
    if not result.failures:
        rows = {row.step.key: row for row in views.rows(state)}
        for key, message in _check_review(rows, plan.get("review", {}), english):
            result.fail(("review", key), message)
        for key, message in _check_answers(rows, plan.get("answers", {})):
            result.fail(("answers", key), message)
        for number, key in enumerate(plan.get("left-out", [])):
            if key in rows:
                message = f"left-out: '{key}' still applies: it is on the review and in the draft"
                result.fail(("left-out", number), message)
    return result


def _act(engine: Engine, state: State, entry: dict[str, Any]) -> tuple[State, str | None]:
    step, _ = engine.current(state)
    if entry.get("back"):
        return engine.back(state), None
    if "change" in entry:
        return engine.change(state, str(entry["change"])), None
    if "respondent" in entry:  # someone else takes over: {respondent: proxy, who: my daughter}
        role = entry["respondent"]
        if role not in ROLES:
            return state, f"respondent must be one of {', '.join(ROLES)}"
        return engine.set_respondent(state, Respondent(role, str(entry.get("who", "")))), None
    if "add" in entry:
        outcome = engine.submit(state, "continue", {"add": ["yes" if entry["add"] else "no"]})
    elif "answer" in entry and step is not None:
        outcome = engine.submit(state, "continue", form_for(step.kind, entry["answer"]))
    else:
        action = next(
            (a for a in ("skip", "dont-know", "talk-in-meeting", "continue") if entry.get(a)), None
        )
        if action is None:
            return state, f"no action: write one of {', '.join(PLAN_ACTIONS)}"
        outcome = engine.submit(state, action, {})
    if not outcome.ok:
        return state, "the answer was not accepted: " + ", ".join(e.code for e in outcome.errors)
    return outcome.state, None


def _check_review(
    rows: dict[str, AnswerRow], expected: dict[str, Any], english: Translator
) -> list[tuple[str, str]]:
    failures = []
    for key, want in expected.items():
        row = rows.get(key)
        if row is None:
            failures.append((key, f"review: '{key}' is not on the review"))
            continue
        if row.step.kind is Kind.LIST:
            got: Any = [english.plain_text(item.title) for item in row.items]
        else:
            got = entry_value(row.answers[0].entry) if row.answers else None
        if got != want:
            failures.append((key, f"review: '{key}' shows {got!r}, expected {want!r}"))
    return failures


def _check_answers(rows: dict[str, AnswerRow], expected: dict[str, Any]) -> list[tuple[str, str]]:
    failures = []
    for key, want in expected.items():
        row = rows.get(key)
        got = structured(row) if row is not None else None
        if got != want:
            failures.append((key, f"answers: '{key}' holds {got!r}, expected {want!r}"))
    return failures


def structured(row: AnswerRow) -> Any:
    """A question's answers as the draft holds them: each answer by who gave it (client,
    helped, proxy); a list as its items, each a mapping of its questions' answers."""
    if row.step.kind is Kind.LIST and (row.items or row.answered):
        return [
            {r.step.id: entry_value(r.answers[0].entry) for r in item.rows if r.answers}
            for item in row.items
        ]
    return {a.entry.by.role: entry_value(a.entry) for a in row.answers} or None


def entry_value(entry: Entry) -> Any:
    """An answer as a plan writes it: the value, {choice, other} with "something else" words,
    or what was done instead (skipped, dont-know, talk-in-meeting)."""
    if entry.status != "answered":
        return (
            entry.status if entry.value is None else {"status": entry.status, "value": entry.value}
        )
    return {"choice": entry.value, "other": entry.other} if entry.other else entry.value


def load_plan(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}
