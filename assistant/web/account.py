"""Save and return, resume, settings, who is answering, delete. None of these touch answers
except delete, which removes everything after a confirmation page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from assistant.conversations import CODE_LENGTH, TooManyTries, format_code, typed_length
from assistant.dialogue.state import ROLES
from assistant.i18n import N_, Translator
from assistant.i18n.languages import languages
from assistant.prefs import RATES, TEXT_SIZES, clean_prefs
from assistant.web import keys
from assistant.web.client import counted_address
from assistant.web.context import (
    PREFS_COOKIE_AGE,
    clear_session,
    context,
    forget_session,
    kept_until,
    prefs_to_cookie,
    refresh,
    require_conversation,
    set_session,
)
from assistant.web.cookies import PREFS_COOKIE, SESSION_COOKIE, read_cookie, set_private_cookie
from assistant.web.forms import one, respondent_from, safe_next
from assistant.web.render import error_response, render
from assistant.web.security import posted_form
from assistant.web.steps import position_url
from assistant.web.urls import Routes

routes = Routes()


@routes.get_named("save")
async def save_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    return await render(request, "save.html", back_url=position_url(loaded.state))


@routes.post_named("save")
async def save(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    ctx = await context(request)
    # "Also close these answers on other devices": every session but this one ends.
    only = read_cookie(request, SESSION_COOKIE) if one(form, "others") == "close" else None
    code, expires = await request.app[keys.CONVERSATIONS].make_code(loaded, only)
    t = ctx.translator
    shown = format_code(code)
    return await render(
        request,
        "saved.html",
        code=shown,
        spelled=", ".join(" ".join(group) for group in shown.split("-")),
        expires=t.format_date(expires.date()),
        kept=kept_until(request, loaded, t),
        continue_url=position_url(loaded.state),
        others_closed=only is not None,
    )


@routes.get_named("resume")
async def resume_page(request: web.Request) -> web.Response:
    return await render(request, "resume.html", error=None, typed="")


@routes.post_named("resume")
async def resume(request: web.Request) -> web.Response:
    form = await posted_form(request)
    conversations = request.app[keys.CONVERSATIONS]
    typed = one(form, "code")[:60]
    if (length := typed_length(typed)) != CODE_LENGTH:
        # Too short or too long cannot be anyone's code: say how long a code is, and count
        # no try against the hourly limit.
        t = (await context(request)).translator
        error = t.gettext(
            "A code has %(length)s letters and numbers. This one has %(count)s. Check it and try again."
        ) % {"length": CODE_LENGTH, "count": length}
        return await render(request, "resume.html", error=error, typed=typed)
    try:
        # request.remote is the client's, also behind a trusted proxy (assistant.web.client).
        # An IPv6 client counts by its /64, as it does for starting conversations.
        token = await conversations.resume_from(counted_address(request.remote), typed)
    except TooManyTries:
        return await error_response(request, 429, "too-many-tries")
    if token is None:
        ctx = await context(request)
        # One message for every wrong code: it must not tell what exists.
        error = ctx.translator.gettext(
            "This code does not work. Check it and try again, or start again."
        )
        return await render(request, "resume.html", error=error, typed=typed)
    loaded = await conversations.load(token)
    left = (await context(request)).loaded
    if left is not None and loaded is not None and left.id != loaded.id:
        await conversations.leave(left)  # as the page said: unless a code still opens it
    response = web.HTTPSeeOther(position_url(loaded.state) if loaded else "/")
    set_session(response, request, token)  # a new session: the old cookie is replaced
    raise response


def _setting_groups(request: web.Request, prefs: dict[str, Any]) -> list[dict[str, Any]]:
    t = request[keys.CONTEXT].translator
    speech = request.app.get(keys.SPEECH)

    def items(name: str, options: list[tuple[Any, str]]) -> list[dict[str, Any]]:
        return [
            {"value": str(v).lower(), "text": text, "checked": prefs[name] == v}
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
                "text_size",
                list(
                    zip(
                        TEXT_SIZES,
                        [t.gettext("Normal"), t.gettext("Large"), t.gettext("Very large")],
                        strict=True,
                    )
                ),
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
                    "speech_rate",
                    list(
                        zip(
                            RATES,
                            [t.gettext("Slower"), t.gettext("Normal"), t.gettext("Faster")],
                            strict=True,
                        )
                    ),
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


async def _store_prefs(
    request: web.Request, prefs: dict[str, object], target: str
) -> web.HTTPSeeOther:
    ctx = await context(request)
    response = web.HTTPSeeOther(safe_next(target))
    if ctx.loaded is not None:
        refresh(request, await request.app[keys.CONVERSATIONS].save_prefs(ctx.loaded, prefs))
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
    merged = dict(ctx.prefs)
    merged.update({k: v for k, v in raw.items() if v})
    for flag in ("plain", "autoplay"):
        if one(form, flag):
            merged[flag] = one(form, flag) == "true"
    raise await _store_prefs(request, clean_prefs(merged, ctx.prefs["language"]), one(form, "next"))


@routes.post_named("language")
async def language(request: web.Request) -> web.Response:
    form = await posted_form(request)
    ctx = await context(request)
    prefs = clean_prefs(dict(ctx.prefs, language=one(form, "language")), ctx.prefs["language"])
    raise await _store_prefs(request, prefs, one(form, "next"))


@routes.get_named("respondent")
async def respondent_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    t = request[keys.CONTEXT].translator
    labels = {
        "client": t.gettext("The client, alone"),
        "helped": t.gettext("The client, with help from someone"),
        "proxy": t.gettext("Someone answering for the client"),
    }
    current = loaded.state.respondent
    roles = [{"value": r, "text": labels[r], "checked": r == current.role} for r in ROLES]
    return await render(
        request,
        "respondent.html",
        roles=roles,
        who=current.who,
        back_url=position_url(loaded.state),
    )


@routes.post_named("respondent")
async def respondent_post(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    form = await posted_form(request)
    respondent, engine = respondent_from(form), loaded.bundle.engine
    applied = await request.app[keys.CONVERSATIONS].apply(
        loaded, lambda state: engine.set_respondent(state, respondent)
    )
    raise web.HTTPSeeOther(position_url(applied.loaded.state))


@routes.get_named("delete")
async def delete_page(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    return await render(request, "delete.html", back_url=position_url(loaded.state))


@routes.post_named("delete")
async def delete(request: web.Request) -> web.Response:
    loaded = await require_conversation(request)
    await posted_form(request)
    await request.app[keys.CONVERSATIONS].delete(loaded)
    speech = request.app[keys.SPEECH]
    if speech is not None:
        speech.forget(loaded.id)  # their answers read back, kept a few minutes in memory
    forget_session(request)
    response = await render(request, "deleted.html")
    clear_session(response, request)
    return response


@routes.get_named("privacy")
async def privacy(request: web.Request) -> web.Response:
    return await render(
        request, "privacy.html", retention_days=request.app[keys.SETTINGS].retention_days
    )
