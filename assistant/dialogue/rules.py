"""Every rule a dialogue file is checked against, one entry each: its stable code, its name, what
it finds wrong, an example fix, and whether breaking it is an error or a warning.

An error stops the dialogue from loading and `assistant check` from passing; a warning is
printed by `assistant check` but the dialogue loads and the check passes (exit status 0). The
checks build their problems from these entries (assistant/dialogue/errors.py), and the table in
docs/dialogues.md is tested against them. Adding a rule: one `_rule(...)` here, the check that
reports it, a row in that table and a small file breaking it in tests/dialogues/ (see
docs/dialogues.md, "Problem codes").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str  # DLG001: stable, for searching and for the test files named after it
    name: str  # yaml-syntax
    what: str  # what is wrong, in general (a problem's own message says where and what)
    fix: str  # an example fix, in Markdown
    severity: Severity = Severity.ERROR


CHECK_RULES: dict[str, Rule] = {}  # code -> rule, in code order


def _rule(code: str, name: str, what: str, fix: str, severity: Severity = Severity.ERROR) -> Rule:
    assert code not in CHECK_RULES, f"{code} is used twice"
    CHECK_RULES[code] = Rule(code, name, what, fix, severity)
    return CHECK_RULES[code]


YAML_SYNTAX = _rule(
    "DLG001",
    "yaml-syntax",
    "The file is not YAML, or cannot be read as UTF-8 text.",
    '`prompt: Where: here?` → `prompt: "Where: here?"`',
)
WRONG_TYPE = _rule(
    "DLG002",
    "wrong-type",
    "A value is not the kind of value the key takes.",
    "`max-length: long` → `max-length: 200`; `not-before: tomorrow` → `not-before: today`",
)
UNKNOWN_KEY = _rule(
    "DLG003",
    "unknown-key",
    "A key the dialogue, a section, a step or a choice does not have.",
    "`promt:` → `prompt:`",
)
MISSING_KEY = _rule(
    "DLG004", "missing-key", "A required key is missing.", "add `kind: short-text` to the step"
)
DUPLICATE_ID = _rule(
    "DLG005",
    "duplicate-id",
    "Two steps, or two sections, have the same id.",
    "rename one: `id: good-at-work`",
)
UNKNOWN_KIND = _rule(
    "DLG006", "unknown-kind", "`kind` is not one of the kinds.", "`kind: text` → `kind: short-text`"
)
UNKNOWN_SECTION = _rule(
    "DLG007",
    "unknown-section",
    "`section` names no section of the dialogue.",
    "`section: about` → `section: about-me`",
)
DRAFT_KEY = _rule(
    "DLG008",
    "draft-key",
    "`draft:` is not read any more: the draft's sections are the dialogue's sections.",
    "a step with `draft: my-team` → a section `{id: my-team, title: My team}` for it",
)
BAD_ID = _rule(
    "DLG009",
    "bad-id",
    "An id, a value or the file name is not lowercase words joined by `-`.",
    "`id: Good At` → `id: good-at`",
)
CONDITION_UNKNOWN_STEP = _rule(
    "DLG010",
    "condition-unknown-step",
    "A condition names a step that does not exist, or an information step.",
    "`answered: wroks` → `answered: works`",
)
CONDITION_LATER_STEP = _rule(
    "DLG011",
    "condition-later-step",
    "A condition looks at a step that does not come before it.",
    "move the step after the one it looks at",
)
CONDITION_SYNTAX = _rule(
    "DLG012",
    "condition-syntax",
    "A condition is not written as one of the conditions.",
    "`equal:` → `equals:`; `count:` on a text question → `answered:`",
)
PLACEHOLDER_UNKNOWN_ANSWER = _rule(
    "DLG013",
    "placeholder-unknown-answer",
    "A placeholder names no earlier question.",
    "`{nmae|you}` → `{name|you}`",
)
DUPLICATE_CHOICE_VALUE = _rule(
    "DLG014",
    "duplicate-choice-value",
    "Two choices of a step have the same value.",
    "give each its own `value:`",
)
EMPTY_DIALOGUE = _rule(
    "DLG015",
    "empty-dialogue",
    "The file is empty, `steps: []`, or no step asks anything.",
    "add a question",
)
UNREACHABLE_STEP = _rule(
    "DLG016",
    "unreachable-step",
    "No answers can make the step's condition true.",
    '`all:` of `works: "yes"` and `works: "no"` → `any:`',
)
CONDITION_UNKNOWN_VALUE = _rule(
    "DLG017",
    "condition-unknown-value",
    "A condition compares with a value the step does not have.",
    '`equals: {works: yse}` → `equals: {works: "yes"}`',
)
DUPLICATE_KEY = _rule(
    "DLG018", "duplicate-key", "A key appears twice in one mapping.", "remove one of them"
)
LIST_RULES = _rule(
    "DLG019",
    "list-rules",
    "A list's steps break the list rules: a list or information step inside, its own `section:`, or no steps.",
    "move the information step out of the list",
)
MISSING_CHOICES = _rule(
    "DLG020",
    "missing-choices",
    "A choice step or a scale has fewer than two choices.",
    "list at least two under `choices:`",
)
BAD_RANGE = _rule(
    "DLG021", "bad-range", "`min` is more than `max`.", "`min: 10, max: 5` → `min: 5, max: 10`"
)
PLACEHOLDER_SYNTAX = _rule(
    "DLG022",
    "placeholder-syntax",
    "A brace that is not a placeholder, or a placeholder with empty words after `|`.",
    "`{name|}` → `{name|you}`",
)
UNKNOWN_OFFER = _rule(
    "DLG023",
    "unknown-offer",
    "`offer` lists something a question cannot offer.",
    "`offer: [dont-now]` → `offer: [dont-know]`",
)
EXCLUSIVE_CHOICE = _rule(
    "DLG024",
    "exclusive-choice",
    "`exclusive: true` on a step that is not multiple choice, or on two choices of one step.",
    'keep it on the one "None of these" choice',
)
PLACEHOLDER_FALLBACK = _rule(
    "DLG025",
    "placeholder-fallback",
    "A placeholder has no words for when its question was not answered.",
    "`{team.name}` → `{team.name|this person}`",
)

BAD_MARK = _rule(
    "DLG027",
    "bad-mark",
    "`marks` names no mark, marks a step of the wrong kind, or two steps have `meeting-date`.",
    "`marks: meeting-date` on the one date step that asks for the meeting's date",
)
SECTION_CODE = _rule(
    "DLG028",
    "section-code",
    "A section has a `code` but the dialogue names no `code-system` the code belongs to.",
    "`code-system: https://example.fi/CodeSystem/hb-element` at the top of the file",
)
CONDITION_TYPE_MISMATCH = _rule(
    "DLG029",
    "condition-type-mismatch",
    "A condition compares a question with a value of another type, so it can never hold as "
    "meant: text with a number or date question, `at-least`, `at-most` or `between` on a "
    "question that is not a number, `equals` on a list.",
    "`equals: {hours: lots}` → `at-least: {hours: 40}`; `at-least:` on a text question → `answered:`",
)
TEST_PLAN_FAILS = _rule(
    "DLG030",
    "test-plan-fails",
    "A test plan beside the dialogue (`NAME.testplan.yaml`, `NAME.*.testplan.yaml`) cannot be "
    "read, or the conversation it writes out goes another way in the dialogue.",
    '`{at: work-place, answer: Library}` → `{at: works, answer: "yes"}`, or change the dialogue',
)

CALCULATION_SYNTAX = _rule(
    "DLG031",
    "calculation-syntax",
    "A calculation is not written as one of the forms (`times`, `plus`, `first`, `convert`, "
    "`sum`, `estimate`, a number, a question or a calculation), or a unit is not one of the units.",
    "`multiply: [a, b]` → `times: [a, b]`; `unit: hours/week` → `unit: hour/week`",
)
CALCULATION_UNKNOWN = _rule(
    "DLG032",
    "calculation-unknown",
    "A calculation, an information step's `show` or a list's `table` names no question, "
    "calculation or list step it can use, or one that comes after it.",
    "`times: [hours-each, tmies-a-week]` → `times: [hours-each, times-a-week]`",
)
CALCULATION_TYPE_MISMATCH = _rule(
    "DLG033",
    "calculation-type-mismatch",
    "A calculation adds or multiplies something that is not a number (a text or choice "
    "question), adds values of different units (minutes and hours, hours a week and hours a "
    "month) or its value is not in its `unit`.",
    "`plus: [minutes-each, hours-each]` → `plus: [{convert: minutes-each, to: hour}, hours-each]`",
)
PRICE_LIST_UNKNOWN_ARRANGEMENT = _rule(
    "DLG034",
    "price-list-unknown-arrangement",
    "The region profile's price list (`OMA_REGION_FILE`) has a price for an arrangement that no "
    "dialogue prices: its key is not the value of a choice of any `estimate`'s `arrangement:` "
    "question, so the price is never used.",
    "`personal-asistant-employer: {unit: hour, price: 24.80}` → "
    "`personal-assistant-employer: {unit: hour, price: 24.80}`",
)
PLURAL_PAIR = _rule(
    "DLG036",
    "plural-pair",
    "A text is written as a pair of forms, one and several, where a pair is not allowed (only "
    "`items-added` and the `says` of a calculation that is not in euros), or a `says` pair whose "
    "forms do not each have `{value}` once, the number that chooses the form.",
    "`says: [About hours a week., About {value} hours a week.]` → "
    "`says: [About {value} hour a week., About {value} hours a week.]`",
)

# -- warnings: the dialogue works, but probably not as its writer meant ----------------------

EMPTY_SECTION = _rule(
    "DLG026",
    "empty-section",
    "A section has no steps: it is never shown, in the conversation or in the draft.",
    "put steps in it with `section: ideas`, or remove it",
    Severity.WARNING,
)
PRICE_LIST_MISSING_ARRANGEMENT = _rule(
    "DLG035",
    "price-list-missing-arrangement",
    "A choice of an `estimate`'s `arrangement:` question has no entry in the region profile's "
    "price list (`OMA_REGION_FILE`): an item with that arrangement gets no estimate.",
    "add `transport: {unit: time, price: 18.00}` under `prices: arrangements:`, or "
    "`transport: no-price` when it has no price on purpose",
    Severity.WARNING,
)
