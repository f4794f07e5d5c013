"""Calculated values (`calculations:` in a dialogue): sums and products over number answers and
over the items of an "add another" list, with units, in exact arithmetic. Parsed into a tree at
load time (assistant/dialogue/calc_reader.py) and evaluated here; never `eval`.

Pure: answers come from the engine's Facts, prices from a PriceList handed in. A value that
cannot be worked out (an amount skipped or "I don't know", or no price for an arrangement) is
never guessed: it is None, and a sum over a list leaves that item out and says which it was.
Euros are rounded to the cent where they are calculated (half up), so a table of estimates
adds up to its total; other values stay exact until they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from assistant.dialogue.units import Unit

if TYPE_CHECKING:
    from assistant.dialogue.conditions import Condition
    from assistant.dialogue.engine import Engine, Facts
    from assistant.dialogue.model import Dialogue
    from assistant.dialogue.state import State

CENT = Decimal("0.01")


class Prices(Protocol):
    """What a calculation needs of a region's price list (assistant/prices.py)."""

    def price(self, arrangement: str) -> tuple[str, Decimal] | None:
        """(unit: hour, day, time or month; euros) for an arrangement, or None."""
        ...

    def sources(self) -> list[tuple[str, date]]:
        """Where the prices come from and when each was set, each once."""
        ...


# -- expressions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A number question's answer (`hours-each`, `supports.hours-each`) in its `measure`."""

    key: str


@dataclass(frozen=True)
class Value:
    """Another calculation's value, by its id."""

    id: str


@dataclass(frozen=True)
class Constant:
    value: Fraction
    unit: Unit


@dataclass(frozen=True)
class Times:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Plus:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class First:
    """The first of its parts that has a value (e.g. times a week, else times a month)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Convert:
    value: Expr
    unit: Unit


@dataclass(frozen=True)
class Sum:
    """A per-item calculation added up over its list's items (those `where` holds for)."""

    of: str
    where: Condition | None = None


@dataclass(frozen=True)
class Estimate:
    """Euros a month for one item: the price of its arrangement (a choice answer) times the
    hours a month (price per hour) or the times a month (per day or per time), or the price
    (per month)."""

    arrangement: str
    hours: Expr
    times: Expr


Expr = Answer | Value | Constant | Times | Plus | First | Convert | Sum | Estimate
MONEY_PER_MONTH = Unit.parse("euro/month")
HOURS_PER_MONTH = Unit.parse("hour/month")
TIMES_PER_MONTH = Unit.parse("time/month")


@dataclass(frozen=True)
class Calculation:
    id: str
    value: Expr
    unit: Unit
    line: int = 0
    column: int = 0
    for_each: str | None = None  # a list's key: one value for each of its items
    # "About {value} hours a week of personal assistance.": the value in words, where shown.
    says: str | None = None
    # The column or row heading in the draft's table ("Hours a week").
    title: str | None = None
    context: str = ""  # msgctxt "support-plan-sketch:calc:hours-a-week"
    # "About {value} hours a week.", where `says` is "About {value} hour a week.": the form for
    # several, each language choosing by the value (`says: [one, several]`), or None.
    says_plural: str | None = None

    @property
    def is_estimate(self) -> bool:
        return self.unit.is_money


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    item_id: str
    reason: str  # "amount" (skipped or unknown) | "price" (no price for its arrangement)


@dataclass(frozen=True)
class Figure:
    """A calculation's value, exact (euros already to the cent), and the items a sum left out."""

    calculation: Calculation
    value: Fraction | None
    missing: tuple[Missing, ...] = ()
    reason: str | None = None  # why value is None

    @property
    def shown(self) -> Decimal | None:
        """The value as people see it: euros to the cent, others to a tenth (14, 2.5)."""
        return None if self.value is None else rounded(self.value, self.calculation.unit)


def rounded(value: Fraction, unit: Unit) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    if unit.is_money:
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)
    tenth = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return tenth.quantize(Decimal(1)) if tenth == tenth.to_integral_value() else tenth


@dataclass(frozen=True)
class Figures:
    top: Mapping[str, Figure]  # calculation id -> its value
    per_item: Mapping[str, Mapping[str, Figure]]  # per-item calculation id -> item id -> value

    def figure(self, calc_id: str) -> Figure | None:
        return self.top.get(calc_id)


class _Missing(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


class Calculator:
    """Works out a dialogue's calculations for a state, with a region's prices (or none)."""

    def __init__(self, engine: Engine, prices: Prices | None = None) -> None:
        self.engine = engine
        self.dialogue = engine.dialogue
        self.prices = prices

    def figures(self, state: State) -> Figures:
        calculations = self.dialogue.calculations
        if not calculations:
            return Figures({}, {})
        path = self.engine.path(state)
        facts = self.engine.facts(state, path=path)
        per_item: dict[str, dict[str, Figure]] = {}
        top: dict[str, Figure] = {}
        for calc in calculations:
            if calc.for_each:
                list_step = self.dialogue.step(calc.for_each)
                values = {}
                for item in state.list_items(calc.for_each) if facts.answer(calc.for_each) else []:
                    item_facts = self.engine.facts(state, item, list_step, path)
                    values[item.id] = self._figure(calc, item_facts, top, per_item, item.id)
                per_item[calc.id] = values
            else:
                top[calc.id] = self._figure(calc, facts, top, per_item)
        return Figures(top, per_item)

    def _figure(
        self,
        calc: Calculation,
        facts: Facts,
        top: Mapping[str, Figure],
        per_item: Mapping[str, Mapping[str, Figure]],
        item_id: str | None = None,
    ) -> Figure:
        missing: list[Missing] = []
        # Inside a list item, the calculations made for each item are this item's values.
        known = dict(top)
        if item_id is not None:
            known.update((k, v[item_id]) for k, v in per_item.items() if item_id in v)
        try:
            value = self._value(calc.value, calc.unit, facts, known, per_item, missing)
        except _Missing as gap:
            return Figure(calc, None, tuple(missing), gap.reason)
        if calc.unit.is_money:
            value = Fraction(rounded(value, calc.unit))
        return Figure(calc, value, tuple(missing))

    def _value(
        self,
        expr: Expr,
        unit: Unit,
        facts: Facts,
        top: Mapping[str, Figure],
        per_item: Mapping[str, Mapping[str, Figure]],
        missing: list[Missing],
    ) -> Fraction:
        """The value of `expr` in `unit` (the checker has made sure it converts)."""

        def value(e: Expr, u: Unit) -> Fraction:
            return self._value(e, u, facts, top, per_item, missing)

        own = self.unit_of(expr)
        factor = own.factor_to(unit) if own.converts_to(unit) else Fraction(1)
        match expr:
            case Constant():
                return expr.value * factor
            case Answer():
                answer = facts.answer(expr.key)
                if not isinstance(answer, str):
                    raise _Missing("amount")
                return Fraction(Decimal(answer)) * factor
            case Value():
                figure = top.get(expr.id)
                if figure is None or figure.value is None:
                    raise _Missing(figure.reason if figure and figure.reason else "amount")
                missing.extend(figure.missing)
                return figure.value * factor
            case Times():
                product = Fraction(1)
                for part in expr.parts:
                    product *= value(part, self.unit_of(part))
                return product * factor
            case Plus():
                return sum((value(p, own) for p in expr.parts), Fraction(0)) * factor
            case First():
                for part in expr.parts:
                    try:
                        return value(part, unit)
                    except _Missing:
                        continue
                raise _Missing("amount")
            case Convert():
                return value(expr.value, expr.unit) * factor
            case Sum():
                total, counted = Fraction(0), 0
                list_step = self.dialogue.step(self.dialogue.calculation(expr.of).for_each or "")
                for item_id, figure in per_item.get(expr.of, {}).items():
                    if expr.where is not None:
                        item = facts.state.find_item(list_step.key, item_id)
                        item_facts = self.engine.facts(facts.state, item, list_step)
                        if not expr.where.holds(item_facts):
                            continue
                    if figure.value is None:
                        missing.append(Missing(item_id, figure.reason or "amount"))
                    else:
                        total += figure.value
                        counted += 1
                if missing and not counted:
                    raise _Missing("amount")  # nothing to add up: not known, rather than 0
                return total * factor
            case Estimate():
                return self._estimate(expr, facts, value) * factor
        raise AssertionError(expr)

    def _estimate(self, expr: Estimate, facts: Facts, value: _ValueOf) -> Fraction:
        answer = facts.answer(expr.arrangement)
        chosen = sorted(answer) if isinstance(answer, frozenset) else []
        found = self.prices.price(chosen[0]) if self.prices is not None and chosen else None
        if found is None:
            raise _Missing("price")
        per, price = found
        if per == "month":
            return Fraction(price)
        if per == "hour":
            return Fraction(price) * value(expr.hours, HOURS_PER_MONTH)
        return Fraction(price) * value(expr.times, TIMES_PER_MONTH)

    def unit_of(self, expr: Expr) -> Unit:
        return unit_of(self.dialogue, expr)


class _ValueOf(Protocol):
    def __call__(self, e: Expr, u: Unit, /) -> Fraction: ...


def unit_of(dialogue: Dialogue, expr: Expr) -> Unit:
    """The unit an expression's value is in (the checker has made sure it is consistent)."""
    from assistant.dialogue.units import NUMBER

    match expr:
        case Constant():
            return expr.unit
        case Answer():
            return dialogue.by_key[expr.key].measure or NUMBER
        case Value():
            return dialogue.calculation(expr.id).unit
        case Times():
            product = NUMBER
            for part in expr.parts:
                product = product * unit_of(dialogue, part)
            return product
        case Plus() | First():
            return unit_of(dialogue, expr.parts[0])
        case Convert():
            return expr.unit
        case Sum():
            return dialogue.calculation(expr.of).unit
        case Estimate():
            return MONEY_PER_MONTH
    raise AssertionError(expr)
