"""The draft's model on a tiny dialogue, compared whole: a list answered "add no one", a skipped
one, one with people; who gave each answer; whether the draft is complete; the agenda; the
meeting's date; and the note on whose answers it holds."""

from __future__ import annotations

import gettext
from datetime import UTC, date, datetime

import pytest

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load, load_text
from assistant.dialogue.state import Respondent, State
from assistant.dialogue.views import Views
from assistant.draft.model import Answer, Draft, Item, Member, Section, build, provenance
from assistant.i18n import Catalogs, Translator
from assistant.settings import PROJECT_ROOT

SMALL = load_text(
    """
title: Small
description: A name, a team and a meeting date.
minutes: 1
sections:
  - {id: me, title: About me}
  - {id: team, title: My team}
  - {id: meeting, title: The meeting}
offer: [dont-know, talk-in-meeting]
steps:
  - id: name
    kind: short-text
    section: me
    prompt: What is your name?
  - id: team
    kind: list
    section: team
    prompt: My team
    item-title: "{team.who}"
    add-prompt: Do you want to add a person?
    steps:
      - id: who
        kind: short-text
        prompt: Who?
      - id: helps
        kind: short-text
        prompt: How does {team.who|this person} help?
  - id: meeting-date
    kind: date
    section: meeting
    marks: meeting-date
    prompt: When is the meeting?
""",
    "small",
)
ENGINE = Engine(SMALL)
ENGLISH = Translator("en", gettext.NullTranslations())
MADE = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SON = Respondent("proxy", "my son")
OWN = "The client's own answer"


def go(state: State, *steps: tuple[str, dict[str, list[str]]]) -> State:
    for action, form in steps:
        outcome = ENGINE.submit(state, action, form)
        assert outcome.ok, outcome.errors
        state = outcome.state
    return state


def draft(state: State, updated: datetime = MADE) -> Draft:
    return build(SMALL, Views(ENGINE), state, ENGLISH, MADE, updated)


def named(state: State) -> State:
    return go(state, ("continue", {"answer": ["Aino"]}))


def test_a_list_answered_add_no_one_says_none_added() -> None:
    state = go(named(ENGINE.start()), ("continue", {"add": ["no"]}))
    (about, team) = draft(state).sections
    assert team == Section(
        "team",
        "My team",
        (
            Item(
                "team",
                "My team",
                "list",
                (Answer("None added", "answered", "client", "", OWN),),
                heading=False,  # the question is the section's title: not said twice
            ),
        ),
    )
    assert about.items[0].answers == (Answer("Aino", "answered", "client", "", OWN, "Aino"),)


def test_a_skipped_list_is_not_answered_and_one_not_reached_is_left_out() -> None:
    reached = draft(named(ENGINE.start()))
    assert [s.id for s in reached.sections] == ["me"]
    assert not reached.completed
    skipped = draft(go(named(ENGINE.start()), ("skip", {})))
    assert skipped.sections[1] == Section("team", "My team", (), ("My team",))
    assert not skipped.completed  # the meeting's date is not reached yet
    done = draft(go(named(ENGINE.start()), ("skip", {}), ("skip", {})))
    assert done.completed and done.answered
    assert done.sections[2] == Section("meeting", "The meeting", (), ("When is the meeting?",))


def test_an_empty_draft() -> None:
    empty = draft(ENGINE.start())
    assert (empty.sections, empty.agenda, empty.completed, empty.answered) == ((), (), False, False)
    assert empty.note == (
        "This draft was made with Oma ääni before the meeting. "
        "Nothing has been added or changed. The client decides who sees it."
    )
    assert empty.facts == (("Language of the draft", "English"),)
    assert (empty.title, empty.dialogue_id, empty.locale) == ("Small", "small", "en")


def test_people_of_a_list_with_who_added_them() -> None:
    state = ENGINE.set_respondent(named(ENGINE.start()), SON)
    state = go(
        state,
        ("continue", {"add": ["yes"]}),
        ("continue", {"answer": ["Anna"]}),
        ("talk-in-meeting", {"answer": ["Shopping"]}),
        ("continue", {"add": ["no"]}),
    )
    made = draft(state)
    by_son = "Answered for the client by my son"
    helps = Item(
        "team.helps",
        "How does Anna help?",
        "short-text",
        (
            Answer(
                "To talk about in the meeting: Shopping",
                "talk-in-meeting",
                "proxy",
                "my son",
                by_son,
                "Shopping",
            ),
        ),
        for_meeting=True,
        item_id="i1",
    )
    anna = Member("i1", "Anna", (helps,), by_son, "proxy", "my son")
    assert made.sections[1].items == (
        Item("team", "My team", "list", (), members=(anna,), heading=False),
    )
    assert made.agenda == (Item(**{**helps.__dict__, "question": "Anna: How does Anna help?"}),)
    assert made.note.split(". ")[1:3] == [
        "Some answers are the client's own",
        "Some answers were given for the client by my son",
    ]


def test_the_meeting_date_and_when_the_draft_was_made() -> None:
    state = go(named(ENGINE.start()), ("skip", {}))
    state = go(state, ("continue", {"day": ["3"], "month": ["2"], "year": ["2027"]}))
    made = draft(state, updated=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert made.meeting_date == date(2027, 2, 3)
    assert made.facts == (
        ("Meeting date", "3 February 2027"),
        ("Language of the draft", "English"),
    )
    assert (
        made.dated == "Draft for my meeting. Made on 22 November 2026, updated on 24 November 2026."
    )
    assert draft(state).dated == "Draft for my meeting. Made on 22 November 2026."
    assert made.completed
    unsure = go(ENGINE.change(state, "meeting-date"), ("dont-know", {}))
    assert draft(unsure).meeting_date is None


@pytest.mark.parametrize(
    ("by", "words"),
    [
        (Respondent(), OWN),
        (Respondent("helped", "my sister"), "The client, with help from my sister"),
        (Respondent("helped", " \u202e"), "The client, with help from someone"),
        (Respondent("proxy", "my son"), "Answered for the client by my son"),
        (Respondent("proxy"), "Answered for the client by someone"),
    ],
)
def test_provenance(by: Respondent, words: str) -> None:
    assert provenance(by, ENGLISH) == words


def test_the_note_says_whose_answers_the_draft_holds() -> None:
    helped = ENGINE.set_respondent(ENGINE.start(), Respondent("helped", "my sister"))
    assert draft(named(helped)).note.split(". ")[1] == (
        "All answers were given by the client with help from my sister"
    )
    proxies = go(ENGINE.set_respondent(named(ENGINE.start()), SON), ("continue", {"add": ["no"]}))
    proxies = ENGINE.set_respondent(proxies, Respondent("proxy", "Liisa"))
    proxies = go(proxies, ("continue", {"day": ["3"], "month": ["2"], "year": ["2027"]}))
    assert draft(proxies).note.split(". ")[1:3] == [
        "Some answers are the client's own",
        "Some answers were given for the client by Liisa and my son",
    ]
    only_own = draft(named(ENGINE.start())).note
    assert only_own.split(". ")[1] == "All answers are the client's own"


def test_a_helper_with_no_name_is_someone() -> None:
    helped = ENGINE.set_respondent(ENGINE.start(), Respondent("helped", " "))
    assert draft(named(helped)).note.split(". ")[1] == (
        "All answers were given by the client with help from someone"
    )


def test_a_skip_inside_a_persons_answers_is_no_ones_voice() -> None:
    state = go(
        named(ENGINE.start()),
        ("continue", {"add": ["yes"]}),
        ("continue", {"answer": ["Anna"]}),
    )
    state = ENGINE.set_respondent(ENGINE.change(state, "team.helps", "i1"), SON)
    state = go(state, ("skip", {}))
    assert state.items["team"][0].answers["helps"].by == SON
    assert draft(state).note.split(". ")[1] == "All answers are the client's own"


def test_only_the_meeting_sections_date_is_the_meeting_date() -> None:
    born = load_text(
        """
title: Born
description: A date that is not the meeting's.
minutes: 1
sections:
  - {id: me, title: About me}
steps:
  - id: born
    kind: date
    section: me
    prompt: When were you born?
""",
        "born",
    )
    engine = Engine(born)
    state = engine.submit(
        engine.start(), "continue", {"day": ["3"], "month": ["2"], "year": ["1990"]}
    ).state
    made = build(born, Views(engine), state, ENGLISH, MADE, MADE)
    assert made.sections[0].items[0].answers[0].value == "1990-02-03"
    assert made.meeting_date is None
    assert made.facts == (("Language of the draft", "English"),)


def test_a_draft_in_finnish_has_the_conversations_finnish_title() -> None:
    shipped = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
    finnish = Catalogs(PROJECT_ROOT / "locales").translator("fi")
    made = build(shipped, Views(Engine(shipped)), Engine(shipped).start(), finnish, MADE, MADE)
    assert (made.title, made.language) == ("Toiveeni ja tarpeeni", "fi")


def test_what_a_draft_says_while_it_is_not_finished() -> None:
    """The notice names the sections not reached, in the dialogue's order; nobody gave an
    answer yet, so no one is the voice an answer need not name."""
    reached = draft(named(ENGINE.start()))
    assert reached.notices == (
        "This draft is not finished. Not asked yet: My team and The meeting.",
    )
    assert reached.not_reached == ("team", "meeting")
    assert draft(ENGINE.start()).default_by == ""
    assert reached.default_by == OWN


def test_the_agenda_is_a_part_of_its_own_for_the_caseworker() -> None:
    state = go(ENGINE.start(), ("talk-in-meeting", {"answer": ["Aino"]}))
    (agenda,) = draft(state).parts
    assert (agenda.id, agenda.title, agenda.questions_only) == (
        "agenda",
        "To talk about in the meeting",
        True,
    )
    assert [item.question for item in agenda.items] == ["What is your name?"]


def test_someone_who_gave_most_answers_unnamed_is_someone() -> None:
    """The answers that do not say who gave them are the most common voice's: a person
    answering for the client without a name is "someone" there too."""
    state = named(ENGINE.start())
    state = ENGINE.set_respondent(state, Respondent("proxy"))
    state = go(
        state,
        ("continue", {"add": ["no"]}),
        ("continue", {"day": ["3"], "month": ["2"], "year": ["2027"]}),
    )
    assert (
        "An answer that does not say who gave it was given for the client by someone."
        in draft(state).note
    )


def test_a_finnish_draft_of_the_shipped_dialogue_carries_its_codes_and_finnish_titles() -> None:
    """Section titles and the notice's section names in the draft's language (each title is
    translated in its own context), the HB code of each section and the code system."""
    shipped = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
    engine = Engine(shipped)
    finnish = Catalogs(PROJECT_ROOT / "locales").translator("fi")
    state = engine.submit(engine.start(), "continue", {}).state  # the welcome
    state = engine.submit(state, "continue", {"answer": ["Huumorintajuni"]}).state
    made = build(shipped, Views(engine), state, finnish, MADE, MADE)
    assert made.code_system == "https://oma-aani.fi/fhir/CodeSystem/HbElement"
    (about,) = made.sections
    assert (about.id, about.title, about.code) == ("about-me", "Minusta", "about-me")
    assert made.notices[0].startswith("Tämä luonnos on kesken. Vielä kysymättä: Minusta, ")
    assert "Minulle tärkeää" in made.notices[0]
