"""Write analysis rows (lists of flat dicts) as CSV files."""

from __future__ import annotations

import csv
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write ``rows`` to ``path`` as UTF-8 CSV, atomically.

    The header is the union of the rows' keys in order of first appearance; missing values are
    empty cells. The file is written next to ``path`` under a temporary name, then moved into place,
    so a reader never sees half a table.

    Parameters
    ----------
    rows : list of dict
        Flat rows, e.g. from :func:`graph.analyze.centrality_table`.
    path : pathlib.Path
        Destination file; its folder must exist.
    """
    path = Path(path)
    fieldnames: list[str] = []
    for row in rows:
        fieldnames.extend(key for key in row if key not in fieldnames)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            if fieldnames:
                writer.writeheader()
            writer.writerows(rows)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    log.info("wrote %d rows to %s", len(rows), path)
