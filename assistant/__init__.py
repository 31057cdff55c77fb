"""Praxis core: types, configuration, store, retrieval, answering and citations."""
