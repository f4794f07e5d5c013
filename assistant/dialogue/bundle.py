"""A dialogue with its engine and views: what the service, speech and tests run a dialogue by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from assistant.dialogue import duration
from assistant.dialogue.calc import Calculator, Prices
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load_all
from assistant.dialogue.model import Dialogue
from assistant.dialogue.reconcile import Reconciler
from assistant.dialogue.views import Views


@dataclass(frozen=True)
class Bundle:
    dialogue: Dialogue
    engine: Engine
    views: Views
    # The region's price list for estimates; None: hours and times only, never a price.
    prices: Prices | None = None

    @cached_property
    def calculator(self) -> Calculator:
        return Calculator(self.engine, self.prices)

    @cached_property  # walks the dialogue: once
    def minutes(self) -> tuple[int, int]:
        """About how long it takes, (shortest, longest) in minutes (dialogue/duration.py)."""
        return duration.minutes(self.dialogue)

    @cached_property  # fingerprints the dialogue: once
    def reconciler(self) -> Reconciler:
        """Stored conversations meet the dialogue as it is now (see dialogue/reconcile.py)."""
        return Reconciler(self.engine)


def load_bundles(
    directory: Path, today: Callable[[], date] = date.today, prices: Prices | None = None
) -> dict[str, Bundle]:
    """Every dialogue in the folder, by id, each with its engine and views."""
    bundles = {}
    for name, dialogue in load_all(directory).items():
        engine = Engine(dialogue, today)
        bundles[name] = Bundle(dialogue, engine, Views(engine, prices), prices)
    return bundles
