"""Serving the app with uvicorn, hardened for what operators and the network do to it.

- A connection that has not sent its request headers within `header_timeout_s` is closed (a
  slow-header client would otherwise hold its socket forever; uvicorn times out only idle
  keep-alive connections). HTTP/1.1 through h11, which every uvicorn install has.
- SIGTERM (or Ctrl+C): running ingests are told to stop, requests get `stop_timeout_s`, and the
  process then exits even if a thread is stuck (in a store call, say): a timer that needs no
  interpreter lock ends it.
- A watchdog (`Watchdog`) exits the process with every thread's traceback on stderr when the
  interpreter has been stuck for `watchdog_s`: Chroma's embedded engine holds Python's
  interpreter lock while it works, so a call that never returns freezes every thread, signal
  handlers included; exiting lets a supervisor restart the server.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import time
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.config import Settings

log = logging.getLogger(__name__)


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request headers do not arrive in time."""

    header_timeout_s = 10.0
    _header_timer: Any = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self._cancel_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():  # keep-alive: the next request's headers are due
            self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            log.info("closing a connection whose request headers did not arrive client=%s", self.client)
            self.transport.close()


class Watchdog:
    """Exit the process when the interpreter is stuck for `timeout_s` (see the module docstring).

    faulthandler's timer runs in a C thread that needs no interpreter lock; a Python thread
    re-arms it every `beat_s`, which only happens while the interpreter runs. `final(seconds)`
    stops re-arming and exits after that long unless the process ends first (after SIGTERM).
    """

    def __init__(self, timeout_s: float, *, beat_s: float = 1.0) -> None:
        self.timeout_s = timeout_s
        self.beat_s = beat_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Watchdog:
        if self.timeout_s > 0:
            self._thread = threading.Thread(target=self._beat, name="praxis-watchdog", daemon=True)
            self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.is_set():
            if not _exit_after(self.timeout_s):
                return
            self._stop.wait(self.beat_s)

    def stop(self) -> None:
        self._stop.set()
        faulthandler.cancel_dump_traceback_later()

    def final(self, seconds: float) -> None:
        self._stop.set()
        _exit_after(seconds)


def _exit_after(seconds: float) -> bool:
    """Arm faulthandler's exit timer, tracebacks to the real stderr; False when there is none."""
    try:
        faulthandler.dump_traceback_later(seconds, exit=True, file=sys.__stderr__ or sys.stderr)
    except (ValueError, OSError, AttributeError):  # no file descriptor to write to (embedded use)
        log.warning("no stderr file descriptor: the exit timer is off")
        return False
    return True


def run_server(app: Any, settings: Settings, *, banner: str, verbose: bool = False) -> None:
    """Serve app until SIGTERM/SIGINT; print `banner` (with {url}) once listening."""
    server_settings = settings.server
    host, port = server_settings.host, server_settings.port
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    watchdog = Watchdog(server_settings.watchdog_s)
    protocol = type(
        "Protocol", (HeaderTimeoutProtocol,), {"header_timeout_s": server_settings.header_timeout_s}
    )

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                bound = [s.getsockname()[1] for server in self.servers for s in server.sockets]
                url = f"http://{f'[{shown}]' if ':' in shown else shown}:{bound[0] if bound else port}/"
                print(banner.format(url=url), flush=True)

        def handle_exit(self, sig: int, frame: Any) -> None:
            services = getattr(app.state, "services", None)
            if services is not None:
                services.stopping.set()  # running ingests stop at their next batch
            # requests get stop_timeout_s; then the process ends even if a thread is stuck
            watchdog.final(server_settings.stop_timeout_s + 3.0)
            super().handle_exit(sig, frame)

    level = "info" if verbose else "warning"
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=level,
        access_log=verbose,
        http=protocol,
        timeout_graceful_shutdown=max(1, int(server_settings.stop_timeout_s)),
    )
    watchdog.start()
    started = time.monotonic()
    try:
        Server(config).run()
    finally:
        log.info("server stopped after %.0f s", time.monotonic() - started)
        watchdog.final(3.0)  # interpreter exit joins threads: a stuck one must not keep it alive
