"""Write analysis rows (lists of flat dicts) as CSV files."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Any

from graph.export.formats import atomic_write_text

log = logging.getLogger(__name__)


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write ``rows`` to ``path`` as UTF-8 CSV, atomically.

    The header is the union of the rows' keys in order of first appearance; missing values are
    empty cells. The file is written next to ``path`` under a temporary name, then moved into place,
    so a reader never sees half a table.

    Parameters
    ----------
    rows : list of dict
        Flat rows, e.g. from :func:`graph.analysis.projection.centrality_table`.
    path : pathlib.Path
        Destination file.
    """
    fieldnames: list[str] = []
    for row in rows:
        fieldnames.extend(key for key in row if key not in fieldnames)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    if fieldnames:
        writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(Path(path), buffer.getvalue())
    log.info("wrote %d rows to %s", len(rows), path)
