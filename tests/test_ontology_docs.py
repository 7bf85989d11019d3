"""`cmkg docs`: the ontology's documentation as one readable HTML page."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_ontology_docs_lists_classes_offline(tmp_path):
    result = CliRunner().invoke(cli, ["docs", "--out", str(tmp_path), "--ontology", str(ROOT / "ontology")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ontology.html").read_text(encoding="utf-8")
    for term in ("Agreement", "MarketShare", "ExportControl", "party"):
        assert term in html
    assert not re.search(r'<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["\'](?:https?:|//)', html, re.I)


def test_ontology_docs_bad_ontology(tmp_path):
    (tmp_path / "cmkg.ttl").write_text("this is not turtle <", encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs", "--out", str(tmp_path), "--ontology", str(tmp_path)])
    assert result.exit_code == 1
    assert "cmkg.ttl" in result.output
