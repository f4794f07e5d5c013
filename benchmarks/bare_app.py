"""The limit: a bare aiohttp app doing the least our pages must do. GET returns a page of the
same size from a constant string; POST commits one SQLite row (WAL, synchronous=FULL) on a
worker thread and redirects, as the assistant's answer does. Usage: bare_app.py PORT DB BYTES"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

port, path, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
PAGE = "<!DOCTYPE html><title>x</title>" + "x" * max(size - 40, 0)
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
    return web.Response(text=PAGE, content_type="text/html")


async def answer(request: web.Request) -> web.Response:
    body = await request.text()
    await asyncio.get_running_loop().run_in_executor(writer, commit, body)
    raise web.HTTPSeeOther("/page")


app = web.Application()
app.router.add_get("/page", page)
app.router.add_post("/answer", answer)
web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
