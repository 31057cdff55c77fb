"""A small real Chroma store of invented practices (hashing embedder) and an Assistant that routes
questions to the engines, as the factory builds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.embeddings import HashingEmbeddings
from assistant.factory import build_assistant
from assistant.pipeline import Assistant
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor

TEMPLATE = """{title}
About this good practice
{about}
Resources needed
{resources}
Evidence of success
{evidence}
Potential for learning or transfer
{transfer}
Further information
Invented for the tests of the engines.
Good practice owner
Organisation: {owner}
"""

PRACTICES = [
    {
        "file": "greenfield-wind-cooperative.txt",
        "title": "Greenfield Wind Cooperative",
        "country": "Ireland",
        "region": "County Kerry",
        "theme": "energy communities",
        "about": "Greenfield Wind Cooperative was founded in 2004 by farmers of a small upland parish. "
        "The cooperative owns two turbines and sells their electricity to the grid.",
        "resources": "The two turbines cost about EUR 4.5 million, financed by member shares "
        "and a bank loan.",
        "evidence": "The wind farm has 3.2 MW of installed capacity and produces about 8 GWh a year. "
        "The cooperative now has 120 members.",
        "transfer": "Any rural parish with steady wind and a grid connection can copy the cooperative model.",
        "owner": "Greenfield Wind Cooperative, Ireland",
    },
    {
        "file": "harbour-heat-network-nordby.txt",
        "title": "Harbour Heat Network (Nordby)",
        "country": "Denmark",
        "region": "Nordby (North Denmark Region)",
        "theme": "energy communities / district heating",
        "about": "The Harbour Heat Network started in 2011 and carries waste heat from the harbour's fish "
        "processing plants to homes through a district heating network.",
        "resources": "The network cost DKK 30 million, paid by the municipality and a "
        "consumer-owned utility.",
        "evidence": "About 450 households are connected and the utility has 40 members.",
        "transfer": "Towns with industry that wastes heat can learn from the contract model.",
        "owner": "Nordby Municipality, Denmark",
    },
    {
        "file": "valley-craft-voucher.txt",
        "title": "Valley Craft Voucher",
        "country": "Austria",
        "region": "Tyrol",
        "theme": "innovation vouchers",
        "about": "The Valley Craft Voucher was launched in 2016 to help craft firms buy design and "
        "digital services.",
        "resources": "Each voucher is worth up to EUR 8,000 per company; the yearly budget is EUR 600,000.",
        "evidence": "By 2019, 75 companies had been supported with a voucher.",
        "transfer": "Regions with many small craft firms can copy the simple application form.",
        "owner": "Tyrol Chamber of Crafts, Austria",
    },
    {
        "file": "riverside-startup-hub.txt",
        "title": "Riverside Start-up Hub",
        "country": "Estonia",
        "region": "Tallinn (Harju)",
        "theme": "entrepreneurship / start-ups",
        "about": "The Riverside Start-up Hub was founded in 2018 by the city for young companies in "
        "its old port.",
        "resources": "The hub employs 12 staff and receives EUR 1.1 million a year from the city.",
        "evidence": "Sixty start-ups have used the hub.",
        "transfer": "Capital cities with empty port buildings can reuse them the same way.",
        "owner": "City of Tallinn, Estonia",
    },
    {
        "file": "mountain-bus-alliance.txt",
        "title": "Mountain Bus Alliance",
        "country": "Austria",
        "region": "Salzburg",
        "theme": "sustainable mobility",
        "about": "The Mountain Bus Alliance was set up in 2009 by twelve villages to run shared bus lines "
        "for visitors and residents.",
        "resources": "The alliance spends about GBP 900,000 a year, paid by the villages and a tourist levy.",
        "evidence": "Its buses carried 400,000 passengers in 2019.",
        "transfer": "Valleys with seasonal traffic can pool their bus services.",
        "owner": "Mountain Bus Alliance, Austria",
    },
]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "metadata.jsonl", "w", encoding="utf-8") as meta:
        for p in PRACTICES:
            (folder / p["file"]).write_text(TEMPLATE.format(**p), encoding="utf-8")
            row = {k: p[k] for k in ("file", "title", "country", "region", "theme")}
            meta.write(json.dumps(row) + "\n")
    return folder


@pytest.fixture(scope="package")
def invented(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, ChromaStore]:
    """Settings and a real Chroma store holding the invented practices (hashing embedder)."""
    data = tmp_path_factory.mktemp("engines-data")
    settings = load_settings(data_dir=data, embedding={"backend": "hashing"}, retrieval={"mode": "dense"})
    store = ChromaStore(open_client(data), HashingEmbeddings(), name=settings.store.collection)
    report = Ingestor(store, store.embeddings).run([write_corpus(tmp_path_factory.mktemp("invented"))])
    assert report.ok and len(report.added) == len(PRACTICES)
    return settings, store


@pytest.fixture(scope="package")
def routed(invented: tuple[Settings, ChromaStore]) -> Assistant:
    """The Assistant the factory builds: router, catalog, compare and summary engines."""
    settings, store = invented
    return build_assistant(settings, store)


def practice_ids(answer_citations) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.practice_id for c in answer_citations}
