"""Latency of catalog answers through the whole ask pipeline (routing, engine, answer) on a real
store: the list, count, filter and rank questions of a question set, asked `--repeat` times after
a warm-up. Each ask is a first ask: the cross-encoder's remembered scores of (question, sentence)
pairs are dropped before it, since a user's new question finds none (`--remembered` keeps them,
which measures a repeated question). Prints wall and CPU time percentiles per kind and overall,
and the machine's load, since a shared machine's wall times say more about its neighbours than
about Praxis.

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
    parser.add_argument("--remembered", action="store_true", help="keep scores of pairs seen before")
    args = parser.parse_args()
    assistant = build_assistant(load_settings(data_dir=args.data_dir))
    assistant.warm_up()
    rows = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    questions = [(r["type"], r["question"]) for r in rows if r.get("type") in KINDS]
    for _, question in questions:  # the cross-encoder's and the figures' first use
        assistant.ask(question)
    models = {
        id(m): m
        for engine in assistant.engines.values()
        if (m := getattr(getattr(engine, "relevance", None), "cross_encoder", None)) is not None
    }
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    routes: dict[str, int] = {}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeat):
        for kind, question in questions:
            if not args.remembered:
                for model in models.values():
                    model.forget()
            started, started_cpu = time.perf_counter(), time.process_time()
            answer = assistant.ask(question)
            wall.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            cpu.setdefault(kind, []).append((time.process_time() - started_cpu) * 1000)
            routes[answer.route] = routes.get(answer.route, 0) + 1
    load_after = os.getloadavg()[0]
    every_wall = [t for times in wall.values() for t in times]
    every_cpu = [t for times in cpu.values() for t in times]
    print(
        f"{len(every_wall)} answers ({len(questions)} questions x {args.repeat}, "
        f"{'remembered' if args.remembered else 'first'} asks), routes {routes}"
    )
    for kind, times in [*wall.items(), ("all", every_wall)]:
        used = cpu.get(kind, every_cpu)
        print(
            f"  {kind:6} n={len(times):3}  wall p50 {percentile(times, 50):4.0f} ms p95 "
            f"{percentile(times, 95):4.0f} ms; CPU p50 {percentile(used, 50):4.0f} ms p95 "
            f"{percentile(used, 95):4.0f} ms"
        )
    print(f"load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
