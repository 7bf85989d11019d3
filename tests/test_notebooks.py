"""The notebooks run top to bottom with a real kernel."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["explore.ipynb", "add_your_documents.ipynb"])
def test_notebooks_run_top_to_bottom(name, seeds_build, tmp_path, monkeypatch):
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit without outputs"
    out, _ = seeds_build
    workdir = tmp_path / "repo"
    workdir.mkdir()
    for item in ("seeds", "queries", "ontology", "tests"):
        (workdir / item).symlink_to(ROOT / item)
    (workdir / "out").symlink_to(out)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    texts = " ".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
        for cell in notebook.cells
        for o in cell.get("outputs", [])
    )
    assert "China" in texts or "Chine" in texts
