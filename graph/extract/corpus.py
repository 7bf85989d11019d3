"""A development corpus: real articles whose metadata and gold are kept in the repository, and whose texts
(third-party writing) are kept in a git-ignored folder.

``corpus/articles.csv`` lists each article (``id,lang,split,url,title,date,publisher,query``); ``split`` is
``dev`` (tuned on) or ``locked`` (scored only when done). ``corpus/gold/<id>.json`` holds its gold
annotations; ``corpus/texts/<id>.txt`` its text, put back as ``corpus/README.md`` explains.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from graph.errors import CmkgError

SPLITS = ("dev", "locked", "all")
ARTICLE_FIELDS = ("id", "lang", "split", "url", "title", "date", "publisher", "query")


def load_articles(path: Path) -> list[dict[str, str]]:
    """The rows of an ``articles.csv``, checked for their columns and splits."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise CmkgError(f"{path}: cannot read: {exc.strerror}") from exc
    for n, row in enumerate(rows, start=2):
        missing = [f for f in ARTICLE_FIELDS if f not in row]
        if missing:
            raise CmkgError(f"{path}: row {n}: missing column {missing[0]}")
        if row["split"] not in ("dev", "locked"):
            raise CmkgError(f"{path}: row {n}: split must be dev or locked, not {row['split']!r}")
    return rows


def select(articles: list[dict[str, str]], split: str = "all", lang: str | None = None) -> list[dict[str, str]]:
    """The articles of one split (``dev``, ``locked`` or ``all``) and, if given, one language."""
    if split not in SPLITS:
        raise CmkgError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    return [a for a in articles if split in ("all", a["split"]) and (lang is None or a["lang"] == lang)]


def corpus_sources(articles: list[dict[str, str]], texts_dir: Path) -> list[Path]:
    """The text file of each article, with its metadata written beside it as a ``.meta.json`` sidecar
    (the texts folder is the git-ignored copy, so the sidecars are too)."""
    paths = []
    for article in articles:
        path = texts_dir / f"{article['id']}.txt"
        if not path.is_file():
            raise CmkgError(f"{path}: missing; put the corpus texts back as corpus/README.md explains")
        meta = {
            "title": article["title"] or None,
            "date": article["date"] or None,
            "publisher": article["publisher"] or None,
            "url": article["url"] or None,
            "language": article["lang"] or None,
        }
        sidecar = path.with_name(path.stem + ".meta.json")
        text = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if not sidecar.is_file() or sidecar.read_text(encoding="utf-8") != text:
            sidecar.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
