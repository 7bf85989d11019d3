"""A throw-away Virtuoso Open Source server (Debian's ``virtuoso-opensource``) for the tests and benchmarks.

:func:`running_virtuoso` writes a ``virtuoso.ini`` whose database, logs and bulk-load folder are inside a
given folder, binds its SQL (ISQL) and HTTP ports to free loopback ports, starts ``virtuoso-t +foreground``,
waits for its SPARQL endpoint, lets the anonymous SPARQL user update (so that the Graph Store Protocol
endpoint ``/sparql-graph-crud`` takes ``cmkg push``'s PUTs without credentials: loopback only, thrown away
after), and kills the server on the way out. A missing Virtuoso is an error that says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from graph.sparql.serve import free_port

HOST = "127.0.0.1"
STARTUP_S = 120.0
INSTALL = "apt-get install -y virtuoso-opensource"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}, {load}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
MaxQueryMem = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {db}/vsp
ServerThreads = 10
MaxClientConnections = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running throw-away Virtuoso: its HTTP base URL, SQL port and bulk-load folder."""

    base: str
    sql_port: int
    load_dir: Path

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def sql(self, statements: str) -> str:
        """Run SQL statements with ``isql-vt`` as dba; the output, or an error naming the statements."""
        done = subprocess.run(
            [_binary("isql-vt"), f"{HOST}:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", f"EXEC={statements}"],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql: {statements}: {done.stdout[-500:]} {done.stderr[-500:]}")
        return done.stdout

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT over the union of every graph (Virtuoso's default)."""
        response = requests.post(
            self.sparql,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=300,
        )
        response.raise_for_status()
        return response.json()["results"]["bindings"]


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: Virtuoso is needed for these tests ({INSTALL})")
    return found


@contextmanager
def running_virtuoso(folder: Path) -> Iterator[Virtuoso]:
    """Start Virtuoso with a new database in ``folder``; stop it and leave ``folder`` to the caller."""
    server = _binary("virtuoso-t")
    db, load = folder / "db", folder / "load"
    db.mkdir(parents=True)
    load.mkdir()
    (db / "vsp").mkdir()
    sql_port, http_port = free_port(HOST), free_port(HOST)
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, load=load, host=HOST, sql_port=sql_port, http_port=http_port), "utf-8")
    process = subprocess.Popen(
        [server, "+foreground", "+configfile", str(ini)], cwd=db, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    virtuoso = Virtuoso(f"http://{HOST}:{http_port}", sql_port, load)
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                log = (db / "virtuoso.log").read_text("utf-8", errors="replace")[-1500:]
                raise RuntimeError(f"virtuoso-t exited with {process.returncode}: {log}")
            try:
                if requests.get(virtuoso.sparql, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso did not answer on {virtuoso.sparql} within {STARTUP_S:.0f} s")
            time.sleep(0.2)
        virtuoso.sql('GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.L_O_LOOK TO "SPARQL";')
        yield virtuoso
    finally:
        process.kill()
        process.wait()
