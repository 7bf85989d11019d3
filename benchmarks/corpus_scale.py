"""A corpus of thousands: a full build, then `cmkg add` of 5 % new documents, against each other.

Writes a synthetic corpus (default 2,000 documents) by recombining the seeds' cleaned sentences, with 10 %
near-duplicates (a document republished with another site's menu and footer) and 1 % bad files (empty,
binary, Latin-1), and builds it with ``cmkg build --keep-going``; then writes 100 new documents and adds
them with ``cmkg add``. Each command runs in its own process (``python -m graph``, one spaCy process each),
timed by the wall clock; both project and analyse the graph, run SHACL and write ``graph.html`` in worker
processes beside the main one, and the add extracts its new documents in one (:mod:`graph.workers`, on a
machine with two cores or more; the
line ``processes`` says how many cores there were and the load average, since a process busy on the other core
takes from them). Peak memory: the kernel's for the largest process (``wait4``'s ``ru_maxrss``), and the
resident memory of the processes together, sampled (shared pages counted twice). Both
use a user cache (:mod:`graph.cache`) that is empty before the build, as for someone's first build: the
build fills it (the model's compiled patterns, the reference data, the ontology's triples), the add reads it.
Prints both times, both peaks, and the ratio add time / full-build time (target ≤ 0.1 for 5 % new
documents; peak memory under 4 GB). Run:
python benchmarks/corpus_scale.py [--documents 2000] [--new 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.ingest import load_boilerplate_rules, load_documents  # noqa: E402
from graph.workers import ENVIRONMENT, can_fork, cores  # noqa: E402

DUPLICATE_SHARE = 0.10
BAD_SHARE = 0.01
MEMORY_CAP_GB = 4.0
MENUS = ("Accueil | Monde | Économie | Matières premières\n\n", "Menu\n\nActualités > Énergie > Métaux\n\n")
FOOTERS = ("\nPartager sur Facebook\n\n© Le Quotidien 2026\n", "\nLire aussi : le cobalt congolais\n")
BAD_FILES = (
    ("empty.txt", b""),
    ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"),
    ("latin1.txt", "Le cobalt du Congo est raffiné en Chine.\n".encode("latin-1")),
)


def seed_sentences() -> list[str]:
    """The sentences of the seeds' clean texts (longer than 40 characters)."""
    rules = load_boilerplate_rules(ROOT / "ontology" / "patterns" / "boilerplate.csv")
    sentences = []
    for doc in load_documents([ROOT / "seeds"], rules):
        for paragraph in doc.clean.text.split("\n\n"):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s) > 40]
    return sentences


def article(rng: random.Random, sentences: list[str]) -> str:
    """A synthetic article: four paragraphs of three seed sentences."""
    return "\n\n".join(" ".join(rng.sample(sentences, 3)) for _ in range(4)) + "\n"


def write_corpus(folder: Path, count: int, sentences: list[str], seed: int, prefix: str) -> dict[str, int]:
    """``count`` files in ``folder``: articles, 10 % of them near-duplicates of an earlier one (another menu
    and footer), 1 % bad files. Returns how many of each kind."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    bad = round(count * BAD_SHARE)
    duplicates = round(count * DUPLICATE_SHARE)
    originals = count - bad - duplicates
    texts = []
    for i in range(originals):
        text = article(rng, sentences)
        texts.append(text)
        (folder / f"{prefix}{i:05d}.txt").write_text(text, encoding="utf-8")
    for i in range(duplicates):
        text = rng.choice(MENUS) + rng.choice(texts) + rng.choice(FOOTERS)
        (folder / f"{prefix}{originals + i:05d}-republished.txt").write_text(text, encoding="utf-8")
    for i in range(bad):
        name, data = BAD_FILES[i % len(BAD_FILES)]
        (folder / f"{prefix}{originals + duplicates + i:05d}-{name}").write_bytes(data)
    return {"articles": originals, "near-duplicates": duplicates, "bad files": bad}


def tree_rss(pid: int) -> int:
    """The resident memory (bytes) of process ``pid`` and of its children, summed (pages that a forked worker
    shares with its parent are counted in both: an upper bound); 0 once it has ended."""
    total = 0
    try:
        with open(f"/proc/{pid}/statm") as statm:
            total = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return total + sum(tree_rss(int(child)) for child in children.read().split())
    except (OSError, ValueError):  # ended meanwhile, or no /proc
        return total


def run(args: list[str], cache: Path) -> tuple[float, float, float, str]:
    """Run ``python -m graph ARGS`` in its own process with the user cache ``cache``: wall seconds, peak
    resident memory (GB) of the largest of its processes (the kernel's), peak of its processes together (GB,
    sampled every 20 ms: the worker processes of graph.workers run beside it), output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "CMKG_CACHE_DIR": str(cache)},
    )
    together = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            together[0] = max(together[0], tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"python -m graph {' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024**2, together[0] / 1024**3, output  # ru_maxrss: kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder and keep it.")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]  # another process busy on the machine shows here
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        sentences = seed_sentences()
        corpus = write_corpus(work / "corpus", args.documents, sentences, seed=7, prefix="doc")
        batch = write_corpus(work / "new", args.new, sentences, seed=11, prefix="new")
        out, cache = work / "out", work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        ontology = ["--ontology", str(ROOT / "ontology")]
        build_seconds, build_gb, build_together, build_output = run(
            ["build", str(work / "corpus"), "--out", str(out), "--keep-going", *ontology], cache
        )
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        read = len(summary["documents"])
        grouped = sum(len(d["duplicates"]) for d in summary["documents"])
        add_seconds, add_gb, add_together, _ = run(
            ["add", str(work / "new"), "--out", str(out), "--keep-going", *ontology], cache
        )
        after = json.loads((out / "summary.json").read_text(encoding="utf-8"))

    share = args.new / args.documents
    ratio = add_seconds / build_seconds
    print(f"corpus      {args.documents} files: " + ", ".join(f"{n} {kind}" for kind, n in corpus.items()))
    print(
        f"            build read {read} documents, {grouped} near-duplicates read as one, {len(summary['skipped'])} skipped"
    )
    print(f"new         {args.new} files: " + ", ".join(f"{n} {kind}" for kind, n in batch.items()))
    print(f"            add grew the build to {len(after['documents'])} documents ({len(after['skipped'])} skipped)")
    print(
        f"build       {build_seconds:8.1f} s   peak {build_gb:.2f} GB, {build_together:.2f} GB together   "
        "(python -m graph build --keep-going: extraction in 1 spaCy process; projection and analysis, SHACL, "
        "graph.html in workers)"
    )
    print(
        f"add         {add_seconds:8.1f} s   peak {add_gb:.2f} GB, {add_together:.2f} GB together   "
        "(python -m graph add --keep-going: extraction, projection and analysis, SHACL, graph.html in workers)"
    )
    print(
        f"processes   {cores()} cores available; workers {'on' if can_fork() else 'off'} (graph.workers, "
        f"{ENVIRONMENT}=0 turns them off); load average before the build {load_before:.2f}, "
        f"after the add {os.getloadavg()[0]:.2f}"
    )
    print("cache       user cache empty before the build (the build fills it, the add reads it)")
    verdict = "met" if ratio <= 0.1 else "NOT met"
    print(f"ratio       {ratio:.3f}  add / full build for {share:.0%} new documents (target <= 0.1): {verdict}")
    peak = max(build_gb, add_gb, build_together, add_together)
    print(
        f"memory      peak {peak:.2f} GB, processes together (target < {MEMORY_CAP_GB:g} GB): "
        f"{'met' if peak < MEMORY_CAP_GB else 'NOT met'}"
    )
    for line in build_output.splitlines():
        if line.startswith(("sentences", "claims", "quads", "time")):
            print(f"            build {line}")


if __name__ == "__main__":
    main()
