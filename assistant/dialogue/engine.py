"""The dialogue engine: pure functions from (dialogue, state, input) to a new state.

No I/O, no web, no languages. Every operation takes a State and returns a new one (the old
one is never changed), so a failed save can never leave a half-changed conversation behind.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.dialogue.answers import FieldError, Form, Invalid, parse
from assistant.dialogue.conditions import Answer
from assistant.dialogue.model import Dialogue, Kind, Step
from assistant.dialogue.state import REVIEW, Entry, Item, Respondent, State, Status, voice

STEP_ACTIONS = ("continue", "skip", "dont-know", "talk-in-meeting")


class UnknownStep(LookupError):
    """A step, item or action that this conversation does not have (answered with 404/400)."""


@dataclass(frozen=True)
class Outcome:
    state: State
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


ANSWER_VOICES = ("client", "proxy")
# Paths remembered per engine: a step's GET and POST ask for the path of the same answers five
# times (placing the step, its view, Back, the next step); each costs a walk of the dialogue.
PATHS_KEPT = 512
# The errors that mean nothing was given at all (a date with all three boxes empty included).
NOTHING_GIVEN = frozenset({"empty", "choose", "choose-any"})


class Facts:
    """What conditions and placeholders see of the steps that apply: one voice's answers (the
    client's, or those of someone answering for them), with the other voice's where it has none."""

    def __init__(
        self,
        dialogue: Dialogue,
        state: State,
        applies: set[str],
        item: Item | None,
        voice: str = "client",
    ) -> None:
        self.dialogue, self.state, self.applies, self.item = dialogue, state, applies, item
        self.voices = (voice, *(v for v in ANSWER_VOICES if v != voice))
        self._roles: frozenset[str] | None = None

    def roles(self) -> frozenset[str]:
        """Who is answering now, and who gave any answer in this conversation (`answering:`)."""
        if self._roles is None:
            found = {self.state.respondent.role}
            for by_voice in self.state.answers.values():
                found.update(entry.by.role for entry in by_voice.values())
            for items in self.state.items.values():
                for item in items:
                    found.update(entry.by.role for entry in item.answers.values())
            self._roles = frozenset(found)
        return self._roles

    def entry(self, key: str) -> Entry | None:
        if key not in self.applies:
            return None
        if "." in key:
            return self.item.answers.get(key.split(".", 1)[1]) if self.item else None
        by_voice = self.state.answers.get(key, {})
        entries = [by_voice[v] for v in self.voices if v in by_voice]
        return next((e for e in entries if e.status == "answered"), entries[0] if entries else None)

    def answer(self, key: str) -> Answer:
        step = self.dialogue.by_key.get(key)
        if step is not None and step.kind is Kind.LIST:
            return "items" if self.count(key) else None
        entry = self.entry(key)
        if entry is None or entry.status != "answered" or entry.value is None:
            return None
        if isinstance(entry.value, list):
            return frozenset(entry.value)
        if step is not None and step.kind.has_choices:
            return frozenset({entry.value})
        return str(entry.value)

    def count(self, key: str) -> int:
        step = self.dialogue.by_key.get(key)
        if step is not None and step.kind is Kind.LIST:
            return len(self.state.list_items(key)) if key in self.applies else 0
        answer = self.answer(key)
        if isinstance(answer, frozenset):
            return len(answer)
        return 0 if answer is None else 1


class Engine:
    def __init__(self, dialogue: Dialogue, today: Callable[[], date] = date.today) -> None:
        """`today` is the clock's date, for date steps with `not-before: today`."""
        self.dialogue = dialogue
        self.today = today
        self._paths: OrderedDict[tuple[Any, ...], tuple[tuple[Step, ...], list[Any]]] = (
            OrderedDict()
        )
        self._paths_lock = threading.Lock()  # drafts are made on a worker thread too

    # -- what applies -----------------------------------------------------------------------

    def path(self, state: State) -> list[Step]:
        """The top-level steps that apply, given the answers so far, in order."""
        key, kept = _path_key(state)
        with self._paths_lock:
            known = self._paths.get(key)
            if known is not None:
                self._paths.move_to_end(key)
                return list(known[0])
        steps = self._walk(state)
        with self._paths_lock:
            # The key is made of the entries' identities: keeping the entries alive with it
            # means no other entry can take one of their places while it is remembered.
            self._paths[key] = (tuple(steps), kept)
            if len(self._paths) > PATHS_KEPT:
                self._paths.popitem(last=False)
        return steps

    def _walk(self, state: State) -> list[Step]:
        applies: set[str] = set()
        voices = self._voices(state, applies, None)
        steps = []
        for step in self.dialogue.steps:
            if _applies(step, voices):
                applies.add(step.key)
                steps.append(step)
        return steps

    def _voices(self, state: State, applies: set[str], item: Item | None) -> tuple[Facts, ...]:
        """A step applies if its condition holds for the client's answers or for those of
        someone answering for them (each voice's gaps filled with the other's): nobody's answer
        is ignored, so a follow-up the relative's answer opens is asked too. Where no question
        has two answers, both views are the same and one is enough (most conversations)."""
        two = any(len(by_voice) > 1 for by_voice in state.answers.values())
        return tuple(
            Facts(self.dialogue, state, applies, item, v) for v in ANSWER_VOICES[: 1 + two]
        )

    def facts(
        self,
        state: State,
        item: Item | None = None,
        list_step: Step | None = None,
        path: list[Step] | None = None,
        voice: str = "client",
    ) -> Facts:
        """What placeholders show: `voice`'s answers first (the person answering now);
        `path` when the caller has it already."""
        applies = {s.key for s in (self.path(state) if path is None else path)}
        if list_step is not None:
            voices = self._voices(state, applies, item)
            for sub in list_step.steps:
                if _applies(sub, voices):
                    applies.add(sub.key)
        return Facts(self.dialogue, state, applies, item, voice)

    def item_steps(self, state: State, list_step: Step, item: Item) -> list[Step]:
        facts = self.facts(state, item, list_step)
        return [s for s in list_step.steps if s.key in facts.applies]

    def current(self, state: State) -> tuple[Step | None, Item | None]:
        """The step the person is at (None at the review) and the list item, if any."""
        if state.at == REVIEW:
            return None, None
        step = self.dialogue.by_key.get(state.at)
        if step is None:
            raise UnknownStep(state.at)
        item = state.find_item(step.parent, state.item) if step.parent and state.item else None
        return step, item

    # -- moving -----------------------------------------------------------------------------

    def start(self, respondent: Respondent | None = None) -> State:
        state = State(self.dialogue.id, REVIEW, respondent=respondent or Respondent())
        first = self.path(state)
        state.at = first[0].key if first else REVIEW
        return state

    def submit(self, state: State, action: str, form: Form) -> Outcome:
        """The person pressed a button on the current step: continue, skip, dont-know, talk-in-meeting."""
        if action not in STEP_ACTIONS:
            raise UnknownStep(action)
        step, item = self.current(state)
        if step is None:
            return Outcome(state)
        new = state.copy()
        new_item = new.find_item(step.parent, item.id) if step.parent and item else None
        if step.kind is Kind.LIST:
            return self._list_summary(new, step, action, form)
        if action not in ("continue", "skip") and action not in step.offer:
            raise UnknownStep(action)
        try:
            entry = self._entry(step, new.respondent, action, form)
        except Invalid as invalid:
            return Outcome(state, tuple(invalid.errors))
        if new_item is not None:
            new_item.answers[step.id] = entry
        else:
            new.answers.setdefault(step.key, {})[voice(new.respondent.role)] = entry
        return Outcome(self._advance(new))

    def _entry(self, step: Step, by: Respondent, action: str, form: Form) -> Entry:
        if step.kind is Kind.INFORMATION:
            return Entry("seen", by)
        if action == "skip":
            return Entry("skipped", by)
        if action == "dont-know":
            return Entry("dont-know", by)
        try:
            value, other = parse(step, form, self.today())
        except Invalid as invalid:
            if all(e.code in NOTHING_GIVEN for e in invalid.errors):
                # Every question may be left unanswered: "Continue" with nothing given moves on
                # and records it as skipped (as GOV.UK does for optional questions); flagging a
                # topic for the meeting needs no answer either.
                return Entry("talk-in-meeting" if action == "talk-in-meeting" else "skipped", by)
            raise
        status: Status = "talk-in-meeting" if action == "talk-in-meeting" else "answered"
        return Entry(status, by, value, other)

    def _list_summary(self, state: State, step: Step, action: str, form: Form) -> Outcome:
        _at_list(state, step.key)
        items = state.items.setdefault(step.key, [])
        if action == "skip":
            state.answers[step.key] = {
                voice(state.respondent.role): Entry("skipped", state.respondent)
            }
            return Outcome(self._advance(state))
        if action != "continue":
            raise UnknownStep(action)
        add = form.get("add", ())
        choice = add if isinstance(add, str) else (add[0] if len(add) == 1 else "")
        if choice not in ("yes", "no") or (choice == "yes" and len(items) >= step.max_items):
            code = "list-full" if choice == "yes" else "choose"
            return Outcome(state, (FieldError("add", code, {"max": step.max_items}),))
        if choice == "no":
            state.answers[step.key] = {
                voice(state.respondent.role): Entry("answered", state.respondent)
            }
            return Outcome(self._advance(state))
        item = Item(f"i{state.next_item}", state.respondent)
        state.next_item += 1
        items.append(item)
        return Outcome(self._enter_item(state, step, item))

    def _enter_item(self, state: State, step: Step, item: Item) -> State:
        subs = self.item_steps(state, step, item)
        if subs:
            state.at, state.item = subs[0].key, item.id
        return state

    def _advance(self, state: State) -> State:
        step, item = self.current(state)
        assert step is not None
        if step.parent is not None and item is not None:
            list_step = self.dialogue.step(step.parent)
            following = _after(self.item_steps(state, list_step, item), step)
            if following is not None:
                state.at = following.key
            else:
                _at_list(state, list_step.key)
            return state
        state.item = None
        after = list(_steps_after(self.path(state), step))
        if state.return_to_review:
            # Back to the review, but first through questions a changed answer has just opened.
            opened = set(state.review_path)
            after = [
                s
                for s in after
                if s.key not in opened
                and s.key not in state.answers
                and not state.list_items(s.key)
            ]
        if after:
            state.at = after[0].key
        else:
            state.at, state.return_to_review, state.review_path = REVIEW, False, []
        return state

    def back(self, state: State) -> State:
        """One step back: within an item, to the list, along the path; at the first step, stay."""
        step, item = self.current(state)
        new = state.copy()
        if step is not None and step.parent is not None:
            list_step = self.dialogue.step(step.parent)
            live_item = new.find_item(list_step.key, item.id) if item else None
            previous = (
                _before(self.item_steps(new, list_step, live_item), step) if live_item else None
            )
            if previous is not None:
                new.at = previous.key
                return new
            _at_list(new, list_step.key)
            return new
        path = self.path(new)
        if new.return_to_review and step is not None:
            new.at, new.return_to_review, new.review_path = REVIEW, False, []
            return new
        previous = path[-1] if step is None and path else (_before(path, step) if step else None)
        if previous is not None:
            new.at, new.item = previous.key, None
        return new

    def change(
        self, state: State, key: str, item_id: str | None = None, *, returning: bool = True
    ) -> State:
        """Go to a step (or a list item); from the review (`returning`), to come back there after."""
        step = self.dialogue.by_key.get(key)
        top = self.dialogue.by_key.get(step.parent) if step and step.parent else step
        if step is None or top is None or top.key not in {s.key for s in self.path(state)}:
            raise UnknownStep(key)
        new = state.copy()
        new.return_to_review = returning
        if not returning:
            new.review_path = []
        elif not (
            state.return_to_review and state.review_path
        ):  # a new change, not a step within one
            new.review_path = [s.key for s in self.path(state)]
        if item_id is None:
            if step.parent:
                raise UnknownStep(key)
            if step.kind is Kind.LIST:
                _at_list(new, step.key)
            else:
                new.at, new.item = step.key, None
            return new
        item = new.find_item(top.key, item_id)
        if item is None:
            raise UnknownStep(item_id)
        subs = self.item_steps(new, top, item)
        target = step if step in subs else (subs[0] if subs else None)
        if target is None:
            raise UnknownStep(key)
        new.at, new.item = target.key, item.id
        return new

    def remove_item(self, state: State, list_key: str, item_id: str) -> State:
        new = state.copy()
        item = new.find_item(list_key, item_id)
        if item is None:
            raise UnknownStep(item_id)
        new.items[list_key].remove(item)
        if new.item == item_id:
            _at_list(new, list_key)
        return new

    def set_respondent(self, state: State, respondent: Respondent) -> State:
        new = state.copy()
        new.respondent = respondent
        return new

    def keep(self, state: State) -> State:
        """Move on from the current step and leave its answer as it is (Enter in a terminal)."""
        step, _item = self.current(state)
        return state if step is None else self._advance(state.copy())

    def go_to_review(self, state: State) -> State:
        new = state.copy()
        new.at, new.item, new.return_to_review, new.review_path = REVIEW, None, False, []
        return new


def _at_list(state: State, list_key: str) -> None:
    """The person is (back) on a list's summary: items they added and said nothing about go."""
    state.at, state.item = list_key, None
    if list_key in state.items:
        state.items[list_key] = state.list_items(list_key)


def _path_key(state: State) -> tuple[tuple[Any, ...], list[Any]]:
    """What a path depends on (who answers now, every answer, every list item's answers), as
    identities: entries and respondents are immutable, so the same objects mean the same
    answers. Returns the key and the objects whose identities it holds."""
    kept: list[Any] = [state.respondent]
    parts: list[Any] = [id(state.respondent)]
    for key, by_voice in state.answers.items():
        parts.append(key)
        for answer_voice, entry in by_voice.items():
            parts += (answer_voice, id(entry))
            kept.append(entry)
    for list_key, items in state.items.items():
        parts.append(list_key)
        for item in items:
            parts.append(item.id)
            for step_id, entry in item.answers.items():
                parts += (step_id, id(entry))
                kept.append(entry)
    return tuple(parts), kept


def _applies(step: Step, voices: tuple[Facts, ...]) -> bool:
    when = step.when  # on every step of every path: no generator for the usual single voice
    return when is None or when.holds(voices[0]) or (len(voices) > 1 and when.holds(voices[1]))


def _steps_after(steps: list[Step], step: Step) -> Iterator[Step]:
    found = False
    for s in steps:
        if found:
            yield s
        found = found or s.key == step.key


def _after(steps: list[Step], step: Step) -> Step | None:
    return next(_steps_after(steps, step), None)


def _before(steps: list[Step], step: Step) -> Step | None:
    return next(_steps_after(list(reversed(steps)), step), None)
