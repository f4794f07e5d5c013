"""A long answer is never lost to a size limit: up to the limit it reaches validation, which
keeps the text and says how long it may be; beyond it, the error page says the limit in the
person's language and leads back to the question."""

from __future__ import annotations

from urllib.parse import urlencode

from assistant.web.forms import MAX_BODY, MAX_TEXT_CHARACTERS
from tests.test_web_conversation import answer, begin, csrf
from tests.web.browser import Browser, Page

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def at_good_at(browser: Browser) -> None:
    """The long-text question (max-length 5,000 by default)."""
    await begin(browser)
    await answer(browser)
    await answer(browser, {"answer": "Aino"})
    assert browser.page and browser.page.heading.endswith("What are you good at?")


def textarea(page: Page) -> str:
    return next(value for name, value, kind, _ in page.form().fields if kind == "textarea")


async def test_an_answer_five_times_too_long_is_kept_with_a_clear_message(
    browser: Browser,
) -> None:
    await at_good_at(browser)
    typed = ("Säätää ääntä yöllä päivää myöhään. " * 1000)[:25_000].strip()
    # Well over the old 64 KiB limit: each "ä" is 6 bytes percent-encoded.
    assert len(urlencode({"csrf": csrf(browser), "answer": typed})) > 75 * 1024
    page = await browser.submit({"answer": typed})
    assert page.status == 200 and page.title.startswith("Error:")
    assert f"has {len(typed):,} characters. Shorten it to 5,000 or fewer" in page.text
    assert textarea(page) == typed  # nothing typed is lost


async def test_the_longest_answer_in_the_widest_characters_is_received(browser: Browser) -> None:
    """5,000 characters of 4 bytes each: 60,000 bytes percent-encoded, and it is saved."""
    await at_good_at(browser)
    typed = "\U0001f600" * 5000
    await answer(browser, {"answer": typed})
    assert browser.page and browser.page.heading.endswith("Do you work or study?")
    assert typed in (await browser.get("/review")).text


async def test_beyond_the_limit_the_page_says_it_and_leads_back(browser: Browser) -> None:
    await at_good_at(browser)
    body = f"csrf={csrf(browser)}&answer=".encode() + b"x" * MAX_BODY
    response = await browser.client.post("/q/good-at", data=body, headers=FORM)
    assert response.status == 413
    page = await browser.read(response)
    assert f"We can take at most {MAX_TEXT_CHARACTERS:,} characters at a time" in page.text
    assert page.link("Go back to the question") == "/q/good-at"
    # In the person's language, with the number written the way it is read there.
    await browser.client.post("/language", data={"csrf": csrf(browser), "language": "fi"})
    response = await browser.client.post("/q/good-at", data=body, headers=FORM)
    page = await browser.read(response)
    assert "Voimme ottaa vastaan enintään 20 000 merkkiä kerrallaan" in page.text
    assert page.link("Palaa kysymykseen") == "/q/good-at"


async def test_an_expired_page_leads_back_to_the_question(browser: Browser) -> None:
    await at_good_at(browser)
    response = await browser.client.post(
        "/q/good-at?return=review", data={"csrf": "expired", "answer": "Baking"}
    )
    assert response.status == 403
    page = await browser.read(response)
    assert "This page has expired" in page.text
    assert page.link("Go back to the question") == "/q/good-at?return=review"
    page = await browser.get(page.link("Go back to the question"))
    assert page.heading.endswith("What are you good at?")


async def test_the_api_says_the_limit_too(browser: Browser) -> None:
    await at_good_at(browser)
    response = await browser.client.post(
        "/api/v1/steps/good-at",
        data=b'{"answer": "' + b"x" * MAX_BODY + b'"}',
        headers={"X-CSRF-Token": csrf(browser), "Content-Type": "application/json"},
    )
    assert response.status == 413
    assert f"{MAX_TEXT_CHARACTERS:,} characters" in (await response.json())["message"]
