"""The user cache: what is slow to make, the same from one run to the next, and made again when its inputs change.

Three things are kept, each in a JSON file named by the digest of everything it is made from, so that a file
is either right for this run or not read at all:

- the reference entities and lexicon parsed from ``ontology/`` (:mod:`graph.extract.reference_cache`),
  keyed by the bytes of the files and the source of the code that parses them;
- the compiled form of the very long regular expressions that loading the spaCy model compiles (the French
  tokenizer's exceptions: one pattern of 1.4 million characters that Python's ``re`` takes seconds to
  compile, every time the model is loaded), keyed by the Python version, the regular-expression engine's
  ``MAGIC`` and the spaCy and model versions (:func:`compiled_patterns`);
- the given names that person names are recognised by, folded (:func:`graph.extract.mentions._first_names`),
  keyed by gender-guesser's list and parser, the folding code and spaCy's version (its stop lists).

The folder is ``$CMKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/cmkg``, else ``~/.cache/cmkg``; ``CMKG_CACHE_DIR=""``
turns the cache off. A cache that cannot be read or written is ignored (logged): the result is then made as if
there were none. JSON, not pickle, so that reading a cache file runs no code.

A compiled pattern is the list of opcodes that ``re``'s compiler (``re._compiler``, pure Python) hands to the
engine (``_sre.compile``); given the same opcodes the engine makes a pattern equal to the one ``re.compile``
makes (``Pattern.__eq__`` compares flags and opcodes, and the engine checks the opcodes it is given). It is put
in ``re``'s own cache of compiled patterns before the model is loaded, so ``re.compile`` of the same text, flags
and type returns it. This uses private parts of CPython's ``re`` (``re._cache``, ``re._compiler._code``,
``_sre.compile``); where they are not as expected (another Python), nothing is kept or restored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

LONG_PATTERN = 10_000
"""Patterns at least this long (in characters) compiled while the model loads are kept."""

_RECORDING = threading.Lock()  # one recording at a time: it replaces a function of the re module


def cache_dir() -> Path | None:
    """The user cache folder of cmkg, or None when ``CMKG_CACHE_DIR`` is set empty (no cache)."""
    configured = os.environ.get("CMKG_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = Path.home() / ".cache"
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "cmkg"


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that no two sequences of parts share a digest.

    >>> digest("ab", "c") == digest("a", "bc")
    False
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def read_cached(name: str, key: str) -> Any | None:
    """The value kept under ``name`` for ``key``, or None when there is none (or it cannot be read)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{name}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.info("%s: cannot read the cache (%s); made again", path, exc)
        return None


def write_cached(name: str, key: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``name`` for ``key``, replacing the files kept under ``name`` for other keys."""
    folder = cache_dir()
    if folder is None:
        return
    path = folder / f"{name}-{key}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.glob(f"{name}-*.json"):
            if old != path and len(old.name) == len(path.name):
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("%s: cannot write the cache (%s)", path, exc)


def _engine_ready() -> bool:
    """Whether ``re``'s private parts are as :func:`compiled_patterns` expects (CPython 3.11 and later)."""
    compiler = getattr(re, "_compiler", None)
    return isinstance(getattr(re, "_cache", None), dict) and hasattr(compiler, "_code")


def restore_patterns(entries: list[dict]) -> int:
    """Put compiled patterns (entries of :func:`compiled_patterns`) into ``re``'s cache; returns how many."""
    import _sre

    restored = 0
    for entry in entries:
        try:
            groupindex = {name: int(i) for name, i in entry["groupindex"].items()}
            indexgroup = [None] * entry["groups"]
            for name, i in groupindex.items():
                indexgroup[i] = name
            pattern = _sre.compile(
                entry["pattern"],
                entry["flags"] | entry["state_flags"],
                entry["code"],
                entry["groups"] - 1,
                groupindex,
                tuple(indexgroup),
            )
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:  # the engine refuses invalid opcodes
            log.info("a kept pattern cannot be restored (%s); compiled again", exc)
            continue
        re._cache[(str, entry["pattern"], entry["flags"])] = pattern
        restored += 1
    return restored


@contextmanager
def compiled_patterns(key: str) -> Iterator[None]:
    """Inside, ``re.compile`` of a long pattern kept under ``key`` returns it at once; the long patterns
    compiled inside and not kept yet are kept on exit. ``key`` names what compiles them (the spaCy model and
    versions); the Python version and the engine's ``MAGIC`` are added to it here."""
    import _sre

    if not _engine_ready() or cache_dir() is None:
        yield
        return
    full_key = digest(key, sys.version, str(_sre.MAGIC), str(_sre.CODESIZE))
    kept = read_cached("patterns", full_key)
    entries = kept if isinstance(kept, list) else []
    restore_patterns(entries)
    known = {(e.get("pattern"), e.get("flags")) for e in entries if isinstance(e, dict)}
    recorded: list[dict] = []
    compiler = re._compiler

    def recording(p, flags):
        code = original(p, flags)
        source = getattr(p.state, "str", None)
        if isinstance(source, str) and len(source) >= LONG_PATTERN and (source, flags) not in known:
            recorded.append(
                {
                    "pattern": source,
                    "flags": flags,
                    "state_flags": p.state.flags,
                    "groups": p.state.groups,
                    "groupindex": dict(p.state.groupdict),
                    "code": list(code),
                }
            )
        return code

    with _RECORDING:
        original = compiler._code
        compiler._code = recording
        try:
            yield
        finally:
            compiler._code = original
    if recorded:
        write_cached("patterns", full_key, [e for e in entries if isinstance(e, dict)] + recorded)
