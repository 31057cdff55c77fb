"""Compare, similar practices and stored facts, on a real Chroma store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.errors import InvalidQuestion, StoreError, UnknownPractice
from assistant.practices.catalog import Catalog
from assistant.practices.facts.model import FACTS_VERSION, Fact
from assistant.practices.facts.rules import extract_facts
from assistant.practices.listing import PracticeQuery, list_practices
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.chunk import chunk_practice
from ingest.ingestor import Ingestor
from ingest.parse import load_practice
from tests.conftest import CORPUS, INOLINK, LAUGEA, ROOT

LAUGEA_ID = "laugea-lithuanian-automotive-export-association"
INOLINK_ID = "inolink-fostering-innovative-networks"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> ChromaStore:
    """The whole bundled corpus in a real Chroma store (hashing embedder), shared by this module."""
    embeddings = HashingEmbeddings()
    store = ChromaStore(open_client(tmp_path_factory.mktemp("catalog")), embeddings, name="praxis")
    report = Ingestor(store, embeddings).run([CORPUS])
    assert report.ok and len(report.added) == 42
    return store


@pytest.fixture(scope="module")
def catalog(corpus_store: ChromaStore) -> Catalog:
    return Catalog(corpus_store)


def test_facts_are_stored_at_ingest_and_read_back(corpus_store: ChromaStore, catalog: Catalog) -> None:
    stored = corpus_store.get_facts(LAUGEA_ID)
    assert stored is not None and stored.version == FACTS_VERSION
    practice = corpus_store.get_practice(LAUGEA_ID)
    assert [Fact.from_dict(f) for f in stored.facts] == extract_facts(practice)  # type: ignore[arg-type]
    practice, facts = catalog.facts("LAuGEA")
    assert practice.id == LAUGEA_ID
    assert any(f.kind == "start_year" and f.value == 2014 for f in facts)
    cited = [f.cited(practice) for f in facts if f.kind == "staff"]
    assert cited[0]["evidence"] == "Cluster employs 4 employees."
    assert cited[0]["source"] == LAUGEA.name


def test_records_written_before_facts_existed_are_filled_in_on_reingest(tmp_path: Path) -> None:
    embeddings = HashingEmbeddings()
    store = ChromaStore(open_client(tmp_path / "data"), embeddings, name="old")
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(INOLINK, folder / INOLINK.name)
    Ingestor(store, embeddings).run([folder])
    chunks = store.count_chunks()
    # simulate a record from before key facts: drop the facts from the stored JSON
    documents = store._documents  # noqa: SLF001 - reaching in to fake an old record
    row = documents.get(ids=[INOLINK_ID], include=["documents", "embeddings", "metadatas"])
    data = json.loads(row["documents"][0])
    data.pop("facts"), data.pop("facts_version")
    documents.update(
        ids=[INOLINK_ID],
        documents=[json.dumps(data)],
        embeddings=[list(row["embeddings"][0])],
        metadatas=[{**row["metadatas"][0], "facts_version": None}],  # None deletes the key
    )
    assert store.get_facts(INOLINK_ID) is None
    # the catalog still answers (extracting on the fly) ...
    _, facts = Catalog(store).facts(INOLINK_ID)
    assert any(f.kind == "budget" and f.value == 100_000 for f in facts)
    # ... and an unchanged re-ingest stores the facts without re-embedding anything
    report = Ingestor(store, embeddings).run([folder])
    assert report.unchanged == [INOLINK.name] and report.chunks_written == 0
    stored = store.get_facts(INOLINK_ID)
    assert stored is not None and [Fact.from_dict(f) for f in stored.facts] == facts
    assert store.count_chunks() == chunks
    raw = json.loads(documents.get(ids=[INOLINK_ID], include=["documents"])["documents"][0])
    assert raw["facts_version"] == FACTS_VERSION


def _write_record_as_main_did(store: ChromaStore, practice_id: str, facts: list[Fact], version: int) -> None:
    """Rewrite a practice's record in the on-disk format of stores written before the store
    kept facts as plain data: the practice's fields plus "facts" and "facts_version"."""
    documents = store._documents  # noqa: SLF001 - writing a record the way older code did
    row = documents.get(ids=[practice_id], include=["documents", "embeddings", "metadatas"])
    data = json.loads(row["documents"][0])
    data["facts"], data["facts_version"] = [asdict(f) for f in facts], version
    documents.update(
        ids=[practice_id],
        documents=[json.dumps(data, ensure_ascii=False)],
        embeddings=[list(row["embeddings"][0])],
        metadatas=[{**row["metadatas"][0], "facts_version": version}],
    )


@pytest.mark.parametrize("other_version", [FACTS_VERSION - 1, FACTS_VERSION + 1])
def test_facts_stored_by_other_rules_are_re_extracted_and_current_ones_are_used(
    tmp_path: Path, other_version: int
) -> None:
    embeddings = HashingEmbeddings()
    store = ChromaStore(open_client(tmp_path / "data"), embeddings, name="versions")
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(INOLINK, folder / INOLINK.name)
    Ingestor(store, embeddings).run([folder])
    practice = store.get_practice(INOLINK_ID)
    assert practice is not None
    fresh = extract_facts(practice)
    # a budget the document never states, so a user would see where the facts came from
    planted = Fact(
        kind="budget", value=123_456, text="EUR 123,456", section="x", start=0, end=5, currency="EUR"
    )
    catalog = Catalog(store)
    cheap = PracticeQuery(budget_below="EUR 200000")

    def matched(query: PracticeQuery) -> dict[str, list[Fact]]:
        return {row.practice.id: row.match.evidence for row in list_practices(catalog, query) if row.match}

    _write_record_as_main_did(store, INOLINK_ID, [planted], other_version)
    assert catalog.facts(INOLINK_ID)[1] == fresh  # other rules: extracted again
    assert INOLINK_ID not in matched(cheap)  # its 100 000 has no currency

    _write_record_as_main_did(store, INOLINK_ID, [planted], FACTS_VERSION)
    assert catalog.facts(INOLINK_ID)[1] == [planted]  # the current rules' facts are read as stored
    assert matched(cheap)[INOLINK_ID] == [planted]

    _write_record_as_main_did(store, INOLINK_ID, [planted], other_version)
    report = Ingestor(store, embeddings).run([folder])  # an unchanged re-ingest refreshes them
    assert report.unchanged == [INOLINK.name]
    stored = store.get_facts(INOLINK_ID)
    assert stored is not None and stored.version == FACTS_VERSION
    assert [Fact.from_dict(f) for f in stored.facts] == fresh


def test_store_refuses_facts_without_their_version(tmp_path: Path) -> None:
    embeddings = HashingEmbeddings()
    store = ChromaStore(open_client(tmp_path / "data"), embeddings, name="noversion")
    practice, _ = load_practice(INOLINK)
    chunk = chunk_practice(practice)[0]
    with pytest.raises(StoreError, match="facts_version"):
        store.write_documents(
            [(practice, [chunk], embeddings.embed_documents([chunk.text]))],
            facts={practice.id: [{"kind": "budget", "value": 1}]},
        )
    assert store.get_practice(practice.id) is None


def test_store_code_imports_nothing_from_the_practices_package() -> None:
    """The store keeps facts as plain data: loading it loads none of the fact rules."""
    code = (
        "import sys, assistant.store.chroma, assistant.store.records, assistant.store.client; "
        "print(sorted(m for m in sys.modules if m.startswith('assistant.practices')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# -- resolving references ----------------------------------------------------------------------


def test_resolve_by_id_title_fragment_and_acronym(catalog: Catalog) -> None:
    assert catalog.resolve(LAUGEA_ID).id == LAUGEA_ID
    assert catalog.resolve("inolink").id == INOLINK_ID
    assert catalog.resolve("  Fostering and Developing Innovative Networks (InoLink) ").id == INOLINK_ID
    assert catalog.resolve("Digital Villages").id == "digital-villages-rhineland-palatinate"


def test_ambiguous_and_unknown_references_say_what_to_do(catalog: Catalog) -> None:
    with pytest.raises(InvalidQuestion, match=r"'cluster' matches \d+ practices: .*give a longer fragment"):
        catalog.resolve("cluster")
    with pytest.raises(UnknownPractice, match="no practice matches 'zzz-nothing'"):
        catalog.resolve("zzz-nothing")
    with pytest.raises(InvalidQuestion, match="practice id or part of its title"):
        catalog.resolve("   ")


# -- compare -------------------------------------------------------------------------------------


def test_compare_laugea_and_inolink_every_cell_cited(catalog: Catalog, corpus_store: ChromaStore) -> None:
    comparison = catalog.compare(["laugea", "InoLink"])
    data = comparison.to_dict()
    assert [p["id"] for p in data["practices"]] == [LAUGEA_ID, INOLINK_ID]
    labels = [row["label"] for row in data["rows"]]
    assert labels[:3] == ["Resources needed", "Evidence of success", "Potential for learning or transfer"]
    assert {"Start year", "Budget / cost", "Staff", "Members", "Funding source"} <= set(labels)
    texts = {
        p.id: p.text for p in (corpus_store.get_practice(LAUGEA_ID), corpus_store.get_practice(INOLINK_ID))
    }
    numbers = {c["n"] for c in data["citations"]}
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for row in data["rows"]:
        for cell in row["cells"]:
            if cell["missing"]:
                assert cell["text"] == "not stated in the document" and not cell["citations"]
                continue
            if cell["from_metadata"]:
                assert row["key"] == "fact:region"
                continue
            assert cell["citations"], (row["label"], cell)
            markers = {int(n) for n in re.findall(r"\[(\d+)\]", cell["text"])}
            assert markers == {c["n"] for c in cell["citations"]}
            for citation in cell["citations"]:
                assert citation["practice_id"] == cell["practice_id"]
                assert texts[citation["practice_id"]][citation["start"] : citation["end"]] == citation["text"]
    by_label = {row["label"]: row["cells"] for row in data["rows"]}
    assert "2014" in by_label["Start year"][0]["text"]
    assert by_label["Start year"][1]["missing"]
    assert "100,000" in by_label["Budget / cost"][1]["text"]
    assert "Cluster employs 4 employees." in by_label["Resources needed"][0]["text"]


@pytest.mark.parametrize(
    ("refs", "message"),
    [
        (["laugea"], "2 to 5 practices, got 1"),
        (["laugea", "inolink", "bacc", "caar", "kalundborg", "samso"], "2 to 5 practices, got 6"),
        (["laugea", "Lithuanian Automotive Export"], "are the same practice"),
        ("laugea inolink", "list of 2 to 5"),
    ],
)
def test_compare_rejects_bad_requests(catalog: Catalog, refs, message: str) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        catalog.compare(refs)


def test_compare_unknown_practice(catalog: Catalog) -> None:
    with pytest.raises(UnknownPractice, match="no practice matches 'atlantis'"):
        catalog.compare(["laugea", "atlantis"])


def test_compare_five_practices(catalog: Catalog) -> None:
    comparison = catalog.compare(["laugea", "inolink", "BACC", "CAAR", "Kalundborg"], max_chars=200)
    assert len(comparison.practices) == 5
    assert all(len(row.cells) == 5 for row in comparison.rows)
    resources = comparison.rows[0].cells
    assert all(len(c.citations[0].text) <= 200 or not c.truncated for c in resources if c.citations)


# -- similar -------------------------------------------------------------------------------------


def test_similar_excludes_itself_and_caps_countries(catalog: Catalog, corpus_store: ChromaStore) -> None:
    countries = {p.id: p.metadata.get("country") for p in corpus_store.practices()}
    found = catalog.similar("laugea", k=8, per_country=1)
    assert len(found) == 8
    ids = [s.practice_id for s in found]
    assert LAUGEA_ID not in ids and len(set(ids)) == 8
    seen = [countries[i] for i in ids]
    assert len(set(seen)) == len(seen)  # one per country ...
    assert "Lithuania" not in seen  # ... and the practice's own country already counts
    assert all(-1.0 <= s.score <= 1.0 for s in found)


def test_similar_without_cap_prefers_the_nearest(catalog: Catalog) -> None:
    plain = catalog.similar("laugea", k=3, per_country=50)
    assert plain[0].practice_id == "baltic-automotive-components-cluster-bacc"  # shares most words


@pytest.mark.parametrize(("k", "per_country"), [(0, 2), (21, 2), (5, 0)])
def test_similar_rejects_bad_arguments(catalog: Catalog, k: int, per_country: int) -> None:
    with pytest.raises(InvalidQuestion):
        catalog.similar("laugea", k=k, per_country=per_country)
