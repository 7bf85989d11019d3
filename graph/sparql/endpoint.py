"""The guarded SPARQL endpoint of ``cmkg serve``: Oxigraph behind limits it cannot enforce itself.

Oxigraph's ``--timeout-s`` does not stop every query: a ``COUNT`` over a cartesian product runs on
after the timeout and after its client has gone, and a plain ``SELECT`` streams gigabytes. So the
public port is a small threaded HTTP proxy (standard library only) in front of a pool of
``oxigraph serve-read-only`` processes (:func:`graph.sparql.serve.start_server`) on internal loopback
ports, each lent to one request at a time. The proxy enforces:

- a wall-clock limit per query: when it passes, the process running the query is killed, which
  really ends the work, and a fresh one takes its place; the client gets ``503 query timed out
  after 30 s``;
- a cap on the size of an answer: past it the process is killed too and the client gets a ``503``
  or, if the answer was already streaming, a chunked response without its last chunk, which no
  HTTP client mistakes for a complete answer;
- a cap on concurrent queries: ``max_concurrent`` run, up to ``max_waiting`` more wait (at most the
  time limit) for a free process, and any further one gets ``503`` at once;
- read only: updates and Graph Store writes get ``403`` before they reach Oxigraph.

Everything else is Oxigraph's own answer, passed through: the YASGUI page on ``/``, ``/query`` and
``/sparql`` (GET, POST form or direct), content negotiation, ``GET /store``, CORS preflight.
"""

from __future__ import annotations

import atexit
import errno
import http.client
import logging
import math
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from graph import __version__
from graph.errors import CmkgError, ServeError
from graph.sparql.serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    QUERY_TIMEOUT_S,
    Addressed,
    ServerHandle,
    netloc,
    oxigraph_binary,
    port_is_free,
    start_server,
)
from graph.sparql.store import READ_ONLY_MESSAGE, is_update, require_store

logger = logging.getLogger(__name__)

DEFAULT_MAX_CONCURRENT = 4
DEFAULT_MAX_WAITING = 64
DEFAULT_MAX_RESPONSE_BYTES = 100 * 2**20
BUFFER_BYTES = 256 * 2**10
"""Answers up to this size are sent whole with a Content-Length; longer ones stream in chunks."""
CHUNK_BYTES = 64 * 2**10
MAX_REQUEST_BYTES = 8 * 2**20
WATCH_INTERVAL_S = 0.05
UPSTREAM_GRACE_S = 1.0
"""Oxigraph's own timeout is set this much later than the proxy's, so that the proxy's answer wins."""
IDLE_CLIENT_S = 120.0
"""An idle keep-alive connection, or a client that stops reading, is dropped after this long."""

QUERY_ROUTES = frozenset({"/query", "/sparql"})
CAPPED_ROUTES = QUERY_ROUTES | {"/store"}
"""Routes whose answers come from the data and are capped; the query UI's files are not."""
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPDATE_MEDIA_TYPE = "application/sparql-update"
QUERY_MEDIA_TYPE = "application/sparql-query"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
NOT_FORWARDED = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
        "server",
        "date",
        "expect",
    }
)
"""Hop-by-hop headers and those the proxy writes itself."""


def size_text(n: int) -> str:
    """A byte count for messages.

    >>> size_text(100 * 2**20), size_text(10 * 2**10), size_text(500)
    ('100 MiB', '10 KiB', '500 bytes')
    """
    if n >= 2**20:
        return f"{n / 2**20:g} MiB"
    if n >= 2**10:
        return f"{n / 2**10:g} KiB"
    return f"{n} bytes"


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows one query and all of them together.

    >>> Limits().describe()
    '30 s per query, 4 queries at a time (64 more may wait), answers up to 100 MiB'
    """

    timeout_s: float = QUERY_TIMEOUT_S
    max_concurrent: int = DEFAULT_MAX_CONCURRENT
    max_waiting: int = DEFAULT_MAX_WAITING
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise ServeError(f"the query timeout must be positive, not {self.timeout_s:g}")
        if self.max_concurrent < 1:
            raise ServeError(f"at least one query must run at a time, not {self.max_concurrent}")
        if self.max_waiting < 0:
            raise ServeError(f"the number of waiting queries cannot be {self.max_waiting}")
        if self.max_response_bytes < 1:
            raise ServeError(f"the answer size cap must be positive, not {self.max_response_bytes}")

    def describe(self) -> str:
        """The limits in one line, for the console."""
        return (
            f"{self.timeout_s:g} s per query, {self.max_concurrent} queries at a time "
            f"({self.max_waiting} more may wait), answers up to {size_text(self.max_response_bytes)}"
        )

    def timeout_message(self) -> str:
        """The error body of a query stopped by the time limit."""
        return f"query timed out after {self.timeout_s:g} s: it was stopped (limit set by cmkg serve --timeout)"

    def size_message(self) -> str:
        """The error body of an answer stopped by the size cap."""
        return (
            f"answer larger than {size_text(self.max_response_bytes)}: the query was stopped "
            "(add a LIMIT, or raise cmkg serve --max-response-mb)"
        )


class _Refusal(Exception):
    """A request answered by the proxy itself: a status, a one-line message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def refuse_writes(method: str, target: str, headers: Message, body: bytes) -> None:
    """Raise a ``403`` :class:`_Refusal` if the request would write: an update or a store write.

    Reads pass: ``GET``, ``HEAD`` and ``OPTIONS`` anywhere but ``/update``, and queries posted to
    ``/query`` or ``/sparql`` as a form or directly. Any other ``POST`` falls to Oxigraph.
    """
    url = urlsplit(target)
    refused = _Refusal(403, READ_ONLY_MESSAGE)
    if url.path == "/update" or (method not in READ_METHODS and method != "POST"):
        raise refused
    if method == "POST" and url.path == "/store":
        raise refused
    if url.path not in QUERY_ROUTES:
        return
    params = parse_qs(url.query)
    texts: list[str] = []
    if method == "POST":
        media_type = headers.get_content_type()
        if media_type == UPDATE_MEDIA_TYPE:
            raise refused
        if media_type == FORM_MEDIA_TYPE:
            for name, values in parse_qs(body.decode("utf-8", errors="replace")).items():
                params.setdefault(name, []).extend(values)
        elif media_type == QUERY_MEDIA_TYPE:
            texts.append(body.decode("utf-8", errors="replace"))
    if "update" in params or any(is_update(text) for text in params.get("query", []) + texts):
        raise refused


@dataclass(eq=False)
class _Waiter:
    """A request waiting for a free worker."""

    ready: threading.Event = field(default_factory=threading.Event)
    handle: ServerHandle | None = None


class WorkerPool:
    """``oxigraph serve-read-only`` processes over one store, each lent to one request at a time.

    A process whose request did not end cleanly (time limit, size cap, client gone) is killed and
    replaced in the background.
    """

    def __init__(self, store_dir: Path, size: int, timeout_s: float, cors: bool) -> None:
        self._store_dir = store_dir
        self._size = size
        self._oxigraph_timeout_s = math.ceil(timeout_s + UPSTREAM_GRACE_S)
        self._cors = cors
        self._idle: deque[ServerHandle] = deque()
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()
        self._workers: set[ServerHandle] = set()
        self._replacing: set[threading.Thread] = set()
        self._connections: dict[ServerHandle, http.client.HTTPConnection] = {}
        self._upstream_timeout_s = timeout_s + UPSTREAM_GRACE_S + 5
        self._closed = False
        self._last_error = ""

    def start(self) -> None:
        """Start every process; on failure stop those already started and raise."""
        try:
            for _ in range(self._size):
                handle = self._spawn()
                with self._lock:
                    self._workers.add(handle)
                    self._idle.append(handle)
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> ServerHandle:
        return start_server(
            self._store_dir,
            host=DEFAULT_HOST,
            port=0,
            timeout_s=self._oxigraph_timeout_s,
            cors=self._cors,
            own_session=True,
        )

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return sorted(handle.process.pid for handle in self._workers if handle.running)

    def acquire(self, max_waiting: int, wait_s: float) -> ServerHandle:
        """An idle worker, waiting at most ``wait_s`` seconds behind at most ``max_waiting`` others.

        Waiting requests are served first come, first served. Raises :class:`_Refusal` (``503``)
        when too many requests wait or no worker became free in time.
        """
        deadline = time.monotonic() + wait_s
        while True:
            handle = self._take(max_waiting, deadline, wait_s)
            if handle.running:
                return handle
            logger.warning("an Oxigraph worker (pid %d) died: replacing it", handle.process.pid)
            self.recycle(handle)

    def _take(self, max_waiting: int, deadline: float, wait_s: float) -> ServerHandle:
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            if len(self._waiters) >= max_waiting:
                raise _Refusal(
                    503,
                    f"too many queries: {self._size} running and {len(self._waiters)} waiting; retry later",
                    {"Retry-After": "1"},
                )
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.ready.wait(max(0.0, deadline - time.monotonic()))
        with self._lock:
            if waiter.handle is not None:
                return waiter.handle
            self._waiters.remove(waiter)
        raise _Refusal(503, f"no query slot became free within {wait_s:g} s; retry later", {"Retry-After": "1"})

    def _give(self, handle: ServerHandle) -> None:
        """Hand a free worker to the longest-waiting request, or keep it idle (lock held)."""
        if self._waiters:
            waiter = self._waiters.popleft()
            waiter.handle = handle
            waiter.ready.set()
        else:
            self._idle.append(handle)

    def connection(self, handle: ServerHandle, fresh: bool = False) -> tuple[http.client.HTTPConnection, bool]:
        """A connection to the worker: the one kept from its last request if any (and not
        ``fresh``), else a new one; and whether it was kept."""
        with self._lock:
            kept = self._connections.pop(handle, None)
        if kept is not None and not fresh:
            return kept, True
        if kept is not None:
            kept.close()
        return http.client.HTTPConnection(handle.host, handle.port, timeout=self._upstream_timeout_s), False

    def keep(self, handle: ServerHandle, connection: http.client.HTTPConnection) -> None:
        """Keep a connection whose exchange ended cleanly, for the worker's next request."""
        with self._lock:
            self._connections[handle] = connection

    def release(self, handle: ServerHandle) -> None:
        """Give back a worker whose request ended cleanly."""
        with self._lock:
            if not self._closed:
                self._give(handle)
                return
        handle.kill()

    def recycle(self, handle: ServerHandle) -> None:
        """Kill a worker (ending whatever it computes) and start a replacement in the background."""
        handle.kill()
        with self._lock:
            self._workers.discard(handle)
            connection = self._connections.pop(handle, None)
            if not self._closed:
                thread = threading.Thread(target=self._replace, name="cmkg-worker-restart", daemon=True)
                self._replacing.add(thread)
                thread.start()  # under the lock, so that close() never joins a thread not started
        if connection is not None:
            connection.close()

    def _replace(self) -> None:
        try:
            handle = self._spawn()
        except (CmkgError, OSError) as error:
            logger.error("could not replace an Oxigraph worker: %s", error)
            with self._lock:
                self._last_error = str(error)
                self._replacing.discard(threading.current_thread())
            return
        with self._lock:
            self._replacing.discard(threading.current_thread())
            closed = self._closed
            if not closed:
                self._workers.add(handle)
                self._give(handle)
        if closed:
            handle.kill()

    def check(self) -> None:
        """Raise :class:`ServeError` if no worker is left and none is starting."""
        with self._lock:
            if self._workers or self._replacing or self._closed:
                return
            message = self._last_error
        raise ServeError(f"no Oxigraph worker is left: {message}")

    def close(self) -> None:
        """Kill every worker, including those being started; safe to call twice."""
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
            replacing = list(self._replacing)
            connections, self._connections = list(self._connections.values()), {}
            for waiter in self._waiters:  # they give up now, with a 503, instead of at their deadline
                waiter.ready.set()
        for connection in connections:
            connection.close()
        for handle in workers:
            handle.kill()
        for thread in replacing:
            thread.join()


class _Exchange:
    """One request lent a worker: its deadline, its sockets and how it ended."""

    def __init__(self, worker: ServerHandle, deadline: float, client: socket.socket) -> None:
        self.worker = worker
        self.deadline = deadline
        self.client = client
        self.upstream: socket.socket | None = None
        self.answered = False
        self.stopped = ""
        self._finished = False
        self._lock = threading.Lock()

    def poll(self, now: float) -> None:
        """Stop the exchange if its deadline passed or its client left before the answer began."""
        if now >= self.deadline:
            self.stop("timeout")
        elif not self.answered and _client_gone(self.client):
            self.stop("client gone")

    def stop(self, reason: str) -> None:
        """Kill the worker, which ends the query's work, and unblock the relay; once only."""
        with self._lock:
            if self.stopped or self._finished:
                return
            self.stopped = reason
        logger.warning("stopping a query (%s): killing Oxigraph worker %d", reason, self.worker.process.pid)
        self.worker.process.kill()
        if self.upstream is not None:
            try:
                self.upstream.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def finish(self) -> bool:
        """Mark the answer complete; False if the exchange was stopped first."""
        with self._lock:
            if self.stopped:
                return False
            self._finished = True
            return True


def _client_gone(client: socket.socket) -> bool:
    """Whether the client closed its connection (readable, and nothing to read)."""
    try:
        poller = select.poll()  # not select.select, which fails on descriptors past 1023
        poller.register(client, select.POLLIN)
        if not poller.poll(0):
            return False
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except (OSError, ValueError):
        return True


class _Watchdog:
    """One thread that stops exchanges past their deadline or whose client left."""

    def __init__(self, interval_s: float = WATCH_INTERVAL_S) -> None:
        self._interval_s = interval_s
        self._exchanges: set[_Exchange] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cmkg-watchdog", daemon=True)
        self._thread.start()

    def watch(self, exchange: _Exchange) -> None:
        with self._lock:
            self._exchanges.add(exchange)

    def unwatch(self, exchange: _Exchange) -> None:
        with self._lock:
            self._exchanges.discard(exchange)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval_s):
            with self._lock:
                exchanges = list(self._exchanges)
            now = time.monotonic()
            for exchange in exchanges:
                exchange.poll(now)

    def close(self) -> None:
        self._stopping.set()
        self._thread.join()


class _Handler(BaseHTTPRequestHandler):
    """Answers one client connection: refusals and limits here, everything else from a worker."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stall
    server: _Server

    def version_string(self) -> str:
        return f"cmkg/{__version__}"

    def setup(self) -> None:
        self.timeout = IDLE_CLIENT_S
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 - the names http.server dispatches to
        self._serve()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        logger.debug("%s " + format, self.address_string(), *args)

    def _serve(self) -> None:
        guard = self.server
        try:
            try:
                body = self._read_body()
                refuse_writes(self.command, self.path, self.headers, body)
                worker = guard.pool.acquire(guard.limits.max_waiting, guard.limits.timeout_s)
            except _Refusal as refusal:
                self._send_text(refusal.status, refusal.message, refusal.headers)
                return
            exchange = _Exchange(worker, time.monotonic() + guard.limits.timeout_s, self.connection)
            guard.watchdog.watch(exchange)
            outcome: bool | _Refusal = False
            try:
                outcome = self._relay(exchange, body)
            finally:
                guard.watchdog.unwatch(exchange)
                if outcome is True:
                    guard.pool.release(worker)
                else:
                    guard.pool.recycle(worker)
            # Sent only now, so that a client told of a limit finds its worker already replaced.
            if isinstance(outcome, _Refusal):
                self._send_text(outcome.status, outcome.message, outcome.headers)
        except OSError as error:
            logger.info("client %s left: %s", self.address_string(), error)
            self.close_connection = True

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise _Refusal(411, "send the request body with a Content-Length header")
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            raise _Refusal(400, f"invalid Content-Length: {length!r}") from None
        if size > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise _Refusal(413, f"request larger than {size_text(MAX_REQUEST_BYTES)}")
        return self.rfile.read(size)

    def _relay(self, exchange: _Exchange, body: bytes) -> bool | _Refusal:
        """Forward the request to the exchange's worker and stream its answer back within limits.

        Returns True if the exchange ended cleanly (the worker can serve again), False if it was
        cut after the answer began, or the error to answer if it failed before.
        """
        pool = self.server.pool
        upstream, reused = pool.connection(exchange.worker)
        kept = False
        try:
            try:
                response = self._send_upstream(exchange, upstream, body)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                if not reused or exchange.stopped:
                    return self._failure(exchange, error)
                # a kept-alive connection the worker had closed: once more on a new one
                upstream.close()
                upstream, reused = pool.connection(exchange.worker, fresh=True)
                try:
                    response = self._send_upstream(exchange, upstream, body)
                except (OSError, http.client.HTTPException) as second:
                    return self._failure(exchange, second)
            except (OSError, http.client.HTTPException) as error:
                return self._failure(exchange, error)
            try:
                head, ended = self._read_head(response, self._cap())
            except (OSError, http.client.HTTPException) as error:
                return self._failure(exchange, error)
            if head is None:
                exchange.stop("size cap")
                return _Refusal(503, self.server.limits.size_message())
            if not ended:
                complete = self._stream(exchange, response, head)
            elif not exchange.finish():
                return self._failure(exchange, None)
            else:
                self._send_head(response, len(head))
                if self.command != "HEAD":
                    self.wfile.write(head)
                complete = True
            response.close()  # read to its end; closing it readies the connection for another request
            if complete and not response.will_close:
                pool.keep(exchange.worker, upstream)
                kept = True
            return complete
        finally:
            if not kept:
                upstream.close()

    def _send_upstream(
        self, exchange: _Exchange, upstream: http.client.HTTPConnection, body: bytes
    ) -> http.client.HTTPResponse:
        """Send the client's request to the worker; return the worker's answer once it begins."""
        worker = exchange.worker
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        upstream.putheader("Host", netloc(worker.host, worker.port))
        for name, value in self.headers.items():
            if name.lower() not in NOT_FORWARDED:
                upstream.putheader(name, value)
        if body or self.command == "POST":
            upstream.putheader("Content-Length", str(len(body)))
        upstream.endheaders(body or None)
        exchange.upstream = upstream.sock
        response = upstream.getresponse()
        exchange.answered = True
        return response

    def _cap(self) -> int | float:
        """The size cap of this request's answer."""
        if urlsplit(self.path).path in CAPPED_ROUTES:
            return self.server.limits.max_response_bytes
        return math.inf

    @staticmethod
    def _read_head(response: http.client.HTTPResponse, cap: int | float) -> tuple[bytes | None, bool]:
        """Up to :data:`BUFFER_BYTES` of the answer and whether that is all (None past ``cap``)."""
        head = bytearray()
        while len(head) < BUFFER_BYTES:
            data = response.read1(CHUNK_BYTES)
            if not data:
                return bytes(head), True
            head += data
            if len(head) > cap:
                return None, False
        return bytes(head), False

    def _stream(self, exchange: _Exchange, response: http.client.HTTPResponse, head: bytes) -> bool:
        """Send a long answer in chunks; end it without its last chunk if a limit cuts it."""
        limits = self.server.limits
        cap = self._cap()
        chunked = self.request_version != "HTTP/1.0"
        self._send_head(response, None if chunked else -1)
        self._write_chunk(head, chunked)
        total = len(head)
        while True:
            try:
                data = response.read1(CHUNK_BYTES)
            except (OSError, http.client.HTTPException) as error:
                logger.warning("answer cut after %d bytes: %s", total, exchange.stopped or error)
                self.close_connection = True
                return False
            if not data:
                break
            total += len(data)
            if total > cap:
                exchange.stop("size cap")
                logger.warning("answer cut at %s: %s", size_text(total), limits.size_message())
                self.close_connection = True
                return False
            self._write_chunk(data, chunked)
        if not exchange.finish():
            self.close_connection = True
            return False
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        return True

    def _write_chunk(self, data: bytes, chunked: bool) -> None:
        if chunked:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        else:
            self.wfile.write(data)

    def _failure(self, exchange: _Exchange, error: BaseException | None) -> bool | _Refusal:
        """The error to answer for a relay that broke before the answer began (False: none)."""
        if exchange.stopped == "timeout":
            return _Refusal(503, self.server.limits.timeout_message())
        if exchange.stopped:
            self.close_connection = True
            return False
        detail = " ".join(str(error).split()) or type(error).__name__
        return _Refusal(502, f"the Oxigraph worker failed: {detail}")

    def _send_head(self, response: http.client.HTTPResponse, length: int | None) -> None:
        """Status and headers of the worker's answer; ``length`` None: chunked, -1: until close."""
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in NOT_FORWARDED:
                self.send_header(name, value)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        elif length < 0:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        """A plain-text answer written by the proxy itself."""
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    """The public HTTP server; it holds the pool, the watchdog and the limits its handlers use."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: many clients connect at once

    def __init__(
        self,
        address: tuple[str, int],
        pool: WorkerPool,
        watchdog: _Watchdog,
        limits: Limits,
        cors: bool,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.pool = pool
        self.watchdog = watchdog
        self.limits = limits
        self.cors = cors
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        logger.exception("unexpected error while answering %s", client_address)


class EndpointHandle(Addressed):
    """A running guarded endpoint: the public server, its Oxigraph workers and its limits.

    Use it as a context manager, or call :meth:`stop`; a handle left running is stopped when the
    interpreter exits.
    """

    def __init__(self, server: _Server, thread: threading.Thread, store_dir: Path, limits: Limits) -> None:
        self._server = server
        self._thread = thread
        self.store_dir = store_dir
        self.limits = limits
        self.host = str(server.server_address[0])
        self.port = int(server.server_address[1])
        self._stopped = False

    @property
    def running(self) -> bool:
        """Whether the endpoint still serves."""
        return not self._stopped and self._thread.is_alive()

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the live Oxigraph workers."""
        return self._server.pool.pids

    def check(self) -> bool:
        """True while serving, False once stopped (see :func:`graph.sparql.serve.serve_forever`).

        Raises
        ------
        ServeError
            If the public server died or no Oxigraph worker is left.
        """
        if self._stopped:
            return False
        if not self._thread.is_alive():
            raise ServeError("the SPARQL endpoint stopped unexpectedly")
        self._server.pool.check()
        return True

    def stop(self) -> None:
        """Stop listening, then kill the workers (ending queries in flight); safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._server.pool.close()
        self._server.watchdog.close()
        atexit.unregister(self.stop)
        logger.info("stopped the SPARQL endpoint at %s", self.endpoint)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EndpointHandle {self.endpoint} workers={self.worker_pids} {state}>"


def start_endpoint(
    store_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
    cors: bool = False,
) -> EndpointHandle:
    """Serve ``store_dir`` read-only over SPARQL on ``host:port``, Oxigraph behind ``limits``.

    Port 0 picks a free port (see ``handle.port``). The union of all graphs is the default graph.
    With ``cors``, browser clients of other origins may query (Oxigraph's ``--cors``).

    Raises
    ------
    StoreError
        If there is no store at ``store_dir``.
    ServeError
        If ``oxigraph`` is not installed, the port is busy (``port 7878 on 127.0.0.1 is busy``), or
        a worker does not start.
    """
    store_dir = Path(store_dir)
    limits = limits or Limits()
    require_store(store_dir)
    oxigraph_binary()
    if port != 0 and not port_is_free(host, port):
        raise ServeError(f"port {port} on {host} is busy")
    pool = WorkerPool(store_dir, limits.max_concurrent, limits.timeout_s, cors)
    watchdog = _Watchdog()
    try:
        server = _Server((host, port), pool, watchdog, limits, cors)
    except OSError as error:
        watchdog.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is busy") from error
        raise ServeError(f"cannot listen on {netloc(host, port)}: {error.strerror or error}") from error
    try:
        pool.start()
    except BaseException:
        server.server_close()
        watchdog.close()
        raise
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="cmkg-endpoint", daemon=True
    )
    thread.start()
    handle = EndpointHandle(server, thread, store_dir, limits)
    atexit.register(handle.stop)
    logger.info("SPARQL endpoint at %s (%s)", handle.endpoint, limits.describe())
    return handle
