"""Issue 16: the region profile, the `answering` condition, the measured minutes and the draft
in a plain variant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.app import create_app
from assistant.dialogue.duration import minutes, shortest_path
from assistant.dialogue.engine import Engine
from assistant.dialogue.loader import load
from assistant.dialogue.state import Respondent
from assistant.dialogue.texts import Text
from assistant.i18n import Catalogs
from assistant.region import check
from assistant.region import load as load_region
from assistant.settings import PROJECT_ROOT, SettingError, Settings
from tests.conftest import Browser
from tests.test_draft import answer, begin

EXAMPLE = PROJECT_ROOT / "regions" / "example.yaml"
SHIPPED = load(PROJECT_ROOT / "dialogues" / "wishes-and-needs.yaml")
WELCOME = next(s for s in SHIPPED.steps if s.id == "welcome")
LOCALES = PROJECT_ROOT / "locales"


def welcome(catalogs: Catalogs, locale: str) -> str:
    assert WELCOME.text is not None
    return catalogs.translator(locale).plain_text(Text(WELCOME.text, WELCOME.context))


def test_the_example_profile_is_clean_and_fills_the_dialogue() -> None:
    region, problems = check(EXAMPLE)
    assert problems == [] and region is not None
    catalogs = Catalogs(LOCALES, region)
    assert "Hänen nimikkeensä on palveluohjaaja." in welcome(catalogs, "fi")
    assert "työnantaja on Esimerkin hyvinvointialue." in welcome(catalogs, "fi")
    assert "Työntekijän nimike on palveluohjaaja." in welcome(catalogs, "fi@selko")  # from fi
    assert welcome(catalogs, "fi@selko").endswith("arkipäivisin kello 9–12.")  # its own
    assert "Their title is service coordinator." in welcome(catalogs, "en@easy")


def test_without_a_profile_the_generic_words_are_used() -> None:
    text = welcome(Catalogs(LOCALES), "fi")
    assert "esimerkiksi omatyöntekijä, palveluohjaaja tai sosiaalityöntekijä" in text
    assert text.endswith("Jos sinulla on kysyttävää, kysy työntekijältäsi.")
    assert "{" not in text and "region" not in text


def test_profile_problems_are_found_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "region.yaml"
    path.write_text("nmae:\n  fi: X\nworker:\n  fx: y\n  sv: '{a}'\n", encoding="utf-8")
    _region, problems = check(path)
    assert [(p.line, p.message) for p in problems] == [
        (1, "unknown key 'nmae'"),
        (4, "'fx' is not a language of the assistant"),
        (5, "the text for sv has a brace or a |"),
    ]
    assert problems[0].hint.startswith("Did you mean 'name'?")
    with pytest.raises(SettingError, match=r"^OMA_REGION_FILE is .* \(line 1: unknown key 'nmae'"):
        Settings(region_file=path).region()
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "check"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"OMA_REGION_FILE": str(path), "PATH": ""},
    )
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:1:1: region profile: unknown key 'nmae'")
    assert load_region(None).values("fi") == {}


def test_the_relatives_questions_are_asked_only_when_someone_helps_or_answers() -> None:
    engine = Engine(SHIPPED)
    alone = {s.key for s in engine.path(engine.start())}
    helped = {s.key for s in engine.path(engine.start(Respondent("helped", "my sister")))}
    relative = {
        "relative-intro",
        "relative-view",
        "relative-does",
        "relative-strain",
        "relative-needs",
    }
    assert not relative & alone
    assert relative <= helped


def test_the_minutes_are_measured_from_the_dialogue() -> None:
    assert minutes(SHIPPED) == (45, 75)
    assert len(shortest_path(SHIPPED)) < len(SHIPPED.steps)


async def test_the_start_page_says_the_measured_range(aiohttp_client, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    shipped = settings.with_(
        dialogues_dir=PROJECT_ROOT / "dialogues", default_dialogue="wishes-and-needs"
    )
    client = await aiohttp_client(create_app(shipped))
    page = await (await client.get("/", headers={"Accept-Language": "en"})).text()
    assert "It takes about 45 to 75 minutes. There is no time limit." in page
    # A writer's own `minutes:` is said as written.
    other = (await Browser(await aiohttp_client(create_app(settings))).get("/")).text
    assert "Vastaaminen kestää noin 5 minuuttia." in other


async def test_the_draft_is_offered_in_the_plain_variant(browser: Browser) -> None:
    await begin(browser)
    await answer(browser)
    page = await browser.get("/draft?lang=fi@selko")
    assert "Luonnoksen kieli: selkosuomi" in " ".join(page.text.split())
    assert '<option value="sv@lattlast" lang="sv">Lättläst svenska</option>' in page.html
    assert '<option value="fi@selko" lang="fi" selected>Selkosuomi</option>' in page.html
    plain = await (await browser.client.get("/draft.txt?lang=sv@lattlast")).text()
    assert "Utkastets språk: lättläst svenska" in plain
