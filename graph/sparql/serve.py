"""Serve a store over the SPARQL 1.1 Protocol with the real Oxigraph server.

:func:`start_server` runs ``oxigraph serve-read-only`` over a store directory as a child process,
with the union of all graphs as default graph and a per-query timeout, and returns a
:class:`ServerHandle` once the server answers. The server is read-only: it refuses updates itself
(``403`` on ``/update``).

Clients only use ``handle.endpoint``, ``handle.ui_url`` and ``handle.stop()``. ``cmkg serve`` does not
expose these processes directly: :mod:`graph.sparql.endpoint` starts a pool of them on internal loopback
ports and puts its own limits in front (Oxigraph's ``--timeout-s`` does not stop every query), with
the same three members on the public port. :func:`serve_forever` blocks on either kind of handle.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Protocol

from graph.errors import ServeError
from graph.sparql.store import require_store

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
QUERY_TIMEOUT_S = 30
STARTUP_TIMEOUT_S = 10.0
STOP_GRACE_S = 5.0
POLL_INTERVAL_S = 0.05
LOG_TAIL_CHARS = 1500
PORT_PICKS = 5
ADDRESS_IN_USE = "Address already in use"  # Oxigraph's message when its port is taken
READY_QUERY = "ASK%7B%7D"  # ASK{} url-encoded


class Servable(Protocol):
    """What :func:`serve_forever` needs of a running server."""

    def check(self) -> bool:
        """True while serving, False once interrupted; raise :class:`ServeError` if it died."""

    def stop(self) -> None:
        """Stop serving; safe to call twice."""


def netloc(host: str, port: int) -> str:
    """``host:port`` as written in a URL or ``--bind`` (IPv6 addresses in brackets).

    >>> netloc("127.0.0.1", 7878)
    '127.0.0.1:7878'
    >>> netloc("::1", 7878)
    '[::1]:7878'
    """
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` command (from the ``oxigraph`` Python package).

    Raises
    ------
    ServeError
        If ``oxigraph`` is not on the PATH.
    """
    binary = shutil.which("oxigraph")
    if binary is None:
        raise ServeError("the oxigraph server is not installed (pip install oxigraph)")
    return binary


def server_command(binary: str, store_dir: Path, host: str, port: int, timeout_s: int, cors: bool) -> list[str]:
    """The ``oxigraph serve-read-only`` command line for a store.

    >>> server_command("oxigraph", Path("out/store"), "127.0.0.1", 7878, 30, cors=False)
    ['oxigraph', 'serve-read-only', '--location', 'out/store', '--bind', '127.0.0.1:7878', \
'--union-default-graph', '--timeout-s', '30']
    """
    command = [
        binary,
        "serve-read-only",
        "--location",
        str(store_dir),
        "--bind",
        netloc(host, port),
        "--union-default-graph",
        "--timeout-s",
        str(timeout_s),
    ]
    return [*command, "--cors"] if cors else command


def _family(host: str) -> socket.AddressFamily:
    """The socket family of a numeric host or a name."""
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (same address reuse rule as Oxigraph)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port on ``host`` that is free now (the system's pick)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Addressed:
    """The URLs of a server listening on ``self.host`` and ``self.port``; used as a context manager, it
    calls ``self.stop()`` on the way out."""

    host: str
    port: int

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """The SPARQL query endpoint, ``http://HOST:PORT/query``."""
        return f"http://{netloc(self.host, self.port)}/query"

    @property
    def ui_url(self) -> str:
        """The page of Oxigraph's query editor (YASGUI), ``http://HOST:PORT/``."""
        return f"http://{netloc(self.host, self.port)}/"


class ServerHandle(Addressed):
    """A running ``oxigraph serve-read-only`` process and where to reach it.

    Use it as a context manager, or call :meth:`stop`; a handle left running is stopped when the
    interpreter exits.
    """

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        host: str,
        port: int,
        store_dir: Path,
        log_path: Path,
    ) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.store_dir = store_dir
        self._log_path = log_path
        self._stopped = False

    @property
    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self.process.poll() is None

    def check(self) -> bool:
        """True while the server runs, False once it was interrupted (SIGINT).

        Raises
        ------
        ServeError
            If the server stopped in any other way (the message ends with the tail of its output).
        """
        code = self.process.poll()
        if code is None:
            return True
        if code == -signal.SIGINT:
            # Ctrl-C in a terminal reaches the child too; it may exit before we are interrupted.
            logger.info("the SPARQL server was interrupted")
            return False
        raise ServeError(f"the Oxigraph server stopped unexpectedly (exit code {code}): {self.log_tail()}")

    def log_tail(self, chars: int = LOG_TAIL_CHARS) -> str:
        """The end of what the server wrote on stdout and stderr, on one line."""
        try:
            with self._log_path.open("rb") as log:
                log.seek(max(0, self._log_path.stat().st_size - chars))
                text = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        return " ".join(text.split())

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """Terminate the server, wait ``grace_s`` seconds, then kill it; safe to call twice."""
        if self._stopped:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                logger.warning("oxigraph did not stop in %.1f s: killing it", grace_s)
                self.process.kill()
                self.process.wait()
        # Marked stopped only now: if a second Ctrl-C breaks the wait, the exit hook tries again.
        self._stopped = True
        atexit.unregister(self.stop)
        self._log_path.unlink(missing_ok=True)
        logger.info("stopped the SPARQL server at %s", self.endpoint)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), ending whatever query it runs; safe to call twice."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited {self.process.returncode}"
        return f"<ServerHandle {self.endpoint} pid={self.process.pid} {state}>"


def _answers(endpoint: str) -> bool:
    """Whether the endpoint answers ``ASK {}`` with a 2xx status (direct connection, no proxy)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{endpoint}?query={READY_QUERY}", timeout=1.0) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_ready(handle: ServerHandle, startup_timeout_s: float) -> None:
    """Block until the server answers; raise :class:`ServeError` if it dies or takes too long."""
    deadline = time.monotonic() + startup_timeout_s
    while True:
        code = handle.process.poll()
        if code is not None:
            raise ServeError(f"the Oxigraph server exited with code {code} at start: {handle.log_tail()}")
        if _answers(handle.endpoint):
            return
        if time.monotonic() > deadline:
            raise ServeError(
                f"the Oxigraph server did not answer at {handle.endpoint} within "
                f"{startup_timeout_s:g} s: {handle.log_tail()}"
            )
        time.sleep(POLL_INTERVAL_S)


def start_server(
    store_dir: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: int = QUERY_TIMEOUT_S,
    cors: bool = False,
    startup_timeout_s: float = STARTUP_TIMEOUT_S,
    own_session: bool = False,
) -> ServerHandle:
    """Start ``oxigraph serve-read-only`` over ``store_dir`` and return once it answers queries.

    The server binds ``host:port`` (port 0: a free port, see ``handle.port``; picked again, up to
    ``PORT_PICKS`` times, if another socket takes it before Oxigraph binds it), uses the union of all
    graphs as default graph, asks Oxigraph to stop queries after ``timeout_s`` seconds and, with
    ``cors``, allows cross-origin requests. With ``own_session`` the process gets a session of its
    own, so that a Ctrl-C in the terminal reaches only its parent, which stops it.

    Raises
    ------
    StoreError
        If there is no store at ``store_dir``.
    ServeError
        If ``oxigraph`` is not installed, the port is busy (``port 7878 on 127.0.0.1 is busy``), or
        the server exits or does not answer within ``startup_timeout_s`` (the message ends with the
        tail of the server's output).
    """
    store_dir = Path(store_dir)
    require_store(store_dir)
    binary = oxigraph_binary()
    if port != 0:
        if not port_is_free(host, port):
            raise ServeError(f"port {port} on {host} is busy")
        return _launch(binary, store_dir, host, port, timeout_s, cors, startup_timeout_s, own_session)
    # A picked port is in the range the system also gives outgoing connections: one may take it
    # between the pick and Oxigraph's bind, so a lost race is retried with a new pick.
    for _ in range(PORT_PICKS):
        picked = free_port(host)
        if not port_is_free(host, picked):
            continue
        try:
            return _launch(binary, store_dir, host, picked, timeout_s, cors, startup_timeout_s, own_session)
        except _PortTaken:
            logger.info("port %d on %s was taken before Oxigraph bound it: picking another", picked, host)
    raise ServeError(f"no free port on {host} after {PORT_PICKS} picks")


class _PortTaken(ServeError):
    """Oxigraph exited at start because its port was taken meanwhile."""


def _launch(
    binary: Path,
    store_dir: Path,
    host: str,
    port: int,
    timeout_s: int,
    cors: bool,
    startup_timeout_s: float,
    own_session: bool,
) -> ServerHandle:
    """Start Oxigraph on ``host:port`` and wait until it answers (see :func:`start_server`)."""
    command = server_command(binary, store_dir, host, port, timeout_s, cors)
    descriptor, log_name = tempfile.mkstemp(prefix="cmkg-oxigraph-", suffix=".log")
    # Error backtraces (RUST_BACKTRACE=1 in some shells) would bury Oxigraph's one-line reason.
    environment = {**os.environ, "RUST_LIB_BACKTRACE": "0"}
    with os.fdopen(descriptor, "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=environment,
            start_new_session=own_session,
        )
    handle = ServerHandle(process, host, port, store_dir, Path(log_name))
    atexit.register(handle.stop)
    logger.info("started oxigraph (pid %d): %s", process.pid, " ".join(command))
    try:
        _wait_until_ready(handle, startup_timeout_s)
    except ServeError as error:
        taken = handle.process.poll() is not None and ADDRESS_IN_USE in handle.log_tail()
        handle.stop()
        if taken:
            raise _PortTaken(f"port {port} on {host} is busy") from error
        raise
    except BaseException:
        handle.stop()
        raise
    logger.info("SPARQL endpoint at %s", handle.endpoint)
    return handle


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that the server is stopped, not orphaned."""
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt like Ctrl-C (in the main thread only).

    Servers started inside the block are then stopped by the code that handles Ctrl-C, not left
    running when the process is terminated.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def serve_forever(handle: Servable, poll_s: float = 0.5, on_ready: Callable[[], None] | None = None) -> None:
    """Block while the server runs; on Ctrl-C (or SIGTERM) stop it cleanly and return.

    ``handle`` is a :class:`ServerHandle` or any object with ``check()`` and ``stop()`` (the guarded
    endpoint of :mod:`graph.sparql.endpoint`). ``on_ready`` is called once Ctrl-C and SIGTERM stop the
    server, e.g. to tell the user where it listens.

    Raises
    ------
    ServeError
        If the server stops on its own (the message ends with the tail of its output).
    """
    with sigterm_interrupts():
        try:
            if on_ready is not None:
                on_ready()
            while handle.check():
                time.sleep(poll_s)
        except KeyboardInterrupt:
            logger.info("interrupted: stopping the SPARQL server")
        finally:
            handle.stop()
