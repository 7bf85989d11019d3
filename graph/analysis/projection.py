"""Project the cmkg RDF dataset onto networkx graphs: the typed graph of everything, and its views.

This is the only module that turns RDF into networkx. :func:`project` reads the whole dataset in one
pass over its quads, so a build with tens of thousands of claims projects in seconds.

The projection keeps entities (``cmkg:State`` ... ``cmkg:Place``) and n-ary facts (agreements,
projects, measures, market shares) as nodes keyed by IRI; an object property between two such nodes
becomes one edge keyed by the property's local name, carrying the claims that assert it and their
number. The views are built from the projected graph: :func:`coagreement_graph` (actors linked by
the agreements they share) and :func:`supply_graph` (supplier → consumer, weighted by share where a
share is stated), per mineral with :func:`supply_graphs`. Every view is a new graph: none changes
the graph it is given.

The measures (centrality, communities) live in :mod:`graph.analysis.measures`, the supply-chain analysis in
:mod:`graph.analysis.supply`; :func:`degree_centrality`, :func:`betweenness_centrality`,
:func:`centrality_table` and :func:`node_sizes` are importable from here too.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import networkx as nx
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph.analysis.measures import (  # re-exported: callers import the measures from here too
    ACTOR_GROUPS,
    MEASURES,
    betweenness_centrality,
    centrality_table,
    degree_centrality,
    node_label,
    node_sizes,
)
from graph.analysis.wording import default_words, words_of
from graph.extract.reference import ENTITY_CLASSES
from graph.iri import (
    ANALYSIS_GRAPH,
    CMKG,
    DCT,
    DEFAULT_BASE,
    ONTOLOGY_GRAPH,
    PROV,
    REFERENCE_GRAPH,
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
GROUPS: tuple[str, ...] = ENTITY_CLASSES + ("Agreement", "Project", "Measure", "MarketShare")

_CLASS_ORDER = {name: i for i, name in enumerate(GROUP_OF_CLASS)}
_GROUP_ORDER = {name: i for i, name in enumerate(GROUPS)}
_LABEL_PREDICATES = {SKOS.prefLabel: 0, RDFS.label: 1}
_FACT_GROUPS = {"Agreement", "Project", "Measure", "MarketShare"}
# Relations whose targets name an unlabelled fact, in the order they are read out.
_NAMING_RELATIONS = ("actor", "imposer", "party", "participant", "location", "target", "consumer", "scope", "mineral")
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
        ``url``, ``method`` and ``confidence``. ``G.graph["words"]`` holds the ontology's words for
        coded values (:func:`graph.analysis.wording.words_of`); ``G.graph["documents"]`` maps every
        document's IRI to its ``title``, ``publisher``, ``date``, ``url`` and ``first_line`` (the
        ``dcterms:description`` a build gives a document without a title, else None).

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
    reference_graph = {URIRef(graph_iri(REFERENCE_GRAPH, base))}
    named_outside_reference: set[Node] = set()
    generated: set[Node] = set()  # gazetteer entities of ontology/generated/ (they carry their source)
    # Terms are compared by membership in a set of one: an IRI's hash is str's, where == on rdflib terms is a
    # Python call, once per quad (and a namespace's attribute is a lookup: once, not per quad).
    rdf_type, dct_source = {RDF.type}, {DCT.source}
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g in skipped:
            continue
        literal = isinstance(o, Literal)
        if g not in reference_graph:
            named_outside_reference.add(s)
            if not literal:  # a literal names no node (and its hash is a Python call)
                named_outside_reference.add(o)
        elif p in dct_source:
            generated.add(s)
        asserted_in[s].add(g)
        if p in rdf_type:
            if str(o).startswith(cmkg_ns):
                classes[s].add(str(o)[len(cmkg_ns) :])
        elif literal:
            if p in _LABEL_PREDICATES:
                labels[s].add((_LABEL_PREDICATES[p], o.language or "", str(o)))
            else:
                literals[s].add((p, o))
        else:
            links[(s, p, o)].add(g)

    claims = {s for s, names in classes.items() if "Claim" in names}
    # Of the generated gazetteer's thousands of entities, the graph holds those the documents name; the
    # hand-kept reference entities are all in it, as before.
    nodes = {
        s: _most_specific_class(names & GROUP_OF_CLASS.keys())
        for s, names in classes.items()
        if names & GROUP_OF_CLASS.keys() and (s not in generated or s in named_outside_reference)
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

    def document_record(document: Node) -> dict[str, str | None]:
        """What ``G.graph["documents"]`` says of a document: its fields and, untitled, its first line."""
        return {**document_fields(document), "first_line": text(first_literal(document, DCT.description))}

    evidence_cache: dict[Node, tuple[tuple[str, int, str], dict[str, Any]]] = {}
    derived_from, confidence_p, quote_p, method_p, start_p = (
        PROV.wasDerivedFrom,
        CMKG.confidence,
        CMKG.quote,
        CMKG.method,
        CMKG.startOffset,
    )

    def evidence(claim: Node) -> tuple[tuple[str, int, str], dict[str, Any]]:
        """Return (sort key, evidence dict) of one claim, built once."""
        if claim not in evidence_cache:
            document = first_link(claim, derived_from)
            fields = document_fields(document)
            confidence = _number(first_literal(claim, confidence_p))
            entry = {
                "claim": str(claim),
                "quote": text(first_literal(claim, quote_p)),
                "document": text(document),
                "title": fields["title"],
                "publisher": fields["publisher"],
                "date": fields["date"],
                "url": fields["url"],
                "method": text(first_literal(claim, method_p)),
                "confidence": None if confidence is None else float(confidence),
            }
            start = _number(first_literal(claim, start_p))
            key = (entry["document"] or "", int(start) if start is not None else -1, entry["claim"])
            evidence_cache[claim] = (key, entry)
        return evidence_cache[claim]

    def evidence_list(graphs: set[Node]) -> list[dict[str, Any]]:
        ranked = sorted((evidence(c) for c in graphs & claims), key=lambda item: item[0])
        return [dict(entry) for _, entry in ranked]

    documents: dict[Node, set[str]] = defaultdict(set)
    mentions = {SCHEMA.mentions}  # made once, not once per link, and tested by a set of one
    for s, p, o in links:
        if p in mentions:
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
    for u, v, relation in sorted(edges):
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
    # The ontology's words for coded values (agreement kinds, stages...), for graph.analysis.wording;
    # a dataset without its ontology (a fixture) gets the installed one's.
    words = words_of(ds.graph(URIRef(graph_iri(ONTOLOGY_GRAPH, base))))
    G.graph["words"] = words if words.labels else default_words()
    G.graph["documents"] = {
        str(d): document_record(d) for d in sorted((s for s, names in classes.items() if "Document" in names), key=str)
    }
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


# ---------------------------------------------------------------------------------------------------
# Purpose-built views of the projected graph. Each takes the projected graph first, never changes it
# and returns a new graph whose attribute dicts are its own.
# ---------------------------------------------------------------------------------------------------

#: Groups of the n-ary fact nodes.
FACT_GROUPS: frozenset[str] = frozenset(_FACT_GROUPS)
#: Project classes whose output goes to their participants (a fund or a corridor supplies nothing).
SUPPLY_PROJECT_CLASSES: frozenset[str] = frozenset({"Project", "Mine", "Refinery", "Plant", "Stockpile"})
#: The value-chain stage of a project's output, by class; other projects have no stated stage.
PROJECT_STAGE: dict[str, str] = {"Mine": "extraction", "Refinery": "refining", "Plant": "processing"}
#: The market-share stage that is a share of a consumer's imports, whatever the stage of what is imported.
IMPORTS = "imports"


def fact_values(G: nx.Graph, node: Any) -> dict[str, str]:
    """The literal facts of ``node`` as ``{property: value}`` (the first value of each property).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", facts=[{"property": "stage", "value": "refining", "lang": None},
    ...                        {"property": "percent", "value": "90.0", "lang": None}])
    >>> fact_values(G, "s")
    {'stage': 'refining', 'percent': '90.0'}
    """
    values: dict[str, str] = {}
    for fact in G.nodes[node].get("facts", ()):
        values.setdefault(fact["property"], fact["value"])
    return values


def related(G: nx.MultiDiGraph, node: Any, relation: str) -> list[Any]:
    """The targets of ``node``'s out-edges keyed ``relation``, sorted.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("deal", "USA", key="party"); _ = G.add_edge("deal", "Japan", key="party")
    >>> _ = G.add_edge("deal", "REE", key="mineral")
    >>> related(G, "deal", "party")
    ['Japan', 'USA']
    """
    return sorted({v for _, v, key in G.out_edges(node, keys=True) if key == relation}, key=str)


def _percent(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def coagreement_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The actor–actor co-agreement graph: two actors are linked when they are parties to the same
    agreement, weighted by how many agreements they share.

    Every party of an agreement is a node (also the lone party of a one-sided agreement), with its
    ``label_en``, ``label_fr`` and ``group``; an edge has ``weight`` (shared agreements) and
    ``agreements`` (their IRIs, sorted).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["USA", "Japan", "Australia"], group="State")
    >>> G.add_nodes_from(["deal", "pact"], group="Agreement")
    >>> for fact, party in [("deal", "USA"), ("deal", "Japan"), ("pact", "USA"), ("pact", "Japan"),
    ...                     ("pact", "Australia")]:
    ...     _ = G.add_edge(fact, party, key="party")
    >>> H = coagreement_graph(G)
    >>> H.edges["USA", "Japan"]["weight"], H.edges["USA", "Japan"]["agreements"]
    (2, ['deal', 'pact'])
    >>> H.edges["USA", "Australia"]["weight"]
    1
    """
    H = nx.Graph()
    pairs: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    order = {node: i for i, node in enumerate(G)}
    for fact, data in G.nodes(data=True):
        if data.get("group") != "Agreement":
            continue
        parties = sorted(related(G, fact, "party"), key=order.__getitem__)
        for party in parties:
            if party not in H:
                attrs = G.nodes[party]
                H.add_node(
                    party, label_en=attrs.get("label_en"), label_fr=attrs.get("label_fr"), group=attrs.get("group")
                )
        for i, u in enumerate(parties):
            for v in parties[i + 1 :]:
                pairs[(u, v)].append(fact)
    for (u, v), agreements in sorted(pairs.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])):
        H.add_edge(u, v, weight=len(agreements), agreements=sorted(agreements, key=str))
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(H.nodes(data=True), key=lambda item: order[item[0]]))
    ordered.add_edges_from(H.edges(data=True))
    return ordered


def _hierarchy(G: nx.Graph) -> dict[Any, set[Any]]:
    """Direct broader minerals of each mineral: ``broader`` edges, or ``G.graph["broader"]``."""
    parents: dict[Any, set[Any]] = defaultdict(set)
    if G.is_multigraph():
        for node, group in G.nodes(data="group"):
            if group in (None, "Mineral"):
                parents[node].update(v for _, v, key in G.out_edges(node, keys=True) if key == "broader")
    for node, above in G.graph.get("broader", {}).items():
        parents[node].update(above)
    return parents


def narrower_minerals(G: nx.Graph, mineral: Any) -> set[Any]:
    """``mineral`` and every mineral under it (``skos:broader``, transitively): rare earths take in
    neodymium.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("Nd", "REE", key="broader"); _ = G.add_edge("REE", "Critical", key="broader")
    >>> sorted(narrower_minerals(G, "Critical")), sorted(narrower_minerals(G, "Nd"))
    (['Critical', 'Nd', 'REE'], ['Nd'])
    """
    children: dict[Any, set[Any]] = defaultdict(set)
    for child, above in _hierarchy(G).items():
        for parent in above:
            children[parent].add(child)
    found, stack = {mineral}, [mineral]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def broader_minerals(G: nx.Graph, mineral: Any) -> set[Any]:
    """Every mineral above ``mineral`` (transitively), without ``mineral`` itself.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("Nd", "REE", key="broader"); _ = G.add_edge("REE", "Critical", key="broader")
    >>> sorted(broader_minerals(G, "Nd"))
    ['Critical', 'REE']
    """
    parents = _hierarchy(G)
    found: set[Any] = set()
    stack = [mineral]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in found and parent != mineral:
                found.add(parent)
                stack.append(parent)
    return found


def supply_links(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Every supply relation the facts of ``G`` state, as ``supplier → consumer`` links.

    - a market share with a consumer: its actor supplies the consumer (``share`` is the percentage);
    - an export control: its imposer supplies each target (the control restricts that trade);
    - a tariff: each target supplies the imposer (the tariff taxes those imports);
    - a project (mine, refinery, plant, stockpile, other project): its output goes to each participant.

    Returns
    -------
    list of dict
        ``{"supplier", "consumer", "fact", "kind", "minerals", "stage", "share"}`` sorted by fact, then
        supplier and consumer; ``kind`` is ``share``, ``export control``, ``tariff`` or ``project``;
        ``minerals`` is sorted (empty when no mineral is stated); ``stage`` and ``share`` may be None.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", group="MarketShare", cls="MarketShare",
    ...            facts=[{"property": "stage", "value": "imports"}, {"property": "percent", "value": "50"}])
    >>> for u, v, key in [("s", "China", "actor"), ("s", "USA", "consumer"), ("s", "REE", "mineral")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> G.add_node("t", group="Measure", cls="Tariff", facts=[])
    >>> _ = G.add_edge("t", "USA", key="imposer"); _ = G.add_edge("t", "China", key="target")
    >>> [(l["supplier"], l["consumer"], l["kind"], l["share"]) for l in supply_links(G)]
    [('China', 'USA', 'share', 50.0), ('China', 'USA', 'tariff', None)]
    """
    links = []
    for fact, data in G.nodes(data=True):
        group, cls = data.get("group"), data.get("cls")
        if group not in _FACT_GROUPS:
            continue
        minerals = related(G, fact, "mineral")
        values = fact_values(G, fact)
        pairs: list[tuple[Any, Any]] = []
        kind, stage, share = "", None, None
        if group == "MarketShare":
            kind, stage, share = "share", values.get("stage"), _percent(values.get("percent"))
            pairs = [(s, c) for s in related(G, fact, "actor") for c in related(G, fact, "consumer") if s != c]
        elif cls == "ExportControl":
            kind = "export control"
            pairs = [(i, t) for i in related(G, fact, "imposer") for t in related(G, fact, "target") if i != t]
        elif cls == "Tariff":
            kind = "tariff"
            pairs = [(t, i) for i in related(G, fact, "imposer") for t in related(G, fact, "target") if i != t]
        elif group == "Project" and cls in SUPPLY_PROJECT_CLASSES:
            kind, stage = "project", PROJECT_STAGE.get(cls)
            pairs = [(fact, p) for p in related(G, fact, "participant")]
        for supplier, consumer in pairs:
            links.append(
                {
                    "supplier": supplier,
                    "consumer": consumer,
                    "fact": fact,
                    "kind": kind,
                    "minerals": minerals,
                    "stage": stage,
                    "share": share,
                }
            )
    links.sort(key=lambda link: (str(link["fact"]), str(link["supplier"]), str(link["consumer"])))
    return links


def world_shares(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Market shares without a consumer or a scope: ``{"actor", "fact", "minerals", "stage", "share"}`` rows.

    With stage ``imports`` such a share is the actor's own import dependence ("80 % of the rare earths
    the United States consume are imported"); with any other stage it is the actor's share of the
    world's output of that stage.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", group="MarketShare",
    ...            facts=[{"property": "stage", "value": "refining"}, {"property": "percent", "value": "90"}])
    >>> _ = G.add_edge("s", "China", key="actor"); _ = G.add_edge("s", "REE", key="mineral")
    >>> world_shares(G)
    [{'actor': 'China', 'fact': 's', 'minerals': ['REE'], 'stage': 'refining', 'share': 90.0}]
    """
    rows = []
    for fact, data in G.nodes(data=True):
        if data.get("group") != "MarketShare" or related(G, fact, "consumer") or related(G, fact, "scope"):
            continue
        values = fact_values(G, fact)
        for actor in related(G, fact, "actor"):
            rows.append(
                {
                    "actor": actor,
                    "fact": fact,
                    "minerals": related(G, fact, "mineral"),
                    "stage": values.get("stage"),
                    "share": _percent(values.get("percent")),
                }
            )
    rows.sort(key=lambda row: (str(row["fact"]), str(row["actor"])))
    return rows


def _stage_matches(stage: str | None, wanted: str | None) -> bool:
    """A link of unstated stage, or of imports (which span stages), matches every stage."""
    return wanted is None or stage is None or stage == IMPORTS or stage == wanted


def supply_graph(G: nx.MultiDiGraph, mineral: Any = None, stage: str | None = None) -> nx.MultiDiGraph:
    """The supply graph: ``supplier → consumer`` edges from :func:`supply_links`, weighted by share
    where a share is stated.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`project`; it is not modified.
    mineral : node, optional
        Keep the links about this mineral or a narrower one (links stating no mineral are left out).
    stage : str, optional
        Keep the links of this stage, of an unstated stage, or of imports (a share of imports covers
        whatever stage is imported).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are the suppliers and consumers of the links kept, plus the actors with a world share
        or an import dependence of the mineral (:func:`world_shares`), each with ``label_en``,
        ``label_fr``, ``group``, ``cls``, ``world_shares`` and ``import_dependence`` (lists of
        ``{"fact", "stage", "share", "minerals"}``). Edges are keyed by fact IRI and carry ``fact``,
        ``kind``, ``minerals``, ``stage``, ``share`` and, when a share is stated, ``weight`` (the share
        as a fraction). ``H.graph`` holds ``mineral`` and ``stage``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", group="MarketShare", cls="MarketShare",
    ...            facts=[{"property": "stage", "value": "imports"}, {"property": "percent", "value": "50"}])
    >>> for u, v, key in [("s", "China", "actor"), ("s", "USA", "consumer"), ("s", "REE", "mineral")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> G.add_node("mine", group="Project", cls="Mine", facts=[])
    >>> _ = G.add_edge("mine", "USA", key="participant"); _ = G.add_edge("mine", "Li", key="mineral")
    >>> H = supply_graph(G, mineral="REE")
    >>> list(H.edges(keys=True, data="weight"))
    [('China', 'USA', 's', 0.5)]
    >>> sorted(supply_graph(G).edges())
    [('China', 'USA'), ('mine', 'USA')]
    """
    return _supply_graph(G, supply_links(G), world_shares(G), mineral, stage)


def _supply_graph(
    G: nx.MultiDiGraph, links: list[dict[str, Any]], shares: list[dict[str, Any]], mineral: Any, stage: str | None
) -> nx.MultiDiGraph:
    """:func:`supply_graph` from links and world shares read once."""
    family = narrower_minerals(G, mineral) if mineral is not None else None

    def about(minerals: list[Any]) -> bool:
        return family is None or bool(family.intersection(minerals))

    H = nx.MultiDiGraph(mineral=mineral, stage=stage)

    def add(node: Any) -> None:
        if node not in H:
            data = G.nodes[node]
            H.add_node(
                node,
                label_en=data.get("label_en"),
                label_fr=data.get("label_fr"),
                group=data.get("group"),
                cls=data.get("cls"),
                world_shares=[],
                import_dependence=[],
            )

    for row in shares:
        if not about(row["minerals"]) or (stage is not None and row["stage"] not in (stage, IMPORTS)):
            continue
        add(row["actor"])
        entry = {"fact": row["fact"], "stage": row["stage"], "share": row["share"], "minerals": row["minerals"]}
        H.nodes[row["actor"]]["import_dependence" if row["stage"] == IMPORTS else "world_shares"].append(entry)
    for link in links:
        if not about(link["minerals"]) or not _stage_matches(link["stage"], stage):
            continue
        add(link["supplier"])
        add(link["consumer"])
        attrs = {k: link[k] for k in ("fact", "kind", "minerals", "stage", "share")}
        if link["share"] is not None:
            attrs["weight"] = link["share"] / 100
        H.add_edge(link["supplier"], link["consumer"], key=link["fact"], **attrs)
    return H


def supply_graphs(G: nx.MultiDiGraph) -> dict[Any, nx.MultiDiGraph]:
    """One :func:`supply_graph` per mineral that a supply link or a market share states, by IRI.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", group="Measure", cls="ExportControl", facts=[])
    >>> for u, v, key in [("t", "China", "imposer"), ("t", "USA", "target"), ("t", "Ga", "mineral"),
    ...                   ("t", "Ge", "mineral")]:
    ...     _ = G.add_edge(u, v, key=key)
    >>> {m: list(H.edges()) for m, H in supply_graphs(G).items()}
    {'Ga': [('China', 'USA')], 'Ge': [('China', 'USA')]}
    """
    links, shares = supply_links(G), world_shares(G)
    minerals = {m for link in links for m in link["minerals"]} | {m for row in shares for m in row["minerals"]}
    return {m: _supply_graph(G, links, shares, m, None) for m in sorted(minerals, key=str)}


__all__ = [
    "ACTOR_GROUPS",
    "FACT_GROUPS",
    "GROUPS",
    "GROUP_OF_CLASS",
    "IMPORTS",
    "MEASURES",
    "PROJECT_STAGE",
    "SUPPLY_PROJECT_CLASSES",
    "betweenness_centrality",
    "broader_minerals",
    "centrality_table",
    "coagreement_graph",
    "degree_centrality",
    "fact_values",
    "narrower_minerals",
    "node_label",
    "node_sizes",
    "project",
    "related",
    "supply_graph",
    "supply_graphs",
    "supply_links",
    "world_shares",
]
