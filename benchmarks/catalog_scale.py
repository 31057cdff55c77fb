"""Catalog engine latency at scale: list, count, filter and rank questions over N synthetic
practices (benchmarks/synth_corpus.py), the practices held as the engine holds them (one store
read, then in memory).

    python benchmarks/catalog_scale.py 1000 10000 --repeat 3

Measures the engine itself (scope, key facts, figures, the written answer); routing adds one
question embedding when the question's form does not settle the route, and topical questions
add one retrieval (see benchmarks/scale.py for retrieval at 10,000 practices). The practices'
key facts are extracted once before timing, as ingest stores them, and the engine is warmed up
as `Assistant.warm_up` does (every practice's figures of its key facts: money, years, counts);
"warm-up" says what that costs, which a question pays instead when nothing warmed the engine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from assistant.engines.base import Asked  # noqa: E402
from assistant.engines.catalog import CatalogEngine  # noqa: E402
from assistant.engines.index import PracticeIndex  # noqa: E402
from assistant.engines.relevance import WordRelevance  # noqa: E402
from assistant.evaluation.metrics import percentile  # noqa: E402
from assistant.pipeline import settle_heap  # noqa: E402
from assistant.practices.currency import DatedRates  # noqa: E402
from assistant.practices.facts.model import FACTS_VERSION  # noqa: E402
from assistant.practices.facts.rules import extract_facts  # noqa: E402
from assistant.question import Question  # noqa: E402
from assistant.store.records import StoredFacts  # noqa: E402
from assistant.types import Practice  # noqa: E402
from benchmarks.synth_corpus import practices  # noqa: E402
from ingest.parse import parse_practice  # noqa: E402

QUESTIONS = (
    "How many practices come from Finland?",
    "List the practices from the Baltic states.",
    "Which practices started before 2005?",
    "Which practices cost under EUR 500,000?",
    "Which practices have a budget above GBP 5 million?",
    "Which practice has the most staff?",
    "Which practices from Italy started after 2015?",
    "Which practice has the biggest budget?",
)


class MemoryStore:
    """The two reads the index makes of a store, over practices held in memory (the key facts
    as the store keeps them, extracted by the current rules)."""

    def __init__(self, items: list[tuple[Practice, StoredFacts]]) -> None:
        self.items = items

    def practices_with_facts(self) -> list[tuple[Practice, StoredFacts | None]]:
        return list(self.items)

    def content_version(self) -> tuple[int, int, int]:
        return (0, 0, len(self.items))


def build(n: int) -> MemoryStore:
    items = []
    for synth in practices(n):
        practice, _ = parse_practice(
            synth.text(), source=f"{synth.slug}.txt", practice_id=synth.slug, metadata=synth.metadata("x")
        )
        facts = [f.to_dict() for f in extract_facts(practice)]
        items.append((practice, StoredFacts(FACTS_VERSION, facts)))
    return MemoryStore(items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for n in args.sizes:
        started = time.perf_counter()
        store = build(n)
        built = time.perf_counter() - started
        engine = CatalogEngine(PracticeIndex(store), WordRelevance(), None, DatedRates())
        started = time.perf_counter()
        practices_read = len(engine.index.snapshot().entries)
        assert practices_read == n, f"the index read {practices_read} of {n} practices"
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        engine.warm_up()
        settle_heap()  # as Assistant.warm_up does after the engines' warm-up
        warmed = time.perf_counter() - started
        timings: list[float] = []
        first: dict[str, float] = {}
        for round_ in range(args.repeat):
            for text in QUESTIONS:
                asked = Asked(Question.analysed(text, (), text, k=5, filters={}))
                started = time.perf_counter()
                answer = "".join(getattr(item, "text", "") for item in engine.stream(asked))
                elapsed = (time.perf_counter() - started) * 1000
                timings.append(elapsed)
                if round_ == 0:
                    first[text] = elapsed
                    assert answer, text
        print(
            f"{n} practices: built {built:.1f} s, indexed {indexed:.2f} s, warm-up {warmed:.1f} s; "
            f"catalog answer p50 {percentile(timings, 50):.0f} ms, p95 {percentile(timings, 95):.0f} ms "
            f"({len(timings)} answers); first answer per question: max {max(first.values()):.0f} ms"
        )


if __name__ == "__main__":
    main()
