"""The example questions the page offers are answered well by the default Praxis (multilingual
e5, hybrid retrieval, extractive answers): one per kind, each checked against its answer."""

from __future__ import annotations

import shutil

import pytest

from assistant.config import load_settings
from assistant.factory import build_store
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS
from ui.services import Services
from ui.web.handlers import ALL, EXAMPLES, Handlers
from ui.web.session import Chat

# the practices the examples are about, and others of the same kinds to tell them apart from
FILES = [
    "laugea-lithuanian-automotive-export-association.txt",
    "inolink-fostering-innovative-networks.txt",
    "baltic-automotive-components-cluster-bacc.txt",
    "pimex-internationalisation-plan-extremadura.txt",
    "consolidation-plan-international-markets-extremadura.txt",
    "export-consortiums-extremadura.txt",
    "buurtzorg-neighbourhood-care.txt",
    "southern-denmark-centre-for-telepsychiatry.txt",
    "centrope-innovation-voucher.txt",
    "enterprise-estonia-innovation-voucher-grant.txt",
    "jic-innovation-voucher-south-moravia.txt",
    "north-west-england-innovation-vouchers.txt",
    "tampere-region-innovation-voucher.txt",
    "digitalbonus-bavaria.txt",
]


@pytest.fixture(scope="module")
def handlers(tmp_path_factory: pytest.TempPathFactory) -> Handlers:
    corpus = tmp_path_factory.mktemp("examples-corpus")
    for name in [*FILES, "metadata.jsonl"]:
        shutil.copy(CORPUS / name, corpus / name)
    data = tmp_path_factory.mktemp("examples-data")
    settings = load_settings(data_dir=data)  # the defaults users get
    store = build_store(settings)
    assert Ingestor(store, store.embeddings).run([corpus]).ok
    return Handlers(Services(settings, store=store))


def answer_of(handlers: Handlers, question: str) -> dict:
    *_, last = handlers.respond(question, Chat(), ALL, ALL, "en")
    chat = last[2]
    assert "data-action='cite'" in last[1]  # its markers open their passages
    return chat.turns[0].answer


def test_one_example_per_kind() -> None:
    assert [e.kind for e in EXAMPLES] == ["kind_figure", "kind_list", "kind_comparison", "kind_transfer"]


@pytest.mark.model
@pytest.mark.slow
def test_every_example_is_answered_from_the_right_practices(handlers: Handlers) -> None:
    figure, listing, comparison, transfer = (answer_of(handlers, e.question) for e in EXAMPLES)

    assert not figure["abstained"] and "21 members" in figure["answer"]
    assert {c["practice_id"] for c in figure["citations"]} == {
        "laugea-lithuanian-automotive-export-association"
    }

    assert not listing["abstained"]
    vouchers = {c["practice_id"] for c in listing["citations"] if "voucher" in c["title"].lower()}
    assert len(vouchers) >= 4

    assert not comparison["abstained"]
    assert {c["practice_id"] for c in comparison["citations"]} >= {
        "pimex-internationalisation-plan-extremadura",
        "consolidation-plan-international-markets-extremadura",
    }
    assert "EUR 88,280" in comparison["answer"] and "EUR 103,280" in comparison["answer"]

    assert not transfer["abstained"]
    assert {c["practice_id"] for c in transfer["citations"]} == {"buurtzorg-neighbourhood-care"}
    assert {c["section"] for c in transfer["citations"]} & {
        "Potential for learning or transfer",
        "Resources needed",
    }
