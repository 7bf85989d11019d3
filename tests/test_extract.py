"""Extraction on short real French sentences: linked mentions, no junk, values, relations."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from graph.extract import extract
from graph.extract.mentions import build_gazetteer, find_mentions
from graph.ingest import load_document

ID = "https://w3id.org/cmkg/id/"


@pytest.fixture(scope="module")
def gazetteer(reference):
    return build_gazetteer(reference)


def read(tmp_path: Path, text: str, reference, nlp, boilerplate, date: str | None = None):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    if date:
        (tmp_path / "doc.meta.json").write_text(f'{{"date": "{date}"}}', encoding="utf-8")
    doc = load_document(path, boilerplate)
    return extract([doc], reference, nlp)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Pékin contrôle le raffinage.", "China"),
        ("Washington a signé.", "United_States"),
        ("Les Etats-Unis ont signé.", "United_States"),
        ("la Maison-Blanche a publié le texte", "United_States"),
        ("la Maison Blanche a publié le texte", "United_States"),
        ("L’UE souhaite se coordonner.", "European_Union"),
        ("l'UE souhaite se coordonner.", "European_Union"),
        ("la dirigeante japonaise a annoncé", "Japan"),
        ("les relations nippo-américaines", "Japan"),
        ("des firmes américaines", "United_States"),
        ("Tokyo fait face", "Japan"),
        ("Moscou ambitionne", "Russia"),
        ("Canberra se pose en alternative", "Australia"),
        ("le néodyme et le dysprosium", "Neodymium"),
        ("les terres rares", "Rare_earth_elements"),
        ("le gallium, le germanium et l'antimoine", "Antimony"),
    ],
)
def test_extract_gazetteer_links_aliases(text, expected, gazetteer):
    assert ID + expected in {m.entity for m in find_mentions(text, gazetteer)}


@pytest.mark.parametrize(
    "text, absent",
    [
        ("Nous vous accompagnons au quotidien.", "United_States"),
        ("Il est d'or et d'argent, or il pleut.", "Gold"),
        ("Ils se sont mis d'accord sur le fer à repasser.", "Iron"),
    ],
)
def test_extract_gazetteer_avoids_false_matches(text, absent, gazetteer):
    assert ID + absent not in {m.entity for m in find_mentions(text, gazetteer)}


@pytest.mark.parametrize(
    "text",
    [
        "Recherchées pour leurs propriétés, les terres rares illustrent les tensions.",
        "La JOGMEC4 met en œuvre cette stratégie au Chili.",
        "L’économie américaine repose sur l’approvisionnement extérieur, qu’elle doit sécuriser.",
    ],
)
def test_extract_no_junk_candidates(tmp_path, text, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    names = {name for name, _ in result.candidates.values()}
    for junk in ("Recherchées", "L'", "L’", "qu'", "JOGMEC4", "JOGMEC"):
        assert junk not in names


@pytest.mark.parametrize(
    "text, name, cls",
    [
        (
            "Le gisement a été confié à TechMet et à l'investisseur Ronald Lauder, héritier du groupe Estée Lauder.",
            "Ronald Lauder",
            "Person",
        ),
    ],
)
def test_extract_ner_candidates_are_typed(tmp_path, text, name, cls, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert (name, cls) in set(result.candidates.values())


@pytest.mark.parametrize(
    "text, person, affiliation",
    [
        (
            "Le sommet est placé sous l’égide du secrétaire d’État américain Marco Rubio.",
            "Marco_Rubio",
            "United_States",
        ),
        (
            "Donald Trump rencontrait la première ministre japonaise, Sanae Takaichi, en poste depuis une semaine.",
            "Sanae_Takaichi",
            "Japan",
        ),
    ],
)
def test_extract_roles_link_persons_to_states(tmp_path, text, person, affiliation, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert (ID + person, ID + affiliation) in {(r.person, r.affiliation) for r in result.roles}


@pytest.mark.parametrize(
    "text, date, parties, kind, status, when",
    [
        (
            "Lors de cette rencontre, les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares.",
            None,
            {"United_States", "Japan"},
            "framework",
            "signed",
            None,
        ),
        (
            "En visite à Tokyo, Donald Trump a assuré, mardi 28 octobre, que Washington était un allié du Japon. "
            "Lors de cette rencontre, les Etats-Unis et le Japon ont signé un accord-cadre sur les minéraux critiques.",
            "2025-10-28",
            {"United_States", "Japan"},
            "framework",
            "signed",
            "2025-10-28",
        ),
        (
            "L’Union européenne prépare une proposition de partenariat stratégique avec Washington sur les minéraux critiques.",
            None,
            {"European_Union", "United_States"},
            "partnership",
            "proposed",
            None,
        ),
    ],
)
def test_extract_agreements(tmp_path, text, date, parties, kind, status, when, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate, date=date)
    found = [
        (set(p.rsplit("/", 1)[-1] for p in a.parties), a.kind, a.status, a.date.iso if a.date else None)
        for a in result.agreements
    ]
    assert (parties, kind, status, when) in found


@pytest.mark.parametrize(
    "text, actor, stage, percent, qualifier",
    [
        (
            "Pékin contrôle environ 70 % de l’extraction mondiale des terres rares et près de 90 % du raffinage.",
            "China",
            "extraction",
            Decimal("70"),
            "environ",
        ),
        (
            "Pékin contrôle environ 70 % de l’extraction mondiale des terres rares et près de 90 % du raffinage.",
            "China",
            "refining",
            Decimal("90"),
            "près de",
        ),
        (
            "Près de 80 % des terres rares consommées aux États-Unis sont importées, dont environ la moitié "
            "proviennent directement de Chine.",
            "China",
            "imports",
            Decimal("50"),
            "environ",
        ),
    ],
)
def test_extract_shares(tmp_path, text, actor, stage, percent, qualifier, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = {(s.actor.rsplit("/", 1)[-1], s.stage, s.percent, s.qualifier) for s in result.shares}
    assert (actor, stage, percent, qualifier) in found


@pytest.mark.parametrize(
    "text, kind, imposer, mineral",
    [
        (
            "Le ministère chinois du Commerce annonça l’introduction de licences d’exportation pour cinq terres rares.",
            "ExportControl",
            "China",
            "Rare_earth_elements",
        ),
        (
            "Un prix plancher a été établi par les États-Unis pour le dysprosium.",
            "PriceFloor",
            "United_States",
            "Dysprosium",
        ),
    ],
)
def test_extract_measures(tmp_path, text, kind, imposer, mineral, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = {
        (m.kind, (m.imposer or "").rsplit("/", 1)[-1], x.rsplit("/", 1)[-1])
        for m in result.measures
        for x in m.minerals
    }
    assert (kind, imposer, mineral) in found


@pytest.mark.parametrize(
    "text, name, kind, location",
    [
        (
            "Les États-Unis disposaient d’une mine (Mountain Pass, en Californie) qui a fermé.",
            "Mountain Pass",
            "Mine",
            "California",
        ),
        (
            "Début janvier, le gisement stratégique de Dobra a été confié à un consortium lié aux États-Unis.",
            "Dobra",
            "Mine",
            None,
        ),
    ],
)
def test_extract_projects(tmp_path, text, name, kind, location, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = {(p.name, p.kind, p.location.rsplit("/", 1)[-1] if p.location else None) for p in result.projects}
    assert (name, kind, location) in found


@pytest.mark.parametrize(
    "text, person",
    [
        (
            "La première ministre aurait aussi dit vouloir recommander Donald Trump pour le prix Nobel de la Paix.",
            "Donald_Trump",
        ),
    ],
)
def test_extract_roles_need_the_role_next_to_the_person(tmp_path, text, person, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ID + person not in {r.person for r in result.roles}


@pytest.mark.parametrize(
    "text, person, affiliation",
    [
        (
            "Il avait déclaré, à la mi-octobre, celui qui était alors le ministre nippon des finances, Katsunobu Kato.",
            "Katsunobu_Kato",
            "Japan",
        ),
    ],
)
def test_extract_roles_allow_a_qualifier(tmp_path, text, person, affiliation, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert (ID + person, ID + affiliation) in {(r.person, r.affiliation) for r in result.roles}


@pytest.mark.parametrize(
    "text, china_is_party",
    [
        ("Washington a scellé un partenariat avec l'Australie où la production reste dominée par la Chine.", False),
        ("Washington a scellé un partenariat avec l'Australie ou la Chine.", True),
    ],
)
def test_extract_agreement_parties_stop_at_a_relative_clause(
    tmp_path, text, china_is_party, reference, nlp, boilerplate
):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert result.agreements
    assert any(ID + "China" in a.parties for a in result.agreements) == china_is_party


@pytest.mark.parametrize("name", ["jean"])
def test_extract_first_names_from_the_user_cache_are_those_folded_again(monkeypatch, tmp_path, name):
    from graph.extract import mentions

    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    mentions._first_names.cache_clear()
    try:
        made = mentions._first_names()  # folded, and kept in the cache
        assert len(list(tmp_path.glob(f"{mentions.FIRST_NAMES_CACHE}-*.json"))) == 1
        mentions._first_names.cache_clear()
        kept = mentions._first_names()  # read from the cache
    finally:
        mentions._first_names.cache_clear()
    assert kept == made == mentions.fold_first_names()
    assert name in kept
