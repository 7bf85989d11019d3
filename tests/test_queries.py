"""The competency questions of queries/*.rq, run with ``cmkg query`` on the seeds build.

Each question has a check of rows that the seed texts justify; a new .rq file needs one too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SEEDS = ROOT / "seeds"
DOC = "https://w3id.org/cmkg/doc/"
ID = "https://w3id.org/cmkg/id/"
ONTOLOGY = "https://w3id.org/cmkg/ontology#"

Row = dict[str, str]


def source_text(document: str) -> str:
    """The seed file a document IRI names."""
    return (SEEDS / f"{document.removeprefix(DOC)}.txt").read_text(encoding="utf-8")


def check_agreements_on_rare_earths(rows: list[Row]) -> None:
    # 003 and 004: "les Etats-Unis et le Japon ont signé un accord-cadre ... terres rares"
    framework = [
        r for r in rows if r["kind"] == "framework" and {"Japan", "United States"} <= set(r["parties"].split(" | "))
    ]
    assert framework, rows
    assert int(framework[0]["sources"]) >= 2
    assert (
        framework[0]["label"]
        == "Japan–United States framework on critical minerals and rare earth elements (2025-10-28)"
    )
    assert {f"{DOC}004_111536c8444e29a3", f"{DOC}003_bd6bbf2148b67aeb"} <= set(framework[0]["documents"].split())


def check_dependencies_on_china(rows: list[Row]) -> None:
    # 000: "Près de 80 % des terres rares consommées aux États-Unis sont importées, dont environ la
    # moitié proviennent directement de Chine."
    assert ("United States", "Rare earth elements", "imports", "50", "environ") in {
        (r["stateName"], r["mineralName"], r["stage"], r["percent"], r.get("qualifier")) for r in rows
    }
    assert all(r["state"].startswith(ID) for r in rows)


def check_china_world_shares(rows: list[Row]) -> None:
    # 000: "Pékin contrôle environ 70 % de l'extraction mondiale et près de 90 % du raffinage"
    found = {(r["mineralName"], r["stage"], r["percent"]) for r in rows}
    assert {("Rare earth elements", "extraction", "70"), ("Rare earth elements", "refining", "90")} <= found


def check_projects_involving_japan(rows: list[Row]) -> None:
    # 002: "Fruit d'un partenariat franco-japonais, le site de Caremag"
    caremag = [r for r in rows if r["label"].casefold() == "caremag"]
    assert len(caremag) == 1, rows
    assert "France" in caremag[0]["partners"].split(" | ")


def check_most_agreements(rows: list[Row]) -> None:
    assert rows[0]["name"] == "United States"
    assert int(rows[0]["agreements"]) > int(rows[1]["agreements"])
    assert len(rows) <= 10


def check_china_measures_since_2024(rows: list[Row]) -> None:
    # 004: restrictions on rare-earth exports by the Chinese Ministry of Commerce, 2025
    assert all(int(r["date"][:4]) >= 2024 for r in rows)
    assert {r["imposerName"] for r in rows} <= {"China", "Chinese Ministry of Commerce"}
    assert any(r["kind"] == "ExportControl" and "Rare earth elements" in r["minerals"] for r in rows), rows


def check_projects_with_us_public_money(rows: list[Row]) -> None:
    # 000: "une réserve stratégique de terres rares dotée de 12 milliards de dollars, largement financée
    # par Export-Import Bank of the United States"
    exim = [r for r in rows if "Export-Import Bank of the United States" in r["funders"].split(" | ")]
    assert [(float(r["amount"]), r["amountCurrency"]) for r in exim] == [(12e9, "USD")]
    assert "12 milliards de dollars" in exim[0]["evidence"]


def check_facts_from_one_document(rows: list[Row]) -> None:
    text = source_text(f"{DOC}004_111536c8444e29a3")
    # tests/gold: 004 states the US–Japan framework agreement on critical minerals and rare earths of 2025-10-28
    assert any(
        r["kind"] == "Agreement"
        and r["label"].startswith("Japan–United States framework on critical minerals and rare earth elements")
        for r in rows
    ), rows
    assert len({r["label"] for r in rows if r["fact"] == rows[0]["fact"]}) == 1  # one label: the English one
    assert {r["kind"] for r in rows} <= {
        "Agreement",
        "Project",
        "Mine",
        "Refinery",
        "Fund",
        "Stockpile",
        "Corridor",
        "Plant",
        "MarketShare",
        "Measure",
        "ExportControl",
        "Tariff",
        "PriceFloor",
        "Stockpiling",
        "Law",
    }
    for row in rows:
        start = int(row["start"])
        assert text[start : start + len(row["quote"])] == row["quote"]


def check_sentence_behind_a_fact(rows: list[Row]) -> None:
    assert any(r["percent"] == "90" and "raffinage" in r["quote"] for r in rows), rows
    for row in rows:
        assert row["claim"].startswith("https://w3id.org/cmkg/claim/")
        assert source_text(row["document"])[int(row["start"]) : int(row["end"])] == row["quote"]
        assert 0 < float(row["confidence"]) <= 1


def check_entities_by_wikidata_id(rows: list[Row]) -> None:
    assert {(r["qid"], r["name"], r["class"].removeprefix(ONTOLOGY)) for r in rows} == {
        ("Q148", "China", "State"),
        ("Q30", "United States", "State"),
        ("Q17", "Japan", "State"),
        ("Q861", "Gallium", "Mineral"),
    }
    assert all(int(r["documents"]) >= 1 for r in rows)


def check_export_controls_by_mineral(rows: list[Row]) -> None:
    # 002: "Les restrictions aux exportations ont été étendues à une large palette de métaux (au gallium,
    # au germanium, à l'antimoine par exemple)"
    found = {(r["mineralName"], r["imposerName"]) for r in rows}
    assert {("Gallium", "China"), ("Germanium", "China"), ("Antimony", "China")} <= found


def check_mines_and_partners(rows: list[Row]) -> None:
    # 002: "la mine californienne de Mountain Pass"
    mountain_pass = [r for r in rows if r["name"] == "Mountain Pass"]
    assert [r["locations"] for r in mountain_pass] == ["California"]
    assert "United States" in mountain_pass[0]["participants"].split(" | ")
    assert "Rare earth elements" in mountain_pass[0]["minerals"].split(" | ")


def check_persons_and_roles(rows: list[Row]) -> None:
    # 001: "le secrétaire d'État américain Marco Rubio"; 004: "la Première ministre du Japon, Sanae Takaichi"
    found = {(r["name"], r["role"], r.get("forName")) for r in rows}
    assert ("Marco Rubio", "secrétaire d'État", "United States") in found
    assert ("Sanae Takaichi", "Première ministre", "Japan") in found
    assert all(r["evidence"] for r in rows)


def check_documents_and_claims(rows: list[Row]) -> None:
    assert len(rows) == len(list(SEEDS.glob("*.txt")))
    by_id = {r["document"].removeprefix(DOC): r for r in rows}
    title = by_id["004_111536c8444e29a3"]["title"]
    assert title.startswith("Etats-Unis et Japon signent un accord sur les terres rares")
    assert by_id["004_111536c8444e29a3"]["date"] == "2025-10-28"
    assert all(int(r["claims"]) > 0 for r in rows)


def check_partners_of_the_united_states(rows: list[Row]) -> None:
    by_name = {r["name"]: r for r in rows}
    assert "framework" in by_name["Japan"]["kinds"].split(" | ")
    assert {"Australia", "Malaysia", "Thailand"} <= set(by_name)
    assert "United States" not in by_name


CHECKS: dict[str, Callable[[list[Row]], None]] = {
    "agreements-on-rare-earths": check_agreements_on_rare_earths,
    "dependencies-on-china": check_dependencies_on_china,
    "china-world-shares": check_china_world_shares,
    "projects-involving-japan": check_projects_involving_japan,
    "most-agreements": check_most_agreements,
    "china-measures-since-2024": check_china_measures_since_2024,
    "projects-with-us-public-money": check_projects_with_us_public_money,
    "facts-from-one-document": check_facts_from_one_document,
    "sentence-behind-a-fact": check_sentence_behind_a_fact,
    "entities-by-wikidata-id": check_entities_by_wikidata_id,
    "export-controls-by-mineral": check_export_controls_by_mineral,
    "mines-and-partners": check_mines_and_partners,
    "persons-and-roles": check_persons_and_roles,
    "documents-and-claims": check_documents_and_claims,
    "partners-of-the-united-states": check_partners_of_the_united_states,
}


def test_queries_every_file_has_a_question_and_a_check() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 12
    assert {f.stem for f in files} == set(CHECKS)
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith("?"), path.name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_queries_answer_on_the_seeds(seeds_build, name: str) -> None:
    out, _ = seeds_build
    result = CliRunner().invoke(cli, ["query", str(QUERIES / f"{name}.rq"), "--out", str(out), "--format", "json"])

    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    rows = [{key: term["value"] for key, term in binding.items()} for binding in answer["results"]["bindings"]]
    assert rows, f"{name} gave no row"
    CHECKS[name](rows)
