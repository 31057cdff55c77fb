"""Praxis core: types, configuration, store, retrieval, answering and citations."""

# Read by the command line to tell our `assistant` package from another distribution's of the
# same name (a PyPI package called "assistant" installs a top-level assistant/ too).
DISTRIBUTION = "praxis-good-practices"
