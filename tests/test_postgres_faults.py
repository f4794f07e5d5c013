"""Faults on PostgreSQL (issue 19): one of two instances killed while people answer, and the
database restarted under load. The rule of the SQLite crash test holds: no acknowledged answer
is lost; while the database is away people are told their answer was NOT saved (503), and the
instances reconnect by themselves."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from aiohttp.test_utils import TestClient

from assistant.app import create_app
from assistant.settings import Settings
from tests.faults import Client, Server, write_until_killed
from tests.postgres import Cluster

ROUNDS = 3


async def test_killing_one_of_two_instances_loses_nothing_acknowledged(
    tmp_path: Path, postgres_url: str
) -> None:
    shared = {"OMA_DATABASE_URL": postgres_url}  # one data folder too: one secret key
    killed, survivor = Server(tmp_path, extra_env=shared), Server(tmp_path, extra_env=shared)
    killed.start()
    survivor.start()
    clients = [Client(killed.url) for _ in range(4)]
    for client in clients:
        await client.start()
    rng = random.Random(19)
    for _ in range(ROUNDS):
        await write_until_killed(killed, clients, rng.uniform(0.2, 0.6))
        for client in clients:  # the load balancer sends everyone to the other instance
            client.base = survivor.url
            stored = await client.stored()
            assert client.acknowledged <= stored <= client.sent, (
                client.acknowledged,
                stored,
                client.sent,
            )
            assert await client.answer(client.sent + 1)  # and they go on answering there
            client.base = killed.url
        assert killed.start() < 10
    assert all(c.acknowledged > 0 for c in clients)
    for client in clients:
        await client.close()
    killed.kill()
    assert survivor.terminate() == 0


async def test_a_restarted_database_gives_an_honest_503_then_instances_reconnect(
    aiohttp_client: object, tmp_path: Path, postgres_cluster: Cluster
) -> None:
    url = postgres_cluster.new_database()
    settings = Settings.from_env(data_dir=tmp_path, speech=False, database_url=url)
    app = create_app(settings.with_(db_busy_timeout=1.0))
    client: TestClient = await aiohttp_client(app)  # type: ignore[operator]
    person = Client(str(client.make_url("")).rstrip("/"))
    try:
        await restart_under_load(client, person, postgres_cluster)
    finally:
        await person.close()


async def restart_under_load(client: TestClient, person: Client, cluster: Cluster) -> None:
    await person.start()
    assert await person.answer(1)
    cluster.stop("fast")
    try:
        for number in (2, 3):
            response = await person.session.post(
                f"{person.base}/api/v1/steps/liked-for",
                json={"answer": f"answer {number}"},
                headers=person.headers(),
            )
            assert response.status == 503, response.status
            body = await response.json()
            assert body["error"] in ("not-saved", "store-unavailable"), body
            assert (await client.get("/readyz")).status == 503
    finally:
        cluster.start()
    # The same instance, not restarted: its pool makes new connections.
    for _ in range(50):
        if (await client.get("/readyz")).status == 200:
            break
        await asyncio.sleep(0.1)
    assert await person.answer(4)
    assert await person.stored() == 4
