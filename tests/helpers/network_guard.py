"""A guard that fails the test run if anything opens a network (IPv4/IPv6) socket.

The app never touches a network at run time; this makes that a checked fact for everything the
tests exercise. Unix-domain sockets (used by local IPC) stay allowed.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

_NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkUsedError(AssertionError):
    """Raised when code under test tries to open a network socket."""


_real_socket_init = socket.socket.__init__


def _guarded_init(self: socket.socket, family: Any = -1, *args: Any, **kwargs: Any) -> None:
    if family in _NETWORK_FAMILIES or family == -1:
        raise NetworkUsedError(f"network socket opened (family {family!r}): the app must never use the network")
    _real_socket_init(self, family, *args, **kwargs)


@pytest.fixture(autouse=True, scope="session")
def no_network() -> Iterator[None]:
    """Every test runs with network sockets forbidden."""
    socket.socket.__init__ = _guarded_init  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.__init__ = _real_socket_init  # type: ignore[method-assign]
