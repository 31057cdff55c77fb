#!/usr/bin/env bash
# Set up with the test extra and run the whole test suite (model tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/python -m pytest "$@"
