"""Ingest and ask benchmark on the bundled corpus, with the configured (default) embedder.

    python benchmarks/ingest_ask.py [--eval ../shared/eval/dev.jsonl] [--during N] [--compare-old]

Prints: ingest documents/s and chunks/s; raw encode throughput of the same model on the same
chunk texts in the same run, and the ratio (pipeline overhead); ask latency p50/p95 in one warm
process over the questions of the eval set.

With --during N (default 40; 0 skips it): ask latency while another thread of the same process
ingests N synthetic practices (benchmarks/synth_corpus.py), as an admin upload runs beside the
questions in `praxis serve`; compared with the latency of the same questions, same process, with
no ingest, measured just before. Each ingest goes into a fresh collection, so the runs are
alike. --compare-old also runs the ingest the way it worked before issue 18 (one embedding call
per group of up to 256 chunks, writes in Chroma's largest batch), in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.config import Settings, load_settings  # noqa: E402
from assistant.factory import build_assistant, build_embeddings, build_store  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from benchmarks.synth_corpus import write_corpus  # noqa: E402
from ingest.chunk import chunk_practice  # noqa: E402
from ingest.factory import build_ingestor  # noqa: E402
from ingest.ingestor import GROUP_CHUNKS, Ingestor, discover, embedding_text  # noqa: E402
from ingest.parse import load_practice  # noqa: E402


def percentiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), float(np.percentile(values, 95))


def ask_all(assistant: Assistant, rows: list[dict], stop: threading.Event | None = None) -> list[float]:
    """Ask every question (over and over while `stop` is given and not set); latencies in ms."""
    latencies: list[float] = []
    while True:
        for row in rows:
            started = time.perf_counter()
            assistant.ask(row["question"], history=row.get("history") or None)
            latencies.append((time.perf_counter() - started) * 1000)
            if stop is not None and stop.is_set():
                return latencies
        if stop is None:
            return latencies


def during_ingest(
    settings: Settings, assistant: Assistant, rows: list[dict], corpus: Path, collection: str, *, old: bool
) -> tuple[list[float], float, int]:
    """Ask while another thread ingests corpus into a new collection: (latencies, ingest s, chunks)."""
    target = build_store(
        settings.model_copy(update={"store": settings.store.model_copy(update={"collection": collection})})
    )
    if old:  # before issue 18: one call per group, writes in Chroma's largest batch
        target.write_rows = 1 << 30
        ingestor = Ingestor(target, target.embeddings, embed_batch=GROUP_CHUNKS)
    else:
        ingestor = build_ingestor(settings, target)
    stop = threading.Event()
    result: dict[str, float | int] = {}

    def ingest() -> None:
        started = time.perf_counter()
        report = ingestor.run([corpus])
        result["seconds"], result["chunks"] = time.perf_counter() - started, report.chunks_written
        stop.set()

    thread = threading.Thread(target=ingest)
    thread.start()
    latencies = ask_all(assistant, rows, stop)
    thread.join()
    return latencies, float(result["seconds"]), int(result["chunks"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument(
        "--eval", type=Path, default=Path(__file__).resolve().parents[2] / "shared/eval/dev.jsonl"
    )
    parser.add_argument("--during", type=int, default=40, help="synthetic practices ingested beside the asks")
    parser.add_argument(
        "--compare-old", action="store_true", help="also the ingest as it was before issue 18"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        settings = load_settings(data_dir=Path(data))
        corpus = args.corpus or settings.corpus_dir
        embeddings = build_embeddings(settings)
        embeddings.embed_query("warm-up")  # model load is not ingest throughput
        store = build_store(settings, embeddings)
        ingestor = build_ingestor(settings, store)
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
        quiet = ask_all(assistant, rows)
        p50, p95 = percentiles(quiet)
        print(f"| ask latency p50 ({len(rows)} questions, warm) | {p50:.0f} ms |")
        print(f"| ask latency p95 | {p95:.0f} ms |")
        if not args.during:
            return

        synth = Path(data) / "synth"
        write_corpus(args.during, synth, seed=18)
        runs = [("now", False)] + ([("before issue 18", True)] if args.compare_old else [])
        print(f"\nasks during an ingest of {args.during} synthetic practices (same process, another thread)")
        print("| ingest | asks | ask p50 | ask p95 | p95 extra vs no ingest | ingest s | chunks/s |")
        print("|---|---|---|---|---|---|---|")
        print(f"| none | {len(quiet)} | {p50:.0f} ms | {p95:.0f} ms | - | - | - |")
        for number, (label, old) in enumerate(runs):
            latencies, seconds, chunks = during_ingest(
                settings, assistant, rows, synth, f"bench{number}", old=old
            )
            d50, d95 = percentiles(latencies)
            print(
                f"| {label} | {len(latencies)} | {d50:.0f} ms | {d95:.0f} ms | {d95 - p95:+.0f} ms "
                f"| {seconds:.1f} | {chunks / seconds:.1f} |"
            )


if __name__ == "__main__":
    main()
