"""Adapters over the core: the command line, the HTTP API and the web UI."""
