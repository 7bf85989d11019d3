"""Ingest: reading files, metadata, and cleaning with a faithful map back to the source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.errors import DocumentError
from graph.ingest import clean_text, find_sources, load_document, read_metadata, read_source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_ingest_every_clean_word_maps_back_to_the_source(name, boilerplate):
    doc = load_document(SEEDS / name, boilerplate)
    for m in re.finditer(r"\S+", doc.clean.text):
        start, end = doc.clean.source_span(m.start(), m.end())
        source = doc.raw[start:end]
        assert _norm(source).startswith(_norm(m.group())[:1])
        assert len(source) >= len(m.group())


@pytest.mark.parametrize(
    "name, noise",
    [
        ("000_dfca6d0f0ab30567.txt", "Lingot d'Or 1 Kg"),
        ("000_dfca6d0f0ab30567.txt", "Ligne directe"),
        ("000_dfca6d0f0ab30567.txt", "NOTRE NEWSLETTER"),
        ("000_dfca6d0f0ab30567.txt", "A lire aussi"),
        ("004_111536c8444e29a3.txt", "Close Menu"),
        ("004_111536c8444e29a3.txt", "Cyberharcèlement contre Brigitte Macron"),
        ("004_111536c8444e29a3.txt", "Lire aussi"),
        ("004_111536c8444e29a3.txt", "Add A Comment"),
        ("002_648d6afc6e0a8cf6.txt", "JOGMEC4"),
        ("002_648d6afc6e0a8cf6.txt", "États-Unis3"),
        ("002_648d6afc6e0a8cf6.txt", "Japan Organization for Metals"),
        ("002_648d6afc6e0a8cf6.txt", "https://www.info.gouv.fr"),
        ("002_648d6afc6e0a8cf6.txt", "terres \n"),
        ("002_648d6afc6e0a8cf6.txt", "’"),
    ],
)
def test_ingest_cleaning_removes_page_noise(name, noise, boilerplate):
    doc = load_document(SEEDS / name, boilerplate)
    assert noise not in doc.clean.text


@pytest.mark.parametrize(
    "name, sentence",
    [
        (
            "000_dfca6d0f0ab30567.txt",
            "Pékin contrôle environ 70 % de l'extraction mondiale et près de 90 % du raffinage",
        ),
        (
            "000_dfca6d0f0ab30567.txt",
            "Un accord-cadre non contraignant circule désormais entre partenaires africains et américains",
        ),
        ("002_648d6afc6e0a8cf6.txt", "La JOGMEC met en œuvre cette stratégie"),
        ("002_648d6afc6e0a8cf6.txt", "sans que l'obligation d'une demande d'autorisation soit pour autant levée"),
        ("002_648d6afc6e0a8cf6.txt", "Un accord a été signé avec l'Ukraine en mai 2025."),
        ("004_111536c8444e29a3.txt", "Lors de cette rencontre, les Etats-Unis et le Japon ont signé un accord-cadre"),
        ("004_111536c8444e29a3.txt", "Les Etats-Unis et l'Australie ont par ailleurs récemment signé un accord"),
    ],
)
def test_ingest_cleaning_keeps_body_sentences(name, sentence, boilerplate):
    doc = load_document(SEEDS / name, boilerplate)
    assert sentence in doc.clean.text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        (b"Caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_ingest_bad_file_names_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as info:
        read_source(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("missing", ["nowhere", "nowhere/doc.txt"])
def test_ingest_missing_path(tmp_path, missing):
    with pytest.raises(DocumentError, match="no such file"):
        find_sources([tmp_path / missing])


@pytest.mark.parametrize(
    "payload, expected",
    [
        ('{"title": "T", "date": "2025-10-28", "extra": 1}', {"title": "T", "date": "2025-10-28", "url": None}),
    ],
)
def test_ingest_metadata_sidecar(tmp_path, payload, expected):
    (tmp_path / "a.txt").write_text("La Chine domine le raffinage.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(payload, encoding="utf-8")
    meta = read_metadata(tmp_path / "a.txt")
    assert {k: meta[k] for k in expected} == expected
    assert "extra" not in meta


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]"])
def test_ingest_bad_metadata_names_the_sidecar(tmp_path, payload):
    (tmp_path / "a.txt").write_text("Texte.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(payload, encoding="utf-8")
    with pytest.raises(DocumentError, match="a.meta.json"):
        read_metadata(tmp_path / "a.txt")


@pytest.mark.parametrize("raw", ["Pékin\u00a0contrôle  l’essentiel\tdu   raffinage mondial des terres rares."])
def test_ingest_spaces_collapse_and_apostrophes_normalise(raw, boilerplate):
    clean = clean_text(raw, boilerplate)
    assert clean.text == "Pékin contrôle l'essentiel du raffinage mondial des terres rares."
    start, end = clean.source_span(0, len(clean.text))
    assert raw[start:end] == raw


def test_ingest_sentences_glued_by_a_page_are_spaced_and_map_back(boilerplate):
    raw = "Les deux pays ont signé à Toronto.LG Energy Solution a conclu un accord avec Avalon Inc. et les U.S.A."
    clean = clean_text(raw, boilerplate)
    assert clean.text == (
        "Les deux pays ont signé à Toronto. LG Energy Solution a conclu un accord avec Avalon Inc. et les U.S.A."
    )
    at = clean.text.index("LG")
    assert raw[slice(*clean.source_span(at, at + len("LG Energy Solution")))] == "LG Energy Solution"


@pytest.mark.parametrize(
    "sentence",
    [
        "(60% « seulement » des terres rares sont extraites en Chine) qu'à son savoir-faire technologique",
        "l'extraction (le principal site minier du pays, Mount Weld, doit être étendu)",
    ],
)
def test_ingest_footnote_block_inside_a_sentence_is_cut_out(sentence, boilerplate):
    doc = load_document(SEEDS / "002_648d6afc6e0a8cf6.txt", boilerplate)
    start = doc.clean.text.find(sentence)
    assert start >= 0
    source_start, source_end = doc.clean.source_span(start, start + len(sentence))
    source = doc.raw[source_start:source_end]
    assert source.replace("’", "'").split()[0] == sentence.split()[0]
    assert source.replace("’", "'").split()[-1] == sentence.split()[-1]
