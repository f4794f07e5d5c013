"""The draft's "Support plan sketch" part: an "add another" list as a table (its own questions
named in `table:`, then the calculations made for each item that have a `title:`), the totals,
the amounts left out of them and, where there is an estimate, the notice every estimate
carries with the prices' source and date (docs/dialogues.md, "Calculated values").

Built once, as a frozen value the Draft carries, so the HTML, DOCX, text, JSON and FHIR drafts
show the same cells. Each cell keeps its number (exact, as shown: euros to the cent, others to a
tenth) beside its words, for the formats that carry numbers as numbers. A dialogue with no
list with a `table:` has no such part. Without a price list there is no estimate column, no
estimate total and no notice: never a made-up price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assistant.dialogue.answers import clean_text
from assistant.dialogue.calc import Calculation, Figure, Figures
from assistant.dialogue.model import Dialogue, Kind, Step
from assistant.dialogue.state import State
from assistant.dialogue.texts import Text
from assistant.dialogue.views import Views
from assistant.i18n import N_, Translator
from assistant.i18n.answers import answer_text
from assistant.i18n.figures import ESTIMATE_NOTICE, LEFT_OUT, SOURCE, value_text

TITLE = N_("Support plan sketch")
NOT_KNOWN = N_("Not known")  # a value that could not be worked out: an amount not given
NO_PRICE = N_("No price")
NOT_ANSWERED = N_(
    "Not answered"
)  # a question of the table skipped, or not asked  # an estimate for an arrangement the price list has no price for


@dataclass(frozen=True)
class Column:
    id: str  # the list question's id, or the calculation's
    title: str
    calculated: bool  # a calculation's value (a number), not a question's answer
    unit: str | None = None  # "hour/week", "euro/month": a calculation's unit

    @property
    def money(self) -> bool:
        return self.unit is not None and self.unit.split("/")[0] == "euro"


@dataclass(frozen=True)
class Cell:
    text: str  # as it reads: "Home and housework", "13,8", "1 477,67 €", "Not known"
    value: Decimal | str | list[str] | None = None  # a number as shown, or the answer as stored


@dataclass(frozen=True)
class Row:
    item_id: str
    title: str  # the item's title, e.g. the arrangement chosen
    cells: tuple[Cell, ...]  # one for each column


@dataclass(frozen=True)
class Total:
    id: str
    title: str  # "Hours a week in all"
    text: str  # "26,2" or "2 371,02 €", or "Not known"
    value: Decimal | None
    unit: str

    @property
    def money(self) -> bool:
        return self.unit.split("/")[0] == "euro"


@dataclass(frozen=True)
class Gap:
    item_id: str
    title: str
    reason: str  # "amount" (how often or how long not known) | "price" (no price)


@dataclass(frozen=True)
class Sketch:
    title: str  # the part's heading
    caption: str  # the table's: the list's prompt ("The support I want")
    list_id: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: tuple[Total, ...]
    gaps: tuple[Gap, ...]  # each item a total left out, and why, once per reason
    missing: tuple[str, ...]  # the same in sentences: "Not counted, because …: Coaching."
    notice: str | None  # the estimate notice, when an estimate is shown
    price_sources: tuple[tuple[str, date], ...] = ()
    sources: tuple[str, ...] = ()  # "Prices: …, set on 1 January 2026."


def _plain(text: Text, t: Translator) -> str:
    return clean_text(t.plain_text(text))


def _shows(figure_unit: bool, priced: bool) -> bool:
    """An estimate is shown only where the region has a price list."""
    return priced or not figure_unit


def _title(calc: Calculation, t: Translator) -> str:
    """A calculation's heading (`title:`) in the draft's language (only those with one)."""
    return _plain(Text(calc.title or calc.id, calc.context), t)


def _cell(figure: Figure | None, t: Translator) -> Cell:
    if figure is None or figure.value is None:
        no_price = figure is not None and figure.reason == "price"
        return Cell(t.gettext(NO_PRICE) if no_price else t.gettext(NOT_KNOWN))
    return Cell(value_text(figure, t), figure.shown)


def build_sketch(dialogue: Dialogue, views: Views, state: State, t: Translator) -> Sketch | None:
    """The sketch of the first list with a `table:`, or None when the dialogue has none or
    nothing has been added to it."""
    list_step = next((s for s in dialogue.steps if s.kind is Kind.LIST and s.table), None)
    if list_step is None:
        return None
    items = views.items(state, list_step)
    if not items:
        return None
    priced = views.calculator.prices is not None
    figures = views.calculator.figures(state)
    per_item = [
        c
        for c in dialogue.calculations
        if c.for_each == list_step.key and c.title and _shows(c.is_estimate, priced)
    ]
    own = [_sub(list_step, step_id) for step_id in list_step.table]
    columns = [Column(s.id, _plain(Text(s.title or s.prompt, s.context), t), False) for s in own]
    columns += [Column(c.id, _title(c, t), True, str(c.unit)) for c in per_item]
    rows = []
    for item in items:
        by_step = {r.step.id: r for r in item.rows}
        cells = []
        for s in own:
            row = by_step.get(s.id)
            shown = row.answers[0] if row is not None and row.answers else None
            if shown is None or not answer_text(shown, t):
                cells.append(Cell(t.gettext(NOT_ANSWERED)))
            else:
                cells.append(Cell(clean_text(answer_text(shown, t)), shown.entry.value))
        cells += [_cell(figures.per_item[c.id].get(item.id), t) for c in per_item]
        rows.append(Row(item.id, _plain(item.title, t), tuple(cells)))
    return _finished(dialogue, views, state, t, list_step, figures, columns, rows, priced)


def _sub(list_step: Step, step_id: str) -> Step:
    return next(s for s in list_step.steps if s.id == step_id)


def _finished(
    dialogue: Dialogue,
    views: Views,
    state: State,
    t: Translator,
    list_step: Step,
    figures: Figures,
    columns: list[Column],
    rows: list[Row],
    priced: bool,
) -> Sketch:
    """The totals (the calculations over the whole conversation that have a `title:`), what
    they left out, and the estimate notice."""
    top = [
        c
        for c in dialogue.calculations
        if not c.for_each and c.title and _shows(c.is_estimate, priced)
    ]
    totals = []
    for calc in top:
        figure = figures.top[calc.id]
        cell = _cell(figure, t)
        totals.append(Total(calc.id, _title(calc, t), cell.text, figure.shown, str(calc.unit)))
    gaps: dict[tuple[str, str], Gap] = {}
    for view in views.figures(state, tuple(c.id for c in top)):
        for gap in view.figure.missing:
            named = next((r.title for r in rows if r.item_id == gap.item_id), None)
            if named is not None:
                gaps.setdefault((gap.item_id, gap.reason), Gap(gap.item_id, named, gap.reason))
    missing = []
    for reason in ("amount", "price"):
        titles = [g.title for g in gaps.values() if g.reason == reason]
        if titles:
            missing.append(t.gettext(LEFT_OUT[reason]) % {"items": t.format_list(titles)})
    estimate = priced and any(c.calculated and c.money for c in columns)
    prices = views.calculator.prices
    price_sources = tuple(prices.sources()) if estimate and prices is not None else ()
    return Sketch(
        title=t.gettext(TITLE),
        caption=_plain(Text(list_step.prompt, list_step.context), t),
        list_id=list_step.key,
        columns=tuple(columns),
        rows=tuple(rows),
        totals=tuple(totals),
        gaps=tuple(gaps.values()),
        missing=tuple(missing),
        notice=t.gettext(ESTIMATE_NOTICE) if estimate else None,
        price_sources=price_sources,
        sources=tuple(
            clean_text(t.gettext(SOURCE) % {"source": s, "date": t.format_date(d)})
            for s, d in price_sources
        ),
    )
