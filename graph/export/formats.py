"""Standard file formats of a build: deterministic TriG, and JSON written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(data: object, path: Path) -> None:
    """Write JSON with sorted keys and a final newline, atomically."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def trig_text(ds: Dataset) -> str:
    """Serialise a dataset as TriG with graphs and triples sorted, so equal datasets give equal bytes.

    >>> from rdflib import Literal
    >>> ds = Dataset()
    >>> _ = ds.graph(URIRef("http://example.org/g")).add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("o")))
    >>> print(trig_text(ds).strip().splitlines()[-1])
    }
    """
    nm: NamespaceManager = ds.namespace_manager
    prefixes = sorted((p, str(ns)) for p, ns in nm.namespaces() if p)
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in prefixes]
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: str(g.identifier))
    for g in graphs:
        name = g.identifier
        if not isinstance(name, URIRef) or str(name) == "urn:x-rdflib:default":
            header = "{"
        else:
            header = f"{name.n3(nm)} {{"
        body = sorted(f"    {s.n3(nm)} {p.n3(nm)} {o.n3(nm)} ." for s, p, o in g)
        lines += ["", header, *body, "}"]
    return "\n".join(lines) + "\n"


def write_trig(ds: Dataset, path: Path) -> None:
    """Write the dataset as sorted TriG, atomically."""
    atomic_write_text(path, trig_text(ds))


def graph_of(ds: Dataset, name: str) -> Graph:
    """The named graph ``name`` of a dataset."""
    return ds.graph(URIRef(name))
