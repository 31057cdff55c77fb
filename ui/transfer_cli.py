"""`praxis transfer`: the practices that fit a region best, with cited reasons; a briefing file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.config import load_settings

PROFILE_FLAGS = ("country", "region_type", "population", "budget", "sector", "challenge")


def profile_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """--profile FILE (JSON or YAML), then --question (a region described in words), then the
    single-key flags on top. Raises InvalidQuestion (InvalidProfile) for a bad file or value."""
    from assistant.transfer.chat import profile_from_question
    from assistant.transfer.profile import load_profile

    profile: dict[str, Any] = {}
    if args.profile:
        profile.update(load_profile(Path(args.profile).read_bytes()).to_dict())
    if args.question:
        profile.update(profile_from_question(args.question).to_dict())
    for key in PROFILE_FLAGS:
        value = getattr(args, key)
        if value is not None:
            profile[key] = value
    if args.asset:
        profile["assets"] = list(args.asset)
    return {k: v for k, v in profile.items() if v not in (None, "", [])}


def cmd_transfer(args: argparse.Namespace) -> int:
    from assistant.factory import build_transfer_advisor

    settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
    advisor = build_transfer_advisor(settings)
    profile = profile_from_args(args)
    if args.briefing:
        return _briefing(advisor, profile, args)
    result = advisor.rank(profile, k=args.k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if result.budget is not None:
        print(f"Budget: {result.budget.to_dict()}")
    for rank, fit in enumerate(result.practices, 1):
        print(f"{rank}. {fit.title} ({fit.country or 'country not stated'}), score {fit.score:.2f}")
        for reason in fit.reasons:
            where = f' [{reason.citation.section}: "{reason.citation.text}"]' if reason.citation else ""
            print(f"   {reason.label}: {reason.verdict} - {reason.text}{where}")
    return 0


def _briefing(advisor: Any, profile: dict[str, Any], args: argparse.Namespace) -> int:
    from assistant.transfer.briefing import briefing
    from assistant.transfer.render import render

    rendered = render(briefing(advisor, profile, args.briefing), args.format)
    if args.out:
        Path(args.out).write_bytes(rendered.data)
        print(f"wrote {args.out} ({rendered.content_type})")
    elif args.format == "md":
        print(rendered.data.decode("utf-8"))
    else:
        Path(rendered.filename).write_bytes(rendered.data)
        print(f"wrote {rendered.filename} ({rendered.content_type})")
    return 0


def add_transfer(sub: Any, common: argparse.ArgumentParser) -> None:
    transfer = sub.add_parser(
        "transfer",
        parents=[common],
        help="which practice fits a region, and what it would take",
        description="Rank the practices for a region (every key optional), or write one practice's "
        "transfer briefing for it. Example: praxis transfer --region-type rural --budget "
        "'EUR 300000 per year' --challenge 'young people leave the fishing towns'",
    )
    transfer.add_argument("--profile", help="a JSON or YAML file with the profile keys")
    transfer.add_argument("--question", help='the region in words: "We are a rural region with ..."')
    transfer.add_argument("--country")
    transfer.add_argument(
        "--region-type", dest="region_type", help="rural, urban, mixed, island, mountain or cross-border"
    )
    transfer.add_argument("--population", type=int)
    transfer.add_argument("--budget", help="e.g. 'EUR 200000 per year', 'PLN 1 million in total'")
    transfer.add_argument("--sector")
    transfer.add_argument("--asset", action="append", help="what exists already (repeat the flag)")
    transfer.add_argument("--challenge", help="the challenge, in free text")
    transfer.add_argument("--k", type=int, default=5, help="how many practices (1-50)")
    transfer.add_argument("--json", action="store_true", help="the POST /v1/transfer JSON")
    transfer.add_argument("--briefing", metavar="PRACTICE", help="write this practice's briefing")
    transfer.add_argument("--format", choices=("md", "docx", "pdf"), default="md")
    transfer.add_argument("--out", help="the briefing file (default: printed for md, else its name)")
    transfer.set_defaults(func=cmd_transfer)
