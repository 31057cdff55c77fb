"""Calls into Chroma, guarded: what failed is classified into errors an operator can act on, the
number of calls waiting on the store is bounded, and a circuit breaker refuses calls at once
while the store is down, so a lost or hung store costs a request milliseconds, not a thread.

- `classify(exc)`: a Chroma, HTTP or OS exception -> StorageFull (disk full), StorageUnavailable
  (read-only, I/O error), StoreCorrupt (damaged database file), StoreUnavailable (unreachable,
  timed out), StaleRead (this process's view of an embedded store is older than the files), or
  None for exceptions that are not the store's (bugs stay bugs).
- `CircuitBreaker`: after `failures` unavailable-errors in a row it opens for `cooldown_s`; then
  one trial call at a time is let through, and the first success closes it.
- `StoreGuard.call()`: the breaker, then a bounded number of calls in flight (the others wait up
  to `wait_s`, then are refused), then the call; nested calls from one thread pass straight through.
"""

from __future__ import annotations

import errno
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from assistant.errors import (
    PraxisError,
    StorageFull,
    StorageUnavailable,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

FREE_SPACE_HINT = "free space on the disk that holds the data dir; writes resume by themselves"
REBUILD_HINT = (
    "the store's database file (chroma/chroma.sqlite3 under the data dir) is damaged; stop Praxis "
    "and run `praxis ingest --rebuild` (it moves the damaged store aside and re-ingests the source files)"
)
# what Chroma's embedded engine says (its SQLite codes) and what the OS says, lower-cased
_FULL = ("database or disk is full", "no space left on device", "(code: 13)", "disk quota exceeded")
_READ_ONLY = (
    "readonly database",
    "read-only file system",
    "(code: 8)",
    "permission denied",
    "unable to open database file",  # SQLite cannot create its journal beside the database
    "(code: 14)",
)
_IO = ("disk i/o error", "(code: 10)", "error in compaction", "input/output error")
_CORRUPT = ("file is not a database", "(code: 26)", "database disk image is malformed", "(code: 11)")
# another process deleted what this process's engine still names, or is creating collections
# ... and "nothing found on disk": another process recreated the collections and has not yet
# written their vector index (a `--rebuild` in progress)
_STALE = ("error finding id", "missing metadata segment", "missing field", "nothing found on disk")
_UNREACHABLE = ("connection refused", "could not connect", "connection reset", "timed out", "broken pipe")


class StaleRead(Exception):
    """This process's view of an embedded store is older than its files (another process wrote):
    reopen the client and read again. Internal to the store package."""


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".lower()


def classify(exc: BaseException, *, low_space: bool = False) -> Exception | None:
    """The Praxis error for an exception raised inside a store call, or None when it is not the
    store's (a bug, a NotFoundError the caller handles). `low_space` says the disk is nearly full,
    which turns Chroma's vaguer write failures into StorageFull."""
    if isinstance(exc, PraxisError | StaleRead):
        return exc
    module = type(exc).__module__ or ""
    if type(exc).__name__ == "NotFoundError" and module.startswith("chromadb"):
        return None  # a collection deleted by another process: see is_gone()
    text = _message(exc)
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or any(m in text for m in _FULL):
        return StorageFull(f"the disk holding the store is full; {FREE_SPACE_HINT}")
    if any(m in text for m in _CORRUPT):
        return StoreCorrupt(REBUILD_HINT)
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or any(m in text for m in _READ_ONLY):
        return StorageUnavailable(
            "the store's files cannot be written (read-only file system or permissions); make the "
            "data dir writable again; reads go on meanwhile"
        )
    if code == errno.EIO or any(m in text for m in _IO):
        if low_space:
            return StorageFull(f"the disk holding the store is full; {FREE_SPACE_HINT}")
        return StorageUnavailable(
            "the store could not write its files (an I/O error); check the disk holding the data dir"
        )
    if any(m in text for m in _STALE):
        return StaleRead(str(exc))
    if module.startswith(("httpx", "httpcore")) or isinstance(exc, ConnectionError | TimeoutError):
        what = "did not answer in time" if "timeout" in text or "timed out" in text else "is not reachable"
        return StoreUnavailable(f"the Chroma server {what} ({type(exc).__name__}); it is retried by itself")
    if module.startswith("chromadb"):
        if any(m in text for m in _UNREACHABLE):
            return StoreUnavailable("the store is not reachable; it is retried by itself")
        return StoreError(f"the store failed ({type(exc).__name__}); the server log has the details")
    return None


def is_gone(exc: BaseException) -> bool:
    """A collection this process had open was deleted (a `--rebuild` elsewhere): reopen."""
    return type(exc).__name__ == "NotFoundError" and (type(exc).__module__ or "").startswith("chromadb")


def counts_as_outage(error: Exception) -> bool:
    """Errors that say the store cannot serve anyone right now (they open the circuit): it is
    unreachable or timed out. A full disk refuses writes only, a damaged file fails fast anyway,
    and a request the store refuses is not an outage (a client must not be able to open it)."""
    return isinstance(error, StoreUnavailable)


class CircuitBreaker:
    """Closed -> open after `failures` outages in a row -> half-open after `cooldown_s` (one trial
    call at a time) -> closed on the first success, open again on a failure."""

    def __init__(
        self, *, failures: int = 3, cooldown_s: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failures = failures
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._streak = 0
        self._opened_at: float | None = None
        self._trial = False
        self.last_error = ""

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half-open" if self._clock() - self._opened_at >= self.cooldown_s else "open"

    def before(self) -> bool:
        """Let a call through (True when it is the half-open trial), or raise StoreUnavailable
        with the seconds until the next trial."""
        with self._lock:
            if self._opened_at is None:
                return False
            waited = self._clock() - self._opened_at
            if waited >= self.cooldown_s and not self._trial:
                self._trial = True
                return True
            retry = max(1.0, math.ceil(self.cooldown_s - waited)) if waited < self.cooldown_s else 1.0
        raise StoreUnavailable(
            f"the store failed {self.failures} times in a row ({self.last_error}); calls are refused "
            f"for {retry:.0f} s, then it is tried again",
            retry_after=retry,
        )

    def success(self, trial: bool) -> None:
        with self._lock:
            if trial or self._opened_at is None:
                if self._opened_at is not None:
                    log.warning("store recovered; circuit closed")
                self._opened_at, self._streak, self._trial = None, 0, False

    def failure(self, error: Exception, trial: bool) -> None:
        with self._lock:
            self.last_error = str(error)[:200]
            if trial:
                self._opened_at, self._trial = self._clock(), False
                return
            self._streak += 1
            if self._opened_at is None and self._streak >= self.failures:
                log.error("store failing; circuit open for %.0f s error=%s", self.cooldown_s, self.last_error)
                self._opened_at = self._clock()

    def release(self, trial: bool) -> None:
        """A trial call that ended with neither an outage nor a success (e.g. a bad request)."""
        if trial:
            with self._lock:
                self._trial = False


class StoreGuard:
    """The breaker and a bound on calls in flight around every store call of one store."""

    def __init__(
        self,
        *,
        max_calls: int = 16,
        wait_s: float = 2.0,
        failures: int = 3,
        cooldown_s: float = 10.0,
        low_space: Callable[[], bool] | None = None,
    ) -> None:
        self.breaker = CircuitBreaker(failures=failures, cooldown_s=cooldown_s)
        self.max_calls = max_calls
        self.wait_s = wait_s
        self.low_space = low_space  # set by the store when None: it knows its disk
        self._slots = threading.BoundedSemaphore(max_calls)
        self._local = threading.local()

    @property
    def depth(self) -> int:
        """How deep the current thread is in guarded calls (1 inside the outermost)."""
        return int(getattr(self._local, "depth", 0))

    @contextmanager
    def call(self) -> Iterator[None]:
        """Guard one store call. Raises StoreUnavailable without calling when the circuit is open
        or `max_calls` calls have been in flight for `wait_s`; turns store exceptions into the
        Praxis errors of `classify` (others propagate unchanged)."""
        if self.depth:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        trial = self.breaker.before()
        if not self._slots.acquire(timeout=self.wait_s):
            self.breaker.release(trial)
            raise StoreUnavailable(
                f"the store is busy: {self.max_calls} calls have been waiting on it for {self.wait_s:.0f} s",
                retry_after=2.0,
            )
        self._local.depth = 1
        try:
            yield
        except Exception as exc:
            error = self.translate(exc)
            if error is None:
                self.breaker.release(trial)
                raise
            if counts_as_outage(error):
                self.breaker.failure(error, trial)
            else:
                self.breaker.release(trial)
            if error is exc:
                raise
            raise error from exc
        else:
            self.breaker.success(trial)
        finally:
            self._local.depth = 0
            self._slots.release()

    def translate(self, exc: BaseException) -> Exception | None:
        """classify(), asking about free space only when the message leaves it open. The raw
        exception goes to the log: the errors' messages leave out its text (server paths)."""
        try:
            low = bool(self.low_space and self.low_space())
        except OSError:
            low = False
        error = classify(exc, low_space=low)
        if error is not None and error is not exc and not isinstance(error, StaleRead):
            log.warning("store call failed: %s: %s", type(exc).__name__, exc)
        return error
