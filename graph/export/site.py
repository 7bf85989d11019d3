"""Write a build as a static web site: one page per entity, fact and document, an index with search.

The site opens from disk (``file://``) or from any static web host: no server, no network access.
:func:`load_site_input` reads what a build folder holds (``graph.trig``, ``documents/``,
``analysis/centrality.csv``); :func:`site_files` turns it into the site's files (pure: the same input
gives the same bytes); :func:`write_site` writes them into a folder (swapped in whole, as a build is)
or one zip archive. The pages come from Jinja2 templates (``templates/site/``), their words from
``templates/site/text.json``; the models behind them are built in :mod:`graph.export.site_pages`.

Safety contract, as for graph.html:

- Jinja2 autoescapes everything a page shows; text from documents (names, sentences, titles, the
  document text itself) is never marked safe. The only markup built in Python is the neighbourhood
  drawing (:func:`graph.export.site_pages.neighbourhood_svg`), which escapes every label itself.
- Links out of the site are only ``http(s)`` URLs (a document's ``javascript:`` URL is shown as text)
  and Wikidata links built from a checked ``Q`` number.
- The search index is data in a script file of the site (``site-index.js``, JSON with ``<``, ``>``
  and ``&`` escaped); the one page script (``site.js``) shows results with ``textContent``.
- Every page carries ``default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:``:
  no inline script or style, nothing loaded from outside the site. ``graph.html`` is written by
  :func:`graph.export.html.write_html` with its own policy, given the relative URL of every node's page
  (``entity/china.html``: site paths are made of ``[a-z0-9_-]`` names) so that its panel links to it.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from graph.errors import CmkgError, StoreError
from graph.export.html import json_for_script, safe_url

log = logging.getLogger(__name__)

#: Languages the site can be written in.
SITE_LANGUAGES: tuple[str, ...] = ("en", "fr")
#: The policy of every page of the site.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)
#: Folder of the pages of each group of nodes.
FOLDERS: dict[str, str] = {
    "Agreement": "agreement",
    "Project": "project",
    "Measure": "measure",
    "MarketShare": "share",
}
_STATIC = ("site.css", "site.js")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class SiteInput:
    """What the site shows, read out of a build.

    ``G`` is the attested projection (:func:`graph.analysis.subsets.attested`); ``documents`` one dict
    per document (``iri``, ``id``, ``title``, ``date``, ``publisher``, ``url``, ``language``, ``text``:
    the cleaned text, ``spans``: ``{claim IRI: (start, end)}`` in that text); ``scores`` the centralities
    of each node and ``community`` its community (``analysis/centrality.csv``); ``values_by_claim``
    ``{fact IRI: [(claim IRI, property, value)]}`` for the facts whose documents disagree on a value;
    ``actor_sense`` ``{place IRI: state IRI}`` for the capitals that stand for their state (*Pékin*).
    """

    G: nx.MultiDiGraph
    documents: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    community: dict[str, int] = field(default_factory=dict)
    values_by_claim: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    actor_sense: dict[str, str] = field(default_factory=dict)


def fold(text: str) -> str:
    """Text as search compares it: accents and case dropped.

    >>> fold("Pékin"), fold("ÉTATS-UNIS")
    ('pekin', 'etats-unis')
    """
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _slug(text: str) -> str:
    """A lower-case file name from an IRI's last segment.

    >>> _slug("https://w3id.org/cmkg/id/United_States"), _slug("https://w3id.org/cmkg/doc/Évian 2")
    ('united_states', 'evian_2')
    """
    tail = str(text).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    ascii_tail = unicodedata.normalize("NFKD", tail).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_-]+", "_", ascii_tail.lower()).strip("_") or "x"


def page_paths(G: nx.Graph, document_iris: list[str]) -> dict[str, str]:
    """The path of every page in the site, by IRI: entities under ``entity/``, facts under
    ``agreement/``, ``project/``, ``measure/`` and ``share/``, documents under ``document/``; the name is
    the IRI's last segment in lower case, made unique by ``-2``, ``-3``… in IRI order.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("https://w3id.org/cmkg/id/China", group="State")
    >>> G.add_node("https://w3id.org/cmkg/id/china", group="Company")
    >>> G.add_node("https://w3id.org/cmkg/fact/agreement/ab12", group="Agreement")
    >>> sorted(page_paths(G, ["https://w3id.org/cmkg/doc/001_x"]).values())
    ['agreement/ab12.html', 'document/001_x.html', 'entity/china-2.html', 'entity/china.html']
    """
    paths: dict[str, str] = {}
    taken: set[str] = set()
    items = [(str(node), FOLDERS.get(str(data.get("group")), "entity")) for node, data in G.nodes(data=True)]
    items += [(iri, "document") for iri in document_iris]
    for iri, folder in sorted(items):
        base = f"{folder}/{_slug(iri)}"
        path, number = f"{base}.html", 1
        while path in taken:
            number += 1
            path = f"{base}-{number}.html"
        taken.add(path)
        paths[iri] = path
    return paths


def clean_spans(clean: Any, spans: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Source offsets of claims mapped onto a document's clean text (a :class:`graph.ingest.clean.CleanText`):
    each span goes from the first to the last of its characters that the clean text kept; a span of
    which cleaning kept nothing is left out."""
    copied = sorted((s.source_start, s.clean_start, s.length) for s in clean.segments if s.source_start >= 0)
    found: dict[str, tuple[int, int]] = {}
    for claim, (start, end) in spans.items():
        first = last = None
        for source, target, length in copied:
            if source + length <= start or source >= end:
                continue
            if first is None:
                first = target + max(0, start - source)
            last = target + min(length, end - source)
        if first is not None and last is not None and last > first:
            found[claim] = (first, last)
    return found


def load_site_input(out: Path) -> SiteInput:
    """Read a build folder for the site: its dataset, documents and analysis.

    Raises
    ------
    StoreError
        If ``out`` holds no build.
    """
    from rdflib import URIRef

    from graph.analysis import measures, projection, subsets
    from graph.build.dataset import load_build
    from graph.extract.reference import default_ontology_dir
    from graph.ingest import clean_text, load_boilerplate_rules
    from graph.iri import CMKG, PROV, document_iri

    if not (out / "graph.trig").is_file():
        raise StoreError(f"{out}: no build here (no graph.trig); run `cmkg build` first")
    ds = load_build(out)
    full = projection.project(ds)
    G = subsets.attested(full)
    actor_sense = {str(u): str(v) for u, v, key in full.edges(keys=True) if key == "actorSense" and u in G and v in G}

    offsets: dict[str, dict[str, list[Any]]] = {}
    for predicate, slot in ((CMKG.startOffset, 0), (CMKG.endOffset, 1), (PROV.wasDerivedFrom, 2)):
        for claim, _, value, _ in ds.quads((None, predicate, None, None)):
            offsets.setdefault(str(claim), {}).setdefault("v", [None, None, None])[slot] = value
    by_document: dict[str, dict[str, tuple[int, int]]] = {}
    for claim, entry in offsets.items():
        start, end, document = entry["v"]
        if start is not None and end is not None and document is not None:
            by_document.setdefault(str(document), {})[claim] = (int(start), int(end))

    rules = load_boilerplate_rules(default_ontology_dir() / "patterns" / "boilerplate.csv")
    documents = []
    for meta_path in sorted((out / "documents").glob("*.meta.json")):
        doc_id = meta_path.name[: -len(".meta.json")]
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        raw = (out / "documents" / f"{doc_id}.txt").read_text(encoding="utf-8")
        clean = clean_text(raw, rules)
        iri = document_iri(doc_id)
        documents.append(
            {
                **{key: meta.get(key) for key in ("title", "date", "publisher", "url", "language", "author")},
                "iri": iri,
                "id": doc_id,
                "text": clean.text,
                "spans": clean_spans(clean, by_document.get(iri, {})),
            }
        )

    scores: dict[str, dict[str, float]] = {}
    community: dict[str, int] = {}
    table = out / "analysis" / "centrality.csv"
    if table.is_file():
        with table.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                scores[row["iri"]] = {m: float(row[m] or 0.0) for m in measures.MEASURES if m in row}
                if row.get("community"):
                    community[row["iri"]] = int(row["community"])
    else:
        for measure, values in measures.centrality_scores(G).items():
            for node, value in values.items():
                scores.setdefault(str(node), {})[measure] = float(value or 0.0)
        community = {str(k): v for k, v in measures.communities(projection.coagreement_graph(G)).items()}

    values_by_claim: dict[str, list[tuple[str, str, str]]] = {}
    for node, data in G.nodes(data=True):
        if data.get("group") not in FOLDERS:
            continue
        seen: dict[str, set[str]] = {}
        for item in data.get("facts", ()):
            seen.setdefault(item["property"], set()).add(item["value"])
        disputed = {name for name, values in seen.items() if len(values) > 1}
        if not disputed:
            continue
        rows = []
        for entry in data.get("evidence", ()):
            claim = URIRef(entry["claim"])
            for name in sorted(disputed):
                for value in ds.graph(claim).objects(URIRef(node), CMKG[name]):
                    rows.append((entry["claim"], name, str(value)))
        values_by_claim[str(node)] = sorted(set(rows))
    return SiteInput(G, documents, scores, community, values_by_claim, actor_sense)


def _text(lang: str) -> dict[str, str]:
    """The interface words of the site in ``lang`` (``templates/site/text.json``)."""
    words = json.loads(resources.files("graph.export").joinpath("templates", "site", "text.json").read_text("utf-8"))
    return {key: value[lang] for key, value in words.items()}


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("graph.export", "templates/site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def site_files(site: SiteInput, lang: str = "en", graph_page: bool = True) -> dict[str, bytes]:
    """Every file of the site, by path (``index.html``, ``entity/china.html``, ``site.css``…).

    With ``graph_page``, ``graph.html`` (:func:`graph.export.html.write_html` of ``site.G``, nodes sized
    by the betweenness of ``site.scores``, each node linked to its page) is among them.

    Raises
    ------
    CmkgError
        If ``lang`` is not one of :data:`SITE_LANGUAGES`.
    """
    from graph.export import site_pages

    if lang not in SITE_LANGUAGES:
        raise CmkgError(f"unsupported site language {lang!r}: use one of {', '.join(SITE_LANGUAGES)}")
    text = _text(lang)
    paths = page_paths(site.G, [d["iri"] for d in site.documents])
    env = _environment()
    common = {"lang": lang, "t": text, "csp": CSP}
    files: dict[str, bytes] = {}

    def render(template: str, path: str, context: dict[str, Any]) -> None:
        root = "../" * path.count("/")
        files[path] = env.get_template(template).render(**common, root=root, **context).encode("utf-8")

    model = site_pages.SiteModel(site, lang, text, paths)
    render("index.html", "index.html", model.index())
    for name, context in model.lists():
        render("list.html", name, context)
    for node, data in sorted(site.G.nodes(data=True), key=lambda item: str(item[0])):
        if data.get("group") in FOLDERS:
            render("fact.html", paths[str(node)], model.fact(node))
        else:
            render("entity.html", paths[str(node)], model.entity(node))
    for document in site.documents:
        render("document.html", paths[document["iri"]], model.document(document))
    files["site-index.js"] = ("window.CMKG_INDEX = " + json_for_script(model.search_index()) + ";\n").encode("utf-8")
    for name in _STATIC:
        files[name] = resources.files("graph.export").joinpath("templates", "site", name).read_bytes()
    if graph_page:
        sizes = {node: site.scores.get(str(node), {}).get("betweenness", 0.0) for node in site.G}
        pages = {node: paths[str(node)] for node in site.G}  # graph.html is at the site's root
        files["graph.html"] = _graph_page(site.G, lang, text["graph_title"], sizes, pages)
    return files


def _graph_page(G: nx.MultiDiGraph, lang: str, title: str, sizes: dict[Any, float], pages: dict[Any, str]) -> bytes:
    """graph.html of ``G`` with nodes sized by ``sizes`` and linked to ``pages``, as
    :func:`graph.export.html.write_html` writes it."""
    from graph.export.html import write_html

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        write_html(G, path, title, lang=lang, size_by=sizes, pages=pages)
        return path.read_bytes()


def write_site(out: Path, to: Path | None = None, lang: str = "en", as_zip: bool = False) -> tuple[Path, int]:
    """Write the site of the build in ``out`` into ``to`` (default ``out/site``), or, with ``as_zip``, as
    one archive ``to.zip`` (its files under the folder ``to.name``). The folder is written beside its
    final place and swapped in at the end, so a failure leaves the previous site whole. Returns the
    path written and the number of pages."""
    to = Path(to) if to is not None else out / "site"
    files = site_files(load_site_input(out), lang)
    pages = sum(1 for name in files if name.endswith(".html"))
    to.parent.mkdir(parents=True, exist_ok=True)
    if as_zip:
        target = to.with_name(to.name + ".zip")
        tmp_zip = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(files):
                    info = zipfile.ZipInfo(f"{to.name}/{name}", date_time=_ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = 0o644 << 16
                    archive.writestr(info, files[name])
            os.replace(tmp_zip, target)
        except BaseException:
            tmp_zip.unlink(missing_ok=True)
            raise
        log.info("wrote %d pages to %s", pages, target)
        return target, pages
    tmp = Path(tempfile.mkdtemp(dir=to.parent, prefix=f".{to.name}.tmp-"))
    try:
        for name in sorted(files):
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[name])
        old = None
        if to.exists():
            old = to.with_name(f".{to.name}.old-{os.getpid()}")
            os.replace(to, old)
        os.replace(tmp, to)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("wrote %d pages to %s", pages, to)
    return to, pages


__all__ = [
    "CSP",
    "FOLDERS",
    "SITE_LANGUAGES",
    "SiteInput",
    "clean_spans",
    "fold",
    "json_for_script",
    "load_site_input",
    "page_paths",
    "safe_url",
    "site_files",
    "write_site",
]
