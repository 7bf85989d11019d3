"""Relations: agreements, market shares and dependencies, measures, projects and persons' roles.

Each rule reads one sentence with its mentions, the trigger words of the lexicon and a little document
context (the two states last named together, the actors and minerals of the paragraph, the last date),
and returns facts carrying the sentence as evidence. Rules are general French (and English) patterns;
every word they look for is in ``ontology/patterns/lexicon.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from graph.extract.facts import (
    AgreementFact, Amount, DateRef, Evidence, MeasureFact, ProjectFact, RoleFact, ShareFact,
)
from graph.extract.mentions import Mention
from graph.extract.text import fold
from graph.extract.values import DateValue, find_dates, find_money, find_percents
from graph.reference import ACTOR_CLASSES, Lexicon

KIND_PRIORITY = ("framework", "mou", "trade", "treaty", "fund", "partnership", "roadmap", "agreement")
_COUNT_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "two": 2, "three": 3, "four": 4}
_QUOTED = re.compile(r"[«\"]\s*([^«»\"]{2,80}?)\s*[»\"]")
_PROPER = re.compile(r"(?:[A-ZÉÈÀÂÎÔÛÇ][\w'’.-]*)(?:\s+(?:(?:de|du|des|of|for|and|la|le|d')\s+)?[A-ZÉÈÀÂÎÔÛÇ][\w'’.-]*)*")
_LAW_NAME = re.compile(r"\b((?:[A-Z][\w-]*\s+){1,5}(?:Act|Bill|bill))\b")


@dataclass
class Sentence:
    """A sentence of a document: ``start`` is its clean offset, mention offsets are sentence-relative."""

    doc_id: str
    paragraph: int
    start: int
    text: str
    mentions: list[Mention]


@dataclass
class Patterns:
    """Lexicon categories compiled once into regular expressions over folded text."""

    lexicon: Lexicon
    compiled: dict[str, tuple[re.Pattern[str], dict[str, str]]] = field(default_factory=dict)

    def find(self, category: str, folded: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches of a category in folded text: (start, end, value)."""
        if category not in self.compiled:
            mapping = self.lexicon.mapping(category)
            if not mapping:
                self.compiled[category] = (re.compile(r"(?!)"), {})
            else:
                alternation = "|".join(re.escape(p) for p in sorted(mapping, key=len, reverse=True))
                self.compiled[category] = (re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), mapping)
        pattern, mapping = self.compiled[category]
        return [(m.start(), m.end(), mapping[m.group(0)]) for m in pattern.finditer(folded)]

    def has(self, category: str, folded: str) -> bool:
        return bool(self.find(category, folded))

    def ends_with(self, category: str, folded: str) -> bool:
        """True when ``folded`` ends with a phrase of the category, allowing a determiner after it."""
        tail = re.sub(r"(?:\s+(?:la|le|les|l'|du|des|de|d'|aux|au|a)\s*)+$", "", folded.rstrip())
        tail = re.sub(r"\s+(?:la|le|les|l'|du|des|de|d'|aux|au)$", "", tail)
        return any(end >= len(tail) - 1 for _, end, _ in self.find(category, tail[-40:]))


@dataclass
class Context:
    """What a rule may know beyond its sentence."""

    document_date: str | None
    classes: dict[str, str]
    affiliations: dict[str, str]
    broader: dict[str, str]
    last_pair: tuple[str, str] | None = None
    paragraph: int = -1
    paragraph_actors: list[str] = field(default_factory=list)
    recent_minerals: list[str] = field(default_factory=list)
    last_date: DateValue | None = None

    def cls(self, iri: str) -> str:
        return self.classes.get(iri, "")

    def actor_of(self, iri: str) -> str | None:
        """The actor an entity stands for: itself, or the state a person acts for."""
        cls = self.cls(iri)
        if cls == "Person":
            return self.affiliations.get(iri)
        return iri if cls in ACTOR_CLASSES else None


def sentence_evidence(sentence: Sentence, method: str, confidence: float) -> Evidence:
    return Evidence(sentence.doc_id, sentence.start, sentence.start + len(sentence.text), method, confidence)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _minerals(sentence: Sentence, ctx: Context, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    end = len(sentence.text) if end is None else end
    found = [m.entity for m in sentence.mentions if ctx.cls(m.entity) == "Mineral" and start <= m.start < end]
    return _unique(found)


def _date(dates: list[DateValue]) -> DateRef | None:
    order = {"date": 0, "gYearMonth": 1, "gYear": 2}
    if not dates:
        return None
    best = min(dates, key=lambda d: (order[d.datatype], d.start))
    return DateRef(best.iso, best.datatype)


def _excluded(sentence: Sentence, mention: Mention, patterns: Patterns, category: str) -> bool:
    before = fold(sentence.text[max(0, mention.start - 45):mention.start])
    return patterns.ends_with(category, before)


# --- roles ---------------------------------------------------------------------------------------

def extract_roles(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[RoleFact]:
    """A person's role and the actor they act for: ``le secrétaire d'État américain Marco Rubio``."""
    folded = fold(sentence.text)
    roles = patterns.find("role", folded)
    facts: list[RoleFact] = []
    for person in (m for m in sentence.mentions if ctx.cls(m.entity) == "Person"):
        before = [r for r in roles if r[1] <= person.start and person.start - r[1] <= 45]
        after = [r for r in roles if r[0] >= person.end and r[0] - person.end <= 4]
        if before:
            r_start, r_end, role = before[-1]
            window = (r_end, person.start)
        elif after:
            r_start, r_end, role = after[0]
            window = (r_end, r_end + 40)
        else:
            continue
        between = folded[window[0]:window[1]]
        if re.search(r"[.;]", between):
            continue
        affiliation = next((m.entity for m in sentence.mentions
                            if window[0] <= m.start < window[1] and m.entity != person.entity
                            and ctx.cls(m.entity) in ("State", "InternationalOrganization", "GovernmentBody")), None)
        facts.append(RoleFact(person.entity, role, affiliation, sentence_evidence(sentence, "pattern:role", 0.8)))
    return facts


# --- agreements ----------------------------------------------------------------------------------

def extract_agreements(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[AgreementFact]:
    """Agreements named in a sentence, with parties, minerals, kind, status and date."""
    folded = fold(sentence.text)
    triggers = [t for t in patterns.find("agreement_kind", folded) if not folded[max(0, t[0] - 2):t[0]] == "d'"
                or folded[max(0, t[0] - 12):t[0]].endswith("protocole d'")]
    if not triggers:
        return []
    kind = min((t[2] for t in triggers), key=KIND_PRIORITY.index)
    first = min(t[0] for t in triggers)
    minerals = _minerals(sentence, ctx)
    parties: list[str] = []
    for m in sentence.mentions:
        actor = ctx.actor_of(m.entity)
        if actor and not _excluded(sentence, m, patterns, "party_exclusion_cue"):
            parties.append(actor)
    if patterns.has("two_parties", folded) and ctx.last_pair:
        parties.extend(ctx.last_pair)
    parties = list(_unique(parties))
    if len(parties) == 1:
        partner = next(m for m in sentence.mentions if ctx.actor_of(m.entity) == parties[0])
        if patterns.ends_with("passive_partner_cue", fold(sentence.text[max(0, partner.start - 12):partner.start])):
            implicit = next((a for a in ctx.paragraph_actors if a != parties[0] and ctx.cls(a) == "State"), None)
            if implicit:
                parties.insert(0, implicit)
    if not parties or (len(parties) < 2 and not minerals):
        return []
    status = None
    if patterns.has("status_proposed", folded):
        status = "proposed"
    elif patterns.has("status_signed", folded):
        status = "signed"
    dates = find_dates(sentence.text, patterns.lexicon, ctx.document_date)
    date = _date(dates)
    if date is None and ctx.last_date and patterns.has("event_anaphora", folded):
        date = DateRef(ctx.last_date.iso, ctx.last_date.datatype)
    money = find_money(sentence.text, patterns.lexicon)
    amount = Amount(money[0].value, money[0].currency) if money else None
    evidence = sentence_evidence(sentence, "pattern:agreement", 0.8 if len(parties) > 1 else 0.6)
    count = re.search(r"(?<!\w)(\w+)\s+$", folded[:first])
    if count and _COUNT_WORDS.get(count.group(1), 0) > 1 and len(parties) > 2:
        head, rest = parties[0], parties[1:]
        return [AgreementFact(tuple(sorted((head, p))), minerals, kind, status, date, evidence, amount) for p in rest]
    return [AgreementFact(tuple(sorted(parties)), minerals, kind, status, date, evidence, amount)]


# --- market shares and dependencies ----------------------------------------------------------------

def extract_shares(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[ShareFact]:
    """Shares of a stage of a mineral's chain held by an actor, and import dependencies."""
    folded = fold(sentence.text)
    if patterns.has("target_cue", folded):
        return []
    percents = find_percents(sentence.text, patterns.lexicon)
    if not percents:
        return []
    stages = patterns.find("stage", folded)
    suppliers = patterns.find("supplier_cue", folded)
    consumers = patterns.find("consumer_cue", folded)
    years = [d.iso for d in find_dates(sentence.text, patterns.lexicon, None) if d.datatype == "gYear"]
    actors = [m for m in sentence.mentions if ctx.actor_of(m.entity)]
    facts: list[ShareFact] = []
    for i, pct in enumerate(percents):
        limit = percents[i + 1].start if i + 1 < len(percents) else len(folded)
        stage = next((s for s in stages if pct.end <= s[0] < min(limit, pct.end + 90)), None)
        if stage is None:
            stage = next((s for s in reversed(stages) if 0 <= pct.start - s[1] <= 40), None)
        if stage is None:
            continue
        stage_value = stage[2]
        if stage_value == "production":
            specific = [s for s in stages if s[1] <= pct.start and s[2] != "production"]
            stage_value = specific[-1][2] if specific else stage_value
        supplier_cue = next((s for s in suppliers if pct.end <= s[0] < limit), None)
        consumer = None
        if supplier_cue:
            actor = next((m for m in actors if m.start >= supplier_cue[1]), None)
            consumer_mention = next((m for m in actors if m.start < supplier_cue[0] and m is not actor
                                     and any(c[0] <= m.start <= c[1] + 25 for c in consumers)), None)
            consumer = ctx.actor_of(consumer_mention.entity) if consumer_mention else None
        else:
            consumer_mention = next((m for m in actors if any(c[0] <= m.start <= c[1] + 25 for c in consumers)
                                     and pct.end <= m.start < limit), None)
            if consumer_mention and stage_value == "imports":
                actor = consumer_mention
            else:
                before = [m for m in actors if m.end <= pct.start]
                actor = before[-1] if before else next((m for m in actors if pct.end <= m.start < limit), None)
        if actor is None:
            continue
        mineral_span = _minerals(sentence, ctx, pct.start, limit) or _minerals(sentence, ctx)
        mineral = mineral_span[0] if mineral_span else (ctx.recent_minerals[-1] if ctx.recent_minerals else None)
        if mineral is None:
            continue
        actor_iri = ctx.actor_of(actor.entity)
        if actor_iri == consumer:
            consumer = None
        facts.append(ShareFact(actor_iri, mineral, stage_value, pct.value, pct.qualifier,
                               years[0] if years else None, sentence_evidence(sentence, "pattern:share", 0.75), consumer))
    return facts


# --- measures ------------------------------------------------------------------------------------

def extract_measures(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[MeasureFact]:
    """Export controls, tariffs, price floors, stockpiling and laws, with imposer and targets."""
    folded = fold(sentence.text)
    triggers = patterns.find("measure", folded)
    law_names = [m for m in _LAW_NAME.finditer(sentence.text)]
    if not triggers and not law_names:
        return []
    target_cues = patterns.find("measure_target_cue", folded)
    dates = find_dates(sentence.text, patterns.lexicon, ctx.document_date)
    status = "suspended" if patterns.has("measure_suspended", folded) else None
    facts: list[MeasureFact] = []
    kinds_seen: set[str] = set()
    for t_start, t_end, kind in triggers:
        if kind in kinds_seen or (kind == "Law" and law_names):
            continue
        kinds_seen.add(kind)
        targets, imposers = [], []
        for m in sentence.mentions:
            actor = ctx.actor_of(m.entity)
            if not actor:
                continue
            if any(c[1] <= m.start <= c[1] + 12 for c in target_cues):
                targets.append(actor)
            else:
                imposers.append((abs(m.start - t_start), m.start > t_end, actor))
        imposer = min(imposers)[2] if imposers else None
        if imposer is None and ctx.paragraph_actors and kind != "Law":
            imposer = ctx.paragraph_actors[-1]
        minerals = _minerals(sentence, ctx) or (tuple(ctx.recent_minerals[-1:]) if kind != "Law" else ())
        if kind == "Law" and imposer is None:
            continue
        facts.append(MeasureFact(kind, imposer, _unique(t for t in targets if t != imposer), minerals,
                                 _date(dates), status, sentence_evidence(sentence, "pattern:measure", 0.7)))
    for m in law_names:
        name = m.group(1).strip()
        imposer = next((ctx.actor_of(x.entity) for x in sentence.mentions if ctx.actor_of(x.entity)), None)
        imposer = imposer or (ctx.paragraph_actors[-1] if ctx.paragraph_actors else None)
        facts.append(MeasureFact("Law", imposer, (), _minerals(sentence, ctx), _date(dates), status,
                                 sentence_evidence(sentence, "pattern:law", 0.7), name=name))
    return facts


# --- projects ------------------------------------------------------------------------------------

def _project_name(text: str, after: int, folded: str, patterns: Patterns) -> tuple[str, int] | None:
    """A proper name right after a trigger: ``de Dobra``, ``(Mountain Pass, ...)``, ``rebaptisé « X »``."""
    rest = text[after:after + 120]
    folded_rest = folded[after:after + 120]
    skip = re.match(r"\s*(?:\(|,)?\s*", rest).end()
    link = re.match(r"(\w+(?:'|\s))\s*", folded_rest[skip:])
    adjective = re.match(r"[a-zéèêàâîôûç-]+\s+", rest[skip:])
    if adjective and not (link and patterns.has("project_name_link", link.group(1).strip())):
        skip += adjective.end()
        link = re.match(r"(\w+(?:'|\s))\s*", folded_rest[skip:])
    if link and patterns.has("project_name_link", link.group(1).strip()):
        skip += link.end()
    quoted = _QUOTED.match(rest[skip:])
    if quoted:
        return quoted.group(1).strip(), after + skip + quoted.end()
    proper = _PROPER.match(rest[skip:])
    if proper and len(proper.group(0)) >= 3:
        return proper.group(0).strip(" ,.-"), after + skip + proper.end()
    return None


def extract_projects(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[ProjectFact]:
    """Mines, refineries, plants, funds, stockpiles and corridors: named ones, and funded ones."""
    folded = fold(sentence.text)
    triggers = patterns.find("project", folded)
    if not triggers:
        return []
    money = find_money(sentence.text, patterns.lexicon)
    dates = find_dates(sentence.text, patterns.lexicon, ctx.document_date)
    mentioned = {(m.start, m.end) for m in sentence.mentions if ctx.cls(m.entity) != "Mineral"}
    facts: list[ProjectFact] = []
    used_until = -1
    for t_start, t_end, kind in triggers:
        if t_start < used_until:
            continue
        named = _project_name(sentence.text, t_end, folded, patterns)
        names: list[str] = []
        if named and not any(s <= t_end + (named[1] - t_end) and named[1] - len(named[0]) <= s for s, _ in mentioned
                             if sentence.text[s:named[1]].strip() == named[0]):
            names = [n.strip() for n in re.split(r"\s+(?:et|and)\s+", named[0]) if n.strip()]
            used_until = named[1]
        amount = None
        near_money = [m for m in money if t_end <= m.start <= t_end + 60]
        if near_money:
            amount = Amount(near_money[0].value, near_money[0].currency)
        if not names and not (kind in ("Fund", "Stockpile") and (amount or _minerals(sentence, ctx))):
            continue
        if names and any(ctx.cls(m.entity) and fold(m.text) == fold(names[0]) for m in sentence.mentions):
            continue
        anchor = used_until if names else t_end
        location = next((m.entity for m in sentence.mentions if ctx.cls(m.entity) in ("Place", "State")
                         and m.start >= anchor and _is_location_link(folded[anchor:m.start], patterns)), None)
        participants = _unique(ctx.actor_of(m.entity) for m in sentence.mentions
                               if ctx.actor_of(m.entity) and m.entity != location
                               and not _excluded(sentence, m, patterns, "party_exclusion_cue"))
        evidence = sentence_evidence(sentence, "pattern:project", 0.7 if names else 0.6)
        for name in names or [None]:
            facts.append(ProjectFact(name, kind, location, participants, _minerals(sentence, ctx), amount,
                                     evidence, _date(dates)))
    return facts


def _is_location_link(between: str, patterns: Patterns) -> bool:
    """True when the words between a project and a place say where it is: ``, en``, ``(`` or ``à``."""
    words = re.sub(r"[\s,()]+", " ", between).strip()
    if not words:
        return True
    words = re.sub(r"\s*(?:l'|la|le|les)$", "", words).strip()
    return any(start == 0 and end == len(words) for start, end, _ in patterns.find("locative", words))


def update_context(sentence: Sentence, ctx: Context, patterns: Patterns) -> None:
    """Carry the paragraph's actors, the last pair of states, the last minerals and the last date."""
    if sentence.paragraph != ctx.paragraph:
        ctx.paragraph = sentence.paragraph
        ctx.paragraph_actors = []
    states = list(_unique(m.entity for m in sentence.mentions if ctx.cls(m.entity) == "State"))
    if len(states) >= 2:
        ctx.last_pair = (states[0], states[1])
    ctx.paragraph_actors.extend(a for a in (ctx.actor_of(m.entity) for m in sentence.mentions) if a)
    ctx.recent_minerals = (ctx.recent_minerals + list(_minerals(sentence, ctx)))[-3:]
    dates = [d for d in find_dates(sentence.text, patterns.lexicon, ctx.document_date) if d.datatype != "gYear"]
    if dates:
        ctx.last_date = dates[-1]


def _decimal(value: Decimal) -> Decimal:
    return value.normalize() if value == value.to_integral() else value
