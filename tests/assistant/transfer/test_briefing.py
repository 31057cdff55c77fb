"""The transfer briefing, opened in its three formats: Markdown, Word (read back with python-docx)
and PDF (text extracted with pypdf)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from pypdf import PdfReader

from assistant.errors import InvalidQuestion, UnknownPractice
from assistant.transfer import Briefing, TransferAdvisor, render
from assistant.transfer.briefing import briefing as build_briefing
from tests.assistant.transfer.conftest import HEAT_ID, VOUCHER_ID
from tests.assistant.transfer.test_fit import RURAL_POLAND

TITLES = (
    "The importing region",
    "How it fits your region",
    "The practice in brief",
    "What it needs",
    "Its evidence",
    "Conditions and risks for transfer",
    "Questions to ask the owner",
    "The owner to contact",
    "Similar practices elsewhere",
)


@pytest.fixture(scope="module")
def briefing(advisor: TransferAdvisor) -> Briefing:
    return build_briefing(advisor, RURAL_POLAND, "Riverbend")


def test_every_quoted_statement_is_cited_and_every_citation_is_exact(
    advisor: TransferAdvisor, briefing: Briefing
) -> None:
    assert briefing.practice_id == HEAT_ID
    assert [s.title.split(" (")[0] for s in briefing.sections] == list(TITLES)
    for section in briefing.sections:
        for statement in section.statements:
            if statement.quoted:
                assert statement.citations, (section.key, statement.text)
                assert statement.citations[0].text == statement.text or section.key == "fit"
    numbers = [c.n for c in briefing.references]
    assert numbers == list(range(1, len(numbers) + 1))
    for citation in briefing.references:
        practice = advisor.store.get_practice(citation.practice_id)
        assert practice is not None and practice.text[citation.start : citation.end] == citation.text


def test_the_briefing_says_what_it_needs_and_asks_about_what_is_missing(briefing: Briefing) -> None:
    sections = {s.key: s for s in briefing.sections}
    profile_lines = {s.label: s.text for s in sections["profile"].statements}
    assert profile_lines["Country"] == "Poland" and "PLN 1 million" in profile_lines["Budget"]
    assert "ECB reference rate" in profile_lines["Budget in EUR"]
    needs = {s.label: s.text for s in sections["needs"].statements}
    assert "EUR 120,000 a year" in needs["Money"]
    assert "3 staff" in needs["Staff"]
    assert any("co-financed" in s.text for s in sections["needs"].statements)
    questions = " ".join(s.text for s in sections["questions"].statements)
    assert "'technical university'" in questions  # a condition the profile does not meet
    owner = sections["owner"].statements[0]
    assert "Spółdzielnia Ciepła Łąka" in owner.text and owner.citations


def test_a_practice_that_states_no_budget_gets_the_cost_question_cited_to_its_gap(
    advisor: TransferAdvisor,
) -> None:
    briefing = build_briefing(advisor, {"challenge": "help small firms buy research"}, VOUCHER_ID)
    questions = next(s for s in briefing.sections if s.key == "questions").statements
    staff = next(q for q in questions if q.text.startswith("How many staff"))
    assert not staff.quoted and not staff.citations
    results = next(q for q in questions if q.text.startswith("Which measured results"))
    assert results.text.endswith("works?")
    profile = next(s for s in briefing.sections if s.key == "profile").statements
    assert [s.label for s in profile] == ["Challenge"]


def _markers_have_references(text: str, count: int) -> None:
    used = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert used and used <= set(range(1, count + 1))


def test_markdown_lists_sections_and_numbered_references(briefing: Briefing) -> None:
    rendered = render(briefing, "md")
    assert rendered.content_type.startswith("text/markdown")
    assert rendered.filename == f"transfer-briefing-{HEAT_ID}.md"
    text = rendered.data.decode("utf-8")
    assert text.startswith("# Transfer briefing: Riverbend Heat Cooperative")
    for title in TITLES:
        assert title in text
    body, references = text.split("## References")
    _markers_have_references(body, len(briefing.references))
    assert "[1] Riverbend Heat Cooperative" in references
    assert "EUR 120,000 a year" in references


def test_word_document_reads_back_with_python_docx(briefing: Briefing) -> None:
    rendered = render(briefing, "docx")
    assert rendered.content_type.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(rendered.data))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Transfer briefing: Riverbend Heat Cooperative" in paragraphs[0]
    assert any(h.endswith("Questions to ask the owner") for h in headings)
    assert headings[-1] == "References"
    references = paragraphs[paragraphs.index("References") + 1 :]
    assert len(references) == len(briefing.references)
    assert references[0].startswith("[1] ")
    assert any("Spółdzielnia Ciepła Łąka" in p for p in paragraphs)
    _markers_have_references("\n".join(paragraphs[: paragraphs.index("References")]), len(references))


def test_pdf_text_extracts_with_pypdf(briefing: Briefing) -> None:
    rendered = render(briefing, "pdf")
    assert rendered.content_type == "application/pdf" and rendered.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)
    flat = " ".join(text.split())
    assert "Transfer briefing: Riverbend Heat Cooperative" in flat
    assert "Questions to ask the owner" in flat and "References" in flat
    assert "Łąka" in flat  # the embedded font prints the owner's name as written
    assert "EUR 120,000 a year" in flat


def test_unknown_format_or_practice_is_refused(advisor: TransferAdvisor, briefing: Briefing) -> None:
    with pytest.raises(InvalidQuestion, match="format must be one of md, docx, pdf"):
        render(briefing, "odt")
    with pytest.raises(UnknownPractice):
        build_briefing(advisor, RURAL_POLAND, "no-such-practice")
