"""Every address the assistant serves, by name.

Routes are declared from this table with their names, and views, templates (`url(...)`), the
API's links and so the JavaScript get every URL from `url()`: no other module spells a path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web

PATHS: dict[str, str] = {
    # The pages of a conversation.
    "start": "/",
    "begin": "/start",
    "step": "/q/{key}",
    "remove": "/q/{key}/remove",
    "review": "/review",
    "draft": "/draft",
    "draft-download": "/draft.{extension}",
    # A person's other conversation (another dialogue), and both in one draft.
    "conversation": "/conversation",
    "draft-both": "/draft/both",
    "draft-both-download": "/draft/both.{extension}",
    "questionnaire": "/questionnaire.fhir.json",
    "audio": "/audio/q/{key}.mp3",
    # Around the conversation: codes, preferences, who answers, deleting, privacy.
    "save": "/save",
    "resume": "/resume",
    "stop": "/stop",
    "settings": "/settings",
    "language": "/language",
    "respondent": "/respondent",
    "delete": "/delete",
    "privacy": "/privacy",
    # The JSON API (conversation mode and other clients).
    "api-openapi": "/api/openapi.json",
    "api-conversations": "/api/v1/conversations",
    "api-step": "/api/v1/step",
    "api-steps": "/api/v1/steps/{key}",
    "api-review": "/api/v1/review",
    "api-settings": "/api/v1/settings",
    # For the operator's load balancer.
    "healthz": "/healthz",
    "readyz": "/readyz",
    # For the operator's Prometheus, only with OMA_METRICS_TOKEN.
    "metrics": "/metrics",
}

Query = Mapping[str, str | None]
# The addresses with nothing to fill in: a page links to a dozen of them.
FIXED = {name: path for name, path in PATHS.items() if "{" not in path}


def url(name: str, /, query: Query | None = None, **parts: str) -> str:
    """The address of a named route: url("step", key="team.name", query={"item": "i2"}).
    Parts are quoted; query values that are empty or None are left out."""
    if not query and not parts and name in FIXED:
        return FIXED[name]
    path = PATHS[name].format_map({k: quote(v, safe="") for k, v in parts.items()})
    kept = {k: v for k, v in (query or {}).items() if v}
    return path + (f"?{urlencode(kept)}" if kept else "")


Handler = Callable[[web.Request], Any]


class Routes(web.RouteTableDef):
    """A route table declared by name: `@routes.get_named("step")` serves PATHS["step"]."""

    def get_named(self, name: str) -> Callable[[Handler], Handler]:
        return self.get(PATHS[name], name=name)

    def post_named(self, name: str) -> Callable[[Handler], Handler]:
        return self.post(PATHS[name], name=name)


def route_name(request: web.Request) -> str | None:
    """The name of the route that matched this request (None before routing or for static)."""
    info = request.match_info
    return info.route.name if info is not None and info.route is not None else None
