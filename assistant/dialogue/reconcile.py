"""A stored conversation meets its dialogue as it is now: a region edits a dialogue while
people's conversations are stored for weeks. Pure: no I/O, no web.

Each state remembers the shape (a fingerprint) of the dialogue it was last reconciled with. On
load, a state whose dialogue has changed shape since is reconciled with the dialogue as it is:

- a position that no longer exists, or no longer applies, moves to the nearest step that still
  applies: the next one in the dialogue, or the first question not yet answered when the step
  is gone, or the review (where a change begun from the review was going back to anyway); inside
  a list item, the item's next unanswered question, else the list;
- answers to steps that are gone stay in the state (should the step come back, so do they), and
  stay out of the review and the draft, which show the dialogue's steps only;
- from a changed choice list only the values that are gone are dropped; an answer that no longer
  fits its question (a text where a number is now asked) is dropped;
- `changed` tells whether the person would notice any of this, to tell them in one sentence.

The reconciled state is saved with the next change the person makes, and from then on its
fingerprint matches and loading it costs one comparison.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from assistant.dialogue.answers import fits_kind
from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.model import SOMETHING_ELSE, Dialogue, Kind, Step
from assistant.dialogue.state import REVIEW, Entry, Item, State


def fingerprint(dialogue: Dialogue) -> str:
    """A digest of what a stored state depends on: each step's key, kind, condition and
    values. Texts are left out: rewording a question moves nobody."""
    shape = [
        (s.key, s.kind.value, repr(s.when), s.values(), s.offer)
        for top in dialogue.steps
        for s in (top, *top.steps)
    ]
    return hashlib.sha256(repr((dialogue.id, shape)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Reconciled:
    state: State
    changed: bool  # the person would notice: a position moved, or answers left the review


class Reconciler:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialogue = engine.dialogue
        self.fingerprint = fingerprint(engine.dialogue)

    def stamp(self, state: State) -> State:
        """A new conversation's state, marked as made for the dialogue as it is now."""
        new = state.copy()
        new.fingerprint = self.fingerprint
        return new

    def reconcile(self, state: State) -> Reconciled:
        if state.fingerprint == self.fingerprint:
            return Reconciled(state, False)
        new = state.copy()
        new.fingerprint = self.fingerprint
        changed = self._answers(new)
        changed = self._items(new) or changed
        new.review_path = [k for k in new.review_path if k in self.dialogue.by_key]
        changed = self._position(new) or changed
        return Reconciled(new, changed)

    # -- answers ----------------------------------------------------------------------------

    def _answers(self, state: State) -> bool:
        changed = False
        for key, by_voice in list(state.answers.items()):
            step = self.dialogue.by_key.get(key)
            if step is None or step.parent is not None:
                # Gone: kept, out of the review and the draft. Only an answer is missed.
                changed = changed or any(e.status != "seen" for e in by_voice.values())
                continue
            fitted = {v: f for v, e in by_voice.items() if (f := fit(step, e)) is not None}
            if fitted != by_voice:
                changed = changed or any(
                    e.status != "seen" and fitted.get(v) != e for v, e in by_voice.items()
                )
                if fitted:
                    state.answers[key] = fitted
                else:
                    del state.answers[key]
        return changed

    def _items(self, state: State) -> bool:
        changed = False
        for list_key, items in state.items.items():
            list_step = self.dialogue.by_key.get(list_key)
            if list_step is None or list_step.kind is not Kind.LIST:
                changed = changed or any(item.has_answers() for item in items)
                continue
            for item in items:
                changed = self._item(list_step, item) or changed
        return changed

    def _item(self, list_step: Step, item: Item) -> bool:
        changed = False
        for sub_id, entry in list(item.answers.items()):
            sub = self.dialogue.by_key.get(f"{list_step.key}.{sub_id}")
            if sub is None:
                changed = changed or entry.status != "skipped"
                continue
            fitted = fit(sub, entry)
            if fitted != entry:
                changed = True
                if fitted is None:
                    del item.answers[sub_id]
                else:
                    item.answers[sub_id] = fitted
        return changed

    # -- where the person is ----------------------------------------------------------------

    def _position(self, state: State) -> bool:
        if state.at == REVIEW or self._valid(state):
            return False
        list_key = state.at.split(".", 1)[0] if "." in state.at else None
        item = state.find_item(list_key, state.item) if list_key and state.item else None
        list_step = self.dialogue.by_key.get(list_key) if list_key else None
        path = self.engine.path(state)
        if state.return_to_review:
            # A change begun from the review: its question is gone, so back to the review.
            state.at, state.item = REVIEW, None
        elif list_step is not None and list_key in {s.key for s in path} and item is not None:
            subs = self.engine.item_steps(state, list_step, item)
            later = _later(list_step.steps, state.at, subs)
            following = next((s for s in later if s.id not in item.answers), None)
            state.at, state.item = (following.key, item.id) if following else (list_step.key, None)
        else:
            state.at, state.item = self._nearest(state, path), None
        if state.at == REVIEW:
            state.return_to_review, state.review_path = False, []
        return True

    def _valid(self, state: State) -> bool:
        """Whether the person's page can be shown where the state says they are."""
        try:
            placed = self.engine.change(state, state.at, state.item, returning=False)
        except UnknownStep:
            return False
        return (placed.at, placed.item) == (state.at, state.item)

    def _nearest(self, state: State, path: list[Step]) -> str:
        """The next step that applies after one that stays but no longer applies; for a step
        that is gone, the first question not yet answered; else the review."""
        on_path = {s.key for s in path}
        stays = self.dialogue.by_key.get(state.at.split(".", 1)[0])
        if stays is not None:
            later = _later(self.dialogue.steps, stays.key, list(self.dialogue.steps))
            return next((s.key for s in later if s.key in on_path), REVIEW)
        unanswered = (
            s
            for s in path
            if s.key not in state.answers and not (s.kind is Kind.LIST and state.list_items(s.key))
        )
        return next((s.key for s in unanswered), REVIEW)


def _later(order: tuple[Step, ...] | list[Step], key: str, among: list[Step]) -> list[Step]:
    """The steps of `among` that come at or after `key` in `order` (all of them if `key` is
    not in `order`)."""
    keys = [s.key for s in order]
    start = keys.index(key) if key in keys else 0
    after = set(keys[start:])
    return [s for s in among if s.key in after]


def fit(step: Step, entry: Entry) -> Entry | None:
    """The entry as it fits the step now: choices that are gone dropped, the rest kept; None
    when nothing of it fits (a text where a number is asked, a choice that is gone). A topic
    marked for the meeting stays marked, whatever becomes of its answer."""
    fitted = _fit(step, entry)
    if fitted is None and entry.status == "talk-in-meeting" and step.kind.is_question:
        return replace(entry, value=None, other=None)
    return fitted


def _fit(step: Step, entry: Entry) -> Entry | None:
    if step.kind is Kind.INFORMATION:
        return entry if entry.status == "seen" else None
    if entry.status == "seen":
        return None
    if entry.value is None:  # skipped, "I don't know", or a list's "none added"
        return entry
    if step.kind is Kind.LIST:
        return None  # an answer given to a question that is now a list
    if step.kind is Kind.MULTIPLE_CHOICE:
        if not isinstance(entry.value, list):
            return None
        kept = [v for v in entry.value if v in step.values()]
        if kept == entry.value:
            return entry
        other = entry.other if SOMETHING_ELSE in kept else None
        return replace(entry, value=kept, other=other) if kept else None
    if not isinstance(entry.value, str):
        return None
    if step.kind.has_choices:
        return entry if entry.value in step.values() else None
    return entry if fits_kind(step.kind, entry.value) else None
