"""Words for error pages, in the person's language. A field's errors are in
assistant.i18n.field_messages."""

from __future__ import annotations

from assistant.i18n import N_, Translator
from assistant.web.forms import MAX_TEXT_CHARACTERS

ERROR_PAGES: dict[str, tuple[str, str]] = {
    "not-found": (N_("Page not found"), N_("Check the web address. Your answers are saved.")),
    "bad-request": (
        N_("We could not read what was sent"),
        N_("Go back and try again. Your earlier answers are saved."),
    ),
    "csrf": (
        N_("This page has expired"),
        N_("Go back, reload the page and send it again. Your earlier answers are saved."),
    ),
    "too-large": (
        N_("What you sent was too long"),
        N_(
            "We can take at most %(count)s characters at a time. Go back, shorten your answer and send it again. Your earlier answers are saved."
        ),
    ),
    "not-saved": (
        N_("Your answer was NOT saved"),
        N_(
            "There is a problem on our side. Your earlier answers are safe. Wait a moment, go back and send your answer again."
        ),
    ),
    "too-many-tries": (
        N_("Too many tries"),
        N_("Wait an hour and try again. You can also ask your worker for help."),
    ),
    "too-many-starts": (
        N_("Too many new conversations"),
        N_(
            "Many conversations have started from this internet connection in the last hour. Wait an hour and try again. If you have a code, you can continue your answers with it now."
        ),
    ),
    "server-error": (
        N_("Sorry, there is a problem with the service"),
        N_("Your earlier answers are saved. Try again later."),
    ),
    "speech-unavailable": (
        N_("Listening is not available right now"),
        N_("You can still read every question and answer it."),
    ),
    "speech-busy": (
        N_("Listening is busy right now"),
        N_("Wait a moment and try again. You can still read every question and answer it."),
    ),
}
ERROR_PAGES["conversation-full"] = (
    N_("Your answers are too long to save together"),
    N_(
        "Go back and shorten a long answer, or remove something you added. Your earlier answers are saved."
    ),
)
ERROR_PAGES["newer-state"] = (
    N_("Your answers cannot be opened right now"),
    N_(
        "Your answers were saved by a newer version of this service. They are safe and nothing was deleted. Try again later, or ask your worker for help."
    ),
)
# What the page after a save tells the person about it (?notice=KEY), beside the question;
# "changed" also when their conversation is first opened after its dialogue was edited.
NOTICES: dict[str, str] = {
    "replaced": N_(
        "The previous question was also answered in another window or on another device after you opened it. Your answer is the one now saved. You can check all answers at the end."
    ),
    "changed": N_("Some questions have changed since you last answered them."),
    # After "Stop on this device", on the page where a code continues.
    "stopped": N_(
        "You stopped on this device. Your answers are saved. To continue, here or on another device, type your code."
    ),
    # A session that ended without this browser asking: idle too long, or closed elsewhere.
    "ended": N_(
        "Your answers are no longer open on this device. This happens when the device has not been used for a while, or when the answers were closed on another device. Continue with your code."
    ),
}
# Input no page of ours sends reads to a person as "we could not read it".
for _reason in (
    "bad-answer",
    "encoding",
    "charset",
    "form-type",
    "too-many-fields",
    "repeated-field",
    "json",
    "json-type",
):
    ERROR_PAGES[_reason] = ERROR_PAGES["bad-request"]


def error_page_texts(translator: Translator, reason: str) -> tuple[str, str]:
    title, advice = ERROR_PAGES.get(reason, ERROR_PAGES["bad-request"])
    advice = translator.gettext(advice)
    if reason == "too-large":  # the limit in words, in the person's language
        advice %= {"count": translator.format_number(MAX_TEXT_CHARACTERS)}
    return translator.gettext(title), advice


def notice_text(translator: Translator, key: str | None) -> str | None:
    """A notice's words in the person's language; an unknown key shows nothing."""
    notice = NOTICES.get(key or "")
    return translator.gettext(notice) if notice else None
