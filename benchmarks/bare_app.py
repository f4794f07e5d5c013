"""The limit: a bare aiohttp app doing the least our pages must do, for the same client work.

It serves one real question page of the assistant (captured by benchmarks/run.py) from a
constant string, so the load client parses the same HTML, keeps the same cookies and posts the
same form fields to both servers; only the server's work differs. POST commits one SQLite row
(WAL, synchronous=FULL) on a worker thread and redirects, as the assistant's answer does.

Usage: bare_app.py PORT DB PAGE_FILE"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiohttp import web

port, path = int(sys.argv[1]), sys.argv[2]
PAGE = Path(sys.argv[3]).read_text(encoding="utf-8")
db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT)")
writer = ThreadPoolExecutor(max_workers=1)


def commit(body: str) -> None:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO rows (body) VALUES (?)", (body,))
    db.execute("COMMIT")


async def page(request: web.Request) -> web.Response:
    response = web.Response(text=PAGE, content_type="text/html")
    response.set_cookie("oma_csrf", "bench", httponly=True, samesite="Strict")
    response.headers["X-CSRF-Token"] = "bench"
    return response


async def answer(request: web.Request) -> web.Response:
    body = await request.text()
    await asyncio.get_running_loop().run_in_executor(writer, commit, body)
    raise web.HTTPSeeOther("/" if request.path == "/start" else request.path)


app = web.Application()
app.router.add_get("/", page)
app.router.add_get("/q/{key}", page)
app.router.add_post("/start", answer)
app.router.add_post("/q/{key}", answer)
web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
