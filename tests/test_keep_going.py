"""Failures that do not stop the batch (`--keep-going`), and builds that fail or are interrupted leave the
previous build untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.pipeline
from graph.cli import cli
from graph.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"

GOOD = {
    "alpha.txt": "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025.\n\n"
    "Le Chili assure environ 25 % de l'extraction mondiale de lithium.\n",
    "beta.txt": "L'Union européenne et l'Australie ont conclu un partenariat sur les minerais critiques.\n\n"
    "La Chine raffine près de 65 % du cobalt mondial.\n",
}

#: The bad files of the folder (name → bytes) and the reason each is skipped. The reader takes UTF-8 only
#: (a byte-order mark is dropped), so a Latin-1 file is refused rather than guessed at.
BAD = {
    "empty.txt": (b"", "the file is empty"),
    "junk.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary file, not text"),
    "latin1.txt": ("Le cobalt du Congo est raffiné en Chine.\n".encode("latin-1"), "not valid UTF-8 (byte 29)"),
    "broken.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "not a readable PDF"),
}
MISSING = "absent.txt"


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(parent: Path, name: str) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(f".{name}.")]


def _write_bad(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (content, _) in BAD.items():
        (folder / name).write_bytes(content)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder holding the two good texts and every kind of bad file."""
    folder = tmp_path_factory.mktemp("mixed") / "docs"
    _write_bad(folder)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def kept_going(corpus, tmp_path_factory):
    """`cmkg build --keep-going` of the mixed folder and a missing file named explicitly: (result, out)."""
    out = tmp_path_factory.mktemp("kept") / "out"
    missing = corpus.parent / MISSING
    result = CliRunner().invoke(
        cli, ["build", str(corpus), str(missing), "--out", str(out), "--ontology", str(ONTOLOGY), "--keep-going"]
    )
    return result, out


def test_keep_going_build_succeeds_with_the_good_documents(kept_going):
    result, out = kept_going
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in summary["documents"]] == ["alpha", "beta"]
    assert sorted(p.name for p in (out / "documents").glob("*.txt")) == ["alpha.txt", "beta.txt"]
    assert "skipped     5 documents that cannot be read:" in result.output


@pytest.mark.parametrize("name, reason", [(n, r) for n, (_, r) in BAD.items()] + [(MISSING, "no such file")])
def test_keep_going_lists_each_skipped_file_with_its_reason(kept_going, corpus, name, reason):
    result, out = kept_going
    source = str(corpus / name) if name != MISSING else str(corpus.parent / MISSING)
    lines = [line for line in result.output.splitlines() if line.startswith(f"  {source}: ")]
    assert len(lines) == 1, result.output
    assert reason in lines[0]
    skipped = json.loads((out / "summary.json").read_text(encoding="utf-8"))["skipped"]
    entries = [s for s in skipped if s["source"] == source]
    assert len(entries) == 1, skipped
    assert set(entries[0]) == {"source", "reason"}
    assert reason in entries[0]["reason"]
    assert source not in entries[0]["reason"]


def test_keep_going_without_the_flag_stops_at_the_first_bad_file(kept_going, corpus, tmp_path):
    _, built = kept_going
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    result = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {corpus / 'broken.pdf'}: not a readable PDF (")
    assert _snapshot(out) == before
    assert _leftovers(tmp_path, "out") == []


def test_keep_going_with_only_bad_files_fails_and_writes_nothing(tmp_path):
    folder = tmp_path / "bad"
    _write_bad(folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(folder), "--out", str(out), "--ontology", str(ONTOLOGY), "--keep-going"]
    )
    assert result.exit_code == 1
    assert f"Error: {folder}: no document could be read (4 skipped)" in result.output
    for name, (_, reason) in BAD.items():
        assert f"skipped {folder / name}: {reason}" in result.output
    assert not out.exists()
    assert _leftovers(tmp_path, "out") == []


def test_keep_going_add_skips_bad_files_and_adds_the_good_one(kept_going, tmp_path):
    _, built = kept_going
    out = tmp_path / "out"
    shutil.copytree(built, out)
    batch = tmp_path / "batch"
    _write_bad(batch)
    (batch / "gamma.txt").write_text(
        "Le Japon a signé un accord sur le graphite avec le Mozambique.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["add", str(batch), "--out", str(out), "--ontology", str(ONTOLOGY), "--keep-going"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in summary["documents"]] == ["alpha", "beta", "gamma"]
    assert sorted(s["source"] for s in summary["skipped"]) == sorted(str(batch / name) for name in BAD)
    for name, (_, reason) in BAD.items():
        assert f"  {batch / name}: {reason}" in result.output


def test_keep_going_add_of_only_bad_files_leaves_the_build(kept_going, tmp_path):
    _, built = kept_going
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    batch = tmp_path / "batch"
    _write_bad(batch)
    result = CliRunner().invoke(
        cli, ["add", str(batch), "--out", str(out), "--ontology", str(ONTOLOGY), "--keep-going"]
    )
    assert result.exit_code == 1
    assert "no document could be read, nothing added (4 skipped)" in result.output
    assert _snapshot(out) == before


class _Interrupt:
    """Raise KeyboardInterrupt (as Ctrl-C does) at the ``after``-th call, letting the earlier calls run."""

    def __init__(self, function, after: int) -> None:
        self.function, self.after, self.calls = function, after, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls > self.after:
            raise KeyboardInterrupt
        return self.function(*args, **kwargs) if self.function else None


@pytest.mark.parametrize("stage", ["reading", "writing"])
def test_keep_going_interrupted_build_leaves_the_previous_build(kept_going, corpus, tmp_path, monkeypatch, stage):
    _, built = kept_going
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = _snapshot(out)
    sources = [corpus / "alpha.txt", corpus / "beta.txt"]
    progress = None
    if stage == "reading":  # Ctrl-C during extraction, once alpha's two paragraphs have been read
        interrupt = progress = _Interrupt(None, after=2)
    else:  # Ctrl-C while the outputs are written, once alpha's cached text is in the new folder
        interrupt = _Interrupt(graph.pipeline.atomic_write_text, after=1)
        monkeypatch.setattr(graph.pipeline, "atomic_write_text", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(sources, out, ontology_dir=ONTOLOGY, progress=progress)
    assert interrupt.calls == interrupt.after + 1
    assert _snapshot(out) == before
    assert _leftovers(tmp_path, "out") == []
