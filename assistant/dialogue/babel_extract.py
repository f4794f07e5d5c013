"""Babel extractor for dialogue files: every text a person reads, with the step as context and
a comment telling the translator where it appears. Registered as `oma_dialogue`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from assistant.dialogue.loader import load_text
from assistant.dialogue.model import Dialogue, Step
from assistant.dialogue.texts import placeholders

Message = tuple[int, str, tuple[str, ...], list[str]]
PLACEHOLDER_NOTE = (
    "Words in {braces} are earlier answers: keep the name before any | exactly as it is, and "
    "translate the words after |, which are shown when there is no answer."
)


def extract_dialogue(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[Message]:
    name = Path(getattr(fileobj, "name", "dialogue.yaml")).name
    if name.endswith(".testplan.yaml"):
        return
    # Parsed from what Babel hands us: the file's name is the dialogue's id.
    text = fileobj.read().decode("utf-8")
    yield from messages(load_text(text, Path(name).stem, name))


def _note(where: str, text: str) -> list[str]:
    return [where, PLACEHOLDER_NOTE] if placeholders(text) else [where]


def messages(dialogue: Dialogue) -> Iterator[Message]:
    yield (
        1,
        "pgettext",
        (dialogue.id, dialogue.title),
        ["The name of the conversation, on the start page."],
    )
    if dialogue.description:
        yield (
            1,
            "pgettext",
            (dialogue.id, dialogue.description),
            ["What the conversation is for, on the start page."],
        )
    for section in dialogue.sections:
        yield (
            section.line,
            "pgettext",
            (section.context, section.title),
            ["A section title, above questions and on the review."],
        )
    for top in dialogue.steps:
        for step in (top, *top.steps):
            yield from _step_messages(dialogue, step)
    for calc in dialogue.calculations:
        if calc.says and calc.says_plural:
            yield (
                calc.line,
                "npgettext",
                (calc.context, calc.says, calc.says_plural),
                [
                    f"A calculated value '{calc.id}' in a sentence, on the totals page.",
                    "{value} is the number the program fills in; it chooses the form "
                    "(1 hour, 2 hours, 2.5 hours).",
                ],
            )
        elif calc.says:
            yield (
                calc.line,
                "pgettext",
                (calc.context, calc.says),
                [
                    f"A calculated value '{calc.id}' in a sentence, on the totals page.",
                    "{value} is the number (or an amount in euros) the program fills in.",
                ],
            )
        if calc.title:
            yield (
                calc.line,
                "pgettext",
                (calc.context, calc.title),
                [f"The heading of the calculated value '{calc.id}' in the draft's table."],
            )


def _step_messages(dialogue: Dialogue, step: Step) -> Iterator[Message]:
    section = dialogue.section(step.section).title
    where = f"step '{step.key}' ({step.kind.value}) in section '{section}'"
    texts = [
        (
            step.prompt,
            f"The question of {where}." if step.kind.is_question else f"The heading of {where}.",
        ),
        (step.title, f"A short heading for the answers of {where}: a column of the draft's table."),
        (step.hint, f"Hint under the question of {where}."),
        (step.help, f"Longer help behind 'More help with this question', {where}."),
        (step.text, f"The text of the information page {where}. Blank lines separate paragraphs."),
        (step.unit, f"Unit shown beside the number box, {where}."),
        (step.item_title, f"How each item is named in the list summary, {where}."),
        (step.add_prompt, f"Asked below the list of items, {where}: yes or no."),
        (step.something_else, f"The 'something else' choice, {where}; a text box follows it."),
    ]
    for choice in step.choices:
        if not choice.interface:
            texts.append((choice.label, f"A choice of {where}."))
            texts.append((choice.hint, f"Hint under the choice '{choice.label}', {where}."))
    texts += [
        (step.untitled_item, f"An item whose title is missing, by its place: 'Person 2', {where}."),
        (step.none_added, f"Said when the list holds no items yet, {where}."),
    ]
    for text, comment in texts:
        if text:
            yield step.line, "pgettext", (step.context, text), _note(comment, text)
    if step.items_added:
        one, several = step.items_added
        comment = f"How many items the list holds ({{count}} is the number), {where}."
        yield step.line, "npgettext", (step.context, one, several), [comment]
