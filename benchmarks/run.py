"""Benchmarks: one command, one table. Server on CPU 0, load on CPU 1, limits measured in the
same run (absolute times drift on shared machines, ratios do not).

Usage: make bench   (or .venv/bin/python benchmarks/run.py [--quick])
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from load_client import person  # noqa: E402  (this folder is on the path: a script)

from tests.faults import Server, free_port  # noqa: E402


def pin(pid: int, cpu: int) -> None:
    """Every thread of a process on one CPU (a pid alone would move only its main thread;
    threads it started before, such as a store's, would stay where they were)."""
    if len(os.sched_getaffinity(0)) > 1:
        for task in Path(f"/proc/{pid}/task").iterdir():
            os.sched_setaffinity(int(task.name), {cpu})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


async def load(base: str, clients: int, seconds: float, steps_at_most: int) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    deadline = started + seconds

    async def keep_going() -> None:
        while time.monotonic() < deadline:
            await person(base, latencies, errors, deadline, steps_at_most)

    await asyncio.gather(*(keep_going() for _ in range(clients)))
    elapsed = time.monotonic() - started
    return {
        "steps/s": len(latencies) / elapsed,
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "errors": float(len(errors)),
        "steps": float(len(latencies)),
    }


def median_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


async def capture_page(url: str) -> tuple[str, int]:
    """A real question page of the assistant (the limit serves it as it is), and how many steps
    one whole conversation takes (a person at the limit starts over after as many)."""
    latencies: list[float] = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(url + "/") as response:
            await response.read()
            token = response.headers["X-CSRF-Token"]
        async with session.post(url + "/start", data={"csrf": token}) as response:
            await response.read()
        async with session.get(url + "/q/liked-for") as response:
            page = await response.text()
    steps = await person(url, latencies, [], time.monotonic() + 60, 1000)
    return page, steps


def start_bare(folder: Path, page: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    (folder / "page.html").write_text(page, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bare_app.py"),
            str(port),
            str(folder / "bare.sqlite3"),
            str(folder / "page.html"),
        ]
    )
    pin(process.pid, 0)
    for _ in range(100):
        try:
            import urllib.request

            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=0.2).read()
            break
        except OSError:
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}"


def children(pid: int) -> list[int]:
    """The processes a server started (its speech worker)."""
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and every process it started, living ones
    counted from their own /proc entries."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(child) for child in children(pid))


async def measured(
    base: str, pid: int | None, clients: int, seconds: float, steps_at_most: int
) -> dict[str, float]:
    """One round of load, with the server's CPU milliseconds per step when its pid is known."""
    before, client_before = cpu_seconds(pid) if pid else 0.0, time.process_time()
    result = await load(base, clients, seconds, steps_at_most)
    steps = max(result["steps"], 1)
    if pid:
        result["cpu ms"] = (cpu_seconds(pid) - before) * 1000 / steps
    result["client ms"] = (time.process_time() - client_before) * 1000 / steps
    return result


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def populate(data: Path, count: int) -> None:
    """Stored conversations as people leave them: the shipped test plan's answers."""
    from assistant.dialogue.loader import load as load_dialogue
    from assistant.settings import Settings
    from assistant.store import open_store
    from assistant.testplan import load_plan, plan_path, run

    dialogue_path = ROOT / "dialogues" / "wishes-and-needs.yaml"
    state = json.dumps(
        run(load_dialogue(dialogue_path), load_plan(plan_path(dialogue_path))).state.to_json()
    )
    store = await open_store(Settings.from_env(data_dir=data))
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for _ in range(count):
        await store.create(state, {"language": "fi"}, now)
    await store.close()


def row(name: str, values: dict[str, float], limit: dict[str, float] | None) -> str:
    ratio = f"{values['steps/s'] / limit['steps/s']:.2f}" if limit else "—"
    cpu = f"{values['cpu ms']:.2f}" if "cpu ms" in values else "—"
    return (
        f"| {name} | {values['steps/s']:.0f} | {values['p50']:.1f} | {values['p95']:.1f}"
        f" | {values['p99']:.1f} | {values['errors']:.0f} | {cpu} | {ratio} |"
    )


async def rounds_of(
    args: argparse.Namespace, base: str, pid: int | None, clients: int, steps: int
) -> dict[str, float]:
    return median_of(
        [await measured(base, pid, clients, args.seconds, steps) for _ in range(args.rounds)]
    )


def assistant_server(folder: Path, **env: str) -> Server:
    # Every simulated person starts one conversation after another from 127.0.0.1: far more
    # than one address may start in an hour in production (OMA_STARTS_PER_ADDRESS).
    server = Server(folder, extra_env={"OMA_STARTS_PER_ADDRESS": "100000000", **env})
    server.start()
    return server


async def throughput(args: argparse.Namespace, folder: Path) -> list[str]:
    """The assistant on one core (CPU 0) against the limit on the same core, the load client
    on CPU 1: on SQLite, then on PostgreSQL (its server on CPU 0 too)."""
    server = assistant_server(folder / "assistant")
    assert server.process is not None
    pin(server.process.pid, 0)
    page, steps = await capture_page(server.url)
    bare, bare_url = start_bare(folder, page)
    assert bare.pid is not None
    lines = [
        "| load | steps/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms per step"
        " | ratio to limit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    limits = {}
    for clients in args.clients:
        limits[clients] = await rounds_of(args, bare_url, bare.pid, clients, steps)
        ours = await rounds_of(args, server.url, server.process.pid, clients, steps)
        lines.append(row(f"limit, {clients} clients", limits[clients], None))
        lines.append(row(f"assistant, SQLite, {clients} clients", ours, limits[clients]))
    bare.kill()
    server.kill()
    lines += await on_postgres(args, folder, limits, steps)
    return lines


async def on_postgres(
    args: argparse.Namespace, folder: Path, limits: dict[int, dict[str, float]], steps: int
) -> list[str]:
    import pytest

    from tests.postgres import cluster

    try:
        with cluster(durable=True) as database:
            for pid in database.pids():
                pin(pid, 0)
            url = database.new_database()
            server = assistant_server(folder / "on-postgres", OMA_DATABASE_URL=url)
            assert server.process is not None
            pin(server.process.pid, 0)
            lines = []
            for clients in args.clients[:3]:
                ours = await rounds_of(args, server.url, server.process.pid, clients, steps)
                lines.append(
                    row(f"assistant, PostgreSQL, {clients} clients", ours, limits[clients])
                )
            server.kill()
            return lines
    except pytest.skip.Exception as skipped:
        return [f"| PostgreSQL not measured: {skipped.msg} |||||||"]


async def workers(args: argparse.Namespace, folder: Path) -> list[str]:
    """`serve --workers 1` and `--workers 2` in one run, nothing pinned: the workers and the
    load client share both cores as the kernel schedules them (the client's own CPU per step
    is in the last column)."""
    os.sched_setaffinity(0, range(os.cpu_count() or 1))
    lines = [
        "| load | steps/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms per step"
        " | ratio to one worker | load client CPU ms per step |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    one: dict[int, dict[str, float]] = {}
    for count in (1, 2):
        server = assistant_server(folder / f"workers-{count}", OMA_WORKERS=str(count))
        assert server.process is not None
        _, steps = await capture_page(server.url)
        for clients in args.clients[1:3]:
            result = await rounds_of(args, server.url, server.process.pid, clients, steps)
            one.setdefault(clients, result)
            line = row(f"{count} worker(s), {clients} clients", result, one[clients])
            lines.append(f"{line} {result['client ms']:.2f} |")
        server.terminate()
    pin(os.getpid(), 1)
    return lines


async def speech_and_weight(folder: Path) -> list[str]:
    from assistant.speech import SpeechService

    lines = ["| measure | value |", "|---|---|"]
    service = SpeechService(folder / "speech", key=b"bench")
    await service.start()
    if service.available:
        times = []
        for n in range(20):
            started = time.perf_counter()
            await service.audio(
                f"Kysymys {n}: mitä sinä toivot arjessasi eniten?", "fi", cache=False
            )
            times.append((time.perf_counter() - started) * 1000)
        lines.append(f"| synthesis per prompt, median | {statistics.median(times):.0f} ms |")
    await service.close()
    env = {**os.environ, "OMA_DATA_DIR": str(folder / "warm")}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "tts", "warm"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    lines.append(
        f"| tts warm, whole cache (6 language variants) | {time.perf_counter() - started:.1f} s |"
    )

    server = Server(folder / "warm", extra_env={"OMA_SPEECH": "1"})
    server.start()
    assert server.process is not None
    pin(server.process.pid, 0)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(server.url + "/") as response:
            await response.read()
            token = response.headers["X-CSRF-Token"]
        async with session.post(server.url + "/start", data={"csrf": token}) as response:
            await response.read()
            token = response.headers["X-CSRF-Token"]  # bound to the new session
        answer = {"csrf": token, "action": "continue", "answer": "Leivon ja laulan kuorossa."}
        async with session.post(server.url + "/q/liked-for", data=answer) as response:
            await response.read()
        audio = server.url + "/audio/q/liked-for.mp3?part=question"
        cached = []
        for _ in range(50):
            started = time.perf_counter()
            async with session.get(audio) as response:
                await response.read()
            cached.append((time.perf_counter() - started) * 1000)
        lines.append(
            f"| cached prompt served (round trip on loopback), median | {statistics.median(cached):.2f} ms |"
        )

        async def pages(n: int) -> list[float]:
            out = []
            for _ in range(n):
                started = time.perf_counter()
                async with session.get(server.url + "/q/liked-for") as response:
                    await response.read()
                out.append((time.perf_counter() - started) * 1000)
            return out

        quiet = await pages(200)

        async def synthesise(round_: int) -> None:
            # The person's own answer read back: never cached on disk, and kept in memory only
            # for the same words, so each read-back follows a changed answer to be made anew.
            for n in range(40):
                words = f"Leivon ja laulan kuorossa {n} kertaa viikossa, {round_}. kerran."
                changed = {**answer, "answer": words}
                async with session.post(server.url + "/q/liked-for", data=changed) as response:
                    await response.read()
                async with session.get(server.url + "/audio/q/liked-for.mp3?part=answer") as got:
                    assert got.status == 200 and len(await got.read()) > 1000

        beside = {}
        for cpu in (0, 1):  # the speech worker on the server's core, then on a core of its own
            for worker in children(server.process.pid):
                pin(worker, cpu)
            beside[cpu], _ = await asyncio.gather(pages(200), synthesise(cpu))
        lines.append(
            "| page p99 alone / with synthesis beside, worker on the server's core / on its own "
            f"| {percentile(quiet, 99):.1f} / {percentile(beside[0], 99):.1f} / "
            f"{percentile(beside[1], 99):.1f} ms |"
        )
        async with session.get(server.url + "/q/matters") as response:
            html = await response.read()
    css = (ROOT / "static" / "css" / "app.css").read_bytes()
    js = (ROOT / "static" / "js" / "app.js").read_bytes()
    total = len(gzip.compress(html)) + len(gzip.compress(css)) + len(gzip.compress(js))
    lines.append(
        f"| question page HTML / CSS / JS, raw | {len(html) / 1024:.1f} / {len(css) / 1024:.1f} / {len(js) / 1024:.1f} KB |"
    )
    lines.append(f"| question page with CSS and JS, gzip | {total / 1024:.1f} KB |")
    lines.append(
        "| requests per question page | 3 (page, CSS, JS; audio only when asked), all same origin |"
    )
    server.kill()
    return lines


async def size(folder: Path) -> list[str]:
    lines = [
        "| stored conversations | server memory (RSS) | database bytes per conversation | start-up to first page |",
        "|---|---|---|---|",
    ]
    for count in (1000, 10000):
        data = folder / f"size-{count}"
        await populate(data, count)
        server = Server(data)
        startup = server.start()
        assert server.process is not None
        async with aiohttp.ClientSession() as session:
            for _ in range(20):
                async with session.get(server.url + "/") as response:
                    await response.read()
        memory = rss_mb(server.process.pid)
        server.kill()
        per = sum(p.stat().st_size for p in data.glob("oma-aani.sqlite3*")) / count
        lines.append(f"| {count:,} | {memory:.0f} MB | {per:.0f} | {startup * 1000:.0f} ms |")
    return lines


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and clients")
    args = parser.parse_args()
    args.clients = [1, 10, 50] if args.quick else [1, 10, 50, 200]
    args.rounds = 1 if args.quick else 3
    args.seconds = 2.0 if args.quick else 5.0
    pin(os.getpid(), 1)
    folder = Path(tempfile.mkdtemp(prefix="oma-bench-"))
    print("## Step throughput (POST answer, redirect, GET next page), median of rounds\n")
    print("\n".join(await throughput(args, folder)))
    print("\n## Workers (`serve --workers N`), both cores shared with the load client\n")
    print("\n".join(await workers(args, folder)))
    print("\n## Speech and page weight\n")
    print("\n".join(await speech_and_weight(folder)))
    print("\n## Size\n")
    print("\n".join(await size(folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
