"""What a build keeps of each document's cleaning (graph.ingest.cleaned), for `cmkg add`."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from graph.ingest import clean_text, load_boilerplate_rules
from graph.ingest.cleaned import Cleaned, cleaning_key, raw_digest, read_cleaned, write_cleaned
from graph.ingest.duplicates import duplicate_groups, signature

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "ontology" / "patterns" / "boilerplate.csv"
RAW = "Accueil | Monde\n\nLa Chine raffine environ 70 % du cobalt mondial.\n\nPartager sur Facebook\n"


def _cleaned(raw: str = RAW) -> Cleaned:
    clean = clean_text(raw, load_boilerplate_rules(RULES))
    return Cleaned(raw_digest(raw), clean, signature(clean.text))


def test_the_cleaning_kept_reads_back_as_written(tmp_path):
    kept = {"a": _cleaned(), "empty": Cleaned(raw_digest(""), clean_text("", load_boilerplate_rules(RULES)), None)}
    path = tmp_path / "cleaned.json"
    write_cleaned(path, "key", kept)
    back = read_cleaned(path, "key")
    assert back.keys() == kept.keys()
    assert back["a"].raw_sha256 == kept["a"].raw_sha256
    assert back["a"].clean.text == kept["a"].clean.text
    assert back["a"].clean.segments == kept["a"].clean.segments
    assert np.array_equal(back["a"].signature, kept["a"].signature)
    assert back["a"].clean.source_span(0, 9) == kept["a"].clean.source_span(0, 9)
    assert back["empty"].signature is None


def test_the_cleaning_kept_under_another_key_is_not_read(tmp_path):
    path = tmp_path / "cleaned.json"
    write_cleaned(path, "old rules", {"a": _cleaned()})
    assert read_cleaned(path, "new rules") == {}
    assert read_cleaned(tmp_path / "missing.json", "old rules") == {}
    path.write_text("{not json", encoding="utf-8")
    assert read_cleaned(path, "old rules") == {}


def test_the_key_changes_with_the_rules(tmp_path):
    rules = tmp_path / "boilerplate.csv"
    shutil.copy(RULES, rules)
    before = cleaning_key(rules)
    assert cleaning_key(rules) == before
    rules.write_text(
        rules.read_text(encoding="utf-8") + 'drop,"^Newsletter du jour\\b",a newsletter box\n', encoding="utf-8"
    )
    assert cleaning_key(rules) != before


def test_kept_signatures_group_as_signatures_computed_anew():
    story = "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025, disent-ils."
    texts = {"b": story, "a": "Accueil | Monde. " + story, "c": "La Chine raffine le cobalt.", "d": ""}
    kept = {doc_id: signature(text) for doc_id, text in texts.items() if doc_id != "c"}
    assert duplicate_groups(texts, signatures=kept) == duplicate_groups(texts) == [["a", "b"]]
