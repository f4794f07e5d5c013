"""Listening: with JavaScript one "Listen" button per prompt (one Tab stop, our words) plays the
page's hidden <audio>; without it the native player stays. "Use my device's voice" reads the
same words with the Web Speech API where the device has a voice of its own for the language,
and the server's audio plays otherwise.

Chromium here has no speech voices, so the tests that need one replace `speechSynthesis` in the
page with a stub (an init script, before the page's own script runs) that records what it is
asked to say; the real API is never called. Everything else is the real server and audio."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import LiveServer
from tests.browser.test_focus_targets_motion import tab_through
from tests.browser.walk import post, prepare, visit

pytestmark = pytest.mark.browser
STEP = "/q/liked-for"  # answered by the walk: the question's and the answer's Listen

# A stand-in for the Web Speech API: `voices` as the device would list them; `fail`: every
# utterance ends in an error, as a broken voice would.
STUB = """(config) => {
  const spoken = [];
  window.spokenByDevice = spoken;
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  const synth = {
    getVoices: () => config.voices,
    speak(u) {
      spoken.push({text: u.text, rate: u.rate, lang: u.lang, voice: u.voice && u.voice.name});
      setTimeout(() => (config.fail ? u.onerror({error: 'synthesis-failed'}) : u.onend()), 200);
    },
    cancel() {},
    addEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
}"""
LOCAL_FI = {"name": "Satu", "lang": "fi-FI", "localService": True}
REMOTE_FI = {"name": "Network suomi", "lang": "fi-FI", "localService": False}


def stub_speech(
    context: BrowserContext, voices: list[dict[str, object]], fail: bool = False
) -> None:
    config = json.dumps({"voices": voices, "fail": fail})
    context.add_init_script(f"({STUB})({config})")


@pytest.fixture
def no_script(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, locale="fi-FI", java_script_enabled=False)
    yield context.new_page()
    context.close()


def playing(page: Page, selector: str) -> bool:
    return bool(page.evaluate("(s) => !document.querySelector(s).paused", selector))


def test_one_listen_button_is_one_tab_stop_and_the_player_is_the_fallback(
    page: Page, no_script: Page
) -> None:
    """The native player is several Tab stops (its inner buttons, named in the browser's
    language); with the script each Listen control is one button named in our words, and no
    player is reached. Without the script the native player is there and the button is not."""
    prepare(page)
    page.goto(STEP)
    controls = page.locator(".listen")
    assert controls.count() >= 2  # the question, and the answer given before
    stops = tab_through(page)
    assert [s for s in stops if s["key"].startswith("AUDIO")] == []
    buttons = [s["name"] for s in stops if "listen-button" in s["key"]]
    assert buttons == [
        page.locator(".listen-label").nth(i).inner_text() for i in range(controls.count())
    ]
    assert buttons[0] == "Kuuntele kysymys"

    post(no_script, "/start", {"role": "client"})
    no_script.goto(STEP)
    assert no_script.locator("audio#listen[controls]").is_visible()
    assert no_script.locator(".listen-button").first.is_hidden()
    native = [s for s in tab_through(no_script) if s["key"].startswith("AUDIO")]
    assert len(native) >= 2, native  # what one button replaces


def test_the_listen_button_plays_the_question_and_stops_it(page: Page) -> None:
    prepare(page)
    page.goto(STEP)
    button = page.locator("#listen + .listen-button")
    button.click()
    page.wait_for_function("() => !document.querySelector('#listen').paused", timeout=10_000)
    assert button.inner_text() == "Lopeta kuuntelu"
    button.click()
    assert not playing(page, "#listen")
    assert button.inner_text() == "Kuuntele kysymys"


def test_the_device_voice_reads_the_same_words_at_the_same_rate(
    context: BrowserContext, page: Page
) -> None:
    stub_speech(context, [REMOTE_FI, LOCAL_FI])
    prepare(page)
    page.goto("/settings")
    choice = page.locator("#device-voice")
    assert choice.is_visible()  # offered: the device has a Finnish voice of its own
    choice.get_by_label("Kyllä").check()
    page.get_by_label("Hitaampi").check()
    page.get_by_role("button", name="Tallenna asetukset").click()
    page.goto(STEP)
    button = page.locator("#listen + .listen-button")
    button.click()
    page.wait_for_function("() => window.spokenByDevice.length === 1")
    said = page.evaluate("window.spokenByDevice[0]")
    assert said == {
        "text": button.get_attribute("data-speak"),
        "rate": 0.8,  # "slower": 140 words a minute where the server's normal is 175
        "lang": "fi-FI",
        "voice": "Satu",  # never the voice that would send the words to a server
    }
    assert said["text"].startswith(page.locator("h1").inner_text().strip())
    assert not playing(page, "#listen")  # the server's audio stays quiet
    page.wait_for_function(
        "() => document.querySelector('#listen + .listen-button').textContent === 'Kuuntele kysymys'"
    )


@pytest.mark.parametrize("device", ["no-own-voice", "voice-fails"])
def test_the_server_audio_plays_when_the_device_cannot(
    context: BrowserContext, page: Page, device: str
) -> None:
    """Chosen, but the device has only a voice that sends the words away (or one that fails):
    the choice is not offered, and Listen plays the server's audio."""
    fails = device == "voice-fails"
    stub_speech(context, [LOCAL_FI] if fails else [REMOTE_FI], fail=fails)
    prepare(page)
    post(page, "/settings", {"voice": "device", "next": "/"})
    page.goto("/settings")
    assert page.locator("#device-voice").is_visible() == fails
    page.goto(STEP)
    page.locator("#listen + .listen-button").click()
    page.wait_for_function("() => !document.querySelector('#listen').paused", timeout=10_000)
    assert page.evaluate("window.spokenByDevice.length") == (1 if fails else 0)


def test_each_message_and_each_person_in_a_list_can_be_listened_to(page: Page) -> None:
    """In the conversation mode every question has its Listen, and each person added to an
    "add another" list a Listen of their own, which plays that person's own audio."""
    prepare(page)
    visit(page, "conversation-list", "/q/team")
    message = page.locator("ol.transcript > li").first
    assert message.get_by_role("button", name="Kuuntele", exact=True).count() == 1
    person = message.get_by_role("button", name="Kuuntele: Anna")
    with page.expect_response(lambda r: "part=item" in r.url) as response:
        person.click()
    assert response.value.status in (200, 206)
    assert "n=1" in response.value.url
    # On the plain page too: each person has a Listen of their own.
    page.goto("/q/team")
    assert page.locator(".item .listen-button").all_inner_texts() == ["Kuuntele: Anna"]
