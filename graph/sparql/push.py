"""Upload a build's dataset to another SPARQL store over the SPARQL 1.1 Graph Store Protocol.

Every named graph (and the default graph, if it holds triples) is sent with one ``PUT
URL?graph=IRI``, which replaces that graph on the server: pushing twice replaces, never
duplicates, and named graphs (one per claim) stay named graphs. The body is N-Triples sent as
``text/turtle`` (N-Triples is a subset of Turtle), which every Graph Store Protocol server reads:
Apache Jena Fuseki (``http://host:3030/DATASET/data``), GraphDB
(``http://host:7200/repositories/REPO/rdf-graphs/service``), Virtuoso
(``http://host:8890/sparql-graph-crud-auth``), Amazon Neptune (``https://host:8182/sparql/gsp/``),
Oxigraph (``http://host:7878/store``).

Graphs that the server holds and the store does not (claims of an older build) are left alone.
"""

from __future__ import annotations

import base64
import http.client
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from graph.errors import PushError
from graph.sparql.store import dump_graphs, graph_names

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/turtle; charset=utf-8"
TIMEOUT_S = 120.0
BODY_PREVIEW_CHARS = 200


@dataclass(frozen=True)
class PushReport:
    """What a push sent: graphs, triples, seconds."""

    graphs: int
    triples: int
    seconds: float


def auth_header(auth: str | None = None, token: str | None = None) -> str | None:
    """The ``Authorization`` header for ``user:password`` (Basic) or a bearer token, if any.

    >>> auth_header("ada:secret")
    'Basic YWRhOnNlY3JldA=='
    >>> auth_header(token="t0k3n")
    'Bearer t0k3n'

    Raises
    ------
    PushError
        If both are given, or ``auth`` has no colon.
    """
    if auth is not None and token is not None:
        raise PushError("give --auth or --token, not both")
    if auth is not None:
        if ":" not in auth:
            raise PushError("--auth takes USER:PASSWORD")
        return "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")
    if token is not None:
        return f"Bearer {token}"
    return None


def graph_target(path: str, query: str, graph: str | None) -> str:
    """The request target of one graph on a Graph Store Protocol endpoint.

    >>> graph_target("/ds/data", "", "https://w3id.org/cmkg/claim/0f3a")
    '/ds/data?graph=https%3A%2F%2Fw3id.org%2Fcmkg%2Fclaim%2F0f3a'
    >>> graph_target("/store", "", None)
    '/store?default'
    >>> graph_target("/repositories/r/rdf-graphs/service", "context=x", None)
    '/repositories/r/rdf-graphs/service?context=x&default'
    """
    parameter = "default" if graph is None else urlencode({"graph": graph})
    return f"{path or '/'}?{query + '&' if query else ''}{parameter}"


class _Connection:
    """One keep-alive HTTP(S) connection to the server, reopened if the server closed it."""

    def __init__(self, endpoint: str, timeout_s: float) -> None:
        url = urlsplit(endpoint)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise PushError(f"{endpoint}: not an http(s) URL")
        self.endpoint = endpoint
        self.path = url.path
        self.query = url.query
        self._factory = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self._netloc = url.netloc.rpartition("@")[2]
        self._timeout_s = timeout_s
        self._connection: http.client.HTTPConnection | None = None

    def put(self, target: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, str]:
        """PUT ``body``; return status, reason and the start of the answer's body."""
        try:
            try:
                return self._put_once(target, body, headers)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # the server closed the kept-alive connection: once more on a new one
                return self._put_once(target, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise PushError(f"cannot reach {self.endpoint}: {error}") from error

    def _put_once(self, target: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, str]:
        if self._connection is None:
            self._connection = self._factory(self._netloc, timeout=self._timeout_s)
        self._connection.request("PUT", target, body=body, headers=headers)
        response = self._connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        if response.will_close:
            self.close()
        return response.status, response.reason, " ".join(text.split())[:BODY_PREVIEW_CHARS]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def push_store(
    store_dir: Path,
    endpoint: str,
    auth: str | None = None,
    token: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    timeout_s: float = TIMEOUT_S,
) -> PushReport:
    """PUT every graph of the store at ``store_dir`` to the Graph Store Protocol ``endpoint``.

    ``auth`` (``user:password``, HTTP Basic) or ``token`` (bearer) authenticate;
    ``progress(graphs_sent, graphs_total)`` follows the upload.

    Raises
    ------
    StoreError
        If there is no store at ``store_dir`` or it cannot be read.
    PushError
        If the endpoint is not an http(s) URL, cannot be reached, or refuses a graph (the message
        gives the status and the start of the server's answer).
    """
    started = time.perf_counter()
    authorization = auth_header(auth, token)
    connection = _Connection(endpoint, timeout_s)
    headers = {"Content-Type": CONTENT_TYPE}
    if authorization is not None:
        headers["Authorization"] = authorization
    names = graph_names(store_dir)
    total = len(names)
    graphs = named = triples = 0
    try:
        for dump in dump_graphs(store_dir, names):
            target = graph_target(connection.path, connection.query, dump.name)
            status, reason, answer = connection.put(target, dump.data, headers)
            if not 200 <= status < 300:
                what = "the default graph" if dump.name is None else f"graph <{dump.name}>"
                hint = " (check --auth or --token)" if status in (401, 403) else ""
                raise PushError(f"{endpoint} refused {what}: HTTP {status} {reason}{hint}: {answer}")
            graphs += 1
            triples += dump.triples
            if dump.name is not None:
                named += 1
                if progress is not None:
                    progress(named, total)
    finally:
        connection.close()
    report = PushReport(graphs=graphs, triples=triples, seconds=time.perf_counter() - started)
    logger.info("pushed %d graphs, %d triples to %s in %.1f s", graphs, triples, endpoint, report.seconds)
    return report
