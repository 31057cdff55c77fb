#!/usr/bin/env bash
# Set up, ingest the bundled corpus (first run only) and serve the web UI and the HTTP API
# on http://127.0.0.1:8000/ with the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/praxis up "$@"
