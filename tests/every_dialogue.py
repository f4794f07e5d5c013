"""Every dialogue the tests run over: the shipped ones in dialogues/, and fixtures in tests/
that use what the shipped ones do not (another domain, sections without codes, a list of
things, number conditions, placeholders in choice labels). Never only the shipped one."""

from __future__ import annotations

from pathlib import Path

from assistant.dialogue.loader import dialogue_files

ROOT = Path(__file__).resolve().parent.parent
DIALOGUE_FILES: list[Path] = dialogue_files(
    [ROOT / "dialogues", ROOT / "tests" / "web", ROOT / "tests" / "dialogues" / "valid"]
)
