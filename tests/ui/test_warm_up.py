"""`praxis serve` warms the Assistant up in the background: the server takes requests at once, and
the models, the router and the practice index are loaded before the first questions need them."""

from __future__ import annotations

import logging
import threading

import pytest

from ui.services import warm_up_in_background


class Slow:
    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.done = threading.Event()
        self.fail = fail

    def warm_up(self) -> None:
        self.release.wait(10)
        if self.fail:
            raise RuntimeError("no model here")
        self.done.set()


def test_the_warm_up_runs_beside_the_caller() -> None:
    assistant = Slow()
    thread = warm_up_in_background(assistant)  # type: ignore[arg-type]
    assert thread.daemon and thread.is_alive() and not assistant.done.is_set()  # the caller goes on
    assistant.release.set()
    thread.join(10)
    assert assistant.done.is_set()


def test_a_failed_warm_up_is_logged_and_leaves_the_server_running(caplog: pytest.LogCaptureFixture) -> None:
    assistant = Slow(fail=True)
    assistant.release.set()
    with caplog.at_level(logging.WARNING, logger="ui.services"):
        warm_up_in_background(assistant).join(10)  # type: ignore[arg-type]
    assert "warming up the assistant failed" in caplog.text
