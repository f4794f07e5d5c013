"""A person's display and speech preferences: kept with their conversation (and, before there
is one, in a cookie that holds no answers). Shared by the pages and `assistant talk`."""

from __future__ import annotations

from typing import Any

from assistant.i18n.languages import codes, fallback

TEXT_SIZES = ("normal", "large", "larger")
CONTRASTS = ("normal", "high")
RATES = ("slower", "normal", "faster")
READ_ALOUD_BY = ("server", "device")  # who reads aloud: the service, or the device's own voice
DEFAULT_PREFS: dict[str, Any] = {
    "language": fallback().code,
    "plain": False,
    "text_size": "normal",
    "contrast": "normal",
    "speech_rate": "normal",
    "autoplay": False,
    "voice": "server",
}


def clean_prefs(raw: dict[str, Any], default_language: str | None = None) -> dict[str, Any]:
    """Known keys with allowed values only; anything else falls back to the default."""
    prefs = dict(DEFAULT_PREFS, language=default_language or fallback().code)
    allowed: dict[str, tuple[Any, ...]] = {
        "language": codes(),
        "plain": (True, False),
        "text_size": TEXT_SIZES,
        "contrast": CONTRASTS,
        "speech_rate": RATES,
        "autoplay": (True, False),
        "voice": READ_ALOUD_BY,
    }
    for key, values in allowed.items():
        if raw.get(key) in values:
            prefs[key] = raw[key]
    return prefs
