"""Load on ``cmkg serve``: 32 concurrent clients and one hostile query, on 127.0.0.1 only.

    python benchmarks/sparql_load.py [--clients 32] [--queries 10000] [--timeout 10] [--max-seconds 900]

Over the synthetic dataset of benchmarks/dataset.py (~1,000,000 triples), ``cmkg serve`` runs in
its own process with ``--timeout``. The clients (threads, one keep-alive connection each) send
``--queries`` queries in all, drawn at random (fixed seed) from ``queries/*.rq``, while one hostile
query, a four-way cartesian product counted with ``COUNT(*)``, runs from the first second. No new
query is sent after ``--max-seconds``. Prints the throughput, the p50 and p99 latency of the
competency queries, their errors (any answer but 200), and what became of the hostile query: its
status, time and message, and whether the Oxigraph process that ran it is gone.
Targets: 0 errors, the hostile query stopped by the timeout, p99 below the timeout.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from dataset import DEFAULT_TRIPLES, competency_queries, ensure_dataset
from sparql_latency import start_serve, stop_serve

HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HEADERS = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}


def children(pid: int) -> set[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found |= {int(child) for child in (task / "children").read_text().split()}
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Load:
    """The shared plan of the clients: how many queries are left, and what came back."""

    def __init__(self, endpoint: str, total: int, stop_at: float, seed: int) -> None:
        self.url = urlsplit(endpoint)
        self.left = total
        self.stop_at = stop_at
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.queries = list(competency_queries().items())
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.by_query: dict[str, list[float]] = {name: [] for name, _ in self.queries}
        self.started = time.perf_counter()

    def next_query(self) -> tuple[str, str] | None:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.stop_at:
                return None
            self.left -= 1
            return self.random.choice(self.queries)

    def client(self) -> None:
        connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=120)
        while (picked := self.next_query()) is not None:
            name, sparql = picked
            started = time.perf_counter()
            try:
                connection.request("POST", self.url.path, body=urlencode({"query": sparql}), headers=HEADERS)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=120)
                status, detail = 0, f"{type(error).__name__}: {error}"
            else:
                detail = f"HTTP {status}"
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies.append(elapsed)
                self.by_query[name].append(elapsed)
                if status != 200:
                    self.errors.append(f"{name} at {started - self.started:.1f} s: {detail}")
        connection.close()


def hostile(endpoint: str, delay_s: float, outcome: dict[str, object]) -> None:
    time.sleep(delay_s)
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    started = time.perf_counter()
    connection.request("POST", url.path, body=urlencode({"query": HOSTILE}), headers=HEADERS)
    response = connection.getresponse()
    outcome["body"] = response.read().decode("utf-8", errors="replace").strip()
    outcome["status"] = response.status
    outcome["seconds"] = time.perf_counter() - started
    connection.close()


def warm_up(endpoint: str, rounds: int) -> None:
    """Every competency query ``rounds`` times, one at a time, so that every worker's caches are warm."""
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    for _ in range(rounds // 4 or 1):
        for name, sparql in competency_queries().items():
            connection.request("POST", url.path, body=urlencode({"query": sparql}), headers=HEADERS)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{name}: HTTP {response.status}")
    connection.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=10.0, help="cmkg serve --timeout, seconds")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="no new query after this long")
    parser.add_argument("--triples", type=int, default=DEFAULT_TRIPLES)
    parser.add_argument("--work", type=Path, default=Path("/tmp/cmkg-bench"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    dataset = ensure_dataset(args.work, args.triples)
    print(
        f"dataset: {dataset.quads:,} quads; {len(competency_queries())} competency queries; "
        f"{args.clients} clients; {args.queries:,} queries; cmkg serve --timeout {args.timeout:g}"
    )
    process, endpoint = start_serve(Path(dataset.store_dir).parent, timeout_s=args.timeout)
    try:
        host = urlsplit(endpoint).hostname
        if host != "127.0.0.1":
            raise SystemExit(f"refusing to load anything but 127.0.0.1, not {host}")
        warm_up(endpoint, args.clients)
        workers_before = children(process.pid)

        load = Load(endpoint, args.queries, time.monotonic() + args.max_seconds, args.seed)
        outcome: dict[str, object] = {}
        threads = [threading.Thread(target=load.client, name=f"client-{i}") for i in range(args.clients)]
        hostile_thread = threading.Thread(target=hostile, args=(endpoint, 1.0, outcome), name="hostile")
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        hostile_thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        hostile_thread.join()
        killed = sorted(workers_before - children(process.pid))
    finally:
        stop_serve(process)
    leftovers = [pid for pid in workers_before if alive(pid)]

    done = len(load.latencies)
    print()
    print(
        f"completed      {done:,} queries in {wall:.1f} s ({done / wall:.1f} queries/s)"
        + ("" if done == args.queries else f"; stopped at --max-seconds {args.max_seconds:g}")
    )
    p99 = percentile(load.latencies, 0.99)
    print(
        f"latency        p50 {percentile(load.latencies, 0.50) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {max(load.latencies) * 1000:.0f} ms (timeout {args.timeout:g} s: p99 "
        f"{'below' if p99 < args.timeout else 'NOT below'})"
    )
    print(f"errors         {len(load.errors)}" + (f": {sorted(set(load.errors))[:5]}" if load.errors else ""))
    print(f"hostile query  HTTP {outcome.get('status')} after {outcome.get('seconds', 0):.1f} s: {outcome.get('body')}")
    print(
        f"               Oxigraph workers killed and replaced: {len(killed)}; "
        f"their processes still alive: {sum(alive(pid) for pid in killed)}"
    )
    print(f"after Ctrl-C   Oxigraph processes left: {len(leftovers)}")
    print()
    print(f"{'query':<32} {'n':>5} {'p50 ms':>8} {'p99 ms':>8}")
    for name, values in load.by_query.items():
        if values:
            p50, p99 = statistics.median(values), percentile(values, 0.99)
            print(f"{name:<32} {len(values):>5} {p50 * 1000:>8.0f} {p99 * 1000:>8.0f}")


if __name__ == "__main__":
    main()
