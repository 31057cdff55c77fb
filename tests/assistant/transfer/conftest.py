"""Three invented practices in the template, ingested into a real Chroma store (hashing embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.practices.catalog import Catalog
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from assistant.transfer import TransferAdvisor
from ingest.ingestor import Ingestor

HEAT = "\n".join(
    [
        "Riverbend Heat Cooperative",
        "About this good practice",
        (
            "Riverbend is a rural valley of about 12,000 inhabitants where schools and homes "
            "burned imported heating oil. In 2011 forty forest owners founded a cooperative that "
            "heats schools, the health centre and homes with wood chips from local forests."
        ),
        "Resources needed",
        (
            "The cooperative spends about EUR 120,000 a year on wood and maintenance. It employs 3 "
            "staff. The heating plant was co-financed by the regional development fund."
        ),
        "Evidence of success",
        (
            "The plant delivers 9,000 MWh of heat a year and replaces 900,000 litres of oil "
            "annually. Heating costs for the schools fell by 30%. Carbon dioxide emissions fall by "
            "2,400 tonnes a year."
        ),
        "Potential for learning or transfer",
        (
            "The model suits rural regions with large forests and a technical university that "
            "trains forestry engineers."
        ),
        "Further information",
        "Cooperative website.",
        "Good practice owner",
        "You can contact the good practice owner below for more detailed information.",
        "Organisation: Spółdzielnia Ciepła Łąka (Riverbend Heat Cooperative), Riverbend, Poland",
        "",
    ]
)

TRANSIT = "\n".join(
    [
        "Harbourtown Transit Pass",
        "About this good practice",
        (
            "Harbourtown, a port city, made its buses free for registered residents in 2015 to cut "
            "traffic in the city centre."
        ),
        "Resources needed",
        "The city spent EUR 9 million per year to replace lost ticket revenue.",
        "Evidence of success",
        "Users report that they like the pass. No formal impact evaluation is available.",
        "Potential for learning or transfer",
        "It is relevant for cities with a municipal bus company.",
        "Good practice owner",
        "Organisation: Harbourtown City Council, Denmark",
        "",
    ]
)

VOUCHER = "\n".join(
    [
        "Valley Voucher Scheme",
        "About this good practice",
        (
            "The scheme lets small firms buy services from universities and research institutes "
            "with a voucher."
        ),
        "Resources needed",
        ("Each voucher is worth up to EUR 4,000. The source does not give the total budget of the scheme."),
        "Evidence of success",
        "Firms say the vouchers were useful.",
        "Potential for learning or transfer",
        "The scheme is easy to copy.",
        "Good practice owner",
        "Organisation: Valley Development Agency, Austria",
        "",
    ]
)

METADATA = [
    {"file": "riverbend-heat.txt", "title": "Riverbend Heat Cooperative", "country": "Poland"},
    {"file": "harbourtown-transit.txt", "title": "Harbourtown Transit Pass", "country": "Denmark"},
    {"file": "valley-voucher.txt", "title": "Valley Voucher Scheme", "country": "Austria"},
]

HEAT_ID, TRANSIT_ID, VOUCHER_ID = "riverbend-heat", "harbourtown-transit", "valley-voucher"


@pytest.fixture(scope="package")
def advisor(tmp_path_factory: pytest.TempPathFactory) -> TransferAdvisor:
    """An advisor over the three invented practices (real Chroma, hashing embedder)."""
    folder = tmp_path_factory.mktemp("transfer-docs")
    for name, text in (
        ("riverbend-heat.txt", HEAT),
        ("harbourtown-transit.txt", TRANSIT),
        ("valley-voucher.txt", VOUCHER),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "metadata.jsonl").write_text("\n".join(json.dumps(m) for m in METADATA), encoding="utf-8")
    embeddings = HashingEmbeddings()
    store = ChromaStore(
        open_client(Path(tmp_path_factory.mktemp("transfer-data"))), embeddings, name="praxis"
    )
    report = Ingestor(store, embeddings).run([folder])
    assert report.ok and len(report.added) == 3, report.failed
    return TransferAdvisor(Catalog(store))
