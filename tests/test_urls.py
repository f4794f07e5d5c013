"""One table of addresses: every route is named from it, and no other file spells a path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.app import create_app
from assistant.settings import Settings
from assistant.web.urls import PATHS, url

ROOT = Path(__file__).resolve().parent.parent


def test_every_route_is_named_from_the_table(settings: Settings) -> None:
    app = create_app(settings)
    served = {
        resource.name: resource.canonical
        for resource in app.router.resources()
        if resource.name is not None and not resource.canonical.startswith("/static")
    }
    unnamed = [
        r.canonical
        for r in app.router.resources()
        if r.name is None and not r.canonical.startswith("/static")
    ]
    assert unnamed == []
    assert served == PATHS


@pytest.mark.parametrize(
    ("name", "parts", "query", "expected"),
    [
        ("start", {}, None, "/"),
        ("step", {"key": "team.name"}, {"item": "i2", "return": None}, "/q/team.name?item=i2"),
        ("step", {"key": "a/b c"}, None, "/q/a%2Fb%20c"),  # a part never adds a path segment
        ("review", {}, {"notice": "replaced"}, "/review?notice=replaced"),
        ("draft-download", {"extension": "docx"}, {"lang": "sv"}, "/draft.docx?lang=sv"),
        ("audio", {"key": "k"}, {"part": "answer", "n": "2"}, "/audio/q/k.mp3?part=answer&n=2"),
    ],
)
def test_url_builds_each_address(
    name: str, parts: dict[str, str], query: dict[str, str | None] | None, expected: str
) -> None:
    assert url(name, query=query, **parts) == expected


def _spelled_paths() -> re.Pattern[str]:
    # A path as a literal: "/review", '/q/…', href="/save" (the start page "/" is too common
    # to search for; it is covered by the route test above).
    literal = sorted({p.split("{")[0] for p in PATHS.values() if p != "/"}, key=len, reverse=True)
    return re.compile(r"""["']({})""".format("|".join(re.escape(p) for p in literal)))


def test_no_other_file_spells_a_route_path() -> None:
    sources = [
        *ROOT.glob("assistant/**/*.py"),
        *ROOT.glob("assistant/templates/**/*.html"),
        ROOT / "static/js/app.js",
    ]
    pattern = _spelled_paths()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        if path.name != "urls.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
