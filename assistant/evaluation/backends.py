"""Evaluating one test set with one or several answer backends: `praxis eval` without the printing.

For each backend: build its Assistant over the one store, warm it up (when several run, so that
loading a model is no answer's latency), ask every row (`runner.run`), summarise, write
results.jsonl, summary.json and report.html, and check the thresholds. Several backends write
into OUT/<backend>/ and a side_by_side.md comparing them; one backend writes into OUT/.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import ANSWER_BACKENDS, Settings
from assistant.errors import ConfigError, StoreError
from assistant.evaluation import metrics, report, runner
from assistant.evaluation.report import Threshold
from assistant.evaluation.testset import EvalRow
from assistant.store.chroma import ChromaStore

# progress(backend, questions done, questions in all), after each question
EvalProgress = Callable[[str, int, int], None]


@dataclass
class BackendRun:
    """One backend's results: its summary, where they were written, the thresholds it failed."""

    backend: str
    summary: dict[str, Any]
    out: Path  # holds results.jsonl, summary.json and report.html
    failures: list[str] = field(default_factory=list)  # "[backend] " first when several ran


@dataclass
class Evaluation:
    runs: list[BackendRun]
    out: Path
    side_by_side: Path | None = None  # OUT/side_by_side.md, when several backends ran

    @property
    def summaries(self) -> dict[str, dict[str, Any]]:
        return {run.backend: run.summary for run in self.runs}

    @property
    def failures(self) -> list[str]:
        return [failure for run in self.runs for failure in run.failures]


def check_backends(names: Sequence[str], *, flag: str = "backends") -> list[str]:
    """The names, checked: each a known answer backend, none twice. Raises ConfigError naming
    `flag`, where the names came from (e.g. "--backend")."""
    for name in names:
        if name not in ANSWER_BACKENDS:
            raise ConfigError(f"unknown answer backend {name!r} in {flag}; use {', '.join(ANSWER_BACKENDS)}")
    if len(set(names)) != len(names):
        raise ConfigError(f"{flag} names a backend twice ({', '.join(names)}); name each once")
    return list(names)


def default_out(settings: Settings, testset: Path) -> Path:
    """DATA_DIR/eval/<test set name>-<date and time>."""
    return settings.data_dir / "eval" / f"{testset.stem}-{time.strftime('%Y%m%d-%H%M%S')}"


def evaluate(
    settings: Settings,
    store: ChromaStore,
    rows: Sequence[EvalRow],
    *,
    testset: str,
    backends: Sequence[str] = (),
    out: Path | None = None,
    thresholds: Sequence[Threshold] = (),
    progress: EvalProgress | None = None,
    model_progress: Callable[[int, int], None] | None = None,
    on_run: Callable[[BackendRun], None] | None = None,
) -> Evaluation:
    """Run the rows through each backend (default: settings.answer.backend) and write the reports.

    `testset` names the set in the summaries; `out` defaults to `default_out`; `model_progress`
    reports the one-time assembly of the packaged local model; `on_run` is called as each backend
    finishes. Raises StoreError for an empty store, ConfigError for an unknown or unavailable
    backend.
    """
    from assistant.factory import build_assistant  # the factory imports most of the core

    names = check_backends(backends) or [settings.answer.backend]
    if store.count_chunks() == 0:
        raise StoreError(f"the store in {settings.data_dir} is empty; run `praxis ingest` first")
    several = len(names) > 1
    out = out or default_out(settings, Path(testset))
    k = settings.retrieval.k
    evaluation = Evaluation(runs=[], out=out)
    for backend in names:
        assistant = build_assistant(settings.with_answer_backend(backend), store, progress=model_progress)
        if several:
            assistant.warm_up()  # loading the model is not part of any answer's latency

        def step(done: int, total: int, backend: str = backend) -> None:
            if progress is not None:
                progress(backend, done, total)

        results = runner.run(assistant, rows, k=k, progress=step)
        summary = metrics.summarise(
            results,
            testset=testset,
            k=k,
            backend=backend,
            embedding=store.model_name,
            created=time.strftime("%Y-%m-%d %H:%M:%S"),
        )
        where = out / backend if several else out
        report.write_results(where, results, summary, k=k)
        prefix = f"[{backend}] " if several else ""
        failures = [prefix + f for f in report.check_thresholds(summary, thresholds)]
        evaluation.runs.append(BackendRun(backend, summary, where, failures))
        if on_run is not None:
            on_run(evaluation.runs[-1])
    if several:
        evaluation.side_by_side = out / "side_by_side.md"
        evaluation.side_by_side.write_text(
            report.format_side_by_side(evaluation.summaries, markdown=True) + "\n", encoding="utf-8"
        )
    return evaluation
