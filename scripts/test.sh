#!/usr/bin/env bash
# Set up with the test and llm extras, check lint, format and types, and run the whole test suite (model, browser and llm tests
# included). The browser tests drive Debian's chromium headless; it is installed here when missing.
# The llm extra compiles llama-cpp-python: about 5 minutes on 2 cores, once per machine (pip
# caches the wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium >/dev/null
fi
bash scripts/setup.sh test,llm,llm-test
# the code's shape is checked as its behaviour is: lint, format and types first (seconds)
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
