"""Two voices, the client's and someone answering for them, where one answered and the other
skipped or said "I don't know": which answer a condition and a placeholder see. And what each
button records on a question with nothing chosen."""

from __future__ import annotations

import pytest

from assistant.dialogue.engine import Engine, UnknownStep
from assistant.dialogue.loader import load_text
from assistant.dialogue.state import Entry, Respondent, State

VOICES = load_text(
    """
title: Voices
description: A question and the follow-up one answer opens.
minutes: 1
sections:
  - {id: s, title: Me}
offer: [dont-know, talk-in-meeting]
steps:
  - id: works
    kind: yes-no
    section: s
    prompt: Do you work?
  - id: work-place
    kind: short-text
    when: {equals: {works: "yes"}}
    prompt: Where do you work?
  - id: needs
    kind: multiple-choice
    prompt: What do you need?
    choices:
      - {value: a, label: Help at home}
      - {value: b, label: Help to get around}
  - id: last
    kind: short-text
    prompt: Anything else?
""",
    "voices",
)
SON = Respondent("proxy", "my son")


def said(engine: Engine, client: str | None, proxy: str | None) -> State:
    """Both voices at `works`: "yes"/"no", or the action they pressed instead (None: silent)."""
    state = engine.start()
    for respondent, what in ((Respondent(), client), (SON, proxy)):
        if what is None:
            continue
        state = engine.set_respondent(engine.change(state, "works", returning=False), respondent)
        if what in ("yes", "no"):
            state = engine.submit(state, "continue", {"answer": [what]}).state
        else:
            state = engine.submit(state, what, {}).state
    return state


@pytest.mark.parametrize(
    ("client", "proxy", "opens"),
    [
        ("yes", None, True),
        (None, "yes", True),
        ("skip", "yes", True),
        ("dont-know", "yes", True),
        ("yes", "skip", True),
        ("yes", "dont-know", True),
        ("no", "yes", True),  # either voice's answer opens it: nobody is ignored
        ("yes", "no", True),
        ("no", "skip", False),
        ("dont-know", "no", False),
        ("skip", "dont-know", False),
    ],
)
def test_a_follow_up_is_asked_if_either_voice_answered_yes(
    client: str | None, proxy: str | None, opens: bool
) -> None:
    engine = Engine(VOICES)
    state = said(engine, client, proxy)
    assert ("work-place" in [s.key for s in engine.path(state)]) is opens


@pytest.mark.parametrize(
    ("client", "proxy", "client_sees", "proxy_sees"),
    [
        ("yes", "no", "answered yes", "answered no"),  # each sees their own first
        ("skip", "no", "answered no", "answered no"),  # a gap filled with the other's answer
        ("yes", "dont-know", "answered yes", "answered yes"),
        ("skip", "dont-know", "skipped None", "dont-know None"),  # no answer: one's own entry
        (None, "dont-know", "dont-know None", "dont-know None"),
    ],
)
def test_what_each_voice_sees_of_an_answer(
    client: str | None, proxy: str | None, client_sees: str, proxy_sees: str
) -> None:
    engine = Engine(VOICES)
    state = said(engine, client, proxy)
    for voice, sees in (("client", client_sees), ("proxy", proxy_sees)):
        entry = engine.facts(state, voice=voice).entry("works")
        assert entry is not None and f"{entry.status} {entry.value}" == sees


def test_nothing_is_seen_of_a_step_that_does_not_apply() -> None:
    engine = Engine(VOICES)
    state = said(engine, "yes", None)
    state = engine.submit(
        engine.change(state, "work-place"), "continue", {"answer": ["Cafe"]}
    ).state
    assert engine.facts(state).answer("work-place") == "Cafe"
    state = engine.submit(engine.change(state, "works"), "continue", {"answer": ["no"]}).state
    assert engine.facts(state).entry("work-place") is None
    assert engine.facts(state).answer("work-place") is None
    assert state.answers["work-place"]["client"].value == "Cafe"  # kept, should it open again


@pytest.mark.parametrize(
    ("action", "form", "entry"),
    [
        ("talk-in-meeting", {}, Entry("talk-in-meeting", Respondent())),
        ("talk-in-meeting", {"answer": ["a"]}, Entry("talk-in-meeting", Respondent(), ["a"])),
        ("continue", {}, Entry("skipped", Respondent())),
        ("continue", {"answer": ["b"]}, Entry("answered", Respondent(), ["b"])),
        ("skip", {"answer": ["b"]}, Entry("skipped", Respondent())),
        ("dont-know", {"answer": ["b"]}, Entry("dont-know", Respondent())),
    ],
)
def test_what_each_button_records_on_a_choice_question(
    action: str, form: dict[str, list[str]], entry: Entry
) -> None:
    engine = Engine(VOICES)
    outcome = engine.submit(engine.change(engine.start(), "needs", returning=False), action, form)
    assert outcome.ok and outcome.state.at == "last"
    assert outcome.state.answers["needs"] == {"client": entry}


def test_an_answer_flagged_for_the_meeting_opens_nothing() -> None:
    """ "Talk about this in the meeting" with "yes" typed is not an answer "yes" yet."""
    engine = Engine(VOICES)
    state = engine.submit(engine.start(), "talk-in-meeting", {"answer": ["yes"]}).state
    assert state.answers["works"]["client"] == Entry("talk-in-meeting", Respondent(), "yes")
    assert state.at == "needs"
    assert engine.facts(state).answer("works") is None


def test_an_answer_with_a_mistake_is_not_flagged_for_the_meeting_either() -> None:
    engine = Engine(VOICES)
    state = engine.change(engine.start(), "last", returning=False)
    outcome = engine.submit(state, "talk-in-meeting", {"answer": ["x" * 201]})
    assert [e.code for e in outcome.errors] == ["too-long"]
    assert outcome.state is state and "last" not in state.answers


def test_an_information_step_is_seen() -> None:
    engine = Engine(
        load_text(
            "title: Info\ndescription: x\nminutes: 1\nsections:\n  - {id: s, title: S}\n"
            "steps:\n  - {id: hello, kind: information, section: s, prompt: Hello, text: Hi}\n"
            "  - {id: name, kind: short-text, prompt: Your name}\n",
            "info",
        )
    )
    with pytest.raises(UnknownStep, match=r"^dont-know$"):
        engine.submit(engine.start(), "dont-know", {})  # not offered: nothing to know
    state = engine.submit(engine.start(), "continue", {"answer": ["x"]}).state
    assert state.answers["hello"] == {"client": Entry("seen", Respondent())}
    assert state.at == "name"
