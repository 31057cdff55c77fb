"""POST /v1/transfer and /v1/transfer/briefing over real HTTP, and `praxis transfer`."""

from __future__ import annotations

import io
import json

import docx
from pypdf import PdfReader

from tests.conftest import CORPUS
from ui.cli import main

PROFILE = {
    "region_type": "rural",
    "budget": "EUR 300000 per year",
    "challenge": "small firms in our villages want help to go digital and sell online",
}


def test_ranked_practices_carry_reasons_with_verdicts_and_citations(http) -> None:
    response = http.post("/v1/transfer", json={"profile": PROFILE, "k": 3})
    assert response.status_code == 200, response.text
    practices = response.json()["practices"]
    assert len(practices) == 3
    scores = [p["score"] for p in practices]
    assert scores == sorted(scores, reverse=True)  # best first
    for practice in practices:
        assert practice["practice_id"] and practice["title"]
        for reason in practice["reasons"]:
            assert reason["verdict"] in ("fits", "partly", "does not fit", "not stated")
            if reason["verdict"] == "not stated":
                assert reason["citation"] is None
            else:
                citation = reason["citation"]
                source = (CORPUS / citation["source"]).read_text(encoding="utf-8")
                assert citation["text"] in source  # the sentence it rests on, verbatim


def test_a_bad_profile_gets_a_422_that_names_the_key(http) -> None:
    unknown = http.post("/v1/transfer", json={"profile": {"colour": "green"}})
    assert unknown.status_code == 422 and "colour" in unknown.json()["error"]["message"]
    bad = http.post("/v1/transfer", json={"profile": {"population": "lots"}})
    assert bad.status_code == 422 and "population" in bad.json()["error"]["message"]


def test_the_briefing_comes_as_markdown_word_and_pdf(http) -> None:
    body = {"profile": PROFILE, "practice_id": "kmu-digital-austria"}
    markdown = http.post("/v1/transfer/briefing", json={**body, "format": "md"})
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert "KMU" in markdown.text and "[1]" in markdown.text
    word = http.post("/v1/transfer/briefing", json={**body, "format": "docx"})
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert word.status_code == 200 and any("KMU" in p for p in paragraphs)
    pdf = http.post("/v1/transfer/briefing", json={**body, "format": "pdf"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and "KMU" in text
    missing = http.post("/v1/transfer/briefing", json={**body, "practice_id": "no-such-practice"})
    assert missing.status_code == 404


def test_the_command_line_ranks_and_writes_a_briefing(hashing_corpus, tmp_path, capsys, monkeypatch) -> None:
    data_dir, _ = hashing_corpus
    monkeypatch.setenv("PRAXIS_EMBEDDING__BACKEND", "hashing")
    flags = ["--data-dir", str(data_dir), "--region-type", "rural", "--budget", "EUR 300000 per year"]
    flags += ["--challenge", PROFILE["challenge"], "--k", "2"]
    assert main(["transfer", *flags, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["practices"]) == 2 and result["budget"]["per_year_eur"] == 300000
    out = tmp_path / "brief.docx"
    assert main(["transfer", *flags, "--briefing", "kmu", "--format", "docx", "--out", str(out)]) == 0
    assert any("KMU" in p.text for p in docx.Document(str(out)).paragraphs)
