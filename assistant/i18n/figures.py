"""Calculated values in words, for an information step that shows them (the totals page) and
for the draft: "About 14 hours a week of personal assistance.", what a sum left out, and the
notice every estimate carries. One place, so the page, the API, `assistant talk` and speech
say the same (they all read the presentation's body)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.dialogue.calc import Figure
from assistant.dialogue.texts import Text
from assistant.dialogue.views import FigureView
from assistant.i18n import N_, Translator

LEFT_OUT = {
    "amount": N_("Not counted, because how often or how long is not known: %(items)s."),
    "price": N_("Not in the estimate, because the price list has no price for: %(items)s."),
}
ESTIMATE_NOTICE = N_(
    "This is an estimate to support the conversation. The welfare region decides the budget. "
    "You do not pay it."
)
SOURCE = N_("Prices: %(source)s, set on %(date)s.")


def value_text(figure: Figure, t: Translator) -> str:
    """The value as people read it: "1 234,50 €", "14", "2,5"."""
    shown = figure.shown if figure.shown is not None else Decimal(0)
    return t.format_money(shown) if figure.calculation.is_estimate else t.format_number(shown)


def figure_lines(views: tuple[FigureView, ...], t: Translator) -> list[str]:
    """Each value that is not nothing in its sentence, then what was left out and why, then
    the estimate notice and the prices' sources. Plain text; callers escape it for HTML."""
    lines: list[str] = []
    gaps: dict[str, list[str]] = {}
    sources: list[tuple[str, date]] = []
    estimate = False
    for view in views:
        figure = view.figure
        calc = figure.calculation
        if calc.says is not None and figure.value:
            shown = figure.shown if figure.shown is not None else Decimal(0)
            # says: [one, several]: the language's plural rules choose by the value shown.
            count = t.plural_count(shown) if calc.says_plural is not None else 1
            filled = {"value": value_text(figure, t)}
            text = Text(calc.says, calc.context, filled, plural=calc.says_plural, count=count)
            lines.append(t.plain_text(text))
            estimate = estimate or calc.is_estimate
        for title, reason in view.left_out:
            words = t.plain_text(title)
            if words not in gaps.setdefault(reason, []):
                gaps[reason].append(words)
        sources += [s for s in view.sources if s not in sources]
    for reason in ("amount", "price"):
        if gaps.get(reason):
            lines.append(t.gettext(LEFT_OUT[reason]) % {"items": t.format_list(gaps[reason])})
    if estimate or gaps.get("price"):
        lines.append(t.gettext(ESTIMATE_NOTICE))
        for source, day in sources:
            lines.append(t.gettext(SOURCE) % {"source": source, "date": t.format_date(day)})
    return lines
