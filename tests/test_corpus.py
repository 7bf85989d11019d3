"""The development corpus: metadata, splits, gold, and scoring a folder of texts with cmkg evaluate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import CmkgError
from graph.extract.corpus import corpus_sources, load_articles, select

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _sha1_rule(ids: list[str]) -> set[str]:
    """corpus/README.md's split: in the SHA-1 order of the ids, every third article is locked."""
    order = sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())
    return {order[i] for i in range(2, len(order), 3)}


def test_corpus_holds_forty_articles_in_both_languages_split_before_tuning():
    articles = load_articles(CORPUS / "articles.csv")
    assert len(articles) >= 40
    for lang in ("en", "fr"):
        mine = select(articles, "all", lang)
        assert len(mine) >= 20
        assert len(select(articles, "locked", lang)) * 4 >= len(mine)
        # the first 48 articles (batches a and b) were split together, each later batch on its own
        for batch in (
            ("a", "b"),
            ("c",),
            ("d",),
            ("e",),
            ("f",),
            ("g",),
            ("h",),
            ("i",),
            ("j",),
            ("k",),
            ("l",),
            ("m",),
            ("n",),
            ("o",),
            ("p",),
            ("q",),
            ("r",),
            ("s",),
            ("t",),
            ("u",),
            ("v",),
            ("w",),
            ("x",),
        ):
            ids = [a["id"] for a in mine if a["id"].split("_")[1][0] in batch]
            locked = {a["id"] for a in mine if a["id"] in ids and a["split"] == "locked"}
            assert locked == _sha1_rule(ids)
    for article in articles:
        assert article["url"].startswith("http") and article["query"]
        assert "2022" <= article["date"][:4] <= "2026"
        gold = json.loads((CORPUS / "gold" / f"{article['id']}.json").read_text(encoding="utf-8"))
        assert gold["document"] == article["id"]
        assert "evidence" not in json.dumps(gold)


def test_corpus_texts_are_not_committed():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "corpus/texts/" in ignored.splitlines()


def test_corpus_sources_write_metadata_beside_each_text(tmp_path):
    (tmp_path / "a1.txt").write_text("La Zambie et les États-Unis ont signé un accord.", encoding="utf-8")
    article = {
        "id": "a1",
        "lang": "fr",
        "split": "dev",
        "url": "http://127.0.0.1/a1",
        "title": "T",
        "date": "2024-05",
        "publisher": "P",
        "query": "q",
    }
    assert corpus_sources([article], tmp_path) == [tmp_path / "a1.txt"]
    meta = json.loads((tmp_path / "a1.meta.json").read_text(encoding="utf-8"))
    assert meta["date"] == "2024-05" and meta["language"] == "fr"


def test_corpus_missing_text_names_the_file(tmp_path):
    article = {
        "id": "gone",
        "lang": "en",
        "split": "dev",
        "url": "",
        "title": "",
        "date": "",
        "publisher": "",
        "query": "",
    }
    with pytest.raises(CmkgError, match="gone.txt: missing"):
        corpus_sources([article], tmp_path)


def test_corpus_evaluate_scores_a_folder_of_texts(tmp_path):
    texts, gold = tmp_path / "texts", tmp_path / "gold"
    texts.mkdir()
    gold.mkdir()
    (texts / "z1.txt").write_text(
        "Lusaka, le 3 mai 2024. La Zambie et les États-Unis ont signé un protocole d'accord sur le cuivre "
        "et le cobalt. Glencore exploite des mines dans la province du Copperbelt.\n",
        encoding="utf-8",
    )
    (tmp_path / "articles.csv").write_text(
        "id,lang,split,url,title,date,publisher,query\n"
        "z1,fr,dev,http://127.0.0.1/z1,Zambie,2024-05-03,Test,zambie cuivre\n",
        encoding="utf-8",
    )
    (gold / "z1.json").write_text(
        json.dumps(
            {
                "document": "z1",
                "entities": [
                    {"name": "Zambia", "type": "State"},
                    {"name": "United States", "type": "State"},
                    {"name": "Glencore", "type": "Company"},
                    {"name": "Copper", "type": "Mineral"},
                    {"name": "Cobalt", "type": "Mineral"},
                    {"name": "Copperbelt", "type": "Place"},
                    {"name": "Lusaka", "type": "Place"},  # the dateline: where it was written
                ],
                "agreements": [
                    {"parties": ["United States", "Zambia"], "minerals": ["Copper", "Cobalt"], "kind": "mou"}
                ],
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["evaluate", str(gold), "--articles", str(tmp_path / "articles.csv"), "--split", "dev", "--brief"]
    )
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[2:]}
    assert lines["entities"][-3:] == ["7", "0", "0"]
    assert lines["agreements"][-3:] == ["1", "0", "0"]
    assert "exact party sets: 1 of the 1 agreements found (1.000)" in result.output


def test_corpus_evaluate_refuses_an_unknown_split(tmp_path):
    (tmp_path / "articles.csv").write_text(
        "id,lang,split,url,title,date,publisher,query\nx,fr,test,,,,,\n", encoding="utf-8"
    )
    with pytest.raises(CmkgError, match="split must be dev or locked"):
        load_articles(tmp_path / "articles.csv")


def test_corpus_evaluate_names_a_missing_articles_file(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.json").write_text('{"document": "a"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "gold"), "--articles", str(tmp_path / "articles.csv")])
    assert result.exit_code == 1
    assert "articles.csv: cannot read" in result.output
    assert len(result.output.strip().splitlines()) == 1
