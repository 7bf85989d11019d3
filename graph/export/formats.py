"""Standard file formats of a build: deterministic TriG, and JSON written atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import XMLNS, NamespaceManager


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 through a temporary file in the same folder, then rename it. The
    text is encoded at once and written as bytes, line breaks as they are: a text stream took three times
    as long over the 45 MB of a ``graph.trig`` of 2,000 documents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(data: object, path: Path) -> None:
    """Write JSON with sorted keys and a final newline, atomically."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def trig_prefixes(ds: Dataset) -> list[str]:
    """The ``@prefix`` lines of a dataset's TriG, sorted."""
    nm: NamespaceManager = ds.namespace_manager
    return [f"@prefix {p}: <{ns}> ." for p, ns in sorted((p, str(ns)) for p, ns in nm.namespaces() if p)]


_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_]+")
_NOT_IN_IRI = '<>" {}|\\^`'


def prefixed_names(nm: NamespaceManager) -> Callable[[URIRef], str | None]:
    """A function that gives the text ``prefix:local`` that ``iri.n3(nm)`` gives, without its work, for an IRI
    made of a bound namespace ending in ``/`` or ``#`` and a local name of ASCII letters, digits and ``_``
    (the claims' IRIs, ``claim:`` and sixteen hexadecimal digits: 48,649 of the 55,008 IRIs of a build of 2,000
    documents, and half the time of its TriG in ``n3``); None for any other IRI, which ``n3`` writes.

    For such an IRI rdflib's ``split_uri`` stops at the namespace's last character (the only one that is not
    part of a name) and its namespace manager writes the prefix bound to it, unless a longer bound namespace
    starts with it; such namespaces, and those that are not valid IRIs or begin with the XML namespace (split
    otherwise), are left to ``n3``.

    >>> ds = Dataset()
    >>> ds.bind("claim", "https://w3id.org/cmkg/claim/")
    >>> name = prefixed_names(ds.namespace_manager)
    >>> name(URIRef("https://w3id.org/cmkg/claim/0a1b")), URIRef("https://w3id.org/cmkg/claim/0a1b").n3(ds.namespace_manager)
    ('claim:0a1b', 'claim:0a1b')
    >>> name(URIRef("https://w3id.org/cmkg/claim/a-b")) is None
    True
    """
    bound = {str(ns): prefix for prefix, ns in nm.namespaces() if prefix}
    plain = {
        ns: f"{nm.store.prefix(URIRef(ns))}:"
        for ns in bound
        if ns[-1:] in ("/", "#")
        and not ns.startswith(XMLNS)
        and not any(c in ns for c in _NOT_IN_IRI)
        and not any(other != ns and other.startswith(ns) for other in bound)
        and nm.store.prefix(URIRef(ns))
    }
    split = _PLAIN_LOCAL.fullmatch

    def name(iri: URIRef) -> str | None:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = plain.get(iri[:cut])
        if prefix is None or not split(iri, cut):
            return None
        return prefix + iri[cut:]

    return name


def trig_lines(ds: Dataset, names: set[str] | None = None) -> dict[str, tuple[str, dict[str, tuple]]]:
    """Each non-empty graph of a dataset (of those named ``names``, if given) as TriG, by graph IRI: its
    header line (``name {``) and its triple lines, each with the triple it writes, in the dataset's order.
    A triple is one string (``    s p o .``); a literal with a line break makes it span lines.
    """
    nm: NamespaceManager = ds.namespace_manager
    written: dict = {}  # term → its TriG text: the same IRIs recur in thousands of triples
    known = written.get
    prefixed = prefixed_names(nm)

    def text(term) -> str:
        found = prefixed(term) if type(term) is URIRef else None
        found = written[term] = found if found is not None else term.n3(nm)
        return found

    blocks = {}
    for g in ds.graphs():
        if not len(g) or (names is not None and str(g.identifier) not in names):
            continue
        name = g.identifier
        header = (
            "{"
            if not isinstance(name, URIRef) or str(name) == "urn:x-rdflib:default"
            else f"{known(name) or text(name)} {{"
        )
        body = {}
        for triple in g:  # the look-ups written out: this loop runs once per quad of the build
            s, p, o = triple
            s_text, p_text, o_text = known(s), known(p), known(o)
            if s_text is None:
                s_text = text(s)
            if p_text is None:
                p_text = text(p)
            if o_text is None:
                o_text = text(o)
            body[f"    {s_text} {p_text} {o_text} ."] = triple
        blocks[str(name)] = (header, body)
    return blocks


def sorted_blocks(lines: dict[str, tuple[str, dict[str, tuple]]]) -> dict[str, tuple[str, list[str]]]:
    """The blocks of :func:`trig_lines` with their triple lines sorted, as :func:`join_trig` writes them."""
    return {name: (header, sorted(body)) for name, (header, body) in lines.items()}


def trig_blocks(ds: Dataset, names: set[str] | None = None) -> dict[str, tuple[str, list[str]]]:
    """Each non-empty graph of a dataset (of those named ``names``, if given) as TriG, by graph IRI: its
    header line (``name {``) and its triple lines, sorted (:func:`trig_lines`)."""
    return sorted_blocks(trig_lines(ds, names))


def join_trig(prefixes: list[str], blocks: dict[str, tuple[str, list[str]]]) -> str:
    """The TriG text of :func:`trig_prefixes` and :func:`trig_blocks`, graphs sorted by IRI."""
    lines = list(prefixes)
    for _, (header, body) in sorted(blocks.items()):
        lines += ["", header, *body, "}"]
    return "\n".join(lines) + "\n"


def read_trig_blocks(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The prefix lines and the graphs (header line → triple strings) of a TriG text that :func:`join_trig`
    wrote. A line that does not open with four spaces continues the triple before it (a literal with a line
    break); text written otherwise is split wrongly, which the caller detects when the pieces do not parse.

    >>> read_trig_blocks("@prefix ex: <http://example.org/> .\\n\\nex:g {\\n    ex:s ex:p 'a\\nb' .\\n}\\n")
    (['@prefix ex: <http://example.org/> .'], {'ex:g {': ["    ex:s ex:p 'a\\nb' ."]})
    """
    prefixes: list[str] = []
    blocks: dict[str, list[str]] = {}
    body: list[str] | None = None
    for line in text.split("\n"):
        if body is None:
            if line.startswith("@prefix "):
                prefixes.append(line)
            elif line.endswith("{"):
                body = blocks.setdefault(line, [])
        elif line == "}":
            body = None
        elif line.startswith("    ") or not body:
            body.append(line)
        else:
            body[-1] += "\n" + line
    return prefixes, blocks


def trig_text(ds: Dataset) -> str:
    """Serialise a dataset as TriG with graphs and triples sorted, so equal datasets give equal bytes.

    >>> from rdflib import Literal
    >>> ds = Dataset()
    >>> _ = ds.graph(URIRef("http://example.org/g")).add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("o")))
    >>> print(trig_text(ds).strip().splitlines()[-1])
    }
    """
    return join_trig(trig_prefixes(ds), trig_blocks(ds))


def write_trig(ds: Dataset, path: Path) -> None:
    """Write the dataset as sorted TriG, atomically."""
    atomic_write_text(path, trig_text(ds))


def graph_of(ds: Dataset, name: str) -> Graph:
    """The named graph ``name`` of a dataset."""
    return ds.graph(URIRef(name))


GRAPH_FORMATS = ("gexf", "graphml")
RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


def flat_graph(G, scores: dict[str, dict[str, float]] | None = None):
    """A copy of the projected graph whose attributes are all scalars, as GEXF and GraphML require.

    Nodes keep ``label`` (English), ``label_fr``, ``class``, ``group``, ``wikidata``, the number of
    documents and of evidence sentences, and every score given in ``scores`` (node → measure → value);
    edges keep ``relation``, ``evidence_count`` and their claim IRIs joined by spaces.
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        attrs = {
            "label": data.get("label_en") or str(node).rsplit("/", 1)[-1],
            "label_fr": data.get("label_fr") or "",
            "class": data.get("cls") or "",
            "group": data.get("group") or "",
            "wikidata": data.get("wikidata") or "",
            "documents": len(data.get("documents") or []),
            "evidence": len(data.get("evidence") or []),
        }
        attrs.update({k: float(v) for k, v in (scores or {}).get(node, {}).items()})
        flat.add_node(str(node), **attrs)
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        flat.add_edge(
            str(u),
            str(v),
            key=str(key),
            relation=data.get("relation") or str(key),
            evidence_count=int(data.get("evidence_count") or 0),
            claims=" ".join(sorted(data.get("claims") or [])),
        )
    return flat


def write_graph_file(G, path: Path, fmt: str, scores: dict[str, dict[str, float]] | None = None) -> None:
    """Write the projected graph as GEXF (Gephi) or GraphML, atomically."""
    import networkx as nx

    flat = flat_graph(G, scores)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if fmt == "gexf":
            nx.write_gexf(flat, tmp)
        elif fmt == "graphml":
            nx.write_graphml(flat, tmp)
        else:
            raise ValueError(f"unknown graph format {fmt!r}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_node_edge_tables(G, folder: Path, scores: dict[str, dict[str, float]] | None = None) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` for spreadsheets; returns their paths."""
    import csv
    import io

    flat = flat_graph(G, scores)
    measures = sorted({k for attrs in (scores or {}).values() for k in attrs})
    node_columns = ["id", "label", "label_fr", "class", "group", "wikidata", "documents", "evidence", *measures]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=node_columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for node, data in flat.nodes(data=True):
        writer.writerow({"id": node, **data})
    nodes_path = folder / "nodes.csv"
    atomic_write_text(nodes_path, buffer.getvalue())
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=["source", "target", "relation", "evidence_count", "claims"], lineterminator="\n"
    )
    writer.writeheader()
    for u, v, data in flat.edges(data=True):
        writer.writerow({"source": u, "target": v, **data})
    edges_path = folder / "edges.csv"
    atomic_write_text(edges_path, buffer.getvalue())
    return nodes_path, edges_path


def write_rdf(ds: Dataset, path: Path, fmt: str) -> None:
    """Write the dataset in a standard RDF syntax: TriG, N-Quads and JSON-LD keep the named graphs;
    Turtle and N-Triples hold the union of all graphs (what a plain query sees)."""
    if fmt == "trig":
        write_trig(ds, path)
        return
    if fmt in ("ttl", "nt"):
        union = Graph()
        for prefix, ns in ds.namespace_manager.namespaces():
            union.bind(prefix, ns)
        for g in ds.graphs():
            for triple in g:
                union.add(triple)
        text = union.serialize(format=RDF_FORMATS[fmt])
        if fmt == "nt":
            text = "\n".join(sorted(line for line in text.splitlines() if line.strip())) + "\n"
        atomic_write_text(path, text)
        return
    if fmt in ("nq", "jsonld"):
        atomic_write_text(path, ds.serialize(format=RDF_FORMATS[fmt]))
        return
    raise ValueError(f"unknown RDF format {fmt!r}")
