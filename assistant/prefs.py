"""A person's display and speech preferences: kept with their conversation (and, before there
is one, in a cookie that holds no answers). Shared by the pages and `assistant talk`.

`Prefs` is the typed value the code uses; `stored()` is its plain form for the store, the
cookie and the API. Only known values are kept: anything else falls back to the default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from assistant.i18n.languages import codes, fallback

TEXT_SIZES = ("normal", "large", "larger")
CONTRASTS = ("normal", "high")
RATES = ("slower", "normal", "faster")
READ_ALOUD_BY = ("server", "device")  # who reads aloud: the service, or the device's own voice


@dataclass(frozen=True)
class Prefs:
    language: str
    plain: bool = False  # the plain-language variant (selkokieli, lättläst, Easy English)
    text_size: str = "normal"
    contrast: str = "normal"
    speech_rate: str = "normal"
    autoplay: bool = False  # read each question aloud
    voice: str = "server"  # who reads aloud: READ_ALOUD_BY

    @classmethod
    def from_stored(cls, raw: Mapping[str, Any], default_language: str | None = None) -> Prefs:
        """Known keys with allowed values only; anything else takes the default."""
        allowed: dict[str, tuple[Any, ...]] = {
            "language": codes(),
            "plain": (True, False),
            "text_size": TEXT_SIZES,
            "contrast": CONTRASTS,
            "speech_rate": RATES,
            "autoplay": (True, False),
            "voice": READ_ALOUD_BY,
        }
        kept = {key: raw[key] for key, values in allowed.items() if raw.get(key) in values}
        kept.setdefault("language", default_language or fallback().code)
        return cls(**kept)

    def changed(self, raw: Mapping[str, Any]) -> Prefs:
        """These preferences with the allowed values of `raw` (a form, a JSON body) taken."""
        return Prefs.from_stored({**self.stored(), **raw}, self.language)

    def stored(self) -> dict[str, Any]:
        return asdict(self)
