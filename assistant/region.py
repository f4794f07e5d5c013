"""The region profile: one small YAML file a welfare region writes (OMA_REGION_FILE).

It names the region, what the region calls the worker, and a sentence saying whom to contact,
each in the language variants the region wants:

    name:
      fi: Pirkanmaan hyvinvointialue
      sv: Välfärdsområdet Birkaland
    worker:
      fi: omatyöntekijä
    contact:
      fi: Kysy lisää vammaispalvelujen asiakasohjauksesta, puhelin 03 123 4567.

Dialogues show these through reserved placeholders, `{region.name|...}`, `{region.worker|...}`
and `{region.contact|...}`: the words after `|` are the generic wording, used without a profile
or when the profile has no text for the language. A plain variant (fi@selko) without its own
text uses its standard language's (fi). Each field is one entry of FIELDS: a later field (a
price list) is one more entry and its reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.dialogue.reader import did_you_mean
from assistant.dialogue.texts import REGION_PLACEHOLDERS
from assistant.dialogue.yamlnodes import Node, YamlProblem, read
from assistant.i18n.languages import all_locales
from assistant.prices import PriceList, PricesInvalid, read_prices

PREFIX = "region."


@dataclass(frozen=True)
class RegionProblem:
    path: str
    line: int
    column: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: region profile: {self.message}\n    hint: {self.hint}"


class RegionInvalid(ValueError):
    def __init__(self, problems: list[RegionProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Region:
    """A region's texts by field and language variant; empty: the generic wording everywhere.
    `prices`: its price list for the support plan sketch's estimates, if it has one."""

    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    prices: PriceList | None = None

    def values(self, locale: str) -> dict[str, str]:
        """The placeholder values for one catalog ("fi@selko" falls back to "fi")."""
        found = {}
        for name, by_locale in self.texts.items():
            text = by_locale.get(locale) or by_locale.get(locale.split("@")[0])
            if text:
                found[PREFIX + name] = text
        return found


Reader = Callable[[Node, Callable[[Node, str, str], None]], Any]


def _by_language(node: Node, problem: Callable[[Node, str, str], None]) -> dict[str, str] | None:
    locales = all_locales()
    if not node.is_mapping or not node.value:
        problem(
            node,
            "needs a text for each language",
            f"Write one line per language: {', '.join(locales)}.",
        )
        return None
    texts = {}
    for locale, value in node.value.items():
        if locale not in locales:
            hint = f"{did_you_mean(locale, list(locales))}Languages: {', '.join(locales)}."
            problem(value, f"'{locale}' is not a language of the assistant", hint)
        elif not isinstance(value.value, str) or not value.value.strip():
            problem(
                value,
                f"the text for {locale} is empty or not text",
                "Write the words, in quotes if they have a colon.",
            )
        elif "{" in value.value or "}" in value.value or "|" in value.value:
            problem(
                value,
                f"the text for {locale} has a brace or a |",
                "Write plain words: they go inside a sentence.",
            )
        else:
            texts[locale] = value.value.strip()
    return texts


def _prices(node: Node, problem: Callable[[Node, str, str], None]) -> PriceList | None:
    try:
        return read_prices(node.plain())
    except PricesInvalid as invalid:
        for message in invalid.problems:
            problem(node, message, "See the price list in docs/deployment.md.")
        return None


# Each field: what it is (for the docs and the hint), and its reader.
FIELDS: dict[str, tuple[str, Reader]] = {
    "name": ("the region's name, e.g. Pirkanmaan hyvinvointialue", _by_language),
    "worker": ("the worker's title, e.g. omatyöntekijä or palveluohjaaja", _by_language),
    "contact": ("a whole sentence: whom to ask, and how", _by_language),
    "prices": ("the price list for the support plan sketch's estimates", _prices),
}
# The fields a dialogue's texts can show (the price list is read, not shown).
PLACEHOLDERS = frozenset(PREFIX + name for name in ("name", "worker", "contact"))
assert PLACEHOLDERS == REGION_PLACEHOLDERS, "dialogue/texts.py names the same placeholders"


def check(path: Path) -> tuple[Region | None, list[RegionProblem]]:
    """The profile and every problem in it (the region is None when there is one)."""
    problems: list[RegionProblem] = []

    def problem(node: Node, message: str, hint: str) -> None:
        problems.append(RegionProblem(str(path), node.line, node.column, message, hint))

    try:
        root = read(path.read_text(encoding="utf-8"))
    except OSError as error:
        return None, [
            RegionProblem(
                str(path),
                1,
                1,
                f"cannot read the file ({error.strerror})",
                "Check OMA_REGION_FILE.",
            )
        ]
    except (YamlProblem, UnicodeDecodeError) as error:
        line, column = (error.line, error.column) if isinstance(error, YamlProblem) else (1, 1)
        return None, [
            RegionProblem(
                str(path), line, column, f"not YAML: {error}", "Check the indentation and quotes."
            )
        ]
    if root is None or not root.is_mapping:
        fields = ", ".join(FIELDS)
        return None, [
            RegionProblem(
                str(path),
                1,
                1,
                "the profile is empty or not a mapping",
                f"Write some of: {fields}.",
            )
        ]
    texts: dict[str, dict[str, str]] = {}
    prices: PriceList | None = None
    for key, node in root.value.items():
        if key not in FIELDS:
            hint = f"{did_you_mean(key, list(FIELDS))}A profile has: " + "; ".join(
                f"{k}: {what}" for k, (what, _) in FIELDS.items()
            )
            line, column = root.key_positions[key]
            problems.append(RegionProblem(str(path), line, column, f"unknown key '{key}'", hint))
            continue
        value = FIELDS[key][1](node, problem)
        if key == "prices":
            prices = value
        elif value:
            texts[key] = value
    return (None if problems else Region(texts, prices)), problems


def load(path: Path | None) -> Region:
    """The profile at `path`, or no profile (generic wording); raises RegionInvalid."""
    if path is None:
        return Region()
    region, problems = check(path)
    if region is None:
        raise RegionInvalid(problems)
    return region
