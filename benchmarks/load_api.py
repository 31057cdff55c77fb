"""Load test of POST /v1/ask: throughput and latency with N concurrent clients for a fixed time.

Starts `praxis serve` in a subprocess on a free 127.0.0.1 port (ingesting the bundled corpus into a
temporary data dir first unless --data-dir is given), then runs N client threads that ask questions
in a loop for --duration seconds. Prints requests, errors, requests/s and p50/p95/p99 latency, and
writes the same as JSON under benchmarks/results/.

    python benchmarks/load_api.py                        # 8 clients, 60 s, the real MiniLM embedder
    python benchmarks/load_api.py --embedding hashing    # the fast test embedder
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "How many nurses work in a Buurtzorg team?",
    "What does the CENTROPE innovation voucher pay for?",
    "Which practices help SMEs go digital?",
    "What evidence of success does the Tallinn free public transport have?",
    "What does the Cluj IT cluster do?",
    "How is the Lithuanian Automotive Export Association funded?",
    "What resources did the energy community need?",
    "Who won the 1966 football world cup final?",  # abstains
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_clients(url: str, clients: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(number: int) -> None:
        own: list[float] = []
        own_errors: list[str] = []
        with httpx.Client(base_url=url, timeout=60) as http:
            i = number
            while time.monotonic() < stop_at:
                question = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                started = time.perf_counter()
                try:
                    response = http.post("/v1/ask", json={"question": question})
                    ok = response.status_code == 200 and "answer" in response.json()
                except httpx.HTTPError as exc:
                    ok, response = False, None
                    own_errors.append(f"{type(exc).__name__}: {exc}")
                elapsed = (time.perf_counter() - started) * 1000
                if ok:
                    own.append(elapsed)
                elif response is not None:
                    own_errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
        with lock:
            latencies.extend(own)
            errors.extend(own_errors)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "duration_s": round(wall, 1),
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": errors[:5],
        "throughput_rps": round(len(latencies) / wall, 2),
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)) if latencies else float("nan"), 1),
            "p95": round(float(np.percentile(latencies, 95)) if latencies else float("nan"), 1),
            "p99": round(float(np.percentile(latencies, 99)) if latencies else float("nan"), 1),
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "max": round(max(latencies), 1) if latencies else None,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (max 600)")
    parser.add_argument(
        "--embedding", choices=["sentence-transformers", "hashing"], default="sentence-transformers"
    )
    parser.add_argument("--data-dir", help="an already ingested data dir (default: a fresh temp one)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 64 or not 1 <= args.duration <= 600:
        parser.error("keep it bounded: 1-64 clients, 1-600 seconds")

    env = {**os.environ, "PRAXIS_EMBEDDING__BACKEND": args.embedding, "PRAXIS_ANSWER__BACKEND": "extractive"}
    with tempfile.TemporaryDirectory(prefix="praxis-load-") as tmp:
        data_dir = args.data_dir or tmp
        praxis = [sys.executable, "-m", "ui.cli"]
        if not args.data_dir:
            print(f"ingesting the bundled corpus into {data_dir} ...", file=sys.stderr)
            subprocess.run([*praxis, "ingest", "-q", "--data-dir", data_dir], env=env, cwd=ROOT, check=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*praxis, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    health = httpx.get(f"{url}/healthz", timeout=5).json()
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        print(server.stdout.read() if server.stdout else "", file=sys.stderr)
                        raise SystemExit("error: the server did not start") from None
                    time.sleep(0.5)
            for question in QUESTIONS:  # warm up: model load, caches
                httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=120).raise_for_status()
            print(f"load: {args.clients} clients x {args.duration:.0f} s on {url}/v1/ask", file=sys.stderr)
            result = run_clients(url, args.clients, args.duration)
        finally:
            server.terminate()
            server.wait(timeout=30)
    result.update(
        {
            "embedding_model": health["embedding_model"],
            "answer_backend": health["answer_backend"],
            "practices": health["practices"],
            "chunks": health["chunks"],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load_api-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=2))
    latency = result["latency_ms"]
    print(
        f"POST /v1/ask, {result['clients']} clients, {result['duration_s']} s, "
        f"{result['embedding_model']} + {result['answer_backend']}: {result['requests']} requests, "
        f"{result['errors']} errors, {result['throughput_rps']} req/s, p50 {latency['p50']} ms, "
        f"p95 {latency['p95']} ms, p99 {latency['p99']} ms"
    )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
