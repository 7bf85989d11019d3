"""Mentions: reference entities found by the gazetteer, and named-entity candidates from spaCy's NER.

The gazetteer matches every label, alias, metonym and inflected demonym of ``ontology/entities.ttl`` on
folded text (case, accents, apostrophes, hyphens) with an Aho-Corasick automaton. Short all-capital
acronyms (``UE``, ``US``) match with their case; labels marked ``cmkg:ambiguousLabel`` (``or``, ``fer``)
match only near a context word of the lexicon. NER adds typed candidates for names the gazetteer lacks.
"""

from __future__ import annotations

import bisect
import csv
import functools
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from graph.cache import digest, read_cached, write_cached
from graph.extract.reference import Entity, Reference
from graph.extract.text import fold, is_word_char
from graph.iri import entity_iri

log = logging.getLogger(__name__)

GAZETTEER_CONFIDENCE = {"label": 1.0, "alias": 0.95, "demonym": 0.85}
NER_CONFIDENCE = 0.6
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&.-]{0,5}$")
_GLUED_DIGITS = re.compile(r"[^\W\d_]\d+$|\d")
_CONTEXT_WINDOW = 40


@dataclass(frozen=True)
class Mention:
    """An entity named in the clean text of a document, ``start``/``end`` being clean offsets."""

    entity: str
    start: int
    end: int
    text: str
    method: str
    confidence: float
    via: str = "label"


@dataclass
class Gazetteer:
    """Two automata over folded labels: case-insensitive, and case-kept for short acronyms."""

    folded: ahocorasick.Automaton
    cased: ahocorasick.Automaton
    context_words: frozenset[str]
    entities: dict[str, Entity]
    #: Words after which a capital is the city, not its state: locatives and travel (*in*, *à*, *to*).
    locatives: frozenset[str] = frozenset()
    #: Words near an ambiguous company name (*Tesla*, *Vale*) that make it the company.
    company_context: frozenset[str] = frozenset()
    #: Words of rank after a possessive (*Europe's largest*): the place where things are, not who acts.
    superlatives: frozenset[str] = frozenset()
    #: Currency words (*dollar*): a demonym after one names a currency (*dollar américain*), not its state.
    currencies: frozenset[str] = frozenset()
    #: Prefixes joined to a demonym by a hyphen that make it no nationality (*afro-américain*).
    compound_prefixes: frozenset[str] = frozenset()
    #: The head word of a state's official name used for it alone (*the Kingdom*, *le Royaume*), folded.
    state_heads: frozenset[str] = frozenset()


def inflect_demonym(base: str, rules: list[tuple[str, str]]) -> list[str]:
    """Every form of a demonym from its masculine singular, by the longest matching ending rule.

    >>> sorted(inflect_demonym("américain", [("ain", "ain|aine|ains|aines"), ("e", "e|es")]))
    ['américain', 'américaine', 'américaines', 'américains']
    >>> inflect_demonym("nippon", [])
    ['nippon', 'nippons']
    """
    for ending, forms in sorted(rules, key=lambda r: -len(r[0])):
        if base.endswith(ending):
            stem = base[: len(base) - len(ending)]
            return sorted({stem + f for f in forms.split("|")} | {base})
    return [base, base + "s"]


def _mineral_words(reference: Reference) -> frozenset[str]:
    """The one-word names of the reference minerals (*nickel*, *cuivre*, *lithium*), folded: a company whose
    name is also a word is confirmed by a mineral near it (*Anglo American has announced the sale of its
    nickel business*). Names that are common words themselves (ambiguous ones, and words of three letters
    or fewer, such as *or* and *tin*) are left out."""
    words = set()
    for entity in reference.entities.values():
        if entity.cls != "Mineral":
            continue
        ambiguous = {fold(a) for a in entity.ambiguous}
        for label in [entity.name, entity.name_fr or "", *entity.aliases]:
            key = fold(label.strip())
            if " " not in key and len(key) > 3 and key not in ambiguous:
                words.add(key)
    return frozenset(words)


def build_gazetteer(reference: Reference) -> Gazetteer:
    """Compile the reference entities' labels into automata."""
    rules = [(p, v) for p, v in reference.lexicon.phrases("demonym_inflection")]
    folded = ahocorasick.Automaton()
    cased = ahocorasick.Automaton()
    seen: dict[tuple[str, bool], tuple[str, str, bool]] = {}
    spellings = [(fold(p), fold(v)) for p, v in reference.lexicon.phrases("spelling_variant")]
    for entity in sorted(reference.entities.values(), key=lambda e: e.iri):
        ambiguous = {fold(a) for a in entity.ambiguous}
        labels = [(entity.name, "label")] + [(a, "alias") for a in entity.aliases]
        labels += [(form, "demonym") for d in entity.demonyms for form in inflect_demonym(d, rules)]
        labels += [(a, "alias") for a in body_with_demonym(entity, reference, rules)]
        for label, via in labels:
            label = label.strip()
            if len(label) < 2:
                continue
            keep_case = bool(_ACRONYM.match(label)) and label.upper() == label
            key = fold(label, keep_case=keep_case)
            for form in spelling_variants(key, spellings) if not keep_case else (key,):
                slot = (form, keep_case)
                if slot in seen and seen[slot][0] != entity.iri:
                    log.debug("label %r of %s already names %s", label, entity.iri, seen[slot][0])
                    continue
                if form == key or slot not in seen:
                    seen[slot] = (entity.iri, via, key in ambiguous)
    for (key, keep_case), (iri, via, ambiguous) in seen.items():
        (cased if keep_case else folded).add_word(key, (len(key), iri, via, ambiguous))
    for automaton in (folded, cased):
        if len(automaton):
            automaton.make_automaton()
    context = frozenset(fold(p) for p, _ in reference.lexicon.phrases("ambiguous_context"))
    locatives = frozenset(fold(p) for p, _ in reference.lexicon.phrases("locative"))
    venues = locatives | frozenset(fold(p) for p, _ in reference.lexicon.phrases("travel_preposition"))
    companies = frozenset(fold(p) for p, _ in reference.lexicon.phrases("ambiguous_company_context"))
    companies |= _mineral_words(reference)
    superlatives = frozenset(fold(p) for p, _ in reference.lexicon.phrases("superlative"))
    currencies = frozenset(fold(p) for p, _ in reference.lexicon.phrases("currency") if p.isalpha())
    prefixes = reference.lexicon.words("demonym_compound_prefix")
    heads = reference.lexicon.words("state_anaphora")
    return Gazetteer(
        folded, cased, context, reference.entities, venues, companies, superlatives, currencies, prefixes, heads
    )


def spelling_variants(key: str, spellings: list[tuple[str, str]]) -> list[str]:
    """A folded label and its forms in the other spelling of each of its words the lexicon pairs
    (``spelling_variant``: *organization*/*organisation*, *programme*/*program*): the label first.

    Examples
    --------
    >>> spelling_variants("japan organization for metals", [("organization", "organisation")])
    ['japan organization for metals', 'japan organisation for metals']
    """
    forms = [key]
    for one, other in spellings:
        for a, b in ((one, other), (other, one)):
            forms += [variant for form in list(forms) if (variant := re.sub(rf"\b{a}", b, form)) != form]
    return list(dict.fromkeys(forms))


_BODY_OF = re.compile(r"^(\w+)\s+((?:de la|de l'|du|des|de|d')\s*.+)$")


def body_with_demonym(entity: Entity, reference: Reference, rules: list[tuple[str, str]]) -> list[str]:
    """A state's body as French names it with the state's demonym after its head word: *le département
    américain de la Défense*, *le ministère chinois du Commerce*, from the body's French names (*département
    de la Défense*) whose head word is a lexicon ``body_head`` and the state's demonyms in every inflection.

    >>> from graph.extract.reference import Entity, Lexicon, Reference
    >>> us = Entity("us", "United States", "State", demonyms=["américain"])
    >>> dod = Entity("dod", "Department of Defense", "GovernmentBody", name_fr="département de la Défense",
    ...              affiliation="us")
    >>> ref = Reference({"us": us, "dod": dod}, Lexicon({"body_head": [("département", "", "fr")]}), None)
    >>> body_with_demonym(dod, ref, [("ain", "ain|aine|ains|aines")])[:2]
    ['département américain de la Défense', 'département américaine de la Défense']
    """
    state = reference.entities.get(entity.affiliation or "")
    if entity.cls != "GovernmentBody" or state is None or state.cls != "State":
        return []
    heads = reference.lexicon.words("body_head")
    forms = [form for d in state.demonyms for form in inflect_demonym(d, rules)]
    found = []
    for label in [entity.name_fr or "", *entity.aliases]:
        match = _BODY_OF.match(label.strip())
        if match and fold(match.group(1)) in heads:
            found += [f"{match.group(1)} {form} {match.group(2)}" for form in forms]
    return found


#: Signs that turn a country's name or code just before them into a currency (*US$ 970 million*).
_CURRENCY_SIGNS = frozenset("$€£¥")


def _has_context(folded_text: str, start: int, end: int, context_words: frozenset[str]) -> bool:
    window = folded_text[max(0, start - _CONTEXT_WINDOW) : end + _CONTEXT_WINDOW]
    words = set(re.findall(r"\w+", window))
    return bool(words & context_words)


_CAPITALS_DATELINE = re.compile(r"([A-ZÀ-Þ][A-ZÀ-Þ .'’-]*(?:/[A-ZÀ-Þ][A-ZÀ-Þ .'’-]*)+)\s*(?::|,\s*\w+\.?\s+\d|\(|--|—)")


def _dateline(text: str, start: int, end: int) -> bool:
    """True for a city that opens a paragraph as the dispatch's dateline (*RIYAD : La société…*, *WINDHOEK,
    June 8 (Xinhua) --*): where the text was written, not its state acting."""
    opens = start == 0 or text[start - 1] == "\n"
    if opens and re.match(r"\s*(?::|,\s*\w+\.?\s+\d|,\s*\d{1,2}\s+\w|\(|--|—|–)", text[end:]):
        return True  # *Kampala, 5 juin 2025 –* too
    if opens and re.match(r"\s*,[^.\n]{0,50}?\s(?:—|–|--)\s", text[end:]):
        return True  # *Jakarta, Indonesia Sentinel — …*: the city, then the publisher
    # *KUALA LUMPUR/BEIJING, Oct 2 (Reuters):*: cities in capitals joined by slashes open the dateline
    line = text.rfind("\n", 0, start) + 1
    cities = _CAPITALS_DATELINE.match(text, line)
    return bool(cities) and cities.end(1) >= end and text[start:end].isupper()


def _framing(folded_text: str, start: int, end: int) -> bool:
    """True for a capital that opens its sentence after a preposition and a comma (*À Washington, une
    offensive diplomatique…*, *In Beijing, officials…*): the government that the sentence is about, not the
    city."""
    window = ("\n" if start <= 30 else "") + folded_text[max(0, start - 30) : start]
    opening = re.search(r"(?:[.;:!?]\s+|\n)\s*\S+\s*$", window)
    return opening is not None and folded_text[end : end + 1] == ","


def _after_locative(folded_text: str, start: int, locatives: frozenset[str]) -> bool:
    """True when a place name follows a locative preposition (``en Europe``, ``à Paris``)."""
    before = re.sub(r"(?:\s|^)(?:l'|la|le|les)\s*$", "", folded_text[max(0, start - 20) : start]).rstrip()
    words = before.rstrip(",").split()  # *Peru's capital, Lima*
    return bool(words) and (words[-1] in locatives or " ".join(words[-2:]) in locatives)


def _geographic(
    text: str, folded_text: str, start: int, end: int, found: list[tuple[int, int, str, str]], gazetteer: Gazetteer
) -> bool:
    """True for a place named as where things are rather than as who acts: after an elided *d'* (*d'Europe*,
    not *de l'Europe*), before a possessive superlative (*Europe's largest*), or listed with a place that
    stands for nobody (*Europe and North America*, *l'Asie et l'Europe*)."""
    if folded_text[max(0, start - 2) : start] == "d'" and not folded_text[max(0, start - 3) : start - 2].isalpha():
        return True
    possessive = re.match(r"['’]s\s+(\w+)", text[end:])
    if possessive and fold(possessive.group(1)) in gazetteer.superlatives:
        return True
    for other_start, other_end, iri, _ in found:
        other = gazetteer.entities[iri]
        if other.cls != "Place" or other.actor_sense or (other_start, other_end) == (start, end):
            continue
        if other_start >= end and re.fullmatch(r"\s*(?:,|and|et)\s*(?:l'|the\s+)?", folded_text[end:other_start]):
            return True
        if other_end <= start and re.fullmatch(r"\s*(?:,|and|et)\s*(?:l'|the\s+)?", folded_text[other_end:start]):
            return True
    return False


def _not_a_nationality(text: str, start: int, gazetteer: Gazetteer) -> bool:
    """True for a demonym that says no state: after a prefix that makes it no nationality (lexicon
    ``demonym_compound_prefix``: *afro-américain*; *franco-chinois* is still China), a currency's (*dollar
    américain*), or the end of a name whose first word is capitalised and no function word (*Pan American
    expects…*)."""
    prefix = re.search(r"(\w+)-$", text[max(0, start - 12) : start])
    if prefix and fold(prefix.group(1)) in gazetteer.compound_prefixes:
        return True
    before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 30) : start])
    if before is None:
        return False
    word = before.group(1)
    if fold(word) in gazetteer.currencies:
        return True
    # (a name that goes on is left to the rules of names: *Pan American Silver Corp*)
    end = re.match(r"\w+", text[start:])
    goes_on = end is not None and re.match(r"[ \t]+[A-ZÀ-Þ]", text[start + end.end() :]) is not None
    return (
        text[start].isupper()
        and word.isalpha()
        and word[0].isupper()
        and fold(word) not in common_words()
        and not goes_on
    )


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Every gazetteer mention in ``text``: leftmost-longest matches without overlaps, in text order. An
    ambiguous name (*Tesla*, *Ford*, *Vale*) needs a context word near one of its mentions in the text."""
    folded_text = fold(text)
    cased_text = fold(text, keep_case=True)
    found: list[tuple[int, int, str, str]] = []
    pending: list[tuple[int, int, str, str]] = []
    confirmed: set[str] = set()
    for automaton, haystack in ((gazetteer.folded, folded_text), (gazetteer.cased, cased_text)):
        if not len(automaton):
            continue
        for end_index, (length, iri, via, ambiguous) in automaton.iter(haystack):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and is_word_char(haystack[start - 1]) or end < len(haystack) and is_word_char(haystack[end]):
                continue
            if ambiguous:
                if gazetteer.entities[iri].cls == "Company" and text[start:end].islower():
                    continue  # *total nickel refining capacity*: a company's name is written as a name
                words = (
                    gazetteer.company_context if gazetteer.entities[iri].cls == "Company" else gazetteer.context_words
                )
                if not _has_context(folded_text, start, end, words):
                    pending.append((start, end, iri, via))
                    continue
                confirmed.add(iri)
            if haystack[end : end + 1] in _CURRENCY_SIGNS:  # US$, HK$, C$: a currency, not the state
                continue
            found.append((start, end, iri, via))
    # a company's ambiguous name listed with another company is one (*Albemarle et Ford ont signé…*), and a
    # mineral's listed with another mineral (*deposits of tin, copper and bauxite*)
    # (only the nearest mention of the class on each side can be joined to it: one look each, not one per pair)
    for cls in ("Company", "Mineral"):
        listed = sorted((f[0], f[1]) for f in found if gazetteer.entities[f[2]].cls == cls)
        starts = [o_start for o_start, _ in listed]
        ends = sorted(o_end for _, o_end in listed)
        for start, end, iri, _ in pending:
            if gazetteer.entities[iri].cls != cls:
                continue
            before = bisect.bisect_right(ends, start) - 1
            after = bisect.bisect_left(starts, end)
            gaps = ([folded_text[ends[before] : start]] if before >= 0 else []) + (
                [folded_text[end : starts[after]]] if after < len(starts) else []
            )
            if any(_LISTED.fullmatch(gap) for gap in gaps):
                confirmed.add(iri)
    # an ambiguous name that its context confirms once in the text names the same entity everywhere in it
    # (*Ford et Nemaska Lithium ont annoncé…*, then *le constructeur automobile Ford*)
    found += [m for m in pending if m[2] in confirmed]
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    mentions: list[Mention] = []
    last_end = -1
    located_until = -1  # the end of the last place named after a locative (*in Melbourne*)
    for start, end, iri, via in found:  # leftmost, then longest, without overlaps
        if start < last_end:
            continue
        entity = gazetteer.entities[iri]
        if entity.cls == "Place" and text[start:end].islower() and re.fullmatch(r"[^\s-]+", text[start:end]):
            continue  # a one-word place is a proper name: *salé* is a word, *Salé* the city (*nord-américaine* is one)
        if via == "demonym" and _not_a_nationality(text, start, gazetteer):
            continue
        last_end = end
        if via == "alias" and fold(text[start:end]) == fold(entity.name):
            via = "label"
        # *headquarters in Melbourne and Beijing*: a place listed after one in a locative is one too
        listed = located_until >= 0 and bool(re.fullmatch(r"\s*(?:,|and|et)\s*", folded_text[located_until:start]))
        located = listed or _after_locative(folded_text, start, gazetteer.locatives)
        located = located or folded_text[end : end + 6] == "-based"  # *London-based*: where a firm is
        located_until = end if located and entity.cls in ("Place", "State") else -1
        if entity.actor_sense and gazetteer.entities[entity.actor_sense].cls != "State":
            # a continent that stands for a union is the continent in its own genitive (*la plus grande mine
            # d'Europe*, *Europe's largest source*) or listed with other places (*Europe and North America*)
            located = located or _geographic(text, folded_text, start, end, found, gazetteer)
        if (
            entity.actor_sense
            and not _dateline(text, start, end)
            and (not located or _framing(folded_text, start, end))
        ):
            iri = entity.actor_sense
        mentions.append(Mention(iri, start, end, text[start:end], "gazetteer", GAZETTEER_CONFIDENCE[via], via))
    mentions += state_anaphora(text, mentions, gazetteer)
    return sorted(mentions, key=lambda m: m.start)


def state_anaphora(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A state named by the head word of its official name alone, capitalised (lexicon ``state_anaphora``: *The
    Kingdom, represented by the Ministry of Industry…*, *le Royaume*): the state the text named most before it
    among those whose names hold that word (*Kingdom of Saudi Arabia*), the last of them on a tie (when it
    named none before, the one it names most after); not a name that goes on (*the Kingdom of Morocco*, *le
    Royaume-Uni*, *Royaume du Maroc*). A name that two states share works the same way (*Congo suspended
    cobalt exports*, after *the Democratic Republic of Congo*)."""
    if not gazetteer.state_heads:
        return []
    heads = "|".join(re.escape(h) for h in sorted(gazetteer.state_heads))
    found = []
    for match in re.finditer(rf"\b(?:{heads})\b(?![-\w]|\s+(?:of|de|du|des|d['’])\b)", text, re.IGNORECASE):
        start, end = match.span()
        if not text[start].isupper() or any(m.start < end and start < m.end for m in mentions):
            continue
        head = fold(match.group(0))
        named: Counter[str] = Counter()
        last: dict[str, int] = {}
        for m in sorted(mentions, key=lambda m: (m.end > start, m.start)):
            entity = gazetteer.entities.get(m.entity)
            if named and m.end > start:
                break  # only the states named before it, when there are some
            if entity is not None and entity.cls == "State":
                if any(head in fold(label).split() for label in (entity.name, *entity.aliases)):
                    named[m.entity] += 1
                    last[m.entity] = m.start
        if named:
            iri = max(named, key=lambda i: (named[i], last[i]))
            found.append(Mention(iri, start, end, text[start:end], "gazetteer", 0.8, "anaphora"))
    return found


def apply_relinks(
    text: str, doc_id: str, mentions: list[Mention], relinks: dict[tuple[str | None, str], str]
) -> list[Mention]:
    """Mentions with a researcher's relinks applied: every occurrence of a relinked surface text (in that
    document, or in all) names the entity the curation gives, replacing what overlapped it."""
    wanted = {surface: entity for (doc, surface), entity in relinks.items() if doc in (None, doc_id)}
    if not wanted:
        return mentions
    folded = fold(text)
    relinked: list[Mention] = []
    for surface, entity in sorted(wanted.items()):
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", folded):
            relinked.append(
                Mention(entity, m.start(), m.end(), text[m.start() : m.end()], "curation:relink", 1.0, "curation")
            )
    kept = [m for m in mentions if not any(r.start < m.end and m.start < r.end for r in relinked)]
    return sorted(kept + relinked, key=lambda m: m.start)


@dataclass(frozen=True)
class Candidate:
    """A name found by NER that the gazetteer lacks, with the class read from its label and context."""

    name: str
    cls: str
    start: int
    end: int

    @property
    def iri(self) -> str:
        """The name's IRI, the dots of an initialism left out (*U.S. Strategic Metals* and *US Strategic
        Metals* are one company)."""
        return entity_iri(_DOTTED_INITIALISM.sub(lambda m: m.group(0).replace(".", ""), self.name))


_DOTTED_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?!\w)")


def ner_candidate(
    ent_text: str, ent_label: str, start: int, sentence_start: int, preceding: str, reference: Reference
) -> Candidate | None:
    """Type one spaCy entity from its label and the words before it, or reject it as junk.

    ``preceding`` is the clean text just before the entity in its sentence.

    Examples
    --------
    >>> from graph.extract.reference import Lexicon, Reference
    >>> ref = Reference({}, Lexicon({"company_cue": [("groupe", "", "fr")], "entity_stopword": [("l'", "", "fr")]}), None)
    >>> ner_candidate("Estée Lauder", "ORG", 50, 0, "héritier du groupe ", ref)
    Candidate(name='Estée Lauder', cls='Company', start=50, end=62)
    >>> ner_candidate("JOGMEC4", "ORG", 50, 0, "la ", ref) is None
    True
    """
    lexicon = reference.lexicon
    stop = {fold(p) for p, _ in lexicon.phrases("entity_stopword")}
    words = ent_text.split()
    while words and (fold(words[0]) in stop or fold(words[0]).rstrip("'") + "'" in stop and words[0].endswith("'")):
        start += len(words[0]) + 1
        words = words[1:]
    name = " ".join(words)
    for prefix in ("L'", "l'", "D'", "d'", "Qu'", "qu'"):
        if name.startswith(prefix):
            name, start = name[len(prefix) :], start + len(prefix)
    if len(name) < 2 or not name[0].isupper() or _GLUED_DIGITS.search(name):
        return None
    if start == sentence_start and len(words) == 1 and not _ACRONYM.match(name):
        return None
    before = fold(preceding[-40:])
    cue_words = set(re.findall(r"\w+", before)[-3:])
    company_cues = {fold(p) for p, _ in lexicon.phrases("company_cue")}
    organisation_cues = {fold(p) for p, _ in lexicon.phrases("organisation_cue")}
    words = name.split()
    if ent_label in ("ORG", "MISC") and _role_span(name, reference):
        return None  # *Minister of Mines*, *Board Chairperson Kakenenwa Muyangwa*: a role, and a person after it
    head = _head_class(words, lexicon)
    if head is not None and ent_label in ("PER", "ORG", "MISC"):
        return Candidate(name, head, start, start + len(name))
    if ent_label == "PER":
        while len(words) > 2 and fold(words[0]) in _not_given_names(reference):
            words = words[1:]  # *Prince Abdulaziz bin Salman*: a title, though a given name too
        person = person_name(words)
        if person is None or any(fold(w) in lexicon.words("place_head") for w in person.split()[1:]):
            return None  # *Kathleen Valley*: a place's head word
        offset = name.index(person)
        return Candidate(person, "Person", start + offset, start + offset + len(person))
    elif ent_label == "ORG":
        if cue_words & company_cues:
            cls = "Company"
        elif cue_words & organisation_cues:
            cls = "GovernmentBody"
        else:
            return None
    elif ent_label == "LOC":
        # a place no list holds, where something happens: *inaugurée mercredi à Jorf Lasfar*, *near the city of
        # Kolwezi* (a LOC span without that context is too often an organisation in English text)
        locatives = lexicon.words("locative")
        words_before = before.split()
        if words_before and (words_before[-1] in locatives or " ".join(words_before[-3:]) in locatives):
            shaped = all(re.fullmatch(r"[A-ZÀ-Þ][\w'’-]*|d[eu]|des|la|of|the", w) for w in words)
            if shaped and not (head and head != "Place") and person_name(words) is None:
                return Candidate(name, "Place", start, start + len(name))
        return None
    else:
        if cue_words & company_cues and name[0].isupper():
            cls = "Company"
        else:
            return None
    return Candidate(name, cls, start, start + len(name))


def conjoined_names(ent_text: str, label: str, lexicon) -> list[tuple[str, int]]:
    """The names one organisation span of spaCy's joins with *and*/*et* (*the automaker behind Chrysler and
    Alfa Romeo*), each with its offset in the span; the span itself when it is one name. A span whose words
    make one body (*Ministry of Trade and Industry*) or that ends in a company's head word after the
    conjunction alone (*Trade and Industry Corp*) stays whole.

    Examples
    --------
    >>> from graph.extract.reference import Lexicon
    >>> lex = Lexicon({"conjunction": [("and", "", "en")], "body_head": [("ministry", "", "en")],
    ...               "name_connector": [("of", "", "en"), ("and", "", "en")]})
    >>> conjoined_names("Chrysler and Alfa Romeo", "ORG", lex)
    [('Chrysler', 0), ('Alfa Romeo', 13)]
    >>> conjoined_names("Ministry of Trade and Industry", "ORG", lex)
    [('Ministry of Trade and Industry', 0)]
    """
    if label not in ("ORG", "MISC"):
        return [(ent_text, 0)]
    words = ent_text.split()
    joins = [i for i, w in enumerate(words) if fold(w) in lexicon.words("conjunction") and 0 < i < len(words) - 1]
    if len(joins) != 1 or _head_class(words, lexicon) == "GovernmentBody":
        return [(ent_text, 0)]
    left, right = words[: joins[0]], words[joins[0] + 1 :]
    if (
        not (left[0][:1].isupper() and right[0][:1].isupper())
        or len(right) == 1
        and _head_class(["X", *right], lexicon)
    ):
        return [(ent_text, 0)]
    left_text = " ".join(left)
    right_start = ent_text.index(" " + words[joins[0]] + " ", len(left_text) - 1) + len(words[joins[0]]) + 2
    return [(left_text, 0), (ent_text[right_start:], right_start)]


def _role_span(name: str, reference: Reference) -> bool:
    """True when a span opens with a role (*Minister of Mines*) or holds one followed by a capitalised name
    (*Board Chairperson Kakenenwa Muyangwa*); not *Office of the President*, a body named after a role."""
    folded = fold(name)
    for role in _phrases_pattern(reference, "role").finditer(folded):
        if role.start() == 0 or re.match(r"\s+[A-ZÀ-Þ]", name[role.end() :]):
            return True
    return False


def company_name(name: str, lexicon) -> str:
    """A company's name without the legal form at its end (lexicon ``legal_form``: *Ltd*, *Corp.*, *S.A.*,
    *plc*…), as the company is usually called; a name that is nothing but its legal form stays whole.

    >>> from graph.extract.reference import Lexicon
    >>> lexicon = Lexicon({"legal_form": [("Corp.", "", ""), ("Ltd", "", ""), ("Pty Ltd", "", "")]})
    >>> company_name("DMCI Mining Corp.", lexicon), company_name("EcoGraf Pty Ltd", lexicon)
    ('DMCI Mining', 'EcoGraf')
    """
    forms = sorted(
        ([w.rstrip(".") for w in fold(p).split()] for p, _ in lexicon.phrases("legal_form")), key=len, reverse=True
    )
    words = name.split()
    for form in forms:  # with or without the dots (*Hunan Houdao Mining Co*)
        if len(words) > len(form) and [fold(w).rstrip(".") for w in words[-len(form) :]] == form:
            if fold(words[-len(form) - 1]) in ("and", "&", "et"):
                return name  # *Mitsui & Co*: the form is part of the name
            return " ".join(words[: -len(form)]).rstrip(",")
    return name


def names_a_law(following: str, lexicon) -> bool:
    """True when the text after a name says that the name is a law's (*the Enhanced Fiscal Regime for
    Large-Scale Metallic Mining bill*): its next word is a ``law_cue``."""
    word = re.match(r"\s+(\w+)", following)
    return word is not None and fold(word.group(1)) in lexicon.words("law_cue")


def person_candidate(candidate: Candidate, reference: Reference) -> Candidate | None:
    """A person's name as a rule found it, without the words before the name that are no part of it: a state's
    name and an honorific (*Ambassador of India to Argentina HE Dinesh Bhatia* → *Dinesh Bhatia*; lexicon
    ``honorific``). None when what is left is not a name of two words or more, when it is all in capitals
    (*SOCIEDAD DEL ESTADO*: a heading or a company written in capitals, not a person), or when a word after
    the first is a function word (*Bill No.*), or when its last word is a project's (*Fen Complex*)."""
    if "person_prefixes" not in reference.derived:
        states = {
            fold(label)
            for e in reference.entities.values()
            if e.cls == "State"
            for label in (e.name, *e.aliases)
            if " " not in label
        }
        prefixes = states | reference.lexicon.words("honorific")
        reference.derived["person_prefixes"] = frozenset(prefixes | {w.rstrip(".") for w in prefixes})
    skip = reference.derived["person_prefixes"]
    words = candidate.name.split()
    while len(words) > 2 and fold(words[0]).rstrip(".") in skip:
        words = words[1:]  # not *Iran Sharkhan*, a given name that is a state's
    if len(words) < 2 or all(w.isupper() and len(w) > 1 for w in words):
        return None
    if any(fold(w).rstrip(".") in common_words() and fold(w) not in _PARTICLES for w in words[1:]):
        return None  # *Bill No. 2826*
    if fold(words[-1]) in reference.lexicon.words("project"):
        return None  # *the Fen Complex*, *Thacker Pass Mine*: a project's name
    if "not_in_person_names" not in reference.derived:
        lexicon = reference.lexicon
        nouns = set()
        for category in ("agreement_kind", "measure", "project", "stage", "company_head", "body_head"):
            nouns |= {w for w in lexicon.words(category) if " " not in w}
        # a legal form ends a company's name (*Nova Andino Litio SpA*), not a person's
        nouns |= {w for w in lexicon.undotted("legal_form") if " " not in w and len(w) > 1}
        reference.derived["not_in_person_names"] = frozenset(nouns)
    if any(
        fold(w) in reference.derived["not_in_person_names"]
        or fold(w).rstrip(".") in reference.derived["not_in_person_names"]
        for w in words
    ):
        return None  # *Free Trade Agreement*, *General Meeting*: a thing's name, not a person's
    if "demonym_words" not in reference.derived:
        reference.derived["demonym_words"] = frozenset(fold(d) for e in reference.entities.values() for d in e.demonyms)
    if any(fold(w) in reference.derived["demonym_words"] for w in words[1:]):
        return None  # *Pan American*: a company's or a road's name, not a person's
    name = " ".join(words)
    if name == candidate.name:
        return candidate
    start = candidate.start + candidate.name.index(name)
    return Candidate(name, candidate.cls, start, start + len(name))


def _head_class(words: list[str], lexicon) -> str | None:
    """The class that a name's head word gives: a company's trade word or legal form as its last word (*Lithium
    Americas Corp*, *Amaroq Minerals*, *MMG Singapore Resources Pte*), a government body's word anywhere (*Ministry of Mines*)."""
    connectors = lexicon.words("name_connector")
    if len(words) < 2 or not all(w[:1].isupper() or fold(w) in connectors for w in words):
        return None
    company = lexicon.words("company_head")
    body = lexicon.words("body_head")
    if fold(words[0]) in body:
        return "GovernmentBody"
    last = fold(words[-1]).rstrip(".")
    # a legal form with or without its dot (*Hunan Houdao Mining Co*)
    if last in company or last in lexicon.undotted("legal_form"):
        return "Company"
    if any(fold(w) in body for w in words if w[:1].isupper()):
        return "GovernmentBody"
    return None


FIRST_NAMES_CACHE = "first-names"


@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Given names of many countries (gender-guesser's list of about 45,000), folded: from the user cache
    (:mod:`graph.cache`) when it holds those of the same list, code and stop lists (parsing and folding the
    list takes about 0.2 s, in every build and every add), else folded here and kept there."""
    key = first_names_key()
    kept = read_cached(FIRST_NAMES_CACHE, key) if key else None
    if isinstance(kept, list):
        return frozenset(kept)
    names = fold_first_names()
    if key:
        write_cached(FIRST_NAMES_CACHE, key, sorted(names))
    return names


def first_names_key() -> str | None:
    """The digest of what :func:`fold_first_names` depends on: gender-guesser's list and parser, the code that
    folds (this module and :mod:`graph.extract.text`) and spaCy's version (its stop lists); None when the list
    cannot be found."""
    import importlib.util

    import spacy

    from graph.extract import text

    spec = importlib.util.find_spec("gender_guesser.detector")
    if spec is None or spec.origin is None:
        return None
    detector = Path(spec.origin)
    try:
        parts = [detector.read_bytes(), (detector.parent / "data" / "nam_dict.txt").read_bytes()]
        parts += [Path(__file__).read_bytes(), Path(text.__file__).read_bytes()]
    except OSError:
        return None
    return digest(spacy.__version__, *parts)


def fold_first_names() -> frozenset[str]:
    """Given names of many countries (gender-guesser's list), folded, less the English and French stop words."""
    import gender_guesser.detector
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    detector = gender_guesser.detector.Detector(case_sensitive=False)
    common = {fold(w) for w in ENGLISH | FRENCH}
    return frozenset(fold(n) for n in detector.names if len(n) > 1 and fold(n) not in common)


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """French and English function words (spaCy's stop lists), folded: *In November, the company…* names no
    company."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    return frozenset(fold(w) for w in ENGLISH | FRENCH)


def person_name(words: list[str]) -> str | None:
    """The person's name in a span of capitalised words, from its first given name (titles and roles
    before it dropped), or None when no word is a known given name or the span is not a name's shape.

    >>> person_name(["Legal", "Manager", "Pablo", "Nina"])
    'Pablo Nina'
    >>> person_name(["Jorf", "Lasfar"]) is None
    True
    >>> person_name(["Park", "Jong-jin"])
    'Park Jong-jin'
    """
    names = _first_names()
    for i, word in enumerate(words):
        # a hyphenated given name of given names (*Jong-jin*) is one, and the family name comes before it
        # (*Park Jong-jin*: Korean order)
        hyphenated = "-" in word and all(part in names for part in fold(word).split("-") if part)
        if (fold(word) in names or hyphenated) and word[:1].isupper():
            if hyphenated and i == len(words) - 1 and i >= 1 and words[i - 1][:1].isupper():
                return " ".join(words[i - 1 :])
            while i >= 2 and words[i - 1] in _PATRONYMIC and words[i - 2][:1].isupper():
                i -= 2  # *Bandar bin Ibrahim Alkhorayef*: the name before *bin* is the person's own
            rest = words[i:]
            if 2 <= len(rest) <= 4 and all(w[:1].isupper() or w in _PARTICLES for w in rest):
                return " ".join(rest)
            return None
    return None


_PARTICLES = frozenset({"de", "du", "da", "van", "von", "der", "bin", "al", "el", "di", "dos", "das", "le", "la"})
#: Particles between a person's own name and their father's (*Bandar bin Ibrahim*), a subset of the above.
_PATRONYMIC = frozenset({"bin", "ibn", "bint"})
_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES)) + ")"


_CAPITALISED_RUN = re.compile(
    r"[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:(?:de|van|von|da|bin|al|el|le|la|di|dos)\s+)?[A-ZÀ-Þ][\w'’.-]*){1,6}"
)


def capitalised_persons(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Persons that the French model's NER misses (English text above all): a run of capitalised words whose
    first word of the name is a known given name (*Nusrat Ghani*, *James Cleverly*), not overlapping a
    mention other than a state or place that is only its first word (*Iran Sharkhan*), and with no head
    word of a company, body or place (*James Bay*, *Grace Mining*).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.

    >>> from graph.extract.reference import Lexicon, Reference
    >>> ref = Reference({}, Lexicon({"place_head": [("Bay", "", "en")]}), None)
    >>> [c.name for c in capitalised_persons("Minister Nusrat Ghani met James Bay people.", 0, [], ref)]
    ['Nusrat Ghani']
    """
    lexicon = reference.lexicon
    heads = lexicon.words("company_head") | lexicon.words("body_head") | lexicon.words("place_head")
    not_given_names = _not_given_names(reference)
    found = []
    for run in _CAPITALISED_RUN.finditer(text):
        words = [
            w.removesuffix("'s").removesuffix("’s").rstrip(".") if i == len(ws) - 1 else w
            for ws in [run.group(0).split()]
            for i, w in enumerate(ws)
        ]
        while words and fold(words[0]) in not_given_names:
            words = words[1:]
        name = person_name(words)
        if name is None or any(fold(w) in heads for w in name.split()) or fold(name.split()[0]) in not_given_names:
            continue
        start = offset + run.start() + run.group(0).index(name)
        end = start + len(name)
        clashing = [m for m in mentions if m.start < end and start < m.end]
        first = name.split()[0]
        if any(
            not (m.start == start and m.end == start + len(first) and _is_place(m.entity, reference)) for m in clashing
        ):
            continue
        found.append(Candidate(name, "Person", start, end))
    return found


def _not_given_names(reference: Reference) -> frozenset[str]:
    """Words that the given-name list holds but that open other capitalised runs here: months, weekdays,
    roles and titles of the lexicon, demonyms (*Argentine Foreign Minister*, *In June*, *Vice Minister*).
    Computed once per reference (``Reference.derived``)."""
    if "not_given_names" not in reference.derived:
        lexicon = reference.lexicon
        phrases = set().union(*(lexicon.words(c) for c in ("month", "weekday", "role", "entity_stopword")))
        words = {w for phrase in phrases for w in phrase.split()}
        for entity in reference.entities.values():
            if entity.cls in ("State", "Place"):
                words.update(fold(d) for d in entity.demonyms)
        reference.derived["not_given_names"] = frozenset(words)
    return reference.derived["not_given_names"]


def _is_company(iri: str, reference: Reference) -> bool:
    entity = reference.entities.get(iri)
    return entity is not None and entity.cls == "Company"


def _is_mineral(iri: str, reference: Reference) -> bool:
    entity = reference.entities.get(iri)
    return entity is not None and entity.cls == "Mineral"


def _is_place(iri: str, reference: Reference) -> bool:
    entity = reference.entities.get(iri)
    return entity is not None and entity.cls in ("State", "Place")


def _destination_before(reference: Reference) -> re.Pattern[str]:
    """The end of a text that names where or whom something goes (lexicon ``destination_cue``: *to the*, *vers
    les*; any case), compiled once per reference: the state after it is not a body's own."""
    if "destination_before" not in reference.derived:
        cues = "|".join(re.escape(c) for c in sorted(reference.lexicon.words("destination_cue"), key=len, reverse=True))
        reference.derived["destination_before"] = re.compile(
            rf"\b(?:{cues})(?:\s+(?:the|les|la|le|l'))?\s*$", re.IGNORECASE
        )
    return reference.derived["destination_before"]


def qualified_body(
    candidate: Candidate, mentions: list[Mention], reference: Reference, text: str = "", offset: int = 0
) -> Candidate:
    """A government body that no list holds, named with its state when its sentence names one: *Ministry of
    Mines and Energy (Namibia)*. The same words in two countries name two bodies, so the state belongs to the
    name (and to the IRI); the state right after it (*the Ministry of Energy in Niger*) is taken, else the
    nearest one, the one just before it first. A state named as where or whom something goes (``text``, the
    sentence starting at ``offset``: *export controls on dual-use items to the USA*) is not the body's."""
    states = [m for m in mentions if (e := reference.entities.get(m.entity)) is not None and e.cls == "State"]
    if text:
        towards = _destination_before(reference)
        states = [m for m in states if not towards.search(text[max(0, m.start - offset - 16) : m.start - offset])]
    if not states:
        return candidate
    after = [m for m in states if 0 <= m.start - candidate.end <= 5]
    nearest = (
        after[0]
        if after
        else min(
            states,
            key=lambda m: candidate.start - m.end if m.end <= candidate.start else 1000 + m.start - candidate.end,
        )
    )
    state = reference.entities[nearest.entity].name
    return Candidate(f"{candidate.name} ({state})", candidate.cls, candidate.start, candidate.end)


#: What stands between two names of one list (*Albemarle et Ford*, *tin, copper and bauxite*).
_LISTED = re.compile(r"\s*(?:,|and|et|&|, and)\s*")

_NAME_RUN = re.compile(
    r"[A-ZÀ-Þ][\w'’&.-]*(?:\s+(?:(?:of|for|and|the|on|de|du|des|la|le|et|pour|d'|l'|&)\s+)*[A-ZÀ-Þ][\w'’&.-]*)+"
)


def title_case(text: str) -> bool:
    """True for a headline written in title case: no stop at its end, five words or more, and four in five of
    its words of four letters or more capitalised (*Chinese Firms Control 75% Of Indonesia's Nickel Refining*;
    not *Namibia's Ministry of Mines and Energy announced the ban.*)."""
    if text.rstrip().endswith((".", "!", "?", "»", '"', "”")):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    long = [w for w in words if len(w) >= 4]
    return len(words) >= 5 and bool(long) and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def capitalised_organisations(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies and government bodies that the French model's NER misses (English text above all): a run of
    capitalised words (joined by *of*, *and*, *for*…) whose head word says what it is (*Ministry of Mines and
    Energy*, *Amaroq Minerals*, *Jiangsu Delong Nickel Industry*), overlapping no other mention. A body is
    named with its state (:func:`qualified_body`).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    plain_stop = lexicon.words("entity_stopword") | {"the", "a", "an", "in", "on", "at", "as", "by"}
    stop = plain_stop | _not_given_names(reference)
    # A mineral's name may open a company's (*Uranium One Group*, *Lithium Americas*): only other mentions
    # stop a run.
    mentions = [m for m in mentions if not _is_mineral(m.entity, reference)]
    if title_case(text):
        return []  # *US, Pakistan Announce Key Pact On Critical Minerals*: a headline's capitals name nothing
    found = []
    for run in _NAME_RUN.finditer(text):
        spans = [
            (offset + run.start() + w.start(), offset + run.start() + w.end())
            for w in re.finditer(r"\S+", run.group(0))
        ]
        words = run.group(0).split()
        while words and fold(words[0]) in plain_stop:
            words = words[1:]
        # a name may open with a nationality (*Finnish Minerals Group*) or a state (*Japan Australia Rare Earths*)
        whole = _named_after_states(words, spans[-len(words) :] if words else [], mentions, reference)
        if whole is not None:
            found.append(whole)
            continue
        while words and fold(words[0]) in stop:
            words = words[1:]
        while words and any(m.start < spans[-len(words)][1] and spans[-len(words)][0] < m.end for m in mentions):
            words = words[1:]
        # *Rosatom and the Ministry of Energy*: what joined the mention to the rest opens no name
        joining = stop | lexicon.words("conjunction") | lexicon.words("name_connector")
        while words and fold(words[0]) in joining:
            words = words[1:]
        words[-1:] = [w.removesuffix("'s").removesuffix("’s").rstrip(".,") for w in words[-1:]]
        person = next((i for i in range(1, len(words)) if person_name(words[i:]) == " ".join(words[i:])), None)
        if person is not None:
            words = words[:person]  # *the Mines and Energy Ministry Andreas Simon*: the body, then a person
        while words and fold(words[-1]) in lexicon.words("name_connector"):
            words = words[:-1]
        cls = _head_class(words, lexicon)
        if cls is None or _role_span(" ".join(words), reference):
            continue
        if cls == "Company" and any(w in ("and", "et") for w in words[:-1]):
            # *Serra Verde and Aclara Resources*: the head word names the last company only (an ampersand
            # joins one name: *Jindal Steel & Power Ltd*)
            last = max(i for i, w in enumerate(words[:-1]) if w in ("and", "et"))
            words = words[last + 1 :]
            if _head_class(words, lexicon) != "Company":
                continue
        name = " ".join(words)
        start = offset + run.start() + run.group(0).index(words[0])
        end = start + len(name)
        if text[start - offset : end - offset] != name:
            continue
        if cls == "Company" and names_a_law(text[end - offset :], lexicon):
            continue
        if any(m.start < end and start < m.end for m in mentions):
            continue
        portfolio = re.search(r"(\S+)\s+(?:of|for)\s+(?:the\s+)?$", fold(text[: start - offset]))
        if cls == "Company" and portfolio and fold(portfolio.group(1)) in lexicon.words("role"):
            continue  # *Nigeria's Minister of Solid Materials*: what a minister is in charge of, no company
        candidate = Candidate(name, cls, start, end)
        found.append(
            qualified_body(candidate, mentions, reference, text, offset) if cls == "GovernmentBody" else candidate
        )
    return found


def _named_after_states(
    words: list[str], spans: list[tuple[int, int]], mentions: list[Mention], reference: Reference
) -> Candidate | None:
    """A company whose name holds states' names (*Japan Australia Rare Earths*, jointly owned by JOGMEC
    and Sojitz; *MMG Singapore Resources Pte*) or its parent's (*Vale Base Metals*, a subsidiary of Vale): at
    least three words, a company's head word at the end, and the mentions it covers being states, places or
    companies, before the last two words, that leave two words of its own. Those are then not mentioned there."""
    if len(words) < 3 or _head_class(words, reference.lexicon) != "Company":
        return None
    if any(fold(w) in reference.lexicon.words("conjunction") or w == "&" for w in words):
        return None  # *Serra Verde and Aclara Resources* are two
    start, end = spans[0][0], spans[-1][1]
    covered = [m for m in mentions if m.start < end and start < m.end]
    if not covered or not all(_is_place(m.entity, reference) or _is_company(m.entity, reference) for m in covered):
        return None
    if not all(any(m.start == s and m.end == e for s, e in spans) for m in covered):
        return None  # a state inside a word (*U.S.-based*) is no part of a name
    if any(m.end > spans[-2][1] for m in covered) or len(covered) > len(words) - 2:
        return None  # the head word is the name's own, and so is one word more
    name = " ".join(words)
    forms = reference.lexicon.words("legal_form")
    if name.endswith(".") and fold(words[-1]) not in forms:
        name = name[:-1]  # the sentence's stop after *Pte*, not the one of *S.A.*
    return Candidate(name, "Company", start, start + len(name))


def mineral_place_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies named by a mineral and a state or a place (*Rare Earths Norway*, *Lithium Australia*,
    *Graphite India*): a mineral's name written in capitals right before a state's or place's name, also in
    capitals; or by a nationality and a one-word mineral, both in capitals, not opening the sentence
    (*d'American Lithium*, *Australian Vanadium*). The mineral opening its sentence counts only when more than its first letter is a capital
    (*Rare Earths Norway reports*), since a sentence opens with a capital anyway (*Lithium Chile* there
    could be a heading's words).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    if title_case(text):
        return []  # *China Minmetals Strengthens Its Portfolio with Brazilian Nickel Purchase*
    projects = reference.lexicon.words("project")
    found = []
    ordered = sorted(mentions, key=lambda m: m.start)
    for first, second in zip(ordered, ordered[1:]):
        following = re.match(r"\s+([\w-]+)", text[second.end - offset :])
        if following and fold(following.group(1)) in projects:
            continue  # *Zambian Copper mine*: what the mine yields
        # *American Lithium*, *Australian Vanadium*: a nationality written before a mineral in capitals
        if first.via == "demonym" and _is_mineral(second.entity, reference) and " " not in second.text:
            if text[first.end - offset : second.start - offset] == " " and first.text[:1].isupper():
                # a capitalised word right before the nationality is the name's too (*Pan American Silver*)
                before = re.search(r"(?:^|\s)([A-Z][\w'’-]*) $", text[: first.start - offset])
                stop = common_words() | reference.lexicon.words("entity_stopword")
                lead = before and fold(before.group(1)) not in stop and before.group(1)
                if lead and any(m.end == first.start - 1 for m in mentions):
                    lead = None  # *Glencore American Lithium*: two names
                start = first.start - (len(lead) + 1 if lead else 0)
                # and a company's head word right after the mineral (*Tajik Aluminium Company*)
                head = re.match(r" ([A-Z][\w-]*)\b", text[second.end - offset :])
                end = second.end
                if head and fold(head.group(1)) in reference.lexicon.words("company_head"):
                    end += head.end()
                if second.text[:1].isupper() and (start - offset > 0 or lead):
                    name = text[start - offset : end - offset]
                    found.append(Candidate(name, "Company", start, end))
            continue
        if (
            _is_place(first.entity, reference)
            and first.via != "demonym"
            and _is_mineral(second.entity, reference)
            and text[first.end - offset : second.start - offset] == " "
            and first.text[:1].isupper()
            and all(w[:1].isupper() for w in second.text.split())
        ):
            # *Argentina Lithium & Energy*, *Japan Australia Rare Earths*: a state's name (or two) before a mineral
            # in capitals, with the capitalised words after it (*Japan Australia Gallium Associates*); not a
            # partnership's or a plant's name (*the India-Australia Critical Minerals Investment Partnership*,
            # *BYD Chile Lithium Cathode Plant*); opening its sentence only with more words after the mineral
            start = first.start
            state_before = next((m for m in mentions if m.end == start - 1 and _is_place(m.entity, reference)), None)
            if state_before and state_before.via != "demonym" and text[state_before.end - offset] == " ":
                start = state_before.start
            before = text[: start - offset]
            if re.search(r"[\w-]$", before) or re.search(r"[A-Z][\w-]* $", before):
                continue
            tail = re.match(r"(?: ?& ?[A-Z][\w-]*)?(?: [A-Z][\w-]*){0,3}", text[second.end - offset :]).group(0)
            tail_words = {fold(w) for w in re.findall(r"[\w-]+", tail)}
            if tail_words & (projects | reference.lexicon.words("agreement_kind")):
                continue
            opens = not before.strip() or before.rstrip()[-1:] in ".!?:"
            if not opens or tail:
                end = second.end + len(tail)
                found.append(Candidate(text[start - offset : end - offset], "Company", start, end))
            continue
        mineral, place = first, second
        if not (_is_mineral(mineral.entity, reference) and _is_place(place.entity, reference)):
            continue
        if text[mineral.end - offset : place.start - offset] != " " or place.via == "demonym":
            continue
        words = mineral.text.split()
        if not all(w[:1].isupper() for w in words) or not place.text[:1].isupper():
            continue
        opens = not text[: mineral.start - offset].strip() or text[: mineral.start - offset].rstrip()[-1:] in ".!?"
        if opens and len(words) < 2:
            continue
        name = text[mineral.start - offset : place.end - offset]
        found.append(Candidate(name, "Company", mineral.start, place.end))
    return found


_APPOSED_NAME = re.compile(r"([A-ZÀ-Þ][\w'’&.-]*(?:\s+[A-ZÀ-Þ][\w'’&.-]*){0,3})\s*,\s*")


def apposed_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies named with what they are in apposition (*from Rimbal, a company controlled by…*, *COBCO, société
    de droit marocain*): a capitalised name followed by a comma, lower-case words and, among the next four, a
    company word of the lexicon. A lone word that opens the sentence (*However, the company…*) is not taken.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    cues = lexicon.words("company_cue")
    stop = lexicon.words("entity_stopword") | _not_given_names(reference) | common_words()
    articles = lexicon.words("article")
    found = []
    for match in _APPOSED_NAME.finditer(text):
        following = re.match(r"(?:[\w-]+\s+)?[\w-]+", text[match.end() :])
        words_after = [fold(w) for w in following.group(0).split()] if following else []
        if words_after[:1] and words_after[0] in articles:
            words_after = words_after[1:]
        if not words_after or words_after[0] not in cues:
            continue
        name = match.group(1)
        words = name.split()
        if fold(words[0]) in stop or len(words) == 1 and not text[: match.start()].strip() or person_name(words):
            continue
        start, end = offset + match.start(1), offset + match.end(1)
        if len(name) < 3 or any(m.start < end and start < m.end for m in mentions):
            continue
        found.append(Candidate(name, "Company", start, end))
    return found


_OBJECT_NAME = re.compile(r"\s+((?:[A-ZÀ-Þ][\w'’&.-]*)(?:\s+[A-ZÀ-Þ][\w'’&.-]*){0,3})")


def deal_objects(
    text: str, offset: int, mentions: list[Mention], reference: Reference, context: str = ""
) -> list[Candidate]:
    """Companies named as what a deal buys or invests in (*Ganfeng Lithium rachète Lithea*, *acquires a stake in
    Alunorte*, *prend une participation dans Lithium Americas*): the capitalised words right after a lexicon
    ``deal_object_cue``, when no other mention covers them and they are not a person's name, nor a project's
    that ``context`` (the text around the sentence) names with a project word (*acquired Tanbreez* and *the
    Tanbreez project*), nor an asset bought from someone (*to acquire Tanbreez from Rimbal*).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    if title_case(text):
        return []  # *Shareholders Approve Acquisition of Majority Stake in Mopani*: a headline's capitals
    lexicon = reference.lexicon
    stop = lexicon.words("entity_stopword") | _not_given_names(reference) | common_words()
    folded = fold(text)
    found = []
    for cue in _phrases_pattern(reference, "deal_object_cue").finditer(folded):
        match = _OBJECT_NAME.match(text, cue.end())
        if not match:
            continue
        words = match.group(1).rstrip(".,").split()
        while words and fold(words[-1]) in stop:
            words = words[:-1]
        if not words or fold(words[0]) in stop or person_name(words):
            continue
        name = " ".join(words)
        start = offset + match.start(1)
        end = start + len(name)
        if len(name) < 3 or text[start - offset : end - offset] != name:
            continue
        if any(m.start < end and start < m.end for m in mentions):
            continue
        if named_as_project(name, fold(context or text), reference):
            continue
        if re.match(r"\s+(?:from|auprès de|à)\s", text[end - offset :]):
            continue  # *to acquire Tanbreez from Rimbal*: an asset bought from its owner
        found.append(Candidate(name, "Company", start, end))
    return found


_CUED_NAME = re.compile(r"((?:[A-ZÀ-Þ][\w'’&.°-]*|&)(?:\s+(?:[A-ZÀ-Þ][\w'’&.°-]*|&)){0,4})")


def _cued_name(
    text: str, at: int, offset: int, mentions: list[Mention], reference: Reference, stop: frozenset[str]
) -> tuple[Candidate | None, int]:
    """The company named by the capitalised words at ``at`` (see :func:`cued_companies`), or None when they
    name no new company, with where the words end (0 when there are none)."""
    match = _CUED_NAME.match(text, at)
    words = match.group(1).rstrip(".,").split() if match else []
    while words and (fold(words[-1]) in stop or words[-1] == "&"):
        words = words[:-1]
    if not words or fold(words[0]) in stop or words[0][0].isdigit():
        return None, 0
    name = " ".join(words)
    start = offset + match.start(1)
    end = start + len(name)
    if len(name) < 2 or text[start - offset : end - offset] != name:
        return None, 0
    covered = [m for m in mentions if m.start < end and start < m.end]
    if not covered and person_name(words):
        return None, end - offset  # *company founder Jane Doe*; *Hong Kong CBC* opens with a place
    if any(m.start < start or m.end > end for m in covered):
        return None, 0  # a longer name that runs past the cue's words
    if any(m.start == start and m.end == end for m in covered):
        return None, end - offset  # already known (*le groupe Eramet*)
    if not all(_is_place(m.entity, reference) or _is_mineral(m.entity, reference) for m in covered):
        return None, end - offset  # places and minerals may be part of a name (*AMG Vanadium*)
    return Candidate(name, "Company", start, end), end - offset


def cued_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies named right after what they are (lexicon ``company_cue``): *the Chinese company Hong Kong
    CBC*, *Australian miner Lynas Rare Earths*, *la société privée Lithea*, *le groupe minier marocain Al
    Mada*: the capitalised words after the cue and at most two lower-case words (French puts its adjectives
    there). Places and states inside the name are part of it (*Hong Kong CBC*); a name that another mention
    already covers whole, a person's name and a role (*company CEO Jane Doe*) are not taken.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    stop = lexicon.words("entity_stopword") | _not_given_names(reference) | common_words()
    folded = fold(text)
    found = []
    for cue in _phrases_pattern(reference, "company_cue").finditer(folded):
        if not text[cue.start()].islower():
            continue  # part of a name (*Hyundai Motor Company*) or of a title-case headline
        adjectives = re.match(r"(?:\s+[a-zà-ÿ][\w-]*){0,2}?\s+(?=[A-ZÀ-Þ])", text[cue.end() :])
        if not adjectives or any(
            fold(w) in stop or fold(w) in lexicon.words("company_cue") for w in adjectives.group(0).split()
        ):
            continue
        at = cue.end() + adjectives.end()
        plural = folded[cue.start() : cue.end()].endswith("s")
        while True:
            candidate, after = _cued_name(text, at, offset, mentions, reference, stop)
            if candidate is not None:
                found.append(candidate)
            listed = re.match(r"\s*(?:,|and|et|&)\s+(?=[A-ZÀ-Þ])", text[after:]) if plural and after else None
            if not listed:
                break
            at = after + listed.end()  # *the companies AMG Lithium, AMG Vanadium and AMG Technologies*
    return found


#: Lexicon categories whose words make a name after a state's possessive something else than a company: a role
#: (*China's President Xi Jinping*), a body, a project, a measure, an agreement, a place or a law.
_NOT_COMPANY_WORDS = (
    "role",
    "body_head",
    "institution",
    "project",
    "measure",
    "agreement_kind",
    "place_head",
    "region_word",
    "law_cue",
    "organisation_cue",
    "direction_word",
)


def _not_company_words(reference: Reference) -> frozenset[str]:
    """The words, longer than three letters, of the lexicon categories that name what a company is not
    (:data:`_NOT_COMPANY_WORDS`), folded."""
    key = "words:not_company"
    if key not in reference.derived:
        reference.derived[key] = frozenset(
            fold(word)
            for category in _NOT_COMPANY_WORDS
            for phrase in reference.lexicon.words(category)
            for word in phrase.split()
            if len(word) > 3
        )
    return reference.derived[key]


def possessive_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies no list holds, named right after a state's possessive (*South Korea's HS Hyosung*,
    *Germany's Thyssenkrupp Materials*): the capitalised words after it, checked as a cued company's name
    (:func:`_cued_name`: not a person's, not a known name), holding no word of a role, a body, a project, a
    measure, an agreement, a place or a law (*China's President Xi Jinping*, *Canada's Critical Minerals
    Strategy*, *Australia's Northern Territory*); a single word only when written as an acronym.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    not_company = _not_company_words(reference)
    after_states = [
        m.end - offset + possessive.end()
        for m in mentions
        if (entity := reference.entities.get(m.entity)) is not None
        and entity.cls == "State"
        and m.via != "demonym"
        and (possessive := re.match(r"['’]s\s+(?=[A-ZÀ-Þ])", text[m.end - offset :]))
    ]
    if not after_states or title_case(text):
        return []
    stop = reference.lexicon.words("entity_stopword") | _not_given_names(reference) | common_words()
    found = []
    for at in after_states:
        candidate, _ = _cued_name(text, at, offset, mentions, reference, stop)
        if candidate is None or any(fold(w) in not_company for w in candidate.name.split()):
            continue
        following = re.match(r"\s+([\w-]+)", text[candidate.end - offset :])
        if following and fold(following.group(1)) in not_company:
            continue  # *Zambia's Lubambe Copper Mine*: a mine's name
        if " " in candidate.name or len(candidate.name) >= 3 and candidate.name.isupper():
            found.append(candidate)  # one word only as an acronym (*China's CATL*): *Sweden's Kiruna* is a town
    return found


def signing_subjects(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """A company no list holds, named as the subject that opens a sentence and signs, buys or invests (lexicon
    ``status_signed``, ``stake_verb``, ``investment_verb``, ``sale_verb``; at most two lower-case words between, such as an
    auxiliary): *Lilac signe un accord de 10 ans avec Traxys*, *Lilac Solutions a signé avec Traxys North
    America*, *Atlas Minerals has acquired…*. The name is checked as a cued company's (:func:`_cued_name`):
    not a person's, not a known name, no function word.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    key = "pattern:subject_verbs"
    if key not in reference.derived:
        lexicon = reference.lexicon
        verbs = lexicon.words("status_signed") | lexicon.words("stake_verb") | lexicon.words("investment_verb")
        verbs |= lexicon.words("sale_verb")
        alternation = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True)) or "(?!)"
        reference.derived[key] = re.compile(rf"\s+(?:[a-zà-ÿ]+\s+){{0,2}}?(?:{alternation})(?!\w)")
    stop = reference.lexicon.words("entity_stopword") | _not_given_names(reference) | common_words()
    at = len(text) - len(text.lstrip())
    candidate, after = _cued_name(text, at, offset, mentions, reference, stop)
    if (
        candidate is None
        or re.match(r"[LD]['’]", candidate.name)
        or not reference.derived[key].match(fold(text), after)
    ):
        return []  # *L'accord, signé…* opens with an article
    return [candidate]


def named_as_project(name: str, folded_context: str, reference: Reference) -> bool:
    """True when the text names ``name`` with a project word right before or after it (*the Tanbreez
    project*, *le gisement de Manono*)."""
    if "project_words" not in reference.derived:
        phrases = sorted(reference.lexicon.words("project"), key=len, reverse=True)
        reference.derived["project_words"] = "|".join(re.escape(w) for w in phrases) or "(?!)"
    if "project_mineral_words" not in reference.derived:
        minerals = sorted(_mineral_words(reference), key=len, reverse=True)
        reference.derived["project_mineral_words"] = "|".join(re.escape(w) for w in minerals) or "(?!)"
    words = reference.derived["project_words"]
    minerals = reference.derived["project_mineral_words"]
    key = re.escape(fold(name))
    # a mineral may come between (*the Lubambe Copper Mine*)
    return bool(
        re.search(
            rf"(?<!\w){key}\s+(?:(?:{minerals})\s+)?(?:{words})(?!\w)|(?<!\w)(?:{words})\s+(?:de\s+|d')?{key}(?!\w)",
            folded_context,
        )
    )


def _phrases_pattern(reference: Reference, category: str) -> re.Pattern[str]:
    """The folded phrases of a lexicon category as one pattern over folded text, longest first; compiled once
    per reference (``Reference.derived``)."""
    key = f"pattern:{category}"
    if key not in reference.derived:
        phrases = sorted(reference.lexicon.words(category), key=len, reverse=True) or ["(?!)"]
        alternation = "|".join(re.escape(p) if p != "(?!)" else p for p in phrases)
        reference.derived[key] = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return reference.derived[key]


_NAME_WORD = r"[A-ZÀ-Þ][\w'’-]*[\w]"


def role_persons(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Persons whose given name no list holds, named after their role (*Mineral Resources Minister Gwede
    Mantashe*, *chief executive Thras Moraitis*, *le ministre congolais des Mines, Kizito Pakabomba*): two or
    three capitalised words right after a role of the lexicon, or after the role, what it is of (linking words,
    a nationality, capitalised words) and a comma.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    folded = fold(text)
    heads = lexicon.words("company_head") | lexicon.words("body_head") | lexicon.words("place_head")
    not_given_names = _not_given_names(reference)
    linking = lexicon.words("linking_word") | lexicon.words("conjunction")
    pattern = _phrases_pattern(reference, "role")
    found = []
    demonyms = [(m.start - offset, m.end - offset) for m in mentions if m.via == "demonym"]
    for role in pattern.finditer(folded):
        tail = text[role.end() :]
        # *le président kazakh Kassym-Jomart Tokayev*: a nationality between the role and the name
        nationality = next((e for s, e in demonyms if re.fullmatch(r"\s+", text[role.end() : s] or "x")), None)
        skip = nationality - role.end() if nationality is not None else 0
        # *Energy Minister Prince Abdulaziz bin Salman*: particles between the words of a name
        name = re.match(rf"\s+({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}})(?![\w'’-])", tail[skip:])
        of = re.match(r"\s+((?:[\w'’-]+\s+){0,6}?[\w'’-]+),\s+", tail)
        if of and not name:
            words = re.findall(r"[\w-]+", fold(of.group(1)))
            capitalised = {f for w in re.findall(r"[\w-]+", of.group(1)) if w[:1].isupper() for f in fold(w).split()}
            # what the role is of: linking words, names and, after a nationality or a linking word, the
            # domain's common nouns (*le ministre sud-africain du pétrole et des ressources minérales, Gwede
            # Mantashe*)
            opened = bool(words) and (words[0] in linking or skip > 0 or nationality is not None)
            if all(w in linking or w in not_given_names or w in capitalised or opened for w in words):
                name = re.match(rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})(?![\w'’-])", tail[of.end() :])
                start = offset + role.end() + of.end() if name else 0
        elif name:
            start = offset + role.end() + skip + name.start(1)
        if not name:
            # *Minister of Mines Ousmane Abarchi*, *Minister of Industry and Economic Security Nusrat Ghani*:
            # what the role is of, then the name in the run's last two words
            # (*le ministre indien du Commerce Piyush Goyal*: after a nationality, in French)
            domain = re.match(
                rf"\s+(?:of|for|du|des|de\s+la|de\s+l['’]|de)\s*((?:{_NAME_WORD}\s+(?:and\s+|et\s+)?)+?)"
                rf"({_NAME_WORD}\s+{_NAME_WORD})"
                r"(?![\w'’-]|\s+[A-ZÀ-Þ])",  # the last two words of the run
                tail[skip:],
            )
            if domain:
                name = domain
                start = offset + role.end() + skip + domain.start(2)
                # *President of Mexico Andres Manuel Lopez Obrador*: from a given name, when one comes earlier
                before = domain.group(1).split()
                given = next(
                    (k for k, w in enumerate(before) if fold(w) in _first_names() and "and" not in before[k:]), None
                )
                if given is not None and len(before) - given <= 2:
                    start -= len(" ".join(before[given:])) + 1
        if not name:
            continue
        if name.lastindex == 2:  # the run after what the role is of
            person = text[start - offset : role.end() + skip + name.end(2)]
        else:
            person = re.sub(r"['’]s$", "", name.group(1))
        if any(fold(w) in heads or fold(w) in not_given_names for w in person.split()):
            continue
        end = start + len(person)
        if any(m.start < end and start < m.end for m in mentions):
            continue
        found.append(Candidate(person, "Person", start, end))
    return found


def persons_before_roles(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Persons whose given name no list holds, named before their role in apposition (*Mourod Djoumazoda,
    directeur-adjoint de Talco Gold*, *Jane Tembo, the company's chief executive*, *Kholmakhmad Khakimzoda,
    chargé des travaux*, *Dele Alake, Nigeria's Minister of Solid Minerals*): two or three capitalised words, a
    comma, at most two lower-case words (an article, an adjective, a possessive) or a state's possessive, and a
    role of the lexicon.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    heads = lexicon.words("company_head") | lexicon.words("body_head") | lexicon.words("place_head")
    stop = _not_given_names(reference) | common_words()
    found = []
    for role in _phrases_pattern(reference, "role").finditer(fold(text)):
        possessed = re.search(r"[A-ZÀ-Þ][\w-]*['’]s\s+$", text[: role.start()])
        if not text[role.start()].islower() and not possessed:
            continue  # *President Biden* opens a name; in apposition the role is written in lower case
        name = re.search(
            rf"(?<![\w'’-])({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}),\s+"
            rf"(?:(?:[a-zà-ÿ][\w'’-]*|[A-ZÀ-Þ][\w-]*['’]s)\s+){{0,2}}$",
            text[: role.start()],
        )
        if not name:
            continue
        words = name.group(1).split()
        if any(fold(w) in heads or fold(w) in stop for w in words):
            continue
        start, end = offset + name.start(1), offset + name.end(1)
        if any(m.start < end and start < m.end for m in mentions):
            continue
        found.append(Candidate(name.group(1), "Person", start, end))
    return found


def reported_persons(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Persons whose given name no list holds, named as who speaks: two or three capitalised words right after a
    reporting cue and closing the clause (lexicon ``reporting_cue``: *a déclaré Bahlil Lahadalia, selon…*,
    *according to Ousmane Abarchi,*; not *said Mt Cattlin was*) or right before a reporting verb after a comma or at a sentence's start (``reporting_verb``: *…," Dele
    Alake said*), overlapping no other mention and holding no company, body or place word, common word or
    month.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    lexicon = reference.lexicon
    heads = lexicon.words("company_head") | lexicon.words("body_head") | lexicon.words("place_head")
    stop = _not_given_names(reference) | common_words() | heads
    name_run = rf"({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,2}})"
    spans = []
    for cue in _phrases_pattern(reference, "reporting_cue").finditer(fold(text)):
        name = re.match(rf"\s+{name_run}(?=\s*[,.;:»”\"]|\s*$)", text[cue.end() :])
        if name:
            spans.append((cue.end() + name.start(1), cue.end() + name.end(1)))
    for verb in _phrases_pattern(reference, "reporting_verb").finditer(fold(text)):
        name = re.search(rf"(?:^|[,”\"»]\s*){name_run}\s+$", text[: verb.start()])
        if name:
            spans.append((name.start(1), name.end(1)))
    found = []
    for start, end in spans:
        words = text[start:end].split()
        if any(fold(w) in stop for w in words if w not in _PARTICLES):
            continue
        if any(m.start < offset + end and offset + start < m.end for m in mentions):
            continue
        found.append(Candidate(text[start:end], "Person", offset + start, offset + end))
    return found


def _towns(reference: Reference) -> frozenset[str]:
    """The folded names of ``ontology/generated/towns.csv`` and ``subdivisions.csv`` (none of a file that is
    absent), read once per reference."""
    if "towns" not in reference.derived:
        names: set[str] = set()
        for file_name in ("towns.csv", "subdivisions.csv"):
            path = reference.ontology_dir / "generated" / file_name
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as handle:
                    names |= {fold(row["name"]) for row in csv.DictReader(handle)}
        reference.derived["towns"] = frozenset(names)
    return reference.derived["towns"]


def regions_before_their_word(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Towns and subdivisions that no reference list holds (``towns.csv``, ``subdivisions.csv``) named right
    before a region's word in lower case (lexicon ``region_word``: *Nasarawa state*, *Sughd province*; French
    puts it first, see :func:`regions_named`): the longest such run of capitalised words ending at the word, overlapping
    no other mention.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    towns = _towns(reference)
    found = []
    if "pattern:before_region_word" not in reference.derived:
        region_words = "|".join(re.escape(w) for w in sorted(reference.lexicon.words("region_word"))) or "(?!)"
        reference.derived["pattern:before_region_word"] = re.compile(
            rf"\b([A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){{0,2}})\s+(?=(?:{region_words})\b)"
        )
    for run in reference.derived["pattern:before_region_word"].finditer(text):
        words = run.group(1).split()
        while words and fold(" ".join(words)) not in towns:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        end = offset + run.end(1)
        start = end - len(name)
        if not any(m.start < end and start < m.end for m in mentions):
            found.append(Candidate(name, "Place", start, end))
    return found


_TOWN_RUN = re.compile(r"\s+([A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){0,2})")


def _unmentioned_place(words: list[str], run: re.Match[str], offset: int, mentions: list[Mention]) -> list[Candidate]:
    """The place named by the first ``words`` of a :data:`_TOWN_RUN` match, as a one-item list, or none when
    another mention overlaps it (what :func:`located_towns`, :func:`regions_named` and :func:`project_places`
    keep once they have chosen the words)."""
    name = " ".join(words)
    start = offset + run.start(1)
    end = start + len(name)
    if any(m.start < end and start < m.end for m in mentions):
        return []
    return [Candidate(name, "Place", start, end)]


def _known_prefix(words: list[str], names: frozenset[str]) -> list[str]:
    """The longest first words of ``words`` whose folded join is one of ``names`` (none when no prefix is)."""
    while words and fold(" ".join(words)) not in names:
        words = words[:-1]
    return words


def located_towns(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Towns that no reference list holds, where something happens: a town of ``towns.csv`` (GeoNames' towns
    of 15,000 people) named right after a locative (lexicon ``locative``: *near Kokkola*, *in Kiruna*, *à
    Niquelândia*), the longest such run of capitalised words, overlapping no other mention. Not after a
    stake's or an investment's word (*a stake in*, *invested in*), where a company is named.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    towns = _towns(reference)
    if not towns:
        return []
    folded = fold(text)
    stakes = [c.span() for c in _phrases_pattern(reference, "stake_cue").finditer(folded)]
    investing = [c.end() for c in _phrases_pattern(reference, "investment_verb").finditer(folded)]
    found = []
    for locative in _phrases_pattern(reference, "locative").finditer(folded):
        if any(s <= locative.start() < e for s, e in stakes) or any(0 <= locative.start() - e <= 20 for e in investing):
            continue
        run = _TOWN_RUN.match(text, locative.end())
        if not run:
            continue
        words = _known_prefix(run.group(1).split(), towns)
        if not words or fold(words[0]) in _not_given_names(reference):
            continue  # *in March*, *in June*: a month, not the town
        found += _unmentioned_place(words, run, offset, mentions)
        # and the towns listed after it (*in Kogi, Kwara, Ekiti, and Cross River States*, *in Santa Cruz,
        # Zambales*)
        end = run.start(1) + len(" ".join(words))
        while listed := re.match(r",?\s+(?:and|et)\s+|,\s+", text[end:]):
            run = _TOWN_RUN.match(text, end + listed.end() - 1)
            words = _known_prefix(run.group(1).split(), towns) if run else []
            if not words:
                break
            found += _unmentioned_place(words, run, offset, mentions)
            end = run.start(1) + len(" ".join(words))
    return found


def regions_named(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Regions that no list holds, named after what they are (lexicon ``region_of``: *the central state of
    Pahang*, *the province of Salta*, *le département de Potosí*): the capitalised words right after, overlapping
    no other mention and not a common word or a month.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    stop = _not_given_names(reference) | common_words()
    found = []
    for cue in _phrases_pattern(reference, "region_of").finditer(fold(text)):
        run = _TOWN_RUN.match(text, cue.end())
        if not run:
            continue
        words = run.group(1).rstrip(".,").split()
        if not words or fold(words[0]) in stop:
            continue
        found += _unmentioned_place(words, run, offset, mentions)
    return found


def project_places(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Places that no list holds, named where a project is: a project word (lexicon ``project``), a locative
    and capitalised words (*the lithium mine in Boticas*, *the Mt Cattlin mine in Ravensthorpe*, *une usine à
    Bécancour*), overlapping no other mention, and not a month, a common word or a person's name.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    folded = fold(text)
    stop = _not_given_names(reference) | common_words()
    locatives = _phrases_pattern(reference, "locative")
    found = []
    for trigger in _phrases_pattern(reference, "project").finditer(folded):
        locative = (
            locatives.match(folded, trigger.end() + 1) if folded[trigger.end() : trigger.end() + 1] == " " else None
        )
        if not locative:
            continue
        run = _TOWN_RUN.match(text, locative.end())
        if not run:
            continue
        words = run.group(1).rstrip(".,").split()
        if not words or fold(words[0]) in stop or person_name(words):
            continue
        found += _unmentioned_place(words, run, offset, mentions)
    return found


_BODY_OBJECT = re.compile(
    r"\s+(?:délégué\s+|chargé\s+)?(?:des|du|de\s+la|de\s+l['’]|de|d['’]|pour\s+l['’]|pour\s+la|pour\s+le)\s*([\w-]+)"
    r"((?:\s+(?!et\b)[\w-]+)?)((?:\s+et\s+(?:des|du|de\s+la|de\s+l['’]|de|d['’])\s*[\w-]+)?)"
)


def institutions(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """A state's institutions named by what they are (``institution``: *the cabinet*, *the Mexican Congress*,
    *le Parlement mongol*, *le Congrès*): a government body of the state its nationality gives, else of the
    sentence's nearest state, named as written (*Mexican Congress (Mexico)*, *Cabinet (Namibia)*); left out
    when the sentence names no state, or when the words are part of a longer name (*European Parliament*).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    found = []
    for word in _phrases_pattern(reference, "institution").finditer(fold(text)):
        start, end = offset + word.start(), offset + word.end()
        before = next((m for m in mentions if m.via == "demonym" and 0 <= start - m.end <= 1), None)
        after = next((m for m in mentions if m.via == "demonym" and 0 <= m.start - end <= 1), None)
        nationality = before or after
        first = nationality.start if before else start
        last = nationality.end if after else end
        if any(m.start < last and first < m.end and m is not nationality for m in mentions):
            continue
        preceding = re.search(r"([A-ZÀ-Þ][\w-]*)(?<!['’]s)[ \t]+$", text[: first - offset])
        if re.match(r"[ \t]*[A-ZÀ-Þ]", text[last - offset :]) or (
            preceding
            and fold(preceding.group(1))
            not in reference.lexicon.words("entity_stopword") | reference.lexicon.words("article")
        ):
            continue  # part of a capitalised name (*Congress Party*, *the African National Congress*)
        name = text[first - offset : last - offset]
        name = name[0].upper() + name[1:]
        state = reference.entities.get(nationality.entity) if nationality else None
        if state is not None and state.cls == "State":
            found.append(Candidate(f"{name} ({state.name})", "GovernmentBody", first, last))
            continue
        candidate = Candidate(name, "GovernmentBody", first, last)
        states = [m for m in mentions if (e := reference.entities.get(m.entity)) is not None and e.cls == "State"]
        qualified = qualified_body(
            candidate, [m for m in states if m.via != "demonym"] or states, reference, text, offset
        )
        if qualified is not candidate:
            found.append(qualified)
    return found


def bracketed_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies named in words of the language, opening with a company word in capitals (lexicon
    ``company_opening``: *Société*, *Compagnie*, *Entreprise*, *Empresa*) and given an abbreviation in brackets
    right after (*la Société aurifère du Kivu et du Maniema (Sakima)*, *Empresa Nacional de Minería (ENAMI)*):
    the words up to the bracket, at most eight, the last in capitals; the places they hold are the name's.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    openings = reference.lexicon.words("company_opening")
    found = []
    for match in re.finditer(r"(?<![\w-])([A-ZÀ-Þ][\w-]*)((?:\s+[\w'’-]+){1,8}?)\s+\(([A-Z][A-Za-z]{1,9})\)", text):
        if fold(match.group(1)) not in openings or not match.group(2).split()[-1][:1].isupper():
            continue
        start, end = offset + match.start(1), offset + match.end(2)
        if any(m.start <= start and end <= m.end for m in mentions):
            continue  # a name the reference holds
        found.append(Candidate(text[match.start(1) : match.end(2)], "Company", start, end))
    return found


_LISTED_NAME = r"[A-ZÀ-Þ][\w&'’-]*(?:\s+[A-ZÀ-Þ][\w&'’-]*){0,2}"
_NAME_LIST = re.compile(rf"\s*({_LISTED_NAME})((?:\s*,\s*{_LISTED_NAME})*)\s*,?\s+(?:and|et)\s+({_LISTED_NAME})")


def listed_companies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies listed after a word for companies and an example cue (*trois fournisseurs de minerais
    canadiens, à savoir Electra, Avalon et Snowlake*, *miners such as Pilbara, Liontown and Core*): each
    capitalised name of a list of two or more joined by *and*/*et*, when no mention covers it and it is not a
    person's name.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    folded = fold(text)
    cues = [c.end() for c in _phrases_pattern(reference, "company_cue").finditer(folded)]
    if not cues:
        return []
    found = []
    for example in _phrases_pattern(reference, "example_cue").finditer(folded):
        if not any(0 <= example.start() - cue <= 40 for cue in cues):
            continue
        listed = _NAME_LIST.match(text, example.end())
        if not listed:
            continue
        names = [(listed.group(1), listed.start(1))]
        names += [
            (m.group(1), listed.start(2) + m.start(1))
            for m in re.finditer(rf"\s*,\s*({_LISTED_NAME})", listed.group(2))
        ]
        names.append((listed.group(3), listed.start(3)))
        for name, at in names:
            start, end = offset + at, offset + at + len(name)
            if any(m.start < end and start < m.end for m in mentions) or person_name(name.split()):
                continue
            found.append(Candidate(name, "Company", start, end))
    return found


def initialism_names(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Companies given with their initials in brackets right after them (*Prime Planet Energy & Solutions
    (PPES)*): the capitalised words before the bracket whose initials, connectors (lexicon ``name_connector``)
    and ampersands aside, spell the abbreviation; not a body's name (its state is read elsewhere); none when
    its last word is one of a role, a project, a law, a stage, a programme or a group (*Inflation Reduction Act
    (IRA)*, *Direct Lithium Extraction (DLE)*), nor when a mention covers it all or the reference knows it by
    its first words or its initials.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    connectors = reference.lexicon.words("name_connector")
    found = []
    for bracket in re.finditer(r"\s\(([A-Z][A-Z0-9]{1,6})\)", text):
        letters = bracket.group(1)
        # (the words just before the bracket: two per letter at most, connectors and ampersands included)
        window = max(0, bracket.start() - 40 * len(letters))
        words = list(re.finditer(r"[\w'’.-]+|&|[,;:\"“”«»]", text[window : bracket.start()]))
        initials, first = "", None
        for word in reversed(words):
            token = word.group(0)
            if token == "&" or fold(token) in connectors:
                continue
            if not token[:1].isupper() or re.search(r"['’]s$", token):
                break  # a comma or a quote ends the name; a possessive is no part of it
            initials = token[0] + initials
            first = word
            if len(initials) >= len(letters):
                break
        if first is None or initials != letters or len(letters) < 2:
            continue
        name = text[window + first.start() : bracket.start()]
        start, end = offset + window + first.start(), offset + bracket.start()
        if any(m.start <= start and end <= m.end for m in mentions):
            continue
        if any(m.start == start and _is_company(m.entity, reference) for m in mentions):
            continue  # *Nickel Asia Corp. (NAC)*: a known company with its legal form
        abbreviation = offset + bracket.start(1)
        if any(m.start == abbreviation and m.entity in reference.entities for m in mentions):
            continue  # *Critical Minerals Facilitation Office (CMFO)*: the reference knows it by its initials
        name_words = name.split()
        if _head_class(name_words, reference.lexicon) == "GovernmentBody":
            continue  # a body's name: the rules that know its state read it
        head = fold(name_words[-1])
        if head in _not_company_words(reference) or head in reference.lexicon.words_of(
            "law_cue", "stage", "initiative_word", "group_noun"
        ):
            continue  # what the head word names (*Inflation Reduction Act*, *Direct Lithium Extraction*)
        found.append(Candidate(name, "Company", start, end))
    return found


def subsidiary_names(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """Subsidiaries named by their parent and the state or place they work in, written together in capitals
    (*CMOC Singapore, a subsidiary of China's CMOC Group*, *Vale Indonesia*, *PT Freeport Indonesia*): a
    company of the reference data right before a state's or place's name, not followed by another capitalised
    word, nor in a title-case headline. The subsidiary is an entity of its own.

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    if title_case(text):
        return []
    ordered = sorted(mentions, key=lambda m: m.start)
    found = []
    for company, place in zip(ordered, ordered[1:]):
        if not (_is_company(company.entity, reference) and _is_place(place.entity, reference)):
            continue
        if place.via == "demonym" or text[company.end - offset : place.start - offset] != " ":
            continue
        if not place.text[:1].isupper() or re.match(r"['’]?\s*[A-Z]", text[place.end - offset :]):
            continue
        name = text[company.start - offset : place.end - offset]
        found.append(Candidate(name, "Company", company.start, place.end))
    return found


def lowercase_bodies(text: str, offset: int, mentions: list[Mention], reference: Reference) -> list[Candidate]:
    """French government bodies written in lower case, as French writes them (*le ministère chilien des
    affaires étrangères*, *ministère bolivien des Hydrocarbures et de l'Énergie*, *le secrétariat général pour
    l'investissement*): a body word of the lexicon (``lowercase_body``), an optional nationality, and what the
    body is for (a noun, an adjective by its ending, and a second noun after *et*). The body is
    named as written, with its state (the nationality's, else the nearest state of the sentence); a body
    whose state the sentence does not give is left out (every state has a *ministère de la Défense*).

    ``offset`` is the text's start in the document; ``mentions`` are in document offsets.
    """
    from spacy.lang.fr.stop_words import STOP_WORDS

    lexicon = reference.lexicon
    folded = fold(text)
    found = []
    for body in _phrases_pattern(reference, "lowercase_body").finditer(folded):
        end = body.end()
        nationality = next((m for m in mentions if m.via == "demonym" and 0 <= m.start - offset - end <= 1), None)
        if nationality is not None:
            end = nationality.end - offset
        purpose = _BODY_OBJECT.match(text, end)
        if purpose is None:
            continue
        end = purpose.end(1)
        adjective = purpose.group(2).strip()
        endings = tuple(lexicon.words("adjective_ending"))
        if adjective.islower() and fold(adjective) not in STOP_WORDS and fold(adjective).endswith(endings):
            end = purpose.end(3) if purpose.group(3) else purpose.end(2)  # not *finance*, *annoncé*: verbs
        elif not adjective and purpose.group(3):
            end = purpose.end(3)
        start = offset + body.start()
        stop = offset + end
        if any(m.start < stop and start < m.end and m is not nationality for m in mentions):
            continue
        name = text[body.start() : end]
        name = name[0].upper() + name[1:]
        candidate = Candidate(name, "GovernmentBody", start, stop)
        if nationality is not None:
            state = reference.entities.get(nationality.entity)
            if state is not None and state.cls == "State":
                found.append(Candidate(f"{name} ({state.name})", "GovernmentBody", start, stop))
                continue
        qualified = qualified_body(candidate, [m for m in mentions if m is not nationality], reference, text, offset)
        if qualified is not candidate:  # *le ministère de la Défense* alone: whose, the sentence does not say
            found.append(qualified)
    return found
