"""Byte ranges (RFC 9110, section 14) for audio: Safari, where many VoiceOver users listen,
plays media only from a server that answers `Range: bytes=0-1` with 206 Partial Content.

One range is served: `first-last`, `first-` and the suffix `-length`. Several ranges at once
get the whole file (200), which the RFC allows; a header we cannot read is ignored, as the
RFC asks. We send no validator, so a request with If-Range gets the whole file too.
"""

from __future__ import annotations

import re

from aiohttp import web

# At most 18 digits: far beyond any file, and int() of thousands of digits raises.
ONE_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")
UNSATISFIABLE = "unsatisfiable"


def requested_range(request: web.Request, length: int) -> tuple[int, int] | str | None:
    """(first, last) byte to send, UNSATISFIABLE, or None for the whole file."""
    header = request.headers.get("Range")
    if header is None or "If-Range" in request.headers:
        return None
    match = ONE_RANGE.fullmatch(header.strip().replace(" ", ""))
    if match is None:  # another unit, several ranges, or not a range at all
        return None
    first, last = match.groups()
    if not first:  # the last `last` bytes
        if not last:
            return None
        if int(last) == 0 or length == 0:
            return UNSATISFIABLE
        return max(length - int(last), 0), length - 1
    if last and int(last) < int(first):
        return None  # not a valid range: ignored
    if int(first) >= length:
        return UNSATISFIABLE
    return int(first), (min(int(last), length - 1) if last else length - 1)


def ranged_response(request: web.Request, body: bytes, content_type: str) -> web.Response:
    """The whole body (200), the range asked for (206), or 416 with the body's length."""
    asked = requested_range(request, len(body))
    headers = {"Accept-Ranges": "bytes"}
    if asked is None:
        return web.Response(body=body, content_type=content_type, headers=headers)
    if isinstance(asked, str):  # UNSATISFIABLE
        headers["Content-Range"] = f"bytes */{len(body)}"
        return web.Response(status=416, headers=headers)
    first, last = asked
    headers["Content-Range"] = f"bytes {first}-{last}/{len(body)}"
    return web.Response(
        status=206, body=body[first : last + 1], content_type=content_type, headers=headers
    )
