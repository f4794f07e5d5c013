"""Every dialogue's expected transcript: the prompts seen, the answers given, the review."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.dialogue.loader import dialogue_files, load
from assistant.plan_check import check_with_plans, plans_for
from assistant.testplan import load_plan, plan_path, run

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = dialogue_files([ROOT / "dialogues", ROOT / "tests" / "web"])


@pytest.mark.parametrize("path", DIALOGUES, ids=lambda p: p.stem)
def test_every_dialogue_has_a_plan_that_passes(path: Path) -> None:
    plan = plan_path(path)
    assert plan.exists(), f"{path.name} needs a test plan beside it: {plan.name}"
    result = run(load(path), load_plan(plan))
    assert result.failures == []
    # and `assistant check` runs it, with every other plan beside the dialogue
    dialogue, problems, plans = check_with_plans(path)
    assert dialogue is not None and [str(p) for p in problems] == []
    assert plans == len(plans_for(path)) >= 1


def test_a_plan_that_goes_wrong_says_where() -> None:
    path = ROOT / "dialogues" / "wishes-and-needs.yaml"
    plan = load_plan(plan_path(path))
    plan["steps"][3] = {"at": "dreams", "answer": "too early"}
    failures = run(load(path), plan).failures
    assert failures == ["step 4 (dreams): expected to be at 'dreams', but at 'matters'"]


def test_a_plan_checks_the_drafts_answers_and_what_is_left_out() -> None:
    path = ROOT / "dialogues" / "wishes-and-needs.yaml"
    plan = load_plan(plan_path(path))
    plan["answers"]["help-hours"] = {"helped": "12"}
    plan["answers"]["occupation"] = {"proxy": ["day-activities"]}
    plan["left-out"].append("occupation-details")  # still on: day activities were chosen
    assert run(load(path), plan).failures == [
        "answers: 'help-hours' holds {'helped': '12.5'}, expected {'helped': '12'}",
        "answers: 'occupation' holds {'helped': ['day-activities']}, expected {'proxy': ['day-activities']}",
        "left-out: 'occupation-details' still applies: it is on the review and in the draft",
    ]


def check_command(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "assistant", "check", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def writers_copy(tmp_path: Path) -> Path:
    """The shipped dialogue and its plans, copied as a writer would start a new one."""
    for source in (ROOT / "dialogues").glob("wishes-and-needs*"):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path / "wishes-and-needs.yaml"


def test_check_runs_the_plans_and_names_the_line_where_one_went_wrong(writers_copy: Path) -> None:
    passing = check_command(writers_copy)
    assert passing.returncode == 0, passing.stdout
    assert "1 file(s) checked, 2 test plan(s) run, 0 error(s)" in passing.stderr
    plan = plan_path(writers_copy)
    lines = plan.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("  - {at: matters"))
    lines[number - 1] = lines[number - 1].replace("at: matters", "at: dreams")
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    failing = check_command(writers_copy)
    assert failing.returncode == 1
    first, hint = failing.stdout.splitlines()[:2]
    assert first == (
        f"{plan}:{number}:5: DLG030 step 4 (dreams): expected to be at 'dreams', but at 'matters'"
    )
    assert hint.strip().startswith("hint: The plan says what a person does")
    assert "2 test plan(s) run, 1 error(s)" in failing.stderr
    # Naming the plan checks its dialogue and runs its plans, the same way.
    assert check_command(plan).stdout == failing.stdout


def test_a_second_plan_and_a_review_that_differs_are_found_at_their_lines(
    writers_copy: Path,
) -> None:
    second = writers_copy.with_name("wishes-and-needs.two-voices.testplan.yaml")
    lines = second.read_text(encoding="utf-8").splitlines()
    line = lines.index("  need-moving: [every-week]") + 1
    lines[line - 1] = "  need-moving: [every-day]"
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check_command(writers_copy)
    assert result.returncode == 1
    assert result.stdout.startswith(
        f"{second}:{line}:3: DLG030 review: 'need-moving' shows ['every-week'], expected ['every-day']"
    )


@pytest.mark.parametrize(
    ("plan", "line", "words"),
    [
        ("steps: [\n", 2, "the plan is not YAML"),
        ("steps: {at: welcome}\n", 1, "steps must be a list"),
        ("steps:\n  - welcome\n", 2, "each step must be a mapping"),
        ("steps:\n  - {at: welcome, anwser: x}\n", 2, "no action: write one of answer"),
        ("steps: []\n", 1, "the plan ended at"),
    ],
)
def test_a_plan_that_cannot_be_walked_says_why_at_its_line(
    writers_copy: Path, plan: str, line: int, words: str
) -> None:
    plan_path(writers_copy).write_text(plan, encoding="utf-8")
    dialogue, problems, _ = check_with_plans(writers_copy)
    assert dialogue is not None
    first = problems[0]
    assert (first.code, first.line, first.path) == ("DLG030", line, str(plan_path(writers_copy)))
    assert words in first.message
