"""Researchers' own documents: saved web pages, PDFs, metadata from the page, sidecar or options, and
English documents read like their French equivalents."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from graph.errors import DocumentError
from graph.ingest import load_document
from graph.pipeline import language_markers, read_corpus

ROOT = Path(__file__).resolve().parent.parent
PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Terres rares – Exemple</title>
<meta name="date" content="2025-10-28"><meta property="og:url" content="https://example.org/terres-rares">
<meta property="og:site_name" content="Exemple Actu"></head><body>
<nav><a href="/">Accueil</a> <a href="/monde">International</a> <a href="/eco">Économie</a></nav>
<article><h1>Washington et Tokyo signent un accord sur les terres rares</h1>
<p>Lors de cette rencontre, les Etats-Unis et le Japon ont signé un accord-cadre sur les terres rares et les minéraux critiques.</p>
<p>Pékin contrôle environ 70 % de l’extraction mondiale des terres rares et près de 90 % du raffinage, selon l’Agence internationale de l’énergie.</p>
</article><footer>© Exemple Actu – Tous droits réservés – Newsletter</footer></body></html>"""


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (WinAnsi encoding)."""
    stream = (
        "BT /F1 11 Tf 50 750 Td 14 TL "
        + " ".join("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines)
        + " ET"
    )
    content = stream.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (Rapport sur les terres rares) /Author (Une Autrice) >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_ingest_formats_html_page_body_and_metadata(tmp_path, boilerplate, reference):
    page = tmp_path / "article.html"
    page.write_text(PAGE, encoding="utf-8")
    doc = load_document(page, boilerplate, markers=language_markers(reference))
    assert "Pékin contrôle environ 70 %" in doc.clean.text
    assert "Accueil" not in doc.clean.text and "Tous droits réservés" not in doc.clean.text
    assert doc.meta["date"] == "2025-10-28"
    assert doc.meta["url"] == "https://example.org/terres-rares"
    assert doc.meta["language"] == "fr"
    start, end = doc.clean.source_span(0, 30)
    assert doc.raw[start:end] == doc.clean.text[:30]


def test_ingest_formats_pdf_text_layer_and_metadata(tmp_path, boilerplate):
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(
        _pdf(
            [
                "Pékin contrôle environ 70 % de l'extraction mondiale des terres rares.",
                "Les États-Unis et le Japon ont signé un accord-cadre.",
            ]
        )
    )
    doc = load_document(pdf, boilerplate)
    assert "Pékin contrôle environ 70 %" in doc.clean.text
    assert doc.meta["title"] == "Rapport sur les terres rares"
    assert doc.meta["author"] == "Une Autrice"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("broken.pdf", b"%PDF-1.4 not really a pdf", "not a readable PDF"),
        ("empty.html", b"<html><body><nav>Menu</nav></body></html>", "no (article|body) text"),
    ],
)
def test_ingest_formats_bad_files_name_the_file(tmp_path, boilerplate, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as info:
        load_document(path, boilerplate)
    assert name in str(info.value)


def test_ingest_formats_sidecar_and_options_override_the_page(tmp_path, boilerplate):
    page = tmp_path / "article.html"
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "article.meta.json").write_text(json.dumps({"publisher": "Le Sidecar"}), encoding="utf-8")
    doc = load_document(page, boilerplate, overrides={"title": "Titre donné", "date": None})
    assert (doc.meta["title"], doc.meta["publisher"], doc.meta["date"]) == ("Titre donné", "Le Sidecar", "2025-10-28")


@pytest.mark.parametrize(
    "text, language",
    [
        ("La Chine et les États-Unis ont signé un accord sur les terres rares pour la sécurité.", "fr"),
        ("China and the United States signed an agreement on rare earths for the supply chain.", "en"),
    ],
)
def test_ingest_formats_language_detection(tmp_path, boilerplate, reference, text, language):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    assert load_document(path, boilerplate, markers=language_markers(reference)).meta["language"] == language


PARALLEL = [
    (
        "Pékin contrôle environ 70 % de l'extraction mondiale des terres rares et près de 90 % du raffinage.",
        "Beijing controls about 70% of global rare earth mining and nearly 90% of refining.",
    ),
    (
        "Les États-Unis et le Japon ont signé un accord-cadre sur les terres rares.",
        "The United States and Japan signed a framework agreement on rare earths.",
    ),
    (
        "Le ministère chinois du Commerce a annoncé des licences d'exportation pour le gallium.",
        "The Chinese Ministry of Commerce announced export licences for gallium.",
    ),
    (
        "Près de 80 % des terres rares consommées aux États-Unis sont importées, dont environ la moitié proviennent "
        "directement de Chine.",
        "Nearly 80% of the rare earths consumed in the United States are imported, about half of which come directly "
        "from China.",
    ),
]


def _facts(text: str) -> dict:
    folder = Path(tempfile.mkdtemp())
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    summary = read_corpus([folder], ROOT / "ontology").summary
    keep = ("parties", "minerals", "kind", "actor", "consumer", "mineral", "stage", "percent", "imposer")
    return {
        k: [{f: v for f, v in x.items() if f in keep} for x in summary[k]] for k in ("agreements", "shares", "measures")
    }


@pytest.mark.parametrize("french, english", PARALLEL)
def test_ingest_formats_english_gives_the_same_facts(french, english):
    facts = _facts(french)
    assert any(facts.values())
    assert _facts(english) == facts
