"""Texts with placeholders: "What does {team.name|this person} help you with?".

The engine hands renderers a `Text`: the English source, its translation context, and the
values for its placeholders. A renderer translates the source first and then fills in the
values, escaping them, so a person's words are never translated and never markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# {step} or {list.step}, optionally with words for when the answer is missing: {team.name|this person}
PLACEHOLDER = re.compile(
    r"\{([a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)?)(?:\|([^{}|]*[^{}|\s][^{}|]*))?\}"
)
MISSING = "—"
# Placeholders no step fills: the region profile's texts (assistant/region.py), or the words
# after | without one. A dialogue does not name a list `region`.
REGION_PLACEHOLDERS = frozenset({"region.name", "region.worker", "region.contact"})


class PlaceholderSyntax(ValueError):
    pass


def placeholder_parts(source: str) -> list[tuple[str, str | None]]:
    """(name, fallback words or None) of each placeholder; raises PlaceholderSyntax on a stray
    brace or an empty fallback."""
    parts = [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(source)]
    rest = PLACEHOLDER.sub("", source)
    if "{" in rest or "}" in rest:
        raise PlaceholderSyntax(rest)
    return parts


def placeholders(source: str) -> list[str]:
    """The placeholder names in a text; raises PlaceholderSyntax on a stray brace."""
    return [name for name, _ in placeholder_parts(source)]


@dataclass(frozen=True)
class Text:
    source: str
    # msgctxt: the step's key for dialogue texts; None for interface texts (Yes / No / Not sure).
    context: str | None = None
    # Placeholder name -> the person's own words (str), a choice label still to translate (Text),
    # or a date or number to format for the language.
    values: Mapping[str, str | Text | date | Decimal] = field(default_factory=dict)
    # A text with a plural form ("You have added {count} items."): `source` is the singular,
    # and the language's rules choose the form for `count`.
    plural: str | None = None
    count: int = 1


def substitute(template: str, values: Mapping[str, str]) -> str:
    """Replace each {name} with its value; a missing one with its fallback words, else a dash
    (never braces)."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value is not None else (match.group(2) or MISSING).strip()

    return PLACEHOLDER.sub(fill, template)


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular and plural pair for extraction as one plural message."""
    return singular, plural
