"""Reference data: the entity gazetteer (``ontology/entities.ttl``) and the lexicon of trigger words
(``ontology/patterns/lexicon.csv``). Code holds mechanisms; every name, alias and French word lives there.
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.exceptions import ParserError

from graph.errors import ReferenceDataError
from graph.iri import CMKG, SKOS

log = logging.getLogger(__name__)

ENTITY_CLASSES = ("State", "InternationalOrganization", "GovernmentBody", "Company", "Person", "Mineral", "Place")
ACTOR_CLASSES = ("State", "InternationalOrganization", "GovernmentBody", "Company", "Person")


@dataclass
class Entity:
    """A reference entity: canonical names, class, aliases and identifiers."""

    iri: str
    name: str
    cls: str
    name_fr: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    wikidata: str | None = None
    broader: str | None = None
    affiliation: str | None = None
    actor_sense: str | None = None
    sector: str | None = None
    candidate: bool = False

    @property
    def is_actor(self) -> bool:
        return self.cls in ACTOR_CLASSES


@dataclass
class Lexicon:
    """Trigger words and value words by category: ``entries[category]`` is a list of (phrase, value, lang)."""

    entries: dict[str, list[tuple[str, str, str]]]
    _words: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _folded: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def phrases(self, category: str) -> list[tuple[str, str]]:
        """(phrase, value) pairs of one category, longest phrase first."""
        rows = [(p, v) for p, v, _ in self.entries.get(category, [])]
        return sorted(rows, key=lambda pv: -len(pv[0]))

    def mapping(self, category: str) -> dict[str, str]:
        """phrase → value for one category (phrases folded as the matcher folds text)."""
        from graph.extract.text import fold

        return {fold(p): v for p, v, _ in self.entries.get(category, [])}

    def folded(self, category: str) -> dict[str, str]:
        """Folded phrase → value for one category, longest phrase first, computed once per category (the
        value matchers look phrases up in every sentence)."""
        key = f"folded:{category}"
        if key not in self._folded:
            from graph.extract.text import fold

            self._folded[key] = {fold(p): v for p, v in self.phrases(category)}
        return self._folded[key]

    def words(self, category: str) -> frozenset[str]:
        """The phrases of one category folded as the matcher folds text, computed once per category."""
        if category not in self._words:
            from graph.extract.text import fold

            self._words[category] = frozenset(fold(p) for p, _, _ in self.entries.get(category, []))
        return self._words[category]

    def undotted(self, category: str) -> frozenset[str]:
        """The folded phrases of a category without their last dot, computed once: a legal form written with
        or without it (*Co.*, *Co*)."""
        key = f"{category}:undotted"
        if key not in self._words:
            self._words[key] = frozenset(p.rstrip(".") for p in self.words(category))
        return self._words[key]

    def words_of(self, *categories: str) -> frozenset[str]:
        """The folded phrases of several categories together (:meth:`words`), computed once per set of
        categories: *months and weekdays* in every candidate's check."""
        key = "+".join(categories)
        if key not in self._words:
            self._words[key] = frozenset().union(*(self.words(c) for c in categories))
        return self._words[key]


@dataclass
class Reference:
    """Everything the pipeline knows before reading a document; ``derived`` keeps what mechanisms compute
    from it once (word sets), so that they are not recomputed for every sentence."""

    entities: dict[str, Entity]
    lexicon: Lexicon
    ontology_dir: Path
    derived: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def by_class(self, cls: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.cls == cls]


def default_ontology_dir() -> Path:
    """The ``ontology/`` folder: the working copy's when run from a checkout, else the installed package's
    (``graph/ontology`` in a wheel), else the one beside the package's source (an editable install, whose
    import hooks do not map ``graph.ontology`` onto ``ontology/``)."""
    candidates = (
        Path("ontology"),
        Path(str(resources.files("graph"))) / "ontology",
        Path(__file__).resolve().parents[2] / "ontology",
    )
    for folder in candidates:
        if (folder / "entities.ttl").is_file():
            return folder
    raise ReferenceDataError("no ontology/ folder found beside the package; pass --ontology DIR")


def _lang_literal(g: Graph, s: URIRef, p: URIRef, lang: str) -> str | None:
    values = sorted(str(o) for o in g.objects(s, p) if getattr(o, "language", None) == lang)
    return values[0] if values else None


def reference_files(ontology_dir: Path) -> list[Path]:
    """The gazetteer's files: the hand-kept ``entities.ttl``, then the generated files of ``generated/``
    (:mod:`graph.extract.reference_data`)."""
    return [ontology_dir / "entities.ttl", *sorted((ontology_dir / "generated").glob("*.ttl"))]


def load_entities(*paths: Path) -> dict[str, Entity]:
    """Parse the gazetteer files into one graph: every subject typed with one of the seven entity classes."""
    g = Graph()
    for path in paths:
        try:
            g.parse(path, format="turtle")
        except (OSError, ParserError, SyntaxError, ValueError) as exc:
            raise ReferenceDataError(f"{path}: cannot parse reference entities: {str(exc).splitlines()[0]}") from exc
    path = paths[0]
    entities: dict[str, Entity] = {}
    for cls in ENTITY_CLASSES:
        for s in g.subjects(RDF.type, CMKG[cls]):
            name = _lang_literal(g, s, SKOS.prefLabel, "en") or str(g.value(s, RDFS.label) or s.split("/")[-1])
            qid = next(
                (str(o).rsplit("/", 1)[-1] for o in g.objects(s, SKOS.exactMatch) if "wikidata.org" in str(o)), None
            )
            broader = g.value(s, SKOS.broader)
            affiliation = g.value(s, CMKG.affiliatedWith)
            actor_sense = g.value(s, CMKG.actorSense)
            entities[str(s)] = Entity(
                iri=str(s),
                name=name,
                cls=cls,
                name_fr=_lang_literal(g, s, SKOS.prefLabel, "fr"),
                aliases=sorted({str(o) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label) for o in g.objects(s, p)}),
                demonyms=sorted(str(o) for o in g.objects(s, CMKG.demonym)),
                ambiguous=sorted(str(o) for o in g.objects(s, CMKG.ambiguousLabel)),
                wikidata=qid,
                broader=str(broader) if broader else None,
                affiliation=str(affiliation) if affiliation else None,
                actor_sense=str(actor_sense) if actor_sense else None,
                sector=str(g.value(s, CMKG.sector) or "") or None,
            )
    if not entities:
        raise ReferenceDataError(f"{path}: no reference entity of the seven entity classes")
    return entities


def load_lexicon(path: Path) -> Lexicon:
    """Read ``lexicon.csv`` (columns ``category,phrase,value,lang``)."""
    entries: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                if not row.get("category") or not row.get("phrase"):
                    raise ReferenceDataError(f"{path}:{n}: a row needs a category and a phrase")
                entries[row["category"].strip()].append(
                    (row["phrase"].strip(), (row.get("value") or "").strip(), (row.get("lang") or "").strip())
                )
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read: {exc.strerror}") from exc
    return Lexicon(dict(entries))


def load_reference(ontology_dir: Path | None = None) -> Reference:
    """Load the gazetteer and the lexicon from an ``ontology/`` folder."""
    folder = ontology_dir or default_ontology_dir()
    return Reference(
        entities=load_entities(*reference_files(folder)),
        lexicon=load_lexicon(folder / "patterns" / "lexicon.csv"),
        ontology_dir=folder,
    )
