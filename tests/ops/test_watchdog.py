"""The last line of defence against a freeze: a process whose interpreter is stuck in native code
(as when a write deadlocks inside Chroma's embedded engine, which holds Python's interpreter
lock) exits by itself with every thread's traceback, even though SIGTERM's Python handler can
no longer run. Reproduced with a real deadlock on a pthread mutex taken with the lock held."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.ops.conftest import ROOT

pytestmark = pytest.mark.slow

STUCK = f"""
import ctypes, signal, sys, time
sys.path.insert(0, {str(ROOT)!r})
from ui.api.server import Watchdog

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # what uvicorn installs: needs the interpreter
Watchdog(3.0, beat_s=0.2).start()
libc = ctypes.PyDLL(None)  # PyDLL: calls keep the interpreter lock, as the engine's calls do
mutex = ctypes.create_string_buffer(64)  # PTHREAD_MUTEX_INITIALIZER is all zeros
libc.pthread_mutex_lock(mutex)
print("stuck", flush=True)
libc.pthread_mutex_lock(mutex)  # a deadlock that signals do not interrupt
"""


def test_a_process_stuck_with_the_interpreter_lock_exits_by_itself() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", STUCK], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "stuck"
    started = time.monotonic()
    # "stuck" is printed just before the deadlocking call: on a busy machine a signal sent at once
    # can land before it, where the handler still runs
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)  # ignored: the handler cannot run
    time.sleep(1.0)
    assert process.poll() is None
    try:
        process.wait(timeout=10)
    finally:
        process.kill()
    assert time.monotonic() - started < 6
    assert process.returncode == 1
    assert process.stderr is not None
    assert "Thread" in process.stderr.read()  # where it was stuck, for the operator
