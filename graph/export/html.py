"""Write the projected graph as one self-contained, offline, interactive HTML page.

The page is the project's own template (below), not pyvis's: pyvis 0.3.2's template loads Bootstrap
from a CDN even with ``cdn_resources="in_line"``, escapes nothing in its select menus and switches
every tooltip to ``innerHTML`` as soon as one title contains "href". pyvis builds the network (nodes,
edges and vis-network options) and ships the vis-network and tom-select builds that the page inlines.

Safety: everything that comes from a document (labels, quotes, titles, URLs) reaches the page only as
escaped JSON inside ``<script type="application/json">`` blocks, which browsers never run; the page's
script shows it with ``textContent`` (vis-network 9 shows string tooltips as text), links only
``http(s)`` URLs, and a Content-Security-Policy lets run only the page's three scripts (by hash) and
load nothing from anywhere.

Speed: positions are computed here with networkx and physics is off, so the page is still and usable
as soon as vis-network has drawn it, whatever the size of the graph.

The page exposes, for tests and for the curious: ``window.network`` (the vis-network instance),
``window.cmkgStats`` (``{nodes, edges}`` drawn at load), ``window.cmkgShow(id)`` (show a node or an
edge in the panel) and ``window.cmkg`` (``search(text)``, ``filter({classes, mineral, country})``,
``visible()``, ``highlight(id)``), and sets ``window.cmkgReady`` once the network is drawn.
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
from typing import Any

import networkx as nx
import numpy as np
from pyvis.network import Network

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
    "en": {"altLabel": "also called", "demonym": "demonym", "isoCode": "ISO code", "chemicalSymbol": "symbol",
           "agreementKind": "kind", "status": "status", "date": "date", "percent": "percent", "stage": "stage",
           "qualifier": "qualifier", "year": "year", "amount": "amount", "role": "role"},
    "fr": {"altLabel": "autres noms", "demonym": "gentilé", "isoCode": "code ISO", "chemicalSymbol": "symbole",
           "agreementKind": "type", "status": "statut", "date": "date", "percent": "pourcentage", "stage": "étape",
           "qualifier": "précision", "year": "année", "amount": "montant", "role": "fonction"},
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

_CSS = """
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; height: 100vh; color: #222; background: #fff;
       font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
#cmkg-header { flex: 0 0 auto; padding: 6px 16px 4px; border-bottom: 1px solid #ddd; }
#cmkg-title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 14px; }
#cmkg-header h1 { font-size: 1.25rem; margin: 0; }
#cmkg-stats, #cmkg-subtitle { color: #555; }
#cmkg-subtitle { font-weight: 600; }
#cmkg-header .cmkg-howto { margin: 2px 0; color: #555; font-size: 0.8rem; max-width: 150ch; }
#cmkg-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; margin-top: 4px; }
#cmkg-tools .ts-wrapper { width: 230px; }
#cmkg-tools .ts-control { padding: 4px 8px; min-height: 0; }
#cmkg-tools button, #cmkg-legend button { font: inherit; font-size: 0.85rem; padding: 2px 8px; cursor: pointer;
                     border: 1px solid #bbb; border-radius: 4px; background: #f6f6f6; }
.cmkg-legend { list-style: none; display: flex; flex-wrap: wrap; align-items: center; gap: 0 10px; padding: 0;
               margin: 2px 0 0; font-size: 0.8rem; }
.cmkg-legend input { margin: 0 1px 0 0; vertical-align: -2px; }
.cmkg-legend label { cursor: pointer; user-select: none; }
.cmkg-legend .cmkg-count { color: #777; }
.cmkg-legend .cmkg-title { color: #555; font-weight: 600; }
.cmkg-symbol { margin: 0 3px 0 2px; }
.cmkg-line { display: inline-block; width: 18px; height: 3px; margin: 0 4px 3px 0; vertical-align: middle; }
#cmkg-main { display: flex; flex: 1 1 auto; min-height: 0; }
#cmkg-network { flex: 1 1 auto; min-width: 0; border-right: 1px solid #ddd; }
#cmkg-panel { flex: 0 0 380px; overflow-y: auto; padding: 10px 16px; font-size: 0.9rem; }
#cmkg-panel h2 { font-size: 1.1rem; margin: 4px 0; overflow-wrap: anywhere; }
#cmkg-panel h3 { font-size: 0.95rem; margin: 14px 0 4px; }
#cmkg-panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
#cmkg-panel dt { color: #666; }
#cmkg-panel dd { margin: 0; overflow-wrap: anywhere; }
#cmkg-panel ol, #cmkg-panel ul { padding-left: 18px; margin: 0; }
#cmkg-panel li { margin-bottom: 8px; overflow-wrap: anywhere; }
#cmkg-panel blockquote { margin: 0 0 2px; padding-left: 8px; border-left: 3px solid #ccc; font-style: italic; }
#cmkg-panel .cmkg-meta { color: #666; margin: 0; }
#cmkg-panel details { margin: 2px 0 0; }
#cmkg-panel summary { cursor: pointer; color: #666; }
#cmkg-panel button { background: none; border: none; padding: 0; color: #1a5fb4; cursor: pointer;
                     text-align: left; font: inherit; }
@media (max-width: 800px) { #cmkg-main { flex-direction: column; } #cmkg-panel { flex-basis: 40%; } }
"""

_APP_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cmkg-data").textContent);
  var text = data.text;
  var SAFE_URL = /^https?:\/\/[^\s"'<>\\]+$/i;
  var DIM = "#e4e4e4";
  var panel = document.getElementById("cmkg-panel");

  // The panel's records, indexed; then the tooltips, edge labels and colours vis-network shows
  // (tooltips are strings, which vis-network shows as text).
  // Maps without a prototype: an id such as "__proto__" is just a key.
  function map() { return Object.create(null); }
  var nodeById = map(), edgeById = map(), edgesOf = map(), style = map(), edgeColor = map();
  data.nodes.forEach(function (n) {
    nodeById[n.id] = n;
    edgesOf[n.id] = [];
    n.folded = n.names.map(fold);
  });
  data.vis.nodes.forEach(function (v) {
    var n = nodeById[v.id];
    v.title = [n.label, groupName(n.group)].concat(
      n.evidence.length ? [text.evidence + ": " + n.evidence.length] : []).join("\n");
    style[v.id] = {color: v.color, font: v.font};
  });
  data.vis.edges.forEach(function (v, i) {
    var e = data.edges[i], relation = relationOf(e.relation);
    e.id = v.id; e.from = v.from; e.to = v.to;
    edgeById[e.id] = e;
    edgesOf[e.from].push(e);
    if (e.to !== e.from) { edgesOf[e.to].push(e); }
    v.label = relation.name;
    v.color = {color: relation.color, highlight: relation.color, hover: relation.color, opacity: 0.75};
    v.title = nodeById[e.from].label + " \u2192 " + relation.name + " \u2192 " + nodeById[e.to].label +
      "\n" + text.evidence + ": " + e.evidence.length;
    edgeColor[v.id] = v.color;
  });
  var nodes = new vis.DataSet(data.vis.nodes);
  var edges = new vis.DataSet(data.vis.edges);
  var network = new vis.Network(document.getElementById("cmkg-network"), {nodes: nodes, edges: edges},
                                data.vis.options);
  window.network = network;
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function groupName(group) { return has(text, group) ? text[group] : group; }
  function relationOf(name) {
    return has(data.relations, name) ? data.relations[name] : {name: name, color: "#9a9a9a"};
  }
  function fold(value) {
    return String(value).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-\u2010-\u2015'\u2019]/g, " ").replace(/\s+/g, " ").trim();
  }
  function isFact(id) { return has(nodeById, id) && data.factGroups.indexOf(nodeById[id].group) >= 0; }
  function neighbours(id) {
    return edgesOf[id].map(function (e) { return e.from === id ? e.to : e.from; });
  }

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
    button.addEventListener("click", function () { select(id); });
    return button;
  }
  function labelOf(id) { return has(nodeById, id) ? nodeById[id].label : id; }
  function relationName(name) { return relationOf(name).name; }
  function sourceLine(doc) {
    var p = el("p", "cmkg-meta");
    p.appendChild(link(doc.title || doc.id || text.source, doc.url));
    var where = [doc.publisher, doc.date].filter(function (v) { return v; }).join(", ");
    if (where) { p.appendChild(el("span", null, " \u2014 " + where)); }
    return p;
  }
  function evidenceList(claims) {
    var ol = el("ol", "cmkg-evidence");
    claims.forEach(function (number) {
      var ev = data.claims[number];
      var li = el("li");
      if (ev.quote) { li.appendChild(el("blockquote", null, ev.quote)); }
      if (ev.doc !== null && ev.doc !== undefined && data.docs[ev.doc]) { li.appendChild(sourceLine(data.docs[ev.doc])); }
      var how = [];
      if (ev.method) { how.push(text.method + ": " + ev.method); }
      if (typeof ev.confidence === "number") { how.push(text.confidence + ": " + ev.confidence.toFixed(2)); }
      if (how.length) { li.appendChild(el("p", "cmkg-meta", how.join(" \u00b7 "))); }
      ol.appendChild(li);
    });
    return ol;
  }
  function clearPanel() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function heading(title, meta) {
    clearPanel();
    panel.appendChild(el("h2", null, title));
    if (meta) { panel.appendChild(el("p", "cmkg-meta", meta)); }
  }

  function showDocuments() {
    clearPanel();
    panel.appendChild(el("p", "cmkg-meta", text.hint));
    if (!data.docs.length) { return; }
    panel.appendChild(el("h3", null, text.sources + " (" + data.docs.length + ")"));
    var ul = el("ul");
    data.docs.forEach(function (doc) { var li = el("li"); li.appendChild(sourceLine(doc)); ul.appendChild(li); });
    panel.appendChild(ul);
  }
  function showNode(n) {
    heading(n.label, groupName(n.group) + (n.cls && n.cls !== n.group ? " \u00b7 " + n.cls : ""));
    if (typeof n.wikidata === "string" && /^Q[0-9]+$/.test(n.wikidata)) {
      var wd = el("p", "cmkg-meta");
      wd.appendChild(link("Wikidata " + n.wikidata, "https://www.wikidata.org/wiki/" + n.wikidata));
      panel.appendChild(wd);
    }
    if (n.facts.length) {
      panel.appendChild(el("h3", null, text.facts));
      var dl = el("dl");
      n.facts.forEach(function (row) { dl.appendChild(el("dt", null, row[0])); dl.appendChild(el("dd", null, row[1])); });
      panel.appendChild(dl);
    }
    if (n.evidence.length) {
      panel.appendChild(el("h3", null, text.evidence + " (" + n.evidence.length + ")"));
      panel.appendChild(evidenceList(n.evidence));
    } else if (!isFact(n.id) && edgesOf[n.id].length) {
      panel.appendChild(el("p", "cmkg-meta", text.nosentence));
    }
    var links = edgesOf[n.id];
    if (links.length) {
      panel.appendChild(el("h3", null, text.connections + " (" + links.length + ")"));
      var ul = el("ul");
      links.forEach(function (e) {
        var li = el("li");
        var other = e.from === n.id ? e.to : e.from;
        li.appendChild(el("span", null, (e.from === n.id ? "\u2192 " : "\u2190 ") + relationName(e.relation) + " \u00b7 "));
        li.appendChild(goTo(labelOf(other), other));
        if (e.evidence.length) {
          var details = el("details");
          details.appendChild(el("summary", null, text.evidence + " (" + e.evidence.length + ")"));
          details.appendChild(evidenceList(e.evidence));
          li.appendChild(details);
        }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (n.documents.length) {
      panel.appendChild(el("h3", null, text.mentioned + " (" + n.documents.length + ")"));
      var docs = el("ul");
      n.documents.forEach(function (i) { var li = el("li"); li.appendChild(sourceLine(data.docs[i])); docs.appendChild(li); });
      panel.appendChild(docs);
    }
  }
  function showEdge(e) {
    heading(relationName(e.relation));
    var ends = el("p");
    ends.appendChild(goTo(labelOf(e.from), e.from));
    ends.appendChild(el("span", null, " \u2192 " + relationName(e.relation) + " \u2192 "));
    ends.appendChild(goTo(labelOf(e.to), e.to));
    panel.appendChild(ends);
    panel.appendChild(el("h3", null, text.evidence + " (" + e.evidence.length + ")"));
    panel.appendChild(evidenceList(e.evidence));
  }

  var highlighted = null;
  function highlight(id) {
    if (id === highlighted) { return; }
    var near = map();
    if (id !== null) {
      near[id] = true;
      neighbours(id).forEach(function (m) {
        near[m] = true;
        if (isFact(m)) { neighbours(m).forEach(function (k) { near[k] = true; }); }
      });
    }
    nodes.update(data.vis.nodes.map(function (n) {
      if (id === null || near[n.id]) { return {id: n.id, color: style[n.id].color, font: style[n.id].font}; }
      return {id: n.id, color: DIM, font: {size: style[n.id].font.size, color: "#c8c8c8"}};
    }));
    edges.update(data.vis.edges.map(function (e) {
      var on = id === null || (near[e.from] && near[e.to] && (e.from === id || e.to === id || isFact(e.from) || isFact(e.to)));
      return {id: e.id, color: on ? edgeColor[e.id] : {color: DIM, highlight: DIM, hover: DIM}};
    }));
    highlighted = id;
  }

  function show(id) {
    if (has(nodeById, id)) { showNode(nodeById[id]); network.selectNodes([id]); highlight(id); return true; }
    if (has(edgeById, id)) { showEdge(edgeById[id]); network.selectEdges([id]); highlight(null); return true; }
    return false;
  }
  function select(id) {
    if (!show(id)) { return false; }
    if (has(nodeById, id) && !nodes.get(id).hidden) { network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false}); }
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); }
    else if (params.edges.length) { show(params.edges[0]); }
    else { highlight(null); showDocuments(); }
  });

  // Search: accent- and case-insensitive, over labels in both languages and aliases. A name equal
  // to the query comes first, then names starting with it, then a word of a name, then any part.
  function matchRank(names, q) {
    var best = 4;
    names.forEach(function (name) {
      var at = name.indexOf(q);
      if (at < 0) { return; }
      var rank = name === q ? 0 : at === 0 ? 1 : name.charAt(at - 1) === " " ? 2 : 3;
      if (rank < best) { best = rank; }
    });
    return best;
  }
  function search(query) {
    var q = fold(query);
    if (!q) { return []; }
    var hits = [];
    data.nodes.forEach(function (n) {
      var rank = matchRank(n.folded, q);
      if (rank < 4) { hits.push({id: n.id, rank: rank, label: n.label}); }
    });
    hits.sort(function (a, b) { return a.rank - b.rank || a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1); });
    return hits.map(function (h) { return h.id; });
  }
  function optionView(item) {
    var div = el("div");
    var symbol = el("span", "cmkg-symbol", has(data.groups, item.group) ? data.groups[item.group].symbol : "\u25cf");
    symbol.style.color = has(data.groups, item.group) ? data.groups[item.group].color : "#999";
    div.appendChild(symbol);
    div.appendChild(el("span", null, item.label));
    if (item.group) { div.appendChild(el("span", "cmkg-count", " \u00b7 " + groupName(item.group))); }
    return div;
  }
  function plainView(item) { return el("div", null, item.label); }
  function picker(selector, options, placeholder, onChange, searchable) {
    return new TomSelect(selector, {
      options: options, items: [], valueField: "id", labelField: "label", searchField: [],
      placeholder: placeholder, maxOptions: 50, create: false, allowEmptyOption: true,
      score: function (query) {
        var ranked = map();
        search(query).forEach(function (id, i) { ranked[id] = 1 / (1 + i); });
        var q = fold(query);
        return function (item) {
          if (!q) { return 1; }
          if (has(ranked, item.id)) { return ranked[item.id]; }
          return fold(item.label).indexOf(q) >= 0 ? 0.0001 : 0;
        };
      },
      render: {
        option: searchable ? optionView : plainView, item: plainView,
        no_results: function () { return el("div", "no-results", text.noresults); }
      },
      // The best match is the one Enter picks, whatever was highlighted for a shorter query.
      onType: function () {
        var first = this.dropdown_content.querySelector("[data-selectable]");
        if (first) { this.setActiveOption(first); }
      },
      onChange: onChange
    });
  }
  function byLabel(a, b) { return a.label.localeCompare(b.label); }
  var searchBox = picker("#cmkg-search", data.nodes.map(function (n) {
    return {id: n.id, label: n.label, group: n.group};
  }).sort(byLabel), text.search, function (id) { if (id) { select(id); } }, true);

  // Filters: classes (legend check boxes), one mineral, one country.
  var filters = {classes: null, mineral: "", country: ""};
  function factsAround(ids) {
    var out = map();
    Object.keys(ids).forEach(function (id) {
      out[id] = true;
      neighbours(id).forEach(function (m) {
        if (isFact(m)) { out[m] = true; neighbours(m).forEach(function (k) { out[k] = true; }); }
      });
    });
    return out;
  }
  function mineralSet(id) {
    var minerals = map();
    minerals[id] = true;
    Object.keys(data.broader).forEach(function (m) { if (data.broader[m].indexOf(id) >= 0) { minerals[m] = true; } });
    var keep = map();
    Object.keys(minerals).forEach(function (m) {
      if (!has(nodeById, m)) { return; }
      keep[m] = true;
      neighbours(m).forEach(function (f) {
        if (isFact(f)) { keep[f] = true; neighbours(f).forEach(function (k) { keep[k] = true; }); }
      });
    });
    return keep;
  }
  function countrySet(id) {
    var start = map();
    start[id] = true;
    var keep = factsAround(start);
    neighbours(id).forEach(function (m) { keep[m] = true; });
    return keep;
  }
  function applyFilters() {
    var mineral = filters.mineral ? mineralSet(filters.mineral) : null;
    var country = filters.country ? countrySet(filters.country) : null;
    nodes.update(data.nodes.map(function (n) {
      var on = (!filters.classes || filters.classes.indexOf(n.group) >= 0) &&
        (!mineral || has(mineral, n.id)) && (!country || has(country, n.id));
      return {id: n.id, hidden: !on};
    }));
    document.querySelectorAll("#cmkg-legend input[type=checkbox]").forEach(function (box) {
      box.checked = !filters.classes || filters.classes.indexOf(box.value) >= 0;
    });
  }
  function filter(spec) {
    spec = spec || {};
    if (has(spec, "classes")) { filters.classes = spec.classes ? spec.classes.slice() : null; }
    if (has(spec, "mineral")) { filters.mineral = spec.mineral || ""; if (mineralBox.getValue() !== filters.mineral) { mineralBox.setValue(filters.mineral, true); } }
    if (has(spec, "country")) { filters.country = spec.country || ""; if (countryBox.getValue() !== filters.country) { countryBox.setValue(filters.country, true); } }
    applyFilters();
    return visible();
  }
  function visible() {
    return {nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length};
  }
  function groupOptions(groups) {
    return data.nodes.filter(function (n) { return groups.indexOf(n.group) >= 0; })
      .map(function (n) { return {id: n.id, label: n.label, group: n.group}; }).sort(byLabel);
  }
  var mineralBox = picker("#cmkg-mineral", groupOptions(["Mineral"]), text.mineral,
                          function (id) { filter({mineral: id}); }, false);
  var countryBox = picker("#cmkg-country", groupOptions(["State"]), text.country,
                          function (id) { filter({country: id}); }, false);
  document.querySelectorAll("#cmkg-legend input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      var on = [];
      document.querySelectorAll("#cmkg-legend input[type=checkbox]").forEach(function (b) { if (b.checked) { on.push(b.value); } });
      filter({classes: on});
    });
  });
  document.getElementById("cmkg-all").addEventListener("click", function () { filter({classes: null}); });
  document.getElementById("cmkg-none").addEventListener("click", function () { filter({classes: []}); });
  document.getElementById("cmkg-reset").addEventListener("click", function () {
    searchBox.clear(true);
    filter({classes: null, mineral: "", country: ""});
    highlight(null);
    network.unselectAll();
    showDocuments();
    initialView();
  });

  // The default zoom: everything in view with a margin for labels, and never so close that
  // labels are larger than body text (small subsets).
  function initialView() {
    network.fit({animation: false});
    network.moveTo({scale: Math.min(network.getScale() * 0.95, data.maxScale), animation: false});
  }
  initialView();
  showDocuments();
  window.cmkgShow = show;
  window.cmkg = {show: show, select: select, search: search, filter: filter, visible: visible, highlight: highlight};
  network.once("afterDrawing", function () {
    window.cmkgStats = visible();
    window.cmkgReady = true;
  });
})();
"""


def _json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that cannot end or confuse the ``<script>`` element holding it.

    >>> _json_for_script({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _safe_url(url: Any) -> str | None:
    """``url`` if it is a plain http(s) URL, else None.

    >>> _safe_url("https://example.org/a?b=1"), _safe_url("javascript:alert(1)"), _safe_url("http://x\\"><b>")
    ('https://example.org/a?b=1', None, None)
    """
    return url if isinstance(url, str) and _SAFE_URL.match(url) else None


def _label(data: dict[str, Any], node: Any, lang: str) -> str:
    return str(data.get(f"label_{lang}") or data.get("label_en") or data.get("label_fr") or node)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "\u2026"


class _Sources:
    """The documents and claims a graph cites, each written once: evidence refers to claims by number,
    claims to documents by number."""

    def __init__(self, G: nx.Graph) -> None:
        fields: dict[str, dict[str, Any]] = {}
        entries = [e for _, d in G.nodes(data=True) for e in d.get("evidence", ())]
        entries += [e for _, _, d in G.edges(data=True) for e in d.get("evidence", ())]
        for entry in entries:
            document = entry.get("document")
            if document and document not in fields:
                fields[document] = {
                    "id": str(document).rsplit("/", 1)[-1],
                    "title": entry.get("title"),
                    "publisher": entry.get("publisher"),
                    "date": entry.get("date"),
                    "url": _safe_url(entry.get("url")),
                }
        for _, data in G.nodes(data=True):
            for document in data.get("documents", ()):
                fields.setdefault(
                    document,
                    {"id": str(document).rsplit("/", 1)[-1], "title": None, "publisher": None, "date": None,
                     "url": None},
                )
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


def _component_layout(
    H: nx.Graph, boxes: dict[Any, tuple[float, float, float]]
) -> dict[Any, tuple[float, float]]:
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
    G: nx.Graph, order: dict[Any, tuple], boxes: dict[Any, tuple[float, float, float]]
) -> dict[Any, tuple[float, float]]:
    """Positions in vis-network canvas units: each component laid out alone, then packed.

    The largest component goes top left. The smaller components (largest first), then the nodes
    without any relation (sorted by class and label, each as wide as its label), flow in rows like
    words in a paragraph, either to the right of it or below it, in whichever shape and width make
    the drawing largest when fitted to a landscape window (``_ASPECT``): at the default zoom, labels
    are as large as they can be. ``boxes`` are the nodes' ``(width, height, radius)`` with their labels.
    """
    H = _simple(G)
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


def _network(G: nx.Graph, lang: str, size_by: dict[Any, float] | None, sources: _Sources) -> dict[str, Any]:
    """The page's data: pyvis's vis-network nodes, edges and options, and the panel's records."""
    large = G.number_of_nodes() > _LARGE
    nodes = sorted(G.nodes, key=str)
    labels = {n: _label(G.nodes[n], n, lang) for n in nodes}
    groups = list(PALETTE)
    order = {n: (groups.index(G.nodes[n].get("group")) if G.nodes[n].get("group") in groups else len(groups),
                 labels[n].casefold(), str(n)) for n in nodes}
    sizes = _sizes(G, size_by)
    boxes = {}
    for n in nodes:
        shown = G.nodes[n].get("group") not in _FACT_GROUPS  # fact labels appear only when zoomed in
        width = len(_short(labels[n])) * _CHAR if shown else 0.0
        boxes[n] = (max(width, 2 * sizes[n]) + _CHAR, 2 * sizes[n] + (_LABEL_HEIGHT if shown else 0.0) + 4, sizes[n])
    positions = _layout(G, order, boxes)
    net = Network(height="100%", width="100%", directed=True)
    net.set_options(json.dumps({
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "physics": {"enabled": False},
        "interaction": {"hover": not large, "tooltipDelay": 250, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large},
        "nodes": {
            "borderWidth": 1,
            "font": {"face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": 9, "maxVisible": 26}},
        },
        "edges": {
            "smooth": False,
            "font": {"face": _FONT, "size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "scaling": {"label": {"drawThreshold": 9, "maxVisible": 18}},
            "selectionWidth": 2,
        },
    }))

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
                "id": str(node),
                "label": labels[node],
                "names": _names(data, node),
                "group": group,
                "cls": str(data.get("cls") or group),
                "wikidata": data.get("wikidata"),
                "facts": _fact_rows(data.get("facts", []), lang),
                "documents": sorted(sources.number[d] for d in data.get("documents", ()) if d in sources.number),
                "evidence": sources.evidence(data.get("evidence", [])),
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
    return {"vis": {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(options)},
            "nodes": page_nodes, "edges": page_edges}


def _relations_of(G: nx.Graph) -> dict[str, tuple[str, str, str]]:
    """Colour and names of every relation of ``G`` that :data:`RELATIONS` does not know: grey, its own name."""
    names = {str(data.get("relation") or key) for _, _, key, data in G.edges(keys=True, data=True)}
    return {name: (_OTHER_RELATION, name, name) for name in sorted(names) if name not in RELATIONS}


def _legend(G: nx.Graph, lang: str) -> str:
    """The class check boxes (with counts) and the relation colours, as escaped HTML."""
    ui = UI_TEXT[lang]
    groups: dict[str, int] = {}
    for _, data in G.nodes(data=True):
        group = str(data.get("group") or "")
        groups[group] = groups.get(group, 0) + 1
    relations: dict[str, int] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
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
            f'<li><span class="cmkg-line" style="background:{color}"></span>'
            f'{html.escape(name_fr if lang == "fr" else name_en)} '
            f'<span class="cmkg-count">{relations[relation]}</span></li>'
        )
    return (f'<ul id="cmkg-legend" class="cmkg-legend">{"".join(items)}</ul>'
            f'<ul id="cmkg-relations" class="cmkg-legend">{"".join(lines)}</ul>')


def _page(title: str, subtitle: str, lang: str, stats: str, legend: str, payload: str) -> str:
    """Assemble the page; refuse it if anything in it but the data would reach outside the file."""
    ui = UI_TEXT[lang]
    scripts = [_library(name) for name in _LIBRARIES] + [_APP_JS]
    styles = [_library(name) for name in _STYLES] + [_CSS]
    csp = (
        "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
        f"script-src {' '.join(_script_hash(code) for code in scripts)}; "
        "base-uri 'none'; form-action 'none'"
    )
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(title)}</title>",
        *(f"<style>{style}</style>" for style in styles),
        "</head>",
        "<body>",
        '<header id="cmkg-header">',
        f'<div id="cmkg-title"><h1>{html.escape(title)}</h1>'
        f'<span id="cmkg-stats">{html.escape(stats)}</span>'
        + (f'<span id="cmkg-subtitle">{html.escape(subtitle)}</span>' if subtitle else "")
        + "</div>",
        f'<p class="cmkg-howto">{html.escape(ui["howto"])}</p>',
        '<div id="cmkg-tools">',
        f'<select id="cmkg-search" aria-label="{html.escape(ui["search"])}"></select>',
        f'<select id="cmkg-mineral" aria-label="{html.escape(ui["mineral"])}"></select>',
        f'<select id="cmkg-country" aria-label="{html.escape(ui["country"])}"></select>',
        f'<button type="button" id="cmkg-reset">{html.escape(ui["reset"])}</button>',
        "</div>",
        legend,
        "</header>",
        '<main id="cmkg-main"><div id="cmkg-network"></div><aside id="cmkg-panel" aria-live="polite"></aside></main>',
    ]
    tail = [*(f"<script>{code}</script>" for code in scripts), "</body>", "</html>", ""]
    _check_offline("\n".join(head + tail))
    data = f'<script type="application/json" id="cmkg-data">{payload}</script>'
    return "\n".join(head + [data] + tail)


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
) -> None:
    """Write ``G`` as one offline interactive HTML page.

    The page draws every node and edge of ``G`` (use :mod:`graph.subsets` to choose them), coloured
    and shaped by class, edges coloured and labelled by relation, at positions computed here; it has
    a search box, class / mineral / country filters, a legend with counts, and a side panel that
    shows the sentences and sources of the clicked node or edge. The header gives the number of
    documents and the newest document date, so the same graph always gives the same bytes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`graph.analyze.project` (node attributes ``group``, ``cls``,
        ``label_en``/``label_fr``, ``wikidata``, ``facts``, ``evidence``, ``documents``; edge
        attributes ``relation`` and ``evidence``); ``G.graph["broader"]`` (the mineral hierarchy,
        see :func:`graph.subsets.attested`) widens the mineral filter. It is not modified.
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

    Raises
    ------
    CmkgError
        If ``lang`` is not supported.
    """
    if lang not in UI_TEXT:
        raise CmkgError(f"unsupported page language {lang!r}: use one of {', '.join(sorted(UI_TEXT))}")
    path = Path(path)
    ui = UI_TEXT[lang]
    sources = _Sources(G)
    network = _network(G, lang, size_by, sources)
    newest = sources.newest()
    stats = " \u00b7 ".join(
        [f"{len(sources.documents)} {ui['documents']}"]
        + ([f"{ui['upto']} {newest}"] if newest else [])
        + [f"{G.number_of_nodes()} {ui['nodes']}", f"{G.number_of_edges()} {ui['edges']}"]
    )
    payload = _json_for_script(
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
