"""One rendering of a fact as a researcher's note, in English or French.

Contract: :func:`fact_line` turns one fact (an agreement, a market share, a project, a measure, a
person's role, a mention) into one line of plain text, and :func:`agreement_name` gives an
agreement its name. ``cmkg explain``, ``cmkg timeline``, graph.html's panel and the build's agreement
labels all call them, so a fact reads the same everywhere:

- ``Japan and Kazakhstan — partnership, signed (no date stated)``
- ``Japon et Kazakhstan — partenariat, signé (sans date)``
- ``China — 90 % of world magnet production of rare earth elements (Le Monde, 2025-10-28)``

The functions are pure: names arrive already in the chosen language, and every word for a coded
value (agreement kinds, statuses, stages, qualifiers, classes) comes from the ontology
(``ontology/cmkg.ttl``, read by :func:`words_of`), never from a Python dictionary. Only the grammar
of the two languages is code: list joining, French contraction (*de le* → *du*) and elision
(*de or* → *d'or*), agreement of a status with a feminine noun. The output is plain text: text
from documents in it (names, roles) is not escaped here; whoever shows it escapes it (graph.html
sets it with ``textContent``).

Why ``graph/analysis/``: rendering facts as text is what the analysis stage already does for people
(``report.py``, ``timeline.py``); :mod:`graph.analysis.projection` puts the ontology's words on the
projected graph (``G.graph["words"]``), and the export stage (graph.html, the static site) sits
downstream and imports it. The build calls :func:`agreement_name` for the labels it writes: the
name of an agreement and its line must not drift apart. The module imports nothing but rdflib.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

CMKG = Namespace("https://w3id.org/cmkg/ontology#")
_SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
_LEXINFO = Namespace("http://www.lexinfo.net/ontology/3.0/lexinfo#")
_OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

#: The languages a fact can be rendered in.
LANGUAGES: tuple[str, ...] = ("en", "fr")
#: Concept schemes of ``ontology/cmkg.ttl`` whose words the lines use; ``class`` holds the classes' labels.
SCHEMES: tuple[str, ...] = ("AgreementKinds", "Statuses", "Stages", "Qualifiers", "class")
_GRAMMAR = {
    "en": {"and": "and", "no date": "no date stated", "mentioned": "mentioned"},
    "fr": {"and": "et", "no date": "sans date", "mentioned": "cité"},
}
_VOWEL = re.compile(r"^[aeiouyhàâäéèêëîïôöûüœ]", re.IGNORECASE)


@dataclass(frozen=True)
class Words:
    """The ontology's words for coded values, by scheme, code and language.

    ``labels[(scheme, code, lang)]`` is the word; ``feminine_labels[(scheme, code)]`` the French
    feminine form of a status; ``feminine`` the ``(scheme, code)`` pairs whose French word is feminine.
    """

    labels: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    feminine_labels: Mapping[tuple[str, str], str] = field(default_factory=dict)
    feminine: frozenset[tuple[str, str]] = frozenset()

    def word(self, scheme: str, code: str, lang: str) -> str:
        """The word for ``code`` in ``lang``, else in English, else the code itself (``joint_venture`` →
        ``joint venture``): a value the ontology does not know is still shown.

        >>> Words({("Stages", "refining", "fr"): "le raffinage"}).word("Stages", "refining", "fr")
        'le raffinage'
        >>> Words().word("AgreementKinds", "joint_venture", "fr")
        'joint venture'
        """
        return self.labels.get((scheme, code, lang)) or self.labels.get((scheme, code, "en")) or code.replace("_", " ")

    def agreeing(self, scheme: str, code: str, lang: str, noun: tuple[str, str] | None) -> str:
        """The word for ``code``, in its feminine form when ``lang`` is French and ``noun`` is feminine."""
        if lang == "fr" and noun in self.feminine and (scheme, code) in self.feminine_labels:
            return self.feminine_labels[(scheme, code)]
        return self.word(scheme, code, lang)


def words_of(g: Graph) -> Words:
    """The words of an ontology graph: every ``skos:Concept`` of a scheme of :data:`SCHEMES` under each
    of its ``skos:notation``\\ s, and every ``owl:Class`` of the cmkg namespace under its local name.

    >>> g = Graph().parse(format="turtle", data='''
    ... @prefix cmkg: <https://w3id.org/cmkg/ontology#> .
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... cmkg:Status_signed a skos:Concept ; skos:inScheme cmkg:Statuses ; skos:notation "signed" ;
    ...     rdfs:label "signed"@en , "signé"@fr ; cmkg:feminineLabel "signée"@fr .''')
    >>> w = words_of(g)
    >>> w.word("Statuses", "signed", "fr"), w.feminine_labels[("Statuses", "signed")]
    ('signé', 'signée')
    """
    labels: dict[tuple[str, str, str], str] = {}
    feminine_labels: dict[tuple[str, str], str] = {}
    feminine: set[tuple[str, str]] = set()

    def keys(subject: Any) -> list[tuple[str, str]]:
        found = []
        if (subject, RDF.type, _OWL_CLASS) in g and str(subject).startswith(str(CMKG)):
            found.append(("class", str(subject)[len(str(CMKG)) :]))
        for scheme in g.objects(subject, _SKOS.inScheme):
            name = str(scheme)[len(str(CMKG)) :]
            if name in SCHEMES:
                found += [(name, str(code)) for code in g.objects(subject, _SKOS.notation)]
        return found

    subjects = set(g.subjects(RDF.type, _SKOS.Concept)) | set(g.subjects(RDF.type, _OWL_CLASS))
    for subject in sorted(subjects, key=str):
        for key in keys(subject):
            for label in g.objects(subject, RDFS.label):
                if isinstance(label, Literal) and label.language in LANGUAGES:
                    labels.setdefault((*key, label.language), str(label))
            for label in g.objects(subject, CMKG.feminineLabel):
                feminine_labels.setdefault(key, str(label))
            if (subject, _LEXINFO.gender, _LEXINFO.feminine) in g:
                feminine.add(key)
    return Words(labels, feminine_labels, frozenset(feminine))


@functools.cache
def default_words() -> Words:
    """The words of the installed ontology (``ontology/cmkg.ttl``), read once: for graphs that do not
    carry their build's ontology (a hand-written fixture)."""
    from graph.extract.reference import default_ontology_dir

    return words_of(Graph().parse(Path(default_ontology_dir()) / "cmkg.ttl", format="turtle"))


@dataclass(frozen=True)
class FactView:
    """A fact as the wording needs it: names already in the chosen language.

    ``group`` is ``Agreement``, ``MarketShare``, ``Project``, ``Measure``, ``Role`` (a person's role)
    or ``Mention``; ``cls`` the most specific class (``Mine``, ``ExportControl``; the group if none);
    ``name`` the fact's own name (a project, a named measure) or the person or entity; ``links`` maps a
    relation (``party``, ``mineral``, ``actor``, ``consumer``, ``scope``, ``imposer``, ``target``,
    ``participant``, ``location``, ``affiliatedWith``) to names; ``values`` holds the literal facts
    (``agreementKind``, ``status``, ``date``, ``stage``, ``percent``, ``qualifier``, ``year``,
    ``amount``, ``role``); ``source`` is who published it and when (``Le Monde, 2025-10-28``), shown
    with a market share.
    """

    group: str
    cls: str = ""
    name: str = ""
    links: Mapping[str, Sequence[str]] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None


def join_names(names: Iterable[str], lang: str) -> str:
    """Names as a list in running text.

    >>> join_names(["Japan"], "en"), join_names(["Japan", "Kazakhstan"], "en")
    ('Japan', 'Japan and Kazakhstan')
    >>> join_names(["Chine", "Japon", "Inde"], "fr")
    'Chine, Japon et Inde'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {_GRAMMAR[lang]['and']} " + names[-1]


def sorted_names(names: Iterable[str]) -> list[str]:
    """Distinct names in alphabetical order, accents and case ignored ("États-Unis" before "Japon").

    >>> sorted_names(["Japon", "États-Unis", "Japon"])
    ['États-Unis', 'Japon']
    """
    import unicodedata

    def key(name: str) -> tuple[str, str]:
        folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        return folded.casefold(), name

    return sorted(set(names), key=key)


def common_noun(name: str) -> str:
    """A mineral's name inside a sentence: its capital dropped unless it is an acronym.

    >>> common_noun("Rare earth elements"), common_noun("Terres rares"), common_noun("REE")
    ('rare earth elements', 'terres rares', 'REE')
    """
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def _of(phrase: str) -> str:
    """French *de* before ``phrase``, contracted or elided.

    >>> _of("le raffinage"), _of("les réserves"), _of("l'extraction"), _of("or"), _of("terres rares")
    ('du raffinage', 'des réserves', "de l'extraction", "d'or", 'de terres rares')
    """
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    if phrase.startswith(("la ", "l'")):
        return "de " + phrase
    return ("d'" if _VOWEL.match(phrase) else "de ") + phrase


def _minerals(names: Sequence[str], lang: str) -> str:
    return join_names([common_noun(n) for n in sorted_names(names)], lang)


def _when(date: str | None, lang: str) -> str:
    return f" ({date or _GRAMMAR[lang]['no date']})"


def _percent(value: str) -> str:
    """``90.0`` → ``90``, ``92.5`` stays.

    >>> _percent("90.0"), _percent("92.5"), _percent("n/a")
    ('90', '92.5', 'n/a')
    """
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number == int(number) else str(number)


def agreement_name(
    parties: Sequence[str], kind: str, minerals: Sequence[str], date: str | None, lang: str, words: Words
) -> str:
    """The name of an agreement: its parties, kind, minerals and date.

    >>> w = default_words()
    >>> agreement_name(["United States", "Japan"], "framework", ["Rare earth elements", "Critical minerals"],
    ...                "2025-10-28", "en", w)
    'Japan–United States framework on critical minerals and rare earth elements (2025-10-28)'
    >>> agreement_name(["États-Unis", "Japon"], "framework", ["Terres rares", "Minéraux critiques"],
    ...                "2025-10-28", "fr", w)
    'Accord-cadre États-Unis–Japon : minéraux critiques et terres rares (2025-10-28)'
    >>> agreement_name(["G7"], "roadmap", [], None, "en", w)
    'G7 roadmap'
    """
    who = "\u2013".join(sorted_names(parties))
    what = words.word("AgreementKinds", kind, lang)
    about = _minerals(minerals, lang)
    if lang == "fr":
        name = f"{what[:1].upper()}{what[1:]} {who}".strip() + (f" : {about}" if about else "")
    else:
        name = f"{who} {what}".strip() + (f" on {about}" if about else "")
    return name + (f" ({date})" if date else "")


def fact_line(fact: FactView, lang: str, words: Words) -> str:
    """One fact as one line of text in ``lang`` (``en`` or ``fr``).

    Examples
    --------
    >>> w = default_words()
    >>> deal = FactView("Agreement", links={"party": ["Kazakhstan", "Japan"]},
    ...                 values={"agreementKind": "partnership", "status": "signed"})
    >>> fact_line(deal, "en", w)
    'Japan and Kazakhstan — partnership, signed (no date stated)'
    >>> fact_line(FactView("Agreement", links={"party": ["Kazakhstan", "Japon"]}, values=deal.values), "fr", w)
    'Japon et Kazakhstan — partenariat, signé (sans date)'
    >>> share = FactView("MarketShare", links={"actor": ["China"], "mineral": ["Rare earth elements"]},
    ...                  values={"stage": "magnets", "percent": "90.0"}, source="Le Monde/AFP, 2025-10-28")
    >>> fact_line(share, "en", w)
    'China — 90 % of world magnet production of rare earth elements (Le Monde/AFP, 2025-10-28)'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: use one of {', '.join(LANGUAGES)}")
    render = {
        "Agreement": _agreement,
        "MarketShare": _share,
        "Measure": _measure,
        "Role": _role,
        "Mention": _mention,
    }.get(fact.group, _project)
    return render(fact, lang, words)


def _agreement(fact: FactView, lang: str, words: Words) -> str:
    kind = fact.values.get("agreementKind") or "agreement"
    text = join_names(sorted_names(fact.links.get("party", ())), lang) or fact.name
    text += " \u2014 " + words.word("AgreementKinds", kind, lang)
    about = _minerals(fact.links.get("mineral", ()), lang)
    if about:
        text += f" ({about})" if lang == "fr" else f" on {about}"
    status = fact.values.get("status")
    if status:
        text += ", " + words.agreeing("Statuses", status, lang, ("AgreementKinds", kind))
    return text + _when(fact.values.get("date"), lang)


def _share(fact: FactView, lang: str, words: Words) -> str:
    v = fact.values
    actor = join_names(sorted_names(fact.links.get("actor", ())), lang)
    qualifier = v.get("qualifier")
    amount = (
        (words.word("Qualifiers", qualifier, lang) + " " if qualifier else "") + _percent(v.get("percent", "?")) + " %"
    )
    mineral = _minerals(fact.links.get("mineral", ()), lang)
    stage = v.get("stage") or "production"
    consumers = join_names(sorted_names(fact.links.get("consumer", ())), lang)
    scope = join_names(sorted_names(fact.links.get("scope", ())), lang)
    if lang == "fr":
        of_what = _of(words.word("Stages", stage, lang)) + (" " + _of(mineral) if mineral else "")
        if stage == "imports" and not consumers:
            text = f"{amount} de sa consommation" + (f" {_of(mineral)}" if mineral else "") + " importée"
        elif consumers:
            text = f"{amount} {of_what} (importateur : {consumers})"
        elif scope:
            text = f"{amount} {of_what} (périmètre : {scope})"
        else:
            text = f"{amount} {of_what} dans le monde"
    else:
        stage_word = words.word("Stages", stage, lang)
        of_mineral = f" of {mineral}" if mineral else ""
        if stage == "imports" and not consumers:
            text = f"{amount} of own consumption{of_mineral} imported"
        elif consumers:
            text = f"{amount} of {stage_word}{of_mineral} by {consumers}"
        elif scope:
            text = f"{amount} of {scope}'s {stage_word}{of_mineral}"
        else:
            text = f"{amount} of world {stage_word}{of_mineral}"
    notes = [x for x in (v.get("year"), fact.source) if x]
    return f"{actor} \u2014 {text}" + (f" ({'; '.join(notes)})" if notes else "")


def _measure(fact: FactView, lang: str, words: Words) -> str:
    who = join_names(sorted_names(fact.links.get("imposer", ())), lang)
    text = (who + " \u2014 " if who else "") + words.word("class", fact.cls or fact.group, lang)
    about = _minerals(fact.links.get("mineral", ()), lang)
    if about:
        text += f" ({about})" if lang == "fr" else f" on {about}"
    targets = join_names(sorted_names(fact.links.get("target", ())), lang)
    if targets:
        text += f", visant {targets}" if lang == "fr" else f" targeting {targets}"
    if fact.name:
        text += f" : {fact.name}" if lang == "fr" else f": {fact.name}"
    status = fact.values.get("status")
    if status:
        text += ", " + words.agreeing("Statuses", status, lang, ("class", fact.cls or fact.group))
    return text + _when(fact.values.get("date"), lang)


def _project(fact: FactView, lang: str, words: Words) -> str:
    text = (fact.name + " \u2014 " if fact.name else "") + words.word("class", fact.cls or fact.group, lang)
    about = _minerals(fact.links.get("mineral", ()), lang)
    if about:
        text += f" ({about})" if lang == "fr" else f" of {about}"
    place = join_names(sorted_names(fact.links.get("location", ())), lang)
    if place:
        text += f", lieu : {place}" if lang == "fr" else f" in {place}"
    partners = join_names(sorted_names(fact.links.get("participant", ())), lang)
    if partners:
        text += f", avec {partners}" if lang == "fr" else f" with {partners}"
    if fact.values.get("amount"):
        text += f", {fact.values['amount']}"
    return text + _when(fact.values.get("date"), lang)


def _role(fact: FactView, lang: str, words: Words) -> str:
    text = f"{fact.name} \u2014 {fact.values.get('role', '')}".rstrip(" \u2014")
    affiliation = join_names(sorted_names(fact.links.get("affiliatedWith", ())), lang)
    return text + (f", {affiliation}" if affiliation else "")


def _mention(fact: FactView, lang: str, words: Words) -> str:
    return f"{fact.name} \u2014 {_GRAMMAR[lang]['mentioned']}"


def _local(iri: Any) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def fact_view(G: Any, node: Any, lang: str) -> FactView:
    """The :class:`FactView` of a fact node of a projected graph (:func:`graph.analysis.projection.project`).

    Names are the linked nodes' labels in ``lang``; a measure's label is its name unless it is the one
    the build makes up for unnamed measures (``ExportControl by China``); a share's source is the
    publisher (or title) and date of its first document.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("deal", cls="Agreement", group="Agreement", label_en="deal",
    ...            facts=[{"property": "agreementKind", "value": "mou"}], evidence=[])
    >>> G.add_node("JP", label_en="Japan", label_fr="Japon"); _ = G.add_edge("deal", "JP", key="party")
    >>> fact_line(fact_view(G, "deal", "fr"), "fr", default_words())
    "Japon — protocole d'accord (sans date)"
    """
    data = G.nodes[node]
    cls = str(data.get("cls") or data.get("group") or "")
    links: dict[str, list[str]] = {}
    for _, target, key in sorted(G.out_edges(node, keys=True), key=lambda e: (str(e[2]), str(e[1]))):
        other = G.nodes[target]
        links.setdefault(str(key), []).append(
            str(other.get(f"label_{lang}") or other.get("label_en") or _local(target))
        )
    values: dict[str, str] = {}
    for item in data.get("facts", ()):
        values.setdefault(str(item["property"]), str(item["value"]))
    dates = {str(f["value"]) for f in data.get("facts", ()) if f.get("property") == "date"}
    # A day rather than the month or year it refines; else the earliest (ISO dates sort as text).
    dates = {d for d in dates if not any(o != d and o.startswith(d) for o in dates)}
    if dates:
        values["date"] = min(dates)
    label = str(data.get(f"label_{lang}") or data.get("label_en") or "")
    name = ""
    if data.get("group") == "Project":
        name = label
    elif data.get("group") == "Measure" and not re.fullmatch(rf"{re.escape(cls)} by .*", str(data.get("label_en"))):
        name = label
    source = None
    evidence = data.get("evidence") or []
    if data.get("group") == "MarketShare" and evidence:
        first = evidence[0]
        source = (
            ", ".join(str(x) for x in (first.get("publisher") or first.get("title"), first.get("date")) if x) or None
        )
    return FactView(str(data.get("group") or ""), cls, name, links, values, source)


__all__ = [
    "FactView",
    "LANGUAGES",
    "SCHEMES",
    "Words",
    "agreement_name",
    "common_noun",
    "default_words",
    "fact_line",
    "fact_view",
    "join_names",
    "sorted_names",
    "words_of",
]
