"""Cleaning and extraction never raise on arbitrary Unicode, and a 5 MB document stays in bounded memory."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.extract import extract
from graph.extract.mentions import build_gazetteer, find_mentions
from graph.extract.values import find_dates, find_money, find_percents
from graph.ingest import CleanText, Document, clean_text

ROOT = Path(__file__).resolve().parent.parent

TEXT = st.text(alphabet=st.characters(codepoint=None) if False else st.characters(), max_size=400)
HOSTILE = st.sampled_from(
    [
        "\u202eRTL override\u202c",
        "emoji 🇫🇷🪨⛏️",
        "\x00\x01\x07\x1b[31m",
        "\ufeffBOM",
        "’‘“”«»",
        "\u2028\u2029",
        "Pékin " * 50,
        "1 % 2 % 3 %",
        "31 février 2025",
        "mardi 99 octobre",
        "12,,5 milliards de dollars",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(TEXT, st.lists(st.one_of(TEXT, HOSTILE), max_size=8).map("\n".join)))
def test_robustness_cleaning_never_raises_and_maps_inside_the_source(text, boilerplate):
    clean = clean_text(text, boilerplate)
    assert isinstance(clean, CleanText)
    if clean.text:
        start, end = clean.source_span(0, len(clean.text))
        assert 0 <= start <= end <= len(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(TEXT, HOSTILE))
def test_robustness_matchers_never_raise(text, reference):
    gazetteer = build_gazetteer(reference) if not hasattr(reference, "_gazetteer") else reference._gazetteer
    reference._gazetteer = gazetteer
    for mention in find_mentions(text, gazetteer):
        assert 0 <= mention.start < mention.end <= len(text)
    find_percents(text, reference.lexicon)
    find_money(text, reference.lexicon)
    find_dates(text, reference.lexicon, "2025-10-28")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(TEXT, HOSTILE), min_size=1, max_size=5).map("\n\n".join))
def test_robustness_extraction_never_raises(text, reference, nlp, boilerplate):
    clean = clean_text(text, boilerplate)
    doc = Document("hypothesis", Path("hypothesis.txt"), text, {"date": "2025-10-28"}, clean)
    result = extract([doc], reference, nlp)
    for fact in result.mentions:
        assert 0 <= fact.evidence.start <= fact.evidence.end <= len(clean.text)


@pytest.mark.parametrize("length", [100_000])
def test_robustness_one_very_long_line(length, reference, nlp, boilerplate):
    line = (
        "La Chine contrôle près de 90 % du raffinage des terres rares et Pékin signe un accord avec Tokyo. "
        * (length // 98)
    )[:length]
    clean = clean_text(line, boilerplate)
    doc = Document("long", Path("long.txt"), line, {}, clean)
    result = extract([doc], reference, nlp)
    assert result.sentences > 100
    assert any(s.percent == 90 for s in result.shares)


MEMORY_PROBE = r"""
import json, resource, sys
from pathlib import Path
import spacy
sys.path.insert(0, sys.argv[1])
from graph.extract import extract
from graph.ingest import load_boilerplate_rules, load_document
from graph.extract.reference import load_reference
root = Path(sys.argv[1])
reference = load_reference(root / "ontology")
rules = load_boilerplate_rules(root / "ontology" / "patterns" / "boilerplate.csv")
nlp = spacy.blank("fr")
nlp.add_pipe("sentencizer")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
doc = load_document(Path(sys.argv[2]), rules)
result = extract([doc], reference, nlp)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (after - before) / 1024, "sentences": result.sentences, "chars": len(doc.raw)}))
"""


def test_robustness_five_megabytes_in_bounded_memory(tmp_path):
    sentences = [
        s
        for p in sorted((ROOT / "seeds").glob("*.txt"))
        for s in p.read_text(encoding="utf-8").split(". ")
        if 60 < len(s) < 400 and "\n" not in s
    ]
    rng = random.Random(5)
    paragraphs, size = [], 0
    while size < 5_000_000:
        paragraph = ". ".join(rng.sample(sentences, 5)) + "."
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(paragraphs), encoding="utf-8")
    assert big.stat().st_size >= 5_000_000
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(ROOT), str(big)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    assert figures["sentences"] > 10_000
    assert figures["growth_mb"] < 1000, figures
