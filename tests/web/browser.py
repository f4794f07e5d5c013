"""A tiny no-JavaScript browser for tests: it reads pages, fills forms and presses buttons the
way a person does, with cookies and the CSRF field the page gives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str, bool]] = field(
        default_factory=list
    )  # name, value, type, checked
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, text


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.title = ""
        self.h1 = ""
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._in: list[str] = []
        self._button: list[str] | None = None
        self._link: list[str] | None = None
        self._href = ""
        self._textarea: tuple[str, list[str]] | None = None
        self.ids: list[str] = []
        self.autofocus: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if "autofocus" in a:
            self.autofocus.append(a.get("id") or a.get("class", tag))
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and self.forms:
            kind = a.get("type", "text")
            self.forms[-1].fields.append(
                (a.get("name", ""), a.get("value", ""), kind, "checked" in a)
            )
        elif tag == "textarea" and self.forms:
            self._textarea = (a.get("name", ""), [])
        elif tag == "button" and self.forms:
            self._button = [a.get("name", ""), a.get("value", ""), ""]
        elif tag == "a":
            self._link, self._href = [], a.get("href", "")
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea and self.forms:
            name, parts = self._textarea
            self.forms[-1].fields.append((name, "".join(parts), "textarea", False))
            self._textarea = None
        if tag == "button" and self._button is not None and self.forms:
            name, value, text = self._button
            self.forms[-1].buttons.append((name, value, " ".join(text.split())))
            self._button = None
        if tag == "a" and self._link is not None:
            self.links.append((" ".join("".join(self._link).split()), self._href))
            self._link = None
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        if "h1" in self._in:
            self.h1 += data
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._button is not None:
            self._button[2] += data
        if self._link is not None:
            self._link.append(data)
        if "script" not in self._in and "style" not in self._in:
            self.text.append(data)


@dataclass
class Page:
    url: str
    status: int
    html: str
    headers: Any
    parsed: _Parser

    @property
    def title(self) -> str:
        return " ".join(self.parsed.title.split())

    @property
    def heading(self) -> str:
        return " ".join(self.parsed.h1.split())

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parsed.text).split())

    @property
    def path(self) -> str:
        """The path and query of the page's URL."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def form(self, action: str | None = None) -> Form:
        forms = [
            f for f in self.parsed.forms if f.method == "post" and f.action not in ("/language",)
        ]
        if action is not None:
            forms = [f for f in forms if f.action.split("?")[0] == action]
        assert forms, f"no form {action or ''} on {self.url}: {self.text[:300]}"
        return forms[0]

    def link(self, text: str) -> str:
        for link_text, href in self.parsed.links:
            if link_text == text or link_text.startswith(text):
                return href
        raise AssertionError(f"no link {text!r} on {self.url}; links: {self.parsed.links}")

    def button_texts(self) -> list[str]:
        return [b[2] for f in self.parsed.forms for b in f.buttons]


def parse(url: str, status: int, html: str, headers: Any) -> Page:
    parser = _Parser()
    parser.feed(html)
    return Page(url, status, html, headers, parser)


class Browser:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.page: Page | None = None

    async def get(self, path: str) -> Page:
        return await self.read(await self.client.get(path, allow_redirects=True))

    async def read(self, response: ClientResponse) -> Page:
        """The page a response holds, as the page now shown."""
        self.page = parse(
            str(response.url), response.status, await response.text(), response.headers
        )
        return self.page

    async def submit(
        self,
        fields: dict[str, str | list[str]] | None = None,
        button: str | None = None,
        action: str | None = None,
    ) -> Page:
        """Fill the page's form like a person would and press the button with that text (or the first)."""
        assert self.page is not None
        form = self.page.form(action)
        data: list[tuple[str, str]] = []
        given = dict(fields or {})
        for name, value, kind, checked in form.fields:
            if name in given:
                continue
            if kind in ("radio", "checkbox"):
                if checked:
                    data.append((name, value))
            elif kind != "submit" and name:
                data.append((name, value))
        for name, value in given.items():
            for v in value if isinstance(value, list) else [value]:
                data.append((name, v))
        pressed = (
            form.buttons[0]
            if button is None
            else next((b for b in form.buttons if b[2] == button), None)
        )
        assert pressed is not None, f"no button {button!r}; buttons: {form.buttons}"
        if pressed[0]:
            data.append((pressed[0], pressed[1]))
        absolute = urlsplit(urljoin(self.page.url, form.action))
        target = absolute.path + (f"?{absolute.query}" if absolute.query else "")
        return await self.read(await self.client.post(target, data=data, allow_redirects=True))
