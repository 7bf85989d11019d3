"""The synthetic dataset of the SPARQL benchmarks: the seeds' claims replicated to ~1,000,000 triples.

The seeds are built once (``graph.pipeline.build``); their ontology and reference graphs are kept
once, and their documents, claims and provenance are copied over synthetic documents with fresh
IRIs (``doc:X`` → ``doc:X-s7``, ``claim:H`` → ``claim:H-s7``, ``fact:share/H`` → ``fact:share/H-s7``)
until the dataset reaches the target size. Entities stay shared, as more documents about the same
actors would. The result is written as N-Quads and loaded with ``cmkg load``'s function.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.sparql.store import dump_store, load_files  # noqa: E402

QUERIES = ROOT / "queries"
SEEDS = ROOT / "seeds"
DEFAULT_TRIPLES = 1_000_000
REPLICATED_GRAPHS = re.compile(r"<https://w3id\.org/cmkg/(?:claim/[^>]*|graph/provenance|graph/documents)> \.$")
FRESH_IRIS = re.compile(r"<(https://w3id\.org/cmkg/(?:doc|claim|fact/[a-z]+)/[^>]+)>")


@dataclass(frozen=True)
class Dataset:
    """Where the synthetic dataset is and what it took to load."""

    store_dir: str
    quads: int
    replicas: int
    load_seconds: float

    @property
    def quads_per_second(self) -> float:
        return self.quads / self.load_seconds


def competency_queries() -> dict[str, str]:
    """The text of every ``queries/*.rq``, by name."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(QUERIES.glob("*.rq"))}


def build_seeds(work: Path) -> Path:
    """The seeds built into ``work/seeds`` (reused if already there)."""
    out = work / "seeds"
    if not (out / "store" / "CURRENT").is_file():
        from graph.pipeline import build

        build([SEEDS], out, ontology_dir=ROOT / "ontology")
    return out


def synthesize(seeds_out: Path, target: int, path: Path) -> tuple[int, int]:
    """Write the replicated dataset to ``path`` as N-Quads; return (quads, replicas)."""
    seeds_nq = path.with_name("seeds.nq")
    dump_store(seeds_out / "store", seeds_nq, "nquads")
    lines = seeds_nq.read_text(encoding="utf-8").splitlines(keepends=True)
    replicated = [line for line in lines if REPLICATED_GRAPHS.search(line)]
    kept = [line for line in lines if not REPLICATED_GRAPHS.search(line)]
    replicas = max(1, -(-(target - len(kept)) // len(replicated)))
    with path.open("w", encoding="utf-8") as out:
        out.writelines(kept)
        out.writelines(replicated)
        for k in range(1, replicas):
            suffix = f"-s{k}>"
            out.writelines(FRESH_IRIS.sub(lambda m, s=suffix: f"<{m.group(1)}{s}", line) for line in replicated)
    return len(kept) + replicas * len(replicated), replicas


def ensure_dataset(work: Path, target: int = DEFAULT_TRIPLES, reload: bool = False, log=print) -> Dataset:
    """The synthetic store under ``work``: built, synthesized and loaded unless already there;
    with ``reload``, loaded again (and timed) from the N-Quads even if it is."""
    work.mkdir(parents=True, exist_ok=True)
    marker = work / "dataset.json"
    nquads = work / "synthetic.nq"
    recorded = json.loads(marker.read_text(encoding="utf-8")) if marker.is_file() else {}
    if recorded.get("target") == target and nquads.is_file():
        if not reload and (Path(recorded["store_dir"]) / "CURRENT").is_file():
            recorded.pop("target")
            return Dataset(**recorded)
        replicas = recorded["replicas"]
    else:
        log("building the seeds ...")
        seeds_out = build_seeds(work)
        started = time.perf_counter()
        expected, replicas = synthesize(seeds_out, target, nquads)
        log(
            f"synthesized {expected:,} quads ({replicas} copies of the seeds' claims) in "
            f"{time.perf_counter() - started:.1f} s"
        )
    log("loading them with cmkg load's function ...")
    store_dir = work / "out" / "store"
    started = time.perf_counter()
    quads = load_files([nquads], store_dir)
    dataset = Dataset(str(store_dir), quads, replicas, time.perf_counter() - started)
    marker.write_text(json.dumps({**asdict(dataset), "target": target}), encoding="utf-8")
    return dataset
