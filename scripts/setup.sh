#!/usr/bin/env bash
# Create .venv and install Praxis into it. Usage: bash scripts/setup.sh [EXTRAS], e.g. "test".
# torch comes first and exactly 2.13.0: its CPU wheel is what this project runs on (a looser
# torch requirement resolved first would pull a multi-GB CUDA build).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q torch==2.13.0
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
