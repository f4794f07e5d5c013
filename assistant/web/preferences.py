"""A person's display and speech preferences: the settings page and the header's language
links. Kept with the conversation, or before there is one in a cookie without answers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from assistant.i18n import N_, Translator
from assistant.i18n.languages import languages
from assistant.prefs import RATES, TEXT_SIZES, Prefs
from assistant.web import keys
from assistant.web.context import (
    PREFS_COOKIE_AGE,
    context,
    prefs_to_cookie,
    refresh,
)
from assistant.web.cookies import PREFS_COOKIE, set_private_cookie
from assistant.web.forms import one, safe_next
from assistant.web.render import render
from assistant.web.security import posted_form
from assistant.web.urls import Routes

routes = Routes()


def _setting_groups(request: web.Request, prefs: Prefs) -> list[dict[str, Any]]:
    t = request[keys.CONTEXT].translator
    speech = request.app.get(keys.SPEECH)

    def named(values: tuple[str, ...], *words: str) -> list[tuple[Any, str]]:
        """Each allowed value with its words, in order (marked with N_ where given)."""
        return list(zip(values, (t.gettext(w) for w in words), strict=True))

    def items(name: str, options: list[tuple[Any, str]]) -> list[dict[str, Any]]:
        return [
            {"value": str(v).lower(), "text": text, "checked": getattr(prefs, name) == v}
            for v, text in options
        ]

    groups: list[dict[str, Any]] = [
        {
            "name": "language",
            "legend": t.gettext("Language"),
            # Each language named in itself, and marked as that language so it is read right.
            "items": [
                dict(item, lang=item["value"])
                for item in items("language", [(entry.code, entry.name) for entry in languages()])
            ],
        },
        {
            "name": "plain",
            "legend": t.gettext("Plain language"),
            "hint": t.gettext("Shorter sentences and common words."),
            "items": items(
                "plain",
                [(False, t.gettext("Standard language")), (True, t.gettext("Plain language"))],
            ),
        },
        {
            "name": "text_size",
            "legend": t.gettext("Text size"),
            "items": items(
                "text_size", named(TEXT_SIZES, N_("Normal"), N_("Large"), N_("Very large"))
            ),
        },
        {
            "name": "contrast",
            "legend": t.gettext("Contrast"),
            "items": items(
                "contrast", [("normal", t.gettext("Normal")), ("high", t.gettext("High contrast"))]
            ),
        },
    ]
    if speech is not None and speech.available:
        groups += [
            {
                "name": "speech_rate",
                "legend": t.gettext("Speech rate"),
                "items": items(
                    "speech_rate", named(RATES, N_("Slower"), N_("Normal"), N_("Faster"))
                ),
            },
            {
                "name": "autoplay",
                "legend": t.gettext("Read each question aloud"),
                "hint": t.gettext("Needs JavaScript. Nothing plays until you have chosen this."),
                "items": items("autoplay", [(False, t.gettext("No")), (True, t.gettext("Yes"))]),
            },
            {
                # Offered by the script only where the device has a voice for this language.
                "name": "voice",
                "id": "device-voice",
                "needs_script": True,
                "legend": t.gettext("Use my device's voice"),
                "hint": t.gettext(
                    "Your phone or computer reads the questions with its own voice, often a more"
                    " natural one. Nothing is sent anywhere. Where it cannot, the service's voice"
                    " reads them."
                ),
                "items": items(
                    "voice", [("server", t.gettext("No")), ("device", t.gettext("Yes"))]
                ),
            },
        ]
    for group in groups:
        group.setdefault("hint", None)
    return groups


# Why listening is not available, in plain words: the speech service's problem code, or None
# when the service has speech turned off (OMA_SPEECH=0).
SPEECH_PROBLEMS = {
    None: N_("Listening is turned off on this service."),
    "starting": N_("Listening is still starting. Try again in a minute."),
    "no-engine": N_(
        "The program that reads the questions aloud does not work on this service. "
        "The people who run the service can fix it."
    ),
}


def speech_reason(speech: Any, t: Translator) -> str:
    """Empty while speech works; else that it does not, and why."""
    if speech is not None and speech.available:
        return ""
    why = SPEECH_PROBLEMS.get(
        None if speech is None else speech.problem, SPEECH_PROBLEMS["no-engine"]
    )
    return t.gettext("Listening is not available on this service right now.") + " " + t.gettext(why)


@routes.get_named("settings")
async def settings_page(request: web.Request) -> web.Response:
    ctx = await context(request)
    reason = speech_reason(request.app.get(keys.SPEECH), ctx.translator)
    return await render(
        request,
        "settings.html",
        groups=_setting_groups(request, ctx.prefs),
        next=safe_next(request.query.get("next")),
        speech_reason=reason,
    )


async def _store_prefs(request: web.Request, prefs: Prefs, target: str) -> web.HTTPSeeOther:
    ctx = await context(request)
    response = web.HTTPSeeOther(safe_next(target))
    if ctx.loaded is not None:
        refresh(
            request, await request.app[keys.CONVERSATIONS].save_prefs(ctx.loaded, prefs.stored())
        )
    else:  # no conversation yet: a cookie with display settings only, no answers
        set_private_cookie(
            response, request, PREFS_COOKIE, prefs_to_cookie(prefs), max_age=PREFS_COOKIE_AGE
        )
    return response


@routes.post_named("settings")
async def settings_post(request: web.Request) -> web.Response:
    form = await posted_form(request)
    ctx = await context(request)
    names = ("language", "text_size", "contrast", "speech_rate", "voice")
    raw = {name: one(form, name) for name in names}
    merged: dict[str, object] = {k: v for k, v in raw.items() if v}
    for flag in ("plain", "autoplay"):
        if one(form, flag):
            merged[flag] = one(form, flag) == "true"
    raise await _store_prefs(request, ctx.prefs.changed(merged), one(form, "next"))


@routes.post_named("language")
async def language(request: web.Request) -> web.Response:
    form = await posted_form(request)
    ctx = await context(request)
    prefs = ctx.prefs.changed({"language": one(form, "language")})
    raise await _store_prefs(request, prefs, one(form, "next"))
