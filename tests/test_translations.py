"""Every word exists in every language variant: no message untranslated, fuzzy or with the
wrong placeholders; the catalogs are up to date with the code; plain variants follow the
plain-language rules; dates and numbers are formatted for the locale."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from assistant.i18n import LOCALES, Catalogs
from assistant.i18n.catalogs import extract
from assistant.i18n.languages import TABLE
from assistant.settings import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "locales"
DIALOGUES = PROJECT_ROOT / "dialogues"
# English is the source language: its catalog may leave a message empty to mean "as written".
TRANSLATED = [locale for locale in LOCALES if locale != "en"]
PLAIN = [entry.plain for entry in TABLE]
# {step}, {step|words} (the words are translated: only that they are there must match), %(name)s.
PLACEHOLDER = re.compile(r"\{[\w.-]+(?:\|[^{}]*)?\}|%\([\w]+\)[sd]|%[sd]")


def placeholders(text: str) -> list[str]:
    return sorted(re.sub(r"\|[^{}]*\}", "|}", found) for found in PLACEHOLDER.findall(text))


def catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


def messages(locale: str) -> list[tuple[str | None, str, str]]:
    """(context, id, translation) of every message, plural forms flattened."""
    found = []
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, text in enumerate(strings):
            found.append((message.context, ids[min(index, len(ids) - 1)], text))
    return found


def test_catalogs_are_up_to_date_with_the_code() -> None:
    current = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in extract(DIALOGUES) if m.id
    }
    for locale in LOCALES:
        known = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog(locale) if m.id
        }
        missing = current - known
        assert not missing, (
            f"{locale}: run `make update-catalogs` and translate: {sorted(missing, key=str)[:5]}"
        )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated_and_none_fuzzy(locale: str) -> None:
    untranslated = [(c, i) for c, i, text in messages(locale) if not text]
    fuzzy = [m.id for m in catalog(locale) if m.id and m.fuzzy]
    assert untranslated == [], (
        f"{locale}: {len(untranslated)} untranslated, e.g. {untranslated[:3]}"
    )
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_identical(locale: str) -> None:
    wrong = [
        (i, text)
        for _c, i, text in messages(locale)
        if text and placeholders(i) != placeholders(text)
    ]
    assert wrong == [], f"{locale}: {wrong[:3]}"


# Plain language (Selkokeskus): short sentences, common words, one thing per sentence, no
# passive, no abbreviations. These limits are what a test can check; an editor checks the rest.
SENTENCE_WORDS = {"fi@selko": 15, "sv@lattlast": 18, "en@easy": 18}
LONGEST_WORD = {"fi@selko": 25, "sv@lattlast": 22, "en@easy": 18}
PASSIVE = {
    "fi@selko": re.compile(
        r"\b\w+(?:taan|tään|daan|dään|ttiin|ttiin|tiin|diin|ttaisiin|ttäisiin)\b", re.I
    ),
    "sv@lattlast": re.compile(
        r"\b(?:görs|ges|sparas|skickas|kallas|raderas|visas|används|behandlas|blir\s+\w+(?:ad|at|en|et))\b",
        re.I,
    ),
    "en@easy": re.compile(
        r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b", re.I
    ),
}
ABBREVIATIONS = re.compile(
    r"\b(?:esim|t\.ex|jne|yms|ns|mm|ym|ca|e\.g|i\.e|etc|ym|vrt|bl\.a|dvs|osv|s\.k)\b\.?", re.I
)
# Words that match a pattern without being what it catches (checked by hand).
ALLOWED = {
    "fi@selko": {
        "enintään",
        "uudestaan",
        "mitään",
        "ketään",
        "vastaan",
        "muistiin",
        "kotiin",
        "kenellekään",
        "mihinkään",
        "kumpaakaan",
    },
    "sv@lattlast": set(),
    "en@easy": {
        "need",
        "seen",
        "been",
        "children",
        "open",
        "given",
        "often",
        "garden",
        "listen",
        "between",
    },
}


def sentences(text: str) -> list[str]:
    text = PLACEHOLDER.sub("X", text)
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if s.strip()]


@pytest.mark.parametrize("locale", PLAIN)
def test_plain_language_rules(locale: str) -> None:
    problems = []
    for _c, _i, text in messages(locale):
        if not text:
            continue
        for sentence in sentences(text):
            words = re.findall(r"[\w'-]+", sentence)
            if len(words) > SENTENCE_WORDS[locale]:
                problems.append(f"long sentence ({len(words)} words): {sentence}")
            long_words = [w for w in words if len(w) > LONGEST_WORD[locale] and w != "X"]
            if long_words:
                problems.append(f"long word {long_words}: {sentence}")
        for match in PASSIVE[locale].finditer(text):
            if not set(match.group(0).lower().split()) & ALLOWED[locale]:
                problems.append(f"passive? '{match.group(0)}' in: {text}")
        if ABBREVIATIONS.search(text):
            problems.append(f"abbreviation: {text}")
    assert problems == [], f"{locale}: {len(problems)} problems, e.g.\n" + "\n".join(problems[:12])


# Terms a plain variant may use only where it also explains them once: (the term, the
# explanation some message of the variant gives). None: never use it, say it in plain words.
TERMS: dict[str, list[tuple[str, str | None]]] = {
    "fi@selko": [
        (r"\bluonno(?:s|ksen|ksesi|kseen|ksella|ksesta)\b", r"\bLuonnos on\b"),
        (r"\bomatyöntekijä\w*", r"\bnimike on\b"),
        (r"\beväst\w*", r"\bEväste on\b"),
        (r"\bkirjoitustul\w*", r"\bkirjoittaa, mitä\b"),
        (r"\bedunvalvoja\w*", r"\bEdunvalvoja on\b"),
        (r"\bhenkilökohtai\w+ budjetoin\w*", r"\bHenkilökohtainen budjetointi on\b"),
        (r"\besteet\w*", None),
    ],
    "sv@lattlast": [
        (r"\butkast\w*", r"\bEtt utkast är\b"),
        (r"\bkontaktperson\w*", r"\bKontaktpersonen är\b"),
        (r"\bkak(?:a|an|or|orna)\b", r"\bKakor är\b"),
        (r"\bskrivtolk\w*", r"\bskriver ner vad\b"),
        (r"\bintressebevakar\w*", r"\bEn intressebevakare är\b"),
        (r"\bpersonlig budgetering\b", r"\bPersonlig budgetering är\b"),
        (r"\btillgänglig\w*", None),
    ],
    "en@easy": [
        (r"\bdrafts?\b", r"\bA draft is\b"),
        (r"\bworker\b", r"\bYour worker is\b"),
        (r"\bcookies?\b", r"\bA cookie is\b"),
        (r"\bspeech-to-text\b", r"\bwrites down what\b"),
        (r"\bguardian\b", r"\bA guardian is\b"),
        (r"\bpersonal budgeting\b", r"\bPersonal budgeting is\b"),
        (r"\baccessib\w*", None),
    ],
}
# One voice: each plain variant speaks of the service one way ("Palvelu poistaa…",
# "Tjänsten sparar…", "We keep…"), never in the other.
OTHER_VOICE = {
    "fi@selko": re.compile(r"\b(?:me|meidän|meille|meiltä|meitä|emme|\w+mme)\b", re.I),
    "sv@lattlast": re.compile(r"\b(?:vi|oss|vår|vårt|våra)\b", re.I),
    "en@easy": re.compile(r"\b(?:the|this) service (?:\w+s|has|is)\b", re.I),
}
# One term: the interface calls the client one thing (in dialogue texts, "this person" may be
# someone in the client's team).
OTHER_TERM = {
    "fi@selko": re.compile(r"\bhenkilö(?:n|ä|llä)?\b", re.I),
    "sv@lattlast": re.compile(r"\bperson(?:en|ens)\b", re.I),
    "en@easy": re.compile(r"\bthe person(?:'s)?\b", re.I),
}


@pytest.mark.parametrize("locale", PLAIN)
def test_plain_terms_are_explained_and_voice_is_one(locale: str) -> None:
    found = messages(locale)
    problems = []
    for term, explanation in TERMS[locale]:
        using = [text for _c, _i, text in found if re.search(term, text, re.I)]
        if using and explanation is None:
            problems.append(f"'{term}' is not plain: say it in plain words, e.g. in: {using[0]}")
        elif using and not any(re.search(explanation, text) for _c, _i, text in found):
            problems.append(f"'{term}' is never explained ('{explanation}'), e.g. in: {using[0]}")
    for context, _i, text in found:
        if match := OTHER_VOICE[locale].search(text):
            problems.append(f"another voice '{match.group(0)}' in: {text}")
        if context is None and (match := OTHER_TERM[locale].search(text)):
            problems.append(f"another word for the client '{match.group(0)}' in: {text}")
    assert problems == [], f"{locale}: {len(problems)} problems:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize(
    ("locale", "long_date", "number"),
    [
        ("fi", "1. maaliskuuta 2027", "1\xa0234,5"),
        ("sv", "1 mars 2027", "1\xa0234,5"),
        ("en", "1 March 2027", "1,234.5"),
    ],
)
def test_dates_and_numbers_are_formatted_for_the_locale(
    locale: str, long_date: str, number: str
) -> None:
    translator = Catalogs(LOCALES_DIR).translator(locale)
    assert translator.format_date(date(2027, 3, 1)) == long_date
    assert translator.format_number(Decimal("1234.5")) == number


def test_plain_variants_fall_back_to_the_standard_language(tmp_path: Path) -> None:
    from babel.messages.mofile import write_mo

    for locale, text in (("fi", "Jatka"), ("fi@selko", None)):
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        cat = Catalog(locale=locale)
        if text:
            cat.add("Continue", text)
        with (folder / "messages.mo").open("wb") as file:
            write_mo(file, cat)
    catalogs = Catalogs(tmp_path)
    assert catalogs.translator("fi@selko").gettext("Continue") == "Jatka"
    assert catalogs.translator("sv").gettext("Continue") == "Continue"
