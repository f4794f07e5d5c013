"""Reading what a browser or API client sent, strictly: bad input is a clear 4xx, never a 500."""

from __future__ import annotations

import json
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from aiohttp import ClientPayloadError, web
from aiohttp.http_exceptions import PayloadEncodingError

from assistant.dialogue.answers import clean_text, storable
from assistant.dialogue.state import ROLES, WHO_MAX, Respondent

# The longest answer we promise to receive: then validation, which keeps the text, can tell
# the person how long it may be. A long-text's max-length is 5,000 by default; even written
# in 4-byte characters, each percent-encoded as 12 bytes, 20,000 of them (240,000 bytes) and
# the other fields fit in MAX_BODY. So an answer four times too long is still answered by
# validation with the text kept, not by an error page that loses it.
MAX_TEXT_CHARACTERS = 20_000
MAX_BODY = 256 * 1024
MAX_FIELDS = 200
Form = dict[str, list[str]]


class BadRequest(Exception):
    """Input no page of ours sends; `reason` is a message id for the error page."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _charset_ok(request: web.Request) -> None:
    charset = request.charset
    if charset is not None and charset.lower().replace("_", "-") not in (
        "utf-8",
        "utf8",
        "us-ascii",
    ):
        raise BadRequest(415, "charset")


def _storable_json(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [_storable_json(v) for v in value]
    if isinstance(value, dict):
        return {storable(k): _storable_json(v) for k, v in value.items()}
    return value


async def _body(request: web.Request) -> bytes:
    """The whole body, however many pieces it arrives in (a long answer over a slow phone
    comes in many): a part of it must never be taken for all of it. Beyond MAX_BODY, with or
    without a Content-Length, 413. A body that ends before its length, or a chunked one before
    its last chunk, is refused: the client went away mid-way, and nothing of it is used."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BadRequest(413, "too-large")
    body = bytearray()
    try:
        while chunk := await request.content.read(MAX_BODY + 1 - len(body)):
            body += chunk
            if len(body) > MAX_BODY:
                raise BadRequest(413, "too-large")
    except (ConnectionError, ClientPayloadError, PayloadEncodingError):
        raise BadRequest(400, "bad-request") from None
    return bytes(body)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "encoding") from None


async def read_form(request: web.Request) -> Form:
    """An HTML form post (application/x-www-form-urlencoded, UTF-8) as name -> values."""
    if request.content_type not in ("application/x-www-form-urlencoded", ""):
        raise BadRequest(415, "form-type")
    _charset_ok(request)
    text = _text(await _body(request))
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(400, "encoding") from None
    except ValueError:
        raise BadRequest(400, "too-many-fields") from None
    form: Form = {}
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            raise BadRequest(400, "encoding")
        form.setdefault(storable(name), []).append(storable(value))
    return form


async def read_json(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise BadRequest(415, "json-type")
    _charset_ok(request)
    text = _text(await _body(request))
    try:
        data = _storable_json(json.loads(text)) if text else {}
    # ValueError: not JSON, or an integer too long for Python to read (over 4,300 digits);
    # RecursionError: nested too deep.
    except (ValueError, RecursionError):
        raise BadRequest(400, "json") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "json")
    return data


def one(form: Form, name: str, default: str = "") -> str:
    values = form.get(name)
    if not values:
        return default
    if len(values) > 1:
        raise BadRequest(400, "repeated-field")
    return values[0]


def respondent_from(form: Form) -> Respondent:
    """Who is answering, as the start and "who is answering" pages (and the API) send it."""
    role = next((r for r in ROLES if r == one(form, "role", "client")), None)
    if role is None:
        raise BadRequest(400, "bad-answer")
    who = clean_text(one(form, "who"))[:WHO_MAX] if role != "client" else ""
    return Respondent(role, who)


def json_form(data: dict[str, Any]) -> Form:
    """The API's JSON answer as the same name -> values shape the engine reads from forms."""
    form: Form = {}
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
            raise BadRequest(400, "json")
        form[name] = [str(v) for v in values]
    return form


def safe_next(target: str | None) -> str:
    r"""Only a path on this site, else the start page: never an open redirect. Browsers drop
    tabs and line breaks from a URL and read a backslash as a slash, so "/\t/evil.example" and
    "/\evil.example" lead to another site: such characters, raw or percent-encoded, are refused."""
    if not target:
        return "/"
    return target if all(_site_path(form) for form in (target, unquote(target))) else "/"


def _site_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    # Controls, format characters, surrogates, spaces of every kind, and the backslash.
    unsafe = any(c == "\\" or c.isspace() or unicodedata.category(c)[0] in "CZ" for c in target)
    return not (parts.scheme or parts.netloc or unsafe)
