"""The benchmark's load client: people answering through the plain pages, as a browser does
(cookies, the CSRF field, POST, follow the redirect, GET the next page), over one kept-alive
HTTP/1.1 connection each, on asyncio streams.

It is deliberately lean: on this 2-core machine the client shares the cores with what it
measures. aiohttp's client took about 1 ms of CPU per step, as much as half a server worker,
so with two workers it was the client that ran out of CPU (see docs/performance.md).
The same client drives the assistant and the limit, so only the server's work differs.
"""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import urlencode, urlsplit

KIND = re.compile(r'data-kind="([\w-]+)"')
ACTION = re.compile(r'<form method="post" action="(/q/[^"]+)"')
VALUE = re.compile(
    r'class="choice-input" type="(?:radio|checkbox)" id="[^"]+" name="answer" value="([\w-]+)"'
)


def form_for(kind: str, html: str) -> dict[str, str]:
    """What a person types or chooses on a question of this kind."""
    if kind in ("short-text", "long-text"):
        return {"answer": "Benchmark answer"}
    if kind == "number":
        return {"answer": "5"}
    if kind == "date":
        return {"day": "1", "month": "3", "year": "2027"}
    if kind == "list":
        return {"add": "no"}
    values = VALUE.findall(html)
    return {"answer": values[0]} if values else {}


class Response:
    def __init__(self, status: int, headers: dict[str, list[str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Browser:
    """One person's connection and cookies."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Browser:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.writer is not None:
            self.writer.close()

    async def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        assert self.reader is not None and self.writer is not None
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, list[str]] = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers.setdefault(name.lower(), []).append(value.strip())
        for cookie in headers.get("set-cookie", []):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        length = int(headers.get("content-length", ["0"])[-1])
        return Response(int(status_line.split()[1]), headers, await self.reader.readexactly(length))

    async def follow(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        """A request, and the GET its redirect leads to (as a browser does after a POST)."""
        response = await self.request(method, path, form)
        while response.status in (301, 302, 303, 307) and response.header("location"):
            location = urlsplit(response.header("location") or "/")
            target = location.path + (f"?{location.query}" if location.query else "")
            response = await self.request("GET", target)
        return response


async def person(
    base: str, latencies: list[float], errors: list[int], deadline: float, steps_at_most: int
) -> int:
    """One person answering the conversation from the start page until the review, or until
    the deadline or as many steps as a whole conversation has."""
    steps = 0
    async with Browser(base) as browser:
        start = await browser.request("GET", "/")
        token = start.header("x-csrf-token") or ""
        page = await browser.follow("POST", "/start", {"csrf": token, "role": "client"})
        token = page.header("x-csrf-token") or ""  # bound to the new session
        html = page.text
        while time.monotonic() < deadline and steps < steps_at_most:
            action, kind = ACTION.search(html), KIND.search(html)
            if not action or not kind:
                break  # the review: this person is done
            started = time.perf_counter()
            form = {"csrf": token, "action": "continue", **form_for(kind.group(1), html)}
            page = await browser.follow("POST", action.group(1).replace("&amp;", "&"), form)
            if page.status != 200:
                errors.append(page.status)
            html = page.text
            latencies.append(time.perf_counter() - started)
            steps += 1
    return steps
