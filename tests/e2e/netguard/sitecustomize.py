"""Loaded at interpreter start (via PYTHONPATH) by the no-network test: any attempt to open a
network connection or resolve a host name is recorded in $NETGUARD_LOG and refused."""

import os
import socket

_log = os.environ.get("NETGUARD_LOG")


def _record(what: str) -> None:
    if _log:
        with open(_log, "a", encoding="utf-8") as handle:
            handle.write(what + "\n")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _guarded(original):
    def guarded(self, address):  # type: ignore[no-untyped-def]
        if self.family == socket.AF_UNIX:
            return original(self, address)
        _record(f"connect {address!r}")
        raise OSError("network access blocked by the no-network test")

    return guarded


def _getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    _record(f"getaddrinfo {host!r}")
    raise socket.gaierror("name resolution blocked by the no-network test")


socket.socket.connect = _guarded(_connect)  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded(_connect_ex)  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo
