"""The analysis on the seeds: what the texts say, through the library and through the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.analysis.measures import MEASURES
from graph.analysis.projection import coagreement_graph, fact_values
from graph.analysis.report import load_graph
from graph.analysis.supply import concentration, exposure
from graph.cli import SIZE_MEASURES, cli
from graph.sparql import store

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/cmkg/id/"
IMPORT_SENTENCE = "dont environ la moitié proviennent directement de Chine"


@pytest.fixture(scope="module")
def seeds_graph(seeds_build) -> nx.MultiDiGraph:
    out, _ = seeds_build
    return load_graph(out)


@pytest.fixture()
def build_copy(seeds_build, tmp_path: Path) -> Path:
    out, _ = seeds_build
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "out"


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_analysis_seeds_china_is_the_dominant_refiner_of_rare_earths(seeds_graph: nx.MultiDiGraph) -> None:
    [row] = [r for r in concentration(seeds_graph, ID + "Rare_earth_elements", "refining") if r["market"] is None]
    top = row["suppliers"][0]
    assert (top["label"], row["mineral_label"]) == ("China", "Rare earth elements")
    assert top["share"] >= 90 and row["hhi"] >= 8100
    assert sorted(f["share"] for f in top["figures"]) == [90.0, 92.0]
    assert any("92 % de leur production raffinée" in " ".join(e["quote"].split()) for e in row["evidence"])


def test_analysis_seeds_united_states_and_japan_share_the_framework_agreement(seeds_graph: nx.MultiDiGraph) -> None:
    H = coagreement_graph(seeds_graph)
    edge = H.edges[ID + "United_States", ID + "Japan"]
    kinds = {fact_values(seeds_graph, a).get("agreementKind") for a in edge["agreements"]}
    assert "framework" in kinds and edge["weight"] >= 1


def test_analysis_seeds_exposure_to_china_names_the_united_states(seeds_graph: nx.MultiDiGraph) -> None:
    found = exposure(seeds_graph, ID + "China")
    rows = [r for r in found["dependants"] if r["dependant"] == ID + "United_States" and r["kind"] == "share"]
    evidence = [" ".join(e["quote"].split()) for r in rows for e in r["evidence"]]
    assert any(IMPORT_SENTENCE in quote for quote in evidence)
    assert {r["share"] for r in rows} >= {50.0}
    assert any(r["label"] == "Mountain Pass" for r in found["alternatives"])


def test_analysis_seeds_gallium_has_china_as_single_point(seeds_build) -> None:
    out, _ = seeds_build
    with (out / "analysis" / "single_points.csv").open(encoding="utf-8", newline="") as handle:
        rows = {(r["mineral_label"], r["label"]): r for r in csv.DictReader(handle)}
    assert rows[("Gallium", "China")]["cuts_off"] == "United States"


def test_analysis_seeds_build_writes_the_analysis(seeds_build) -> None:
    out, report = seeds_build
    assert sorted(p.name for p in (out / "analysis").iterdir()) == sorted(
        [
            "alternatives.csv",
            "centrality.csv",
            "communities.csv",
            "dependencies.csv",
            "exposure.csv",
            "report.md",
            "single_points.csv",
        ]
    )
    text = (out / "analysis" / "report.md").read_text(encoding="utf-8")
    assert "### Rare earth elements — refining (world)" in text and IMPORT_SENTENCE in " ".join(text.split())
    # the build dates its run by its latest document, so that builds stay byte-identical
    dates = store.run_query(
        out / "store",
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?d WHERE { GRAPH "
        "<https://w3id.org/cmkg/graph/analysis> { ?run dcterms:date ?d } }",
    ).rows
    assert dates == [{"d": "2026-02-07"}]
    assert store.count_quads(out / "store") == report.quads


def test_analysis_seeds_cli_analyze(runner: CliRunner, build_copy: Path) -> None:
    result = runner.invoke(cli, ["analyze", "--out", str(build_copy), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload["top"]) == set(MEASURES)
    assert payload["top"]["betweenness"][0]["label"] == "United States"
    assert payload["parameters"]["run_date"] == dt.date.today().isoformat()
    refining = [
        d for d in payload["dependencies"] if (d["mineral_label"], d["stage"]) == ("Rare earth elements", "refining")
    ]
    assert refining[0]["suppliers"][0]["label"] == "China"
    rows = store.run_query(
        build_copy / "store",
        """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
        SELECT ?node ?betweenness WHERE { ?node cmkg:betweenness ?betweenness } ORDER BY DESC(?betweenness) LIMIT 1""",
    ).rows
    assert rows[0]["node"] == ID + "United_States"
    trig = (build_copy / "graph.trig").read_text(encoding="utf-8")
    assert f'<https://w3id.org/cmkg/graph/analysis> dcterms:date "{dt.date.today().isoformat()}"^^xsd:date .' in trig


def test_analysis_seeds_cli_analyze_as_of(runner: CliRunner, build_copy: Path) -> None:
    result = runner.invoke(cli, ["analyze", "--out", str(build_copy), "--as-of", "2025-10-28", "--top", "2"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "known on 2025-10-28" in first and "facts left out" in first
    asof = store.run_query(
        build_copy / "store",
        "PREFIX cmkg: <https://w3id.org/cmkg/ontology#> SELECT ?d WHERE { "
        "<https://w3id.org/cmkg/graph/analysis> cmkg:asOf ?d }",
    ).rows
    assert asof == [{"d": "2025-10-28"}]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--supplier", "Chine"], IMPORT_SENTENCE),
        (["--supplier", "Pékin", "--mineral", "gallium"], "target of China's export control"),
        (["--supplier", "China", "--stage", "refining", "--as-of", "2026-12-31"], "United States (direct)"),
    ],
)
def test_analysis_seeds_cli_exposure(runner: CliRunner, seeds_build, args: list[str], expected: str) -> None:
    out, _ = seeds_build
    result = runner.invoke(cli, ["exposure", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Exposure to China")
    assert expected in " ".join(result.output.split())


def test_analysis_seeds_cli_exposure_json(runner: CliRunner, seeds_build) -> None:
    out, _ = seeds_build
    result = runner.invoke(cli, ["exposure", "--out", str(out), "--supplier", "China", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    us = [r for r in found["dependants"] if r["label"] == "United States"]
    assert any(IMPORT_SENTENCE in " ".join(e["quote"].split()) for r in us for e in r["evidence"])


def test_analysis_seeds_cli_timeline(runner: CliRunner, seeds_build) -> None:
    out, _ = seeds_build
    result = runner.invoke(cli, ["timeline", "Japon", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, key=lambda d: (d[:4], d))
    framework = [r for r in rows if r["kind"] == "framework"]
    assert framework and framework[0]["date"] == "2025-10-28"
    earlier = json.loads(
        runner.invoke(cli, ["timeline", "Japon", "--out", str(out), "--as-of", "2025-09-30", "--json"]).output
    )
    assert 0 < len(earlier) < len(rows) and all(r["date"] <= "2025-09-30" for r in earlier)
    text = runner.invoke(cli, ["timeline", "Japon", "--out", str(out), "--as-of", "2025-09-30"]).output
    assert text.startswith(f"{len(earlier)} facts about Japan")


@pytest.mark.parametrize(
    "args, message",
    [
        (["exposure", "--supplier", "Atlantis"], "named 'Atlantis'"),
        (["exposure", "--supplier", "China", "--mineral", "unobtainium"], "no mineral named 'unobtainium'"),
        (["exposure", "--supplier", "China", "--as-of", "soon"], "not a date"),
        (["timeline", "Atlantis"], "no node named 'Atlantis'"),
        (["analyze", "--as-of", "2025-02-30"], "not a date"),
    ],
)
def test_analysis_seeds_cli_errors(runner: CliRunner, build_copy: Path, args: list[str], message: str) -> None:
    result = runner.invoke(cli, [*args, "--out", str(build_copy)])
    assert result.exit_code == 1
    assert message in result.output.lower() or message in result.output


@pytest.mark.parametrize("command", ["exposure", "timeline", "analyze"])
def test_analysis_seeds_cli_without_build(runner: CliRunner, tmp_path: Path, command: str) -> None:
    args = {"exposure": ["--supplier", "China"], "timeline": [], "analyze": []}[command]
    result = runner.invoke(cli, [command, *args, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "cmkg build" in result.output


def test_analysis_seeds_cli_build_size_by(runner: CliRunner, tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "articles" / "ue-canada.txt"
    result = runner.invoke(cli, ["build", str(source), "--out", str(tmp_path / "out"), "--size-by", "pagerank"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "graph.html").is_file() and (tmp_path / "out" / "analysis" / "report.md").is_file()
    wrong = runner.invoke(cli, ["build", str(source), "--out", str(tmp_path / "out"), "--size-by", "fame"])
    assert wrong.exit_code == 2 and "fame" in wrong.output


def test_analysis_seeds_cli_size_measures_are_the_measures() -> None:
    assert SIZE_MEASURES == MEASURES


@pytest.mark.parametrize("command", ["analyze", "exposure", "timeline"])
def test_analysis_seeds_cli_commands_are_documented(runner: CliRunner, command: str) -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"### `cmkg {command}" in usage
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
    assert "--as-of" in result.output
