"""Calculated values worked out independently of the engine: rounding, missing amounts, a
region without prices, unit checks, and the totals page in words."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from assistant.dialogue.calc import Calculator
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import check_text, load
from assistant.dialogue.state import State
from assistant.dialogue.units import Unit
from assistant.dialogue.views import Views
from assistant.i18n import Translator
from assistant.i18n.figures import figure_lines
from assistant.prices import PricesInvalid, read_prices

ROOT = Path(__file__).resolve().parent.parent
DIALOGUE = load(ROOT / "dialogues" / "support-plan-sketch.yaml")
PRICES = {
    "source": "Example price list",
    "set-on": date(2026, 1, 1),
    "arrangements": {
        "personal-assistant-employer": {"unit": "hour", "price": 24.80},
        "day-activity": {"unit": "day", "price": 98},
        "aid": {"unit": "month", "price": 12.35},
    },
}


def _sketch(items: list[dict[str, str]]) -> State:
    """A conversation at the review with these items answered, built as the engine does."""
    engine = Engine(DIALOGUE)
    state = engine.start()
    state = engine.submit(state, "continue", {}).state
    for answers in items:
        state = engine.submit(state, "continue", {"add": ["yes"]}).state
        while state.item is not None:
            step, _ = engine.current(state)
            assert step is not None
            given = answers.get(step.id)
            action = "continue" if given else "skip"
            state = engine.submit(state, action, {"answer": [given]} if given else {}).state
    return engine.submit(state, "continue", {"add": ["no"]}).state


def _cents(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


ITEMS = [
    {
        "arrangement": "personal-assistant-employer",
        "period": "week",
        "times-a-week": "5",
        "hours-each": "2.75",
    },
    {"arrangement": "day-activity", "period": "month", "times-a-month": "9", "hours-each": "6"},
    {"arrangement": "coaching", "period": "week", "times-a-week": "1"},  # hours not known
    {"arrangement": "aid"},
]


def test_totals_match_a_hand_calculation_with_rounding_to_the_cent() -> None:
    figures = Calculator(Engine(DIALOGUE), read_prices(PRICES)).figures(_sketch(ITEMS))
    assistance = Fraction(5) * Fraction("2.75")  # 13.75 hours a week
    day_hours = Fraction(9) * Fraction(12, 52) * 6  # 9 times a month, in a week, × 6 hours
    assert figures.top["assistance-hours"].value == assistance
    assert figures.top["total-hours"].value == assistance + day_hours
    assert figures.top["total-hours"].shown == Decimal("26.2")  # 26.2115… to a tenth
    assistance_month = _cents(assistance * Fraction(52, 12) * Fraction("24.80"))
    days_month = _cents(Fraction(9) * 98)  # per day, 9 days a month: exactly 882
    aid_month = Decimal("12.35")  # per month, whatever the hours
    month = assistance_month + days_month + aid_month
    assert assistance_month == Decimal("1477.67")  # 1477.666… rounds up
    assert figures.top["estimate-month-total"].shown == month
    assert figures.top["estimate-year"].shown == month * 12
    missing = figures.top["total-hours"].missing
    assert [m.reason for m in missing] == ["amount", "amount"]  # coaching (hours), the aid


def test_missing_amounts_are_left_out_and_named() -> None:
    views = Views(Engine(DIALOGUE), read_prices(PRICES))
    state = _sketch(ITEMS)
    lines = figure_lines(views.figures(state, DIALOGUE.step("totals").show), _english())
    text = "\n".join(lines)
    assert (
        "Not counted, because how often or how long is not known: Coaching and An aid or a device."
        in text
    )
    assert "the price list has no price for: Coaching" in text
    assert "The welfare region decides the budget. You do not pay it." in text
    assert "Prices: Example price list, set on 1 January 2026." in text


def test_a_region_without_prices_shows_hours_and_never_a_price() -> None:
    views = Views(Engine(DIALOGUE))  # no price list
    state = _sketch(ITEMS)
    figures = views.calculator.figures(state)
    assert figures.top["estimate-month-total"].value is None
    lines = figure_lines(views.figures(state, DIALOGUE.step("totals").show), _english())
    text = "\n".join(lines)
    assert "About 13.8 hours a week of personal assistance." in text
    assert "€" not in text and "estimate" not in text.lower()


def _english() -> Translator:
    import gettext

    return Translator("en", gettext.NullTranslations())


@pytest.mark.parametrize(
    ("babel", "expected"),
    [("fi", "1\xa0234,50\xa0€"), ("sv", "1\xa0234,50\xa0€"), ("en", "€1,234.50")],
)
def test_money_in_each_locale(babel: str, expected: str) -> None:
    import gettext

    assert Translator(babel, gettext.NullTranslations()).format_money(Decimal("1234.5")) == expected


def test_units_convert_by_exact_factors() -> None:
    week, month = Unit.parse("hour/week"), Unit.parse("hour/month")
    assert week.factor_to(month) == Fraction(52, 12)
    assert Unit.parse("minute").factor_to(Unit.parse("hour")) == Fraction(1, 60)
    assert Unit.parse("euro/month").factor_to(Unit.parse("euro/year")) == 12
    assert not Unit.parse("hour/week").converts_to(Unit.parse("time/week"))
    assert Unit.parse("hour/time") * Unit.parse("time/week") == week


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("{plus: [hours, minutes]}", "DLG033"),  # minutes + hours without conversion
        ("{plus: [hours, {convert: minutes, to: hour/time}]}", None),
        ("{times: [name, hours]}", "DLG033"),  # a sum over text
        ("{times: [hours, nowhere]}", "DLG032"),  # an unknown step
        ("{convert: hours, to: euro}", "DLG033"),
        ("{divide: [hours, 2]}", "DLG031"),
    ],
)
def test_the_checker_refuses_what_cannot_be_added(value: str, code: str | None) -> None:
    text = (
        "title: T\nsections:\n  - {id: me, title: Me}\nsteps:\n"
        "  - {id: name, kind: short-text, section: me, prompt: Name}\n"
        "  - {id: hours, kind: number, measure: hour/time, prompt: Hours}\n"
        "  - {id: minutes, kind: number, measure: minute/time, prompt: Minutes}\n"
        f"calculations:\n  - id: each\n    unit: hour/time\n    value: {value}\n"
    )
    _, problems = check_text(text, "calc-example")
    assert [p.code for p in problems] == ([code] if code else [])
    if code:
        assert problems[0].line == 11


@pytest.mark.parametrize(
    "prices",
    [
        {"arrangements": {"aid": {"unit": "week", "price": 1}}},
        {
            "source": "x",
            "set-on": date(2026, 1, 1),
            "arrangements": {"aid": {"unit": "hour", "price": "lots"}},
        },
        {
            "source": "x",
            "set-on": date(2026, 1, 1),
            "arrangements": {"aid": {"unit": "hour", "price": 1.234}},
        },
        {"source": "x", "arrangements": {"aid": {"unit": "hour", "price": 1}}},
    ],
)
def test_a_price_list_that_cannot_be_used_is_refused(prices: dict[str, object]) -> None:
    with pytest.raises(PricesInvalid):
        read_prices(prices)


def test_the_deployment_guide_s_example_price_list_reads() -> None:
    import re

    import yaml

    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", guide, re.S) if "prices:" in b)
    prices = read_prices(yaml.safe_load(block)["prices"])
    choices = DIALOGUE.step("supports.arrangement").values()
    assert set(prices.prices) <= set(choices)
    assert prices.price("short-term-care") == ("day", Decimal("240.00"))
