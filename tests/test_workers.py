"""graph.workers: a function called in a forked child process, or here where no child can be made."""

from __future__ import annotations

import os
import threading
import time

import pytest

from graph import workers
from graph.errors import WorkerError
from graph.workers import in_worker


@pytest.fixture(params=["forked", "inline"])
def mode(request, monkeypatch):
    """Each test once with a child process and once without (the functions forked here take no lock, so a
    thread another test left running in this process does not matter)."""
    if request.param == "forked" and not hasattr(os, "fork"):
        pytest.skip("no fork here")
    monkeypatch.setattr(workers, "can_fork", lambda: request.param == "forked")
    return request.param


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


class Unpicklable(Exception):
    """An exception that holds a lock: it cannot be pickled (whether or not tblib's pickling of exceptions,
    which distributed installs, is in place)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.lock = threading.Lock()


def _raise(kind: str) -> None:
    if kind == "value":
        raise ValueError("no such mineral")
    raise Unpicklable("held a lock")


@pytest.mark.parametrize("numbers", [[1, 2, 3], []])
def test_workers_result_is_the_functions_value(mode, numbers):
    worker = in_worker("sum", _pid_and_sum, numbers)
    pid, total = worker.result()
    assert total == sum(numbers)
    assert (pid != os.getpid()) == (mode == "forked") == worker.forked


@pytest.mark.parametrize("kind", ["value"])
def test_workers_exception_is_raised_by_result(mode, kind):
    worker = in_worker("failing", _raise, kind)
    with pytest.raises(ValueError, match="no such mineral"):
        worker.result()


@pytest.mark.parametrize("kind", ["unpicklable"])
def test_workers_exception_that_does_not_pickle_is_named(monkeypatch, kind):
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    with pytest.raises(WorkerError, match="(?s)failing: .*held a lock"):
        in_worker("failing", _raise, kind).result()


@pytest.mark.parametrize("data", [b"not a pickle", b""])
def test_workers_result_that_does_not_unpickle_is_named(data):
    value, error = workers._outcome("reading", data, 0)
    assert value is None
    assert isinstance(error, WorkerError)
    assert str(error).startswith("reading: ")


@pytest.mark.parametrize("size", [3])
def test_workers_child_sees_the_state_at_the_fork(mode, size):
    numbers = list(range(size))
    worker = in_worker("sum", _pid_and_sum, numbers)
    numbers.append(100)  # after the fork: the child's list is the one it had
    assert worker.result()[1] == sum(range(size))


def _add_message(receive, extra: int) -> int:
    return sum(receive()) + extra


@pytest.mark.parametrize("message, extra, expected", [([1, 2], 10, 13)])
def test_workers_inbox_hands_one_message(mode, message, extra, expected):
    worker = in_worker("inbox", _add_message, extra, inbox=True)
    if not worker.forked:  # the call waits for send(); a child would wait in result()
        with pytest.raises(WorkerError, match="waits for a message"):
            worker.result()
    worker.send(message)
    assert worker.result() == expected
    with pytest.raises(WorkerError):
        worker.send(message)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@pytest.mark.parametrize("seconds", [30.0])
def test_workers_cancel_ends_the_child(monkeypatch, seconds):
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    started = time.perf_counter()
    worker = in_worker("sleeping", _sleep, seconds)
    worker.cancel()
    assert time.perf_counter() - started < seconds / 2
    with pytest.raises(WorkerError, match="cancelled"):
        worker.result()


@pytest.mark.parametrize("seconds", [30.0])
def test_workers_with_block_cancels_on_an_error(monkeypatch, seconds):
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    started = time.perf_counter()
    with pytest.raises(KeyError), in_worker("sleeping", _sleep, seconds):
        raise KeyError("build failed")
    assert time.perf_counter() - started < seconds / 2


@pytest.mark.parametrize("code", [3])
def test_workers_child_that_dies_without_a_result(monkeypatch, code):
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    with pytest.raises(WorkerError, match=f"ended without a result \\(exit code {code}\\)"):
        in_worker("dying", os._exit, code).result()


@pytest.mark.parametrize("setting", ["0"])
def test_workers_can_fork_is_false_when_turned_off_or_with_a_thread(monkeypatch, setting):
    monkeypatch.setenv(workers.ENVIRONMENT, setting)
    assert not workers.can_fork()
    monkeypatch.delenv(workers.ENVIRONMENT)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers.can_fork()
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("extra", [1])
def test_workers_cancel_before_the_message(mode, extra):
    worker = in_worker("inbox", _add_message, extra, inbox=True)
    worker.cancel()
    with pytest.raises(WorkerError, match="cancelled"):
        worker.result()
