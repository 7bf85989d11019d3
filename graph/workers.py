"""Work run beside the main process on a second core: a function called in a forked child process.

A build or an add uses one core for most of its work. Where a step does not need what the steps after it
make (the projection and its analysis while the TriG is written and compared, SHACL of a dataset and
``graph.html`` while the other outputs are written, the new documents' reading while the held ones are
gathered), :func:`in_worker` calls it in a
child process made by ``fork``: the child sees everything the parent held at that moment (the dataset, the
projection, the loaded model) without copying or pickling it, returns one value through a pipe, and leaves
with :func:`os._exit`. What the child changes in memory is its own: the parent's objects stay as they were,
and the child sees none of the parent's later changes, so the result is the one the same call would give
at that point in the parent.

The function runs in the parent instead, at once and exactly as before, when a child would not help or
could not be made safely: without ``fork`` (Windows; macOS, where forking a process that has used system
frameworks is unsafe), with a single core available, or when another thread runs in the process (a Dask
client, ``cmkg serve``: ``fork`` copies only the calling thread). :data:`ENVIRONMENT` set to ``0`` keeps
everything in one process. A child takes time off only when a core is free: where other sessions keep every
core busy, Linux's scheduler (with ``sched_autogroup``) shares the cores between sessions, the parent and
its children share their session's part, and forking costs a little processor time (pages copied on write)
(``docs/benchmarks.md``, sixth pass).

Contract: a worker's function returns a value that pickles and writes only files that nothing else writes
until :meth:`Worker.result` has returned. Its exception is raised again by :meth:`Worker.result` (as a
:class:`WorkerError` naming it when the exception does not pickle); a child that dies without a result
raises :class:`WorkerError`. :meth:`Worker.cancel` (or leaving a ``with`` block on an error) ends the child
and waits for it, so that a failed build can remove its temporary folder with nothing still writing there.
"""

from __future__ import annotations

import functools
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from graph.errors import WorkerError

log = logging.getLogger(__name__)

ENVIRONMENT = "CMKG_WORKERS"
"""Set to ``0`` to run every worker's function in the main process (the work of one core)."""


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether :func:`in_worker` makes a child process here (see the module docstring)."""
    return (
        os.environ.get(ENVIRONMENT, "") != "0"
        and hasattr(os, "fork")
        and sys.platform.startswith("linux")
        and cores() > 1
        and threading.active_count() == 1
    )


class Worker:
    """The result of one function, computed in a child process (or already, in this one)."""

    def __init__(
        self,
        name: str,
        pid: int | None = None,
        reader: int | None = None,
        inbox: int | None = None,
        pending: Callable[[Any], Any] | None = None,
    ):
        self.name = name
        self._pid = pid
        self._reader = reader
        self._inbox = inbox
        self._pending = pending
        self._value: Any = None
        self._error: BaseException | None = None
        self._done = pid is None and pending is None

    @property
    def forked(self) -> bool:
        """Whether the function runs in a child process."""
        return self._pid is not None

    def send(self, message: Any) -> None:
        """Hand ``message`` to the function, which waits for it (``in_worker(..., inbox=True)``); once only. A
        message larger than the pipe's buffer (64 KiB on Linux) holds this process here until the child reads it."""
        if self._pending is not None:  # no child: the call is made now
            pending, self._pending = self._pending, None
            self._call(pending, message)
            return
        if self._inbox is None:
            raise WorkerError(f"{self.name}: this worker takes no message, or has had its message")
        with os.fdopen(self._inbox, "wb") as pipe:
            self._inbox = None
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            try:  # its length first: a child forked later holds this pipe open too, so no end of file comes
                pipe.write(len(data).to_bytes(8, "big") + data)
            except BrokenPipeError:  # the child has ended: result() says why
                pass

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call ``function`` here and keep its value, or its exception for :meth:`result`."""
        try:
            self._value = function(*args, **kwargs)
        except Exception as exc:  # raised again by result(), where a child's would be
            self._error = exc
        self._done = True

    def result(self) -> Any:
        """The function's value, once the child has returned it; its exception is raised here."""
        if self._pending is not None:
            raise WorkerError(f"{self.name}: waits for a message (send) before it has a result")
        if not self._done:
            data = _read_all(self._reader)
            os.close(self._reader)
            _, status = os.waitpid(self._pid, 0)
            self._done = True
            self._value, self._error = _outcome(self.name, data, status)
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self) -> None:
        """End the child (if it still runs) and wait for it; its result is dropped."""
        if self._done:
            return
        self._done = True
        self._error = WorkerError(f"{self.name}: cancelled")
        if self._pid is None:  # no child: a call waiting for its message is not made
            self._pending = None
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.close(self._reader)
        if self._inbox is not None:
            os.close(self._inbox)
            self._inbox = None
        os.waitpid(self._pid, 0)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self.cancel()


def _outcome(name: str, data: bytes, status: int) -> tuple[Any, BaseException | None]:
    """The value and the exception (one of them None) that a child sent as ``data`` before ending with ``status``."""
    if not data:
        return None, WorkerError(f"{name}: the worker process ended without a result ({_describe(status)})")
    try:
        ok, payload = pickle.loads(data)
    except Exception as exc:  # an exception whose class does not rebuild from its arguments
        return None, WorkerError(f"{name}: its result does not unpickle ({exc})")
    return (payload, None) if ok else (None, payload)


def in_worker(name: str, function: Callable[..., Any], *args: Any, inbox: bool = False, **kwargs: Any) -> Worker:
    """Call ``function(*args, **kwargs)`` in a forked child process and return at once; :meth:`Worker.result`
    waits for its value. Where no child can be made (:func:`can_fork`), the call is made here before this
    returns. ``name`` says what the worker does, in messages.

    With ``inbox``, the function is called as ``function(receive, *args, **kwargs)``: it can start on what it
    has (load a model) and then call ``receive()`` to wait for the one message that :meth:`Worker.send` hands
    it later. Without a child, the call is made by :meth:`Worker.send`."""
    if not can_fork():
        if inbox:
            return Worker(name, pending=lambda message: function(lambda: message, *args, **kwargs))
        worker = Worker(name)
        worker._call(function, *args, **kwargs)
        return worker
    reader, writer = os.pipe()
    inbox_reader, inbox_writer = os.pipe() if inbox else (None, None)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        if inbox:
            os.close(inbox_writer)
            args = (functools.partial(_receive, inbox_reader), *args)
        _run_child(name, writer, function, args, kwargs)
    os.close(writer)
    if inbox:
        os.close(inbox_reader)
    log.debug("%s: worker process %d", name, pid)
    return Worker(name, pid, reader, inbox=inbox_writer)


def _receive(reader: int) -> Any:
    """In the child: the message the parent sends (:meth:`Worker.send`)."""
    with os.fdopen(reader, "rb") as pipe:
        size = int.from_bytes(pipe.read(8), "big")
        data = pipe.read(size)
    if not size or len(data) != size:
        raise WorkerError("the main process sent no message")
    return pickle.loads(data)


def _run_child(name: str, writer: int, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """In the child: call the function, send ``(True, value)`` or ``(False, exception)``, leave at once."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent cleans up, the child just ends
        try:
            payload = (True, function(*args, **kwargs))
        except BaseException as exc:
            payload = (False, exc)
            status = 1
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            text = "".join(traceback.format_exception(payload[1])) if not payload[0] else "its value does not pickle"
            data = pickle.dumps((False, WorkerError(f"{name}: {text}")))
            status = 1
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _read_all(reader: int) -> bytes:
    """Everything written into the pipe ``reader`` until the child closes it."""
    chunks = []
    while chunk := os.read(reader, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(status: int) -> str:
    """How a child ended, from its wait status: the signal that killed it, or its exit code."""
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
