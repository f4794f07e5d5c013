"""Data flows one way: request -> thin view -> pure dialogue engine -> store -> template. The
imports say so, and this test keeps them saying it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "assistant"


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py")) if folder else sorted(ROOT.glob("*.py"))


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        # The engine is pure: no web, storage, speech or translation, no aiohttp.
        (
            "dialogue",
            (
                "aiohttp",
                "assistant.web",
                "assistant.store",
                "assistant.speech",
                "assistant.i18n",
                "sqlite3",
                "psycopg",
            ),
        ),
        # Views never write SQL: they go through Conversations and the store's interface.
        (
            "web",
            (
                "sqlite3",
                "psycopg",
                "psycopg_pool",
                "assistant.store.sqlite",
                "assistant.store.postgres",
            ),
        ),
        # The draft is made from the engine's views; it knows nothing of requests.
        ("draft", ("aiohttp", "assistant.web", "assistant.store")),
    ],
)
def test_each_layer_imports_only_what_is_below_it(folder: str, forbidden: tuple[str, ...]) -> None:
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(folder)
        for name in imported(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]
    assert found == []


def test_the_presentation_is_below_every_front_end() -> None:
    assert not [
        n
        for n in imported(ROOT / "presentation.py")
        if n.startswith(("aiohttp", "assistant.web", "assistant.speech"))
    ]
