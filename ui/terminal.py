"""What the CLI draws on a terminal: progress bars on stderr (fed by the core's progress
callbacks) and text laid out in columns. No Praxis logic here."""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.evaluation.backends import BackendRun


_UNPRINTABLE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print to a terminal: escape sequences and control characters (a file name or
    title may carry them) shown as '?', never interpreted."""
    return _UNPRINTABLE.sub("?", text)


class ModelProgress:
    """A progress callback (done, total bytes) drawing a bar on stderr, e.g. for the one-time
    assembly of the packaged local model; the bar appears with the first report and goes when
    done. Call .close() when the work is over."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                desc="assembling the local model",
                file=sys.stderr,
                disable=self.quiet or None,
                leave=False,
            )
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()
        if total and done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def model_progress_bar(quiet: bool = False) -> ModelProgress:
    return ModelProgress(quiet)


def wrap_columns(label: str, cells: Sequence[str], label_width: int, width: int) -> list[str]:
    columns = [textwrap.wrap(label, label_width) or [""]]
    columns += [textwrap.wrap(cell, width) or [""] for cell in cells]
    height = max(len(c) for c in columns)
    lines = []
    for i in range(height):
        parts = [(columns[0][i] if i < len(columns[0]) else "").ljust(label_width)]
        parts += [(c[i] if i < len(c) else "").ljust(width) for c in columns[1:]]
        lines.append(" | ".join(parts).rstrip())
    return lines


class EvalBars:
    """One progress bar per backend on stderr, fed by the evaluation's progress callback."""

    def __init__(self, quiet: bool, several: bool) -> None:
        self.quiet, self.several = quiet, several
        self.bar: Any = None
        self.backend: str | None = None

    def __call__(self, backend: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if backend != self.backend:
            self.close()
            self.backend = backend
            self.bar = tqdm(
                total=total,
                unit="q",
                disable=self.quiet or None,
                file=sys.stderr,
                desc=backend if self.several else None,
            )
        self.bar.update(done - self.bar.n)
        if done == total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def print_run(run: BackendRun, several: bool, other: dict[str, Any] | None, compare_path: str | None) -> None:
    """One backend's table, its comparison with an earlier summary, and where it was written."""
    from assistant.evaluation import report

    if several:
        print(f"== {run.backend}")
    print(report.format_table(run.summary))
    if other is not None:
        print(f"\ncompared with {compare_path}:")
        print(report.compare(run.summary, other))
    print(f"\nwrote {run.out / 'results.jsonl'}, {run.out / 'summary.json'}, {run.out / 'report.html'}")
    if several:
        print()
