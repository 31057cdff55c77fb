"""Prompt length of generated answers on a test set, counted by the local model's tokenizer only.

    python -m benchmarks.prompt_tokens [TESTSET] [--data-dir DIR] [--model PATH.gguf] [--show N]

Every question goes through the Assistant as `praxis ask --backend llamacpp` would take it
(retrieval, the evidence check, passage selection, the prompt), but the model is replaced by a
scripted reply, so no weights are loaded: only the GGUF's vocabulary counts the prompt, chat
template included. Prefill time is roughly prompt tokens / prefill rate (~89 tokens/s for
Qwen2.5-Coder-1.5B Q4_K_M on 2 quiet cores); llama.cpp reuses the system prompt of the previous
call, so after the first question only the rest is prefilled ("new tokens" below).

The store of DIR must have been ingested (praxis ingest --data-dir DIR corpus); the model defaults
to PRAXIS_LLM__MODEL_PATH, else the packaged default assembled into DIR/models.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant.answering.generated import SYSTEM_PROMPT
from assistant.config import load_settings
from assistant.evaluation.metrics import percentile
from assistant.evaluation.testset import load_testset
from assistant.factory import build_assistant, build_store
from assistant.llm.backends import LlamaCppGenerator, ScriptedGenerator
from assistant.llm.packaged_model import ensure_default_model
from assistant.types import Message

DEFAULT_TESTSET = Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"


class CountingScript(ScriptedGenerator):
    """A scripted reply, with the prompt counted by a real model's tokenizer."""

    def __init__(self, tokenizer: LlamaCppGenerator) -> None:
        super().__init__("NOT IN DOCUMENTS")
        self.tokenizer = tokenizer

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return self.tokenizer.count_tokens(messages)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("testset", nargs="?", type=Path, default=DEFAULT_TESTSET)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None, help="a GGUF whose tokenizer counts")
    parser.add_argument("--show", type=int, default=0, help="print the longest N prompts")
    args = parser.parse_args(argv)
    overrides: dict = {"answer": {"backend": "llamacpp"}}
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    settings = load_settings(**overrides)
    model = args.model or settings.llm.model_path or ensure_default_model(settings.data_dir / "models")
    tokenizer = LlamaCppGenerator(Path(model))
    generator = CountingScript(tokenizer)
    store = build_store(settings)
    assistant = build_assistant(settings, store, generator=generator)
    system = tokenizer.count_tokens([Message("system", SYSTEM_PROMPT)])
    rows = load_testset(args.testset)
    counted: list[tuple[int, str, list[Message]]] = []
    for row in rows:
        before = len(generator.prompts)
        answer = assistant.ask(row.question, history=row.history, filters=row.filters or None)
        if answer.prompt_tokens is not None:  # the model was called
            counted.append((answer.prompt_tokens, row.id, generator.prompts[before]))
    tokens = [t for t, _, _ in counted]
    print(
        f"{args.testset}: {len(rows)} questions, {len(counted)} reach the model "
        f"(the others abstain or answer without it)"
    )
    print(
        f"model: {Path(model).name}; limits: llm.context_chars={settings.llm.context_chars}, "
        f"llm.prompt_tokens={settings.llm.prompt_tokens}"
    )
    if tokens:
        print(
            f"prompt tokens (chat template included): p50 {statistics.median(tokens):.0f}, "
            f"p95 {percentile(tokens, 95):.0f}, max {max(tokens)}, mean {statistics.mean(tokens):.0f}"
        )
        print(
            f"system prompt: {system} tokens (reused from the previous call); new tokens per question: "
            f"p50 {statistics.median(tokens) - system:.0f}, max {max(tokens) - system}"
        )
        over = [(t, i) for t, i, _ in counted if t > settings.llm.prompt_tokens]
        print(f"over the limit (one sentence longer than it): {over or 'none'}")
    for t, row_id, messages in sorted(counted, key=lambda c: -c[0])[: args.show]:
        print(f"\n--- {row_id}: {t} tokens")
        for m in messages[1:]:
            print(f"[{m.role}] {m.content}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
