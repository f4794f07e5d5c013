"""Listening: the current question (or its help) as audio, in the page's language and rate."""

from __future__ import annotations

from aiohttp import web

from assistant.speech import SpeechBusy, SpeechFailed
from assistant.speech.texts import answer_speech, help_speech, step_speech
from assistant.web import keys
from assistant.web.byte_ranges import ranged_response
from assistant.web.pages import require_conversation
from assistant.web.render import error_response

routes = web.RouteTableDef()
# What a listen control reads: the question, its longer help, or the person's own answer.
PARTS = {"question": step_speech, "help": help_speech, "answer": answer_speech}


@routes.get("/audio/q/{key}.mp3")
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
    part = PARTS.get(request.query.get("part", "question"))
    spoken = part(view, ctx.translator) if view is not None and part is not None else None
    if spoken is None:
        raise web.HTTPNotFound()
    text, personal = spoken
    try:
        # Texts holding a person's answers are made for them only: never cached, never logged.
        audio = await speech.audio(text, ctx.locale, ctx.prefs["speech_rate"], cache=not personal)
    except (SpeechFailed, SpeechBusy):
        return await error_response(request, 503, "speech-unavailable")
    return ranged_response(request, audio.data, audio.media_type)
