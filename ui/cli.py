"""The `praxis` command line: ingest, ask, config."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings, load_settings
from assistant.errors import ModelMismatchError, PraxisError

log = logging.getLogger("praxis")


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    if getattr(args, "k", None) is not None:
        overrides["retrieval"] = {"k": args.k}
    return load_settings(**overrides)


def _record_fields(settings: Settings, flag: str | None) -> Any:
    """The export field mapping: settings, then --fields (JSON text or a .json file) on top."""
    from assistant.errors import ConfigError
    from ingest.readers import FieldMap

    overrides = dict(settings.ingest.record_fields)
    if flag:
        text = Path(flag).read_text(encoding="utf-8") if Path(flag).is_file() else flag
        try:
            extra = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"--fields must be a JSON object or a .json file holding one ({exc.msg}); "
                'e.g. --fields \'{"title": "name"}\''
            ) from exc
        if not isinstance(extra, dict):
            raise ConfigError('--fields must be a JSON object, e.g. {"title": "name"}')
        overrides.update(extra)
    return FieldMap.from_overrides(overrides)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.factory import build_store
    from ingest.ingestor import Ingestor

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    fields = _record_fields(settings, args.fields)
    store = build_store(settings)
    ingestor = Ingestor(
        store,
        store.embeddings,
        chunk_chars=settings.retrieval.chunk_chars,
        chunk_overlap=settings.retrieval.chunk_overlap,
        fields=fields,
    )
    bar = tqdm(total=0, unit="doc", disable=args.quiet or None, file=sys.stderr, dynamic_ncols=True)

    def progress(done: int, total: int, chunks: int) -> None:
        bar.total = total
        bar.n = done
        elapsed = bar.format_dict.get("elapsed") or 0.0
        bar.set_postfix_str(f"{chunks} chunks, {chunks / elapsed if elapsed else 0:.1f} chunks/s")

    try:
        report = ingestor.run(paths, prune=args.prune, rebuild=args.rebuild, progress=progress)
    finally:
        bar.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for name, reason in report.failed:
        print(f"failed: {reason if name in reason else f'{name}: {reason}'}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.factory import build_assistant

    settings = _settings(args)
    assistant = build_assistant(settings)
    filters = {k: v for k, v in (("country", args.country), ("theme", args.theme), ("section", args.section)) if v}
    answer = assistant.ask(args.question, k=settings.retrieval.k, filters=filters)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.citations:
        print()
        for c in answer.citations:
            print(f"[{c.n}] {c.title}, {c.section} ({c.source}, chars {c.start}-{c.end})")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print(json.dumps(settings.model_dump(mode="json"), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="praxis", description="Ask Europe's regional good practices, with citations."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where Praxis keeps its store (PRAXIS_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser(
        "ingest", parents=[common],
        help="ingest good practices (.txt .md .html .pdf .docx, and .json .jsonl .csv exports)",
    )
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus/)")
    ingest.add_argument("--prune", action="store_true", help="remove practices whose files are gone")
    ingest.add_argument("--rebuild", action="store_true", help="drop the store and start over")
    ingest.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ingest.add_argument(
        "--fields",
        help="JSON object (or .json file) mapping export record fields, e.g. "
        '\'{"title": "name", "sections": {"Resources needed": "budget"}}\' '
        "(PRAXIS_INGEST__RECORD_FIELDS)",
    )
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the JSON answer schema")
    ask.add_argument("--k", type=int, help="passages to retrieve (PRAXIS_RETRIEVAL__K)")
    ask.add_argument("--country", help="only practices from this country")
    ask.add_argument("--theme", help="only practices with this theme")
    ask.add_argument("--section", help="only this section, e.g. 'Resources needed'")
    ask.set_defaults(func=cmd_ask)

    config = sub.add_parser("config", parents=[common], help="print the effective settings")
    config.set_defaults(func=cmd_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except ModelMismatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except PraxisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
