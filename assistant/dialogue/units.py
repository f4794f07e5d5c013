"""Units of calculated values: what a number counts, so `assistant check` can refuse a sum of
hours and minutes, or of hours a week and hours a month, before anyone is shown one.

A unit is written as a content designer says it: `hour`, `hour/week`, `time/month` (times a
month), `euro/month`, `hour/time` (hours each time). Each side is one base unit or `1`.
Multiplying multiplies units (`hour/time` × `time/week` = `hour/week`); adding needs the same
unit; `convert` changes between units of one kind, by exact factors:

- minute → hour: ÷ 60;
- week → month → year: a month is 52/12 weeks (a year has 52 weeks and 12 months), a year 12
  months.

`time` (one occurrence), `day` (a day of day activity, not 24 hours) and `euro` convert to
nothing. Arithmetic is in exact fractions: no rounding happens until a value is shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

# base unit -> (its kind, its size in that kind's unit of account)
BASE: dict[str, tuple[str, Fraction]] = {
    "minute": ("duration", Fraction(1, 60)),
    "hour": ("duration", Fraction(1)),
    "week": ("period", Fraction(12, 52)),
    "month": ("period", Fraction(1)),
    "year": ("period", Fraction(12)),
    "time": ("time", Fraction(1)),
    "day": ("day", Fraction(1)),
    "euro": ("euro", Fraction(1)),
}


class UnitSyntax(ValueError):
    pass


@dataclass(frozen=True)
class Unit:
    """Base units with their powers: hour/week is {hour: 1, week: -1}; a plain number is {}."""

    powers: tuple[tuple[str, int], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Unit:
        top, _, bottom = str(text).strip().partition("/")
        powers: Counter[str] = Counter()
        for word, sign in ((top.strip(), 1), (bottom.strip(), -1)):
            if word in ("", "1") and (sign == -1 or word == "1"):
                continue
            if word not in BASE:
                raise UnitSyntax(word)
            powers[word] += sign
        if not top.strip():
            raise UnitSyntax(text)
        return cls._of(powers)

    @classmethod
    def _of(cls, powers: Counter[str]) -> Unit:
        return cls(tuple(sorted((b, p) for b, p in powers.items() if p)))

    def __mul__(self, other: Unit) -> Unit:
        powers: Counter[str] = Counter(dict(self.powers))
        powers.update(dict(other.powers))
        return self._of(powers)

    def kinds(self) -> tuple[tuple[str, int], ...]:
        """What the unit measures, whatever its size: hour/week and minute/month alike."""
        kinds: Counter[str] = Counter()
        for base, power in self.powers:
            kinds[BASE[base][0]] += power
        return tuple(sorted((k, p) for k, p in kinds.items() if p))

    def size(self) -> Fraction:
        size = Fraction(1)
        for base, power in self.powers:
            size *= BASE[base][1] ** power
        return size

    def converts_to(self, other: Unit) -> bool:
        return self.kinds() == other.kinds()

    def factor_to(self, other: Unit) -> Fraction:
        """What a value in this unit is multiplied by to be in `other` (same kind)."""
        return self.size() / other.size()

    @property
    def is_money(self) -> bool:
        return any(base == "euro" and power > 0 for base, power in self.powers)

    def __str__(self) -> str:
        top = [b for b, p in self.powers for _ in range(max(p, 0))]
        bottom = [b for b, p in self.powers for _ in range(max(-p, 0))]
        text = "*".join(top) or "1"
        return f"{text}/{'*'.join(bottom)}" if bottom else text


NUMBER = Unit()
# UCUM units for FHIR valueQuantity: https://ucum.org/ucum ("{time}" is an annotation: a count)
UCUM: dict[str, str] = {
    "hour": "h",
    "minute": "min",
    "week": "wk",
    "month": "mo",
    "year": "a",
    "time": "{time}",
    "day": "{day}",
    "euro": "[EUR]",
}


def ucum(unit: Unit) -> str:
    top = [UCUM[b] for b, p in unit.powers for _ in range(max(p, 0))]
    bottom = [UCUM[b] for b, p in unit.powers for _ in range(max(-p, 0))]
    text = ".".join(top) or "1"
    return f"{text}/{'.'.join(bottom)}" if bottom else text
