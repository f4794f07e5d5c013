"""Every language the assistant speaks, and all that differs between them, in one table.

Adding a language is one entry here plus its two catalogs (locales/<code>/ and
locales/<plain>/; see docs/translations.md). The header, the settings page, the draft's
language menu, `talk --language`, OMA_DEFAULT_LANGUAGE, Accept-Language, Babel's formats,
the DOCX document language and the speech voice all read this table; tests/test_languages.py
checks each entry is whole (catalogs, Babel locale, BCP 47 tag, voice).

Kept free of heavy imports: the speech worker reads its voices from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # "fi": the standard variant's catalog, `lang` attributes, ?lang=, prefs
    plain: str  # "fi@selko": the plain-language variant's catalog
    babel: str  # "fi_FI": dates, numbers and lists as written where our users live
    tag: str  # "fi-FI": BCP 47, where a document names its language (DOCX)
    name: str  # "Suomi": named in itself, in the settings and the draft's language menu
    switch: str  # "Suomeksi": the header's link to it, in itself ("In English")
    voice: str  # "urj/fi": the espeak-ng voice; the plain variant uses it too, slower
    date_format: str = "long"  # Babel's format name or pattern: "1. maaliskuuta 2027"
    plain_name: str = ""  # "Selkosuomi": the plain variant named in itself (the draft's menu)

    @property
    def locales(self) -> tuple[str, str]:
        return (self.code, self.plain)


# The first is the fallback: for a browser that asks for none of them, and an unknown code.
TABLE: tuple[Language, ...] = (
    Language(
        "fi", "fi@selko", "fi_FI", "fi-FI", "Suomi", "Suomeksi", "urj/fi", plain_name="Selkosuomi"
    ),
    # Swedish as written in Finland.
    Language(
        "sv",
        "sv@lattlast",
        "sv_FI",
        "sv-FI",
        "Svenska",
        "På svenska",
        "gmq/sv",
        plain_name="Lättläst svenska",
    ),
    # British English, the source language of every text.
    Language(
        "en",
        "en@easy",
        "en_GB",
        "en-GB",
        "English",
        "In English",
        "gmw/en",
        plain_name="Easy English",
    ),
)


def languages() -> tuple[Language, ...]:
    """The table, read when asked (not copied at import), so a test can add a language."""
    return TABLE


def codes() -> tuple[str, ...]:
    return tuple(language.code for language in languages())


def named_locales() -> tuple[tuple[str, str, str], ...]:
    """(catalog, its name in itself, its language code) of every variant, each language then
    its plain variant: the draft's language menu."""
    return tuple(
        (locale, name or entry.name, entry.code)
        for entry in languages()
        for locale, name in ((entry.code, entry.name), (entry.plain, entry.plain_name))
    )


def all_locales() -> tuple[str, ...]:
    """Every catalog: each language, then its plain variant."""
    return tuple(locale for language in languages() for locale in language.locales)


# The language every text is written in: what a text without a translation is shown in.
SOURCE = "en"


def fallback() -> Language:
    return languages()[0]


def language(code: str) -> Language:
    """The language of a code or locale ("sv", "sv@lattlast"); the fallback if unknown."""
    base = code.split("@")[0]
    return next((entry for entry in languages() if entry.code == base), fallback())
