"""Tests of graph.sparql.endpoint: the guarded SPARQL endpoint of ``cmkg serve``, with real Oxigraph workers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from graph.errors import ServeError
from graph.sparql.endpoint import (
    BUFFER_BYTES,
    EndpointHandle,
    Limits,
    _Refusal,
    refuse_writes,
    start_endpoint,
)
from graph.sparql.serve import port_is_free
from graph.sparql.store import READ_ONLY_MESSAGE, write_store

SAMPLE = Path(__file__).parent / "fixtures" / "sample.trig"
REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
ID = "https://w3id.org/cmkg/id/"
SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
STATES = [f"{ID}China", f"{ID}Japan", f"{ID}United_States"]
STATES_QUERY = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?state ?label WHERE {
  ?state a cmkg:State ; skos:prefLabel ?label .
  FILTER(lang(?label) = "en")
} ORDER BY ?state
"""
STATES_GRAPH_QUERY = """
PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?state skos:prefLabel ?label } WHERE {
  ?state a cmkg:State ; skos:prefLabel ?label .
  FILTER(lang(?label) = "en")
}
"""
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
HOSTILE_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
LONG_ANSWER_QUERY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # some 1.5 MB of JSON on the sample
UPDATE = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"
JSON_RESULTS = "application/sparql-results+json"
TIMEOUT_S = 2.0
MAIN_LIMITS = Limits(timeout_s=TIMEOUT_S, max_concurrent=2, max_waiting=8, max_response_bytes=512 * 2**10)
TIGHT_LIMITS = Limits(timeout_s=TIMEOUT_S, max_concurrent=1, max_waiting=0, max_response_bytes=20_000)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded from the sample dataset."""
    path = tmp_path_factory.mktemp("guarded") / "store"
    write_store(SAMPLE, path)
    return path


@pytest.fixture(scope="module")
def endpoint(request: pytest.FixtureRequest, store_dir: Path) -> EndpointHandle:
    """The endpoint most tests share: 2 workers, a 2 s limit, answers up to 512 KiB."""
    handle = start_endpoint(store_dir, host=HOST, port=0, limits=MAIN_LIMITS)
    request.addfinalizer(handle.stop)
    return handle


@pytest.fixture(scope="module")
def tight(request: pytest.FixtureRequest, store_dir: Path) -> EndpointHandle:
    """One worker, nobody waits, answers up to 20 kB, CORS on."""
    handle = start_endpoint(store_dir, host=HOST, port=0, limits=TIGHT_LIMITS, cors=True)
    request.addfinalizer(handle.stop)
    return handle


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A requests session that ignores proxy settings of the environment."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def full_pool(handle: EndpointHandle, timeout_s: float = 5.0) -> list[int]:
    """The worker pids once the pool is back to full size (a killed worker is replaced in the background)."""
    deadline = time.monotonic() + timeout_s
    while len(handle.worker_pids) < handle.limits.max_concurrent and time.monotonic() < deadline:
        time.sleep(0.02)
    return handle.worker_pids


def replaced(handle: EndpointHandle, before: list[int], timeout_s: float = 5.0) -> list[int]:
    """The worker pids once a worker of ``before`` was killed and its replacement is ready."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pids = handle.worker_pids
        if pids != before and len(pids) == handle.limits.max_concurrent:
            return pids
        time.sleep(0.02)
    raise AssertionError(f"no worker of {before} was replaced")


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def served_states(http: requests.Session, handle: EndpointHandle) -> list[str]:
    response = http.get(handle.endpoint, params={"query": STATES_QUERY}, headers={"Accept": JSON_RESULTS}, timeout=10)
    assert response.status_code == 200, response.text
    return [b["state"]["value"] for b in response.json()["results"]["bindings"]]


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_endpoint_sparqlwrapper_select_formats(endpoint: EndpointHandle, method: str, fmt: str) -> None:
    client = SPARQLWrapper(endpoint.endpoint)
    client.setQuery(STATES_QUERY)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    else:
        client.setMethod(method)

    answer = client.query().convert()

    if fmt == JSON:
        states = [b["state"]["value"] for b in answer["results"]["bindings"]]
    elif fmt == XML:
        states = [uri.firstChild.data for uri in answer.getElementsByTagName("uri")]
    elif fmt == CSV:
        states = [row["state"] for row in csv.DictReader(io.StringIO(answer.decode("utf-8")))]
    else:
        lines = answer.decode("utf-8").splitlines()[1:]
        states = [line.split("\t")[0].strip("<>") for line in lines]
    assert states == STATES


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD])
@pytest.mark.parametrize("method", ["GET", POST])
def test_endpoint_sparqlwrapper_construct_formats(endpoint: EndpointHandle, fmt: str, method: str) -> None:
    client = SPARQLWrapper(endpoint.endpoint)
    client.setQuery(STATES_GRAPH_QUERY)
    client.setReturnFormat(fmt)
    client.setMethod(method)

    answer = client.query().convert()  # Turtle comes as bytes, JSON-LD parsed

    graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
    assert set(graph) == {
        (URIRef(f"{ID}China"), SKOS_PREF, Literal("China", lang="en")),
        (URIRef(f"{ID}Japan"), SKOS_PREF, Literal("Japan", lang="en")),
        (URIRef(f"{ID}United_States"), SKOS_PREF, Literal("United States", lang="en")),
    }


@pytest.mark.parametrize(
    "query, accept, content_type, rdflib_format",
    [
        (STATES_QUERY, "application/sparql-results+json", "application/sparql-results+json", None),
        (STATES_QUERY, "application/sparql-results+xml", "application/sparql-results+xml", None),
        (STATES_QUERY, "text/csv", "text/csv", None),
        (STATES_QUERY, "text/tab-separated-values", "text/tab-separated-values", None),
        (STATES_GRAPH_QUERY, "text/turtle", "text/turtle", "turtle"),
        (STATES_GRAPH_QUERY, "application/n-triples", "application/n-triples", "nt"),
        (STATES_GRAPH_QUERY, "application/ld+json", "application/ld+json", "json-ld"),
    ],
)
@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_endpoint_plain_http_content_negotiation(
    endpoint: EndpointHandle,
    http: requests.Session,
    query: str,
    accept: str,
    content_type: str,
    rdflib_format: str | None,
    how: str,
) -> None:
    headers = {"Accept": accept}
    if how == "GET":
        response = http.get(endpoint.endpoint, params={"query": query}, headers=headers, timeout=10)
    elif how == "POST form":
        response = http.post(endpoint.endpoint, data={"query": query}, headers=headers, timeout=10)
    else:
        headers["Content-Type"] = "application/sparql-query"
        response = http.post(endpoint.endpoint, data=query.encode("utf-8"), headers=headers, timeout=10)

    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == content_type
    assert int(response.headers["Content-Length"]) == len(response.content)
    if rdflib_format is None:
        assert all(state in response.text for state in STATES)
    else:
        graph = Graph().parse(data=response.text, format=rdflib_format)
        assert {str(s) for s in graph.subjects()} == set(STATES)


def test_endpoint_ui_is_reachable(endpoint: EndpointHandle, http: requests.Session) -> None:
    page = http.get(endpoint.ui_url, timeout=10)
    script = http.get(endpoint.ui_url + "yasgui.min.js", timeout=10)

    assert (page.status_code, script.status_code) == (200, 200)
    assert "Yasgui" in page.text
    assert endpoint.ui_url == f"http://{HOST}:{endpoint.port}/"
    assert endpoint.endpoint == f"http://{HOST}:{endpoint.port}/query"


@pytest.mark.parametrize(
    "method, path, data, content_type",
    [
        ("POST", "/update", {"update": UPDATE}, None),
        ("POST", "/update", UPDATE, "application/sparql-update"),
        ("POST", "/query", UPDATE, "application/sparql-update"),
        ("POST", "/query", UPDATE, "application/sparql-query"),
        ("POST", "/query", {"query": UPDATE}, None),
        ("POST", "/sparql", {"update": UPDATE}, None),
        ("GET", f"/query?query={requests.utils.quote(UPDATE)}", None, None),
        ("PUT", "/store?default", "<http://a> <http://b> <http://c> .", "application/n-triples"),
        ("POST", "/store", "<http://a> <http://b> <http://c> .", "application/n-triples"),
        ("DELETE", "/store?graph=http://example.org/g", None, None),
    ],
)
def test_endpoint_update_refused(
    endpoint: EndpointHandle,
    http: requests.Session,
    method: str,
    path: str,
    data: object,
    content_type: str | None,
) -> None:
    before = http.get(endpoint.endpoint, params={"query": COUNT_QUERY}, headers={"Accept": JSON_RESULTS}).json()
    headers = {"Content-Type": content_type} if content_type else {}

    response = http.request(method, f"http://{HOST}:{endpoint.port}{path}", data=data, headers=headers, timeout=10)

    assert (response.status_code, response.text) == (403, READ_ONLY_MESSAGE + "\n")
    after = http.get(endpoint.endpoint, params={"query": COUNT_QUERY}, headers={"Accept": JSON_RESULTS}).json()
    assert after == before


@pytest.mark.parametrize("query", ["SELEC ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p }"])
def test_endpoint_malformed_query_gives_400_with_parser_message(
    endpoint: EndpointHandle, http: requests.Session, query: str
) -> None:
    with pytest.raises(SyntaxError) as parsed:
        ox.Store().query(query)

    response = http.get(endpoint.endpoint, params={"query": query}, timeout=10)

    assert response.status_code == 400
    assert response.text == str(parsed.value)
    assert re.match(r"error at 1:\d+: ", response.text)


def test_endpoint_keeps_answering_on_kept_alive_connections(endpoint: EndpointHandle, http: requests.Session) -> None:
    """Many requests in a row, of every kind, each through a worker connection kept from the last one."""
    for _ in range(5):
        page = http.get(endpoint.ui_url, timeout=10)
        malformed = http.get(endpoint.endpoint, params={"query": "SELEC"}, timeout=10)
        csv_answer = http.post(
            endpoint.endpoint, data={"query": STATES_QUERY}, headers={"Accept": "text/csv"}, timeout=10
        )

        assert (page.status_code, malformed.status_code, csv_answer.status_code) == (200, 400, 200)
        assert served_states(http, endpoint) == STATES
        assert [row["state"] for row in csv.DictReader(io.StringIO(csv_answer.text))] == STATES


def test_endpoint_hostile_query_is_stopped_then_next_query_answered(
    endpoint: EndpointHandle, http: requests.Session
) -> None:
    workers = full_pool(endpoint)
    started = time.monotonic()

    response = http.get(endpoint.endpoint, params={"query": HOSTILE_QUERY}, timeout=30)
    elapsed = time.monotonic() - started
    states = served_states(http, endpoint)

    assert (response.status_code, response.text) == (503, MAIN_LIMITS.timeout_message() + "\n")
    assert TIMEOUT_S <= elapsed < TIMEOUT_S + 1.5
    assert states == STATES
    killed = set(workers) - set(endpoint.worker_pids)
    assert len(killed) == 1
    assert not is_alive(killed.pop())  # the work really ended: its process is gone
    assert len(full_pool(endpoint)) == MAIN_LIMITS.max_concurrent


def test_endpoint_long_answer_is_cut_without_a_final_chunk(endpoint: EndpointHandle, http: requests.Session) -> None:
    response = http.get(
        endpoint.endpoint,
        params={"query": LONG_ANSWER_QUERY},
        headers={"Accept": JSON_RESULTS},
        stream=True,
        timeout=10,
    )
    assert response.status_code == 200
    assert response.headers["Transfer-Encoding"] == "chunked"
    received = bytearray()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for chunk in response.iter_content(chunk_size=None):
            received += chunk

    assert BUFFER_BYTES <= len(received) <= MAIN_LIMITS.max_response_bytes
    with pytest.raises(json.JSONDecodeError):
        json.loads(received)
    assert served_states(http, endpoint) == STATES


def raw_get(handle: EndpointHandle, query: str) -> socket.socket:
    """A raw client connection that has sent a GET of ``query`` (and reads nothing yet)."""
    client = socket.create_connection((HOST, handle.port))
    target = "/query?" + requests.compat.urlencode({"query": query})
    client.sendall(f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: {JSON_RESULTS}\r\n\r\n".encode())
    return client


def test_endpoint_survives_a_client_leaving_mid_response(endpoint: EndpointHandle, http: requests.Session) -> None:
    client = raw_get(endpoint, LONG_ANSWER_QUERY)
    start = client.recv(4096)
    client.close()

    assert start.startswith(b"HTTP/1.1 200 OK")
    assert served_states(http, endpoint) == STATES
    assert len(full_pool(endpoint)) == MAIN_LIMITS.max_concurrent
    assert endpoint.check()


def test_endpoint_client_leaving_before_the_answer_stops_the_query(endpoint: EndpointHandle) -> None:
    workers = full_pool(endpoint)
    client = raw_get(endpoint, HOSTILE_QUERY)
    time.sleep(0.2)
    client.close()

    deadline = time.monotonic() + TIMEOUT_S / 2
    while set(workers) <= set(endpoint.worker_pids) and time.monotonic() < deadline:
        time.sleep(0.02)

    killed = set(workers) - set(endpoint.worker_pids)
    assert len(killed) == 1  # stopped well before the time limit
    assert not is_alive(killed.pop())


def test_endpoint_answer_over_the_cap_before_headers_gives_503(tight: EndpointHandle, http: requests.Session) -> None:
    workers = full_pool(tight)
    response = http.get(tight.endpoint, params={"query": LONG_ANSWER_QUERY}, timeout=10)

    assert (response.status_code, response.text) == (503, TIGHT_LIMITS.size_message() + "\n")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    replaced(tight, workers)
    assert served_states(http, tight) == STATES


def test_endpoint_too_many_queries_gives_503_at_once(tight: EndpointHandle, http: requests.Session) -> None:
    workers = full_pool(tight)
    hostile: list[requests.Response] = []
    thread = threading.Thread(
        target=lambda: hostile.append(requests.get(tight.endpoint, params={"query": HOSTILE_QUERY}, timeout=30))
    )
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()

    busy = http.get(tight.endpoint, params={"query": STATES_QUERY}, timeout=10)
    waited = time.monotonic() - started
    thread.join()

    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "1")
    assert busy.text == "too many queries: 1 running and 0 waiting; retry later\n"
    assert waited < 0.5
    assert hostile[0].status_code == 503
    replaced(tight, workers)
    assert served_states(http, tight) == STATES


def test_endpoint_cors_passes_through(tight: EndpointHandle, http: requests.Session) -> None:
    full_pool(tight)
    deadline = time.monotonic() + 5
    while True:  # the pool's one worker may still be starting after an earlier test killed its predecessor
        response = http.get(
            tight.endpoint, params={"query": "ASK {}"}, headers={"Origin": "http://example.org"}, timeout=10
        )
        if response.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.1)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "method, target, content_type, body, refused",
    [
        ("GET", "/query?query=SELECT%20*%20%7B%7D", None, b"", False),
        ("GET", "/", None, b"", False),
        ("GET", "/store?graph=http://example.org/g", None, b"", False),
        ("OPTIONS", "/query", None, b"", False),
        ("POST", "/query", "application/x-www-form-urlencoded", b"query=ASK%20%7B%7D", False),
        ("POST", "/query", "application/sparql-query", b"# DROP ALL\nASK {}", False),
        ("POST", "/query", "application/x-www-form-urlencoded", b"query=CLEAR%20ALL", True),
        ("POST", "/sparql", "application/sparql-update", b"CLEAR ALL", True),
        ("GET", "/query?update=CLEAR%20ALL", None, b"", True),
        ("GET", "/update", None, b"", True),
        ("PATCH", "/", None, b"", True),
    ],
)
def test_endpoint_refuse_writes(method: str, target: str, content_type: str | None, body: bytes, refused: bool) -> None:
    headers = Message()
    if content_type:
        headers["Content-Type"] = content_type
    if refused:
        with pytest.raises(_Refusal) as caught:
            refuse_writes(method, target, headers, body)
        assert (caught.value.status, caught.value.message) == (403, READ_ONLY_MESSAGE)
    else:
        refuse_writes(method, target, headers, body)


def test_endpoint_busy_port_raises_serve_error(endpoint: EndpointHandle, store_dir: Path) -> None:
    with pytest.raises(ServeError) as caught:
        start_endpoint(store_dir, host=HOST, port=endpoint.port)

    assert str(caught.value) == f"port {endpoint.port} on {HOST} is busy"
    assert endpoint.check()


def test_endpoint_stop_leaves_no_process(store_dir: Path) -> None:
    with start_endpoint(store_dir, host=HOST, port=0, limits=Limits(max_concurrent=2)) as handle:
        workers = handle.worker_pids
        port = handle.port
        assert len(workers) == 2

    assert not handle.running
    assert not any(is_alive(pid) for pid in workers)
    assert port_is_free(HOST, port)
    handle.stop()  # idempotent


@pytest.mark.parametrize(
    "limits, message",
    [
        ({"timeout_s": 0}, "the query timeout must be positive, not 0"),
        ({"max_concurrent": 0}, "at least one query must run at a time, not 0"),
        ({"max_waiting": -1}, "the number of waiting queries cannot be -1"),
        ({"max_response_bytes": 0}, "the answer size cap must be positive, not 0"),
    ],
)
def test_endpoint_limits_are_checked(limits: dict[str, float], message: str) -> None:
    with pytest.raises(ServeError) as caught:
        Limits(**limits)
    assert str(caught.value) == message


def children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_endpoint_cli_serve_stops_cleanly(store_dir: Path, signum: int, http: requests.Session) -> None:
    """``cmkg serve`` prints its URLs, answers, and leaves no Oxigraph process behind on Ctrl-C."""
    out = store_dir.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--out", str(out), "--port", "0", "--timeout", "5"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        first = process.stdout.readline()
        second = process.stdout.readline()
        endpoint = first.split()[-1]
        workers = children(process.pid)
        response = http.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}, timeout=10)
        process.send_signal(signum)
        _, errors = process.communicate(timeout=15)

        assert re.fullmatch(r"SPARQL endpoint: http://127\.0\.0\.1:\d+/query\n", first)
        assert second == f"query UI:        {endpoint.removesuffix('query')}\n"
        assert response.json() == {"head": {}, "boolean": True}
        assert process.returncode == 0, errors
        assert len(workers) == 4
        assert not any(is_alive(pid) for pid in workers)
    finally:
        process.kill()
        process.wait()
        for pid in workers:
            if is_alive(pid):
                os.kill(pid, signal.SIGKILL)
