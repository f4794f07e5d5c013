"""What renderers get from the engine: the current step, progress, the review and the answers.

Still pure and language-free: texts are `Text` values (English source + context + piped
answers) that a renderer translates, then fills in with the answers escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from assistant.dialogue.answers import parse_decimal
from assistant.dialogue.calc import Calculator, Figure, Prices
from assistant.dialogue.engine import Engine, Facts
from assistant.dialogue.model import SOMETHING_ELSE, Choice, Kind, Section, Step
from assistant.dialogue.state import Entry, Item, Respondent, State, voice
from assistant.dialogue.texts import N_, Nn_, Text, placeholder_parts, placeholders

# A piece of an answer as shown: the person's own words, a label to translate, a date or a number.
Piece = str | Text | date | Decimal


@dataclass(frozen=True)
class Shown:
    """An answer ready to show: its pieces (several for multiple choice) and a unit for numbers."""

    entry: Entry
    pieces: tuple[Piece, ...]
    unit: Text | None = None
    # Each chosen value's label with its placeholders filled: for codings (FHIR) by value.
    labels: Mapping[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: Text
    hint: Text | None = None
    exclusive: bool = False


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    questions: int
    done: int


@dataclass(frozen=True)
class Progress:
    number: int | None  # "question 4 …" (None on information steps)
    total: int  # "… of about 15": over the path that applies given the answers so far
    section: Section
    sections: tuple[SectionProgress, ...]


@dataclass(frozen=True)
class ItemView:
    id: str
    title: Text
    rows: tuple[AnswerRow, ...]
    by: Respondent  # who added the item


@dataclass(frozen=True)
class AnswerRow:
    """One question on the review or in the draft, with every voice's answer, client first."""

    step: Step
    question: Text
    answers: tuple[Shown, ...]
    items: tuple[ItemView, ...] = ()
    item_id: str | None = None

    @property
    def answered(self) -> bool:
        return any(a.entry.status == "answered" for a in self.answers) or bool(self.items)

    @property
    def for_meeting(self) -> bool:
        return any(a.entry.status == "talk-in-meeting" for a in self.answers)


@dataclass(frozen=True)
class FigureView:
    """A calculated value to show, with the titles of the items its sum left out and why."""

    figure: Figure
    left_out: tuple[tuple[Text, str], ...] = ()
    # An estimate's prices: where they come from and when they were set.
    sources: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class StepView:
    step: Step
    item_id: str | None
    prompt: Text
    hint: Text | None
    help: Text | None
    text: Text | None
    choices: tuple[ChoiceView, ...]
    something_else: Text | None
    unit: Text | None
    add_prompt: Text | None
    entry: Entry | None  # this voice's earlier answer, to fill in the form
    answer: Shown | None  # that answer as it reads
    other_answers: tuple[Shown, ...]  # the other voice's answer, shown beside the question
    items: tuple[ItemView, ...]
    can_add: bool
    progress: Progress
    is_first: bool
    returning_to_review: bool
    respondent: Respondent  # who is answering now
    # An information step's calculated values (`show:`), in its order.
    figures: tuple[FigureView, ...] = ()


def text(source: str | None, step: Step, facts: Facts) -> Text | None:
    if source is None:
        return None
    values = {name: piped(facts, name) for name in placeholders(source)}
    return Text(source, step.context, {k: v for k, v in values.items() if v is not None})


def label(choice: Choice, step: Step, facts: Facts) -> Text:
    """A choice's label, its placeholders filled ("More than 14 hours"); interface labels
    (Yes / No / Not sure) are translated without the step's context."""
    if choice.interface:
        return Text(choice.label)
    return text(choice.label, step, facts) or Text(choice.label, step.context)


def piped(facts: Facts, key: str) -> Piece | None:
    """An earlier answer as it reads inside a sentence."""
    entry = facts.entry(key)
    step = facts.dialogue.by_key.get(key)
    if entry is None or step is None or entry.status != "answered":
        return None
    pieces = shown(step, entry, facts).pieces
    if len(pieces) == 1:
        return pieces[0]
    # Several choices read as a list: "{p0}, {p1}" with each piece translated on its own.
    names = [f"p{i}" for i in range(len(pieces))]
    return Text(
        ", ".join("{" + n + "}" for n in names), None, dict(zip(names, pieces, strict=True))
    )


def shown(step: Step, entry: Entry, facts: Facts) -> Shown:
    """An entry as it reads; `facts` fill the placeholders of its labels and unit."""
    if entry.status != "answered" and entry.value is None:
        return Shown(entry, ())
    value = entry.value
    if step.kind.has_choices:
        values = value if isinstance(value, list) else [value]
        pieces: list[Piece] = []
        labels: dict[str, Text] = {}
        for v in values:
            choice = step.choice(v)
            if v == SOMETHING_ELSE:
                # Ticked with no words: the choice's own label says what was chosen.
                other = text(step.something_else, step, facts) or Text("")
                pieces.append(entry.other or other)
            elif choice is not None:
                labels[v] = label(choice, step, facts)
                pieces.append(labels[v])
        return Shown(entry, tuple(pieces), labels=labels)
    if step.kind is Kind.DATE and isinstance(value, str):
        return Shown(entry, (date.fromisoformat(value),))
    if step.kind is Kind.NUMBER and isinstance(value, str):
        return Shown(entry, (parse_decimal(value),), text(step.unit, step, facts))
    return Shown(entry, (str(value),) if value is not None else ())


# A list's words for its items when the dialogue gives none: neutral, since a list may hold
# things as well as people. An item whose title would miss an answer is named by its place.
UNTITLED_ITEM = N_("Item {number}")
ITEMS_ADDED = Nn_("You have added {count} item.", "You have added {count} items.")
NONE_ADDED = N_("You have not added anything yet.")


def list_words(list_step: Step, count: int) -> tuple[Text, Text]:
    """How many items the list holds, in the dialogue's words ("You have added 2 people."),
    and what it says when it holds none."""
    one, several = list_step.items_added or ITEMS_ADDED
    context = list_step.context if list_step.items_added else None
    added = Text(one, context, {"count": Decimal(count)}, plural=several, count=count)
    none = list_step.none_added
    return added, Text(none, list_step.context) if none else Text(NONE_ADDED)


def _by_voice(answers: dict[str, Entry]) -> list[Entry]:
    return [answers[v] for v in ("client", "proxy") if v in answers]


class Views:
    def __init__(self, engine: Engine, prices: Prices | None = None) -> None:
        self.engine = engine
        self.dialogue = engine.dialogue
        self.calculator = Calculator(engine, prices)

    def step(self, state: State) -> StepView | None:
        step, item = self.engine.current(state)
        if step is None:
            return None
        list_step = self.dialogue.step(step.parent) if step.parent else None
        path = self.engine.path(state)  # once: facts and progress both need it
        facts = self.engine.facts(state, item, list_step, path, voice(state.respondent.role))
        if item is not None:
            own = item.answers.get(step.id)
            others: list[Entry] = []
        else:
            by_voice = state.answers.get(step.key, {})
            own = by_voice.get(voice(state.respondent.role))
            others = [e for v, e in by_voice.items() if v != voice(state.respondent.role)]
        choices = tuple(
            ChoiceView(c.value, label(c, step, facts), text(c.hint, step, facts), c.exclusive)
            for c in step.choices
        )
        items = self.items(state, step, path)
        return StepView(
            step=step,
            item_id=item.id if item else None,
            prompt=text(step.prompt, step, facts) or Text(step.prompt),
            hint=text(step.hint, step, facts),
            help=text(step.help, step, facts),
            text=text(step.text, step, facts),
            choices=choices,
            something_else=text(step.something_else, step, facts),
            unit=text(step.unit, step, facts),
            add_prompt=text(step.add_prompt, step, facts),
            entry=own,
            answer=shown(step, own, facts) if own is not None else None,
            other_answers=tuple(shown(step, e, facts) for e in others if e.status == "answered"),
            items=items,
            can_add=len(items) < step.max_items,
            progress=self.progress(state, step, path),
            is_first=bool(path) and path[0].key == step.key and step.parent is None,
            returning_to_review=state.return_to_review,
            respondent=state.respondent,
            figures=self.figures(state, step.show),
        )

    def figures(self, state: State, ids: tuple[str, ...]) -> tuple[FigureView, ...]:
        """The calculations named, worked out for this state. A total that is nothing (no
        support of its kind, nothing left out) is not said, and without a price list no
        estimate is (never a made-up price)."""
        if not ids:
            return ()
        found = self.calculator.figures(state)
        shown = []
        for calc_id in ids:
            figure = found.top[calc_id]
            if figure.calculation.is_estimate and self.calculator.prices is None:
                continue
            if figure.value or figure.missing:
                prices = self.calculator.prices if figure.calculation.is_estimate else None
                sources = tuple(prices.sources()) if prices is not None else ()
                shown.append(FigureView(figure, self._left_out(state, figure), sources))
        return tuple(shown)

    def _left_out(self, state: State, figure: Figure) -> tuple[tuple[Text, str], ...]:
        """The items a sum left out, by title, and why ("amount" or "price"), each once."""
        titles: dict[str, Text] = {}
        for list_step in (s for s in self.dialogue.steps if s.kind is Kind.LIST):
            titles.update((i.id, i.title) for i in self.items(state, list_step))
        seen: dict[tuple[str, str], tuple[Text, str]] = {}
        for gap in figure.missing:
            if gap.item_id in titles:
                seen.setdefault((gap.item_id, gap.reason), (titles[gap.item_id], gap.reason))
        return tuple(seen.values())

    def items(
        self, state: State, list_step: Step, path: list[Step] | None = None
    ) -> tuple[ItemView, ...]:
        """The items that count (those with an answer), numbered from 1."""
        items = state.list_items(list_step.key)
        return tuple(self._item(state, list_step, i, n, path) for n, i in enumerate(items, 1))

    def _item(
        self, state: State, list_step: Step, item: Item, number: int, path: list[Step] | None
    ) -> ItemView:
        facts = self.engine.facts(state, item, list_step, path)
        title = text(list_step.item_title, list_step, facts) or Text(list_step.prompt)
        parts = placeholder_parts(title.source)
        if any(name not in title.values and fallback is None for name, fallback in parts):
            # "Person 2": never a dash for an item whose name was not given.
            untitled = list_step.untitled_item
            context = list_step.context if untitled else None
            title = Text(untitled or UNTITLED_ITEM, context, {"number": Decimal(number)})
        rows = []
        for sub in (s for s in list_step.steps if s.key in facts.applies):
            entry = item.answers.get(sub.id)
            answers = (shown(sub, entry, facts),) if entry else ()
            rows.append(
                AnswerRow(
                    sub, text(sub.prompt, sub, facts) or Text(sub.prompt), answers, item_id=item.id
                )
            )
        return ItemView(item.id, title, tuple(rows), item.by)

    def progress(self, state: State, at: Step | None, path: list[Step] | None = None) -> Progress:
        path = self.engine.path(state) if path is None else path
        questions = [s for s in path if s.kind.is_question]
        top_key = (at.parent or at.key) if at else None
        number = next((i + 1 for i, s in enumerate(questions) if s.key == top_key), None)
        asked: dict[str, int] = {}  # per section: questions on the path, and those answered
        answered: dict[str, int] = {}
        for s in questions:
            asked[s.section] = asked.get(s.section, 0) + 1
            answered[s.section] = answered.get(s.section, 0) + (s.key in state.answers)
        sections = [
            SectionProgress(section, asked[section.id], answered[section.id])
            for section in self.dialogue.sections
            if section.id in asked
        ]
        current = self.dialogue.section(at.section if at else self.dialogue.steps[-1].section)
        return Progress(number, len(questions), current, tuple(sections))

    def rows(self, state: State) -> list[AnswerRow]:
        """Every question that applies, in dialogue order, with its answers ("check your answers")."""
        path = self.engine.path(state)
        facts = self.engine.facts(state, path=path)
        rows = []
        for step in path:
            if not step.kind.is_question:
                continue
            entries = _by_voice(state.answers.get(step.key, {}))
            items = self.items(state, step, path)
            question = text(step.prompt, step, facts) or Text(step.prompt)
            answers = tuple(shown(step, e, facts) for e in entries)
            rows.append(AnswerRow(step, question, answers, items))
        return rows
