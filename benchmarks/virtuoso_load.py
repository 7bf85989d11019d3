"""Loading a build into Virtuoso: ``cmkg push`` (Graph Store Protocol, one PUT per named graph) against
Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run`` over N-Quads), then the competency queries on both.

The dataset is the SPARQL benchmarks' (``dataset.synthesize``: the seeds' claims replicated over synthetic
documents) cut at ``--quads``. Each method loads into its own fresh throw-away Virtuoso (``tests/shared_store``);
the bulk load's time includes writing the N-Quads and the checkpoint. Then every competency query is timed
(median of 3) on Virtuoso's ``/sparql`` and on the embedded store. Run:
python benchmarks/virtuoso_load.py [--quads 200000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from dataset import build_seeds, competency_queries, synthesize  # noqa: E402
from shared_store import running_virtuoso  # noqa: E402

from graph.sparql.push import push_store  # noqa: E402
from graph.sparql.store import dump_store, run_query, stats, write_store  # noqa: E402

RUNS = 3


def median_ms(run) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dataset = work / "data.nq"
        quads, replicas = synthesize(build_seeds(work), args.quads, dataset)
        store_dir = work / "store"
        write_store(dataset, store_dir)
        local = stats(store_dir)
        print(
            f"dataset    {local['quads']:,} quads, {local['named_graphs']:,} named graphs ({replicas} copies of the seeds)"
        )

        with running_virtuoso(work / "gsp") as virtuoso:
            report = push_store(store_dir, virtuoso.graph_store)
            print(
                f"GSP        {report.seconds:7.1f} s  {report.triples / report.seconds:9,.0f} triples/s  "
                f"({report.graphs:,} PUTs, cmkg push)"
            )
        with running_virtuoso(work / "bulk") as virtuoso:
            started = time.perf_counter()
            dump_store(store_dir, virtuoso.load_dir / "data.nq", "nquads")
            virtuoso.sql(f"ld_dir('{virtuoso.load_dir}', 'data.nq', 'urn:cmkg:unused'); rdf_loader_run(); checkpoint;")
            seconds = time.perf_counter() - started
            [count] = virtuoso.select(
                'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/cmkg/")) }'
            )
            loaded = int(count["n"]["value"])
            print(
                f"bulk load  {seconds:7.1f} s  {loaded / seconds:9,.0f} triples/s  "
                f"(dump N-Quads + ld_dir + rdf_loader_run + checkpoint; {loaded:,} quads in cmkg graphs)"
            )
            print(f"\nmedian of {RUNS} runs, ms      virtuoso   embedded")
            for name, sparql in competency_queries().items():
                remote = median_ms(lambda s=sparql: virtuoso.select(s))
                embedded = median_ms(lambda s=sparql: run_query(store_dir, s))
                print(f"{name:30} {remote:9.1f} {embedded:10.1f}")
        size = sum(f.stat().st_size for f in (work / "bulk" / "db").glob("virtuoso*.db"))
        print(f"\nVirtuoso database files after the bulk load: {size / 1e6:.0f} MB for {loaded:,} quads")


if __name__ == "__main__":
    main()
