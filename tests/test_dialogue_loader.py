"""The dialogue checker: one invalid file per rule fails with its code at its line; the
shipped dialogues and the format document's examples are valid."""

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
from assistant.dialogue.errors import RULES
from assistant.dialogue.loader import check, check_text, load, load_text
from assistant.testplan import run

ROOT = Path(__file__).resolve().parent.parent
INVALID = sorted((ROOT / "tests" / "dialogues" / "invalid").glob("*.yaml"))


def expectation(path: Path) -> tuple[str, int]:
    match = re.match(
        r"# expect: (DLG\d+) line (\d+)", path.read_text(encoding="utf-8").splitlines()[0]
    )
    assert match, f"{path.name} must start with '# expect: CODE line N'"
    return match.group(1), int(match.group(2))


def test_every_rule_has_an_invalid_example() -> None:
    covered = {p.name.split("-", 1)[0] for p in INVALID}
    assert covered == set(RULES)
    for path in INVALID:
        code, rule = path.stem.split("-", 1)
        assert RULES[code] == rule, f"{path.name} is named after the wrong rule"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_with_its_code_and_line(path: Path) -> None:
    code, line = expectation(path)
    dialogue, errors = check(path)
    assert dialogue is None and errors, "the checker accepted a broken file"
    first = errors[0]
    assert (first.code, first.line) == (code, line), str(first)
    assert str(first).startswith(f"{path}:{line}:") and "hint:" in str(first)


def test_hints_suggest_what_was_meant() -> None:
    errors = {e.code: str(e) for p in INVALID for e in check(p)[1]}
    assert "Did you mean 'prompt'?" in errors["DLG003"]
    assert "Did you mean 'short-text'?" in errors["DLG006"]
    assert "Did you mean 'works'?" in errors["DLG010"]


def test_a_comma_in_a_flow_label_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "commas.yaml"
    path.write_text(
        "title: T\nsections: [{id: me, title: Me}]\nsteps:\n"
        "  - {id: a, kind: single-choice, section: me, prompt: P, choices: [{value: x, label: Washing, dressing}, {value: y, label: Y}]}\n",
        encoding="utf-8",
    )
    assert "put the whole text in quotes" in str(check(path)[1][0])


def test_shipped_dialogues_load() -> None:
    for path in (ROOT / "dialogues").glob("*.yaml"):
        if not path.name.endswith(".testplan.yaml"):
            load(path)


DOC = (ROOT / "docs" / "dialogues.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
# A fragment (steps, indented as under `steps:`) becomes a whole dialogue the same way each time.
WRAPPER = (
    "title: Example\nsections:\n  - {id: me, title: About me, draft: about-me}\nsteps:\n"
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


def test_the_format_document_lists_every_problem_code() -> None:
    rows = re.findall(r"^\| (DLG\d{3}) \| ([a-z-]+) \|", DOC, re.M)
    assert dict(rows) == RULES and len(rows) == len(RULES)


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
