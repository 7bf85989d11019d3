"""Latency of the competency questions over ~1,000,000 triples, three ways in one run.

    python benchmarks/sparql_latency.py [--triples 1000000] [--runs 5] [--rdflib-budget 30]

1. builds the synthetic dataset (see benchmarks/dataset.py) and loads it with ``cmkg load``'s
   function: prints the load time and triples per second;
2. starts ``cmkg serve`` (a separate process) on a free loopback port and times every
   ``queries/*.rq`` over HTTP: POST, SPARQL JSON, body read and parsed, one keep-alive client;
3. times the same queries with embedded pyoxigraph on the same store, every solution turned into
   Python values;
4. parses the same N-Quads into an rdflib ``Dataset`` (union default graph) and times the queries
   there, each run in a forked child killed past ``--rdflib-budget`` seconds.

Each figure is the median of ``--runs`` timed runs (after one untimed warm-up run for the two
Oxigraph ways). The ratios are printed per question and over the whole set: the sum of medians
and the geometric mean. Targets: endpoint/embedded ≤ 1.5, rdflib/endpoint ≥ 50.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import math
import os
import pickle
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from dataset import DEFAULT_TRIPLES, ROOT, competency_queries, ensure_dataset

ENDPOINT_TARGET = 1.5
RDFLIB_TARGET = 50.0


def start_serve(out: Path, timeout_s: float) -> tuple[subprocess.Popen[str], str]:
    """``cmkg serve`` over ``out`` on a free loopback port: the process and its endpoint URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--out", str(out), "--port", "0", "--timeout", str(timeout_s)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline()
    if not first.startswith("SPARQL endpoint: "):
        process.kill()
        raise SystemExit(f"cmkg serve did not start: {first!r}")
    return process, first.split()[-1]


def stop_serve(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)


def median_of(run: Callable[[], int], runs: int, warm_up: bool = True) -> tuple[float, int]:
    """Median seconds of ``runs`` calls of ``run`` (which returns a row count), and the rows."""
    rows = run() if warm_up else -1
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def http_runner(endpoint: str) -> Callable[[str], Callable[[], int]]:
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}

    def for_query(sparql: str) -> Callable[[], int]:
        body = urlencode({"query": sparql})

        def run() -> int:
            connection.request("POST", url.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.status != 200:
                raise SystemExit(f"HTTP {response.status}: {data[:300]!r}")
            return len(json.loads(data)["results"]["bindings"])

        return run

    return for_query


def embedded_runner(store_dir: str) -> Callable[[str], Callable[[], int]]:
    import pyoxigraph as ox

    store = ox.Store.read_only(store_dir)

    def for_query(sparql: str) -> Callable[[], int]:
        def run() -> int:
            answer = store.query(sparql, use_default_graph_as_union=True)
            rows = [tuple(None if term is None else term.value for term in solution) for solution in answer]
            return len(rows)

        return run

    return for_query


def in_child(run: Callable[[], tuple[float, int]], budget_s: float) -> tuple[float, int] | None:
    """Run ``run`` in a forked child; its result, or None if it took more than ``budget_s``."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, never return into the caller's code
        os.close(reader)
        try:
            os.write(writer, pickle.dumps(run()))
        finally:
            os._exit(0)
    os.close(writer)
    try:
        ready, _, _ = select.select([reader], [], [], budget_s)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return None
        data = b""
        while chunk := os.read(reader, 65536):
            data += chunk
        return pickle.loads(data) if data else None
    finally:
        os.close(reader)
        os.waitpid(pid, 0)


def time_rdflib(dataset, sparql: str, runs: int, budget_s: float) -> tuple[float, int, bool]:
    """Median seconds of rdflib runs, rows, and whether a run hit the budget (the time is then a floor)."""

    def one() -> tuple[float, int]:
        started = time.perf_counter()
        rows = len(list(dataset.query(sparql)))
        return time.perf_counter() - started, rows

    times: list[float] = []
    rows = -1
    for _ in range(runs):
        result = in_child(one, budget_s)
        if result is None:
            return budget_s, rows, True
        elapsed, rows = result
        times.append(elapsed)
    return statistics.median(times), rows, False


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=DEFAULT_TRIPLES, help="size of the synthetic dataset")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query and way (median)")
    parser.add_argument("--rdflib-budget", type=float, default=30.0, help="seconds before an rdflib run is cut")
    parser.add_argument("--work", type=Path, default=Path("/tmp/cmkg-bench"), help="folder of the dataset")
    args = parser.parse_args()
    queries = competency_queries()

    dataset = ensure_dataset(args.work, args.triples, reload=True)
    print(f"dataset: {dataset.quads:,} quads ({dataset.replicas} copies of the seeds' claims over synthetic documents)")
    print(
        f"load (cmkg load, streamed N-Quads into a new store): {dataset.load_seconds:.1f} s, "
        f"{dataset.quads_per_second:,.0f} triples/s"
    )

    process, endpoint = start_serve(Path(dataset.store_dir).parent, timeout_s=600)
    try:
        over_http = http_runner(endpoint)
        endpoint_times = {name: median_of(over_http(sparql), args.runs) for name, sparql in queries.items()}
    finally:
        stop_serve(process)
    embedded = embedded_runner(dataset.store_dir)
    embedded_times = {name: median_of(embedded(sparql), args.runs) for name, sparql in queries.items()}

    from rdflib import Dataset

    started = time.perf_counter()
    graph = Dataset(default_union=True)
    graph.parse(args.work / "synthetic.nq", format="nquads")
    parse_s = time.perf_counter() - started
    gc.freeze()  # the parsed dataset is shared with the forked children, not copied by the collector
    print(f"rdflib Dataset parse of the same N-Quads: {parse_s:.1f} s, {dataset.quads / parse_s:,.0f} triples/s")
    rdflib_times = {name: time_rdflib(graph, sparql, args.runs, args.rdflib_budget) for name, sparql in queries.items()}

    print()
    print(f"median of {args.runs} runs, milliseconds; ≥: an rdflib run passed {args.rdflib_budget:g} s and was cut")
    header = f"{'query':<32} {'rows':>5} {'endpoint':>10} {'embedded':>10} {'rdflib':>12} {'end/emb':>8} {'rdf/end':>9}"
    print(header)
    print("-" * len(header))
    ratios_endpoint, ratios_rdflib = [], []
    any_cut = False
    for name in queries:
        endpoint_s, rows = endpoint_times[name]
        embedded_s, embedded_rows = embedded_times[name]
        rdflib_s, rdflib_rows, cut = rdflib_times[name]
        any_cut |= cut
        ratios_endpoint.append(endpoint_s / embedded_s)
        ratios_rdflib.append(rdflib_s / endpoint_s)
        mark = "≥" if cut else " "
        agree = ""
        if rows != embedded_rows or not (cut or rows == rdflib_rows):
            agree = f"  (rows: {embedded_rows} embedded, {rdflib_rows} rdflib)"
        print(
            f"{name:<32} {rows:>5} {endpoint_s * 1000:>10.1f} {embedded_s * 1000:>10.1f} "
            f"{mark + format(rdflib_s * 1000, '.1f'):>12} {ratios_endpoint[-1]:>8.2f} "
            f"{mark + format(ratios_rdflib[-1], '.1f'):>9}{agree}"
        )
    total_endpoint = sum(t for t, _ in endpoint_times.values())
    total_embedded = sum(t for t, _ in embedded_times.values())
    total_rdflib = sum(t for t, _, _ in rdflib_times.values())
    mark = "≥" if any_cut else " "
    print("-" * len(header))
    print(
        f"{'sum of medians':<32} {'':>5} {total_endpoint * 1000:>10.1f} {total_embedded * 1000:>10.1f} "
        f"{mark + format(total_rdflib * 1000, '.1f'):>12} {total_endpoint / total_embedded:>8.2f} "
        f"{mark + format(total_rdflib / total_endpoint, '.1f'):>9}"
    )
    print(
        f"{'geometric mean of the ratios':<32} {'':>5} {'':>10} {'':>10} {'':>12} "
        f"{geometric_mean(ratios_endpoint):>8.2f} {mark + format(geometric_mean(ratios_rdflib), '.1f'):>9}"
    )
    print()
    overall_endpoint = total_endpoint / total_embedded
    overall_rdflib = total_rdflib / total_endpoint
    print(
        f"endpoint/embedded over the set: {overall_endpoint:.2f} (target ≤ {ENDPOINT_TARGET}): "
        f"{'met' if overall_endpoint <= ENDPOINT_TARGET else 'missed'}; worst question {max(ratios_endpoint):.2f}"
    )
    print(
        f"rdflib/endpoint over the set: {mark}{overall_rdflib:.1f} (target ≥ {RDFLIB_TARGET:g}): "
        f"{'met' if overall_rdflib >= RDFLIB_TARGET else 'missed'}; smallest per question {min(ratios_rdflib):.1f}"
    )


if __name__ == "__main__":
    main()
