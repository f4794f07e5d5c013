"""Listening: the current question (or its help, the person's own answer in parts, or one
item of a list) as audio, in the page's language and rate."""

from __future__ import annotations

import re

from aiohttp import web

from assistant.dialogue.views import StepView
from assistant.i18n import Translator
from assistant.speech import SpeechBusy, SpeechFailed
from assistant.speech.texts import (
    answer_speech,
    help_speech,
    item_speech,
    step_speech,
    voice_locale,
)
from assistant.web import keys
from assistant.web.byte_ranges import ranged_response
from assistant.web.context import require_conversation
from assistant.web.render import error_response
from assistant.web.urls import Routes

routes = Routes()
# Seconds a person is asked to wait when the speech worker is busy: about one synthesis.
BUSY_RETRY = "2"


@routes.get_named("audio")
async def step_audio(request: web.Request) -> web.StreamResponse:
    speech = request.app[keys.SPEECH]
    if speech is None or not speech.available:
        return await error_response(request, 503, "speech-unavailable")
    loaded = await require_conversation(request)
    state = loaded.bundle.engine.change(
        loaded.state, request.match_info["key"], request.query.get("item"), returning=False
    )
    view = loaded.bundle.views.step(state)
    ctx = request[keys.CONTEXT]
    part, number = request.query.get("part", "question"), request.query.get("n", "1")
    spoken = _spoken(view, ctx.translator, part, number) if view is not None else None
    if spoken is None:
        raise web.HTTPNotFound()
    text, personal = spoken
    # The person's own words in their language; the question in the language it is written in.
    locale = ctx.locale if part == "answer" or view is None else voice_locale(view, ctx.translator)
    try:
        # Texts holding a person's answers are made for them only: never cached, never logged.
        audio = await speech.audio(
            text,
            locale,
            ctx.prefs["speech_rate"],
            cache=not personal,
            session=loaded.id,
            read_back=part in ("answer", "item"),
        )
    except SpeechBusy:
        busy = await error_response(request, 503, "speech-busy")
        busy.headers["Retry-After"] = BUSY_RETRY
        return busy
    except SpeechFailed:
        return await error_response(request, 503, "speech-unavailable")
    return ranged_response(request, audio.data, audio.media_type)


def _spoken(view: StepView, t: Translator, part: str, number: str) -> tuple[str, bool] | None:
    """What this part of the step reads: the question, its help, or part `number` of the
    person's own answer (the only one read in parts). None: nothing to read."""
    if part in ("answer", "item"):
        if not re.fullmatch(r"[1-9]\d{0,2}", number):
            return None
        read = answer_speech if part == "answer" else item_speech
        return read(view, t, int(number))
    if number != "1":
        return None
    if part == "question":
        return step_speech(view, t)
    return help_speech(view, t) if part == "help" else None
