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
    """A market share or a dependency: ``actor`` holds ``percent`` of ``stage`` of ``mineral``."""

    actor: str
    mineral: str
    stage: str
    percent: Decimal
    qualifier: str | None
    year: str | None
    evidence: Evidence
    consumer: str | None = None


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
