"""Both installs a contributor or a user makes give a working ``cmkg`` from any folder."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _install(target: Path, editable: bool) -> Path:
    """A fresh virtual environment that sees the installed dependencies, with cmkg installed into it."""
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(target)
    python = target / "bin" / "python"
    spec = ["-e", str(REPO)] if editable else [str(REPO)]
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *spec],
        check=True,
        capture_output=True,
        cwd=target,
    )
    return target / "bin" / "cmkg"


@pytest.mark.parametrize("editable", [True, False], ids=["editable", "wheel"])
def test_packaging_cmkg_builds_from_any_folder(tmp_path: Path, editable: bool) -> None:
    cmkg = _install(tmp_path / "venv", editable)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    seed = sorted((REPO / "seeds").glob("*.txt"))[0]
    result = subprocess.run(
        [str(cmkg), "build", str(seed), "--out", "out"], cwd=elsewhere, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((elsewhere / "out" / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["documents"]) == 1
    assert len(summary["entities"]) > 5
    if editable:
        return  # an editable install reads the templates from the source tree; a wheel must carry them
    # The site's templates (templates/site/, a subfolder of the package data) are in the wheel too.
    result = subprocess.run(
        [str(cmkg), "site", "--out", "out"], cwd=elsewhere, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (elsewhere / "out" / "site" / "entity" / "china.html").is_file()
    assert (elsewhere / "out" / "site" / "site.css").is_file()
