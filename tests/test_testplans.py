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


def test_the_changed_branch_leaves_the_review() -> None:
    path = ROOT / "dialogues" / "wishes-and-needs.yaml"
    result = run(load(path), load_plan(plan_path(path)))
    from assistant.dialogue.engine import Engine
    from assistant.dialogue.views import Views

    keys = [row.step.key for row in Views(Engine(load(path))).rows(result.state)]
    assert "caring-details" not in keys and "occupation-details" in keys
