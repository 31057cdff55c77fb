"""The catalog views as the web UI shows them: escaped, every marker linked to its source, in the
reader's language, with sentences and section names instead of file names and offsets."""

from __future__ import annotations

import re

from assistant.practices.compare import build_comparison
from assistant.practices.facts.rules import extract_facts
from assistant.practices.similar import SimilarPractice
from ingest.ingestor import load_metadata
from ingest.parse import load_practice, parse_practice
from tests.conftest import CORPUS, INOLINK, LAUGEA
from ui.catalog_view import comparison_html, facts_html, similar_html

STORAGE_WORDS = re.compile(r"\.txt|metadata|chars \d|characters \d")


def _practice(path):
    practice, _ = load_practice(path, load_metadata(CORPUS).get(path.name))
    return practice


def test_every_marker_links_to_a_listed_source() -> None:
    practices = [_practice(LAUGEA), _practice(INOLINK)]
    page = comparison_html(build_comparison(practices, [extract_facts(p) for p in practices]))
    assert "Lithuanian Automotive Export Association (LAuGEA)" in page
    linked = set(re.findall(r'href="#praxis-source-(\d+)"', page))
    listed = set(re.findall(r"id='praxis-source-(\d+)'", page))
    assert linked and linked == listed
    assert "Cluster employs 4 employees." in page
    assert page.count("<tr>") == 1 + 3 + 9  # header, three sections, nine fact rows with values
    assert not STORAGE_WORDS.search(page)


def test_the_comparison_speaks_the_readers_language_and_quotes_as_written() -> None:
    practices = [_practice(LAUGEA), _practice(INOLINK)]
    page = comparison_html(build_comparison(practices, [extract_facts(p) for p in practices]), "de")
    assert "<th scope='row'>Benötigte Ressourcen</th>" in page
    assert "<th scope='row'>Startjahr</th>" in page
    assert ">Quellen<" in page
    assert "Cluster employs 4 employees." in page  # the document's sentence, untranslated
    assert "not stated in the document" not in page and "im Dokument nicht angegeben" in page


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
    assert "dokumente nenurodyta" in comparison_html(
        build_comparison([evil, other], [extract_facts(evil), extract_facts(other)]), "lt"
    )


def test_facts_show_the_sentence_and_section_once_each() -> None:
    practice = _practice(LAUGEA)
    page = facts_html(practice, extract_facts(practice), heading="Key facts")
    assert "<dt>Start year</dt><dd><span class='fact-value'>2014</span>" in page
    assert "As a result, the Lithuanian Automotive Export Association (LAuGEA) was founded in 2014." in page
    assert "(About this good practice)" in page
    assert not STORAGE_WORDS.search(page)  # no offsets, no file names, no metadata file
    sentences = re.findall(r"<q lang='\w+'>(.*?)</q>", page)
    assert sentences and len(sentences) == len(set(sentences))  # a sentence stating two facts: once
    german = facts_html(practice, extract_facts(practice), "de", heading="Eckdaten")
    assert "<dt>Startjahr</dt>" in german and "(Über diese gute Praxis)" in german


def test_similar_practices_open_and_name_their_country() -> None:
    similar = similar_html([SimilarPractice("bacc", "Baltic <Cluster>", "Lithuania", None, 0.66)])
    assert "Baltic &lt;Cluster&gt;" in similar and "(Lithuania)" in similar
    assert "data-action='open' data-practice='bacc'" in similar
    assert "0.66" not in similar  # a similarity score means nothing to a reader
    assert similar_html([]) == ""
