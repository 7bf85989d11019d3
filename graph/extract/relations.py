"""Relations: agreements, market shares and dependencies, measures, projects and persons' roles.

Each rule reads one sentence with its mentions, the trigger words of the lexicon and a little document
context (the two states last named together, the actors and minerals of the paragraph, the last date),
and returns facts carrying the sentence as evidence. Rules are general French (and English) patterns;
every word they look for is in ``ontology/patterns/lexicon.csv``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from graph.extract.facts import (
    AgreementFact,
    Amount,
    DateRef,
    Evidence,
    MeasureFact,
    ProjectFact,
    RoleFact,
    ShareFact,
)
from graph.extract.mentions import _PARTICLE, Mention, common_words
from graph.extract.reference import ACTOR_CLASSES, Lexicon
from graph.extract.text import fold
from graph.extract.values import DateValue, Percent, find_dates, find_money, find_percents
from graph.ingest.read import detect_language

#: Kinds of deal that companies and public bodies make (a state named beside them is usually a place).
_CORPORATE_KINDS = ("offtake", "joint_venture", "acquisition", "investment")
#: Who can impose a measure: a state, a union of states, or a government body (for its state).
_IMPOSERS = ("State", "InternationalOrganization", "GovernmentBody")
KIND_PRIORITY = (
    "framework",
    "mou",
    "trade",
    "treaty",
    "fund",
    "offtake",
    "joint_venture",
    "acquisition",
    "investment",
    "partnership",
    "roadmap",
    "agreement",
)
# the kinds of project that a company owns by name (*Electra's refinery*); a fund or a stockpile is not owned so
OWNED_KINDS = ("Plant", "Refinery", "Mine")
_QUOTED = re.compile(r"[«\"]\s*([^«»\"]{2,80}?)\s*[»\"]")


def _proper(patterns: Patterns) -> re.Pattern[str]:
    """A run of capitalised words joined by at most two of the lexicon's ``name_particle`` words (*Grota do
    Cirilo*, *Los Bronces*, *Mount Weld*), compiled once per lexicon."""
    if "proper_name" not in patterns.compiled:
        particles = "|".join(
            re.escape(w) for w in sorted(patterns.lexicon.words("name_particle"), key=len, reverse=True)
        )
        capitalised = r"[A-ZÉÈÀÂÎÔÛÇ][\w'’.-]*"
        patterns.compiled["proper_name"] = re.compile(
            rf"(?:{capitalised})(?:\s+(?:(?:{particles})\s+){{0,2}}{capitalised})*"
        )
    return patterns.compiled["proper_name"]


_LAW_NAME = re.compile(r"\b((?:[A-Z][\w-]*\s+){1,5}(?:Act|Bill|bill))\b")
_LOI_NAME = re.compile(
    r"\b((?:Loi|Règlement|Directive) (?:sur|relative?|pour|de) [^,.;:()«»0-9]{3,60}?)(?=\s*(?:\d|[,.;:()]|a été|est|sera|adopt))"
)


@dataclass
class Sentence:
    """A sentence of a document: ``start`` is its clean offset, mention offsets are sentence-relative."""

    doc_id: str
    paragraph: int
    start: int
    text: str
    mentions: list[Mention]


def _phrase_regex(phrase: str) -> str:
    """A lexicon phrase as a regular expression: literal words, ``*`` for any one word."""
    return r"\s+\w+\s+".join(re.escape(part) for part in phrase.split(" * "))


def trie_regex(phrases: list[str]) -> str:
    """One regular expression matching exactly ``phrases`` (literal text), shaped as a trie of their
    characters so that a position tries one branch per distinct next character instead of every phrase;
    longer phrases win, as in an alternation sorted longest first.

    >>> import re
    >>> pattern = re.compile(trie_regex(["export ban", "export", "exports", "ban"]))
    >>> [m.group(0) for m in pattern.finditer("exports, export ban, ban")]
    ['exports', 'export ban', 'ban']
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return pattern(trie)


@dataclass
class Patterns:
    """Lexicon categories compiled once into regular expressions over folded text."""

    lexicon: Lexicon
    compiled: dict[str, tuple[re.Pattern[str], dict[str, str]]] = field(default_factory=dict)

    def find(self, category: str, folded: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches of a category in folded text: (start, end, value). A ``*`` between
        words of a phrase stands for any one word (``suspended * exports``)."""
        if category not in self.compiled:
            mapping = self.lexicon.mapping(category)
            if not mapping:
                self.compiled[category] = (re.compile(r"(?!)"), {})
                return []
            else:
                # literal phrases in one trie-shaped group (the value looked up by the matched text), phrases
                # with a ``*`` each in its own group; longest first, as one alternation would take them
                literal = [p for p in mapping if " * " not in p]
                wild = sorted((p for p in mapping if " * " in p), key=len, reverse=True)
                alternation = "|".join(f"(?P<p{i}>{_phrase_regex(p)})" for i, p in enumerate(wild))
                if literal:
                    alternation = "|".join(filter(None, [alternation, f"(?P<literal>{trie_regex(literal)})"]))
                values = {f"p{i}": mapping[p] for i, p in enumerate(wild)}
                values.update({p: v for p, v in mapping.items() if " * " not in p})
                # a phrase that ends with an elision (*réserve d'*, *aux mains d'*) ends inside a word
                self.compiled[category] = (re.compile(rf"(?<!\w)(?:{alternation})(?:(?<=')|(?!\w))"), values)
        pattern, values = self.compiled[category]
        return [
            (m.start(), m.end(), values[m.group(0) if m.lastgroup == "literal" else m.lastgroup])
            for m in pattern.finditer(folded)
        ]

    def exact(self, category: str) -> re.Pattern[str]:
        """The phrases of a category as one case-insensitive pattern over unfolded text, for words whose
        accent matters (``où``, not ``ou``)."""
        key = f"exact:{category}"
        if key not in self.compiled:
            phrases = sorted((p for p, _ in self.lexicon.phrases(category)), key=len, reverse=True)
            # a phrase may open with a comma (*, yet*): the word boundary only before a word
            alternation = "|".join(("(?<!\\w)" if p[:1].isalnum() else "") + re.escape(p) for p in phrases) or "(?!)"
            self.compiled[key] = (re.compile(rf"(?:{alternation})(?!\w)", re.IGNORECASE), {})
        return self.compiled[key][0]

    def has(self, category: str, folded: str) -> bool:
        return bool(self.find(category, folded))

    def starts_with(self, category: str, folded: str) -> bool:
        """True when ``folded`` opens with a phrase of the category, after spaces or a possessive's ``'s``."""
        head = re.match(r"(?:'s?)?\s*", folded).end()
        return any(start == head for start, _, _ in self.find(category, folded))

    def ends_with(self, category: str, folded: str) -> bool:
        """True when ``folded`` ends with a phrase of the category, allowing an article after it
        (``dépendance à la``) and reading contractions as preposition + article (``du`` = ``de le``)."""
        tail = re.sub(r"(?:\s|^)(?:la|le|les|l')\s*$", "", folded.rstrip()).rstrip()
        forms = {tail, re.sub(r"\b(?:du|des)$", "de", tail), re.sub(r"\b(?:au|aux)$", "a", tail)}
        tails = [form[-40:] for form in forms]
        return any(end >= len(tail) - 1 for tail in tails for _, end, _ in self.find(category, tail))


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
    previous_paragraph_actors: list[str] = field(default_factory=list)
    paragraph_opening: bool = True
    recent_minerals: list[str] = field(default_factory=list)
    last_date: DateValue | None = None
    last_agreement: AgreementFact | None = None
    last_agreements: list[AgreementFact] = field(default_factory=list)
    agreement_parties: Counter = field(default_factory=Counter)
    subjects: list[str] = field(default_factory=list)
    pair_paragraph: int = -1
    reporters: frozenset[str] = frozenset()
    #: Forums whose name is an agreement (*Minerals Security Partnership* → partnership): a mention of one by
    #: any of its names is a trigger of that kind.
    named_agreements: dict[str, str] = field(default_factory=dict)
    #: The states the document has named so far, in order (repeated), for a body whose state goes unsaid.
    document_states: list[str] = field(default_factory=list)
    #: The companies the document has named so far, in order (repeated), for *the company* in a deal.
    document_companies: list[str] = field(default_factory=list)
    #: The government bodies the document has named so far, in order (repeated), for *the department*.
    document_bodies: list[str] = field(default_factory=list)
    #: The last law the document named, for *the bill* that comes back to it.
    last_law: str | None = None
    #: The last share read and its paragraph, for a list of percentages that goes on without naming its
    #: holder (*39% for arsenic, 44% for baryte*).
    last_share: tuple[int, ShareFact] | None = None
    #: The document's last unnamed project of each kind, for *the fund* that comes back to it.
    unnamed_projects: dict[str, ProjectFact] = field(default_factory=dict)
    #: The last measure read, for *a similar measure* that another state takes.
    last_measure: MeasureFact | None = None
    #: Minerals that name a group of others (lexicon ``mineral_group``: *Battery metals*), whose name in the
    #: singular after a definite article points back to the last mineral named (*the battery metal*).
    mineral_groups: frozenset[str] = frozenset()

    def cls(self, iri: str) -> str:
        return self.classes.get(iri, "")

    def main_state(self) -> str | None:
        """The state the document has named most so far (the one it is about), or None."""
        return Counter(self.document_states).most_common(1)[0][0] if self.document_states else None

    def carried_actors(self) -> list[str]:
        """The actors of the sentence's paragraph so far; at a paragraph's opening, the last paragraph's (a
        measure goes on from a headline: *Jakarta bans ore exports*, then *The ban takes effect in June*)."""
        return self.previous_paragraph_actors if self.paragraph_opening else self.paragraph_actors

    def last_companies(self, count: int) -> list[str]:
        """The last ``count`` different companies the document named, the latest first (*the companies*)."""
        return list(dict.fromkeys(reversed(self.document_companies)))[:count]

    def actor_of(self, iri: str) -> str | None:
        """The actor an entity stands for: itself, or the state a person acts for; none for the media and
        exchanges that report or list a fact (``reporters``)."""
        if iri in self.reporters:
            return None
        cls = self.cls(iri)
        if cls == "Person":
            return self.affiliations.get(iri)
        return iri if cls in ACTOR_CLASSES else None


def named_agreements(names: dict[str, str], patterns: Patterns) -> dict[str, str]:
    """Of organisations (IRI → name), those whose name ends with an agreement word, with its kind: *Minerals
    Security Partnership* → partnership; not *Collective Security Treaty Organization*."""
    found = {}
    for iri, name in names.items():
        folded = fold(name)
        kinds = [k for k in patterns.find("agreement_kind", folded) if k[1] == len(folded)]
        if kinds:
            found[iri] = kinds[-1][2]
    return found


def sentence_evidence(sentence: Sentence, method: str, confidence: float) -> Evidence:
    return Evidence(sentence.doc_id, sentence.start, sentence.start + len(sentence.text), method, confidence)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _minerals(sentence: Sentence, ctx: Context, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    end = len(sentence.text) if end is None else end
    found = [m.entity for m in sentence.mentions if ctx.cls(m.entity) == "Mineral" and start <= m.start < end]
    return _unique(found)


def _date(dates: list[DateValue], near: int | None = None) -> DateRef | None:
    """The date nearest to ``near`` (a trigger's offset), else the most precise one."""
    order = {"date": 0, "gYearMonth": 1, "gYear": 2}
    if not dates:
        return None
    if near is not None:
        best = min(dates, key=lambda d: (abs(d.start - near), order[d.datatype]))
    else:
        best = min(dates, key=lambda d: (order[d.datatype], d.start))
    return DateRef(best.iso, best.datatype)


def _clause_limit(sentence: Sentence, start: int, patterns: Patterns) -> int:
    """Where the clause that goes on from ``start`` ends: at a semicolon or a relative pronoun, unless the
    pronoun opens a list of actors (``dont l'Union européenne, les États-Unis…`` = including), and at a
    subordinating conjunction (*after the Panama government ordered…*, *alors que…*)."""
    continuations = tuple(patterns.lexicon.words("list_continuation"))
    subordinate = next(
        (
            m.start()
            for m in patterns.exact("subordinator").finditer(sentence.text, start)
            if m.start() >= start and not fold(sentence.text[m.start() : m.start() + 20]).startswith(continuations)
        ),
        len(sentence.text),
    )  # (*…avec Renault et Volkswagen, mais aussi avec LG*: the list goes on)
    for cut, resume in clause_ends(sentence.text, start, patterns):
        if cut > subordinate:
            break
        if not any(0 <= x.start - resume <= 5 for x in sentence.mentions):
            return cut
    return subordinate


def _company_nationality(sentence: Sentence, mention: Mention, patterns: Patterns, ctx: Context) -> bool:
    """True for a demonym that qualifies a company (``un groupe américain``, ``the Russian company``, ``the Saudi
    mining company``), or a state's name used so (``the United States company Cove Capital``, ``US firm``): a
    nationality, not a party."""
    # (four words: *the Swedish state-owned mining company*, the hyphen folded to a space)
    after = re.split(r"[,;:.()]", fold(sentence.text[mention.end : mention.end + 40]))[0].split()[:4]
    after = after[: next((i for i, w in enumerate(after) if patterns.has("conjunction", w)), 4)]
    if mention.via != "demonym":
        after = after[:2]  # (a name's own words: *la RDC avec la société émiratie* is no company's)
        # a state's or a place's name only: *the AMG Critical Materials group* is the company itself
        named_place = ctx.cls(mention.entity) in ("State", "Place", "InternationalOrganization")
        possessed = re.match(r"['’]s?\s+", sentence.text[mention.end :])
        if named_place and possessed:
            # *China's Tibet Huayu Mining*: the company's state, as a nationality would say it
            owned = next((m for m in sentence.mentions if m.start == mention.end + possessed.end()), None)
            if owned is not None and ctx.cls(owned.entity) == "Company":
                return True
        return named_place and bool(after) and any(patterns.has("company_cue", word) for word in after)
    following = next((m for m in sentence.mentions if m.start >= mention.end), None)
    if following is not None and not sentence.text[mention.end : following.start].strip():
        # *l'australien Lynas Rare Earths*, *Australian miner*'s name right after: the company's nationality
        return following.via != "demonym" and ctx.cls(following.entity) == "Company"
    words = fold(sentence.text[max(0, mention.start - 50) : mention.start]).split()
    before = words[-2:]
    if len(words) >= 3 and words[-2] in ("de", "des", "du", "of") and patterns.has("company_cue", words[-3]):
        return True  # *trois fournisseurs de minerais canadiens*: what the companies supply between
    return any(patterns.has("company_cue", word) for word in before + after)  # *Chinese battery maker Gotion*


def _body_or_state(parties: list[str], kind: str, ctx: Context) -> list[str]:
    """A government body and its own state named together are one party: the state in an agreement between
    states (*the State Department said Argentina and the United States signed*), the body in a company deal
    it finances or signs (*US Exim offered a loan to Critical Metals*)."""
    states_of = {p: ctx.affiliations.get(p) for p in parties if ctx.cls(p) == "GovernmentBody"}
    paired = {body: state for body, state in states_of.items() if state in parties}
    others = [p for p in parties if p not in states_of]
    if not paired and kind not in _CORPORATE_KINDS and others and all(ctx.cls(p) == "State" for p in others):
        # between states, a body signs for its own (*Argentina signed with the US Department of State*)
        return list(_unique(states_of.get(p) or p if p in states_of else p for p in parties))
    if not paired:
        return parties
    partners = [p for p in others if p not in paired.values()]
    if kind in _CORPORATE_KINDS or partners and all(ctx.cls(p) == "Company" for p in partners):
        # a deal with a company: the body that made it (*le département américain de la Défense a signé un
        # accord avec Lynas*, *dans le cadre des efforts de Washington*)
        return [p for p in parties if p not in paired.values()]
    return [p for p in parties if p not in paired]


def _only_a_place(sentence: Sentence, mention: Mention, ctx: Context, patterns: Patterns) -> bool:
    """True for a state or place named as where something happens (*signed in Buenos Aires*, *des projets au
    Chili*), as the nationality of a company (*Saudi Arabia's Manara Minerals*) or in a compound that describes
    one (*Australia-listed Vulcan Energy*, but not *franco-japonais*): not a party."""
    if ctx.cls(mention.entity) not in ("State", "Place"):
        return False
    before = fold(sentence.text[max(0, mention.start - 25) : mention.start]).split()
    if before and before[-1] in patterns.lexicon.words("article"):
        before = before[:-1]  # *in the United States*
    while before and before[-1] in patterns.lexicon.words("direction_word"):
        before = before[:-1]  # *in northwestern Tanzania*, *dans le nord-ouest de la Tanzanie*
        if before and before[-1] in patterns.lexicon.words("article"):
            before = before[:-1]
    locatives = patterns.lexicon.words("locative")
    if before and (before[-1] in locatives or " ".join(before[-2:]) in locatives):
        return True
    after = sentence.text[mention.end : mention.end + 4]
    if re.match(r"-[a-zà-ÿ]", after) and not any(m.start == mention.end + 1 for m in sentence.mentions):
        return True  # a compound that describes a company: *Australia-listed Vulcan*, *US-based*, *China-backed*
    if after.startswith(("'s ", "’s ")):
        following = next((m for m in sentence.mentions if m.start >= mention.end), None)
        return following is not None and ctx.cls(following.entity) in ("Company", "GovernmentBody")
    return False


def _opens_relative_clause(sentence: Sentence, mention: Mention, patterns: Patterns) -> bool:
    """True when a relative pronoun follows the mention (*dependence on China, which accounts for 60 %*): the
    mention is the subject of the clause that goes on, whatever stood before it."""
    after = sentence.text[mention.end : mention.end + 12]
    pronoun = patterns.exact("relative_pronoun").match(after.lstrip(" ,"))
    return pronoun is not None


def _excluded(sentence: Sentence, mention: Mention, patterns: Patterns, category: str) -> bool:
    """True when a cue of ``category`` ends right before the mention, an article and a role between them
    allowed (*auquel participait le chancelier allemand Olaf Scholz*, *in the presence of President*), and the
    mentions right before it (the nationality before a person's name, the first of two joined by *and*)."""
    start = mention.start
    for other in sorted(sentence.mentions, key=lambda m: -m.start):
        if other.end <= start and fold(sentence.text[other.end : start]).strip(" ()") in ("", "and", "et", "&"):
            start = other.start  # *jointly owned by JOGMEC and Sojitz*: both
    before = fold(sentence.text[max(0, start - 70) : start])
    before = re.sub(r"(?:\bthe|\bl'|\bla|\ble|\bles)\s*$", "", before)
    if patterns.ends_with(category, before):
        return True
    linking = patterns.lexicon.words("linking_word")
    # the role may be of the state named: *en présence de la Première ministre du Danemark*
    roles = [r for r in patterns.find("role", before) if all(w in linking for w in re.findall(r"\w+", before[r[1] :]))]
    if roles:
        before = re.sub(r"(?:\bthe|\bl'|\bla|\ble|\bles)\s*$", "", before[: roles[-1][0]])
        return patterns.ends_with(category, before)
    return False


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
        between = folded[window[0] : window[1]]
        if re.search(r"[.;]", between):
            continue
        if before and not _only_linking_words(folded, r_end, person.start, sentence.mentions, patterns):
            continue
        affiliation = next(
            (
                m.entity
                for m in sentence.mentions
                if window[0] <= m.start < window[1]
                and m.entity != person.entity
                and ctx.cls(m.entity) in ("State", "InternationalOrganization", "GovernmentBody")
            ),
            None,
        )
        facts.append(RoleFact(person.entity, role, affiliation, sentence_evidence(sentence, "pattern:role", 0.8)))
    return facts


def _only_linking_words(folded: str, start: int, end: int, mentions: list[Mention], patterns: Patterns) -> bool:
    """True when little but names, articles and prepositions stand between ``start`` and ``end``: at most
    one other word (``la Première ministre du Japon, Sanae Takaichi``, ``le ministre nippon des finances,
    Katsunobu Kato``; not ``la première ministre aurait aussi dit vouloir recommander Donald Trump``)."""
    chars = list(folded[start:end])
    for m in mentions:
        for i in range(max(m.start, start), min(m.end, end)):
            chars[i - start] = " "
    words = re.findall(r"[^\W\d_]+", "".join(chars))
    linking = patterns.lexicon.mapping("linking_word")
    return len(words) <= 4 and sum(w not in linking for w in words) <= 1


# --- agreements ----------------------------------------------------------------------------------


def _without_brackets(text: str) -> str:
    """``text`` with what stands in brackets blanked out, offsets kept."""
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


def _only_list_marks(gap: str, patterns: Patterns) -> bool:
    """True when only commas, conjunctions and articles stand between two names of a list."""
    words = re.sub(r"[\s,]+", " ", gap).strip()
    for start, end, _ in reversed(patterns.find("conjunction", words)):
        words = words[:start] + " " + words[end:]
    linking = patterns.lexicon.mapping("linking_word")
    return all(w in linking for w in re.findall(r"[^\W\d_]+", words))


def _between_parties(sentence: Sentence, ctx: Context, patterns: Patterns, trigger_end: int) -> list[str]:
    """The parties a trigger names with *between … and …* (*the contract between YLB and CBC*, *un accord
    signé entre Kinshasa et Kigali sous l'égide de Washington*): the actors joined by commas and a conjunction
    after the cue, and no other; an empty list when the sentence does not say it so."""
    folded = _without_brackets(fold(sentence.text))
    window = folded[trigger_end : trigger_end + 60]
    cue = next((c for c in patterns.find("between_cue", window) if not re.search(r"[.;]", window[: c[0]])), None)
    if cue is None:
        return []
    position = trigger_end + cue[1]
    parties: list[str] = []
    joined = False
    for m in sentence.mentions:
        actor = ctx.actor_of(m.entity)
        if (
            m.start < position
            or not actor
            or folded[m.start] == " "
            or _company_nationality(sentence, m, patterns, ctx)
        ):
            continue
        gap = folded[position : m.start]
        listed = _only_list_marks(gap, patterns)
        if not parties and len(gap) > 45 or joined and not listed:
            break
        if parties and not (listed or patterns.find("conjunction", gap)):
            break
        joined = joined or bool(patterns.find("conjunction", gap))
        if actor not in parties:
            parties.append(actor)
        position = m.end
    return parties if len(parties) >= 2 else []


def _appositions(sentence: Sentence, folded: str, patterns: Patterns) -> list[tuple[int, int]]:
    """The appositions that describe a name (lexicon ``apposition_determiner`` after its comma: *Lifezone Metals,
    a Nasdaq-listed company backed by BHP, signed…*): from the comma to the comma after which the sentence goes
    on in lower case (a list of names inside it goes on), at most 200 characters."""
    markers, by_language = _apposition_words(patterns)
    # the sentence's own language's determiners: French *a* is a verb (*a signé*)
    determiners, definite = by_language.get(detect_language(sentence.text, markers), (frozenset(), frozenset()))
    company_words = patterns.lexicon.words("company_cue")
    spans = []
    for m in sentence.mentions:
        opening = re.match(r",\s+", folded[m.end :])
        if not opening:
            continue
        after = m.end + opening.end()
        if not any(folded[after:].startswith(d + " ") for d in determiners):
            # a definite article only before what names a company (*Stellantis, the automaker behind…*, *Eramet,
            # le groupe minier français, …*; not *China, the United States and Japan*, nor a list of ministers)
            article = next((d for d in definite if folded[after:].startswith(d + " ")), None)
            if article is None:
                continue
            nouns = re.match(r"(?:[a-z][\w'’-]*\s+){0,3}[a-z][\w-]*", sentence.text[after + len(article) + 1 :])
            if not nouns or not any(fold(w) in company_words for w in nouns.group(0).split()):
                continue
        for comma in re.finditer(r",\s+(\w+)", sentence.text[m.end + 1 : m.end + 200]):
            word = comma.group(1)
            if word[0].islower() and word not in patterns.lexicon.words("conjunction"):
                spans.append((m.end, m.end + 1 + comma.start()))
                break
    return spans


def _apposition_words(
    patterns: Patterns,
) -> tuple[dict[str, set[str]], dict[str, tuple[frozenset[str], frozenset[str]]]]:
    """The lexicon's words that :func:`_appositions` reads, computed once per lexicon: the language markers by
    language, and per language its apposition determiners and definite articles, folded."""
    key = "apposition_words"
    if key not in patterns.compiled:
        markers: dict[str, set[str]] = {}
        for phrase, lang in patterns.lexicon.phrases("language_marker"):
            markers.setdefault(lang, set()).add(phrase)
        by_language = {
            language: tuple(
                frozenset(fold(p) for p, _, lang in patterns.lexicon.entries.get(category, []) if lang == language)
                for category in ("apposition_determiner", "apposition_definite")
            )
            for language in markers
        }
        patterns.compiled[key] = (markers, by_language)
    return patterns.compiled[key]


def _describes_a_name(sentence: Sentence, position: int) -> bool:
    """True when the words at ``position`` stand in apposition right after a name (*Quant à KOMIR, l'entreprise
    publique chargée…*): they describe it, they do not point back to another."""
    return any(re.fullmatch(r",\s*", sentence.text[m.end : position]) for m in sentence.mentions if m.end <= position)


def _qualifies_a_thing(sentence: Sentence, mention: Mention, patterns: Patterns) -> bool:
    """True for a nationality that qualifies a thing rather than who acts (*un approvisionnement américain en
    lithium*, *des industriels… américains*, *the American market*): the lower-case word it is written with
    (before it in French, after it in English) is no word for a state's actors (lexicon ``actor_noun``,
    ``government_noun``, ``role``). A nationality on its own (*les Américains*) acts."""
    if mention.via != "demonym" or mention.entity.rsplit("/", 1)[-1] == mention.text.replace(" ", "_"):
        return False  # (*the Philippines*: the state's own name, though French writes a nationality so)
    text = sentence.text
    if text[max(0, mention.start - 1) : mention.start] == "-":
        return False  # *un partenariat franco-japonais*: both states
    before = re.search(r"(?<![\w-])([a-zàâçéèêëîïôûùüÿœ-]+)[\s.…]*$", text[max(0, mention.start - 30) : mention.start])
    after = re.match(r"\s+([a-zàâçéèêëîïôûùüÿœ-]+)", text[mention.end : mention.end + 30])
    word = (after or before) if mention.text[:1].isupper() else (before or after)
    if word is None:
        return False
    noun = fold(word.group(1))
    if noun in patterns.lexicon.words("entity_stopword") or noun in common_words():
        return False  # *les Américains*, *the Chinese side*: no noun to qualify
    return noun not in _acting_words(patterns)


def _acting_words(patterns: Patterns) -> frozenset[str]:
    """The lower-case words for those who act (lexicon ``actor_noun``, ``government_noun`` and the head words of
    ``role``), computed once per lexicon: what a nationality or a possessive qualifies when it names an actor."""
    if "acting_words" not in patterns.compiled:
        roles = frozenset(r.split()[-1] for r in patterns.lexicon.words("role"))
        patterns.compiled["acting_words"] = patterns.lexicon.words_of("actor_noun", "government_noun") | roles
    return patterns.compiled["acting_words"]


def _possesses_a_thing(sentence: Sentence, mention: Mention, patterns: Patterns) -> bool:
    """True for a name whose possessive qualifies a thing (*Ecuador's underdeveloped mining sector*): *'s* and
    at most three lower-case words, none an actor's, a government's, a role's or an agreement's word."""
    words = re.match(r"['’]s((?:\s+[a-zàâçéèêëîïôûùüÿœ-]+){1,3})", sentence.text[mention.end : mention.end + 60])
    if words is None:
        return False
    folded = fold(words.group(1))
    return not any(w in _acting_words(patterns) for w in folded.split()) and not patterns.find("agreement_kind", folded)


def _in_currency(sentence: Sentence, mention: Mention, patterns: Patterns) -> bool:
    """True for a state's name that only names its money (*for up to 1 million US dollars*, *US$ 600
    million*): the next word is a currency's (lexicon ``currency``), no party."""
    following = re.match(r"(\$|\s[^\W\d_]+)", sentence.text[mention.end : mention.end + 20])
    if following is None:
        return False
    if "currency_words" not in patterns.compiled:
        patterns.compiled["currency_words"] = frozenset(w.split()[-1] for w in patterns.lexicon.words("currency"))
    return fold(following.group(1).strip()) in patterns.compiled["currency_words"]


def _in_ticker(sentence: Sentence, mention: Mention) -> bool:
    """True for a name inside the brackets that give a company's listings (*Argentina Lithium & Energy (TSX-V:
    LIT; US-OTC: PNXLF)*): an exchange's code, no party."""
    opening = sentence.text.rfind("(", 0, mention.start)
    if opening < 0 or ")" in sentence.text[opening : mention.start]:
        return False
    closing = sentence.text.find(")", mention.end)
    return closing > 0 and bool(re.search(r"\b[A-Z][\w.-]*\s*:\s*[A-Z]{1,6}\b", sentence.text[opening:closing]))


def _governed(text: str, mention: Mention, patterns: Patterns) -> bool:
    """True when a government word (lexicon ``government_noun``) comes right before or after a nationality:
    *the Japanese Government*, *le gouvernement japonais*."""
    after = re.match(r"\s+([\w-]+)", text[mention.end :])
    before = re.search(r"([\w-]+)\s+$", text[: mention.start])
    words = patterns.lexicon.words("government_noun")
    return bool(after and fold(after.group(1)) in words or before and fold(before.group(1)) in words)


def _bought_mineral(
    trigger: tuple[int, int, str], folded: str, sentence: Sentence, ctx: Context
) -> tuple[int, int, str]:
    """A buying word whose object is a mineral buys the metal, not a company (*GM would buy lithium*, *achètera
    du lithium produit à Bécancour*): an offtake, not an acquisition. The mineral follows within a few
    lower-case words (a quantity, an article) and is not itself the modifier of a noun (*the sale of its nickel
    business* sells a company's part)."""
    start, end, kind = trigger
    if kind != "acquisition":
        return trigger
    for m in sentence.mentions:
        if m.start >= end and ctx.cls(m.entity) == "Mineral":
            between = folded[end : m.start]
            after = re.match(r"\s*([^\W\d]+)", folded[m.end :])
            modifier = after is not None and after.group(1) not in common_words()  # *its nickel business*
            lower = sentence.text[end : m.start] == folded[end : m.start]
            if len(between) <= 30 and not re.search(r"[.;,]", between) and lower and not modifier:
                return (start, end, "offtake")
        if m.start >= end + 30:
            break
    return trigger


def extract_agreements(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[AgreementFact]:
    """Agreements named in a sentence, with parties, minerals, kind, status and date.

    A trigger after a demonstrative (``cet accord``), or after a definite article with no new partner
    (``L'accord-cadre prévoit...``), refers back to the document's last agreement and adds evidence to it.
    A plural trigger with several partners (``deux protocoles d'accord avec la Malaisie et la Thaïlande``)
    gives one agreement per partner.
    """
    folded = fold(sentence.text)
    # *être d'accord* (to agree) is no agreement; *des promesses d'accords miniers* is
    triggers = [
        t
        for t in patterns.find("agreement_kind", folded)
        if not (folded[max(0, t[0] - 2) : t[0]] == "d'" and folded[t[0] : t[1]] == "accord")
        or folded[max(0, t[0] - 12) : t[0]].endswith("protocole d'")
    ]
    # *capital allocation framework*, *cadre réglementaire*: a set of rules, no agreement
    not_agreements = patterns.find("not_an_agreement", folded)
    triggers = [t for t in triggers if not any(n[0] <= t[0] < n[1] for n in not_agreements)]
    forums = [m for m in sentence.mentions if m.entity in ctx.named_agreements]
    triggers += [
        (m.start, m.end, ctx.named_agreements[m.entity])
        for m in forums
        if not any(m.start <= t[0] < m.end for t in triggers)
    ]
    triggers.sort()
    # *KABIL, une coentreprise entre National Aluminium Co, Hindustan Copper et MECL, a signé un accord avec le
    # CMFO*: what an apposition says of a name is no part of the sentence's agreement, when a trigger stands outside
    # (the apposition's own agreement, between the names it lists, is told apart: :func:`_apposed_agreements`)
    appositions = _appositions(sentence, folded, patterns)
    outside = [t for t in triggers if not any(a <= t[0] < b for a, b in appositions)]
    apposed: list[AgreementFact] = []
    if outside and len(outside) < len(triggers):
        apposed = _apposed_agreements(sentence, ctx, patterns, [t for t in triggers if t not in outside])
    if not outside:
        appositions = []
    triggers = outside or triggers
    if not triggers:
        return []
    # *L'accord avec les Émirats fait suite à la signature d'un autre contrat de la RDC avec Primera Group*: the
    # other agreement has the names after its trigger, the first those before
    other = next(
        (t for t in triggers[1:] if patterns.ends_with("other_agreement", folded[max(0, t[0] - 20) : t[0]].rstrip())),
        None,
    )
    if other is not None:
        before = [t for t in triggers if t[0] < other[0]]
        after = [t for t in triggers if t[0] >= other[0]]
        return (
            apposed
            + _agreements_of(sentence, ctx, patterns, folded, before, forums, [*appositions, (other[0], len(folded))])
            + _agreements_of(sentence, ctx, patterns, folded, after, forums, [*appositions, (0, other[0])])
        )
    return apposed + _agreements_of(sentence, ctx, patterns, folded, triggers, forums, appositions)


def _apposed_agreements(
    sentence: Sentence, ctx: Context, patterns: Patterns, triggers: list[tuple[int, int, str]]
) -> list[AgreementFact]:
    """The agreements an apposition tells between the names it lists (*KABIL, une coentreprise entre National
    Aluminium Co, Hindustan Copper et MECL, a signé…*)."""
    facts = []
    for _, end, kind in triggers:
        parties = _between_parties(sentence, ctx, patterns, end)
        if len(parties) >= 2:
            evidence = sentence_evidence(sentence, "pattern:agreement", 0.7)
            facts.append(AgreementFact(tuple(parties), (), kind, None, None, evidence))
    return facts


def _agreements_of(
    sentence: Sentence,
    ctx: Context,
    patterns: Patterns,
    folded: str,
    triggers: list[tuple[int, int, str]],
    forums: list[Mention],
    appositions: list[tuple[int, int]],
) -> list[AgreementFact]:
    """:func:`extract_agreements` once its triggers are known."""
    triggers = [_bought_mineral(t, folded, sentence, ctx) for t in triggers]
    named_by = next((m.entity for m in sentence.mentions for t in triggers if m.start <= t[0] < m.end), None)
    kind = min((t[2] for t in triggers), key=KIND_PRIORITY.index)
    first = min(triggers, key=lambda t: t[0])
    forum_spans = {(m.start, m.end) for m in forums}
    # a verb's phrase (*partners with*, *teams up with*) ends with the word that introduces the partner: no
    # plural there
    partner_words = patterns.lexicon.words_of("between_cue", "partner_preposition")
    plural = any(
        (t[0], t[1]) not in forum_spans
        and folded[t[0] : t[1]].split()[-1] not in partner_words
        and (
            any(word.endswith("s") for word in (folded[t[0] : t[1]].split()[0], folded[t[0] : t[1]].split()[-1]))
            or folded[t[1] : t[1] + 2] in ("s", "s ", "s,", "s.")
        )
        for t in triggers
    )
    determiner = re.search(r"(\w+'?)\s*$", folded[: first[0]])
    determiner = determiner.group(1) if determiner else ""
    minerals = _minerals(sentence, ctx)
    actors = [m for m in sentence.mentions if ctx.actor_of(m.entity)]
    cue = next(
        (c for c in patterns.find("passive_partner_cue", folded) if c[0] > 0 and any(m.start >= c[1] for m in actors)),
        None,
    )
    implicit = cue is not None and not any(m.start < cue[0] for m in actors)
    anaphoric = named_by is None and (
        determiner in ("ce", "cet", "cette", "this") or (determiner in ("l'", "le", "la", "the") and cue is None)
    )
    if anaphoric and determiner == "the":
        # *the pact will support the supply to Japan, a Sojitz spokesperson said* is the last agreement; *After the
        # deal, Japan Australia Rare Earths will own a 3% stake in Lynas* tells of another, with a trigger of its own;
        # *The deal will provide Ma'aden, through the joint venture, …*: every trigger definite, the last agreement
        anaphoric = len(triggers) == 1 or all(
            re.search(r"\b(?:the|this|its)\s+(?:[\w-]+\s+)?$", folded[max(0, t[0] - 30) : t[0]]) for t in triggers
        )
    right_after = [c for c in patterns.find("between_cue", folded[first[1] : first[1] + 12]) if c[0] <= 1]
    if anaphoric and right_after and _between_parties(sentence, ctx, patterns, first[1]):
        anaphoric = False  # *l'accord entre YLB et Uranium One Group* names its own parties
    later = anaphoric and next(
        (t for t in triggers if t[0] > first[1] and _between_parties(sentence, ctx, patterns, t[1])), None
    )
    if later:
        # *Cet accord intervient après la signature de protocoles d'entente entre le Canada et … Volkswagen et
        # Mercedes-Benz*: the sentence tells another agreement, with its own parties
        anaphoric, first, triggers = False, later, [t for t in triggers if t[0] >= later[0]]
        kind = min((t[2] for t in triggers), key=KIND_PRIORITY.index)
    if anaphoric and ctx.last_agreement is not None:
        last = ctx.last_agreement
        return [
            AgreementFact(
                last.parties,
                _unique(last.minerals + minerals),
                last.kind,
                last.status,
                None,
                sentence_evidence(sentence, "pattern:agreement", 0.6),
            )
        ]
    limit = _clause_limit(sentence, max(t[1] for t in triggers), patterns)
    between = _between_parties(sentence, ctx, patterns, first[1])
    # *hors de l'Union européenne (UE)*: the bracketed short name is as excluded as the name before it
    excluded = {m.entity for m in sentence.mentions if _excluded(sentence, m, patterns, "party_exclusion_cue")}
    # who reports it, after an inverted reporting verb (*…, ont annoncé les États-Unis samedi*), is no party
    excluded |= {
        m.entity
        for m in sentence.mentions
        if re.search(r",\s*\S+(?:\s+\S+){0,2}\s*$", sentence.text[: m.start])
        and _excluded(sentence, m, patterns, "reporting_cue")
    }
    parties: list[str] = []
    for m in sentence.mentions:
        if m.start >= limit or between:
            break
        actor = ctx.actor_of(m.entity)
        if (
            actor
            and actor != named_by
            and not any(a <= m.start < b for a, b in appositions)
            and m.entity not in excluded
            and not _company_nationality(sentence, m, patterns, ctx)
            and not _only_a_place(sentence, m, ctx, patterns)
            and not _qualifies_a_thing(sentence, m, patterns)
            and not _in_ticker(sentence, m)
            and not _in_currency(sentence, m, patterns)
        ):
            parties.append(actor)
    if patterns.has("two_parties", folded):
        # *both nations committed*: the two that last agreed, else the last two states named together
        last = ctx.last_agreement
        states = _unique(
            a for m in sentence.mentions if (a := ctx.actor_of(m.entity)) is not None and ctx.cls(a) == "State"
        )
        if last is not None and len(last.parties) == 2:
            parties.extend(last.parties)
        elif ctx.last_pair:
            parties.extend(ctx.last_pair)
        elif len(states) == 2:
            parties.extend(states)  # *The two countries signed…, Kazakh Prime Minister … said after meeting Japan's…*
    if not parties and patterns.has("two_companies", folded[:limit]) and len(recent := ctx.last_companies(2)) == 2:
        parties.extend(reversed(recent))  # *the companies said they had signed a memorandum*
    if not parties and ctx.last_pair and ctx.pair_paragraph == sentence.paragraph:
        parties.extend(ctx.last_pair)
    parties = list(_unique(between or parties))
    if (
        not between
        and ctx.document_companies
        and not any(ctx.cls(p) == "Company" for p in parties)
        and any(
            a[0] < limit and not _describes_a_name(sentence, a[0]) for a in patterns.find("company_anaphora", folded)
        )
    ):
        parties.append(ctx.document_companies[-1])  # *the company announced a loan from the DFC*
    elif ctx.document_companies and any(
        a[1] <= first[0] <= a[1] + 40 and folded[a[1] : a[1] + 2] == "'s"
        for a in patterns.find("company_anaphora", folded)
    ):
        # *The company's recently announced partnership with HS Hyosung*: the document's company is a party too
        own = next((c for c in reversed(ctx.document_companies) if c not in parties), None)
        if own is not None:
            parties.append(own)
    parties = _body_or_state(parties, kind, ctx)
    if kind in _CORPORATE_KINDS:
        # A nationality in a company deal qualifies a company or its assets (*Zambian mines*): a state is a
        # party only when named outright.
        # (*the Japanese Government*, *le gouvernement japonais*: a nationality with a government word names the
        # state)
        # (*a major step into Ecuador's underdeveloped mining sector*: a state's possessive of a thing is no
        # naming of the state as a party either)
        named = {
            ctx.actor_of(m.entity)
            for m in sentence.mentions
            if (m.via != "demonym" and not _possesses_a_thing(sentence, m, patterns))
            or _governed(sentence.text, m, patterns)
        }
        parties = [p for p in parties if p in named or ctx.cls(p) != "State"]
    head: str | None = None
    if implicit and parties and not between:
        # *(le ministre a souligné) les accords conclus avec la Chine et l'UE*: the paragraph's subject, else
        # (for partners listed after the cue) the state the document is about, the one it names most
        subjects = ctx.subjects if ctx.paragraph == sentence.paragraph else []  # not the last paragraph's
        if patterns.has("pronoun_signing", folded):
            subjects = ctx.paragraph_actors  # *elle a conclu un contrat avec Stellantis*: whom the pronoun means
        head = next((a for a in reversed(subjects) if a not in parties), None)
        last = ctx.last_agreement
        if head is None and last is not None and patterns.has("similar_agreement", folded):
            # *Un accord similaire a été signé… avec l'Argentine* after the EU's with Chile: the last agreement's
            # party of another kind than the new one; *Des contrats similaires ont été signés avec Renault et
            # Volkswagen* after Vulcan's with Stellantis: of its two companies, the one the paragraph named first
            others = [p for p in last.parties if ctx.cls(p) != ctx.cls(parties[0])]
            if len(last.parties) == 2 and len(others) == 1:
                head = others[0]
            else:
                head = next((a for a in ctx.paragraph_actors if a in last.parties and a not in parties), None)
            kind = last.kind if head and kind in GENERIC_AGREEMENT_KINDS else kind
        after = [m for m in actors if m.start >= cue[1] and m.start < limit]
        gap = folded[after[0].end : after[-1].start] if len(after) >= 2 else ""
        listed = bool(gap) and _only_list_marks(gap, patterns) and bool(patterns.find("conjunction", gap))
        if head is None and listed:
            counts = Counter(a for a in ctx.document_states if a not in parties)
            head = counts.most_common(1)[0][0] if counts else None
        if head:
            parties.insert(0, head)
    if len(parties) == 1:
        previous = next((a for a in ctx.last_agreements if parties[0] in a.parties), None)
        if previous:
            # *entre Riyad et ses trois partenaires*: the last agreement's parties, led by the one named here
            head = head or (parties[0] if len(previous.parties) > 2 else None)
            parties = list(previous.parties)
        elif ctx.last_agreement is not None and patterns.has("similar_agreement", folded):
            # *Un accord similaire a été signé le mois dernier avec l'Argentine*, after the EU's with Chile: the
            # last agreement's parties, the one of the same kind as the new party replaced by it
            same = [p for p in ctx.last_agreement.parties if ctx.cls(p) == ctx.cls(parties[0])]
            if len(same) == 1 and len(ctx.last_agreement.parties) == 2:
                parties = [p for p in ctx.last_agreement.parties if p != same[0]] + parties
                kind = ctx.last_agreement.kind if kind in GENERIC_AGREEMENT_KINDS else kind
        elif ctx.cls(parties[0]) == "State" and patterns.has("also_cue", folded[: first[0]]):
            # *the Peruvian government signed agreements with South Korea and Japan… In August, the United States
            # also signed an agreement*: with the state the document's agreements have in common
            common = [(p, n) for p, n in ctx.agreement_parties.most_common(2) if p != parties[0]]
            if common and common[0][1] >= 2 and ctx.cls(common[0][0]) == "State":
                parties.insert(0, common[0][0])
    if len(parties) == 1 and patterns.has("pronoun_signing", folded):
        # *Ursula von der Leyen … Mardi, elle a signé avec le président argentin … une déclaration*: the signer
        # the pronoun stands for is the paragraph's last other actor
        signer = next((a for a in reversed(ctx.paragraph_actors) if a not in parties), None)
        if signer:
            parties.insert(0, signer)
    money = find_money(sentence.text, patterns.lexicon)
    multilateral = len(parties) == 1 and ctx.cls(parties[0]) == "InternationalOrganization"
    # One party only: a forum's own plan, or a state's deal on minerals or money whose partner goes unnamed
    # (not a company's, nor a partnership: *as part of the alliance, Canada…*).
    unnamed_partner = (
        ctx.cls(parties[0]) == "State" and bool(minerals or money) and kind not in _CORPORATE_KINDS
        if parties
        else False
    )  # a loan or a stake has a lender and a borrower, a buyer and a seller: one party is no deal
    if not parties or (
        len(parties) < 2 and (plural or not (multilateral or unnamed_partner and kind != "partnership"))
    ):
        return []
    if kind == "acquisition" and all(ctx.cls(p) == "State" for p in parties):
        return []  # *oil companies from Saudi Arabia and the UAE … acquire resources*: states buy no company
    status = None
    if patterns.has("status_proposed", folded):
        status = "proposed"
    elif patterns.has("status_signed", folded):
        status = "signed"
    if plural and kind == "partnership" and status is None and not named_by:
        return []  # partnerships in general (*diversifier ses partenariats*, *seeking partnerships*), none made
    date = _date(find_dates(sentence.text, patterns.lexicon, ctx.document_date), near=first[0])
    if date is None and ctx.last_date and patterns.has("event_anaphora", folded):
        date = DateRef(ctx.last_date.iso, ctx.last_date.datatype)
    amount = Amount(money[0].value, money[0].currency) if money else None
    evidence = sentence_evidence(sentence, "pattern:agreement", 0.8 if len(parties) > 1 else 0.6)
    count = re.search(r"(?<!\w)(\w+)\s+$", folded[: first[0]])
    counted = int(patterns.lexicon.mapping("count_word").get(count.group(1), 0) or 0) if count else 0
    # *un MOU respectif avec trois fournisseurs*, *a memorandum with each of*: one agreement per partner
    distributive = len(parties) > 2 and (plural or counted > 1 or patterns.has("distributive_cue", folded))
    if distributive:
        lead = head or parties[0]
        if head is None and cue is not None:
            # *the deals with Evolution Energy Minerals, EcoGraf and Peak Rare Earths, Tanzania will have…*:
            # the partners are listed after *with*; the lead is the party named outside that list
            run = [m for m in actors if m.start >= cue[1]]
            end = len(run)
            for i in range(1, len(run)):
                gap = folded[run[i - 1].end : run[i].start]
                if not _only_list_marks(gap, patterns):
                    end = i
                    break
                if patterns.find("conjunction", gap):
                    end = i + 1  # the list ends with the item after *and*
                    break
            listed = {ctx.actor_of(m.entity) for m in run[:end]}
            outside = [p for p in parties if p not in listed]
            if len(outside) == 1 and len(listed) >= 2:
                lead = outside[0]
            elif not outside and len(listed) >= 2:
                # *The Kingdom … signed three memorandums with Chile, Canada and Brazil*: every party is a
                # partner; the lead is the state the document names most besides them, else unknown
                counts = Counter(a for a in ctx.document_states if a not in listed)
                if not counts:
                    return []
                lead = counts.most_common(1)[0][0]
                parties = [lead, *parties]
        elif head is None and _one_list(sentence, ctx, patterns, parties):
            # *la France, l'Allemagne et le Royaume-Uni ont conclu des accords bilatéraux*: each listed party's
            # own deal with the state of the last agreement that this sentence does not name (*Outre l'UE, … ont
            # également conclu* after the EU's deal with Kazakhstan), else the state the document names most
            # besides them, else with nobody named
            said = {ctx.actor_of(m.entity) for m in sentence.mentions}
            last = [
                a
                for a in (ctx.last_agreement.parties if ctx.last_agreement else ())
                if a not in said and ctx.cls(a) == "State"
            ]
            counts = Counter(a for a in ctx.document_states if a not in parties)
            if len(last) != 1 and not counts:
                return []
            lead = last[0] if len(last) == 1 else counts.most_common(1)[0][0]
            parties = [lead, *parties]
        facts = [
            AgreementFact(tuple(sorted((lead, p))), minerals, kind, status, date, evidence, amount)
            for p in parties
            if p != lead
        ]
    else:
        facts = [AgreementFact(tuple(sorted(parties)), minerals, kind, status, date, evidence, amount)]
    ctx.last_agreement = facts[-1]
    ctx.last_agreements = facts
    ctx.agreement_parties.update(p for fact in facts for p in fact.parties)
    return facts


def _one_list(sentence: Sentence, ctx: Context, patterns: Patterns, parties: list[str]) -> bool:
    """True when the parties are exactly the actors of one list in the sentence (*la France, l'Allemagne et le
    Royaume-Uni*): names joined by commas and a conjunction, and no party named elsewhere."""
    named = [m for m in sentence.mentions if ctx.actor_of(m.entity) in parties]
    if len(named) < 3:
        return False
    folded = fold(sentence.text)
    gaps = [folded[a.end : b.start] for a, b in zip(named, named[1:])]
    return (
        all(_only_list_marks(gap, patterns) for gap in gaps)
        and bool(patterns.find("conjunction", gaps[-1]))
        and {ctx.actor_of(m.entity) for m in named} == set(parties)
    )


#: Kinds that name no particular instrument: an agreement of such a kind is the parties' more specific one (the
#: build joins them to it, :func:`same_agreements` to a fuller telling in the same document).
GENERIC_AGREEMENT_KINDS = ("agreement", "partnership")


def same_agreements(agreements: list[AgreementFact]) -> list[AgreementFact]:
    """One document's agreements with the ones told again with one party only joined to the fullest telling:
    *Le MSP est un groupe de 14 pays et de l'UE* after *La Turquie a rejoint le forum … afin de coopérer avec
    les États-Unis, l'Union européenne* is that partnership. An agreement of one party that another of the same
    kind (or that one of no particular kind) holds takes that one's parties and kind, and keeps its own
    sentence as evidence. Two parties among another's three are left alone: a document often tells a
    bilateral deal beside a wider one (*Canada and Volkswagen* beside *Canada, Volkswagen and Mercedes*)."""
    # *Stellantis a signé un accord avec Element 25*, then *Element 25 fournira à Stellantis…*: the agreement of no
    # particular kind is the one kind the document gives the same parties
    specific: dict[frozenset[str], set[str]] = {}
    for a in agreements:
        if a.kind not in GENERIC_AGREEMENT_KINDS:
            specific.setdefault(frozenset(a.parties), set()).add(a.kind)
    retyped = [
        dataclasses.replace(a, kind=next(iter(kinds)))
        if a.kind == "agreement" and len(kinds := specific.get(frozenset(a.parties), set())) == 1
        else a
        for a in agreements
    ]
    # one sentence that told both now tells one agreement
    told = set()
    agreements = []
    for a in retyped:
        key = (frozenset(a.parties), a.kind, a.evidence.start, a.evidence.end)
        if key not in told:
            told.add(key)
            agreements.append(a)
    joined = []
    for a in agreements:
        fuller = [
            b
            for b in agreements
            if len(a.parties) == 1
            and set(a.parties) < set(b.parties)
            and (a.kind == b.kind or a.kind in GENERIC_AGREEMENT_KINDS)
        ]
        if fuller:
            b = max(fuller, key=lambda b: (len(b.parties), -agreements.index(b)))
            a = AgreementFact(
                b.parties,
                _unique(a.minerals + b.minerals),
                b.kind,
                a.status or b.status,
                a.date or b.date,
                a.evidence,
                a.amount,
            )
        joined.append(a)
    return joined


def extract_investments(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[AgreementFact]:
    """Investments told with a verb or a funding noun rather than an agreement word: *General Motors et
    Panasonic investissent dans Nouveau Monde Graphite* (one investment per investor, ``investment_verb``
    then ``investee_cue``), *Serra Verde and Aclara Resources have secured funding from the DFC* (one per
    investee, ``funding_noun`` then ``funder_cue``). Investors and investees are companies, bodies, states or
    organisations named in the clause, not nationalities nor places. A stake bought in a company is an
    acquisition (``stake_verb``, then ``stake_cue`` and the company: *en acquérant 10 % de la société
    brésilienne Vale Base Metals*)."""
    folded = fold(sentence.text)
    actors = [
        m
        for m in sentence.mentions
        if ctx.actor_of(m.entity)
        and not _company_nationality(sentence, m, patterns, ctx)
        and not _only_a_place(sentence, m, ctx, patterns)
        and not _excluded(sentence, m, patterns, "party_exclusion_cue")
        and not _in_ticker(sentence, m)
        and not _in_currency(sentence, m, patterns)
    ]

    @functools.cache
    def asides() -> list[tuple[int, int]]:
        """The sentence's appositions (*Stellantis, the automaker behind Chrysler and Alfa Romeo, is buying*),
        whose names are no investors."""
        return _appositions(sentence, folded, patterns)

    def sides(
        trigger_category: str, cue_category: str, reach: int, after_reach: int = 25, cls: str | None = None
    ) -> Iterator[tuple[list[str], str]]:
        """For each trigger with its cue at most ``reach`` characters after it: the actors of the clause
        before the trigger, and the actor named at most ``after_reach`` characters after the cue (of class
        ``cls`` when given)."""
        for trigger in patterns.find(trigger_category, folded):
            cue = next(
                (c for c in patterns.find(cue_category, folded) if trigger[1] <= c[0] <= trigger[1] + reach), None
            )
            after = cue and next(
                (
                    m
                    for m in actors
                    if cue[1] <= m.start <= cue[1] + after_reach and (cls is None or ctx.cls(m.entity) == cls)
                ),
                None,
            )
            if after:
                start = _clause_start(folded, trigger[0])
                before = [
                    ctx.actor_of(m.entity)
                    for m in actors
                    if start <= m.start < trigger[0] and not any(a <= m.start < b for a, b in asides())
                ]
                yield before, ctx.actor_of(after.entity)

    pairs = [(i, investee) for investors, investee in sides("investment_verb", "investee_cue", 60) for i in investors]
    # *announced a $500 million investment in Canadian company Ivanhoe Mines*: the noun's investee is a company
    pairs += [
        (i, investee)
        for investors, investee in sides("investment_noun", "investee_cue", 40, cls="Company")
        for i in investors
    ]
    # the amount may stand between (*un financement de 250 millions de dollars de la part de LG Energy Solution*)
    pairs += [(funder, f) for funded, funder in sides("funding_noun", "funder_cue", 50) for f in funded]
    pairs = [pair for pair in _unique(pairs) if pair[0] != pair[1]]
    # a stake bought in a company (*en acquérant 10 % de la société brésilienne Vale Base Metals*, *took a 42%
    # stake in*, *en portant sa participation à 85 %*): an acquisition by the actors of the clause before the verb
    stakes = [
        (buyer, company)
        for buyers, company in sides("stake_verb", "stake_cue", 40, 45, "Company")
        for buyer in buyers
        if buyer != company
    ]
    pairs += [pair for pair in _grants(sentence, ctx, patterns, actors) if pair not in pairs]
    stakes += [pair for pair in _stake_sales(sentence, ctx, patterns, actors) if pair not in stakes]
    members = _memberships(sentence, ctx, patterns, actors)
    supplies = _supply_promises(sentence, ctx, patterns, actors)
    if not pairs and not stakes and not members and not supplies:
        return []
    minerals = _minerals(sentence, ctx)
    money = find_money(sentence.text, patterns.lexicon)
    amount = Amount(money[0].value, money[0].currency) if money and len(pairs) == 1 else None
    date = _date(find_dates(sentence.text, patterns.lexicon, ctx.document_date))
    evidence = sentence_evidence(sentence, "pattern:investment", 0.7)
    status = "proposed" if patterns.has("status_proposed", folded) else None
    return (
        [AgreementFact(tuple(sorted(pair)), minerals, "investment", status, date, evidence, amount) for pair in pairs]
        + [
            AgreementFact(tuple(sorted(pair)), minerals, "acquisition", status, date, evidence, None)
            for pair in _unique(stakes)
            if pair not in pairs
        ]
        + [AgreementFact(pair, minerals, "partnership", status, date, evidence, None) for pair in members]
        + [AgreementFact(tuple(sorted(pair)), minerals, "offtake", status, date, evidence, None) for pair in supplies]
    )


def _supply_promises(
    sentence: Sentence, ctx: Context, patterns: Patterns, actors: list[Mention]
) -> list[tuple[str, str]]:
    """Supplies one company promises another (lexicon ``supply_promise``: *Element 25 fournira à Stellantis du
    sulfate de manganèse*, *Solvay devrait fournir Noveon en néodyme*, *Syrah will supply Tesla with graphite*):
    an offtake between the last company before the verb in its clause and the first company after it in the
    clause, when no percentage follows the verb (*will supply 40% of*) and the sentence names a mineral."""
    folded = fold(sentence.text)
    companies = [m for m in actors if ctx.cls(m.entity) == "Company"]
    found = []
    for start, end, _ in patterns.find("supply_promise", folded):
        clause_end = min([i for i in (folded.find(c, end) for c in ".;") if i >= 0] or [len(folded)])
        if re.match(r"\s*(?:\S+\s+){0,2}\d[\d.,]*\s*(?:%|per ?cent|pour ?cent)", folded[end:clause_end]):
            continue
        supplier = next((m for m in reversed(companies) if _clause_start(folded, start) <= m.start < start), None)
        buyer = next((m for m in companies if end <= m.start < min(clause_end, end + 120)), None)
        if supplier is None or buyer is None or supplier.entity == buyer.entity:
            continue
        if not _minerals(sentence, ctx, end, clause_end):
            continue
        found.append((ctx.actor_of(supplier.entity), ctx.actor_of(buyer.entity)))
    return list(_unique(found))


def _clause_start(folded: str, position: int) -> int:
    """Where the clause that holds ``position`` starts: after the last stop or semicolon before it."""
    return max(folded.rfind(c, 0, position) for c in ";.") + 1


def _grants(sentence: Sentence, ctx: Context, patterns: Patterns, actors: list[Mention]) -> list[tuple[str, str]]:
    """Money granted to an actor (``grant_verb``): *le département de la Défense a octroyé 22,1 millions $ à la
    compagnie Fireweed Metals*, *the Pentagon awarded Albemarle $90 million*. The grantor is an actor before the
    verb in its clause; the recipient is named right after the verb with the amount after it, or after a
    ``recipient_cue`` that follows the amount. Without an amount it is no grant (*awarded the contract to*)."""
    folded = fold(sentence.text)
    money = find_money(sentence.text, patterns.lexicon)
    found: list[tuple[str, str]] = []
    for verb_start, verb_end, _ in patterns.find("grant_verb", folded):
        amount = next((m for m in money if verb_end <= m.start <= verb_end + 60), None)
        if amount is None:
            continue
        recipient = next(
            (m for m in actors if verb_end < m.start < amount.start and not folded[verb_end : m.start].strip(" ,")),
            None,
        )
        if recipient is None:
            cue = next((c for c in patterns.find("recipient_cue", folded[amount.end : amount.end + 40])), None)
            recipient = cue and next(
                (m for m in actors if 0 <= m.start - (amount.end + cue[1]) <= 25 and ctx.cls(m.entity) != "Place"),
                None,
            )
        if not recipient:
            continue
        start = _clause_start(folded, verb_start)
        grantors = [
            ctx.actor_of(m.entity) for m in actors if start <= m.start < verb_start and ctx.cls(m.entity) != "Person"
        ]
        found += [(g, ctx.actor_of(recipient.entity)) for g in grantors if g != ctx.actor_of(recipient.entity)]
    return found


def _stake_sales(sentence: Sentence, ctx: Context, patterns: Patterns, actors: list[Mention]) -> list[tuple[str, str]]:
    """A stake sold to a company (``sale_verb``, a ``stake_cue`` after it, then a ``recipient_cue`` and the
    buyer): *Vale agreed to sell a 10% stake in its base metals unit to Manara Minerals*, *Triton a cédé 70 %
    de sa filiale à Shandong Yulong*. The sellers are the actors of the clause before the verb."""
    folded = fold(sentence.text)
    found: list[tuple[str, str]] = []
    for verb_start, verb_end, _ in patterns.find("sale_verb", folded):
        stops = [c[0] for c in clause_ends(sentence.text, verb_end, patterns)]
        end = stops[0] if stops else len(folded)
        stake = next((c for c in patterns.find("stake_cue", folded) if verb_end <= c[0] <= verb_end + 40), None)
        if stake is None:
            continue
        cue = next((c for c in patterns.find("recipient_cue", folded) if stake[1] <= c[0] < end), None)
        buyer = cue and next(
            (m for m in actors if 0 <= m.start - cue[1] <= 12 and ctx.cls(m.entity) == "Company"), None
        )
        if not buyer:
            continue
        start = _clause_start(folded, verb_start)
        sellers = [ctx.actor_of(m.entity) for m in actors if start <= m.start < verb_start]
        found += [(seller, ctx.actor_of(buyer.entity)) for seller in sellers if seller != ctx.actor_of(buyer.entity)]
    return found


def _memberships(sentence: Sentence, ctx: Context, patterns: Patterns, actors: list[Mention]) -> list[tuple[str, ...]]:
    """Actors joining a group (``join_verb``: *Blencowe Resources a rejoint le consortium européen SAFELOOP*,
    *Ecuador joined the Minerals Security Partnership*): a partnership of the actors before the verb in its
    clause (not persons: *he joined Glencore in 2010* is a career) and the group named at most four words
    after it, an organisation, or a company or a body when a ``group_noun`` (*consortium*, *alliance*) says
    it is one."""
    folded = fold(sentence.text)
    found: list[tuple[str, ...]] = []
    for verb_start, verb_end, _ in patterns.find("join_verb", folded):
        joined = next((m for m in actors if m.start >= verb_end and len(folded[verb_end : m.start].split()) <= 4), None)
        if joined is None:
            continue
        between = folded[verb_end : joined.start]
        cls = ctx.cls(joined.entity)
        if cls != "InternationalOrganization" and not (patterns.find("group_noun", between) and cls != "State"):
            continue
        start = _clause_start(folded, verb_start)
        for member in actors:
            actor = ctx.actor_of(member.entity)
            if start <= member.start < verb_start and ctx.cls(member.entity) != "Person" and actor:
                if actor != ctx.actor_of(joined.entity):
                    found.append(tuple(sorted((actor, ctx.actor_of(joined.entity)))))
    return list(_unique(found))


# --- market shares and dependencies ----------------------------------------------------------------


def _capitalised_words(words: str) -> bool:
    """True for two words or more, each capitalised (*Global Market*): part of a name."""
    split = words.split()
    return len(split) >= 2 and all(w[:1].isupper() for w in split)


def extract_shares(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[ShareFact]:
    """Shares of a stage of a mineral's chain held by an actor, and import dependencies."""
    folded = fold(sentence.text)
    percents = find_percents(sentence.text, patterns.lexicon)
    if not percents:
        return []
    # a policy target is no share (*vise à réduire à 50 %*), but a relative clause after it tells a fact
    # (*vise à réduire la dépendance vis-à-vis de la Chine, qui fournit 98 % des terres rares*)
    clause_starts = [0] + [resume for _, resume in clause_ends(sentence.text, 0, patterns)]
    targets = patterns.find("target_cue", folded)
    percents = [
        pct
        for pct in percents
        if not any(
            max(c for c in clause_starts if c <= pct.start) <= t[0] < pct.start or pct.end <= t[0] for t in targets
        )
    ]
    if not percents:
        return []
    held = _bracketed_holders(sentence, ctx, percents, folded, patterns)
    if held:
        return held
    listed = _listed_minerals(sentence, ctx, percents, folded, patterns)
    facts: list[ShareFact] = _listed_shares(sentence, ctx, patterns, listed) if listed else []
    percents = [pct for pct in percents if pct not in {p for p, _ in listed}]
    # a stage's words inside a name are no stage (*S&P Global Market Intelligence*)
    stages = [s for s in patterns.find("stage", folded) if not _capitalised_words(sentence.text[s[0] : s[1]])]
    stages_before = sorted(stages + patterns.find("stage_verb", folded))
    suppliers = patterns.find("supplier_cue", folded)
    consumers = patterns.find("consumer_cue", folded)
    years = [d for d in find_dates(sentence.text, patterns.lexicon, None) if d.datatype == "gYear"]
    # *The ECA report reveals …*, *USGS data show …*: a name before a ``source_noun`` tells where a figure is
    # from, it holds none
    actors = [
        m
        for m in sentence.mentions
        if ctx.actor_of(m.entity) and not patterns.starts_with("source_noun", folded[m.end : m.end + 30])
    ]
    # who a figure is credited to (*selon les données de l'U.S. Geological Survey (USGS)*), under any name
    sources = {m.entity for m in actors if _excluded(sentence, m, patterns, "party_exclusion_cue")}
    # a list of percentages each with its mineral and no holder of its own goes on with the paragraph's last
    # share: *China accounts for 97% of the EU's magnesium imports. The report reveals additional
    # dependencies: 39% for arsenic, 44% for baryte…*
    going_on = (
        ctx.last_share[1]
        if ctx.last_share and ctx.last_share[0] == sentence.paragraph and not actors and len(percents) >= 2
        else None
    )
    for i, pct in enumerate(percents):
        limit = percents[i + 1].start if i + 1 < len(percents) else len(folded)
        if patterns.has("composition_cue", folded[max(0, pct.start - 30) : pct.start]):
            continue
        if patterns.has("change_cue", folded[max(0, pct.start - 25) : pct.start]):
            continue  # a change, not a share: *a rise of 4.0%*, *surged 39%*, *un bond de 21 %*
        if patterns.has("not_a_share_cue", folded[max(0, pct.start - 150) : min(limit, pct.end + 25)]):
            continue  # a tariff or tax rate, an equity stake, a purity or recovery rate
        if any(0 <= pct.start - v[1] <= 15 for v in patterns.find("stake_verb", folded)) and any(
            0 <= m.start - pct.end <= 30 and ctx.cls(m.entity) == "Company" for m in sentence.mentions
        ):
            continue  # a stake bought in a company: *Sinomine acquérait 65 % de l'australien Junction Mining*
        # a verb of a stage counts only before its percentage (*Australia produces almost half of*), not after
        # (*65% of the dysprosium produced from Mt Weld*)
        before_stage = next((s for s in reversed(stages_before) if 0 <= pct.start - s[1] <= 40), None)
        parenthetical = before_stage and re.fullmatch(r"\s*\(\s*", folded[before_stage[1] : pct.start])
        stage = None if parenthetical else next((s for s in stages if pct.end <= s[0] < min(limit, pct.end + 90)), None)
        if (
            stage is not None
            and before_stage is not None
            and _minerals(sentence, ctx, pct.end, stage[0])
            and patterns.find("conjunction", folded[pct.end : stage[0]])
        ):
            stage = None  # *produces 40 percent of the world's uranium and has huge reserves*: the verb's stage
        stage = stage or before_stage
        supplied = next((s for s in suppliers if pct.end <= s[0] < min(limit, pct.end + 40)), None)
        # *the EU depends on China for 98% of its rare earths*: the supplier of a dependence before the figure
        depended = _depended_on(folded, patterns, actors, pct.start)
        listed_after = (
            facts
            and i > 0
            and pct.start - percents[i - 1].end <= 60
            and not any(percents[i - 1].end <= m.start < pct.start for m in actors)
        )
        if stage is None and facts and patterns.starts_with("stage_anaphora", folded[pct.end : pct.end + 20]):
            # *la moitié du raffinage mondial du lithium, 90 % de celui des terres rares*: the last figure's stage
            stage = (pct.start, pct.start, facts[-1].stage)
        elif stage is None and listed_after:
            # *100 % des activités de transformation du graphite, …, 75 % de celles de cobalt*: the same stage
            stage = (pct.start, pct.start, facts[-1].stage)
        elif stage is None and going_on is not None:
            stage = (pct.start, pct.start, going_on.stage)
        elif stage is None and depended is not None:
            stage = (pct.start, pct.start, "imports")
        elif stage is None and supplied is not None:
            # *Graphite, 70% of which comes from China*: a share of the world's output, or of a consumer's
            # imports when one is named
            stage = (pct.start, pct.start, "imports" if consumers else "production")
        if stage is None:
            continue
        stage_value = stage[2]
        supplier_verb = any(0 <= pct.start - v[1] <= 40 for v in patterns.find("supply_verb", folded))
        if stage_value == "production" and supplier_verb and any(pct.end <= c[0] < limit for c in consumers):
            # *la Chine fournit 98 % des terres rares utilisées en Europe*: a consumer's imports (*supplies 90
            # percent of the world's rare earths* stays production)
            stage_value = "imports"
        if stage_value == "production":
            # a more specific stage before it (*China imported … bauxite, with Guinea accounting for almost 70% of
            # supplies*), not one outside the brackets it stands in (*d'aimants utilisés … du Dysprosium (dont la
            # Chine fournit 99,8 %)*), nor one after an earlier figure (*un tiers des réserves mondiales, et la moitié
            # de la production*); else one right after the production's mineral (*la production d'antimoine raffiné*)
            # (a stage of the chain, not the market or the reserves before it: *la Chine domine le marché mondial
            # avec 76 % de la production totale de cobalt raffiné*; and not over the world's production named
            # right after the figure: *Pékin, qui fournit près de 90 % de la production mondiale*)
            world = patterns.has("world_word", folded[pct.end : stage[1] + 12]) if stage[0] >= pct.end else False
            specific = [
                s
                for s in stages
                if s[1] <= percents[0].start
                and s[2] in ("refining", "processing", "imports", "extraction", "magnets")
                and "(" not in folded[s[1] : pct.start]
                # (the stage a relative clause holding the figure is about stays: *des aimants, dont la Chine assure
                # 90 % de la production mondiale*)
                and (
                    not world
                    or any(
                        re.search(r",\s*$", folded[s[1] : s[1] + c[0]])
                        for c in patterns.find("share_of_antecedent", folded[s[1] : pct.start])
                    )
                )
            ]
            after = [
                s
                for s in stages
                if stage[1] < s[0] <= stage[1] + 40 and s[0] < limit and s[2] in ("refining", "magnets")
            ]
            stage_value = specific[-1][2] if specific else after[0][2] if after else stage_value
        supplier_cue = next((s for s in suppliers if pct.end <= s[0] < limit), None)
        consumer = None
        if supplier_cue:
            actor = next((m for m in actors if m.start >= supplier_cue[1]), None)
            consumer_mention = next(
                (
                    m
                    for m in actors
                    if m.start < supplier_cue[0]
                    and m is not actor
                    and any(c[0] <= m.start <= c[1] + 25 for c in consumers)
                ),
                None,
            )
            consumer = ctx.actor_of(consumer_mention.entity) if consumer_mention else None
        else:
            consumer_mention = next(
                (
                    m
                    for m in actors
                    if any(c[0] <= m.start <= c[1] + 25 for c in consumers) and pct.end <= m.start < limit
                ),
                None,
            )
            supplier_before = next(
                (m for m in reversed(actors) if m.end <= pct.start and m is not consumer_mention), None
            )
            if consumer_mention and stage_value == "imports" and supplier_verb and supplier_before is not None:
                # *la Chine …, fournissant près de 50 % des importations européennes*: the supplier's share of
                # the consumer's imports
                actor, consumer = supplier_before, ctx.actor_of(consumer_mention.entity)
            elif consumer_mention and stage_value == "imports":
                actor = consumer_mention
            else:
                before = [
                    m
                    for m in actors
                    if m.end <= pct.start
                    and (
                        not _excluded(sentence, m, patterns, "party_exclusion_cue")
                        or _opens_relative_clause(sentence, m, patterns)
                    )
                ]
                # *LKAB operates mines in Northern Sweden and produces about 80%*: where the holder works is
                # not the holder
                located = [m for m in before if _only_a_place(sentence, m, ctx, patterns)]
                if located and len(located) < len(before):
                    before = [m for m in before if m not in located]
                actor = (
                    before[-1]
                    if before
                    else next(
                        (m for m in actors if pct.end <= m.start < limit and m.entity not in sources),
                        None,
                    )
                )
        if stage_value == "imports" and not supplier_cue and actor is not None:
            # *The EU depends on China for 98% of its rare earths*, *L'UE importe 98 % de ses terres rares de
            # Chine*: the supplier holds the share of the importer's imports
            origin = next(
                (
                    m
                    for m in actors
                    if pct.end <= m.start < limit
                    and ctx.cls(m.entity) == "State"
                    and patterns.ends_with(
                        "origin_cue", re.sub(r"\bthe\s*$", "", folded[max(0, m.start - 20) : m.start])
                    )
                ),
                None,
            )
            supplier = depended or (origin if actor.end <= pct.start else None)
            if supplier is not None:
                importer = next((m for m in reversed(actors) if m.end <= depended.start), None) if depended else actor
                if importer is not None and importer is not supplier:
                    consumer = ctx.actor_of(importer.entity)
                actor = supplier
        if actor is None and going_on is not None:
            if not _minerals(sentence, ctx, pct.start, limit):
                continue
            actor = Mention(going_on.actor, pct.start, pct.start, "", "anaphora", 0.6, "anaphora")
            consumer = going_on.consumer
        if actor is None:
            # *The country refines 99 % of battery-grade graphite*: the state the paragraph is about; at a
            # paragraph's opening, the state the document is about (the one it named most so far)
            state = next((a for a in reversed(ctx.paragraph_actors) if ctx.cls(a) == "State"), None)
            state = state or ctx.main_state()
            if state is None or not patterns.has("country_anaphora", folded[: pct.start]):
                continue
            actor = Mention(state, pct.start, pct.start, "", "anaphora", 0.6, "anaphora")
        after_figure = _minerals(sentence, ctx, pct.start, limit)
        mineral_span = after_figure or _minerals(sentence, ctx)
        coordinated = _coordinated_minerals(sentence, folded, ctx, patterns, pct.end, limit)
        relative = [c for c in patterns.find("share_of_antecedent", folded) if 0 <= pct.start - c[1] <= 40]
        if relative or patterns.exact("share_of_antecedent").match(folded[pct.end : pct.end + 14].lstrip()):
            # *Graphite, 70% of which comes from China*, *le graphite, dont 70 % provient de Chine*, *le cobalt
            # – dont la RDC détient 72 % des réserves mondiales –*: the mineral named just before the relative
            cue = relative[-1][0] if relative else pct.start
            antecedent = [
                m.entity
                for m in sentence.mentions
                if ctx.cls(m.entity) == "Mineral" and m.end <= cue and cue - m.end <= 25
            ]
            mineral_span = tuple(antecedent[-1:]) or mineral_span
        groups = {ctx.broader.get(m) for m in mineral_span}
        if len(mineral_span) > 1 and len(groups) == 1 and None not in groups:
            mineral_span = (groups.pop(),)
        mineral = mineral_span[0] if mineral_span else (ctx.recent_minerals[-1] if ctx.recent_minerals else None)
        if mineral is None:
            continue
        # (*a extrait 130 000 tonnes de ce métal précieux, soit 70 %*: the group named before the figure too)
        mineral = _group_anaphora(sentence, ctx, patterns, mineral, pct.end if after_figure else 0, limit)
        if mineral in ctx.mineral_groups:
            # *Madagascar's share of global natural graphite has risen … to roughly 12%*, *critical minerals* only
            # further on: the mineral the clause named before the figure
            clause = _clause_start(folded, pct.start)
            before = [
                m.entity
                for m in sentence.mentions
                if clause <= m.start < pct.start
                and ctx.cls(m.entity) == "Mineral"
                and m.entity not in ctx.mineral_groups
            ]
            mineral = before[-1] if before else mineral
        actor_iri = ctx.actor_of(actor.entity)
        if actor_iri == consumer:
            consumer = None
        year = next((y.iso for y in years if abs(y.start - pct.start) <= 60), None)
        scope = None if stage_value == "imports" else _share_scope(sentence, ctx, patterns, pct.end, limit, actor_iri)
        if (
            scope is None
            and stage_value != "imports"
            and _share_scope(sentence, ctx, patterns, pct.end, limit, None) == actor_iri
        ):
            # The actor read first is whose output is measured (*75 % de la production d'or du Tadjikistan
            # est détenue par des entreprises chinoises*): the holder is another actor of the clause.
            holder = next(
                (ctx.actor_of(m.entity) for m in actors if m.start > actor.end and ctx.actor_of(m.entity) != actor_iri),
                None,
            )
            if holder is not None:
                actor_iri, scope = holder, actor_iri
        # *plus de la moitié du raffinage mondial de l'aluminium, du lithium et du cobalt*: the figure holds for
        # each mineral of the list it names
        for each in coordinated if len(coordinated) > 1 and coordinated[0] == mineral else [mineral]:
            facts.append(
                ShareFact(
                    actor_iri,
                    each,
                    stage_value,
                    pct.value,
                    pct.qualifier,
                    year,
                    sentence_evidence(sentence, "pattern:share", 0.75),
                    consumer,
                    scope,
                )
            )
    return facts


def _coordinated_minerals(
    sentence: Sentence, folded: str, ctx: Context, patterns: Patterns, start: int, end: int
) -> list[str]:
    """The minerals of the list that follows a figure between ``start`` and ``end`` (*du lithium, du cobalt et du
    nickel*, *of copper and nickel*): the first mineral named after the figure and those joined to it by
    commas, conjunctions and articles only, a list that ends with a conjunction; [] when the minerals are one
    group's members (*neodymium and praseodymium*: the group, as the share says) or no list follows."""
    end = min(end, _clause_limit(sentence, start, patterns))
    minerals = [m for m in sentence.mentions if start <= m.start < end and ctx.cls(m.entity) == "Mineral"]
    if len(minerals) < 2:
        return []
    run = [minerals[0]]
    for m in minerals[1:]:
        gap = folded[run[-1].end : m.start]
        if re.search(r"[\d%]", gap) or not _only_list_marks(gap, patterns):
            break  # (*65% of lithium, and 78% of niobium*: another figure's)
        run.append(m)
        if patterns.find("conjunction", gap):
            break
    if len(run) < 2 or not patterns.find("conjunction", folded[run[-2].end : run[-1].start]):
        return []
    entities = list(_unique(m.entity for m in run))
    groups = {ctx.broader.get(e) for e in entities}
    if len(groups) == 1 and None not in groups:
        return []
    return entities


def _listed_minerals(
    sentence: Sentence, ctx: Context, percents: list[Percent], folded: str, patterns: Patterns
) -> list[tuple[Percent, str]]:
    """The percentages of a sentence paired with their minerals when the sentence lists them so, else []:
    each percentage in brackets right after its mineral (*gallium (98%), graphite (97%), indium (93%)*), or
    percentages then as many minerals and *respectively* (*78% and 63% of niobium and silicon … came from
    China, respectively*). Two pairs at least."""
    minerals = [m for m in sentence.mentions if ctx.cls(m.entity) == "Mineral"]
    bracketed = []
    for pct in percents:
        mineral = next((m for m in minerals if re.fullmatch(r"\s*\(\s*", sentence.text[m.end : pct.start])), None)
        if mineral is not None:
            bracketed.append((pct, mineral.entity))
    if len(bracketed) >= 2:
        return bracketed
    respectively = patterns.find("respectively", folded)
    if not respectively:
        return []
    run = [percents[0]] if percents else []
    for pct in percents[1:]:
        if re.fullmatch(r"\s*(?:,|and|et)\s*", folded[run[-1].end : pct.start]):
            run.append(pct)
        elif len(run) < 2:
            run = [pct]
    after = [m.entity for m in minerals if run and run[-1].end <= m.start < respectively[0][0]]
    after = list(dict.fromkeys(after))
    if len(run) >= 2 and len(after) == len(run):
        return list(zip(run, after))
    return []


def _bracketed_holders(
    sentence: Sentence, ctx: Context, percents: list[Percent], folded: str, patterns: Patterns
) -> list[ShareFact]:
    """Shares of holders each written with its percentage in brackets, then one stage and one mineral for all
    (*l'Australie (46%) et le Chili (24%) occupent près de 70% de la production mondiale de lithium*), or []:
    two holders at least; a percentage outside the brackets is their sum, no share of its own."""
    actors = [m for m in sentence.mentions if ctx.cls(ctx.actor_of(m.entity) or "") in ("State", "Company")]
    pairs = []
    for pct in percents:
        holder = next((m for m in actors if re.fullmatch(r"\s*\(\s*", sentence.text[m.end : pct.start])), None)
        if holder is not None:
            pairs.append((holder, pct))
    if len(pairs) < 2:
        return []
    after = pairs[-1][1].end
    stage = next((st for st in patterns.find("stage", folded) if st[0] >= after), None)
    minerals = _minerals(sentence, ctx, after)
    if stage is None or not minerals:
        return []
    years = [d for d in find_dates(sentence.text, patterns.lexicon, None) if d.datatype == "gYear"]
    evidence = sentence_evidence(sentence, "pattern:share", 0.75)
    return [
        ShareFact(
            ctx.actor_of(holder.entity),
            minerals[0],
            stage[2],
            pct.value,
            pct.qualifier,
            years[0].iso if years else None,
            evidence,
            None,
            None,
        )
        for holder, pct in pairs
    ]


def _depended_on(folded: str, patterns: Patterns, actors: list[Mention], position: int) -> Mention | None:
    """The actor named right after a dependence (lexicon ``dependency_on``: *depends on China for*, *dépend de
    la Chine pour*) before ``position`` in its clause of the folded sentence, or None."""
    start = _clause_start(folded, position)
    for cue in patterns.find("dependency_on", folded):
        if start <= cue[0] and cue[1] <= position:
            found = next((m for m in actors if 0 <= m.start - cue[1] <= 6 and m.end <= position), None)
            if found is not None:
                return found
    return None


def _listed_shares(
    sentence: Sentence, ctx: Context, patterns: Patterns, listed: list[tuple[Percent, str]]
) -> list[ShareFact]:
    """Shares of a list of minerals with their percentages (:func:`_listed_minerals`): one holder and one
    stage for all, read from the sentence. The holder is the actor that supplies (*came from China*,
    *dependence on China*) or else the last actor before the list; the stage is the last stage word before the
    first percentage, imports for a dependence, else the stage after the list."""
    folded = fold(sentence.text)
    first = listed[0][0].start
    actors = [
        m
        for m in sentence.mentions
        if ctx.cls(ctx.actor_of(m.entity) or "") in ("State", "Company", "InternationalOrganization")
    ]
    supplier = next(
        (
            m
            for m in actors
            if any(
                0 <= m.start - c[1] <= 12
                for c in patterns.find("supplier_cue", folded) + patterns.find("dependency_on", folded)
            )
        ),
        None,
    )
    before = [m for m in actors if m.end <= first]
    holder = supplier or (before[-1] if before else None)
    if holder is None:
        return []
    stages = patterns.find("stage", folded)
    dependence = supplier is not None or any(d[1] <= first for d in patterns.find("dependency", folded))
    stage = next((st[2] for st in reversed(stages) if st[1] <= first), None)
    stage = stage or ("imports" if dependence else next((st[2] for st in stages if st[0] >= first), None))
    if stage is None:
        return []
    consumer = next(
        (
            ctx.actor_of(m.entity)
            for m in actors
            if m is not holder and any(c[0] <= m.start <= c[1] + 25 for c in patterns.find("consumer_cue", folded))
        ),
        None,
    )
    years = [d for d in find_dates(sentence.text, patterns.lexicon, None) if d.datatype == "gYear"]
    evidence = sentence_evidence(sentence, "pattern:share", 0.75)
    return [
        ShareFact(
            ctx.actor_of(holder.entity),
            mineral,
            stage,
            pct.value,
            pct.qualifier,
            next((y.iso for y in years if abs(y.start - pct.start) <= 60), None),
            evidence,
            consumer if stage == "imports" else None,
            None,
        )
        for pct, mineral in listed
    ]


def _group_anaphora(sentence: Sentence, ctx: Context, patterns: Patterns, mineral: str, start: int, end: int) -> str:
    """The mineral a group's name in the singular after a definite article points back to (*China accounted
    for 78% of global refined output of the battery metal*, after cobalt): the paragraph's last mineral that is
    no group; else the group itself."""
    if mineral not in ctx.mineral_groups:
        return mineral
    mention = next((m for m in sentence.mentions if m.entity == mineral and start <= m.start < end), None)
    if mention is None or fold(mention.text).endswith("s"):
        return mineral
    if not patterns.ends_with("definite_article", fold(sentence.text[max(0, mention.start - 12) : mention.start])):
        return mineral
    specific = [m for m in ctx.recent_minerals if m not in ctx.mineral_groups]
    return specific[-1] if specific else mineral


def _share_scope(sentence: Sentence, ctx: Context, patterns: Patterns, start: int, end: int, actor: str) -> str | None:
    """The state or company whose output a percentage measures, when the sentence says so after it:
    *75 % of Indonesia's nickel refining*, *75 % de la production d'or du Tadjikistan*, *de la production
    tadjike*; None for a share of the world."""
    folded = fold(sentence.text)
    for m in sentence.mentions:
        if not start <= m.start < end or ctx.cls(m.entity) not in ("State", "Company"):
            continue
        scope = ctx.actor_of(m.entity)
        if scope is None or scope == actor:
            continue
        after = sentence.text[m.end : m.end + 3]
        if after.startswith(("'s", "’s")) and m.via != "demonym":
            return scope
        before = folded[max(start, m.start - 45) : m.start]
        stages = patterns.find("stage", before)
        if stages and re.fullmatch(
            r"\s*(?:(?:d'|de |of )\w+\s+)?(?:(?:du|de la|de l'|d'|des|of|of the)\s*)?", before[stages[-1][1] :]
        ):
            return scope
        located = re.search(r"\b(?:en|in|au|aux)\s*$", before)
        if stages and located and m.via != "demonym":
            # *72 % des mines de cobalt et de cuivre en RDC*: a stage, its minerals, then where
            base = max(start, m.start - 45)
            gap_start, gap_end = base + stages[-1][1], base + located.start()
            minerals = [
                n
                for n in sentence.mentions
                if ctx.cls(n.entity) == "Mineral" and gap_start <= n.start < n.end <= gap_end
            ]
            cuts = [gap_start, *(x for n in minerals for x in (n.start, n.end)), gap_end]
            words = " ".join(folded[a:b] for a, b in zip(cuts[::2], cuts[1::2]))
            if minerals and _only_list_marks(words, patterns):
                return scope
    return None


# --- measures ------------------------------------------------------------------------------------


def export_restrictions(folded: str, patterns: Patterns) -> list[tuple[int, int, str]]:
    """Export controls written in the text's own words: a restricting word of the lexicon
    (``restriction_word``: *restreint*, *resserré*, *banned*, *curbs*…) with an export word (``export_word``)
    at most five words after it (*les restrictions de la Chine sur les exportations*, *a resserré les
    exportations de certains produits*, *imposed curbs on cobalt exports*; an aside between commas not counted),
    or an export word with a restricting word at most two words after it (*exports were
    banned*). Spans as :meth:`Patterns.find` gives them."""
    restricting = patterns.find("restriction_word", folded)
    exports = patterns.find("export_word", folded)
    found = []
    for e_start, e_end, _ in exports:
        # an aside between commas does not count (*a suspendu pour 4 mois, à partir du 22 février, ses exportations*)
        before = [
            r
            for r in restricting
            if r[1] <= e_start and len(re.sub(r",[^,;.]*,", " ", folded[r[1] : e_start]).split()) <= 5
        ]
        after = [r for r in restricting if e_end <= r[0] and len(folded[e_end : r[0]].split()) <= 2]
        if before:
            found.append((before[-1][0], e_end, "ExportControl"))
        elif after:
            found.append((e_start, after[0][1], "ExportControl"))
    return found


def _genitive_gap(gap: str, patterns: Patterns) -> bool:
    """True when a gap of text holds only linking words (lexicon ``linking_word``: *of the*, *de la*), and at
    least one: the genitive of what comes before."""
    words = re.findall(r"\w+", gap)
    return (
        bool(words)
        and not re.sub(r"[\w\s']", "", gap)
        and all(w in patterns.lexicon.words("linking_word") for w in words)
    )


def extract_measures(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[MeasureFact]:
    """Export controls, tariffs, price floors, stockpiling and laws, with imposer and targets.

    The imposer is the agent of a passive (``annoncées par la Chine``), else the actor nearest the
    trigger that is neither a target (``visant les États-Unis``) nor after an exclusion cue; a measure
    whose imposer cannot be read is left out. A law told with a measure of another kind by the same imposer
    is that measure's instrument (*signed an executive order imposing tariffs of 50% on copper*), not a measure
    of its own.
    """
    measures = _measures_of(sentence, ctx, patterns)
    imposing = {m.imposer for m in measures if m.kind != "Law"}
    return [m for m in measures if m.kind != "Law" or m.imposer not in imposing]


def _measures_of(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[MeasureFact]:
    """:func:`extract_measures` before a law that is another measure's instrument is taken out."""
    folded = fold(sentence.text)
    triggers = patterns.find("measure", folded)
    triggers += [
        t for t in export_restrictions(folded, patterns) if not any(t[0] < u[1] and u[0] < t[1] for u in triggers)
    ]
    triggers.sort()
    law_names = _law_names(sentence.text, ctx)
    if not triggers and not law_names and not (ctx.last_measure and patterns.has("similar_measure", folded)):
        return []
    target_cues = patterns.find("measure_target_cue", folded)
    agent_cues = patterns.find("agent_cue", folded)
    dates = find_dates(sentence.text, patterns.lexicon, ctx.document_date)
    status = "suspended" if patterns.has("measure_suspended", folded) else None
    actors = [m for m in sentence.mentions if ctx.cls(ctx.actor_of(m.entity) or "") in _IMPOSERS]

    def is_target(m: Mention) -> bool:
        return any(c[1] <= m.start and re.fullmatch(r"[^,;.()]{0,30}", folded[c[1] : m.start]) for c in target_cues)

    def state_of(actor: str | None) -> str | None:
        """A body acts for its state; a body whose state nobody named (*the Mines and Energy Ministry*) for
        the state its paragraph is about, else the state the document named last."""
        if ctx.cls(actor or "") != "GovernmentBody":
            return actor
        if actor in ctx.affiliations:
            return ctx.affiliations[actor]
        named = [a for a in ctx.carried_actors() if ctx.cls(a) == "State"] or ctx.document_states
        return named[-1] if named else actor

    def imposer_near(position: int, end: int) -> str | None:
        return state_of(_imposer_near(position, end))

    def _imposer_near(position: int, end: int) -> str | None:
        # *les restrictions de la Chine sur les exportations*: the actor in the genitive of the trigger's
        # first word is the measure's author
        first = re.match(r"\w+", folded[position:end])
        first_end = position + first.end() if first else end
        genitive = next(
            (m for m in actors if m.start >= first_end and _genitive_gap(folded[first_end : m.start], patterns)), None
        )
        if genitive is not None and not is_target(genitive):
            return ctx.actor_of(genitive.entity)
        agent = next(
            (
                m
                for m in actors
                if any(
                    c[1] <= m.start
                    and re.fullmatch(r"[^,;.()]{0,12}", folded[c[1] : m.start])
                    and (0 <= c[0] - end <= 60 or 0 <= position - m.end <= 40)
                    for c in agent_cues
                )
            ),
            None,
        )
        if agent:
            return ctx.actor_of(agent.entity)
        # an actor well after the trigger names what the measure answers or touches (*put restrictions on
        # their export as part of its response to U.S. tariffs*), so one before it or right after it is nearer
        targeted = {ctx.actor_of(m.entity) for m in actors if is_target(m)}
        candidates = [
            (abs(m.start - position) + (200 if len(folded[end : m.start].split()) > 3 else 0), ctx.actor_of(m.entity))
            for m in actors
            if not is_target(m)
            # *tariffs on Canadian copper, … Canada's Mining Association wrote*: the target, not the imposer
            and not (ctx.actor_of(m.entity) in targeted and m.start >= end)
            and not _excluded(sentence, m, patterns, "party_exclusion_cue")
            and not _company_nationality(sentence, m, patterns, ctx)  # *les droits de l'entreprise française*
        ]
        if candidates:
            return min(candidates)[1]
        bare = [
            a
            for a in patterns.find("body_anaphora", folded[:position])
            if not re.match(r"\s+(?:of|for|de|du|des|d')\b", folded[a[1] :])
        ]
        if ctx.document_bodies and bare:
            return ctx.document_bodies[-1]  # *the department imposed a countervailing duty*, not *le ministère de*
        paragraph = next((a for a in reversed(ctx.carried_actors()) if ctx.cls(a) in _IMPOSERS), None)
        if paragraph is None and ctx.document_states and patterns.has("country_anaphora", folded[:position]):
            return ctx.document_states[-1]  # *Le pays a également resserré les exportations…*
        return paragraph

    facts: list[MeasureFact] = []
    kinds_seen: dict[str, list[tuple[str, ...]]] = {}
    for i, (t_start, t_end, kind) in enumerate(triggers):
        if kind == "Law" and law_names:
            continue
        # a second trigger of the same kind is another measure when minerals of its own follow it (*a resserré
        # les exportations de graphite et, depuis août, a restreint les exportations de gallium*)
        following = next((t[0] for t in triggers[i + 1 :] if t[2] == kind), len(sentence.text))
        own = _minerals(sentence, ctx, t_end, following)
        if kind in kinds_seen and (not own or own in kinds_seen[kind]):
            continue
        if patterns.ends_with("measure_lifted_cue", folded[max(0, t_start - 40) : t_start]):
            continue  # *renoncer à toute restriction aux exportations*, *lifted the export ban*
        if patterns.find("measure_avoided_cue", folded[max(0, t_start - 30) : t_start]):
            continue  # *Canada, Chile and Peru aim to fend off potential tariffs*: those who would bear it
        minerals = own if kind in kinds_seen or following < len(sentence.text) and own else _minerals(sentence, ctx)
        kinds_seen.setdefault(kind, []).append(minerals)
        imposer = imposer_near(t_start, t_end)
        if imposer is None and kind == "ExportControl" and minerals and not actors:
            # *l'interdiction d'exportation du minerai de nickel décidée en 2020*, no one named: a state bans
            # its own exports, the one the document is about
            imposer = ctx.main_state()
        if imposer is None:
            continue
        targets = _unique(ctx.actor_of(m.entity) for m in actors if is_target(m))
        facts.append(
            MeasureFact(
                kind,
                imposer,
                tuple(t for t in targets if t != imposer),
                minerals,
                _date(dates, near=t_start),
                status,
                sentence_evidence(sentence, "pattern:measure", 0.7),
            )
        )
    similar = patterns.find("similar_measure", folded)
    if not facts and not law_names and similar and ctx.last_measure is not None:
        # *le Zimbabwe a pris une mesure similaire concernant l'exportation de lithium*: the last measure's
        # kind, taken by the actor named before the phrase
        before = [m for m in actors if m.end <= similar[0][0] and not is_target(m)]
        imposer = state_of(ctx.actor_of(before[-1].entity)) if before else None
        if imposer is not None and imposer != ctx.last_measure.imposer:
            facts.append(
                MeasureFact(
                    ctx.last_measure.kind,
                    imposer,
                    (),
                    _minerals(sentence, ctx) or ctx.last_measure.minerals,
                    _date(dates),
                    status,
                    sentence_evidence(sentence, "pattern:measure", 0.6),
                )
            )
    for start, name in law_names:
        imposer = imposer_near(start, start + len(name))
        facts.append(
            MeasureFact(
                "Law",
                imposer,
                (),
                _minerals(sentence, ctx),
                _date(dates, near=start),
                status,
                sentence_evidence(sentence, "pattern:law", 0.7),
                name=name,
            )
        )
    if facts:
        ctx.last_measure = facts[-1]
    return facts


def measures_of_states(measures: list[MeasureFact], ctx: Context) -> list[MeasureFact]:
    """One document's measures with every imposer a state or union: a body whose state the document had not
    named when the measure was read (*The Senate Chief introduced a provision … which prohibits the exports of
    raw minerals*, the Philippines named paragraphs later) imposes for the state the whole document names
    most."""
    state = ctx.main_state()
    return [
        replace(m, imposer=ctx.affiliations.get(m.imposer) or state or m.imposer)
        if ctx.cls(m.imposer) == "GovernmentBody"
        else m
        for m in measures
    ]


def _law_names(text: str, ctx: Context) -> list[tuple[int, str]]:
    """The laws a sentence names, with their offsets: *the Inflation Reduction Act*, *Loi sur les mines*. A
    second name in apposition to the first is the same law (*Senate Bill No. 2826, the Enhanced Fiscal Regime
    for Large-Scale Metallic Mining bill*), and *The bill* alone is the document's last named law."""
    found = sorted(
        [(m.start(1), m.end(1), m.group(1).strip()) for m in _LAW_NAME.finditer(text)]
        + [(m.start(1), m.end(1), m.group(1).strip()) for m in _LOI_NAME.finditer(text)]
    )
    names: list[tuple[int, str]] = []
    previous_end: int | None = None
    for start, end, name in found:
        if re.fullmatch(r"(?:The|This|the|this)\s+\w+", name):
            if ctx.last_law is None:
                continue
            name = ctx.last_law
        elif previous_end is not None and re.fullmatch(
            r"[\s,]*(?:No\.?\s*\d+)?\s*,?\s*(?:(?:the|le|la)\s+[^,.;()]*)?", text[previous_end:start]
        ):
            previous_end = end
            continue
        names.append((start, name))
        previous_end = end
    if names:
        ctx.last_law = names[-1][1]
    return names


def _months(iso: str) -> int:
    """A date's month count since year 0 (*2025-07-02* → 24307), for dates a few weeks apart."""
    parts = iso.split("-")
    return int(parts[0]) * 12 + (int(parts[1]) if len(parts) > 1 else 6)


def same_measures(measures: list[MeasureFact]) -> list[MeasureFact]:
    """One document's measures with its repeated mentions resolved: two mentions of a measure of the same
    kind, imposer and name (*Namibia has decided to put restriction on the export of unprocessed lithium*,
    then *the cabinet had authorised the restriction of lithium, cobalt, manganese…* on 8 June) are one measure
    when one's minerals are among the other's and the one naming fewer gives no other date (for the same
    minerals, *2026* and *25 February 2026* are one date, the precise one kept, and dates at most two months
    apart are the announcement and the start of one measure); every mention then
    carries the fuller one's minerals and date (and its own targets), and adds its sentence as evidence. Measures on other
    minerals (*gallium* and *graphite*; *gallium and germanium* in 2023, then *antimony* in 2024) stay apart."""

    def covers(full: MeasureFact, part: MeasureFact) -> bool:
        return (
            (full.kind, full.imposer, full.name) == (part.kind, part.imposer, part.name)
            and set(part.minerals) <= set(full.minerals)
            and (
                part.date is None
                or part.date == full.date
                or full.date is not None
                and set(part.minerals) == set(full.minerals)
                and (
                    full.date.iso.startswith(part.date.iso)
                    or part.date.iso.startswith(full.date.iso)
                    or bool(part.minerals)
                    and abs(_months(full.date.iso) - _months(part.date.iso)) <= 2
                )
            )
        )

    def fuller(a: MeasureFact, b: MeasureFact) -> MeasureFact:
        """Of two mentions that cover each other, the one with more minerals, else the more precise date."""
        if set(a.minerals) != set(b.minerals):
            return a if len(a.minerals) > len(b.minerals) else b
        return a if a.date is not None and (b.date is None or len(a.date.iso) >= len(b.date.iso)) else b

    fullest: list[MeasureFact] = []
    for m in measures:
        cover = next((f for f in fullest if covers(f, m)), None)
        if cover is None:
            fullest = [f for f in fullest if not covers(m, f)] + [m]
        elif covers(m, cover) and fuller(m, cover) is m:
            fullest = [m if f is cover else f for f in fullest]
    resolved = []
    for m in measures:
        full = next((f for f in fullest if covers(f, m)), m)
        resolved.append(replace(m, minerals=full.minerals, date=full.date))  # each keeps its own targets
    return resolved


# --- projects ------------------------------------------------------------------------------------


def _project_name(text: str, after: int, folded: str, patterns: Patterns) -> tuple[list[str], int] | None:
    """A proper name right after a trigger: ``de Dobra``, ``(Mountain Pass, ...)``, ``rebaptisé « X »``."""
    rest = text[after : after + 120]
    folded_rest = folded[after : after + 120]
    skip = re.match(r"\s*(?:\(|,)?\s*", rest).end()
    described = re.match(r"[a-zéèêàâîôûç-]+\s*,\s*", rest[skip:])
    if described and any(c[0] == 0 for c in patterns.find("example_cue", folded_rest[skip + described.end() :])):
        skip += described.end()  # *les mines africaines, telles que Molo*: an adjective, then the examples
    example = next((c for c in patterns.find("example_cue", folded_rest[skip:]) if c[0] == 0), None)
    if example:  # *des mines telles que Collahuasi et Quebrada Blanca*, *mines such as*
        skip += example[1] + len(rest[skip + example[1] :]) - len(rest[skip + example[1] :].lstrip())
    link = re.match(r"(\w+(?:'|\s))\s*", folded_rest[skip:])
    adjective = re.match(r"[a-zéèêàâîôûç-]+\s+", rest[skip:])
    if adjective and fold(adjective.group(0).strip()) in patterns.lexicon.words("locative"):
        return None  # *des projets en République démocratique du Congo*: where, not a name
    if adjective and fold(adjective.group(0).strip()) in common_words():
        adjective = None  # *the Pozuelos project with Lithium Argentina's …*: a function word, no adjective
    if adjective and not (link and patterns.has("project_name_link", link.group(1).strip())):
        skip += adjective.end()
        link = re.match(r"(\w+(?:'|\s))\s*", folded_rest[skip:])
    if link and patterns.has("project_name_link", link.group(1).strip()):
        skip += link.end()
        # *le gisement de lithium de Manono*, *la mine de cuivre et de cobalt de Tenke*, *le gisement de terres
        # rares de Kvanefjeld*: minerals (at most four lower-case words) between two links, then the name
        noun = re.match(r"[a-zéèêàâîôûç-]+\s+", rest[skip:])
        between = re.match(r"((?:[a-zéèêàâîôûç-]+\s+){1,4}?)(\w+(?:'|\s))\s*(?=[A-ZÉÈÀÂÎÔÛÇ])", rest[skip:])
        # (not a place's words: *un gisement de lithium dans la région de Kayes* is where it is)
        placing = patterns.lexicon.words_of("locative", "region_word", "place_head")
        if (
            between
            and patterns.has("project_name_link", fold(between.group(2)).strip())
            and not any(fold(w) in placing for w in between.group(1).split())
        ):
            skip += between.end()
        elif noun and re.match(r"[A-ZÉÈÀÂÎÔÛÇ]", rest[skip + noun.end() :]):
            skip += noun.end()  # *le projet de lithium Jadar*
        elif apposed := re.match(r"[a-zéèêàâîôûç-]+\s*,\s*(?=[A-ZÉÈÀÂÎÔÛÇ])", rest[skip:]):
            skip += apposed.end()  # *le principal site minier du pays, Mount Weld*: the name in apposition
    quoted = _QUOTED.match(rest[skip:])
    if quoted and quoted.group(1)[:1].isupper() and len(quoted.group(1).split()) <= 10:
        return [quoted.group(1).strip()], after + skip + quoted.end()
    name = _proper(patterns).pattern
    proper = re.match(rf"({name})(?:\s+(?:et|and)\s+({name}))?", rest[skip:])
    if proper and len(proper.group(1)) >= 3:
        names = [n.strip(" ,.-") for n in (proper.group(1), proper.group(2)) if n]
        if example:  # a list of examples: *Collahuasi and Quebrada Blanca* are two
            names = [part for n in names for part in re.split(r"\s+(?:and|et)\s+", n)]
        return names, after + skip + proper.end()
    return None


def _project_name_before(
    text: str, trigger: int, patterns: Patterns, mentions: list[Mention] = ()
) -> tuple[list[str], int] | None:
    """A name written before the trigger, as English writes it: *the Kansanshi mine* (*The Jadar mine* opening a
    sentence too), *its flagship Cobre Panama
    copper mine*, *the Rose lithium-tantalum project*, *the Kansanshi and Sentinel copper mines* (a determiner,
    at most one lower-case word, capitalised words joined by *and*, at most two lower-case words such as
    minerals)."""
    # particles inside a name: *Sal de la Puna*, *Filo del Sol*
    word = r"[A-Z][\w'’.-]*"
    # an abbreviation in brackets may follow the name: *the Filo del Sol (FDS) and Josemaria copper projects*
    run = rf"{word}(?:\s+(?:(?:{_PARTICLE}|del|los|las)\s+)*{word}){{0,3}}"
    capitalised = rf"{run}\s+(?:\([A-Z]{{2,6}}\)\s+)?"
    # *the Rincon West, Antofalla North, Pocitos and Incahuasi brine projects*: a list of names
    before = re.search(
        rf"(?:^|\s)(?:[Tt]he|[Ii]ts|[Tt]heir|his|her|[A-Z][\w-]*['’]s|[A-Z][\w-]*s['’]|(?P<bare>[a-z]+))\s+(?:[a-z][\w-]*(?:['’]s)?\s+)?"
        rf"(?P<name>(?:{run},\s+)*{capitalised}(?:and\s+{capitalised})?)"
        r"((?:[a-z][a-z/-]*\s+){0,3})$",  # *the Kamoto copper/cobalt mine*
        text[:trigger],
    )
    if not before:
        return None
    name_end = before.start("name") + len(before.group("name").rstrip())
    if before.group("bare") and any(m.start == before.start("name") and m.end == name_end for m in mentions):
        return None  # *a single Nevada facility*: with no determiner, a known name is where the plant is
    # *Rio's Rincon project*: the name after its owner's possessive
    names = [
        re.sub(r"^.*['’]s?\s+|\s*\([A-Z]+\)$", "", n.strip())
        for n in re.split(r"\s+and\s+|,\s+", before.group("name").strip())
    ]
    dates = patterns.lexicon.words_of("month", "weekday")
    if any(
        len(n) < 3
        or patterns.has("entity_stopword", fold(n.split()[0]))
        or re.search(r"['’]s?$|\d|^\S+-[a-z]+$", n)  # *Vulcan's lithium project*; *R10.5bn Keliber*; *UK-based*
        or fold(n) in dates
        for n in names
    ):
        return None
    return names, trigger


def _project_name_apposed(text: str, trigger: int, patterns: Patterns) -> tuple[list[str], int] | None:
    """A name that the trigger describes in apposition, after an indefinite determiner (lexicon
    ``apposition_determiner``): *Kabanga, un projet détenu à 84 %*, *Imouraren, l'un des plus grands gisements
    d'uranium*, *Kipushi, a zinc mine*."""
    if "apposed_project" not in patterns.compiled:
        phrases = sorted((p for p, _ in patterns.lexicon.phrases("apposition_determiner")), key=len, reverse=True)
        determiners = "|".join(re.escape(p).replace("'", "['’]") for p in phrases) or "(?!)"
        apposed = re.compile(
            r"(?:^|[\s(]|\b[dlDL]['’])([A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*){0,3}),\s+"
            rf"(?:{determiners})\s+(?:[\w-]+\s+){{0,3}}$"
        )
        patterns.compiled["apposed_project"] = (apposed, {})
    before = patterns.compiled["apposed_project"][0].search(text[:trigger])
    if not before or len(before.group(1)) < 3:
        return None
    return [before.group(1)], trigger


def _project_named_so(text: str, after: int, folded: str, patterns: Patterns) -> tuple[list[str], int] | None:
    """A name given with a naming word later in the sentence (lexicon ``naming_cue``): *Ce gisement … a été
    nommé "Nouveau Kazakhstan"*, *the deposit, dubbed "Tanbreez"*: the quoted words, or the capitalised ones,
    right after the cue."""
    cue = next((c for c in patterns.find("naming_cue", folded) if c[0] >= after), None)
    if cue is None:
        return None
    rest = text[cue[1] :]
    quoted = _QUOTED.match(rest.lstrip()) or re.match(r"\s*[“‘]([^”’]{2,60})[”’]", rest)
    if quoted:
        return [quoted.group(1).strip()], cue[1] + quoted.end()
    proper = _proper(patterns).match(rest.lstrip())
    if proper and len(proper.group(0)) >= 3:
        return [proper.group(0)], cue[1] + len(rest) - len(rest.lstrip()) + proper.end()
    return None


def _before_owner(name: str, mentions: list[Mention], ctx: Context) -> str:
    """A project's name without the owner named after it (*Jadar de Rio Tinto* → *Jadar*, *Kamoto du Katanga* →
    *Kamoto*); a place after a bare particle is part of the name (*Cerro de Pasco*)."""
    for m in mentions:
        link = r"(?:du|des|de la|de l'|of the)\s*" if ctx.cls(m.entity) == "Place" else r"(?:de|du|des|d'|of|by)\s*"
        owner = re.search(rf"\s+{link}{re.escape(m.text)}", name)
        if owner and owner.start() > 0:
            name = name[: owner.start()]
    return name


def _nearest(text: str, name: str, at: int) -> int:
    """Where ``name`` occurs in ``text`` nearest to ``at`` (-1 when it does not)."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    return min(starts, key=lambda start: abs(start - at), default=-1)


def _only_named_things(name: str, sentence: Sentence, ctx: Context) -> bool:
    """True when every word of a would-be project name is part of a mention other than a place's: *First
    Quantum's Zambian Copper Mines* names a nationality and a mineral, no mine."""
    at = sentence.text.find(name)
    if at < 0 or " " not in name:
        return False
    covered = [m for m in sentence.mentions if ctx.cls(m.entity) != "Place" and m.end > at and m.start < at + len(name)]
    return all(
        any(m.start <= at + w.start() and at + w.end() <= m.end for m in covered) for w in re.finditer(r"\S+", name)
    )


def _capitalised_project_name(text: str, t_start: int, t_end: int) -> str | None:
    """The whole name when the trigger is written with a capital inside a name (*the Critical Minerals
    Infrastructure Fund*, *the United States-Ukraine Reconstruction Investment Fund*): the capitalised words
    before it and the trigger; none when it names an institution of a state (*Export and Investment Fund of
    Denmark*) or when no capitalised word comes before it (*le ministre des Mines*), unless the name opens with
    the trigger, in quotes (*le « Projet Vault »*)."""
    if re.match(r"\s+(?:of|de|du|des)\s+[A-ZÉ]", text[t_end:]):
        return None
    run = re.search(r"((?:[A-Z][\w'’.-]*\s+)+)$", text[:t_start])
    if run and re.match(r"\s+[A-Z]", text[t_end:]):
        return None  # *Strategic Asset Reserve*: the name goes on, its last trigger names it
    if not run or run.start() == 0 and len(run.group(1).split()) == 1:
        # *le « Projet Vault »*: a name in quotes that opens with the trigger
        after = re.match(r"\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s*([»”\"’]?)", text[t_end:])
        quoted = re.search(r"[«“\"‘]\s*$", text[:t_start])
        if after and quoted and after.group(2):
            return text[t_start : t_end + after.end(1)]
        return None
    # *Zambia's Lubambe Copper Mine*: the name after its country's or owner's possessive
    possessive = re.match(r"(?:[A-Z][\w.-]*['’]s?\s+)+", run.group(1))
    start = run.start() + (possessive.end() if possessive and possessive.end() < len(run.group(1)) else 0)
    return text[start:t_end]


def extract_projects(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[ProjectFact]:
    """Mines, refineries, plants, funds, stockpiles and corridors: named ones, and funded ones."""
    folded = fold(sentence.text)
    triggers = patterns.find("project", folded)
    if not triggers:
        return []
    money = find_money(sentence.text, patterns.lexicon)
    dates = find_dates(sentence.text, patterns.lexicon, ctx.document_date)
    facts: list[ProjectFact] = []
    used_until = -1
    not_projects = patterns.find("not_a_project", folded)

    def definite_before(position: int) -> bool:
        """Whether a definite article or a possessive comes right before (a word between allowed): *the
        mine*, *sa raffinerie* point back to a project already told."""
        words = re.findall(r"[\w']+", folded[max(0, position - 30) : position])[-2:]
        return any(w in patterns.lexicon.words_of("definite_article", "possessive_determiner") for w in words)

    for t_start, t_end, kind in triggers:
        if t_start < used_until or any(m.start <= t_start < m.end for m in sentence.mentions):
            continue
        built = any(0 <= t_start - b[1] <= 60 for b in patterns.find("build_verb", folded))
        if any(n[0] <= t_start < n[1] for n in not_projects) and not (kind == "Stockpile" and built):
            # *en fonds propres*, *investment funds* that own a company, *a reserve of 30,000 tons* in the ground
            # (but *la création d'une réserve de terres rares* makes a stockpile)
            continue
        if patterns.ends_with("reporting_cue", re.sub(r"\bthe\s*$", "", folded[max(0, t_start - 40) : t_start])):
            continue  # *selon le site MineralInfo*: where a figure is from, no project
        if kind == "Fund" and (
            re.search(r"-based\s+$", folded[max(0, t_start - 12) : t_start])
            or any(m.via == "demonym" and 0 <= t_start - m.end <= 1 for m in sentence.mentions)
        ):
            continue  # *The Qatari fund's chief executive*, *a UK-based fund*: an investor, no fund set up
        names: list[str] = []
        if sentence.text[t_start].isupper() and t_start > 0:
            whole = _capitalised_project_name(sentence.text, t_start, t_end)
            if whole is None:
                continue
            if kind in ("Project", "Mine") and whole.endswith(sentence.text[t_start:t_end]):
                whole = whole[: t_start - t_end].rstrip() or whole  # *the Tanbreez Project* is Tanbreez
            candidates, apposed = [([whole], t_end)], None
        else:
            apposed = _project_name_apposed(sentence.text, t_start, patterns)
            rest = folded[t_end : t_end + 60].split(",")[0].split()
            if apposed and any(w in patterns.lexicon.words("company_cue") for w in rest):
                apposed = None  # *JCHX, a mine maintenance and contracting company*: a company
            after = _project_name(sentence.text, t_end, folded, patterns)
            if after and folded[t_start:t_end].endswith("s") and not folded[t_start:t_end].endswith("ss"):
                # *the two deposits, Ruangkiet and E-thum*: a plural trigger names each of its projects
                after = ([part for n in after[0] for part in re.split(r"\s+(?:and|et)\s+", n)], after[1])
            if after and patterns.find("superlative", folded[max(0, t_start - 25) : t_start]):
                # *l'un des plus grands gisements d'Afrique*: the place a superlative ranks in, no name
                places = {fold(m.text) for m in sentence.mentions if ctx.cls(m.entity) in ("Place", "State")}
                after = None if all(fold(n) in places for n in after[0]) else after
            candidates = [
                after,
                _project_name_before(sentence.text, t_start, patterns, sentence.mentions),
                apposed,
            ]
        candidates.append(_project_named_so(sentence.text, t_end, folded, patterns))
        for named in candidates:
            if named and not names:
                # *the Nevada-based Thacker Pass mine*: a compound ending in lower case describes, it names not
                names = [re.sub(r"^\S+-[a-z]+\s+", "", _before_owner(n, sentence.mentions, ctx)) for n in named[0]]
                # an actor's name after the trigger is its owner (*la mine de Glencore*), a place's is the
                # project's name (*le gisement de Manono*); a name the trigger describes is the project's, though a
                # company's short name (*Kabanga, un projet détenu par Lifezone Metals (anciennement Kabanga Nickel)*)
                names = [
                    n
                    for n in names
                    if n
                    and not (
                        named is not apposed
                        and any(
                            fold(m.text).startswith(fold(n))
                            and ctx.cls(m.entity) != "Place"
                            and m.start == _nearest(sentence.text, n, t_start)
                            for m in sentence.mentions
                        )
                    )
                    and not _only_named_things(n, sentence, ctx)
                ]
                used_until = max(named[1], t_end) if names else used_until
        amount = None
        near_money = [m for m in money if t_end <= m.start <= t_end + 60]
        if near_money:
            amount = Amount(near_money[0].value, near_money[0].currency)
        counted = re.search(r"(?:\d+|\b\w+)\s+$", folded[max(0, t_start - 12) : t_start])
        counted = bool(counted) and (
            counted.group(0).strip().isdigit() or patterns.has("count_word", counted.group(0).strip())
        )
        # an unnamed plant or refinery counts when the text counts or prices it (*two plants*, *deux usines*,
        # *a refinery worth $1bn*); a bare *the mine* does not
        # or when a company builds it (*to develop a nickel processing plant*, *pour construire l'une des
        # premières installations de séparation*): a ``build_verb`` shortly before it
        owner = _project_owner(sentence, ctx, patterns, t_start, t_end) if kind in OWNED_KINDS else None
        # an unnamed plant, refinery or mine that is not counted, priced, built or owned counts when a company of
        # its clause takes part in it (*Ganfeng operates a lithium plant in Jiangxi*); see below
        loose = (
            not names
            and kind not in ("Fund", "Stockpile")
            and not (kind in ("Plant", "Refinery") and (counted or money or built))
            and not owner
        )
        if loose and (kind not in ("Plant", "Refinery") or definite_before(t_start)):
            continue
        anchor = used_until if names else t_end
        # *une usine de lithium en Argentine*: the minerals the trigger is of stand between it and the place
        of_minerals = re.match(r"\s*(?:de|d'|of)\s*", folded[anchor:])
        minerals_after = [m for m in sentence.mentions if ctx.cls(m.entity) == "Mineral" and m.start >= anchor]
        if of_minerals and minerals_after and minerals_after[0].start == anchor + of_minerals.end():
            anchor = minerals_after[0].end
        location = next(
            (
                m.entity
                for m in sentence.mentions
                if ctx.cls(m.entity) in ("Place", "State")
                and m.start >= anchor
                and _is_location_link(folded[anchor : m.start], patterns)
            ),
            None,
        )
        participants = _participants(sentence, ctx, patterns, t_start, anchor, location)
        # *le projet de Jadar de Rio Tinto*: the owner named inside what the name took
        owners = [
            ctx.actor_of(m.entity)
            for m in sentence.mentions
            if t_end <= m.start < anchor and ctx.cls(m.entity) == "Company"
        ]
        participants = _unique((*participants, *owners))
        if owner and owner not in participants:
            participants = (owner, *participants)
        if (
            not participants
            and ctx.document_companies
            and any(a[1] <= t_start for a in patterns.find("company_anaphora", folded))
        ):
            participants = (ctx.document_companies[-1],)  # *The company will build a $3.5 bn smelter*
        if (
            not participants
            and patterns.has("two_companies", folded[:t_start])
            and len(recent := ctx.last_companies(2)) == 2
        ):
            participants = tuple(sorted(recent))  # *the companies … developing a nickel processing plant*
        antecedent = ctx.unnamed_projects.get(kind)
        determiner = re.search(r"(\S+?)\s*$", folded[max(0, t_start - 12) : t_start])
        definite = bool(determiner) and determiner.group(1) in patterns.lexicon.words("definite_article")
        if not names and antecedent and definite:
            # *Le fonds investira…* after *un fonds dédié aux métaux critiques*: the same fund
            participants, location = antecedent.participants or participants, location or antecedent.location
        if not names and not participants:
            continue
        if loose and not any(ctx.cls(p) == "Company" for p in participants):
            continue
        if (
            kind in ("Plant", "Refinery")
            and built
            and not (names or counted or money)
            and not any(ctx.cls(p) == "Company" for p in participants)
        ):
            continue  # a plant that no company builds is no particular one
        evidence = sentence_evidence(sentence, "pattern:project", 0.7 if names else 0.6)
        if not names:
            ctx.unnamed_projects[kind] = ProjectFact(None, kind, location, participants, (), None, evidence)
        for name in names or [None]:
            facts.append(
                ProjectFact(
                    name,
                    kind,
                    location,
                    participants,
                    _minerals(sentence, ctx),
                    amount,
                    evidence,
                    _date(dates, near=t_start),
                )
            )
    return facts


def same_projects(projects: list[ProjectFact]) -> list[ProjectFact]:
    """One document's projects with its unnamed mentions resolved: *the fund* is the document's one named fund
    (*the United States-Ukraine Reconstruction Investment Fund*) when it names exactly one project of that kind;
    the anaphor then adds its evidence, and its participants only when the name gave none (a later sentence
    about *the fund* names who paid into it, not who set it up). Unnamed mentions of one kind that no name
    resolves are one project when they name the same participants, in whatever order, and the one priced
    mention gives them its amount, the one located mention its place."""
    named: dict[str, set[str]] = {}
    for p in projects:
        if p.name:
            named.setdefault(p.kind, set()).add(fold(p.name))
    given = {(p.kind, fold(p.name)): p for p in projects if p.name}
    resolved = []
    for p in projects:
        if p.name is None and len(named.get(p.kind, ())) == 1:
            name_key = next(iter(named[p.kind]))
            antecedent = given[(p.kind, name_key)]
            participants = p.participants if not antecedent.participants else antecedent.participants
            p = replace(p, name=antecedent.name, participants=participants, location=p.location or antecedent.location)
        elif p.name is None:
            p = replace(p, participants=tuple(sorted(p.participants)))
        resolved.append(p)
    # a mention without a place is the one that another mention of the same participants locates, when only
    # one place is said (*a nickel processing plant* … *the plant in the Philippines*)
    places: dict[tuple, set] = {}
    for p in resolved:
        if p.name is None and p.location is not None:
            places.setdefault((p.kind, p.participants), set()).add(p.location)
    resolved = [
        replace(p, location=next(iter(places[key])))
        if p.name is None and p.location is None and len(places.get(key := (p.kind, p.participants), ())) == 1
        else p
        for p in resolved
    ]
    # a mention without an amount is the project that another mention prices, when it is the only one priced
    # (*un fonds … un premier closing à 1 milliard d'euros*, then *le fonds investira…*)
    amounts: dict[tuple, set] = {}
    for p in resolved:
        if p.name is None and p.amount is not None:
            amounts.setdefault((p.kind, p.location, p.participants), set()).add(p.amount)
    return [
        replace(p, amount=next(iter(amounts[key])))
        if p.name is None
        and p.amount is None
        and len(amounts.get(key := (p.kind, p.location, p.participants), ())) == 1
        else p
        for p in resolved
    ]


def stockpiling_measures(projects: list[ProjectFact], ctx: Context) -> list[MeasureFact]:
    """A strategic reserve that a state, or one of its bodies (*the U.S. Defense Department … its strategic
    stockpiles*), sets up is also a stockpiling measure of that state."""
    measures = []
    for p in projects:
        states = [
            a if ctx.cls(a) == "State" else ctx.affiliations.get(a)
            for a in p.participants
            if ctx.cls(a) == "State" or ctx.cls(a) == "GovernmentBody" and ctx.affiliations.get(a)
        ]
        if p.kind == "Stockpile" and states:
            evidence = Evidence(p.evidence.doc_id, p.evidence.start, p.evidence.end, "pattern:measure", 0.6)
            measures.append(MeasureFact("Stockpiling", states[0], (), p.minerals, p.date, None, evidence))
    return measures


def clause_ends(text: str, start: int, patterns: Patterns) -> list[tuple[int, int]]:
    """Where clauses end after ``start``: (where the clause stops, where the next one starts) for each
    semicolon and each relative pronoun of the lexicon standing between spaces (``… laquelle …``)."""
    pronouns = patterns.exact("relative_pronoun")
    ends = [(i, i + 1) for i in range(start, len(text)) if text[i] == ";"]
    ends += [
        (m.start() - 1, m.end() + 1)
        for m in pronouns.finditer(text, max(start, 1))
        if text[m.start() - 1].isspace() and m.end() < len(text) and text[m.end()].isspace()
    ]
    return sorted(ends)


def _participants(
    sentence: Sentence, ctx: Context, patterns: Patterns, start: int, end: int, location: str | None
) -> tuple[str, ...]:
    """Actors in the project's clause: before the trigger back to a bracket or semicolon, and after the
    name up to a relative pronoun; else the sentence's subject when it comes first."""
    text = sentence.text
    opened = text.rfind("(", 0, start)
    inside = opened if opened > text.rfind(")", 0, start) else -1  # *(YLB)* before the trigger does not cut
    left = max(inside, text.rfind(";", 0, start)) + 1
    stops = clause_ends(text, end, patterns)
    right = stops[0][0] if stops else len(text)
    found = [
        ctx.actor_of(m.entity)
        for m in sentence.mentions
        if ctx.actor_of(m.entity)
        and m.entity != location
        and (left <= m.start < start or end <= m.start < right)
        # *owned by Lithium Americas* names no party to a deal but the project's owner
        and (
            not _excluded(sentence, m, patterns, "party_exclusion_cue") or _excluded(sentence, m, patterns, "owner_cue")
        )
        and not _only_a_place(sentence, m, ctx, patterns)
        and not _company_nationality(sentence, m, patterns, ctx)  # *Chinese battery maker Gotion*
    ]
    if not found:
        first = next((m for m in sentence.mentions if ctx.actor_of(m.entity)), None)
        if first and first.start < start and first.entity != location:
            found = [ctx.actor_of(first.entity)]
    return _unique(found)


def _project_owner(sentence: Sentence, ctx: Context, patterns: Patterns, start: int, end: int) -> str | None:
    """The company that a plant, refinery or mine belongs to, said with it: a possessive before it (*Electra's
    refinery*, *its refinery* after the company), an ``owner_cue`` after it (*a facility owned by Albemarle*,
    *une usine exploitée par Eramet*) or an ``owning_verb`` before it (*Lynas, which has a processing plant*).
    Only a company owns a particular plant this way; a state's *its refineries* are its industry."""
    text, folded = sentence.text, fold(sentence.text)
    before = [m for m in sentence.mentions if m.end <= start]
    owner: Mention | None = None
    possessive = re.search(r"(\S+?)'s?\s+(?:[\w-]+\s+){0,3}$", folded[max(0, start - 60) : start])
    anaphora = patterns.find("company_anaphora", folded[max(0, start - 60) : start])
    window = max(0, start - 40)
    # *son usine*, *sa raffinerie*: a French possessive at most two words before the trigger
    french_possessive = any(
        re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}", folded[window + d_end : start])
        for _, d_end, _ in patterns.find("possessive_determiner", folded[window:start])
    )
    if re.search(r"\bits\s+(?:[\w-]+\s+){0,3}$", folded[window:start]):
        owner = before[-1] if before else None
    elif french_possessive:
        # *Novonix … depuis son installation de Riverside*: the company last named before it
        owner = next((m for m in reversed(before) if ctx.cls(m.entity) in ACTOR_CLASSES), None)
    elif (
        possessive
        and anaphora
        and anaphora[-1][1] == possessive.start(1) + len(possessive.group(1))
        and ctx.document_companies
    ):
        # *the company's plant in the United States*: the company the sentence named last, else the document
        named = [m.entity for m in before if ctx.cls(m.entity) == "Company"]
        return named[-1] if named else ctx.document_companies[-1]
    elif possessive:
        at = max(0, start - 60) + possessive.start(1) + len(possessive.group(1))
        owner = next((m for m in before if m.end == at), None)
    genitive = re.match(r"\s+(?:de|d'|of)\s*", folded[end : end + 6])
    if owner is None and genitive:  # *l'usine de Lilac*
        owner = next((m for m in sentence.mentions if m.start == end + genitive.end()), None)
    for cue_start, cue_end, _ in patterns.find("owner_cue", folded[end : end + 40]):
        if owner is None and not text[end : end + cue_start].strip(" ,"):
            owner = next((m for m in sentence.mentions if 0 <= m.start - (end + cue_end) <= 2), None)
    for verb_start, verb_end, _ in patterns.find("owning_verb", folded[max(0, start - 40) : start]):
        window = folded[max(0, start - 40) + verb_end : start]
        if owner is None and len(window.split()) <= 3:
            at = max(0, start - 40) + verb_start
            owner = next((m for m in reversed(before) if m.end <= at and at - m.end <= 30), None)
            # *Lynas Rare Earths Ltd, the biggest producer of rare earths outside of China, has a plant*: the
            # name before an apposition that ends right before the verb
            articles = "|".join(re.escape(a) for a in sorted(patterns.lexicon.words_of("article", "definite_article")))
            described = re.search(rf",\s+(?:{articles})(?:(?<=')|\s+)[^,;]{{3,120}},\s*$", folded[:at])
            if described is not None:
                owner = next(  # (a legal form between the name and the comma: *Ltd*)
                    (m for m in before if re.fullmatch(r"(?:\s+[\w.]{2,5})?", folded[m.end : described.start()])),
                    owner,
                )
    if owner is None or ctx.cls(owner.entity) != "Company":
        return None
    return owner.entity


def _is_location_link(between: str, patterns: Patterns) -> bool:
    """True when the words between a project and a place say where it is: ``, en``, ``(`` or ``à``."""
    words = re.sub(r"[\s,()]+", " ", between).strip()
    if not words:
        return True
    words = re.sub(r"\s*(?:l'|la|le|les|the)$", "", words).strip()
    directions = patterns.lexicon.words("direction_word")
    while " " in words and words.rsplit(" ", 1)[1] in directions:
        words = words.rsplit(" ", 1)[0]  # *in northwestern*
        words = re.sub(r"\s+(?:the|l'|la|le|les)$", "", words).strip()
    return any(start == 0 and end == len(words) for start, end, _ in patterns.find("locative", words))


def enter_paragraph(sentence: Sentence, ctx: Context) -> None:
    """Start the paragraph's actors and subjects afresh when ``sentence`` opens a new paragraph, before anything
    is read from it: the first sentence of a paragraph does not point back into the last one."""
    if sentence.paragraph != ctx.paragraph:
        ctx.paragraph = sentence.paragraph
        ctx.previous_paragraph_actors = ctx.paragraph_actors
        ctx.paragraph_actors = []
        ctx.subjects = []
        ctx.paragraph_opening = True


def update_context(sentence: Sentence, ctx: Context, patterns: Patterns) -> None:
    """Carry the paragraph's actors, the last pair of states, the last minerals and the last date."""
    enter_paragraph(sentence, ctx)
    ctx.paragraph_opening = False
    folded = fold(sentence.text)
    # (whether each mention is a company's nationality, asked once: *l'entreprise française*)
    of_company = [_company_nationality(sentence, m, patterns, ctx) for m in sentence.mentions]
    partners = [c[1] for c in patterns.find("passive_partner_cue", folded)]
    subject = next(
        (
            ctx.actor_of(m.entity)
            for m, company in zip(sentence.mentions, of_company)
            if ctx.actor_of(m.entity)
            and not (m.via == "demonym" and company)
            and not _qualifies_a_thing(sentence, m, patterns)
            and not any(0 <= m.start - end <= 6 for end in partners)
        ),
        None,
    )  # (*la junior minière australienne*, *du lithium allemand*: a nationality of a company or a thing is no
    # subject; *renforcé avec l'Arabie Saoudite*: nor the partner)
    if subject and ctx.cls(subject) in ("State", "InternationalOrganization"):
        ctx.subjects.append(subject)
    # the pair a later sentence may mean (*the two countries*): states named outright, not nationalities
    # (*Saudi Arabia's Manara … Zambian copper mine*)
    states = list(_unique(m.entity for m in sentence.mentions if ctx.cls(m.entity) == "State" and m.via != "demonym"))
    # or a state and a company joined as one subject (*Le Niger et la société nucléaire française Orano ont
    # décidé…*, then *les deux parties ont signé*)
    joined = [
        m
        for m in sentence.mentions
        if ctx.cls(m.entity) in ("State", "Company") and m.via != "demonym" and ctx.actor_of(m.entity)
    ][:2]
    joint_subject = (
        len(joined) == 2
        and joined[0].entity != joined[1].entity
        and bool(patterns.find("conjunction", fold(sentence.text[joined[0].end : joined[1].start])))
        and len(sentence.text[joined[0].end : joined[1].start]) <= 40
    )
    if len(states) >= 2:
        ctx.last_pair = (states[0], states[1])
        ctx.pair_paragraph = sentence.paragraph
    elif joint_subject and not ctx.last_pair:
        ctx.last_pair = (joined[0].entity, joined[1].entity)
        ctx.pair_paragraph = sentence.paragraph
    elif ctx.last_pair and patterns.has("two_parties", folded):
        ctx.pair_paragraph = sentence.paragraph
    ctx.paragraph_actors.extend(
        a
        for a in (
            ctx.actor_of(m.entity)
            for m, company in zip(sentence.mentions, of_company)
            if not company  # *l'entreprise française* is no actor
            and not _excluded(sentence, m, patterns, "party_exclusion_cue")  # *according to the USGS*
        )
        if a
    )
    described = [
        m
        for m, company in zip(sentence.mentions, of_company)
        if m.via == "demonym"
        and company
        and not any(ctx.cls(n.entity) == "Company" for n in sentence.mentions if n.start > m.start)
    ]
    if described and ctx.document_companies:
        # *la junior minière australienne… enchaîne les annonces*: a company described, not named, is the last
        # company the document named, the one a pronoun in the next sentence stands for
        ctx.paragraph_actors.append(ctx.document_companies[-1])
    ctx.document_states.extend(m.entity for m in sentence.mentions if ctx.cls(m.entity) == "State")
    companies = [m for m in sentence.mentions if ctx.cls(m.entity) == "Company" and m.entity not in ctx.reporters]
    if len(companies) > 1:
        # the companies an apposition names describe another (*Stellantis, the automaker behind Chrysler and Alfa
        # Romeo, is buying…*; then *the companies said*): not the ones a later sentence means
        asides = _appositions(sentence, folded, patterns)
        companies = [m for m in companies if not any(a <= m.start < b for a, b in asides)]
    ctx.document_companies.extend(m.entity for m in companies)
    ctx.document_bodies.extend(m.entity for m in sentence.mentions if ctx.cls(m.entity) == "GovernmentBody")
    ctx.recent_minerals = (ctx.recent_minerals + list(_minerals(sentence, ctx)))[-3:]
    dates = [
        d
        for d in find_dates(sentence.text, patterns.lexicon, ctx.document_date)
        if d.datatype != "gYear" and (ctx.document_date is None or d.iso <= ctx.document_date)
    ]
    if dates:
        ctx.last_date = dates[-1]


def _decimal(value: Decimal) -> Decimal:
    return value.normalize() if value == value.to_integral() else value
