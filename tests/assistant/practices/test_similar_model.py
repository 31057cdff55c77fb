"""Similar practices with the real embedding model: the neighbours a reader would expect."""

from __future__ import annotations

import pytest

from assistant.practices.catalog import Catalog
from assistant.store.chroma import ChromaStore


@pytest.mark.model
def test_laugea_is_most_like_the_other_lithuanian_automotive_cluster(real_corpus_store: ChromaStore) -> None:
    catalog = Catalog(real_corpus_store)
    found = catalog.similar("laugea", k=5, per_country=2)
    ids = [s.practice_id for s in found]
    assert "baltic-automotive-components-cluster-bacc" in ids[:2]
    # diversified: besides LAuGEA itself at most one more Lithuanian practice
    assert sum(s.country == "Lithuania" for s in found) <= 1
    assert len({s.country for s in found}) >= 4
    # and the neighbours are clusters / automotive practices, not unrelated themes
    themes = [real_corpus_store.get_practice(i).metadata.get("theme", "") for i in ids]  # type: ignore[union-attr]
    assert sum("cluster" in t for t in themes) >= 3, themes
