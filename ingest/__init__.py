"""Ingest: files -> Practice -> sections -> chunks -> embeddings -> store."""
