"""Languages: gettext catalogs, translators, and Babel's locale-aware formatting.

Each language of the table in assistant/i18n/languages.py has a standard and a plain-language
variant (fi and fi@selko, sv and sv@lattlast, en and en@easy). A plain variant falls back to its
standard language, which falls back to the English source, so a missing translation never
shows a blank.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import jinja2
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from markupsafe import Markup, escape

from assistant.dialogue.texts import N_, Text, placeholder_parts, substitute
from assistant.i18n.languages import SOURCE, all_locales, codes, fallback, language
from assistant.region import Region

__all__ = ["LANGUAGES", "LOCALES", "N_", "Catalogs", "Translator", "locale_for"]

# The table's codes and catalogs as it was at start, for `assistant talk` and the tests; the
# web app asks the table itself.
LANGUAGES: tuple[str, ...] = codes()
LOCALES: tuple[str, ...] = all_locales()
DOMAIN = "messages"


def locale_for(code: str, plain: bool) -> str:
    """The catalog for a language code and the plain-language choice; unknown: the fallback."""
    chosen = language(code)
    return chosen.plain if plain else chosen.code


class Translator:
    def __init__(
        self,
        locale: str,
        translations: gettext.NullTranslations,
        region: Mapping[str, str] | None = None,
    ) -> None:
        self.locale = locale
        # The region profile's texts for this catalog ({region.worker|...}); none: generic words.
        self.region: Mapping[str, str] = region or {}
        self.language = locale.split("@")[0]
        self.plain = "@" in locale
        self._t = translations
        self._language = language(locale)
        self._babel = self._language.babel

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def plural_count(self, value: Decimal) -> int:
        """The whole number that chooses the plural form for `value` as shown: the value
        itself when whole (gettext's rules count whole numbers), else the first whole number
        in the same CLDR category for this language ("2,5 tuntia", "1.5 hours": other)."""
        if value == value.to_integral_value():
            return int(value)
        rule = Locale.parse(self._babel).plural_form
        category = rule(value)
        return next((n for n in range(200) if rule(n) == category), int(value))

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)

    def knows(self, text: Text) -> bool:
        """Whether this language (or the standard language under its plain variant) has a
        translation of `text`; without one it is shown in the source language, English."""
        if self.language == SOURCE:
            return True
        key = f"{text.context}\x04{text.source}" if text.context else text.source
        translations: gettext.NullTranslations | None = self._t
        while translations is not None:
            catalog = getattr(translations, "_catalog", {})
            if key in catalog or (key, 0) in catalog:
                return True
            translations = getattr(translations, "_fallback", None)
        return False

    def in_source_language(self) -> Translator:
        """The same words in the language texts are written in: for a message about a text
        that has no translation, so one sentence is never made of two languages."""
        return Translator(SOURCE, gettext.NullTranslations())

    def _template(self, text: Text) -> str:
        source = text.source
        if text.plural is not None:
            if text.count != 1:
                source = text.plural
            translated = (
                self._t.npgettext(text.context, text.source, text.plural, text.count)
                if text.context
                else self.ngettext(text.source, text.plural, text.count)
            )
        elif text.context:
            translated = self.pgettext(text.context, text.source)
        else:
            translated = self.gettext(text.source)
        # A translation whose placeholders differ would show the wrong answers, or a dash where
        # the source has words for a missing answer: use the source.
        try:
            if _shape(translated) != _shape(source):
                return source
        except ValueError:
            return source
        return translated

    def _value(self, value: object, html: bool) -> str:
        if isinstance(value, Text):
            return str(self.text(value)) if html else self.plain_text(value)
        if isinstance(value, date):
            shown = self.format_date(value)
        elif isinstance(value, Decimal | int):
            shown = self.format_number(value)
        else:
            shown = str(value)
        return str(escape(shown)) if html else shown

    def text(self, text: Text) -> Markup:
        """A dialogue text in this language, with earlier answers filled in and escaped."""
        template = str(escape(self._template(text)))
        values = {name: str(escape(v)) for name, v in self.region.items()}
        values.update((name, self._value(v, html=True)) for name, v in text.values.items())
        return Markup(substitute(template, values))

    def plain_text(self, text: Text) -> str:
        """The same, unescaped: for speech, plain-text and DOCX drafts, and the JSON API."""
        values = dict(self.region)
        values.update((name, self._value(v, html=False)) for name, v in text.values.items())
        return substitute(self._template(text), values)

    def format_date(self, value: date, format: str | None = None) -> str:
        return format_date(value, format=format or self._language.date_format, locale=self._babel)

    def format_month(self, year: int, month: int) -> str:
        """ "February 2027", "helmikuu 2027", "februari 2027": the month standing alone."""
        return format_date(date(year, month, 1), format="LLLL y", locale=self._babel)

    def format_datetime(self, value: datetime) -> str:
        return format_datetime(value, format="medium", locale=self._babel)

    def format_number(self, value: Decimal | int) -> str:
        return format_decimal(value, locale=self._babel)

    def format_money(self, value: Decimal) -> str:
        """ "1 234,50 €" in Finnish and Finland-Swedish, "€1,234.50" in English."""
        return format_currency(value, "EUR", locale=self._babel)

    def format_list(self, values: list[str]) -> str:
        """ "Anna, Eero and my sister", with this language's word for "and"."""
        return format_list(values, locale=self._babel)

    def language_name(self) -> str:
        """This variant's name in itself: "suomi", "selkosuomi", "svenska", "Easy English"."""
        name = Locale.parse(self._babel).get_language_name() or self.language
        plain = self._language.plain_name
        if self.plain and plain:  # cased as the language writes its names: "selkosuomi"
            return plain[0].lower() + plain[1:] if name[:1].islower() else plain
        return name


@functools.lru_cache(maxsize=8192)  # texts are the dialogues' and catalogs': a known set
def _shape(template: str) -> tuple[tuple[str, bool], ...]:
    """The placeholders of a text and whether each has words for a missing answer."""
    return tuple(
        sorted((name, fallback is not None) for name, fallback in placeholder_parts(template))
    )


def load_translations(path: Path) -> gettext.NullTranslations | None:
    """A compiled catalog; if only the .po exists (not compiled yet), compile it in memory."""
    mo = path / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = path / "LC_MESSAGES" / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    if po.exists():
        with po.open("rb") as file:
            catalog = read_po(file, locale=None)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return None


class Catalogs:
    """Every catalog, loaded once at start."""

    def __init__(self, locales_dir: Path, region: Region | None = None) -> None:
        """`region`: the region profile whose texts fill {region.*} placeholders."""
        self.region = region or Region()
        self.translators: dict[str, Translator] = {}
        for locale in all_locales():
            standard = load_translations(locales_dir / locale.split("@")[0])
            chain = standard
            if "@" in locale:
                plain = load_translations(locales_dir / locale)
                if plain is not None and standard is not None:
                    plain.add_fallback(standard)
                chain = plain or standard
            chain = chain or gettext.NullTranslations()
            self.translators[locale] = Translator(locale, chain, self.region.values(locale))

    def translator(self, locale: str) -> Translator:
        return self.translators.get(locale) or self.translators[fallback().code]

    def install(self, env: jinja2.Environment, locale: str) -> None:
        """`_()`, `gettext()`, `ngettext()` and `pgettext()` for one locale's templates, as
        Jinja's "newstyle" gettext behaves (the translation is trusted markup, variables are
        escaped into it) but without its three context lookups per call, and each fixed text
        translated once: a step page makes about 30 calls (profiled: a fifth of rendering)."""
        t = self.translator(locale)
        fixed: dict[tuple[str, str], Markup] = {}

        def gettext(message: str, **variables: object) -> Markup:
            if variables:
                return Markup(t.gettext(message)) % variables
            key = ("", message)
            if key not in fixed:
                fixed[key] = Markup(t.gettext(message)) % {}
            return fixed[key]

        def pgettext(context: str, message: str, **variables: object) -> Markup:
            variables.setdefault("context", context)
            return Markup(t.pgettext(context, message)) % variables

        def ngettext(singular: str, plural: str, num: int, **variables: object) -> Markup:
            variables.setdefault("num", num)
            return Markup(t.ngettext(singular, plural, num)) % variables

        env.globals.update(_=gettext, gettext=gettext, pgettext=pgettext, ngettext=ngettext)
