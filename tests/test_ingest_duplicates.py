"""Near-duplicates (graph.ingest.duplicates): one story under several files is one document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.ingest import load_document
from graph.ingest.duplicates import THRESHOLD, duplicate_groups, group_duplicates, jaccard, shingles
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"

STORY = (
    "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025. "
    "Le Chili assure environ 25 % de l'extraction mondiale de lithium. "
    "L'accord prévoit des investissements coréens dans le raffinage du lithium au Chili. "
    "Les deux gouvernements veulent sécuriser l'approvisionnement des usines de batteries.\n"
)
#: The same dispatch as two sites publish it: each with its own menu, share bar and footer.
WIRE = {
    "site-a.txt": "Accueil | Monde | Économie | Énergie\n\n" + STORY + "\nPartager sur Facebook\n\n© Site A 2025\n",
    "site-b.txt": "Menu\n\nActualités > Matières premières\n\n" + STORY + "\nLire aussi : le cobalt congolais\n"
    "\nNewsletter : inscrivez-vous\n",
}
#: Another article on the same subject, telling one of the same facts in its own words.
OTHER = (
    "Séoul a conclu avec Santiago un partenariat sur le lithium au printemps 2025. "
    "Le Chili assure environ 25 % de l'extraction mondiale de lithium. "
    "La Corée du Sud importe la quasi-totalité de ses matières premières pour batteries. "
    "Les industriels coréens cherchent aussi du nickel en Indonésie.\n"
)


@pytest.fixture
def wire(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in WIRE.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    return folder


def test_duplicates_threshold_is_documented():
    assert THRESHOLD == 0.7
    assert "0.7" in (ROOT / "graph" / "ingest" / "duplicates.py").read_text(encoding="utf-8")
    assert "0.7" in (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")


def test_duplicates_wire_copies_are_above_and_other_articles_below_the_threshold(wire, boilerplate):
    texts = {p.stem: load_document(p, boilerplate).clean.text for p in sorted(wire.iterdir())}
    sets = {k: shingles(v) for k, v in texts.items()}
    assert jaccard(sets["site-a"], sets["site-b"]) >= THRESHOLD
    assert jaccard(sets["site-a"], sets["other"]) < 0.2
    assert duplicate_groups(texts) == [["site-a", "site-b"]]


@pytest.mark.parametrize("changed, grouped", [(3, True), (12, False)])
def test_duplicates_threshold_decides(changed, grouped):
    words = [f"mot{i}" for i in range(60)]
    edited = words[: 60 - changed] + [f"autre{i}" for i in range(changed)]
    a, b = " ".join(words), " ".join(edited)
    similarity = jaccard(shingles(a), shingles(b))
    assert (similarity >= THRESHOLD) is grouped
    assert (duplicate_groups({"a": a, "b": b}) == [["a", "b"]]) is grouped


def test_duplicates_keep_the_smallest_id_whatever_the_order(wire, boilerplate):
    documents = [load_document(p, boilerplate) for p in sorted(wire.iterdir())]
    for order in (documents, documents[::-1]):
        kept, left = group_duplicates(order)
        assert sorted(d.id for d in kept) == ["other", "site-a"]
        assert [d.id for d in left] == ["site-b"]
        site_a = next(d for d in kept if d.id == "site-a")
        assert site_a.duplicates == [{"id": "site-b", "source_file": "site-b.txt", "url": None}]


def test_duplicates_build_one_document_with_both_sources(wire, tmp_path):
    (wire / "site-b.meta.json").write_text(json.dumps({"url": "https://site-b.example/lithium"}), encoding="utf-8")
    out = tmp_path / "out"
    report = build([wire], out, ontology_dir=ONTOLOGY)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in summary["documents"]] == ["other", "site-a"]
    site_a = summary["documents"][1]
    assert site_a["duplicates"] == [
        {"id": "site-b", "source_file": "site-b.txt", "url": "https://site-b.example/lithium"}
    ]
    assert report.duplicates == {"site-a": ["site-b"]}
    assert "  site-a: also site-b" in report.lines()
    documents_told = {doc for e in summary["entities"] for doc in e["documents"]}
    assert "site-b" not in documents_told
    chile = next(e for e in summary["entities"] if e["name"] == "Chile")
    assert chile["documents"] == ["other", "site-a"]  # two different articles: evidence from each
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert "doc:site_a dcterms:hasVersion doc:site_b ." in trig
    assert sorted(p.name for p in (out / "documents").glob("*.txt")) == ["other.txt", "site-a.txt", "site-b.txt"]
    assert sorted(p.name for p in (out / "extraction").glob("*.json")) == ["other.json", "site-a.json"]
