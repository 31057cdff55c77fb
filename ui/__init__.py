"""Adapters over the core: the command line, the HTTP API and the web UI.

They import the core package `assistant`. Another distribution can install a top-level package of
that name too (on PyPI, "assistant" is one); in one environment the last one installed wins, so
its absence of our marker is reported here with what to do, instead of an ImportError further on.
"""

import assistant as _core

if getattr(_core, "DISTRIBUTION", None) != "praxis-good-practices":
    raise ImportError(
        f"the package 'assistant' at {getattr(_core, '__file__', '?')} is not Praxis's "
        "(another distribution installed a package of that name); install Praxis in its own "
        "virtual environment: python -m venv .venv && .venv/bin/pip install praxis-good-practices"
    )
