"""Golden files: the expected output of a renderer, reviewed by a person and committed.

A missing golden file is written and the test FAILS, so nothing passes before a person has read
the new file; UPDATE_GOLDEN=1 rewrites changed files, and fails the same way, for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, content: str, folder: Path = GOLDEN) -> None:
    path = folder / name
    if not path.exists() or (
        os.environ.get("UPDATE_GOLDEN") and path.read_text(encoding="utf-8") != content
    ):
        written = "written" if not path.exists() else "rewritten"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        pytest.fail(f"{path} was {written}: review it, commit it, and run the tests again")
    assert content == path.read_text(encoding="utf-8"), (
        f"{name} changed: run with UPDATE_GOLDEN=1, review the diff and commit it"
    )
