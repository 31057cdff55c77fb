"""The catalog views as the web UI shows them: escaped, every marker linked to its source."""

from __future__ import annotations

import re

from assistant.practices.compare import build_comparison
from assistant.practices.facts.rules import extract_facts
from assistant.practices.similar import SimilarPractice
from ingest.ingestor import load_metadata
from ingest.parse import load_practice, parse_practice
from tests.conftest import CORPUS, INOLINK, LAUGEA
from ui.catalog_view import comparison_html, facts_html, similar_html


def _practice(path):
    practice, _ = load_practice(path, load_metadata(CORPUS).get(path.name))
    return practice


def test_every_marker_links_to_a_listed_source() -> None:
    practices = [_practice(LAUGEA), _practice(INOLINK)]
    page = comparison_html(build_comparison(practices, [extract_facts(p) for p in practices]))
    assert "Lithuanian Automotive Export Association (LAuGEA)" in page
    linked = set(re.findall(r'href="#praxis-source-(\d+)"', page))
    listed = set(re.findall(r'id="praxis-source-(\d+)"', page))
    assert linked and linked == listed
    assert "Cluster employs 4 employees." in page
    assert page.count("<tr>") == 1 + 3 + 9  # header, three sections, nine fact rows with values


def test_document_text_is_escaped_not_run() -> None:
    text = (
        "Evil <script>alert(1)</script> practice\nResources needed\n"
        "It costs EUR 5,000 <img src=x onerror=alert(2)>.\n"
    )
    evil, _ = parse_practice(text, source="evil.txt", practice_id="evil")
    other = _practice(LAUGEA)
    page = comparison_html(build_comparison([evil, other], [extract_facts(evil), extract_facts(other)]))
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_facts_and_similar_views() -> None:
    practice = _practice(LAUGEA)
    page = facts_html(practice, extract_facts(practice))
    assert "<dt>Start year</dt><dd>2014" in page
    assert (
        'title="As a result, the Lithuanian Automotive Export Association (LAuGEA) was founded in 2014."'
        in page
    )
    assert "metadata.jsonl" in page  # the region comes from metadata, and says so
    similar = similar_html([SimilarPractice("bacc", "Baltic <Cluster>", "Lithuania", None, 0.66)])
    assert "Baltic &lt;Cluster&gt;" in similar and "similarity 0.66" in similar
    assert "No other practices" in similar_html([])
