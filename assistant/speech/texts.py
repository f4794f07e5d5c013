"""What the listen controls read aloud: one text per step, in the page's language."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from assistant.dialogue.bundle import Bundle
from assistant.dialogue.model import Kind, Step
from assistant.dialogue.state import Item
from assistant.dialogue.texts import placeholders
from assistant.dialogue.views import StepView
from assistant.i18n import Catalogs, Translator
from assistant.presentation import Presentation, present

# Characters of a person's own answer read back at once: about a minute of listening, and
# about half a second of the speech worker's time that others may wait behind.
ANSWER_PART = 1000


def step_speech(
    view: StepView, t: Translator, presented: Presentation | None = None
) -> tuple[str, bool]:
    """The question as it is read aloud, and whether it holds a person's own words (then it
    is synthesised for them only, never cached). `presented`: the view's presentation, when the
    caller has it already (a page asks for every text it offers)."""
    p = presented or present(view, t)
    spoken = [p.prompt, p.hint, p.body]  # body: an information step's paragraphs
    if p.kind is Kind.LIST:
        spoken += [p.items_summary, *(item.title for item in p.items), p.add_prompt]
    else:
        spoken += [choice.label for choice in p.choices]
    sources = [
        view.prompt,
        view.hint,
        view.text,
        view.something_else,
        *(c.label for c in view.choices),
    ]
    personal = p.kind is Kind.LIST or any(
        placeholders(text.source) for text in sources if text is not None
    )
    return _sentences(words.plain for words in spoken if words), personal


def voice_locale(view: StepView, t: Translator) -> str:
    """The language a step's question is read in: the person's, or the source language's
    when the question has no translation (never English words in a Finnish voice)."""
    return t.locale if t.knows(view.prompt) else t.in_source_language().locale


def has_own_answer(view: StepView) -> bool:
    """Whether there is an answer of the person's own to read back (not on a list's summary)."""
    entry = view.entry
    nothing = entry is None or entry.status in ("seen", "skipped")
    return not nothing and view.step.kind is not Kind.LIST


def answer_parts(view: StepView, t: Translator, presented: Presentation | None = None) -> list[str]:
    """The person's own saved answer in the parts it is read back in (none if there is no
    answer). A long answer is read in parts, each its own player on the page: one part of
    5,000 characters took the worker 3 to 5 seconds, which everyone else waited for."""
    answer = (presented or present(view, t)).answer
    if answer is None or not has_own_answer(view):
        return []
    return in_parts(answer, ANSWER_PART)


def answer_speech(
    view: StepView, t: Translator, number: int = 1, presented: Presentation | None = None
) -> tuple[str, bool] | None:
    """Part `number` of the person's own answer, read back when they ask: always personal
    (never cached). Each part says which it is, so a listener knows how much is left."""
    parts = answer_parts(view, t, presented)
    if not 1 <= number <= len(parts):
        return None
    if len(parts) == 1:
        return t.gettext("Your answer: %(answer)s") % {"answer": parts[0]}, True
    text = t.gettext("Your answer, part %(number)s of %(count)s: %(answer)s")
    return text % {"number": number, "count": len(parts), "answer": parts[number - 1]}, True


def in_parts(text: str, limit: int) -> list[str]:
    """Text cut into parts of at most `limit` characters: after the last sentence's end in the
    part, else at its last space, else anywhere (one very long word). A cut is only made in the
    part's second half, so no part is much shorter than it has to be."""
    parts, rest = [], text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]  # a sentence may end just at the limit
        sentence_end = max(window.rfind(end) for end in (". ", "! ", "? ", "\n"))
        space = window.rfind(" ")
        if sentence_end >= limit // 2:
            cut = sentence_end + 1
        elif space >= limit // 2:
            cut = space
        else:
            cut = limit
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [*parts, rest] if rest else parts


def item_speech(view: StepView, t: Translator, number: int) -> tuple[str, bool] | None:
    """Item `number` of an "add another" list by itself (its title and answers): the person's
    own words, so never cached."""
    items = present(view, t).items
    if view.step.kind is not Kind.LIST or not 1 <= number <= len(items):
        return None
    return items[number - 1].spoken, True


def help_speech(
    view: StepView, t: Translator, presented: Presentation | None = None
) -> tuple[str, bool] | None:
    words = (presented or present(view, t)).help
    if view.help is None or words is None:
        return None
    return words.plain, bool(placeholders(view.help.source))


def _sentences(parts: Iterator[str]) -> str:
    """Join with a full stop where a part has none, so the voice pauses between them."""
    return " ".join(
        p if p.rstrip().endswith((".", "?", "!", ":")) else p.rstrip() + "."
        for p in parts
        if p.strip()
    )


def every_text(
    bundle: Bundle, catalogs: Catalogs, locales: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    """(text, locale) for every step of a dialogue, as the pages read them before any answer
    is given: what `assistant tts warm` synthesises ahead of time."""
    engine, views = bundle.engine, bundle.views
    start = engine.start()
    for locale in locales:
        t = catalogs.translator(locale)
        for step in _all_steps(bundle):
            # Every step, on every branch: a state placed there (inside an empty list item).
            state = replace(start.copy(), at=step.key)
            if step.parent:
                state.items[step.parent] = [Item("warm", start.respondent)]
                state.item = "warm"
            view = views.step(state)
            if view is None:
                continue
            text, personal = step_speech(view, t)
            if not personal:
                yield text, locale
            helped = help_speech(view, t)
            if helped and not helped[1]:
                yield helped[0], locale


def _all_steps(bundle: Bundle) -> Iterator[Step]:
    for step in bundle.dialogue.steps:
        yield step
        yield from step.steps
