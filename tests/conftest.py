"""Shared fixtures: the reference data, the spaCy model and one build of the seeds, each made once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.extract import load_nlp
from graph.extract.reference import load_reference
from graph.ingest import load_boilerplate_rules
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ONTOLOGY = ROOT / "ontology"


@pytest.fixture(scope="session")
def reference():
    return load_reference(ONTOLOGY)


@pytest.fixture(scope="session")
def boilerplate():
    return load_boilerplate_rules(ONTOLOGY / "patterns" / "boilerplate.csv")


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """The seeds built once for the whole session: (out folder, build report)."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    report = build([SEEDS], out, ontology_dir=ONTOLOGY)
    return out, report


@pytest.fixture(scope="session")
def seeds_summary(seeds_build):
    out, _ = seeds_build
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_dataset(seeds_build):
    """The seeds build's graph.trig parsed back with rdflib."""
    from rdflib import Dataset

    out, _ = seeds_build
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return ds
