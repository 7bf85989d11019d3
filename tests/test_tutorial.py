"""The README's tutorial "your own documents in five minutes", run command by command."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from graph.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def tutorial_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tutorial -->\n```bash\n(.*?)```\n<!-- /tutorial -->", readme, re.S).group(1)
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("cmkg ")]


def test_tutorial_runs_as_written(tmp_path, monkeypatch):
    for item in ("tests", "queries", "ontology"):
        (tmp_path / item).symlink_to(ROOT / item)
    monkeypatch.chdir(tmp_path)
    commands = tutorial_commands()
    assert [c[0] for c in commands] == ["build", "explain", "query", "review", "add", "export", "export"]
    runner = CliRunner()
    outputs = []
    for args in commands:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    summary = json.loads((tmp_path / "my-graph" / "summary.json").read_text(encoding="utf-8"))
    assert {d["language"] for d in summary["documents"]} == {"fr", "en"}
    assert len(summary["documents"]) == 3
    assert "documents   3" in outputs[0]
    assert outputs[1].startswith("China <https://w3id.org/cmkg/id/China>")
    assert "drc-cobalt: already in the build, skipped" in outputs[4]
    assert "<html" in (tmp_path / "my-graph.html").read_text(encoding="utf-8")[:200].lower()
    assert nx.read_gexf(tmp_path / "my-graph.gexf").number_of_nodes() > 5
