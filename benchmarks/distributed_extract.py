"""Extraction on Dask against extraction in one process, on the throughput benchmark's 2 MB corpus.

Three runs over the same synthetic documents (``extract_throughput.write_corpus``): (1) one process, as a
plain ``cmkg build`` reads (load the model, read, clean, extract); (2) a LocalCluster of two worker processes
started for the run, as ``cmkg build --local-cluster 2``; (3) two workers behind a separate ``dask scheduler``
process, as ``cmkg build --scheduler ADDRESS`` (scheduler and workers started before the clock, as a team's
cluster would be; the workers still load the model in the run), then (4) a second build on that standing
cluster, whose workers keep the model they loaded, and (5) a first build on workers started with
``--preload graph.extract.dask_preload``, which load the model when they start. Each run ends with the same ``Extraction``
(checked). Prints tokens per second, the ratio to one process (target >= 1.6 with two workers on two cores),
the time the client spends after the workers (the rule passes, which stay on the client), and the scheduler's
overhead: per task from 1,000 empty tasks, and per document. Run:
python benchmarks/distributed_extract.py [--megabytes 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extract_throughput import seed_sentences, write_corpus  # noqa: E402

from graph.extract import DEFAULT_MODEL, extract, load_nlp, paragraph_chunks  # noqa: E402
from graph.extract.distributed import BATCH_BYTES, Cluster, connect, read_on_cluster  # noqa: E402
from graph.extract.facts import extraction_to_dict  # noqa: E402
from graph.extract.reference import load_reference  # noqa: E402
from graph.ingest import load_boilerplate_rules, load_documents  # noqa: E402
from graph.pipeline import language_markers  # noqa: E402
from graph.sparql.serve import free_port  # noqa: E402

WORKERS = 2
EMPTY_TASKS = 1000


def _noop(i: int) -> int:
    return i


def run_local(folder: Path, reference, rules, markers):
    started = time.perf_counter()
    nlp = load_nlp()
    documents = load_documents([folder], rules, None, markers)
    result = extract(documents, reference, nlp)
    return result, documents, time.perf_counter() - started, 0.0


def run_cluster(cluster: Cluster, folder: Path, reference, rules, markers):
    started = time.perf_counter()
    documents, _, readings = read_on_cluster(
        cluster, [folder], rules, None, markers, ontology_dir=reference.ontology_dir
    )
    parsed_at = time.perf_counter()
    result = extract(documents, reference, None, readings=[readings[d.id] for d in documents])
    ended = time.perf_counter()
    return result, documents, ended - started, ended - parsed_at


def task_overhead(address: str) -> float:
    """Seconds of scheduler round trip per empty task, 1,000 of them at once."""
    with connect(Cluster(address)) as client:
        client.gather(client.map(_noop, range(50), pure=False))  # warm
        started = time.perf_counter()
        client.gather(client.map(_noop, range(EMPTY_TASKS), pure=False))
        return (time.perf_counter() - started) / EMPTY_TASKS


@contextmanager
def standing_cluster(preload: bool = False) -> Iterator[str]:
    """A ``dask scheduler`` and its workers in their own processes, as a team's cluster runs them, ready
    before the clock (with ``preload``, started with ``--preload graph.extract.dask_preload``); the
    scheduler's address, and every process stopped on the way out."""
    port = free_port("127.0.0.1")
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    with tempfile.TemporaryDirectory() as config:
        # the workers import this checkout's graph package, and are set up as docs/scaling.md says (Dask's
        # nanny must not set MALLOC_TRIM_THRESHOLD_: graph.extract.distributed.WORKER_CONFIG)
        (Path(config) / "cmkg-workers.yaml").write_text(
            "distributed:\n  nanny:\n    pre-spawn-environ:\n      MALLOC_TRIM_THRESHOLD_: null\n", encoding="utf-8"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_CONFIG": config}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT, "env": env}
        scheduler = [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        worker = [dask, "worker", address, "--nthreads", "1", "--no-dashboard"]
        worker += ["--preload", "graph.extract.dask_preload"] if preload else []
        processes = [subprocess.Popen(scheduler, **quiet)]
        processes += [subprocess.Popen(worker, **quiet) for _ in range(WORKERS)]
        try:
            from distributed import Client

            with Client(address, timeout="30s") as client:
                client.wait_for_workers(WORKERS, timeout=60)
            yield address
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    args = parser.parse_args()

    reference = load_reference(ROOT / "ontology")
    rules = load_boilerplate_rules(ROOT / "ontology" / "patterns" / "boilerplate.csv")
    markers = language_markers(reference)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_corpus(folder, seed_sentences(rules), args.megabytes)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6

        local, documents, seconds, _ = run_local(folder, reference, rules, markers)
        tokenizer = load_nlp().tokenizer
        tokens = sum(len(tokenizer(chunk.text)) for chunk in paragraph_chunks(documents))
        expected = extraction_to_dict(local)
        rows.append(("local, 1 process", seconds, 0.0, None))

        def measure(name: str, cluster: Cluster, scheduler_overhead: bool = False) -> None:
            result, _, seconds, client_s = run_cluster(cluster, folder, reference, rules, markers)
            assert extraction_to_dict(result) == expected, f"{name.strip()}: extraction differs"
            overhead = task_overhead(cluster.address) if scheduler_overhead else None
            rows.append((name, seconds, client_s, overhead))

        measure(f"LocalCluster, {WORKERS} workers", Cluster(workers=WORKERS))
        with standing_cluster() as address:
            measure(f"dask scheduler + {WORKERS} workers", Cluster(address), scheduler_overhead=True)
            # the same standing cluster builds again: its workers keep the model they loaded (worker_nlp)
            measure("  again, workers keep the model", Cluster(address))
        # workers started as docs/scaling.md says, with the preload: ready before the first build
        with standing_cluster(preload=True) as address:
            measure("  --preload workers, first build", Cluster(address))

    n = len(paths)
    local_seconds = rows[0][1]
    print(f"corpus     {n} documents, {megabytes:.2f} MB, {tokens} tokens, {DEFAULT_MODEL} without its parser")
    print(f"tasks      batches of about {BATCH_BYTES:,} bytes: {-(-int(megabytes * 1e6) // BATCH_BYTES)} tasks")
    print(f"{'run':34} {'seconds':>8} {'tokens/s':>9} {'ratio':>6} {'client s':>9} {'per doc ms':>11}")
    for name, seconds, client_s, _ in rows:
        per_doc = (seconds - local_seconds / WORKERS) / n * 1000 if client_s else 0.0
        print(
            f"{name:34} {seconds:8.1f} {tokens / seconds:9,.0f} {local_seconds / seconds:6.2f} "
            f"{client_s:9.1f} {per_doc:11.2f}"
        )
    print(f"scheduler  {rows[2][3] * 1000:.2f} ms per empty task ({EMPTY_TASKS} at once, separate scheduler process)")
    print(
        "per doc ms: the run's time beyond a perfect split of the local time over the workers, per document "
        "(startup, model loads, transfers, the client's rule passes)"
    )
    print(f"target     ratio >= 1.6 with {WORKERS} workers on this machine's {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
