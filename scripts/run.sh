#!/usr/bin/env bash
# Set up, ingest the bundled corpus and answer a sample question, on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/praxis ingest
.venv/bin/praxis ask "How many members does LAuGEA have?"
