"""The conversation's state as stored: its JSON exactly, what an older or hand-edited record
reads as, copies that share nothing changeable, which list items count, and the fingerprint a
page carries to notice an answer given elsewhere."""

from __future__ import annotations

import pytest

from assistant.dialogue.state import (
    REVIEW,
    Entry,
    Item,
    NewerState,
    Respondent,
    State,
    answer_fingerprint,
    voice,
)

SON = Respondent("proxy", "my son")


def sample() -> State:
    anna = Item("i1", SON, {"who": Entry("answered", SON, "Anna")})
    empty = Item("i2", Respondent(), {"who": Entry("skipped", Respondent())})
    return State(
        "wishes",
        "team.who",
        item="i1",
        return_to_review=True,
        review_path=["name", "team"],
        respondent=SON,
        answers={
            "name": {
                "client": Entry("answered", Respondent("helped", "Liisa"), "Aino"),
                "proxy": Entry("dont-know", SON),
            },
            "moving": {"client": Entry("answered", Respondent(), ["walk", "x"], "Bike")},
        },
        items={"team": [anna, empty]},
        next_item=3,
    )


def test_the_state_as_json() -> None:
    assert sample().to_json() == {
        "version": 1,
        "dialogue": "wishes",
        "at": "team.who",
        "item": "i1",
        "return_to_review": True,
        "review_path": ["name", "team"],
        "respondent": {"role": "proxy", "who": "my son"},
        "answers": {
            "name": {
                "client": {
                    "status": "answered",
                    "by": {"role": "helped", "who": "Liisa"},
                    "value": "Aino",
                },
                "proxy": {"status": "dont-know", "by": {"role": "proxy", "who": "my son"}},
            },
            "moving": {
                "client": {
                    "status": "answered",
                    "by": {"role": "client", "who": ""},
                    "value": ["walk", "x"],
                    "other": "Bike",
                }
            },
        },
        "items": {
            "team": [
                {
                    "id": "i1",
                    "by": {"role": "proxy", "who": "my son"},
                    "answers": {
                        "who": {
                            "status": "answered",
                            "by": {"role": "proxy", "who": "my son"},
                            "value": "Anna",
                        }
                    },
                },
                {
                    "id": "i2",
                    "by": {"role": "client", "who": ""},
                    "answers": {"who": {"status": "skipped", "by": {"role": "client", "who": ""}}},
                },
            ]
        },
        "next_item": 3,
        "fingerprint": "",
    }
    assert State.from_json(sample().to_json()) == sample()


def test_a_record_with_only_what_is_needed() -> None:
    state = State.from_json({"dialogue": "wishes", "at": REVIEW})
    assert state == State("wishes", REVIEW)
    assert (state.item, state.return_to_review, state.review_path, state.next_item) == (
        None,
        False,
        [],
        1,
    )
    assert state.respondent == Respondent("client", "")


@pytest.mark.parametrize(
    ("data", "respondent"),
    [
        ({}, Respondent("client", "")),
        ({"role": "helped"}, Respondent("helped", "")),
        ({"role": "admin", "who": "x"}, Respondent("client", "x")),
        ({"role": "proxy", "who": 7}, Respondent("proxy", "7")),
    ],
)
def test_a_respondent_read_back(data: dict[str, object], respondent: Respondent) -> None:
    assert Respondent.from_json(data) == respondent


def test_an_edited_record_reads_as_its_types() -> None:
    state = State.from_json(
        {
            "dialogue": "wishes",
            "at": "name",
            "return_to_review": 1,
            "review_path": ["name", 5],
            "next_item": "4",
        }
    )
    assert (state.return_to_review, state.review_path, state.next_item) == (True, ["name", "5"], 4)


def test_a_copy_shares_nothing_that_changes() -> None:
    original = sample()
    copy = original.copy()
    assert copy == original
    copy.review_path.append("x")
    copy.answers["name"]["client"] = Entry("skipped", Respondent())
    copy.answers["new"] = {}
    copy.items["team"][0].answers["who"] = Entry("skipped", SON)
    copy.items["team"].pop()
    assert original == sample()


def test_only_items_with_something_said_count() -> None:
    state = sample()
    assert [i.id for i in state.list_items("team")] == ["i1"]
    assert state.list_items("other") == []
    assert Item("i9", SON).has_answers() is False
    assert Item("i9", SON, {"a": Entry("dont-know", SON)}).has_answers() is True
    assert state.find_item("team", "i2") is state.items["team"][1]
    assert state.find_item("team", "i3") is None and state.find_item("other", "i1") is None


def test_whose_view_an_answer_is() -> None:
    assert [voice(r) for r in ("client", "helped", "proxy")] == ["client", "client", "proxy"]


def test_a_fingerprint_changes_with_the_answer_and_only_with_it() -> None:
    state = sample()
    name = answer_fingerprint(state, "name")
    # The same across versions: a page shown before an upgrade is still recognised after it.
    assert (name, answer_fingerprint(state, "who", "i1")) == (
        "bb888e7da9e393ea",
        "e2aba68369f4ed7b",
    )
    assert answer_fingerprint(state, "moving") != name
    assert answer_fingerprint(state, "nothing") == answer_fingerprint(State("w", REVIEW), "x")
    changed = state.copy()
    changed.answers["name"]["proxy"] = Entry("answered", SON, "Aino")
    assert answer_fingerprint(changed, "name") != name
    changed.answers["moving"] = {}
    assert answer_fingerprint(changed, "name") != name
    # Inside an item: that item's answer, whichever list it is in.
    anna = answer_fingerprint(state, "who", "i1")
    assert anna != answer_fingerprint(state, "who", "i2") != answer_fingerprint(state, "who")
    assert answer_fingerprint(state, "who", "i7") == answer_fingerprint(state, "gone", "i1")
    # Words as they are, not as \u escapes: the digest of the same text stays the same.
    nordic = State(
        "w", REVIEW, answers={"name": {"client": Entry("answered", Respondent(), "Åke")}}
    )
    assert answer_fingerprint(nordic, "name") == "2a059917f00ae9c8"
    renamed = state.copy()
    renamed.items["team"][0].answers["who"] = Entry("answered", SON, "Anni")
    assert answer_fingerprint(renamed, "who", "i1") != anna
    assert answer_fingerprint(renamed, "name") == name


@pytest.mark.parametrize(
    ("version", "newer"),
    [
        (None, False),  # no version: written before versions were, the first format
        (1, False),
        (2, True),  # a newer release wrote it: refused as it is, never guessed at
        ("1", True),  # not a whole number: not a format this release knows
        (True, True),  # JSON true is not the number 1
        (1.0, True),
    ],
)
def test_a_state_of_a_newer_or_unknown_format_is_refused_with_its_version(
    version: object, newer: bool
) -> None:
    data = sample().to_json()
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    if not newer:
        assert State.from_json(data) == sample()
        return
    with pytest.raises(NewerState) as refused:
        State.from_json(data)
    assert refused.value.version == version
    assert str(refused.value) == f"stored in format version {version}; this version reads 1"


def test_the_dialogue_shape_a_state_was_reconciled_with_is_kept() -> None:
    state = sample()
    state.fingerprint = "3f2a9c"
    assert State.from_json(state.to_json()).fingerprint == "3f2a9c"
    without = state.to_json()
    del without["fingerprint"]
    assert State.from_json(without).fingerprint == ""
