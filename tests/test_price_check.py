"""Issue 17: `assistant check` compares the region's price list with what the dialogues price
(the choices of each estimate's arrangement question): a misspelt key is an error at its line
with the fix, an arrangement without a price a warning, and the shipped example is clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.dialogue.loader import load
from assistant.price_check import check_prices, priced_choices
from assistant.region import check as check_region
from assistant.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "regions" / "example.yaml"
SKETCH = PROJECT_ROOT / "dialogues" / "support-plan-sketch.yaml"
PRICES = """\
prices:
  source: Example price list
  set-on: 2026-01-01
  arrangements:
    personal-assistant-employer: {unit: hour, price: 24.80}
    personal-asistant-voucher: {unit: hour, price: 31.50}
"""


def assistant_check(region: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "check", *paths],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"OMA_REGION_FILE": str(region), "PATH": ""},
    )


def test_the_shipped_example_profile_prices_exactly_the_sketchs_arrangements() -> None:
    result = assistant_check(EXAMPLE)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert "the region profile checked" in result.stderr
    assert "0 error(s), 0 warning(s)." in result.stderr
    region, problems = check_region(EXAMPLE)
    assert problems == [] and region is not None and region.prices is not None
    choices = {c.value for c in priced_choices(load(SKETCH), SKETCH)}
    assert set(region.prices.prices) | region.prices.unpriced == choices
    assert region.prices.price("relative-or-volunteer") is None  # no-price: on purpose


def test_a_misspelt_key_is_named_at_its_line_with_the_fix(tmp_path: Path) -> None:
    region = tmp_path / "region.yaml"
    region.write_text(PRICES, encoding="utf-8")
    result = assistant_check(region)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{region}:6:5: DLG034 the price list has a price for 'personal-asistant-voucher', "
        "but no dialogue has an arrangement of that name, so it is never used"
    )
    assert lines[1].startswith("    hint: Did you mean 'personal-assistant-voucher'? ")
    assert f"supports.arrangement ({SKETCH}:39)" in lines[1]
    # The arrangements it leaves without a price are warnings at `arrangements:`.
    warnings = [line for line in lines if " DLG035 warning: " in line]
    assert len(warnings) == 9  # ten arrangements, one priced
    assert warnings[0].startswith(
        f"{region}:4:3: DLG035 warning: no price for 'personal-assistant-voucher'"
    )
    assert "1 error(s), 9 warning(s)." in result.stderr


def test_a_dialogue_that_prices_nothing_is_not_compared(tmp_path: Path) -> None:
    region = tmp_path / "region.yaml"
    region.write_text(PRICES, encoding="utf-8")
    result = assistant_check(region, "dialogues/wishes-and-needs.yaml")
    assert result.returncode == 0, result.stdout


def test_without_a_price_list_there_is_nothing_to_compare(tmp_path: Path) -> None:
    region = tmp_path / "region.yaml"
    region.write_text("worker:\n  fi: palveluohjaaja\n", encoding="utf-8")
    loaded, _ = check_region(region)
    assert loaded is not None
    assert check_prices(region, loaded.prices, [(SKETCH, load(SKETCH))]) == []
