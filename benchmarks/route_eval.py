"""Router accuracy, and precision and recall per route, on question sets whose rows have a `type`
(list, count, filter, rank -> catalog; compare-verdict, comparison -> compare; summary;
transfer-fit -> transfer; conversation, multi-doc: not scored; others -> lookup). The router sees
what it sees when serving: the practices a question names (and, with a history, the practices in
focus) resolved against the store of --data-dir.

    python benchmarks/route_eval.py --data-dir ../evals/data42 \\
        ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

Files under a `heldout` folder print the aggregate only (never their rows)."""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from assistant.config import load_settings  # noqa: E402
from assistant.engines.focus import focus_of  # noqa: E402
from assistant.engines.index import PracticeIndex  # noqa: E402
from assistant.factory import build_store  # noqa: E402
from assistant.routing import ROUTES, Router, Signals  # noqa: E402
from assistant.types import Message  # noqa: E402

EXPECT = {
    "list": "catalog",
    "count": "catalog",
    "filter": "catalog",
    "rank": "catalog",
    "compare-verdict": "compare",
    "comparison": "compare",
    "summary": "summary",
    "transfer-fit": "transfer",
}
SKIPPED = ("conversation", "multi-doc")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--data-dir", required=True, help="the store whose practices questions name")
    parser.add_argument("--cache", default=".praxis/cache", help="where the example vectors are kept")
    args = parser.parse_args()
    settings = load_settings(data_dir=args.data_dir)
    store = build_store(settings)
    snapshot = PracticeIndex(store).snapshot()
    router = Router(store.embeddings, cache_dir=Path(args.cache))
    for path in args.files:
        rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        pairs = []
        wrong = []
        for row in rows:
            if row.get("type") in SKIPPED:
                continue
            want = EXPECT.get(row.get("type", ""), "lookup")
            history = [Message(t["role"], t["content"]) for t in row.get("history") or []]
            focus = focus_of(row["question"], history, snapshot)
            signals = Signals(len(focus.named), len(focus.carried))
            route = router.route(row["question"], signals)
            pairs.append((want, route.name))
            if route.name != want:
                wrong.append((row.get("id"), row.get("type"), route.name, route.by, row["question"][:90]))
        ok = sum(w == g for w, g in pairs)
        print(f"{path}: {ok}/{len(pairs)} = {ok / max(len(pairs), 1):.2f}")
        for name in ROUTES:
            tp = sum(w == g == name for w, g in pairs)
            predicted = sum(g == name for _, g in pairs)
            actual = sum(w == name for w, _ in pairs)
            if predicted or actual:
                precision = f"{tp / predicted:.2f}" if predicted else "-"
                recall = f"{tp / actual:.2f}" if actual else "-"
                print(
                    f"   {name:9s} precision {precision} ({tp}/{predicted})  recall {recall} ({tp}/{actual})"
                )
        if "heldout" not in path:
            for item in wrong:
                print("   wrong:", item)


if __name__ == "__main__":
    main()
