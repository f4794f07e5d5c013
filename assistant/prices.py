"""A welfare region's price list, for estimates in the support plan sketch (`prices:` in the
region profile, OMA_REGION_FILE; see docs/deployment.md).

Only the reading of prices lives here: the region profile's loader hands `read_prices` the
parsed `prices:` mapping. Without a price list the assistant shows hours and times only and
never a made-up price. Every estimate says it is one: the welfare region decides the budget,
and the person does not pay it.

```yaml
prices:
  source: Pirkanmaa welfare region, service voucher price list
  set-on: 2026-01-01
  arrangements:
    personal-assistant-employer: {unit: hour, price: 24.80}
    day-activity: {unit: day, price: 98, source: Day activity price list, set-on: 2026-02-01}
    relative-or-volunteer: no-price
```

`no-price` says an arrangement has no price on purpose: its items get no estimate, as an
arrangement left out does, and `assistant check` does not ask for its price (DLG035).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

UNITS = ("hour", "day", "time", "month")
NO_PRICE = "no-price"  # an arrangement the region prices on purpose not at all


class PricesInvalid(ValueError):
    """The price list cannot be used; `problems` says every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Price:
    arrangement: str  # the value of the arrangement's choice in the dialogue
    unit: str  # hour | day | time | month
    amount: Decimal  # euros per unit
    source: str  # where the price comes from, named beside every estimate
    set_on: date  # when it was set


@dataclass(frozen=True)
class PriceList:
    prices: dict[str, Price]
    # Arrangements written `no-price`: no estimate, on purpose.
    unpriced: frozenset[str] = frozenset()

    def price(self, arrangement: str) -> tuple[str, Decimal] | None:
        found = self.prices.get(arrangement)
        return (found.unit, found.amount) if found else None

    def sources(self, arrangements: list[str] | None = None) -> list[tuple[str, date]]:
        """The sources and dates of the prices used (all, without a list), each once."""
        chosen = [self.prices[a] for a in arrangements or self.prices if a in self.prices]
        return sorted({(p.source, p.set_on) for p in chosen}, key=lambda s: (s[1], s[0]))


def read_prices(data: Any) -> PriceList:
    """The price list in a region profile's parsed `prices:` part; raises PricesInvalid."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PricesInvalid(["prices must be a mapping with source, set-on and arrangements"])
    unknown = set(data) - {"source", "set-on", "arrangements"}
    problems += [f"prices: unknown key '{k}'" for k in sorted(unknown)]
    arrangements = data.get("arrangements")
    if not isinstance(arrangements, dict) or not arrangements:
        raise PricesInvalid(
            [*problems, "prices: 'arrangements' must map each arrangement to a unit and a price"]
        )
    prices = {}
    unpriced = frozenset(str(name) for name, entry in arrangements.items() if entry == NO_PRICE)
    for name, entry in arrangements.items():
        if entry == NO_PRICE:
            continue
        price = _price(str(name), entry, data, problems)
        if price is not None:
            prices[price.arrangement] = price
    if problems:
        raise PricesInvalid(problems)
    return PriceList(prices, unpriced)


def _price(name: str, entry: Any, defaults: dict[str, Any], problems: list[str]) -> Price | None:
    where = f"prices: {name}"
    if not isinstance(entry, dict):
        problems.append(f"{where}: write {{unit: hour, price: 24.80}}, or {NO_PRICE}")
        return None
    unknown = set(entry) - {"unit", "price", "source", "set-on"}
    problems += [f"{where}: unknown key '{k}'" for k in sorted(unknown)]
    unit = entry.get("unit")
    if unit not in UNITS:
        problems.append(f"{where}: unit must be one of {', '.join(UNITS)}, not {unit!r}")
    try:
        raw = entry.get("price")
        if isinstance(raw, bool) or raw is None:
            raise InvalidOperation
        amount = Decimal(str(raw))
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"{where}: price must be euros, 0 or more, at most to the cent: 24.80")
        amount = Decimal(0)
    source = entry.get("source", defaults.get("source"))
    if not isinstance(source, str) or not source.strip():
        problems.append(f"{where}: name the price's source (source:, here or for all prices)")
    set_on = entry.get("set-on", defaults.get("set-on"))
    if not isinstance(set_on, date):
        problems.append(f"{where}: set-on must be the date the price was set, like 2026-01-01")
    if unit not in UNITS or not isinstance(source, str) or not isinstance(set_on, date):
        return None
    return Price(name, unit, amount, source.strip(), set_on)
