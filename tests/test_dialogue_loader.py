"""The dialogue checker: one small file per rule breaks it, an error stopping the dialogue at its
line, a warning letting it load; the shipped dialogues and the format document's examples are
valid and warn of nothing; the document's table of rules is the checker's."""

from __future__ import annotations

import io
import pathlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from assistant.dialogue.babel_extract import extract_dialogue
from assistant.dialogue.errors import Problem
from assistant.dialogue.loader import check, check_text, dialogue_files, load_text
from assistant.dialogue.model import Dialogue
from assistant.dialogue.rules import CHECK_RULES, Rule, Severity
from assistant.plan_check import check_plans
from assistant.price_check import check_prices
from assistant.region import check as check_region
from assistant.testplan import run

ROOT = Path(__file__).resolve().parent.parent
REGION = ".region.yaml"  # the region profile an example of a price-list rule is checked with
INVALID = [
    p for p in dialogue_files([ROOT / "tests" / "dialogues" / "invalid"]) if REGION not in p.name
]
WARNINGS = sorted(
    p for p in (ROOT / "tests" / "dialogues" / "warnings").glob("*.yaml") if REGION not in p.name
)


def with_region(path: Path, dialogue: Dialogue | None, problems: list[Problem]) -> list[Problem]:
    """An example with a region profile beside it (NAME.region.yaml) is checked with it."""
    region_path = path.with_name(path.stem + REGION)
    if dialogue is None or not region_path.exists():
        return problems
    region, region_problems = check_region(region_path)
    assert region is not None, region_problems
    return problems + check_prices(region_path, region.prices, [(path, dialogue)])


def expectation(path: Path) -> tuple[str, int, Path]:
    """The code and line the example's first line expects, and the file they are in: the
    example itself, or a file beside it (`# expect: DLG028 line 7 in NAME.testplan.yaml`)."""
    match = re.match(
        r"# expect: (DLG\d+) line (\d+)(?: in (\S+))?",
        path.read_text(encoding="utf-8").splitlines()[0],
    )
    assert match, f"{path.name} must start with '# expect: CODE line N'"
    where = path.with_name(match.group(3)) if match.group(3) else path
    return match.group(1), int(match.group(2)), where


def test_every_rule_has_an_example_named_after_it() -> None:
    for severity, examples in ((Severity.ERROR, INVALID), (Severity.WARNING, WARNINGS)):
        covered = {p.name.split("-", 1)[0] for p in examples}
        assert covered == {code for code, rule in CHECK_RULES.items() if rule.severity is severity}
        for path in examples:
            code, name = path.stem.split("-", 1)
            assert CHECK_RULES[code].name == name, f"{path.name} is named after the wrong rule"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_with_its_code_and_line(path: Path) -> None:
    code, line, where = expectation(path)
    dialogue, errors = check(path)
    if dialogue is None and errors[0].code == "DLG009" and errors[0].line == 1:
        # Named after its rule, an example is no dialogue: its plans run as if it were one.
        renamed = check_text(path.read_text(encoding="utf-8"), "example", str(path))[0]
        errors = check_plans(renamed, path)[0] if renamed else errors
        errors = with_region(path, renamed, errors)
    assert errors, "the checker accepted a broken file"
    first = errors[0]
    assert (first.code, first.line) == (code, line), str(first)
    assert str(first).startswith(f"{where}:{line}:") and "hint:" in str(first)


@pytest.mark.parametrize("path", WARNINGS, ids=lambda p: p.stem)
def test_warning_example_warns_at_its_line_and_loads(path: Path) -> None:
    code, line, where = expectation(path)
    # Named as a dialogue may be: the file name's own check is an error.
    dialogue, problems = check_text(path.read_text(encoding="utf-8"), "example", str(path))
    assert dialogue is not None, [str(p) for p in problems]
    problems = with_region(path, dialogue, problems)
    assert [(p.code, p.line, p.is_error) for p in problems][:1] == [(code, line, False)]
    assert str(problems[0]).startswith(f"{where}:{line}:")
    assert f": {code} warning: " in str(problems[0])


def test_a_file_written_with_draft_keys_is_told_what_replaced_them() -> None:
    old = next(p for p in INVALID if p.name.startswith("DLG008"))
    (problem,) = check_text(old.read_text(encoding="utf-8"), "example")[1]
    assert "the draft has the dialogue's own sections" in problem.message
    assert "section of their own" in problem.hint and "'code:'" in problem.hint


def test_a_mark_is_on_one_step_of_its_kind() -> None:
    two = HEAD + (
        "steps:\n"
        "  - {id: first, kind: date, section: me, prompt: 'When?', marks: meeting-date}\n"
        "  - {id: second, kind: date, section: me, prompt: 'And?', marks: [meeting-date]}\n"
    )
    (problem,) = check_text(two, "example")[1]
    assert (problem.code, problem.line) == ("DLG027", 5)
    assert "'first' and 'second' are both marked 'meeting-date'" in problem.message
    unknown = HEAD + (
        "steps:\n  - {id: first, kind: date, section: me, prompt: 'When?', marks: meeting-day}\n"
    )
    (problem,) = check_text(unknown, "example")[1]
    assert "Did you mean 'meeting-date'?" in problem.hint


DOC = (ROOT / "docs" / "dialogues.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
# A fragment (steps, indented as under `steps:`) becomes a whole dialogue the same way each time.
WRAPPER = (
    "title: Example\nsections:\n  - {id: me, title: About me}\nsteps:\n"
    "  - {id: example-start, kind: short-text, section: me, prompt: What is your name}\n"
)


def test_every_example_in_the_format_document_loads() -> None:
    whole = [block for block in EXAMPLES if block.startswith("title:")]
    fragments = [block for block in EXAMPLES if block.startswith("  - ")]
    plans = [block for block in EXAMPLES if block.startswith("respondent:")]
    assert whole and fragments and plans, "docs/dialogues.md lost its examples"
    assert len(whole) + len(fragments) + len(plans) == len(EXAMPLES), (
        "an example is neither a whole dialogue, steps, nor a test plan"
    )
    for number, block in enumerate(whole + [WRAPPER + f for f in fragments]):
        assert check_text(block, f"example-{number}")[1] == [], block
    # The test plan example walks the whole example dialogue, and passes.
    for block in plans:
        assert run(load_text(whole[0], "example"), yaml.safe_load(block)).failures == []


def test_the_format_document_lists_every_rule_as_the_checker_has_it() -> None:
    rows = re.findall(r"^\| DLG\d{3} \|.*\|$", DOC, re.M)
    assert rows == [
        markdown_row(rule) for rule in sorted(CHECK_RULES.values(), key=lambda r: r.code)
    ]


def markdown_row(rule: Rule) -> str:
    """The rule's row of the table in docs/dialogues.md: paste it there for a new rule."""
    cells = (rule.code, rule.name, rule.severity, rule.what, rule.fix)
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def test_check_command_prints_file_line_column_code_and_hint() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "assistant", "check", str(INVALID[2])],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 1
    first, hint = bad.stdout.splitlines()[:2]
    assert re.match(r".+DLG003-unknown-key\.yaml:\d+:\d+: DLG003 unknown key 'promt'", first)
    assert hint.strip().startswith("hint:")
    good = subprocess.run(
        [sys.executable, "-m", "assistant", "check"], capture_output=True, text=True, cwd=ROOT
    )
    assert good.returncode == 0, good.stdout


def test_check_command_prints_warnings_and_passes(tmp_path: Path) -> None:
    warned = tmp_path / "hobbies.yaml"
    warned.write_text(WARNINGS[0].read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(INVALID[2].read_text(encoding="utf-8"), encoding="utf-8")

    def check_command(*paths: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "assistant", "check", *map(str, paths)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)

    only_warnings = check_command(warned)
    assert only_warnings.returncode == 0
    first, hint = only_warnings.stdout.splitlines()[:2]
    assert re.match(r".+hobbies\.yaml:5:1: DLG026 warning: the section 'hobbies' has no", first)
    assert hint.strip().startswith("hint: Put steps in it with 'section: hobbies'")
    assert "0 error(s), 1 warning(s)" in only_warnings.stderr
    assert "the check passes" in only_warnings.stderr
    both = check_command(warned, broken)
    assert both.returncode == 1 and "2 error(s), 1 warning(s)." in both.stderr


HEAD = "title: T\nsections: [{id: me, title: Me}]\n"


@pytest.mark.parametrize(
    ("steps", "code", "line"),
    [
        ("steps: []\n", "DLG015", 3),
        (
            "steps:\n  - {id: hours, kind: number, section: me, prompt: How many, unit: '{nope} a week'}\n",
            "DLG013",
            4,
        ),
        (
            "steps:\n  - {id: team, kind: list, section: me, prompt: Team, item-title: T, add-prompt: More, steps: []}\n",
            "DLG019",
            4,
        ),
        (
            "steps:\n  - {id: meeting, kind: date, section: me, prompt: When, not-before: tomorrow}\n",
            "DLG002",
            4,
        ),
        (
            "steps:\n  - {id: name, kind: short-text, section: me, prompt: Name}\n"
            "  - {id: age, kind: short-text, prompt: 'How old are you, {name|}?'}\n",
            "DLG022",
            5,
        ),
    ],
    ids=["empty-steps", "unit-placeholder", "empty-list", "not-before", "empty-fallback"],
)
def test_gaps_the_checker_once_let_through(steps: str, code: str, line: int) -> None:
    dialogue, errors = check_text(HEAD + steps, "gaps")
    assert dialogue is None
    assert [(e.code, e.line) for e in errors][:1] == [(code, line)], errors


def test_a_dialogue_loads_from_text_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """dialogue/ does no I/O: the loader and the Babel extractor parse the text they are given."""

    def no_files(*args: object, **kwargs: object) -> None:
        raise AssertionError("the dialogue package touched the file system")

    text = (ROOT / "tests" / "web" / "every-kind.yaml").read_text(encoding="utf-8")
    for name in ("mkdtemp", "mkstemp", "TemporaryDirectory", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_files)
    for name in ("read_text", "read_bytes", "write_text", "write_bytes", "open"):
        monkeypatch.setattr(pathlib.Path, name, no_files)
    assert load_text(text, "every-kind").title == "Every kind of step"
    fileobj = io.BytesIO(text.encode("utf-8"))
    fileobj.name = "tests/web/every-kind.yaml"
    messages = list(extract_dialogue(fileobj, None, None, {}))
    assert (("every-kind", "Every kind of step")) in [m[2] for m in messages]


def test_one_exclusive_choice_and_only_ever_alone() -> None:
    choices = (
        "choices: [{value: work, label: Work}, {value: none, label: None, exclusive: true},"
        " {value: nothing, label: Nothing, exclusive: true}]"
    )
    steps = f"steps:\n  - {{id: job, kind: multiple-choice, section: me, prompt: Job, {choices}}}\n"
    assert [(e.code, e.line) for e in check_text(HEAD + steps, "two")[1]] == [("DLG024", 4)]
    steps = (
        "steps:\n  - {id: job, kind: multiple-choice, section: me, prompt: Job, "
        "choices: [{value: work, label: Work}, {value: none, label: None, exclusive: true}]}\n"
        "  - {id: about, kind: short-text, prompt: About, "
        "when: {all: [{equals: {job: work}}, {equals: {job: none}}]}}\n"
    )
    assert [e.code for e in check_text(HEAD + steps, "never")[1]] == ["DLG016"]
