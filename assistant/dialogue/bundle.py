"""A dialogue with its engine and views: what the service, speech and tests run a dialogue by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load_all
from assistant.dialogue.model import Dialogue
from assistant.dialogue.views import Views


@dataclass(frozen=True)
class Bundle:
    dialogue: Dialogue
    engine: Engine
    views: Views


def load_bundles(directory: Path, today: Callable[[], date] = date.today) -> dict[str, Bundle]:
    """Every dialogue in the folder, by id, each with its engine and views."""
    bundles = {}
    for name, dialogue in load_all(directory).items():
        engine = Engine(dialogue, today)
        bundles[name] = Bundle(dialogue, engine, Views(engine))
    return bundles
