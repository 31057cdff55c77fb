"""Latency of catalog answers through the whole ask pipeline (routing, engine, answer) on a real
store: the list, count, filter and rank questions of a question set, asked `--repeat` times after
a warm-up. Prints wall and CPU time percentiles and the machine's load, since a shared machine's
wall times say more about its neighbours than about Praxis.

    python benchmarks/catalog_latency.py --data-dir ../evals/data42 ../shared/eval/dev2.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from assistant.config import load_settings  # noqa: E402
from assistant.evaluation.metrics import percentile  # noqa: E402
from assistant.factory import build_assistant  # noqa: E402

KINDS = ("list", "count", "filter", "rank")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    assistant = build_assistant(load_settings(data_dir=args.data_dir))
    assistant.warm_up()
    rows = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    questions = [r["question"] for r in rows if r.get("type") in KINDS]
    for question in questions:  # the cross-encoder's and the figures' first use
        assistant.ask(question)
    wall: list[float] = []
    cpu: list[float] = []
    routes: dict[str, int] = {}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        for question in questions:
            started, started_cpu = time.perf_counter(), time.process_time()
            answer = assistant.ask(question)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            routes[answer.route] = routes.get(answer.route, 0) + 1
    print(
        f"{len(wall)} answers ({len(questions)} questions x {args.repeat}), routes {routes}; "
        f"wall p50 {percentile(wall, 50):.0f} ms p95 {percentile(wall, 95):.0f} ms; "
        f"CPU p50 {percentile(cpu, 50):.0f} ms p95 {percentile(cpu, 95):.0f} ms; "
        f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
