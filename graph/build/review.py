"""Review: what a person should look at — low-confidence claims and unlinked candidate entities — and
turning their decisions into curation rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from graph.errors import QueryError
from graph.sparql import store

PREFIXES = """PREFIX cmkg: <https://w3id.org/cmkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@dataclass
class ClaimToReview:
    claim: str
    confidence: float
    method: str
    document: str
    quote: str


@dataclass
class CandidateToReview:
    entity: str
    name: str
    cls: str
    claims: list[str]


def claims_below(store_dir, threshold: float) -> list[ClaimToReview]:
    """Claims whose confidence is below ``threshold``, least confident first."""
    query = (
        PREFIXES
        + f"""SELECT ?claim ?confidence ?method ?doc ?quote WHERE {{
      ?claim a cmkg:Claim ; cmkg:confidence ?confidence ; cmkg:method ?method ; prov:wasDerivedFrom ?doc ;
             cmkg:quote ?quote .
      FILTER(?confidence < {threshold:.3f} && !CONTAINS(?method, "curation"))
    }} ORDER BY ?confidence ?claim"""
    )
    return [
        ClaimToReview(
            r["claim"], float(r["confidence"]), r["method"], r["doc"].rsplit("/", 1)[-1], " ".join(r["quote"].split())
        )
        for r in store.run_query(store_dir, query).rows
    ]


def unlinked_candidates(store_dir) -> list[CandidateToReview]:
    """Entities found by NER that no reference entity matched, with the claims that name them."""
    query = (
        PREFIXES
        + """SELECT ?e ?name ?class (GROUP_CONCAT(DISTINCT STR(?g); SEPARATOR=" ") AS ?claims) WHERE {
      GRAPH ?g { ?e cmkg:candidate true ; a ?class ; rdfs:label ?name }
    } GROUP BY ?e ?name ?class ORDER BY ?name"""
    )
    return [
        CandidateToReview(r["e"], r["name"], r["class"].rsplit("#", 1)[-1], sorted(r["claims"].split()))
        for r in store.run_query(store_dir, query).rows
    ]


def decisions(store_dir, accept: list[str], reject: list[str], note: str = "") -> list[dict[str, str]]:
    """Curation rows for accepted and rejected claims (by IRI or hash) or candidate entities (by IRI):
    rejecting an entity retracts every claim that names it."""
    known = {c.claim for c in claims_below(store_dir, 1.01)}
    candidates = {c.entity: c for c in unlinked_candidates(store_dir)}
    rows: list[dict[str, str]] = []
    for action, items in (("accept", accept), ("retract", reject)):
        for item in items:
            if item in candidates:
                rows += [
                    {"action": action, "subject": claim, "note": note or f"review of {item}"}
                    for claim in candidates[item].claims
                ]
                continue
            claim = next((k for k in known if k == item or k.rsplit("/", 1)[-1] == item), None)
            if claim is None:
                raise QueryError(f"no claim or candidate entity {item!r} in the build")
            rows.append({"action": action, "subject": claim, "note": note})
    return rows


def as_json(claims: list[ClaimToReview], candidates: list[CandidateToReview]) -> dict:
    """The review list as plain data."""
    return {"claims": [asdict(c) for c in claims], "candidates": [asdict(c) for c in candidates]}
