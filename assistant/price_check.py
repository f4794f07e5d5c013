"""`assistant check` compares the region profile's price list (OMA_REGION_FILE) with what the
dialogues price: the choices of each `estimate`'s `arrangement:` question.

- a price whose key is no such choice is never used (a misspelt key): error DLG034, at the
  key's line in the region profile;
- such a choice without a price gets no estimate: warning DLG035, at the price list's
  `arrangements:` line (where the price goes), naming the choice's question and line. An
  arrangement written `no-price` has none on purpose and is not reported.

Only dialogues that price something are compared: checking a dialogue without estimates with a
region profile reports nothing here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.dialogue import rules
from assistant.dialogue.calc import Convert, Estimate, Expr, First, Plus, Times
from assistant.dialogue.errors import Problem
from assistant.dialogue.model import Dialogue
from assistant.dialogue.reader import did_you_mean
from assistant.dialogue.yamlnodes import Node, YamlProblem, read
from assistant.prices import PriceList


@dataclass(frozen=True)
class Priced:
    """A choice an estimate prices: where its question is."""

    value: str
    question: str  # supports.arrangement
    path: Path
    line: int


def priced_choices(dialogue: Dialogue, path: Path) -> Iterator[Priced]:
    """Every choice of every `estimate`'s arrangement question, in the file's order."""
    seen: set[str] = set()
    for calculation in dialogue.calculations:
        for estimate in _estimates(calculation.value):
            if estimate.arrangement in seen:
                continue
            seen.add(estimate.arrangement)
            step = dialogue.step(estimate.arrangement)
            for choice in step.choices:
                yield Priced(choice.value, step.key, path, step.line)


def _estimates(expr: Expr) -> Iterator[Estimate]:
    if isinstance(expr, Estimate):
        yield expr
    elif isinstance(expr, Times | Plus | First):
        for part in expr.parts:
            yield from _estimates(part)
    elif isinstance(expr, Convert):
        yield from _estimates(expr.value)


def check_prices(
    region_path: Path, prices: PriceList | None, dialogues: Sequence[tuple[Path, Dialogue]]
) -> list[Problem]:
    """The price list's problems against the dialogues (none without a price list)."""
    priced: dict[str, Priced] = {}
    for path, dialogue in dialogues:
        for choice in priced_choices(dialogue, path):
            priced.setdefault(choice.value, choice)
    found = _arrangements(region_path)
    if prices is None or not priced or found is None:
        return []
    arrangements, (where_line, where_column) = found
    problems = []
    names = list(priced)
    for key, (line, column) in arrangements.key_positions.items():
        if key in priced:
            continue
        questions = sorted({f"{c.question} ({c.path}:{c.line})" for c in priced.values()})
        problems.append(
            Problem(
                str(region_path),
                line,
                column,
                rules.PRICE_LIST_UNKNOWN_ARRANGEMENT,
                f"the price list has a price for '{key}', but no dialogue has an arrangement "
                "of that name, so it is never used",
                f"{did_you_mean(key, names)}Write the value of a choice of "
                f"{', '.join(questions)}: {', '.join(names)}.",
            )
        )
    for value, choice in priced.items():
        if value in arrangements.key_positions:
            continue
        problems.append(
            Problem(
                str(region_path),
                where_line,
                where_column,
                rules.PRICE_LIST_MISSING_ARRANGEMENT,
                f"no price for '{value}', a choice of {choice.question} "
                f"({choice.path}:{choice.line}): its items get no estimate",
                f"Add `{value}: {{unit: hour, price: 24.80}}` under arrangements: (unit hour, "
                f"day, time or month), or `{value}: no-price` when it has no price on purpose.",
            )
        )
    return problems


def _arrangements(region_path: Path) -> tuple[Node, tuple[int, int]] | None:
    """The `prices: arrangements:` mapping of the profile, with its keys' lines, and where the
    key `arrangements` is."""
    try:
        root = read(region_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem):
        return None
    prices = root.value.get("prices") if root is not None and root.is_mapping else None
    if prices is None or not prices.is_mapping:
        return None
    found = prices.value.get("arrangements")
    if found is None or not found.is_mapping:
        return None
    return found, prices.key_positions["arrangements"]
