"""The engines with the real learned signals (multilingual e5 embedder, packaged cross-encoder) on
the invented practices: where meaning, not shared words, decides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.factory import build_assistant, build_store
from assistant.pipeline import Assistant
from ingest.ingestor import Ingestor
from tests.assistant.engines.conftest import write_corpus

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    data: Path = tmp_path_factory.mktemp("engines-e5")
    settings = load_settings(data_dir=data, retrieval={"mode": "dense"})
    store = build_store(settings)
    assert Ingestor(store, store.embeddings).run([write_corpus(tmp_path_factory.mktemp("docs"))]).ok
    return build_assistant(settings, store)


def test_the_learned_signal_rejects_a_practice_that_only_shares_a_word(learned: Assistant) -> None:
    # shared words alone list the heat network ("heat"); it carries waste heat, it has no heat pumps
    answer = learned.ask("Which practices use heat pumps?")
    assert answer.route == "catalog"
    assert answer.text.startswith("No practice") and not answer.citations


def test_a_topic_the_learned_signal_confirms(learned: Assistant) -> None:
    answer = learned.ask("Which practices were founded by farmers?")
    assert set(re.findall(r"\*\*([^*]+)\*\*", answer.text)) == {"Greenfield Wind Cooperative"}


def test_a_comparison_of_practices_named_by_description(learned: Assistant) -> None:
    answer = learned.ask("Which is older: the wind cooperative in Kerry or the craft voucher in Tyrol?")
    assert answer.route == "compare"
    assert answer.text.startswith("**Greenfield Wind Cooperative** is older")


def test_a_french_follow_up_keeps_the_practice_in_focus(learned: Assistant) -> None:
    history = [
        {"role": "user", "content": "When did the Harbour Heat Network start?"},
        {"role": "assistant", "content": "Harbour Heat Network (Nordby): It started in 2011. [1]"},
    ]
    answer = learned.ask("Combien de ménages y sont raccordés ?", history=history)
    assert answer.citations and {c.practice_id for c in answer.citations} == {"harbour-heat-network-nordby"}


def test_the_lookup_answerer_and_the_engines_share_one_loaded_cross_encoder(
    learned: Assistant, tmp_path: Path
) -> None:
    model = learned.answerer.relevance.cross_encoder  # type: ignore[attr-defined]
    assert model._session is not None  # loaded by the questions above
    for route in ("catalog", "summary"):
        assert learned.engines[route].relevance.cross_encoder is model  # type: ignore[attr-defined]
    # an Assistant built again in the process (another serve worker, the CLI's second question)
    # reuses the loaded model
    assert learned.index is not None
    again = build_assistant(
        load_settings(data_dir=tmp_path, retrieval={"mode": "dense"}), learned.index.store
    )
    assert again.answerer.relevance.cross_encoder is model  # type: ignore[attr-defined]
    assert again.engines["catalog"].relevance.cross_encoder is model  # type: ignore[attr-defined]
