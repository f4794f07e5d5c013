"""Issue 17: a calculation's `says` may be two forms, one and several; each language chooses
by the value shown with its own plural rules ("1 hour", "2 hours"; "1 tunti", "2 tuntia"),
the same on the page and in what listening says, and the checker refuses a pair that cannot
choose by one number, or a pair where a text is one text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from assistant.app import create_app
from assistant.dialogue.loader import check_text
from assistant.i18n import Catalogs
from assistant.settings import PROJECT_ROOT, Settings
from tests.test_web_conversation import csrf
from tests.web.browser import Browser

EXPECTED = {
    ("en", 1): (
        "About 1 hour a week of personal assistance.",
        "In all about 1 hour of support a week.",
    ),
    ("en", 2): (
        "About 2 hours a week of personal assistance.",
        "In all about 2 hours of support a week.",
    ),
    ("fi", 1): (
        "Noin 1 tunti henkilökohtaista apua viikossa.",
        "Yhteensä noin 1 tunti tukea viikossa.",
    ),
    ("fi", 2): (
        "Noin 2 tuntia henkilökohtaista apua viikossa.",
        "Yhteensä noin 2 tuntia tukea viikossa.",
    ),
}


async def answer(browser: Browser, fields: dict[str, str | list[str]] | None = None) -> None:
    """Fill the page and press its first button (Continue, Jatka), in any language."""
    page = await browser.submit(fields or {}, button=None)
    assert page.status == 200 and "/error" not in page.url, page.text[:400]


async def _totals(browser: Browser, language: str, hours: str) -> None:
    """Through the real server: one kind of support, once a week for `hours` hours, then the
    totals page."""
    await browser.get("/")
    await browser.client.post(
        "/language", data={"csrf": csrf(browser), "language": language, "next": "/"}
    )
    await browser.get("/")
    await browser.submit({"role": "client", "dialogue": "support-plan-sketch"}, action="/start")
    await answer(browser)  # welcome
    await answer(browser, {"add": "yes"})
    for fields in (
        {"answer": "personal-assistant-employer"},
        {"answer": "free-time"},
        {"answer": "Going to the gym"},
        {"answer": "week"},
        {"answer": "1"},
        {"answer": hours},
        {"answer": "no"},
        {"answer": "My friend"},
    ):
        await answer(browser, fields)
    await answer(browser, {"add": "no"})


@pytest.mark.parametrize(("language", "hours"), sorted(EXPECTED))
async def test_the_form_follows_the_number_on_the_page_and_in_speech(
    settings: Settings,
    make_browser: Callable[..., Awaitable[Browser]],
    language: str,
    hours: int,
) -> None:
    shipped = settings.with_(
        dialogues_dir=PROJECT_ROOT / "dialogues", default_dialogue="wishes-and-needs"
    )
    browser = await make_browser(create_app(shipped))
    await _totals(browser, language, str(hours))
    assert browser.page is not None and "/q/totals" in browser.page.url, browser.page.url
    page = " ".join(browser.page.text.split())
    step = await (await browser.client.get("/api/v1/step")).json()
    for sentence in EXPECTED[(language, hours)]:
        assert sentence in page
        assert sentence in step["speech"]


def test_each_language_chooses_its_form_for_whole_and_part_numbers() -> None:
    catalogs = Catalogs(PROJECT_ROOT / "locales")
    for locale in ("en", "fi", "sv", "fi@selko", "sv@lattlast", "en@easy"):
        t = catalogs.translator(locale)
        assert [t.plural_count(Decimal(v)) for v in ("1", "2", "2.5", "0.5", "0")] == [
            1,
            2,
            0,
            0,
            0,
        ]


HEAD = (
    "title: Hours\nsections:\n  - {id: plan, title: My plan}\nsteps:\n"
    '  - {id: hours, kind: number, section: plan, prompt: "How many hours?", measure: hour}\n'
    "  - {id: totals, kind: information, prompt: Totals, show: [total]}\ncalculations:\n"
)


@pytest.mark.parametrize(
    ("calculation", "line", "message"),
    [
        (  # no number in one form to choose by
            '  - {id: total, unit: hour, value: hours, says: ["One hour.", "{value} hours."]}\n',
            8,
            "each form of says: needs {value} once",
        ),
        (  # three forms
            '  - {id: total, unit: hour, value: hours, says: ["{value} h", "{value} hs", "x"]}\n',
            8,
            "says: cannot be these forms: a pair is two texts",
        ),
        (  # euros are an amount, not a count
            "  - {id: total, unit: euro, value: {number: 5, unit: euro},"
            ' says: ["{value} euro.", "{value} euros."]}\n',
            8,
            "an amount in euros is not counted",
        ),
        (  # a pair where a text is one text
            '  - {id: total, unit: hour, value: hours, title: ["{value} hour", "{value} hours"]}\n',
            8,
            "title cannot be two forms, one and several",
        ),
    ],
)
def test_the_checker_refuses_a_pair_that_cannot_choose(
    calculation: str, line: int, message: str
) -> None:
    dialogue, problems = check_text(HEAD + calculation, "example", "example.yaml")
    assert dialogue is None
    (problem,) = problems
    assert (problem.code, problem.rule.name, problem.line) == ("DLG036", "plural-pair", line)
    assert message in problem.message
    assert str(problem).startswith(f"example.yaml:{line}:") and "hint: " in str(problem)


def test_a_pair_with_one_number_in_each_form_loads() -> None:
    ok = '  - {id: total, unit: hour, value: hours, says: ["{value} hour.", "{value} hours."]}\n'
    dialogue, problems = check_text(HEAD + ok, "example")
    assert problems == [] and dialogue is not None
    assert (dialogue.calculations[0].says, dialogue.calculations[0].says_plural) == (
        "{value} hour.",
        "{value} hours.",
    )
