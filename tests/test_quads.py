"""graph.build.quads: the build's dataset answers as an rdflib Dataset of the same quads does."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from graph.build.quads import Quads
from graph.export.formats import trig_text

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample.trig"


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return Dataset().parse(SAMPLE, format="trig")


def _patterns(ds: Dataset) -> list[tuple]:
    """Patterns made of the sample's own terms: every position given or not, and a graph."""
    s, p, o, g = next(q for q in ds.quads((None, None, None, None)) if isinstance(q[2], Literal))
    link = next(q for q in ds.quads((None, None, None, None)) if isinstance(q[2], URIRef))
    return [
        (None, None, None, None),
        (s, None, None, None),
        (None, p, None, None),
        (None, None, o, None),
        (s, p, None, None),
        (s, p, o, None),
        (None, None, link[2], None),
        (link[0], None, link[2], None),
        (None, None, None, g),
        (s, None, None, g),
        (URIRef("http://example.org/nothing"), None, None, None),
    ]


def test_quads_match_patterns_as_a_dataset(sample):
    quads = Quads.of(sample)
    for pattern in _patterns(sample):
        assert set(quads.quads(pattern)) == set(sample.quads(pattern)), pattern


def test_to_dataset_gives_the_same_quads_and_trig(sample):
    quads = Quads.of(sample)
    back = quads.to_dataset()
    assert set(back.quads((None, None, None, None))) == set(sample.quads((None, None, None, None)))
    assert trig_text(quads) == trig_text(back) == trig_text(sample)


def test_a_graph_is_a_set_and_look_ups_see_what_is_added_later(sample):
    quads = Quads.of(sample)
    s, p, o, g = next(sample.quads((None, None, None, None)))
    size = len(quads)
    assert next(quads.quads((s, None, None, None)))  # the subject index is made
    quads.graph(g).add((s, p, o))
    assert len(quads) == size
    new = URIRef("http://example.org/new")
    quads.graph(URIRef("http://example.org/g")).add((s, p, new))
    assert (s, p, new, URIRef("http://example.org/g")) in set(quads.quads((s, None, None, None)))
    quads.remove_graph(quads.graph(URIRef("http://example.org/g")))
    assert not list(quads.quads((None, None, new, None)))
    assert len(quads) == size


def test_a_graph_answers_triple_questions(sample):
    quads = Quads.of(sample)
    s, p, o, g = next(sample.quads((None, None, None, None)))
    named = quads.graph(g)
    assert (s, p, o) in named and (s, p, None) in named
    assert o in set(named.objects(s, p)) and s in set(named.subjects(p, o))
