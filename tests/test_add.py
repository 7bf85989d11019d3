"""`cmkg add`: growing a build with new documents without reading the old ones again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from graph.cli import cli
from graph.pipeline import build
from graph.sparql import store

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = str(ROOT / "ontology")
FIRST = "Pékin contrôle environ 70 % de l'extraction mondiale des terres rares et près de 90 % du raffinage.\n"
SECOND = "Les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares à Tokyo.\n"


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _cache_files(out: Path) -> dict[str, bytes]:
    """The files of a build's ``documents/`` and ``extraction/``, by path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for folder in ("documents", "extraction")
        for path in sorted((out / folder).iterdir())
    }


def _store_quads(out: Path) -> tuple[set[str], int]:
    """The quads of a build's store without blank nodes, and how many have one (their labels differ)."""
    quads = [str(q) for q in store.open_store(out / "store")]
    return {q for q in quads if "_:" not in q}, sum("_:" in q for q in quads)


def test_add_reads_only_new_documents_and_matches_a_full_build(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "a"], out, ontology_dir=Path(ONTOLOGY))
    cached = (out / "extraction" / "first.json").read_text(encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["add", str(tmp_path / "second.txt"), "--out", str(out), "--ontology", ONTOLOGY])
    assert result.exit_code == 0, result.output
    assert "documents   2" in result.output
    assert (out / "extraction" / "first.json").read_text(encoding="utf-8") == cached

    full = tmp_path / "full"
    both = tmp_path / "both"
    both.mkdir()
    shutil.copy(tmp_path / "a" / "first.txt", both)
    shutil.copy(tmp_path / "second.txt", both)
    build([both], full, ontology_dir=Path(ONTOLOGY))
    assert _summary(out) == _summary(full)
    assert (out / "graph.trig").read_text(encoding="utf-8") == (full / "graph.trig").read_text(encoding="utf-8")
    assert (out / "violations.json").read_bytes() == (full / "violations.json").read_bytes()
    assert _cache_files(out) == _cache_files(full)
    grown, full_quads = _store_quads(out), _store_quads(full)  # the store grown in place, the other loaded anew
    assert grown == full_quads
    assert any("Japon" in q or "Japan" in q for q in grown[0])


def test_add_same_file_twice_is_not_duplicated(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "first.txt").write_text(FIRST, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "docs"], out, ontology_dir=Path(ONTOLOGY))
    before = _summary(out)
    result = CliRunner().invoke(
        cli, ["add", str(tmp_path / "docs" / "first.txt"), "--out", str(out), "--ontology", ONTOLOGY]
    )
    assert result.exit_code == 0, result.output
    assert "first: already in the build, skipped" in result.output
    assert _summary(out) == before


def test_add_without_a_build(tmp_path):
    (tmp_path / "x.txt").write_text(FIRST, encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(tmp_path / "x.txt"), "--out", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no build to add to" in result.output


def test_add_changed_file_replaces_its_cached_text_and_facts(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "docs" / "second.txt").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "docs"], out, ontology_dir=Path(ONTOLOGY))
    (tmp_path / "changed").mkdir()
    (tmp_path / "changed" / "first.txt").write_text(SECOND.replace("Tokyo", "Washington"), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["add", str(tmp_path / "changed" / "first.txt"), "--out", str(out), "--ontology", ONTOLOGY]
    )
    assert result.exit_code == 0, result.output

    full = tmp_path / "full"
    shutil.copy(tmp_path / "docs" / "second.txt", tmp_path / "changed")
    build([tmp_path / "changed"], full, ontology_dir=Path(ONTOLOGY))
    assert "Washington" in (out / "documents" / "first.txt").read_text(encoding="utf-8")
    assert _cache_files(out) == _cache_files(full)
    assert _summary(out) == _summary(full)
    assert (out / "graph.trig").read_bytes() == (full / "graph.trig").read_bytes()
    assert _store_quads(out) == _store_quads(full)


def test_add_loads_the_store_anew_when_it_holds_other_data(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "docs"], out, ontology_dir=Path(ONTOLOGY))
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/loaded> .\n", encoding="utf-8")
    store.load_files([out / "graph.trig", extra], out / "store")  # what `cmkg load` can do to a build's store
    assert any("loaded" in q for q in _store_quads(out)[0])
    result = CliRunner().invoke(cli, ["add", str(tmp_path / "second.txt"), "--out", str(out), "--ontology", ONTOLOGY])
    assert result.exit_code == 0, result.output
    quads, _ = _store_quads(out)
    assert not any("loaded" in q for q in quads)
    assert any("Japon" in q or "Japan" in q for q in quads)


def _add_and_build_both(tmp_path: Path, change_kept) -> tuple[Path, Path]:
    """Build FIRST, let ``change_kept`` change what the build kept of its cleaning, add SECOND; and a full
    build of both. Returns the grown build and the full one."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "a"], out, ontology_dir=Path(ONTOLOGY))
    path = out / "documents" / "cleaned.json"
    path.write_text(json.dumps(change_kept(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    result = CliRunner().invoke(cli, ["add", str(tmp_path / "second.txt"), "--out", str(out), "--ontology", ONTOLOGY])
    assert result.exit_code == 0, result.output
    both = tmp_path / "both"
    both.mkdir()
    shutil.copy(tmp_path / "a" / "first.txt", both)
    shutil.copy(tmp_path / "second.txt", both)
    build([both], tmp_path / "full", ontology_dir=Path(ONTOLOGY))
    return out, tmp_path / "full"


def _tampered(record: dict, **changes) -> dict:
    """The kept cleaning with ``first``'s clean text replaced by a wrong one (and ``changes`` to the record)."""
    record["documents"]["first"]["text"] = "Texte faux." + record["documents"]["first"]["text"][11:]
    return {**record, **changes}


def test_add_cleans_again_a_document_kept_from_another_raw_text(tmp_path):
    def other_raw(record: dict) -> dict:
        record = _tampered(record)
        record["documents"]["first"]["raw_sha256"] = "0" * 64
        return record

    out, full = _add_and_build_both(tmp_path, other_raw)
    assert (out / "graph.trig").read_bytes() == (full / "graph.trig").read_bytes()
    assert _cache_files(out) == _cache_files(full)  # documents/cleaned.json written anew, as a full build writes it


def test_add_cleans_everything_again_when_the_cleaning_was_kept_by_other_rules_or_code(tmp_path):
    out, full = _add_and_build_both(tmp_path, lambda record: _tampered(record, key="other rules or code"))
    assert _summary(out) == _summary(full)
    assert (out / "graph.trig").read_bytes() == (full / "graph.trig").read_bytes()
    assert _cache_files(out) == _cache_files(full)


def test_add_with_worker_processes_writes_what_one_process_writes(tmp_path, monkeypatch):
    """The new documents extracted, the projection made, SHACL run and graph.html written in worker processes
    (graph.workers) give the same files as all of it in one process."""
    import graph.pipeline
    import graph.workers

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "first.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.txt").write_text(SECOND, encoding="utf-8")
    build([tmp_path / "a"], tmp_path / "before", ontology_dir=Path(ONTOLOGY))
    forked = []

    def recorded(*args, **kwargs):
        worker = graph.workers.in_worker(*args, **kwargs)
        forked.append(worker.forked)
        return worker

    monkeypatch.setattr(graph.pipeline, "in_worker", recorded)
    outs = {}
    for setting in ("1", "0"):  # as CMKG_WORKERS says, whatever threads other tests left running
        monkeypatch.setattr(graph.pipeline, "can_fork", lambda forking=setting == "1": forking)
        monkeypatch.setattr(graph.workers, "can_fork", lambda forking=setting == "1": forking)
        outs[setting] = tmp_path / f"out{setting}"
        shutil.copytree(tmp_path / "before", outs[setting])
        result = CliRunner().invoke(
            cli, ["add", str(tmp_path / "second.txt"), "--out", str(outs[setting]), "--ontology", ONTOLOGY]
        )
        assert result.exit_code == 0, result.output
    assert forked == [True, True, True, True, False, False, False]  # extraction, projection, SHACL, graph.html
    files = [
        path.relative_to(outs["0"])
        for path in sorted(outs["0"].rglob("*"))
        if path.is_file() and "store" not in path.relative_to(outs["0"]).parts
    ]
    assert "graph.html" in {str(f) for f in files} and "graph.trig" in {str(f) for f in files}
    for name in files:
        assert (outs["1"] / name).read_bytes() == (outs["0"] / name).read_bytes(), name
    assert _store_quads(outs["1"]) == _store_quads(outs["0"])
