"""Transfer advisor quality and speed over labelled region profiles.

Each line of a profiles file: {"id", "profile": {...}, "question": "...", "labels": {"practice-id":
"good" | "acceptable"}, "notes"}; unlisted practices are poor. The ranking is run from the
structured profile and from the chat question (parsed by `profile_from_question`), and reports:

- hit@3: share of profiles with a "good" practice among the top 3;
- nDCG@5: gains good = 2, acceptable = 1;
- support: share of reasons (not "not stated") whose cited sentence contains the figure or
  condition the reason states (checked in code by `assistant.transfer.reasons.supports`);
- briefing: seconds to build one briefing and render it in each format (warm process), wall and CPU.

Only aggregates are printed. Held-out files (a path with "heldout") never print rows:
`--show` is refused for them.

    python benchmarks/transfer_eval.py --profiles benchmarks/transfer_dev_profiles.jsonl
    python benchmarks/transfer_eval.py --profiles heldout/profiles.jsonl --data-dir DATA_DIR
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import load_settings  # noqa: E402
from assistant.factory import build_catalog, build_store  # noqa: E402
from assistant.transfer import TransferAdvisor, parse_profile, profile_from_question, render  # noqa: E402
from assistant.transfer.briefing import briefing as build_briefing_for  # noqa: E402
from assistant.transfer.reasons import NOT_STATED, supports  # noqa: E402

GAINS = {"good": 2, "acceptable": 1}


def ndcg(ranked: list[str], labels: dict[str, str], k: int = 5) -> float:
    dcg = sum(GAINS.get(labels.get(pid, ""), 0) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted((GAINS.get(v, 0) for v in labels.values()), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def evaluate(advisor: TransferAdvisor, rows: list[dict[str, Any]], mode: str, show: bool) -> dict[str, Any]:
    hits, gains, times = [], [], []
    checked = supported = errors = 0
    verdicts: dict[str, int] = {}
    error_kinds: dict[str, int] = {}  # the profile key an error names, never its value
    for row in rows:
        try:
            profile = (
                parse_profile(row["profile"])
                if mode == "structured"
                else profile_from_question(row["question"])
            )
            started = time.perf_counter()
            result = advisor.rank(profile, k=5)
            times.append(time.perf_counter() - started)
        except Exception as exc:  # counted; printed only with --show (refused for held-out files)
            errors += 1
            kind = f"{type(exc).__name__}:{str(exc).split(' ')[0]}"
            error_kinds[kind] = error_kinds.get(kind, 0) + 1
            if show:
                print(f"  ERROR {row['id']}: {exc}")
            continue
        ranked = [p.practice_id for p in result.practices]
        labels = row["labels"]
        hits.append(any(labels.get(pid) == "good" for pid in ranked[:3]))
        gains.append(ndcg(ranked, labels))
        for fit in result.practices:
            for reason in fit.reasons:
                verdicts[reason.verdict] = verdicts.get(reason.verdict, 0) + 1
                if reason.verdict == NOT_STATED:
                    continue
                checked += 1
                if supports(reason):
                    supported += 1
                elif show:
                    print(f"  UNSUPPORTED {fit.practice_id} {reason.criterion}: {reason.stated}")
        if show:
            marks = [f"{pid}({labels.get(pid, '-')[:1]})" for pid in ranked]
            print(f"  {row['id']:28s} hit={hits[-1]!s:5s} ndcg={gains[-1]:.2f} {' '.join(marks)}")
    n = len(hits)
    return {
        "mode": mode,
        "profiles": len(rows),
        "errors": errors,
        "error_kinds": error_kinds,
        "hit@3": sum(hits) / n if n else 0.0,
        "ndcg@5": statistics.mean(gains) if gains else 0.0,
        "reasons_checked": checked,
        "support": supported / checked if checked else 1.0,
        "verdicts": verdicts,
        "rank_s_mean": statistics.mean(times) if times else 0.0,
        "rank_s_max": max(times) if times else 0.0,
    }


def briefing_times(advisor: TransferAdvisor, rows: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """Seconds (wall and CPU of this process) to build a briefing of the best practice and render
    it in one format, per format; the model, the rates and the practices are already loaded."""
    wall: dict[str, list[float]] = {fmt: [] for fmt in ("md", "docx", "pdf")}
    cpu: dict[str, list[float]] = {fmt: [] for fmt in ("md", "docx", "pdf")}
    unsupported = statements = errors = 0
    for row in rows[:limit]:
        try:
            profile = parse_profile(row["profile"])
            top = advisor.rank(profile, k=1).practices[0].practice_id
            started, started_cpu = time.perf_counter(), time.process_time()
            briefing = build_briefing_for(advisor, profile, top)
            build, build_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            for fmt in wall:
                started, started_cpu = time.perf_counter(), time.process_time()
                render(briefing, fmt)
                wall[fmt].append(build + time.perf_counter() - started)
                cpu[fmt].append(build_cpu + time.process_time() - started_cpu)
        except Exception:  # counted, never printed: the rows may be held out
            errors += 1
            continue
        for section in briefing.sections:
            for statement in section.statements:
                statements += 1
                if statement.quoted and not statement.citations:
                    unsupported += 1
    return {
        "briefings": len(wall["md"]),
        "errors": errors,
        "wall_s_mean": {f: statistics.mean(v) if v else 0.0 for f, v in wall.items()},
        "wall_s_max": {f: max(v) if v else 0.0 for f, v in wall.items()},
        "cpu_s_mean": {f: statistics.mean(v) if v else 0.0 for f, v in cpu.items()},
        "statements": statements,
        "uncited_quotes": unsupported,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", type=Path, default=ROOT / "benchmarks" / "transfer_dev_profiles.jsonl")
    parser.add_argument("--data-dir", type=Path, default=Path("/work/evals/data42"))
    parser.add_argument("--modes", default="structured,chat")
    parser.add_argument("--briefings", type=int, default=5, help="how many briefings to time (0: none)")
    parser.add_argument("--show", action="store_true", help="per-profile lines (refused for held-out files)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    if args.show and "heldout" in str(args.profiles):
        parser.error("--show prints rows; held-out profiles are read only in aggregate")
    rows = [
        json.loads(line) for line in args.profiles.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    with tempfile.TemporaryDirectory(prefix="praxis-transfer-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(args.data_dir, data)  # Chroma may write to its folder
        settings = load_settings(data_dir=data)
        store = build_store(settings)
        advisor = TransferAdvisor(build_catalog(settings, store))
        started = time.perf_counter()
        advisor.rank({"challenge": "warm up"}, k=1)  # load the model, the rates, read the practices
        warm_s = time.perf_counter() - started
        figures: dict[str, Any] = {"profiles_file": args.profiles.name, "warm_up_s": warm_s, "runs": []}
        for mode in args.modes.split(","):
            figures["runs"].append(evaluate(advisor, rows, mode.strip(), args.show))
        if args.briefings:
            figures["briefing"] = briefing_times(advisor, rows, args.briefings)
    print(f"profiles: {args.profiles.name} ({len(rows)}); warm-up {warm_s:.1f} s")
    header = ("mode", "hit@3", "nDCG@5", "support", "reasons", "errors", "rank s")
    print(f"{header[0]:11s} " + " ".join(f"{h:>7s}" for h in header[1:]))
    for run in figures["runs"]:
        print(
            f"{run['mode']:11s} {run['hit@3']:7.3f} {run['ndcg@5']:7.3f} {run['support']:7.1%} "
            f"{run['reasons_checked']:7d} {run['errors']:7d} {run['rank_s_mean']:7.2f}"
        )
    for run in figures["runs"]:
        if run["errors"]:
            print(f"{run['mode']} errors by kind: {run['error_kinds']}")
    if "briefing" in figures:
        b = figures["briefing"]
        for fmt in ("md", "docx", "pdf"):
            print(
                f"briefing + {fmt:4s}: wall mean {b['wall_s_mean'][fmt]:.2f} s, "
                f"max {b['wall_s_max'][fmt]:.2f} s; "
                f"CPU mean {b['cpu_s_mean'][fmt]:.2f} s ({b['briefings']} briefings)"
            )
        print(
            f"{b['statements']} statements, {b['uncited_quotes']} quotes without citation; "
            f"{b['errors']} errors"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
