"""The generated reference entities: reproducible from the data packages and curated files, and read."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import ReferenceDataError
from graph.extract.reference import load_reference
from graph.extract.reference_data import generated_files, read_curated
from graph.extract.text import fold

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"


def test_reference_data_generator_reproduces_the_committed_files():
    for name, text in generated_files(ONTOLOGY).items():
        assert (ONTOLOGY / "generated" / name).read_text(encoding="utf-8") == text, f"{name}: run cmkg reference"


def test_reference_data_check_command_passes_on_the_committed_files():
    result = CliRunner().invoke(cli, ["reference", "--check"])
    assert result.exit_code == 0, result.output
    assert "current" in result.output


@pytest.fixture(scope="module")
def reference():
    return load_reference(ONTOLOGY)


@pytest.mark.parametrize(
    ("label", "name", "cls"),
    [
        ("Zambie", "Zambia", "State"),
        ("Kazakhstan", "Kazakhstan", "State"),
        ("Ouzbékistan", "Uzbekistan", "State"),
        ("RDC", "Democratic Republic of the Congo", "State"),
        ("World Trade Organization", "World Trade Organization", "InternationalOrganization"),
        ("OMC", "World Trade Organization", "InternationalOrganization"),
        ("Glencore", "Glencore", "Company"),
        ("Albemarle", "Albemarle Corporation", "Company"),
        ("Reuters", "Reuters", "Company"),
        ("Lualaba", "Lualaba", "Place"),
        ("Asie centrale", "Central Asia", "Place"),
        ("Groenland", "Greenland", "Place"),
    ],
)
def test_reference_data_names_the_world(reference, label, name, cls):
    found = [e for e in reference.entities.values() if fold(label) in {fold(a) for a in [e.name, *e.aliases]}]
    assert [(e.name, e.cls) for e in found] == [(name, cls)]


def test_reference_data_no_label_names_two_entities(reference):
    owner: dict[str, str] = {}
    clashes = []
    for entity in reference.entities.values():
        for label in {fold(a).strip() for a in [entity.name, *entity.aliases]}:
            if owner.setdefault(label, entity.iri) != entity.iri:
                clashes.append(label)
    assert clashes == []


def test_reference_data_capitals_stand_for_their_state(reference):
    belgrade = [e for e in reference.entities.values() if e.name == "Belgrade"]
    assert [(e.cls, e.actor_sense) for e in belgrade] == [("Place", "https://w3id.org/cmkg/id/Serbia")]


def test_reference_data_every_curated_file_says_what_it_follows():
    for path in sorted((ONTOLOGY / "curated").glob("*.csv")):
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[1].startswith("# Follows:"), path
        assert head[2].startswith("# Curated:"), path
        rows = read_curated(path)
        assert rows and all(any(v for v in row.values()) for row in rows), path


def test_reference_data_refuses_a_broken_curated_row(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("# x\n# Follows: y\n# Curated: z\nname_en,name_fr\nA,B,C\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="companies.csv: row 2"):
        read_curated(path)


def test_reference_data_check_names_a_stale_file(tmp_path):
    import shutil

    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, ontology)
    regions = ontology / "curated" / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8") + "Test Basin,Bassin d'essai,,test row\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["reference", "--check", "--ontology", str(ontology)])
    assert result.exit_code == 1
    assert "stale places.ttl; run `cmkg reference`" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_reference_data_capital_listed_under_another_name_is_a_place(reference):
    # GeoNames gives Kazakhstan's capital as "Nur-Sultan" and names the city Astana: still the capital
    from graph.extract.evaluate import Resolver

    resolve = Resolver(reference)
    assert resolve("Astana", place=True).endswith("/Astana_KZ")
    assert resolve("Astana").endswith("/Kazakhstan")
    assert resolve("Oulan-Bator", place=True).endswith("/Ulan_Bator_MN")


def test_reference_data_a_curated_company_is_also_named_without_its_legal_form(reference):
    def named(label: str):
        return next(e for e in reference.entities.values() if label in (e.name, *e.aliases))

    assert "Commodity Exchange" in named("Commodity Exchange Inc.").aliases
    # one word left is no alias: it may be a place's or a family's name
    assert named("Antofagasta Minerals").cls == "Company"
    assert named("Antofagasta").cls == "Place"


def test_reference_data_subdivisions_of_every_country_but_not_common_words():
    import csv

    path = Path(__file__).resolve().parent.parent / "ontology" / "generated" / "subdivisions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {(row["name"], row["country"]) for row in csv.DictReader(handle)}
    assert {("Kogi", "NG"), ("Sughd", "TJ"), ("Zambales", "PH")} <= rows
    assert not {name for name, _ in rows if name in ("Central", "North East", "Western")}
    assert ("Ontario", "CA") not in rows  # a first-level subdivision of a mining country is in places.ttl
