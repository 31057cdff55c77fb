"""Write sessions of a Praxis collection: who may write, whether a writer stopped mid-way, and the
write generation that tells readers (in this or another process) that the store changed.

State lives in the documents collection's metadata, so every process sees it:
- WRITES_OPEN is 1 while a writer may be mid-way (a crash leaves it so: the next reconcile()
  then scans for leftovers);
- WRITER holds the writer's lease until WRITER_UNTIL (epoch seconds), renewed while it writes,
  so a second writer (another API replica, a second `praxis ingest`) is refused, not raced;
- GENERATION changes whenever a write session starts or ends: readers compare it instead of
  reading every document record, and an embedded reader reopens its client when it changed.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from typing import Any

from assistant.errors import StoreError

log = logging.getLogger(__name__)

WRITES_OPEN = "praxis_writes_open"
WRITER = "praxis_writer"
WRITER_UNTIL = "praxis_writer_until"
GENERATION = "praxis_generation"
LEASE_S = 300


def writer_alive(holder: str) -> bool:
    """False for a writer process of this machine that no longer exists (killed mid-ingest)."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine: trust its lease until it runs out
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class WriteSessions:
    """The write-session half of ChromaStore (see the module docstring). Expects `name`,
    `_documents` (the open documents collection), `_existing(suffix)`, `_open(create)` and
    `_seen_generation` from the store."""

    name: str
    _documents: Any
    _seen_generation: str | None

    def __init__(self) -> None:
        self._writes_open = False
        self._writer_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._lease_renewed = 0.0
        self._reconciled = False  # reconcile() ran in this run (reconcile ... end_writes)
        self._dirty_before = False  # the session we opened started over unscanned leftovers

    def _existing(self, suffix: str) -> Any | None:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def _open(self, create: bool) -> bool:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def _session(self) -> dict[str, Any]:
        documents = self._existing("documents")  # fresh: another process may have changed it
        return dict(documents.metadata or {}) if documents is not None else {}

    def _mark(self, metadata: dict[str, Any]) -> None:
        """Write session metadata with a new generation, remembered as our own (no reopen)."""
        generation = uuid.uuid4().hex
        self._documents.modify(metadata={**metadata, GENERATION: generation})
        self._seen_generation = generation

    def _check_no_other_writer(self, session: dict[str, Any]) -> None:
        holder = str(session.get(WRITER) or "")
        until = float(session.get(WRITER_UNTIL) or 0)
        if holder and holder != self._writer_id and until > time.time() and writer_alive(holder):
            raise StoreError(
                f"another ingest ({holder}) is writing collection {self.name!r}; wait until it "
                f"finishes (its lease runs to {time.strftime('%H:%M:%S', time.localtime(until))}, "
                "renewed while it writes) and run this one again"
            )

    def _begin_writes(self) -> None:
        """Open (or renew) this store's write session. Raises StoreError when another writer holds it."""
        now = time.time()
        if self._writes_open and now - self._lease_renewed < LEASE_S / 3:
            return
        session = self._session()
        self._check_no_other_writer(session)
        if not self._writes_open:  # left unfinished before, and not scanned by us since?
            self._dirty_before = session.get(WRITES_OPEN) != 0 and not self._reconciled
        self._mark({WRITES_OPEN: 1, WRITER: self._writer_id, WRITER_UNTIL: now + LEASE_S})
        self._writes_open = True
        self._lease_renewed = now

    def abandon_writes(self) -> None:
        """A write failed or was interrupted in this process: give up the lease but leave the
        session marked open, so the next reconcile() removes what was half-written."""
        self._reconciled = False
        try:
            if self._writes_open:
                self._mark({WRITES_OPEN: 1})
        except Exception:  # the store may be what failed; the lease then simply runs out
            log.warning("could not release the write lease collection=%s", self.name)
        self._writes_open = False

    def end_writes(self) -> None:
        """Release the write lease after every write of this session completed. The store is
        marked clean (the next `reconcile()` skips its scan of all chunks) unless an earlier
        writer's leftovers are still unscanned. Writers call this when done (the Ingestor at the
        end of a run, `delete_document` for itself)."""
        if not self._open(create=False):
            return
        session = self._session()
        if not self._writes_open and (session.get(WRITES_OPEN) == 0 or not self._reconciled):
            return  # nothing written, and nothing this store could vouch for
        self._check_no_other_writer(session)
        dirty = self._dirty_before if self._writes_open else False
        self._mark({WRITES_OPEN: 1 if dirty else 0})
        self._writes_open = False
        self._reconciled = False  # valid for one run: another process may write after it

    def generation(self) -> str | None:
        """A token that changes whenever a write session starts or ends, in any process (one
        small request); None for a store written before Praxis kept it."""
        value = self._session().get(GENERATION)
        return str(value) if value else None

    def writes_interrupted(self) -> bool:
        """Whether a writer may have stopped mid-way (or the store predates this marker)."""
        documents = self._existing("documents")
        return documents is not None and (documents.metadata or {}).get(WRITES_OPEN) != 0
