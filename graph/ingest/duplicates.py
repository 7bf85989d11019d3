"""Duplicates: the same story under several addresses or files is read once.

Contract, before any code:

- Two documents are near-duplicates when the Jaccard similarity of the sets of word 5-shingles of their
  clean texts (lower-cased words, punctuation and numbers' formatting ignored) is at least
  :data:`THRESHOLD` (0.7). A wire dispatch republished with a different menu, footer or share bar stays
  well above it (the cleaning has removed most of the furniture, and what remains is a few shingles
  against hundreds); two different articles on the same subject, which share names and phrases but not
  sentences, stay near 0. MinHash signatures in an LSH index (datasketch, 128 permutations, fixed seed)
  propose the candidate pairs; the exact Jaccard of the shingle sets decides, so the outcome does not depend
  on hashing luck.
- Near-duplicates are grouped transitively. Each group keeps one document, the one with the smallest id
  (the order of the files or of the run does not matter, so ``cmkg add`` and a full build agree); the
  others are listed as its ``duplicates`` (id, source file, address) and are not extracted, so the facts of
  one story are never counted twice as independent corroboration. Different documents telling the same
  fact are not near-duplicates and keep evidence from each.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from graph.ingest.read import Document

log = logging.getLogger(__name__)

THRESHOLD = 0.7
SHINGLE_WORDS = 5
NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing of shingles into MinHash values
_WORD = re.compile(r"[^\W_]+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The word ``size``-shingles of ``text`` (lower-cased words; a shorter text is one shingle).

    >>> sorted(shingles("La Chine domine le raffinage des terres rares.", 5))
    ['chine domine le raffinage des', 'domine le raffinage des terres', 'la chine domine le raffinage', 'le raffinage des terres rares']
    """
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """The Jaccard similarity of two sets (0 when both are empty).

    >>> jaccard(frozenset("abc"), frozenset("bcd"))
    0.5
    """
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def signature(text: str):
    """The MinHash hash values of the shingles of ``text`` (datasketch, :data:`NUM_PERM` permutations, seed
    1), or None for a text without a word.

    >>> signature("") is None, len(signature("La Chine raffine le cobalt."))
    (True, 128)
    """
    from datasketch import MinHash

    words = shingles(text)
    if not words:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in words])
    return minhash.hashvalues


def duplicate_groups(
    texts: dict[str, str], threshold: float = THRESHOLD, signatures: dict | None = None
) -> list[list[str]]:
    """Groups of ids whose texts are near-duplicates (see the module docstring), each sorted (the id kept
    first), groups sorted by their first id; documents without a duplicate are in no group. ``signatures``
    (id → :func:`signature` of its text) are those already computed: the others are computed here.

    >>> story = "Le Chili et la Corée du Sud ont signé un accord sur le lithium à Séoul en mars 2025."
    >>> duplicate_groups({"b": story, "a": "Accueil | Monde. " + story, "c": "La Chine raffine le cobalt."})
    [['a', 'b']]
    """
    from datasketch import LeanMinHash, MinHashLSH

    signatures = signatures or {}
    sets: dict[str, frozenset[str]] = {}

    def shingle_set(doc_id: str) -> frozenset[str]:
        if doc_id not in sets:
            sets[doc_id] = shingles(texts[doc_id])
        return sets[doc_id]

    lsh = MinHashLSH(threshold=threshold * 0.8, num_perm=NUM_PERM)  # a lower bar for candidates: jaccard decides
    parent: dict[str, str] = {doc_id: doc_id for doc_id in texts}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for doc_id in sorted(texts):
        values = signatures[doc_id] if doc_id in signatures else signature(texts[doc_id])
        if values is None:
            continue
        minhash = LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)
        for other in sorted(lsh.query(minhash)):
            if jaccard(shingle_set(doc_id), shingle_set(other)) >= threshold:
                a, b = sorted((root(doc_id), root(other)))
                parent[b] = a
        lsh.insert(doc_id, minhash)
    groups: dict[str, list[str]] = {}
    for doc_id in sorted(texts):
        groups.setdefault(root(doc_id), []).append(doc_id)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def duplicate_entry(doc: Document) -> dict[str, str | None]:
    """How a duplicate is listed beside the document kept: its id, source file and address."""
    return {"id": doc.id, "source_file": doc.path.name, "url": doc.meta.get("url")}


def group_duplicates(
    documents: list[Document], threshold: float = THRESHOLD, signatures: dict | None = None
) -> tuple[list[Document], list[Document]]:
    """The documents to read (in the given order, each near-duplicate group reduced to the document with the
    smallest id, which lists the others as ``duplicates``) and the duplicates left out. ``signatures`` are
    the documents' :func:`signature` already computed (id → hash values)."""
    groups = duplicate_groups({d.id: d.clean.text for d in documents}, threshold, signatures)
    by_id = {d.id: d for d in documents}
    kept_of = {doc_id: group[0] for group in groups for doc_id in group[1:]}
    listed = {group[0]: [duplicate_entry(by_id[doc_id]) for doc_id in group[1:]] for group in groups}
    for group in groups:
        log.info("%s: near-duplicates %s, read once", group[0], ", ".join(group[1:]))
    kept = [dataclasses.replace(d, duplicates=listed.get(d.id, [])) for d in documents if d.id not in kept_of]
    return kept, [d for d in documents if d.id in kept_of]
