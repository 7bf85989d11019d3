"""Tests of graph.analysis.wording: one line per fact, in English and French, with words from the ontology."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from graph.analysis import projection
from graph.analysis.wording import FactView, agreement_name, fact_line, fact_view, words_of
from graph.build.dataset import load_build
from graph.extract.relations import KIND_PRIORITY

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/cmkg/id/"


@pytest.fixture(scope="module")
def words():
    return words_of(Graph().parse(ROOT / "ontology" / "cmkg.ttl", format="turtle"))


@pytest.fixture(scope="module")
def seeds_graph(seeds_build) -> nx.MultiDiGraph:
    out, _ = seeds_build
    return projection.project(load_build(out))


def _lexicon_values(category: str) -> set[str]:
    with (ROOT / "ontology" / "patterns" / "lexicon.csv").open(encoding="utf-8") as f:
        return {row["value"] or row["phrase"] for row in csv.DictReader(f) if row["category"] == category}


@pytest.mark.parametrize(
    "scheme, codes",
    [
        ("AgreementKinds", set(KIND_PRIORITY)),
        ("Stages", _lexicon_values("stage")),
        ("Statuses", {"signed", "proposed", "suspended"}),
        ("Qualifiers", _lexicon_values("qualifier")),
    ],
)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_wording_every_code_has_a_word_in_the_ontology(words, scheme: str, codes: set[str], lang: str) -> None:
    assert sorted(code for code in codes if (scheme, code, lang) not in words.labels) == []


@pytest.mark.parametrize(
    "fact, lang, line",
    [
        (
            FactView(
                "Agreement",
                links={"party": ["Kazakhstan", "Japan"]},
                values={"agreementKind": "partnership", "status": "signed"},
            ),
            "en",
            "Japan and Kazakhstan — partnership, signed (no date stated)",
        ),
        (
            FactView(
                "Agreement",
                links={"party": ["Kazakhstan", "Japon"]},
                values={"agreementKind": "partnership", "status": "signed"},
            ),
            "fr",
            "Japon et Kazakhstan — partenariat, signé (sans date)",
        ),
        (
            FactView(
                "Agreement",
                links={"party": ["G7"]},
                values={"agreementKind": "roadmap", "status": "signed", "date": "2025-10"},
            ),
            "fr",
            "G7 — feuille de route, signée (2025-10)",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["China"], "mineral": ["Rare earth elements"]},
                values={"stage": "magnets", "percent": "90.0"},
                source="Le Monde/AFP, 2025-10-28",
            ),
            "en",
            "China — 90 % of world magnet production of rare earth elements (Le Monde/AFP, 2025-10-28)",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["Chine"], "mineral": ["Terres rares"]},
                values={"stage": "refining", "percent": "90", "qualifier": "près de"},
            ),
            "fr",
            "Chine — près de 90 % du raffinage de terres rares dans le monde",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["China"], "mineral": ["Gold"], "scope": ["Tajikistan"]},
                values={"stage": "production", "percent": "75"},
            ),
            "en",
            "China — 75 % of Tajikistan's production of gold",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["Chine"], "mineral": ["Or"], "scope": ["Tadjikistan"]},
                values={"stage": "production", "percent": "75"},
            ),
            "fr",
            "Chine — 75 % de la production d'or (périmètre : Tadjikistan)",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["China"], "mineral": ["Rare earth elements"], "consumer": ["United States"]},
                values={"stage": "imports", "percent": "50", "qualifier": "environ"},
            ),
            "en",
            "China — about 50 % of imports of rare earth elements by United States",
        ),
        (
            FactView(
                "MarketShare",
                links={"actor": ["United States"], "mineral": ["Rare earth elements"]},
                values={"stage": "imports", "percent": "80", "qualifier": "près de"},
            ),
            "en",
            "United States — nearly 80 % of own consumption of rare earth elements imported",
        ),
        (
            FactView(
                "Project",
                "Mine",
                "Mountain Pass",
                {"mineral": ["Rare earth elements"], "location": ["California"], "participant": ["United States"]},
                {"date": "2012"},
            ),
            "en",
            "Mountain Pass — mine of rare earth elements in California with United States (2012)",
        ),
        (
            FactView(
                "Project",
                "Mine",
                "Mountain Pass",
                {"mineral": ["Terres rares"], "location": ["Californie"], "participant": ["États-Unis"]},
                {"date": "2012"},
            ),
            "fr",
            "Mountain Pass — mine (terres rares), lieu : Californie, avec États-Unis (2012)",
        ),
        (
            FactView(
                "Measure",
                "ExportControl",
                links={"imposer": ["China"], "mineral": ["Gallium", "Germanium"], "target": ["United States"]},
                values={"date": "2023"},
            ),
            "en",
            "China — export control on gallium and germanium targeting United States (2023)",
        ),
        (
            FactView(
                "Measure",
                "Law",
                "Loi sur les métaux critiques",
                {"imposer": ["Union européenne"]},
                {"status": "suspended"},
            ),
            "fr",
            "Union européenne — loi : Loi sur les métaux critiques, suspendue (sans date)",
        ),
        (
            FactView(
                "Role", "Person", "Marco Rubio", {"affiliatedWith": ["United States"]}, {"role": "secrétaire d'État"}
            ),
            "en",
            "Marco Rubio — secrétaire d'État, United States",
        ),
        (FactView("Mention", "State", "Japon"), "fr", "Japon — cité"),
    ],
)
def test_wording_fact_line(words, fact: FactView, lang: str, line: str) -> None:
    assert fact_line(fact, lang, words) == line


def test_wording_fact_line_refuses_an_unknown_language(words) -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        fact_line(FactView("Mention", name="Japan"), "de", words)


@pytest.mark.parametrize(
    "parties, kind, minerals, date, lang, name",
    [
        (
            ["United States", "Japan"],
            "framework",
            ["Rare earth elements", "Critical minerals"],
            "2025-10-28",
            "en",
            "Japan–United States framework on critical minerals and rare earth elements (2025-10-28)",
        ),
        (
            ["États-Unis", "Japon"],
            "framework",
            ["Terres rares", "Minéraux critiques"],
            "2025-10-28",
            "fr",
            "Accord-cadre États-Unis–Japon : minéraux critiques et terres rares (2025-10-28)",
        ),
        (["Thailand", "United States"], "mou", [], None, "en", "Thailand–United States memorandum of understanding"),
        (["Japon", "Kazakhstan"], "partnership", [], None, "fr", "Partenariat Japon–Kazakhstan"),
    ],
)
def test_wording_agreement_name(words, parties, kind, minerals, date, lang, name) -> None:
    assert agreement_name(parties, kind, minerals, date, lang, words) == name


def _us_japan_framework(G: nx.MultiDiGraph) -> str:
    found = [
        n
        for n, d in G.nodes(data=True)
        if d["group"] == "Agreement"
        and set(projection.related(G, n, "party")) == {ID + "Japan", ID + "United_States"}
        and projection.fact_values(G, n).get("agreementKind") == "framework"
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", "Japan and United States — framework on critical minerals and rare earth elements, signed (2025-10-28)"),
        ("fr", "États-Unis et Japon — accord-cadre (minéraux critiques et terres rares), signé (2025-10-28)"),
    ],
)
def test_wording_seeds_us_japan_framework_line(seeds_graph: nx.MultiDiGraph, lang: str, line: str) -> None:
    # tests/gold: 004 "les Etats-Unis et le Japon ont signé un accord-cadre pour « accélérer la sécurisation de
    # l'approvisionnement en minéraux critiques et terres rares »", dated 2025-10-28.
    node = _us_japan_framework(seeds_graph)
    assert fact_line(fact_view(seeds_graph, node, lang), lang, seeds_graph.graph["words"]) == line
