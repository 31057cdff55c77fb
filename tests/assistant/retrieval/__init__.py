"""Tests of assistant/retrieval."""
