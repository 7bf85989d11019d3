"""A Dask worker preload that readies a worker for cmkg before any build: ``dask worker ADDRESS --preload
graph.extract.dask_preload`` loads the spaCy model and the reference data when the worker starts, so that
the first build on a standing cluster does not wait for them (each worker keeps them between builds)."""

from __future__ import annotations

from graph.extract import DEFAULT_MODEL
from graph.extract.distributed import worker_nlp, worker_reference
from graph.extract.reference import default_ontology_dir


def dask_setup(worker) -> None:
    """Dask's preload hook: load the model and the reference data of this installation once, now."""
    worker_nlp(DEFAULT_MODEL)
    worker_reference(default_ontology_dir())
