"""Builds whose documents are read and parsed on Dask (``--local-cluster``, ``--scheduler``): the same bytes as a
local build, a worker killed mid-run, bad documents, and the errors. Every cluster is started and stopped here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

import graph.extract.distributed as distributed
from graph.cli import cli
from graph.errors import DocumentError
from graph.extract.distributed import Cluster, batches
from graph.pipeline import add, build
from graph.sparql.serve import free_port

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SEEDS = ROOT / "seeds"
OUTPUTS = ("graph.trig", "summary.json")

ARTICLES = {
    "chili.txt": "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025.\n\n"
    "Le Chili assure environ 25 % de l'extraction mondiale de lithium.\n",
    "europe.txt": "L'Union européenne et l'Australie ont conclu un partenariat sur les minerais critiques.\n\n"
    "La Chine raffine près de 65 % du cobalt mondial.\n",
    "japan.txt": "Japan and Kazakhstan signed a partnership on rare earths in Astana in June 2025.\n\n"
    "China restricted exports of gallium and germanium to the United States.\n",
}


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator:
    """A LocalCluster of two worker processes (behind nannies, which restart a killed worker)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_distributed_local_cluster_build_of_the_seeds_is_byte_identical(seeds_build, tmp_path: Path) -> None:
    local, _ = seeds_build
    out = tmp_path / "out"

    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out), "--local-cluster", "2"])

    assert result.exit_code == 0, result.output
    assert "documents   5" in result.output
    assert _outputs(out) == _outputs(local)


@pytest.mark.parametrize("batch_bytes", [1, 250])
def test_distributed_small_batches_give_the_local_bytes(dask_cluster, articles: Path, tmp_path: Path, batch_bytes):
    build([articles], tmp_path / "local", ontology_dir=ONTOLOGY)
    distributed_bytes = distributed.BATCH_BYTES
    try:
        distributed.BATCH_BYTES = batch_bytes
        build([articles], tmp_path / "dask", ontology_dir=ONTOLOGY, cluster=Cluster(dask_cluster.scheduler_address))
    finally:
        distributed.BATCH_BYTES = distributed_bytes

    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


def test_distributed_killed_worker_costs_a_retry_not_the_build(seeds_build, dask_cluster, tmp_path: Path) -> None:
    local, _ = seeds_build
    scheduler = dask_cluster.scheduler
    victim = next(iter(dask_cluster.workers.values()))
    victim_pid = victim.process.process.pid
    failure: list[BaseException] = []

    def run() -> None:
        try:
            distributed.BATCH_BYTES = 1  # one task per document: both workers busy
            build([SEEDS], tmp_path / "out", ontology_dir=ONTOLOGY, cluster=Cluster(dask_cluster.scheduler_address))
        except BaseException as exc:  # reported by the main thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    try:
        thread.start()
        deadline = time.monotonic() + 60
        while not any(
            ts.state == "processing" and ts.processing_on and ts.processing_on.address == victim.worker_address
            for ts in list(scheduler.tasks.values())
        ):
            assert time.monotonic() < deadline, "no task ever ran on the worker to kill"
            time.sleep(0.02)
        os.kill(victim_pid, signal.SIGKILL)
        thread.join(timeout=300)
    finally:
        distributed.BATCH_BYTES = 64_000

    assert not thread.is_alive()
    assert failure == []
    assert not psutil.pid_exists(victim_pid) or psutil.Process(victim_pid).status() == psutil.STATUS_ZOMBIE
    assert victim.process.process.pid != victim_pid  # the nanny started a new worker
    assert _outputs(tmp_path / "out") == _outputs(local)


def test_distributed_bad_documents_are_reported_as_in_a_local_build(dask_cluster, articles: Path, tmp_path: Path):
    (articles / "empty.txt").write_bytes(b"")
    (articles / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    cluster = Cluster(dask_cluster.scheduler_address)
    local = build([articles], tmp_path / "local", ontology_dir=ONTOLOGY, keep_going=True)

    on_dask = build([articles], tmp_path / "dask", ontology_dir=ONTOLOGY, keep_going=True, cluster=cluster)
    with pytest.raises(DocumentError) as stopped:
        build([articles], tmp_path / "stopped", ontology_dir=ONTOLOGY, cluster=cluster)

    assert on_dask.skipped == local.skipped
    assert [s.reason for s in on_dask.skipped] == ["the file is empty", "binary file, not text"]
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")
    assert str(stopped.value) == f"{articles / 'empty.txt'}: the file is empty"
    assert not (tmp_path / "stopped").exists()


def test_distributed_add_gives_the_bytes_of_a_local_add(dask_cluster, articles: Path, tmp_path: Path) -> None:
    later = tmp_path / "later.txt"
    later.write_text("L'Indonésie interdit l'exportation de nickel brut depuis janvier 2020.\n", encoding="utf-8")
    for name in ("local", "dask"):
        build([articles], tmp_path / name, ontology_dir=ONTOLOGY)

    add([later, articles / "japan.txt"], tmp_path / "local", ontology_dir=ONTOLOGY)
    _, skipped = add(
        [later, articles / "japan.txt"],
        tmp_path / "dask",
        ontology_dir=ONTOLOGY,
        cluster=Cluster(dask_cluster.scheduler_address),
    )

    assert skipped == ["japan"]
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


@pytest.mark.parametrize(
    "options, message",
    [
        (["--scheduler", "tcp://127.0.0.1:1", "--local-cluster", "2"], "give --scheduler or --local-cluster, not both"),
        (["--local-cluster", "2", "--processes", "2"], "--processes is for a build in this process"),
        (["--local-cluster", "0"], "0 is not in the range x>=1"),
    ],
)
def test_distributed_cli_refuses_conflicting_options(options: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path / "out"), *options])

    assert result.exit_code == 2
    assert message in result.output


def test_distributed_unreachable_scheduler_is_one_line(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", "1s")
    address = f"tcp://127.0.0.1:{free_port('127.0.0.1')}"

    (tmp_path / "documents").mkdir()
    result = CliRunner().invoke(cli, ["add", str(SEEDS), "--out", str(tmp_path), "--scheduler", address])

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach the Dask scheduler at {address}: ")
    assert len(result.output.strip().splitlines()) == 1


def test_distributed_a_plain_build_never_imports_dask(articles: Path, tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from graph.pipeline import build; "
        f"build([Path({str(articles)!r})], Path({str(tmp_path / 'out')!r})); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )

    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "sizes, batch_bytes, expected",
    [([10, 10, 10], 15, [[0, 1], [2]]), ([10, 10, 10], 100, [[0, 1, 2]]), ([5, 40, 5], 30, [[0, 1], [2]])],
)
def test_distributed_batches_are_consecutive_runs_of_about_the_size(tmp_path: Path, sizes, batch_bytes, expected):
    files = []
    for i, size in enumerate(sizes):
        (tmp_path / f"{i}.txt").write_text("x" * size)
        files.append(tmp_path / f"{i}.txt")

    runs = batches(files, batch_bytes)

    assert [[int(p.stem) for p in run] for run in runs] == expected


def test_distributed_a_task_reads_each_document_as_a_local_build_does(tmp_path: Path, nlp, reference, boilerplate):
    # the worker's reading of a batch (sentences, mentions, names no list holds) is the local one, document by
    # document, relinks included
    from graph.extract import build_gazetteer, read_documents
    from graph.extract.distributed import read_batch
    from graph.ingest import load_documents

    (tmp_path / "a.txt").write_text("Mineral Resources Minister Gwede Mantashe a rencontré Glencore.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("La Chine et le Japon ont signé un accord sur le gallium.", encoding="utf-8")
    files = sorted(tmp_path.glob("*.txt"))
    relinks = {(None, "glencore"): "https://w3id.org/cmkg/id/Glencore"}

    batch = read_batch(files, boilerplate, None, None, ontology_dir=reference.ontology_dir, relinks=relinks)

    local = read_documents(
        load_documents(files, boilerplate), nlp, build_gazetteer(reference), reference, relinks=relinks
    )
    assert [d.id for d in batch.documents] == ["a", "b"]
    assert batch.readings == local
    assert "https://w3id.org/cmkg/id/Gwede_Mantashe" in batch.readings[0][1]


def _malloc_trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_distributed_local_cluster_workers_allocate_as_a_plain_process() -> None:
    """Dask's nanny would set MALLOC_TRIM_THRESHOLD_ in each worker, which slows spaCy by about 30 %."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as plain:
        from distributed import Client

        with Client(plain) as client:  # what the setting is there for: Dask's default sets it
            assert set(client.run(_malloc_trim_threshold).values()) != {None}
    with distributed.connect(Cluster(workers=1)) as client:  # even after a nanny set it in this process
        assert set(client.run(_malloc_trim_threshold).values()) == {None}


def test_distributed_preload_readies_a_worker_before_any_build() -> None:
    from graph.extract.dask_preload import dask_setup

    distributed.worker_nlp.cache_clear()
    distributed.worker_reference.cache_clear()
    dask_setup(None)
    assert distributed.worker_nlp.cache_info().currsize == 1
    assert distributed.worker_reference.cache_info().currsize == 1
