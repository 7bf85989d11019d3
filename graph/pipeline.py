"""The whole build, stage after stage: ingest → extract → build → store → analyze → export.

Everything is written into a temporary folder beside the output folder and swapped in at the end, so a
failed build (bad input, interrupted run, Ctrl-C) leaves the previous output untouched. With
``keep_going``, documents that cannot be read are skipped instead of stopping the build; the report and
``summary.json`` (``skipped``) list them with their reasons.

Web addresses are fetched first (:mod:`graph.ingest.fetch`) into a staging folder beside the output, read
like saved pages, and kept in the build's ``sources/`` (page + ``.meta.json``), so that a rebuild from
``sources/`` needs no network. Near-duplicate documents are read once (:mod:`graph.ingest.duplicates`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, URIRef

from graph.analysis import projection as analyze
from graph.analysis.report import Analysis, analyze_into, record_analysis, run_analysis
from graph.build.curation import EntityNames, add_claims, apply_merges, claim_decisions, load_curation, relinks
from graph.build.dataset import build_dataset, load_build, summarize
from graph.build.diff import Change, compare_summaries, load_summary
from graph.build.validate import Violation, changed_quads, validate_changes, validate_dataset
from graph.errors import NothingReadError
from graph.export.formats import (
    GRAPH_FORMATS,
    RDF_FORMATS,
    atomic_write_text,
    join_trig,
    read_trig_blocks,
    sorted_blocks,
    trig_blocks,
    trig_lines,
    trig_prefixes,
    write_graph_file,
    write_json,
    write_node_edge_tables,
    write_rdf,
)
from graph.export.html import write_html
from graph.extract import extract, load_nlp
from graph.extract.facts import Extraction, combine, extraction_from_dict, extraction_to_dict, split_by_document
from graph.extract.reference_cache import cached_reference
from graph.ingest import Skipped, load_boilerplate_rules, load_documents, load_readable_documents
from graph.ingest.cleaned import CLEANED_FILE, Cleaned, cleaning_key, raw_digest, read_cleaned, write_cleaned
from graph.ingest.duplicates import group_duplicates, signature
from graph.ingest.fetch import FetchSettings
from graph.iri import ANALYSIS_GRAPH, DEFAULT_BASE, graph_iri
from graph.sparql import store
from graph.workers import Worker, can_fork, in_worker

log = logging.getLogger(__name__)

DEFAULT_SOURCES = (Path("seeds"),)
DEFAULT_OUT = Path("out")


@dataclass
class BuildReport:
    """What a build did, for the console and for tests."""

    out: Path
    documents: int
    sentences: int
    entities: int
    claims: int
    quads: int
    agreements: int
    projects: int
    shares: int
    measures: int
    violations: int
    seconds: float
    skipped: list[Skipped] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The console report, one line per figure, then the near-duplicates and the documents skipped."""
        figures = [
            f"documents   {self.documents}",
            f"sentences   {self.sentences}",
            f"entities    {self.entities}",
            f"claims      {self.claims}",
            f"agreements  {self.agreements}   projects {self.projects}   shares {self.shares}   measures {self.measures}",
            f"quads       {self.quads}",
            f"SHACL       {self.violations} violations",
            f"time        {self.seconds:.1f} s",
            f"written to  {self.out}/ (graph.trig, store/, graph.html, summary.json, analysis/)",
        ]
        return figures + duplicate_lines(self.duplicates) + skipped_lines(self.skipped)


def duplicate_lines(duplicates: dict[str, list[str]]) -> list[str]:
    """The near-duplicates a build read once, a heading then one line per document kept; none when none."""
    if not duplicates:
        return []
    count = sum(len(ids) for ids in duplicates.values())
    return [f"duplicates  {count} near-duplicate document{'' if count == 1 else 's'} read as the one kept:"] + [
        f"  {kept}: also {', '.join(ids)}" for kept, ids in sorted(duplicates.items())
    ]


def skipped_lines(skipped: list[Skipped]) -> list[str]:
    """The documents a build skipped, a heading then one line each (file: reason); none when none was."""
    if not skipped:
        return []
    return [f"skipped     {len(skipped)} document{'' if len(skipped) == 1 else 's'} that cannot be read:"] + [
        f"  {s.source}: {s.reason}" for s in skipped
    ]


def swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` with renames, removing the old output only once the new one is in place."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@dataclass
class Reading:
    """Everything read out of a corpus, before anything is written."""

    documents: list
    reference: object
    extraction: object
    built: object
    summary: dict
    raw_extraction: object = None
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    cached: set[str] = field(default_factory=set)  # documents whose files in the build grown are still right
    cleaned: dict[str, Cleaned] = field(default_factory=dict)  # each document's cleaning, near-duplicates included


def language_markers(reference) -> dict[str, frozenset[str]]:
    """Common words of each language, from the lexicon, for language detection."""
    markers: dict[str, set[str]] = {}
    for phrase, lang in reference.lexicon.phrases("language_marker"):
        markers.setdefault(lang, set()).add(phrase)
    return {lang: frozenset(words) for lang, words in markers.items()}


def _progress(documents, progress):
    total = sum(len(d.clean.text) for d in documents)
    done = 0

    def advance(chars: int) -> None:
        nonlocal done
        done += chars
        if progress:
            progress("reading", done, total)

    return advance


def read_corpus(
    sources: list[Path],
    ontology_dir: Path | None = None,
    base: str = DEFAULT_BASE,
    n_process: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    metadata: dict[str, str | None] | None = None,
    curation_path: Path | None = None,
    keep_going: bool = False,
    cluster=None,
) -> Reading:
    """Ingest, extract and build in memory: the dataset and the summary of ``sources``.

    ``metadata`` (title, date, url, publisher…) overrides what the documents and sidecars say; the
    curation file (default ``ontology/curation.csv``) is applied: relinks, merges, retractions, additions.
    The first document that cannot be read raises :class:`graph.errors.DocumentError`; with ``keep_going``
    it is skipped, and only a corpus where every document is skipped raises (:class:`NothingReadError`).
    With ``cluster`` (:class:`graph.extract.distributed.Cluster`) documents are read and parsed on Dask.
    """
    reference, rules, curation = _inputs(ontology_dir, curation_path)
    documents, skipped, prepared = _read(
        list(sources), rules, metadata, keep_going, cluster, progress, reference, curation, base
    )
    if keep_going and not documents:
        raise NothingReadError(
            f"{', '.join(map(str, sources))}: no document could be read ({len(skipped)} skipped)", skipped
        )
    cleaned = cleanings(documents)
    documents, duplicates = group_duplicates(documents, signatures=_signatures(cleaned))
    extraction = _extract(documents, reference, curation, base, n_process, progress, prepared)
    reading = assemble(documents, reference, extraction, curation, base)
    reading.skipped = skipped
    reading.duplicates = duplicates
    reading.cleaned = cleaned
    reading.pages = [d.path for d in documents + duplicates if d.meta.get("fetched")]
    return reading


def _rules_path(reference) -> Path:
    """The boilerplate rules file of the ontology folder the build reads."""
    return reference.ontology_dir / "patterns" / "boilerplate.csv"


def cleanings(documents, kept: dict[str, Cleaned] | None = None) -> dict[str, Cleaned]:
    """Each document's cleaning (id → :class:`graph.ingest.cleaned.Cleaned`): the one ``kept`` by the build
    when it was made of the same raw text, else the document's own with its signature computed here."""
    kept = kept or {}
    cleaned = {}
    for doc in documents:
        digest = raw_digest(doc.raw)
        known = kept.get(doc.id)
        if known is not None and known.raw_sha256 == digest and known.clean.text == doc.clean.text:
            cleaned[doc.id] = known
        else:
            cleaned[doc.id] = Cleaned(digest, doc.clean, signature(doc.clean.text))
    return cleaned


def _signatures(cleaned: dict[str, Cleaned]) -> dict:
    """The MinHash signatures of the documents cleaned (id → hash values, None for a text without a word)."""
    return {doc_id: c.signature for doc_id, c in cleaned.items()}


def _inputs(ontology_dir: Path | None, curation_path: Path | None):
    """What a build or an add reads before any document: the reference data, the boilerplate rules of its
    ontology folder and the curation file (by default the ontology folder's); the reference data comes from the
    user cache when it holds that of the same files (:mod:`graph.extract.reference_cache`)."""
    reference = cached_reference(ontology_dir)
    rules = load_boilerplate_rules(_rules_path(reference))
    curation = load_curation(curation_path or reference.ontology_dir / "curation.csv")
    return reference, rules, curation


def _read(paths, rules, metadata, keep_going: bool, cluster, progress, reference, curation, base):
    """The documents, those skipped, and what was read of them on ``cluster`` (document id → its sentences
    and names, :func:`graph.extract.read_documents`), or None when the documents are to be read here."""
    markers = language_markers(reference)
    if cluster is None:
        return (*_load(paths, rules, metadata, markers, keep_going), None)
    from graph.extract.distributed import read_on_cluster

    relinked, _ = relinks(curation, EntityNames(reference, base=base))
    return read_on_cluster(
        cluster, paths, rules, metadata, markers, keep_going, progress, reference.ontology_dir, relinked
    )


def _load(paths, rules, metadata, markers, keep_going: bool):
    """The documents of ``paths`` and those skipped (always none without ``keep_going``: the first error stops)."""
    if keep_going:
        return load_readable_documents(paths, rules, metadata, markers)
    return load_documents(paths, rules, metadata, markers), []


def _extract(documents, reference, curation, base, n_process, progress, prepared=None, nlp=None):
    """Extract the facts of ``documents``, with what a cluster read of them when it read them all (``prepared``:
    document id → sentences and names), else reading them here with ``nlp`` (loaded here when None)."""
    relinked, curated_entities = relinks(curation, EntityNames(reference, base=base))
    readings = [prepared[d.id] for d in documents] if prepared and all(d.id in prepared for d in documents) else None
    return extract(
        documents,
        reference,
        (nlp or load_nlp()) if readings is None else None,
        n_process=n_process,
        progress=_progress(documents, progress if readings is None else None),
        relinks=relinked,
        curated_entities=curated_entities,
        readings=readings,
    )


def paused_gc(function: Callable) -> Callable:
    """``function`` run without Python's cyclic garbage collector, which is enabled again afterwards.

    Assembling and writing a build makes millions of tuples (a quad, an index entry, a TriG line's triple)
    that live until the end; each of the collector's passes over all of them found nothing to free, and
    they took a third of an add's time in the index of SHACL's look-ups and in the projection. Reference
    counting frees everything as before; only cycles wait for the collector to be enabled again.
    """

    @functools.wraps(function)
    def run(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return run


@paused_gc
def assemble(documents, reference, extraction, curation, base: str = DEFAULT_BASE) -> Reading:
    """Apply the curation's merges, retractions and additions, and build the dataset and the summary."""
    merged = apply_merges(extraction, curation, EntityNames(reference, extraction, base))
    retracted, accepted = claim_decisions(curation, base)
    built = build_dataset(documents, merged, reference, base=base, retracted=retracted, accepted=accepted)
    built.claims += add_claims(built.dataset, curation, EntityNames(reference, merged, base), base)
    summary = summarize(built, documents, reference, merged)
    return Reading(documents, reference, merged, built, summary, raw_extraction=extraction)


def build(
    sources: list[Path],
    out: Path,
    ontology_dir: Path | None = None,
    base: str = DEFAULT_BASE,
    n_process: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    metadata: dict[str, str | None] | None = None,
    curation_path: Path | None = None,
    size_by: str = "betweenness",
    keep_going: bool = False,
    urls: list[str] = (),
    fetch: FetchSettings | None = None,
    cluster=None,
) -> BuildReport:
    """Build the knowledge graph of ``sources`` and web addresses ``urls`` into ``out``; see the module
    docstring. ``size_by`` names the centrality (:data:`graph.analysis.projection.MEASURES`) that sizes the
    nodes of ``graph.html``; ``keep_going`` skips the documents and addresses that cannot be read
    (:func:`read_corpus`); ``fetch`` sets timeout, size cap and retries; ``cluster`` reads and parses the
    documents on Dask (:func:`read_corpus`)."""
    started = time.perf_counter()
    with fetched_pages(list(urls), out, fetch, keep_going) as (pages, failed):
        paths = list(sources) + pages
        if not paths:
            raise NothingReadError(f"{', '.join(urls)}: no address could be read ({len(failed)} skipped)", failed)
        try:
            reading = read_corpus(
                paths, ontology_dir, base, n_process, progress, metadata, curation_path, keep_going, cluster
            )
        except NothingReadError as exc:
            exc.skipped[:0] = failed
            raise
        reading.skipped[:0] = failed
        return write_build(reading, out, base, started, size_by=size_by)


@contextmanager
def fetched_pages(
    addresses: list[str], out: Path, settings: FetchSettings | None, keep_going: bool
) -> Iterator[tuple[list[Path], list[Skipped]]]:
    """Fetch ``addresses`` into a staging folder beside ``out`` (removed on exit, whatever happens): the saved
    pages and the addresses skipped with ``keep_going`` (without it the first failure raises)."""
    if not addresses:
        yield [], []
        return
    from graph.ingest.fetch import Fetcher, fetch_pages

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.fetch-"))
    try:
        with Fetcher(settings or FetchSettings()) as fetcher:
            pages, failed = fetch_pages(addresses, staging, fetcher, keep_going)
        yield pages, [Skipped(address, reason) for address, reason in failed]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def keep_pages(folder: Path, pages: list[Path]) -> None:
    """Copy fetched pages and their ``.meta.json`` sidecars into ``folder`` (a build's ``sources/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        for path in (page, page.with_name(page.stem + ".meta.json")):
            if path.is_file() and path.resolve() != (folder / path.name).resolve():
                shutil.copy2(path, folder / path.name)


@paused_gc
def write_build(
    reading: Reading,
    out: Path,
    base: str,
    started: float,
    size_by: str = "betweenness",
    previous: PreviousBuild | None = None,
) -> BuildReport:
    """Write every output of a reading into a temporary folder, then swap it in place of ``out``. With the
    ``previous`` build in ``out`` (``cmkg add``, :func:`read_previous`), SHACL validates only what changed since
    that build and the store is that build's, changed (:func:`growth`)."""
    incremental = previous is not None
    documents, reference, extraction, built, summary = (
        reading.documents,
        reading.reference,
        reading.extraction,
        reading.built,
        reading.summary,
    )
    shapes_path = reference.ontology_dir / "shapes.ttl"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    page = None
    try:
        # on the second core (graph.workers): the projection and its analysis while this one writes the TriG
        # lines and compares them; then SHACL and graph.html while this one writes the rest
        with in_worker("projection and analysis", project_and_analyse, built.dataset, base) as analysed:
            lines = trig_lines(built.dataset)
            blocks = sorted_blocks(lines)
            grown = growth(built.dataset, lines, blocks, previous, base) if incremental else None
            del lines
            if grown is not None and grown.violations is not None:
                shacl = in_worker(
                    "SHACL", validate_changes, built.dataset, shapes_path, grown.violations, grown.removed, grown.added
                )
            else:
                shacl = in_worker("SHACL", validate_dataset, built.dataset, shapes_path)
        with shacl:  # every output but violations.json is written before the violations are asked for
            G, analysis = analysed.result()  # its worker is done once this returns or raises
            page = in_worker("graph.html", export_graph, tmp, tmp / "graph.html", graph=G, size_by=size_by)
            record_analysis(analysis, tmp, built.dataset, base=base)  # analysis/, and its graph into the dataset
            analysis = graph_iri(ANALYSIS_GRAPH, base)
            blocks.update(trig_blocks(built.dataset, names={analysis}))
            atomic_write_text(tmp / "graph.trig", join_trig(trig_prefixes(built.dataset), blocks))
            quads = write_store(built.dataset, tmp / "graph.trig", tmp / "store", grown, base)
            write_json({**summary, "skipped": [asdict(s) for s in reading.skipped]}, tmp / "summary.json")
            write_cache(
                tmp,
                documents,
                reading.raw_extraction or extraction,
                reading.duplicates,
                out if incremental else None,
                reading.cached,
            )
            if reading.cleaned:
                write_cleaned(tmp / "documents" / CLEANED_FILE, cleaning_key(_rules_path(reference)), reading.cleaned)
            if reading.pages:
                keep_pages(tmp / "sources", reading.pages)
            violations = shacl.result()
        for v in violations:
            log.warning("SHACL: %s %s: %s", v.focus, v.path or "", v.message)
        write_json(violations_record(violations, shapes_path), tmp / VIOLATIONS_FILE)
        page.result()
        swap_in(tmp, out)
    except BaseException:
        if page is not None:
            page.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildReport(
        out=out,
        documents=len(documents),
        sentences=extraction.sentences,
        entities=len(summary["entities"]),
        claims=built.claims,
        quads=quads,
        agreements=len(summary["agreements"]),
        projects=len(summary["projects"]),
        shares=len(summary["shares"]),
        measures=len(summary["measures"]),
        violations=len(violations),
        seconds=time.perf_counter() - started,
        skipped=list(reading.skipped),
        duplicates={d.id: [e["id"] for e in d.duplicates] for d in documents if d.duplicates},
    )


def project_and_analyse(ds, base: str = DEFAULT_BASE) -> tuple[object, Analysis]:
    """The projection of ``ds`` (:func:`graph.analysis.projection.project`) and its analysis
    (:func:`graph.analysis.report.run_analysis`), which :func:`write_build` has a worker process compute."""
    G = analyze.project(ds, base=base)
    return G, run_analysis(G)


VIOLATIONS_FILE = "violations.json"
"""The SHACL violations of a build and the digest of the shapes that found them, for ``cmkg add``."""


def violations_record(violations: list[Violation], shapes_path: Path) -> dict:
    """What ``violations.json`` holds: the shapes' SHA-256 and the violations."""
    digest = hashlib.sha256(shapes_path.read_bytes()).hexdigest()
    return {"shapes_sha256": digest, "violations": [asdict(v) for v in violations]}


@dataclass
class PreviousBuild:
    """What ``cmkg add`` compares its grown dataset with, read from the build in ``out`` while the new documents
    are extracted (:func:`read_previous`): the prefix lines and the graphs (header line → triple strings) of its
    ``graph.trig`` (None when there is none), and its SHACL violations (None when found with other shapes or
    not kept)."""

    out: Path
    prefixes: list[str] | None
    blocks: dict[str, list[str]]
    violations: list[Violation] | None


def read_previous(out: Path, shapes_path: Path) -> PreviousBuild:
    """The build in ``out`` as :func:`growth` compares with it: its ``graph.trig`` split into graphs
    (:func:`graph.export.formats.read_trig_blocks`) and the violations of ``violations.json`` when found with
    the shapes of ``shapes_path``."""
    trig_path, record_path = out / "graph.trig", out / VIOLATIONS_FILE
    prefixes, blocks = read_trig_blocks(trig_path.read_text(encoding="utf-8")) if trig_path.is_file() else (None, {})
    violations = None
    if record_path.is_file():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if record.get("shapes_sha256") == violations_record([], shapes_path)["shapes_sha256"]:
            violations = [Violation(**v) for v in record["violations"]]
    return PreviousBuild(out, prefixes, blocks, violations)


@dataclass
class Growth:
    """How a dataset differs from the build in ``out`` that it grows (``cmkg add``): the quads
    ``(s, p, o, graph IRI)`` it removes and adds, the analysis graph left out; and that build's SHACL
    violations, None when found with other shapes."""

    out: Path
    removed: list[tuple]
    added: list[tuple]
    violations: list[Violation] | None
    quads: int = 0  # in the build's graph.trig, analysis graph included


def growth(
    ds,
    lines: dict[str, tuple[str, dict[str, tuple]]],
    blocks: dict[str, tuple[str, list[str]]],
    previous: PreviousBuild,
    base: str,
) -> Growth | None:
    """Compare ``ds`` (its TriG ``lines``, :func:`graph.export.formats.trig_lines`, and the same ``blocks``
    sorted, :func:`graph.export.formats.sorted_blocks`) with the ``previous`` build, triple by triple, through
    its ``graph.trig`` (:func:`read_previous`; the analysis graph is taken out of its graphs here). None when
    that cannot be done: no ``graph.trig``, one written with other prefixes, or one that does not read back
    triple by triple. The quads removed are read from the old lines that the new dataset does not write; those
    added are the triples whose lines the old ``graph.trig`` does not hold. A graph whose sorted lines are the
    old ones is passed over whole (one comparison of two lists); in the others the lines are compared as
    sets."""
    prefixes = trig_prefixes(ds)
    if previous.prefixes != prefixes:  # also when there was no graph.trig
        return None
    old_blocks = previous.blocks
    quads = sum(len(body) for body in old_blocks.values())
    analysis = URIRef(graph_iri(ANALYSIS_GRAPH, base)).n3(ds.namespace_manager) + " {"
    old_blocks.pop(analysis, None)
    new_blocks = {header: body for header, body in blocks.values() if header != analysis}
    try:
        removed = changed_quads(prefixes, old_blocks, new_blocks)
    except (SyntaxError, ValueError) as exc:  # rdflib's TriG parser raises either
        log.info("%s does not read back triple by triple (%s)", previous.out / "graph.trig", exc)
        return None
    added = []
    for name, (header, body) in lines.items():
        old = old_blocks.get(header, [])
        if header == analysis or old == new_blocks[header]:
            continue
        added += [(*body[line], name) for line in sorted(body.keys() - set(old))]
    return Growth(previous.out, removed, added, previous.violations, quads)


def write_store(ds, trig_path: Path, store_dir: Path, grown: Growth | None, base: str) -> int:
    """Write the store of a build: the previous build's store changed by ``grown`` when there is one, holds
    as many quads as its ``graph.trig`` (``cmkg load`` may have put other data in it) and no blank node
    changes (SPARQL cannot delete one by name); else a bulk load of ``trig_path``."""
    old_store = grown.out / "store" if grown else None
    if old_store is None or not store.has_store(old_store) or store.count_quads(old_store) != grown.quads:
        return store.write_store(trig_path, store_dir)
    if any(isinstance(t, BNode) for quad in grown.removed + grown.added for t in quad[:3]):
        return store.write_store(trig_path, store_dir)
    analysis = graph_iri(ANALYSIS_GRAPH, base)
    return store.grow_store(old_store, store_dir, grown.removed, grown.added, {analysis: ds.graph(URIRef(analysis))})


def write_cache(
    folder: Path, documents, extraction, duplicates=(), previous: Path | None = None, cached: set[str] = frozenset()
) -> None:
    """Keep what `cmkg add` needs to grow a build without reading its documents again: each document's
    text and metadata (``documents/``, near-duplicates included) and the facts extracted from each document
    read (``extraction/``; none for a near-duplicate, which was not read). The files of the documents
    ``cached`` are linked from the build ``previous`` instead of being written again (copied where the file
    system cannot link)."""
    parts = None
    if cached:
        for name in ("documents", "extraction"):
            (folder / name).mkdir(parents=True, exist_ok=True)
    for doc in list(documents) + list(duplicates):
        names = [f"{doc.id}.meta.json", f"{doc.id}.txt"]
        if doc.id in cached and _link_all(previous / "documents", folder / "documents", names):
            continue
        meta = {**doc.meta, "source_file": doc.path.name}
        write_json(meta, folder / "documents" / names[0])
        atomic_write_text(folder / "documents" / names[1], doc.raw)
    for doc in documents:
        name = f"{doc.id}.json"
        if doc.id in cached and _link_all(previous / "extraction", folder / "extraction", [name]):
            continue
        parts = split_by_document(extraction) if parts is None else parts
        write_json(extraction_to_dict(parts.get(doc.id, Extraction())), folder / "extraction" / name)


def _link_all(source: Path, target: Path, names: list[str]) -> bool:
    """Hard-link (or copy) the files ``names`` of ``source`` into the existing folder ``target``; False if one
    is missing (those linked before it are then written over by the caller)."""
    for name in names:
        try:
            os.link(os.path.join(source, name), os.path.join(target, name))
        except FileNotFoundError:
            return False
        except OSError:
            try:
                shutil.copy2(source / name, target / name)
            except FileNotFoundError:
                return False
    return True


def add(
    files: list[Path],
    out: Path,
    ontology_dir: Path | None = None,
    base: str = DEFAULT_BASE,
    n_process: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    metadata: dict[str, str | None] | None = None,
    curation_path: Path | None = None,
    keep_going: bool = False,
    urls: list[str] = (),
    feeds: list[str] = (),
    fetch: FetchSettings | None = None,
    cluster=None,
) -> tuple[BuildReport, list[str]]:
    """Add documents to an existing build, reading only the new ones; returns the report and the ids of
    the files (and the addresses) left out because the build already holds them unchanged. A changed file
    replaces its earlier version. The curation file is applied again (relinks only to the documents read
    now). With ``keep_going``, files and addresses that cannot be read are skipped (the report lists them);
    when none can be, the build is left as it was and :class:`NothingReadError` is raised. The report's
    ``changes`` are what the grown build adds, removes or changes (:func:`graph.build.diff.compare_summaries`).

    ``urls`` are web addresses and ``feeds`` RSS or Atom feeds whose entries' addresses are added; an address
    the build already read (its page is in ``sources/``) is not fetched again. Near-duplicates are grouped
    over the whole grown corpus, as a full build of the same documents would group them. With ``cluster`` the
    files are read and parsed on Dask (:func:`read_corpus`)."""
    from graph.errors import StoreError
    from graph.ingest.fetch import saved_addresses

    started = time.perf_counter()
    if not (out / "documents").is_dir():
        raise StoreError(f"{out}: no build to add to (no documents/ folder); run `cmkg build` first")
    held_pages = saved_addresses(out / "sources")
    addresses, failed_feeds = _feed_addresses(list(urls), list(feeds), fetch, keep_going)
    known = [a for a in addresses if a in held_pages]
    with fetched_pages([a for a in addresses if a not in held_pages], out, fetch, keep_going) as (pages, failed):
        report, skipped = _add_read(
            list(files) + pages,
            out,
            ontology_dir,
            base,
            n_process,
            progress,
            metadata,
            curation_path,
            keep_going,
            failed_feeds + failed,
            started,
            cluster,
        )
    return report, known + skipped


def _feed_addresses(
    urls: list[str], feeds: list[str], settings: FetchSettings | None, keep_going: bool
) -> tuple[list[str], list[Skipped]]:
    """The addresses to add: ``urls``, then the entries of each feed in order; the feeds that cannot be read
    (``keep_going``; without it the first raises)."""
    if not feeds:
        return urls, []
    from graph.errors import FetchError
    from graph.ingest.feeds import read_feed
    from graph.ingest.fetch import Fetcher

    addresses, failed = list(urls), []
    with Fetcher(settings or FetchSettings()) as fetcher:
        for feed in feeds:
            try:
                addresses += read_feed(feed, fetcher)
            except FetchError as exc:
                if not keep_going:
                    raise
                failed.append(Skipped(feed, str(exc).removeprefix(f"{feed}: ")))
    return list(dict.fromkeys(addresses)), failed


@paused_gc
def _add_read(
    paths, out, ontology_dir, base, n_process, progress, metadata, curation_path, keep_going, failed, started, cluster
) -> tuple[BuildReport, list[str]]:
    """:func:`add` once the addresses are fetched, without the cyclic collector (:func:`paused_gc`): its passes
    over the held facts and the grown dataset found nothing to free (the diff of the summaries took ten times
    its work); extracting the new documents still collects (:func:`_frozen_gc`)."""
    before = load_summary(out) if (out / "summary.json").is_file() else {}
    reference, rules, curation = _inputs(ontology_dir, curation_path)
    reader = _reader(reference, curation, base) if paths and cluster is None and n_process == 1 else None
    with reader or nullcontext():  # a failure ends the worker process
        new, unreadable, prepared = (
            _read(paths, rules, metadata, keep_going, cluster, progress, reference, curation, base)
            if paths
            else ([], [], None)
        )
        unreadable = failed + unreadable
        if unreadable and not new:  # only with keep_going: without it the first failure has raised
            sources = ", ".join(map(str, paths)) if paths else ", ".join(s.source for s in failed)
            raise NothingReadError(
                f"{sources}: no document could be read, nothing added ({len(unreadable)} skipped)", unreadable
            )
        kept = read_cleaned(out / "documents" / CLEANED_FILE, cleaning_key(_rules_path(reference)))
        held, parts = _held(out, kept, rules)
        skipped = [d.id for d in new if d.id in held and held[d.id].raw == d.raw]
        unchanged = set(held) - {d.id for d in new if d.id not in skipped}  # their files in the build stay right
        for doc in new:
            if doc.id not in skipped:
                held[doc.id] = doc
                parts.pop(doc.id, None)
        cleaned = cleanings([held[k] for k in sorted(held)], kept)
        documents, duplicates = group_duplicates([held[k] for k in sorted(held)], signatures=_signatures(cleaned))
        unread = [d for d in documents if d.id not in parts]
        if unread and reader is not None:
            reader.send(unread)
        previous = read_previous(out, reference.ontology_dir / "shapes.ttl")  # while the worker extracts
        if unread and reader is not None:
            extracted = reader.result()
        elif unread:
            # a cluster read the new files: a held document read again (a near-duplicate group that changed) is
            # read here, and so are the others then (:func:`_extract`)
            with _frozen_gc():  # the held documents and facts: alive throughout, no collection can free them
                extracted = _extract(unread, reference, curation, base, n_process, progress, prepared)
        elif reader is not None:
            reader.cancel()
        if unread:
            for doc_id, part in split_by_document(extracted).items():
                parts[doc_id] = part
        extraction = combine([parts.get(d.id, Extraction()) for d in documents])
        reading = assemble(documents, reference, extraction, curation, base)
        reading.skipped = unreadable
        reading.duplicates = duplicates
        reading.cached = unchanged
        reading.cleaned = cleaned
        reading.pages = sorted(p for p in (out / "sources").glob("*") if not p.name.endswith(".meta.json"))
        reading.pages += [d.path for d in new if d.meta.get("fetched") and d.id not in skipped]
        report = write_build(reading, out, base, started, previous=previous)
        report.changes = compare_summaries(before, reading.summary)
        return report, skipped


def _reader(reference, curation, base: str) -> Worker | None:
    """A worker process (:mod:`graph.workers`) that loads the spaCy model at once, then extracts the facts of
    the documents it is sent (:func:`_extract_sent`); None where no worker process can be made, and then the
    documents are read here as before."""
    if not can_fork():
        return None
    return in_worker("extracting the new documents", _extract_sent, reference, curation, base, inbox=True)


def _extract_sent(receive: Callable[[], list], reference, curation, base: str) -> Extraction:
    """In the worker process: load the model, wait for the documents, and extract their facts as
    :func:`_extract` does here (the same function, on the same documents, reference data and curation)."""
    nlp = load_nlp()
    documents = receive()
    with _frozen_gc():  # spaCy makes cycles; what was alive at the fork need not be traversed again
        return _extract(documents, reference, curation, base, 1, None, nlp=nlp)


@paused_gc
def _held(out: Path, kept: dict[str, Cleaned], rules) -> tuple[dict, dict[str, Extraction]]:
    """The documents the build in ``out`` holds (id → :class:`graph.ingest.Document`, cleaned as ``kept``
    says when it was kept from the same raw text, else again with ``rules``) and the facts extracted from
    each (id → :class:`graph.extract.facts.Extraction`; none for a near-duplicate, which was not read)."""
    from graph.ingest import Document, clean_text

    held: dict[str, Document] = {}
    parts: dict[str, Extraction] = {}
    for text_path in sorted((out / "documents").glob("*.txt")):
        doc_id = text_path.stem
        meta = json.loads((out / "documents" / f"{doc_id}.meta.json").read_text(encoding="utf-8"))
        raw = text_path.read_text(encoding="utf-8")
        known = kept.get(doc_id)
        clean = known.clean if known is not None and known.raw_sha256 == raw_digest(raw) else clean_text(raw, rules)
        held[doc_id] = Document(doc_id, Path(meta.pop("source_file", text_path.name)), raw, meta, clean)
        cached = out / "extraction" / f"{doc_id}.json"
        if cached.is_file():
            parts[doc_id] = extraction_from_dict(json.loads(cached.read_text("utf-8")))
    return held, parts


@contextmanager
def _frozen_gc() -> Iterator[None]:
    """Inside, the cyclic garbage collector runs (even where it was paused, :func:`paused_gc`) but leaves alone
    every object alive on entry (:func:`gc.freeze`), collecting only what is made inside: extracting a few new
    documents makes cycles (spaCy's), while the facts of the thousands held need not be traversed again at
    each of its passes."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()
        gc.unfreeze()


def analyze_build(out: Path, as_of: str | None = None, run_date: str | None = None, base: str = DEFAULT_BASE):
    """Analyse a build (what was known ``as_of`` a date, if given) and write the results into it:
    ``analysis/`` and the analysis graph, dated ``run_date`` (default: today), in ``graph.trig`` and
    ``store/``. Returns the :class:`graph.analysis.report.Analysis`."""
    import datetime as dt

    from graph.errors import StoreError

    if not (out / "store").is_dir():
        raise StoreError(f"{out / 'store'}: no store here; run `cmkg build` first")
    ds = load_build(out)
    return analyze_into(
        analyze.project(ds, base=base),
        out,
        ds,
        base=base,
        as_of=as_of,
        run_date=run_date or dt.date.today().isoformat(),
    )


def validate_build(out: Path, ontology_dir: Path | None = None) -> list[Violation]:
    """SHACL violations of a build."""
    from graph.extract.reference import default_ontology_dir

    folder = ontology_dir or default_ontology_dir()
    return validate_dataset(load_build(out), folder / "shapes.ttl")


EXPORT_FORMATS = ("html", "gexf", "graphml", "csv", "jsonld", "ttl", "nt", "trig", "nq", "json")


def export_graph(
    out: Path,
    path: Path,
    fmt: str = "html",
    *,
    graph=None,
    lang: str = "en",
    title: str = "Critical-minerals knowledge graph",
    focus: str | None = None,
    depth: int = 1,
    mineral: str | None = None,
    as_of=None,
    min_degree: int = 0,
    size_by: str | None = "betweenness",
) -> tuple[int, int]:
    """Write what the documents of the build in ``out`` say to ``path`` as ``fmt`` (one of ``EXPORT_FORMATS``;
    for ``csv``, ``path`` is a folder that receives ``nodes.csv`` and ``edges.csv``; RDF formats and ``json``
    are written by :func:`export_dataset`).

    ``graph`` is the build's projection when the caller already has it (``cmkg build`` does). Only
    nodes and edges that documents attest are written (:func:`graph.analysis.subsets.attested`); then, in this
    order, the facts about ``mineral`` (and narrower minerals), what was known ``as_of`` a date
    (``YYYY-MM-DD``), the neighbourhood of ``focus`` up to ``depth`` steps between entities, and the
    nodes with at least ``min_degree`` neighbours. ``focus`` and ``mineral`` are names (any label or
    alias, accents and case ignored). Nodes are sized by the centrality ``size_by`` (one of
    :data:`graph.analysis.measures.MEASURES`, or None) of the graph written. Returns its numbers of nodes
    and edges.
    """
    from graph.analysis import subsets
    from graph.analysis.measures import node_sizes
    from graph.errors import CmkgError
    from graph.export.html import UI_TEXT

    if fmt in RDF_FORMATS or fmt == "json":
        if focus or mineral or as_of or min_degree:
            raise CmkgError(f"{fmt}: --focus, --mineral, --as-of and --min-degree apply to html, gexf, graphml and csv")
        return export_dataset(out, path, fmt)
    if fmt not in EXPORT_FORMATS:
        raise CmkgError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    if lang not in UI_TEXT:
        raise CmkgError(f"unsupported page language {lang!r}: use one of {', '.join(sorted(UI_TEXT))}")
    G = graph if graph is not None else analyze.project(load_build(out))
    text = UI_TEXT[lang]
    described = []
    if mineral:
        iri = subsets.find_node(G, mineral, groups={"Mineral"})
        G = subsets.by_mineral(G, iri)
        described.append(text["subset_mineral"].format(name=G.nodes[iri][f"label_{lang}"]))
    G = subsets.attested(G)
    if as_of:
        G = subsets.as_of(G, as_of)
        described.append(text["subset_as_of"].format(date=as_of))
    if focus:
        iri = subsets.find_node(G, focus)
        G = subsets.focus(G, iri, depth)
        described.append(text["subset_focus"].format(name=G.nodes[iri][f"label_{lang}"], depth=depth))
    if min_degree:
        G = subsets.min_degree(G, min_degree)
        described.append(text["subset_min_degree"].format(k=min_degree))
    if fmt in GRAPH_FORMATS or fmt == "csv":
        from graph.analysis.measures import centrality_scores, communities

        by_measure = centrality_scores(G)
        scores = {node: {m: values.get(node, 0.0) for m, values in by_measure.items()} for node in G}
        for node, community in communities(G).items():
            scores.setdefault(node, {})["community"] = community
        if fmt == "csv":
            write_node_edge_tables(G, path, scores)
        else:
            write_graph_file(G, path, fmt, scores)
        return G.number_of_nodes(), G.number_of_edges()
    scores = node_sizes(G, size_by) if size_by else None
    write_html(G, path, title=title, lang=lang, size_by=scores, subtitle=" · ".join(described))
    return G.number_of_nodes(), G.number_of_edges()


def export_dataset(out: Path, path: Path, fmt: str) -> tuple[int, int]:
    """Write the build's dataset in an RDF syntax (``RDF_FORMATS``), or its summary as ``json``; returns
    the numbers of quads (or entities) and named graphs (or facts) written."""
    if fmt == "json":
        summary = (
            json.loads((out / "summary.json").read_text(encoding="utf-8")) if (out / "summary.json").is_file() else None
        )
        if summary is None:
            from graph.errors import StoreError

            raise StoreError(f"{out / 'summary.json'}: no build here; run `cmkg build` first")
        write_json(summary, path)
        facts = sum(len(summary[k]) for k in ("agreements", "projects", "shares", "measures"))
        return len(summary["entities"]), facts
    ds = load_build(out)
    write_rdf(ds, path, fmt)
    return sum(1 for _ in ds.quads((None, None, None, None))), sum(1 for g in ds.graphs() if len(g))
