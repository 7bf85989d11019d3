"""The command line through click's CliRunner: each command's happy path and an error path."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
STATES = (
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/cmkg/ontology#State> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = 'en') } ORDER BY ?label"
)


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_cli_build_prints_the_report(runner, tmp_path):
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text(
        "Pékin contrôle environ 70 % de l’extraction mondiale des terres rares et près de 90 % du "
        "raffinage. Les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares.",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["build", str(doc.parent), "--out", str(tmp_path / "out"), "--ontology", str(ROOT / "ontology")]
    )
    assert result.exit_code == 0, result.output
    assert "documents   1" in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert {"China", "Japan", "United States"} <= {e["name"] for e in summary["entities"]}
    assert any(s["percent"] == 90 and s["stage"] == "refining" for s in summary["shares"])


def test_cli_build_error_is_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "missing: no such file or folder" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_cli_query_lists_states(runner, seeds_build, fmt):
    out, _ = seeds_build
    result = runner.invoke(cli, ["query", STATES, "--out", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        labels = [b["label"]["value"] for b in json.loads(result.output)["results"]["bindings"]]
    elif fmt == "csv":
        labels = [row["label"] for row in csv.DictReader(io.StringIO(result.output))]
    else:
        labels = [line.split()[-1] for line in result.output.splitlines()[2:]]
    assert {"China", "Japan", "Ukraine"} <= set(labels) or {"China", "Japan"} <= set(labels)


def test_cli_query_from_file(runner, seeds_build, tmp_path):
    out, _ = seeds_build
    query = tmp_path / "states.rq"
    query.write_text(STATES, encoding="utf-8")
    result = runner.invoke(cli, ["query", str(query), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"]


@pytest.mark.parametrize(
    "sparql, message",
    [
        ("SELEC ?s WHERE {", "malformed query"),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "updates are refused"),
        ("missing.rq", "no such query file"),
    ],
)
def test_cli_query_errors(runner, seeds_build, sparql, message):
    out, _ = seeds_build
    result = runner.invoke(cli, ["query", sparql, "--out", str(out)])
    assert result.exit_code != 0
    assert message in result.output


def test_cli_query_without_build(runner, tmp_path):
    result = runner.invoke(cli, ["query", STATES, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no store" in result.output


def test_cli_stats(runner, seeds_build):
    out, report = seeds_build
    result = runner.invoke(cli, ["stats", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["quads"] == report.quads
    assert figures["entities"]["State"] > 20


def test_cli_stats_without_build(runner, tmp_path):
    result = runner.invoke(cli, ["stats", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no store" in result.output


def test_cli_analyze(runner, seeds_build, tmp_path):
    out, _ = seeds_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    result = runner.invoke(cli, ["analyze", "--out", str(copy), "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["top"]["betweenness"]
    assert len(rows) == 3
    assert {"United States", "China"} & {r["label"] for r in rows}
    assert (copy / "analysis" / "centrality.csv").is_file()


def test_cli_analyze_without_build(runner, tmp_path):
    result = runner.invoke(cli, ["analyze", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "cmkg build" in result.output


def test_cli_serve_busy_port(runner, seeds_build):
    out, _ = seeds_build
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--out", str(out), "--port", str(port)])
    assert result.exit_code == 1
    assert "busy" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_cli_every_command_is_documented(runner, command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"cmkg {command}" in readme
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_cli_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = (
        "apt-get update && apt-get install -y chromium virtuoso-opensource && pip install '.[test]' && python -m pytest"
    )
    assert f"```bash\n{command}\n```" in readme
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "```bash\npip install . && cmkg build\n```" in readme


def test_cli_validate_seeds(runner, seeds_build):
    out, _ = seeds_build
    result = runner.invoke(cli, ["validate", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 SHACL violations" in result.output


def test_cli_validate_reports_a_violation(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.trig").write_text(
        "@prefix cmkg: <https://w3id.org/cmkg/ontology#> .\n"
        "<https://w3id.org/cmkg/claim/x> { <https://w3id.org/cmkg/fact/share/x> a cmkg:MarketShare ;"
        " cmkg:percent 150.0 . }\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", "--out", str(out)])
    assert result.exit_code == 1
    assert "SHACL violations" in result.output
    assert "fact/share/x" in result.output


def test_cli_reference_is_current():
    from graph.cli_reference import command_reference

    written = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert written == command_reference(cli), "docs/commands.md is stale: run python -m graph.cli_reference"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_cli_reference_holds_every_command(command):
    assert f"## `cmkg {command}`" in (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def test_cli_readme_stays_short():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 200
    for folder in ("ingest/", "extract/", "build/", "sparql/", "analysis/", "export/"):
        assert f"\n  {folder}" in readme, folder


US_JAPAN = {
    "en": "Japan and United States — framework on critical minerals and rare earth elements, signed (2025-10-28)",
    "fr": "États-Unis et Japon — accord-cadre (minéraux critiques et terres rares), signé (2025-10-28)",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cli_explain_prints_one_line_per_fact_in_the_language(runner, seeds_build, lang):
    # tests/gold: 003 and 004 state the US–Japan framework agreement; 004 dates it 2025-10-28.
    out, _ = seeds_build
    result = runner.invoke(cli, ["explain", "Japon", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines.count(f"- {US_JAPAN[lang]}") == 1
    below = lines[lines.index(f"- {US_JAPAN[lang]}") + 1 :]
    sentences = below[: next(i for i, line in enumerate(below) if not line.startswith("  "))]
    assert len([s for s in sentences if s.startswith("  « ")]) >= 2  # one line, both documents' sentences under it
    assert any("004_111536c8444e29a3" in s for s in sentences) and any("003_bd6bbf2148b67aeb" in s for s in sentences)
    assert not [line for line in lines if " type agreement" in line or line.startswith("- Framework agreement")]


def test_cli_explain_refuses_an_unknown_language(runner, seeds_build):
    out, _ = seeds_build
    result = runner.invoke(cli, ["explain", "Japon", "--lang", "de", "--out", str(out)])
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'fr'" in result.output


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_cli_timeline_prints_the_facts_lines(runner, seeds_build, lang):
    out, _ = seeds_build
    result = runner.invoke(cli, ["timeline", "Japan", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"2025-10-28  {US_JAPAN[lang]}" in result.output.splitlines()
    rows = json.loads(runner.invoke(cli, ["timeline", "Japan", "--lang", lang, "--json", "--out", str(out)]).output)
    assert US_JAPAN[lang] in [row["line"] for row in rows]


def _python_m_graph(*args: str) -> subprocess.CompletedProcess:
    """``python -m graph ARGS`` in its own process, as a user runs it (through :func:`graph.cli.main`)."""
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("args", "status", "stream", "expected"),
    [
        (["--version"], 0, "stdout", "cmkg, version"),
        (["stats", "--out", "/nonexistent/cmkg-build"], 1, "stderr", "no store at /nonexistent/cmkg-build/store"),
        (["no-such-command"], 2, "stderr", "No such command 'no-such-command'"),
    ],
    ids=["ok", "error", "usage"],
)
def test_cli_main_exit_status_and_message(args, status, stream, expected):
    done = _python_m_graph(*args)
    assert done.returncode == status, done.stderr
    assert expected in getattr(done, stream)


def test_cli_main_writes_the_whole_output(runner, seeds_build):
    """Leaving without Python's teardown flushes everything first: a long output arrives whole."""
    out, _ = seeds_build
    args = ["query", "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", "--out", str(out), "--format", "csv"]
    done = _python_m_graph(*args)
    assert done.returncode == 0, done.stderr
    expected = runner.invoke(cli, args).output
    assert len(expected) > 100_000
    assert done.stdout == expected


def test_cli_main_runs_the_exit_handlers(tmp_path):
    script = (
        "import atexit, sys\n"
        "from graph.cli import main\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "sys.argv = ['cmkg', '--version']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["cmkg, version " + __import__("graph").__version__, "handler ran"]
