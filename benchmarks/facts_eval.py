"""Precision and recall of the rule-based key-fact extraction against the hand-labelled set.

    python benchmarks/facts_eval.py                 # all labelled practices, per kind
    python benchmarks/facts_eval.py --split fresh   # 5 practices labelled last, never tuned on
    python benchmarks/facts_eval.py --split tuned   # dev + heldout (heldout was looked at once)
    python benchmarks/facts_eval.py --show-errors   # list misses and false alarms
    python benchmarks/facts_eval.py --json
    python benchmarks/facts_eval.py --gold other/facts_gold.jsonl --corpus other/corpus
                                                    # another labelled set (same line format)

Matching (see tests/assistant/practices/FACTS_GOLD.md for what each kind covers):
- numbers (start_year, budget, grant, staff, members, beneficiaries, duration, result): same kind
  and same value (a range is compared by its lower end); money also needs the same currency
  (no currency on both sides counts as the same). Repeated mentions of one (kind, value) count once.
- text (funding_source, owner): same kind and the extracted words overlap the labelled quote;
  one source named in several sentences counts once.
- `amount`, `country` and `region` are not labelled and not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.practices.facts.model import Fact  # noqa: E402
from assistant.practices.facts.rules import extract_facts  # noqa: E402
from assistant.types import Practice  # noqa: E402
from ingest.ingestor import load_metadata  # noqa: E402
from ingest.parse import load_practice  # noqa: E402

GOLD = ROOT / "tests" / "assistant" / "practices" / "facts_gold.jsonl"
CORPUS = ROOT / "corpus"
SCORED_KINDS = (
    "start_year",
    "budget",
    "grant",
    "staff",
    "members",
    "beneficiaries",
    "duration",
    "funding_source",
    "result",
    "owner",
)
TEXT_KINDS = {"funding_source", "owner"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    per_kind: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> Score:
        total = Score()
        for score in self.per_kind.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total


def load_gold(split: str | None = None, path: Path = GOLD) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if split == "tuned":  # the practices the rules were written and corrected against
        return [r for r in rows if r.get("split") in ("dev", "heldout")]
    return [r for r in rows if split in (None, "all", r.get("split"))]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _number_key(kind: str, value: float, currency: str | None) -> tuple:
    return (kind, round(float(value), 4), currency if kind in ("budget", "grant") else None)


def score_practice(text: str, gold: list[dict], predicted: list[Fact], report: Report, pid: str) -> None:
    predicted = [f for f in predicted if f.kind in SCORED_KINDS]
    # numbers: set comparison of (kind, value, currency)
    gold_numbers = {
        _number_key(g["kind"], g["value"], g.get("currency")): g for g in gold if g["kind"] not in TEXT_KINDS
    }
    pred_numbers: dict[tuple, Fact] = {}
    for f in predicted:
        if f.kind not in TEXT_KINDS:
            pred_numbers.setdefault(_number_key(f.kind, float(f.value), f.currency), f)
    for key, g in gold_numbers.items():
        if key in pred_numbers:
            report.per_kind[key[0]].tp += 1
        else:
            report.per_kind[key[0]].fn += 1
            report.errors.append(
                f"{pid}: MISSED {g['kind']} {g['value']} {g.get('currency') or ''} <- {g['quote']!r}"
            )
    for key, f in pred_numbers.items():
        if key not in gold_numbers:
            report.per_kind[key[0]].fp += 1
            report.errors.append(f"{pid}: FALSE {f.kind} {f.value} {f.currency or ''} <- {f.text!r}")
    # text kinds: overlap of the labelled quote with the extracted words
    for kind in TEXT_KINDS:
        gold_spans = []
        for g in (g for g in gold if g["kind"] == kind):
            index = text.find(g["quote"])
            gold_spans.append((index, index + len(g["quote"]), g))
        # one prediction per distinct value (the same source named twice counts once), keeping
        # every place it was found so any of them can match the label
        groups: dict[str, list[Fact]] = {}
        for f in predicted:
            if f.kind == kind:
                groups.setdefault(_normal_text(str(f.value)), []).append(f)
        preds = list(groups.values())
        used: set[int] = set()
        for a, b, g in gold_spans:
            hit = next(
                (
                    i
                    for i, group in enumerate(preds)
                    if i not in used
                    and any(
                        f.match_start is not None and f.match_start < b and a < (f.match_end or 0)
                        for f in group
                    )
                ),
                None,
            )
            if hit is None:
                report.per_kind[kind].fn += 1
                report.errors.append(f"{pid}: MISSED {kind} <- {g['quote']!r}")
            else:
                used.add(hit)
                report.per_kind[kind].tp += 1
        for i, group in enumerate(preds):
            if i not in used:
                report.per_kind[kind].fp += 1
                report.errors.append(f"{pid}: FALSE {kind} {group[0].value!r}")


def _normal_text(value: str) -> str:
    return " ".join(w for w in value.lower().split() if w not in ("the", "its", "their"))


def evaluate(split: str | None = None, gold: Path = GOLD, corpus: Path = CORPUS) -> Report:
    report = Report()
    practices = _load_corpus(corpus)
    for row in load_gold(split, gold):
        practice = practices.get(row["practice_id"])
        if practice is None:
            raise SystemExit(f"{gold}: practice {row['practice_id']!r} is not in {corpus}")
        score_practice(practice.text, row["facts"], extract_facts(practice), report, row["practice_id"])
    return report


def _load_corpus(corpus: Path) -> dict[str, Practice]:
    """practice id (and file stem) -> practice, for every .txt practice file in corpus."""
    metadata = load_metadata(corpus)
    practices: dict[str, Practice] = {}
    for path in sorted(corpus.glob("*.txt")):
        practice, _ = load_practice(path, metadata.get(path.name))
        practices[practice.id] = practices[path.stem] = practice
    return practices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=("all", "dev", "heldout", "tuned", "fresh"), default="all")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--gold", type=Path, default=GOLD, help="labelled facts (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="its documents (default: %(default)s)")
    args = parser.parse_args(argv)
    report = evaluate(args.split, args.gold, args.corpus)
    rows = {kind: report.per_kind[kind] for kind in SCORED_KINDS}
    if args.json:
        data = {
            k: {
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }
            for k, s in rows.items()
        }
        total = report.total
        data["all"] = {
            "precision": round(total.precision, 3),
            "recall": round(total.recall, 3),
            "tp": total.tp,
            "fp": total.fp,
            "fn": total.fn,
        }
        print(json.dumps(data, indent=2))
        return 0
    practices = len(load_gold(args.split, args.gold))
    print(f"key facts, split={args.split}, {practices} practices")
    print(f"{'kind':<16}{'gold':>6}{'found':>7}{'tp':>5}{'precision':>11}{'recall':>8}{'f1':>7}")
    for kind, s in [*rows.items(), ("ALL (micro)", report.total)]:
        counts = f"{s.tp + s.fn:>6}{s.tp + s.fp:>7}{s.tp:>5}"
        print(f"{kind:<16}{counts}{s.precision:>11.2f}{s.recall:>8.2f}{s.f1:>7.2f}")
    if args.show_errors:
        print()
        print("\n".join(report.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
