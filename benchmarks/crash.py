"""200 rounds of SIGKILL at random moments under concurrent writes (tests/test_faults.py runs a
short version). Prints a line per failure and a summary; exits 1 if any promise broke.
Usage: .venv/bin/python benchmarks/crash.py [ROUNDS]"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.faults import Client, Server, write_until_killed


async def main(rounds: int) -> int:
    data = Path(tempfile.mkdtemp(prefix="oma-crash-"))
    server = Server(data)
    server.start()
    clients = [Client(server.url) for _ in range(8)]
    for client in clients:
        await client.start()
    rng = random.Random(2026)
    failures, slowest = 0, 0.0
    for number in range(1, rounds + 1):
        await write_until_killed(server, clients, rng.uniform(0.05, 1.0))
        slowest = max(slowest, server.start())
        for client in clients:
            stored = await client.stored()
            if not client.acknowledged <= stored <= client.sent:
                failures += 1
                print(f"round {number}: acknowledged {client.acknowledged}, stored {stored}")
        with sqlite3.connect(data / "oma-aani.sqlite3") as db:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                failures += 1
                print(f"round {number}: integrity_check failed")
        print(f"\r{number}/{rounds} rounds", end="", file=sys.stderr, flush=True)
    acknowledged = sum(c.acknowledged + 1 for c in clients)
    for client in clients:
        await client.close()
    server.kill()
    print(
        f"\n{rounds} rounds, {acknowledged} answers acknowledged, {failures} missing or corrupt, slowest restart {slowest:.2f} s"
    )
    return 1 if failures or slowest > 5 else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)))
