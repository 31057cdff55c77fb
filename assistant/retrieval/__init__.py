"""Retrieval: the Retriever protocol and its checks, dense and hybrid (dense + BM25) retrievers, the
BM25 index, and the LangChain adapter."""
