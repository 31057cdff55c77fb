"""The Ingestor built from settings (for `praxis ingest` and API uploads alike), and which files
ingest accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.store.chroma import ChromaStore
from ingest.factory import build_ingestor
from ingest.readers import SUPPORTED_SUFFIXES, FieldMap, accepts
from tests.conftest import LAUGEA

ODD_CSV = "code,label,text\n1,Bike Library,The library lends bicycles to students.\n"


def test_the_record_mapping_comes_from_the_settings(store: ChromaStore, settings_for, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "odd.csv").write_text(ODD_CSV, encoding="utf-8")
    mapping = {"id": "code", "title": "label", "sections": {"About this good practice": "text"}}
    settings = settings_for(embedding={"backend": "hashing"}, ingest={"record_fields": mapping})
    report = build_ingestor(settings, store).run([folder])
    assert report.ok and report.added == ["odd.csv#1"], report.failed
    practice = store.get_practice("odd-1")
    assert practice is not None and practice.title == "Bike Library"
    # an explicit mapping (praxis ingest --fields) replaces the settings' one
    other = build_ingestor(settings, store, fields=FieldMap()).run([folder], rebuild=True)
    assert not other.added and "no title" in other.failed[0][1]


def test_chunk_size_comes_from_the_settings(store: ChromaStore, settings_for) -> None:
    small = settings_for(embedding={"backend": "hashing"}, retrieval={"chunk_chars": 200})
    fine = build_ingestor(small, store).run([LAUGEA]).chunks_written
    default = settings_for(embedding={"backend": "hashing"})
    coarse = build_ingestor(default, store).run([LAUGEA], rebuild=True).chunks_written
    assert fine > coarse > 0


def test_a_bad_record_mapping_in_the_settings_is_named(store: ChromaStore, settings_for) -> None:
    settings = settings_for(embedding={"backend": "hashing"}, ingest={"record_fields": {"titel": "x"}})
    with pytest.raises(ConfigError, match="unknown record field target 'titel'"):
        build_ingestor(settings, store)


def test_accepted_suffixes_are_those_ingest_reads() -> None:
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".json", ".jsonl", ".csv"} == set(
        SUPPORTED_SUFFIXES
    )
    assert accepts(Path("Report.DOCX")) and accepts(Path("page.htm"))
    assert not accepts(Path("slides.pptx")) and not accepts(Path("old.doc")) and not accepts(Path("README"))
