"""Tests of graph.sparql.serve with the real ``oxigraph serve-read-only`` over a store of the sample dataset."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from SPARQLWrapper import JSON, SPARQLWrapper

import graph.sparql.serve as serve
from graph.errors import ServeError, StoreError
from graph.sparql.serve import (
    ServerHandle,
    free_port,
    port_is_free,
    serve_forever,
    server_command,
    start_server,
)
from graph.sparql.store import write_store

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
HOST = "127.0.0.1"
ID = "https://w3id.org/cmkg/id/"
STATES_QUERY = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?state ?label WHERE {
  ?state a cmkg:State ; skos:prefLabel ?label .
  FILTER(lang(?label) = "en")
} ORDER BY ?state
"""
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
UPDATE = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"
JSON_RESULTS = "application/sparql-results+json"
REPO = Path(__file__).resolve().parents[1]
SERVE_SCRIPT = """
import sys
from pathlib import Path
from graph.sparql.serve import serve_forever, start_server
handle = start_server(Path(sys.argv[1]), port=0)
serve_forever(handle, poll_s=0.02, on_ready=lambda: print(handle.process.pid, flush=True))
print("stopped", flush=True)
"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded from the sample dataset."""
    path = tmp_path_factory.mktemp("served") / "store"
    write_store(SAMPLE, path)
    return path


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, store_dir: Path) -> ServerHandle:
    """One server for the module, on a free port of 127.0.0.1, stopped by the finalizer."""
    handle = start_server(store_dir, host=HOST, port=0, timeout_s=5)
    request.addfinalizer(handle.stop)
    return handle


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A requests session that ignores proxy settings of the environment."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def count_quads_served(http: requests.Session, endpoint: str) -> int:
    """Number of quads in named graphs, asked over HTTP."""
    response = http.get(endpoint, params={"query": COUNT_QUERY}, headers={"Accept": JSON_RESULTS})
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_serve_sparqlwrapper_selects_states(server: ServerHandle) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(STATES_QUERY)
    client.setReturnFormat(JSON)

    bindings = client.query().convert()["results"]["bindings"]

    assert [(b["state"]["value"], b["label"]["value"], b["label"]["xml:lang"]) for b in bindings] == [
        (f"{ID}China", "China", "en"),
        (f"{ID}Japan", "Japan", "en"),
        (f"{ID}United_States", "United States", "en"),
    ]


def test_serve_urls(server: ServerHandle, http: requests.Session) -> None:
    assert server.endpoint == f"http://{HOST}:{server.port}/query"
    assert server.ui_url == f"http://{HOST}:{server.port}/"
    assert http.get(server.ui_url, timeout=5).status_code == 200


@pytest.mark.parametrize(
    "path, data, content_type",
    [
        ("/update", {"update": UPDATE}, None),
        ("/update", UPDATE, "application/sparql-update"),
        ("/query", UPDATE, "application/sparql-update"),
        ("/query", UPDATE, "application/sparql-query"),
        ("/query", {"query": UPDATE}, None),
    ],
)
def test_serve_update_refused(
    server: ServerHandle,
    http: requests.Session,
    path: str,
    data: object,
    content_type: str | None,
) -> None:
    before = count_quads_served(http, server.endpoint)
    headers = {"Content-Type": content_type} if content_type else {}

    response = http.post(f"http://{HOST}:{server.port}{path}", data=data, headers=headers, timeout=5)

    assert not 200 <= response.status_code < 300, response.text
    assert count_quads_served(http, server.endpoint) == before


def test_serve_busy_port_raises_serve_error(server: ServerHandle, store_dir: Path) -> None:
    with pytest.raises(ServeError) as caught:
        start_server(store_dir, host=HOST, port=server.port)

    assert str(caught.value) == f"port {server.port} on {HOST} is busy"
    assert server.running


@pytest.mark.parametrize("how", ["stop", "context manager"])
def test_serve_stop_leaves_no_process(store_dir: Path, how: str) -> None:
    handle = start_server(store_dir, host=HOST, port=0)
    port = handle.port
    try:
        assert handle.running
        if how == "stop":
            handle.stop()
        else:
            with handle:
                pass
        assert handle.process.poll() is not None
        assert not handle.running
        assert port_is_free(HOST, port)
        handle.stop()  # idempotent
    finally:
        handle.stop()


@pytest.mark.parametrize(
    "signum, raises",
    [(signal.SIGINT, False), (signal.SIGKILL, True)],
    ids=["interrupted", "killed"],
)
def test_serve_forever_returns_on_interrupt_and_raises_on_death(store_dir: Path, signum: int, raises: bool) -> None:
    handle = start_server(store_dir, host=HOST, port=0)
    try:
        os.kill(handle.process.pid, signum)
        if raises:
            with pytest.raises(ServeError, match="stopped unexpectedly"):
                serve_forever(handle, poll_s=0.01)
        else:
            serve_forever(handle, poll_s=0.01)
        assert handle.process.poll() is not None
    finally:
        handle.stop()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_forever_signal_leaves_no_orphan(store_dir: Path, signum: int) -> None:
    """A process blocked in serve_forever stops its server when it is interrupted or terminated."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, str(store_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    oxigraph_pid = None
    try:
        oxigraph_pid = int(process.stdout.readline())
        process.send_signal(signum)
        output, _ = process.communicate(timeout=10)

        assert (process.returncode, output.strip()) == (0, "stopped")
        with pytest.raises(ProcessLookupError):
            os.kill(oxigraph_pid, 0)
    finally:
        process.kill()
        process.wait()
        if oxigraph_pid is not None:
            try:
                os.kill(oxigraph_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_serve_port_zero_picks_a_free_port(store_dir: Path) -> None:
    with start_server(store_dir, host=HOST, port=0) as handle:
        assert handle.port != 0
        assert handle.endpoint == f"http://{HOST}:{handle.port}/query"
        assert not port_is_free(HOST, handle.port)


def test_serve_port_zero_picks_again_when_oxigraph_finds_its_port_taken(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race CI met: the picked port is taken (here by a listening socket) after the check and
    # before Oxigraph binds it. Oxigraph really exits with its own message; a second pick is served.
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        taken = holder.getsockname()[1]
        picks = iter([taken])
        monkeypatch.setattr(serve, "free_port", lambda host: next(picks, None) or free_port(host))
        monkeypatch.setattr(serve, "port_is_free", lambda host, port: True)
        with start_server(store_dir, host=HOST, port=0) as handle:
            assert handle.port != taken
            assert handle.running


def test_serve_given_port_taken_at_bind_names_the_port(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        taken = holder.getsockname()[1]
        monkeypatch.setattr(serve, "port_is_free", lambda host, port: True)
        with pytest.raises(ServeError, match=f"^port {taken} on {HOST} is busy$"):
            start_server(store_dir, host=HOST, port=taken)


def test_serve_missing_store_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        start_server(tmp_path / "absent", host=HOST, port=free_port(HOST))


def test_serve_dead_server_reports_its_output(tmp_path: Path) -> None:
    store_dir = tmp_path / "corrupt"
    store_dir.mkdir()
    (store_dir / "CURRENT").write_text("not a RocksDB manifest\n")

    with pytest.raises(ServeError) as caught:
        start_server(store_dir, host=HOST, port=free_port(HOST), startup_timeout_s=5)

    message = str(caught.value)
    assert message.startswith("the Oxigraph server exited with code 1 at start: ")
    assert "CURRENT" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "cors, host, expected_tail",
    [
        (False, "127.0.0.1", ["--bind", "127.0.0.1:9999", "--union-default-graph", "--timeout-s", "7"]),
        (True, "::1", ["--bind", "[::1]:9999", "--union-default-graph", "--timeout-s", "7", "--cors"]),
    ],
)
def test_serve_server_command(cors: bool, host: str, expected_tail: list[str]) -> None:
    command = server_command("oxigraph", Path("s"), host, 9999, 7, cors)

    assert command == ["oxigraph", "serve-read-only", "--location", "s", *expected_tail]
