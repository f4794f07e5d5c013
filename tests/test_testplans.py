"""Every dialogue's expected transcript: the prompts seen, the answers given, the review."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.dialogue.loader import dialogue_files, load
from assistant.testplan import load_plan, plan_path, run

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = dialogue_files([ROOT / "dialogues", ROOT / "tests" / "web"])


@pytest.mark.parametrize("path", DIALOGUES, ids=lambda p: p.stem)
def test_every_dialogue_has_a_plan_that_passes(path: Path) -> None:
    plan = plan_path(path)
    assert plan.exists(), f"{path.name} needs a test plan beside it: {plan.name}"
    result = run(load(path), load_plan(plan))
    assert result.failures == []


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
