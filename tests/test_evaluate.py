"""Extraction measured against the hand-made gold annotations of the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.extract.evaluate import Score, evaluate, load_gold

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="module")
def scores(seeds_summary, reference):
    return evaluate(seeds_summary, load_gold(GOLD), reference)


@pytest.mark.parametrize(
    "category, measure, floor",
    [
        ("entities", "f1", 0.95),
        ("agreements", "recall", 0.9),
        ("shares", "recall", 0.85),
        ("entities", "precision", 0.9),
        ("agreements", "precision", 0.9),
        ("projects", "precision", 0.9),
        ("shares", "precision", 0.9),
        ("measures", "precision", 0.9),
    ],
)
def test_evaluate_seed_figures_hold(scores, category, measure, floor):
    value = getattr(scores[category], measure)
    assert value >= floor, (category, measure, value, scores[category].misses, scores[category].spurious)


def test_evaluate_seed_agreements_found_have_all_parties_right(scores):
    assert scores["agreements"].exact_ratio >= 0.9, scores["agreements"].exact


def _agreements(predicted: list[list[str]], gold: list[list[str]], reference):
    summary = {c: [] for c in ("entities", "projects", "shares", "measures")}
    summary["agreements"] = [{"parties": p, "kind": "mou", "documents": ["d"]} for p in predicted]
    return evaluate(summary, {"d": {"agreements": [{"parties": g, "kind": "mou"} for g in gold]}}, reference)[
        "agreements"
    ]


def test_evaluate_agreement_found_on_two_parties_exact_apart(reference):
    # two of three gold parties: found, not exact; the single gold party of a forum's roadmap: found and exact
    score = _agreements([["Japon", "Chine"], ["G7"]], [["Japan", "China", "Kazakhstan"], ["G7"]], reference)
    assert (score.true_positives, score.exact, score.false_positives) == (2, 1, 0)
    assert score.exact_ratio == pytest.approx(0.5)


def test_evaluate_agreement_one_shared_party_is_not_found(reference):
    score = _agreements([["Japan", "India"]], [["Japan", "China"]], reference)
    assert (score.true_positives, score.false_negatives, score.false_positives) == (0, 1, 1)


def test_evaluate_agreement_minerals_agree_through_their_forms(reference):
    # an offtake of lithium carbonate is one of lithium; of cobalt it is not
    def score(found: list[str]):
        summary = {c: [] for c in ("entities", "projects", "shares", "measures")}
        summary["agreements"] = [{"parties": ["Traxys", "Glencore"], "minerals": found, "documents": ["d"]}]
        gold = {"d": {"agreements": [{"parties": ["Traxys", "Glencore"], "minerals": ["Lithium"]}]}}
        return evaluate(summary, gold, reference)["agreements"].true_positives

    assert (score(["Lithium carbonate"]), score(["Cobalt"])) == (1, 0)


def test_evaluate_agreement_prefers_the_exact_prediction(reference):
    # the loose prediction comes first, but the exact one is taken, so both gold items are matched exactly
    score = _agreements(
        [["Japan", "China", "India"], ["Japan", "China"]], [["Japan", "China"], ["Japan", "China", "India"]], reference
    )
    assert (score.true_positives, score.exact) == (2, 2)


@pytest.mark.parametrize(
    "tp, fp, fn, precision, recall, f1",
    [
        (8, 2, 0, 0.8, 1.0, 0.888888),
        (0, 0, 0, 1.0, 1.0, 1.0),
        (1, 1, 1, 0.5, 0.5, 0.5),
    ],
)
def test_evaluate_score_arithmetic(tp, fp, fn, precision, recall, f1):
    score = Score(tp, fp, fn)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(f1, abs=1e-5)


def test_evaluate_gold_names_resolve_through_aliases(reference):
    summary = {
        "entities": [{"name": "China", "type": "State", "documents": ["d"]}],
        "agreements": [],
        "projects": [],
        "shares": [],
        "measures": [],
    }
    gold = {"d": {"entities": [{"name": "Pékin", "type": "State"}]}}
    result = evaluate(summary, gold, reference)
    assert result["entities"].true_positives == 1
    assert result["entities"].false_positives == 0


def test_evaluate_cli_prints_the_table(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(
        '{"document": "a", "entities": [{"name": "Japan", "type": "State"}],'
        ' "agreements": [], "projects": [], "shares": [], "measures": []}',
        encoding="utf-8",
    )
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Tokyo et Washington ont signé un accord-cadre sur les terres rares.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(gold), str(doc.parent), "--ontology", str(ROOT / "ontology")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["category", "precision", "recall", "F1"]
    entities = next(line for line in lines if line.startswith("entities")).split()
    assert float(entities[2]) == 1.0
    assert "false entities: a: United States (State)" in result.output


def test_evaluate_cli_missing_gold(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no such gold folder" in result.output


def test_explain_cli_lists_facts_with_sentences(seeds_build):
    out, _ = seeds_build
    result = CliRunner().invoke(cli, ["explain", "Japon", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Japan <https://w3id.org/cmkg/id/Japan>")
    assert "accord-cadre" in result.output
    assert "pattern:agreement" in result.output


def test_explain_cli_unknown_entity(seeds_build):
    out, _ = seeds_build
    result = CliRunner().invoke(cli, ["explain", "Atlantide", "--out", str(out)])
    assert result.exit_code == 1
    assert "no entity named 'Atlantide'" in result.output


def test_evaluate_unnamed_project_without_participants_matches_on_location(reference):
    summary = {c: [] for c in ("entities", "agreements", "shares", "measures")}
    summary["projects"] = [
        {"name": None, "kind": "Refinery", "location": "Kalgoorlie", "participants": [], "documents": ["d"]},
        {"name": None, "kind": "Refinery", "location": "Perth", "participants": [], "documents": ["d"]},
    ]
    gold = {"d": {"projects": [{"name": None, "kind": "Refinery", "location": "Kalgoorlie", "participants": []}]}}
    score = evaluate(summary, gold, reference)["projects"]
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 1, 0)
