"""Read documents on a Dask cluster; the client assembles the build exactly as a local build.

Contract. The expensive part of a build runs as Dask tasks, one task per batch of files (about
``BATCH_BYTES`` of text, many ``nlp.pipe`` batches' worth): reading and cleaning the files, running spaCy over
their paragraphs, and reading each document on its own (:func:`graph.extract.read_documents`: gazetteer
mentions, NER candidates, the name rules, the curation's relinks). Each worker loads the spaCy model and the
reference data once and keeps them. A task sends back the batch's documents, the files it could not read
with the reason, and each document's reading. The client then runs :func:`graph.extract.extract` with those
readings: every rule that reads across documents (one IRI per name, persons' affiliations voted over the
corpus, the relation rules that carry context, the build's merging) runs on the client over the whole
corpus, in the same order as locally, so the output is byte-identical to a local build of the same files.

Tasks are retried (``RETRIES``) when they fail or their worker dies; a file that cannot be read is reported
like in a local build (skipped with ``keep_going``, else the first one in file order stops the build). Workers
read the files and the ontology folder themselves: on other machines they need the same paths (a shared
folder). Dask is imported only when a cluster is used.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DocumentError, ExtractionError
from graph.extract import DEFAULT_MODEL, DocumentReading, load_nlp, read_documents
from graph.extract.mentions import Gazetteer, build_gazetteer
from graph.extract.reference import Reference, default_ontology_dir, load_reference
from graph.ingest import BoilerplateRules, Document, Skipped, find_sources, load_readable_documents

log = logging.getLogger(__name__)

BATCH_BYTES = 64_000
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
"""Dask configuration for the workers cmkg starts: Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_`` in every
worker's environment to give memory back sooner, and any explicit value turns off glibc's dynamic mmap
threshold, which makes spaCy's parsing about 30 % slower (measured: 14.7 s against 18.9 s for 1 MB on one
core); unset, the workers allocate as a plain process does. docs/scaling.md gives the same setting as a
YAML file for a team's standing workers."""
"""Bytes of files per task: a few seconds of spaCy, enough to hide the scheduler's round trip."""
RETRIES = 3
"""Times a task is tried again after an error or its worker's death."""
PIPE_BATCH = 32
"""``nlp.pipe`` batch size on the workers, as in a local build."""
CONNECT_TIMEOUT = "10s"


@dataclass(frozen=True)
class Cluster:
    """Where a build's documents are read: a running scheduler (``address``, e.g. ``tcp://10.0.0.5:8786``) or a
    LocalCluster of ``workers`` processes started for the run and stopped after it."""

    address: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if (self.address is None) == (self.workers is None):
            raise ExtractionError("give a scheduler address or a number of local workers, not both or neither")
        if self.workers is not None and self.workers < 1:
            raise ExtractionError(f"a local cluster needs at least one worker, not {self.workers}")


@dataclass
class Batch:
    """What one task sends back: the documents read, the files skipped, and each document's reading."""

    documents: list[Document]
    skipped: list[Skipped]
    readings: list[DocumentReading]


def batches(files: list[Path], batch_bytes: int = BATCH_BYTES) -> list[list[Path]]:
    """Consecutive runs of ``files`` of about ``batch_bytes`` each (a missing file counts as empty).

    >>> [[p.name for p in run] for run in batches([Path("no-such-a"), Path("no-such-b")], batch_bytes=1)]
    [['no-such-a', 'no-such-b']]
    """
    runs: list[list[Path]] = []
    size = batch_bytes
    for path in files:
        if size >= batch_bytes:
            runs.append([])
            size = 0
        runs[-1].append(path)
        size += path.stat().st_size if path.is_file() else 0
    return runs


def document_files(paths: list[Path], keep_going: bool) -> list[Path]:
    """The files a build of ``paths`` reads, sorted; with ``keep_going`` a missing path is kept, to be
    reported as skipped when a worker reads it."""
    if not keep_going:
        return find_sources(paths)
    present = [p for p in paths if p.exists()]
    missing = [p for p in paths if not p.exists()]
    return sorted(dict.fromkeys([*(find_sources(present) if present else []), *missing]))


@functools.cache
def worker_nlp(model: str):
    """The spaCy model, loaded once per worker process."""
    return load_nlp(model)


@functools.cache
def worker_reference(ontology_dir: Path) -> tuple[Reference, Gazetteer]:
    """The reference data and its gazetteer, loaded once per worker process."""
    reference = load_reference(ontology_dir)
    return reference, build_gazetteer(reference)


def read_batch(
    files: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None,
    markers: dict[str, frozenset[str]] | None,
    model: str = DEFAULT_MODEL,
    ontology_dir: Path | None = None,
    relinks: dict[tuple[str | None, str], str] | None = None,
) -> Batch:
    """Read, clean, parse and read each document of ``files`` (on a worker): the task of one batch."""
    documents, skipped = load_readable_documents(files, rules, overrides, markers)
    reference, gazetteer = worker_reference(ontology_dir or default_ontology_dir())
    readings = read_documents(
        documents, worker_nlp(model), gazetteer, reference, batch_size=PIPE_BATCH, relinks=relinks
    )
    return Batch(documents, skipped, readings)


@contextmanager
def connect(cluster: Cluster) -> Iterator:
    """A ``distributed.Client`` of ``cluster``; a LocalCluster is started here and stopped on the way out."""
    from distributed import Client, LocalCluster

    quiet = logging.getLogger("distributed")
    level = quiet.level
    if not log.isEnabledFor(logging.DEBUG):
        quiet.setLevel(logging.WARNING)  # Dask's chatter (workers joining, comms closing) is not the build's
    try:
        yield from _clients(cluster, Client, LocalCluster)
    finally:
        quiet.setLevel(level)


def _clients(cluster: Cluster, Client, LocalCluster) -> Iterator:  # noqa: N803
    import dask.config

    if cluster.address is not None:
        try:
            client = Client(cluster.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ExtractionError(f"cannot reach the Dask scheduler at {cluster.address}: {exc}") from exc
        with client:
            yield client
        return
    # a nanny started earlier in this process (Dask writes its settings into the parent's environment) would
    # hand the variable down to these workers anyway
    inherited = os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    try:
        with (
            dask.config.set(WORKER_CONFIG),
            LocalCluster(
                n_workers=cluster.workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as local,
            Client(local) as client,
        ):
            yield client
    finally:
        if inherited is not None:
            os.environ["MALLOC_TRIM_THRESHOLD_"] = inherited


def read_on_cluster(
    cluster: Cluster,
    paths: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None = None,
    markers: dict[str, frozenset[str]] | None = None,
    keep_going: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    ontology_dir: Path | None = None,
    relinks: dict[tuple[str | None, str], str] | None = None,
    batch_bytes: int | None = None,
    model: str = DEFAULT_MODEL,
) -> tuple[list[Document], list[Skipped], dict[str, DocumentReading]]:
    """Read the documents of ``paths`` on ``cluster``: the documents and the files skipped, in file order, and
    each document's reading by id for :func:`graph.extract.extract` (with the reference data of
    ``ontology_dir`` and a researcher's ``relinks``). ``progress("reading", done, total)`` counts the tasks the
    scheduler has finished; ``batch_bytes`` (default :data:`BATCH_BYTES`) sizes the tasks.

    Raises
    ------
    DocumentError
        Without ``keep_going``, for the first file (in file order) that cannot be read.
    ExtractionError
        If the scheduler cannot be reached, or a batch failed on every try.
    """
    from distributed import KilledWorker, as_completed

    runs = batches(document_files(paths, keep_going), batch_bytes or BATCH_BYTES)
    with connect(cluster) as client:
        futures = [
            client.submit(
                read_batch, run, rules, overrides, markers, model, ontology_dir, relinks, retries=RETRIES, pure=False
            )
            for run in runs
        ]
        try:
            for done, _ in enumerate(as_completed(futures), start=1):
                if progress:
                    progress("reading", done, len(futures))
            results: list[Batch] = client.gather(futures)
        except KilledWorker as exc:
            raise ExtractionError(
                f"a batch of documents killed the Dask worker that read it, every time: {exc}"
            ) from exc
    documents = [doc for batch in results for doc in batch.documents]
    skipped = [s for batch in results for s in batch.skipped]
    if skipped and not keep_going:
        raise DocumentError(f"{skipped[0].source}: {skipped[0].reason}")
    log.info("read %d documents in %d tasks on %s", len(documents), len(runs), cluster)
    readings = {doc.id: reading for batch in results for doc, reading in zip(batch.documents, batch.readings)}
    return documents, skipped, readings
