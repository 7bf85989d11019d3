"""The models of the static site's pages: plain dicts that the templates of ``templates/site/`` show.

Every fact reads as :func:`graph.analysis.wording.fact_line` renders it; every sentence is the
verbatim quote of its claim, linked to the place in its document where it is highlighted. Links are
relative to the page (``root`` is ``../`` on a page in a folder), so the site works from ``file://``.
Nothing here escapes text: the templates autoescape it; :func:`neighbourhood_svg` is the one piece of
markup the pages hold, and it escapes every label and link itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from graph.analysis.measures import ACTOR_GROUPS, node_label
from graph.analysis.projection import FACT_GROUPS, fact_values, related
from graph.analysis.supply import concentration, single_point_table
from graph.analysis.timeline import fact_date, timeline
from graph.analysis.wording import FactView, default_words, fact_line, fact_view
from graph.export.site import SiteInput, fold, safe_url
from graph.export.site_svg import neighbourhood_svg

#: Entity groups in the order pages list them.
ENTITY_GROUPS: tuple[str, ...] = (
    "State",
    "InternationalOrganization",
    "GovernmentBody",
    "Company",
    "Person",
    "Mineral",
    "Place",
)
#: Fact groups in the order pages list them, with the heading key of each.
FACT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Agreement", "agreements"),
    ("Project", "projects"),
    ("Measure", "measures"),
    ("MarketShare", "shares"),
)
_QID = re.compile(r"^Q[0-9]+$")
_NEIGHBOURS = 24  # most entities drawn around an entity
_FACTS_DRAWN = 12  # most facts drawn around an entity
_LATEST = 12
_TOP = 10


def first_line(text: str) -> str:
    """The first non-blank line of a text, at most 120 characters.

    >>> first_line("\\n  Pékin signe.  \\nSuite")
    'Pékin signe.'
    """
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 120 else line[:119] + "\u2026"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"


class SiteModel:
    """The page models of one site: built from a :class:`graph.export.site.SiteInput`, in one language,
    with the interface words ``text`` and the page path of every IRI ``paths``."""

    def __init__(self, site: SiteInput, lang: str, text: dict[str, str], paths: dict[str, str]) -> None:
        self.site = site
        self.G = site.G
        self.lang = lang
        self.text = text
        self.paths = paths
        self.words = self.G.graph.get("words") or default_words()
        self.documents = {d["iri"]: d for d in site.documents}
        self._lines: dict[Any, str] = {}
        self.markets = defaultdict(list)
        for row in concentration(self.G, lang=lang):
            self.markets[row["mineral"]].append(row)
        self.single_points = defaultdict(list)
        for row in single_point_table(self.G, lang):
            self.single_points[row["mineral"]].append(row)
        self.claim_facts: dict[str, list[Any]] = defaultdict(list)
        for node, data in sorted(self.G.nodes(data=True), key=lambda item: str(item[0])):
            if data.get("group") in FACT_GROUPS:
                for entry in data.get("evidence", ()):
                    self.claim_facts[entry["claim"]].append(node)
        self.members: dict[int, list[Any]] = defaultdict(list)
        for node in self.G:
            if str(node) in site.community:
                self.members[site.community[str(node)]].append(node)
        self.anchors: dict[str, str] = {}
        self._pieces = {d["iri"]: self._highlights(d) for d in site.documents}

    def _highlights(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        """A document's clean text cut into pieces, each claim's sentence a link to its fact; records the
        anchor of every claim in :attr:`anchors` (a claim inside an earlier one's sentence gets that one's)."""
        text = document["text"]
        marks = sorted(
            (span + (claim,) for claim, span in document["spans"].items() if claim in self.claim_facts),
            key=lambda item: (item[0], -item[1], item[2]),
        )
        pieces: list[dict[str, Any]] = []
        position, last = 0, ""
        for start, end, claim in marks:
            start = max(start, position)
            if end <= start:
                self.anchors[claim] = last
                continue
            if start > position:
                pieces.append({"text": text[position:start], "href": None})
            facts = self.claim_facts[claim]
            last = _anchor(claim)
            self.anchors[claim] = last
            pieces.append(
                {
                    "text": text[start:end],
                    "id": last,
                    "href": "../" + self.paths[str(facts[0])],
                    "title": " | ".join(self.line(f) for f in facts),
                }
            )
            position = end
        if position < len(text):
            pieces.append({"text": text[position:], "href": None})
        return pieces

    # -- small pieces ------------------------------------------------------------------------------
    def label(self, node: Any) -> str:
        """The label of a node in the site's language."""
        return node_label(self.G, node, self.lang)

    def line(self, node: Any) -> str:
        """A fact's one line (:func:`graph.analysis.wording.fact_line`), computed once."""
        if node not in self._lines:
            self._lines[node] = fact_line(fact_view(self.G, node, self.lang), self.lang, self.words)
        return self._lines[node]

    def link(self, node: Any) -> dict[str, str]:
        """``{"href", "label", "group"}`` of a node (``href`` from the site root)."""
        return {
            "href": self.paths[str(node)],
            "label": self.label(node),
            "group": self.text.get(str(self.G.nodes[node].get("group")), ""),
        }

    def document_label(self, document: dict[str, Any] | None, iri: str) -> tuple[str, bool]:
        """A document's title, or its first line (and True: the title is missing)."""
        if document is None:
            return iri.rsplit("/", 1)[-1], False
        if document.get("title"):
            return str(document["title"]), False
        return first_line(document["text"]) or document["id"], True

    def evidence(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each sentence with its document (a link to the highlighted place) and date."""
        rows = []
        seen = set()
        for entry in entries:
            iri = str(entry.get("document") or "")
            quote = " ".join(str(entry.get("quote") or "").split())
            if (iri, quote) in seen:  # one sentence behind a person and their affiliation: shown once
                continue
            seen.add((iri, quote))
            document = self.documents.get(iri)
            label, untitled = self.document_label(document, iri)
            anchor = self.anchors.get(entry["claim"], "") if document else ""
            rows.append(
                {
                    "quote": quote,
                    "href": (self.paths[iri] + (f"#{anchor}" if anchor else "")) if iri in self.paths else None,
                    "document": label,
                    "untitled": untitled,
                    "date": entry.get("date") or "",
                    "publisher": entry.get("publisher") or "",
                }
            )
        return rows

    def fact_item(self, fact: Any, relation: str = "") -> dict[str, Any]:
        """A fact as a list item: its line, page, date and sentences."""
        date, _ = fact_date(self.G, fact)
        return {
            "href": self.paths[str(fact)],
            "line": self.line(fact),
            "relation": self.text.get(f"as_{relation}", relation) if relation else "",
            "date": date or "",
            "evidence": self.evidence(self.G.nodes[fact].get("evidence", [])),
        }

    # -- pages -------------------------------------------------------------------------------------
    def index(self) -> dict[str, Any]:
        """The index: the corpus, central actors, minerals with their concentration, latest facts."""
        G = self.G
        dates = sorted(str(d["date"]) for d in self.site.documents if d.get("date"))
        counts = [
            (self.text[key], sum(1 for _, g in G.nodes(data="group") if g == group)) for group, key in FACT_SECTIONS
        ]
        entity_counts = [(self.text[g], sum(1 for _, x in G.nodes(data="group") if x == g)) for g in ENTITY_GROUPS]
        actors = sorted(
            (n for n, g in G.nodes(data="group") if g in ACTOR_GROUPS),
            key=lambda n: (-self.site.scores.get(str(n), {}).get("betweenness", 0.0), self.label(n), str(n)),
        )[:_TOP]
        central = [
            {**self.link(n), "score": _number(self.site.scores.get(str(n), {}).get("betweenness", 0.0))} for n in actors
        ]
        minerals = []
        for mineral in sorted(self.markets, key=lambda m: (self.label(m), str(m))):
            for row in self.markets[mineral]:
                if row["market"] is None and row["suppliers"]:
                    minerals.append(self.market(row))
        latest = [self.fact_item(row["fact"]) for row in timeline(G, lang=self.lang)[-_LATEST:]][::-1]
        return {
            "title": self.text["site_title"],
            "documents": len(self.site.documents),
            "first_date": dates[0] if dates else "",
            "last_date": dates[-1] if dates else "",
            "counts": counts,
            "entity_counts": [(name, n) for name, n in entity_counts if n],
            "central": central,
            "minerals": minerals,
            "latest": latest,
        }

    def market(self, row: dict[str, Any]) -> dict[str, Any]:
        """One market of :func:`graph.analysis.supply.concentration` as a table row."""
        return {
            "mineral": self.link(row["mineral"]),
            "stage": self.words.word("Stages", row["stage"], self.lang),
            "market": self.link(row["market"]) if row["market"] is not None else None,
            "suppliers": [
                {**self.link(s["iri"]), "share": _number(s["share"])} for s in row["suppliers"] if s["iri"] in self.G
            ],
            "unknown": _number(row["unknown_share"]),
            "hhi": _number(row["hhi"]),
            "hhi_max": _number(row["hhi_max"]),
            "dependence": _number(row["import_dependence"]) if row["import_dependence"] is not None else "",
        }

    def lists(self) -> list[tuple[str, dict[str, Any]]]:
        """The three listing pages: entities, facts and documents."""
        G = self.G
        entity_sections = []
        for group in ENTITY_GROUPS + tuple(
            sorted({str(g) for _, g in G.nodes(data="group")} - set(ENTITY_GROUPS) - FACT_GROUPS)
        ):
            nodes = sorted((n for n, g in G.nodes(data="group") if g == group), key=lambda n: (self.label(n), str(n)))
            if nodes:
                items = [_item(self.paths[str(n)], self.label(n)) for n in nodes]
                entity_sections.append({"heading": self.text.get(group, group), "items": items})
        fact_sections = []
        for group, key in FACT_SECTIONS:
            nodes = sorted((n for n, g in G.nodes(data="group") if g == group), key=lambda n: (self.line(n), str(n)))
            if nodes:
                items = [_item(self.paths[str(n)], self.line(n)) for n in nodes]
                fact_sections.append({"heading": self.text[key], "items": items})
        documents = []
        for d in sorted(self.site.documents, key=lambda d: (str(d.get("date") or ""), d["id"])):
            label, untitled = self.document_label(d, d["iri"])
            documents.append(_item(self.paths[d["iri"]], label, untitled, str(d.get("date") or "")))
        return [
            ("entities.html", {"title": self.text["all_entities"], "sections": entity_sections}),
            ("facts.html", {"title": self.text["all_facts"], "sections": fact_sections}),
            (
                "documents.html",
                {"title": self.text["all_documents"], "sections": [{"heading": "", "items": documents}]},
            ),
        ]

    def entity(self, node: Any) -> dict[str, Any]:
        """An entity's page: names, Wikidata, facts by kind, centrality, community, neighbourhood, timeline."""
        G, data = self.G, self.G.nodes[node]
        names = {lang: data.get(f"label_{lang}") for lang in ("en", "fr")}
        aliases = sorted(
            {str(f["value"]) for f in data.get("facts", ()) if f.get("property") == "altLabel"} - set(names.values())
        )
        qid = data.get("wikidata")
        by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for fact, _, key in sorted(G.in_edges(node, keys=True), key=lambda e: (str(e[0]), str(e[2]))):
            group = G.nodes[fact].get("group")
            if group in FACT_GROUPS:
                by_group[group].append(self.fact_item(fact, key))
        sections = [
            {"heading": self.text[key], "items": _sorted_items(by_group[group])}
            for group, key in FACT_SECTIONS
            if by_group[group]
        ]
        roles = self.roles(node)
        if roles:
            sections.append({"heading": self.text["roles"], "items": roles})
        scores = self.site.scores.get(str(node), {})
        community = self.site.community.get(str(node))
        members = sorted(
            (self.link(n) for n in self.members.get(community, ()) if n != node), key=lambda m: (m["label"], m["href"])
        )
        return {
            "title": self.label(node),
            "group": self.text.get(str(data.get("group")), str(data.get("group"))),
            "names": names,
            "aliases": aliases,
            "wikidata": f"https://www.wikidata.org/wiki/{qid}" if qid and _QID.match(str(qid)) else None,
            "qid": qid if qid and _QID.match(str(qid)) else None,
            "sections": sections,
            "scores": [
                (self.text[f"m_{m}"], _number(scores[m])) for m in ("betweenness", "degree", "pagerank") if m in scores
            ],
            "community": community,
            "members": members,
            "svg": self.neighbourhood(node),
            "timeline": [
                {"date": row["date"], "line": row["line"], "href": self.paths[str(row["fact"])]}
                for row in timeline(G, node, lang=self.lang)
            ],
            "mineral": self.mineral(node) if data.get("group") == "Mineral" else None,
        }

    def roles(self, node: Any) -> list[dict[str, Any]]:
        """A person's roles (with affiliations), or the persons affiliated with an organisation."""
        G, data = self.G, self.G.nodes[node]
        items = []
        if data.get("group") == "Person":
            role = fact_values(G, node).get("role", "")
            links = {"affiliatedWith": [self.label(v) for v in related(G, node, "affiliatedWith")]}
            view = FactView("Role", "Role", self.label(node), links, {"role": role})
            entries = list(data.get("evidence", []))
            for _, _target, key, edge in G.out_edges(node, keys=True, data=True):
                if key == "affiliatedWith":
                    entries += edge.get("evidence", [])
            items.append(
                {
                    "href": None,
                    "line": fact_line(view, self.lang, self.words),
                    "relation": "",
                    "date": "",
                    "evidence": self.evidence(_unique(entries)),
                }
            )
        for person, _, key, edge in sorted(G.in_edges(node, keys=True, data=True), key=lambda e: str(e[0])):
            if key == "affiliatedWith" and G.nodes[person].get("group") == "Person":
                role = fact_values(G, person).get("role", "")
                view = FactView(
                    "Role", "Role", self.label(person), {"affiliatedWith": [self.label(node)]}, {"role": role}
                )
                items.append(
                    {
                        "href": self.paths[str(person)],
                        "line": fact_line(view, self.lang, self.words),
                        "relation": "",
                        "date": "",
                        "evidence": self.evidence(edge.get("evidence", [])),
                    }
                )
        return items

    def mineral(self, node: Any) -> dict[str, Any]:
        """A mineral's supply: its markets (suppliers, shares, concentration) and who a supplier cuts off."""
        return {
            "markets": [self.market(row) for row in self.markets.get(node, [])],
            "single_points": [
                {
                    "supplier": self.link(row["node"]),
                    "consumers": [self.link(c) for c in row["consumers"]],
                    "articulation": row["articulation"],
                }
                for row in self.single_points.get(node, [])
                if row["consumers"]
            ],
        }

    def neighbourhood(self, node: Any) -> str:
        """The drawing of ``node``, its facts and what they link to (the most attested first)."""
        G = self.G
        facts = {u for u, _ in G.in_edges(node) if G.nodes[u].get("group") in FACT_GROUPS}
        if G.nodes[node].get("group") in FACT_GROUPS:
            facts.add(node)
        facts_drawn = sorted(facts, key=lambda f: (-len(G.nodes[f].get("evidence", [])), str(f)))[:_FACTS_DRAWN]
        others: dict[Any, int] = defaultdict(int)
        for fact in facts_drawn:
            for _, v in G.out_edges(fact):
                if v != node:
                    others[v] += 1
        for u, v in list(G.out_edges(node)) + list(G.in_edges(node)):
            other = v if u == node else u
            if other != node and G.nodes[other].get("group") not in FACT_GROUPS:
                others[other] += 1
        kept = sorted(others, key=lambda n: (-others[n], str(n)))[:_NEIGHBOURS]
        nodes = [node, *facts_drawn, *kept]
        chosen = set(nodes)
        edges = {tuple(sorted((u, v), key=str)) for u in chosen for v in G.successors(u) if v in chosen and u != v}
        href = {str(n): "../" + self.paths[str(n)] for n in nodes}
        return neighbourhood_svg(G, node, nodes, sorted(edges), self.lang, href, self.text["neighbourhood"])

    def fact(self, node: Any) -> dict[str, Any]:
        """A fact's page: what it links (parties, minerals…), its values, its sentences, disagreements."""
        G, data = self.G, self.G.nodes[node]
        relations: dict[str, list[dict[str, str]]] = defaultdict(list)
        for _, v, key in sorted(G.out_edges(node, keys=True), key=lambda e: (str(e[2]), self.label(e[1]))):
            relations[str(key)].append(self.link(v))
        values: dict[str, list[str]] = defaultdict(list)
        for item in data.get("facts", ()):
            if item["value"] not in values[item["property"]]:
                values[item["property"]].append(str(item["value"]))
        date, dated_by = fact_date(G, node)
        evidence = data.get("evidence", [])
        return {
            "title": self.line(node),
            "group": self.text.get(str(data.get("group")), ""),
            "cls": self.words.word("class", str(data.get("cls") or data.get("group")), self.lang),
            "relations": [(self.text.get(f"rel_{k}", k), v) for k, v in relations.items()],
            "values": [(self.text.get(f"p_{k}", k), "; ".join(v)) for k, v in sorted(values.items())],
            "date": date or "",
            "dated_by": self.text.get(f"dated_{dated_by}", "") if dated_by else "",
            "evidence": self.evidence(evidence),
            "disagreements": self.disagreements(node, evidence),
            "svg": self.neighbourhood(node),
        }

    def disagreements(self, node: Any, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """For each value the documents disagree on, the documents side by side: what each one says."""
        by_claim = {e["claim"]: e for e in evidence}
        table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for claim, name, value in self.site.values_by_claim.get(str(node), []):
            entry = by_claim.get(claim)
            if entry is not None:
                table[name][str(entry.get("document") or "")].add(value)
        rows = []
        for name in sorted(table):
            columns = []
            for iri in sorted(table[name]):
                label, untitled = self.document_label(self.documents.get(iri), iri)
                columns.append(
                    {
                        "document": label,
                        "untitled": untitled,
                        "href": self.paths.get(iri),
                        "value": "; ".join(sorted(table[name][iri])),
                        "quotes": [
                            " ".join(str(e.get("quote") or "").split())
                            for e in evidence
                            if str(e.get("document") or "") == iri
                        ],
                    }
                )
            if len({c["value"] for c in columns}) > 1:
                rows.append({"property": self.text.get(f"p_{name}", name), "columns": columns})
        return rows

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        """A document's page: metadata, and its clean text with each fact's sentence highlighted."""
        label, untitled = self.document_label(document, document["iri"])
        claims = [c for c in document["spans"] if c in self.claim_facts]
        facts = sorted({f for c in claims for f in self.claim_facts[c]}, key=lambda f: (self.line(f), str(f)))
        return {
            "title": label,
            "untitled": untitled,
            "meta": [
                (self.text[key], str(document[key]))
                for key in ("publisher", "author", "date", "language")
                if document.get(key)
            ],
            "url": safe_url(document.get("url")),
            "unsafe_url": None if safe_url(document.get("url")) else document.get("url"),
            "pieces": self._pieces[document["iri"]],
            "facts": [{"href": self.paths[str(f)], "line": self.line(f)} for f in facts],
        }

    def search_index(self) -> list[list[str]]:
        """``[folded name, name, page, kind]`` for every name and alias of every entity, every fact's line
        and every document's title, sorted."""
        rows = set()
        for node, data in self.G.nodes(data=True):
            group = str(data.get("group"))
            if group in FACT_GROUPS:
                names = {self.line(node)}
            else:
                names = {str(n) for n in (data.get("label_en"), data.get("label_fr")) if n}
                names |= {str(f["value"]) for f in data.get("facts", ()) if f.get("property") == "altLabel"}
            kind = self.text.get(group, group)
            for name in names:
                rows.add((fold(name), name, self.paths[str(node)], kind))
            sense = self.site.actor_sense.get(str(node))
            if sense in self.paths:  # a capital standing for its state: "Pékin" finds China too
                shown = self.label(sense)
                kind = self.text.get(str(self.G.nodes[sense].get("group")), "")
                for name in names:
                    rows.add((fold(name), f"{name} \u2192 {shown}", self.paths[sense], kind))
        for d in self.site.documents:
            label, _ = self.document_label(d, d["iri"])
            rows.add((fold(label), label, self.paths[d["iri"]], self.text["document"]))
        return [list(row) for row in sorted(rows)]


def _anchor(claim: str) -> str:
    """The id of a claim's highlight in its document page.

    >>> _anchor("https://w3id.org/cmkg/claim/0a1b")
    'claim-0a1b'
    """
    return "claim-" + re.sub(r"[^A-Za-z0-9_-]", "_", str(claim).rsplit("/", 1)[-1])


def _item(href: str, text: str, untitled: bool = False, date: str = "") -> dict[str, Any]:
    """An entry of a listing page."""
    return {"href": href, "text": text, "untitled": untitled, "date": date}


def _unique(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, kept = set(), []
    for entry in entries:
        if entry.get("claim") not in seen:
            seen.add(entry.get("claim"))
            kept.append(entry)
    return kept


def _sorted_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fact items newest first (undated last), then by line; one item per fact."""
    unique = {item["href"]: item for item in items}
    return sorted(unique.values(), key=lambda i: (i["date"] == "", _negate(i["date"]), i["line"]))


def _negate(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)
