"""Evaluate: compare what the pipeline read with hand-made gold annotations, document by document.

Gold files (``GOLD_DIR/<document id>.json``) have the shape of ``summary.json`` restricted to one
document. Names are resolved to entities through the reference labels and aliases, so a gold file may
write "Pékin" or "China". Matching rules, per document:

- entities: same entity (by label or alias, or by a surface form the gold lists for it) and same type;
- agreements: at least two of the gold parties (the gold's one party when it has only one) and minerals that
  overlap (or are missing on one side); how many found agreements have exactly the gold set of parties is
  counted apart (``Score.exact``), as the issue's target reads "recall with the exact party set in 70 %";
- projects: the same name (or, for unnamed projects, the same kind and an overlapping participant, or the
  same location when the gold names no participant);
- shares: same actor, mineral, stage and scope (the world unless said), and a percentage within half a point;
- measures: same kind and imposer, and minerals that overlap (or are missing on one side).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import CmkgError
from graph.extract.mentions import company_name
from graph.extract.reference import Reference
from graph.extract.text import fold

CATEGORIES = ("entities", "agreements", "projects", "shares", "measures")


@dataclass
class Score:
    """Counts and the unmatched items of one category."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    exact: int = 0

    @property
    def exact_ratio(self) -> float:
        """Of the matched items, the share that are exactly right (for agreements: the same party set)."""
        return self.exact / self.true_positives if self.true_positives else 1.0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


#: Words that say a place is a region, around its name: *Karagandy region*, *région de Karaganda*, *Catamarca
#: province*.
_REGION_WORDS = re.compile(
    r"^(?:the\s+)?(?:région|region|province|oblast|état|state|district|département)\s+(?:de\s+la\s+|de\s+l'|du\s+|de\s+|d'|of\s+)?"
    r"|\s+(?:region|province|oblast|state|district|prefecture)$",
    re.IGNORECASE,
)


class Resolver:
    """Turns any label or alias into one key per entity (its IRI), other names into their folded form. A
    capital's names stand for its state (*Pékin* is China) unless a place is asked for (*Tokyo*, the city)."""

    def __init__(self, reference: Reference) -> None:
        self.keys: dict[str, str] = {}
        self.senses: dict[str, str] = {}
        self.classes: dict[str, str] = {e.iri: e.cls for e in reference.entities.values()}
        self.broader: dict[str, str] = {e.iri: e.broader for e in reference.entities.values() if e.broader}
        lexicon = self.lexicon = reference.lexicon
        self.project_words = frozenset(
            w
            for w in lexicon.words("project") | lexicon.words("project_name_link") | lexicon.words("article")
            if " " not in w
        )
        self.mineral_words = frozenset(
            fold(label)
            for e in reference.entities.values()
            if e.cls == "Mineral"
            for label in (e.name, *e.aliases)
            if " " not in label
        )
        for entity in reference.entities.values():
            for label in [entity.name, *entity.aliases]:
                self.keys.setdefault(fold(label).strip(), entity.iri)
            if entity.actor_sense:
                self.senses[entity.iri] = entity.actor_sense

    def __call__(self, name: str | None, place: bool = False) -> str | None:
        if not name:
            return None
        key = fold(name).strip()
        found = self.keys.get(key) or self.keys.get(_QUALIFIER.sub("", key), key)
        return found if place else self.senses.get(found, found)

    def with_surfaces(self, entities: list[dict]) -> Resolver:
        """This resolver, plus the surface forms a gold file lists for its entities: a name no list holds
        is matched when the pipeline names it as the text writes it (*Mines and Energy Ministry* for the gold's
        *Ministry of Mines and Energy (Namibia)*; a state added in brackets is ignored). A gold name that no
        list holds (or holds for an entity of another type) but whose surface form a list does (the company
        *Critical Metals*, written *Critical Metals Corp*, not the critical metals) is that listed entity."""
        extended = Resolver.__new__(Resolver)
        extended.keys = dict(self.keys)
        extended.senses = self.senses
        extended.classes = self.classes
        extended.broader = self.broader
        extended.project_words = self.project_words
        extended.lexicon = self.lexicon
        extended.mineral_words = self.mineral_words
        for entity in entities:
            place = entity.get("type") == "Place"
            target = self(entity.get("name"), place=place)
            if self.classes.get(target) != entity.get("type"):
                forms = [*(entity.get("surface") or []), entity.get("name") or ""]
                if place:  # *Karagandy region*, *région de Karaganda*: the region's own name
                    forms += [_REGION_WORDS.sub("", f).strip() for f in forms]
                listed = [self(s, place=place) for s in forms]
                listed = [k for k in listed if self.classes.get(k) == entity.get("type")]
                if listed:
                    target = listed[0]
                    extended.keys[fold(entity.get("name") or "").strip()] = target
            for surface in [*(entity.get("surface") or []), entity.get("name") or ""]:
                extended.keys.setdefault(fold(surface).strip(), target)
                if entity.get("type") == "Company":  # named without its legal form (*DMCI Mining Corp.*)
                    extended.keys.setdefault(fold(company_name(surface, self.lexicon)).strip(), target)
                if place:  # named without its region's word (*Sughd province* is *Sughd*)
                    extended.keys.setdefault(fold(_REGION_WORDS.sub("", surface)).strip(), target)
        return extended

    def project(self, name: str | None) -> str | None:
        """A project's name without the kind words and links at its ends that one text writes and another
        leaves out: *Zero Carbon Lithium Project* and *Zero Carbon Lithium*, *Salar de Maricunga* and
        *Maricunga*, *the Tanbreez mine* and *Tanbreez*, and the minerals after the name (*Ewoyaa Lithium
        Project* and *Ewoyaa*)."""
        if not name:
            return None
        words = fold(name).split()
        while len(words) > 1 and words[0] in self.project_words:
            words = words[1:]
        while len(words) > 1 and words[-1] in self.project_words:
            words = words[:-1]
        while len(words) > 1 and words[-1] in self.mineral_words:  # *Ewoyaa Lithium (Project)* is Ewoyaa
            words = words[:-1]
        return self(" ".join(words))

    def all(self, names: list[str] | None) -> frozenset[str]:
        return frozenset(k for k in (self(n) for n in names or []) if k)

    def minerals(self, names: list[str] | None) -> frozenset[str]:
        """The minerals named and the ones they are a form of (*lithium carbonate* is lithium's)."""
        named = self.all(names)
        return named | {self.broader[m] for m in named if m in self.broader}


_QUALIFIER = re.compile(r"\s*\([^()]*\)$")


def _scope(resolve: Resolver, item: dict) -> str | None:
    """Whose output a share measures: None for the world (also when a gold file does not say)."""
    scope = item.get("scope")
    return None if not scope or scope == "world" else resolve(scope)


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Mineral lists agree when one is missing, when they share a mineral, or when one names the whole
    group of critical minerals."""
    return not a or not b or bool(a & b) or any(m.endswith("/Critical_minerals") for m in a | b)


def _same_agreement(resolve: Resolver, g: dict, p: dict, exact: bool) -> bool:
    """A predicted agreement is the gold one when it names at least two of its parties (or its one party) and
    minerals that agree; ``exact`` asks for the same set of parties."""
    gold, found = resolve.all(g.get("parties")), resolve.all(p.get("parties"))
    parties = gold == found if exact else len(gold & found) >= min(2, len(gold))
    return (
        parties and bool(gold) and _compatible(resolve.minerals(g.get("minerals")), resolve.minerals(p.get("minerals")))
    )


def _exactly(resolve: Resolver) -> dict[str, Callable[[dict, dict], bool]]:
    """Per category, when a match is exactly right (only agreements have a looser match)."""
    return {"agreements": lambda g, p: _same_agreement(resolve, g, p, exact=True)}


def _matchers(resolve: Resolver) -> dict[str, Callable[[dict, dict], bool]]:
    return {
        "entities": lambda g, p: (
            resolve(g["name"], place=g.get("type") == "Place") == resolve(p["name"], place=p.get("type") == "Place")
            and g.get("type") == p.get("type")
        ),
        "agreements": lambda g, p: _same_agreement(resolve, g, p, exact=False),
        "projects": lambda g, p: (
            resolve.project(g.get("name")) == resolve.project(p.get("name"))
            if g.get("name")
            else g.get("kind") == p.get("kind")
            and (
                bool(resolve.all(g.get("participants")) & resolve.all(p.get("participants")))
                if g.get("participants")
                else bool(g.get("location"))
                and resolve(g["location"], place=True) == resolve(p.get("location"), place=True)
            )
        ),
        "shares": lambda g, p: (
            resolve(g.get("actor")) == resolve(p.get("actor"))
            and resolve(g.get("mineral")) == resolve(p.get("mineral"))
            and g.get("stage") == p.get("stage")
            and abs(float(g.get("percent", -1)) - float(p.get("percent", -2))) <= 0.5
            and _scope(resolve, g) == _scope(resolve, p)
        ),
        "measures": lambda g, p: (
            g.get("kind") == p.get("kind")
            and resolve(g.get("imposer")) == resolve(p.get("imposer"))
            and _compatible(resolve.minerals(g.get("minerals")), resolve.minerals(p.get("minerals")))
        ),
    }


def describe(category: str, item: dict) -> str:
    """One readable line for a gold or predicted item."""
    if category == "entities":
        return f"{item.get('name')} ({item.get('type')})"
    if category == "agreements":
        return f"{' – '.join(item.get('parties') or [])} [{item.get('kind')}] {', '.join(item.get('minerals') or [])}"
    if category == "projects":
        return f"{item.get('name') or 'unnamed'} [{item.get('kind')}] {', '.join(item.get('participants') or [])}"
    if category == "shares":
        return f"{item.get('actor')} {item.get('percent')} % {item.get('stage')} of {item.get('mineral')}"
    return f"{item.get('kind')} by {item.get('imposer')} on {', '.join(item.get('minerals') or [])}"


def load_gold(gold_dir: Path) -> dict[str, dict]:
    """Gold annotations by document id."""
    if not gold_dir.is_dir():
        raise CmkgError(f"{gold_dir}: no such gold folder")
    gold: dict[str, dict] = {}
    for path in sorted(gold_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CmkgError(f"{path}: not valid JSON ({exc})") from exc
        gold[data.get("document") or path.stem] = data
    if not gold:
        raise CmkgError(f"{gold_dir}: no gold .json file")
    return gold


def predicted_for(summary: dict, category: str, doc_id: str) -> list[dict]:
    """The summary's items of one category that come from (or, for entities, are named in) a document."""
    return [item for item in summary[category] if doc_id in item.get("documents", [])]


def _most_pairs(gold: list[dict], found: list[dict], test: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """As many (gold index, found index) pairs as can be made one-to-one among the items that ``test`` pairs
    (a maximum bipartite matching): a prediction that could be either of two gold items is given to the one
    no other prediction matches.

    >>> _most_pairs([{"p": {1, 2}}, {"p": {1}}], [{"p": {1}}, {"p": {2}}], lambda g, f: bool(g["p"] & f["p"]))
    [(0, 1), (1, 0)]
    """
    edges = [[j for j, f in enumerate(found) if test(g, f)] for g in gold]
    owner: dict[int, int] = {}  # found index -> gold index

    def claim(i: int, seen: set[int]) -> bool:
        """Kuhn's augmenting path, trying predictions in their order, so that ties always resolve alike."""
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or claim(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        claim(i, set())
    return sorted((i, j) for j, i in owner.items())


def evaluate(summary: dict, gold: dict[str, dict], reference: Reference) -> dict[str, Score]:
    """Scores per category over every gold document, with misses and false positives. Gold items and
    predictions are paired one-to-one, as many as possible, in this order of preference: exactly right and
    of the same kind, exactly right, matching and of the same kind, matching."""
    base = Resolver(reference)
    scores = {c: Score() for c in CATEGORIES}
    for doc_id, gold_items in sorted(gold.items()):
        resolve = base.with_surfaces(gold_items.get("entities", []))
        match, exactly = _matchers(resolve), _exactly(resolve)
        for category in CATEGORIES:
            score = scores[category]
            unmatched = list(predicted_for(summary, category, doc_id))
            right = exactly.get(category, match[category])
            tests = [
                lambda g, p, same=right: same(g, p) and p.get("kind") == g.get("kind"),
                right,
                lambda g, p, same=match[category]: same(g, p) and p.get("kind") == g.get("kind"),
                match[category],
            ]
            pending = list(gold_items.get(category, []))
            for rank, test in enumerate(tests):
                pairs = _most_pairs(pending, unmatched, test)
                score.true_positives += len(pairs)
                score.exact += len(pairs) if rank < 2 else 0
                matched_gold = {g for g, _ in pairs}
                matched_found = {p for _, p in pairs}
                pending = [g for i, g in enumerate(pending) if i not in matched_gold]
                unmatched = [p for i, p in enumerate(unmatched) if i not in matched_found]
            score.false_negatives += len(pending)
            score.misses += [f"{doc_id}: {describe(category, g)}" for g in pending]
            score.false_positives += len(unmatched)
            score.spurious += [f"{doc_id}: {describe(category, p)}" for p in unmatched]
    return scores


def report_lines(scores: dict[str, Score], details: bool = True) -> list[str]:
    """The evaluation as text: a table of precision, recall and F1, then misses and false positives."""
    lines = [f"{'category':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for category, s in scores.items():
        lines.append(
            f"{category:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} "
            f"{s.true_positives:>4} {s.false_positives:>4} {s.false_negatives:>4}"
        )
    agreements = scores.get("agreements")
    if agreements is not None and agreements.true_positives:
        lines.append(
            f"exact party sets: {agreements.exact} of the {agreements.true_positives} agreements found"
            f" ({agreements.exact_ratio:.3f})"
        )
    if details:
        for category, s in scores.items():
            for miss in s.misses:
                lines.append(f"miss  {category}: {miss}")
            for extra in s.spurious:
                lines.append(f"false {category}: {extra}")
    return lines
