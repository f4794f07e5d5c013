"""The dialogue engine. Pure: no I/O beyond reading a dialogue file, and no web, store, speech or
i18n imports (tests/test_dialogue_words.py and the layering test keep it so).

Two halves, whose imports already keep them apart:

- the compiler turns a YAML file into a checked, immutable `Dialogue`: loader, reader,
  part_reader, kind_fields, condition_reader, checks, rules (every check rule as one table),
  errors, yamlnodes; babel_extract gives its texts to Babel;
- the runtime walks a person through it: engine (`Engine`: what comes next, submitting,
  back, lists), state (`State`, what is stored), views (`Views`: what renderers are given),
  conditions, answers (parsing and checking what was typed), texts, reconcile (a stored
  conversation against an edited dialogue); bundle loads a folder of dialogues with both.

The names below are the public API for the rest of the assistant.
"""

from assistant.dialogue.answers import FieldError, Form
from assistant.dialogue.bundle import Bundle, load_bundles
from assistant.dialogue.engine import Engine, Outcome, UnknownStep
from assistant.dialogue.errors import DialogueInvalid, Problem
from assistant.dialogue.loader import check, check_text, dialogue_files, load, load_text
from assistant.dialogue.model import Choice, Dialogue, Kind, Section, Step
from assistant.dialogue.state import REVIEW, Entry, Item, Respondent, State
from assistant.dialogue.texts import Text
from assistant.dialogue.views import AnswerRow, ItemView, Shown, StepView, Views

__all__ = [
    "REVIEW",
    "AnswerRow",
    "Bundle",
    "Choice",
    "Dialogue",
    "DialogueInvalid",
    "Engine",
    "Entry",
    "FieldError",
    "Form",
    "Item",
    "ItemView",
    "Kind",
    "Outcome",
    "Problem",
    "Respondent",
    "Section",
    "Shown",
    "State",
    "Step",
    "StepView",
    "Text",
    "UnknownStep",
    "Views",
    "check",
    "check_text",
    "dialogue_files",
    "load",
    "load_bundles",
    "load_text",
]
