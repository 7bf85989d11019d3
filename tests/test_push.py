"""``cmkg push`` (Graph Store Protocol upload) against a real read-write Oxigraph, and ``cmkg load``."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import PushError
from graph.sparql.push import push_store
from graph.sparql.serve import free_port, oxigraph_binary
from graph.sparql.store import dump_store, run_query, stats, write_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
HOST = "127.0.0.1"
JSON_RESULTS = "application/sparql-results+json"
COUNT_QUERY = "SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
SAMPLE_QUERIES = ["most-agreements", "sentence-behind-a-fact", "dependencies-on-china"]
"""Competency queries compared remote against local: none uses GROUP_CONCAT, whose order is free."""


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    """A read-write, in-memory ``oxigraph serve`` on a free port: its base URL."""
    port = free_port(HOST)
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"{HOST}:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield base
    finally:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder whose store holds the sample dataset."""
    out = tmp_path_factory.mktemp("pushed")
    write_store(SAMPLE, out / "store")
    return out


def remote_select(base: str, query: str) -> list[dict[str, str]]:
    response = requests.post(f"{base}/query", data={"query": query}, headers={"Accept": JSON_RESULTS}, timeout=30)
    response.raise_for_status()
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_push_twice_replaces_and_agrees_with_the_local_store(seeds_build, remote: str) -> None:
    out, _ = seeds_build
    local = stats(out / "store")
    runner = CliRunner()

    outputs = [runner.invoke(cli, ["push", "--out", str(out), "--endpoint", f"{remote}/store"]) for _ in range(2)]

    for result in outputs:
        assert result.exit_code == 0, result.output
        assert f"pushed {local['named_graphs']} graphs, {local['quads']} triples to {remote}/store" in result.output
    assert remote_select(remote, COUNT_QUERY) == [{"quads": str(local["quads"]), "graphs": str(local["named_graphs"])}]
    for name in SAMPLE_QUERIES:
        sparql = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        local_rows = [{k: v for k, v in row.items() if v is not None} for row in run_query(out / "store", sparql).rows]
        assert remote_select(remote, sparql) == local_rows, name


class _GraphStore(BaseHTTPRequestHandler):
    """A fake Graph Store Protocol server that records PUTs and answers with ``self.server.status``."""

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, dict(self.headers), body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "12")
        self.end_headers()
        self.wfile.write(b"go away now\n")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def fake_store() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer((HOST, 0), _GraphStore)
    server.requests = []
    server.status = 204
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "auth, token, header",
    [(None, None, None), ("ada:s3cr:et", None, "Basic YWRhOnMzY3I6ZXQ="), (None, "t0k3n", "Bearer t0k3n")],
)
def test_push_puts_each_graph_with_credentials(
    sample_store: Path, fake_store: ThreadingHTTPServer, auth: str | None, token: str | None, header: str | None
) -> None:
    port = fake_store.server_address[1]
    seen: list[tuple[int, int]] = []

    report = push_store(
        sample_store / "store",
        f"http://{HOST}:{port}/ds/data",
        auth=auth,
        token=token,
        progress=lambda done, total: seen.append((done, total)),
    )

    graphs = stats(sample_store / "store")["named_graphs"]
    assert (report.graphs, report.triples) == (graphs, stats(sample_store / "store")["quads"])
    assert seen[-1] == (graphs, graphs)
    paths = [urlsplit(path) for path, _, _ in fake_store.requests]
    assert {p.path for p in paths} == {"/ds/data"}
    assert sorted(parse_qs(p.query)["graph"][0] for p in paths) == sorted(
        row["g"] for row in run_query(sample_store / "store", "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }").rows
    )
    for _, headers, body in fake_store.requests:
        assert headers["Content-Type"] == "text/turtle; charset=utf-8"
        assert headers.get("Authorization") == header
        assert body.endswith(b" .\n")


@pytest.mark.parametrize("status, hint", [(401, " (check --auth or --token)"), (500, "")])
def test_push_refusal_names_the_graph_and_the_status(
    sample_store: Path, fake_store: ThreadingHTTPServer, status: int, hint: str
) -> None:
    fake_store.status = status
    url = f"http://{HOST}:{fake_store.server_address[1]}/store"

    result = CliRunner().invoke(cli, ["push", "--out", str(sample_store), "--endpoint", url])

    assert result.exit_code == 1
    assert f"Error: {url} refused graph <https://w3id.org/cmkg/" in result.output
    assert f": HTTP {status} " in result.output
    assert result.output.rstrip().endswith(f"{hint}: go away now")
    assert len(fake_store.requests) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--endpoint", f"http://{HOST}:1/store"], f"Error: cannot reach http://{HOST}:1/store: "),
        (["--endpoint", "ftp://example.org/store"], "Error: ftp://example.org/store: not an http(s) URL"),
        (
            ["--endpoint", "http://example.org/store", "--auth", "a:b", "--token", "t"],
            "Error: give --auth or --token, not both",
        ),
        (["--endpoint", "http://example.org/store", "--auth", "nocolon"], "Error: --auth takes USER:PASSWORD"),
    ],
)
def test_push_errors_are_one_line(sample_store: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["push", "--out", str(sample_store), *args])

    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert len(result.output.strip().splitlines()) == 1


def test_push_without_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["push", "--out", str(tmp_path), "--endpoint", "http://example.org/store"])
    assert result.exit_code == 1
    assert "no store at" in result.output
    with pytest.raises(PushError):
        push_store(tmp_path, "http://example.org/store", auth="x")


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Path:
    """The sample dataset as TriG, N-Quads, gzipped N-Quads and Turtle (its reference graph)."""
    folder = tmp_path_factory.mktemp("dumps")
    shutil.copy(SAMPLE, folder / "sample.trig")
    dump_store(sample_store / "store", folder / "sample.nq", "nquads")
    (folder / "sample.nq.gz").write_bytes(gzip.compress((folder / "sample.nq").read_bytes()))
    (folder / "people.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:ada ex:knows ex:alan, ex:grace .\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("name", ["sample.trig", "sample.nq", "sample.nq.gz"])
def test_load_dataset_files(dumps: Path, sample_store: Path, tmp_path: Path, name: str) -> None:
    expected = stats(sample_store / "store")

    result = CliRunner().invoke(cli, ["load", str(dumps / name), "--out", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert f"loaded {expected['quads']} quads into {tmp_path / 'out' / 'store'} in " in result.output
    assert stats(tmp_path / "out" / "store") == expected


@pytest.mark.parametrize("graph", [None, "http://example.org/people"])
def test_load_turtle_into_a_graph(dumps: Path, tmp_path: Path, graph: str | None) -> None:
    args = ["--graph", graph] if graph else []

    result = CliRunner().invoke(cli, ["load", str(dumps / "people.ttl"), "--out", str(tmp_path), *args])

    assert result.exit_code == 0, result.output
    rows = run_query(tmp_path / "store", "SELECT ?o WHERE { <http://example.org/ada> ?p ?o } ORDER BY ?o").rows
    assert [r["o"] for r in rows] == ["http://example.org/alan", "http://example.org/grace"]
    graphs = run_query(tmp_path / "store", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert [r["g"] for r in graphs] == ([graph] if graph else [])


def test_load_several_files_replaces_the_store(dumps: Path, sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_store(dumps / "sample.trig", out / "store")

    result = CliRunner().invoke(cli, ["load", str(dumps / "people.ttl"), str(dumps / "people.ttl"), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert stats(out / "store")["quads"] == 2
    assert not [p for p in out.iterdir() if p.name != "store"]  # no temporary folder left


@pytest.mark.parametrize(
    "content, name, args, message",
    [
        (
            "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b",
            "broken.ttl",
            [],
            "broken.ttl: Parser error at line 3",
        ),
        ("x", "notes.txt", [], "notes.txt: unknown RDF format (expected .trig, .nq, .nquads, .ttl, .nt"),
        ("", "sample.trig", ["--graph", "http://example.org/g"], "sample.trig: --graph applies to triple files"),
        (None, "missing.nq", [], "missing.nq: no such file"),
    ],
)
def test_load_errors_leave_the_previous_store(
    dumps: Path, tmp_path: Path, content: str | None, name: str, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_store(dumps / "sample.trig", out / "store")
    before = stats(out / "store")
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")

    result = CliRunner().invoke(cli, ["load", str(path), "--out", str(out), *args])

    assert result.exit_code == 1
    assert message in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    assert stats(out / "store") == before
    assert sorted(p.name for p in out.iterdir()) == ["store"]


def test_load_refuses_to_replace_a_folder_that_is_not_a_store(dumps: Path, tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keep.txt").write_text("mine", encoding="utf-8")

    result = CliRunner().invoke(cli, ["load", str(dumps / "people.ttl"), "--out", str(tmp_path)])

    assert result.exit_code == 1
    assert "exists and is not a store: not replacing it" in result.output
    assert (tmp_path / "store" / "keep.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("command", ["push", "load", "serve"])
def test_push_commands_are_documented(command: str) -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"### `cmkg {command}" in usage
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_push_readme_has_querying_section() -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    section = usage.split("## Querying from other tools", 1)[1].split("\n## ", 1)[0]
    for needle in ("curl", "SPARQLWrapper", "YASGUI", "cmkg push", "queries/"):
        assert needle in section, needle
