"""Write the projected graph as one self-contained, offline, interactive HTML page.

pyvis 0.3.2 renders the vis-network canvas with its library inlined (``cdn_resources="in_line"``);
this module feeds it plain node and edge dicts, fixes positions in Python so the page is still at
once, then rewrites pyvis's page: the Bootstrap links and commented ``node_modules`` paths it still
emits are removed, and a header, a legend and an evidence side panel are added. Everything that comes
from documents reaches the page either through pyvis's HTML-safe JSON or as one escaped JSON block
(``<script type="application/json" id="cmkg-data">``) that the page renders with ``textContent``.

The page exposes ``window.cmkgShow(id)`` (show a node or an edge in the panel) and
``window.cmkgStats`` (``{nodes, edges}`` counted from the vis-network data sets) for tests.
"""

from __future__ import annotations

import html
import json
import logging
import math
import random
import re
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from graph.errors import CmkgError
from graph.export.formats import atomic_write_text

log = logging.getLogger(__name__)

#: Colour, vis-network shape and legend symbol of every node group.
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
_OTHER = ("#c7c7c7", "dot", "\u25cf")

#: Interface strings of the page, by language.
UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "hint": "Click a node or an edge to see its facts and the sentences that support it.",
        "nodes": "nodes",
        "edges": "edges",
        "facts": "Facts",
        "evidence": "Evidence",
        "connections": "Connections",
        "mentioned": "Documents mentioning it",
        "method": "method",
        "confidence": "confidence",
        "source": "source",
        "none": "No claim asserts this directly.",
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
        "hint": "Cliquez sur un nœud ou un lien pour voir ses faits et les phrases qui l'attestent.",
        "nodes": "nœuds",
        "edges": "liens",
        "facts": "Faits",
        "evidence": "Sources",
        "connections": "Liens",
        "mentioned": "Documents qui le citent",
        "method": "méthode",
        "confidence": "confiance",
        "source": "source",
        "none": "Aucune affirmation ne porte directement sur cet élément.",
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

_VIS_OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    "nodes": {"borderWidth": 1, "font": {"size": 14}},
    "edges": {
        "smooth": False,
        "color": {"color": "#a8a8a8", "highlight": "#d62728", "hover": "#555555"},
        "font": {"size": 10, "align": "middle", "color": "#555555"},
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
    },
}

_CSS = """
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; height: 100vh;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; }
#cmkg-header { flex: 0 0 auto; padding: 8px 16px; border-bottom: 1px solid #ddd; }
#cmkg-header h1 { font-size: 1.3rem; margin: 0; }
#cmkg-header p { margin: 2px 0; color: #555; }
#cmkg-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 2px 14px; padding: 0; margin: 6px 0 0; }
#cmkg-legend .cmkg-symbol { margin-right: 4px; }
.card { display: flex; flex: 1 1 auto; min-height: 0; width: 100%; }
#mynetwork { flex: 1 1 auto; float: none; width: auto; height: auto; border: none; border-right: 1px solid #ddd; }
#cmkg-panel { flex: 0 0 380px; overflow-y: auto; padding: 10px 16px; font-size: 0.9rem; }
#cmkg-panel h2 { font-size: 1.1rem; margin: 4px 0; overflow-wrap: anywhere; }
#cmkg-panel h3 { font-size: 0.95rem; margin: 14px 0 4px; }
#cmkg-panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
#cmkg-panel dt { color: #666; }
#cmkg-panel dd { margin: 0; overflow-wrap: anywhere; }
#cmkg-panel ol, #cmkg-panel ul { padding-left: 18px; margin: 0; }
#cmkg-panel li { margin-bottom: 8px; }
#cmkg-panel blockquote { margin: 0 0 2px; padding-left: 8px; border-left: 3px solid #ccc; font-style: italic; }
#cmkg-panel .cmkg-meta { color: #666; margin: 0; }
#cmkg-panel button { background: none; border: none; padding: 0; color: #1a5fb4; cursor: pointer;
                     text-align: left; font: inherit; }
"""

_APP_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cmkg-data").textContent);
  var text = data.text;
  var panel = document.getElementById("cmkg-panel");
  var SAFE_URL = /^https?:\/\//i;
  var nodeById = {}, edgeById = {}, edgesOf = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    edgesOf[e.from].push(e);
    if (e.to !== e.from) { edgesOf[e.to].push(e); }
  });

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = String(content); }
    return node;
  }
  function link(label, url) {
    if (typeof url === "string" && SAFE_URL.test(url)) {
      var a = el("a", null, label);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", null, label);
  }
  function goTo(label, id) {
    var button = el("button", null, label);
    button.type = "button";
    button.addEventListener("click", function () { window.cmkgShow(id); });
    return button;
  }
  function labelOf(id) { return nodeById[id] ? nodeById[id].label : id; }

  function addFacts(rows) {
    if (!rows.length) { return; }
    panel.appendChild(el("h3", null, text.facts));
    var dl = el("dl");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, row[1]));
    });
    panel.appendChild(dl);
  }
  function addEvidence(list) {
    panel.appendChild(el("h3", null, text.evidence + " (" + list.length + ")"));
    if (!list.length) { panel.appendChild(el("p", "cmkg-meta", text.none)); return; }
    var ol = el("ol", "cmkg-evidence");
    list.forEach(function (ev) {
      var li = el("li");
      if (ev.quote) { li.appendChild(el("blockquote", null, ev.quote)); }
      var source = el("p", "cmkg-meta");
      source.appendChild(link(ev.title || ev.document || text.source, ev.url));
      var where = [ev.publisher, ev.date].filter(function (v) { return v; }).join(", ");
      if (where) { source.appendChild(el("span", null, " \u2014 " + where)); }
      li.appendChild(source);
      var how = [];
      if (ev.method) { how.push(text.method + ": " + ev.method); }
      if (ev.confidence !== null && ev.confidence !== undefined) { how.push(text.confidence + ": " + ev.confidence); }
      if (how.length) { li.appendChild(el("p", "cmkg-meta", how.join(" \u00b7 "))); }
      ol.appendChild(li);
    });
    panel.appendChild(ol);
  }
  function clearPanel() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }

  function showNode(n) {
    clearPanel();
    panel.appendChild(el("h2", null, n.label));
    panel.appendChild(el("p", "cmkg-meta", (text[n.group] || n.group) + (n.cls !== n.group ? " \u00b7 " + n.cls : "")));
    if (n.wikidata && /^Q[0-9]+$/.test(n.wikidata)) {
      var wd = el("p", "cmkg-meta");
      wd.appendChild(link("Wikidata " + n.wikidata, "https://www.wikidata.org/wiki/" + n.wikidata));
      panel.appendChild(wd);
    }
    var facts = n.facts.slice();
    if (n.documents) { facts.push([text.mentioned, String(n.documents)]); }
    addFacts(facts);
    var edges = edgesOf[n.id];
    if (edges.length) {
      panel.appendChild(el("h3", null, text.connections + " (" + edges.length + ")"));
      var ul = el("ul");
      edges.forEach(function (e) {
        var li = el("li");
        var other = e.from === n.id ? e.to : e.from;
        li.appendChild(el("span", null, (e.from === n.id ? "\u2192 " : "\u2190 ") + e.relation + " "));
        li.appendChild(goTo(labelOf(other), other));
        li.appendChild(el("span", "cmkg-meta", " (" + e.evidence.length + ")"));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    addEvidence(n.evidence);
  }
  function showEdge(e) {
    clearPanel();
    panel.appendChild(el("h2", null, e.relation));
    var ends = el("p");
    ends.appendChild(goTo(labelOf(e.from), e.from));
    ends.appendChild(el("span", null, " \u2192 " + e.relation + " \u2192 "));
    ends.appendChild(goTo(labelOf(e.to), e.to));
    panel.appendChild(ends);
    addEvidence(e.evidence);
  }

  window.cmkgShow = function (id) {
    if (Object.prototype.hasOwnProperty.call(nodeById, id)) {
      showNode(nodeById[id]);
      network.selectNodes([id]);
      return true;
    }
    if (Object.prototype.hasOwnProperty.call(edgeById, id)) {
      showEdge(edgeById[id]);
      network.selectEdges([id]);
      return true;
    }
    return false;
  };
  network.on("click", function (params) {
    if (params.nodes.length) { window.cmkgShow(params.nodes[0]); }
    else if (params.edges.length) { window.cmkgShow(params.edges[0]); }
  });
  window.cmkgStats = { nodes: network.body.data.nodes.length, edges: network.body.data.edges.length };
})();
"""

_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
_BLOCKS = re.compile(r"(<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>)", re.DOTALL | re.IGNORECASE)
_SCRIPT_WITH_SRC = re.compile(r"^<script\b[^>]*\bsrc\s*=", re.IGNORECASE)
_MARKUP_REMOVALS = (
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"<link\b[^>]*>", re.IGNORECASE),
    re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.DOTALL | re.IGNORECASE),
)
_OUTSIDE_TAG = re.compile(r"<(?:link|img|iframe|embed|object)\b|<[a-z][^>]*\s(?:src|href)\s*=", re.IGNORECASE)
_FORBIDDEN = ("node_modules", "cdn.jsdelivr.net", "cdnjs.cloudflare.com", "popup.innerHTML")
_LABEL_MAX = 40
_FACT_GROUPS = ("Agreement", "Project", "Measure", "MarketShare")
_LAYOUT_CORE = 400
_GRID_WIDTH = 140.0


def _json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that cannot end or confuse the ``<script>`` element holding it.

    >>> _json_for_script({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _plain(text: str) -> str:
    """Make a tooltip plain text that pyvis never treats as HTML.

    pyvis 0.3.2 switches every tooltip to ``innerHTML`` when a node title contains ``href``; a
    zero-width space keeps the word readable and the switch off.

    >>> _plain("see href") == "see hr\\u200bef"
    True
    """
    return text.replace("href", "hr\u200bef")


def _label(data: dict[str, Any], node: Any, lang: str) -> str:
    return str(data.get(f"label_{lang}") or data.get("label_en") or node)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "\u2026"


def _evidence(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence for the page: only the known fields, and a URL only when it is http(s)."""
    out = []
    for entry in entries:
        url = entry.get("url")
        out.append(
            {
                "quote": entry.get("quote"),
                "document": entry.get("document"),
                "title": entry.get("title"),
                "publisher": entry.get("publisher"),
                "date": entry.get("date"),
                "url": url if isinstance(url, str) and _SAFE_URL.match(url) else None,
                "method": entry.get("method"),
                "confidence": entry.get("confidence"),
            }
        )
    return out


def _layout(G: nx.Graph, nodes: list[Any]) -> dict[Any, tuple[float, float]]:
    """Seeded positions in vis-network pixels, cheap enough for tens of thousands of nodes.

    The ``_LAYOUT_CORE`` best-connected nodes of the largest component get a spring layout of the
    undirected simple view; every other node is placed, layer by layer outwards, at the centroid of
    its placed neighbours plus a seeded jitter (a fact sits between the entities it links); each
    smaller component, isolated nodes included, starts from a free slot on a grid below the core.
    """
    if not nodes:
        return {}
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    order = sorted(nodes, key=lambda n: (-H.degree(n), str(n)))
    rank = {node: i for i, node in enumerate(order)}
    largest = max(nx.connected_components(H), key=lambda c: (len(c), -min(rank[n] for n in c)))
    core = sorted([n for n in order if n in largest][:_LAYOUT_CORE], key=str)
    scale = 200 + 60 * math.sqrt(len(core))
    raw = nx.spring_layout(H.subgraph(core), seed=42, scale=scale, method="force")
    positions = {node: (float(x), float(y)) for node, (x, y) in raw.items()}

    rng = random.Random(42)
    spacing = 40.0
    slots = 0
    frontier = sorted({m for n in core for m in H[n] if m not in positions}, key=str)
    remaining = (n for n in order if n not in positions)
    while len(positions) < len(nodes):
        if not frontier:
            start = next(n for n in remaining if n not in positions)
            columns = max(1, int(2 * scale // _GRID_WIDTH))
            row, column = divmod(slots, columns)
            positions[start] = (-scale + _GRID_WIDTH * column, scale + 1.5 * spacing * (2 + row))
            slots += 1
            frontier = sorted((m for m in H[start] if m not in positions), key=str)
            continue
        for node in frontier:
            placed = [positions[m] for m in H[node] if m in positions]
            angle, radius = rng.uniform(0, 2 * math.pi), spacing * rng.uniform(0.3, 1.0)
            positions[node] = (
                sum(x for x, _ in placed) / len(placed) + radius * math.cos(angle),
                sum(y for _, y in placed) / len(placed) + radius * math.sin(angle),
            )
        frontier = sorted({m for n in frontier for m in H[n] if m not in positions}, key=str)
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def _sizes(nodes: list[Any], G: nx.Graph, size_by: dict[Any, float] | None) -> dict[Any, float]:
    """Node sizes: from ``size_by`` (square-root scaled to 8-40 px) or by kind (entities larger)."""
    if not size_by:
        return {node: 10.0 if G.nodes[node].get("group") in _FACT_GROUPS else 14.0 for node in nodes}
    values = [float(size_by.get(node, 0.0)) for node in nodes]
    low, high = min(values, default=0.0), max(values, default=0.0)
    span = (high - low) or 1.0
    return {node: round(8 + 32 * math.sqrt((float(size_by.get(node, 0.0)) - low) / span), 1) for node in nodes}


def _fact_rows(facts: list[dict[str, Any]]) -> list[list[str]]:
    """One ``[property, values]`` row per property, values joined in their given order.

    >>> _fact_rows([{"property": "altLabel", "value": "PRC"}, {"property": "altLabel", "value": "RPC"}])
    [['altLabel', 'PRC; RPC']]
    """
    rows: dict[str, list[str]] = {}
    for fact in facts:
        rows.setdefault(str(fact["property"]), []).append(str(fact["value"]))
    return [[name, "; ".join(values)] for name, values in rows.items()]


def _tooltip(label: str, data: dict[str, Any], ui: dict[str, str]) -> str:
    lines = [label, ui.get(str(data.get("group")), str(data.get("group") or ""))]
    for fact in data.get("facts", [])[:6]:
        lines.append(f"{fact['property']}: {fact['value']}")
    lines.append(f"{ui['evidence']}: {len(data.get('evidence', []))}")
    return _plain("\n".join(lines))


def _rewrite_page(page: str, title: str, subtitle: str, lang: str, legend: str, stats: str, payload: str) -> str:
    """Strip pyvis's outside references from its page and add the header, legend, panel and data."""
    pieces = []
    for piece in _BLOCKS.split(page):
        if _BLOCKS.fullmatch(piece):
            if not _SCRIPT_WITH_SRC.match(piece):
                pieces.append(piece)
            continue
        for pattern in _MARKUP_REMOVALS:
            piece = pattern.sub("", piece)
        pieces.append(piece)
    page = "".join(pieces)

    header = (
        f'<header id="cmkg-header"><h1>{html.escape(title)}</h1>'
        + (f"<p>{html.escape(subtitle)}</p>" if subtitle else "")
        + f"<p>{html.escape(stats)}</p><ul id=\"cmkg-legend\">{legend}</ul></header>"
    )
    hint = html.escape(UI_TEXT[lang]["hint"])
    panel = f'<aside id="cmkg-panel" aria-live="polite"><p class="cmkg-meta">{hint}</p></aside>'
    replacements = (
        ("<html>", f'<!DOCTYPE html>\n<html lang="{lang}">'),
        (
            "</head>",
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>",
        ),
        ("<body>", f"<body>\n{header}"),
        ('<div id="mynetwork" class="card-body"></div>', f'<div id="mynetwork" class="card-body"></div>\n{panel}'),
        (
            "</body>",
            f'<script type="application/json" id="cmkg-data">{payload}</script>\n<script>{_APP_JS}</script>\n</body>',
        ),
    )
    for anchor, replacement in replacements:
        if page.count(anchor) != 1:
            raise CmkgError(f"unexpected pyvis page: {anchor!r} found {page.count(anchor)} times")
        page = page.replace(anchor, replacement)
    _check_offline(page)
    return page


def _check_offline(page: str) -> None:
    """Refuse a page that would load anything from outside the file."""
    for word in _FORBIDDEN:
        if word in page:
            raise CmkgError(f"HTML page still references {word!r}")
    for piece in _BLOCKS.split(page):
        if _BLOCKS.fullmatch(piece):
            if _SCRIPT_WITH_SRC.match(piece):
                raise CmkgError("HTML page still loads an outside script")
        elif _OUTSIDE_TAG.search(piece):
            raise CmkgError("HTML page still references an outside file")


def _network(
    G: nx.Graph, lang: str, size_by: dict[Any, float] | None
) -> tuple[Network, list[dict[str, Any]], list[dict[str, Any]]]:
    """Build the pyvis network from plain copies of G's data, and the page's own node and edge records."""
    ui = UI_TEXT[lang]
    nodes = sorted(G.nodes, key=str)
    positions = _layout(G, nodes)
    sizes = _sizes(nodes, G, size_by)
    net = Network(
        height="100%", width="100%", directed=True, cdn_resources="in_line", select_menu=False, filter_menu=False
    )
    net.set_options(json.dumps(_VIS_OPTIONS))

    page_nodes = []
    for node in nodes:
        data = G.nodes[node]
        group = str(data.get("group") or "")
        color, shape, _ = PALETTE.get(group, _OTHER)
        label = _label(data, node, lang)
        x, y = positions[node]
        net.add_node(
            str(node),
            label=_short(label) or str(node),
            title=_tooltip(label, data, ui),
            shape=shape,
            color=color,
            size=sizes[node],
            x=x,
            y=y,
            physics=False,
        )
        page_nodes.append(
            {
                "id": str(node),
                "label": label,
                "group": group,
                "cls": str(data.get("cls") or group),
                "wikidata": data.get("wikidata"),
                "facts": _fact_rows(data.get("facts", [])),
                "documents": len(data.get("documents", [])),
                "evidence": _evidence(data.get("evidence", [])),
            }
        )

    page_edges = []
    parallel: dict[frozenset[str], int] = {}
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    for number, (u, v, key, data) in enumerate(edges):
        relation = str(data.get("relation") or key)
        edge_id = f"e{number}"
        evidence = _evidence(data.get("evidence", []))
        ends = f"{_label(G.nodes[u], u, lang)} \u2192 {relation} \u2192 {_label(G.nodes[v], v, lang)}"
        # Parallel edges (a mine's location and participant) curve apart instead of overlapping.
        pair = frozenset((str(u), str(v)))
        parallel[pair] = parallel.get(pair, -1) + 1
        curve = {"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.25 * parallel[pair]}}
        net.add_edge(
            str(u),
            str(v),
            id=edge_id,
            label=relation,
            title=_plain(f"{ends}\n{ui['evidence']}: {len(evidence)}"),
            **(curve if parallel[pair] else {}),
        )
        page_edges.append({"id": edge_id, "from": str(u), "to": str(v), "relation": relation, "evidence": evidence})
    return net, page_nodes, page_edges


def write_html(
    G: nx.MultiDiGraph,
    path: Path,
    title: str,
    lang: str = "en",
    size_by: dict[Any, float] | None = None,
    subtitle: str = "",
) -> None:
    """Write ``G`` as one offline interactive HTML page.

    Nodes are coloured and shaped by ``group`` and placed by a seeded layout computed here (physics
    is off, so the page is still when it opens); clicking a node or an edge shows its facts and
    evidence in the side panel.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analyze.project` (node attributes ``group``, ``cls``,
        ``label_en``/``label_fr``, ``wikidata``, ``facts``, ``evidence``, ``documents``; edge
        attributes ``relation`` and ``evidence``). It is not modified.
    path : pathlib.Path
        Destination file; it is replaced atomically.
    title : str
        Page title and heading.
    lang : str
        ``"en"`` or ``"fr"``: labels and interface language.
    size_by : dict, optional
        ``{node: value}`` (e.g. betweenness) scaling node sizes.
    subtitle : str
        A line under the heading.

    Raises
    ------
    CmkgError
        If ``lang`` is not supported, or if pyvis's page no longer has the expected shape.
    """
    if lang not in UI_TEXT:
        raise CmkgError(f"unsupported page language {lang!r}: use one of {', '.join(sorted(UI_TEXT))}")
    path = Path(path)
    ui = UI_TEXT[lang]
    net, page_nodes, page_edges = _network(G, lang, size_by)
    present = {node["group"] for node in page_nodes}
    legend = "".join(
        f'<li><span class="cmkg-symbol" style="color:{PALETTE[group][0]}">{PALETTE[group][2]}</span>'
        f"{html.escape(ui[group])}</li>"
        for group in PALETTE
        if group in present
    )
    stats = f"{len(page_nodes)} {ui['nodes']} \u00b7 {len(page_edges)} {ui['edges']}"
    payload = _json_for_script({"nodes": page_nodes, "edges": page_edges, "text": ui})
    page = _rewrite_page(net.generate_html(name="index.html"), title, subtitle, lang, legend, stats, payload)
    atomic_write_text(path, page)
    log.info("wrote %d nodes and %d edges to %s", len(page_nodes), len(page_edges), path)
