"""The README documents what the program really has: every setting with its variable and
default, and every command with its options, as `assistant --help` shows them."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from assistant.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def documented_default(value: Any) -> str:
    """A default as the README's table writes it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "`1`" if value else "`0`"
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value) or "none"
    if isinstance(value, float):
        return f"`{value:g}`"
    if isinstance(value, Path) and value.is_relative_to(PROJECT_ROOT):
        return f"`{value.relative_to(PROJECT_ROOT)}/`"
    return f"`{value}`"


def test_every_setting_is_in_the_readme_with_its_variable_and_default() -> None:
    table = dict(re.findall(r"^\| `(OMA_\w+)` \| ([^|]+?) \|", README, re.MULTILINE))
    expected = {"OMA_" + f.name.upper(): documented_default(f.default) for f in fields(Settings)}
    assert table == expected


def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_every_command_and_option_is_the_one_the_readme_documents(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = re.findall(r"^\| (`assistant .+?`(?: / `assistant .+?`)*) \|", README, re.MULTILINE)
    documented: dict[str, str] = {}
    for usage in rows:
        for command in re.findall(r"`assistant (\w+)", usage):
            documented[command] = documented.get(command, "") + usage
    commands = re.findall(r"^    (\w+) {2,}\S", help_text(capsys), re.MULTILINE)
    assert sorted(documented) == sorted(commands)
    for command in commands:
        shown = help_text(capsys, command)
        options = set(re.findall(r"--[a-z][\w-]*", shown)) - {"--help"}
        assert set(re.findall(r"--[a-z][\w-]*", documented[command])) == options, command
        for choices in re.findall(r"^  \{([\w,]+)\}", shown, re.MULTILINE):
            for choice in choices.split(","):
                assert choice in documented[command], (command, choice)
