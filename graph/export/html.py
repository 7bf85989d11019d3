"""Write the projected graph as one self-contained, offline, interactive HTML page.

The page is the project's own template (``templates/graph.html``, ``graph.js``, ``graph.css``), not pyvis's: pyvis 0.3.2's template loads Bootstrap
from a CDN even with ``cdn_resources="in_line"``, escapes nothing in its select menus and switches
every tooltip to ``innerHTML`` as soon as one title contains "href". pyvis builds the network (nodes,
edges and vis-network options) and ships the vis-network and tom-select builds that the page inlines.

Safety: everything that comes from a document (labels, quotes, titles, URLs) reaches the page only as
escaped JSON inside ``<script type="application/json">`` blocks, which browsers never run; the page's
script shows it with ``textContent`` (vis-network 9 shows string tooltips as text; a fact's line,
rendered here by :func:`graph.analysis.wording.fact_line`, is data like the rest), links only
``http(s)`` URLs, and a Content-Security-Policy lets run only the page's three scripts (by hash) and
load nothing from anywhere.

Speed: positions are computed here with networkx and physics is off, so the page is still and usable
as soon as vis-network has drawn it, whatever the size of the graph.

The page exposes, for tests and for the curious: ``window.network`` (the vis-network instance),
``window.cmkgStats`` (``{nodes, edges}`` drawn at load), ``window.cmkgShow(id)`` (show a node or an
edge in the panel) and ``window.cmkg`` (``search(text)``, ``filter({classes, mineral, country})``,
``visible()``, ``highlight(id)``; ``filter({mentioned: true})`` shows the entities only mentioned, which
the page hides at first), and sets ``window.cmkgReady`` once the network is drawn.

Links to pages: given ``pages`` (``{node: relative URL}``, as the static site of :mod:`graph.export.site`
passes them), the panel of a node links to its page, and a double click on the node opens it. Such a
URL must be a relative path to an ``.html`` file (:func:`_page_url`); the page's script checks it again
before setting it as the link's ``href`` property. Without ``pages`` (``cmkg export html``, ``cmkg
build``) the data holds no URL and the panel no such link.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import math
import random
import re
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx
import numpy as np

from graph.analysis.subsets import mentioned_only
from graph.analysis.wording import default_words, fact_line, fact_view
from graph.errors import CmkgError
from graph.export.formats import atomic_write_text

log = logging.getLogger(__name__)

#: Colour, vis-network shape and legend symbol of every node group, in legend order.
PALETTE: dict[str, tuple[str, str, str]] = {
    "State": ("#1f77b4", "dot", "\u25cf"),
    "InternationalOrganization": ("#17becf", "dot", "\u25cf"),
    "GovernmentBody": ("#9467bd", "dot", "\u25cf"),
    "Company": ("#ff7f0e", "dot", "\u25cf"),
    "Person": ("#e377c2", "triangleDown", "\u25bc"),
    "Mineral": ("#2ca02c", "hexagon", "\u2b22"),
    "Place": ("#8c564b", "dot", "\u25cf"),
    "Agreement": ("#d62728", "diamond", "\u25c6"),
    "Project": ("#bcbd22", "square", "\u25a0"),
    "Measure": ("#7f7f7f", "triangle", "\u25b2"),
    "MarketShare": ("#393b79", "star", "\u2605"),
}
_OTHER = ("#b0b0b0", "dot", "\u25cf")

#: Colour and English / French name of every relation (edge key), in legend order.
RELATIONS: dict[str, tuple[str, str, str]] = {
    "party": ("#d62728", "party", "partie"),
    "participant": ("#a6a614", "participant", "participant"),
    "imposer": ("#555555", "imposed by", "imposée par"),
    "target": ("#e6550d", "target", "cible"),
    "actor": ("#393b79", "supplier", "fournisseur"),
    "consumer": ("#6b6ecf", "consumer", "consommateur"),
    "mineral": ("#2ca02c", "mineral", "minerai"),
    "location": ("#8c564b", "location", "lieu"),
    "affiliatedWith": ("#e377c2", "affiliated with", "rattaché à"),
    "role": ("#e377c2", "role", "rôle"),
}
_OTHER_RELATION = "#9a9a9a"

#: Readable names of the node facts (literal properties) the panel shows, by language.
PROPERTY_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "altLabel": "also called",
        "demonym": "demonym",
        "isoCode": "ISO code",
        "chemicalSymbol": "symbol",
        "agreementKind": "kind",
        "status": "status",
        "date": "date",
        "percent": "percent",
        "stage": "stage",
        "qualifier": "qualifier",
        "year": "year",
        "amount": "amount",
        "role": "role",
    },
    "fr": {
        "altLabel": "autres noms",
        "demonym": "gentilé",
        "isoCode": "code ISO",
        "chemicalSymbol": "symbole",
        "agreementKind": "type",
        "status": "statut",
        "date": "date",
        "percent": "pourcentage",
        "stage": "étape",
        "qualifier": "précision",
        "year": "année",
        "amount": "montant",
        "role": "fonction",
    },
}
_HIDDEN_PROPERTIES = frozenset({"ambiguousLabel", "candidate"})

#: Interface strings of the page, by language.
UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "howto": "How to read this: each shape is an actor, a mineral or a fact (agreement, project, measure, "
        "market share) read from the documents; each line is a relation that at least one sentence "
        "states. Bigger means more central. Click a node or a line to read its sentences and sources; "
        "zoom in to see the facts' names.",
        "hint": "Click a node or a line to see its facts and the sentences that support it.",
        "documents": "documents",
        "upto": "newest",
        "nodes": "nodes",
        "edges": "relations",
        "search": "Search a name…",
        "mineral": "Any mineral",
        "country": "Any country",
        "reset": "Reset",
        "all": "all",
        "none": "none",
        "classes": "Classes",
        "relations": "Relations",
        "noresults": "No match",
        "facts": "Facts",
        "evidence": "Sentences",
        "connections": "Relations",
        "mentioned": "Mentioned in",
        "sources": "Sources",
        "method": "method",
        "confidence": "confidence",
        "source": "source",
        "nosentence": "No sentence states this node directly; its relations below carry the sentences.",
        "subset_focus": "around {name}, {depth} step(s)",
        "subset_mineral": "facts about {name}",
        "subset_as_of": "as known on {date}",
        "subset_min_degree": "nodes with at least {k} neighbours",
        "untitled": "untitled:",
        "mentioned_only": "{n} entities only mentioned",
        "mentioned_only_one": "{n} entity only mentioned",
        "mentioned_shown": "shown",
        "mentioned_shown_one": "shown",
        "mentioned_hidden": "hidden",
        "mentioned_hidden_one": "hidden",
        "mentioned_show": "show",
        "mentioned_hide": "hide",
        "open_page": "Open its page",
        "State": "State",
        "InternationalOrganization": "International organisation",
        "GovernmentBody": "Government body",
        "Company": "Company",
        "Person": "Person",
        "Mineral": "Mineral",
        "Place": "Place",
        "Agreement": "Agreement",
        "Project": "Project",
        "Measure": "Measure",
        "MarketShare": "Market share",
    },
    "fr": {
        "howto": "Comment lire : chaque forme est un acteur, un minerai ou un fait (accord, projet, mesure, part "
        "de marché) lu dans les documents ; chaque trait est une relation qu'au moins une phrase énonce. "
        "Plus gros veut dire plus central. Cliquez sur un nœud ou un trait pour lire ses phrases et ses "
        "sources ; zoomez pour voir le nom des faits.",
        "hint": "Cliquez sur un nœud ou un trait pour voir ses faits et les phrases qui l'attestent.",
        "documents": "documents",
        "upto": "le plus récent",
        "nodes": "nœuds",
        "edges": "relations",
        "search": "Chercher un nom…",
        "mineral": "Tous les minerais",
        "country": "Tous les pays",
        "reset": "Réinitialiser",
        "all": "tout",
        "none": "rien",
        "classes": "Classes",
        "relations": "Relations",
        "noresults": "Aucun résultat",
        "facts": "Faits",
        "evidence": "Phrases",
        "connections": "Relations",
        "mentioned": "Cité dans",
        "sources": "Sources",
        "method": "méthode",
        "confidence": "confiance",
        "source": "source",
        "nosentence": "Aucune phrase ne porte directement sur ce nœud ; ses relations ci-dessous portent les phrases.",
        "subset_focus": "autour de {name}, {depth} pas",
        "subset_mineral": "faits concernant {name}",
        "subset_as_of": "tel que connu le {date}",
        "subset_min_degree": "nœuds d'au moins {k} voisins",
        "untitled": "sans titre :",
        "mentioned_only": "{n} entités seulement citées",
        "mentioned_only_one": "{n} entité seulement citée",
        "mentioned_shown": "affichées",
        "mentioned_shown_one": "affichée",
        "mentioned_hidden": "masquées",
        "mentioned_hidden_one": "masquée",
        "mentioned_show": "afficher",
        "mentioned_hide": "masquer",
        "open_page": "Ouvrir sa page",
        "State": "État",
        "InternationalOrganization": "Organisation internationale",
        "GovernmentBody": "Organisme public",
        "Company": "Entreprise",
        "Person": "Personne",
        "Mineral": "Minerai",
        "Place": "Lieu",
        "Agreement": "Accord",
        "Project": "Projet",
        "Measure": "Mesure",
        "MarketShare": "Part de marché",
    },
}

_FACT_GROUPS = frozenset({"Agreement", "Project", "Measure", "MarketShare"})
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>\\]+$", re.IGNORECASE)
_PAGE_URL = re.compile(r"^(?:\.\./)*(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\.html$")  # as graph.js's PAGE_URL
_LABEL_MAX = 40
_SPACING = 120.0  # canvas units along a typical edge
_ROW = 60.0  # canvas units from one row of unconnected nodes to the next (a node and its label)
_CHAR = 13.5  # canvas units of one character of a 24 px label (an average, system-ui)
_LABEL_HEIGHT = 30.0  # canvas units of a line of 24 px label
_ASPECT = 1.5  # width / height of the drawing, as in a landscape window beside the panel
_MAX_SCALE = 0.7  # the default zoom never shows a 24 px label larger than 17 px
_FORCE_ATLAS = 250  # components up to this size get ForceAtlas2 (its cost grows with the square of the size)
_EXACT_LAYOUT = 500  # then a full spring layout (networkx switches to a slow sparse solver above 500)
_LAYOUT_CORE = 400  # larger components: spring layout of this many hubs, the rest placed around them
_LARGE = 2000  # graphs above this many nodes drop hover effects and hide edges while dragging
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_PYVIS_LIB = ("templates", "lib")
_LIBRARIES = ("vis-9.1.2/vis-network.min.js", "tom-select/tom-select.complete.min.js")
_STYLES = ("vis-9.1.2/vis-network.css", "tom-select/tom-select.css")


def _template(name: str) -> str:
    """Text of one of the page's package data files (``graph/export/templates/``): its style and script."""
    return resources.files("graph.export").joinpath("templates", name).read_text(encoding="utf-8")


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that cannot end or confuse the ``<script>`` element holding it.

    >>> json_for_script({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def safe_url(url: Any) -> str | None:
    """``url`` if it is a plain http(s) URL, else None.

    >>> safe_url("https://example.org/a?b=1"), safe_url("javascript:alert(1)"), safe_url("http://x\\"><b>")
    ('https://example.org/a?b=1', None, None)
    """
    return url if isinstance(url, str) and _SAFE_URL.match(url) else None


def _page_url(url: Any) -> str:
    """``url`` if it is a relative path to an ``.html`` page (no scheme, no query, no dot segment but
    leading ``../``).

    >>> _page_url("entity/china.html"), _page_url("../agreement/ab12.html")
    ('entity/china.html', '../agreement/ab12.html')
    >>> _page_url("javascript:alert(1)//.html")
    Traceback (most recent call last):
    ...
    graph.errors.CmkgError: not a relative page URL: 'javascript:alert(1)//.html'
    """
    if not isinstance(url, str) or not _PAGE_URL.match(url):
        raise CmkgError(f"not a relative page URL: {url!r}")
    return url


def _label(data: dict[str, Any], node: Any, lang: str) -> str:
    return str(data.get(f"label_{lang}") or data.get("label_en") or data.get("label_fr") or node)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "\u2026"


def _document_record(document: Any, meta: dict[str, Any]) -> dict[str, Any]:
    """A document as the page lists it: id, title (or, untitled, its first line), publisher, date, safe URL.

    >>> _document_record("https://w3id.org/cmkg/doc/003", {"title": None, "first_line": "Contexte"})["firstLine"]
    'Contexte'
    >>> _document_record("d/1", {"title": "T", "first_line": "ignored", "url": "javascript:x"})
    {'id': '1', 'title': 'T', 'firstLine': None, 'publisher': None, 'date': None, 'url': None}
    """
    title = meta.get("title")
    return {
        "id": str(document).rsplit("/", 1)[-1],
        "title": title,
        "firstLine": None if title else meta.get("first_line"),
        "publisher": meta.get("publisher"),
        "date": meta.get("date"),
        "url": safe_url(meta.get("url")),
    }


class _Sources:
    """The documents and claims a graph cites, each written once: evidence refers to claims by number,
    claims to documents by number. A document's fields come from ``G.graph["documents"]`` (see
    :func:`graph.analysis.projection.project`), else from the evidence that cites it."""

    def __init__(self, G: nx.Graph) -> None:
        known: dict[Any, dict[str, Any]] = G.graph.get("documents") or {}
        fields: dict[str, dict[str, Any]] = {}
        entries = [e for _, d in G.nodes(data=True) for e in d.get("evidence", ())]
        entries += [e for _, _, d in G.edges(data=True) for e in d.get("evidence", ())]
        for entry in entries:
            document = entry.get("document")
            if document and document not in fields:
                fields[document] = _document_record(document, known.get(document, entry))
        for _, data in G.nodes(data=True):
            for document in data.get("documents", ()):
                if document not in fields:
                    fields[document] = _document_record(document, known.get(document, {}))
        order = sorted(fields, key=lambda d: (str(fields[d]["date"] or ""), str(fields[d]["title"] or ""), str(d)))
        self.documents = [fields[d] for d in order]
        self.number = {d: i for i, d in enumerate(order)}
        self.claims: list[dict[str, Any]] = []
        self._claim_number: dict[Any, int] = {}

    def newest(self) -> str | None:
        dates = [str(r["date"]) for r in self.documents if r["date"]]
        return max(dates) if dates else None

    def evidence(self, entries: list[dict[str, Any]]) -> list[int]:
        """The numbers of the claims of ``entries``, each claim (quote, document, method, confidence)
        numbered at its first appearance."""
        numbers = []
        for entry in entries:
            confidence = entry.get("confidence")
            claim = {
                "quote": entry.get("quote"),
                "doc": self.number.get(entry.get("document")),
                "method": entry.get("method"),
                "confidence": float(confidence) if isinstance(confidence, (int, float)) else None,
            }
            key = entry.get("claim") or json.dumps(claim, sort_keys=True)
            if key not in self._claim_number:
                self._claim_number[key] = len(self.claims)
                self.claims.append(claim)
            numbers.append(self._claim_number[key])
        return numbers


def _fact_rows(facts: list[dict[str, Any]], lang: str) -> list[list[str]]:
    """One ``[property, values]`` row per shown property, distinct values joined in their given order.

    >>> _fact_rows([{"property": "altLabel", "value": v} for v in ("PRC", "RPC", "PRC")], "en")
    [['also called', 'PRC; RPC']]
    """
    rows: dict[str, list[str]] = {}
    for fact in facts:
        name = str(fact.get("property"))
        if name in _HIDDEN_PROPERTIES:
            continue
        values = rows.setdefault(PROPERTY_NAMES[lang].get(name, name), [])
        if str(fact.get("value")) not in values:
            values.append(str(fact.get("value")))
    return [[name, "; ".join(values)] for name, values in rows.items()]


def _names(data: dict[str, Any], node: Any) -> list[str]:
    """Every name search should find a node by: labels in both languages and aliases."""
    names = [data.get("label_en"), data.get("label_fr")]
    names += [f.get("value") for f in data.get("facts", ()) if f.get("property") == "altLabel"]
    seen: list[str] = []
    for name in names:
        if name and str(name) not in seen:
            seen.append(str(name))
    return seen or [str(node).rsplit("/", 1)[-1]]


def _simple(G: nx.Graph, nodes: Any = None) -> nx.Graph:
    """A new simple undirected graph of ``G`` (on ``nodes`` only, if given), nodes and edges in IRI order.

    Layouts depend on the order of nodes, and networkx's subgraph views iterate small node sets in
    set order, which changes from one Python process to the next: this order never does.
    """
    view = G if nodes is None else G.subgraph(nodes)
    H = nx.Graph()
    H.add_nodes_from(sorted(view, key=str))
    pairs = {tuple(sorted((u, v), key=str)) for u, v in view.edges() if u != v}
    H.add_edges_from(sorted(pairs, key=lambda e: (str(e[0]), str(e[1]))))
    return H


def _component_layout(H: nx.Graph, boxes: dict[Any, tuple[float, float, float]]) -> dict[Any, tuple[float, float]]:
    """Positions of one connected component, its typical edge ``_SPACING`` long, centred on (0, 0).

    ForceAtlas2 with hubs dissuaded (hubs go to the edge of their cluster, so the facts around a
    much-cited state spread out), then labels pushed apart (:func:`_declutter`), up to
    ``_FORCE_ATLAS`` nodes; a spring layout up to ``_EXACT_LAYOUT``; then :func:`_large_layout`.
    All seeded. ``boxes`` are the nodes' ``(width, height, radius)`` with their labels.
    """
    n = H.number_of_nodes()
    if n == 1:
        return {next(iter(H)): (0.0, 0.0)}
    if n <= _FORCE_ATLAS:
        raw = nx.forceatlas2_layout(H, seed=42, max_iter=300, distributed_action=True)
        positions = {node: (float(x), float(y)) for node, (x, y) in raw.items()}
    elif n <= _EXACT_LAYOUT:
        raw = nx.spring_layout(H, seed=42, iterations=60)
        positions = {node: (float(x), float(y)) for node, (x, y) in raw.items()}
    else:
        positions = _large_layout(H)
    lengths = sorted(math.dist(positions[u], positions[v]) for u, v in H.edges())
    factor = _SPACING / (lengths[len(lengths) // 2] or 1.0)
    cx = sum(x for x, _ in positions.values()) / n
    cy = sum(y for _, y in positions.values()) / n
    if n > _EXACT_LAYOUT:
        # A big component's edges run long across it: give each node its share of room instead.
        spread = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in positions.values()) / n) or 1.0
        factor = _SPACING * math.sqrt(n) / 3 / spread
    # Turn the component so that its longer axis is horizontal, like the screen.
    sxx = sum((x - cx) ** 2 for x, _ in positions.values())
    syy = sum((y - cy) ** 2 for _, y in positions.values())
    sxy = sum((x - cx) * (y - cy) for x, y in positions.values())
    angle = -0.5 * math.atan2(2 * sxy, sxx - syy)
    cos, sin = math.cos(angle) * factor, math.sin(angle) * factor
    turned = {
        node: ((x - cx) * cos - (y - cy) * sin, (x - cx) * sin + (y - cy) * cos) for node, (x, y) in positions.items()
    }
    return _declutter(turned, boxes) if n <= _FORCE_ATLAS else turned


def _declutter(
    positions: dict[Any, tuple[float, float]], boxes: dict[Any, tuple[float, float, float]]
) -> dict[Any, tuple[float, float]]:
    """Move nodes apart until no two of their boxes overlap (or 200 rounds).

    ``boxes`` gives each node's ``(width, height, radius)``: its shape with its label below it. Each
    round pushes every overlapping pair apart by half their overlap, along the axis where they
    overlap less (so labels side by side move sideways, labels one above the other move up and down).
    """
    nodes = sorted(positions, key=str)
    xy = np.array([positions[node] for node in nodes], dtype=float)
    half_w = np.array([boxes[node][0] / 2 for node in nodes])
    half_h = np.array([boxes[node][1] / 2 for node in nodes])
    # A box hangs below its node: its centre is half its height minus the shape's radius lower.
    drop = np.array([boxes[node][1] / 2 - boxes[node][2] for node in nodes])
    order = np.arange(len(nodes))
    tie = np.sign(order[:, None] - order[None, :]).astype(float)
    for _ in range(200):
        cy = xy[:, 1] + drop
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = cy[:, None] - cy[None, :]
        ox = half_w[:, None] + half_w[None, :] - np.abs(dx)
        oy = half_h[:, None] + half_h[None, :] - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        xy[:, 0] += 0.5 * np.where(hit & (ox <= oy), sx * ox, 0.0).max(axis=1, initial=0.0)
        xy[:, 0] += 0.5 * np.where(hit & (ox <= oy), sx * ox, 0.0).min(axis=1, initial=0.0)
        xy[:, 1] += 0.5 * np.where(hit & (ox > oy), sy * oy, 0.0).max(axis=1, initial=0.0)
        xy[:, 1] += 0.5 * np.where(hit & (ox > oy), sy * oy, 0.0).min(axis=1, initial=0.0)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, xy)}


def _large_layout(H: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Seeded positions for a big component, cheap enough for tens of thousands of nodes.

    The ``_LAYOUT_CORE`` best-connected nodes get a spring layout; every other node is placed, layer
    by layer outwards, at the centroid of its placed neighbours plus a seeded jitter.
    """
    order = sorted(H, key=lambda n: (-H.degree(n), str(n)))
    core = sorted(order[:_LAYOUT_CORE], key=str)
    scale = math.sqrt(H.number_of_nodes())
    raw = nx.spring_layout(_simple(H, core), seed=42, scale=scale, iterations=100)
    positions = {node: (float(x), float(y)) for node, (x, y) in raw.items()}
    rng = random.Random(42)
    frontier = sorted({m for n in core for m in H[n] if m not in positions}, key=str)
    while frontier:
        for node in frontier:
            placed = [positions[m] for m in H[node] if m in positions]
            angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(0.2, 0.6)
            positions[node] = (
                sum(x for x, _ in placed) / len(placed) + radius * math.cos(angle),
                sum(y for _, y in placed) / len(placed) + radius * math.sin(angle),
            )
        frontier = sorted({m for n in frontier for m in H[n] if m not in positions}, key=str)
    return positions


def _layout(
    G: nx.Graph,
    order: dict[Any, tuple],
    boxes: dict[Any, tuple[float, float, float]],
    apart: frozenset[Any] = frozenset(),
) -> dict[Any, tuple[float, float]]:
    """Positions in vis-network canvas units: each component laid out alone, then packed.

    The largest component goes top left. The smaller components (largest first), then the nodes
    without any relation (sorted by class and label, each as wide as its label), flow in rows like
    words in a paragraph, either to the right of it or below it, in whichever shape and width make
    the drawing largest when fitted to a landscape window (``_ASPECT``): at the default zoom, labels
    are as large as they can be. The nodes ``apart`` (the entities only mentioned, which the page
    hides at first) flow the same way in a block of their own under all that, out of its way.
    ``boxes`` are the nodes' ``(width, height, radius)`` with their labels.
    """
    positions = _packed(_simple(G, [n for n in G if n not in apart]), order, boxes)
    rest = [({node: (0.0, 0.0)}, *_box({node: (0.0, 0.0)}, boxes)) for node in sorted(apart, key=lambda n: order[n])]
    if not rest:
        return positions
    left, top, width, height = _box(positions, boxes) if positions else (0.0, 0.0, 0.0, 0.0)
    total = sum(w * h for _, _, _, w, h in rest)
    widest = max(w for _, _, _, w, _ in rest)
    flowed, _, _ = _flow(rest, max(width, widest, math.sqrt(total * _ASPECT)))
    x0, y0 = left, top + height + (_ROW if positions else 0.0)
    positions.update({node: (round(x + x0, 1), round(y + y0, 1)) for node, (x, y) in flowed.items()})
    return positions


def _packed(
    H: nx.Graph, order: dict[Any, tuple], boxes: dict[Any, tuple[float, float, float]]
) -> dict[Any, tuple[float, float]]:
    """Positions of the simple graph ``H``, packed as :func:`_layout` says."""
    components = sorted(
        (c for c in nx.connected_components(H) if len(c) > 1), key=lambda c: (-len(c), min(str(n) for n in c))
    )
    blocks = [_component_layout(_simple(H, c), boxes) for c in components]
    isolated = sorted((n for n in H if H.degree(n) == 0), key=lambda n: order[n])
    items = [(block, *_box(block, boxes)) for block in blocks]
    items += [({node: (0.0, 0.0)}, *_box({node: (0.0, 0.0)}, boxes)) for node in isolated]
    if not items:
        return {}
    main, rest = items[0], items[1:]
    main_width, main_height = main[3], main[4]
    total = sum(width * height for _, _, _, width, height in rest)
    widest = max((width for _, _, _, width, _ in rest), default=0.0)
    best: tuple[float, dict[Any, tuple[float, float]]] | None = None
    for side in ("right", "below"):
        for step in range(1, 31):
            width = max(widest, step / 10 * max(main_width, math.sqrt(total)))
            if side == "below" and width < main_width:
                continue
            flowed, flow_width, flow_height = _flow(rest, width)
            if side == "right":
                offset, extent = (main_width, 0.0), (main_width + flow_width, max(main_height, flow_height))
            else:
                offset, extent = (0.0, main_height), (max(main_width, flow_width), main_height + flow_height)
            size = max(extent[0] / _ASPECT, extent[1])
            if best is None or size < best[0] - 1e-9:
                positions = _place(main, 0.0, 0.0)
                positions.update(
                    {node: (round(x + offset[0], 1), round(y + offset[1], 1)) for node, (x, y) in flowed.items()}
                )
                best = (size, positions)
    assert best is not None
    return best[1]


def _box(
    block: dict[Any, tuple[float, float]], boxes: dict[Any, tuple[float, float, float]]
) -> tuple[float, float, float, float]:
    """Left, top, width and height of a block, labels and a margin included."""
    margin = _CHAR / 2
    left = min(x - boxes[n][0] / 2 for n, (x, _) in block.items()) - margin
    right = max(x + boxes[n][0] / 2 for n, (x, _) in block.items()) + margin
    top = min(y - boxes[n][2] for n, (_, y) in block.items()) - margin
    bottom = max(y - boxes[n][2] + boxes[n][1] for n, (_, y) in block.items()) + margin
    return left, top, right - left, bottom - top


def _place(item: tuple, x0: float, y0: float) -> dict[Any, tuple[float, float]]:
    """The nodes of a block moved so that its box starts at (x0, y0)."""
    block, left, top, _, _ = item
    return {node: (round(x - left + x0, 1), round(y - top + y0, 1)) for node, (x, y) in block.items()}


def _flow(items: list[tuple], width: float) -> tuple[dict[Any, tuple[float, float]], float, float]:
    """Place blocks left to right in rows at most ``width`` wide; return positions and extent."""
    positions: dict[Any, tuple[float, float]] = {}
    x = y = row = right = 0.0
    for item in items:
        if x > 0 and x + item[3] > width:
            x, y, row = 0.0, y + row, 0.0
        positions.update(_place(item, x, y))
        x += item[3]
        row = max(row, item[4])
        right = max(right, x)
    return positions, right, y + row


def _sizes(G: nx.Graph, size_by: dict[Any, float] | None) -> dict[Any, float]:
    """Node sizes: from ``size_by`` (square-root scaled to 10-40 px) or by kind (entities larger)."""
    if not size_by:
        return {node: 10.0 if G.nodes[node].get("group") in _FACT_GROUPS else 14.0 for node in G}
    values = [float(size_by.get(node, 0.0)) for node in G]
    low, high = min(values, default=0.0), max(values, default=0.0)
    span = (high - low) or 1.0
    return {node: round(10 + 30 * math.sqrt((float(size_by.get(node, 0.0)) - low) / span), 1) for node in G}


def _library(name: str) -> str:
    """Text of a file pyvis ships under ``templates/lib`` (vis-network, tom-select)."""
    return resources.files("pyvis").joinpath(*_PYVIS_LIB, *name.split("/")).read_text(encoding="utf-8")


def _script_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def _network(
    G: nx.Graph, lang: str, size_by: dict[Any, float] | None, sources: _Sources, pages: dict[Any, str] | None = None
) -> dict[str, Any]:
    """The page's data: pyvis's vis-network nodes, edges and options, and the panel's records; a node
    of ``pages`` carries the URL of its page (``page``), the others no such field."""
    large = G.number_of_nodes() > _LARGE
    nodes = sorted(G.nodes, key=str)
    labels = {n: _label(G.nodes[n], n, lang) for n in nodes}
    groups = list(PALETTE)
    order = {
        n: (
            groups.index(G.nodes[n].get("group")) if G.nodes[n].get("group") in groups else len(groups),
            labels[n].casefold(),
            str(n),
        )
        for n in nodes
    }
    sizes = _sizes(G, size_by)
    boxes = {}
    for n in nodes:
        shown = G.nodes[n].get("group") not in _FACT_GROUPS  # fact labels appear only when zoomed in
        width = len(_short(labels[n])) * _CHAR if shown else 0.0
        boxes[n] = (max(width, 2 * sizes[n]) + _CHAR, 2 * sizes[n] + (_LABEL_HEIGHT if shown else 0.0) + 4, sizes[n])
    apart = frozenset(mentioned_only(G))
    positions = _layout(G, order, boxes, apart)
    from pyvis.network import Network  # imported where the page is made: 0.2 s that an add's main process spares

    net = Network(height="100%", width="100%", directed=True)
    net.set_options(
        json.dumps(
            {
                "autoResize": True,
                "layout": {"improvedLayout": False},
                "physics": {"enabled": False},
                "interaction": {
                    "hover": not large,
                    "tooltipDelay": 250,
                    "hideEdgesOnDrag": large,
                    "hideEdgesOnZoom": large,
                },
                "nodes": {
                    "borderWidth": 1,
                    "font": {"face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
                    "scaling": {"label": {"drawThreshold": 9, "maxVisible": 26}},
                },
                "edges": {
                    "smooth": False,
                    "font": {
                        "face": _FONT,
                        "size": 10,
                        "align": "middle",
                        "color": "#444444",
                        "strokeWidth": 3,
                        "strokeColor": "#ffffff",
                    },
                    "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                    "scaling": {"label": {"drawThreshold": 9, "maxVisible": 18}},
                    "selectionWidth": 2,
                },
            }
        )
    )

    words = G.graph.get("words") or default_words()
    page_nodes = []
    for node in nodes:
        data = G.nodes[node]
        group = str(data.get("group") or "")
        color, shape, _ = PALETTE.get(group, _OTHER)
        x, y = positions[node]
        net.add_node(
            str(node),
            label=_short(labels[node]),
            shape=shape,
            color=color,
            size=sizes[node],
            font={"size": 12 if group in _FACT_GROUPS else 24},
            x=x,
            y=y,
            physics=False,
        )
        page_nodes.append(
            {
                **({"page": _page_url(pages[node])} if pages and node in pages else {}),
                "id": str(node),
                "label": labels[node],
                "names": _names(data, node),
                "group": group,
                "cls": str(data.get("cls") or group),
                "wikidata": data.get("wikidata"),
                "line": fact_line(fact_view(G, node, lang), lang, words) if group in _FACT_GROUPS else None,
                "facts": _fact_rows(data.get("facts", []), lang),
                "documents": sorted(sources.number[d] for d in data.get("documents", ()) if d in sources.number),
                "evidence": sources.evidence(data.get("evidence", [])),
                "onlyMentioned": node in apart,
            }
        )

    # Edges carry their relation and claims here; the page colours, labels and titles them from the
    # relation, so 15,000 edges do not repeat the same few colours and words.
    page_edges = []
    parallel: dict[frozenset[str], int] = {}
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for number, (u, v, key, data) in enumerate(edges):
        evidence = data.get("evidence", [])
        pair = frozenset((str(u), str(v)))
        parallel[pair] = parallel.get(pair, -1) + 1
        extra: dict[str, Any] = {}
        if parallel[pair]:
            # Parallel edges (a mine's location and participant) curve apart instead of overlapping.
            extra["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * parallel[pair]}
        net.add_edge(str(u), str(v), id=f"e{number}", width=round(1 + math.log2(max(1, len(evidence))), 2), **extra)
        page_edges.append({"relation": str(data.get("relation") or key), "evidence": sources.evidence(evidence)})
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    return {
        "vis": {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(options)},
        "nodes": page_nodes,
        "edges": page_edges,
    }


def _relations_of(G: nx.Graph) -> dict[str, tuple[str, str, str]]:
    """Colour and names of every relation of ``G`` that :data:`RELATIONS` does not know: grey, its own name."""
    names = {str(data.get("relation") or key) for _, _, key, data in G.edges(keys=True, data=True)}
    return {name: (_OTHER_RELATION, name, name) for name in sorted(names) if name not in RELATIONS}


def mentioned_line(ui: dict[str, str], count: int, shown: bool) -> str:
    """The legend's line about the entities only mentioned, in the words of ``ui`` (graph.js words it alike).

    >>> mentioned_line(UI_TEXT["en"], 12, False), mentioned_line(UI_TEXT["fr"], 1, True)
    ('12 entities only mentioned — hidden', '1 entité seulement citée — affichée')
    """
    one = "_one" if count == 1 else ""
    state = ui[("mentioned_shown" if shown else "mentioned_hidden") + one]
    return ui["mentioned_only" + one].format(n=count) + " — " + state


def _legend(G: nx.Graph, lang: str) -> str:
    """The class check boxes (with counts), the relation colours and, if any, the toggle of the entities
    only mentioned (hidden at first), as escaped HTML."""
    ui = UI_TEXT[lang]
    groups: dict[str, int] = {}
    for _, data in G.nodes(data=True):
        group = str(data.get("group") or "")
        groups[group] = groups.get(group, 0) + 1
    relations: dict[str, int] = {}
    for _u, _v, key, data in G.edges(keys=True, data=True):
        relation = str(data.get("relation") or key)
        relations[relation] = relations.get(relation, 0) + 1
    ordered = [g for g in PALETTE if g in groups] + sorted(g for g in groups if g not in PALETTE)
    items = [f'<li class="cmkg-title">{html.escape(ui["classes"])}</li>']
    for group in ordered:
        color, _, symbol = PALETTE.get(group, _OTHER)
        items.append(
            f'<li><label><input type="checkbox" value="{html.escape(group)}" checked>'
            f'<span class="cmkg-symbol" style="color:{color}">{symbol}</span>{html.escape(ui.get(group, group))} '
            f'<span class="cmkg-count">{groups[group]}</span></label></li>'
        )
    items.append(
        f'<li><button type="button" id="cmkg-all">{html.escape(ui["all"])}</button> '
        f'<button type="button" id="cmkg-none">{html.escape(ui["none"])}</button></li>'
    )
    lines = [f'<li class="cmkg-title">{html.escape(ui["relations"])}</li>']
    known = [r for r in RELATIONS if r in relations] + sorted(r for r in relations if r not in RELATIONS)
    for relation in known:
        color, name_en, name_fr = RELATIONS.get(relation, (_OTHER_RELATION, relation, relation))
        lines.append(
            f'<li><span class="cmkg-swatch" style="background:{color}"></span>'
            f"{html.escape(name_fr if lang == 'fr' else name_en)} "
            f'<span class="cmkg-count">{relations[relation]}</span></li>'
        )
    mentioned = len(mentioned_only(G))
    toggle = (
        f'<ul id="cmkg-mentioned" class="cmkg-legend"><li><span id="cmkg-mentioned-line">'
        f"{html.escape(mentioned_line(ui, mentioned, False))}</span> "
        f'<button type="button" id="cmkg-mentioned-toggle" aria-pressed="false">'
        f"{html.escape(ui['mentioned_show'])}</button></li></ul>"
        if mentioned
        else ""
    )
    return (
        f'<ul id="cmkg-legend" class="cmkg-legend">{"".join(items)}</ul>'
        f'<ul id="cmkg-relations" class="cmkg-legend">{"".join(lines)}</ul>{toggle}'
    )


def _page(title: str, subtitle: str, lang: str, stats: str, legend: str, payload: str) -> str:
    """Assemble the page; refuse it if anything in it but the data would reach outside the file."""
    ui = UI_TEXT[lang]
    scripts = [_library(name) for name in _LIBRARIES] + [_template("graph.js")]
    styles = [_library(name) for name in _STYLES] + [_template("graph.css")]
    csp = (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        f"script-src {' '.join(_script_hash(code) for code in scripts)}; "
        "base-uri 'none'; form-action 'none'"
    )
    fields = {
        "lang": lang,
        "csp": csp,
        "title": html.escape(title),
        "stats": html.escape(stats),
        "subtitle": f'<span id="cmkg-subtitle">{html.escape(subtitle)}</span>' if subtitle else "",
        "howto": html.escape(ui["howto"]),
        "search": html.escape(ui["search"]),
        "mineral": html.escape(ui["mineral"]),
        "country": html.escape(ui["country"]),
        "reset": html.escape(ui["reset"]),
        "legend": legend,
        "styles": "\n".join(f"<style>{style}</style>" for style in styles),
        "scripts": "\n".join(f"<script>{code}</script>" for code in scripts),
    }
    page = Template(_template("graph.html"))
    _check_offline(page.substitute(fields, data=""))
    return page.substitute(fields, data=f'<script type="application/json" id="cmkg-data">{payload}</script>')


_BLOCKS = re.compile(r"(<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>)", re.DOTALL | re.IGNORECASE)
_OUTSIDE_TAG = re.compile(
    r"<(?:link|img|iframe|embed|object|base)\b|<[a-z][^>]*\s(?:src|href|action)\s*=", re.IGNORECASE
)
_FORBIDDEN = ("node_modules", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "bootstrap", "@import")


def _check_offline(page: str) -> None:
    """Refuse a page (without its data) that would load anything from outside the file."""
    for word in _FORBIDDEN:
        if word in page:
            raise CmkgError(f"HTML page still references {word!r}")
    for piece in _BLOCKS.split(page):
        if _BLOCKS.fullmatch(piece):
            if re.match(r"<script\b[^>]*\bsrc\s*=", piece, re.IGNORECASE) or re.search(
                r"url\(\s*(?!['\"]?data:)", piece if piece.lower().startswith("<style") else ""
            ):
                raise CmkgError("HTML page still loads an outside file")
        elif _OUTSIDE_TAG.search(piece):
            raise CmkgError("HTML page still references an outside file")


def write_html(
    G: nx.MultiDiGraph,
    path: Path,
    title: str,
    lang: str = "en",
    size_by: dict[Any, float] | None = None,
    subtitle: str = "",
    pages: dict[Any, str] | None = None,
) -> None:
    """Write ``G`` as one offline interactive HTML page.

    The page draws every node and edge of ``G`` (use :mod:`graph.analysis.subsets` to choose them), coloured
    and shaped by class, edges coloured and labelled by relation, at positions computed here; it has
    a search box, class / mineral / country filters, a legend with counts, and a side panel that
    shows the sentences and sources of the clicked node or edge. The header gives the number of
    documents and the newest document date, so the same graph always gives the same bytes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analysis.projection.project` (node attributes ``group``, ``cls``,
        ``label_en``/``label_fr``, ``wikidata``, ``facts``, ``evidence``, ``documents``; edge
        attributes ``relation`` and ``evidence``); ``G.graph["broader"]`` (the mineral hierarchy,
        see :func:`graph.analysis.subsets.attested`) widens the mineral filter. It is not modified.
    path : pathlib.Path
        Destination file; it is replaced atomically.
    title : str
        Page title and heading.
    lang : str
        ``"en"`` or ``"fr"``: labels and interface language.
    size_by : dict, optional
        ``{node: value}`` (e.g. betweenness centrality) scaling node sizes.
    subtitle : str
        A line under the heading (e.g. which subset this is).
    pages : dict, optional
        ``{node: URL}`` of the pages of the nodes, relative to ``path`` (e.g. ``entity/china.html``, as
        the static site writes them): the panel of such a node links to its page, and a double click on
        it opens the page. Without it, the page links to no other page.

    Raises
    ------
    CmkgError
        If ``lang`` is not supported, or a URL of ``pages`` is not a relative path to an ``.html`` page.
    """
    if lang not in UI_TEXT:
        raise CmkgError(f"unsupported page language {lang!r}: use one of {', '.join(sorted(UI_TEXT))}")
    path = Path(path)
    ui = UI_TEXT[lang]
    sources = _Sources(G)
    network = _network(G, lang, size_by, sources, pages)
    newest = sources.newest()
    stats = " \u00b7 ".join(
        [f"{len(sources.documents)} {ui['documents']}"]
        + ([f"{ui['upto']} {newest}"] if newest else [])
        + [f"{G.number_of_nodes()} {ui['nodes']}", f"{G.number_of_edges()} {ui['edges']}"]
    )
    payload = json_for_script(
        {
            **network,
            "docs": sources.documents,
            "claims": sources.claims,
            "text": ui,
            "groups": {g: {"color": c, "symbol": s} for g, (c, _, s) in PALETTE.items()},
            "relations": {
                r: {"color": c, "name": fr if lang == "fr" else en}
                for r, (c, en, fr) in {**_relations_of(G), **RELATIONS}.items()
            },
            "factGroups": sorted(_FACT_GROUPS),
            "maxScale": _MAX_SCALE,
            "broader": {str(k): [str(b) for b in v] for k, v in G.graph.get("broader", {}).items()},
        }
    )
    page = _page(title, subtitle, lang, stats, _legend(G, lang), payload)
    atomic_write_text(path, page)
    log.info("wrote %d nodes and %d edges to %s", G.number_of_nodes(), G.number_of_edges(), path)
