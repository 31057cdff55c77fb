"""Generated vs extractive answers on the dev questions, side by side, in one run.

    python benchmarks/llm_eval.py [--eval ../shared/eval/dev.jsonl] [--backends extractive,llamacpp]
                                  [--limit N] [--out answers.jsonl] [--data-dir DIR]

Ingests the bundled corpus with the configured embedder (into --data-dir, reused between runs, or a
temporary folder), then asks every question with each backend through Assistant.stream(), as a
user of the CLI, API or UI gets it. Other settings come from the PRAXIS_* environment, e.g.
PRAXIS_LLM__BASE_URL and PRAXIS_LLM__MODEL for --backends openai.

Figures per backend:
- must_include accuracy: answerable questions whose answer contains every must_include string
  (case-insensitive, thousands separators ignored: "55,000" == "55 000" == "55000");
- abstention: unanswerable/out-of-scope questions answered "the documents do not say"; and the
  share of answerable questions wrongly abstained on;
- citation precision: citations, of answered questions with known sources, that point at one of them;
- time to first text p50: from the question to the first streamed text a user sees; for generated
  answers also time to the model's first token p50 (timings_ms.first_token);
- total latency p50.
Each answer is appended to --out as it arrives, so a long run can be read while it runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import load_settings  # noqa: E402
from assistant.factory import build_assistant, build_embeddings, build_store  # noqa: E402
from assistant.generative import Generated, GenerativeAnswerer  # noqa: E402
from assistant.text import fold  # noqa: E402
from ingest.ingestor import Ingestor  # noqa: E402

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"


def normalise(text: str) -> str:
    import re

    return re.sub(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}\b)", "", fold(text))


def includes_all(answer: str, must: list[str]) -> bool:
    return all(normalise(item) in normalise(answer) for item in must)


class Recording:
    """Wraps a GenerativeAnswerer to keep its last decision (fallback reason, dropped sentences)."""

    def __init__(self, inner: GenerativeAnswerer) -> None:
        self._stream = inner.stream  # bound before the answerer's own stream is replaced by ours
        self.last: Generated | None = None

    def stream(self, *args: Any, **kwargs: Any):
        self.last = None
        for item in self._stream(*args, **kwargs):
            if isinstance(item, Generated):
                self.last = item
            yield item


def run_backend(backend: str, rows: list[dict[str, Any]], settings_dir: Path, store: Any, out: Any) -> dict:
    settings = load_settings(data_dir=settings_dir, answer={"backend": backend})
    started = time.perf_counter()
    assistant = build_assistant(settings, store, progress=None)
    recording = None
    if isinstance(assistant.answerer, GenerativeAnswerer):
        recording = Recording(assistant.answerer)
        assistant.answerer.stream = recording.stream  # type: ignore[method-assign]
        assistant.ask("warm-up: how many members does LAuGEA have?")  # model load is not latency
    print(f"[{backend}] ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    results = []
    for row in rows:
        t0 = time.perf_counter()
        first_text = None
        answer = None
        for event in assistant.stream(row["question"], history=row.get("history") or None):
            if event["type"] == "delta" and first_text is None:
                first_text = time.perf_counter() - t0
            elif event["type"] == "answer":
                answer = event["answer"]
        total = time.perf_counter() - t0
        assert answer is not None
        record = {
            "backend": backend, "id": row["id"], "type": row["type"], "question": row["question"],
            "answer": answer.text, "abstained": answer.abstained,
            "sources": sorted({c.source for c in answer.citations}),
            "citations": [c.source for c in answer.citations],
            "first_text_ms": round((first_text or total) * 1000, 1), "total_ms": round(total * 1000, 1),
            "first_token_ms": round(answer.timings_ms["first_token"], 1) if "first_token" in answer.timings_ms
            else None,
            "must_include": row.get("must_include", []), "expected_sources": row.get("sources", []),
        }
        if recording and recording.last:
            record["fallback"] = recording.last.fallback
            record["dropped"] = recording.last.dropped
            record["raw"] = recording.last.raw
        results.append(record)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
        print(f"[{backend}] {row['id']} {record['total_ms'] / 1000:.1f}s "
              f"{'ABSTAIN' if answer.abstained else answer.text[:90]!r}", file=sys.stderr, flush=True)
    return summarise(results)


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["must_include"]]
    unanswerable = [r for r in results if not r["must_include"]]
    correct = [r for r in answerable if not r["abstained"] and includes_all(r["answer"], r["must_include"])]
    cited = [(s, r["expected_sources"]) for r in results if not r["abstained"] and r["expected_sources"]
             for s in r["citations"]]
    firsts = [r["first_token_ms"] for r in results if r["first_token_ms"] is not None]
    called = [r for r in results if r["first_token_ms"] is not None]
    return {
        "questions": len(results),
        "must_include accuracy": f"{len(correct)}/{len(answerable)} = "
                                 f"{len(correct) / max(1, len(answerable)):.2f}",
        "abstention (unanswerable)": f"{sum(r['abstained'] for r in unanswerable)}/{len(unanswerable)}",
        "false abstention (answerable)": f"{sum(r['abstained'] for r in answerable)}/{len(answerable)}",
        "citation precision": f"{sum(s in exp for s, exp in cited)}/{len(cited)} = "
                              f"{sum(s in exp for s, exp in cited) / max(1, len(cited)):.2f}",
        "time to first text p50": f"{statistics.median(r['first_text_ms'] for r in results) / 1000:.2f} s",
        "model first token p50": f"{statistics.median(firsts) / 1000:.2f} s ({len(firsts)} model calls)"
                                 if firsts else "no model call",
        "total latency p50": f"{statistics.median(r['total_ms'] for r in results) / 1000:.2f} s",
        "first text p50, questions the model answered": (
            f"{statistics.median(r['first_text_ms'] for r in called) / 1000:.2f} s" if called else "-"
        ),
        "total latency p50, questions the model answered": (
            f"{statistics.median(r['total_ms'] for r in called) / 1000:.2f} s" if called else "-"
        ),
        "fallbacks to extractive": sum(1 for r in results if r.get("fallback") == "no generated sentence "
                                       "passed the guards"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--backends", default="extractive,llamacpp")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--out", type=Path, default=Path("llm_eval_answers.jsonl"))
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse this store between runs")
    parser.add_argument("--summarise", type=Path, default=None,
                        help="only print the table for the answers already in this file")
    args = parser.parse_args()
    if args.summarise:
        records = [json.loads(line) for line in args.summarise.read_text(encoding="utf-8").splitlines()]
        by_backend: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_backend.setdefault(record["backend"], []).append(record)
        print_table({name: summarise(rows) for name, rows in by_backend.items()})
        return

    rows = [json.loads(line) for line in args.eval.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        settings = load_settings(data_dir=data_dir)
        embeddings = build_embeddings(settings)
        store = build_store(settings, embeddings)
        ingestor = Ingestor(store, embeddings, chunk_chars=settings.retrieval.chunk_chars,
                            chunk_overlap=settings.retrieval.chunk_overlap)
        report = ingestor.run([settings.corpus_dir])
        print(report.summary(), file=sys.stderr)
        summaries = {}
        with args.out.open("a", encoding="utf-8") as out:
            for backend in args.backends.split(","):
                summaries[backend] = run_backend(backend.strip(), rows, data_dir, store, out)
    print_table(summaries)


def print_table(summaries: dict[str, dict[str, Any]]) -> None:
    names = list(summaries)
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for key in next(iter(summaries.values())):
        print(f"| {key} | " + " | ".join(str(summaries[n][key]) for n in names) + " |")


if __name__ == "__main__":
    main()
