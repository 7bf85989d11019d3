"""The facts extraction hands to the build: plain data, each with the evidence of the sentence it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: document, sentence span in the clean text, method and confidence."""

    doc_id: str
    start: int
    end: int
    method: str
    confidence: float


@dataclass(frozen=True)
class DateRef:
    """A date with its XSD datatype: ``date``, ``gYearMonth`` or ``gYear``."""

    iso: str
    datatype: str


@dataclass(frozen=True)
class Amount:
    """Money: a decimal value in a currency (ISO 4217 code, or empty when the text gives none)."""

    value: Decimal
    currency: str


@dataclass
class MentionFact:
    """A document names an entity (a reference entity, or a candidate found by NER)."""

    entity: str
    evidence: Evidence
    candidate_name: str | None = None
    candidate_class: str | None = None


@dataclass
class RoleFact:
    """A person's role and the actor they act for, as the text states it."""

    person: str
    role: str
    affiliation: str | None
    evidence: Evidence


@dataclass
class AgreementFact:
    """An agreement: parties, minerals, kind, status and date."""

    parties: tuple[str, ...]
    minerals: tuple[str, ...]
    kind: str
    status: str | None
    date: DateRef | None
    evidence: Evidence
    amount: Amount | None = None


@dataclass
class ShareFact:
    """A market share or a dependency: ``actor`` holds ``percent`` of ``stage`` of ``mineral``, of the world's
    or, with ``scope``, of one country's or company's (*75 % of Indonesia's nickel refining*)."""

    actor: str
    mineral: str
    stage: str
    percent: Decimal
    qualifier: str | None
    year: str | None
    evidence: Evidence
    consumer: str | None = None
    scope: str | None = None


@dataclass
class MeasureFact:
    """A policy measure: export control, tariff, price floor, stockpiling or law."""

    kind: str
    imposer: str | None
    targets: tuple[str, ...]
    minerals: tuple[str, ...]
    date: DateRef | None
    status: str | None
    evidence: Evidence
    name: str | None = None


@dataclass
class ProjectFact:
    """A project: mine, refinery, plant, fund, stockpile or corridor."""

    name: str | None
    kind: str
    location: str | None
    participants: tuple[str, ...]
    minerals: tuple[str, ...]
    amount: Amount | None
    evidence: Evidence
    date: DateRef | None = None


@dataclass
class Extraction:
    """Everything read out of a set of documents."""

    mentions: list[MentionFact] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)
    agreements: list[AgreementFact] = field(default_factory=list)
    shares: list[ShareFact] = field(default_factory=list)
    measures: list[MeasureFact] = field(default_factory=list)
    projects: list[ProjectFact] = field(default_factory=list)
    candidates: dict[str, tuple[str, str]] = field(default_factory=dict)
    sentences: int = 0
    sentences_by_document: dict[str, int] = field(default_factory=dict)


_NESTED = {"evidence": Evidence, "date": DateRef, "amount": Amount}
_LISTS = {
    "mentions": MentionFact,
    "roles": RoleFact,
    "agreements": AgreementFact,
    "shares": ShareFact,
    "measures": MeasureFact,
    "projects": ProjectFact,
}


def _plain(value):
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if hasattr(value, "__dataclass_fields__"):
        return {f: _plain(getattr(value, f)) for f in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _restore(cls, data: dict):
    values = {}
    for name, f in cls.__dataclass_fields__.items():
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, dict) and set(value) == {"decimal"}:
            value = Decimal(value["decimal"])
        elif name in _NESTED and isinstance(value, dict):
            value = _restore(_NESTED[name], value)
        elif isinstance(value, list) and "tuple" in str(f.type):
            value = tuple(value)
        values[name] = value
    return cls(**values)


def extraction_to_dict(extraction: Extraction) -> dict:
    """Plain JSON-ready data of an extraction (decimals kept exact).

    >>> ex = Extraction(shares=[ShareFact("a", "m", "refining", Decimal("90"), None, None, Evidence("d", 0, 5, "p", 0.7))])
    >>> extraction_from_dict(extraction_to_dict(ex)) == ex
    True
    """
    return _plain(extraction)


def extraction_from_dict(data: dict) -> Extraction:
    """The extraction that :func:`extraction_to_dict` wrote."""
    result = Extraction(
        candidates={k: tuple(v) for k, v in data.get("candidates", {}).items()},
        sentences=data.get("sentences", 0),
        sentences_by_document=dict(data.get("sentences_by_document", {})),
    )
    for name, cls in _LISTS.items():
        getattr(result, name).extend(_restore(cls, item) for item in data.get(name, []))
    return result


def split_by_document(extraction: Extraction) -> dict[str, Extraction]:
    """One extraction per document (candidates go with every document that names them)."""
    parts: dict[str, Extraction] = {}
    for name in _LISTS:
        for fact in getattr(extraction, name):
            part = parts.setdefault(fact.evidence.doc_id, Extraction())
            getattr(part, name).append(fact)
    for doc_id, part in parts.items():
        part.sentences = extraction.sentences_by_document.get(doc_id, 0)
        part.sentences_by_document = {doc_id: part.sentences}
        named = {m.entity for m in part.mentions}
        part.candidates = {k: v for k, v in extraction.candidates.items() if k in named}
    return parts


def combine(parts: list[Extraction]) -> Extraction:
    """Several extractions as one."""
    result = Extraction()
    for part in parts:
        for name in _LISTS:
            getattr(result, name).extend(getattr(part, name))
        result.candidates.update(part.candidates)
        result.sentences += part.sentences
        result.sentences_by_document.update(part.sentences_by_document)
    return result
