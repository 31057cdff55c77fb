"""The `praxis` command line: ingest, ask, facts, compare, similar, practices, transfer, serve (and
up), eval, config."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.config import ANSWER_BACKENDS, Settings, is_loopback, load_settings
from assistant.errors import ModelMismatchError, PraxisError
from assistant.types import TextDelta
from ui.terminal import EvalBars, model_progress_bar, print_run, printable, wrap_columns
from ui.transfer_cli import add_transfer

log = logging.getLogger("praxis")
STORE_DETAILS = "assistant.store.guard"  # logs the store's own text of each failure


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    if getattr(args, "k", None) is not None:
        overrides["retrieval"] = {"k": args.k}
    if getattr(args, "backend", None):
        overrides["answer"] = {"backend": args.backend}
    return overrides


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(**_overrides(args))


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


def _ingest_store(settings: Settings, rebuild: bool) -> Any:
    """The store to ingest into; with --rebuild a damaged embedded store is moved aside first."""
    from assistant.errors import StoreCorrupt
    from assistant.factory import build_store
    from assistant.store.client import integrity_problem, quarantine_store

    problem = None if settings.store.chroma_url or not rebuild else integrity_problem(settings.data_dir)
    try:
        if problem is None:
            return build_store(settings)
    except StoreCorrupt:
        if not rebuild or settings.store.chroma_url:
            raise
    moved = quarantine_store(settings.data_dir)
    print(f"the store was damaged; moved it to {moved} and rebuilding from the source files", file=sys.stderr)
    return build_store(settings)


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.factory import refresh_keyword_index
    from ingest.factory import build_ingestor
    from ui.api.server import Watchdog

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    fields = _record_fields(settings, args.fields)
    store = _ingest_store(settings, args.rebuild)
    ingestor = build_ingestor(settings, store, fields=fields)
    bar = tqdm(total=0, unit="doc", disable=args.quiet or None, file=sys.stderr, dynamic_ncols=True)

    def progress(done: int, total: int, chunks: int) -> None:
        bar.total = total
        bar.n = done
        elapsed = bar.format_dict.get("elapsed") or 0.0
        bar.set_postfix_str(f"{chunks} chunks, {chunks / elapsed if elapsed else 0:.1f} chunks/s")

    watchdog = Watchdog(settings.server.watchdog_s).start()  # a store call that never returns
    try:
        report = ingestor.run(paths, prune=args.prune, rebuild=args.rebuild, progress=progress)
    finally:
        bar.close()
        watchdog.stop()
    for warning in report.warnings:
        print(f"warning: {printable(warning)}", file=sys.stderr)
    for name, reason in report.failed:
        line = reason if name in reason else f"{name}: {reason}"
        print(f"failed: {printable(line)}", file=sys.stderr)
    print(report.summary())
    if settings.retrieval.mode == "hybrid":
        started = time.perf_counter()
        added, dropped = refresh_keyword_index(settings, store)
        if added or dropped:
            print(
                f"keyword index: {added} practices indexed, {dropped} removed "
                f"in {time.perf_counter() - started:.1f} s"
            )
    return 0 if report.ok else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.factory import build_assistant

    settings = _settings(args)
    progress = model_progress_bar(quiet=args.json)
    try:
        assistant = build_assistant(settings, progress=progress)
    finally:
        progress.close()
    given = (("country", args.country), ("theme", args.theme), ("section", args.section))
    filters = {k: v for k, v in given if v}
    if args.json:
        answer = assistant.ask(args.question, k=settings.retrieval.k, filters=filters)
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    # print the answer as it is written (generated answers arrive sentence by sentence)
    for event in assistant.stream(args.question, k=settings.retrieval.k, filters=filters):
        if isinstance(event, TextDelta):
            print(event.text, end="", flush=True)
        else:
            answer = event.answer
    print()
    if answer.citations:
        print()
        for c in answer.citations:
            print(printable(f"[{c.n}] {c.title}, {c.section} ({c.source}, chars {c.start}-{c.end})"))
    return 0


def _catalog(args: argparse.Namespace) -> Any:
    from assistant.factory import build_catalog

    return build_catalog(_settings(args))


def cmd_compare(args: argparse.Namespace) -> int:
    import shutil

    comparison = _catalog(args).compare(args.practices, max_chars=args.max_chars)
    if args.json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
        return 0
    total = max(80, shutil.get_terminal_size((160, 40)).columns)
    label_width = 18
    count = len(comparison.practices)
    width = max(16, (total - label_width - 3 * count) // count)
    rule = "-" * min(total, label_width + count * (width + 3))
    print("\n".join(wrap_columns("", [p.title for p in comparison.practices], label_width, width)))
    print(
        "\n".join(
            wrap_columns(
                "", [p.metadata.get("country", "") for p in comparison.practices], label_width, width
            )
        )
    )
    for row in comparison.rows:
        print(rule)
        texts = [c.text + (" (metadata)" if c.from_metadata else "") for c in row.cells]
        print("\n".join(wrap_columns(row.label, texts, label_width, width)))
    print(rule)
    print()
    for c in comparison.citations:
        print(f"[{c.n}] {c.title}, {c.section} ({c.source}, chars {c.start}-{c.end})")
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    practice, facts = _catalog(args).facts(args.practice)
    if args.kind:
        facts = [f for f in facts if f.kind in args.kind]
    if args.json:
        print(
            json.dumps(
                {
                    "practice_id": practice.id,
                    "title": practice.title,
                    "facts": [f.cited(practice) for f in facts],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{practice.title} ({practice.id})")
    for fact in facts:
        where = (
            f"{fact.section}, chars {fact.start}-{fact.end}" if fact.start is not None else "metadata.jsonl"
        )
        print(f"  {fact.label:<22} {fact.display()}  [{where}]")
        if args.evidence and fact.start is not None:
            print(f'  {"":<22} "{practice.text[fact.start : fact.end]}"')
    if not facts:
        print("  no key facts found")
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    practice = catalog.resolve(args.practice)
    found = catalog.similar(practice.id, k=args.k, per_country=args.per_country)
    if args.json:
        print(
            json.dumps(
                {"practice_id": practice.id, "similar": [s.to_dict() for s in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"Practices like {practice.title}:")
    for item in found:
        print(f"  {item.score:.3f}  {item.title} ({item.country or 'country unknown'})  [{item.practice_id}]")
    if not found:
        print("  none (the store has no other practices)")
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2024-06-28"
        ) from None


def cmd_practices(args: argparse.Namespace) -> int:
    from assistant.practices.facts.filters import headline_budget, start_year
    from assistant.practices.listing import PracticeQuery, list_practices

    catalog = _catalog(args)
    query = PracticeQuery(
        country=args.country,
        theme=args.theme,
        region=args.region,
        budget_below=args.budget_below,
        budget_above=args.budget_above,
        currency=args.currency,
        started_after=args.started_after,
        started_before=args.started_before,
        rates_on=args.rates_on,
    )
    listed = list_practices(catalog, query)
    if args.json:
        rows = [item.to_dict() for item in listed]
        print(json.dumps({"count": len(rows), "practices": rows}, ensure_ascii=False, indent=2))
        return 0
    for item in listed:
        practice = item.practice
        facts = catalog.facts_of(practice)
        year, budget = start_year(facts), headline_budget(facts, args.rates_on)
        converted = item.match.budget if item.match else None
        budget_note = budget.display() if budget else ""
        if budget and converted and converted.rate_date:  # what the budget filter compared
            budget_note += f" = {converted.describe()}"
        notes = [f"since {year.value}" if year else "", budget_note]
        note = ", ".join(n for n in notes if n)
        print(f"{practice.id:<55} {practice.title}" + (f"  ({note})" if note else ""))
    print(f"{len(listed)} practice(s)", file=sys.stderr)
    return 0


def _port_free(host: str, port: int) -> bool:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _ready_store(args: argparse.Namespace, settings: Settings) -> tuple[Any, int]:
    """The store, checked against the embedding model, the bundled corpus ingested first when
    asked and the store is empty; and how many practices it holds."""
    from assistant.factory import build_store

    store = build_store(settings)
    store.check_model()
    if args.ingest and not store.count_documents():
        print(f"The store is empty: ingesting {settings.corpus_dir} first.", file=sys.stderr)
        ingest_argv = ["ingest", *(["--data-dir", str(args.data_dir)] if args.data_dir else [])]
        if cmd_ingest(build_parser().parse_args(ingest_argv)) != 0:
            print("warning: some documents failed to ingest (see above); serving the others", file=sys.stderr)
    practices = store.count_documents()
    if practices == 0:
        print(
            "warning: the store is empty, so every answer will be 'not in the documents'; run "
            "`praxis ingest` first, or start with `praxis up`",
            file=sys.stderr,
        )
    return store, practices


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API and the web UI in one uvicorn process; with --ingest (or `praxis up`), ingest
    the bundled corpus first when the store is empty."""
    from assistant.factory import build_assistant
    from ui.api.app import create_app
    from ui.api.server import run_server
    from ui.services import warm_up_in_background

    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port is not None:
        overrides["port"] = args.port
    settings = load_settings(**_overrides(args), **({"server": overrides} if overrides else {}))
    host, port = settings.server.host, settings.server.port
    if not _port_free(host, port):
        print(
            f"error: cannot listen on {host}:{port} (in use, or not an address of this machine); "
            "pass another --port or --host",
            file=sys.stderr,
        )
        return 2
    store, practices = _ready_store(args, settings)
    progress = model_progress_bar()  # the first start of the default local model assembles it
    try:
        assistant = build_assistant(settings, store, progress=progress)
    finally:
        progress.close()
    app = create_app(settings, assistant=assistant, store=store)
    warm_up_in_background(assistant)  # the first catalog answer would read every practice's facts
    if not is_loopback(host):
        limit = settings.server.rate_limit if settings.server.rate_limited else "off"
        print(
            f"warning: listening on {host}, reachable from other machines; the public routes need no "
            f"key (API rate limit per client: {limit}; PRAXIS_SERVER__RATE_LIMIT[_ENABLED])",
            file=sys.stderr,
        )
    banner = (
        f"Praxis is serving {practices} practices at {{url}}  "
        "(API: {url}docs, health: {url}healthz; Ctrl+C stops)"
    )
    logging.getLogger(STORE_DETAILS).setLevel(logging.NOTSET)  # serving: the log keeps the details
    run_server(app, settings, banner=banner, verbose=bool(args.verbose))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant.evaluation import report
    from assistant.evaluation import testset as testsets
    from assistant.evaluation.backends import check_backends, evaluate
    from assistant.factory import build_store

    names = [name.strip() for flag in args.backend or [] for name in flag.split(",") if name.strip()]
    backends = check_backends(names, flag="--backend")
    args.backend = backends[0] if len(backends) == 1 else None
    rows = testsets.load_testset(Path(args.testset))
    thresholds = [report.parse_threshold(s) for s in args.fail_under] + [
        report.parse_threshold(s, minimum=False) for s in args.fail_over
    ]
    other = report.load_summary(Path(args.compare)) if args.compare else None
    settings = _settings(args)
    several = len(backends) > 1
    bars, model_progress = EvalBars(args.quiet, several), model_progress_bar(quiet=args.quiet)
    try:
        evaluation = evaluate(
            settings,
            build_store(settings),
            rows,
            testset=str(Path(args.testset)),
            backends=backends,
            out=Path(args.out) if args.out else None,
            thresholds=thresholds,
            progress=bars,
            model_progress=model_progress,
            on_run=lambda run: print_run(run, several, other, args.compare),
        )
    finally:
        bars.close()
        model_progress.close()
    if evaluation.side_by_side is not None:
        print("== side by side")
        print(report.format_side_by_side(evaluation.summaries))
        print(f"\nwrote {evaluation.side_by_side}")
    for failure in evaluation.failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if evaluation.failures else 0


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print(json.dumps(settings.model_dump(mode="json"), indent=2))
    return 0


Subparsers = Any  # argparse's _SubParsersAction
BACKEND_HELP = "who writes the {} (PRAXIS_ANSWER__BACKEND; default extractive)"


def _add_ingest(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    ingest = sub.add_parser(
        "ingest",
        parents=[common],
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


def _add_ask(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the JSON answer schema")
    ask.add_argument("--k", type=int, help="passages to retrieve (PRAXIS_RETRIEVAL__K)")
    ask.add_argument("--country", help="only practices from this country")
    ask.add_argument("--theme", help="only practices with this theme")
    ask.add_argument("--section", help="only this section, e.g. 'Resources needed'")
    ask.add_argument("--backend", choices=ANSWER_BACKENDS, help=BACKEND_HELP.format("answer"))
    ask.set_defaults(func=cmd_ask)


def _add_catalog(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    """compare, facts, similar: practices as things to look up."""
    compare = sub.add_parser(
        "compare", parents=[common], help="compare 2 to 5 practices side by side, every cell cited"
    )
    compare.add_argument(
        "practices", nargs="+", metavar="PRACTICE", help="practice ids or unambiguous parts of their titles"
    )
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON")
    compare.add_argument(
        "--max-chars", type=int, default=400, help="how much of each section to show (default 400 characters)"
    )
    compare.set_defaults(func=cmd_compare)

    facts = sub.add_parser("facts", parents=[common], help="key facts of a practice, with sources")
    facts.add_argument("practice", help="practice id or an unambiguous part of its title")
    facts.add_argument("--kind", action="append", help="only this kind (repeatable), e.g. budget")
    facts.add_argument("--evidence", action="store_true", help="print the sentence of each fact")
    facts.add_argument("--json", action="store_true")
    facts.set_defaults(func=cmd_facts)

    similar = sub.add_parser("similar", parents=[common], help="practices like this one")
    similar.add_argument("practice", help="practice id or an unambiguous part of its title")
    similar.add_argument("--k", type=int, default=5, help="how many (default 5)")
    similar.add_argument("--per-country", type=int, default=2, help="at most this many per country")
    similar.add_argument("--json", action="store_true")
    similar.set_defaults(func=cmd_similar)


def _add_practices(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    practices = sub.add_parser(
        "practices", parents=[common], help="list practices, optionally filtered by key facts"
    )
    practices.add_argument("--budget-below", metavar="AMOUNT", help="e.g. 500000 or 'EUR 1.5 million'")
    practices.add_argument("--budget-above", metavar="AMOUNT")
    practices.add_argument("--currency", default="EUR", help="currency of a bare AMOUNT (default EUR)")
    practices.add_argument(
        "--rates-on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="compare budgets in other currencies at the ECB reference rates of this day "
        "(default: the latest day the packaged rates hold)",
    )
    practices.add_argument("--started-after", type=int, metavar="YEAR")
    practices.add_argument("--started-before", type=int, metavar="YEAR")
    practices.add_argument("--country", help="only practices from this country (a name or demonym)")
    practices.add_argument("--theme", help="only practices with this theme")
    practices.add_argument("--region", help="only practices from this region")
    practices.add_argument("--json", action="store_true")
    practices.set_defaults(func=cmd_practices)


def _add_serve(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    serving = argparse.ArgumentParser(add_help=False)
    serving.add_argument("--host", help="address to listen on (PRAXIS_SERVER__HOST, default 127.0.0.1)")
    serving.add_argument("--port", type=int, help="port (PRAXIS_SERVER__PORT, default 8000; 0 = any free)")
    serving.add_argument("--backend", choices=ANSWER_BACKENDS, help=BACKEND_HELP.format("answers"))
    serve = sub.add_parser(
        "serve", parents=[common, serving], help="serve the web UI at / and the HTTP API at /v1 (/docs)"
    )
    serve.add_argument(
        "--ingest", action="store_true", help="ingest the bundled corpus first if the store is empty"
    )
    serve.set_defaults(func=cmd_serve)
    up = sub.add_parser(
        "up", parents=[common, serving], help="= serve --ingest: set up on first run, then serve"
    )
    up.set_defaults(func=cmd_serve, ingest=True)


def _add_eval(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    evaluate = sub.add_parser("eval", parents=[common], help="score answers on a JSONL test set")
    evaluate.add_argument("testset", help="JSONL: id, question, must_include, sources, type, history")
    evaluate.add_argument("--out", help="folder for results.jsonl, summary.json, report.html")
    evaluate.add_argument("--k", type=int, help="passages to retrieve and score (default 5)")
    evaluate.add_argument(
        "--backend",
        action="append",
        metavar="NAME[,NAME...]",
        help=f"answer backend (PRAXIS_ANSWER__BACKEND): {', '.join(ANSWER_BACKENDS)}; several "
        "(comma-separated or repeated) are run side by side, each into OUT/<backend>/",
    )
    evaluate.add_argument("--compare", metavar="SUMMARY", help="an earlier summary.json: print deltas")
    for flag, below, example in (
        ("--fail-under", "below", "recall=0.97 or recall@multilingual=0.9"),
        ("--fail-over", "above", "false_abstention=0.05"),
    ):
        evaluate.add_argument(
            flag,
            action="append",
            default=[],
            metavar="METRIC[@TYPE]=V",
            help=f"exit 1 when a metric is {below} V, e.g. {example}",
        )
    evaluate.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    evaluate.set_defaults(func=cmd_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="praxis", description="Ask Europe's regional good practices, with citations."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where Praxis keeps its store (PRAXIS_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_ingest, _add_ask, _add_catalog, _add_practices, add_transfer, _add_serve, _add_eval):
        add(sub, common)
    config = sub.add_parser("config", parents=[common], help="print the effective settings")
    config.set_defaults(func=cmd_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:  # a store failure is one `error:` line; -v adds the store's own text
        logging.getLogger(STORE_DETAILS).setLevel(logging.ERROR)
    try:
        return int(args.func(args))
    except ModelMismatchError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 3
    except PraxisError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except Exception as exc:
        from assistant.store.guard import classify

        error = classify(exc)  # a store failure outside a guarded call: one line, not a traceback
        if not isinstance(error, PraxisError):
            raise
        log.debug("store failure", exc_info=exc)
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
