"""Read and parse documents on a Dask cluster; the client assembles the build exactly as a local build.

Contract. The expensive part of a build, reading and cleaning the files and running spaCy over their
paragraphs, runs as Dask tasks, one task per batch of files (about ``BATCH_BYTES`` of text, many
``nlp.pipe`` batches' worth); each worker loads the spaCy model once and keeps it. A task sends back the
batch's documents, the files it could not read with the reason, and the spaCy documents of their
paragraphs, serialised with spaCy's ``DocBin``. The client then runs :func:`graph.extract.extract`
unchanged, with :class:`ParsedText` standing in for the spaCy pipeline: it hands back the parsed paragraphs
instead of parsing them again. Every rule that reads across documents (one IRI per name, persons'
affiliations voted over the corpus, the build's merging) runs on the client over the whole corpus, in the
same order as locally, so the output is byte-identical to a local build of the same files.

Tasks are retried (``RETRIES``) when they fail or their worker dies; a file that cannot be read is reported
like in a local build (skipped with ``keep_going``, else the first one in file order stops the build). Workers
read the files themselves: on other machines they need the same paths (a shared folder). Dask is imported
only when a cluster is used.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DocumentError, ExtractionError
from graph.extract import DEFAULT_MODEL, load_nlp, paragraph_chunks
from graph.ingest import BoilerplateRules, Document, Skipped, find_sources, load_readable_documents

log = logging.getLogger(__name__)

BATCH_BYTES = 64_000
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
    """What one task sends back: the documents read, the files skipped, their paragraphs parsed (``DocBin``)."""

    documents: list[Document]
    skipped: list[Skipped]
    parsed: bytes


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


def read_batch(
    files: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None,
    markers: dict[str, frozenset[str]] | None,
    model: str = DEFAULT_MODEL,
) -> Batch:
    """Read, clean and parse ``files`` (on a worker): the task of one batch."""
    from spacy.tokens import DocBin

    documents, skipped = load_readable_documents(files, rules, overrides, markers)
    nlp = worker_nlp(model)
    parsed = DocBin(store_user_data=False)
    for doc in nlp.pipe((chunk.text for chunk in paragraph_chunks(documents)), batch_size=PIPE_BATCH):
        parsed.add(doc)
    return Batch(documents, skipped, parsed.to_bytes())


class ParsedText:
    """Stands in for the spaCy pipeline in :func:`graph.extract.extract`: ``pipe`` gives back the paragraphs
    parsed on the cluster, in order, decoding one batch at a time; paragraphs of documents left out (a file
    ``cmkg add`` already holds) are passed over."""

    def __init__(self, parsed: list[bytes], model: str = DEFAULT_MODEL) -> None:
        self._parsed = parsed
        self._model = model

    def _docs(self) -> Iterator:
        import spacy
        from spacy.tokens import DocBin

        vocab = spacy.blank(self._model.split("_", 1)[0]).vocab
        for data in self._parsed:
            yield from DocBin().from_bytes(data).get_docs(vocab)

    def pipe(self, stream: Iterable, as_tuples: bool = False, **_: object) -> Iterator:
        """``nlp.pipe``'s contract: the parsed document of each text (with its context when ``as_tuples``), in
        the stream's order whatever the order of parsing (near-duplicates left out, documents sorted by id):
        paragraphs decoded past on the way are kept until asked for."""
        docs = self._docs()
        waiting: dict[str, list] = {}
        for item in stream:
            text, context = item if as_tuples else (item, None)
            doc = waiting[text].pop(0) if waiting.get(text) else None
            while doc is None:
                decoded = next(docs, None)
                if decoded is None:
                    raise ExtractionError(f"a paragraph was not parsed on the cluster: {text[:60]!r}")
                if decoded.text == text:
                    doc = decoded
                else:
                    waiting.setdefault(decoded.text, []).append(decoded)
            yield (doc, context) if as_tuples else doc


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
    if cluster.address is not None:
        try:
            client = Client(cluster.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ExtractionError(f"cannot reach the Dask scheduler at {cluster.address}: {exc}") from exc
        with client:
            yield client
        return
    with (
        LocalCluster(n_workers=cluster.workers, threads_per_worker=1, processes=True, dashboard_address=None) as local,
        Client(local) as client,
    ):
        yield client


def read_on_cluster(
    cluster: Cluster,
    paths: list[Path],
    rules: BoilerplateRules,
    overrides: dict[str, str | None] | None = None,
    markers: dict[str, frozenset[str]] | None = None,
    keep_going: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    batch_bytes: int | None = None,
    model: str = DEFAULT_MODEL,
) -> tuple[list[Document], list[Skipped], ParsedText]:
    """Read and parse the documents of ``paths`` on ``cluster``: the documents and the files skipped, in file
    order, and the parsed paragraphs for :func:`graph.extract.extract`. ``progress("reading", done, total)``
    counts the tasks the scheduler has finished; ``batch_bytes`` (default :data:`BATCH_BYTES`) sizes the tasks.

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
            client.submit(read_batch, run, rules, overrides, markers, model, retries=RETRIES, pure=False)
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
    return documents, skipped, ParsedText([batch.parsed for batch in results], model)
