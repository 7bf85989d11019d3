"""The user cache (graph.cache): values kept by key, and long patterns restored equal to compiled ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph import cache
from graph.cache import cache_dir, compiled_patterns, read_cached, restore_patterns, write_cached
from graph.extract import load_nlp


def _long_pattern(word: str) -> str:
    """A pattern longer than :data:`graph.cache.LONG_PATTERN`, of alternatives like spaCy's exceptions."""
    return "(?iu)" + "|".join(f"(?:^{word}{i}[-–][a-zà-ÿ]+$)" for i in range(1200))


@pytest.mark.parametrize(
    ("setting", "expected"), [("/somewhere/cmkg-cache", "/somewhere/cmkg-cache"), ("", None)], ids=["set", "off"]
)
def test_cache_dir_follows_the_environment(monkeypatch, setting, expected):
    monkeypatch.setenv("CMKG_CACHE_DIR", setting)
    folder = cache_dir()
    assert (str(folder) if folder is not None else None) == expected


def test_cache_value_reads_back_under_its_key_only(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    write_cached("thing", "a" * 8, {"x": [1, "é"]})
    assert read_cached("thing", "a" * 8) == {"x": [1, "é"]}
    assert read_cached("thing", "b" * 8) is None
    write_cached("thing", "b" * 8, [2])
    assert read_cached("thing", "b" * 8) == [2]
    assert read_cached("thing", "a" * 8) is None  # the value of the other key is replaced, not kept beside


def test_cache_off_keeps_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", "")
    write_cached("thing", "key", 1)
    assert read_cached("thing", "key") is None
    assert not any(tmp_path.iterdir())


def test_cache_unreadable_file_is_no_value(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    (tmp_path / "thing-key.json").write_text('{"cut', encoding="utf-8")
    assert read_cached("thing", "key") is None


def test_cache_long_pattern_restored_equals_the_compiled_one(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    pattern = _long_pattern("restored")
    with compiled_patterns("test"):
        compiled = re.compile(pattern)
    assert len(list(tmp_path.glob("patterns-*.json"))) == 1
    re.purge()
    with compiled_patterns("test"):
        restored = re.compile(pattern)
    assert restored is not compiled
    assert restored == compiled  # same flags and opcodes
    assert restored == re._compiler.compile(pattern, 0)
    for text in ("restored7-bord", "RESTORED1199–Été", "restored1200-x", "restored7-"):
        assert bool(restored.match(text)) == bool(compiled.match(text))
    re.purge()


def test_cache_pattern_with_invalid_opcodes_is_compiled_again(monkeypatch, tmp_path):
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    pattern = _long_pattern("tampered")
    with compiled_patterns("test"):
        re.compile(pattern)
    (path,) = tmp_path.glob("patterns-*.json")
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries[0]["code"] = entries[0]["code"][:-7]
    assert restore_patterns(entries) == 0
    re.purge()
    assert re.compile(pattern) == re._compiler.compile(pattern, 0)
    re.purge()


def test_cache_model_tokenizes_as_without_cache(monkeypatch, tmp_path):
    """The model loaded with the French tokenizer's exceptions from the cache has the pattern that
    ``re`` compiles, and splits a sentence as the model loaded before the cache held it."""
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path))
    re.purge()
    first = load_nlp()
    assert list(tmp_path.glob("patterns-*.json"))
    re.purge()
    second = load_nlp()
    token_match = second.tokenizer.token_match.__self__
    assert token_match is not first.tokenizer.token_match.__self__
    assert token_match == re._compiler.compile(token_match.pattern, 0)
    text = "Aujourd'hui, le porte-parole a-t-il dit qu'entr'ouvrir l'accord États-Unis–Japon est peut-être utile ?"
    assert [t.text for t in second(text)] == [t.text for t in first(text)]
    assert cache.LONG_PATTERN <= len(token_match.pattern)


def test_cache_build_with_the_cache_equals_one_without(monkeypatch, tmp_path):
    """A build whose model patterns, reference data and ontology triples come from the cache writes the same
    files as a build that made them all."""
    from graph.pipeline import build

    root = Path(__file__).resolve().parent.parent
    articles, ontology = root / "tests" / "fixtures" / "articles", root / "ontology"
    monkeypatch.setenv("CMKG_CACHE_DIR", "")
    build([articles], tmp_path / "without", ontology_dir=ontology)
    monkeypatch.setenv("CMKG_CACHE_DIR", str(tmp_path / "cache"))
    build([articles], tmp_path / "making", ontology_dir=ontology)
    re.purge()
    build([articles], tmp_path / "with", ontology_dir=ontology)
    assert {p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.json")} >= {"patterns", "reference", "turtle"}
    for name in ("graph.trig", "summary.json", "violations.json", "graph.html"):
        assert (tmp_path / "with" / name).read_bytes() == (tmp_path / "without" / name).read_bytes(), name
