"""The reference data through the user cache (graph.extract.reference_cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.extract import reference_cache
from graph.extract.reference import load_reference
from graph.extract.reference_cache import cached_reference, reference_key

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


@pytest.fixture
def ontology(tmp_path, monkeypatch):
    """A copy of the ontology folder, with the user cache in a folder of its own."""
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    return folder


def test_reference_cache_equals_a_fresh_load_in_order(ontology):
    fresh = load_reference(ontology)
    assert cached_reference(ontology) == fresh  # made and kept
    kept = cached_reference(ontology)  # read back
    assert kept == fresh
    assert list(kept.entities) == list(fresh.entities)
    assert list(kept.lexicon.entries) == list(fresh.lexicon.entries)
    assert kept.ontology_dir == ontology


def test_reference_cache_is_read_when_the_files_are_the_same(ontology, monkeypatch):
    cached_reference(ontology)

    def unreachable(folder):
        raise AssertionError("the reference was parsed again")

    monkeypatch.setattr(reference_cache, "load_reference", unreachable)
    assert "https://w3id.org/cmkg/id/China" in cached_reference(ontology).entities


@pytest.mark.parametrize("edited", ["patterns/lexicon.csv", "entities.ttl"])
def test_reference_cache_edited_file_is_parsed_again(ontology, edited):
    before = cached_reference(ontology)
    key = reference_key(ontology)
    path = ontology / edited
    if edited.endswith(".csv"):
        path.write_text(path.read_text(encoding="utf-8") + "agreement_trigger,pacte de test,,fr\n", encoding="utf-8")
    else:
        path.write_text(
            path.read_text(encoding="utf-8")
            + "\n<https://w3id.org/cmkg/id/Testland> a <https://w3id.org/cmkg/ontology#State> ;"
            + ' <http://www.w3.org/2000/01/rdf-schema#label> "Testland"@en .\n',
            encoding="utf-8",
        )
    assert reference_key(ontology) != key
    after = cached_reference(ontology)
    assert after == load_reference(ontology)
    assert after != before
