"""The conversation as Markdown, Word and PDF: each opens, and every [n] has its numbered reference."""

from __future__ import annotations

from pathlib import Path

import pypdf
from docx import Document

from tests.ui.web.conftest import CITED, answered, refused
from ui.web.export import to_docx, to_markdown, to_pdf
from ui.web.session import Chat

WHEN = "2026-05-01 10:00"


def _chat() -> Chat:
    return Chat([answered(), refused("Kiek narių turi Vilniaus klasteris?", lang="lt")])


def test_markdown_has_questions_answers_and_numbered_references() -> None:
    markdown = to_markdown(_chat(), "en", WHEN)
    assert markdown.startswith("# Praxis conversation\n")
    assert "## 1. How many members does LAuGEA have?" in markdown
    assert f"“{CITED}” [1]" in markdown
    assert (
        "[1] Lithuanian Automotive Export Association (LAuGEA), section “Evidence of success”: "
        f"“{CITED}”" in markdown
    )
    assert "## 2. Kiek narių turi Vilniaus klasteris?" in markdown
    assert "Dokumentuose to nėra: Kiek narių turi Vilniaus klasteris?" in markdown  # the question's language
    assert "Artimiausios praktikos: Lithuanian Automotive Export Association (LAuGEA)." in markdown
    assert ".txt" not in markdown and "characters" not in markdown


def test_word_document_opens_with_the_answer_and_its_references(tmp_path: Path) -> None:
    path = to_docx(_chat(), "de", WHEN, tmp_path / "c.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Praxis-Gespräch"
    assert "1. How many members does LAuGEA have?" in paragraphs
    answer = next(p for p in paragraphs if CITED in p)
    assert answer.endswith("[1]")
    assert "Belege" in paragraphs
    assert any(
        p.startswith("[1] Lithuanian Automotive Export Association (LAuGEA), Abschnitt „Erfolgsnachweise“")
        for p in paragraphs
    )


def test_pdf_opens_with_every_letter_of_the_languages(tmp_path: Path) -> None:
    path = to_pdf(_chat(), "pl", WHEN, tmp_path / "c.pdf")
    reader = pypdf.PdfReader(str(path))
    content = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Rozmowa z Praxis" in content
    assert "Kiek narių turi Vilniaus klasteris?" in content  # ų, ė survive in the embedded font
    assert "Przypisy" in content and "[1] Lithuanian Automotive Export Association (LAuGEA)" in content
    assert "21 members" in content
