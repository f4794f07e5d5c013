"""Everything the app shares, under typed keys, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from assistant.conversations import Conversations
    from assistant.metrics import Metrics
    from assistant.settings import Settings
    from assistant.web.context import RequestContext
    from assistant.web.render import Renderer

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
CONVERSATIONS: web.AppKey[Conversations] = web.AppKey("conversations")
RENDERER: web.AppKey[Renderer] = web.AppKey("renderer")
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
# The speech service, or None when speech is off (pages then hide the listen controls).
SPEECH: web.AppKey[Any] = web.AppKey("speech")

# Per request: the CSP nonce, the CSRF token, this browser's random CSRF cookie (made now if it
# sent none), and who is asking (loaded once per request).
NONCE: web.RequestKey[str] = web.RequestKey("nonce")
CSRF: web.RequestKey[str] = web.RequestKey("csrf")
BROWSER: web.RequestKey[str] = web.RequestKey("browser")
CONTEXT: web.RequestKey[RequestContext] = web.RequestKey("context")
# The reason code of the error page this request got (web.render.error_response), for metrics.
ERROR_REASON: web.RequestKey[str] = web.RequestKey("error-reason")
