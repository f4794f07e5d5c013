"""One speech worker shared fairly (issue 20): questions before answers read back, people
taking turns, one request waiting per person, the same request made once, a long answer read
back in parts. Through the real worker process, with the fake engine (its "slow" texts hold
the worker while requests line up) and with real espeak-ng."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from assistant.app import create_app
from assistant.settings import Settings
from assistant.speech import SpeechBusy, SpeechService
from assistant.speech.recent import RecentAudio
from assistant.speech.texts import ANSWER_PART, in_parts
from tests.test_long_answers import at_good_at
from tests.test_speech import FAKE, is_mp3
from tests.test_web_conversation import answer, csrf
from tests.web.browser import Browser


@pytest.fixture
async def fake(tmp_path: Path) -> AsyncIterator[SpeechService]:
    service = SpeechService(tmp_path / "cache", engine=FAKE, key=b"test", timeout=5, queue=3)
    await service.start()
    yield service
    await service.close()


async def settle() -> None:
    """Let every task started so far reach its place in line."""
    for _ in range(5):
        await asyncio.sleep(0)


class Listeners:
    """Requests to one service, and the order their audio was ready in."""

    def __init__(self, service: SpeechService) -> None:
        self.service, self.done = service, list[str]()

    def ask(self, text: str, session: str, read_back: bool = False) -> asyncio.Task[None]:
        async def listen() -> None:
            audio = await self.service.audio(
                text, "fi", cache=False, session=session, read_back=read_back
            )
            assert is_mp3(audio.data)
            self.done.append(text)

        return asyncio.create_task(listen())


async def test_a_question_goes_before_answers_read_back_that_came_first(
    fake: SpeechService,
) -> None:
    line = Listeners(fake)
    started = line.ask("slow: being made", "C")
    await settle()
    asked = [
        line.ask("slow answer of A", "A", read_back=True),
        line.ask("slow answer of B", "B", read_back=True),
        line.ask("question of D", "D"),
    ]
    await asyncio.gather(started, *asked)
    assert line.done == [
        "slow: being made",
        "question of D",
        "slow answer of A",
        "slow answer of B",
    ]


async def test_who_just_had_a_turn_waits_behind_someone_who_asked_later(
    fake: SpeechService,
) -> None:
    line = Listeners(fake)
    first = line.ask("slow: A's first", "A", read_back=True)
    await settle()
    again = line.ask("A's second", "A", read_back=True)  # at once, while the first is made
    await settle()
    other = line.ask("B's only", "B", read_back=True)  # a moment later
    await asyncio.gather(first, again, other)
    assert line.done == ["slow: A's first", "B's only", "A's second"]


async def test_a_newer_request_takes_the_place_of_the_same_persons_waiting_one(
    fake: SpeechService,
) -> None:
    line = Listeners(fake)
    started = line.ask("slow: someone else's", "C")
    await settle()
    older = line.ask("A's older", "A", read_back=True)
    await settle()
    newer = line.ask("A's newer", "A", read_back=True)
    with pytest.raises(SpeechBusy):
        await older
    await asyncio.gather(started, newer)
    assert line.done == ["slow: someone else's", "A's newer"]


async def test_a_full_line_says_busy_at_once(fake: SpeechService) -> None:
    line = Listeners(fake)
    started = line.ask("slow: being made", "S")
    await settle()
    waiting = [line.ask(f"slow {n}", f"person {n}") for n in range(fake.queue)]
    await settle()
    with pytest.raises(SpeechBusy):
        await fake.audio("one too many", "fi", cache=False, session="late")
    await asyncio.gather(started, *waiting)  # everyone already in line is served
    assert len(line.done) == fake.queue + 1


async def test_the_same_request_twice_is_made_once(fake: SpeechService) -> None:
    before = fake.synthesised
    one, two = await asyncio.gather(
        fake.audio("slow, same words", "fi", cache=False, session="A"),
        fake.audio("slow, same words", "fi", cache=False, session="A"),
    )
    assert one.data == two.data and fake.synthesised == before + 1


async def test_a_persons_own_audio_is_kept_a_while_for_them_alone(fake: SpeechService) -> None:
    first = await fake.audio("Aino", "fi", cache=False, session="A")
    made = fake.synthesised
    again = await fake.audio("Aino", "fi", cache=False, session="A")
    assert again.data == first.data and fake.synthesised == made
    await fake.audio("Aino", "fi", cache=False, session="B")  # someone else: made for them
    await fake.audio("Aino", "fi", cache=False)  # no session (assistant talk): made each time
    assert fake.synthesised == made + 2
    fake.forget("A")
    await fake.audio("Aino", "fi", cache=False, session="A")
    assert fake.synthesised == made + 3


def test_kept_audio_goes_after_a_few_minutes_and_within_its_bytes() -> None:
    now = [0.0]
    recent = RecentAudio(seconds=300, max_bytes=10, clock=lambda: now[0])
    recent.keep(("A", "fi", 175, "one"), b"12345")
    recent.keep(("B", "fi", 175, "two"), b"123456")  # 11 bytes in all: the oldest goes
    assert recent.get(("A", "fi", 175, "one")) is None
    assert recent.get(("B", "fi", 175, "two")) == b"123456"
    now[0] = 301.0
    assert recent.get(("B", "fi", 175, "two")) is None and len(recent) == 0


async def test_one_persons_long_read_backs_do_not_hold_up_anothers_question(
    real: SpeechService,
) -> None:
    """Issue 20's case with real espeak-ng: one person asks for three long read-backs, then
    another person listens to a question. The question waits only for the read-back already
    being made; the person's middle request gives its place to their newest."""
    sentence = "Leivon ja laulan kuorossa, ja haluaisin käydä useammin ulkona ystävieni kanssa. "
    line = Listeners(real)
    read_backs = [
        line.ask(f"Vastaus {n}. " + sentence * 12, "A", read_back=True) for n in (1, 2, 3)
    ]
    await settle()
    question = line.ask("Mitä sinä toivot elämältäsi?", "B")
    results = await asyncio.gather(*read_backs, question, return_exceptions=True)
    assert isinstance(results[1], SpeechBusy)
    assert [text[:9] for text in line.done] == ["Vastaus 1", "Mitä sinä", "Vastaus 3"]


def test_a_long_answer_is_cut_at_sentence_ends_into_parts() -> None:
    sentences = [f"Lause numero {n} kertoo jotain tärkeää arjestani." for n in range(200)]
    parts = in_parts(" ".join(sentences), ANSWER_PART)
    assert len(parts) > 1 and all(len(p) <= ANSWER_PART for p in parts)
    assert all(p.endswith(".") for p in parts)  # every part ends where a sentence does
    assert " ".join(parts) == " ".join(sentences)  # nothing lost or repeated
    assert in_parts("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]  # one long "word"


async def test_a_long_answer_is_read_back_in_parts_each_its_own_player(
    aiohttp_client, settings: Settings, fake: SpeechService
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=fake)))
    await at_good_at(browser)  # "Aino" answered to the question before
    typed = " ".join(f"Osaan asian numero {n} hyvin, ja teen sitä mielelläni." for n in range(45))
    await answer(browser, {"answer": typed})  # "What are you good at?": 2,500 characters
    count = len(in_parts(typed, ANSWER_PART))
    page = await browser.get("/q/good-at")
    assert count == 3 and "Listen to your answer, part 3 of 3" in page.text
    assert len(page.parsed.ids) == len(set(page.parsed.ids))  # each player named by its own label
    for number in range(1, count + 1):
        url = "/audio/q/good-at.mp3?part=answer" + (f"&n={number}" if number > 1 else "")
        assert url.replace("&", "&amp;") in page.html
        spoken = await browser.client.get(url)
        assert spoken.status == 200 and is_mp3(await spoken.read())
    for wrong in ("4", "0", "x", "9" * 5000):
        got = await browser.client.get(f"/audio/q/good-at.mp3?part=answer&n={wrong}")
        assert got.status == 404
    assert (await browser.client.get("/audio/q/good-at.mp3?part=help&n=2")).status == 404
    # A short answer: one player, as before.
    short = await browser.get("/q/name")
    assert "Listen to your answer" in short.text and "part 1 of" not in short.text


async def test_a_player_fetching_in_ranges_makes_the_answer_once_and_delete_forgets_it(
    aiohttp_client, settings: Settings, fake: SpeechService
) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(await aiohttp_client(create_app(settings, speech=fake)))
    await at_good_at(browser)  # "Aino" answered to the question before
    await browser.get("/q/name")
    before = fake.synthesised
    for asked in ("bytes=0-1", "bytes=0-", "bytes=1000-"):  # as Safari, then Chrome, ask
        got = await browser.client.get("/audio/q/name.mp3?part=answer", headers={"Range": asked})
        assert got.status == 206
    assert fake.synthesised == before + 1 and len(fake.recent) == 1
    await browser.get("/delete")
    await browser.client.post("/delete", data={"csrf": csrf(browser)})
    assert len(fake.recent) == 0
