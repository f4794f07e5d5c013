"""How long a dialogue takes: "About 15 to 45 minutes", measured from the dialogue itself.

The start page says a range: the shortest path (a client answering alone, every branch off,
no one added to a list) and the longest (every step that can apply, a relative's questions
too, two items in each list), each question read and answered. Each step costs the time to read its texts at a plain-language reading pace plus the time
to answer it; docs/dialogues.md ("How long it takes") explains the figures.

Pure: no I/O, no languages. The English source is counted (Finnish has fewer, longer words,
so the counts are close), and the figures are deliberately slow: nobody should be told
"20 minutes" and need an hour.
"""

from __future__ import annotations

import math
import re

from assistant.dialogue.engine import Engine
from assistant.dialogue.model import Dialogue, Kind, Step

# Words a minute read by a person who needs plain language (selkokieli readers read about
# half as fast as the average adult reader, who reads 200 to 250 words a minute).
READING_PACE = 80
# Seconds to answer a question of each kind, beyond reading it: typing is slow on a phone,
# with a braille display or with one hand; a long-text answer is taken as two or three
# sentences. The same on both paths: they differ in the steps they have.
ANSWERING: dict[Kind, int] = {
    Kind.INFORMATION: 5,  # pressing Continue
    Kind.SHORT_TEXT: 20,
    Kind.LONG_TEXT: 60,
    Kind.SINGLE_CHOICE: 12,
    Kind.MULTIPLE_CHOICE: 20,
    Kind.YES_NO: 8,
    Kind.SCALE: 12,
    Kind.DATE: 25,
    Kind.NUMBER: 15,
    Kind.LIST: 10,  # the list page and its "add another" question, once per visit
}
LONGEST_LIST = 2  # items added to each list on the longest path; none on the shortest
ROUND_TO = 5  # minutes: the shortest rounded down, the longest up
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(step: Step) -> int:
    """The words a person reads on the step's page: prompt, hint, text and choices (help is
    behind a link, and not counted)."""
    texts = [step.prompt, step.hint, step.text, step.something_else]
    texts += [t for choice in step.choices for t in (choice.label, choice.hint)]
    return sum(len(WORD.findall(t)) for t in texts if t)


def seconds(step: Step, longest: bool) -> float:
    reading = words(step) * 60 / READING_PACE
    answering = ANSWERING[step.kind]
    if step.kind is Kind.LIST:
        items = LONGEST_LIST if longest else 0
        item = sum(seconds(sub, longest) for sub in step.steps)
        # The list page is read again after each item.
        return (reading + answering) * (items + 1) + items * item
    return reading + answering


def shortest_path(dialogue: Dialogue) -> list[Step]:
    """The steps a client alone meets when they answer nothing that opens a branch."""
    engine = Engine(dialogue)
    return engine.path(engine.start())


def minutes(dialogue: Dialogue) -> tuple[int, int]:
    """(shortest, longest) in whole minutes, rounded outwards to ROUND_TO."""
    short = sum(seconds(step, longest=False) for step in shortest_path(dialogue)) / 60
    long = sum(seconds(step, longest=True) for step in dialogue.steps) / 60
    low = max(ROUND_TO, math.floor(short / ROUND_TO) * ROUND_TO)
    high = max(low + ROUND_TO, math.ceil(long / ROUND_TO) * ROUND_TO)
    return low, high
