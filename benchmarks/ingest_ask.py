"""Ingest and ask benchmark on the bundled corpus, with the configured (default) embedder.

    python benchmarks/ingest_ask.py [--eval ../shared/eval/dev.jsonl]

Prints: ingest documents/s and chunks/s; raw encode throughput of the same model on the same
chunk texts in the same run, and the ratio (pipeline overhead); ask latency p50/p95 in one warm
process over the questions of the eval set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import load_settings  # noqa: E402
from assistant.factory import build_assistant, build_embeddings, build_store  # noqa: E402
from ingest.chunk import chunk_practice  # noqa: E402
from ingest.ingestor import Ingestor, discover, embedding_text  # noqa: E402
from ingest.parse import load_practice  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument(
        "--eval", type=Path, default=Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        settings = load_settings(data_dir=Path(data))
        corpus = args.corpus or settings.corpus_dir
        embeddings = build_embeddings(settings)
        embeddings.embed_query("warm-up")  # model load is not ingest throughput
        store = build_store(settings, embeddings)
        ingestor = Ingestor(
            store,
            embeddings,
            chunk_chars=settings.retrieval.chunk_chars,
            chunk_overlap=settings.retrieval.chunk_overlap,
        )
        started = time.perf_counter()
        report = ingestor.run([corpus])
        ingest_s = time.perf_counter() - started
        docs = len(report.added)

        files, _ = discover([corpus])
        texts = []
        for path in files:
            practice, _ = load_practice(path)
            texts += [
                embedding_text(c)
                for c in chunk_practice(
                    practice,
                    target_chars=settings.retrieval.chunk_chars,
                    overlap=settings.retrieval.chunk_overlap,
                )
            ]
        started = time.perf_counter()
        embeddings.embed_documents(texts)
        raw_s = time.perf_counter() - started

        print(f"embedder: {getattr(embeddings, 'model_name', '?')}")
        print("| measure | value |\n|---|---|")
        print(f"| documents ingested | {docs} |")
        print(f"| chunks written | {report.chunks_written} |")
        print(f"| ingest wall time | {ingest_s:.2f} s |")
        print(f"| ingest documents/s | {docs / ingest_s:.2f} |")
        print(f"| ingest chunks/s | {report.chunks_written / ingest_s:.2f} |")
        print(f"| raw encode chunks/s (same texts) | {len(texts) / raw_s:.2f} |")
        print(
            f"| ingest / raw encode ratio | {(report.chunks_written / ingest_s) / (len(texts) / raw_s):.2f} |"
        )

        rows = [
            json.loads(line) for line in args.eval.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        assistant = build_assistant(settings, store)
        assistant.ask("warm-up question about clusters")
        latencies = []
        for row in rows:
            started = time.perf_counter()
            assistant.ask(row["question"], history=row.get("history") or None)
            latencies.append((time.perf_counter() - started) * 1000)
        print(f"| ask latency p50 ({len(rows)} questions, warm) | {statistics.median(latencies):.0f} ms |")
        print(f"| ask latency p95 | {float(np.percentile(latencies, 95)):.0f} ms |")


if __name__ == "__main__":
    main()
