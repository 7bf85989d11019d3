"""Project the cmkg RDF dataset onto a networkx graph, and measure that graph.

This is the only module that turns RDF into networkx. :func:`project` reads the whole dataset in one
pass over its quads, so a build with tens of thousands of claims projects in seconds; the centrality
functions take the projected graph first, never change it, and return plain dicts.

The projection keeps entities (``cmkg:State`` ... ``cmkg:Place``) and n-ary facts (agreements,
projects, measures, market shares) as nodes keyed by IRI; an object property between two such nodes
becomes one edge keyed by the property's local name, carrying the claims that assert it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import networkx as nx
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph.iri import (
    ANALYSIS_GRAPH,
    CMKG,
    DCT,
    DEFAULT_BASE,
    ONTOLOGY_GRAPH,
    PROV,
    SCHEMA,
    SKOS,
    WD,
    graph_iri,
)

log = logging.getLogger(__name__)

#: Group of every projected cmkg class: entity classes, fact classes and their subclasses
#: (docs/model.md). A class that is its own group is the most general one of that group.
GROUP_OF_CLASS: dict[str, str] = {
    "State": "State",
    "InternationalOrganization": "InternationalOrganization",
    "GovernmentBody": "GovernmentBody",
    "Company": "Company",
    "Person": "Person",
    "Mineral": "Mineral",
    "Place": "Place",
    "Agreement": "Agreement",
    "Project": "Project",
    "Mine": "Project",
    "Refinery": "Project",
    "Fund": "Project",
    "Stockpile": "Project",
    "Corridor": "Project",
    "Plant": "Project",
    "Measure": "Measure",
    "ExportControl": "Measure",
    "Tariff": "Measure",
    "PriceFloor": "Measure",
    "Stockpiling": "Measure",
    "Law": "Measure",
    "MarketShare": "MarketShare",
}

#: The groups, in the order legends and tie-breaks use.
GROUPS: tuple[str, ...] = (
    "State",
    "InternationalOrganization",
    "GovernmentBody",
    "Company",
    "Person",
    "Mineral",
    "Place",
    "Agreement",
    "Project",
    "Measure",
    "MarketShare",
)

_CLASS_ORDER = {name: i for i, name in enumerate(GROUP_OF_CLASS)}
_GROUP_ORDER = {name: i for i, name in enumerate(GROUPS)}
_LABEL_PREDICATES = {SKOS.prefLabel: 0, RDFS.label: 1}
_FACT_GROUPS = {"Agreement", "Project", "Measure", "MarketShare"}
# Relations whose targets name an unlabelled fact, in the order they are read out.
_NAMING_RELATIONS = ("actor", "imposer", "party", "participant", "location", "target", "consumer", "mineral")
_NAMING_LITERALS = ("stage", "percent")


def _local_name(term: Node | str) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``.

    >>> _local_name("https://w3id.org/cmkg/ontology#party")
    'party'
    >>> _local_name("https://w3id.org/cmkg/id/United_States")
    'United_States'
    """
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _most_specific_class(classes: set[str]) -> str:
    """Pick the most specific projected class: a subclass beats its group, then the fixed order."""
    return min(classes, key=lambda c: (GROUP_OF_CLASS[c] == c, _GROUP_ORDER[GROUP_OF_CLASS[c]], _CLASS_ORDER[c]))


def _pick_label(labels: set[tuple[int, str, str]], lang: str) -> str | None:
    """Pick a label for ``lang`` from ``(predicate rank, language, text)`` triples.

    The language asked for wins, then untagged labels, then any other language; ``skos:prefLabel``
    beats ``rdfs:label`` within each.
    """
    if not labels:
        return None

    def rank(item: tuple[int, str, str]) -> tuple[int, int, str, str]:
        pred_rank, label_lang, text = item
        lang_rank = 0 if label_lang == lang else 1 if not label_lang else 2
        return (lang_rank, pred_rank, label_lang, text)

    return min(labels, key=rank)[2]


def _number(value: Literal | None) -> float | int | None:
    if value is None:
        return None
    python = value.toPython()
    if isinstance(python, bool) or not isinstance(python, (int, float)):
        try:
            return float(str(value))
        except ValueError:
            return None
    return python if isinstance(python, int) else float(python)


def project(ds: Dataset, base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    """Project a cmkg dataset onto a directed multigraph of entities and facts.

    Parameters
    ----------
    ds : rdflib.Dataset
        A cmkg build: reference, documents, provenance and claim graphs (docs/model.md).
    base : str
        Data base IRI of the build; its ``graph/ontology`` and ``graph/analysis`` graphs are skipped,
        so scores written back by an earlier run never become facts.

    Returns
    -------
    networkx.MultiDiGraph
        One node per entity or fact, keyed by IRI, with attributes ``cls``, ``group``, ``label_en``,
        ``label_fr`` (``skos:prefLabel`` or ``rdfs:label`` in that language, else any label; an
        unlabelled fact is named by its neighbours, e.g. "China · rare earth elements · refining ·
        90.0%"; else the IRI tail), ``wikidata`` (QID or None), ``facts`` (the node's own literals as
        ``{"property", "value", "lang"}`` dicts), ``evidence`` (one entry per claim whose graph has
        the node as a subject) and ``documents`` (IRIs of documents that mention the node). One edge per object property
        between two nodes (fact to entity, e.g. agreement ``party`` state), keyed by the property's
        local name, with ``relation``, ``claims``, ``evidence`` and ``evidence_count``. An evidence
        entry is a dict with ``claim``, ``quote``, ``document``, ``title``, ``publisher``, ``date``,
        ``url``, ``method`` and ``confidence``.

    Examples
    --------
    >>> ds = Dataset()
    >>> _ = ds.parse(format="trig", data='''
    ... @prefix cmkg: <https://w3id.org/cmkg/ontology#> .
    ... @prefix id: <https://w3id.org/cmkg/id/> .
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... <https://w3id.org/cmkg/graph/reference> {
    ...     id:China a cmkg:State ; skos:prefLabel "China"@en, "Chine"@fr .
    ...     id:Gallium a cmkg:Mineral ; skos:prefLabel "gallium"@en . }
    ... <https://w3id.org/cmkg/claim/1> {
    ...     <https://w3id.org/cmkg/fact/measure/1> a cmkg:ExportControl ;
    ...         cmkg:imposer id:China ; cmkg:mineral id:Gallium . }
    ... <https://w3id.org/cmkg/graph/provenance> {
    ...     <https://w3id.org/cmkg/claim/1> a cmkg:Claim ; cmkg:quote "China restricts gallium." . }
    ... ''')
    >>> G = project(ds)
    >>> G.number_of_nodes(), G.number_of_edges()
    (3, 2)
    >>> G.nodes["https://w3id.org/cmkg/id/China"]["label_fr"]
    'Chine'
    >>> G.nodes["https://w3id.org/cmkg/fact/measure/1"]["group"]
    'Measure'
    >>> edge = G.edges["https://w3id.org/cmkg/fact/measure/1", "https://w3id.org/cmkg/id/China", "imposer"]
    >>> edge["evidence_count"], edge["evidence"][0]["quote"]
    (1, 'China restricts gallium.')
    """
    skipped = {URIRef(graph_iri(ONTOLOGY_GRAPH, base)), URIRef(graph_iri(ANALYSIS_GRAPH, base))}
    cmkg_ns = str(CMKG)

    classes: dict[Node, set[str]] = defaultdict(set)
    labels: dict[Node, set[tuple[int, str, str]]] = defaultdict(set)
    literals: dict[Node, set[tuple[URIRef, Literal]]] = defaultdict(set)
    links: dict[tuple[Node, URIRef, Node], set[Node]] = defaultdict(set)
    asserted_in: dict[Node, set[Node]] = defaultdict(set)

    # The one pass over the dataset: every later lookup is a dict access.
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g in skipped:
            continue
        asserted_in[s].add(g)
        if p == RDF.type:
            if str(o).startswith(cmkg_ns):
                classes[s].add(str(o)[len(cmkg_ns) :])
        elif isinstance(o, Literal):
            if p in _LABEL_PREDICATES:
                labels[s].add((_LABEL_PREDICATES[p], o.language or "", str(o)))
            else:
                literals[s].add((p, o))
        else:
            links[(s, p, o)].add(g)

    claims = {s for s, names in classes.items() if "Claim" in names}
    nodes = {
        s: _most_specific_class(names & GROUP_OF_CLASS.keys())
        for s, names in classes.items()
        if names & GROUP_OF_CLASS.keys()
    }
    log.debug("projecting %d nodes, %d claims", len(nodes), len(claims))

    out_links: dict[Node, list[tuple[URIRef, Node]]] = defaultdict(list)
    for s, p, o in links:
        out_links[s].append((p, o))

    def first_literal(subject: Node | None, predicate: URIRef) -> Literal | None:
        values = (o for p, o in literals.get(subject, ()) if p == predicate)
        return min(values, key=str, default=None)

    def first_link(subject: Node | None, predicate: URIRef) -> Node | None:
        return min((o for p, o in out_links.get(subject, ()) if p == predicate), key=str, default=None)

    def text(value: Node | None) -> str | None:
        return None if value is None else str(value)

    document_cache: dict[Node | None, dict[str, str | None]] = {}

    def document_fields(document: Node | None) -> dict[str, str | None]:
        """Title, publisher, date and URL of a document, read once per document."""
        if document not in document_cache:
            document_cache[document] = {
                "title": text(first_literal(document, DCT.title)),
                "publisher": text(first_literal(document, DCT.publisher)),
                "date": text(first_literal(document, DCT.date)),
                "url": text(first_literal(document, SCHEMA.url) or first_link(document, SCHEMA.url)),
            }
        return document_cache[document]

    evidence_cache: dict[Node, tuple[tuple[str, int, str], dict[str, Any]]] = {}

    def evidence(claim: Node) -> tuple[tuple[str, int, str], dict[str, Any]]:
        """Return (sort key, evidence dict) of one claim, built once."""
        if claim not in evidence_cache:
            document = first_link(claim, PROV.wasDerivedFrom)
            fields = document_fields(document)
            confidence = _number(first_literal(claim, CMKG.confidence))
            entry = {
                "claim": str(claim),
                "quote": text(first_literal(claim, CMKG.quote)),
                "document": text(document),
                "title": fields["title"],
                "publisher": fields["publisher"],
                "date": fields["date"],
                "url": fields["url"],
                "method": text(first_literal(claim, CMKG.method)),
                "confidence": None if confidence is None else float(confidence),
            }
            start = _number(first_literal(claim, CMKG.startOffset))
            key = (entry["document"] or "", int(start) if start is not None else -1, entry["claim"])
            evidence_cache[claim] = (key, entry)
        return evidence_cache[claim]

    def evidence_list(graphs: set[Node]) -> list[dict[str, Any]]:
        ranked = sorted((evidence(c) for c in graphs & claims), key=lambda item: item[0])
        return [dict(entry) for _, entry in ranked]

    documents: dict[Node, set[str]] = defaultdict(set)
    for s, p, o in links:
        if p == SCHEMA.mentions:
            documents[o].add(str(s))

    G = nx.MultiDiGraph()
    for node in sorted(nodes, key=str):
        cls = nodes[node]
        own = sorted(literals.get(node, ()), key=lambda po: (_local_name(po[0]), str(po[1]), po[1].language or ""))
        facts = [{"property": _local_name(p), "value": str(o), "lang": o.language} for p, o in own]
        for p, o in sorted(out_links.get(node, ()), key=lambda po: (str(po[0]), str(po[1]))):
            if isinstance(o, BNode) and o not in nodes:
                value = _describe_value(literals.get(o, set()))
                facts.append({"property": _local_name(p), "value": value, "lang": None})
        wikidata = sorted(
            str(o)[len(str(WD)) :]
            for p, o in out_links.get(node, ())
            if p == SKOS.exactMatch and str(o).startswith(str(WD))
        )
        G.add_node(
            str(node),
            cls=cls,
            group=GROUP_OF_CLASS[cls],
            label_en=_pick_label(labels.get(node, set()), "en"),
            label_fr=_pick_label(labels.get(node, set()), "fr"),
            wikidata=wikidata[0] if wikidata else None,
            facts=facts,
            evidence=evidence_list(asserted_in.get(node, set())),
            documents=sorted(documents.get(node, set())),
        )

    edges: dict[tuple[str, str, str], set[Node]] = defaultdict(set)
    for (s, p, o), graphs in links.items():
        if s in nodes and o in nodes:
            edges[(str(s), str(o), _local_name(p))] |= graphs
    for (u, v, relation) in sorted(edges):
        graphs = edges[(u, v, relation)]
        entries = evidence_list(graphs)
        G.add_edge(
            u,
            v,
            key=relation,
            relation=relation,
            claims=sorted(str(c) for c in graphs & claims),
            evidence=entries,
            evidence_count=len(entries),
        )

    _fill_missing_labels(G)
    return G


def _describe_value(values: set[tuple[URIRef, Literal]]) -> str:
    """Flatten a structured value (a ``schema:MonetaryAmount``) into text: the value, then the rest."""
    ordered = sorted(values, key=lambda po: (po[0] != SCHEMA.value, str(po[0]), str(po[1])))
    return " ".join(str(o) for _, o in ordered)


def _fill_missing_labels(G: nx.MultiDiGraph) -> None:
    """Label unlabelled nodes: a fact by its neighbours and stage/percent, anything else by its IRI tail.

    Only called by :func:`project` on the graph it is building.
    """
    for node, data in G.nodes(data=True):
        for lang in ("en", "fr"):
            if data[f"label_{lang}"] is not None:
                continue
            label = None
            if data["group"] in _FACT_GROUPS:
                parts = []
                for relation in _NAMING_RELATIONS:
                    for _, target, key in sorted(G.out_edges(node, keys=True)):
                        if key == relation:
                            parts.append(G.nodes[target][f"label_{lang}"] or _local_name(target))
                values = {fact["property"]: fact["value"] for fact in data["facts"]}
                for name in _NAMING_LITERALS:
                    if name in values:
                        parts.append(values[name] + ("%" if name == "percent" else ""))
                label = " · ".join(parts) or None
            data[f"label_{lang}"] = label or _local_name(node)


def _simple_undirected(G: nx.Graph) -> nx.Graph:
    """Return a new simple undirected graph with G's nodes and distinct non-loop neighbour pairs."""
    H = nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def degree_centrality(G: nx.Graph) -> dict[str, float]:
    """Degree centrality of every node on the undirected simple view of ``G``.

    Parallel edges and edge direction are ignored: a node's score is its number of distinct
    neighbours divided by ``n - 1``.

    Parameters
    ----------
    G : networkx.Graph
        Usually the graph :func:`project` returns; it is not modified.

    Returns
    -------
    dict
        ``{node: score}`` with scores in ``[0, 1]``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> degree_centrality(G)
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    """
    return nx.degree_centrality(_simple_undirected(G))


def betweenness_centrality(
    G: nx.Graph, exact_below: int = 2000, k: int = 500, seed: int = 42
) -> dict[str, float]:
    """Normalised betweenness centrality of every node on the undirected simple view of ``G``.

    Parameters
    ----------
    G : networkx.Graph
        Usually the graph :func:`project` returns; it is not modified.
    exact_below : int
        Graphs with fewer nodes get the exact value; larger ones are estimated from ``k`` sources.
    k : int
        Number of sampled source nodes for large graphs.
    seed : int
        Seed of the source sample, so an estimate is the same on every run.

    Returns
    -------
    dict
        ``{node: score}``; for a path ``a - b - c`` the middle node scores 1.0.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "b")])
    >>> betweenness_centrality(G)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness_centrality(nx.path_graph(4), exact_below=2, k=2, seed=1) == betweenness_centrality(
    ...     nx.path_graph(4), exact_below=2, k=2, seed=1)
    True
    """
    H = _simple_undirected(G)
    n = H.number_of_nodes()
    if n < exact_below:
        return nx.betweenness_centrality(H, normalized=True)
    log.info("estimating betweenness of %d nodes from %d sources (seed %d)", n, min(k, n), seed)
    return nx.betweenness_centrality(H, k=min(k, n), normalized=True, seed=seed)


def centrality_table(G: nx.Graph, lang: str = "en") -> list[dict[str, Any]]:
    """Rows of degree and betweenness centrality, most central first.

    Parameters
    ----------
    G : networkx.Graph
        A graph from :func:`project`; it is not modified.
    lang : str
        ``"en"`` or ``"fr"``: which label attribute names the node.

    Returns
    -------
    list of dict
        Rows ``{"iri", "label", "group", "degree", "betweenness"}`` sorted by betweenness
        (descending), then label, then IRI.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label_en="X", group="State")
    >>> G.add_node("y", label_en="Y", group="Mineral")
    >>> G.add_node("f", label_en="F", group="Agreement")
    >>> _ = G.add_edge("f", "x", key="party")
    >>> _ = G.add_edge("f", "y", key="mineral")
    >>> [(row["label"], row["betweenness"]) for row in centrality_table(G)]
    [('F', 1.0), ('X', 0.0), ('Y', 0.0)]
    """
    degree = degree_centrality(G)
    betweenness = betweenness_centrality(G)
    rows = [
        {
            "iri": str(node),
            "label": data.get(f"label_{lang}") or data.get("label_en") or _local_name(node),
            "group": data.get("group"),
            "degree": degree[node],
            "betweenness": betweenness[node],
        }
        for node, data in G.nodes(data=True)
    ]
    rows.sort(key=lambda row: (-row["betweenness"], row["label"], row["iri"]))
    return rows
