"""One analysis run of a build: compute every measure, then write its tables, its report and its RDF.

:func:`run_analysis` computes (no I/O): centrality per node, communities of the co-agreement graph,
supply concentration, single points of failure and the exposure to every supplier. The writers turn an
:class:`Analysis` into ``analysis/*.csv`` and ``analysis/report.md`` (:func:`write_tables`), and into
the analysis named graph (:func:`analysis_graph`), which :func:`store_analysis` puts into the build's
``graph.trig`` and store. :func:`analyze_into` does all of it for ``cmkg build`` and ``cmkg analyze``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.analysis import measures, subsets, supply
from graph.analysis.measures import ACTOR_GROUPS, MEASURES, node_label
from graph.analysis.projection import FACT_GROUPS, coagreement_graph
from graph.export.formats import atomic_write_text, write_trig
from graph.export.tables import write_csv
from graph.iri import ANALYSIS_GRAPH, CMKG, DCT, DEFAULT_BASE, graph_iri

log = logging.getLogger(__name__)

#: The RDF property of each measure in the analysis graph.
MEASURE_PROPERTIES: dict[str, str] = {
    "degree": "degree",
    "weighted_degree": "weightedDegree",
    "betweenness": "betweenness",
    "pagerank": "pagerank",
    "eigenvector": "eigenvector",
    "closeness": "closeness",
}

#: Files :func:`write_tables` writes into ``analysis/``.
TABLES: tuple[str, ...] = (
    "centrality.csv",
    "communities.csv",
    "dependencies.csv",
    "single_points.csv",
    "exposure.csv",
    "alternatives.csv",
    "report.md",
)


@dataclass
class Analysis:
    """Everything one run computed; rows are plain dicts (see each function of :mod:`graph.analysis.measures`
    and :mod:`graph.analysis.supply`)."""

    parameters: dict[str, Any]
    centrality: list[dict[str, Any]]
    communities: list[dict[str, Any]]
    membership: dict[Any, int]
    dependencies: list[dict[str, Any]]
    single_points: list[dict[str, Any]]
    exposure: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]
    files: list[Path] = field(default_factory=list)
    quads: int = 0

    def top(self, measure: str, n: int = 10, groups: set[str] | frozenset[str] | None = ACTOR_GROUPS) -> list[dict]:
        """The ``n`` rows of highest ``measure`` among ``groups`` (actors by default)."""
        return measures.top_nodes(self.centrality, measure, n, groups)

    def node_sizes(self, measure: str) -> dict[str, float]:
        """``{iri: score}`` of ``measure`` for every node (0.0 where undefined), to size a drawing."""
        return {row["iri"]: float(row.get(measure) or 0.0) for row in self.centrality}


def latest_document_date(G: nx.Graph) -> str | None:
    """The latest publication date among the documents ``G``'s evidence cites (``YYYY-MM-DD``).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", evidence=[{"document": "d1", "date": "2025-10-28"}, {"document": "d2", "date": "2026-02-07"}])
    >>> latest_document_date(G)
    '2026-02-07'
    """
    dates = subsets.document_dates(G)
    return max(dates.values()).isoformat() if dates else None


def run_analysis(
    G: nx.MultiDiGraph,
    as_of: str | None = None,
    run_date: str | None = None,
    exact_below: int = measures.EXACT_BELOW,
    k: int = measures.SAMPLE_SIZE,
    seed: int = measures.SEED,
    resolution: float = 1.0,
    lang: str = "en",
    exposure_suppliers: int = 10,
) -> Analysis:
    """Compute every measure on ``G`` (restricted to what was known ``as_of`` a date, if given).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project`; it is not modified.
    as_of : str, optional
        ``YYYY-MM-DD``: analyse :func:`graph.analysis.subsets.as_of` of ``G`` instead.
    run_date : str, optional
        The date the run is recorded with; default: the latest publication date of the documents.
    exact_below, k, seed : int
        Exact or sampled betweenness and closeness (:mod:`graph.analysis.measures`); ``seed`` also seeds Louvain.
    resolution : float
        Louvain's resolution.
    lang : str
        Language of the labels.
    exposure_suppliers : int
        The exposure tables cover the suppliers with the most direct consumers, this many
        (:func:`graph.analysis.supply.top_suppliers`).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["USA", "Japan"], group="State")
    >>> G.add_node("deal", group="Agreement", facts=[], evidence=[{"document": "d", "date": "2025-10-28"}])
    >>> _ = G.add_edge("deal", "USA", key="party"); _ = G.add_edge("deal", "Japan", key="party")
    >>> result = run_analysis(G)
    >>> result.parameters["run_date"], [r["label"] for r in result.top("betweenness", 2)], result.membership
    ('2025-10-28', ['Japan', 'USA'], {'USA': 1, 'Japan': 1})
    """
    full_facts = sum(1 for _, d in G.nodes(data=True) if d.get("group") in FACT_GROUPS)
    if as_of:
        G = subsets.as_of(G, as_of)
    kept_facts = sum(1 for _, d in G.nodes(data=True) if d.get("group") in FACT_GROUPS)
    n = G.number_of_nodes()
    sampled = n >= exact_below
    scores = measures.centrality_scores(G, exact_below, k, seed)
    H = coagreement_graph(G)
    membership = measures.communities(H, resolution=resolution, seed=seed)
    rows = measures.centrality_table(G, lang, scores)
    for row in rows:
        row["community"] = membership.get(row["iri"])
    exposure_rows: list[dict[str, Any]] = []
    alternative_rows: list[dict[str, Any]] = []
    for supplier in supply.top_suppliers(G, exposure_suppliers):
        found = supply.exposure(G, supplier, lang=lang)
        head = {"supplier": supplier, "supplier_label": found["label"]}
        exposure_rows += [{**head, **r} for r in found["dependants"]]
        alternative_rows += [{**head, **r} for r in found["alternatives"]]
    parameters = {
        "run_date": run_date or latest_document_date(G),
        "as_of": as_of,
        "nodes": n,
        "edges": G.number_of_edges(),
        "facts": kept_facts,
        "facts_left_out": full_facts - kept_facts,
        "betweenness": f"sampled from {min(k, n)} sources" if sampled else "exact",
        "closeness": f"sampled from {min(k, n)} sources per large component" if sampled else "exact",
        "exact_below": exact_below,
        "sample_size": k,
        "seed": seed,
        "resolution": resolution,
        "eigenvector_converged": bool(scores["eigenvector"]) or G.number_of_edges() == 0,
        "communities": len(set(membership.values())),
        "exposure_suppliers": exposure_suppliers,
        "weight": "evidence_count (at least 1 per relation)",
    }
    return Analysis(
        parameters,
        rows,
        measures.community_table(G, H, membership, lang=lang),
        membership,
        supply.concentration(G, lang=lang),
        supply.single_point_table(G, lang),
        exposure_rows,
        alternative_rows,
    )


def _double(value: float) -> Literal:
    return Literal(f"{value:.6g}", datatype=XSD.double)


def analysis_graph(analysis: Analysis, base: str = DEFAULT_BASE) -> Graph:
    """The analysis named graph: the run (date and parameters) and every node's scores.

    ``<base>graph/analysis`` is an ``cmkg:AnalysisRun`` with ``dcterms:date`` (the run date),
    ``cmkg:asOf`` (if restricted), ``cmkg:randomSeed``, ``cmkg:sampleSize``, ``cmkg:exactBelow`` and a
    ``dcterms:description`` of the methods; each node gets ``cmkg:degree``, ``cmkg:weightedDegree``,
    ``cmkg:betweenness``, ``cmkg:pagerank``, ``cmkg:eigenvector`` (if it converged),
    ``cmkg:closeness`` (``xsd:double``) and, for an actor of the co-agreement graph, ``cmkg:community``.

    Examples
    --------
    >>> rows = [{"iri": "https://w3id.org/cmkg/id/Japan", "degree": 0.5, "community": 1}]
    >>> result = Analysis({"run_date": "2025-10-28", "as_of": None, "seed": 42, "sample_size": 500,
    ...                    "exact_below": 2000}, rows, [], {}, [], [], [], [])
    >>> g = analysis_graph(result)
    >>> str(g.identifier), len(g)
    ('https://w3id.org/cmkg/graph/analysis', 8)
    >>> g.value(URIRef("https://w3id.org/cmkg/id/Japan"), CMKG.degree)
    rdflib.term.Literal('0.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#double'))
    """
    run = URIRef(graph_iri(ANALYSIS_GRAPH, base))
    g = Graph(identifier=run)
    p = analysis.parameters
    g.add((run, RDF.type, CMKG.AnalysisRun))
    if p.get("run_date"):
        g.add((run, DCT.date, Literal(p["run_date"], datatype=XSD.date)))
    if p.get("as_of"):
        g.add((run, CMKG.asOf, Literal(p["as_of"], datatype=XSD.date)))
    g.add((run, CMKG.randomSeed, Literal(int(p["seed"]))))
    g.add((run, CMKG.sampleSize, Literal(int(p["sample_size"]))))
    g.add((run, CMKG.exactBelow, Literal(int(p["exact_below"]))))
    g.add((run, DCT.description, Literal(describe_parameters(p), lang="en")))
    for row in analysis.centrality:
        node = URIRef(row["iri"])
        for measure in MEASURES:
            if row.get(measure) is not None:
                g.add((node, CMKG[MEASURE_PROPERTIES[measure]], _double(row[measure])))
        if row.get("community") is not None:
            g.add((node, CMKG.community, Literal(int(row["community"]))))
    return g


def describe_parameters(p: dict[str, Any]) -> str:
    """One line describing how a run was made.

    >>> describe_parameters({"betweenness": "exact", "closeness": "exact", "seed": 42, "resolution": 1.0})
    'betweenness exact; closeness exact; PageRank and eigenvector weighted by evidence; Louvain communities of the co-agreement graph (resolution 1.0, seed 42)'
    """
    return (
        f"betweenness {p.get('betweenness')}; closeness {p.get('closeness')}; PageRank and eigenvector weighted "
        f"by evidence; Louvain communities of the co-agreement graph (resolution {p.get('resolution')}, "
        f"seed {p.get('seed')})"
    )


def _quote(entries: list[dict[str, Any]]) -> str:
    return " ".join((entries[0].get("quote") or "").split()) if entries else ""


def _source(entry: dict[str, Any]) -> str:
    document = str(entry.get("document") or "").rsplit("/", 1)[-1]
    parts = [entry.get("title") or document, entry.get("publisher"), entry.get("date")]
    return ", ".join(str(part) for part in parts if part)


def _labels(G_labels: dict[Any, str], nodes: list[Any]) -> str:
    return "; ".join(G_labels.get(str(n), str(n).rsplit("/", 1)[-1]) for n in nodes)


def table_rows(analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """The CSV tables of a run, by file name: flat rows, lists joined with ``; ``."""
    labels = {row["iri"]: row["label"] for row in analysis.centrality}
    communities = [
        {
            **{k: r[k] for k in ("community", "size", "agreements")},
            "central": "; ".join(r["central"]),
            "minerals": "; ".join(f"{m} ({n})" for m, n in r["minerals"]),
            "members": "; ".join(r["members"]),
        }
        for r in analysis.communities
    ]
    dependencies = [
        {
            "mineral": r["mineral"],
            "mineral_label": r["mineral_label"],
            "stage": r["stage"],
            "market": r["market"] or "",
            "market_label": r["market_label"],
            "suppliers": "; ".join(f"{s['label']} {s['share']:g} %" for s in r["suppliers"]),
            "known_share": r["known_share"],
            "unknown_share": r["unknown_share"],
            "hhi": r["hhi"],
            "hhi_max": r["hhi_max"],
            "overstated": r["overstated"],
            "import_dependence": r["import_dependence"],
            "figures": "; ".join(
                f"{s['label']}: " + ", ".join(f"{f['share']:g} ({f['date'] or 'undated'})" for f in s["figures"])
                for s in r["suppliers"]
            ),
            "quote": _quote(r["evidence"]),
            "evidence_count": len(r["evidence"]),
        }
        for r in analysis.dependencies
    ]
    single_points = [
        {
            "mineral": r["mineral"],
            "mineral_label": r["mineral_label"],
            "node": r["node"],
            "label": r["label"],
            "group": r["group"],
            "cuts_off": "; ".join(r["consumer_labels"]),
            "articulation": r["articulation"],
        }
        for r in analysis.single_points
    ]
    exposure = [
        {
            "supplier": r["supplier"],
            "supplier_label": r["supplier_label"],
            "dependant": r["dependant"],
            "label": r["label"],
            "group": r["group"],
            "how": r["how"],
            "via": _labels(labels, r["via"]),
            "kind": r["kind"],
            "share": r["share"],
            "stage": r["stage"],
            "minerals": _labels(labels, r["minerals"]),
            "line": r["line"],
            "quote": _quote(r["evidence"]),
            "source": _source(r["evidence"][0]) if r["evidence"] else "",
            "evidence_count": len(r["evidence"]),
        }
        for r in analysis.exposure
    ]
    alternatives = [
        {
            "supplier": r["supplier"],
            "supplier_label": r["supplier_label"],
            "alternative": r["alternative"],
            "label": r["label"],
            "group": r["group"],
            "kind": r["kind"],
            "for": _labels(labels, r["for"]),
            "partners": _labels(labels, r["partners"]),
            "minerals": _labels(labels, r["minerals"]),
            "match": r["match"],
            "date": r["date"],
            "quote": _quote(r["evidence"]),
            "evidence_count": len(r["evidence"]),
        }
        for r in analysis.alternatives
    ]
    return {
        "centrality.csv": analysis.centrality,
        "communities.csv": communities,
        "dependencies.csv": dependencies,
        "single_points.csv": single_points,
        "exposure.csv": exposure,
        "alternatives.csv": alternatives,
    }


def report_markdown(analysis: Analysis, top: int = 5) -> str:
    """A readable summary of a run in Markdown, with the sentences behind each dependency and exposure.

    >>> result = Analysis({"run_date": "2025-10-28", "as_of": None, "nodes": 3, "edges": 2, "facts": 1,
    ...                    "facts_left_out": 0, "betweenness": "exact", "closeness": "exact", "seed": 42,
    ...                    "resolution": 1.0}, [], [], {}, [], [], [], [])
    >>> report_markdown(result).splitlines()[0]
    '# Analysis of the critical-minerals graph'
    """
    p = analysis.parameters
    labels = {row["iri"]: row["label"] for row in analysis.centrality}
    lines = ["# Analysis of the critical-minerals graph", ""]
    scope = (
        f"facts known on {p['as_of']} ({p['facts_left_out']} later or undated facts left out)"
        if p.get("as_of")
        else "every fact of the build"
    )
    lines += [
        f"Run of {p.get('run_date') or 'an undated build'} on {scope}: {p['nodes']} nodes, {p['edges']} edges, "
        f"{p['facts']} facts. Methods: {describe_parameters(p)}.",
        "",
    ]

    lines += [
        "## Most central actors",
        "",
        "| measure | " + " | ".join(str(i) for i in range(1, top + 1)) + " |",
        "|---|" + "---|" * top,
    ]
    for measure in MEASURES:
        best = analysis.top(measure, top)
        cells = [f"{r['label']} ({r[measure]:.3g})" for r in best] + [""] * (top - len(best))
        lines.append(f"| {measure.replace('_', ' ')} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Most between, by type of node: "
        + "; ".join(
            f"{group}: " + ", ".join(r["label"] for r in rows)
            for group, rows in measures.top_by_group(analysis.centrality, "betweenness", 3).items()
            if group and rows and rows[0]["betweenness"] > 0
        )
        + ".",
        "",
    ]

    lines += ["## Communities of the co-agreement graph", ""]
    if not analysis.communities:
        lines += ["No agreement links two actors.", ""]
    for r in analysis.communities:
        if r["size"] < 2:
            continue
        minerals = ", ".join(f"{m} ({n})" for m, n in r["minerals"][:5]) or "no mineral stated"
        lines += [
            f"- **{r['community']}** ({r['size']} actors, {r['agreements']} agreements among them): "
            f"{', '.join(r['central'])} — minerals: {minerals}"
        ]
    alone = [r["members"][0] for r in analysis.communities if r["size"] == 1]
    if alone:
        lines += [f"- alone: {', '.join(alone)}"]
    lines += [""]

    lines += [
        "## Supply dependencies",
        "",
        "Concentration is the Herfindahl–Hirschman index (HHI, 0–10,000) of the shares the documents state; "
        "the share of the market they do not attribute is unknown, so the true HHI lies between the index of "
        "the known shares and the index if the largest supplier held the rest.",
        "",
    ]
    for r in analysis.dependencies:
        market = (
            "world"
            if r["market"] is None
            else f"imports of {r['market_label']}"
            if r["stage"] == "imports"
            else f"supply of {r['market_label']}"
        )
        suppliers = ", ".join(f"{s['label']} {s['share']:g} %" for s in r["suppliers"]) or "no supplier stated"
        extra = (
            f"; {r['market_label']} imports {r['import_dependence']:g} % of what it consumes"
            if r["import_dependence"] is not None
            else ""
        )
        lines += [
            f"### {r['mineral_label']} — {r['stage']} ({market})",
            "",
            f"{suppliers}. Known {r['known_share']:g} %, unknown {r['unknown_share']:g} %"
            f"{' (the figures add up to more than 100 %)' if r['overstated'] else ''}; "
            f"HHI {r['hhi']:,.0f} (at most {r['hhi_max']:,.0f}){extra}.",
            "",
        ]
        lines += [f"> {' '.join((e.get('quote') or '').split())} — {_source(e)}" for e in r["evidence"]]
        lines += [""]
    if analysis.single_points:
        lines += ["### Single points of failure", ""]
        for r in analysis.single_points:
            what = (
                f"cuts {', '.join(r['consumer_labels'])} off from every supplier"
                if r["consumers"]
                else "splits the supply graph"
            )
            lines += [
                f"- {r['mineral_label']}: **{r['label']}** {what}"
                f"{' (articulation point)' if r['articulation'] and r['consumers'] else ''}"
            ]
        lines += [""]

    lines += [
        "## Exposure",
        "",
        f"The {p.get('exposure_suppliers', 10)} suppliers with the most direct consumers; "
        "`cmkg exposure --supplier NAME` answers for any other.",
        "",
    ]
    suppliers = sorted({(r["supplier_label"], r["supplier"]) for r in analysis.exposure})
    if not suppliers:
        lines += ["No supply link is stated.", ""]
    for name, iri in suppliers:
        lines += [f"### Who depends on {name}", ""]
        for r in (r for r in analysis.exposure if r["supplier"] == iri):
            via = f" (via {_labels(labels, r['via'])})" if r["via"] else ""
            lines += [f"- **{r['label']}**{via}: {r['line']}"]
            lines += [f"  > {' '.join((e.get('quote') or '').split())} — {_source(e)}" for e in r["evidence"][:3]]
        options = [r for r in analysis.alternatives if r["supplier"] == iri]
        if options:
            lines += ["", f"Alternatives to {name}:", ""]
            lines += [
                f"- {r['label']} ({r['kind']}) for {_labels(labels, r['for'])}"
                + (f" with {_labels(labels, r['partners'])}" if r["partners"] else "")
                for r in options
            ]
        lines += [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_tables(analysis: Analysis, folder: Path) -> list[Path]:
    """Write the run's CSV tables and ``report.md`` into ``folder`` (atomically, each); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in table_rows(analysis).items():
        write_csv(rows, folder / name)
        paths.append(folder / name)
    atomic_write_text(folder / "report.md", report_markdown(analysis))
    paths.append(folder / "report.md")
    return paths


def put_analysis_graph(g: Graph, ds: Dataset) -> int:
    """Put the analysis graph ``g`` into the dataset ``ds`` in place of the previous one; return its size."""
    ds.remove_graph(ds.graph(g.identifier))
    target = ds.graph(g.identifier)
    for triple in g:
        target.add(triple)
    return len(g)


def store_analysis(g: Graph, ds: Dataset, trig_path: Path, store_dir: Path) -> int:
    """Put the analysis graph ``g`` into the dataset ``ds`` in place of the previous one, rewrite
    ``trig_path`` from it and replace the graph in the store; return the graph's number of triples."""
    from graph.sparql import store

    put_analysis_graph(g, ds)
    write_trig(ds, trig_path)
    ntriples = "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in g))
    return store.replace_graph(store_dir, str(g.identifier), ntriples)


def analyze_dataset(
    G: nx.MultiDiGraph,
    out: Path,
    ds: Dataset,
    base: str = DEFAULT_BASE,
    as_of: str | None = None,
    run_date: str | None = None,
) -> Analysis:
    """Analyse ``G`` (the projection of ``ds``), write ``analysis/`` (:data:`TABLES`) into ``out`` and put
    the analysis graph into ``ds``, for a build that writes its ``graph.trig`` and store afterwards."""
    return record_analysis(run_analysis(G, as_of=as_of, run_date=run_date), out, ds, base)


def record_analysis(analysis: Analysis, out: Path, ds: Dataset, base: str = DEFAULT_BASE) -> Analysis:
    """Write ``analysis/`` (:data:`TABLES`) of ``analysis`` (:func:`run_analysis` of the projection of ``ds``)
    into ``out`` and put its graph into ``ds``: the end of :func:`analyze_dataset`, for a build that ran the
    analysis in a worker process."""
    analysis.files = write_tables(analysis, out / "analysis")
    analysis.quads = put_analysis_graph(analysis_graph(analysis, base), ds)
    return analysis


def analyze_into(
    G: nx.MultiDiGraph,
    out: Path,
    ds: Dataset,
    base: str = DEFAULT_BASE,
    as_of: str | None = None,
    run_date: str | None = None,
) -> Analysis:
    """Analyse ``G`` (the projection of ``ds``) and write the results into the existing build ``out``:
    ``analysis/`` (:data:`TABLES`) and the analysis graph in ``graph.trig`` and ``store/``."""
    analysis = run_analysis(G, as_of=as_of, run_date=run_date)
    analysis.files = write_tables(analysis, out / "analysis")
    analysis.quads = store_analysis(analysis_graph(analysis, base), ds, out / "graph.trig", out / "store")
    log.info(
        "analysis: %d nodes, %d communities, %d markets, %d exposure lines",
        analysis.parameters["nodes"],
        analysis.parameters["communities"],
        len(analysis.dependencies),
        len(analysis.exposure),
    )
    return analysis


def load_graph(out: Path, as_of: str | None = None, base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    """The projected graph of the build in ``out`` (:func:`graph.analysis.projection.project` of its ``graph.trig``),
    restricted to what was known ``as_of`` a date (:func:`graph.analysis.subsets.as_of`) if given."""
    from graph.analysis.projection import project
    from graph.build.dataset import load_build

    G = project(load_build(out), base=base)
    return subsets.as_of(G, as_of) if as_of else G


def exposure_of(
    out: Path, supplier: str, mineral: str | None = None, stage: str | None = None, as_of: str | None = None
) -> dict[str, Any]:
    """:func:`graph.analysis.supply.exposure` on the build in ``out``; ``supplier`` and ``mineral`` are names
    (any label or alias, accents and case ignored: "Chine", "Pékin", "gallium").

    Raises
    ------
    CmkgError
        If there is no build, no actor or mineral of that name, or ``as_of`` is not a date.
    """
    G = load_graph(out, as_of)
    who = subsets.find_node(G, supplier, groups=ACTOR_GROUPS)
    what = subsets.find_node(G, mineral, groups={"Mineral"}) if mineral else None
    return supply.exposure(G, who, what, stage)


def timeline_of(
    out: Path, entity: str | None = None, as_of: str | None = None, include_undated: bool = False, lang: str = "en"
) -> tuple[str | None, list[dict[str, Any]]]:
    """:func:`graph.analysis.timeline.timeline` of the build in ``out`` (about ``entity``, a name, if given):
    the entity's label and the rows.

    Raises
    ------
    CmkgError
        If there is no build, nothing of that name, or ``as_of`` is not a date.
    """
    from graph.analysis.timeline import timeline

    G = load_graph(out, as_of)
    node = subsets.find_node(G, entity) if entity else None
    label = node_label(G, node, lang) if node is not None else None
    return label, timeline(G, node, lang=lang, include_undated=include_undated)


__all__ = [
    "Analysis",
    "TABLES",
    "analysis_graph",
    "analyze_dataset",
    "analyze_into",
    "exposure_of",
    "load_graph",
    "record_analysis",
    "report_markdown",
    "run_analysis",
    "store_analysis",
    "table_rows",
    "timeline_of",
    "write_tables",
]
