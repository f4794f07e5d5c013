"""The conversation's state: a plain value that round-trips through JSON without loss.

Answers are kept per step and per voice: the client's own (alone or with help) and someone
answering for them. Both may answer the same question; the client's view comes first.
Answers of steps that no longer apply stay here, so switching a branch back restores them.
Entries and respondents are immutable values; the containers holding them are copied.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Role = Literal["client", "helped", "proxy"]
ROLES: tuple[Role, ...] = ("client", "helped", "proxy")
Status = Literal["answered", "skipped", "dont-know", "talk-in-meeting", "seen"]
REVIEW = "review"
WHO_MAX = 80  # characters of "who helps, or who is answering"
# The stored format this code writes and reads. A state written in a newer format (by a newer
# release, before a rollback) is refused, never read as if it were this one.
FORMAT_VERSION = 1


class NewerState(ValueError):
    """A stored state in a newer format than this code reads (nothing is changed or deleted)."""

    def __init__(self, version: object) -> None:
        super().__init__(f"stored in format version {version}; this version reads {FORMAT_VERSION}")
        self.version = version


def voice(role: str) -> str:
    """Whose view an answer is: the client's (alone or helped) or the other person's."""
    return "proxy" if role == "proxy" else "client"


@dataclass(frozen=True)
class Respondent:
    role: Role = "client"
    # Who helps or answers: their relation to the client, in their own words ("my daughter").
    who: str = ""

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "who": self.who}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Respondent:
        role = data.get("role", "client")
        return cls(role if role in ROLES else "client", str(data.get("who", "")))


@dataclass(frozen=True)
class Entry:
    status: Status
    by: Respondent
    value: Any = None  # str | list[str] | None, by kind
    other: str | None = None  # the "something else" text

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "by": self.by.to_json()}
        if self.value is not None:
            data["value"] = self.value
        if self.other is not None:
            data["other"] = self.other
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            data["status"], Respondent.from_json(data["by"]), data.get("value"), data.get("other")
        )


@dataclass
class Item:
    """One item of an "add another" list: its answers keyed by the list's step ids."""

    id: str
    by: Respondent
    answers: dict[str, Entry] = field(default_factory=dict)

    def copy(self) -> Item:
        return Item(self.id, self.by, dict(self.answers))

    def has_answers(self) -> bool:
        """Whether anything is said about this item: one added and left, or whose questions were
        all skipped, says nothing, and is neither shown nor counted."""
        return any(entry.status != "skipped" for entry in self.answers.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "by": self.by.to_json(),
            "answers": {k: e.to_json() for k, e in self.answers.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        answers = {k: Entry.from_json(v) for k, v in data["answers"].items()}
        return cls(data["id"], Respondent.from_json(data["by"]), answers)


@dataclass
class State:
    dialogue: str
    # Where the person is: a step key, or REVIEW; `item` when inside an "add another" item.
    at: str
    item: str | None = None
    return_to_review: bool = False
    # While changing an answer from the review: the steps that applied when the change began,
    # so only steps the change opens are asked before returning to the review.
    review_path: list[str] = field(default_factory=list)
    respondent: Respondent = field(default_factory=Respondent)
    answers: dict[str, dict[str, Entry]] = field(default_factory=dict)
    items: dict[str, list[Item]] = field(default_factory=dict)
    next_item: int = 1
    # The shape of the dialogue this state was last reconciled with (assistant.dialogue.
    # reconcile): when the dialogue is edited, the next load reconciles the state with it.
    fingerprint: str = ""

    def copy(self) -> State:
        """A new state whose containers are new: entries and respondents are immutable and
        shared, so an operation on the copy can never change this state. (A deep copy, and
        then a JSON round trip, took a quarter of the server's time; profiled.)"""
        return replace(
            self,
            review_path=list(self.review_path),
            answers={key: dict(by_voice) for key, by_voice in self.answers.items()},
            items={key: [item.copy() for item in items] for key, items in self.items.items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "dialogue": self.dialogue,
            "at": self.at,
            "item": self.item,
            "return_to_review": self.return_to_review,
            "review_path": list(self.review_path),
            "respondent": self.respondent.to_json(),
            "answers": {
                k: {v: e.to_json() for v, e in by.items()} for k, by in self.answers.items()
            },
            "items": {k: [i.to_json() for i in items] for k, items in self.items.items()},
            "next_item": self.next_item,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        """The stored state; raises NewerState for a format newer than FORMAT_VERSION (a state
        without a version is from before versions were written: the first format)."""
        version = data.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
            raise NewerState(version)
        return cls(
            dialogue=data["dialogue"],
            at=data["at"],
            item=data.get("item"),
            return_to_review=bool(data.get("return_to_review")),
            review_path=[str(k) for k in data.get("review_path", [])],
            respondent=Respondent.from_json(data.get("respondent", {})),
            answers={
                k: {v: Entry.from_json(e) for v, e in by.items()}
                for k, by in data.get("answers", {}).items()
            },
            items={
                k: [Item.from_json(i) for i in items] for k, items in data.get("items", {}).items()
            },
            next_item=int(data.get("next_item", 1)),
            fingerprint=str(data.get("fingerprint", "")),
        )

    def list_items(self, list_key: str) -> list[Item]:
        """The items of a list that count: those with an answer."""
        return [item for item in self.items.get(list_key, []) if item.has_answers()]

    def find_item(self, list_key: str, item_id: str) -> Item | None:
        return next((i for i in self.items.get(list_key, []) if i.id == item_id), None)


def answer_fingerprint(state: State, key: str, item_id: str | None = None) -> str:
    """A short digest of what is stored for one question (every voice; inside an item when
    item_id is given). A page carries the digest it was shown with, so a save can tell that the
    same question was answered elsewhere (another tab or device) after the page was shown."""
    if item_id:
        entry = next(
            (
                i.answers.get(key)
                for items in state.items.values()
                for i in items
                if i.id == item_id
            ),
            None,
        )
        stored: Any = entry.to_json() if entry else None
    else:
        stored = {v: e.to_json() for v, e in state.answers.get(key, {}).items()}
    text = json.dumps(stored, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
