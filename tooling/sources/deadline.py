"""A wall-clock limit on one HTTP request, from sending it to the last byte of the answer.

requests' `timeout` bounds each socket operation, not the request: a server sending one byte a
second never times out and would hang `kb fetch` for hours. A `Deadline` is a timer started with
the request; when it fires it shuts the connection's socket down, the blocked read returns at
once, and the caller sees `deadline.passed`.

The connection classes of a urllib3 pool manager are wrapped (`watch_pools`) so that every
connection hands its socket to the current thread's deadline just before it waits for an answer
(fresh and reused connections alike).
"""

from __future__ import annotations

import functools
import socket
import threading
from typing import Any

import requests

_CURRENT = threading.local()  # the deadline of the request this thread is making, if any


class DeadlinePassed(requests.Timeout):
    """The whole answer did not arrive in time (a `Timeout`, so it is retried like one)."""


class Deadline:
    """`with Deadline(seconds) as deadline:` around one request; `deadline.passed` afterwards."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.passed = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _CURRENT.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _CURRENT.deadline = None
        self._timer.cancel()
        with self._lock:
            self._sock = None

    def watch(self, sock: socket.socket) -> None:
        """The socket the answer arrives on: shut it down when (or if already) time is up."""
        with self._lock:
            self._sock = sock
            if self.passed:
                self._shut()

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:  # the plain socket call, also for TLS: it wakes a read blocked in another thread
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass


def _arm_current_deadline(sock: Any) -> None:
    deadline: Deadline | None = getattr(_CURRENT, "deadline", None)
    if deadline is not None and isinstance(sock, socket.socket):
        deadline.watch(sock)


@functools.cache
def _watched_connection(base: Any) -> type:
    def getresponse(self: Any, *args: Any, **kwargs: Any) -> Any:
        _arm_current_deadline(self.sock)
        return base.getresponse(self, *args, **kwargs)

    return type(f"Watched{base.__name__}", (base,), {"getresponse": getresponse})


@functools.cache
def _watched_pool(base: Any) -> type:
    return type(f"Watched{base.__name__}", (base,),
                {"ConnectionCls": _watched_connection(base.ConnectionCls)})


def watch_pools(manager: Any) -> Any:
    """`manager` (a urllib3 PoolManager or proxy manager), its connections reporting to deadlines."""
    manager.pool_classes_by_scheme = {scheme: _watched_pool(pool) for scheme, pool
                                      in manager.pool_classes_by_scheme.items()}
    return manager
