
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cmkg-data").textContent);
  var text = data.text;
  var SAFE_URL = /^https?:\/\/[^\s"'<>\\]+$/i;
  // A node's page in the static site: a relative path to an .html file, as graph.export.html._PAGE_URL.
  var PAGE_URL = /^(?:\.\.\/)*(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+\.html$/;
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
    v.hidden = n.onlyMentioned;  // the entities only mentioned wait under the drawing until asked for
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
  function pageOf(id) {
    var page = has(nodeById, id) ? nodeById[id].page : null;
    return typeof page === "string" && PAGE_URL.test(page) ? page : null;
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
    var untitled = !doc.title && doc.firstLine;
    if (untitled) {
      // No title: the document's first line stands in, marked as such, and its id says which file it is.
      p.appendChild(el("span", null, text.untitled + " "));
      var line = link(doc.firstLine, doc.url);
      line.className = "cmkg-untitled";
      p.appendChild(line);
    } else {
      p.appendChild(link(doc.title || doc.id || text.source, doc.url));
    }
    var where = [untitled ? doc.id : null, doc.publisher, doc.date].filter(function (v) { return v; }).join(", ");
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
    var page = pageOf(n.id);
    if (page) {
      var open = el("p", "cmkg-page");
      var a = el("a", null, text.open_page);
      a.href = page;  // same tab: the site's pages link back to graph.html
      open.appendChild(a);
      panel.appendChild(open);
    }
    if (n.line) { panel.appendChild(el("p", "cmkg-line", n.line)); }
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
    if (has(nodeById, id) && nodeById[id].onlyMentioned && !filters.mentioned) { filter({mentioned: true}); }
    if (!show(id)) { return false; }
    if (has(nodeById, id) && !nodes.get(id).hidden) { network.focus(id, {scale: Math.max(network.getScale(), 0.8), animation: false}); }
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(params.nodes[0]); }
    else if (params.edges.length) { show(params.edges[0]); }
    else { highlight(null); showDocuments(); }
  });
  network.on("doubleClick", function (params) {
    var page = params.nodes.length ? pageOf(params.nodes[0]) : null;
    if (page) { window.location.assign(page); }
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
  var filters = {classes: null, mineral: "", country: "", mentioned: false};
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
        (!mineral || has(mineral, n.id)) && (!country || has(country, n.id)) && (filters.mentioned || !n.onlyMentioned);
      return {id: n.id, hidden: !on};
    }));
    document.querySelectorAll("#cmkg-legend input[type=checkbox]").forEach(function (box) {
      box.checked = !filters.classes || filters.classes.indexOf(box.value) >= 0;
    });
    showMentionedState();
  }
  // The legend line of the entities only mentioned, worded as graph.export.html.mentioned_line words it.
  var onlyMentioned = data.nodes.filter(function (n) { return n.onlyMentioned; }).length;
  var mentionedToggle = document.getElementById("cmkg-mentioned-toggle");
  function showMentionedState() {
    if (!mentionedToggle) { return; }
    var one = onlyMentioned === 1 ? "_one" : "";
    document.getElementById("cmkg-mentioned-line").textContent =
      text["mentioned_only" + one].replace("{n}", String(onlyMentioned)) + " \u2014 " +
      text[(filters.mentioned ? "mentioned_shown" : "mentioned_hidden") + one];
    mentionedToggle.textContent = filters.mentioned ? text.mentioned_hide : text.mentioned_show;
    mentionedToggle.setAttribute("aria-pressed", filters.mentioned ? "true" : "false");
  }
  function filter(spec) {
    spec = spec || {};
    if (has(spec, "classes")) { filters.classes = spec.classes ? spec.classes.slice() : null; }
    if (has(spec, "mineral")) { filters.mineral = spec.mineral || ""; if (mineralBox.getValue() !== filters.mineral) { mineralBox.setValue(filters.mineral, true); } }
    if (has(spec, "mentioned")) { filters.mentioned = Boolean(spec.mentioned); }
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
  if (mentionedToggle) {
    mentionedToggle.addEventListener("click", function () {
      filter({mentioned: !filters.mentioned});
      initialView();
    });
  }
  document.getElementById("cmkg-reset").addEventListener("click", function () {
    searchBox.clear(true);
    filter({classes: null, mineral: "", country: "", mentioned: false});
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
